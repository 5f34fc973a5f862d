"""Campaigns on cases: opening a case from a campaign, linking and unlinking one."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from markaz.accounts.services import api_token_create
from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.cases.choices import CaseEventKind
from markaz.cases.models import CaseCampaign, CaseReport
from markaz.cases.services import case_link_campaign, case_open, case_unlink_campaign
from markaz.intel.models import Campaign
from tests.intel.conftest import submit

pytestmark = pytest.mark.django_db

PHONE = ("phone", "93 555 12 34")


@pytest.fixture
def campaign_reports(db):
    return [submit(PHONE) for _ in range(3)]


@pytest.fixture
def campaign(campaign_reports):
    return Campaign.objects.get()


def _in_case(case) -> set[str]:
    return set(CaseReport.objects.filter(case=case).values_list("report__reference", flat=True))


def test_opening_from_a_campaign_links_the_campaign_and_its_reports(
    supervisor, campaign, campaign_reports
):
    client = Client()
    client.force_login(supervisor)
    response = client.post(
        reverse("cases:case_open"),
        {"campaign": campaign.pk, "title": "Somon", "priority": "normal"},
    )
    case = CaseCampaign.objects.get(campaign=campaign).case
    assert response.status_code == 302
    assert _in_case(case) == {r.reference for r in campaign_reports}


def test_a_report_already_in_another_case_stays_there_and_is_counted(
    supervisor, campaign, campaign_reports
):
    other = case_open(reports=campaign_reports[:1], title="Earlier", actor=supervisor)
    case = case_open(campaign=campaign, title="Somon", actor=supervisor)
    assert _in_case(other) == {campaign_reports[0].reference}
    assert _in_case(case) == {r.reference for r in campaign_reports[1:]}
    event = case.events.get(kind=CaseEventKind.CAMPAIGN_LINKED)
    assert event.data["reports_linked"] == 2 and event.data["reports_left_out"] == 1


def test_linking_reports_what_it_left_out(supervisor, campaign, campaign_reports):
    case_open(reports=campaign_reports[:1], title="Earlier", actor=supervisor)
    case = case_open(reports=campaign_reports[1:2], title="Somon", actor=supervisor)
    outcome = case_link_campaign(case=case, campaign=campaign, actor=supervisor)
    # one linked now, one already here, one in the other case
    assert (outcome.reports_linked, outcome.reports_left_out) == (1, 1)


def test_unlinking_a_campaign_keeps_its_reports_in_the_case(supervisor, campaign, campaign_reports):
    case = case_open(campaign=campaign, title="Somon", actor=supervisor)
    case_unlink_campaign(case=case, campaign=campaign, actor=supervisor)
    assert not CaseCampaign.objects.filter(case=case).exists()
    assert _in_case(case) == {r.reference for r in campaign_reports}
    assert case.events.filter(kind=CaseEventKind.CAMPAIGN_UNLINKED).count() == 1


def test_linking_and_unlinking_are_audited_and_on_the_timeline(supervisor, campaign):
    case = case_open(campaign=campaign, title="Somon", actor=supervisor)
    case_unlink_campaign(case=case, campaign=campaign, actor=supervisor)
    linked = AuditEvent.objects.get(action=AuditAction.CASE_CAMPAIGN_LINKED)
    assert linked.extra["campaign"] == campaign.reference and linked.extra["left_out"] == 0
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CAMPAIGN_UNLINKED).count() == 1
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.index(CaseEventKind.CAMPAIGN_LINKED) < kinds.index(CaseEventKind.CAMPAIGN_UNLINKED)


def test_case_page_lists_and_unlinks_linked_campaigns(supervisor, campaign):
    case = case_open(campaign=campaign, title="Somon", actor=supervisor)
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert reverse("intel:campaign_detail", args=[campaign.pk]) in page
    client.post(
        reverse("cases:case_action", args=[case.number, "campaign_unlink"]),
        {"campaign": campaign.pk},
    )
    assert not CaseCampaign.objects.filter(case=case).exists()


def test_campaign_page_shows_only_cases_the_user_may_see(
    supervisor, other_supervisor, campaign, campaign_reports
):
    seen = case_open(campaign=campaign, title="Mine", actor=supervisor)
    hidden = case_open(campaign=campaign, title="Theirs", actor=other_supervisor)
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("intel:campaign_detail", args=[campaign.pk])).content.decode()
    assert seen.number in page
    assert hidden.number not in page
    assert "open-case-from-campaign" in page


def test_link_endpoint_is_a_404_for_a_non_member_investigator(
    supervisor, other_investigator, campaign
):
    case = case_open(reports=[submit(("phone", "93 777 00 11"))], title="x", actor=supervisor)
    token = api_token_create(user=other_investigator, name="t", actor=None)
    response = Client().post(
        f"/api/v1/cases/{case.number}/campaigns",
        json.dumps({"campaign": campaign.pk}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404
    assert not CaseCampaign.objects.exists()


def test_link_endpoint_links_and_the_case_lists_the_campaign(supervisor, campaign):
    case = case_open(reports=[submit(("phone", "93 777 00 11"))], title="x", actor=supervisor)
    token = api_token_create(user=supervisor, name="t", actor=None)
    response = Client().post(
        f"/api/v1/cases/{case.number}/campaigns",
        json.dumps({"campaign": campaign.pk}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["case"]["campaigns"] == [campaign.pk] and body["reports_linked"] == 3


def test_a_case_stays_linked_when_its_campaign_merges_into_a_larger_one(supervisor):
    # the larger campaign survives a merge; the case followed the smaller one
    larger = [submit(("phone", "93 200 30 40")) for _ in range(3)]
    smaller = [submit(("phone", "91 777 88 99")) for _ in range(2)]
    campaign_of_smaller = Campaign.objects.get(members__report=smaller[0])
    campaign_of_larger = Campaign.objects.get(members__report=larger[0])
    case = case_open(campaign=campaign_of_smaller, title="Bridge", actor=supervisor)

    submit(("phone", "93 200 30 40"), ("phone", "91 777 88 99"))  # names both suspects

    assert not Campaign.objects.filter(pk=campaign_of_smaller.pk).exists()
    assert list(CaseCampaign.objects.filter(case=case).values_list("campaign_id", flat=True)) == [
        campaign_of_larger.pk
    ]
