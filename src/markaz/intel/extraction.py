"""The glue between a stored report and :mod:`markaz.extract`: which values it names, as whom.

Pure reading: nothing here writes. ``report_occurrences`` turns a report's structured
suspect identifiers (via ``normalize``), its narrative (via ``extract``) and the victim's
own contact details into one list of :class:`Occurrence`, one per (kind, value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from markaz.core.country import current_country
from markaz.core.keys import instance_secret
from markaz.extract import (
    CardFingerprint,
    InvalidIndicator,
    Kind,
    card_fingerprint,
    extract,
    normalize,
)
from markaz.intake.choices import IdentifierKind
from markaz.intel.choices import SightingField, SightingRole

SOCIAL_KINDS = (
    Kind.TELEGRAM,
    Kind.INSTAGRAM,
    Kind.WHATSAPP,
    Kind.TIKTOK,
    Kind.VK,
    Kind.OK,
    Kind.FACEBOOK,
)
CRYPTO_KINDS = (Kind.BTC, Kind.ETH, Kind.TRX, Kind.LTC, Kind.XMR)

# Which extract kinds a structured identifier field may hold, most likely first.
# SOCIAL is decided by the value's form (see ``social_kinds_for``); OTHER goes through
# ``extract`` as free text.
IDENTIFIER_KINDS: dict[str, tuple[str, ...]] = {
    IdentifierKind.PHONE: (Kind.PHONE,),
    IdentifierKind.EMAIL: (Kind.EMAIL,),
    IdentifierKind.WEBSITE: (Kind.DOMAIN, Kind.URL, Kind.IPV4, Kind.IPV6),
    IdentifierKind.CRYPTO: CRYPTO_KINDS,
    IdentifierKind.CARD: (Kind.CARD,),
    IdentifierKind.BANK_ACCOUNT: (Kind.IBAN, Kind.CARD),
}

# A network named before the handle: "instagram: @shop", "tiktok @shop", "ig shop".
_NETWORK_PREFIX = re.compile(
    r"^\s*(?P<word>telegram|телеграмм?|tg|тг|instagram|инстаграмм?|insta|инста|ig|tiktok|тикток"
    r"|vk|вк|вконтакте|ok|одноклассники|facebook|фейсбук|fb|whatsapp|ватсап|вотсап)\b[\s:@-]*",
    re.IGNORECASE,
)
_NETWORK_WORDS = {
    Kind.TELEGRAM: ("telegram", "телеграм", "телеграмм", "tg", "тг"),
    Kind.INSTAGRAM: ("instagram", "инстаграм", "инстаграмм", "insta", "инста", "ig"),
    Kind.TIKTOK: ("tiktok", "тикток"),
    Kind.VK: ("vk", "вк", "вконтакте"),
    Kind.OK: ("ok", "одноклассники"),
    Kind.FACEBOOK: ("facebook", "фейсбук", "fb"),
    Kind.WHATSAPP: ("whatsapp", "ватсап", "вотсап"),
}


@dataclass(frozen=True)
class Occurrence:
    kind: str
    value: str
    role: str
    field: str
    offset: int | None
    raw: str
    card: CardFingerprint | None = None


@dataclass
class Reading:
    """What a report names, and the identifiers that could not be read (kept raw)."""

    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[dict[str, object]] = field(default_factory=list)


def card_key() -> bytes:
    """The instance's card HMAC key, from the data directory (0600), never the database."""
    return bytes.fromhex(instance_secret(settings.DATA_DIR, "card_hmac_key", nbytes=32))


def phone_region() -> str:
    return current_country().phone_region


def social_kinds_for(raw: str) -> tuple[tuple[str, ...], str]:
    """(kinds to try, text) for a value typed into the "social network account" field.

    A profile link names its network (t.me/x, instagram.com/x, wa.me/992...); a network
    word before the handle names it too ("instagram @x"); a phone number is WhatsApp;
    a bare ``@handle`` or name is Telegram, the messenger most scams in the region use,
    unless its form rules Telegram out (a dot: Instagram, TikTok).
    """
    text = raw.strip()
    match = _NETWORK_PREFIX.match(text)
    if match and match.end() < len(text):
        word = match.group("word").lower()
        for kind, words in _NETWORK_WORDS.items():
            if word in words:
                return (kind,), text[match.end() :].strip()
    lowered = text.lower()
    if "/" in lowered or lowered.startswith(("t.me", "wa.me")):
        return SOCIAL_KINDS, text  # a link: only its own network accepts it
    if re.fullmatch(r"[+\d\s()\-]{7,}", text):
        return (Kind.WHATSAPP,), text
    if "." in text:
        return (Kind.INSTAGRAM, Kind.TIKTOK), text
    return (Kind.TELEGRAM,), text


def card_compact(raw: str) -> str:
    return re.sub(r"[\s\-.]", "", raw)


def normalize_first(
    kinds: tuple[str, ...], raw: str, *, region: str, key: bytes
) -> tuple[str, str] | None:
    """(kind, value) for the first kind that accepts ``raw``, else None."""
    for kind in kinds:
        try:
            return kind, normalize(kind, raw, region=region, card_key=key)
        except InvalidIndicator:
            continue
    return None


def _clip(raw: str) -> str:
    return raw[:300]


def _identifier_occurrences(
    kind: str, raw: str, row: int, *, region: str, key: bytes
) -> tuple[list[Occurrence], str]:
    """Occurrences from one structured identifier, or ([], reason) when none."""
    role, where = SightingRole.SUSPECT, SightingField.SUSPECT_IDENTIFIER
    kinds: tuple[str, ...]
    if kind == IdentifierKind.SOCIAL:
        kinds, text = social_kinds_for(raw)
    else:
        kinds, text = IDENTIFIER_KINDS.get(kind, ()), raw
    hit = normalize_first(kinds, text, region=region, key=key) if kinds else None
    if hit is None and Kind.CARD in kinds:
        # Typed into a card box, any grouping means a card ("5440 371526956489"); the
        # grouping rule of ``normalize`` is there for free text.
        text = card_compact(text)
        hit = normalize_first((Kind.CARD,), text, region=region, key=key)
    if hit is not None:
        found_kind, value = hit
        fingerprint = card_fingerprint(text, key) if found_kind == Kind.CARD else None
        shown = fingerprint.masked if fingerprint else _clip(raw)
        return [Occurrence(found_kind, value, role, where, row, shown, fingerprint)], ""
    # Not what the field says (a link typed as a phone, several values in one box):
    # read it as free text before giving up. Its raw text stays on the report either way.
    found = extract(raw, region=region, card_key=key)
    if found:
        return [
            Occurrence(f.kind, f.value, role, where, row, _clip(f.raw), f.card) for f in found
        ], ""
    return [], f"not a valid {kind}" if kinds else "no identifier found in the text"


class ReportText(Protocol):
    """What a reading reads of a report: a stored one, or the draft it is about to be."""

    @property
    def narrative(self) -> str: ...

    @property
    def victim_phone(self) -> str: ...

    @property
    def victim_email(self) -> str: ...


def report_occurrences(
    report: ReportText, *, identifiers: list[tuple[str, str]], key: bytes | None = None
) -> Reading:
    """Everything ``report`` names with its suspect ``identifiers`` ((kind, value) rows),
    one occurrence per (kind, value).

    Precedence when a value appears more than once: the victim's own role wins (their
    phone written in the narrative is still theirs and must not link), then the
    structured field, then the narrative. ``key``: the card HMAC key, when the caller
    already read it (a batch reads the key file once, not once per report).
    """
    region = phone_region()
    key = key or card_key()
    reading = Reading()
    victim = _victim_occurrences(report, region=region, key=key)
    suspect: list[Occurrence] = []
    for row, (kind, raw) in enumerate(identifiers):
        found, reason = _identifier_occurrences(kind, raw, row, region=region, key=key)
        suspect.extend(found)
        if not found:
            reading.problems.append({"row": row, "kind": kind, "reason": reason})
    suspect.extend(
        Occurrence(
            f.kind,
            f.value,
            SightingRole.SUSPECT,
            SightingField.NARRATIVE,
            f.start,
            _clip(f.raw),
            f.card,
        )
        for f in extract(report.narrative, region=region, card_key=key)
    )
    seen: set[tuple[str, str]] = set()
    for occurrence in [*victim, *suspect]:
        pair = (occurrence.kind, occurrence.value)
        if pair not in seen:
            seen.add(pair)
            reading.occurrences.append(occurrence)
    return reading


def _victim_occurrences(report: ReportText, *, region: str, key: bytes) -> list[Occurrence]:
    """The victim's own phone (and so their WhatsApp) and e-mail address, when valid."""
    victim: list[Occurrence] = []
    for field_name, kind, raw in (
        (SightingField.VICTIM_PHONE, Kind.PHONE, report.victim_phone),
        (SightingField.VICTIM_EMAIL, Kind.EMAIL, report.victim_email),
    ):
        if not raw.strip():
            continue
        try:
            value = normalize(kind, raw, region=region, card_key=key)
        except InvalidIndicator:
            continue  # the victim's own detail: nothing to link, nothing to report
        victim.append(Occurrence(kind, value, SightingRole.VICTIM, field_name, None, _clip(raw)))
        if kind == Kind.PHONE:
            # Their WhatsApp is their phone: never a suspect's.
            victim.append(
                Occurrence(Kind.WHATSAPP, value, SightingRole.VICTIM, field_name, None, _clip(raw))
            )
    return victim


ReadingKey = tuple[str, str, str, tuple[tuple[str, str], ...]]


def reading_key(report: ReportText, identifiers: list[tuple[str, str]]) -> ReadingKey:
    """Everything ``report_occurrences`` reads from a report (or a draft of one).

    Two reports with the same key have the same reading (the instance's region and card
    key are the same for both), so a reading computed ahead, before the report was
    stored, can stand for it.
    """
    return (report.narrative, report.victim_phone, report.victim_email, tuple(identifiers))
