"""A report taken by staff is stored whole or the officer is told it was not."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from markaz.intake.models import Attachment, Report, SuspectIdentifier
from tests.intake.test_public_form import png_bytes, stored_files
from tests.intake.test_staff import officer, staff_form

pytestmark = pytest.mark.django_db

__all__ = ["officer"]  # the fixture

NOT_STORED = "The report could not be stored because of a technical problem."


def test_database_failure_on_a_staff_report_answers_503_and_leaves_nothing(officer, monkeypatch):
    from markaz.intake import services

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    # The audit events are written after the reports, their identifiers, status rows and
    # attachments.
    monkeypatch.setattr(services, "audit_record_many", broken_audit)
    data = staff_form(attachments=SimpleUploadedFile("s.png", png_bytes(), "image/png"))
    response = officer.post(reverse("intake:staff_report_new"), data)
    assert response.status_code == 503
    html = response.content.decode()
    assert NOT_STORED in html
    assert "предоплату 300 сомони" in html
    assert Report.objects.count() == 0
    assert SuspectIdentifier.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files() == []
