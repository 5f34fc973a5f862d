"""Fixtures for evidence: a case with a lead investigator, its own evidence store per test."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from markaz.accounts.roles import Role
from markaz.cases.services import case_assign, case_open
from markaz.evidence.models import EvidenceItem
from markaz.intake.services import IncomingAttachment
from tests.factories import report_submitted


@pytest.fixture(autouse=True)
def _evidence_in_tmp(settings, tmp_path: Path) -> None:
    settings.MARKAZ_EVIDENCE_DIR = tmp_path / "evidence"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def lead(make_user):
    return make_user(Role.INVESTIGATOR, username="lead-investigator")


@pytest.fixture
def case_report(db):
    return report_submitted(
        attachments=[IncomingAttachment(name="chat.png", stream=io.BytesIO(png_bytes()))]
    )


@pytest.fixture
def case(supervisor, lead, case_report):
    opened = case_open(reports=[case_report], title="Somon shop on Telegram", actor=supervisor)
    return case_assign(case=opened, investigator=lead, actor=supervisor)


def upload(client, case, data: bytes, name: str = "image.dd", **fields: str):
    return client.post(
        reverse("evidence:upload", args=[case.number]),
        {
            "description": fields.pop("description", "Disk image of the seized laptop"),
            "location": fields.pop("location", "Evidence room 2"),
            "purpose": fields.pop("purpose", "Acquisition"),
            "authority": fields.pop("authority", "Order 12/2026"),
            "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
            **fields,
        },
    )


@pytest.fixture
def uploaded(client, case, lead):
    """An item added through the upload page by the lead; returns (item, bytes)."""
    data = b"MBR\x55\xaa" + bytes(range(256)) * 9000
    client.force_login(lead)
    response = upload(client, case, data)
    assert response.status_code == 302, response
    client.logout()
    return EvidenceItem.objects.get(case=case), data
