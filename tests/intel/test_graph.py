"""The link chart's reads: neighbourhoods, need-to-know, summaries, query counts, paths."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markaz.cases import linkchart as graph
from markaz.cases.services import case_open
from markaz.intel.models import Campaign, Indicator
from tests.intel.conftest import submit

pytestmark = pytest.mark.django_db

PHONE = ("phone", "93 555 12 34")
HANDLE = ("social", "@somon_shop_tj")
VICTIM_PHONE = "+992917001122"


def _ids(answer: graph.Graph, kind: str) -> set[str]:
    return {n["id"] for n in answer.nodes.values() if n["kind"] == kind}


def _campaign_node() -> str:
    return graph.node_id("campaign", Campaign.objects.get().pk)


def test_campaign_neighbourhood_has_its_reports_and_the_indicators_that_link_them(supervisor):
    reports = [submit(PHONE) for _ in range(3)]
    answer = graph.graph_neighbourhood(user=supervisor, node=_campaign_node())
    assert _ids(answer, "report") == {graph.node_id("report", r.pk) for r in reports}
    phone = Indicator.objects.get(kind="phone")
    assert _ids(answer, "indicator") == {graph.node_id("indicator", phone.pk)}
    sightings = [e for e in answer.edges.values() if e["kind"] == "sighting"]
    assert len(sightings) == 3 and {e["role"] for e in sightings} == {"suspect"}
    labels = {n["label"] for n in answer.nodes.values()}
    assert {r.reference for r in reports} <= labels
    assert "phone: +992935551234" in labels


def test_campaign_neighbourhood_shows_the_cases_its_reports_are_in(supervisor, investigator):
    reports = [submit(PHONE) for _ in range(2)]
    case = case_open(reports=reports[:1], title="Somon", actor=supervisor)
    seen = graph.graph_neighbourhood(user=supervisor, node=_campaign_node())
    assert _ids(seen, "case") == {graph.node_id("case", case.pk)}
    outsider = graph.graph_neighbourhood(user=investigator, node=_campaign_node())
    assert _ids(outsider, "case") == set()
    assert case.number not in json.dumps(outsider.as_json())


def test_report_neighbourhood_has_its_indicators_campaign_and_case(supervisor):
    first, second = submit(PHONE), submit(PHONE)
    case = case_open(reports=[first], title="Somon", actor=supervisor)
    answer = graph.graph_neighbourhood(user=supervisor, node=graph.node_id("report", first.pk))
    assert _ids(answer, "case") == {graph.node_id("case", case.pk)}
    assert len(_ids(answer, "campaign")) == 1
    assert len(_ids(answer, "indicator")) == 1
    # Depth 1: the other report comes by expanding the indicator.
    assert graph.node_id("report", second.pk) not in answer.nodes
    phone = Indicator.objects.get(kind="phone")
    around = graph.graph_neighbourhood(user=supervisor, node=graph.node_id("indicator", phone.pk))
    assert graph.node_id("report", second.pk) in around.nodes


def test_card_is_labelled_by_bin_and_last_four_never_its_hmac(supervisor):
    report = submit(("card", "4400 4301 2345 6789"))
    answer = graph.graph_neighbourhood(user=supervisor, node=graph.node_id("report", report.pk))
    card = Indicator.objects.get(kind="card")
    text = json.dumps(answer.as_json(), ensure_ascii=False)
    assert card.value not in text
    assert "4400430123456789" not in text
    label = answer.nodes[graph.node_id("indicator", card.pk)]["label"]
    assert label.startswith("card: 440043") and label.endswith("6789")


def test_victim_sightings_are_shown_only_to_who_may_see_the_report(
    supervisor, investigator, analyst
):
    hidden = submit(PHONE, victim_phone=VICTIM_PHONE)
    case_open(reports=[hidden], title="Somon", actor=supervisor)
    victim = Indicator.objects.get(kind="phone", value=VICTIM_PHONE)
    node = graph.node_id("report", hidden.pk)
    for outsider in (investigator, analyst):
        answer = graph.graph_neighbourhood(user=outsider, node=node)
        text = json.dumps(answer.as_json(), ensure_ascii=False)
        assert VICTIM_PHONE not in text and hidden.reference not in text
        assert {e.get("role") for e in answer.edges.values()} <= {"suspect", None}
        assert answer.nodes[node]["restricted"] is True
        # An indicator known only as a hidden victim's detail: not even by its id.
        with pytest.raises(Http404):
            graph.graph_neighbourhood(user=outsider, node=graph.node_id("indicator", victim.pk))
    seen = graph.graph_neighbourhood(user=supervisor, node=node)
    assert {e["role"] for e in seen.edges.values() if e["kind"] == "sighting"} == {
        "suspect",
        "victim",
    }
    assert seen.nodes[node]["label"] == hidden.reference


def test_victim_phone_shared_by_two_reports_does_not_show_in_the_campaign(analyst):
    submit(PHONE, victim_phone=VICTIM_PHONE)
    submit(PHONE, victim_phone=VICTIM_PHONE)
    answer = graph.graph_neighbourhood(user=analyst, node=_campaign_node())
    assert VICTIM_PHONE not in json.dumps(answer.as_json(), ensure_ascii=False)


def test_a_non_member_investigator_cannot_get_a_cases_chart(supervisor, investigator, client):
    case = case_open(reports=[submit(PHONE)], title="Somon", actor=supervisor)
    client.force_login(investigator)
    for name in ("intel:graph", "intel:graph_data", "intel:graph_path"):
        assert client.get(reverse(name, args=["case", case.number])).status_code == 404
    with pytest.raises(Http404):
        graph.graph_neighbourhood(user=investigator, node=graph.node_id("case", case.pk))
    client.force_login(supervisor)
    response = client.get(reverse("intel:graph_data", args=["case", case.number]))
    assert response.status_code == 200
    assert graph.node_id("case", case.pk) in {n["id"] for n in response.json()["nodes"]}


def test_chart_page_links_its_data_and_translated_words(supervisor, client):
    submit(PHONE), submit(PHONE)
    campaign = Campaign.objects.get()
    client.force_login(supervisor)
    response = client.get(reverse("intel:graph", args=["campaign", campaign.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("intel:graph_data", args=["campaign", campaign.pk]) in page
    assert 'id="link-chart-labels"' in page and "cytoscape-" in page
    detail = client.get(reverse("intel:campaign_detail", args=[campaign.pk])).content.decode()
    assert reverse("intel:graph", args=["campaign", campaign.pk]) in detail


def test_large_neighbourhood_is_summarised_above_the_cap(supervisor, monkeypatch):
    monkeypatch.setattr(graph, "NODE_CAP", 3)
    for _ in range(5):
        submit(PHONE)
    answer = graph.graph_neighbourhood(user=supervisor, node=_campaign_node())
    assert len(_ids(answer, "report")) == 3
    (summary,) = [n for n in answer.nodes.values() if n["kind"] == "summary"]
    assert summary["counts"] == {"report": 2} and summary["label"] == "+2"
    phone = Indicator.objects.get(kind="phone")
    around = graph.graph_neighbourhood(user=supervisor, node=graph.node_id("indicator", phone.pk))
    assert len(_ids(around, "report")) == 3
    assert [n["counts"] for n in around.nodes.values() if n["kind"] == "summary"] == [{"report": 2}]


@pytest.mark.parametrize("kind", ["campaign", "indicator", "case"])
def test_query_count_does_not_grow_with_the_neighbourhood(supervisor, monkeypatch, kind):
    monkeypatch.setattr(graph, "NODE_CAP", 4)

    def queries_for(n_reports: int, phone: str) -> int:
        reports = [
            submit(("phone", phone), ("social", f"@h{phone[-4:]}")) for _ in range(n_reports)
        ]
        if kind == "campaign":
            node = graph.node_id("campaign", reports[0].campaign_membership.campaign_id)
        elif kind == "indicator":
            node = graph.node_id("indicator", reports[0].sightings.first().indicator_id)
        else:
            case = case_open(reports=reports, title="x", actor=supervisor)
            node = graph.node_id("case", case.pk)
        graph.graph_neighbourhood(user=supervisor, node=node)  # the user's roles, cached
        with CaptureQueriesContext(connection) as queries:
            graph.graph_neighbourhood(user=supervisor, node=node)
        return len(queries)

    # Both above the cap (the summary costs one count query): the size does not matter.
    small, large = queries_for(6, "93 555 00 01"), queries_for(30, "93 555 00 02")
    assert small == large
    assert large <= 10


def test_shortest_path_goes_through_the_shared_indicators(supervisor):
    first = submit(PHONE)
    middle = submit(PHONE, HANDLE)
    last = submit(HANDLE)
    result = graph.graph_path(
        user=supervisor,
        source=graph.node_id("report", first.pk),
        target=graph.node_id("report", last.pk),
    )
    assert result.found
    path = result.as_json()["path"]
    assert len(path) == 5 and path[2] == graph.node_id("report", middle.pk)
    assert [p.partition(":")[0] for p in path] == [
        "report",
        "indicator",
        "report",
        "indicator",
        "report",
    ]
    assert len(result.graph.edges) == 4


def test_shortest_path_between_unlinked_reports_is_not_found(supervisor):
    first, other = submit(PHONE), submit(("phone", "93 777 00 00"))
    result = graph.graph_path(
        user=supervisor,
        source=graph.node_id("report", first.pk),
        target=graph.node_id("report", other.pk),
    )
    assert not result.found and not result.capped


def test_shortest_path_says_when_it_stopped_at_its_cap(supervisor):
    first = submit(PHONE)
    middle = submit(PHONE, HANDLE)
    last = submit(HANDLE)
    assert middle
    result = graph.graph_path(
        user=supervisor,
        source=graph.node_id("report", first.pk),
        target=graph.node_id("report", last.pk),
        cap=2,
    )
    assert not result.found and result.capped


def test_path_endpoint_answers_json(supervisor, client):
    first, last = submit(PHONE), submit(PHONE)
    campaign = Campaign.objects.get()
    client.force_login(supervisor)
    url = reverse("intel:graph_path", args=["campaign", campaign.pk])
    answer = client.get(
        url, {"from": graph.node_id("report", first.pk), "to": graph.node_id("report", last.pk)}
    ).json()
    assert answer["found"] and len(answer["path"]) == 3
    assert client.get(url, {"from": "nonsense", "to": "report:1"}).status_code == 404
