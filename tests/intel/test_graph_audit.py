"""Expanding a node of the link chart is audited as a view of that node, from that chart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.cases import linkchart as graph
from markaz.intel.models import Campaign, Indicator
from tests.intel.conftest import submit

pytestmark = pytest.mark.django_db


def _chart_data(client, campaign: Campaign, expand: str = ""):
    url = reverse("intel:graph_data", args=["campaign", campaign.pk])
    return client.get(url, {"expand": expand} if expand else {})


def test_expanding_a_node_records_who_saw_it_through_which_chart(supervisor, client):
    first, _second = submit(("phone", "93 555 12 34")), submit(("phone", "935551234"))
    campaign = Campaign.objects.get()
    phone = Indicator.objects.get(kind="phone")
    client.force_login(supervisor)
    assert _chart_data(client, campaign).status_code == 200
    opened = AuditEvent.objects.filter(action=AuditAction.CAMPAIGN_VIEWED).get()
    assert opened.extra == {"view": "link chart"}

    for node, model_label, pk in (
        (graph.node_id("indicator", phone.pk), "intel.indicator", phone.pk),
        (graph.node_id("report", first.pk), "intake.report", first.pk),
    ):
        assert _chart_data(client, campaign, expand=node).status_code == 200
        event = AuditEvent.objects.filter(target_type=model_label).latest("id")
        assert event.actor == supervisor and event.target_id == str(pk)
        assert event.extra == {
            "view": "link chart",
            "expanded_from": graph.node_id("campaign", campaign.pk),
        }


def test_a_refused_expansion_records_nothing(supervisor, client):
    submit(("phone", "93 555 12 34")), submit(("phone", "93 555 12 34"))
    campaign = Campaign.objects.get()
    client.force_login(supervisor)
    before = AuditEvent.objects.count()
    assert _chart_data(client, campaign, expand="report:999999").status_code == 404
    assert AuditEvent.objects.count() == before
