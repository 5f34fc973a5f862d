"""Reads of the intel app that need no report access: campaign lists, warning lists,
watches, notifications, what a search could mean, a campaign's figures.

The pages that show reports behind indicators and campaigns also decide which of those
reports the viewer may open; that rule depends on cases, so those reads live in
``markaz.cases.correlation``.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission
from markaz.core.country import current_country
from markaz.extract import KINDS, InvalidIndicator, Kind, extract, normalize
from markaz.intake.models import Report
from markaz.intel.choices import GuardState, SightingRole
from markaz.intel.extraction import card_compact, card_key, phone_region
from markaz.intel.models import (
    Campaign,
    Indicator,
    Notification,
    WarningListEntry,
    Watch,
)

# Whoever a page is shown to: a member of staff, or nobody signed in.
Viewer = User | AnonymousUser
# Lists on one page are capped; the page says how many more there are.
LIST_CAP = 200
INTEL_ROLES = (SightingRole.SUSPECT, SightingRole.MENTIONED)


def region_name(code: str) -> str:
    region = current_country().region(code) if code else None
    return region.name if region else code


# --- indicators ------------------------------------------------------------------------------


def search_candidates(query: str) -> set[tuple[str, str]]:
    """Every (kind, value) the query could mean: ``normalize`` under each kind, and
    whatever ``extract`` finds in it (``hxxp://x[.]com``, a number inside a sentence)."""
    text = query.strip()[:2048]
    if not text:
        return set()
    region, key = phone_region(), card_key()
    out: set[tuple[str, str]] = set()
    for kind in KINDS:
        try:
            out.add((kind, normalize(kind, text, region=region, card_key=key)))
        except InvalidIndicator:
            continue
    with contextlib.suppress(InvalidIndicator):
        out.add((Kind.CARD, normalize(Kind.CARD, card_compact(text), region=region, card_key=key)))
    out.update((f.kind, f.value) for f in extract(text, region=region, card_key=key))
    for kind, value in list(out):
        if kind == Kind.URL:
            # The same link under the other scheme, and the site itself.
            scheme, _sep, rest = value.partition("://")
            other = {"http": "https", "https": "http"}.get(scheme)
            if other:
                out.add((Kind.URL, f"{other}://{rest}"))
            host = urlsplit(value).hostname
            with contextlib.suppress(InvalidIndicator):
                out.add((Kind.DOMAIN, normalize(Kind.DOMAIN, host or "", region=region)))
    return out


def indicators_held() -> QuerySet[Indicator]:
    return Indicator.objects.filter(guard=GuardState.HELD).order_by("-report_count")


# --- campaigns -------------------------------------------------------------------------------


def campaign_list(*, user: Viewer) -> QuerySet[Campaign]:
    """Campaigns ranked by victims, then loss in the main currency."""
    require_permission(user, Permission.INTEL_VIEW)
    return Campaign.objects.order_by("-victim_count", "-loss_main", "-id")


def campaign_figures(
    members: QuerySet[Report],
) -> tuple[list[tuple[str, Decimal]], list[tuple[str, int]], list[tuple[datetime, int]]]:
    """Loss per currency (first reports only: a duplicate is the same loss told twice),
    reports per region and per month, from one grouped query."""
    loss: dict[str, Decimal] = defaultdict(Decimal)
    regions: dict[str, int] = defaultdict(int)
    timeline: dict[datetime, int] = defaultdict(int)
    rows = (
        members.order_by()
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month", "region", "loss_currency")
        .annotate(
            n=Count("id"),
            lost=Sum("loss_amount", filter=Q(duplicate_of__isnull=True)),
        )
    )
    for month, region, currency, n, lost in rows:
        timeline[month] += n
        if region:
            regions[region] += n
        if lost is not None:
            loss[currency] += lost
    return (
        sorted(loss.items(), key=lambda pair: (-pair[1], pair[0])),
        sorted(regions.items(), key=lambda pair: (-pair[1], pair[0])),
        sorted(timeline.items()),
    )


# --- warning lists, watches, notifications ---------------------------------------------------


def warninglist_entries(*, user: Viewer) -> QuerySet[WarningListEntry]:
    require_permission(user, Permission.INTEL_VIEW)
    return WarningListEntry.objects.select_related("changed_by").order_by(
        "-active", "kind", "value"
    )


def watches_of(*, user: User) -> QuerySet[Watch]:
    require_permission(user, Permission.INTEL_VIEW)
    return Watch.objects.filter(user_id=user.pk).select_related("indicator", "campaign")


def notifications_of(*, user: User) -> QuerySet[Notification]:
    require_permission(user, Permission.INTEL_VIEW)
    return Notification.objects.filter(user_id=user.pk).select_related(
        "indicator", "campaign", "report"
    )


def notifications_unread_count(*, user: Viewer) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
