from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for a partner system or a staff script.

    Only the SHA-256 of the token is stored: a leaked database does not leak tokens.
    The token acts as its user, with that user's roles.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RateCounter(models.Model):
    """Attempts counted for one key (hashed) in one fixed time window; see markaz.accounts.ratelimit.

    A row per key and window, incremented with an UPDATE ... SET count = count + 1 so that
    two requests at the same moment never count as one.
    """

    scope = models.CharField(max_length=40)
    key_digest = models.CharField(max_length=32)
    window = models.BigIntegerField(help_text="Seconds since the epoch, divided by the window.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key_digest", "window"], name="ratecounter_one_row_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_digest[:8]}… {self.count}"
