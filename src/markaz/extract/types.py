"""The public value types of :mod:`markaz.extract`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Every kind of indicator the package finds; the value is the stored kind name."""

    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    DOMAIN = "domain"
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    BTC = "btc"
    ETH = "eth"
    TRX = "trx"
    LTC = "ltc"
    XMR = "xmr"
    CARD = "card"
    IBAN = "iban"
    TELEGRAM = "telegram"
    INSTAGRAM = "instagram"
    WHATSAPP = "whatsapp"
    VK = "vk"
    OK = "ok"
    TIKTOK = "tiktok"
    FACEBOOK = "facebook"


KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)


class InvalidIndicator(ValueError):
    """A value that is not a valid indicator of the kind asked for."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


@dataclass(frozen=True, slots=True)
class CardFingerprint:
    """What may be kept of a payment card number: never the number itself.

    ``hmac`` is HMAC-SHA256 (hex) of the digits under the caller's key, for exact
    matching across reports; ``bin`` and ``last4`` are for display and for grouping
    by issuer. ``hmac`` is None when no key was given (then only display is possible).
    """

    bin: str
    last4: str
    length: int
    hmac: str | None

    @property
    def masked(self) -> str:
        """The number as a receipt shows it: BIN, stars, last four."""
        return self.bin + "*" * (self.length - 10) + self.last4

    def __str__(self) -> str:
        return self.masked


@dataclass(frozen=True, slots=True)
class Found:
    """One indicator found in a text.

    ``value`` is the normal form (what :func:`markaz.extract.normalize` returns), unique
    per kind. ``span`` is ``(start, end)`` into the text given to ``extract``; ``raw`` is
    that slice, except for cards, where ``raw`` is masked so that logging a ``Found``
    never writes a card number (the caller still holds the text and the span).
    ``warned`` is True when the value is on the caller's warning list: known-benign,
    kept but not meant to link reports.
    """

    kind: str
    value: str
    span: tuple[int, int]
    raw: str
    warned: bool = False
    card: CardFingerprint | None = None

    @property
    def start(self) -> int:
        return self.span[0]

    @property
    def end(self) -> int:
        return self.span[1]


# The generated __init__ of a frozen dataclass sets each field through a call of
# object.__setattr__; setting the slots through their descriptors skips that call (a
# find is built in 1.0 µs instead of 1.6, and extraction builds several per report).
_FOUND_SLOTS = tuple(
    getattr(Found, name).__set__ for name in ("kind", "value", "span", "raw", "warned", "card")
)


def new_found(
    kind: str,
    value: str,
    span: tuple[int, int],
    raw: str,
    warned: bool,
    card: CardFingerprint | None,
) -> Found:
    """``Found(kind, value, span, raw, warned, card)``, built faster."""
    found = object.__new__(Found)
    set_kind, set_value, set_span, set_raw, set_warned, set_card = _FOUND_SLOTS
    set_kind(found, kind)
    set_value(found, value)
    set_span(found, span)
    set_raw(found, raw)
    set_warned(found, warned)
    set_card(found, card)
    return found
