"""Every page a victim or an officer sees fits a phone and a desktop screen.

Set MARKAZ_SCREENSHOTS=<folder> to keep a screenshot of each page at each width (how the
README's pictures in docs/screenshots/ are made: see docs/screenshots/README.md).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from markaz.accounts.roles import Role
from markaz.accounts.services import user_create
from markaz.intake.choices import Channel, ReportStatus
from markaz.intake.services import (
    IncomingAttachment,
    report_add_note,
    report_message_victim,
    report_set_status,
)
from tests.browser.helpers import (
    NARRATIVE,
    PASSWORD,
    fill_report,
    log_in,
    make_png,
    submit_button,
)
from tests.factories import report_submitted

pytestmark = pytest.mark.browser

# A wide desktop and a common phone (360-400 CSS pixels wide).
WIDTHS = (1200, 375)
LONG_WORD = "https://bit.ly/" + "x" * 120  # a link pasted whole must wrap, not widen the page


def some_reports(officer, tmp_path: Path) -> str:
    """A small inbox: different categories, regions, amounts, channels; returns one reference."""
    report_submitted(
        category="fraud_investment",
        region="SU",
        district="SU-KHU",
        loss_amount=Decimal("24000.00"),
        loss_currency="USD",
    )
    report_submitted(
        category="hijack_telegram",
        region="KT",
        district="KT-BOK",
        loss_amount=None,
        loss_currency="",
        payment_method="",
        language="ru",
        narrative="Взломали аккаунт Telegram, пишут друзьям и просят денег.",
    )
    report_submitted(
        category="extortion",
        region="",
        district="",
        loss_amount=None,
        loss_currency="",
        payment_method="",
        channel=Channel.PHONE,
    )
    report_submitted(
        category="phishing",
        region="GB",
        district="GB-KHO",
        language="en",
        loss_amount=Decimal("350.50"),
        loss_currency="TJS",
        narrative=f"An SMS said my card was blocked and gave a link {LONG_WORD}",
    )
    png = make_png(tmp_path, "whatsapp-chat.png")
    with png.open("rb") as stream:
        main = report_submitted(
            narrative=NARRATIVE + "\n\n" + LONG_WORD,
            attachments=[IncomingAttachment(name=png.name, stream=stream)],
        )
    report_set_status(report=main, status=ReportStatus.IN_TRIAGE, reason="", actor=officer)
    report_message_victim(report=main, text="Лутфан скриншоти пардохтро фиристед.", actor=officer)
    report_add_note(report=main, text="Same Telegram shop as two reports last week.", actor=officer)
    return main.reference


def fits(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        # Name the culprits: elements that reach past the right edge while their children do not.
        culprits = page.evaluate(
            """() => {
                const edge = document.documentElement.clientWidth;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > edge + 1);
                return wide.filter(e => ![...e.children].some(c => wide.includes(c)))
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')
                        + ' ' + JSON.stringify((e.textContent || '').trim().slice(0, 40)));
            }"""
        )
        pytest.fail(
            f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size}: {culprits}"
        )


def look(page, name: str) -> None:
    """Check the page at each width; keep screenshots when asked to."""
    folder = os.environ.get("MARKAZ_SCREENSHOTS")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        fits(page)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_every_page_fits_phone_and_desktop(page, tmp_path: Path) -> None:
    page.goto("/")
    look(page, "home")

    page.goto("/report/")
    look(page, "report-form")
    submit_button(page).click()
    page.locator("main .alert").first.wait_for()
    look(page, "report-form-errors")

    fill_report(page, narrative=NARRATIVE, attachment=make_png(tmp_path))
    submit_button(page).click()
    page.wait_for_url(re.compile(r"/report/receipt/"))
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#status-code").inner_text().strip()
    look(page, "receipt")

    page.goto("/status/")
    page.fill("#id_reference", reference)
    page.fill("#id_status_code", code)
    submit_button(page).click()
    page.locator("#report-status").wait_for()
    look(page, "status")

    page.goto("/accounts/login/")
    look(page, "login")

    officer = user_create(
        username="dilnoza", password=PASSWORD, roles=[Role.INTAKE_OFFICER], actor=None
    )
    detailed = some_reports(officer, tmp_path)
    log_in(page, "dilnoza")
    look(page, "inbox")

    page.goto(f"/staff/reports/{detailed}/")
    look(page, "report")
