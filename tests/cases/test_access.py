"""Need-to-know: who sees a case, its reports and their victims, in pages, API, lists and search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markaz.accounts.services import api_token_create
from markaz.audit.models import AuditEvent
from markaz.cases.choices import MemberRole
from markaz.cases.report_access import reports_visible_to
from markaz.cases.rules import VIEW_CASE, cases_visible_to
from markaz.cases.services import case_add_member
from tests.factories import report_submitted

pytestmark = pytest.mark.django_db

# who -> may see the case (and its reports with victims' details)
WHO = {
    "lead": True,
    "supervisor": True,
    "administrator": True,
    "analyst_member": True,
    "other_investigator": False,
    "other_supervisor": False,
    "analyst": False,
    "intake_officer": False,
}


@pytest.fixture
def people(request, case, make_user):
    from markaz.accounts.roles import Role

    analyst_member = make_user(Role.ANALYST, username="analyst-member")
    case_add_member(case=case, user=analyst_member, role=MemberRole.ANALYST, actor=case.supervisor)
    names = {name: request.getfixturevalue(name) for name in WHO if name != "analyst_member"}
    names["analyst_member"] = analyst_member
    return names


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_case_page(client, people, case, who, sees):
    client.force_login(people[who])
    response = client.get(reverse("cases:case_detail", args=[case.number]))
    assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_missing_and_forbidden_cases_look_the_same(client, people, who, sees):
    client.force_login(people[who])
    response = client.get(reverse("cases:case_detail", args=["CASE-1999-9999"]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client, case):
    response = client.get(reverse("cases:case_detail", args=[case.number]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_case_rules_and_queryset_agree(people, case, who, sees):
    user = people[who]
    assert user.has_perm(VIEW_CASE, case) is sees
    assert cases_visible_to(user=user).filter(pk=case.pk).exists() is sees


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_case_list_shows_only_visible_cases(client, people, case, who, sees):
    client.force_login(people[who])
    response = client.get(reverse("cases:case_list"), {"q": "Somon"})
    if who == "intake_officer":
        assert response.status_code == 404  # intake officers have no case list at all
        return
    assert response.status_code == 200
    assert (case.number in response.content.decode()) is sees


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_reports_in_a_case_follow_the_case(people, case, case_reports, who, sees):
    visible = reports_visible_to(user=people[who])
    for report in case_reports:
        assert visible.filter(pk=report.pk).exists() is sees


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_report_page_and_victim_details(client, people, case, case_reports, who, sees):
    client.force_login(people[who])
    response = client.get(reverse("intake:report_detail", args=[case_reports[0].reference]))
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert "+992917001122" in response.content.decode()


@pytest.mark.parametrize("who", ["intake_officer", "other_investigator", "other_supervisor"])
def test_inbox_and_search_never_show_reports_in_a_case(client, people, case, who):
    waiting = report_submitted(narrative="Somon shop again, different victim.")
    client.force_login(people[who])
    body = client.get(reverse("intake:inbox"), {"q": "Somon"}).content.decode()
    assert waiting.reference in body
    for link in case.report_links.select_related("report"):
        assert link.report.reference not in body
    assert "Манижа" not in body


def test_unassigned_reports_stay_visible_to_intake_as_before(people, case):
    waiting = report_submitted()
    for who in ("intake_officer", "supervisor", "administrator", "other_investigator"):
        assert reports_visible_to(user=people[who]).filter(pk=waiting.pk).exists()
    assert not reports_visible_to(user=people["analyst"]).filter(pk=waiting.pk).exists()


@pytest.mark.parametrize(("who", "sees"), WHO.items())
def test_api_case_read_and_lists(client, people, case, who, sees):
    token = api_token_create(user=people[who], name="t", actor=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    read = client.get(f"/api/v1/cases/{case.number}", **auth)
    assert read.status_code == (200 if sees else 404)
    for sub in ("tasks", "notes", "timeline"):
        assert client.get(f"/api/v1/cases/{case.number}/{sub}", **auth).status_code == (
            200 if sees else 404
        )
    listed = client.get("/api/v1/cases", {"q": "Somon"}, **auth)
    if who == "intake_officer":
        assert listed.status_code == 403
    else:
        numbers = [item["number"] for item in listed.json()["items"]]
        assert (case.number in numbers) is sees
    reports = client.get("/api/v1/reports", {"q": "Telegram"}, **auth)
    if reports.status_code == 200:
        refs = [item["reference"] for item in reports.json()["items"]]
        for link in case.report_links.select_related("report"):
            assert (link.report.reference in refs) is sees


@pytest.mark.parametrize(
    ("who", "status"),
    [("lead", 201), ("analyst_member", 403), ("other_investigator", 404), ("supervisor", 201)],
)
def test_api_writes_need_work_on_the_case(client, people, case, who, status):
    token = api_token_create(user=people[who], name="t", actor=None)
    response = client.post(
        f"/api/v1/cases/{case.number}/notes",
        {"text": "note"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("lead", 403), ("supervisor", 302), ("other_supervisor", 404)]
)
def test_only_the_cases_supervisor_assigns(client, people, case, who, status):
    client.force_login(people[who])
    response = client.post(
        reverse("cases:case_action", args=[case.number, "assign"]),
        {"investigator": "other-investigator"},
    )
    assert response.status_code == status


def test_viewing_a_case_is_audited(client, people, case):
    client.force_login(people["lead"])
    client.get(reverse("cases:case_detail", args=[case.number]))
    assert AuditEvent.objects.filter(
        action="case.viewed", target_id=str(case.pk), actor=people["lead"]
    ).exists()


def test_api_refusals_answer_422_with_messages(client, case):
    token = api_token_create(user=case.supervisor, name="t", actor=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    unknown = client.post(
        f"/api/v1/cases/{case.number}/assign",
        {"investigator": "nobody-here"},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 422
    assert "investigator" in unknown.json()["detail"]
    refused = client.post(
        f"/api/v1/cases/{case.number}/move",
        {"status": "opened", "reason": "back"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 422
    assert refused.json()["detail"]["__all__"]
