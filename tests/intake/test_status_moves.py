"""The status form moves reports along triage; only a case moves them into and out of one."""

from __future__ import annotations

import pytest

from markaz.intake.choices import ReportStatus
from markaz.intake.models import Report, StatusChange
from tests.factories import report_submitted
from tests.intake.test_staff import officer, page_messages, triage  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_status_form_cannot_link_a_report_to_a_case_without_a_case(officer):  # noqa: F811
    report = report_submitted()
    triage(officer, report, "status", status=ReportStatus.IN_TRIAGE.value)
    response = triage(officer, report, "status", status=ReportStatus.LINKED_TO_CASE.value)
    assert page_messages(response) == [
        "A report cannot move from “In triage” to “Linked to a case”."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_TRIAGE
    assert not StatusChange.objects.filter(
        report=report, to_status=ReportStatus.LINKED_TO_CASE
    ).exists()


def test_status_form_cannot_take_a_report_out_of_its_case(officer):  # noqa: F811
    report = report_submitted()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.LINKED_TO_CASE)
    response = triage(officer, report, "status", status=ReportStatus.IN_TRIAGE.value)
    assert page_messages(response) == [
        "A report cannot move from “Linked to a case” to “In triage”."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.LINKED_TO_CASE
