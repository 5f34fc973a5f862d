"""A host's public suffix: Markaz's own walk of tldextract's list judges every host as
tldextract itself does (tldextract stays the reference: its list, its rules)."""

from __future__ import annotations

import idna
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import web


def tldextract_host_ok(host: str) -> bool:
    """host_ok as it was written on tldextract's own lookup."""
    if len(host) > 253 or "." not in host:
        return False
    labels = host.split(".")
    if not all(web._LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        return False
    result = web._extractor()(host)
    return bool(result.suffix and result.domain)


def _ace(label: str) -> str:
    if label.isascii():
        return label
    try:
        return idna.encode(label).decode("ascii")
    except idna.IDNAError:  # a rule label idna refuses: its raw punycode
        return "xn--" + label.encode("punycode").decode("ascii")


def _rule_host(rule: str) -> str:
    """A rule of the list written as a host's labels ('*' filled, '!' dropped)."""
    labels = []
    for label in rule.split("."):
        label = "wild" if label == "*" else label.lstrip("!")
        labels.append(_ace(label))
    return ".".join(labels)


def _judged_alike(host: str) -> bool:
    """Markaz's walk judges the host as tldextract does."""
    web.host_ok.cache_clear()
    return web.host_ok(host) == tldextract_host_ok(host)


def test_every_rule_of_the_list_is_judged_as_tldextract_judges_it():
    rules = sorted(web._extractor().tlds)
    assert len(rules) > 6000  # the bundled list, not an empty one
    differ = [
        host
        for rule in rules
        for host in (_rule_host(rule), "name." + _rule_host(rule), "a.b." + _rule_host(rule))
        if not _judged_alike(host)
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("bonus-pay.tj", True),
        ("tj", False),  # a suffix alone has no name of its own
        ("co.uk", False),
        ("bank.co.uk", True),
        ("xn--80aswg.xn--p1ai", True),  # сайт.рф
        ("xn--p1ai", False),
        ("example.xn---p1ai", False),  # not the canonical A-label of "рф"
        ("city.kawasaki.jp", True),  # the exception rule !city.kawasaki.jp
        ("shop.kawasaki.jp", False),  # *.kawasaki.jp: a suffix with nothing before it
        ("www.shop.kawasaki.jp", True),
        ("invoice.notatld", False),
    ],
)
def test_public_suffix_rules(host, ok):
    web.host_ok.cache_clear()
    assert web.host_ok(host) is ok
    assert tldextract_host_ok(host) is ok


_LABELS = st.sampled_from(
    ["com", "ru", "tj", "uk", "co", "jp", "kawasaki", "city", "ck", "www", "bd", "er"]
    + ["xn--p1ai", "xn---p1ai", "xn--80asehdb", "xn--90ais", "xn--6a", "xn--com", "xn--abc-"]
    + ["a-b", "1", "0", "blogspot", "kobe", "mm", "nom", "br", "github", "io", "name"]
) | st.from_regex(r"(xn--)?[a-z0-9]{1,6}", fullmatch=True)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LABELS, min_size=1, max_size=5))
def test_any_host_is_judged_as_tldextract_judges_it(labels):
    assert _judged_alike(".".join(labels))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="abx0-.", max_size=80) | st.just("a." * 130 + "com"))
def test_any_string_is_judged_as_tldextract_judges_it(host):
    assert _judged_alike(host)
