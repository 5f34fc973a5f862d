"""The rules a report must pass, however it arrives: the public and staff forms, the API,
a bulk import.

Each rule is a plain function of typed values: it returns the clean value or raises
``ValidationError`` with a translatable message. ``report_draft_check`` applies them all,
once, to a ``ReportInput``: the form's ``clean`` builds one from its fields (which parse
what was typed: choices, dates, decimals, e-mail addresses), the API and an import from
their ``ReportIn`` (``draft_from_input``). So every channel refuses the same input with
the same messages; an import checks thousands of rows a second without building a form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    EmailValidator,
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from markaz.core.country import current_country
from markaz.extract import InvalidIndicator, normalize
from markaz.intake.schemas import ReportIn
from markaz.intake.services import ReportDraft
from markaz.intake.taxonomy import categories

# Above this a loss is almost surely a typing error (an extra digit group); staff can still
# record larger sums through the API after checking.
MAX_LOSS = Decimal("1000000000")
LOSS_DIGITS = 16
LOSS_DECIMAL_PLACES = 2
# ISO 4217 codes that name no money anyone can lose: "no currency" and "testing".
NOT_MONEY = frozenset({"XXX", "XTS"})

REQUIRED = _("This field is required.")
UNKNOWN_CHOICE = _("Select a valid choice. %(value)s is not one of the available choices.")

_no_null_characters = ProhibitNullCharactersValidator()
_email_valid = EmailValidator()
_loss_digits = DecimalValidator(LOSS_DIGITS, LOSS_DECIMAL_PLACES)


class DraftRefused(Exception):
    """The input breaks rules: messages per field, keyed as the API answers them."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def is_iso4217(code: str) -> bool:
    code = code.upper()
    return code not in NOT_MONEY and pycountry.currencies.get(alpha_3=code) is not None


# --- one rule per idea; the forms' clean hooks call these ----------------------------------


def incident_date_check(day: Any) -> Any:
    if day and day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return day


def incident_time_check(day: Any, moment: Any) -> None:
    """A time needs its date, and the two together must not be in the future."""
    if moment and not day:
        raise ValidationError(_("Give the date as well as the time."))
    if (
        day
        and isinstance(moment, time)
        and timezone.make_aware(datetime.combine(day, moment)) > timezone.now()
    ):
        raise ValidationError(_("The time cannot be in the future."))


def loss_amount_check(amount: Decimal | None) -> Decimal | None:
    if amount is None:
        return None
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."))
    if amount > MAX_LOSS:
        raise ValidationError(_("This amount is too large; please check the number."))
    return amount


def loss_currency_check(code: str) -> str:
    """An ISO 4217 code that names money, upper-cased."""
    code = code.strip().upper()
    if not is_iso4217(code):
        raise ValidationError(_("Unknown currency code."))
    return code


def currency_needed_check(amount: Decimal | None, currency: str) -> None:
    if amount is not None and not currency:
        raise ValidationError(_("Choose the currency of the amount."))


def victim_phone_check(raw: str) -> str:
    """E.164, read as suspects' numbers are ("0 918 ...", "93 555 12 34", "8 (916) ..."), so
    a victim's phone matches however it was typed."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        return normalize("phone", raw, region=current_country().phone_region)
    except InvalidIndicator:
        raise ValidationError(_("This does not look like a phone number.")) from None


def place_check(region: str, district: str) -> str:
    """The region of the report: the district's own when only the district was given."""
    if not district:
        return region
    found = current_country().district(district)
    if found is None:
        raise ValidationError(_("Unknown district."))
    district_region, _place = found
    if region and region != district_region.code:
        raise ValidationError(_("This district is not in the chosen region."))
    return district_region.code


def narrative_length_check(text: str) -> None:
    MaxLengthValidator(settings.MARKAZ_MAX_NARRATIVE_CHARS)(text)


# --- the API's typed input to a draft, without a form ----------------------------------------


class _Errors:
    """Collects field messages as a form does: a failed field leaves no clean value."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, error: ValidationError) -> None:
        self.by_field.setdefault(name, []).extend(str(m) for m in error.messages)

    def passes(self, name: str, rule: Callable[..., object], *args: Any) -> bool:
        """Whether ``rule(*args)`` accepts; if not, its message is recorded under ``name``."""
        try:
            rule(*args)
        except ValidationError as error:
            self.add(name, error)
            return False
        return True

    def text(self, name: str, value: str, *, required: bool = False) -> str:
        """A form CharField's cleaning: stripped, no null characters, required if asked."""
        value = value.strip()
        try:
            _no_null_characters(value)
            if required and not value:
                raise ValidationError(REQUIRED)
        except ValidationError as error:
            self.add(name, error)
        return value


@dataclass(frozen=True)
class ReportInput:
    """A report as a channel gives it, parsed into Python values but not yet held to the
    rules: the API's and an import's ``ReportIn`` (``input_of``), the form's fields."""

    category: str
    narrative: str
    incident_date: date | None = None
    incident_time: time | None = None
    incident_time_approximate: bool = False
    region: str = ""
    district: str = ""
    loss_amount: Decimal | None = None
    loss_currency: str = ""
    payment_method: str = ""
    victim_name: str = ""
    victim_phone: str = ""
    victim_email: str = ""
    victim_age_band: str = ""
    victim_gender: str = ""
    consent: bool = False
    language: str = ""
    suspect_identifiers: Sequence[tuple[str, str]] = ()


def report_draft_check(data: ReportInput) -> ReportDraft:
    """The one validation of a report, however it arrives: the draft to store, or
    ``DraftRefused`` with the messages per field (the form shows them beside its fields,
    the API answers them, an import writes them to its rejects file)."""
    errors = _Errors()
    # Choices are matched as given, not stripped (as a form's ChoiceField does).
    if not data.category:
        errors.add("category", ValidationError(REQUIRED))
    elif data.category not in _category_codes():
        errors.add("category", ValidationError(UNKNOWN_CHOICE % {"value": data.category}))
    narrative = errors.text("narrative", data.narrative, required=True)
    if "narrative" not in errors.by_field:
        errors.passes("narrative", narrative_length_check, narrative)
    incident_at = _incident(errors, data.incident_date, data.incident_time)
    region, district = _place(errors, data.region, data.district)
    amount, currency = _loss(errors, data.loss_amount, data.loss_currency)
    victim_phone, victim_email = _victim_contacts(errors, data.victim_phone, data.victim_email)
    if not data.consent:
        errors.add("consent", ValidationError(REQUIRED))
    identifiers = []
    for index, (kind, raw) in enumerate(data.suspect_identifiers):
        value = errors.text(f"suspect_identifiers.{index}.value", raw)
        if value:
            identifiers.append((kind, value))
    victim_name = errors.text("victim_name", data.victim_name)
    if errors.by_field:
        raise DraftRefused(errors.by_field)
    return ReportDraft(
        category=data.category,
        narrative=narrative,
        language=data.language,
        incident_at=incident_at,
        # A date without its time is approximate: the time stored is noon.
        incident_time_approximate=data.incident_time_approximate
        or (data.incident_date is not None and data.incident_time is None),
        region=region,
        district=district,
        loss_amount=amount,
        loss_currency=currency,
        payment_method=data.payment_method,
        suspect_identifiers=identifiers,
        victim_name=victim_name,
        victim_phone=victim_phone,
        victim_email=victim_email,
        victim_age_band=data.victim_age_band,
        victim_gender=data.victim_gender,
        consent=True,
    )


def draft_from_input(payload: ReportIn) -> ReportDraft:
    """The draft of the API's (or an import row's) typed input, or ``DraftRefused``."""
    return report_draft_check(input_of(payload))


def input_of(payload: ReportIn) -> ReportInput:
    """The API's input as the rules read it: its moment as the local date and time to
    the second (as a person types them into the form)."""
    day, moment = None, None
    if payload.incident_at is not None:
        # Looked up once: each lookup goes through a context-local (an import reads thousands).
        zone = timezone.get_current_timezone()
        when = payload.incident_at
        if timezone.is_naive(when):
            when = timezone.make_aware(when, zone)
        local = timezone.localtime(when, zone)
        day, moment = local.date(), local.time().replace(microsecond=0, tzinfo=None)
    return ReportInput(
        category=payload.category,
        narrative=payload.narrative,
        incident_date=day,
        incident_time=moment,
        incident_time_approximate=payload.incident_time_approximate,
        region=payload.region,
        district=payload.district,
        loss_amount=payload.loss_amount,
        loss_currency=payload.loss_currency,
        payment_method=payload.payment_method.value if payload.payment_method else "",
        victim_name=payload.victim_name,
        victim_phone=payload.victim_phone,
        victim_email=payload.victim_email,
        consent=payload.consent,
        language=payload.language.value,  # the schema admits only ReportLanguage's values
        suspect_identifiers=[(row.kind.value, row.value) for row in payload.suspect_identifiers],
    )


def _victim_contacts(errors: _Errors, phone: str, email: str) -> tuple[str, str]:
    victim_phone = errors.text("victim_phone", phone)
    if victim_phone and "victim_phone" not in errors.by_field:
        try:
            victim_phone = victim_phone_check(victim_phone)
        except ValidationError as error:
            errors.add("victim_phone", error)
    victim_email = errors.text("victim_email", email)
    if victim_email and "victim_email" not in errors.by_field:
        errors.passes("victim_email", _email_valid, victim_email)
    return victim_phone, victim_email


@cache
def _category_codes() -> frozenset[str]:
    return frozenset(c.code for c in categories())


def _incident(errors: _Errors, day: date | None, moment: time | None) -> datetime | None:
    """The local date and time (noon when only the date is known), if neither is refused."""
    if day is None:
        if moment is not None:
            errors.passes("incident_date", incident_time_check, day, moment)
        return None
    if not (
        errors.passes("incident_date", incident_date_check, day)
        and errors.passes("incident_time", incident_time_check, day, moment)
    ):
        return None
    zone = timezone.get_current_timezone()
    return timezone.make_aware(datetime.combine(day, moment or time(12, 0)), zone)


def _place(errors: _Errors, region: str, district: str) -> tuple[str, str]:
    country = current_country()
    if region and country.region(region) is None:
        errors.add("region", ValidationError(UNKNOWN_CHOICE % {"value": region}))
        region = ""
    if district and country.district(district) is None:
        errors.add("district", ValidationError(UNKNOWN_CHOICE % {"value": district}))
        return region, ""
    if "region" in errors.by_field:
        return region, district
    try:
        return place_check(region, district), district
    except ValidationError as error:
        errors.add("district", error)
        return region, district


def _loss(errors: _Errors, amount: Decimal | None, code: str) -> tuple[Decimal | None, str]:
    if amount is not None:
        try:
            if not amount.is_finite():
                raise ValidationError(_("Enter a number."))
            _loss_digits(amount)
            amount = loss_amount_check(amount)
        except ValidationError as error:
            errors.add("loss_amount", error)
            amount = None
    currency = ""
    if code:
        try:
            currency = loss_currency_check(code)
        except ValidationError as error:
            errors.add("loss_currency", error)
            return amount, ""
    if "loss_amount" not in errors.by_field:
        errors.passes("loss_currency", currency_needed_check, amount, currency)
    return amount, currency
