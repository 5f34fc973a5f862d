"""Fixtures shared by the whole suite: users per role, partner tokens, reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from markaz.accounts.roles import Role
from markaz.accounts.services import api_token_create, user_create
from tests.factories import report_submitted

PASSWORD = "Kh0rog-river-2026!"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path: Path) -> None:
    """Each test stores files in its own folder; nothing leaks between tests."""
    settings.MARKAZ_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch) -> None:
    """Still Argon2, but with a few KiB instead of 100 MiB per hash: the suite makes many users."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 8)
    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)


@pytest.fixture
def make_user(db) -> Callable[..., AbstractUser]:
    def make(role: Role | None, username: str | None = None) -> AbstractUser:
        name = username or (role.value if role else "nobody")
        return user_create(
            username=name, password=PASSWORD, roles=[role] if role else [], actor=None
        )

    return make


@pytest.fixture
def intake_officer(make_user) -> AbstractUser:
    return make_user(Role.INTAKE_OFFICER)


@pytest.fixture
def investigator(make_user) -> AbstractUser:
    return make_user(Role.INVESTIGATOR)


@pytest.fixture
def analyst(make_user) -> AbstractUser:
    return make_user(Role.ANALYST)


@pytest.fixture
def supervisor(make_user) -> AbstractUser:
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def administrator(make_user) -> AbstractUser:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def partner(make_user) -> AbstractUser:
    return make_user(Role.PARTNER, username="bank-partner")


@pytest.fixture
def partner_token(partner) -> str:
    return api_token_create(user=partner, name="test", actor=None)


@pytest.fixture
def client_as(client: Client) -> Callable[[AbstractUser], Client]:
    def login(user: AbstractUser) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def report(db):
    return report_submitted()
