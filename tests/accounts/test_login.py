"""Staff login and logout, password hashing, role groups, the `createuser` command."""

from __future__ import annotations

import getpass
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from markaz.accounts.models import ApiToken
from markaz.accounts.roles import Role
from markaz.accounts.selectors import api_token_user
from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pamir-highway-4655m!"


def login(client, username: str, password: str, next: str = "", **headers: str):
    data = {"username": username, "password": password}
    if next:
        data["next"] = next
    return client.post(reverse("accounts:login"), data, **headers)


def test_login_success_redirects_to_the_inbox(client, intake_officer):
    response = login(client, "intake_officer", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("intake:inbox")
    assert client.get(reverse("intake:inbox")).status_code == 200


def test_login_success_is_audited(client, intake_officer):
    login(client, "intake_officer", PASSWORD, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == intake_officer
    assert event.source == "10.1.2.3"


def test_login_failure_is_audited_without_the_password(client, intake_officer):
    response = login(client, "intake_officer", "wrong-" + PASSWORD)
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.extra == {"username": "intake_officer"}
    stored = str(AuditEvent.objects.values_list("extra", "target_label", "purpose"))
    assert PASSWORD not in stored
    assert "wrong-" not in stored
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_login_failure_for_an_unknown_user_is_audited(client):
    login(client, "ghost", "whatever-password")
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).extra == {"username": "ghost"}


def test_login_failure_keeps_the_person_logged_out(client, intake_officer):
    login(client, "intake_officer", "wrong")
    response = client.get(reverse("intake:inbox"))
    assert response.status_code == 302


def test_login_follows_a_safe_next(client, intake_officer):
    response = login(client, "intake_officer", PASSWORD, next="/staff/reports/new/")
    assert response.url == "/staff/reports/new/"


def test_login_ignores_a_next_on_another_site(client, intake_officer):
    response = login(client, "intake_officer", PASSWORD, next="https://evil.example/")
    assert response.url == reverse("intake:inbox")


def test_logout_ends_the_session_and_is_audited(client, intake_officer):
    client.force_login(intake_officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert AuditEvent.objects.get(action=AuditAction.LOGOUT).actor == intake_officer
    assert client.get(reverse("intake:inbox")).status_code == 302


def test_logout_by_get_is_refused(client, intake_officer):
    client.force_login(intake_officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("intake:inbox")).status_code == 200


def test_admin_login_goes_through_the_audited_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code in (301, 302)
    assert response.url.startswith(reverse("accounts:login"))


def test_passwords_are_hashed_with_argon2(intake_officer):
    assert intake_officer.password.startswith("argon2$")
    assert identify_hasher(intake_officer.password).algorithm == "argon2"
    assert PASSWORD not in intake_officer.password


def test_argon2_is_the_first_hasher(settings):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("role", list(Role))
def test_role_group_exists_after_migrations(role):
    assert Group.objects.filter(name=role.value).exists()


# --- createuser -------------------------------------------------------------------------


def createuser(monkeypatch, *args: str, passwords: tuple[str, ...] = ()) -> str:
    answers = iter(passwords)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_createuser_creates_a_user_with_roles(monkeypatch):
    output = createuser(
        monkeypatch,
        "rustam",
        "--role",
        "intake_officer",
        "--role",
        "supervisor",
        "--name",
        "Rustam Nazarov",
        passwords=(NEW_PASSWORD, NEW_PASSWORD),
    )
    assert "Created rustam." in output
    user = get_user_model().objects.get(username="rustam")
    assert set(user.groups.values_list("name", flat=True)) == {"intake_officer", "supervisor"}
    assert (user.first_name, user.last_name) == ("Rustam", "Nazarov")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert "API token" not in output


def test_createuser_administrator_may_enter_the_admin(monkeypatch):
    createuser(monkeypatch, "admin2", "--role", "administrator", passwords=(NEW_PASSWORD,) * 2)
    assert get_user_model().objects.get(username="admin2").is_staff


def test_createuser_prints_a_working_token_once(monkeypatch):
    output = createuser(monkeypatch, "bank", "--role", "partner", "--no-password", "--token")
    token = output.split("API token (shown once): ", 1)[1].strip()
    user = api_token_user(token=token)
    assert user is not None and user.username == "bank"
    assert not user.has_usable_password()
    assert token not in str(list(ApiToken.objects.values()))


def test_createuser_refuses_different_passwords(monkeypatch):
    with pytest.raises(CommandError, match="differ"):
        createuser(monkeypatch, "x", "--role", "analyst", passwords=(NEW_PASSWORD, "other"))
    assert not get_user_model().objects.filter(username="x").exists()


def test_createuser_refuses_a_weak_password(monkeypatch):
    with pytest.raises(CommandError):
        createuser(monkeypatch, "x", "--role", "analyst", passwords=("12345", "12345"))
    assert not get_user_model().objects.filter(username="x").exists()


def test_createuser_is_audited(monkeypatch):
    createuser(monkeypatch, "nigora", "--role", "analyst", passwords=(NEW_PASSWORD,) * 2)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert AuditAction.USER_CREATED in actions
    assert AuditAction.ROLE_GRANTED in actions
