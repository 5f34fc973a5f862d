"""What every staff page's navigation shows from intel: the unread notifications."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from markaz.accounts.roles import Permission
from markaz.accounts.rules import user_has_permission
from markaz.intel.selectors import notifications_unread_count


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """A callable, so the count query runs only on pages whose template shows it."""
    user = getattr(request, "user", None)

    def unread() -> int:
        if user is None or not user_has_permission(user, Permission.INTEL_VIEW):
            return 0
        return notifications_unread_count(user=user)

    return {"unread_notifications": unread}
