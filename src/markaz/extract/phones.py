"""Phone numbers: candidate runs of digits -> E.164, via phonenumbers.

phonenumbers decides validity; this module decides which digit runs are worth asking
about and how people in the region write numbers that libphonenumber alone would not
accept (a Soviet-era trunk ``8`` or a ``0`` before a nine-digit Tajik number; the
country code without ``+``; ``00`` as the international prefix).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from .types import InvalidIndicator, Kind

_DATE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}",
)
_SEPARATORS = re.compile(r"[\s().\-\u00a0]+")

# Context that makes a nearby run of digits a document, an account or money, not a phone:
# a marker right before it, or a document word shortly before it with no phone word after.
_NOT_PHONE_ADJACENT = re.compile(
    r"(?:№|\bN[o°]?\.?|#|[$€₽]|\btjs|\busd|\brub|\beur)[\s:.\-]*$", re.IGNORECASE
)
_DOCUMENT_WORDS = re.compile(
    r"инн|\binn\b|\btin\b|\btax\b|паспорт|passport|шиноснома|сч[её]т|р/с|\bacc(?:oun)?t|"
    r"ҳисоб|договор|contract|заказ|order|\bid\b|ттн|квитанц|receipt|\bчек|транзакц|transaction|"
    r"\btxn?\b|серия|serial|invoice|инвойс|ариза|муроҷиат|обращени|booking|tracking|трек|"
    r"mtcn|перевод\s+№|код|code|pin|пин|cvv|cvc",
    re.IGNORECASE,
)
_PHONE_WORDS = re.compile(
    r"тел|phone|whats|ватсап|вотсап|звон|call|sms|смс|кошел|wallet|mobi|занг",
    re.IGNORECASE,
)
_NOT_PHONE_AFTER = re.compile(
    r"^\s*(?:сомон|сомоӣ|сом\b|смн|tjs|руб|р\.|₽|\$|usd|долл|dollar|евро|eur|€|тенге|"
    r"сум\b|somoni|rub|rouble|ruble|%|шт|кг|km|км)",
    re.IGNORECASE,
)
# Context that makes an 11-digit number starting with 8 Russian.
_RUSSIAN_CONTEXT = re.compile(
    r"росси|\bрф\b|москв|russia|moscow|санкт|питер|екатеринбург|новосибирск|\+7",
    re.IGNORECASE,
)


@lru_cache(maxsize=32)
def _country_code(region: str) -> str:
    code = phonenumbers.country_code_for_region(region)
    if not code:
        raise InvalidIndicator(Kind.PHONE, f"unknown phone region {region!r}")
    return str(code)


def _e164(text: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def phone_e164(raw: str, *, region: str, russian_context: bool = False) -> str | None:
    """E.164 for one written phone number, or None when it is not a valid number.

    ``russian_context`` admits ``8 (9xx) ...`` as a Russian number when the default
    region is not Russia (the text says Russia, or a person typed it in a phone box).
    """
    stripped = raw.strip()
    digits = "".join(ch for ch in stripped if ch.isdigit())
    if not 7 <= len(digits) <= 15 or not digits.isascii():
        return None
    if stripped.startswith("+"):
        return _e164("+" + digits, None)
    if digits.startswith("00") and len(digits) > 10:
        found = _e164("+" + digits[2:], None)
        if found:
            return found
    found = _e164(digits, region)
    if found:
        return found
    code = _country_code(region)
    if digits.startswith(code) and len(digits) > len(code) + 6:
        found = _e164("+" + digits, None)
        if found:
            return found
    if digits[0] in "08" and region != "RU":
        found = _e164(digits[1:], region)
        if found:
            return found
    if len(digits) == 11 and digits[0] in "78" and (russian_context or digits[0] == "7"):
        found = _e164(digits, "RU")
        if found and digits[0] == "7" and not russian_context and " " not in stripped:
            # A bare 7XXXXXXXXXX without separators is as likely an ID as a phone.
            return None
        return found
    return None


def looks_like_date_or_money(candidate: str) -> bool:
    """A run of digits that is written like a date, an amount or a version, not a phone."""
    text = candidate.strip()
    if _DATE.fullmatch(text):
        return True
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.endswith("000000") and not text.startswith("+"):
        return True  # 150 000 000: an amount; phone numbers almost never end so
    if text.count(".") >= 1 and not text.startswith("+"):
        # Dotted groups are versions, IPs, dates or amounts far more often than phones,
        # except the regional habit of 93.555.12.34 (nine digits in four groups).
        parts = text.split(".")
        if len(digits) != 9 or len(parts) != 4:
            return True
    return False


def phone_in_context(
    candidate: str, before: str, after: str, *, region: str, text: str
) -> str | None:
    """Validate a candidate run found in free text, using its neighbourhood."""
    if looks_like_date_or_money(candidate):
        return None
    if _NOT_PHONE_ADJACENT.search(before) or _NOT_PHONE_AFTER.search(after):
        return None
    window = before[-28:]
    last_doc = None
    for last_doc in _DOCUMENT_WORDS.finditer(window):  # noqa: B007 - we want the last one
        pass
    if (
        last_doc is not None
        and not candidate.lstrip().startswith("+")
        and not _PHONE_WORDS.search(window, last_doc.end())
    ):
        return None
    digits = sum(ch.isdigit() for ch in candidate)
    russian = False
    if digits == 11 and region != "RU":
        russian = bool(_RUSSIAN_CONTEXT.search(text)) or _looks_russian_format(candidate)
    return phone_e164(candidate, region=region, russian_context=russian)


_RU_FORMAT = re.compile(r"\s*[78][\s\-]?\(?9\d\d\)?[\s\-]?\d{3}[\s\-]?\d\d[\s\-]?\d\d\s*")


def _looks_russian_format(candidate: str) -> bool:
    """``8 (916) 123-45-67``: the way Russian mobiles are written, and only them."""
    return bool(_RU_FORMAT.fullmatch(candidate)) and not candidate.strip().isdigit()


def split_groups(candidate: str) -> list[tuple[int, int]]:
    """Offsets of whitespace-separated groups inside a run, for sub-window search."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", candidate)]


def normalize_phone(raw: str, *, region: str) -> str:
    if not raw.strip():
        raise InvalidIndicator(Kind.PHONE, "empty")
    compact = _SEPARATORS.sub("", raw.strip())
    if not re.fullmatch(r"\+?\d+", compact):
        raise InvalidIndicator(Kind.PHONE, f"{raw!r} has characters other than digits")
    found = phone_e164(raw, region=region, russian_context=True)
    if found is None:
        raise InvalidIndicator(Kind.PHONE, f"{raw!r} is not a valid number (region {region})")
    return found
