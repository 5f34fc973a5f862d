"""Campaigns: connected components of reports over linking suspect sightings.

Kept incrementally: a new report joins its neighbours' campaign, and when it bridges
several, they merge into the largest (union by size; the table ``CampaignMember`` is the
union-find's root map, so no path compression is needed). When links disappear (a value
goes on a warning list) the affected campaigns are recomputed by a breadth-first walk.
``campaigns_rebuild`` recomputes every component from scratch with an in-memory
union-find and keeps campaign ids stable where components did not change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache, partial
from itertools import islice, zip_longest
from typing import TYPE_CHECKING, cast

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Model, Q, QuerySet, Sum, UniqueConstraint
from django.utils import timezone

from markaz.audit.choices import AuditAction
from markaz.audit.services import AuditEntry, audit_record_many
from markaz.core.bulk import column_field, column_name, column_reader, rows_insert, rows_update
from markaz.core.country import current_country
from markaz.intel.choices import NotificationKind
from markaz.intel.models import (
    Campaign,
    CampaignMember,
    Indicator,
    Notification,
    Sighting,
    Watch,
)

if TYPE_CHECKING:
    from markaz.intake.models import Report

CHUNK = 2000


def _chunks(values: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def report_neighbours(report_ids: Iterable[int]) -> set[int]:
    """Reports sharing a linking suspect indicator with any of ``report_ids`` (themselves included)."""
    ids = set(report_ids)
    indicator_ids: set[int] = set()
    for batch in _chunks(ids):
        indicator_ids.update(
            Sighting.objects.filter(report_id__in=batch, linking=True).values_list(
                "indicator_id", flat=True
            )
        )
    out: set[int] = set()
    for batch in _chunks(indicator_ids):
        out.update(
            Sighting.objects.filter(indicator_id__in=batch, linking=True)
            .order_by()
            .values_list("report_id", flat=True)
        )
    return out


def _component_walk(seeds: set[int]) -> list[set[int]]:
    """The full connected components containing ``seeds`` (breadth-first over the graph)."""
    components: list[set[int]] = []
    remaining = set(seeds)
    while remaining:
        start = remaining.pop()
        component = {start}
        frontier = {start}
        while frontier:
            reached = report_neighbours(frontier) - component
            component |= reached
            frontier = reached
        remaining -= component
        components.append(component)
    return components


def _memberships(report_ids: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for batch in _chunks(report_ids):
        out.update(
            CampaignMember.objects.filter(report_id__in=batch).values_list(
                "report_id", "campaign_id"
            )
        )
    return out


def campaigns_settle(
    components: list[set[int]],
    *,
    trigger_report_id: int | None = None,
    current: dict[int, int] | None = None,
) -> None:
    """Make the campaign table agree with ``components`` (each a full connected component).

    Every component of two or more reports keeps the existing campaign that holds most of
    its reports (so ids stay stable and merges keep the larger campaign); the rest get a
    new one. Reports in a component of one leave their campaign. Emptied campaigns pass
    their watchers to the campaign that took most of their reports, then are deleted.
    ``current`` (report -> campaign) saves reading the memberships of the components.
    """
    all_reports: set[int] = set().union(*components) if components else set()
    if current is None:
        current = _memberships(all_reports)
    settlement = _settlement(components, current)
    _members_move(all_reports, settlement.assignment, current)
    still = _emptied_remove(settlement, current)
    campaigns_refresh(settlement.claimed | still)
    watchers_notify(grown=settlement.grown, trigger_report_id=trigger_report_id)


@dataclass
class _Settlement:
    """Where the reports of the components go, as ``campaigns_settle`` decides it."""

    assignment: dict[int, int] = field(default_factory=dict)  # report -> campaign
    grown: dict[int, set[int]] = field(default_factory=dict)  # campaign -> reports joining
    claimed: set[int] = field(default_factory=set)  # the campaigns kept or created
    # A new campaign -> the campaigns its reports were in before.
    split_off: dict[int, set[int]] = field(default_factory=dict)

    def claim(self, campaign_id: int, component: set[int], current: dict[int, int]) -> None:
        self.claimed.add(campaign_id)
        self.assignment.update(dict.fromkeys(component, campaign_id))
        joined = {r for r in component if current.get(r) != campaign_id}
        if joined:
            self.grown[campaign_id] = joined


def _settlement(components: list[set[int]], current: dict[int, int]) -> _Settlement:
    """Each component of two or more reports, largest first, keeps the campaign holding
    most of its reports that no larger one kept; the others get a campaign created now."""
    settlement = _Settlement()
    unclaimed: list[set[int]] = []
    for component in sorted(components, key=len, reverse=True):
        if len(component) < 2:
            continue
        overlap = Counter(current[r] for r in component if r in current)
        chosen = next((c for c, _n in overlap.most_common() if c not in settlement.claimed), None)
        if chosen is None:
            unclaimed.append(component)
        else:
            settlement.claim(chosen, component, current)
    now = timezone.now()
    created = Campaign.objects.bulk_create(
        [Campaign(created_at=now, updated_at=now) for _c in unclaimed], batch_size=CHUNK
    )
    for component, campaign in zip(unclaimed, created, strict=True):
        if campaign.pk is None:  # a backend that returns no ids: fall back to one by one
            campaign.save()
        settlement.claim(campaign.pk, component, current)
        settlement.split_off[campaign.pk] = {current[r] for r in component if r in current}
    return settlement


def _members_move(
    all_reports: set[int], assignment: dict[int, int], current: dict[int, int]
) -> None:
    """Memberships as ``assignment`` says (report -> campaign): reports it leaves out leave
    their campaign, the others move or join."""
    leaving = [r for r in all_reports if r in current and r not in assignment]
    for batch in _chunks(leaving):
        CampaignMember.objects.filter(report_id__in=batch).delete()
    by_campaign: dict[int, list[int]] = defaultdict(list)
    for report_id, campaign_id in assignment.items():
        if current.get(report_id) != campaign_id:
            by_campaign[campaign_id].append(report_id)
    for campaign_id, report_ids in by_campaign.items():
        moving = [r for r in report_ids if r in current]
        for batch in _chunks(moving):
            CampaignMember.objects.filter(report_id__in=batch).update(campaign_id=campaign_id)
        CampaignMember.objects.bulk_create(
            CampaignMember(report_id=r, campaign_id=campaign_id)
            for r in report_ids
            if r not in current
        )


def _emptied_remove(settlement: _Settlement, current: dict[int, int]) -> set[int]:
    """Delete the campaigns the settlement emptied, their followers passed to the campaign
    that took most of their reports, each change on the record. Returns the campaigns not
    kept that still have members (outside the components settled)."""
    emptied = set(current.values()) - settlement.claimed
    still = set(
        CampaignMember.objects.filter(campaign_id__in=emptied).values_list("campaign_id", flat=True)
    )
    absorbed: dict[int, int] = {}
    assignment = settlement.assignment
    for old in emptied - still:
        heirs = Counter(assignment[r] for r, c in current.items() if c == old and r in assignment)
        if heirs:
            absorbed[old] = heirs.most_common(1)[0][0]
    _followers_merge(absorbed)
    Campaign.objects.filter(pk__in=emptied - still).delete()
    _reshaping_audit(
        absorbed=absorbed,
        dissolved=emptied - still - set(absorbed),
        split_off=settlement.split_off,
    )
    return still


def _reshaping_audit(
    *, absorbed: dict[int, int], dissolved: set[int], split_off: dict[int, set[int]]
) -> None:
    """One audit event per campaign merged into another, dissolved (its reports linked to
    nothing any more) or split off from earlier ones: the campaign a case or a watch
    followed may change under it, so the change is on the record. The system acts: a
    report stored, a warning list changed, an indicator confirmed."""
    entries = [
        AuditEntry(
            actor=None,
            action=AuditAction.CAMPAIGN_MERGED,
            target=Campaign(pk=heir),
            extra={"absorbed": Campaign(pk=old).reference},
        )
        for old, heir in sorted(absorbed.items())
    ]
    entries += [
        AuditEntry(actor=None, action=AuditAction.CAMPAIGN_DISSOLVED, target=Campaign(pk=old))
        for old in sorted(dissolved)
    ]
    entries += [
        AuditEntry(
            actor=None,
            action=AuditAction.CAMPAIGN_SPLIT,
            target=Campaign(pk=new),
            extra={"from": sorted(Campaign(pk=old).reference for old in earlier)},
        )
        for new, earlier in sorted(split_off.items())
        if earlier
    ]
    audit_record_many(entries=entries)


@cache
def campaign_followers() -> tuple[tuple[type[Model], str], ...]:
    """(model, owner column) of every row that follows a campaign: a watch (its user), and
    in the apps above intel, a case's link to it (its case).

    A follower is a model with a foreign key ``campaign`` to Campaign that is unique per
    owner (a ``UniqueConstraint`` on the owner and ``campaign``). They are found in Django's
    model registry, as Django's deletion finds the rows that cascade: intel imports
    nothing of the apps above it, and a new kind of follower needs no change here.
    """
    found = []
    for relation in Campaign._meta.related_objects:
        model = relation.related_model
        if relation.field.name != "campaign" or not isinstance(model, type):
            continue
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if (
                isinstance(constraint, UniqueConstraint)
                and len(fields) == 2
                and "campaign" in fields
            ):
                owner = next(name for name in fields if name != "campaign")
                found.append((model, column_field(model, owner).attname))
    return tuple(sorted(found, key=lambda pair: pair[0]._meta.label))


def _followers_merge(absorbed: dict[int, int]) -> None:
    """Followers of campaigns about to be deleted (``campaign_followers``: watches, case
    links) go to the campaign that took their reports (``absorbed``: old campaign -> heir),
    once per owner."""
    if not absorbed:
        return
    for model, owner in campaign_followers():
        rows = model._default_manager.filter(
            campaign_id__in=[*absorbed, *set(absorbed.values())]
        ).values_list("pk", owner, "campaign_id")
        following: dict[int, set[int]] = defaultdict(set)
        moving: list[tuple[int, int, int]] = []
        for pk, owner_id, campaign_id in rows:
            if campaign_id in absorbed:
                moving.append((pk, owner_id, absorbed[campaign_id]))
            else:
                following[campaign_id].add(owner_id)
        moves: dict[int, list[int]] = defaultdict(list)
        for pk, owner_id, heir in sorted(moving):
            if owner_id not in following[heir]:  # a duplicate goes with the deleted campaign
                following[heir].add(owner_id)
                moves[heir].append(pk)
        for heir, pks in moves.items():
            model._default_manager.filter(pk__in=pks).update(campaign_id=heir)


def watchers_notify(
    *,
    sighted: Sequence[tuple[int, int]] = (),
    grown: Mapping[int, set[int]] | None = None,
    trigger_report_id: int | None = None,
) -> None:
    """Notify the watchers of indicators sighted again (``sighted``: (report, indicator)
    pairs of suspect or mentioned sightings) and of campaigns that reports joined
    (``grown``: campaign -> the reports that joined it, the notification naming
    ``trigger_report_id`` when it is one of them), once the act that sighted them commits.

    After the commit: a notification is a side effect of the act, never a reason to undo
    it (``robust``: a failure here is logged, the report stays stored), and it never
    tells of a report that was rolled back.
    """
    if not sighted and not grown:
        return
    transaction.on_commit(
        partial(
            _notifications_write,
            sighted=list(sighted),
            grown=dict(grown or {}),
            trigger_report_id=trigger_report_id,
        ),
        robust=True,
    )


def _notifications_write(
    *,
    sighted: Sequence[tuple[int, int]],
    grown: Mapping[int, set[int]],
    trigger_report_id: int | None,
) -> None:
    """The notifications of ``watchers_notify``: one read of the watches for both kinds."""
    indicator_ids = sorted({indicator_id for _r, indicator_id in sighted})
    if not indicator_ids and not grown:
        return
    by_indicator: dict[int, list[int]] = defaultdict(list)
    by_campaign: dict[int, list[int]] = defaultdict(list)
    none: list[int] = []
    for indicators, campaigns in zip_longest(
        _chunks(indicator_ids), _chunks(sorted(grown)), fillvalue=none
    ):
        watches = Watch.objects.filter(
            Q(indicator_id__in=indicators) | Q(campaign_id__in=campaigns)
        ).values_list("user_id", "indicator_id", "campaign_id")
        for user_id, indicator_id, campaign_id in watches:
            if indicator_id is not None:
                by_indicator[indicator_id].append(user_id)
            else:
                by_campaign[campaign_id].append(user_id)
    if not by_indicator and not by_campaign:
        return
    now = timezone.now()
    sightings = [
        Notification(
            user_id=user_id,
            kind=NotificationKind.INDICATOR_SIGHTED,
            created_at=now,
            indicator_id=indicator_id,
            report_id=report_id,
        )
        for report_id, indicator_id in sighted
        for user_id in by_indicator.get(indicator_id, ())
    ]
    growth = [
        Notification(
            user_id=user_id,
            kind=NotificationKind.CAMPAIGN_GREW,
            created_at=now,
            campaign_id=campaign_id,
            report_id=trigger_report_id
            if trigger_report_id in grown[campaign_id]
            else min(grown[campaign_id]),
        )
        for campaign_id, users in by_campaign.items()
        for user_id in users
    ]
    Notification.objects.bulk_create([*sightings, *growth])


FIGURES = ["report_count", "victim_count", "loss_main", "first_report_at", "last_report_at"]
# From this many campaigns on, one grouped pass over every member beats batches by id.
REFRESH_WHOLE_TABLE = 20_000


def campaigns_refresh(campaign_ids: Iterable[int]) -> None:
    """Recompute each campaign's figures (counts, loss in the main currency, first/last);
    only the campaigns whose figures changed are written."""
    from markaz.intake.models import Report

    ids = set(campaign_ids)
    if not ids:
        return
    main = current_country().default_currency
    aggregates = {
        "reports": Count("id"),
        "victims": Count("id", filter=Q(duplicate_of__isnull=True)),
        "loss": Sum("loss_amount", filter=Q(loss_currency=main, duplicate_of__isnull=True)),
        "first": Min("submitted_at"),
        "last": Max("submitted_at"),
    }
    key = "campaign_membership__campaign_id"
    passes: list[tuple[QuerySet[Report], list[int] | None]]
    if len(ids) >= REFRESH_WHOLE_TABLE:
        passes = [(Report.objects.filter(campaign_membership__isnull=False), None)]
    else:
        passes = [
            (Report.objects.filter(campaign_membership__campaign_id__in=batch), batch)
            for batch in _chunks(ids, 500)
        ]
    now = timezone.now()
    for reports, batch in passes:
        fresh = {
            row[key]: (
                row["reports"],
                row["victims"],
                row["loss"] or Decimal(0),
                row["first"],
                row["last"],
            )
            for row in reports.order_by().values(key).annotate(**aggregates).iterator()
            if row[key] in ids
        }
        stored = Campaign.objects.order_by().values_list("pk", *FIGURES)
        if batch is not None:
            stored = stored.filter(pk__in=batch)
        changed = [
            Campaign(pk=pk, updated_at=now, **dict(zip(FIGURES, fresh[pk], strict=True)))
            for pk, *figures in stored.iterator(chunk_size=20_000)
            if pk in fresh and tuple(figures) != fresh[pk]
        ]
        rows_update(Campaign, changed, [*FIGURES, "updated_at"])


def campaigns_recompute(*, report_ids: Iterable[int], trigger_report_id: int | None = None) -> None:
    """Recompute the components around ``report_ids`` after links appeared or disappeared."""
    seeds = set(report_ids)
    campaign_ids = set(_memberships(seeds).values())
    if campaign_ids:
        seeds.update(
            CampaignMember.objects.filter(campaign_id__in=campaign_ids).values_list(
                "report_id", flat=True
            )
        )
    campaigns_settle(_component_walk(seeds), trigger_report_id=trigger_report_id)


def components_from_scratch() -> list[set[int]]:
    """Every component of two or more reports, by union-find over all linking sightings."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    last_indicator = None
    first_report = 0
    rows = (
        Sighting.objects.filter(linking=True)
        .order_by("indicator_id", "report_id")
        .values_list("indicator_id", "report_id")
        .iterator(chunk_size=20_000)
    )
    for indicator_id, report_id in rows:
        if indicator_id != last_indicator:
            last_indicator, first_report = indicator_id, report_id
            parent.setdefault(report_id, report_id)
            continue
        a, b = find(first_report), find(report_id)
        if a != b:
            parent[b] = a
    groups: dict[int, set[int]] = defaultdict(set)
    for report_id in list(parent):
        groups[find(report_id)].add(report_id)
    return [g for g in groups.values() if len(g) > 1]


def campaigns_rebuild() -> int:
    """Recompute every campaign from scratch; returns how many there are."""
    components = components_from_scratch()
    in_components = set().union(*components) if components else set()
    current = dict(
        CampaignMember.objects.order_by()
        .values_list("report_id", "campaign_id")
        .iterator(chunk_size=20_000)
    )
    orphans = current.keys() - in_components
    campaigns_settle([*components, *({r} for r in orphans)], current=current)
    Campaign.objects.filter(members__isnull=True).delete()
    return Campaign.objects.count()


def _neighbour_representatives(
    indicator_ids: list[int], new_reports: list[int], *, main: str
) -> list[tuple[int, int, int | None, _Figures]]:
    """For each indicator, one report that named it before ``new_reports`` did, that
    report's campaign, and the figures of the campaign (or of the report, when it is in
    none): ``(indicator, report, campaign or None, figures)``.

    One is enough: reports sharing a linking indicator are one component, so when an
    indicator has two or more earlier linking sightings, all of them are in the same
    campaign; with one, that report is in a campaign or alone. One index probe per
    indicator (``LIMIT 1`` on the partial linking index), however many reports named it;
    the figures come in the same statement (a new report waits on each round trip to the
    database). ``main``: the currency whose losses count.
    """
    from markaz.intake.models import Report

    sighting, member = Sighting._meta.db_table, CampaignMember._meta.db_table
    indicators = ", ".join(["%s"] * len(indicator_ids))
    fresh = ", ".join(["%s"] * len(new_reports))
    columns = [(Campaign, "c", name) for name in FIGURES] + [
        (Report, "rep", name) for name in REPORT_FIGURES
    ]
    selected = ", ".join(
        f"{alias}.{column_name(column_field(model, name))}" for model, alias, name in columns
    )
    sql = (
        f"SELECT r.indicator_id, r.report_id, c.id, {selected}"  # noqa: S608 - model tables
        f" FROM (SELECT i.id AS indicator_id, (SELECT s.report_id FROM {sighting} s"
        f" WHERE s.indicator_id = i.id AND s.linking AND s.report_id NOT IN ({fresh})"
        f" LIMIT 1) AS report_id"
        f" FROM {Indicator._meta.db_table} i WHERE i.id IN ({indicators})"
        f") r JOIN {Report._meta.db_table} rep ON rep.id = r.report_id"
        f" LEFT JOIN {member} m ON m.report_id = r.report_id"
        f" LEFT JOIN {Campaign._meta.db_table} c ON c.id = m.campaign_id"
    )
    readers = [column_reader(model, name) for model, _alias, name in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*new_reports, *indicator_ids])
        rows = cursor.fetchall()
    out = []
    for indicator_id, report_id, campaign_id, *values in rows:
        # Each value as its column's reader makes it (column_reader: typed object there).
        read = [convert(value) for convert, value in zip(readers, values, strict=True)]
        if campaign_id is None:
            figures = _report_figure(*cast(_ReportColumns, read[len(FIGURES) :]), main=main)
        else:
            figures = _Figures(*cast(_FigureColumns, read[: len(FIGURES)]))
        out.append((indicator_id, report_id, campaign_id, figures))
    return out


@dataclass(slots=True)
class _Figures:
    """A campaign's figures, added up as reports and campaigns join it."""

    reports: int = 0
    victims: int = 0
    loss: Decimal = Decimal(0)
    first: datetime | None = None
    last: datetime | None = None

    def add(self, other: _Figures) -> None:
        self.reports += other.reports
        self.victims += other.victims
        self.loss += other.loss
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first
        if other.last is not None and (self.last is None or other.last > self.last):
            self.last = other.last


# The columns of a report that its campaign's figures add up, in ``_report_figure``'s order.
REPORT_FIGURES = ("duplicate_of_id", "loss_amount", "loss_currency", "submitted_at")
# Their values, and those of a campaign's FIGURES (in ``_Figures``' order), as read.
_ReportColumns = tuple[int | None, Decimal | None, str, datetime]
_FigureColumns = tuple[int, int, Decimal, datetime | None, datetime | None]


def _report_figure(
    duplicate_of: int | None,
    amount: Decimal | None,
    currency: str,
    submitted_at: datetime,
    *,
    main: str,
) -> _Figures:
    """What one report adds to its campaign: a victim and its loss unless it repeats an
    earlier report; the loss counts only in the main currency."""
    first_report = duplicate_of is None
    loss = amount if first_report and amount is not None and currency == main else Decimal(0)
    return _Figures(1, int(first_report), loss, submitted_at, submitted_at)


def campaigns_link_new_reports(
    linking: list[tuple[int, int]], *, reports: Iterable[Report]
) -> dict[int, set[int]]:
    """Incremental step for reports just indexed (none had a campaign or a link before).

    ``linking`` holds their linking (report, indicator) pairs; ``reports``, those reports
    as stored (their figures are not read back). Returns the campaigns they joined, each
    with the reports that joined it, for ``watchers_notify``. The campaigns of the reports
    they share an indicator with are full components already, so each new component is a
    union of whole campaigns, reports without one and new reports: found by a union-find
    over campaigns and reports in memory, then written in a few queries whatever the batch
    or campaign size. The component keeps the campaign with most reports (union by size);
    the others are merged into it (watchers move with them) and deleted. Figures are added
    up (a campaign's own, its new reports', the merged campaigns'), never re-aggregated
    over all members.
    """
    if not linking:
        return {}
    by_indicator, figures = _link_nodes(linking, reports=reports)
    plan = _LinkPlan()
    now = timezone.now()
    for group in _node_groups(by_indicator):
        plan.add(group, figures, now=now)
    plan.write(now=now)
    return plan.grown


# A node of the union-find: ("c", campaign id) for a whole campaign, ("r", report id) for
# a report in none.
_Node = tuple[str, int]


def _link_nodes(
    linking: list[tuple[int, int]], *, reports: Iterable[Report]
) -> tuple[dict[int, set[_Node]], dict[_Node, _Figures]]:
    """For each linking indicator, the nodes naming it: the new reports, and one node for
    the reports that named it before (their campaign, or the one report); the figures of
    each node: the neighbours' campaigns and lone reports as read, the new reports as they
    were stored."""
    by_indicator: dict[int, set[_Node]] = defaultdict(set)
    for report_id, indicator_id in linking:
        by_indicator[indicator_id].add(("r", report_id))
    fresh = sorted({r for r, _i in linking})
    main = current_country().default_currency
    figures: dict[_Node, _Figures] = {
        ("r", r.pk): _report_figure(
            r.duplicate_of_id, r.loss_amount, r.loss_currency, r.submitted_at, main=main
        )
        for r in reports
    }
    for batch in _chunks(sorted(by_indicator), max(1, CHUNK - len(fresh))):
        neighbours = _neighbour_representatives(batch, fresh, main=main)
        for indicator_id, report_id, campaign_id, found in neighbours:
            node = ("r", report_id) if campaign_id is None else ("c", campaign_id)
            by_indicator[indicator_id].add(node)
            figures[node] = found
    return by_indicator, figures


def _node_groups(by_indicator: dict[int, set[_Node]]) -> list[list[_Node]]:
    """The connected groups of nodes, two nodes joined when they name one indicator
    (a union-find in memory)."""
    parent: dict[_Node, _Node] = {}

    def find(x: _Node) -> _Node:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for nodes in by_indicator.values():
        first, *others = nodes
        first_root = find(first)
        for other in others:
            root = find(other)
            if root != first_root:
                parent[root] = first_root
    groups: dict[_Node, list[_Node]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return list(groups.values())


@dataclass
class _LinkPlan:
    """What linking new reports changes, group by group, then written at once."""

    members: list[tuple[int, int]] = field(default_factory=list)  # (report, campaign)
    absorbed: dict[int, int] = field(default_factory=dict)  # old campaign -> its heir
    grown: dict[int, set[int]] = field(default_factory=dict)  # campaign -> reports joining
    changed: dict[int, _Figures] = field(default_factory=dict)  # campaign -> its figures
    pending: list[tuple[list[int], Campaign]] = field(default_factory=list)  # to create

    def add(self, group: list[_Node], figures: dict[_Node, _Figures], *, now: datetime) -> None:
        """One group: its reports join the campaign in it with most reports, which absorbs
        the others; a group of reports alone, two or more, makes a new campaign."""
        campaigns = [c for kind, c in group if kind == "c"]
        lone = [r for kind, r in group if kind == "r"]
        if not campaigns and len(lone) < 2:
            return
        total = _Figures()
        for r in lone:
            total.add(figures[("r", r)])
        if not campaigns:
            self.pending.append((lone, _campaign_new(total, now=now)))
            return
        chosen = max(campaigns, key=lambda c: (figures[("c", c)].reports, -c))
        for other in campaigns:
            total.add(figures[("c", other)])
            if other != chosen:
                self.absorbed[other] = chosen
        self.members.extend((r, chosen) for r in lone)
        self.grown[chosen] = set(lone)
        self.changed[chosen] = total

    def write(self, *, now: datetime) -> None:
        if self.pending:
            created = Campaign.objects.bulk_create([c for _l, c in self.pending])
            for (lone, _c), campaign in zip(self.pending, created, strict=True):
                if campaign.pk is None:  # a backend that returns no ids: one by one
                    campaign.save()
                self.members.extend((r, campaign.pk) for r in lone)
        if self.absorbed:
            _campaigns_absorb(self.absorbed)
        # No ids read back: on PostgreSQL the insert then waits for nothing (see reports_index).
        rows_insert(CampaignMember, ("report_id", "campaign_id"), self.members)
        rows_update(
            Campaign,
            [_campaign_new(f, now=now, pk=pk) for pk, f in self.changed.items()],
            [*FIGURES, "updated_at"],
        )


def _campaign_new(figures: _Figures, *, now: datetime, pk: int | None = None) -> Campaign:
    """A campaign (to create, or with ``pk`` to write back) holding ``figures``."""
    return Campaign(
        pk=pk,
        created_at=now,
        updated_at=now,
        report_count=figures.reports,
        victim_count=figures.victims,
        loss_main=figures.loss,
        first_report_at=figures.first,
        last_report_at=figures.last,
    )


def _campaigns_absorb(absorbed: dict[int, int]) -> None:
    """Merge each campaign into its heir (``absorbed``: old -> heir): members and followers
    move, the old campaign goes, each merge on the record."""
    by_target: dict[int, list[int]] = defaultdict(list)
    for old, new in absorbed.items():
        by_target[new].append(old)
    for new, olds in by_target.items():
        CampaignMember.objects.filter(campaign_id__in=olds).update(campaign_id=new)
    _followers_merge(absorbed)
    Campaign.objects.filter(pk__in=list(absorbed)).delete()
    _reshaping_audit(absorbed=absorbed, dissolved=set(), split_off={})
