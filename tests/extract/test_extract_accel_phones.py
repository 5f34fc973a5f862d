"""The compiled phone look-up (``_scan.phone_lookup``) answers as ``phones.phone_lookup``:
the same readings of a run of digits (international, national, trunk 0 or 8, country
code without +, 00, Russian), the same questions to libphonenumber."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import phones

_scan = pytest.importorskip("markaz.extract._scan")  # test_extract_accel: must be built

PREFIXES = ["", "+", "+992", "992", "+7", "8", "7", "00", "0", "+998", "+1", "00992", "+7 8"]
PREFIXES += ["8 (9", "(", "+992 (", "1", "+86", "+44"]
REGIONS = ["TJ", "RU", "UZ", "US", "DE", "KZ", "GB", "CN"]
TEXTS = ["", "звонили из Москвы", "обычный текст", "+7 contact"]


@st.composite
def candidates(draw):
    digits = draw(st.text(alphabet="0123456789", min_size=3, max_size=14))
    separator = draw(st.sampled_from(["", " ", "-", "\u00a0", ".", ") "]))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=8))
    groups, at = [], 0
    for size in sizes:
        groups.append(digits[at : at + size])
        at += size
    body = separator.join(group for group in groups + [digits[at:]] if group)
    padding = draw(st.sampled_from(["", " ", "\t"]))
    return padding + draw(st.sampled_from(PREFIXES)) + body + padding


@settings(max_examples=4000, deadline=None)
@given(candidates(), st.sampled_from(REGIONS), st.sampled_from(TEXTS))
def test_compiled_phone_lookup_is_the_python_one(candidate, region, text):
    phones.phone_e164.cache_clear()
    text = f"{text} {candidate}"
    assert _scan.phone_lookup(candidate, region, text) == phones.phone_lookup(
        candidate, region, text
    )


@pytest.mark.parametrize(
    ("candidate", "region", "text", "value"),
    [
        ("93 555 12 34", "TJ", "", "+992935551234"),
        ("0 918 654 321", "TJ", "", "+992918654321"),
        ("992 91 777 88 99", "TJ", "", "+992917778899"),
        ("8 (916) 123-45-67", "TJ", "", "+79161234567"),  # written as Russians write
        ("89161234567", "TJ", "", None),  # bare: Russian only where the report says so
        ("89161234567", "TJ", "звонили из Москвы", "+79161234567"),
        ("00992935551234", "TJ", "", "+992935551234"),
        ("+998 90 123 45 67", "TJ", "", "+998901234567"),
    ],
)
def test_compiled_phone_lookup(candidate, region, text, value):
    assert _scan.phone_lookup(candidate, region, text) == value
    assert phones.phone_lookup(candidate, region, text) == value


def test_an_unknown_region_is_refused_as_by_the_python():
    with pytest.raises(ValueError, match="unknown phone region"):
        _scan.phone_lookup("93 555 12 34", "XX", "")
