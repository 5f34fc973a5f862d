"""The staff side: inbox, report page, triage, attachments, reports taken by phone or at the desk."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.flows.submission import reports_submit
from markaz.intake.choices import Channel
from markaz.intake.models import Attachment, InternalNote, Report, StatusChange, VictimMessage
from markaz.intake.services import IncomingAttachment, Submission
from tests.factories import report_draft, report_submitted

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def inbox_references(client: Client, **params: object) -> list[str]:
    response = client.get(reverse("intake:inbox"), params)
    assert response.status_code == 200
    return [report.reference for report in response.context["page"].object_list]


@pytest.fixture
def officer(client_as, intake_officer) -> Client:
    client = client_as(intake_officer)
    client.cookies["django_language"] = "en"
    return client


def triage(client: Client, report: Report, action: str, **data: str):
    return client.post(
        reverse("intake:report_triage", args=[report.reference, action]), data, follow=True
    )


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- inbox filters ----------------------------------------------------------------------


def test_inbox_lists_newest_first(officer):
    older = report_submitted()
    newer = report_submitted()
    assert inbox_references(officer) == [newer.reference, older.reference]


def test_inbox_status_filter_narrows_the_list(officer):
    report_submitted()
    closed = report_submitted()
    Report.objects.filter(pk=closed.pk).update(status="closed")
    assert inbox_references(officer, status="closed") == [closed.reference]


def test_inbox_category_filter_narrows_the_list(officer):
    report_submitted(category="fraud_marketplace")
    phishing = report_submitted(category="phishing")
    assert inbox_references(officer, category="phishing") == [phishing.reference]


def test_inbox_region_filter_narrows_the_list(officer):
    report_submitted(region="DU", district="DU-SIN")
    sughd = report_submitted(region="SU", district="SU-KHU")
    assert inbox_references(officer, region="SU") == [sughd.reference]


def test_inbox_language_filter_narrows_the_list(officer):
    report_submitted(language="tg")
    russian = report_submitted(language="ru")
    assert inbox_references(officer, language="ru") == [russian.reference]


def test_inbox_channel_filter_narrows_the_list(officer):
    report_submitted(channel=Channel.WEB)
    phoned = report_submitted(channel=Channel.PHONE)
    assert inbox_references(officer, channel="phone") == [phoned.reference]


def test_inbox_date_range_narrows_the_list(officer):
    today = timezone.localdate()
    reports = [report_submitted() for _ in range(3)]
    for days_ago, report in zip((10, 5, 0), reports, strict=True):
        Report.objects.filter(pk=report.pk).update(
            submitted_at=timezone.now() - timedelta(days=days_ago)
        )
    found = inbox_references(
        officer,
        date_from=(today - timedelta(days=6)).isoformat(),
        date_to=(today - timedelta(days=4)).isoformat(),
    )
    assert found == [reports[1].reference]


def test_inbox_date_to_includes_the_whole_last_day(officer):
    report = report_submitted()
    assert inbox_references(officer, date_to=timezone.localdate().isoformat()) == [report.reference]


def test_inbox_loss_range_narrows_the_list(officer):
    report_submitted(loss_amount=Decimal("100"))
    middle = report_submitted(loss_amount=Decimal("5000"))
    report_submitted(loss_amount=Decimal("90000"))
    report_submitted(loss_amount=None, loss_currency="")
    assert inbox_references(officer, loss_min="1000", loss_max="10000") == [middle.reference]


def test_inbox_pages_by_25(officer):
    reports = [report_submitted() for _ in range(27)]
    first = inbox_references(officer)
    second = inbox_references(officer, page=2)
    assert len(first) == 25
    assert len(second) == 2
    assert set(first) | set(second) == {r.reference for r in reports}


def test_inbox_page_links_keep_the_filters(officer):
    for _ in range(26):
        report_submitted(region="SU", district="SU-KHU")
    html = officer.get(reverse("intake:inbox"), {"region": "SU"}).content.decode()
    assert "?region=SU&amp;page=2" in html


def test_inbox_runs_in_a_bounded_number_of_queries(officer, django_assert_max_num_queries):
    report_submitted()
    officer.get(reverse("intake:inbox"))  # warm the session
    # 8 for the inbox, 1 for the navigation's unread notifications (intel's context processor)
    with django_assert_max_num_queries(9) as one_report:
        officer.get(reverse("intake:inbox"))
    for _ in range(30):
        report_submitted()
    with django_assert_max_num_queries(len(one_report.captured_queries)):
        officer.get(reverse("intake:inbox"))


# --- search -----------------------------------------------------------------------------


def test_search_finds_cyrillic_words_whatever_their_case(officer):
    hit = report_submitted(narrative="Мошенник ПРОДАВАЛ телефон через Telegram и пропал.")
    report_submitted(narrative="Звонили из банка и спросили код из СМС.")
    assert inbox_references(officer, q="продавал") == [hit.reference]
    assert inbox_references(officer, q="МОШЕННИК") == [hit.reference]


def test_search_finds_tajik_words_whatever_their_case(officer):
    hit = report_submitted(narrative="Ҳамёни электронии ман дуздида шуд.")
    report_submitted(narrative="Фурӯшанда пул гирифт.")
    assert inbox_references(officer, q="ҳамёни") == [hit.reference]


def test_search_needs_every_word(officer):
    both = report_submitted(narrative="Мошенник продавал телефон.")
    report_submitted(narrative="Мошенник звонил из банка.")
    assert inbox_references(officer, q="мошенник телефон") == [both.reference]


def test_search_is_audited(officer):
    report_submitted(narrative="Мошенник продавал телефон.")
    officer.get(reverse("intake:inbox"), {"q": "телефон"})
    event = AuditEvent.objects.get(action=AuditAction.REPORT_SEARCHED)
    assert event.extra == {"text": "телефон", "results": 1}


# --- report page ------------------------------------------------------------------------


def test_report_page_shows_every_field(officer):
    report = report_submitted(
        narrative="Продавец с Somon.tj взял предоплату.",
        victim_email="victim@example.tj",
        victim_age_band="26_35",
        victim_gender="female",
        attachments=[IncomingAttachment(name="чек.png", stream=io.BytesIO(png()))],
    )
    html = officer.get(reverse("intake:report_detail", args=[report.reference])).content.decode()
    for text in (
        report.reference,
        "Online fraud",  # the category's label, in the page's language
        "Продавец с Somon.tj взял предоплату.",
        "1500.00 TJS",
        "Bank card",
        "Dushanbe",
        "93 555 12 34",
        "@somon_shop_tj",
        "Манижа Раҳимова",
        "+992917001122",
        "victim@example.tj",
        "26–35",
        "Female",
        "чек.png",
        "Received",
        "Web form",
    ):
        assert text in html, text


def test_report_page_view_is_audited(officer, intake_officer):
    report = report_submitted()
    officer.get(reverse("intake:report_detail", args=[report.reference]))
    event = AuditEvent.objects.get(action=AuditAction.REPORT_VIEWED)
    assert event.actor == intake_officer
    assert event.target_id == str(report.pk)


def test_report_page_of_unknown_reference_is_404(officer):
    assert officer.get(reverse("intake:report_detail", args=["MKZ-1999-000001"])).status_code == 404


# --- triage -----------------------------------------------------------------------------


def test_allowed_status_move_records_change_and_audit(officer, intake_officer):
    report = report_submitted()
    response = triage(officer, report, "status", status="in_triage")
    assert "Saved." in page_messages(response)
    report.refresh_from_db()
    assert report.status == "in_triage"
    change = StatusChange.objects.filter(report=report).last()
    assert (change.from_status, change.to_status, change.actor) == (
        "received",
        "in_triage",
        intake_officer,
    )
    event = AuditEvent.objects.get(action=AuditAction.REPORT_STATUS_CHANGED)
    assert event.extra == {"from": "received", "to": "in_triage"}


def test_disallowed_status_move_is_refused_with_a_message(officer):
    report = report_submitted()
    response = triage(officer, report, "status", status="linked_to_case")
    assert any("cannot move from" in text for text in page_messages(response))
    report.refresh_from_db()
    assert report.status == "received"
    assert not AuditEvent.objects.filter(action=AuditAction.REPORT_STATUS_CHANGED).exists()


def test_closing_without_a_reason_is_refused(officer):
    report = report_submitted()
    response = triage(officer, report, "status", status="closed", reason="  ")
    assert "Give a reason for this status." in page_messages(response)
    report.refresh_from_db()
    assert report.status == "received"


def test_closing_with_a_reason_keeps_the_reason(officer):
    report = report_submitted()
    triage(officer, report, "status", status="closed", reason="Not a crime: a late delivery.")
    report.refresh_from_db()
    assert report.status == "closed"
    assert StatusChange.objects.filter(report=report).last().reason == (
        "Not a crime: a late delivery."
    )


def test_mark_duplicate_links_the_original_and_audits(officer):
    original = report_submitted()
    copy = report_submitted()
    response = triage(officer, copy, "duplicate", original=original.reference.lower())
    assert "Saved." in page_messages(response)
    copy.refresh_from_db()
    assert copy.duplicate_of == original
    assert copy.status == "duplicate"
    event = AuditEvent.objects.get(action=AuditAction.REPORT_MARKED_DUPLICATE)
    assert event.extra == {"original": original.reference}


def test_a_report_cannot_be_a_duplicate_of_itself(officer):
    report = report_submitted()
    response = triage(officer, report, "duplicate", original=report.reference)
    assert "A report cannot be a duplicate of itself." in page_messages(response)
    report.refresh_from_db()
    assert report.duplicate_of is None


def test_a_report_cannot_be_a_duplicate_of_a_duplicate(officer):
    original = report_submitted()
    first_copy = report_submitted()
    second_copy = report_submitted()
    triage(officer, first_copy, "duplicate", original=original.reference)
    response = triage(officer, second_copy, "duplicate", original=first_copy.reference)
    assert any("is itself a duplicate" in text for text in page_messages(response))
    second_copy.refresh_from_db()
    assert second_copy.duplicate_of is None


def test_mark_duplicate_of_unknown_reference_is_refused(officer):
    report = report_submitted()
    response = triage(officer, report, "duplicate", original="MKZ-1999-000001")
    assert "No report with this reference." in page_messages(response)


def test_message_to_the_victim_shows_on_the_status_page(officer, client):
    receipt = reports_submit(submissions=[Submission(draft=report_draft(), channel=Channel.WEB)])[0]
    triage(officer, receipt.report, "message", text="Please bring your bank statement.")
    assert VictimMessage.objects.get().text == "Please bring your bank statement."
    victim = Client()
    response = victim.post(
        reverse("intake:status"),
        {"reference": receipt.report.reference, "status_code": receipt.status_code},
    )
    assert "Please bring your bank statement." in response.content.decode()


def test_internal_note_is_not_on_the_status_page(officer):
    receipt = reports_submit(submissions=[Submission(draft=report_draft(), channel=Channel.WEB)])[0]
    triage(officer, receipt.report, "note", text="Caller sounded coached; check the card.")
    assert InternalNote.objects.get().text == "Caller sounded coached; check the card."
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_NOTE_ADDED).count() == 1
    response = Client().post(
        reverse("intake:status"),
        {"reference": receipt.report.reference, "status_code": receipt.status_code},
    )
    html = response.content.decode()
    assert 'id="report-status"' in html
    assert "Caller sounded coached" not in html


def test_unknown_triage_action_is_404(officer):
    report = report_submitted()
    response = officer.post(reverse("intake:report_triage", args=[report.reference, "delete"]))
    assert response.status_code == 404


def test_investigator_may_not_triage(client_as, investigator):
    report = report_submitted()
    client = client_as(investigator)
    response = client.post(
        reverse("intake:report_triage", args=[report.reference, "status"]),
        {"status": "in_triage"},
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "received"


# --- attachments ------------------------------------------------------------------------


@pytest.fixture
def attachment() -> Attachment:
    report = report_submitted(
        attachments=[IncomingAttachment(name='evil"; name=x.png', stream=io.BytesIO(png()))]
    )
    return report.attachments.get()


def download_url(attachment: Attachment) -> str:
    return reverse("intake:attachment_download", args=[attachment.pk])


def test_attachment_download_sends_anonymous_to_login(client, attachment):
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_attachment_download_is_404_for_an_analyst(client_as, analyst, attachment):
    assert client_as(analyst).get(download_url(attachment)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOADED).exists()


def test_attachment_downloads_as_a_file_for_an_officer(officer, attachment):
    response = officer.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_attachment_download_is_audited(officer, intake_officer, attachment):
    # Read the file to the end: the test client then closes it as a WSGI server would.
    b"".join(officer.get(download_url(attachment)).streaming_content)
    event = AuditEvent.objects.get(action=AuditAction.ATTACHMENT_DOWNLOADED)
    assert event.actor == intake_officer
    assert event.extra["sha256"] == attachment.sha256


def test_missing_attachment_is_404(officer):
    assert officer.get(reverse("intake:attachment_download", args=[999999])).status_code == 404


# --- reports taken by staff -------------------------------------------------------------


def staff_form(**overrides: str) -> dict[str, str]:
    data = {
        "channel": "phone",
        "language": "ru",
        "category": "fraud_loan",
        "narrative": "Позвонил мужчина, предложил кредит за предоплату 300 сомони.",
        "region": "KT",
        "loss_amount": "300",
        "loss_currency": "TJS",
        "consent": "on",
        "suspect-TOTAL_FORMS": "1",
        "suspect-INITIAL_FORMS": "0",
        "suspect-0-kind": "phone",
        "suspect-0-value": "+992 90 111 2233",
    }
    data.update(overrides)
    return data


def test_officer_enters_a_phone_report(officer, intake_officer):
    response = officer.post(reverse("intake:staff_report_new"), staff_form())
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == "phone"
    assert report.language == "ru"
    assert report.submitted_by == intake_officer
    assert report.suspect_identifiers.get().value == "+992 90 111 2233"
    html = response.content.decode()
    assert report.reference in html
    code = re.search(r'id="status-code"[^>]*>([A-Z0-9-]+)<', html).group(1)
    assert (
        Client()
        .post(reverse("intake:status"), {"reference": report.reference, "status_code": code})
        .context["report"]
    )


def test_officer_enters_a_walk_in_report(officer):
    officer.post(reverse("intake:staff_report_new"), staff_form(channel="walk_in"))
    assert Report.objects.get().channel == "walk_in"


def test_staff_report_form_refuses_a_web_channel(officer):
    response = officer.post(reverse("intake:staff_report_new"), staff_form(channel="web"))
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "Select a valid choice." in response.content.decode()


def test_investigator_may_not_enter_reports(client_as, investigator):
    response = client_as(investigator).post(reverse("intake:staff_report_new"), staff_form())
    assert response.status_code == 404
    assert Report.objects.count() == 0
