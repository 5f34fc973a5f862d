"""Opening, numbering, the status table, members, linking and unlinking reports."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from markaz.audit.models import AuditEvent
from markaz.cases.choices import CASE_STATUS_MOVES, CaseEventKind, CaseStatus, MemberRole
from markaz.cases.models import CaseMember
from markaz.cases.services import (
    case_add_member,
    case_link_report,
    case_move,
    case_open,
    case_remove_member,
    case_set_articles,
    case_unlink_report,
)
from markaz.intake.choices import ReportStatus
from markaz.intake.selectors import report_statuses_public
from tests.factories import report_submitted

pytestmark = pytest.mark.django_db


def test_case_number_follows_the_year_and_counts_up(supervisor):
    first = case_open(reports=[report_submitted()], title="A", actor=supervisor)
    second = case_open(reports=[report_submitted()], title="B", actor=supervisor)
    year = timezone.localtime().year
    assert re.fullmatch(rf"CASE-{year}-\d{{4}}", first.number)
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_case_numbers_do_not_disturb_report_references(supervisor):
    before = report_submitted()
    case_open(reports=[before], title="A", actor=supervisor)
    after = report_submitted()
    assert int(after.reference[-6:]) == int(before.reference[-6:]) + 1


def test_open_from_one_report(supervisor):
    report = report_submitted()
    case = case_open(reports=[report], title="One", actor=supervisor)
    report.refresh_from_db()
    assert report.status == ReportStatus.LINKED_TO_CASE
    assert case.status == CaseStatus.OPENED
    assert case.supervisor == supervisor
    assert list(case.report_links.values_list("report__reference", flat=True)) == [report.reference]


def test_open_from_several_reports(case, case_reports):
    assert case.report_links.count() == 2


def test_open_without_reports_is_refused(supervisor):
    with pytest.raises(ValidationError):
        case_open(reports=[], title="Nothing", actor=supervisor)


def test_a_report_is_in_one_case_at_most(case, supervisor, case_reports):
    other = case_open(reports=[report_submitted()], title="Other", actor=supervisor)
    with translation.override("en"), pytest.raises(ValidationError, match="already in case"):
        case_link_report(case=other, report=case_reports[0], actor=supervisor)


def test_assigning_makes_the_lead_a_member_and_moves_to_assigned(case, lead):
    assert case.status == CaseStatus.ASSIGNED
    assert case.lead == lead
    assert CaseMember.objects.get(case=case, user=lead).role == MemberRole.LEAD


@pytest.mark.parametrize(
    "path",
    [
        [CaseStatus.INVESTIGATING, CaseStatus.REFERRED_TO_PROSECUTOR],
        [CaseStatus.INVESTIGATING, CaseStatus.SUSPENDED, CaseStatus.INVESTIGATING],
        [CaseStatus.INVESTIGATING, CaseStatus.CLOSED, CaseStatus.INVESTIGATING],
        [CaseStatus.SUSPENDED, CaseStatus.CLOSED],
    ],
)
def test_allowed_moves_are_made_with_their_reason(case, lead, path):
    for status in path:
        case = case_move(case=case, status=status, reason=f"to {status}", actor=lead)
        assert case.status == status
    last = case.events.filter(kind=CaseEventKind.STATUS_CHANGED).last()
    assert last.data["reason"] == f"to {path[-1]}"


def test_referral_and_closing_set_their_dates(case, lead):
    case = case_move(case=case, status=CaseStatus.INVESTIGATING, reason="start", actor=lead)
    case = case_move(case=case, status=CaseStatus.REFERRED_TO_PROSECUTOR, reason="ok", actor=lead)
    assert case.referred_at is not None
    case = case_move(case=case, status=CaseStatus.CLOSED, reason="verdict", actor=lead)
    assert case.closed_at is not None


def _refused_moves():
    for current in CaseStatus:
        for target in CaseStatus:
            if target not in CASE_STATUS_MOVES[current]:
                yield current, target


@pytest.mark.parametrize(("current", "target"), list(_refused_moves()))
def test_moves_outside_the_table_are_refused_with_a_clear_message(case, current, target):
    case.status = current
    case.save(update_fields=["status"])
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            case_move(case=case, status=target, reason="try", actor=case.supervisor)
        assert refused.value.messages == [
            f"A case cannot move from “{current.label}” to “{target.label}”."
        ]
    case.refresh_from_db()
    assert case.status == current


def test_every_move_needs_a_reason(case, lead):
    with pytest.raises(ValidationError):
        case_move(case=case, status=CaseStatus.INVESTIGATING, reason="  ", actor=lead)


def test_moves_are_audited_and_on_the_timeline(case, lead):
    case_move(case=case, status=CaseStatus.INVESTIGATING, reason="start", actor=lead)
    assert AuditEvent.objects.filter(
        action="case.status_changed", target_id=str(case.pk), actor=lead
    ).exists()
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == CaseEventKind.OPENED
    assert kinds[-1] == CaseEventKind.STATUS_CHANGED


def test_linking_tells_the_victim_neutrally(supervisor):
    report = report_submitted(language="en")
    case = case_open(reports=[report], title="Secret operation name", actor=supervisor)
    public = report_statuses_public(report)
    assert [m["text"] for m in public["messages"]] == [
        "Your report has been passed to an investigator."
    ]
    shown = str(public)
    assert case.number not in shown
    assert "Secret operation name" not in shown
    assert supervisor.get_username() not in shown


def test_unlinking_returns_the_report_to_triage(case, lead, case_reports):
    report = case_reports[0]
    case_unlink_report(case=case, report=report, reason="different suspect", actor=lead)
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_TRIAGE
    assert case.report_links.count() == 1
    event = case.events.get(kind=CaseEventKind.REPORT_UNLINKED)
    assert event.data == {"report": report.reference, "reason": "different suspect"}


def test_unlinking_needs_a_reason(case, lead, case_reports):
    with pytest.raises(ValidationError):
        case_unlink_report(case=case, report=case_reports[0], reason="", actor=lead)


def test_a_closed_report_cannot_be_linked(supervisor, intake_officer):
    from markaz.intake.services import report_set_status

    report = report_submitted()
    report_set_status(
        report=report, status=ReportStatus.CLOSED, reason="spam", actor=intake_officer
    )
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be linked"):
        case_open(reports=[report], title="x", actor=supervisor)


def test_members_are_added_and_removed(case, supervisor, analyst):
    case_add_member(case=case, user=analyst, role=MemberRole.ANALYST, actor=supervisor)
    assert case.members.filter(user=analyst).exists()
    case_remove_member(case=case, user=analyst, actor=supervisor)
    assert not case.members.filter(user=analyst).exists()


def test_the_lead_cannot_be_removed(case, supervisor, lead):
    with pytest.raises(ValidationError):
        case_remove_member(case=case, user=lead, actor=supervisor)


def test_an_analyst_cannot_be_made_lead(case, supervisor, analyst):
    from markaz.cases.services import case_assign

    with pytest.raises(ValidationError):
        case_assign(case=case, investigator=analyst, actor=supervisor)


def test_articles_come_from_the_country_file(case, supervisor):
    case = case_set_articles(case=case, articles=["247", "298"], actor=supervisor)
    assert case.legal_articles == ["247", "298"]
    with pytest.raises(ValidationError):
        case_set_articles(case=case, articles=["999"], actor=supervisor)


def test_shipped_articles_file_names_each_article_in_three_languages():
    import json

    from markaz.core.country import COUNTRIES_DIR

    data = json.loads((COUNTRIES_DIR / "TJ" / "articles.json").read_text(encoding="utf-8"))
    assert "verify before release" in data["_about"].lower()
    codes = {a["code"] for a in data["articles"]}
    assert {"247", "250", "241(1)", "241(2)", "298", "301", "301(1)", "304"} <= codes
    for entry in data["articles"]:
        assert set(entry["name"]) == {"tg", "ru", "en"}
