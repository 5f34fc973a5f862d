from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from markaz.accounts.ratelimit import rate_limit_count, rate_limit_reached
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.web.middleware import client_ip

# After this many failed logins in the window, from one address or for one user name,
# further attempts are refused without checking the password. A success resets nothing:
# a guesser who owns one account cannot use it to clear another's count.
LOGIN_FAILURE_LIMIT = 10
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60


def _username_key(username: str) -> str:
    return username.strip().casefold()[:150]


def _login_throttled(request: HttpRequest, username: str) -> bool:
    checks = (("login_failures_ip", client_ip(request)), ("login_failures_user", username))
    return any(
        rate_limit_reached(
            scope=scope,
            key=key,
            limit=LOGIN_FAILURE_LIMIT,
            window_seconds=LOGIN_FAILURE_WINDOW_SECONDS,
        )
        for scope, key in checks
    )


class LoginView(auth_views.LoginView):
    """Django's login, with every success and failure written to the audit log."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        if _login_throttled(request, _username_key(username)):
            audit_record(
                actor=None,
                action=AuditAction.LOGIN_FAILED,
                extra={"username": username, "throttled": True},
            )
            form = self.get_form_class()(request, initial={"username": username})
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    throttled=True,
                    throttle_minutes=LOGIN_FAILURE_WINDOW_SECONDS // 60,
                ),
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(actor=form.get_user(), action=AuditAction.LOGIN)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # The typed user name is kept (truncated) so that password guessing shows up;
        # the password never is.
        username = str(form.data.get("username", ""))[:150]
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, extra={"username": username})
        for scope, key in (
            ("login_failures_ip", client_ip(self.request)),
            ("login_failures_user", _username_key(username)),
        ):
            rate_limit_count(scope=scope, key=key, window_seconds=LOGIN_FAILURE_WINDOW_SECONDS)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.LOGOUT)
        return super().post(request, *args, **kwargs)
