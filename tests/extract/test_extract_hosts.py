"""A host under a public suffix: web.host_ok gives tldextract's answer for IDN hosts.

host_ok hands tldextract the Unicode form of punycode labels (decoded with the stdlib's
codec) so that tldextract does not decode them with the idna package, 35 µs a host;
these tests hold that to tldextract's own answer on the punycode host.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import web


def _tldextract_answer(host: str) -> bool:
    result = web._extractor()(host)
    return bool(result.suffix and result.domain)


def _idn_suffixes() -> list[str]:
    return sorted(t for t in web._extractor().tlds if not t.isascii())


@pytest.mark.parametrize("suffix", _idn_suffixes()[::7])
def test_idn_hosts_under_idn_suffixes(suffix):
    for name in ("пример", "бонус12", "test"):
        host = web._idna(f"{name}.{suffix.lstrip('*.!')}")
        if host is None or len(host) > 253:
            continue
        web.host_ok.cache_clear()
        assert web.host_ok(host) == _tldextract_answer(host), host


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=14)


@settings(max_examples=500, deadline=None)
@given(labels, st.sampled_from(["xn--p1ai", "xn--j1amh", "com", "ru", "xn--80asehdb", None]))
def test_punycode_labels_of_any_shape(label, tld):
    host = f"xn--{label}.{tld}" if tld else f"a.xn--{label}"
    if not all(web._LABEL.fullmatch(part) for part in host.split(".")):
        return  # host_ok refuses such labels before asking tldextract
    web.host_ok.cache_clear()
    assert web.host_ok(host) == _tldextract_answer(host)


def test_a_russian_domain_in_punycode_is_under_its_suffix():
    assert web.host_ok("xn--e1aybc.xn--p1ai")  # тест.рф
    assert not web.host_ok("xn--p1ai")  # the suffix alone is no host
