"""A fixed-window counter in the shared cache, keyed by what is being limited (e.g. an IP)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import timezone


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt for `key` in `scope`; True when it goes over `limit` in the window."""
    window = int(timezone.now().timestamp()) // window_seconds
    # Hash the key so that addresses are not kept in clear in the cache table.
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{window}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds + 60):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 60)
        count = 1
    return count > limit
