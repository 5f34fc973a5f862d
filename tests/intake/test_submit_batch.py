"""`reports_submit` with many reports: one transaction, each stored as a single one is."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent, TreeHead
from markaz.audit.verify import audit_verify
from markaz.core.bulk import BULK_ROWS
from markaz.core.models import ReferenceCounter
from markaz.flows import submission as submission_flow
from markaz.flows.submission import reports_submit
from markaz.intake.choices import Channel, ReportStatus
from markaz.intake.models import Report, StatusChange, SuspectIdentifier
from markaz.intake.services import Submission, status_code_matches
from markaz.intel.models import CampaignMember, ReportIndex, Sighting
from tests.factories import report_draft

JAN = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _audit_keys_in_tmp(settings, tmp_path) -> None:
    settings.MARKAZ_KEY_DIR = tmp_path / "keys"


def _batch(partner, count: int, *, start: int = 0, **fields: object) -> list[Submission]:
    return [
        Submission(
            draft=report_draft(narrative=f"Фурӯшанда пул гирифт ({n}).", **fields),
            channel=Channel.PARTNER,
            submitted_by=partner,
            external_id=f"bank-{n}",
            submitted_at=JAN,
        )
        for n in range(start, start + count)
    ]


def _number(reference: str) -> int:
    return int(reference.rsplit("-", 1)[1])


def test_references_continue_the_counter_consecutively_in_order(db, partner):
    before = reports_submit(
        submissions=[Submission(draft=report_draft(), channel=Channel.WEB, submitted_at=JAN)]
    )[0].report
    receipts = reports_submit(submissions=_batch(partner, 5))
    numbers = [_number(r.report.reference) for r in receipts]
    assert numbers == list(range(_number(before.reference) + 1, _number(before.reference) + 6))
    assert all(r.report.reference.startswith("MKZ-2026-") for r in receipts)
    after = reports_submit(
        submissions=[Submission(draft=report_draft(), channel=Channel.WEB, submitted_at=JAN)]
    )[0].report
    assert _number(after.reference) == numbers[-1] + 1


def test_each_year_takes_its_own_numbers_with_one_counter_update(db, partner):
    old = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    submissions = [
        Submission(draft=report_draft(), channel=Channel.PARTNER, submitted_by=partner,
                   external_id=f"x-{n}", submitted_at=old if n % 2 else JAN)
        for n in range(6)
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        receipts = reports_submit(submissions=submissions)
    references = [r.report.reference for r in receipts]
    assert references == [
        "MKZ-2026-000001",
        "MKZ-2025-000001",
        "MKZ-2026-000002",
        "MKZ-2025-000002",
        "MKZ-2026-000003",
        "MKZ-2025-000003",
    ]
    assert len(set(Report.objects.values_list("reference", flat=True))) == 6
    counter_writes = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "counter" in q["sql"]
    ]
    assert len(counter_writes) == 2
    assert ReferenceCounter.objects.get(year=2025).last == 3


def test_stored_report_is_the_one_report_submit_stores(db, partner):
    receipt = reports_submit(submissions=_batch(partner, 1))[0]
    report = Report.objects.get(pk=receipt.report.pk)
    assert receipt.created
    assert status_code_matches(report=report, status_code=receipt.status_code)
    assert report.channel == Channel.PARTNER
    assert report.submitted_by == partner
    assert report.submitted_at == JAN
    assert report.consent_at == JAN
    assert report.narrative_folded == report.narrative.casefold()
    assert report.status == ReportStatus.RECEIVED
    assert (report.loss_amount, report.loss_currency) == (Decimal("1500.00"), "TJS")
    assert (report.region, report.district, report.payment_method) == ("DU", "DU-SIN", "bank_card")
    assert report.victim_phone == "+992917001122"
    assert report.external_id == "bank-0"
    assert report.incident_at is None
    assert report.pk == receipt.report.pk
    receipt.report.save(update_fields=["status"])  # the receipt's report is a stored one
    assert list(report.suspect_identifiers.values_list("kind", "value")) == [
        ("phone", "93 555 12 34"),
        ("social", "@somon_shop_tj"),
    ]


def test_every_report_gets_its_received_status_row(db, partner):
    receipts = reports_submit(submissions=_batch(partner, 3))
    rows = StatusChange.objects.filter(report__in=[r.report for r in receipts])
    assert sorted(rows.values_list("report_id", "from_status", "to_status", "actor_id", "at")) == [
        (r.report.pk, "", ReportStatus.RECEIVED, partner.pk, JAN) for r in receipts
    ]


def test_every_report_gets_its_own_audit_event_in_order(db, partner):
    receipts = reports_submit(submissions=_batch(partner, 4))
    events = list(AuditEvent.objects.filter(action=AuditAction.REPORT_SUBMITTED).order_by("id"))
    assert [e.target_id for e in events] == [str(r.report.pk) for r in receipts]
    assert [e.target_label for e in events] == [r.report.reference for r in receipts]
    assert {e.actor_id for e in events} == {partner.pk}
    assert events[0].extra == {"channel": "partner", "attachments": 0}


def test_audit_log_verifies_with_heads_signed_inside_the_batch(db, partner, settings):
    settings.MARKAZ_AUDIT_CHECKPOINT_EVERY = 4
    start = AuditEvent.objects.count()  # the partner's account events came before the setting
    reports_submit(
        submissions=[Submission(draft=report_draft(), channel=Channel.WEB, submitted_at=JAN)]
    )[0]
    reports_submit(submissions=_batch(partner, 11))
    reports_submit(
        submissions=[Submission(draft=report_draft(), channel=Channel.WEB, submitted_at=JAN)]
    )[0]
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    expected = [(ids.index(i) + 1, i) for i in ids[start:] if i % 4 == 0]
    heads = list(TreeHead.objects.order_by("tree_size").values_list("tree_size", "last_event_id"))
    assert heads == expected  # one head per multiple of 4, as one audit_record per event makes
    result = audit_verify()
    assert result.ok, result.problems
    assert result.tree_size == len(ids)


def test_repeating_a_batch_stores_nothing_twice(db, partner):
    first = reports_submit(submissions=_batch(partner, 3))
    events = AuditEvent.objects.count()
    again = reports_submit(submissions=_batch(partner, 4))
    assert [r.created for r in again] == [False, False, False, True]
    assert [r.report.pk for r in again[:3]] == [r.report.pk for r in first]
    assert all(r.status_code == "" for r in again[:3])
    assert Report.objects.count() == 4
    assert StatusChange.objects.count() == 4
    assert AuditEvent.objects.count() == events + 1


def test_an_external_id_repeated_in_the_batch_is_stored_once(db, partner):
    submissions = _batch(partner, 2) + _batch(partner, 1)
    receipts = reports_submit(submissions=submissions)
    assert [r.created for r in receipts] == [True, True, False]
    assert receipts[2].report.pk == receipts[0].report.pk
    assert Report.objects.count() == 2


def test_external_ids_are_unique_per_submitter_only(db, partner, intake_officer):
    mine = _batch(partner, 1)[0]
    theirs = Submission(
        draft=report_draft(), channel=Channel.PHONE, submitted_by=intake_officer,
        external_id=mine.external_id,
    )  # fmt: skip
    receipts = reports_submit(submissions=[mine, theirs])
    assert [r.created for r in receipts] == [True, True]
    assert receipts[1].report.channel == Channel.PHONE


def test_public_reports_without_submitter_are_never_deduplicated(db):
    drafts = [Submission(draft=report_draft(), channel=Channel.WEB) for _n in range(2)]
    receipts = reports_submit(submissions=drafts)
    assert all(r.created for r in receipts)
    assert {r.report.submitted_by_id for r in receipts} == {None}


def test_a_failure_inside_the_batch_leaves_nothing(db, partner, monkeypatch):
    reports_submit(
        submissions=[Submission(draft=report_draft(), channel=Channel.WEB, submitted_at=JAN)]
    )[0]
    counts = {
        model: model.objects.count()
        for model in (Report, SuspectIdentifier, StatusChange, AuditEvent, Sighting, ReportIndex)
    }
    last = ReferenceCounter.objects.get(year=2026).last
    from markaz.intel import services as intel_services

    def index_then_fail(**kwargs: object) -> None:
        intel_services.reports_index(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(submission_flow, "reports_index", index_then_fail)
    with pytest.raises(RuntimeError):
        reports_submit(submissions=_batch(partner, 3))
    assert {model: model.objects.count() for model in counts} == counts
    assert ReferenceCounter.objects.get(year=2026).last == last
    assert audit_verify().ok


def test_the_batch_is_indexed_and_linked(db, partner):
    receipts = reports_submit(submissions=_batch(partner, 3))
    reports = [r.report for r in receipts]
    assert ReportIndex.objects.filter(report__in=reports, failed=False).count() == 3
    assert Sighting.objects.filter(report__in=reports, linking=True).exists()
    campaigns = set(
        CampaignMember.objects.filter(report__in=reports).values_list("campaign_id", flat=True)
    )
    assert len(campaigns) == 1  # the same suspect phone links all three


def test_an_extraction_failure_keeps_the_batch(db, partner, monkeypatch):
    from markaz.intel import services as intel_services

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(intel_services, "report_occurrences", broken)
    receipts = reports_submit(submissions=_batch(partner, 2))
    assert Report.objects.count() == 2
    assert ReportIndex.objects.filter(failed=True).count() == 2
    assert all(r.created for r in receipts)


def test_a_batch_large_enough_for_bulk_loading_stores_what_report_submit_stores(
    db, partner, settings
):
    """From BULK_ROWS reports on, PostgreSQL takes the rows by COPY: every column, the
    audit chain and its signed heads come out as one submission per report gives."""
    settings.MARKAZ_AUDIT_CHECKPOINT_EVERY = 50
    draft = {
        "narrative": "Tab\there, back\\slash, \\N, «кавычки» and a line\nbreak: @somon_shop_tj",
        "incident_at": datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        "incident_time_approximate": True,
        "loss_amount": None,
        "loss_currency": "",
        "victim_email": "manizha@example.tj",
    }
    single = reports_submit(
        submissions=[
            Submission(draft=report_draft(**draft), channel=Channel.PARTNER, submitted_at=JAN)
        ]
    )[0]
    submissions = [
        Submission(
            draft=report_draft(**draft),
            channel=Channel.PARTNER,
            submitted_by=partner,
            external_id=f"bulk-{n}",
            submitted_at=JAN,
        )
        for n in range(BULK_ROWS)
    ]
    receipts = reports_submit(submissions=submissions)
    columns = [
        f.attname
        for f in Report._meta.concrete_fields
        if f.attname
        not in ("id", "reference", "status_code_hash", "submitted_by_id", "external_id")
    ]
    expected = Report.objects.filter(pk=single.report.pk).values_list(*columns).get()
    stored = Report.objects.filter(pk__in=[r.report.pk for r in receipts]).values_list(*columns)
    assert set(stored) == {expected}
    assert all(status_code_matches(report=r.report, status_code=r.status_code) for r in receipts)
    assert SuspectIdentifier.objects.filter(report__external_id__startswith="bulk-").count() == (
        2 * BULK_ROWS
    )
    assert ReportIndex.objects.filter(failed=False).count() == BULK_ROWS + 1
    result = audit_verify()
    assert result.ok, result.problems
    assert TreeHead.objects.exists()
