"""What the browser tests do again and again: fill the public form, log in as staff."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from PIL import Image

PASSWORD = "Kh0rog-river-2026!"
ENGLISH_FORM_HEADING = "Report an online crime"
# Letters that only Tajik Cyrillic has: a page "in Tajik" that shows none of them in its
# headings and labels is not in Tajik.
TAJIK_LETTERS = re.compile("[ӢӣҚқҒғҲҳҶҷӮӯ]")
NARRATIVE = (
    "Дар Telegram марде бо номи @somon_deals телефонро арзон фурӯхт. "
    "Ман 1500 сомонӣ ба корти ӯ гузаронидам, вале телефон нарасид."
)
SUSPECT_PHONE = "+992 93 555 12 34"


def submit_button(page):
    # The header holds forms too (language switcher, log out): the page's own form is in main.
    return page.locator("main form button[type=submit]")


def make_png(folder: Path, name: str = "chat-screenshot.png") -> Path:
    path = folder / name
    image = Image.new("RGB", (320, 200), (230, 240, 250))
    for x in range(40, 280):
        image.putpixel((x, 100), (16, 50, 90))
    image.save(path, format="PNG")
    return path


def enabled_districts(page) -> list[str]:
    return page.eval_on_selector(
        "#id_district",
        """select => Array.from(select.options)
            .filter(o => o.value && !o.disabled && !(o.parentElement.disabled))
            .map(o => o.value)""",
    )


def fill_report(page, *, narrative: str, attachment: Path | None = None) -> None:
    """Fill the public form as a victim would, from top to bottom."""
    page.check("input[name=category][value=fraud_marketplace]")
    page.fill("#id_narrative", narrative)
    page.fill("#id_incident_date", (timezone.localdate() - timedelta(days=3)).isoformat())
    page.fill("#id_incident_time", "14:30")
    page.select_option("#id_region", "SU")
    page.select_option("#id_district", "SU-KHU")
    page.fill("#id_loss_amount", "1500")
    page.select_option("#id_loss_currency", "TJS")
    page.select_option("#id_payment_method", "bank_card")
    page.locator("[data-add-row=suspect]").click()
    page.select_option("#id_suspect-3-kind", "phone")
    page.fill("#id_suspect-3-value", SUSPECT_PHONE)
    if attachment is not None:
        page.set_input_files("#id_attachments", str(attachment))
    page.fill("#id_victim_name", "Манижа Раҳимова")
    page.fill("#id_victim_phone", "917 00 11 22")
    page.check("#id_consent")


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    submit_button(page).click()
    page.wait_for_url(re.compile(r"/staff/inbox/"))
