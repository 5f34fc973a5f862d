"""Intel pages and API: who may see what, victims' details kept out, bounded queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markaz.accounts.roles import Role
from markaz.intel.models import Campaign, Indicator, Notification
from markaz.intel.services import watch_toggle
from tests.intel.conftest import campaign_of, indicator, submit

VICTIM_NAME = "Манижа Раҳимова"
VICTIM_PHONE = "+992917001122"


@pytest.fixture
def campaign_reports(db):
    return [
        submit(
            ("phone", "93 555 12 34"),
            victim_name=VICTIM_NAME,
            victim_phone=VICTIM_PHONE,
            victim_email="manija@example.tj",
        ),
        submit(("phone", "+992935551234"), victim_name="Фарҳод Каримов"),
    ]


def _urls(campaign_reports) -> dict[str, str]:
    phone = indicator("phone", "+992935551234")
    campaign = Campaign.objects.get()
    return {
        "search": reverse("intel:search") + "?q=93+555+12+34",
        "indicator_detail": reverse("intel:indicator_detail", args=[phone.pk]),
        "campaign_list": reverse("intel:campaign_list"),
        "campaign_detail": reverse("intel:campaign_detail", args=[campaign.pk]),
        "report_links": reverse("intel:report_links", args=[campaign_reports[0].reference]),
        "warninglist": reverse("intel:warninglist"),
        "notifications": reverse("intel:notifications"),
    }


@pytest.mark.parametrize("role", [Role.ANALYST, Role.INVESTIGATOR, Role.SUPERVISOR])
def test_staff_with_intel_read_every_page(campaign_reports, make_user, client, role):
    client.force_login(make_user(role))
    for name, url in _urls(campaign_reports).items():
        if name == "report_links" and role == Role.ANALYST:
            continue  # analysts see no reports outside their cases
        assert client.get(url).status_code == 200, name


def test_anonymous_is_sent_to_log_in(campaign_reports, client):
    for name, url in _urls(campaign_reports).items():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize("role", [None, Role.PARTNER])
def test_accounts_without_intel_get_404(campaign_reports, make_user, client, role):
    client.force_login(make_user(role))
    for name, url in _urls(campaign_reports).items():
        assert client.get(url).status_code == 404, name


def test_analyst_sees_no_victim_details(campaign_reports, analyst, client):
    client.force_login(analyst)
    urls = _urls(campaign_reports)
    for name in ("search", "indicator_detail", "campaign_list", "campaign_detail"):
        body = client.get(urls[name]).content.decode()
        assert VICTIM_NAME not in body and "917001122" not in body, name
        assert campaign_reports[0].reference not in body, name
    # The victim's own phone is not an indicator an analyst can find or open.
    assert client.get(reverse("intel:search") + "?q=" + VICTIM_PHONE).context["results"] == []
    victim_phone = indicator("phone", VICTIM_PHONE)
    assert client.get(reverse("intel:indicator_detail", args=[victim_phone.pk])).status_code == 404
    assert client.get(urls["report_links"]).status_code == 404


def test_campaign_page_shows_figures_and_reports_to_those_who_may_see_them(
    campaign_reports, investigator, client
):
    client.force_login(investigator)
    response = client.get(_urls(campaign_reports)["campaign_detail"])
    body = response.content.decode()
    assert campaign_reports[0].reference in body and campaign_reports[1].reference in body
    assert response.context["view"].loss == [("TJS", Decimal("3000.00"))]


def test_correlation_lists_the_shared_indicator(campaign_reports, investigator, client):
    client.force_login(investigator)
    response = client.get(_urls(campaign_reports)["report_links"])
    correlation = response.context["correlation"]
    assert [s.reference for s in correlation.shared] == [campaign_reports[1].reference]
    assert [i.value for i in correlation.shared[0].indicators] == ["+992935551234"]
    assert correlation.campaign == Campaign.objects.get()
    assert "+992935551234" in response.content.decode()


def test_inbox_shows_matches_with_one_query(db, intake_officer, client):
    for _ in range(3):
        submit(("phone", "93 555 12 34"))
    client.force_login(intake_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("intake:inbox"))
    assert "matches 2 earlier reports" in response.content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intake:inbox"))
    for _ in range(10):
        submit(("phone", "93 555 12 34"), ("social", "@another_one"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("intake:inbox"))
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["campaign_list", "search", "warninglist", "notifications"])
def test_list_pages_query_count_does_not_grow_with_rows(db, analyst, client, name):
    url = reverse(f"intel:{name}") + ("?q=93 555 12 34" if name == "search" else "")

    def grow(n: int) -> None:
        handle = f"@group_number_{n}"
        submit(("social", handle))
        watch_toggle(user=analyst, indicator=indicator("telegram", handle[1:]))
        submit(("social", handle), ("phone", "93 555 12 34"))  # notifies, joins a campaign
        watch_toggle(user=analyst, campaign=Campaign.objects.get())

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(analyst)
    submit(("phone", "93 555 12 34"))
    grow(0)
    small = page_queries()
    for n in range(1, 6):
        grow(n)
    assert page_queries() == small


def test_watched_indicator_notifies_on_next_sighting(campaign_reports, analyst, client):
    phone = indicator("phone", "+992935551234")
    watch_toggle(user=analyst, indicator=phone)
    assert not Notification.objects.exists()
    later = submit(narrative="Аз +992 93 555 12 34 занг заданд.")
    notification = Notification.objects.get(user=analyst)
    assert notification.indicator == phone and notification.report == later
    client.force_login(analyst)
    body = client.get(reverse("intel:notifications")).content.decode()
    assert "+992935551234" in body and later.reference not in body  # analyst: no report


def test_watched_campaign_notifies_when_a_report_joins(campaign_reports, investigator):
    campaign = Campaign.objects.get()
    watch_toggle(user=investigator, campaign=campaign)
    joined = submit(("phone", "935551234"))
    assert campaign_of(joined) == campaign.pk
    notification = Notification.objects.get(user=investigator, campaign=campaign)
    assert notification.report == joined


def test_watchers_are_notified_once_the_submission_commits_and_not_before(
    campaign_reports, analyst
):
    from django.test import TestCase

    from markaz.flows.submission import reports_submit
    from markaz.intake.choices import Channel
    from markaz.intake.services import Submission
    from tests.factories import report_draft

    watch_toggle(user=analyst, indicator=indicator("phone", "+992935551234"))
    with TestCase.captureOnCommitCallbacks(execute=False) as after_commit:
        reports_submit(
            submissions=[
                Submission(
                    draft=report_draft(narrative="Аз +992 93 555 12 34 занг заданд."),
                    channel=Channel.WEB,
                )
            ]
        )
    assert not Notification.objects.exists()  # the transaction has not committed yet
    for callback in after_commit:
        callback()
    assert Notification.objects.filter(user=analyst).count() == 1


def test_victim_sighting_of_a_watched_value_does_not_notify(campaign_reports, analyst):
    watch_toggle(user=analyst, indicator=indicator("phone", "+992935551234"))
    submit(victim_phone="+992935551234")
    assert not Notification.objects.exists()


def test_watch_and_guard_actions_need_their_permission(campaign_reports, intake_officer, client):
    client.force_login(intake_officer)
    phone = indicator("phone", "+992935551234")
    assert client.post(reverse("intel:indicator_watch", args=[phone.pk])).status_code == 404
    url = reverse("intel:indicator_guard", args=[phone.pk, "warn"])
    assert client.post(url).status_code == 404
    assert not Indicator.objects.get(pk=phone.pk).warned


def test_analyst_puts_an_indicator_on_the_warning_list_from_its_page(
    campaign_reports, analyst, client
):
    client.force_login(analyst)
    phone = indicator("phone", "+992935551234")
    client.post(reverse("intel:indicator_guard", args=[phone.pk, "warn"]), {"note": "hotline"})
    assert Indicator.objects.get(pk=phone.pk).warned
    assert not Campaign.objects.exists()


def test_api_search_and_campaigns(campaign_reports, analyst, client):
    client.force_login(analyst)
    found = client.get("/api/v1/intel/search", {"q": "93 555 12 34"}).json()
    assert [(i["kind"], i["value"]) for i in found] == [("phone", "+992935551234")]
    page = client.get("/api/v1/intel/campaigns").json()
    assert page["count"] == 1
    detail = client.get(f"/api/v1/intel/campaigns/{page['items'][0]['id']}").json()
    assert detail["reports"] == [] and detail["hidden_reports"] == 2
    indicator_id = found[0]["id"]
    sightings = client.get(f"/api/v1/intel/indicators/{indicator_id}").json()["sightings"]
    assert {s["report"] for s in sightings} == {None}


def test_api_refuses_accounts_without_intel(campaign_reports, partner_token, client):
    response = client.get(
        "/api/v1/intel/campaigns", headers={"Authorization": f"Bearer {partner_token}"}
    )
    assert response.status_code == 403


def test_campaign_page_pages_its_reports_in_the_same_queries_whatever_its_size(
    db, investigator, client, monkeypatch
):
    from markaz.cases import correlation

    monkeypatch.setattr(correlation, "LIST_CAP", 2)
    client.force_login(investigator)
    submit(("phone", "93 555 12 34"))
    submit(("phone", "93 555 12 34"))
    url = reverse("intel:campaign_detail", args=[Campaign.objects.get().pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        submit(("phone", "93 555 12 34"), loss_amount=Decimal(10), loss_currency="USD")
    with CaptureQueriesContext(connection) as many:
        first = client.get(url)
    last = client.get(url + "?page=3")
    assert len(many) == len(few)
    assert len(first.context["view"].reports) == 2 and len(last.context["view"].reports) == 1
    assert first.context["view"].hidden_reports == 0  # a page is not access withheld
    assert ("USD", Decimal("30.00")) in first.context["view"].loss
    assert "?page=2" in first.content.decode()
