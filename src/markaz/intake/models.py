from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from markaz.core.country import current_country
from markaz.intake.choices import (
    AgeBand,
    Channel,
    Gender,
    IdentifierKind,
    PaymentMethod,
    ReportLanguage,
    ReportStatus,
)
from markaz.intake.taxonomy import category_label


class Report(models.Model):
    """One complaint about an online crime, from the public form, the API, a phone call or a desk."""

    reference = models.CharField(max_length=32, unique=True)
    status_code_hash = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    language = models.CharField(max_length=8, choices=ReportLanguage.choices)
    # Indexed by report_inbox_idx (status, submitted_at), which begins with it.
    status = models.CharField(
        max_length=32, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    submitted_at = models.DateTimeField(db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The partner or staff account that entered it; empty for the public form.",
    )
    external_id = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)

    category = models.CharField(max_length=64, db_index=True)
    narrative = models.TextField()
    # Case-folded copy of the narrative: SQLite's LIKE folds ASCII only, so Cyrillic search
    # on SQLite compares this column with a case-folded query.
    narrative_folded = models.TextField(editable=False, default="")
    incident_at = models.DateTimeField(null=True, blank=True)
    incident_time_approximate = models.BooleanField(default=False)
    region = models.CharField(max_length=16, blank=True, db_index=True)
    district = models.CharField(max_length=16, blank=True)
    loss_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    loss_currency = models.CharField(max_length=3, blank=True)
    payment_method = models.CharField(max_length=32, choices=PaymentMethod.choices, blank=True)

    victim_name = models.CharField(max_length=200, blank=True)
    victim_phone = models.CharField(max_length=64, blank=True)
    victim_email = models.CharField(max_length=254, blank=True)
    victim_age_band = models.CharField(max_length=16, choices=AgeBand.choices, blank=True)
    victim_gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)

    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "external_id"],
                condition=~Q(external_id=""),
                name="report_external_id_unique_per_submitter",
            ),
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="report_idempotency_key_unique_per_submitter",
            ),
        ]
        indexes = [models.Index(fields=["status", "-submitted_at"], name="report_inbox_idx")]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        self.narrative_fold()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def narrative_fold(self) -> None:
        """Fill ``narrative_folded`` (``save`` calls it; a ``bulk_create`` must call it first)."""
        self.narrative_folded = self.narrative.casefold()

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def region_name(self) -> str:
        region = current_country().region(self.region) if self.region else None
        return region.name if region else self.region

    @property
    def place(self) -> str:
        """Region and district in the reader's language, e.g. "Dushanbe, Sino district"."""
        found = current_country().district(self.district) if self.district else None
        if found is not None:
            return f"{found[0].name}, {found[1].name}"
        return self.region_name


class SuspectIdentifier(models.Model):
    """An identifier of the suspect as the victim typed it; extraction normalises it later."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="suspect_identifiers")
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Attachment(models.Model):
    """A file the victim sent: stored under a generated name, never the browser's."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One move of a report's status, with who, when and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=32, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=ReportStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} -> {self.to_status}"


class VictimMessage(models.Model):
    """A message from staff that the victim reads on the status page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="victim_messages")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.at:%Y-%m-%d}"


class InternalNote(models.Model):
    """A note by staff about a report; never shown to the victim."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="internal_notes")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.at:%Y-%m-%d}"
