"""Any identifier, in any format the public writes it, finds its indicator."""

from __future__ import annotations

import pytest

from markaz.cases.correlation import indicator_search
from tests.intel.conftest import submit


@pytest.fixture
def indexed(db):
    submit(
        ("phone", "+992 93 555 12 34"),
        ("website", "https://x.com"),
        ("card", "4400 4301 2345 6789"),
        ("social", "@somon_shop_tj"),
        ("crypto", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"),
        narrative="Сайт tcell-bonus.top, почта scam.boss@mail.ru",
    )


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("93 555 12 34", "phone"),
        ("+992935551234", "phone"),
        ("8 (93) 555-12-34", "phone"),
        ("hxxp://x[.]com", "url"),
        ("4400430123456789", "card"),
        ("4400 4301 2345 6789", "card"),
        ("4400-4301-2345-6789", "card"),
        ("@Somon_Shop_TJ", "telegram"),
        ("https://t.me/somon_shop_tj", "telegram"),
        ("tcell-bonus[.]top", "domain"),
        ("SCAM.BOSS@MAIL.RU", "email"),
        ("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "trx"),
    ],
)
def test_search_in_any_format(indexed, analyst, query, kind):
    assert kind in {i.kind for i in indicator_search(user=analyst, query=query)}


def test_card_search_matches_by_hmac_not_digits(indexed, analyst):
    (card,) = [i for i in indicator_search(user=analyst, query="4400430123456789")]
    assert card.kind == "card" and "4301" not in card.value
    assert indicator_search(user=analyst, query="4400430123456788") == []


def test_unknown_identifier_finds_nothing(indexed, analyst):
    assert indicator_search(user=analyst, query="+992 90 000 00 00") == []
