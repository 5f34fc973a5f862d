"""A victim reports in Tajik, follows the report, and an intake officer finds it (issue 2)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from markaz.accounts.roles import Role
from markaz.accounts.services import user_create
from markaz.intake.choices import ReportStatus
from markaz.intake.models import Report
from markaz.intake.taxonomy import category
from tests.browser.helpers import (
    ENGLISH_FORM_HEADING,
    NARRATIVE,
    PASSWORD,
    SUSPECT_PHONE,
    TAJIK_LETTERS,
    enabled_districts,
    fill_report,
    log_in,
    make_png,
    submit_button,
)

pytestmark = pytest.mark.browser


def test_victim_reports_in_tajik_and_intake_officer_finds_it(page, tmp_path: Path) -> None:
    screenshot = make_png(tmp_path)

    page.goto("/report/")
    # Tajik by default, although the browser asks for English.
    assert page.locator("html").get_attribute("lang") == "tg"
    heading = page.locator("h1").inner_text()
    assert heading != ENGLISH_FORM_HEADING
    assert TAJIK_LETTERS.search(heading), heading
    assert "Қаллобӣ" in page.locator(".categories").inner_text()

    # The district list follows the region (markaz.js).
    page.select_option("#id_region", "DU")
    assert enabled_districts(page) and all(d.startswith("DU-") for d in enabled_districts(page))
    page.select_option("#id_region", "SU")
    assert "SU-KHU" in enabled_districts(page)
    assert all(d.startswith("SU-") for d in enabled_districts(page))

    rows_before = page.locator("#suspect-rows .identifier-row").count()
    fill_report(page, narrative=NARRATIVE, attachment=screenshot)
    assert page.locator("#suspect-rows .identifier-row").count() == rows_before + 1
    submit_button(page).click()

    page.wait_for_url(re.compile(r"/report/receipt/"))
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#status-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d{6}", reference), reference
    assert len(code) >= 8
    assert page.locator("html").get_attribute("lang") == "tg"
    advice = category("fraud_marketplace").advices["tg"]
    assert advice in page.locator("main").inner_text()

    stored = Report.objects.get(reference=reference)
    assert stored.narrative == NARRATIVE
    assert stored.language == "tg"
    assert (stored.region, stored.district) == ("SU", "SU-KHU")
    assert stored.attachments.count() == 1

    # The victim checks the status with the reference and the secret code.
    page.locator("main a[href='/status/']").click()
    page.wait_for_url(re.compile(r"/status/$"))
    page.fill("#id_reference", reference.lower())
    page.fill("#id_status_code", code)
    submit_button(page).click()
    status = page.locator("#report-status")
    status.wait_for()
    assert reference in status.inner_text()
    with translation.override("tg"):
        expected_status = str(ReportStatus.RECEIVED.label)
    assert status.locator(".status").inner_text().strip() == expected_status

    # An intake officer logs in and finds the report in the inbox.
    user_create(username="nigora", password=PASSWORD, roles=[Role.INTAKE_OFFICER], actor=None)
    log_in(page, "nigora")
    link = page.locator("#inbox").get_by_role("link", name=reference)
    link.click()
    page.wait_for_url(re.compile(rf"/staff/reports/{reference}/"))
    assert NARRATIVE in page.locator(".narrative").first.inner_text()
    assert SUSPECT_PHONE.replace(" ", "")[-7:] in page.locator("main").inner_text().replace(" ", "")
    attachment_link = page.get_by_role("link", name=screenshot.name)
    with page.expect_download() as download_info:
        attachment_link.click()
    downloaded = Path(download_info.value.path())
    assert downloaded.read_bytes() == screenshot.read_bytes()


def test_form_with_errors_keeps_what_was_typed(page) -> None:
    page.goto("/report/")
    # No category and no consent; a date in the future.
    page.fill("#id_narrative", NARRATIVE)
    page.fill("#id_incident_date", (timezone.localdate() + timedelta(days=5)).isoformat())
    page.select_option("#id_region", "KT")
    page.fill("#id_loss_amount", "-20")
    page.select_option("#id_loss_currency", "USD")
    page.locator("[data-add-row=suspect]").click()
    page.select_option("#id_suspect-3-kind", "social")
    page.fill("#id_suspect-3-value", "@somon_deals")
    submit_button(page).click()

    page.wait_for_load_state()
    assert page.locator("main .alert").first.is_visible()
    errors = page.locator(".field.has-error")
    assert errors.count() >= 3  # date, amount, consent (category has its own block)
    assert page.locator(".has-error #id_incident_date").count() == 1
    assert page.locator(".has-error #id_loss_amount").count() == 1
    # What the person typed is still there.
    assert page.input_value("#id_narrative") == NARRATIVE
    assert page.input_value("#id_region") == "KT"
    assert page.input_value("#id_loss_amount") == "-20"
    assert page.input_value("#id_loss_currency") == "USD"
    assert page.input_value("#id_suspect-3-kind") == "social"
    assert page.input_value("#id_suspect-3-value") == "@somon_deals"
    assert Report.objects.count() == 0


def test_language_switch_to_russian_is_remembered(page) -> None:
    page.goto("/report/")
    tajik_heading = page.locator("h1").inner_text()
    page.locator("header form.language button[value=ru]").click()
    page.wait_for_function("document.documentElement.lang === 'ru'")
    assert page.url.endswith("/report/")
    russian_heading = page.locator("h1").inner_text()
    assert russian_heading != tajik_heading
    assert russian_heading != ENGLISH_FORM_HEADING
    assert "Мошенничество" in page.locator(".categories").inner_text()
    assert page.locator("header .lang.current").inner_text() == "Русский"

    # The next page comes in Russian without choosing again.
    page.goto("/status/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("header .lang.current").inner_text() == "Русский"


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_script_in_a_report_never_runs(page, tmp_path: Path) -> None:
    dialogs: list[str] = []
    # A dialog would mean the payload ran; dismiss it so the page does not hang, then fail.
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto("/report/")
    fill_report(page, narrative=f"Narrative {XSS}")
    page.fill("#id_suspect-0-value", XSS)
    page.select_option("#id_suspect-0-kind", "other")
    page.fill("#id_victim_name", XSS)
    submit_button(page).click()
    page.wait_for_url(re.compile(r"/report/receipt/"))
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#status-code").inner_text().strip()

    user_create(username="farrukh", password=PASSWORD, roles=[Role.INTAKE_OFFICER], actor=None)
    log_in(page, "farrukh")
    page.fill("#id_q", "Narrative")
    submit_button(page).click()
    page.locator("#inbox").get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(rf"/staff/reports/{reference}/"))
    # The payload is shown as text, and no element was made from it.
    assert XSS in page.locator(".narrative").first.inner_text()
    assert page.locator("main img[src=x]").count() == 0
    assert page.locator("main script").count() == 0
    assert XSS in page.locator("main").inner_text()

    # Staff write back with the same payload; the victim's status page shows it as text.
    message_form = page.locator("form[action$='/message/']")
    message_form.locator("textarea").fill(f"Reply {XSS}")
    message_form.locator("button[type=submit]").click()
    page.locator(".messages").wait_for()
    page.goto("/status/")
    page.fill("#id_reference", reference)
    page.fill("#id_status_code", code)
    submit_button(page).click()
    page.locator("#report-status").wait_for()
    assert f"Reply {XSS}" in page.locator("#report-status").inner_text()
    assert page.locator("main img[src=x]").count() == 0

    page.wait_for_timeout(200)  # give an injected onerror handler its chance to fire
    assert dialogs == []
