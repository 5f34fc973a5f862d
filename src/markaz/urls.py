from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from markaz.api import api

urlpatterns = [
    path("", include("markaz.intake.urls")),
    path("accounts/", include("markaz.accounts.urls")),
    path("staff/cases/", include("markaz.cases.urls")),
    path("staff/intel/", include("markaz.intel.urls")),
    path("staff/audit/", include("markaz.audit.urls")),
    path("staff/evidence/", include("markaz.evidence.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    # The admin's own login would skip the audited one (markaz.accounts.views.LoginView).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
]
