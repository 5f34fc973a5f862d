"""The checks of one candidate: what a link, host, address, wallet or IBAN written in a
report becomes (its kind and normal form), or None when it is not one."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import scanner, social, web


def url_value(raw: str) -> tuple[str, str] | None:
    found = scanner._url_value.__wrapped__(raw, "TJ")
    return None if found is None else (str(found[0]), found[1])


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        ("https://example.com/login", ("url", "https://example.com/login")),
        ("HXXPS://Bonus-Pay.TOP:443/x#f", ("url", "https://bonus-pay.top/x#f")),
        ("hxxp://1.2.3.4:8080", ("url", "http://1.2.3.4:8080/")),
        ("bit.ly/abc?", ("url", "https://bit.ly/abc")),
        ("t.me/s/bonus_tj", ("telegram", "bonus_tj")),
        ("https://www.instagram.com/ivan.petrov/", ("instagram", "ivan.petrov")),
        ("https://tiktok.com/@Name", ("tiktok", "name")),
        ("https://ok.ru/profile/123", ("ok", "123")),
        ("https://t.me/joinchat", ("url", "https://t.me/joinchat")),  # a page, not an account
        ("hxxps[:]//bonus[.]tj/x", ("url", "https://bonus.tj/x")),
        ("https://Бонус.РФ/x", ("url", "https://xn--90aycnj.xn--p1ai/x")),
        ("http://a.com:99999/", None),
        ("ftp://x.notld/", None),
        ("https://wa.me/992935551234", ("whatsapp", "+992935551234")),
        ("https://facebook.com/profile.php?id=1", ("facebook", "1")),
        ("https://user@example.com/", ("url", "https://user@example.com/")),
        ("https://бонус.рф/путь", ("url", "https://xn--90aycnj.xn--p1ai/путь")),
        ("https://ҳисоб.tj/", ("url", "https://xn--90ansl28c.tj/")),  # nameprep decides
        ("https://[::1]/", ("url", "https://[::1]/")),
    ],
)
def test_link_values(raw, found):
    assert url_value(raw) == found


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("WWW.Bonus-Pay.TOP.", "bonus-pay.top"),
        ("www.co.uk", "www.co.uk"),  # "co.uk" alone is a suffix: the www. stays
        ("invoice.zip", None),
        ("x.notld", None),
        ("bonus [.] tj", "bonus.tj"),
        ("бонус(dot)рф", "xn--90aycnj.xn--p1ai"),
        ("бонус.онлайн", None),  # a Cyrillic suffix read as a word in free text
        ("ҳисоб.tj", "xn--90ansl28c.tj"),  # the idna codec's nameprep decides
    ],
)
def test_host_values(raw, value):
    assert scanner._domain_value.__wrapped__(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Ivan.Petrov@Mail.RU", "ivan.petrov@mail.ru"),
        ("a..b@mail.ru", None),
        ("ivan@invoice.notld", None),
        ("ivan [at] mail [dot] ru", "ivan@mail.ru"),
        ("ivan@почта.рф", "ivan@xn--80a1acny.xn--p1ai"),
        ("ivan@ҳисоб.tj", "ivan@xn--90ansl28c.tj"),
    ],
)
def test_address_values(raw, value):
    assert scanner._email_value.__wrapped__(raw) == value


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", None),  # checksum
        (
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            ("btc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
        ),
        (
            "0X52908400098527886E0F7030069857D2E4169EE7",
            ("eth", "0x52908400098527886e0f7030069857d2e4169ee7"),
        ),
        (  # EIP-55 mixed case
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            ("eth", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        ),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", None),  # EIP-55 broken
        ("TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", ("trx", "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW")),
    ],
)
def test_wallet_values(raw, found):
    answer = scanner._crypto_value.__wrapped__(raw)
    assert (None if answer is None else (str(answer[0]), answer[1])) == found


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("GB82 WEST 1234 5698 7654 33", None),  # checksum
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
        ("BE68 5390 0754 7034", None),  # mod 97 holds; python-stdnum's Belgian check does not
    ],
)
def test_iban_values(raw, value):
    assert scanner._iban_value.__wrapped__(raw) == value


@pytest.mark.parametrize(
    ("kind", "handle", "ok"),
    [
        ("telegram", "bonus_tj", True),
        ("telegram", "joinchat", False),  # a page of the site
        ("telegram", "abc", False),
        ("instagram", "a..b", False),
        ("instagram", "ivan.petrov", True),
        ("facebook", "ivan_p", False),
        ("whatsapp", "someone", False),
    ],
)
def test_handle_rules(kind, handle, ok):
    assert social.handle_ok(kind, handle) is ok


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
        ("::10.0.0.1", "::a00:1"),
        ("::", "::"),
        ("1::", "1::"),
        ("1:2:3:4:5:6:7:8:9", None),
        ("1::2::3", None),
        ("::01.2.3.4", None),
        ("1:0:0:2:3:4:5:6", "1::2:3:4:5:6"),  # a run of two zero groups is compressed
        ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),  # the first of two equal runs
        ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),  # a single zero group is not
        ("0:0:0:0:0:ffff:a00:1", "::ffff:10.0.0.1"),
        ("ffff::ffff:", None),
    ],
)
def test_ipv6_normal_forms(text, value):
    assert web.ip_normal(text) == value


def _ipaddress_normal(text: str) -> str | None:
    """The normal form by the standard library's ipaddress."""
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    if address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


ipv6_texts = st.lists(
    st.sampled_from(
        ["0", "1", "a", "F", "ffff", "abcd", "12345", "0db8", "0000", ":", "::", "::ffff:"]
        + [".", "1.2.3.4", "255", "256", "01", "%eth0"]
    ),
    min_size=1,
    max_size=14,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(ipv6_texts)
def test_ipv6_normal_form_is_ipaddresss(text):
    if ":" in text:
        assert web.ip_normal(text) == _ipaddress_normal(text)


eight_groups = st.lists(
    st.sampled_from(["0", "0", "0", "00", "1", "ab", "ffff"]), min_size=8, max_size=8
).map(":".join)


@settings(max_examples=2000, deadline=None)
@given(eight_groups | eight_groups.map(lambda text: text.replace(":0:0:", "::", 1)))
def test_zero_runs_are_compressed_as_ipaddress_does(text):
    assert web.ip_normal(text) == _ipaddress_normal(text)
