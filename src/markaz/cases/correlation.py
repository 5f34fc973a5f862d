"""Intel as staff see it: indicators, campaigns and a report's links, with the cases that
hold them, and the reports behind them only where the viewer may open them.

These reads join intel's indicators and campaigns with cases and with report access
(``markaz.cases.report_access``), so they live in the cases layer, above both: intel
itself knows nothing of cases. An analyst who is not a member of a report's case sees
indicators, campaigns and figures here, never victims' details.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, Max, Min, Model, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.choices import ACTIVE_STATUSES
from markaz.cases.models import Case, CaseCampaign, CaseReport
from markaz.cases.report_access import reports_visible_to
from markaz.cases.rules import Viewer, cases_visible_to
from markaz.intake.models import Report
from markaz.intel.choices import SightingRole
from markaz.intel.models import (
    Campaign,
    CampaignMember,
    Indicator,
    Sighting,
    WarningListEntry,
    Watch,
)
from markaz.intel.selectors import (
    INTEL_ROLES,
    LIST_CAP,
    campaign_figures,
    region_name,
    search_candidates,
)

# Reads per compound statement (_newest_per_indicator): well under SQLite's 500 terms.
COMPOUND_READS = 100


@dataclass
class SharedReport:
    report_id: int
    reference: str | None  # None: a report this user may not see
    indicators: list[Indicator]


@dataclass
class Correlation:
    report: Report
    shared: list[SharedReport]
    hidden_reports: int
    campaign: Campaign | None
    cases: list[Case]  # the cases holding its neighbours that the user may see
    hidden_cases: int
    not_linking: list[Indicator]  # suspect indicators on a warning list or held
    more: int = 0


def report_correlation(*, user: Viewer, report: Report) -> Correlation:
    """The reports, campaign and cases that share a suspect indicator with ``report``, and
    through which indicators. ``report`` must come from ``reports_visible_to`` already."""
    own = Sighting.objects.filter(report=report, role=SightingRole.SUSPECT).select_related(
        "indicator"
    )
    linking = {s.indicator_id: s.indicator for s in own if s.linking}
    not_linking = [s.indicator for s in own if not s.linking]
    others = Sighting.objects.filter(linking=True).exclude(report=report).order_by()
    neighbours = others.filter(indicator_id__in=list(linking))
    pairs, count = _neighbour_pairs(others, neighbours, list(linking))
    through: dict[int, list[Indicator]] = defaultdict(list)
    for report_id, indicator_id in sorted(pairs, key=lambda pair: pair[1]):
        through[report_id].append(linking[indicator_id])
    shown_ids = sorted(through, reverse=True)[:LIST_CAP]
    visible = dict(
        reports_visible_to(user=user).filter(pk__in=shown_ids).values_list("pk", "reference")
    )
    shared = [
        SharedReport(report_id=r, reference=visible.get(r), indicators=through[r])
        for r in shown_ids
    ]
    # No report shares a linking indicator: then it is in no campaign either (one query less).
    member = (
        CampaignMember.objects.select_related("campaign").filter(report=report).first()
        if count
        else None
    )
    # A subquery, not the ids: a report of a big campaign has thousands of neighbours.
    cases, hidden_cases = (
        _cases_of(user=user, report_ids=neighbours.values_list("report_id", flat=True))
        if count
        else ([], 0)
    )
    return Correlation(
        report=report,
        shared=[s for s in shared if s.reference],
        hidden_reports=sum(1 for s in shared if not s.reference),
        campaign=member.campaign if member else None,
        cases=cases,
        hidden_cases=hidden_cases,
        not_linking=not_linking,
        more=max(0, count - LIST_CAP),
    )


def _neighbour_pairs(
    others: QuerySet[Sighting], neighbours: QuerySet[Sighting], linking: list[int]
) -> tuple[list[tuple[int, int]], int]:
    """(report, indicator) pairs of the neighbours through the ``linking`` indicators,
    enough to show the newest LIST_CAP neighbours; and how many neighbours there are.

    Most reports have few neighbours: one read of them all (straight from the partial
    linking index). A member of a big campaign has thousands: then the database counts
    them and, per indicator, reads only the newest LIST_CAP in index order (asked for all
    indicators at once with a sort, SQLite's planner looked up every row); together
    those hold every indicator of the newest LIST_CAP neighbours overall.
    """
    enough = LIST_CAP * len(linking)
    pairs = list(neighbours.values_list("report_id", "indicator_id")[: enough + 1])
    if len(pairs) <= enough:
        return pairs, len({report_id for report_id, _i in pairs})
    count: int = neighbours.aggregate(n=Count("report_id", distinct=True))["n"]
    newest = _newest_per_indicator(
        [
            others.filter(indicator_id=indicator_id)
            .order_by("-report_id")
            .values_list("report_id", "indicator_id")[:LIST_CAP]
            for indicator_id in linking
        ]
    )
    return newest, count


def _newest_per_indicator(
    reads: list[QuerySet[Sighting, tuple[int, int]]],
) -> list[tuple[int, int]]:
    """The rows of several sliced reads of (report id, indicator id), in one statement.

    Each read keeps its own plan (a walk down the partial linking index, stopping at its
    limit); sent as one ``UNION ALL`` of them, the report page of a big campaign's member
    waits for one round trip to the database instead of one per indicator (on
    PostgreSQL about a millisecond each). Each read is wrapped in its own sub-select: a
    compound statement does not take ``ORDER BY`` and ``LIMIT`` in its parts directly.
    """
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(reads), COMPOUND_READS):
        compiled = [read.query.sql_with_params() for read in reads[start : start + COMPOUND_READS]]
        sql = " UNION ALL ".join(
            f"SELECT * FROM ({part}) AS newest{n}"  # noqa: S608 - Django's own SQL
            for n, (part, _params) in enumerate(compiled)
        )
        params = [param for _part, part_params in compiled for param in part_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            pairs.extend(cursor.fetchall())
    return pairs


def _cases_of(
    *,
    user: Viewer,
    report_ids: list[int] | QuerySet[Model, int],
    campaign_id: int | None = None,
) -> tuple[list[Case], int]:
    """Cases holding any of ``report_ids`` (a list or a subquery), or linked to the campaign
    ``campaign_id``: those the user may see, and how many others."""
    if campaign_id is None and isinstance(report_ids, list) and not report_ids:
        return [], 0
    # The ids first (one indexed read; most reports are in no case), then only those cases.
    holding = set(
        CaseReport.objects.filter(report_id__in=report_ids)
        .order_by()
        .values_list("case_id", flat=True)
    )
    if campaign_id is not None:
        holding |= set(
            CaseCampaign.objects.filter(campaign_id=campaign_id)
            .order_by()
            .values_list("case_id", flat=True)
        )
    if not holding:
        return [], 0
    visible = list(
        Case.objects.filter(pk__in=holding).filter(pk__in=cases_visible_to(user=user).values("pk"))
    )
    return visible, len(holding) - len(visible)


@dataclass(frozen=True)
class InboxMatch:
    reports: int
    open_cases: int


def inbox_matches(*, report_ids: list[int]) -> dict[int, InboxMatch]:
    """For each report, how many earlier reports share a linking suspect indicator with it,
    and in how many active cases those are: one query for a whole page.

    Counts only, no references: a count reveals no victim's details, and triage needs it
    even when some of the matches sit in cases the officer is not a member of. Sightings
    are joined to sightings directly, both sides read from the partial linking indexes
    (through the indicators table the planner guessed badly and scanned every sighting).
    """
    if not report_ids:
        return {}
    sighting = Sighting._meta.db_table
    statuses = sorted(ACTIVE_STATUSES)
    open_cases = (
        f" LEFT JOIN (SELECT cr.report_id, cr.case_id"  # noqa: S608 - model tables
        f" FROM {CaseReport._meta.db_table} cr JOIN {Case._meta.db_table} c"
        f" ON c.id = cr.case_id WHERE c.status IN ({', '.join(['%s'] * len(statuses))})"
        f") oc ON oc.report_id = b.report_id"
    )
    sql = (
        f"SELECT a.report_id, COUNT(DISTINCT b.report_id), COUNT(DISTINCT oc.case_id)"  # noqa: S608 - model tables
        f" FROM {sighting} a JOIN {sighting} b"
        f" ON b.indicator_id = a.indicator_id AND b.linking AND b.report_id < a.report_id"
        f"{open_cases}"
        f" WHERE a.linking AND a.report_id IN ({', '.join(['%s'] * len(report_ids))})"
        f" GROUP BY a.report_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*statuses, *report_ids])
        rows = cursor.fetchall()
    return {r: InboxMatch(reports=n, open_cases=c) for r, n, c in rows}


@dataclass
class IndicatorView:
    indicator: Indicator
    sightings: list[Sighting]
    visible_report_ids: set[int]
    more_sightings: int
    report_count: int
    first_seen: datetime | None
    last_seen: datetime | None
    loss: list[tuple[str, Decimal]]
    regions: list[tuple[str, int]]
    campaigns: list[Campaign]
    cases: list[Case]
    hidden_cases: int
    watchers: list[str]
    watching: bool
    warning_entries: list[WarningListEntry] = field(default_factory=list)


def _sightings_visible(user: Viewer, indicator: Indicator) -> QuerySet[Sighting]:
    """Suspect and mentioned sightings for anyone in intel; a victim's sighting only with
    access to its report."""
    return indicator.sightings.filter(
        Q(role__in=INTEL_ROLES) | Q(report__in=reports_visible_to(user=user))
    )


def indicator_get_for_user(*, user: Viewer, indicator_id: int) -> IndicatorView:
    """An indicator's page; 404 alike for missing, forbidden and "only a victim's detail"."""
    require_permission(user, Permission.INTEL_VIEW)
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    visible = _sightings_visible(user, indicator)
    sightings = list(visible.select_related("report").order_by("-seen_at", "-id")[:LIST_CAP])
    if not sightings:
        raise Http404
    total = visible.count()
    intel = Report.objects.filter(sightings__indicator=indicator, sightings__role__in=INTEL_ROLES)
    span = intel.aggregate(first=Min("submitted_at"), last=Max("submitted_at"), n=Count("id"))
    loss = list(
        intel.exclude(loss_amount=None)
        .values_list("loss_currency")
        .annotate(total=Sum("loss_amount"))
        .order_by("-total")
    )
    regions = list(
        intel.exclude(region="").values_list("region").annotate(n=Count("id")).order_by("-n")
    )
    campaigns = list(Campaign.objects.filter(members__report__in=intel.values("pk")).distinct())
    cases, hidden_cases = _cases_of(user=user, report_ids=intel.values_list("pk", flat=True))
    report_ids = {s.report_id for s in sightings}
    watchers = list(
        get_user_model()
        .objects.filter(pk__in=Watch.objects.filter(indicator=indicator).values("user_id"))
        .values_list("username", flat=True)
    )
    audit_record(actor=user, action=AuditAction.INDICATOR_VIEWED, target=indicator)
    return IndicatorView(
        indicator=indicator,
        sightings=sightings,
        visible_report_ids=set(
            reports_visible_to(user=user).filter(pk__in=report_ids).values_list("pk", flat=True)
        ),
        more_sightings=max(0, total - len(sightings)),
        report_count=span["n"],
        first_seen=span["first"],
        last_seen=span["last"],
        loss=loss,
        regions=[(region_name(code), n) for code, n in regions],
        campaigns=campaigns,
        cases=cases,
        hidden_cases=hidden_cases,
        watchers=watchers,
        watching=user.is_authenticated
        and Watch.objects.filter(user_id=user.pk, indicator=indicator).exists(),
    )


def indicator_search(*, user: Viewer, query: str) -> list[Indicator]:
    """Indicators matching an identifier typed in any format (cards through their HMAC).

    An indicator known only as some victim's own detail is found only by staff who may
    see that victim's report.
    """
    require_permission(user, Permission.INTEL_VIEW)
    candidates = search_candidates(query)
    if not candidates:
        return []
    condition = Q()
    for kind, value in candidates:
        condition |= Q(kind=kind, value=value)
    # EXISTS, not a join: an identifier named in 5,000 reports is one row, found at once.
    seen = Sighting.objects.filter(indicator=OuterRef("pk"))
    found = Indicator.objects.filter(condition).filter(
        Exists(seen.filter(role__in=INTEL_ROLES))
        | Exists(seen.filter(report__in=reports_visible_to(user=user)))
    )
    results = list(found.order_by("kind", "value")[:50])
    audit_record(
        actor=user,
        action=AuditAction.INDICATOR_SEARCHED,
        extra={"kinds": sorted({k for k, _v in candidates}), "results": len(results)},
    )
    return results


@dataclass
class CampaignView:
    campaign: Campaign
    reports: Page[Report]  # the visible members, newest first, LIST_CAP a page
    hidden_reports: int
    indicators: list[tuple[Indicator, int]]
    loss: list[tuple[str, Decimal]]
    regions: list[tuple[str, int]]
    timeline: list[tuple[datetime, int]]
    cases: list[Case]
    hidden_cases: int
    watching: bool


def campaign_get_for_user(
    *, user: Viewer, campaign_id: int, page: int | str | None = 1
) -> CampaignView:
    """A campaign's page: figures aggregated in the database, reports a page at a time.

    The same few queries whatever the campaign's size: loss, regions and timeline come
    from one GROUP BY over its members, the indicators from one over their sightings.
    """
    require_permission(user, Permission.INTEL_VIEW)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    members = Report.objects.filter(campaign_membership__campaign=campaign)
    visible = (
        reports_visible_to(user=user)
        .filter(campaign_membership__campaign=campaign)
        .order_by("-submitted_at", "-id")
    )
    reports = Paginator(visible, LIST_CAP).get_page(page)
    member_ids = CampaignMember.objects.filter(campaign=campaign).values("report_id")
    indicator_rows = (
        Sighting.objects.filter(report_id__in=member_ids, linking=True)  # no join to reports
        .order_by()
        .values("indicator_id")
        .annotate(n=Count("report_id"))
        .order_by("-n")[:LIST_CAP]
    )
    counts = {row["indicator_id"]: row["n"] for row in indicator_rows}
    indicators = sorted(
        ((i, counts[i.pk]) for i in Indicator.objects.filter(pk__in=list(counts))),
        key=lambda pair: (-pair[1], pair[0].kind, pair[0].value),
    )
    loss, regions, timeline = campaign_figures(members)
    cases, hidden_cases = _cases_of(
        user=user, report_ids=members.values_list("pk", flat=True), campaign_id=campaign.pk
    )
    audit_record(actor=user, action=AuditAction.CAMPAIGN_VIEWED, target=campaign)
    return CampaignView(
        campaign=campaign,
        reports=reports,
        hidden_reports=campaign.report_count - reports.paginator.count,
        indicators=indicators,
        loss=loss,
        regions=[(region_name(code), n) for code, n in regions],
        timeline=timeline,
        cases=cases,
        hidden_cases=hidden_cases,
        watching=user.is_authenticated
        and Watch.objects.filter(user_id=user.pk, campaign=campaign).exists(),
    )
