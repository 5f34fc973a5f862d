"""Every stored report is read: structured identifiers, narrative, the victim's own details."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from markaz.core.bulk import BULK_ROWS
from markaz.flows.submission import reports_submit
from markaz.intake.choices import Channel
from markaz.intake.services import Submission
from markaz.intel.choices import GuardState, SightingField, SightingRole
from markaz.intel.models import Indicator, ReportIndex, Sighting
from markaz.intel.services import reports_index, warninglist_add
from tests.factories import report_draft
from tests.intel.conftest import campaign_of, indicator, submit

CARD = "4400 4301 2345 6789"


def test_structured_identifiers_become_suspect_sightings(db):
    report = submit(("phone", "93 555 12 34"), ("social", "@somon_shop_tj"))
    roles = {(s.indicator.kind, s.indicator.value): s.role for s in report.sightings.all()}
    assert roles == {
        ("phone", "+992935551234"): SightingRole.SUSPECT,
        ("telegram", "somon_shop_tj"): SightingRole.SUSPECT,
    }


def test_narrative_indicators_are_suspect_with_offset(db):
    text = "Сайт tcell-bonus[.]top пул гирифт."
    report = submit(narrative=text)
    sighting = Sighting.objects.get(report=report)
    assert sighting.indicator.value == "tcell-bonus.top"
    assert sighting.field == SightingField.NARRATIVE
    assert text[sighting.offset :].startswith("tcell-bonus")


def test_victim_contact_details_are_victim_sightings_that_never_link(db):
    report = submit(victim_phone="+992917001122", victim_email="manija@example.tj")
    victim = Sighting.objects.filter(report=report, role=SightingRole.VICTIM)
    assert {s.indicator.kind for s in victim} >= {"phone", "email"}
    assert not victim.filter(linking=True).exists()


def test_card_is_stored_as_hmac_with_bin_and_last4_only(db):
    report = submit(("card", CARD))
    card = Indicator.objects.get(kind="card")
    assert card.card_bin == "440043" and card.card_last4 == "6789"
    assert len(card.value) == 64 and "4301" not in card.value
    assert "4301" not in Sighting.objects.get(report=report).raw
    key_file = settings.DATA_DIR / "keys" / "card_hmac_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_unreadable_identifier_keeps_raw_text_and_is_recorded(db):
    report = submit(("phone", "позвоните дяде"))
    assert report.suspect_identifiers.get().value == "позвоните дяде"
    index = ReportIndex.objects.get(report=report)
    assert index.problems and index.problems[0]["kind"] == "phone"


def test_identifier_typed_in_the_wrong_field_is_still_read(db):
    report = submit(("phone", "t.me/somon_shop"))
    assert report.sightings.get().indicator.kind == "telegram"


def test_social_handle_kind_is_decided_by_its_form(db):
    report = submit(
        ("social", "@bare_handle"),
        ("social", "https://instagram.com/shop.tj"),
        ("social", "instagram: @insta_shop"),
        ("social", "wa.me/992935551234"),
    )
    kinds = {(s.indicator.kind, s.indicator.value) for s in report.sightings.all()}
    assert kinds == {
        ("telegram", "bare_handle"),
        ("instagram", "shop.tj"),
        ("instagram", "insta_shop"),
        ("whatsapp", "+992935551234"),
    }


def test_reindex_is_idempotent(db):
    first = submit(("phone", "93 555 12 34"))
    second = submit(("phone", "+992935551234"))
    before = set(Sighting.objects.values_list("report_id", "indicator_id", "role", "linking"))
    reports_index(reports=[first])
    reports_index(reports=[second])
    after = set(Sighting.objects.values_list("report_id", "indicator_id", "role", "linking"))
    assert before == after
    assert indicator("phone", "+992935551234").report_count == 2
    assert campaign_of(first) == campaign_of(second) is not None


@pytest.mark.parametrize(
    "step",
    ["report_occurrences", "campaigns_link_new_reports"],
    ids=["before-any-write", "after-sightings-were-written"],
)
def test_indexing_failure_keeps_the_report_and_leaves_no_partial_writes(db, monkeypatch, step):
    """A bug in extraction or linking costs no report: its own writes (on PostgreSQL
    queued in the pipeline) roll back with the savepoint, the report stays, marked."""
    from markaz.intel import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("indexing bug")

    monkeypatch.setattr(services, step, broken)
    report = submit(("phone", "93 555 12 34"))
    assert report.pk is not None
    assert ReportIndex.objects.get(report=report).failed
    assert not Sighting.objects.filter(report=report).exists()
    assert not Indicator.objects.exists()


def test_a_big_batch_failing_after_its_bulk_writes_keeps_its_reports_and_nothing_partial(
    db, partner, monkeypatch
):
    """An import batch is indexed outside pipeline mode, its sightings loaded in bulk (COPY
    on PostgreSQL); a failure after that still rolls all of it back, reports kept."""
    from markaz.intel import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("linking bug")

    monkeypatch.setattr(services, "campaigns_link_new_reports", broken)
    from markaz.flows.submission import PIPELINED_REPORTS

    count = PIPELINED_REPORTS
    phones = [("phone", f"93 444 {n:02d} {m:02d}") for n in range(count) for m in range(6)]
    submissions = [
        Submission(
            draft=report_draft(suspect_identifiers=phones[6 * n : 6 * n + 6]),
            channel=Channel.PARTNER,
            submitted_by=partner,
            external_id=f"big-{n}",
        )
        for n in range(count)
    ]
    assert len(phones) >= BULK_ROWS  # the sightings go in bulk
    reports_submit(submissions=submissions)
    assert ReportIndex.objects.filter(failed=True).count() == count
    assert not Sighting.objects.exists()
    assert not Indicator.objects.exists()


def test_where_inserts_cannot_be_read_back_every_indicator_is_read_locked(db, monkeypatch):
    """A database without RETURNING from bulk inserts: the new indicators are read back
    with the known ones, and come out the same."""
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    submit(("phone", "93 444 55 66"))
    with CaptureQueriesContext(connection) as captured:
        submit(("phone", "93 444 55 66"), ("phone", "93 444 55 77"))
    read_back = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "intel_indicator"' in q["sql"]
    ]
    assert len(read_back) == 1 and "934445577" in read_back[0]  # the new one read too
    assert indicator("phone", "+992934445566").report_count == 2
    assert indicator("phone", "+992934445577").report_count == 1


def test_new_indicators_are_not_read_back_and_their_counters_are_right(db, partner, settings):
    """Most of a batch's indicators are new: their state is what was inserted, never read
    back, and counters, first and last seen, the guard and the warning mark come out as
    when each row is read back locked (the old path, and the path for known values)."""
    settings.MARKAZ_INTEL_GUARD_REPORTS = 2
    warninglist_add(kind="domain", value="bank-hotline.tj", note="the bank's own", actor=None)
    at = [datetime(2026, 1, day, 9, 0, tzinfo=UTC) for day in (10, 5, 20)]
    submissions = [
        Submission(
            draft=report_draft(
                narrative="Сайт bank-hotline.tj, пул гирифтанд.",
                suspect_identifiers=[("phone", "93 444 55 66")],
                victim_phone="",
            ),
            channel=Channel.PARTNER,
            submitted_by=partner,
            external_id=f"new-{n}",
            submitted_at=moment,
        )
        for n, moment in enumerate(at)
    ]
    with CaptureQueriesContext(connection) as captured:
        reports_submit(submissions=submissions)
    read_back = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "intel_indicator"' in q["sql"]
    ]
    assert read_back == []
    phone = indicator("phone", "+992934445566")
    assert (phone.report_count, phone.first_seen, phone.last_seen) == (3, at[1], at[2])
    assert phone.guard == GuardState.HELD  # named by more than 2 reports
    site = indicator("domain", "bank-hotline.tj")
    assert site.warned and site.guard == GuardState.NONE
    assert not Sighting.objects.filter(indicator=site, linking=True).exists()
    # The same values again: now known, so read back and locked, and counted on.
    reports_submit(submissions=[replace(submissions[0], external_id="known-0")])
    phone.refresh_from_db()
    assert phone.report_count == 4
