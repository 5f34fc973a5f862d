from django.urls import path

from markaz.web.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.log_export, name="log_export"),
]
