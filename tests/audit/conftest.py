from __future__ import annotations

from pathlib import Path

import pytest

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.audit.services import audit_record


@pytest.fixture(autouse=True)
def _audit_keys_in_tmp(settings, tmp_path: Path) -> None:
    """Each test signs with its own Ed25519 key; no key leaks between tests."""
    settings.MARKAZ_KEY_DIR = tmp_path / "keys"


@pytest.fixture
def events(db, administrator) -> list[AuditEvent]:
    """Ten events of different kinds, written through the service."""
    made = AuditEvent.objects.count()
    for i in range(10):
        audit_record(
            actor=administrator if i % 2 else None,
            action=AuditAction.LOGIN_FAILED if i % 3 else AuditAction.LOGIN,
            purpose="проверка" if i == 4 else "",
            extra={"n": i, "nested": {"b": [1, "два"], "a": None}},
        )
    return list(AuditEvent.objects.order_by("id")[made:])
