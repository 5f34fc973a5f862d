"""The report page reads its messages, notes and their authors in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markaz.accounts.roles import Role
from markaz.intake.choices import ReportStatus
from markaz.intake.services import (
    report_add_note,
    report_mark_duplicate,
    report_message_victim,
    report_set_status,
)
from tests.factories import report_submitted
from tests.intake.test_staff import officer

pytestmark = pytest.mark.django_db

__all__ = ["officer"]  # the fixture


def test_report_page_queries_do_not_grow_with_messages_and_notes(
    officer, make_user, django_assert_max_num_queries
):
    report = report_submitted()
    original = report_submitted()
    url = reverse("intake:report_detail", args=[report.reference])
    author = make_user(Role.INTAKE_OFFICER, username="first")
    report_message_victim(report=report, text="Please send the receipt.", actor=author)
    report_add_note(report=report, text="Called back.", actor=author)
    report_set_status(report=report, status=ReportStatus.IN_TRIAGE, reason="", actor=author)
    officer.get(url)  # warm the session
    with django_assert_max_num_queries(40) as few:
        officer.get(url)
    for number in range(5):
        author = make_user(Role.INTAKE_OFFICER, username=f"officer{number}")
        report_message_victim(report=report, text=f"Message {number}", actor=author)
        report_add_note(report=report, text=f"Note {number}", actor=author)
    report_mark_duplicate(report=report, original=original, actor=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer.get(url)
    html = response.content.decode()
    assert "officer4" in html and "Note 4" in html and original.reference in html
