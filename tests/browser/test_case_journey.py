"""An investigation in the browser: a supervisor opens a case from two reports and assigns it;
the investigator adds a task and a note and starts investigating; a colleague outside the
case gets the same "not found" as for a case that does not exist."""

from __future__ import annotations

import re

import pytest

from markaz.accounts.roles import Role
from markaz.accounts.services import user_create
from markaz.cases.choices import CaseStatus
from markaz.cases.models import Case
from tests.browser.helpers import PASSWORD, log_in
from tests.factories import report_submitted

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    page.context.clear_cookies()


def test_supervisor_opens_assigns_and_investigator_works_the_case(page) -> None:
    for username, role in (
        ("rustam", Role.SUPERVISOR),
        ("farrukh", Role.INVESTIGATOR),
        ("zarina", Role.INVESTIGATOR),
    ):
        user_create(username=username, password=PASSWORD, roles=[role], actor=None)
    first = report_submitted(victim_name="Манижа Раҳимова")
    second = report_submitted(victim_name="Фарҳод Каримов")
    report_submitted()  # a third report that stays in the inbox

    # The supervisor picks two reports in the inbox and opens a case from them.
    log_in(page, "rustam")
    page.check(f"input[name=reports][value='{first.reference}']")
    page.check(f"input[name=reports][value='{second.reference}']")
    page.click("button[form=open-case-form]")
    page.wait_for_url(re.compile(r"/staff/cases/open/"))
    assert page.locator("#case-open-reports tbody tr").count() == 2
    page.fill("#id_title", "Somon shop on Telegram")
    page.click("#case-open-form button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/cases/CASE-\d{4}-\d{4}/$"))
    case_url = page.url
    number = case_url.rstrip("/").rsplit("/", 1)[-1]
    assert page.locator("#case-reports tbody tr").count() == 2

    # ... and assigns the investigator.
    page.select_option("#id_assign_investigator", "farrukh")
    page.click("#case-assign-form button[type=submit]")
    page.locator("#case-lead", has_text="farrukh").wait_for()
    log_out(page)

    # The investigator adds a task and a note and moves the case to "investigating".
    log_in(page, "farrukh")
    page.goto(case_url)
    page.fill("#id_task_title", "Ask the bank who holds the card")
    page.select_option("#id_task_assignee", "farrukh")
    page.click("#case-task-form button[type=submit]")
    page.locator("#case-tasks", has_text="Ask the bank who holds the card").wait_for()

    page.fill("#id_note_text", "Both victims paid the **same** card. <script>alert(1)</script>")
    page.click("#case-note-form button[type=submit]")
    page.locator("#case-notes strong", has_text="same").wait_for()

    page.select_option("#id_move_status", CaseStatus.INVESTIGATING.value)
    page.fill("#id_move_reason", "Two victims, one card: enough to start.")
    page.click("#case-move-form button[type=submit]")
    page.locator("#case-timeline", has_text="Two victims, one card").wait_for()
    assert Case.objects.get(number=number).status == CaseStatus.INVESTIGATING
    log_out(page)

    # A second investigator, not on the case, cannot open it: the same 404 as a missing case.
    log_in(page, "zarina")
    response = page.goto(case_url)
    assert response.status == 404
    assert page.goto("/staff/cases/CASE-1999-0001/").status == 404
    page.goto("/staff/cases/")
    assert number not in page.content()
    response = page.goto(f"/staff/reports/{first.reference}/")
    assert response.status == 404
