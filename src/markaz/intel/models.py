"""Indicators, where they were seen, the campaigns they tie together, and who watches them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from markaz.intel.choices import (
    GuardState,
    NotificationKind,
    SightingField,
    SightingRole,
    WarningListSource,
)


class Indicator(models.Model):
    """One normalised identifier (phone, e-mail, URL, wallet, card, handle...), unique by kind.

    A card's ``value`` is the keyed HMAC of its number (key in the data directory); only
    ``card_bin`` and ``card_last4`` are kept for display, never the number.
    """

    kind = models.CharField(max_length=16)
    value = models.CharField(max_length=2048)
    card_bin = models.CharField(max_length=6, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    # Distinct reports that name it as the suspect's; drives the guard.
    report_count = models.PositiveIntegerField(default=0)
    warned = models.BooleanField(
        default=False, help_text="On a warning list: seen, shown, but links nothing."
    )
    guard = models.CharField(
        max_length=16, choices=GuardState.choices, default=GuardState.NONE, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="intel_indicator_kind_value")
        ]
        indexes = [
            models.Index(
                fields=["guard"], condition=~Q(guard=""), name="intel_indicator_guard_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.display}"

    @property
    def display(self) -> str:
        if self.kind == "card":
            return f"{self.card_bin}••••••{self.card_last4}" if self.card_bin else _("card")
        return self.value

    @property
    def links(self) -> bool:
        return not self.warned and self.guard != GuardState.HELD


class Sighting(models.Model):
    """An indicator seen in a report, with its role and where.

    ``linking`` is True only for a suspect sighting of an indicator that may link reports
    (not on a warning list, not held by the guard): the correlation and campaign queries
    read this one column. A victim's own details are never linking.
    """

    # No index of their own: the unique (report, indicator) index and (indicator, role)
    # begin with them, and every sighting written costs one insertion per index.
    report = models.ForeignKey(
        "intake.Report", on_delete=models.CASCADE, related_name="sightings", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="sightings", db_index=False
    )
    role = models.CharField(max_length=16, choices=SightingRole.choices)
    field = models.CharField(max_length=32, choices=SightingField.choices)
    offset = models.PositiveIntegerField(
        null=True, blank=True, help_text="Character offset in the narrative, or the row number."
    )
    # What the report said (a card's digits masked), for the analyst reading the sighting.
    raw = models.CharField(max_length=300, blank=True)
    seen_at = models.DateTimeField()
    # Seen while the guard held the indicator: links only once an analyst confirms it.
    held = models.BooleanField(default=False)
    linking = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="intel_sighting_report_indicator"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "role"], name="intel_sighting_ind_role_idx"),
            # The hot path: "which reports share this indicator" reads only linking rows.
            models.Index(
                fields=["indicator", "report"],
                condition=Q(linking=True),
                name="intel_sighting_linking_idx",
            ),
            # The other way round, for a campaign's page: its members' linking indicators,
            # read without touching the table (one probe per member).
            models.Index(
                fields=["report", "indicator"],
                condition=Q(linking=True),
                name="intel_sighting_report_link_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} × {self.indicator_id} ({self.role})"


class ReportIndex(models.Model):
    """That a report went through extraction, when, and what could not be read.

    A report without this row (or with ``failed``) is picked up by ``markaz intel reindex
    --pending``: an extraction failure never loses the report itself.
    """

    report = models.OneToOneField(
        "intake.Report", on_delete=models.CASCADE, primary_key=True, related_name="intel_index"
    )
    indexed_at = models.DateTimeField()
    failed = models.BooleanField(default=False)
    # Identifiers that did not normalise: [{"row": 0, "kind": "phone", "reason": "..."}].
    # Their raw text stays on the report's SuspectIdentifier rows.
    problems = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.indexed_at:%Y-%m-%d %H:%M}"


class Campaign(models.Model):
    """Reports connected through shared suspect indicators (a connected component of two or
    more reports, after warning lists). Figures are kept up to date as members change."""

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    name = models.CharField(max_length=200, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    victim_count = models.PositiveIntegerField(default=0)
    # Loss in the instance's default currency, for ranking; per-currency totals on the page.
    loss_main = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    first_report_at = models.DateTimeField(null=True, blank=True)
    last_report_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-victim_count", "-loss_main", "-id"]
        indexes = [
            models.Index(fields=["-victim_count", "-loss_main", "-id"], name="intel_campaign_rank")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"CMP-{self.pk:06d}" if self.pk else "CMP-new"


class CampaignMember(models.Model):
    """Which campaign a report belongs to (at most one: campaigns are disjoint)."""

    report = models.OneToOneField(
        "intake.Report",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="campaign_membership",
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")

    def __str__(self) -> str:
        return f"{self.report_id} in {self.campaign_id}"


class WarningListEntry(models.Model):
    """A value that must not link reports: a mail provider's domain, a bank's hotline, a
    private IP range. ``kind`` is an indicator kind, or ``cidr`` for an IP range.
    Removing an entry deactivates it, so a shipped entry an analyst removed stays removed."""

    kind = models.CharField(max_length=16)
    value = models.CharField(max_length=300)
    source = models.CharField(max_length=16, choices=WarningListSource.choices)
    list_name = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=300, blank=True)
    to_verify = models.BooleanField(
        default=False, help_text="Shipped data that the centre should check before relying on it."
    )
    active = models.BooleanField(default=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="intel_warninglist_kind_value")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class Watch(models.Model):
    """A user watching an indicator or a whole campaign."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, campaign__isnull=True)
                | Q(indicator__isnull=True, campaign__isnull=False),
                name="intel_watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "indicator"],
                condition=Q(indicator__isnull=False),
                name="intel_watch_user_indicator",
            ),
            models.UniqueConstraint(
                fields=["user", "campaign"],
                condition=Q(campaign__isnull=False),
                name="intel_watch_user_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.indicator_id or self.campaign_id}"


class Notification(models.Model):
    """An in-app alert: a watched indicator was seen again, a watched campaign grew."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intel_notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.ForeignKey(
        "intake.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="intel_notification_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
