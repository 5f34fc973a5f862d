"""Indicators of crime in free text: phones, e-mails, links, wallets, cards, accounts.

Framework-free (no Django): ``extract`` finds every indicator in a text, ``normalize``
turns one typed value into its normal form, ``card_fingerprint`` gives what may be kept
of a card number. See ``docs/extract.md`` for the kinds, normal forms and limits.

    >>> [(f.kind, f.value) for f in extract("тел. +992 (93) 555-12-34, сайт tcell[.]top")]
    [('phone', '+992935551234'), ('domain', 'tcell.top')]
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from . import money, phones, social, web
from .scanner import scan
from .types import KINDS, CardFingerprint, Found, InvalidIndicator, Kind

__all__ = [
    "KINDS",
    "CardFingerprint",
    "Found",
    "InvalidIndicator",
    "Kind",
    "card_fingerprint",
    "extract",
    "normalize",
]

_SOCIAL = {
    Kind.TELEGRAM,
    Kind.INSTAGRAM,
    Kind.WHATSAPP,
    Kind.VK,
    Kind.OK,
    Kind.TIKTOK,
    Kind.FACEBOOK,
}
_CRYPTO = {Kind.BTC, Kind.ETH, Kind.TRX, Kind.LTC, Kind.XMR}


def extract(
    text: str,
    *,
    region: str = "TJ",
    card_key: bytes | None = None,
    warning_list: Collection[str] | None = None,
) -> list[Found]:
    """Every indicator in ``text``, in order of position, none overlapping another.

    ``region`` is the ISO 3166 country whose local phone formats are assumed.
    ``card_key`` keys the HMAC that becomes a card's ``value`` (without it, a card's
    value is only its mask, e.g. ``440043******1234``, good for display, not matching).
    ``warning_list`` holds normal values known to be benign (``gmail.com``, a bank's
    hotline): such finds are kept, with ``warned=True``.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, not {type(text).__name__}")
    return scan(text, region=region, card_key=card_key, warning_list=warning_list)


def normalize(kind: str, raw: str, *, region: str = "TJ", card_key: bytes | None = None) -> str:
    """The normal form of one value typed into a field for ``kind``.

    Raises :class:`InvalidIndicator` (a ``ValueError``) saying why when ``raw`` is not a
    valid indicator of that kind. For ``card``, the result is the HMAC under
    ``card_key`` (or the mask without a key), as in :func:`extract`.
    """
    if kind not in KINDS:
        raise InvalidIndicator(kind, f"unknown kind; known kinds are {', '.join(KINDS)}")
    kind = Kind(kind)
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidIndicator(kind, "empty value")
    if len(raw) > 2048:
        raise InvalidIndicator(kind, "longer than 2048 characters")
    if kind == Kind.PHONE:
        return phones.normalize_phone(raw, region=region)
    if kind == Kind.CARD:
        return money.card_value(card_fingerprint(raw, card_key))
    if kind in _CRYPTO:
        return money.normalize_crypto(kind, raw)
    if kind in _SOCIAL:
        return social.normalize_handle(kind, raw, region=region)
    return _NORMALISERS[kind](raw)


# The kinds whose normal form depends on the value alone.
_NORMALISERS: dict[str, Callable[[str], str]] = {
    Kind.EMAIL: web.normalize_email,
    Kind.URL: web.normalize_url,
    Kind.DOMAIN: web.normalize_domain,
    Kind.IPV4: web.normalize_ipv4,
    Kind.IPV6: web.normalize_ipv6,
    Kind.IBAN: money.normalize_iban,
}


def card_fingerprint(raw: str, key: bytes | None) -> CardFingerprint:
    """BIN, last four and keyed HMAC-SHA256 of a card number; the number is not kept.

    Raises :class:`InvalidIndicator` when ``raw`` is not a Luhn-valid 13-19 digit
    number written like a card. Pass the instance's card key: without one, ``hmac``
    is None and the fingerprint cannot match cards across reports.
    """
    return money.fingerprint_digits(money.card_digits(raw), key)
