"""Analysts see a campaign's reports only through case membership; cases show in correlation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markaz.cases.choices import MemberRole
from markaz.cases.correlation import inbox_matches, report_correlation
from markaz.cases.services import case_add_member, case_open
from markaz.intel.models import Campaign
from tests.intel.conftest import submit


def _three_linked():
    return [submit(("phone", "93 555 12 34"), victim_name=f"Victim {n}") for n in range(3)]


def test_analyst_member_of_a_case_sees_its_reports_in_the_campaign(db, analyst, supervisor, client):
    reports = _three_linked()
    case = case_open(reports=reports[:1], title="Somon", actor=supervisor)
    case_add_member(case=case, user=analyst, role=MemberRole.ANALYST, actor=supervisor)
    client.force_login(analyst)
    view = client.get(reverse("intel:campaign_detail", args=[Campaign.objects.get().pk])).context[
        "view"
    ]
    assert [r.reference for r in view.reports] == [reports[0].reference]
    assert view.hidden_reports == 2


def test_correlation_names_cases_only_to_their_members(db, investigator, supervisor):
    reports = _three_linked()
    case = case_open(reports=reports[:1], title="Somon", actor=supervisor)
    seen_by_supervisor = report_correlation(user=supervisor, report=reports[2])
    assert seen_by_supervisor.cases == [case] and seen_by_supervisor.hidden_cases == 0
    seen_by_outsider = report_correlation(user=investigator, report=reports[2])
    assert seen_by_outsider.cases == [] and seen_by_outsider.hidden_cases == 1
    # The outsider does not see the report in the case either.
    assert reports[0].reference not in {s.reference for s in seen_by_outsider.shared}
    assert seen_by_outsider.hidden_reports == 1


def test_inbox_counts_earlier_matches_and_open_cases(db, supervisor):
    reports = _three_linked()
    case_open(reports=reports[:1], title="Somon", actor=supervisor)
    matches = inbox_matches(report_ids=[r.pk for r in reports])
    assert reports[0].pk not in matches  # nothing earlier
    assert matches[reports[1].pk].reports == 1 and matches[reports[1].pk].open_cases == 1
    assert matches[reports[2].pk].reports == 2


@pytest.mark.parametrize("cap", [3, 100], ids=["more-than-shown", "all-shown"])
def test_correlation_lists_the_newest_neighbours_each_with_every_shared_indicator(
    db, supervisor, monkeypatch, cap
):
    from markaz.cases import correlation

    monkeypatch.setattr(correlation, "LIST_CAP", cap)
    phone, card = ("phone", "93 555 12 34"), ("card", "4400 4301 2345 6789")
    older = [submit(phone), submit(card), submit(phone, card)]
    newer = [submit(card), submit(phone, card)]
    correlation = report_correlation(user=supervisor, report=submit(phone, card))
    # Five neighbours, newest first; past the cap only counted.
    everyone = (newer[1], newer[0], older[2], older[1], older[0])
    assert [s.reference for s in correlation.shared] == [r.reference for r in everyone][:cap]
    assert correlation.more == max(0, 5 - cap)
    kinds = [sorted(i.kind for i in s.indicators) for s in correlation.shared]
    assert kinds == [["card", "phone"], ["card"], ["card", "phone"], ["card"], ["phone"]][:cap]


def test_correlation_past_the_cap_reads_every_indicators_newest_in_one_statement(
    db, supervisor, monkeypatch
):
    """A big campaign's member: the newest neighbours of each of its indicators come in one
    statement, so a report naming three indicators costs what one naming two does."""
    from markaz.cases import correlation

    monkeypatch.setattr(correlation, "LIST_CAP", 1)
    phone, card, site = (
        ("phone", "93 555 12 34"),
        ("card", "4400 4301 2345 6789"),
        ("url", "https://somon-bonus.tj/pay"),
    )
    for _ in range(3):
        submit(phone, card, site)
    two, three = submit(phone, card), submit(phone, card, site)
    report_correlation(user=supervisor, report=two)  # the user's roles, read once
    with CaptureQueriesContext(connection) as reading_two:
        of_two = report_correlation(user=supervisor, report=two)
    with CaptureQueriesContext(connection) as reading_three:
        of_three = report_correlation(user=supervisor, report=three)
    assert len(reading_three) == len(reading_two)
    assert (of_two.more, of_three.more) == (3, 3)  # four neighbours each, one shown
    newest = of_three.shared[0]
    assert newest.reference == two.reference  # the newest of them
    assert sorted(i.kind for i in newest.indicators) == ["card", "phone"]
