"""Numbers that never repeat: report references and case numbers, one counter per prefix
and year."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from markaz.core.models import ReferenceCounter


def counter_next(*, prefix: str, at: datetime) -> tuple[int, int]:
    """(year, number): the next number of `prefix`'s per-year counter (call inside a transaction).

    One counter table for every numbered thing (report references, case numbers), each
    under its own prefix; the row lock makes concurrent callers wait, so numbers never repeat.
    """
    year = timezone.localtime(at).year
    return year, counter_take(prefix=prefix, year=year, count=1)


def counter_take(*, prefix: str, year: int, count: int) -> int:
    """Hand out `count` consecutive numbers of `prefix`'s counter for `year`; returns the first."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first
