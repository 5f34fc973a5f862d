from django.urls import path

from markaz.web.evidence import views

app_name = "evidence"

urlpatterns = [
    path("case/<str:number>/", views.case_evidence, name="case"),
    path("case/<str:number>/upload/", views.evidence_upload, name="upload"),
    path("case/<str:number>/promote/", views.evidence_promote, name="promote"),
    path("case/<str:number>/physical/", views.evidence_physical, name="physical"),
    path("case/<str:number>/package/", views.package_export, name="package"),
    path("item/<int:item_id>/", views.evidence_item, name="item"),
    path("item/<int:item_id>/custody/", views.custody_add, name="custody"),
    path("item/<int:item_id>/download/", views.evidence_download, name="download"),
]
