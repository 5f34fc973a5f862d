"""The public report form: every bad input is refused next to its field, keeping what was typed."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from markaz.accounts.roles import Role
from markaz.intake.models import Attachment, Report, StatusChange, SuspectIdentifier
from markaz.intake.services import report_message_victim

pytestmark = pytest.mark.django_db

NARRATIVE = "Фурӯшанда дар Telegram пул гирифт ва телефонро нафиристод."
SCRIPT = '<script>alert("x")</script><b>bold</b>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"
REFERENCE_RE = re.compile(r"MKZ-(\d{4})-(\d{6})")
CODE_RE = re.compile(r'id="status-code"[^>]*>([A-Z0-9-]+)<')


@pytest.fixture
def english(client: Client) -> Client:
    """A visitor who chose English, so assertions can name the exact messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "fraud_marketplace",
        "narrative": NARRATIVE,
        "incident_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "incident_time": "14:30",
        "region": "DU",
        "district": "DU-SIN",
        "loss_amount": "1500.00",
        "loss_currency": "TJS",
        "payment_method": "bank_card",
        "victim_name": "Манижа Раҳимова",
        "victim_phone": "917001122",
        "victim_email": "manizha@example.tj",
        "consent": "on",
        "suspect-TOTAL_FORMS": "2",
        "suspect-INITIAL_FORMS": "0",
        "suspect-0-kind": "phone",
        "suspect-0-value": "93 555 12 34",
        "suspect-1-kind": "social",
        "suspect-1-value": "@somon_shop_tj",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post(client: Client, **overrides: object):
    return client.post(reverse("intake:report_new"), form_data(**overrides))


def field_block(html: str, name: str) -> str:
    """The `<div class="field ...">` block that holds the input called `name`."""
    for block in html.split('<div class="field')[1:]:
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name} on the page")


def assert_refused(response, field: str, message: str) -> str:
    """The form came back (not stored), with `message` in the block of `field`."""
    assert response.status_code == 200
    assert Report.objects.count() == 0
    html = response.content.decode()
    block = field_block(html, field)
    assert "has-error" in block.split(">", 1)[0]
    assert message in block
    return html


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def stored_files() -> list[Path]:
    folder = Path(settings.MARKAZ_UPLOAD_DIR)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def submit_ok(client: Client, **overrides: object) -> tuple[str, str]:
    """Submit a valid report and return (reference, secret code) read off the receipt."""
    response = post(client, **overrides)
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt = client.get(response.url).content.decode()
    reference = REFERENCE_RE.search(receipt).group(0)
    code = CODE_RE.search(receipt).group(1)
    return reference, code


# --- required fields --------------------------------------------------------------------


def test_missing_category_is_refused_and_form_keeps_input(english):
    response = post(english, category=None)
    assert response.status_code == 200
    assert Report.objects.count() == 0
    html = response.content.decode()
    assert "This field is required." in html.split('role="radiogroup"', 1)[1].split("</div>", 2)[1]
    assert NARRATIVE in html
    assert 'value="Манижа Раҳимова"' in html


def test_missing_narrative_is_refused_and_form_keeps_input(english):
    html = assert_refused(post(english, narrative=""), "narrative", "This field is required.")
    assert 'value="Манижа Раҳимова"' in html
    assert 'value="fraud_marketplace" ' in html and "checked" in html


def test_missing_consent_is_refused_and_form_keeps_input(english):
    html = assert_refused(post(english, consent=None), "consent", "This field is required.")
    assert NARRATIVE in html


def test_the_whole_page_says_what_was_typed_is_kept(english):
    html = post(english, narrative="").content.decode()
    assert "Please correct the fields marked below. What you typed is kept." in html


# --- when -------------------------------------------------------------------------------


def test_future_incident_date_is_refused_and_form_keeps_input(english):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    html = assert_refused(
        post(english, incident_date=future), "incident_date", "The date cannot be in the future."
    )
    assert f'value="{future}"' in field_block(html, "incident_date")
    assert NARRATIVE in html


def test_future_time_today_is_refused(english):
    later = timezone.localtime() + timedelta(hours=2)
    if later.date() != timezone.localdate():
        pytest.skip("too close to midnight for a later time today")
    assert_refused(
        post(
            english, incident_date=later.date().isoformat(), incident_time=later.strftime("%H:%M")
        ),
        "incident_time",
        "The time cannot be in the future.",
    )


def test_time_without_date_is_refused(english):
    assert_refused(
        post(english, incident_date=""), "incident_date", "Give the date as well as the time."
    )


# --- money ------------------------------------------------------------------------------


def test_negative_loss_is_refused_and_form_keeps_input(english):
    html = assert_refused(
        post(english, loss_amount="-50"), "loss_amount", "The amount cannot be negative."
    )
    assert 'value="-50"' in field_block(html, "loss_amount")


def test_absurd_loss_is_refused_and_form_keeps_input(english):
    html = assert_refused(
        post(english, loss_amount="99999999999"),
        "loss_amount",
        "This amount is too large; please check the number.",
    )
    assert 'value="99999999999"' in field_block(html, "loss_amount")


def test_loss_that_is_not_a_number_is_refused(english):
    assert_refused(post(english, loss_amount="много"), "loss_amount", "Enter a number.")


def test_loss_without_currency_is_refused(english):
    assert_refused(
        post(english, loss_currency=""), "loss_currency", "Choose the currency of the amount."
    )


def test_unknown_currency_in_the_list_is_refused(english):
    assert_refused(
        post(english, loss_currency="XYZ"),
        "loss_currency",
        "Select a valid choice. XYZ is not one of the available choices.",
    )


def test_other_currency_with_bad_code_is_refused_and_form_keeps_input(english):
    html = assert_refused(
        post(english, loss_currency="other", loss_currency_other="QQQ"),
        "loss_currency_other",
        "Unknown currency code.",
    )
    assert 'value="QQQ"' in field_block(html, "loss_currency_other")


@pytest.mark.parametrize("code", ["XXX", "XTS"])
def test_iso_codes_that_are_not_money_are_refused(english, code):
    assert_refused(
        post(english, loss_currency="other", loss_currency_other=code),
        "loss_currency_other",
        "Unknown currency code.",
    )


def test_other_currency_with_valid_code_is_accepted(english):
    reference, _code = submit_ok(english, loss_currency="other", loss_currency_other="kzt")
    assert Report.objects.get(reference=reference).loss_currency == "KZT"


# --- text size and place ----------------------------------------------------------------


def test_narrative_over_the_size_cap_is_refused(english, settings):
    settings.MARKAZ_MAX_NARRATIVE_CHARS = 100
    html = assert_refused(
        post(english, narrative="а" * 101),
        "narrative",
        "Ensure this value has at most 100 characters (it has 101).",
    )
    assert "а" * 101 in html


def test_narrative_at_the_size_cap_is_accepted(english, settings):
    settings.MARKAZ_MAX_NARRATIVE_CHARS = 100
    submit_ok(english, narrative="а" * 100)
    assert Report.objects.get().narrative == "а" * 100


def test_district_not_in_region_is_refused(english):
    assert_refused(
        post(english, region="SU", district="DU-SIN"),
        "district",
        "This district is not in the chosen region.",
    )


def test_district_without_region_fills_in_its_region(english):
    reference, _code = submit_ok(english, region="", district="SU-KHU")
    assert Report.objects.get(reference=reference).region == "SU"


def test_identifier_value_without_kind_is_refused(english):
    response = post(english, **{"suspect-0-kind": ""})
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "Choose what kind of identifier this is." in field_block(
        response.content.decode(), "suspect-0-kind"
    )


# --- attachments ------------------------------------------------------------------------


def test_too_many_files_are_refused(english, settings):
    settings.MARKAZ_MAX_ATTACHMENTS = 2
    files = [SimpleUploadedFile(f"s{i}.png", png_bytes(), "image/png") for i in range(3)]
    assert_refused(post(english, attachments=files), "attachments", "Attach at most 2 files.")
    assert stored_files() == []


def test_too_large_a_file_is_refused(english, settings):
    settings.MARKAZ_MAX_ATTACHMENT_BYTES = 64
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * 100, "image/png")
    html = assert_refused(post(english, attachments=[big]), "attachments", "big.png")
    assert "is larger than" in field_block(html, "attachments")
    assert stored_files() == []


def test_file_named_png_that_is_not_an_image_is_refused(english):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 this is an executable", "image/png")
    assert_refused(
        post(english, attachments=[fake]), "attachments", "is not an image or a PDF file."
    )
    assert stored_files() == []


def test_html_file_named_pdf_is_refused(english):
    fake = SimpleUploadedFile("bank.pdf", b"<html><script>1</script></html>", "application/pdf")
    assert_refused(
        post(english, attachments=[fake]), "attachments", "is not an image or a PDF file."
    )


def test_real_png_is_accepted_and_stored_by_its_bytes(english):
    png = SimpleUploadedFile("скриншот.png", png_bytes(), "application/octet-stream")
    reference, _code = submit_ok(english, attachments=[png])
    attachment = Attachment.objects.get(report__reference=reference)
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "скриншот.png"


def test_pdf_is_accepted(english):
    pdf = SimpleUploadedFile("statement.pdf", PDF_BYTES, "application/pdf")
    reference, _code = submit_ok(english, attachments=[pdf])
    assert Attachment.objects.get(report__reference=reference).content_type == "application/pdf"


# --- a valid submission -----------------------------------------------------------------


def test_valid_submission_redirects_to_receipt_with_reference_and_code(english):
    response = post(english)
    assert response.status_code == 302
    assert response.url == reverse("intake:receipt")
    receipt = english.get(response.url).content.decode()
    match = REFERENCE_RE.search(receipt)
    assert match is not None
    assert int(match.group(1)) == timezone.localdate().year
    assert CODE_RE.search(receipt) is not None


def test_valid_submission_stores_report_and_suspect_identifiers(english):
    reference, _code = submit_ok(english)
    report = Report.objects.get(reference=reference)
    assert report.channel == "web"
    assert report.language == "en"
    assert report.status == "received"
    assert report.narrative == NARRATIVE
    assert report.victim_phone == "+992917001122"
    assert report.consent_at is not None
    assert report.incident_at is not None
    assert list(report.suspect_identifiers.values_list("kind", "value")) == [
        ("phone", "93 555 12 34"),
        ("social", "@somon_shop_tj"),
    ]
    assert StatusChange.objects.filter(report=report, to_status="received").count() == 1


def test_attachments_are_stored_under_generated_names_inside_the_upload_dir(english):
    hostile = "../../etc/passwd.png"
    files = [
        SimpleUploadedFile(hostile, png_bytes(), "image/png"),
        SimpleUploadedFile("statement.pdf", PDF_BYTES, "application/pdf"),
    ]
    reference, _code = submit_ok(english, attachments=files)
    upload_root = Path(settings.MARKAZ_UPLOAD_DIR).resolve()
    attachments = list(Attachment.objects.filter(report__reference=reference))
    assert len(attachments) == 2
    on_disk = stored_files()
    assert len(on_disk) == 2
    for attachment in attachments:
        assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
        path = next(p for p in on_disk if p.name == attachment.stored_name)
        assert path.resolve().is_relative_to(upload_root)
    assert {p.read_bytes() for p in on_disk} == {png_bytes(), PDF_BYTES}
    assert not any("passwd" in p.name or "statement" in p.name for p in on_disk)


def test_secret_code_is_in_no_url(english):
    response = post(english)
    receipt = english.get(response.url)
    html = receipt.content.decode()
    code = CODE_RE.search(html).group(1)
    assert code not in response.url
    urls = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    assert urls
    assert not any(code in url for url in urls)
    assert not any(code in value for value in response.headers.values())


def test_receipt_without_a_submission_sends_to_the_form(client):
    response = client.get(reverse("intake:receipt"))
    assert response.status_code == 302
    assert response.url == reverse("intake:report_new")


# --- status page ------------------------------------------------------------------------


def status(client: Client, reference: str, code: str):
    return client.post(reverse("intake:status"), {"reference": reference, "status_code": code})


def test_status_page_shows_status_and_staff_messages(english, make_user):
    reference, code = submit_ok(english)
    officer = make_user(Role.INTAKE_OFFICER)
    report = Report.objects.get(reference=reference)
    report_message_victim(report=report, text="Please bring your bank statement.", actor=officer)
    html = status(english, reference, code).content.decode()
    assert 'id="report-status"' in html
    assert "Received" in html
    assert "Please bring your bank statement." in html


def test_status_code_is_accepted_in_lower_case_without_dashes(english):
    reference, code = submit_ok(english)
    html = status(english, reference.lower(), code.replace("-", "").lower()).content.decode()
    assert 'id="report-status"' in html


def test_wrong_code_and_unknown_reference_get_the_same_answer(english):
    reference, code = submit_ok(english)
    wrong_code = status(english, reference, "AAAA-BBBB-CCCC")
    unknown = status(english, "MKZ-1999-000001", code)
    assert wrong_code.status_code == unknown.status_code == 200

    def alert(response) -> str:
        return re.search(r'<div class="alert".*?</div>', response.content.decode(), re.S).group(0)

    assert alert(wrong_code) == alert(unknown)
    assert "No report matches this reference and code." in alert(unknown)
    assert 'id="report-status"' not in wrong_code.content.decode()


# --- hostile text -----------------------------------------------------------------------


def test_html_in_text_fields_is_escaped_when_the_form_comes_back(english):
    html = post(
        english,
        narrative=SCRIPT,
        victim_name=SCRIPT,
        victim_phone=SCRIPT,
        **{"suspect-0-value": SCRIPT},
        consent=None,
    ).content.decode()
    assert SCRIPT not in html
    assert html.count("&lt;script&gt;") >= 4


def test_html_in_every_text_field_is_escaped_on_every_page(english, client_as, make_user):
    reference, code = submit_ok(
        english,
        narrative=SCRIPT,
        victim_name=SCRIPT,
        **{"suspect-0-kind": "other", "suspect-0-value": SCRIPT},
    )
    report = Report.objects.get(reference=reference)
    assert report.narrative == report.victim_name == SCRIPT
    officer = make_user(Role.INTAKE_OFFICER)
    report_message_victim(report=report, text=SCRIPT, actor=officer)

    pages = {
        "receipt": english.get(reverse("intake:receipt")),
        "status": status(english, reference, code),
    }
    staff = client_as(officer)
    pages["report"] = staff.get(reverse("intake:report_detail", args=[reference]))
    pages["inbox"] = staff.get(reverse("intake:inbox"))
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert SCRIPT not in response.content.decode(), name
    assert pages["status"].content.decode().count(ESCAPED_SCRIPT) == 1
    assert pages["report"].content.decode().count(ESCAPED_SCRIPT) == 4


# --- nothing lost -----------------------------------------------------------------------


def test_database_failure_tells_the_person_and_leaves_no_rows_or_files(english, monkeypatch):
    from markaz.intake import services

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    # The audit events are written after the reports, their identifiers, status rows and
    # attachments.
    monkeypatch.setattr(services, "audit_record_many", broken_audit)
    files = [SimpleUploadedFile("s.png", png_bytes(), "image/png")]
    response = post(english, attachments=files)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Your report could not be stored because of a technical problem." in html
    assert NARRATIVE in html
    assert Report.objects.count() == 0
    assert SuspectIdentifier.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0 771 951 610", "+992771951610"),
        ("93 555 12 34", "+992935551234"),
        ("+992 (93) 555-12-34", "+992935551234"),
        ("8 (916) 123-45-67", "+79161234567"),
    ],
)
def test_victim_phone_in_local_formats_is_stored_in_e164(english, typed, stored):
    response = post(english, victim_phone=typed)
    assert response.status_code == 302
    assert Report.objects.get().victim_phone == stored


def test_victim_phone_that_is_not_a_number_is_refused(english):
    assert_refused(
        post(english, victim_phone="12"), "victim_phone", "This does not look like a phone number."
    )
