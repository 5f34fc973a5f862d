"""Cases: an investigation with its members, reports, tasks, notes and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from markaz.cases.choices import (
    CaseEventKind,
    CasePriority,
    CaseStatus,
    MemberRole,
    TaskStatus,
)


class Case(models.Model):
    """An investigation. Seen only by its members, its supervisor and administrators.

    Reports join through `CaseReport`, campaigns (app `intel`) through `CaseCampaign`.
    """

    number = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(
        max_length=32, choices=CaseStatus.choices, default=CaseStatus.OPENED, db_index=True
    )
    priority = models.CharField(
        max_length=16, choices=CasePriority.choices, default=CasePriority.NORMAL, db_index=True
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_led",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_supervised",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Codes of articles from countries/<country>/articles.json; validated by the service.
    legal_articles = models.JSONField(default=list, blank=True)

    opened_at = models.DateTimeField()
    due_date = models.DateField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Moved by every event on the timeline: the dashboard finds idle cases with one index.
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "priority"], name="case_status_priority_idx")]

    def __str__(self) -> str:
        return self.number


class CaseMember(models.Model):
    """Someone working on a case, with their role in it. Membership is what grants access."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )
    role = models.CharField(max_length=16, choices=MemberRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id} ({self.role})"


class CaseReport(models.Model):
    """A report linked to a case, with who linked it and when.

    A report belongs to at most one case: access to its victim's details follows that
    case's membership, which would be ambiguous with two.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="report_links")
    report = models.OneToOneField(
        "intake.Report", on_delete=models.PROTECT, related_name="case_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} <- {self.report_id}"


class CaseCampaign(models.Model):
    """A campaign linked to a case, with who linked it and when.

    Unlike a report, a campaign may be linked to several cases: it carries no victim
    details, and two cases may each work a part of it. Linking it links its reports that
    are in no case yet (see `case_link_campaign`). When intel merges the campaign into
    another one (and deletes it), the link moves to that campaign (intel.campaigns).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="campaign_links")
    campaign = models.ForeignKey(
        "intel.Campaign", on_delete=models.CASCADE, related_name="case_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "campaign"], name="case_campaign_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} <- campaign {self.campaign_id}"


class Task(models.Model):
    """A piece of work in a case, with an assignee (a member) and a due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="case_task_due_idx")]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """A member's note in Markdown; rendered through `markaz.cases.markdown`, never raw."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.at:%Y-%m-%d}"

    @property
    def html(self) -> str:
        from markaz.cases.markdown import render_markdown

        return render_markdown(self.text)


class CaseEvent(models.Model):
    """One entry of a case's timeline, written by the service that made the change.

    `data` holds the facts the entry shows (statuses, a report reference, a task title,
    a reason) so the timeline renders in one query, in the reader's language.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=CaseEventKind.choices)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"
