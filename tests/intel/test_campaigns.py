"""Campaigns: connected components, merged when a report bridges two, rebuilt identically."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import pytest

from markaz.intel import campaigns
from markaz.intel.campaigns import campaigns_rebuild, campaigns_refresh
from markaz.intel.models import Campaign, CampaignMember
from tests.intel.conftest import campaign_of, submit


def _partition() -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for report_id, campaign_id in CampaignMember.objects.values_list("report_id", "campaign_id"):
        groups.setdefault(campaign_id, set()).add(report_id)
    return {frozenset(g) for g in groups.values()}


def test_report_bridging_two_campaigns_merges_them_into_the_larger(db):
    a1 = submit(("phone", "93 555 12 34"))
    a2 = submit(("phone", "93 555 12 34"))
    a3 = submit(("phone", "93 555 12 34"))
    b1 = submit(("social", "@scam_shop"))
    b2 = submit(("social", "@scam_shop"))
    larger, smaller = campaign_of(a1), campaign_of(b1)
    assert larger != smaller

    bridge = submit(("phone", "+992935551234"), ("social", "@scam_shop"))
    assert {campaign_of(r) for r in (a1, a2, a3, b1, b2, bridge)} == {larger}
    assert not Campaign.objects.filter(pk=smaller).exists()
    assert Campaign.objects.get(pk=larger).report_count == 6


def test_campaign_figures(db):
    submit(("phone", "93 555 12 34"), loss_amount=Decimal("100"), loss_currency="TJS")
    submit(("phone", "93 555 12 34"), loss_amount=Decimal("50.5"), loss_currency="TJS")
    submit(("phone", "93 555 12 34"), loss_amount=Decimal("20"), loss_currency="USD")
    campaign = Campaign.objects.get()
    assert campaign.victim_count == 3
    assert campaign.loss_main == Decimal("150.50")
    assert campaign.first_report_at <= campaign.last_report_at


def test_rebuild_gives_the_same_components_as_incremental(db):
    rng = random.Random(4)
    phones = [f"93 555 {i:02d} {j:02d}" for i, j in zip(range(10, 30), range(30, 50), strict=True)]
    handles = [f"@shop_number_{i}" for i in range(12)]
    for _ in range(40):
        identifiers = []
        if rng.random() < 0.8:
            identifiers.append(("phone", rng.choice(phones)))
        if rng.random() < 0.5:
            identifiers.append(("social", rng.choice(handles)))
        submit(*identifiers)
    incremental = _partition()
    ids = set(Campaign.objects.values_list("pk", flat=True))
    assert len(incremental) > 1

    CampaignMember.objects.all().delete()
    Campaign.objects.all().delete()
    campaigns_rebuild()
    assert _partition() == incremental

    # Rebuilding over an up-to-date table changes nothing, ids included.
    before = set(CampaignMember.objects.values_list("report_id", "campaign_id"))
    campaigns_rebuild()
    assert set(CampaignMember.objects.values_list("report_id", "campaign_id")) == before
    assert ids  # (the first incremental ids were replaced by the from-scratch rebuild)


@pytest.mark.parametrize("whole_table", [False, True])
def test_figures_added_up_on_link_equal_a_full_recount(db, monkeypatch, whole_table):
    """Linking adds figures up (own, new reports', merged campaigns'); a recount agrees."""
    rng = random.Random(7)
    phones = [f"93 555 40 {n:02d}" for n in range(16)]
    for _ in range(30):
        picked = rng.sample(phones, 2 if rng.random() < 0.15 else 1)
        currency = rng.choice(("TJS", "TJS", "USD", ""))
        submit(
            *[("phone", p) for p in picked],
            loss_amount=Decimal(rng.randrange(1, 500)) if currency else None,
            loss_currency=currency,
        )
    fields = ("report_count", "victim_count", "loss_main", "first_report_at", "last_report_at")
    linked = {c.pk: [getattr(c, f) for f in fields] for c in Campaign.objects.all()}
    if whole_table:
        monkeypatch.setattr(campaigns, "REFRESH_WHOLE_TABLE", 1)
    Campaign.objects.update(report_count=0, loss_main=0)  # recounted from the members
    campaigns_refresh(list(linked))
    recounted = {c.pk: [getattr(c, f) for f in fields] for c in Campaign.objects.all()}
    assert len(linked) > 1 and linked == recounted


def test_a_batch_joins_earlier_campaigns_and_lone_reports_through_one_report_each(db):
    """Linking reads one earlier report per indicator: its campaign stands for them all."""
    from markaz.flows.submission import reports_submit
    from markaz.intake.choices import Channel
    from markaz.intake.services import Submission
    from tests.factories import report_draft

    a1, a2 = submit(("phone", "93 555 12 34")), submit(("phone", "93 555 12 34"))
    lone = submit(("social", "@lone_shop"))
    other = submit(("social", "@other_shop"))
    batch = (
        [("phone", "+992 93 555 12 34")],
        [("social", "@lone_shop"), ("phone", "935551234")],
        [("social", "@other_shop")],
    )
    b1, b2, b3 = (
        receipt.report
        for receipt in reports_submit(
            submissions=[
                Submission(
                    draft=report_draft(
                        suspect_identifiers=identifiers,
                        narrative="Пул гирифтанд.",
                        victim_phone="",
                    ),
                    channel=Channel.WEB,
                )
                for identifiers in batch
            ]
        )
    )
    assert {campaign_of(r) for r in (a1, a2, lone, b1, b2)} == {campaign_of(a1)}
    assert campaign_of(other) == campaign_of(b3) != campaign_of(a1)
    assert Campaign.objects.get(pk=campaign_of(a1)).report_count == 5


def test_a_full_rebuild_runs_with_the_collector_relaxed_and_restores_it(db, monkeypatch):
    import gc

    from django.core.management import call_command

    from markaz.core.collector import BULK_YOUNG_THRESHOLD
    from markaz.intel import services

    threshold = gc.get_threshold()
    during: list[int] = []

    def rebuild() -> int:
        during.append(gc.get_threshold()[0])
        return 0

    monkeypatch.setattr(services, "campaigns_rebuild", rebuild)
    call_command("campaigns", "rebuild", stdout=io.StringIO())
    assert during == [BULK_YOUNG_THRESHOLD]
    assert gc.get_threshold() == threshold


def test_merging_two_campaigns_records_the_merge_in_the_audit_log(db):
    from markaz.audit.choices import AuditAction
    from markaz.audit.models import AuditEvent

    a = [submit(("phone", "93 555 12 34")), submit(("phone", "93 555 12 34"))]
    b = [submit(("social", "@bridge_shop")), submit(("social", "@bridge_shop"))]
    absorbed = {campaign_of(a[0]), campaign_of(b[0])}
    bridge = submit(("phone", "93 555 12 34"), ("social", "@bridge_shop"))
    heir = campaign_of(bridge)
    [merged] = AuditEvent.objects.filter(action=AuditAction.CAMPAIGN_MERGED)
    assert merged.target_id == str(heir)
    assert merged.extra == {"absorbed": f"CMP-{(absorbed - {heir}).pop():06d}"}


def test_a_campaign_whose_only_link_goes_is_dissolved_on_the_record(db, analyst):
    from markaz.audit.choices import AuditAction
    from markaz.audit.models import AuditEvent
    from markaz.intel.services import warninglist_add

    first = submit(("phone", "93 555 12 34"))
    submit(("phone", "93 555 12 34"))
    old = campaign_of(first)
    warninglist_add(kind="phone", value="93 555 12 34", note="bank hotline", actor=analyst)
    assert campaign_of(first) is None
    [dissolved] = AuditEvent.objects.filter(action=AuditAction.CAMPAIGN_DISSOLVED)
    assert dissolved.target_id == str(old)
