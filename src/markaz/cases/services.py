"""Writes on cases. Keyword-only, typed, one transaction each, audited, and on the timeline.

Authorisation (who may call what on which case) is decided by the caller through
`markaz.cases.rules`; services check the facts of the domain (allowed status moves,
members are staff, a report is in one case at most).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Final, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from markaz.accounts.roles import Permission
from markaz.accounts.rules import is_staff_member, user_has_permission
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.articles import article
from markaz.cases.choices import (
    CASE_STATUS_MOVES,
    CaseEventKind,
    CasePriority,
    CaseStatus,
    MemberRole,
    TaskStatus,
)
from markaz.cases.markdown import MAX_NOTE_CHARS
from markaz.cases.models import (
    Case,
    CaseCampaign,
    CaseEvent,
    CaseMember,
    CaseReport,
    Note,
    Task,
)
from markaz.cases.report_access import reports_visible_to
from markaz.core.numbering import counter_next
from markaz.intake.models import Report
from markaz.intake.services import report_mark_linked_to_case, report_unmark_linked_to_case
from markaz.intel.models import Campaign

CASE_NUMBER_PREFIX = "CASE"


class _Unchanged(Enum):
    """Marks an argument the caller did not pass (None is a meaningful value: "nobody")."""

    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED
Unchanged = Literal[_Unchanged.UNCHANGED]


def case_number_next(*, at: datetime) -> str:
    """CASE-2026-0042: the shared per-year counter under the CASE prefix."""
    year, number = counter_next(prefix=CASE_NUMBER_PREFIX, at=at)
    return f"{CASE_NUMBER_PREFIX}-{year}-{number:04d}"


def _event(*, case: Case, kind: CaseEventKind, actor: User | None, **data: object) -> CaseEvent:
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)
    case.last_activity_at = now
    return CaseEvent.objects.create(case=case, at=now, actor=actor, kind=kind, data=data)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for this change."))
    return reason


def _validate_articles(codes: Sequence[str]) -> list[str]:
    unknown = [code for code in codes if article(code) is None]
    if unknown:
        raise ValidationError(
            _("Unknown article of the criminal code: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    return list(dict.fromkeys(codes))


@transaction.atomic(durable=True)
def case_open(
    *,
    reports: Sequence[Report] = (),
    campaign: Campaign | None = None,
    title: str,
    actor: User,
    summary: str = "",
    priority: CasePriority = CasePriority.NORMAL,
    supervisor: User | None = None,
    due_date: date | None = None,
    articles: Sequence[str] = (),
) -> Case:
    """Open a case from one or more reports, or from a campaign; the opener supervises it
    unless told otherwise.

    From a campaign, the campaign is linked and with it its reports that the opener may
    see and that are in no case yet (`case_link_campaign`); the others stay where they are.
    """
    if not reports and campaign is None:
        raise ValidationError(_("Choose at least one report to open a case from."))
    if not title.strip():
        raise ValidationError(_("Give the case a title."))
    now = timezone.now()
    case = Case.objects.create(
        number=case_number_next(at=now),
        title=title.strip(),
        summary=summary,
        priority=priority,
        supervisor=supervisor or actor,
        opened_by=actor,
        legal_articles=_validate_articles(articles),
        opened_at=now,
        due_date=due_date,
        last_activity_at=now,
    )
    _event(case=case, kind=CaseEventKind.OPENED, actor=actor, title=case.title)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_OPENED,
        target=case,
        extra={
            "reports": [r.reference for r in reports],
            **({"campaign": campaign.reference} if campaign is not None else {}),
        },
    )
    for report in reports:
        case_link_report(case=case, report=report, actor=actor)
    if campaign is not None:
        case_link_campaign(case=case, campaign=campaign, actor=actor)
    return case


@transaction.atomic(durable=True)
def case_update(
    *,
    case: Case,
    actor: User,
    title: str | Unchanged = UNCHANGED,
    summary: str | Unchanged = UNCHANGED,
    priority: CasePriority | Unchanged = UNCHANGED,
    due_date: date | None | Unchanged = UNCHANGED,
) -> Case:
    """Change the title, summary, priority or due date; the timeline records what changed."""
    case = _locked(case)
    changed: dict[str, object] = {}
    for name, value in (
        ("title", title),
        ("summary", summary),
        ("priority", priority),
        ("due_date", due_date),
    ):
        if value is UNCHANGED or getattr(case, name) == value:
            continue
        if name == "title" and not str(value).strip():
            raise ValidationError(_("Give the case a title."))
        setattr(case, name, value)
        changed[name] = value.isoformat() if isinstance(value, date) else value
    if changed:
        case.save(update_fields=list(changed))
        _event(case=case, kind=CaseEventKind.UPDATED, actor=actor, fields=sorted(changed))
        audit_record(actor=actor, action=AuditAction.CASE_UPDATED, target=case, extra=changed)
    return case


@transaction.atomic(durable=True)
def case_set_articles(*, case: Case, articles: Sequence[str], actor: User) -> Case:
    """Set the legal qualification: codes from the country's articles.json."""
    case = _locked(case)
    codes = _validate_articles(articles)
    if codes != case.legal_articles:
        previous = case.legal_articles
        case.legal_articles = codes
        case.save(update_fields=["legal_articles"])
        _event(case=case, kind=CaseEventKind.ARTICLES_CHANGED, actor=actor, articles=codes)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ARTICLES_CHANGED,
            target=case,
            extra={"from": previous, "to": codes},
        )
    return case


@transaction.atomic
def case_link_report(*, case: Case, report: Report, actor: User) -> CaseReport:
    """Link a report: it moves to "linked to a case", the victim sees a neutral message,
    and from now on only this case's people see the report."""
    existing = CaseReport.objects.filter(report=report).select_related("case").first()
    if existing is not None:
        raise ValidationError(
            _("Report %(reference)s is already in case %(number)s.")
            % {"reference": report.reference, "number": existing.case.number}
        )
    report_mark_linked_to_case(report=report, case_number=case.number, actor=actor)
    link = CaseReport.objects.create(
        case=case, report=report, linked_by=actor, linked_at=timezone.now()
    )
    _event(case=case, kind=CaseEventKind.REPORT_LINKED, actor=actor, report=report.reference)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_REPORT_LINKED,
        target=case,
        extra={"report": report.reference},
    )
    return link


@transaction.atomic(durable=True)
def case_unlink_report(*, case: Case, report: Report, reason: str, actor: User) -> None:
    """Take a report out of a case; it returns to triage (and to the inbox)."""
    reason = _require_reason(reason)
    deleted, _rows = CaseReport.objects.filter(case=case, report=report).delete()
    if not deleted:
        raise ValidationError(
            _("Report %(reference)s is not in this case.") % {"reference": report.reference}
        )
    report_unmark_linked_to_case(report=report, reason=reason, actor=actor)
    _event(
        case=case,
        kind=CaseEventKind.REPORT_UNLINKED,
        actor=actor,
        report=report.reference,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_REPORT_UNLINKED,
        target=case,
        extra={"report": report.reference, "reason": reason},
    )


@dataclass(frozen=True)
class CampaignLinked:
    """What linking a campaign did: the link, the reports it linked, and how many of the
    campaign's reports it left out (in another case, or not visible to the actor)."""

    link: CaseCampaign
    reports_linked: int
    reports_left_out: int


@transaction.atomic
def case_link_campaign(*, case: Case, campaign: Campaign, actor: User) -> CampaignLinked:
    """Link a campaign, and with it its reports that `actor` may see and that are in no
    case yet. A report already in another case stays there (a report is in one case at
    most, and moving it would take its victim's details away from that case's people);
    it is counted in `reports_left_out`, as are reports the actor may not see.
    """
    case = _locked(case)
    if CaseCampaign.objects.filter(case=case, campaign=campaign).exists():
        raise ValidationError(
            _("Campaign %(reference)s is already linked to this case.")
            % {"reference": campaign.reference}
        )
    link = CaseCampaign.objects.create(
        case=case, campaign=campaign, linked_by=actor, linked_at=timezone.now()
    )
    members = Report.objects.filter(campaign_membership__campaign=campaign)
    eligible = list(
        reports_visible_to(user=actor)
        .filter(campaign_membership__campaign=campaign, case_link__isnull=True)
        .order_by("submitted_at", "id")
    )
    for report in eligible:
        case_link_report(case=case, report=report, actor=actor)
    already_here = members.filter(case_link__case=case).count() - len(eligible)
    left_out = members.count() - len(eligible) - already_here
    _event(
        case=case,
        kind=CaseEventKind.CAMPAIGN_LINKED,
        actor=actor,
        campaign=campaign.reference,
        reports_linked=len(eligible),
        reports_left_out=left_out,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_CAMPAIGN_LINKED,
        target=case,
        extra={
            "campaign": campaign.reference,
            "reports": [r.reference for r in eligible],
            "left_out": left_out,
        },
    )
    return CampaignLinked(link=link, reports_linked=len(eligible), reports_left_out=left_out)


@transaction.atomic(durable=True)
def case_unlink_campaign(*, case: Case, campaign: Campaign, actor: User) -> None:
    """Take the campaign off the case. Its reports stay in the case: each one is taken out
    on its own, with its reason (`case_unlink_report`), as it returns to triage."""
    deleted, _rows = CaseCampaign.objects.filter(case=case, campaign=campaign).delete()
    if not deleted:
        raise ValidationError(
            _("Campaign %(reference)s is not linked to this case.")
            % {"reference": campaign.reference}
        )
    _event(
        case=case,
        kind=CaseEventKind.CAMPAIGN_UNLINKED,
        actor=actor,
        campaign=campaign.reference,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_CAMPAIGN_UNLINKED,
        target=case,
        extra={"campaign": campaign.reference},
    )


def _check_can_join(user: User, role: MemberRole) -> None:
    if not is_staff_member(user):
        raise ValidationError(_("Only staff can work on a case."))
    if role in (MemberRole.LEAD, MemberRole.INVESTIGATOR) and not user_has_permission(
        user, Permission.CASE_WORK
    ):
        raise ValidationError(
            _("%(user)s cannot investigate cases.") % {"user": user.get_username()}
        )


@transaction.atomic(durable=True)
def case_add_member(*, case: Case, user: User, role: MemberRole, actor: User) -> CaseMember:
    """Give `user` access to the case and its reports, in `role`."""
    if role == MemberRole.LEAD:
        raise ValidationError(_("Assign the lead investigator with “Assign”."))
    _check_can_join(user, role)
    if CaseMember.objects.filter(case=case, user=user).exists():
        raise ValidationError(
            _("%(user)s is already a member of this case.") % {"user": user.get_username()}
        )
    member = CaseMember.objects.create(
        case=case, user=user, role=role, added_by=actor, added_at=timezone.now()
    )
    _event(
        case=case, kind=CaseEventKind.MEMBER_ADDED, actor=actor, user=user.get_username(), role=role
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_MEMBER_ADDED,
        target=case,
        extra={"user": user.get_username(), "role": str(role)},
    )
    return member


@transaction.atomic(durable=True)
def case_remove_member(*, case: Case, user: User, actor: User) -> None:
    """Withdraw access; the lead is replaced by assigning someone else, not removed."""
    if case.lead_id == user.pk:
        raise ValidationError(_("The lead investigator cannot be removed; assign another first."))
    deleted, _rows = CaseMember.objects.filter(case=case, user=user).delete()
    if not deleted:
        raise ValidationError(
            _("%(user)s is not a member of this case.") % {"user": user.get_username()}
        )
    Task.objects.filter(case=case, assignee=user).update(assignee=None)
    _event(case=case, kind=CaseEventKind.MEMBER_REMOVED, actor=actor, user=user.get_username())
    audit_record(
        actor=actor,
        action=AuditAction.CASE_MEMBER_REMOVED,
        target=case,
        extra={"user": user.get_username()},
    )


@transaction.atomic(durable=True)
def case_assign(*, case: Case, investigator: User, actor: User) -> Case:
    """Make `investigator` the lead; the former lead stays on as an investigator.

    A freshly opened case moves to "assigned" (an allowed move in the table).
    """
    _check_can_join(investigator, MemberRole.LEAD)
    case = _locked(case)
    previous_lead_id = case.lead_id
    if previous_lead_id == investigator.pk:
        return case
    CaseMember.objects.filter(case=case, role=MemberRole.LEAD).update(role=MemberRole.INVESTIGATOR)
    member, created = CaseMember.objects.get_or_create(
        case=case,
        user=investigator,
        defaults={"role": MemberRole.LEAD, "added_by": actor, "added_at": timezone.now()},
    )
    if not created:
        member.role = MemberRole.LEAD
        member.save(update_fields=["role"])
    case.lead = investigator
    case.save(update_fields=["lead"])
    _event(case=case, kind=CaseEventKind.ASSIGNED, actor=actor, user=investigator.get_username())
    audit_record(
        actor=actor,
        action=AuditAction.CASE_ASSIGNED,
        target=case,
        extra={"lead": investigator.get_username()},
    )
    if case.status == CaseStatus.OPENED:
        _status_move(
            case=case,
            status=CaseStatus.ASSIGNED,
            reason=_("Lead investigator assigned."),
            actor=actor,
        )
    return case


@transaction.atomic(durable=True)
def case_move(*, case: Case, status: CaseStatus, reason: str, actor: User) -> Case:
    """Move a case along the workflow; moves not in CASE_STATUS_MOVES are refused."""
    case = _locked(case)
    if status not in CASE_STATUS_MOVES.get(case.status, frozenset()):
        raise ValidationError(
            _("A case cannot move from “%(current)s” to “%(target)s”.")
            % {"current": CaseStatus(case.status).label, "target": CaseStatus(status).label}
        )
    if status == CaseStatus.ASSIGNED and case.lead_id is None:
        raise ValidationError(_("Assign a lead investigator first."))
    _status_move(case=case, status=status, reason=_require_reason(reason), actor=actor)
    return case


def _status_move(*, case: Case, status: CaseStatus, reason: str, actor: User) -> None:
    previous = case.status
    now = timezone.now()
    case.status = status
    fields = ["status"]
    if status == CaseStatus.REFERRED_TO_PROSECUTOR:
        case.referred_at = now
        fields.append("referred_at")
    if status == CaseStatus.CLOSED:
        case.closed_at = now
        fields.append("closed_at")
    elif previous == CaseStatus.CLOSED:
        case.closed_at = None
        fields.append("closed_at")
    case.save(update_fields=fields)
    _event(
        case=case,
        kind=CaseEventKind.STATUS_CHANGED,
        actor=actor,
        **{"from": previous, "to": str(status), "reason": reason},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_STATUS_CHANGED,
        target=case,
        extra={"from": previous, "to": str(status), "reason": reason},
    )


def _check_assignee(case: Case, assignee: User | None) -> None:
    if assignee is not None and not CaseMember.objects.filter(case=case, user=assignee).exists():
        raise ValidationError(
            _("%(user)s is not a member of this case.") % {"user": assignee.get_username()}
        )


@transaction.atomic(durable=True)
def task_create(
    *,
    case: Case,
    title: str,
    actor: User,
    assignee: User | None = None,
    due_date: date | None = None,
    description: str = "",
) -> Task:
    if not title.strip():
        raise ValidationError(_("Give the task a title."))
    _check_assignee(case, assignee)
    now = timezone.now()
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        description=description,
        assignee=assignee,
        due_date=due_date,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _event(case=case, kind=CaseEventKind.TASK_CREATED, actor=actor, task=task.title)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_TASK_CREATED,
        target=case,
        extra={"task": task.pk},
    )
    return task


@transaction.atomic(durable=True)
def task_update(
    *,
    task: Task,
    actor: User,
    status: TaskStatus | Unchanged = UNCHANGED,
    assignee: User | None | Unchanged = UNCHANGED,
    due_date: date | None | Unchanged = UNCHANGED,
) -> Task:
    """Change a task's status, assignee or due date."""
    task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    changed: dict[str, object] = {}
    if status is not UNCHANGED and status != task.status:
        changed["status"] = str(status)
        task.status = status
        task.done_at = timezone.now() if status == TaskStatus.DONE else None
    if assignee is not UNCHANGED and getattr(assignee, "pk", None) != task.assignee_id:
        _check_assignee(task.case, assignee)
        task.assignee = assignee
        changed["assignee"] = assignee.get_username() if assignee is not None else ""
    if due_date is not UNCHANGED and due_date != task.due_date:
        task.due_date = due_date
        changed["due_date"] = due_date.isoformat() if due_date else ""
    if changed:
        task.updated_at = timezone.now()
        task.save()
        _event(
            case=task.case,
            kind=CaseEventKind.TASK_UPDATED,
            actor=actor,
            task=task.title,
            changes=changed,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_TASK_UPDATED,
            target=task.case,
            extra={"task": task.pk, **changed},
        )
    return task


@transaction.atomic(durable=True)
def note_add(*, case: Case, text: str, actor: User) -> Note:
    """Add a Markdown note; it is stored as typed and rendered safely when shown."""
    if not text.strip():
        raise ValidationError(_("The note is empty."))
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationError(
            _("A note can be at most %(limit)d characters.") % {"limit": MAX_NOTE_CHARS}
        )
    note = Note.objects.create(case=case, author=actor, text=text, at=timezone.now())
    _event(case=case, kind=CaseEventKind.NOTE_ADDED, actor=actor, note=note.pk)
    audit_record(
        actor=actor, action=AuditAction.CASE_NOTE_ADDED, target=case, extra={"note": note.pk}
    )
    return note
