"""Writes of the intel app: indexing reports, warning lists, the guard, watches."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.intake.models import Report
from markaz.intel.campaigns import campaigns_link_new_report, campaigns_rebuild, campaigns_recompute
from markaz.intel.choices import GuardState, NotificationKind, SightingRole, WarningListSource
from markaz.intel.extraction import Occurrence, report_occurrences
from markaz.intel.models import (
    Campaign,
    Indicator,
    Notification,
    ReportIndex,
    Sighting,
    WarningListEntry,
    Watch,
)
from markaz.intel.warninglist import (
    CIDR,
    ENTRY_KINDS,
    Matcher,
    entry_value_normal,
    indicators_possibly_covered,
    warninglist_matcher,
)

logger = logging.getLogger(__name__)

# Roles whose sightings alert watchers: a victim's own details stay out of intelligence.
NOTIFYING_ROLES = (SightingRole.SUSPECT, SightingRole.MENTIONED)


def guard_limit() -> int:
    """An indicator named as the suspect's in more reports than this is held for an analyst."""
    return int(getattr(settings, "MARKAZ_INTEL_GUARD_REPORTS", 200))


# --- indexing -------------------------------------------------------------------------------


def _indicators_upsert(
    occurrences: list[Occurrence], *, seen_at: datetime, matcher: Matcher
) -> dict[tuple[str, str], Indicator]:
    """One Indicator per (kind, value), created when new, locked for this transaction.

    The lock (in id order, so no deadlock) serialises two reports naming the same value:
    the second sees the first's sightings and links to it.
    """
    pairs = {(o.kind, o.value): o for o in occurrences}
    Indicator.objects.bulk_create(
        [
            Indicator(
                kind=kind,
                value=value,
                card_bin=o.card.bin if o.card else "",
                card_last4=o.card.last4 if o.card else "",
                first_seen=seen_at,
                last_seen=seen_at,
                warned=matcher.covers(kind, value),
            )
            for (kind, value), o in pairs.items()
        ],
        ignore_conflicts=True,
    )
    condition = Q()
    for kind, value in pairs:
        condition |= Q(kind=kind, value=value)
    found = Indicator.objects.select_for_update().filter(condition).order_by("pk")
    return {(i.kind, i.value): i for i in found}


@transaction.atomic
def report_index(*, report: Report, link: bool = True) -> ReportIndex:
    """Extract what ``report`` names and store its sightings; then link it into campaigns.

    Re-running it on the same report replaces its sightings (idempotent). With
    ``link=False`` campaigns are left alone (``markaz intel reindex`` rebuilds them once
    at the end instead of report by report).
    """
    reading = report_occurrences(report)
    seen_at = report.submitted_at
    now = timezone.now()
    previous = {
        s.indicator_id: s for s in Sighting.objects.filter(report=report).select_related(None)
    }
    indicators = (
        _indicators_upsert(reading.occurrences, seen_at=seen_at, matcher=warninglist_matcher())
        if reading.occurrences
        else {}
    )
    limit = guard_limit()
    sightings: list[Sighting] = []
    keep: set[int] = set()
    newly_sighted: list[Indicator] = []
    for occurrence in reading.occurrences:
        indicator = indicators[(occurrence.kind, occurrence.value)]
        keep.add(indicator.pk)
        old = previous.get(indicator.pk)
        was_suspect = old is not None and old.role == SightingRole.SUSPECT
        is_suspect = occurrence.role == SightingRole.SUSPECT
        changed: list[str] = []
        if is_suspect and not was_suspect:
            indicator.report_count += 1
            changed.append("report_count")
            if (
                indicator.report_count > limit
                and indicator.guard == GuardState.NONE
                and not indicator.warned
            ):
                indicator.guard = GuardState.HELD
                changed.append("guard")
        elif was_suspect and not is_suspect:
            indicator.report_count -= 1
            changed.append("report_count")
        if seen_at < indicator.first_seen:
            indicator.first_seen = seen_at
            changed.append("first_seen")
        if seen_at > indicator.last_seen:
            indicator.last_seen = seen_at
            changed.append("last_seen")
        if changed:
            indicator.save(update_fields=changed)
        held = is_suspect and (
            old.held if old is not None and was_suspect else indicator.guard == GuardState.HELD
        )
        sightings.append(
            Sighting(
                report=report,
                indicator=indicator,
                role=occurrence.role,
                field=occurrence.field,
                offset=occurrence.offset,
                raw=occurrence.raw,
                seen_at=seen_at,
                held=held,
                linking=is_suspect and not indicator.warned and not held,
            )
        )
        if old is None and occurrence.role in NOTIFYING_ROLES:
            newly_sighted.append(indicator)
    dropped = [s for pk, s in previous.items() if pk not in keep]
    Indicator.objects.filter(
        pk__in=[s.indicator_id for s in dropped if s.role == SightingRole.SUSPECT]
    ).update(report_count=F("report_count") - 1)
    Sighting.objects.filter(report=report).delete()
    Sighting.objects.bulk_create(sightings)
    index, _created = ReportIndex.objects.update_or_create(
        report=report,
        defaults={"indexed_at": now, "failed": False, "problems": reading.problems},
    )
    _indicator_notify(newly_sighted, report=report, now=now)
    if link:
        if previous:
            # Re-read: links may have gone as well as come; walk its old campaign again.
            campaigns_recompute(report_ids=[report.pk], trigger_report_id=report.pk)
        else:
            campaigns_link_new_report(report_id=report.pk)
    return index


def _indicator_notify(indicators: list[Indicator], *, report: Report, now: datetime) -> None:
    if not indicators:
        return
    watches = Watch.objects.filter(indicator__in=indicators).values_list("user_id", "indicator_id")
    Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            kind=NotificationKind.INDICATOR_SIGHTED,
            created_at=now,
            indicator_id=indicator_id,
            report=report,
        )
        for user_id, indicator_id in watches
    )


def report_index_on_submit(*, report: Report) -> None:
    """The intake hook: index inside the submission's transaction, never losing the report.

    Runs in a savepoint: if extraction fails, its partial writes roll back, the report is
    stored all the same with a failed ``ReportIndex`` row, and ``markaz intel reindex
    --pending`` retries it.
    """
    try:
        with transaction.atomic():
            report_index(report=report)
    except Exception:  # a bug in extraction must not cost a victim their report
        logger.exception("indexing report %s failed; it is stored and will be retried", report.pk)
        ReportIndex.objects.update_or_create(
            report=report, defaults={"indexed_at": timezone.now(), "failed": True}
        )


def reports_reindex(*, reports: Iterable[Report], actor: AbstractBaseUser | None) -> int:
    """Re-read reports (each in its own transaction), then rebuild campaigns once."""
    count = 0
    for report in reports:
        report_index(report=report, link=False)
        count += 1
    with transaction.atomic():
        warninglist_apply()
        campaigns = campaigns_rebuild()
        audit_record(
            actor=actor,
            action=AuditAction.INTEL_REINDEXED,
            extra={"reports": count, "campaigns": campaigns},
        )
    return count


@transaction.atomic
def campaigns_rebuild_all(*, actor: AbstractBaseUser | None) -> int:
    count = campaigns_rebuild()
    audit_record(actor=actor, action=AuditAction.CAMPAIGNS_REBUILT, extra={"campaigns": count})
    return count


# --- link state: warning lists and the guard --------------------------------------------------


def _indicators_relink(indicators: Iterable[Indicator]) -> set[int]:
    """Bring sightings' ``linking`` in line with their indicators; returns the reports touched."""
    reports: set[int] = set()
    for indicator in indicators:
        suspect = Sighting.objects.filter(indicator=indicator, role=SightingRole.SUSPECT)
        reports.update(suspect.values_list("report_id", flat=True))
        if indicator.guard == GuardState.CONFIRMED:
            suspect.filter(held=True).update(held=False)
        suspect.filter(held=False).update(linking=not indicator.warned)
        suspect.filter(held=True).update(linking=False)
    return reports


def warninglist_apply(*, candidates: Iterable[Indicator] | None = None) -> set[int]:
    """Re-flag indicators against the active warning list; relink the ones that changed.

    Returns the reports whose links changed (their campaigns are to be recomputed).
    """
    matcher = warninglist_matcher()
    rows = Indicator.objects.all() if candidates is None else candidates
    changed = []
    for indicator in rows:
        warned = matcher.covers(indicator.kind, indicator.value)
        if warned != indicator.warned:
            indicator.warned = warned
            changed.append(indicator)
    Indicator.objects.bulk_update(changed, ["warned"])
    return _indicators_relink(changed)


@transaction.atomic
def warninglist_add(
    *, kind: str, value: str, note: str, actor: AbstractBaseUser
) -> WarningListEntry:
    """Put a value on the warning list: it stays visible but links no more reports."""
    if kind not in ENTRY_KINDS:
        raise ValidationError(_("Unknown kind."))
    try:
        normal = entry_value_normal(kind, value)
    except ValueError as exc:
        raise ValidationError(_("Not a valid value of this kind: %(why)s") % {"why": exc}) from exc
    entry, _created = WarningListEntry.objects.update_or_create(
        kind=kind,
        value=normal,
        defaults={
            "active": True,
            "note": note[:300],
            "changed_at": timezone.now(),
            "changed_by": actor,
        },
        create_defaults={
            "source": WarningListSource.ANALYST,
            "active": True,
            "note": note[:300],
            "changed_at": timezone.now(),
            "changed_by": actor,
        },
    )
    _entry_changed(entry)
    audit_record(
        actor=actor,
        action=AuditAction.WARNINGLIST_ADDED,
        target=entry,
        extra={"kind": kind, "value": normal},
    )
    return entry


@transaction.atomic
def warninglist_add_indicator(
    *, indicator: Indicator, note: str, actor: AbstractBaseUser
) -> WarningListEntry:
    """Put an indicator itself on the list (its value is already normal; a card by HMAC)."""
    now = timezone.now()
    fields = {"active": True, "note": note[:300], "changed_at": now, "changed_by": actor}
    entry, _created = WarningListEntry.objects.update_or_create(
        kind=indicator.kind,
        value=indicator.value,
        defaults=fields,
        create_defaults={"source": WarningListSource.ANALYST, **fields},
    )
    _entry_changed(entry)
    audit_record(
        actor=actor,
        action=AuditAction.WARNINGLIST_ADDED,
        target=entry,
        extra={"kind": entry.kind, "indicator": indicator.pk},
    )
    return entry


@transaction.atomic
def warninglist_remove(*, entry: WarningListEntry, actor: AbstractBaseUser) -> None:
    """Take a value off the warning list (kept, inactive): it links reports again."""
    entry.active = False
    entry.changed_at = timezone.now()
    entry.changed_by = actor
    entry.save(update_fields=["active", "changed_at", "changed_by"])
    _entry_changed(entry)
    audit_record(
        actor=actor,
        action=AuditAction.WARNINGLIST_REMOVED,
        target=entry,
        extra={"kind": entry.kind, "value": entry.value},
    )


def _entry_changed(entry: WarningListEntry) -> None:
    candidates = indicators_possibly_covered(entry.kind, entry.value)
    reports = warninglist_apply(candidates=candidates)
    if reports:
        campaigns_recompute(report_ids=reports)


@transaction.atomic
def indicator_confirm(*, indicator: Indicator, actor: AbstractBaseUser) -> None:
    """An analyst confirms a held indicator is a real suspect's: it links every report again."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.guard != GuardState.HELD:
        raise ValidationError(_("This indicator is not waiting for confirmation."))
    indicator.guard = GuardState.CONFIRMED
    indicator.save(update_fields=["guard"])
    reports = _indicators_relink([indicator])
    campaigns_recompute(report_ids=reports)
    audit_record(actor=actor, action=AuditAction.INDICATOR_CONFIRMED, target=indicator)


# --- watches and notifications ---------------------------------------------------------------


@transaction.atomic
def watch_toggle(
    *,
    user: AbstractBaseUser,
    indicator: Indicator | None = None,
    campaign: Campaign | None = None,
) -> bool:
    """Start watching (returns True) or stop watching (False) an indicator or a campaign."""
    if (indicator is None) == (campaign is None):
        raise ValueError("watch exactly one indicator or one campaign")
    existing = Watch.objects.filter(user=user, indicator=indicator, campaign=campaign)
    target = indicator if indicator is not None else campaign
    if existing.exists():
        existing.delete()
        audit_record(actor=user, action=AuditAction.WATCH_REMOVED, target=target)
        return False
    Watch.objects.create(
        user=user, indicator=indicator, campaign=campaign, created_at=timezone.now()
    )
    audit_record(actor=user, action=AuditAction.WATCH_ADDED, target=target)
    return True


def notifications_mark_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


__all__ = [
    "CIDR",
    "campaigns_rebuild_all",
    "indicator_confirm",
    "notifications_mark_read",
    "report_index",
    "report_index_on_submit",
    "reports_reindex",
    "warninglist_add",
    "warninglist_add_indicator",
    "warninglist_apply",
    "warninglist_remove",
    "watch_toggle",
]
