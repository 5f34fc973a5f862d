"""Reads on cases. Each takes the user and returns only what that user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from markaz.accounts.roles import Role
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.articles import Article, article
from markaz.cases.choices import (
    ACTIVE_STATUSES,
    OPEN_TASK_STATUSES,
    CasePriority,
    CaseStatus,
)
from markaz.cases.models import Case, CaseCampaign, CaseEvent, CaseMember, Note, Task
from markaz.cases.report_access import reports_visible_to
from markaz.cases.rules import Viewer, cases_visible_to
from markaz.intake.models import Report

__all__ = ["cases_visible_to"]


@dataclass
class CaseFilters:
    status: str = ""
    priority: str = ""
    lead: str = ""
    text: str = ""


def case_list(*, user: Viewer, filters: CaseFilters) -> QuerySet[Case]:
    """The case list: only cases the user may see, filtered, with counts in the same query."""
    cases = cases_visible_to(user=user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.lead:
        cases = cases.filter(lead__username=filters.lead)
    if filters.text.strip():
        text = filters.text.strip()
        cases = cases.filter(Q(number__icontains=text) | Q(title__icontains=text))
    return (
        cases.select_related("lead", "supervisor")
        .annotate(
            report_count=Count("report_links", distinct=True),
            open_task_count=Count(
                "tasks", filter=Q(tasks__status__in=OPEN_TASK_STATUSES), distinct=True
            ),
        )
        .order_by("-opened_at", "-id")
    )


def case_get_for_user(*, user: Viewer, number: str) -> Case:
    """Fetch a case the user may see and record the view; the same 404 for missing and forbidden."""
    case = (
        cases_visible_to(user=user)
        .select_related("lead", "supervisor", "opened_by")
        .filter(number=number.strip().upper())
        .first()
    )
    if case is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.CASE_VIEWED, target=case)
    return case


def case_reports(*, case: Case, user: Viewer) -> list[Report]:
    """The case's reports, through intake's one rule on who sees reports."""
    return list(
        reports_visible_to(user=user)
        .filter(case_link__case=case)
        .select_related("case_link__linked_by")
        .order_by("case_link__linked_at", "id")
    )


def case_campaigns(*, case: Case) -> list[CaseCampaign]:
    """The campaigns linked to the case. Campaigns carry no victim details: anyone who
    sees the case sees them."""
    return list(case.campaign_links.select_related("campaign", "linked_by"))


def case_members(*, case: Case) -> list[CaseMember]:
    return list(case.members.select_related("user", "added_by"))


def case_member_users(*, case: Case) -> QuerySet[User]:
    """The members as users (the choices for a task's assignee)."""
    return User.objects.filter(case_memberships__case=case).order_by("username")


def case_tasks(*, case: Case) -> list[Task]:
    return list(case.tasks.select_related("assignee"))


def case_notes(*, case: Case) -> list[Note]:
    return list(case.notes.select_related("author"))


def case_timeline(*, case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor"))


def case_articles(*, case: Case) -> list[Article]:
    found = [article(code) for code in case.legal_articles]
    return [a for a in found if a is not None]


def linkable_reports(*, user: Viewer, references: list[str]) -> list[Report]:
    """Reports the user sees that are not yet in a case, by reference."""
    wanted = {ref.strip().upper() for ref in references if ref.strip()}
    return list(
        reports_visible_to(user=user)
        .filter(reference__in=wanted, case_link__isnull=True)
        .order_by("submitted_at", "id")
    )


def campaign_eligible_reports(*, user: Viewer, campaign_id: int) -> list[Report]:
    """The campaign's reports the user sees that are in no case: what opening a case from
    the campaign, or linking it, would bring in."""
    return list(
        reports_visible_to(user=user)
        .filter(campaign_membership__campaign_id=campaign_id, case_link__isnull=True)
        .order_by("submitted_at", "id")
    )


def campaign_reports_outside(*, case: Case, campaign_id: int) -> int:
    """How many of the campaign's reports are not in this case (a count: no details)."""
    return (
        Report.objects.filter(campaign_membership__campaign_id=campaign_id)
        .exclude(case_link__case=case)
        .count()
    )


def case_candidates() -> QuerySet[User]:
    """Staff who could be given work on the case (for the assign and member forms)."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Role.INVESTIGATOR, Role.ANALYST, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("username")
    )


# --- dashboard ---------------------------------------------------------------------------


@dataclass
class Workload:
    username: str
    cases_led: int = 0
    cases_member: int = 0
    open_tasks: int = 0
    overdue_tasks: int = 0


@dataclass
class Dashboard:
    by_status: dict[str, int]
    by_priority: dict[str, int]
    workload: list[Workload]
    overdue_tasks: list[Task]
    overdue_cases: list[Case]
    idle_cases: list[Case]
    idle_days: int
    total: int = 0

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_status[s.value]) for s in CaseStatus]

    @property
    def priority_rows(self) -> list[tuple[str, str, int]]:
        return [(p.value, str(p.label), self.by_priority[p.value]) for p in CasePriority]


def dashboard(*, user: Viewer) -> Dashboard:
    """The supervisor's view over the cases they may see: a fixed number of queries."""
    cases = cases_visible_to(user=user)
    today: date = timezone.localdate()
    idle_days = settings.MARKAZ_CASE_IDLE_DAYS
    idle_since = timezone.now() - timedelta(days=idle_days)
    by_status = _count_by_status(cases)
    active = cases.filter(status__in=ACTIVE_STATUSES)
    return Dashboard(
        by_status=by_status,
        by_priority=_count_by_priority(active),
        workload=_workload(cases, today=today),
        overdue_tasks=list(
            Task.objects.filter(
                case_id__in=cases.values("id"), status__in=OPEN_TASK_STATUSES, due_date__lt=today
            )
            .select_related("case", "assignee")
            .order_by("due_date", "id")[:100]
        ),
        overdue_cases=list(
            active.filter(due_date__lt=today)
            .select_related("lead")
            .order_by("due_date", "id")[:100]
        ),
        idle_cases=list(
            active.filter(last_activity_at__lt=idle_since)
            .select_related("lead")
            .order_by("last_activity_at", "id")[:100]
        ),
        idle_days=idle_days,
        total=sum(by_status.values()),
    )


def _count_by_status(cases: QuerySet[Case]) -> dict[str, int]:
    by_status = {s.value: 0 for s in CaseStatus}
    for row in cases.values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    return by_status


def _count_by_priority(active: QuerySet[Case]) -> dict[str, int]:
    """Priority of the cases still being worked: what is waiting, not what is done."""
    by_priority = {p.value: 0 for p in CasePriority}
    for row in active.values("priority").annotate(n=Count("id")):
        by_priority[row["priority"]] = row["n"]
    return by_priority


def _workload(cases: QuerySet[Case], *, today: date) -> list[Workload]:
    """Per member of staff: the active cases they lead or work on, and their open and
    overdue tasks (two grouped queries); the busiest first."""
    workload: dict[str, Workload] = {}
    memberships = (
        CaseMember.objects.filter(case_id__in=cases.filter(status__in=ACTIVE_STATUSES).values("id"))
        .values("user__username", "role")
        .annotate(n=Count("id"))
    )
    for member in memberships:
        load = workload.setdefault(member["user__username"], Workload(member["user__username"]))
        if member["role"] == "lead":
            load.cases_led += member["n"]
        else:
            load.cases_member += member["n"]
    open_tasks = Task.objects.filter(
        case_id__in=cases.values("id"), status__in=OPEN_TASK_STATUSES, assignee__isnull=False
    )
    for tasks in open_tasks.values("assignee__username").annotate(
        n=Count("id"), late=Count("id", filter=Q(due_date__lt=today))
    ):
        load = workload.setdefault(
            tasks["assignee__username"], Workload(tasks["assignee__username"])
        )
        load.open_tasks += tasks["n"]
        load.overdue_tasks += tasks["late"]
    return sorted(workload.values(), key=lambda w: (-(w.cases_led + w.cases_member), w.username))
