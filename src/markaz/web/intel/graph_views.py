"""The link chart: a page, and the JSON it loads (neighbourhoods, shortest paths)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from markaz.cases import linkchart as graph


@login_required
@require_GET
def graph_page(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    root = graph.graph_root(user=request.user, kind=kind, key=key)
    return render(
        request,
        "intel/graph.html",
        {
            "root": root,
            "kind": kind,
            "key": key,
            "node_cap": graph.NODE_CAP,
            "chart_labels": _chart_labels(),
        },
    )


def _chart_labels() -> dict[str, object]:
    """The words linkchart.js shows, translated here (the script holds no text)."""
    return {
        "kinds": {
            "report": _("Report"),
            "indicator": _("Indicator"),
            "campaign": _("Campaign"),
            "case": _("Case"),
            "summary": _("More, not loaded"),
        },
        "restricted": _("Report you may not open"),
        "restricted_help": _(
            "It shares an indicator with this chart; its details are only for the members "
            "of its case."
        ),
        "more": _("+%(n)s, not loaded"),
        "count": _("Nodes: %(nodes)s, links: %(edges)s"),
        "open": _("Open its page"),
        "loading": _("Loading…"),
        "loaded": _("Ready."),
        "failed": _("Could not load the chart. Try again."),
        "expanded": _("Nothing more to load around this node."),
        "picked": _("Shortest path from %(a)s to %(b)s"),
        "pick_two": _("Click two nodes for the shortest path."),
        "path_found": _("Shortest path found; steps: %(n)s."),
        "path_none": _("No path between them."),
        "path_capped": _("No path found; nodes searched: %(n)s."),
        "fields": {
            "category": _("Category"),
            "submitted": _("Received"),
            "reports": _("Reports"),
            "victims": _("Victims"),
            "title": _("Title"),
            "status": _("Status"),
            "links": _("Links reports"),
        },
        "yes": _("yes"),
        "no": _("no"),
    }


@login_required
@require_GET
def graph_data(request: HttpRequest, kind: str, key: str) -> JsonResponse:
    """The root's neighbourhood (audited as a view of the root), or ``?expand=<node>``'s
    (audited as a view of that node from this chart)."""
    expand = request.GET.get("expand", "")
    root = graph.graph_root(user=request.user, kind=kind, key=key, audit=not expand)
    if expand:
        answer = graph.graph_neighbourhood(user=request.user, node=expand, audit_from=root.node)
    else:
        answer = graph.graph_neighbourhood(user=request.user, node=root.node)
    return JsonResponse(answer.as_json())


@login_required
@require_GET
def graph_path(request: HttpRequest, kind: str, key: str) -> JsonResponse:
    """``?from=<node>&to=<node>``: the shortest path, or found=false (and whether the
    search stopped at its cap)."""
    graph.graph_root(user=request.user, kind=kind, key=key)
    result = graph.graph_path(
        user=request.user, source=request.GET.get("from", ""), target=request.GET.get("to", "")
    )
    return JsonResponse(result.as_json())
