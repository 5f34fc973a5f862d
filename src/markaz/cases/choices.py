"""Statuses, priorities and roles of cases; the case workflow is the one table below."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("Opened")
    ASSIGNED = "assigned", _("Assigned")
    INVESTIGATING = "investigating", _("Investigating")
    REFERRED_TO_PROSECUTOR = "referred_to_prosecutor", _("Referred to the prosecutor")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


# Which status a case may move to from which: the only place this is decided; the
# service `case_move` refuses anything else. Every move carries a written reason.
CASE_STATUS_MOVES: dict[str, frozenset[str]] = {
    CaseStatus.OPENED: frozenset({CaseStatus.ASSIGNED, CaseStatus.SUSPENDED, CaseStatus.CLOSED}),
    CaseStatus.ASSIGNED: frozenset(
        {CaseStatus.INVESTIGATING, CaseStatus.SUSPENDED, CaseStatus.CLOSED}
    ),
    CaseStatus.INVESTIGATING: frozenset(
        {CaseStatus.REFERRED_TO_PROSECUTOR, CaseStatus.SUSPENDED, CaseStatus.CLOSED}
    ),
    # A suspended case resumes (e.g. a bank finally answered) or is closed.
    CaseStatus.SUSPENDED: frozenset({CaseStatus.INVESTIGATING, CaseStatus.CLOSED}),
    # The prosecutor may send a case back for more investigation.
    CaseStatus.REFERRED_TO_PROSECUTOR: frozenset({CaseStatus.INVESTIGATING, CaseStatus.CLOSED}),
    # Reopening is a move like any other, with its reason on the timeline.
    CaseStatus.CLOSED: frozenset({CaseStatus.INVESTIGATING}),
}

# Statuses in which a case is still being worked (counted as workload, checked for staleness).
ACTIVE_STATUSES = frozenset(
    {CaseStatus.OPENED, CaseStatus.ASSIGNED, CaseStatus.INVESTIGATING, CaseStatus.SUSPENDED}
)


class CasePriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead investigator")
    INVESTIGATOR = "investigator", _("Investigator")
    ANALYST = "analyst", _("Analyst")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.IN_PROGRESS})


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    UPDATED = "updated", _("Details changed")
    ASSIGNED = "assigned", _("Lead investigator assigned")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    REPORT_LINKED = "report_linked", _("Report linked")
    REPORT_UNLINKED = "report_unlinked", _("Report unlinked")
    CAMPAIGN_LINKED = "campaign_linked", _("Campaign linked")
    CAMPAIGN_UNLINKED = "campaign_unlinked", _("Campaign unlinked")
    ARTICLES_CHANGED = "articles_changed", _("Legal qualification changed")
    TASK_CREATED = "task_created", _("Task created")
    TASK_UPDATED = "task_updated", _("Task updated")
    NOTE_ADDED = "note_added", _("Note added")
