"""The chain of custody: append-only, purposes required, every link in the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from markaz.audit.models import AuditEvent
from markaz.evidence.choices import CustodyKind, EvidenceState
from markaz.evidence.models import CustodyEvent
from markaz.evidence.services import Circumstances, custody_record, evidence_add_physical

pytestmark = pytest.mark.django_db


def test_acquisition_opens_the_chain_and_is_audited(uploaded):
    item, _data = uploaded
    (event,) = item.custody_events.all()
    assert event.kind == CustodyKind.ACQUIRED
    assert event.to_party == "lead-investigator"
    assert event.purpose == "Acquisition" and event.authority == "Order 12/2026"
    assert event.at.utcoffset().total_seconds() == 0
    actions = set(
        AuditEvent.objects.filter(target_id=str(item.pk)).values_list("action", flat=True)
    )
    assert {"evidence.added", "evidence.custody"} <= actions


def test_transfer_without_a_purpose_is_refused(uploaded, lead):
    item, _data = uploaded
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        custody_record(
            item=item,
            kind=CustodyKind.TRANSFERRED,
            actor=lead,
            circumstances=Circumstances(purpose="  "),
            to_party="Forensic lab",
        )
    assert "purpose" in refused.value.messages[0]
    assert item.custody_events.count() == 1


def test_transfer_refusal_is_translated(client, uploaded, lead, settings):
    item, _data = uploaded
    client.force_login(lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post(
        reverse("evidence:custody", args=[item.pk]),
        {"kind": "transferred", "to_party": "Forensic lab", "purpose": ""},
    )
    assert response.status_code == 400
    with translation.override("ru"):
        expected = translation.gettext(
            "A transfer needs a purpose: say why the item changes hands."
        )
    assert expected != "A transfer needs a purpose: say why the item changes hands."
    assert expected in response.content.decode()


def test_transfer_moves_the_holder_and_is_audited(uploaded, lead):
    item, _data = uploaded
    event = custody_record(
        item=item,
        kind=CustodyKind.TRANSFERRED,
        actor=lead,
        circumstances=Circumstances(purpose="Imaging", location="Lab 1", authority="Order 12"),
        to_party="Forensic lab",
    )
    item.refresh_from_db()
    assert (event.from_party, event.to_party) == ("lead-investigator", "Forensic lab")
    assert item.holder == "Forensic lab" and item.location == "Lab 1"
    audit = AuditEvent.objects.filter(action="evidence.custody").order_by("-id").first()
    assert audit.purpose == "Imaging"
    assert audit.extra["custody"] == "transferred" and audit.extra["to"] == "Forensic lab"


def test_custody_events_cannot_be_edited_or_deleted(uploaded):
    item, _data = uploaded
    event = item.custody_events.get()
    event.purpose = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        CustodyEvent.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(ValidationError):
        CustodyEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.purpose == "Acquisition"


def test_services_refuse_to_write_acquisition_or_exports_by_hand(uploaded, lead):
    item, _data = uploaded
    for kind in (CustodyKind.ACQUIRED, CustodyKind.COPIED, CustodyKind.EXPORTED):
        with pytest.raises(ValidationError):
            custody_record(
                item=item, kind=kind, actor=lead, circumstances=Circumstances(purpose="x")
            )


def test_destroyed_item_closes_its_chain(case, lead):
    item = evidence_add_physical(
        case=case,
        description="Seized SIM card",
        seal_number="S-0042",
        actor=lead,
        circumstances=Circumstances(location="Safe 3", purpose="Seizure", authority="Protocol 7"),
    )
    custody_record(
        item=item,
        kind=CustodyKind.DESTROYED,
        actor=lead,
        circumstances=Circumstances(purpose="Court order", authority="Verdict 1/2027"),
    )
    item.refresh_from_db()
    assert item.state == EvidenceState.DESTROYED
    with pytest.raises(ValidationError):
        custody_record(
            item=item,
            kind=CustodyKind.EXAMINED,
            actor=lead,
            circumstances=Circumstances(purpose="look"),
        )


def test_physical_item_needs_a_location(case, lead):
    with pytest.raises(ValidationError):
        evidence_add_physical(
            case=case,
            description="Phone",
            seal_number="S-1",
            actor=lead,
            circumstances=Circumstances(purpose="Seizure"),
        )


def test_attachment_of_the_case_is_promoted_with_its_intake_hash(client, case, lead, case_report):
    attachment = case_report.attachments.get()
    client.force_login(lead)
    response = client.post(
        reverse("evidence:promote", args=[case.number]),
        {"attachment": attachment.pk, "purpose": "Victim's screenshot", "location": "store"},
    )
    assert response.status_code == 302
    item = case.evidence.get()
    assert item.sha256 == attachment.sha256 and item.source_attachment == attachment
    assert item.kind == "attachment"


def test_numbers_count_up_within_a_case(client, case, lead):
    from tests.evidence.conftest import upload

    client.force_login(lead)
    upload(client, case, b"one")
    upload(client, case, b"two")
    assert list(case.evidence.values_list("number", flat=True)) == ["E1", "E2"]
