"""Writes of the intel app: indexing reports, warning lists, the guard, watches."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.intake.models import Report
from markaz.intel.campaigns import (
    campaigns_link_new_reports,
    campaigns_rebuild,
    campaigns_recompute,
    watchers_notify,
)
from markaz.intel.choices import GuardState, SightingRole, WarningListSource
from markaz.intel.extraction import (
    Reading,
    ReadingKey,
    ReportText,
    card_key,
    reading_key,
    report_occurrences,
)
from markaz.intel.indexing import IndexItem, sightings_store
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
    entry_value_normal,
    indicators_possibly_covered,
    warninglist_matcher,
)

logger = logging.getLogger(__name__)

# --- indexing -------------------------------------------------------------------------------
# The core (extraction results -> indicators, sightings) lives in ``indexing``; a
# submission (markaz.flows.submission), an import and ``markaz intel reindex`` all go
# through ``reports_index``.


def reports_index(
    *,
    reports: list[Report],
    identifiers: dict[int, list[tuple[str, str]]] | None = None,
    readings: dict[ReadingKey, Reading] | None = None,
    fresh: bool = False,
    link: bool = True,
) -> None:
    """Extract what ``reports`` name, store their sightings, then link them, as one batch.

    ``fresh``: the reports were just stored and never indexed (a submission), so nothing
    is read back, and a failure must not cost anyone a report: the indexing runs in a
    savepoint, and if extraction fails its writes roll back and each report gets a failed
    ``ReportIndex`` row instead (``markaz intel reindex --pending`` retries them). Not
    fresh: a re-read that replaces the reports' sightings (idempotent) and raises on
    failure. ``identifiers`` (report id -> [(kind, value)]) saves reading their suspect
    identifiers again; ``readings`` are readings extracted ahead (an import's workers,
    keyed by ``reading_key``), taken where a report's text and identifiers match. With
    ``link=False`` campaigns are left alone (``markaz intel reindex`` rebuilds them once
    at the end).
    """
    if not reports:
        return
    if not fresh:
        _reports_index(reports, identifiers=identifiers, readings=readings, fresh=False, link=link)
        return
    try:
        with transaction.atomic():
            _reports_index(
                reports, identifiers=identifiers, readings=readings, fresh=True, link=link
            )
    except Exception:  # a bug in extraction must not cost a victim their report
        logger.exception(
            "indexing %s report(s) from id %s failed; they are stored and will be retried",
            len(reports),
            reports[0].pk,
        )
        now = timezone.now()
        ReportIndex.objects.bulk_create(
            [ReportIndex(report=r, indexed_at=now, failed=True) for r in reports],
            ignore_conflicts=True,
        )


def _reports_index(
    reports: list[Report],
    *,
    identifiers: dict[int, list[tuple[str, str]]] | None,
    readings: dict[ReadingKey, Reading] | None,
    fresh: bool,
    link: bool,
) -> None:
    previous: dict[int, dict[int, Sighting]] = {}
    if not fresh:
        for sighting in Sighting.objects.filter(report__in=reports):
            previous.setdefault(sighting.report_id, {})[sighting.indicator_id] = sighting
    key = card_key()
    items = []
    for report in reports:
        rows = (identifiers or {}).get(report.pk)
        reading = readings.get(reading_key(report, rows)) if readings and rows is not None else None
        if reading is None:
            if rows is None:
                rows = [(i.kind, i.value) for i in report.suspect_identifiers.all()]
            reading = report_occurrences(report, identifiers=rows, key=key)
        items.append(
            IndexItem(
                report=report,
                reading=reading,
                previous=None if fresh else previous.get(report.pk, {}),
            )
        )
    outcome = sightings_store(items)
    grown: dict[int, set[int]] = {}
    linked = {report_id for report_id, _i in outcome.linking}
    if link and outcome.reread:
        # Re-read: links may have gone as well as come; walk their old campaigns again.
        trigger = outcome.reread[0] if len(outcome.reread) == 1 else None
        campaigns_recompute(report_ids=outcome.reread, trigger_report_id=trigger)
    elif link:
        grown = campaigns_link_new_reports(outcome.linking, reports=reports)
    watchers_notify(
        sighted=outcome.sighted,
        grown=grown,
        trigger_report_id=next(iter(linked)) if len(linked) == 1 else None,
    )


def draft_reading(
    draft: ReportText, identifiers: list[tuple[str, str]]
) -> tuple[ReadingKey, Reading]:
    """The reading a report with this draft's text and identifiers will have (pure)."""
    return reading_key(draft, identifiers), report_occurrences(draft, identifiers=identifiers)


def reports_reindex(*, reports: Iterable[Report], actor: User | None) -> int:
    """Re-read reports (each in its own transaction), then rebuild campaigns once."""
    count = 0
    for report in reports:
        with transaction.atomic():
            reports_index(reports=[report], link=False)
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


@transaction.atomic(durable=True)
def campaigns_rebuild_all(*, actor: User | None) -> int:
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


@transaction.atomic(durable=True)
def warninglist_add(*, kind: str, value: str, note: str, actor: User) -> WarningListEntry:
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


@transaction.atomic(durable=True)
def warninglist_add_indicator(*, indicator: Indicator, note: str, actor: User) -> WarningListEntry:
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


@transaction.atomic(durable=True)
def warninglist_remove(*, entry: WarningListEntry, actor: User) -> None:
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


@transaction.atomic(durable=True)
def indicator_confirm(*, indicator: Indicator, actor: User) -> None:
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


@transaction.atomic(durable=True)
def watch_toggle(
    *,
    user: User,
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


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


__all__ = [
    "CIDR",
    "campaigns_rebuild_all",
    "indicator_confirm",
    "notifications_mark_read",
    "draft_reading",
    "reports_index",
    "reports_reindex",
    "warninglist_add",
    "warninglist_add_indicator",
    "warninglist_apply",
    "warninglist_remove",
    "watch_toggle",
]
