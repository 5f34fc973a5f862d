"""Tajik and Russian pages carry no English, and the committed catalogues are complete.

The render tests walk the pages a victim sees (home, report form with every kind of bad
input, receipt, status) and the staff login, strip the markup, and look for English words:
any word of an English msgid (ours or Django's) left on a Tajik or Russian page fails the
test. Elements marked with another language (the language switcher's "English") are skipped.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from PIL import Image

from markaz.accounts.roles import Role
from markaz.intake import services
from markaz.intake.models import Report
from markaz.web.intake.views import RECEIPT_SESSION_KEY

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
DJANGO_DIR = Path(django.__file__).resolve().parent
TRANSLATED = ("tg", "ru")
NPLURALS = {"tg": 2, "ru": 4}  # Russian: Django's header, whose 4th form is for fractions

# Latin words that stay Latin in every language: file formats, currency codes, the reference
# prefix, "API" (a channel). Everything else on a Tajik or Russian page must be translated.
LATIN_ALLOWED = {
    "png",
    "jpeg",
    "gif",
    "webp",
    "pdf",
    "kzt",
    "tjs",
    "usd",
    "rub",
    "eur",
    "mkz",
    "api",
    "csv",
}
# Latin words a translation may contain (the above, plus names no one translates).
LATIN_ALLOWED_IN_MSGSTR = LATIN_ALLOWED | {"html"}

WORD = re.compile(r"[A-Za-z]+")
# Placeholders, and dotted code names staff type (intake.report), are not words.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}|\b[a-z_]+\.[a-z_]+\b")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def latin_words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text)) if len(w) > 1}


def english_vocabulary() -> set[str]:
    """Every word of our English msgids and of Django's own (form errors, login, ...)."""
    words: set[str] = set()
    sources = [
        LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po",
        DJANGO_DIR / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
        DJANGO_DIR / "contrib" / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    ]
    for path in sources:
        for entry in polib.pofile(str(path)):
            words |= latin_words(entry.msgid) | latin_words(entry.msgid_plural or "")
    return words - LATIN_ALLOWED


VOCABULARY = english_vocabulary()


class VisibleText(HTMLParser):
    """Text a person sees or hears (text nodes and labelling attributes), minus scripts,
    styles, elements in a language other than the page's, and elements marked
    `translate="no"` (references and secret codes: random letters such as "ME" in a code
    are not English words)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}  # fmt: skip
    SPOKEN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.parts: list[str] = []
        self.skip_tag: str | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        values = dict(attrs)
        other_language = values.get("lang") not in (None, self.page_language)
        untranslatable = values.get("translate") == "no"
        if tag in ("script", "style") or other_language or untranslatable:
            if tag not in self.VOID:
                self.skip_tag, self.skip_depth = tag, 1
            return
        for name in self.SPOKEN_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None and tag == self.skip_tag:
            self.skip_depth -= 1
            if self.skip_depth == 0:
                self.skip_tag = None

    def handle_data(self, data: str) -> None:
        if self.skip_tag is None:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str, language: str) -> str:
        parser = cls(language)
        parser.feed(html)
        parser.close()
        return " ".join(" ".join(parser.parts).split())


class Pages:
    """Renders pages in one language and remembers any English it finds."""

    def __init__(self, client: Client, language: str) -> None:
        self.client = client
        self.language = language
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        self.leaks: dict[str, set[str]] = {}

    def check(self, name: str, response, *expected_status: int) -> str:  # type: ignore[no-untyped-def]
        assert response.status_code in (expected_status or (200,)), (name, response.status_code)
        assert response.headers["Content-Language"] == self.language, name
        html = response.content.decode()
        assert f'<html lang="{self.language}"' in html, name
        text = VisibleText.of(html, self.language)
        leaked = latin_words(text) & VOCABULARY
        if leaked:
            self.leaks[name] = leaked
        return text

    def get(self, name: str, url: str, *status: int) -> str:
        return self.check(name, self.client.get(url), *status)

    def post(self, name: str, url: str, data: dict[str, object], *status: int) -> str:
        return self.check(name, self.client.post(url, data), *status)

    def t(self, message: str) -> str:
        with translation.override(self.language):
            return gettext(message)

    def nt(self, singular: str, plural: str, number: int, **params: object) -> str:
        with translation.override(self.language):
            return ngettext(singular, plural, number) % {**params}

    def assert_no_english(self) -> None:
        assert not self.leaks, f"English words on {self.language} pages: {self.leaks}"


def png_upload(name: str = "сурат.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def management(total: int = 3) -> dict[str, object]:
    return {
        "suspect-TOTAL_FORMS": str(total),
        "suspect-INITIAL_FORMS": "0",
        "suspect-MIN_NUM_FORMS": "0",
        "suspect-MAX_NUM_FORMS": "20",
    }


def valid_report() -> dict[str, object]:
    return {
        **management(),
        "category": "fraud_marketplace",
        "narrative": "Фурӯшанда пул гирифт.",
        "region": "DU",
        "district": "DU-SIN",
        "loss_amount": "1500",
        "loss_currency": "TJS",
        "payment_method": "bank_card",
        "suspect-0-kind": "phone",
        "suspect-0-value": "93 555 12 34",
        "consent": "on",
    }


@pytest.fixture
def roomy_limits(settings) -> None:
    """Many submissions per test, small caps so that size errors are cheap to trigger."""
    settings.MARKAZ_SUBMISSIONS_PER_HOUR = 1000
    settings.MARKAZ_STATUS_CHECKS_PER_HOUR = 1000
    settings.MARKAZ_MAX_NARRATIVE_CHARS = 40
    settings.MARKAZ_MAX_ATTACHMENTS = 1
    settings.MARKAZ_MAX_ATTACHMENT_BYTES = 1024 * 1024


# --- the catalogues -------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_no_fuzzy_or_untranslated_entries(language: str) -> None:
    po = catalogue(language)
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.untranslated_entries()] == []
    short_plurals = [
        e.msgid
        for e in po.translated_entries()
        if e.msgid_plural
        and sorted(k for k, v in e.msgstr_plural.items() if v) != list(range(NPLURALS[language]))
    ]
    assert short_plurals == []
    assert f"nplurals={NPLURALS[language]};" in po.metadata["Plural-Forms"].replace(" ", "")


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_translations_are_not_english(language: str) -> None:
    english = {
        entry.msgid: words
        for entry in catalogue(language)
        if (
            words := latin_words(" ".join([entry.msgstr, *entry.msgstr_plural.values()]))
            - LATIN_ALLOWED_IN_MSGSTR
        )
    }
    assert english == {}


def test_english_catalogue_is_the_source() -> None:
    assert catalogue("en").translated_entries() == []


@pytest.mark.parametrize("language", ("tg", "ru", "en"))
def test_committed_mo_matches_po(language: str) -> None:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))

    def is_translated(entry) -> bool:  # type: ignore[no-untyped-def]
        # MOEntry lacks POEntry.translated(); an entry counts when every form is filled in.
        if entry.msgid_plural:
            return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
        return bool(entry.msgstr)

    def translations(entries) -> dict[tuple[str, str], object]:  # type: ignore[no-untyped-def]
        return {
            (e.msgctxt or "", e.msgid): (
                tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
                if e.msgid_plural
                else e.msgstr
            )
            for e in entries
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags and is_translated(e)
        }

    assert translations(mo) == translations(po), "run `make messages` and commit the .mo files"
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


def test_django_messages_we_carry_are_still_djangos() -> None:
    """markaz/django_strings.py repeats Django's msgids; an upgrade that rewords one shows here."""
    django_msgids = {
        entry.msgid
        for path in (
            DJANGO_DIR / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
            DJANGO_DIR / "contrib" / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po",
        )
        for entry in polib.pofile(str(path))
    }
    carried = [
        entry.msgid
        for entry in catalogue("en")
        if any(path.endswith("django_strings.py") for path, _line in entry.occurrences)
    ]
    assert carried
    assert [msgid for msgid in carried if msgid not in django_msgids] == []


# --- choosing the language ------------------------------------------------------------------


@pytest.mark.django_db
def test_default_language_without_cookie_is_tajik(client: Client) -> None:
    response = client.get(reverse("intake:home"))
    assert response.headers["Content-Language"] == "tg"
    html = response.content.decode()
    assert '<html lang="tg"' in html
    with translation.override("tg"):
        assert gettext("Report an online crime") in html


@pytest.mark.django_db
def test_set_language_remembers_russian(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/status/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get(response["Location"])
    assert page.headers["Content-Language"] == "ru"
    html = page.content.decode()
    assert '<html lang="ru"' in html
    with translation.override("ru"):
        assert gettext("Check the status of a report") in html


@pytest.mark.django_db
def test_english_pages_use_the_source_text(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("intake:report_new")).content.decode()
    assert "Report an online crime" in html


# --- pages a victim sees --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_home_login_and_missing_pages_have_no_english(client: Client, language: str) -> None:
    pages = Pages(client, language)
    assert pages.t("If you are in danger now") in pages.get("home", reverse("intake:home"))
    assert pages.t("Staff login") in pages.get("login", reverse("accounts:login"))
    empty = pages.post("login, empty", reverse("accounts:login"), {})
    assert pages.t("This field is required.") in empty
    wrong = pages.post(
        "login, wrong password",
        reverse("accounts:login"),
        {"username": "касе", "password": "нодуруст"},
    )
    with translation.override(language):
        expected = gettext(
            "Please enter a correct %(username)s and password. Note that both fields may "
            "be case-sensitive."
        ) % {"username": gettext("username")}
    assert expected in wrong
    assert pages.t("Page not found") in pages.get("missing page", "/no-such-page/", 404)
    pages.assert_no_english()


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_report_form_and_its_errors_have_no_english(
    client: Client, language: str, roomy_limits: None
) -> None:
    pages = Pages(client, language)
    url = reverse("intake:report_new")
    assert pages.t("What do you know about the suspect?") in pages.get("form", url)

    empty = pages.post("form, nothing filled in", url, management())
    assert pages.t("This field is required.") in empty
    assert pages.t("Please correct the fields marked below. What you typed is kept.") in empty

    malformed = pages.post(
        "form, malformed values",
        url,
        {
            **management(),
            "category": "нест",
            "narrative": "Матн " * 20,
            "incident_date": "31.02.2026",
            "incident_time": "25:99",
            "region": "XX",
            "loss_amount": "сесад",
            "loss_currency": "GBP",  # a real code, but not one of the list's choices
            "loss_currency_other": "ABCD",
            "payment_method": "нест",
            "victim_phone": "12",
            "victim_email": "почтаи-нодуруст",
            "victim_age_band": "нест",
            "suspect-0-value": "@somon_shop_tj",
        },
    )
    for message in (
        "Enter a valid date.",
        "Enter a valid time.",
        "Enter a number.",
        "Enter a valid email address.",
        "This does not look like a phone number.",
        "Choose what kind of identifier this is.",
    ):
        assert pages.t(message) in malformed, message
    with translation.override(language):
        assert (
            gettext("Select a valid choice. %(value)s is not one of the available choices.")
            % {"value": "нест"}
            in malformed
        )
    singular = "Ensure this value has at most %(limit_value)d character (it has %(show_value)d)."
    plural = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
    assert pages.nt(singular, plural, 40, limit_value=40, show_value=99) in malformed
    assert pages.nt(singular, plural, 3, limit_value=3, show_value=4) in malformed

    tomorrow = timezone.localdate() + timedelta(days=1)
    out_of_range = pages.post(
        "form, values out of range",
        url,
        {
            **management(),
            "category": "fraud_marketplace",
            "narrative": "Нул\x00",
            "incident_date": tomorrow.isoformat(),
            "loss_amount": "-5",
            "loss_currency": "other",
            "loss_currency_other": "XYZ",
            "region": "DU",
            "district": "SU-KHU",
            "attachments": [SimpleUploadedFile("ҳуҷҷат.png", b"not an image at all")],
        },
    )
    for message in (
        "Null characters are not allowed.",
        "The date cannot be in the future.",
        "The amount cannot be negative.",
        "Unknown currency code.",
        "This district is not in the chosen region.",
        "This field is required.",
    ):
        assert pages.t(message) in out_of_range, message
    with translation.override(language):
        assert (
            gettext("“%(name)s” is not an image or a PDF file.") % {"name": "ҳуҷҷат.png"}
            in out_of_range
        )

    too_much = pages.post(
        "form, too much",
        url,
        {
            **management(25),
            **{f"suspect-{i}-kind": "phone" for i in range(25)},
            **{f"suspect-{i}-value": f"93 555 12 {i:02d}" for i in range(25)},
            "incident_time": "10:00",
            "loss_amount": "12345678901234567",
            "attachments": [png_upload("як.png"), png_upload("ду.png")],
        },
    )
    assert pages.t("Give the date as well as the time.") in too_much
    assert (
        pages.nt(
            "Please submit at most %(num)d form.",
            "Please submit at most %(num)d forms.",
            20,
            num=20,
        )
        in too_much
    )
    assert (
        pages.nt(
            "Ensure that there are no more than %(max)s digit in total.",
            "Ensure that there are no more than %(max)s digits in total.",
            16,
            max=16,
        )
        in too_much
    )
    with translation.override(language):
        assert gettext("Attach at most %(count)s files.") % {"count": 1} in too_much

    wrong_numbers = pages.post(
        "form, wrong numbers and files",
        url,
        {
            **management(),
            "loss_amount": "1.234",
            "attachments": [SimpleUploadedFile("холӣ.png", b"")],
        },
    )
    assert (
        pages.nt(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            2,
            max=2,
        )
        in wrong_numbers
    )
    assert pages.t("The submitted file is empty.") in wrong_numbers

    too_large = pages.post("form, absurd loss", url, {**management(), "loss_amount": "5000000000"})
    assert pages.t("This amount is too large; please check the number.") in too_large

    # Only a tampered request lacks the formset's hidden fields; Django's message then names
    # them (suspect-TOTAL_FORMS), so check the translated sentence, not every word.
    tampered = client.post(url, {"category": "other"}).content.decode()
    with translation.override(language):
        message = gettext(
            "ManagementForm data is missing or has been tampered with. Missing fields: "
            "%(field_names)s. You may need to file a bug report if the issue persists."
        )
    assert message.split("%(field_names)s")[0] in tampered
    pages.assert_no_english()


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_refused_form_without_csrf_cookie_has_no_english(language: str) -> None:
    """A browser that blocks cookies gets Django's CSRF refusal: ours, not Django's English."""
    pages = Pages(Client(enforce_csrf_checks=True), language)
    text = pages.post("form, no CSRF cookie", reverse("intake:report_new"), valid_report(), 403)
    assert pages.t("The form could not be sent") in text
    pages.assert_no_english()


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_rate_limited_form_has_no_english(client: Client, language: str, settings) -> None:
    settings.MARKAZ_SUBMISSIONS_PER_HOUR = 0
    pages = Pages(client, language)
    text = pages.post("form, rate limited", reverse("intake:report_new"), valid_report(), 429)
    assert (
        pages.t(
            "Too many reports were sent from your connection in the last hour. Please try again "
            "later, or call us."
        )
        in text
    )
    pages.assert_no_english()


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_receipt_and_status_pages_have_no_english(
    client: Client, language: str, roomy_limits: None, intake_officer
) -> None:
    pages = Pages(client, language)
    response = client.post(reverse("intake:report_new"), valid_report(), follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    receipt = pages.check("receipt", response)
    assert pages.t("Your report was received") in receipt
    assert pages.t("How to protect yourself") in receipt
    issued = client.session[RECEIPT_SESSION_KEY]

    status_url = reverse("intake:status")
    assert pages.t("Secret code") in pages.get("status", status_url)
    assert pages.t("This field is required.") in pages.post(
        "status, empty", status_url, {"reference": "", "status_code": ""}
    )
    wrong = pages.post(
        "status, wrong code",
        status_url,
        {"reference": issued["reference"], "status_code": "НОДУРУСТ"},
    )
    assert pages.t("No report matches this reference and code. Check both and try again.") in wrong

    report = Report.objects.get(reference=issued["reference"])
    services.report_message_victim(
        report=report, text="Лутфан скриншоти пардохтро фиристед.", actor=intake_officer
    )
    found = pages.post(
        "status, right code",
        status_url,
        {"reference": issued["reference"], "status_code": issued["status_code"]},
    )
    assert pages.t("Received") in found
    assert pages.t("Messages from the centre") in found
    pages.assert_no_english()


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_staff_inbox_and_report_pages_have_no_english(
    client: Client, language: str, make_user, report
) -> None:
    # A Cyrillic user name: the page shows it, and "intake_officer" would read as English.
    officer = make_user(Role.INTAKE_OFFICER, username="нозир")
    client.force_login(officer)
    pages = Pages(client, language)
    inbox = pages.get("inbox", reverse("intake:inbox"))
    assert report.reference in inbox
    assert pages.t("Search narratives") in inbox
    detail = pages.get("report", reverse("intake:report_detail", args=[report.reference]))
    assert pages.t("Change status") in detail
    assert pages.t("How the report came in") in pages.get(
        "staff form", reverse("intake:staff_report_new")
    )
    pages.assert_no_english()
