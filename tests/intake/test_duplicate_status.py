"""Marking a report as a duplicate is allowed only while it is still being triaged."""

from __future__ import annotations

import pytest

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.intake.choices import ReportStatus
from markaz.intake.models import Report
from tests.factories import report_submitted
from tests.intake.test_staff import officer, page_messages, triage

pytestmark = pytest.mark.django_db

__all__ = ["officer"]  # the fixture


def with_status(status: str) -> Report:
    report = report_submitted()
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    "status",
    [ReportStatus.RECEIVED, ReportStatus.IN_TRIAGE, ReportStatus.NEEDS_INFORMATION],
)
def test_report_in_triage_may_be_marked_duplicate(officer, status):
    original = report_submitted()
    copy = with_status(status)
    triage(officer, copy, "duplicate", original=original.reference)
    copy.refresh_from_db()
    assert copy.status == ReportStatus.DUPLICATE
    assert copy.duplicate_of == original


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (ReportStatus.CLOSED, "Closed"),
        (ReportStatus.LINKED_TO_CASE, "Linked to a case"),
        (ReportStatus.DUPLICATE, "Duplicate"),
    ],
)
def test_report_out_of_triage_cannot_be_marked_duplicate(officer, status, label):
    original = report_submitted()
    copy = with_status(status)
    response = triage(officer, copy, "duplicate", original=original.reference)
    assert f"A report that is “{label}” cannot be marked as a duplicate." in page_messages(response)
    copy.refresh_from_db()
    assert copy.status == status
    assert copy.duplicate_of is None
    assert not AuditEvent.objects.filter(action=AuditAction.REPORT_MARKED_DUPLICATE).exists()


def test_status_form_cannot_mark_a_duplicate_without_an_original(officer):
    report = report_submitted()
    response = triage(officer, report, "status", status="duplicate")
    assert "Use “Mark as duplicate” and give the original report." in page_messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
