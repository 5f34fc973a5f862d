"""The compiled normal forms of links (``_scan.url_value``) are the Python's.

The compiled code takes a link of printable ASCII without brackets, user name, WhatsApp
number or Facebook ``profile.php`` and answers NotImplemented for the others (the Python
then decides, as it always did); where it answers, the answer must be the Python's.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import scanner, web

_scan = pytest.importorskip("markaz.extract._scan")  # test_extract_accel: must be built


def python_url_value(raw: str) -> tuple[str, str] | None:
    found = scanner._url_value.__wrapped__(raw, "TJ")
    return None if found is None else (str(found[0]), found[1])


def assert_compiled_is_python(raw: str) -> bool:
    """True when the compiled code took the link."""
    compiled = _scan.url_value(raw)
    if compiled is NotImplemented:
        return False
    assert compiled == python_url_value(raw), raw
    return True


SCHEMES = ["http", "https", "HTTPS", "hxxps", "hxxp", "HXXPS", "h**p", "h**ps", "fxp", "fxps"]
SCHEMES += ["ftp", "ftps", "mailto", "", "hxtp", "htxp", "hxxpss", "ws", "a+b", "1http"]
SEPARATORS = ["://", "://", ":/", "//", ":", "", ":///", "[:]//", "(:)//", " [:]//"]
USERS = ["", "", "", "u@", "u:p@", "@"]
HOSTS = ["example.com", "Example.COM", "t.me", "www.t.me", "instagram.com", "m.vk.com"]
HOSTS += ["vk.ru", "ok.ru", "wa.me", "fb.com", "facebook.com", "tiktok.com", "telegram.me"]
HOSTS += ["api.whatsapp.com", "bit.ly", "1.2.3.4", "01.2.3.4", "256.1.1.1", "1.2.3"]
HOSTS += ["bonus-pay.top", "x.notld", "co.uk", "bank.co.uk", "xn--80aswg.xn--p1ai", "a..com"]
HOSTS += ["example.com.", "-a.com", "a_b.com", "t.me.evil.tj", "xt.me", "", "EX%41.COM"]
HOSTS += ["бонус.рф", "Бонус.РФ", "почта.рф", "bonus[.]tj", "bonus (dot) tj", "t[.]me", "ҳисоб.tj"]
HOSTS += ["a..рф", "б" * 70 + ".рф", "сайт.com", "ёлка.рус", "бонус-12.рф", "bonus{.}tj"]
PORTS = ["", "", ":", ":80", ":443", ":21", ":0080", ":8080", ":99999", ":65536", ":x", ":0"]
SEGMENTS = ["", "s", "S", "name", "Ivan_Petrov", "@name", "@", "profile", "Profile", "123"]
SEGMENTS += ["12a", "profile.php", "send", "a.b", "a..b", "x" * 40, "x" * 70, "%41", "a@b"]
SEGMENTS += ["ivan.petrov", "_x_", "explore", "id1"]
SEGMENTS += ["путь", "[/]", "a[.]b", "(dot)"]
TAILS = ["", "", "/", "?", "?id=1", "?phone=992935551234", "?a=b#c", "#", "#f", "#a?b"]

links = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(SCHEMES),
    st.sampled_from(SEPARATORS),
    st.sampled_from(USERS),
    st.sampled_from(HOSTS),
    st.sampled_from(PORTS),
    st.lists(st.sampled_from(SEGMENTS), max_size=3).map(lambda s: "".join("/" + x for x in s)),
    st.sampled_from(TAILS),
)
ascii_soup = st.text(alphabet="aht:/.@#?%0159[]()-_xXsS* dotбр", min_size=1, max_size=24)


@settings(max_examples=3000, deadline=None)
@given(links | ascii_soup)
def test_compiled_link_values_are_the_python_ones(raw):
    web.host_ok.cache_clear()
    assert_compiled_is_python(raw)


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
    ],
)
def test_compiled_link_values(raw, found):
    assert _scan.url_value(raw) == found
    assert python_url_value(raw) == found


@pytest.mark.parametrize(
    "raw",
    [
        "https://wa.me/992935551234",  # a phone number: phonenumbers decides
        "https://facebook.com/profile.php?id=1",
        "https://user@example.com/",
        "https://бонус.рф/путь",  # Cyrillic outside the host name
        "https://ҳисоб.tj/",  # a label the idna codec's nameprep decides
        "https://[::1]/",
    ],
)
def test_links_the_compiled_code_leaves_to_the_python(raw):
    assert _scan.url_value(raw) is NotImplemented


def test_the_compiled_code_takes_most_links_of_the_corpus(labelled):
    links = [
        report.text[label.start : label.end]
        for report in labelled.load_corpus()
        for label in report.labels
        if label.kind == "url"
    ]
    taken = [raw for raw in links if assert_compiled_is_python(raw)]
    assert len(links) >= 30
    assert len(taken) >= len(links) // 2


# --- hosts and e-mail addresses (_scan.domain_value, _scan.email_value) ---

HOST_LABELS = ["example", "com", "ru", "tj", "www", "WWW", "co", "uk", "jp", "kawasaki", "city"]
HOST_LABELS += ["zip", "pdf", "Invoice", "IMG_2041", "jpg", "a-b", "-a", "a_b", "1", "255"]
HOST_LABELS += ["xn--p1ai", "xn--80aswg", "x" * 64, "bonus-pay", "top", "gmail", ""]
HOST_LABELS += ["бонус", "рф", "РФ", "онлайн", "рус", "ҳисоб", "ё", "а" * 64, "бонус12", "-бонус"]
DOTS = st.sampled_from([".", ".", ".", "[.]", " [.] ", "(dot)", " (DOT) ", "{.}", "[ dot ]"])
hosts = st.lists(st.tuples(st.sampled_from(HOST_LABELS), DOTS), min_size=1, max_size=4).map(
    lambda labels: "".join(label + dot for label, dot in labels)[: -len(labels[-1][1])]
)
hosts = st.tuples(hosts, st.sampled_from(["", "", "."])).map("".join)
local_parts = st.sampled_from(
    ["ivan", "Ivan.Petrov", "a..b", ".a", "a.", "a+b", "x" * 65, "x" * 64, "o'neil", "a:b", ""]
    + ["a!#$%&*/=?^_`|~-", "a{b}"]
)
addresses = st.builds(
    lambda local, at, host: local + at + host,
    local_parts,
    st.sampled_from(["@", "@@", "", "[at]", " [at] ", "(AT)", "[@]", "{ at }"]),
    hosts,
)


def assert_compiled_check_is_python(compiled, python, raw: str) -> bool:
    web.host_ok.cache_clear()
    answer = compiled(raw)
    if answer is NotImplemented:
        return False
    assert answer == python(raw), raw
    return True


@settings(max_examples=3000, deadline=None)
@given(hosts | ascii_soup)
def test_compiled_domain_values_are_the_python_ones(raw):
    assert_compiled_check_is_python(_scan.domain_value, scanner._domain_value.__wrapped__, raw)


@settings(max_examples=3000, deadline=None)
@given(addresses | ascii_soup)
def test_compiled_email_values_are_the_python_ones(raw):
    assert_compiled_check_is_python(_scan.email_value, scanner._email_value.__wrapped__, raw)


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
        ("ҳисоб.tj", NotImplemented),  # the idna codec's nameprep decides
    ],
)
def test_compiled_domain_values(raw, value):
    assert _scan.domain_value(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Ivan.Petrov@Mail.RU", "ivan.petrov@mail.ru"),
        ("a..b@mail.ru", None),
        ("ivan@invoice.notld", None),
        ("ivan [at] mail [dot] ru", "ivan@mail.ru"),
        ("ivan@почта.рф", "ivan@xn--80a1acny.xn--p1ai"),
        ("ivan@ҳисоб.tj", NotImplemented),
    ],
)
def test_compiled_email_values(raw, value):
    assert _scan.email_value(raw) == value
