from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse

from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record


class LoginView(auth_views.LoginView):
    """Django's login, with every success and failure written to the audit log."""

    template_name = "accounts/login.html"

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(actor=form.get_user(), action=AuditAction.LOGIN)
        return response

    def form_invalid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        # The typed user name is kept (truncated) so that password guessing shows up;
        # the password never is.
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            extra={"username": str(form.data.get("username", ""))[:150]},
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.LOGOUT)
        return super().post(request, *args, **kwargs)
