"""The memo of candidate checks: it changes no result and never holds a card number."""

from __future__ import annotations

import pytest

from markaz.extract import extract, phones, scanner

KEY = b"unit-test-key"
CARD = "4400 4301 2345 6789"  # Luhn-valid
TEXT = (
    f"Перевёл на карту {CARD}, звонили с +992 93 555 12 34 и 93 555 12 34. "
    "Сайт bonus-pay[.]top, почта ivan[at]mail[.]ru, IBAN DE89 3704 0044 0532 0130 00, "
    "ссылка hxxps://bonus-pay[.]top/login, кошелёк TQbo12RjRmrpib4ttG45dQr6G9Lp9nK3oP."
)
MEMOISED = ("_email_value", "_domain_value", "_url_value", "_iban_value", "_crypto_value")


def _finds(text: str) -> list[tuple[str, str, tuple[int, int], str]]:
    return [(f.kind, f.value, f.span, f.raw) for f in extract(text, card_key=KEY)]


def test_a_warm_memo_gives_what_a_cold_one_gives():
    phones.phone_e164.cache_clear()
    for name in MEMOISED:
        getattr(scanner, name).cache_clear()
    cold = _finds(TEXT)
    assert _finds(TEXT) == cold
    assert {kind for kind, *_ in cold} >= {"card", "phone", "domain", "email", "iban", "url"}


def _recording(function, seen: list[str]):
    def wrapper(*args, **kwargs):
        seen.extend(str(arg) for arg in args)
        return function(*args, **kwargs)

    return wrapper


def test_card_numbers_never_reach_a_memoised_check(monkeypatch: pytest.MonkeyPatch):
    seen: list[str] = []
    monkeypatch.setattr(phones, "phone_e164", _recording(phones.phone_e164, seen))
    for name in MEMOISED:
        monkeypatch.setattr(scanner, name, _recording(getattr(scanner, name), seen))
    found = extract(TEXT, card_key=KEY)
    assert any(f.kind == "card" for f in found)
    assert seen  # the recorder is in the path
    digits = CARD.replace(" ", "")
    assert not any(digits in "".join(ch for ch in arg if ch.isdigit()) for arg in seen)
