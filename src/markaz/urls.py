from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from markaz.web.api import api

urlpatterns = [
    path("", include("markaz.web.intake.urls")),
    path("accounts/", include("markaz.web.accounts.urls")),
    path("staff/cases/", include("markaz.web.cases.urls")),
    path("staff/intel/", include("markaz.web.intel.urls")),
    path("staff/audit/", include("markaz.web.audit.urls")),
    path("staff/evidence/", include("markaz.web.evidence.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    # The admin's own login would skip the audited one (markaz.web.accounts.views.LoginView).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
]
