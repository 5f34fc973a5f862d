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
# Matched on lower-cased text without IGNORECASE, and every alternative starts with a
# literal (a word boundary is checked after the first letter), so the regex engine can
# skip to the letters that may start a word: IGNORECASE made these the slowest step.
_NOT_PHONE_MARKER = re.compile(
    r"(?:№|n(?<!\w.)[o°]?|#|[$€₽]|t(?<!\w.)js|u(?<!\w.)sd|r(?<!\w.)ub|e(?<!\w.)ur)\Z"
)
_MARKER_TRAIL = ":.-"
_DOCUMENT_WORDS = re.compile(
    r"инн|i(?<!\w.)nn\b|t(?<!\w.)in\b|t(?<!\w.)ax\b|паспорт|passport|шиноснома|сч[её]т|р/с|"
    r"a(?<!\w.)cc(?:oun)?t|ҳисоб|договор|contract|заказ|order|i(?<!\w.)d\b|ттн|квитанц|"
    r"receipt|ч(?<!\w.)ек|транзакц|transaction|t(?<!\w.)xn?\b|серия|serial|invoice|инвойс|"
    r"ариза|муроҷиат|обращени|booking|tracking|трек|mtcn|перевод\s+№|код|code|pin|пин|cvv|cvc"
)
_PHONE_WORDS = re.compile(r"тел|phone|whats|ватсап|вотсап|звон|call|sms|смс|кошел|wallet|mobi|занг")
_NOT_PHONE_AFTER = re.compile(
    r"\s*(?:сомони|сомонӣ|сомон\b|сом\b|смн|tjs|руб|р\.|₽|\$|usd|долл|dollar|евро|eur|€|тенге|"
    r"сум\b|somoni|rub|rouble|ruble|%|шт|кг|km|км)"
)
# Context that makes an 11-digit number starting with 8 Russian.
_RUSSIAN_CONTEXT = re.compile(
    r"росси|р(?<!\w.)ф\b|москв|russia|moscow|санкт|питер|екатеринбург|новосибирск|\+7"
)


def _russian_context(text: str) -> bool:
    """The report says Russia somewhere. Not memoised: a report's text may hold a card
    number, and no cache may keep one (it is asked only for a bare 11-digit run)."""
    return _RUSSIAN_CONTEXT.search(text.lower()) is not None


def _not_phone_marker(before: str) -> bool:
    """A document, money or number marker right before the run ("№ ", "N.", "$ ")."""
    trimmed = before.rstrip().rstrip(_MARKER_TRAIL)
    while trimmed != before:  # spaces and marker punctuation in any order
        before, trimmed = trimmed, trimmed.rstrip().rstrip(_MARKER_TRAIL)
    end = len(trimmed)
    return _NOT_PHONE_MARKER.search(trimmed, max(0, end - 4), end) is not None


@lru_cache(maxsize=32)
def _country_code(region: str) -> str:
    code = phonenumbers.country_code_for_region(region)
    if not code:
        raise InvalidIndicator(Kind.PHONE, f"unknown phone region {region!r}")
    return str(code)


_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)


@lru_cache(maxsize=512)
def _region_rule(region: str) -> tuple[frozenset[int], str | None]:
    """libphonenumber's own metadata for a region: the possible lengths of a national
    number, and one pattern source that matches a whole national number exactly when it
    matches the region's general pattern and the pattern of one number type."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.general_desc is None:
        return frozenset(), None
    general = meta.general_desc.national_number_pattern
    types = []
    for name in _TYPES:
        desc = getattr(meta, name)
        if desc is not None and desc.national_number_pattern:
            types.append(f"(?:{desc.national_number_pattern})")
    if not general or not types:
        return frozenset(meta.general_desc.possible_length or ()), None
    rule = f"(?=(?:{general})\\Z)(?:{'|'.join(types)})"
    return frozenset(meta.general_desc.possible_length or ()), rule


@lru_cache(maxsize=2048)
def _valid_pattern(regions: tuple[str, ...], length: int) -> re.Pattern[str] | None:
    """One compiled pattern for "valid in one of these regions" at one length: a number
    is matched once, not once per region and type (the +1 plan has 25 regions)."""
    rules = []
    for region in regions:
        lengths, rule = _region_rule(region)
        if rule is not None and length in lengths:
            rules.append(f"(?:{rule})")
    return re.compile("|".join(rules)) if rules else None


def _national_valid(region: str, national: str) -> bool:
    """The test ``phonenumbers.is_valid_number`` makes, without parsing: the national
    number has a possible length, matches the region's pattern and one number type."""
    return _valid_in((region,), national)


def _valid_in(regions: tuple[str, ...], national: str) -> bool:
    pattern = _valid_pattern(regions, len(national))
    return pattern is not None and pattern.fullmatch(national) is not None


def _international(digits: str) -> str | None:
    """E.164 for digits that start with a country code, using the metadata directly."""
    for size in (1, 2, 3):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:size]))
        if regions:
            if _valid_in(tuple(regions), digits[size:]):
                return "+" + digits
            # "+7 8 916 ...": libphonenumber strips a national prefix written after the
            # country code; leave that rarer case to it.
            if _parses_national_prefix(regions[0]):
                return _parse_e164("+" + digits, None)
            return None
    return None


def _e164(text: str, region: str | None) -> str | None:
    """E.164 via a fast metadata check, falling back to ``phonenumbers.parse`` where a
    national prefix has to be stripped by the region's own rules."""
    if text.startswith("+"):
        return _international(text[1:])
    if region is None:
        return None
    if _national_valid(region, text):
        return f"+{_country_code(region)}{text}"
    if not _parses_national_prefix(region):
        return None
    if region == "RU" and text.startswith("8") and _national_valid(region, text[1:]):
        # What phonenumbers.parse makes of Russia's trunk 8 before a valid national
        # number (its prefix for parsing is "8", with no transform rule; eleven digits
        # are no viable Russian number as they stand; no valid one starts with "10", so
        # this is never "810", the international prefix): the 8 dropped. The one case
        # the Russian reading asks for; test_extract_phone_rules holds it to parse().
        return f"+7{text[1:]}"
    return _parse_e164(text, region)


@lru_cache(maxsize=512)
def _parses_national_prefix(region: str) -> bool:
    """libphonenumber strips a national prefix of the region's numbers when it parses them."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return meta is not None and bool(meta.national_prefix_for_parsing)


def _parse_e164(text: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def phone_e164(raw: str, *, region: str, russian_context: bool = False) -> str | None:
    """E.164 for one written phone number, or None when it is not a valid number.

    ``russian_context`` admits ``8 (9xx) ...`` as a Russian number when the default
    region is not Russia (the text says Russia, or a person typed it in a phone box).
    Memoised (bounded): the same suspects' numbers recur across reports.
    """
    stripped = raw.strip()
    digits = _NON_DIGIT.sub("", stripped)
    if not 7 <= len(digits) <= 15:
        return None
    if stripped.startswith("+"):
        return _e164("+" + digits, None)
    found = _without_plus(digits, region)
    if found:
        return found
    if len(digits) == 11 and digits[0] in "78" and (russian_context or digits[0] == "7"):
        found = _e164(digits, "RU")
        if found and digits[0] == "7" and not russian_context and " " not in stripped:
            # A bare 7 and ten digits without separators is as likely an ID as a phone.
            return None
        return found
    return None


def _without_plus(digits: str, region: str) -> str | None:
    """The readings of a number written without "+", first found wins: "00" as the
    international prefix, a national number, the region's country code without "+", a
    trunk 0 or 8 before a national number."""
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
        return _e164(digits[1:], region)
    return None


def looks_like_date_or_money(candidate: str) -> bool:
    """A run of digits that is written like a date, an amount or a version, not a phone."""
    text = candidate.strip()
    if _DATE.fullmatch(text):
        return True
    if text.startswith("+"):
        return False
    digits = _NON_DIGIT.sub("", text)
    if digits.endswith("000000"):
        return True  # 150 000 000: an amount; phone numbers almost never end so
    # Dotted groups are versions, IPs, dates or amounts far more often than phones,
    # except the regional habit of 93.555.12.34 (nine digits in four groups).
    return "." in text and (len(digits) != 9 or text.count(".") != 3)


def phone_in_context(
    candidate: str, before: str, after: str, *, region: str, text: str
) -> str | None:
    """Validate a candidate run found in free text, using its neighbourhood.

    The cheap tests of the context run before the number is parsed: most runs of
    digits in a report are dates, amounts and document numbers."""
    if not phone_context_ok(candidate, before, after):
        return None
    return phone_lookup(candidate, region, text)


def phone_context_ok(candidate: str, before: str, after: str) -> bool:
    """False when the run or its neighbourhood says date, money or document number."""
    if looks_like_date_or_money(candidate):
        return False
    before = before.lower()
    if _not_phone_marker(before) or _NOT_PHONE_AFTER.match(after.lower()):
        return False
    # Document words count only in the same sentence as the number.
    window = _SENTENCE_END.split(before[-28:])[-1]
    last_doc = None
    for last_doc in _DOCUMENT_WORDS.finditer(window):  # noqa: B007 - we want the last one
        pass
    return (
        last_doc is None
        or candidate.lstrip().startswith("+")
        or _PHONE_WORDS.search(window, last_doc.end()) is not None
    )


def phone_lookup(candidate: str, region: str, text: str) -> str | None:
    """E.164 for a run whose context passed, a Russian ``8 (9xx)`` number only where
    its format or the report (``text``) says Russia."""
    value = phone_e164(candidate, region=region)
    if value is None:
        if region == "RU" or count_digits(candidate) != 11:
            return None
        if not (_looks_russian_format(candidate) or _russian_context(text)):
            return None
        value = phone_e164(candidate, region=region, russian_context=True)
    return value


_NON_DIGIT = re.compile(r"[^0-9]+")
_SENTENCE_END = re.compile(r"[.!?;\n]\s")


def count_digits(text: str) -> int:
    """How many ASCII digits ``text`` holds."""
    return len(text) - len(text.translate(_WITHOUT_DIGITS))


_WITHOUT_DIGITS = str.maketrans("", "", "0123456789")


_RU_FORMAT = re.compile(r"\s*[78][\s\-]?\(?9\d\d\)?[\s\-]?\d{3}[\s\-]?\d\d[\s\-]?\d\d\s*")


def _looks_russian_format(candidate: str) -> bool:
    """``8 (916) 123-45-67``: the way Russian mobiles are written, and only them."""
    return bool(_RU_FORMAT.fullmatch(candidate)) and not candidate.strip().isdigit()


def split_groups(candidate: str) -> list[tuple[int, int]]:
    """Offsets of whitespace-separated groups inside a run, for sub-window search."""
    return [match.span() for match in _GROUP.finditer(candidate)]


_GROUP = re.compile(r"\S+")


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
