"""Pages: open a case from the inbox, act on it, the dashboard's numbers, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from markaz.accounts.roles import Role
from markaz.cases.choices import CasePriority, CaseStatus, MemberRole, TaskStatus
from markaz.cases.models import Case
from markaz.cases.selectors import dashboard
from markaz.cases.services import case_add_member, case_assign, case_move, case_open, task_create
from markaz.intake.choices import ReportStatus
from tests.factories import report_submitted

pytestmark = pytest.mark.django_db


def test_supervisor_opens_a_case_from_reports_chosen_in_the_inbox(client_as, supervisor):
    first, second = report_submitted(), report_submitted()
    client = client_as(supervisor)
    inbox = client.get(reverse("intake:inbox")).content.decode()
    assert 'form="open-case-form"' in inbox
    form = client.get(reverse("cases:case_open"), {"reports": [first.reference, second.reference]})
    assert first.reference in form.content.decode()
    response = client.post(
        reverse("cases:case_open"),
        {
            "reports": [first.reference, second.reference],
            "title": "Fake marketplace",
            "priority": CasePriority.HIGH,
            "articles": ["247"],
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case_detail", args=[case.number])
    assert case.priority == CasePriority.HIGH
    assert case.legal_articles == ["247"]
    first.refresh_from_db()
    assert first.status == ReportStatus.LINKED_TO_CASE


def test_investigators_cannot_open_cases(client_as, investigator):
    report = report_submitted()
    response = client_as(investigator).post(
        reverse("cases:case_open"), {"reports": [report.reference], "title": "x"}
    )
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_report_page_offers_opening_a_case_to_supervisors_only(client, supervisor, intake_officer):
    report = report_submitted()
    url = reverse("intake:report_detail", args=[report.reference])
    client.force_login(supervisor)
    assert "open-case-form" in client.get(url).content.decode()
    client.force_login(intake_officer)
    assert "open-case-form" not in client.get(url).content.decode()


def test_lead_moves_the_case_and_adds_a_task_and_note_through_the_page(client_as, case, lead):
    client = client_as(lead)
    action = lambda name: reverse("cases:case_action", args=[case.number, name])  # noqa: E731
    client.post(action("move"), {"status": CaseStatus.INVESTIGATING, "reason": "evidence in"})
    client.post(action("task"), {"title": "Request bank records", "assignee": "lead-investigator"})
    client.post(action("note"), {"text": "Seller *Somon* uses two cards."})
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    page = client.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert "Request bank records" in page
    assert "<em>Somon</em>" in page


def test_refused_move_shows_the_message(client_as, case, lead):
    client = client_as(lead)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("cases:case_action", args=[case.number, "move"]),
        {"status": CaseStatus.OPENED, "reason": "back"},
        follow=True,
    )
    assert "cannot move from" in response.content.decode()


def test_nav_links_follow_the_role(client, supervisor, investigator, intake_officer):
    client.force_login(supervisor)
    page = client.get(reverse("intake:inbox")).content.decode()
    assert reverse("cases:case_list") in page and reverse("cases:dashboard") in page
    client.force_login(investigator)
    page = client.get(reverse("intake:inbox")).content.decode()
    assert reverse("cases:case_list") in page and reverse("cases:dashboard") not in page
    client.force_login(intake_officer)
    page = client.get(reverse("intake:inbox")).content.decode()
    assert reverse("cases:case_list") not in page


def test_dashboard_is_for_supervisors_and_administrators(client, investigator, supervisor):
    client.force_login(investigator)
    assert client.get(reverse("cases:dashboard")).status_code == 404
    client.force_login(supervisor)
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_dashboard_numbers(supervisor, make_user, settings):
    settings.MARKAZ_CASE_IDLE_DAYS = 10
    alisher = make_user(Role.INVESTIGATOR, username="alisher")
    nodira = make_user(Role.INVESTIGATOR, username="nodira")
    today = timezone.localdate()

    urgent = case_open(
        reports=[report_submitted()],
        title="urgent",
        priority=CasePriority.URGENT,
        due_date=today - timedelta(days=1),
        actor=supervisor,
    )
    case_assign(case=urgent, investigator=alisher, actor=supervisor)
    case_add_member(case=urgent, user=nodira, role=MemberRole.INVESTIGATOR, actor=supervisor)
    task_create(
        case=urgent,
        title="late",
        assignee=nodira,
        due_date=today - timedelta(days=2),
        actor=alisher,
    )
    task_create(case=urgent, title="fine", assignee=nodira, due_date=today, actor=alisher)

    second = case_open(reports=[report_submitted()], title="second", actor=supervisor)
    case_assign(case=second, investigator=alisher, actor=supervisor)
    case_move(case=second, status=CaseStatus.INVESTIGATING, reason="go", actor=alisher)

    closed = case_open(reports=[report_submitted()], title="closed", actor=supervisor)
    case_move(case=closed, status=CaseStatus.CLOSED, reason="no crime", actor=supervisor)

    idle = case_open(reports=[report_submitted()], title="idle", actor=supervisor)
    Case.objects.filter(pk=idle.pk).update(last_activity_at=timezone.now() - timedelta(days=11))

    # Not supervised by this supervisor: not counted.
    case_open(
        reports=[report_submitted()], title="elsewhere", actor=make_user(Role.SUPERVISOR, "s2")
    )

    board = dashboard(user=supervisor)
    assert board.total == 4
    assert board.by_status[CaseStatus.ASSIGNED] == 1
    assert board.by_status[CaseStatus.INVESTIGATING] == 1
    assert board.by_status[CaseStatus.CLOSED] == 1
    assert board.by_status[CaseStatus.OPENED] == 1
    assert board.by_priority == {"low": 0, "normal": 2, "high": 0, "urgent": 1}
    loads = {w.username: w for w in board.workload}
    assert (loads["alisher"].cases_led, loads["alisher"].cases_member) == (2, 0)
    assert (loads["nodira"].cases_member, loads["nodira"].open_tasks) == (1, 2)
    assert loads["nodira"].overdue_tasks == 1
    assert [t.title for t in board.overdue_tasks] == ["late"]
    assert [c.number for c in board.overdue_cases] == [urgent.number]
    assert [c.number for c in board.idle_cases] == [idle.number]


def test_dashboard_page_shows_the_numbers(client_as, case, lead):
    task_create(
        case=case,
        title="Overdue bank request",
        assignee=lead,
        due_date=timezone.localdate() - timedelta(days=3),
        actor=lead,
    )
    page = client_as(case.supervisor).get(reverse("cases:dashboard")).content.decode()
    assert "Overdue bank request" in page
    assert 'data-user="lead-investigator"' in page


def _many_cases(supervisor, lead, count: int) -> None:
    for n in range(count):
        case = case_open(reports=[report_submitted()], title=f"case {n}", actor=supervisor)
        case_assign(case=case, investigator=lead, actor=supervisor)
        task_create(case=case, title="t", assignee=lead, actor=lead)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_case_list_queries_do_not_grow_with_cases(client_as, supervisor, lead):
    client = client_as(lead)
    _many_cases(supervisor, lead, 2)
    few = _queries(client, reverse("cases:case_list"))
    _many_cases(supervisor, lead, 8)
    assert _queries(client, reverse("cases:case_list")) == few
    assert few <= 8


def test_dashboard_queries_do_not_grow_with_cases(client_as, supervisor, lead):
    client = client_as(supervisor)
    _many_cases(supervisor, lead, 2)
    few = _queries(client, reverse("cases:dashboard"))
    _many_cases(supervisor, lead, 8)
    assert _queries(client, reverse("cases:dashboard")) == few
    assert few <= 13  # 12 for the dashboard, 1 for the navigation's unread notifications


def test_api_case_list_queries_do_not_grow_with_cases(client, supervisor, lead):
    from markaz.accounts.services import api_token_create

    token = api_token_create(user=lead, name="t", actor=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    _many_cases(supervisor, lead, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases", **auth)
    _many_cases(supervisor, lead, 8)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/cases", **auth)
    assert len(many) == len(few)


def test_task_status_changes_through_the_page(client_as, case, lead):
    task = task_create(case=case, title="t", actor=lead)
    client_as(lead).post(
        reverse("cases:case_action", args=[case.number, "task_update"]),
        {"task": task.pk, "status": TaskStatus.DONE},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
