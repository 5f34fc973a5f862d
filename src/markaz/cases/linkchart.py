"""Reads for the link chart: the neighbourhood of a report, an indicator, a campaign or a
case, one expansion at a time, and the shortest path between two nodes.

Node ids are ``<kind>:<pk>`` (``report:12``, ``indicator:7``, ``campaign:3``, ``case:5``).
What a user sees follows the intel pages: indicators, campaigns and suspect sightings for
anyone holding INTEL_VIEW; a report's reference and its victim sightings only through
``reports_visible_to`` (``markaz.cases.report_access``) (other reports are drawn as restricted nodes, without any
detail); cases only through ``cases_visible_to``. Every expansion is capped at
``NODE_CAP`` new nodes plus one summary node ("+N more", counted by kind), and runs a
fixed number of queries whatever the size of the neighbourhood.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.models import Case, CaseReport
from markaz.cases.report_access import reports_visible_to
from markaz.cases.rules import Viewer, cases_visible_to
from markaz.intake.models import Report
from markaz.intake.taxonomy import category_label
from markaz.intel.choices import SightingRole
from markaz.intel.models import Campaign, CampaignMember, Indicator, Sighting

KINDS = ("report", "indicator", "campaign", "case")
# New nodes per expansion; the rest become one summary node.
NODE_CAP = 50
# Shortest path: nodes visited and hops before the search gives up.
PATH_VISIT_CAP = 2000
PATH_MAX_DEPTH = 12
INTEL_ROLES = (SightingRole.SUSPECT, SightingRole.MENTIONED)
LABEL_MAX = 60

M = TypeVar("M", bound=Model)


def _visible_cases(user: Viewer) -> QuerySet[Case]:
    return cases_visible_to(user=user)


def node_id(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def parse_node(text: str) -> tuple[str, int]:
    """``report:12`` -> ("report", 12); anything else is a 404."""
    kind, _sep, pk = (text or "").partition(":")
    if kind not in KINDS or not pk.isdigit() or len(pk) > 18:
        raise Http404
    return kind, int(pk)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


@dataclass
class Graph:
    nodes: dict[str, dict[str, object]] = field(default_factory=dict)
    edges: dict[str, dict[str, object]] = field(default_factory=dict)
    centre: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "centre": self.centre,
            "nodes": list(self.nodes.values()),
            "edges": list(self.edges.values()),
        }

    def edge(self, source: str, target: str, kind: str, **data: object) -> None:
        key = f"{source}>{target}"
        self.edges.setdefault(
            key, {"id": key, "source": source, "target": target, "kind": kind, **data}
        )


@dataclass
class GraphRoot:
    node: str
    kind: str
    label: str


# --- nodes -----------------------------------------------------------------------------------


class _Nodes:
    """Collects the ids of one answer, then labels each kind in one query."""

    def __init__(self, user: Viewer, graph: Graph) -> None:
        self.user = user
        self.graph = graph
        self.reports: set[int] = set()
        self.indicators: dict[int, Indicator | None] = {}
        self.campaigns: dict[int, Campaign | None] = {}
        self.cases: dict[int, Case | None] = {}

    def add(self, kind: str, pk: int) -> None:
        """A node to label, of any kind (its row, when not a report, read in ``finish``)."""
        if kind == "report":
            self.reports.add(pk)
        elif kind == "indicator":
            self.indicators[pk] = None
        elif kind == "campaign":
            self.campaigns[pk] = None
        else:
            self.cases[pk] = None

    def finish(self) -> Graph:
        """Label every node collected, at most one query per kind; an edge whose end could
        not be labelled (a case this user may not see) goes."""
        nodes = self.graph.nodes
        if self.reports:
            rows = (
                reports_visible_to(user=self.user)
                .filter(pk__in=self.reports)
                .values_list("pk", "reference", "category", "submitted_at")
            )
            visible = {pk: (ref, cat, at) for pk, ref, cat, at in rows}
            for pk in self.reports:
                nodes[node_id("report", pk)] = _report_node(pk, visible.get(pk))
        for indicator in _filled(self.indicators, Indicator.objects.all()):
            nodes[node_id("indicator", indicator.pk)] = _indicator_node(indicator)
        for campaign in _filled(self.campaigns, Campaign.objects.all()):
            nodes[node_id("campaign", campaign.pk)] = _campaign_node(campaign)
        for case in _filled(self.cases, _visible_cases(self.user)):
            nodes[node_id("case", case.pk)] = _case_node(case)
        self.graph.edges = {
            key: e
            for key, e in self.graph.edges.items()
            if e["source"] in nodes and e["target"] in nodes
        }
        return self.graph


def _filled(rows: dict[int, M | None], source: QuerySet[M]) -> list[M]:
    """The rows of ``rows``, those not given yet (None) read from ``source`` in one query;
    those ``source`` does not hold are left out."""
    missing = [pk for pk, row in rows.items() if row is None]
    if missing:
        rows.update({row.pk: row for row in source.filter(pk__in=missing)})
    return [row for row in rows.values() if row is not None]


def _report_node(pk: int, row: tuple[str, str, datetime] | None) -> dict[str, object]:
    if row is None:
        return {"id": node_id("report", pk), "kind": "report", "label": "", "restricted": True}
    reference, category, submitted_at = row
    return {
        "id": node_id("report", pk),
        "kind": "report",
        "label": reference,
        "restricted": False,
        "url": reverse("intel:report_links", args=[reference]),
        "details": {
            "category": str(category_label(category)),
            "submitted": submitted_at.date().isoformat(),
        },
    }


def _indicator_node(indicator: Indicator) -> dict[str, object]:
    # ``display`` masks a card as BIN + last 4; its HMAC ``value`` never leaves the server.
    return {
        "id": node_id("indicator", indicator.pk),
        "kind": "indicator",
        "label": _short(f"{indicator.kind}: {indicator.display}"),
        "restricted": False,
        "url": reverse("intel:indicator_detail", args=[indicator.pk]),
        "links": indicator.links,
        "details": {"reports": indicator.report_count, "links": indicator.links},
    }


def _campaign_node(campaign: Campaign) -> dict[str, object]:
    return {
        "id": node_id("campaign", campaign.pk),
        "kind": "campaign",
        "label": campaign.reference,
        "restricted": False,
        "url": reverse("intel:campaign_detail", args=[campaign.pk]),
        "details": {"reports": campaign.report_count, "victims": campaign.victim_count},
    }


def _case_node(case: Case) -> dict[str, object]:
    return {
        "id": node_id("case", case.pk),
        "kind": "case",
        "label": case.number,
        "restricted": False,
        "url": reverse("cases:case_detail", args=[case.number]),
        "details": {"title": _short(case.title), "status": case.status},
    }


def _summary(graph: Graph, centre: str, counts: dict[str, int]) -> None:
    counts = {kind: n for kind, n in counts.items() if n > 0}
    if not counts:
        return
    key = f"more:{centre}"
    graph.nodes[key] = {
        "id": key,
        "kind": "summary",
        "label": f"+{sum(counts.values())}",
        "restricted": False,
        "more": sum(counts.values()),
        "counts": counts,
        "of": centre,
    }
    graph.edge(centre, key, "summary")


# --- access ----------------------------------------------------------------------------------


def _sightings_visible(user: Viewer) -> Q:
    """Suspect and mentioned sightings for anyone in intel; a victim's only with its report."""
    return Q(role__in=INTEL_ROLES) | Q(report__in=reports_visible_to(user=user))


def _indicator_for(user: Viewer, pk: int) -> Indicator:
    """An indicator the user may see: not one known only as some hidden victim's detail."""
    indicator = Indicator.objects.filter(pk=pk).first()
    if indicator is None or not indicator.sightings.filter(_sightings_visible(user)).exists():
        raise Http404
    return indicator


def _case_for(user: Viewer, pk: int) -> Case:
    case = _visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def graph_root(*, user: Viewer, kind: str, key: str, audit: bool = False) -> GraphRoot:
    """The chart's starting node from its public key (report reference, indicator id,
    campaign id, case number); the same 404 for missing and forbidden."""
    require_permission(user, Permission.INTEL_VIEW)
    target: object
    if kind == "report":
        report = reports_visible_to(user=user).filter(reference=key.strip().upper()).first()
        if report is None:
            raise Http404
        target, pk, label, action = report, report.pk, report.reference, AuditAction.REPORT_VIEWED
    elif kind == "indicator" and key.isdigit():
        indicator = _indicator_for(user, int(key))
        target, pk, action = indicator, indicator.pk, AuditAction.INDICATOR_VIEWED
        label = _short(f"{indicator.kind}: {indicator.display}")
    elif kind == "campaign" and key.isdigit():
        campaign = Campaign.objects.filter(pk=int(key)).first()
        if campaign is None:
            raise Http404
        target, pk, label, action = (
            campaign,
            campaign.pk,
            campaign.reference,
            AuditAction.CAMPAIGN_VIEWED,
        )
    elif kind == "case":
        case = _visible_cases(user).filter(number=key.strip().upper()).first()
        if case is None:
            raise Http404
        target, pk, label, action = case, case.pk, case.number, AuditAction.CASE_VIEWED
    else:
        raise Http404
    if audit:
        audit_record(actor=user, action=action, target=target, extra={"view": "link chart"})
    return GraphRoot(node=node_id(kind, pk), kind=kind, label=label)


# --- neighbourhoods --------------------------------------------------------------------------


def graph_neighbourhood(*, user: Viewer, node: str, audit_from: str = "") -> Graph:
    """``node`` and what it touches, depth 1: at most NODE_CAP new nodes and a summary.

    With ``audit_from`` (the chart's root node) the expansion is recorded as a view of
    ``node`` through the link chart: what a user saw by expanding is audited like what they
    saw by opening a page.
    """
    require_permission(user, Permission.INTEL_VIEW)
    kind, pk = parse_node(node)
    graph = Graph(centre=node)
    nodes = _Nodes(user, graph)
    {
        "report": _around_report,
        "indicator": _around_indicator,
        "campaign": _around_campaign,
        "case": _around_case,
    }[kind](user, pk, graph, nodes)
    if audit_from:
        _expansion_audit(user, kind, pk, audit_from)
    return nodes.finish()


_MODELS: dict[str, type[Model]] = {
    "report": Report,
    "indicator": Indicator,
    "campaign": Campaign,
    "case": Case,
}
_VIEWED = {
    "report": AuditAction.REPORT_VIEWED,
    "indicator": AuditAction.INDICATOR_VIEWED,
    "campaign": AuditAction.CAMPAIGN_VIEWED,
    "case": AuditAction.CASE_VIEWED,
}


def _expansion_audit(user: Viewer, kind: str, pk: int, root: str) -> None:
    model = _MODELS[kind]
    target = model._default_manager.filter(pk=pk).first()
    audit_record(
        actor=user,
        action=_VIEWED[kind],
        target=target,
        extra={"view": "link chart", "expanded_from": root},
    )


def _sighting_edge(
    graph: Graph, report_id: int, indicator_id: int, role: str, linking: bool
) -> None:
    graph.edge(
        node_id("report", report_id),
        node_id("indicator", indicator_id),
        "sighting",
        role=role,
        linking=linking,
    )


def _around_report(user: Viewer, pk: int, graph: Graph, nodes: _Nodes) -> None:
    if not Report.objects.filter(pk=pk).exists():
        raise Http404
    nodes.reports.add(pk)
    sightings = Sighting.objects.filter(report_id=pk).filter(_sightings_visible(user))
    rows = list(sightings.select_related("indicator").order_by("-linking", "id")[: NODE_CAP + 1])
    for sighting in rows[:NODE_CAP]:
        nodes.indicators[sighting.indicator_id] = sighting.indicator
        _sighting_edge(graph, pk, sighting.indicator_id, sighting.role, sighting.linking)
    more = sightings.count() - NODE_CAP if len(rows) > NODE_CAP else 0
    member = CampaignMember.objects.filter(report_id=pk).values_list("campaign_id", flat=True)
    for campaign_id in member:
        nodes.campaigns[campaign_id] = None
        graph.edge(node_id("report", pk), node_id("campaign", campaign_id), "campaign")
    for case in _visible_cases(user).filter(report_links__report_id=pk):
        nodes.cases[case.pk] = case
        graph.edge(node_id("report", pk), node_id("case", case.pk), "case")
    _summary(graph, node_id("report", pk), {"indicator": more})


def _around_indicator(user: Viewer, pk: int, graph: Graph, nodes: _Nodes) -> None:
    indicator = _indicator_for(user, pk)
    nodes.indicators[pk] = indicator
    sightings = indicator.sightings.filter(_sightings_visible(user))
    rows = list(
        sightings.order_by("-linking", "-report_id").values_list("report_id", "role", "linking")[
            : NODE_CAP + 1
        ]
    )
    for report_id, role, linking in rows[:NODE_CAP]:
        nodes.reports.add(report_id)
        _sighting_edge(graph, report_id, pk, role, linking)
    more = sightings.count() - NODE_CAP if len(rows) > NODE_CAP else 0
    _summary(graph, node_id("indicator", pk), {"report": more})


def _around_campaign(user: Viewer, pk: int, graph: Graph, nodes: _Nodes) -> None:
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise Http404
    nodes.campaigns[pk] = campaign
    members = CampaignMember.objects.filter(campaign_id=pk)
    report_ids = list(
        members.order_by("-report_id").values_list("report_id", flat=True)[: NODE_CAP + 1]
    )
    more_reports = members.count() - NODE_CAP if len(report_ids) > NODE_CAP else 0
    report_ids = report_ids[:NODE_CAP]
    for report_id in report_ids:
        nodes.reports.add(report_id)
        graph.edge(node_id("report", report_id), node_id("campaign", pk), "campaign")
    # The indicators that tie the shown reports together: the ones shared most, first.
    rows = Sighting.objects.filter(report_id__in=report_ids, linking=True).values_list(
        "indicator_id", "report_id", "role"
    )
    by_indicator: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for indicator_id, report_id, role in rows:
        by_indicator[indicator_id].append((report_id, role))
    shared = sorted(by_indicator, key=lambda i: (-len(by_indicator[i]), i))
    for indicator_id in shared[:NODE_CAP]:
        nodes.indicators[indicator_id] = None
        for report_id, role in by_indicator[indicator_id]:
            _sighting_edge(graph, report_id, indicator_id, role, True)
    more_indicators = max(0, len(shared) - NODE_CAP)
    _link_cases(user, report_ids, graph, nodes)
    _summary(graph, node_id("campaign", pk), {"report": more_reports, "indicator": more_indicators})


def _link_cases(user: Viewer, report_ids: list[int], graph: Graph, nodes: _Nodes) -> None:
    """The cases (that the user may see) holding any of ``report_ids``; one query."""
    if not report_ids:
        return
    rows = CaseReport.objects.filter(
        report_id__in=report_ids, case__in=_visible_cases(user)
    ).values_list("report_id", "case_id")
    for report_id, case_id in rows:
        nodes.cases.setdefault(case_id, None)
        graph.edge(node_id("report", report_id), node_id("case", case_id), "case")


def _around_case(user: Viewer, pk: int, graph: Graph, nodes: _Nodes) -> None:
    case = _case_for(user, pk)
    nodes.cases[pk] = case
    links = CaseReport.objects.filter(case_id=pk)
    report_ids = list(links.order_by("id").values_list("report_id", flat=True)[: NODE_CAP + 1])
    more = links.count() - NODE_CAP if len(report_ids) > NODE_CAP else 0
    report_ids = report_ids[:NODE_CAP]
    for report_id in report_ids:
        nodes.reports.add(report_id)
        graph.edge(node_id("report", report_id), node_id("case", pk), "case")
    memberships = CampaignMember.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "campaign_id"
    )
    for report_id, campaign_id in memberships:
        nodes.campaigns[campaign_id] = None
        graph.edge(node_id("report", report_id), node_id("campaign", campaign_id), "campaign")
    _summary(graph, node_id("case", pk), {"report": more})


# --- shortest path ---------------------------------------------------------------------------


@dataclass
class PathResult:
    found: bool
    graph: Graph
    visited: int
    capped: bool

    def as_json(self) -> dict[str, object]:
        path = [n["id"] for n in self.graph.nodes.values()]
        return {
            "found": self.found,
            "visited": self.visited,
            "capped": self.capped,
            "path": path,
            **self.graph.as_json(),
        }


def _check_node(user: Viewer, kind: str, pk: int) -> None:
    if kind == "report" and not Report.objects.filter(pk=pk).exists():
        raise Http404
    if kind == "indicator":
        _indicator_for(user, pk)
    if kind == "campaign" and not Campaign.objects.filter(pk=pk).exists():
        raise Http404
    if kind == "case":
        _case_for(user, pk)


def graph_path(*, user: Viewer, source: str, target: str, cap: int = PATH_VISIT_CAP) -> PathResult:
    """Breadth-first search from ``source`` to ``target`` over what links reports: linking
    (suspect) sightings and the cases the user may see. A campaign is only an end of the
    path, never a step in it (it would join every two of its reports in two hops and hide
    the indicators that really tie them). Gives up after ``cap`` nodes or PATH_MAX_DEPTH
    hops; at most four queries per hop."""
    require_permission(user, Permission.INTEL_VIEW)
    source_kind, source_pk = parse_node(source)
    target_kind, target_pk = parse_node(target)
    _check_node(user, source_kind, source_pk)
    _check_node(user, target_kind, target_pk)
    parents, capped = _search(user, source, target, cap)
    if target not in parents:
        graph = Graph(centre=source)
        return PathResult(found=False, graph=graph, visited=len(parents), capped=capped)
    chain = [target]
    while (parent := parents[chain[-1]]) is not None:
        chain.append(parent)
    chain.reverse()
    graph = _path_graph(user, chain)
    return PathResult(found=True, graph=graph, visited=len(parents), capped=capped)


def _search(user: Viewer, source: str, target: str, cap: int) -> tuple[dict[str, str | None], bool]:
    """Every node reached, with the node it was reached from (None for ``source``), hop by
    hop until ``target`` is reached; and whether ``cap`` stopped the search."""
    parents: dict[str, str | None] = {source: None}
    frontier = [source]
    capped = False
    depth = 0
    while frontier and target not in parents and depth < PATH_MAX_DEPTH and not capped:
        depth += 1
        following: list[str] = []
        for here, there in _steps(user, frontier, target, cap - len(parents) + 1):
            if there in parents:
                continue
            parents[there] = here
            following.append(there)
            if there == target:
                break
            if len(parents) >= cap:
                capped = True
                break
        frontier = following
    return parents, capped


def _path_graph(user: Viewer, chain: list[str]) -> Graph:
    """The path ``chain`` (from its first node to its last) drawn, its nodes in its order."""
    graph = Graph(centre=chain[0])
    nodes = _Nodes(user, graph)
    for node in chain:
        nodes.add(*parse_node(node))
    for a, b in pairwise(chain):
        report, other = (a, b) if a.startswith("report:") else (b, a)
        other_kind = other.partition(":")[0]
        if other_kind == "indicator":
            graph.edge(report, other, "sighting", role=SightingRole.SUSPECT, linking=True)
        else:
            graph.edge(report, other, other_kind)
    nodes.finish()
    graph.nodes = {n: graph.nodes[n] for n in chain if n in graph.nodes}
    return graph


def _steps(user: Viewer, frontier: list[str], target: str, budget: int) -> list[tuple[str, str]]:
    """(from, to) for every neighbour of the frontier, at most ``budget`` per kind."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for node in frontier:
        kind, pk = parse_node(node)
        by_kind[kind].append(pk)
    budget = max(budget, 1)
    steps: list[tuple[str, str]] = []
    if by_kind["report"]:
        steps += _steps_from_reports(user, by_kind["report"], target, budget)
    if by_kind["indicator"]:
        sightings = Sighting.objects.filter(
            indicator_id__in=by_kind["indicator"], linking=True
        ).values_list("indicator_id", "report_id")[:budget]
        steps += [(node_id("indicator", i), node_id("report", r)) for i, r in sightings]
    if by_kind["case"]:
        links = CaseReport.objects.filter(case_id__in=by_kind["case"]).values_list(
            "case_id", "report_id"
        )[:budget]
        steps += [(node_id("case", c), node_id("report", r)) for c, r in links]
    if by_kind["campaign"]:
        members = CampaignMember.objects.filter(campaign_id__in=by_kind["campaign"]).values_list(
            "campaign_id", "report_id"
        )[:budget]
        steps += [(node_id("campaign", c), node_id("report", r)) for c, r in members]
    return steps


def _steps_from_reports(
    user: Viewer, ids: list[int], target: str, budget: int
) -> list[tuple[str, str]]:
    """From reports: to their linking indicators, to the cases the user may see holding
    them, and to ``target`` when it is a campaign they are in."""
    sightings = Sighting.objects.filter(report_id__in=ids, linking=True).values_list(
        "report_id", "indicator_id"
    )[:budget]
    steps = [(node_id("report", r), node_id("indicator", i)) for r, i in sightings]
    links = CaseReport.objects.filter(report_id__in=ids, case__in=_visible_cases(user)).values_list(
        "report_id", "case_id"
    )[:budget]
    steps += [(node_id("report", r), node_id("case", c)) for r, c in links]
    target_kind, target_pk = parse_node(target)
    if target_kind == "campaign":
        members = CampaignMember.objects.filter(
            report_id__in=ids, campaign_id=target_pk
        ).values_list("report_id", "campaign_id")[:1]
        steps += [(node_id("report", r), node_id("campaign", c)) for r, c in members]
    return steps
