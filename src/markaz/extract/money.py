"""Payment cards, IBANs and crypto-currency addresses."""

from __future__ import annotations

import hmac
import re
from functools import lru_cache

from stdnum import numdb
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, ValidationError
from stdnum.iso7064 import mod_97_10
from stdnum.util import NumberValidationModule, get_cc_module

from .checksums import (
    b58check_decode,
    eip55_checksum,
    keccak256,
    segwit_decode,
    xmr_b58decode,
)
from .types import CardFingerprint, InvalidIndicator, Kind

_CARD_SEPARATORS = re.compile(r"[ \-\u00a0]")


def _card_grouping_ok(raw: str) -> bool:
    """Card-like grouping: contiguous, fours (last group 1-4), or 4-6-5 / 4-6-4."""
    parts = _CARD_SEPARATORS.split(raw)
    if len(parts) == 1:
        return True
    if raw.count(raw[len(parts[0])]) != len(parts) - 1:
        return False  # more than one kind of separator
    groups = [len(g) for g in parts]
    if groups in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4


def _card_prefix_ok(digits: str) -> bool:
    # 2-6: Mir, Visa, Mastercard, Amex, UnionPay, JCB, Discover, Maestro; 9: national
    # schemes (Korti Milli, Humo); 8600: Uzcard.
    return digits[0] in "234569" or digits.startswith("8600")


def card_digits(raw: str) -> str:
    """The digits of a card number written in a card-like way, or InvalidIndicator."""
    text = raw.strip()
    if not text:
        raise InvalidIndicator(Kind.CARD, "empty")
    digits = _CARD_SEPARATORS.sub("", text)
    if not digits.isdigit() or not digits.isascii():
        raise InvalidIndicator(Kind.CARD, "a card number has only digits, spaces and dashes")
    if not 13 <= len(digits) <= 19:
        raise InvalidIndicator(Kind.CARD, f"a card number has 13-19 digits, not {len(digits)}")
    if not _card_grouping_ok(text):
        raise InvalidIndicator(Kind.CARD, "digits are not grouped like a card number")
    if not _card_prefix_ok(digits):
        raise InvalidIndicator(Kind.CARD, "no card scheme starts with this digit")
    if not luhn_ok(digits):
        raise InvalidIndicator(Kind.CARD, "Luhn check digit does not match")
    return digits


# Luhn: every second digit from the right is doubled, and 10-18 count their digit sum.
_LUHN_DOUBLED = str.maketrans(
    "0123456789", "".join(str(2 * d // 10 + 2 * d % 10) for d in range(10))
)


def luhn_ok(digits: str) -> bool:
    """The Luhn check of an ASCII digit string (python-stdnum's ``luhn.is_valid``, for
    decimal digits only, without its generic alphabet: 4x faster on a card number)."""
    total = sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_LUHN_DOUBLED)))
    return total % 10 == 0


def fingerprint_digits(digits: str, key: bytes | None) -> CardFingerprint:
    mac = _card_mac(key, digits) if key else None
    return CardFingerprint(bin=digits[:6], last4=digits[-4:], length=len(digits), hmac=mac)


def _card_mac(key: bytes, digits: str) -> str:
    """HMAC-SHA256 (hex) of a card's digits: a copy of the key's HMAC state (the key
    schedule and the digest's look-up done once per key, not once per card)."""
    mac = _keyed_hmac(key).copy()
    mac.update(digits.encode("ascii"))
    return mac.hexdigest()


@lru_cache(maxsize=4)  # the instance's card key (and a test's)
def _keyed_hmac(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod="sha256")


def card_value(fp: CardFingerprint) -> str:
    """What leaves the package as a card's ``value``: the HMAC when keyed, else the mask."""
    return fp.hmac if fp.hmac is not None else fp.masked


def mask_raw(raw: str) -> str:
    """The raw text of a card with every digit but the BIN and the last four starred."""
    positions = [i for i, ch in enumerate(raw) if ch.isdigit()]
    if len(positions) <= 10:
        return raw
    out = list(raw)
    for i in positions[6:-4]:
        out[i] = "*"
    return "".join(out)


def _message(exc: ValidationError) -> str:
    """The message a python-stdnum error class carries (its stub does not declare it)."""
    message: str = getattr(exc, "message", "")
    return message


_IBAN_SEPARATORS = re.compile(r"[\s\-]")


def normalize_iban(raw: str) -> str:
    compact = _IBAN_SEPARATORS.sub("", raw).upper()
    try:
        return iban_validate(compact)
    except ValidationError as exc:
        raise InvalidIndicator(Kind.IBAN, f"{raw!r}: {_message(exc)}") from None


_IBAN_DB = numdb.get("iban")
_IBAN_STRUCTURE = re.compile(r"([1-9][0-9]*)!([nac])")
_IBAN_CLASSES = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}


@lru_cache(maxsize=1024)  # one entry per two-letter prefix: at most 26 * 26
def _iban_country(code: str) -> tuple[re.Pattern[str], NumberValidationModule | None] | None:
    """The BBAN format of a country (python-stdnum's IBAN registry) and its national
    check module, or None for a code with no IBAN."""
    props = _IBAN_DB.info(code)[0][1]
    if not props:
        return None
    bban = _IBAN_STRUCTURE.sub(
        lambda m: f"{_IBAN_CLASSES[m.group(2)]}{{{m.group(1)}}}", props.get("bban", "")
    )
    return re.compile(bban), get_cc_module(code, "iban")


# ISO 7064 mod 97-10 reads each letter as two digits (A=10 ... Z=35).
_BASE10 = str.maketrans({chr(ord("A") + i): str(10 + i) for i in range(26)})


def _mod_97_10_validate(number: str) -> None:
    """``mod_97_10.validate`` for an IBAN in upper-case ASCII letters and digits without
    its per-character ``int(x, 36)``; anything else is left to stdnum's own."""
    if not (number.isascii() and number.isalnum() and number == number.upper()):
        mod_97_10.validate(number)
    elif int(number.translate(_BASE10)) % 97 != 1:
        raise InvalidChecksum()


def iban_validate(number: str) -> str:
    """python-stdnum's ``iban.validate`` (same checks, same exceptions, same order) with
    the registry look-up and the format pattern kept per country: stdnum's own looks the
    country up in its registry and builds the pattern on every call, 20 µs an IBAN.
    ``tests/extract/test_extract_checksums.py`` holds the two to the same answers."""
    number = number.replace(" ", "").replace("-", "").replace(".", "").strip().upper()
    _mod_97_10_validate(number[4:] + number[:4])
    country = _iban_country(number[:2])
    if country is None:
        raise InvalidComponent()
    bban, module = country
    if not bban.fullmatch(number[4:]):
        raise InvalidFormat()
    if module is not None:
        module.validate(number)
    return number


# --- crypto-currency addresses -----------------------------------------------------------

_BTC_VERSIONS = {0x00, 0x05}
_LTC_VERSIONS = {0x30, 0x32}  # L... and M...; 3... (0x05) is shared with Bitcoin P2SH
_XMR_PREFIXES = {0x12: 69, 0x13: 77, 0x2A: 69}  # standard, integrated, subaddress


def crypto_kind(raw: str) -> tuple[str, str] | None:
    """(kind, normal value) for a crypto-currency address, or None."""
    text = raw.strip()
    low = text.lower()
    if low.startswith("0x"):
        value = eth_normal(text)
        return (Kind.ETH, value) if value else None
    if low.startswith("bc1"):
        return (Kind.BTC, low) if segwit_decode("bc", text) else None
    if low.startswith("ltc1"):
        return (Kind.LTC, low) if segwit_decode("ltc", text) else None
    if 25 <= len(text) <= 35:
        return _base58check_kind(text)
    if len(text) in (95, 106):
        return (Kind.XMR, text) if _monero_ok(text) else None
    return None


# Base58Check version bytes of the chains that share Bitcoin's alphabet.
_BASE58_KINDS = {
    **dict.fromkeys(_BTC_VERSIONS, Kind.BTC),
    **dict.fromkeys(_LTC_VERSIONS, Kind.LTC),
    0x41: Kind.TRX,
}


def _base58check_kind(text: str) -> tuple[str, str] | None:
    body = b58check_decode(text)
    if body is None or len(body) != 21:
        return None
    kind = _BASE58_KINDS.get(body[0])
    return (kind, text) if kind is not None else None


def _monero_ok(text: str) -> bool:
    raw_bytes = xmr_b58decode(text)
    if raw_bytes is None or not raw_bytes or raw_bytes[0] not in _XMR_PREFIXES:
        return False
    if len(raw_bytes) != _XMR_PREFIXES[raw_bytes[0]]:
        return False
    return keccak256(raw_bytes[:-4])[:4] == raw_bytes[-4:]


_HEX40 = re.compile(r"0[xX]([0-9a-fA-F]{40})")


def eth_normal(text: str) -> str | None:
    """Lower-case 0x address; a mixed-case one must pass EIP-55."""
    match = _HEX40.fullmatch(text)
    if not match:
        return None
    body = match.group(1)
    if body != body.lower() and body != body.upper() and eip55_checksum(body) != body:
        return None
    return "0x" + body.lower()


_CRYPTO_NAMES = {
    Kind.BTC: "Bitcoin",
    Kind.ETH: "Ethereum",
    Kind.TRX: "TRON",
    Kind.LTC: "Litecoin",
    Kind.XMR: "Monero",
}


def normalize_crypto(kind: str, raw: str) -> str:
    found = crypto_kind(raw)
    if found is None:
        raise InvalidIndicator(kind, f"{raw!r} is not a valid address (checksum or format)")
    found_kind, value = found
    if found_kind != kind:
        raise InvalidIndicator(
            kind, f"{raw!r} is a {_CRYPTO_NAMES[Kind(found_kind)]} address, not {kind}"
        )
    return value
