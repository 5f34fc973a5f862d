from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from markaz.accounts.models import ApiToken


def api_token_user(*, token: str) -> User | None:
    """The active user behind a bearer token, or None."""
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user
