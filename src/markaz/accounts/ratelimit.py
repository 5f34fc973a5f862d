"""Fixed-window counters in the database, keyed by what is being limited (an IP, a user name).

Each count is one `UPDATE ... SET count = count + 1` on a row per key and window, so
concurrent requests never lose a count (the cache's `incr` reads, adds and writes back,
and two requests at once could both write the same number). The first attempt in a
window inserts the row; when two requests race to insert it, the loser's unique-key error
turns into an increment. Rows of earlier windows are deleted as new windows start.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from markaz.accounts.models import RateCounter


def _row(*, scope: str, key: str, window_seconds: int) -> dict[str, object]:
    window = int(timezone.now().timestamp()) // window_seconds
    # Hash the key so that addresses and user names are not kept in clear.
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return {"scope": scope, "key_digest": digest, "window": window}


def rate_limit_count(*, scope: str, key: str, window_seconds: int = 3600) -> int:
    """Count one attempt for `key` in `scope`; return the attempts in this window so far."""
    row = _row(scope=scope, key=key, window_seconds=window_seconds)
    counters = RateCounter.objects.filter(**row)
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(**row, count=1)
        except IntegrityError:  # another request inserted it first
            counters.update(count=F("count") + 1)
        else:
            RateCounter.objects.filter(scope=scope, window__lt=row["window"]).delete()
    # Read after our increment: the number includes ours (and perhaps later ones), never less.
    return counters.values_list("count", flat=True).first() or 1


def rate_limit_reached(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """True when `key` has already used its `limit` attempts in this window (counts nothing)."""
    row = _row(scope=scope, key=key, window_seconds=window_seconds)
    count = RateCounter.objects.filter(**row).values_list("count", flat=True).first() or 0
    return count >= limit


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt for `key` in `scope`; True when it goes over `limit` in the window."""
    return rate_limit_count(scope=scope, key=key, window_seconds=window_seconds) > limit
