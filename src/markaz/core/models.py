"""The one table of the bottom layer: counters for numbered things."""

from __future__ import annotations

from django.db import models


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year (MKZ-2026-000123, CASE-2026-0042).

    The table keeps the name it had in intake (``intake_referencecounter``): moving the
    model to core changed no row.
    """

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "intake_referencecounter"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
