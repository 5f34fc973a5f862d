"""Storing what reports name: indicators, sightings, index rows; one report or a batch.

One piece of code for the intake hook (a batch of one) and for bulk imports (a batch of
hundreds): extraction runs per report in Python, the writes go in a bounded number of
queries per batch (indicators upserted in bulk and locked in id order, sightings and index
rows bulk-inserted, indicator counters written back in one UPDATE), and the warning list
is matched in memory from a cached copy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar, cast

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from markaz.core.bulk import rows_insert, rows_update
from markaz.intake.models import Report
from markaz.intel.choices import GuardState, SightingRole
from markaz.intel.extraction import Occurrence, Reading
from markaz.intel.models import (
    Indicator,
    ReportIndex,
    Sighting,
    WarningListEntry,
)
from markaz.intel.warninglist import Matcher, warninglist_matcher

# Roles whose sightings alert watchers: a victim's own details stay out of intelligence.
NOTIFYING_ROLES = (SightingRole.SUSPECT, SightingRole.MENTIONED)
# Rows per IN (...) list: well under SQLite's 32766 bound variables.
CHUNK = 900

SIGHTING_COLUMNS = (
    "report_id",
    "indicator_id",
    "role",
    "field",
    "offset",
    "raw",
    "seen_at",
    "held",
    "linking",
)

T = TypeVar("T")

_matcher_cache: tuple[tuple[object, ...], Matcher] | None = None


def guard_limit() -> int:
    """An indicator named as the suspect's in more reports than this is held for an analyst."""
    return int(getattr(settings, "MARKAZ_INTEL_GUARD_REPORTS", 200))


def warninglist_matcher_cached() -> Matcher:
    """The active warning list, rebuilt only when the table changed (one small query).

    Every change of an entry (add, remove, shipped load) writes ``changed_at``; with the
    count and the highest id, that tells a stale copy apart, also across processes.
    """
    global _matcher_cache  # noqa: PLW0603 - a per-process cache of a few hundred rows
    state = WarningListEntry.objects.aggregate(
        n=Count("id"), changed=Max("changed_at"), top=Max("id")
    )
    key = (state["n"], state["changed"], state["top"])
    if _matcher_cache is None or _matcher_cache[0] != key:
        _matcher_cache = (key, warninglist_matcher())
    return _matcher_cache[1]


@dataclass
class IndexItem:
    """One report to index: what it names and, when re-read, the sightings it had."""

    report: Report
    reading: Reading
    # None: never indexed (just stored); else its sightings by indicator id (maybe none).
    previous: dict[int, Sighting] | None = None


@dataclass
class IndexOutcome:
    """What a batch stored: the linking (report, indicator) pairs, for campaign linking;
    the reports re-read; the (report, indicator) pairs of suspect or mentioned sightings
    new to their report, for watchers."""

    linking: list[tuple[int, int]] = field(default_factory=list)
    reread: list[int] = field(default_factory=list)
    sighted: list[tuple[int, int]] = field(default_factory=list)


def _chunks(values: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(slots=True)
class IndicatorState:
    """The columns of an indicator that storing sightings reads and writes back.

    A batch reads thousands of indicators; a model instance each cost more than the query.
    Attribute names are the model's, so ``rows_update(Indicator, ...)`` writes them.
    """

    pk: int
    report_count: int
    guard: str
    warned: bool
    first_seen: datetime
    last_seen: datetime


STATE_FIELDS = ("pk", "report_count", "guard", "warned", "first_seen", "last_seen")
# What a new indicator row holds in the columns indicators_upsert does not name.
NEW_REPORT_COUNT = Indicator._meta.get_field("report_count").get_default()
NEW_GUARD = Indicator._meta.get_field("guard").get_default()


def _inserts_read_back() -> bool:
    return bool(connection.features.can_return_rows_from_bulk_insert)


def indicators_upsert(
    occurrences: list[tuple[Occurrence, datetime]], *, matcher: Matcher
) -> dict[tuple[str, str], IndicatorState]:
    """One Indicator per (kind, value), created when new, locked for this transaction.

    The lock (in id order, so no deadlock) serialises two transactions naming the same
    value: the second sees the first's sightings and links to it. A row this transaction
    inserts is its own until it commits (no other sees it; another inserting the same
    value waits), so its state comes from what was inserted, not read back: most of a
    batch's indicators are new (a victim's contact details are, always).
    """
    first: dict[tuple[str, str], tuple[Occurrence, datetime]] = {}
    for occurrence, seen_at in occurrences:
        first.setdefault((occurrence.kind, occurrence.value), (occurrence, seen_at))
    if not first:
        return {}
    found = _indicators_insert(first, matcher=matcher)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for key in first:
        if key not in found:
            by_kind[key[0]].append(key[1])
    found.update(_indicators_lock(by_kind))
    return found


def _indicators_insert(
    first: dict[tuple[str, str], tuple[Occurrence, datetime]], *, matcher: Matcher
) -> dict[tuple[str, str], IndicatorState]:
    """Insert the indicators not stored yet (``first``: each value's first occurrence and
    when it was seen); the state of those inserted, as inserted."""
    warned = {(kind, value): matcher.covers(kind, value) for kind, value in first}
    # In one order for every transaction, so that two inserting the same new values wait
    # for each other instead of deadlocking.
    inserted = rows_insert(
        Indicator,
        ("kind", "value", "card_bin", "card_last4", "first_seen", "last_seen", "warned"),
        [
            (
                kind,
                value,
                o.card.bin if o.card else "",
                o.card.last4 if o.card else "",
                seen_at,
                seen_at,
                warned[(kind, value)],
            )
            for (kind, value), (o, seen_at) in sorted(first.items(), key=lambda kv: kv[0])
        ],
        ignore_conflicts=True,
        returning=("id", "kind", "value") if _inserts_read_back() else (),
    )
    found: dict[tuple[str, str], IndicatorState] = {}
    # Read back as the columns are: an integer id and two texts.
    for pk, kind, value in cast("list[tuple[int, str, str]]", inserted):
        key = (kind, value)
        seen_at = first[key][1]
        found[key] = IndicatorState(
            pk=pk,
            report_count=NEW_REPORT_COUNT,
            guard=NEW_GUARD,
            warned=warned[key],
            first_seen=seen_at,
            last_seen=seen_at,
        )
    return found


def _indicators_lock(by_kind: dict[str, list[str]]) -> dict[tuple[str, str], IndicatorState]:
    """Lock the stored indicators of these values (kind -> values), in id order; their state."""
    conditions = [
        Q(kind=kind, value__in=chunk)
        for kind, values in by_kind.items()
        for chunk in _chunks(values)
    ]
    found: dict[tuple[str, str], IndicatorState] = {}
    for start in range(0, len(conditions), 8):
        condition = Q()
        for part in conditions[start : start + 8]:
            condition |= part
        locked = Indicator.objects.select_for_update().filter(condition).order_by("pk")
        for kind, value, *state in locked.values_list("kind", "value", *STATE_FIELDS):
            found[(kind, value)] = IndicatorState(*state)
    return found


def sightings_store(items: list[IndexItem], *, matcher: Matcher | None = None) -> IndexOutcome:
    """Store the sightings of ``items`` (in order, as if one after the other); no linking.

    A re-read report (``previous`` given) has its sightings replaced; counters of the
    indicators it no longer names go down.
    """
    matcher = matcher or warninglist_matcher_cached()
    now = timezone.now()
    indicators = indicators_upsert(
        [(o, item.report.submitted_at) for item in items for o in item.reading.occurrences],
        matcher=matcher,
    )
    batch = _SightingsBatch(indicators=indicators, limit=guard_limit())
    for item in items:
        named = batch.add(item)
        if item.previous is not None:
            batch.reread(item.report.pk, item.previous, named=named)
    batch.write(items, now=now)
    return batch.outcome


@dataclass(slots=True)
class _SightingsBatch:
    """The sightings of a batch of reports and what they change of their indicators,
    gathered report by report, then written in a bounded number of statements."""

    indicators: dict[tuple[str, str], IndicatorState]
    limit: int  # guard_limit()
    changed: dict[int, IndicatorState] = field(default_factory=dict)
    changed_fields: set[str] = field(default_factory=set)
    sightings: list[tuple[object, ...]] = field(default_factory=list)
    dropped_suspect: list[int] = field(default_factory=list)
    outcome: IndexOutcome = field(default_factory=IndexOutcome)

    def add(self, item: IndexItem) -> set[int]:
        """One report's sightings, and the counters, first and last seen of the indicators
        it names (the ids returned).

        Longer than 60 lines on purpose: the loop runs once per occurrence of a
        million-report import, and its steps stay inline, where a call each would cost
        more than some of them.
        """
        report_id, seen_at = item.report.pk, item.report.submitted_at
        previous = item.previous or {}
        indicators, limit, changed = self.indicators, self.limit, self.changed
        sightings, outcome = self.sightings, self.outcome
        named: set[int] = set()
        for occurrence in item.reading.occurrences:
            indicator = indicators[(occurrence.kind, occurrence.value)]
            named.add(indicator.pk)
            old = previous.get(indicator.pk)
            was_suspect = old is not None and old.role == SightingRole.SUSPECT
            is_suspect = occurrence.role == SightingRole.SUSPECT
            fields: list[str] = []
            if is_suspect and not was_suspect:
                indicator.report_count += 1
                fields.append("report_count")
                if (
                    indicator.report_count > limit
                    and indicator.guard == GuardState.NONE
                    and not indicator.warned
                ):
                    indicator.guard = GuardState.HELD
                    fields.append("guard")
            elif was_suspect and not is_suspect:
                indicator.report_count -= 1
                fields.append("report_count")
            if seen_at < indicator.first_seen:
                indicator.first_seen = seen_at
                fields.append("first_seen")
            if seen_at > indicator.last_seen:
                indicator.last_seen = seen_at
                fields.append("last_seen")
            if fields:
                changed[indicator.pk] = indicator
                self.changed_fields.update(fields)
            held = is_suspect and (
                old.held if old is not None and was_suspect else indicator.guard == GuardState.HELD
            )
            linking = is_suspect and not indicator.warned and not held
            sightings.append(
                (
                    report_id,
                    indicator.pk,
                    occurrence.role,
                    occurrence.field,
                    occurrence.offset,
                    occurrence.raw,
                    seen_at,
                    held,
                    linking,
                )
            )
            if linking:
                outcome.linking.append((report_id, indicator.pk))
            if old is None and occurrence.role in NOTIFYING_ROLES:
                outcome.sighted.append((report_id, indicator.pk))
        return named

    def reread(self, report_id: int, previous: dict[int, Sighting], *, named: set[int]) -> None:
        """A report read again: its old sightings go, and the indicators it named as the
        suspect's and names no more count it no longer."""
        self.outcome.reread.append(report_id)
        self.dropped_suspect.extend(
            pk for pk, s in previous.items() if pk not in named and s.role == SightingRole.SUSPECT
        )

    def write(self, items: list[IndexItem], *, now: datetime) -> None:
        """The indicators' changes, the sightings and the reports' index rows, written."""
        if self.changed:
            # Locked in indicators_upsert (select_for_update, in id order).
            rows_update(
                Indicator, list(self.changed.values()), sorted(self.changed_fields), locked=True
            )
        if self.dropped_suspect:
            Indicator.objects.filter(pk__in=self.dropped_suspect).update(
                report_count=F("report_count") - 1
            )
        for chunk in _chunks(self.outcome.reread):
            Sighting.objects.filter(report_id__in=chunk).delete()
            ReportIndex.objects.filter(report_id__in=chunk).delete()
        rows_insert(Sighting, SIGHTING_COLUMNS, self.sightings)
        rows_insert(
            ReportIndex,
            ("report_id", "indexed_at", "failed", "problems"),
            [(item.report.pk, now, False, item.reading.problems) for item in items],
        )
