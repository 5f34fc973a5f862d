"""The phone validity test made from libphonenumber's metadata is the one it defines.

``phones._valid_pattern`` folds a region's general pattern and its number types (and,
for a calling code shared by several regions, all of them) into one pattern. These tests
hold it to the definition, written out here with the metadata directly: a possible
length, the general pattern, and the pattern of one number type, in one of the regions.
"""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import phones


def _by_definition(regions: tuple[str, ...], national: str) -> bool:
    for region in regions:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is None or meta.general_desc is None:
            continue
        if len(national) not in (meta.general_desc.possible_length or ()):
            continue
        general = meta.general_desc.national_number_pattern
        if not general or not re.fullmatch(general, national):
            continue
        for name in phones._TYPES:
            pattern = getattr(getattr(meta, name), "national_number_pattern", None)
            if pattern and re.fullmatch(pattern, national):
                return True
    return False


CODES = [992, 7, 1, 998, 996, 44, 49, 90, 86, 971, 380, 375, 93, 98]
prefixes = st.sampled_from(["9", "93", "91", "50", "55", "77", "88", "2", "3", "4", "8", "0", ""])


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(CODES), prefixes, st.text(alphabet="0123456789", min_size=4, max_size=12))
def test_valid_in_is_libphonenumbers_rule(code, prefix, rest):
    regions = tuple(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code])
    national = prefix + rest
    assert phones._valid_in(regions, national) == _by_definition(regions, national)


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("992935551234", "+992935551234"),
        ("12125550100", "+12125550100"),  # one of the 25 regions of +1
        ("79161234567", "+79161234567"),
        ("99212345", None),  # five digits: no Tajik number is that short
    ],
)
def test_international_numbers(digits, expected):
    assert phones._international(digits) == expected


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
def test_phone_lookup(candidate, region, text, value):
    assert phones.phone_lookup(candidate, region, text) == value


def test_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown phone region"):
        phones.phone_lookup("93 555 12 34", "XX", "")


russian_nationals = st.builds(
    lambda prefix, rest: (prefix + rest)[:10],
    st.sampled_from(["9", "91", "92", "95", "98", "3", "34", "4", "49", "8", "80", "7", "1", "0"]),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


@settings(max_examples=1500, deadline=None)
@given(russian_nationals)
def test_russian_trunk_8_is_read_as_phonenumbers_parses_it(national):
    expected = phones._parse_e164("8" + national, "RU")
    assert phones._e164("8" + national, "RU") == expected
