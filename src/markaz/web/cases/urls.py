from django.urls import path

from markaz.web.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("open/", views.case_open, name="case_open"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<str:number>/", views.case_detail, name="case_detail"),
    path("<str:number>/<str:action>/", views.case_action, name="case_action"),
]
