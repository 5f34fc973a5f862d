"""Evidence items of a case and their chain of custody.

The bytes of a file item live in the evidence store (`markaz.evidence.store`), sealed and
named by their SHA-256; the database holds the hash, size and history, never the bytes or
a key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from markaz.evidence.choices import CustodyKind, EvidenceKind, EvidenceState


class EvidenceItem(models.Model):
    """A file or object in a case, with its SHA-256 and size taken at acquisition.

    `holder`, `location` and `state` are the latest custody event's outcome, kept here so
    lists need no history scan; the history itself is `custody_events`. `integrity_failed_at`
    is set by `markaz evidence verify` when the stored bytes no longer match the hash.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence")
    # E1, E2, ... within the case: what people write on seals and forms.
    number = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    description = models.TextField()
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    seal_number = models.CharField(max_length=100, blank=True)
    source_attachment = models.ForeignKey(
        "intake.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acquired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acquired_at = models.DateTimeField()
    holder = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    state = models.CharField(
        max_length=16, choices=EvidenceState.choices, default=EvidenceState.HELD
    )
    integrity_checked_at = models.DateTimeField(null=True, blank=True)
    integrity_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="evidence_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case.number}/{self.number}" if self.case_id else self.number

    @property
    def is_digital(self) -> bool:
        return self.kind != EvidenceKind.PHYSICAL


class CustodyQuerySet(models.QuerySet["CustodyEvent"]):
    def update(self, **kwargs: object) -> int:
        raise ValidationError(_("The chain of custody cannot be changed, only added to."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("The chain of custody cannot be changed, only added to."))


class CustodyEvent(models.Model):
    """One link of the chain of custody: who did what with the item, when, where, why, on
    whose authority. Append-only: saving an existing row or deleting one raises."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody_events")
    kind = models.CharField(max_length=16, choices=CustodyKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_party = models.CharField(max_length=200, blank=True)
    to_party = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    authority = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    objects = CustodyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError(_("The chain of custody cannot be changed, only added to."))
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("The chain of custody cannot be changed, only added to."))
