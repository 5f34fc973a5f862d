"""Partners send a report's files after the report, under the public form's rules."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.intake.models import Attachment
from tests.intake.test_api import bearer, submit
from tests.intake.test_public_form import PDF_BYTES, png_bytes, stored_files

pytestmark = pytest.mark.django_db


def attach(client: Client, token: str, reference: str, *files: tuple[str, bytes]):
    return client.post(
        f"/api/v1/reports/{reference}/attachments",
        {"files": [SimpleUploadedFile(name, content) for name, content in files]},
        **bearer(token),
    )


@pytest.fixture
def reference(client, partner_token) -> str:
    response = submit(client, partner_token)
    assert response.status_code == 201
    return response.json()["reference"]


def test_partner_attaches_an_image_and_a_pdf_to_its_report(client, partner_token, reference):
    response = attach(
        client, partner_token, reference, ("screen.png", png_bytes()), ("bank.pdf", PDF_BYTES)
    )
    assert response.status_code == 201
    body = response.json()
    assert [item["content_type"] for item in body] == ["image/png", "application/pdf"]
    assert body[1]["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert Attachment.objects.filter(report__reference=reference).count() == 2
    assert {path.read_bytes() for path in stored_files()} == {png_bytes(), PDF_BYTES}
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_ATTACHMENTS_ADDED).count() == 1


def test_file_that_is_not_an_image_or_pdf_answers_422_and_stores_nothing(
    client, partner_token, reference
):
    response = attach(client, partner_token, reference, ("photo.png", b"MZ\x90\x00 not a png"))
    assert response.status_code == 422
    assert "files" in response.json()["detail"]
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_attachment_cap_counts_files_already_stored(client, partner_token, reference, settings):
    settings.MARKAZ_MAX_ATTACHMENTS = 2
    assert attach(client, partner_token, reference, ("a.png", png_bytes())).status_code == 201
    response = attach(
        client, partner_token, reference, ("b.png", png_bytes()), ("c.png", png_bytes())
    )
    assert response.status_code == 422
    assert Attachment.objects.count() == 1


def test_partner_cannot_attach_to_another_partners_report(client, partner_token, make_user):
    from markaz.accounts.roles import Role
    from markaz.accounts.services import api_token_create

    other = make_user(Role.PARTNER, username="other-bank")
    other_token = api_token_create(user=other, name="other", actor=None)
    reference = submit(client, other_token).json()["reference"]
    response = attach(client, partner_token, reference, ("a.png", png_bytes()))
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_attaching_without_a_token_answers_401(client, reference):
    response = client.post(
        f"/api/v1/reports/{reference}/attachments",
        {"files": [SimpleUploadedFile("a.png", png_bytes())]},
    )
    assert response.status_code == 401
