"""Failed staff logins are limited per address and per user name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from markaz.accounts.models import RateCounter
from markaz.accounts.ratelimit import rate_limit_count
from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.web.accounts import views
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

THROTTLED = "Too many failed logins. Please try again in 15 minutes."


def login(client, username: str, password: str, ip: str = "10.0.0.1"):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert login(client, username, "wrong", ip=ip).status_code == 200


def test_login_is_refused_after_too_many_failures_for_a_user_name(client, intake_officer):
    fail(client, "intake_officer", views.LOGIN_FAILURE_LIMIT)
    response = login(client, "intake_officer", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_refused_after_too_many_failures_from_an_address(client, intake_officer):
    for number in range(views.LOGIN_FAILURE_LIMIT):
        login(client, f"guess{number}", "wrong", ip="10.0.0.7")
    assert login(client, "intake_officer", PASSWORD, ip="10.0.0.7").status_code == 429


def test_failures_under_the_limit_still_allow_a_login(client, intake_officer):
    fail(client, "intake_officer", views.LOGIN_FAILURE_LIMIT - 1)
    assert login(client, "intake_officer", PASSWORD).status_code == 302


def test_user_name_limit_ignores_case_and_spaces(client, intake_officer):
    fail(client, "Intake_Officer ", views.LOGIN_FAILURE_LIMIT)
    assert login(client, "intake_officer", PASSWORD, ip="10.9.9.9").status_code == 429


def test_a_success_does_not_reset_another_users_count(client, intake_officer, investigator):
    fail(client, "intake_officer", views.LOGIN_FAILURE_LIMIT - 1, ip="10.0.0.2")
    assert login(client, "investigator", PASSWORD, ip="10.0.0.3").status_code == 302
    client.logout()
    fail(client, "intake_officer", 1, ip="10.0.0.4")
    assert login(client, "intake_officer", PASSWORD, ip="10.0.0.5").status_code == 429


def test_refused_login_is_audited_as_throttled(client, intake_officer):
    fail(client, "intake_officer", views.LOGIN_FAILURE_LIMIT)
    login(client, "intake_officer", PASSWORD, ip="10.9.9.9")
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("id")
    assert event.extra == {"username": "intake_officer", "throttled": True}
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_failures_are_forgotten_in_the_next_window(client, intake_officer, monkeypatch):
    fail(client, "intake_officer", views.LOGIN_FAILURE_LIMIT)
    later = timezone.now() + timedelta(seconds=views.LOGIN_FAILURE_WINDOW_SECONDS)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert login(client, "intake_officer", PASSWORD).status_code == 302


def test_throttle_message_is_translated(client, intake_officer):
    fail(client, "intake_officer", views.LOGIN_FAILURE_LIMIT)
    for language in ("tg", "ru"):
        client.cookies["django_language"] = language
        response = client.post(
            reverse("accounts:login"), {"username": "intake_officer", "password": PASSWORD}
        )
        assert response.status_code == 429
        assert "Too many failed logins" not in response.content.decode()


def test_rate_counter_counts_every_attempt():
    counts = [rate_limit_count(scope="test", key="10.0.0.1") for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    assert RateCounter.objects.get().count == 5


def test_rate_counter_keeps_keys_hashed():
    rate_limit_count(scope="test", key="10.0.0.1")
    assert "10.0.0.1" not in str(RateCounter.objects.values_list())
