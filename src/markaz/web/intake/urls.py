from django.urls import path

from markaz.web.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report_new, name="report_new"),
    path("report/receipt/", views.receipt, name="receipt"),
    path("status/", views.status_lookup, name="status"),
    path("staff/inbox/", views.inbox, name="inbox"),
    path("staff/reports/new/", views.staff_report_new, name="staff_report_new"),
    path("staff/reports/<str:reference>/", views.report_detail, name="report_detail"),
    path(
        "staff/reports/<str:reference>/<str:action>/",
        views.report_triage,
        name="report_triage",
    ),
    path(
        "staff/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
