"""Need-to-know: evidence follows the case; downloads are copies in the chain and the log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markaz.accounts.roles import Role
from markaz.audit.models import AuditEvent
from markaz.cases.choices import MemberRole
from markaz.cases.services import case_add_member
from markaz.evidence.choices import CustodyKind
from tests.evidence.conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(case, make_user, supervisor, administrator, lead):
    analyst_member = make_user(Role.ANALYST, username="analyst-member")
    case_add_member(case=case, user=analyst_member, role=MemberRole.ANALYST, actor=supervisor)
    return {
        "lead": lead,
        "supervisor": supervisor,
        "administrator": administrator,
        "analyst_member": analyst_member,
        "other_investigator": make_user(Role.INVESTIGATOR, username="other-investigator"),
        "analyst": make_user(Role.ANALYST, username="outside-analyst"),
        "intake_officer": make_user(Role.INTAKE_OFFICER),
    }


SEES = {"lead", "supervisor", "administrator", "analyst_member"}
HANDLES = {"lead", "supervisor", "administrator"}


@pytest.mark.parametrize(
    "who",
    [
        "lead",
        "supervisor",
        "administrator",
        "analyst_member",
        "other_investigator",
        "analyst",
        "intake_officer",
    ],
)
def test_pages_and_downloads_follow_the_case(client, people, uploaded, who):
    item, data = uploaded
    client.force_login(people[who])
    pages = [
        reverse("evidence:case", args=[item.case.number]),
        reverse("evidence:item", args=[item.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == (200 if who in SEES else 404), url
    response = client.post(reverse("evidence:download", args=[item.pk]), {"purpose": "Review"})
    expected = 200 if who in HANDLES else (403 if who in SEES else 404)
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == data
        copied = item.custody_events.filter(kind=CustodyKind.COPIED).get()
        assert copied.actor == people[who] and copied.purpose == "Review"
        assert AuditEvent.objects.filter(action="evidence.downloaded", purpose="Review").exists()
    else:
        assert not item.custody_events.filter(kind=CustodyKind.COPIED).exists()


def test_upload_by_an_outsider_is_refused_before_storing(client, people, case):
    client.force_login(people["other_investigator"])
    assert upload(client, case, b"secret").status_code == 404
    client.force_login(people["analyst_member"])
    assert upload(client, case, b"secret").status_code == 403
    assert not case.evidence.exists()


def test_item_view_is_audited(client, uploaded, lead):
    item, _data = uploaded
    client.force_login(lead)
    client.get(reverse("evidence:item", args=[item.pk]))
    assert AuditEvent.objects.filter(action="evidence.viewed", target_id=str(item.pk)).exists()


def test_download_needs_a_purpose(client, uploaded, lead):
    item, _data = uploaded
    client.force_login(lead)
    response = client.post(reverse("evidence:download", args=[item.pk]), {"purpose": ""})
    assert response.status_code == 302
    assert not item.custody_events.filter(kind=CustodyKind.COPIED).exists()


def test_upload_over_the_limit_is_refused_and_leaves_nothing(client, case, lead, settings):
    settings.MARKAZ_EVIDENCE_MAX_BYTES = 1000
    client.force_login(lead)
    response = upload(client, case, b"z" * 5000)
    assert response.status_code == 302
    assert not case.evidence.exists()
    incoming = settings.MARKAZ_EVIDENCE_DIR / "incoming"
    assert not incoming.exists() or not any(incoming.iterdir())


def test_case_page_shows_the_evidence_section(client, uploaded, lead):
    item, _data = uploaded
    client.force_login(lead)
    page = client.get(reverse("cases:case_detail", args=[item.case.number])).content.decode()
    assert (
        'id="case-evidence"' in page and reverse("evidence:case", args=[item.case.number]) in page
    )


def test_upload_with_a_bad_csrf_token_stores_nothing(case, lead, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = upload(client, case, b"no token")
    assert response.status_code == 403
    assert not case.evidence.exists()
    incoming = settings.MARKAZ_EVIDENCE_DIR / "incoming"
    assert not incoming.exists() or not any(incoming.iterdir())
    blobs = settings.MARKAZ_EVIDENCE_DIR / "blobs"
    assert not blobs.exists()
