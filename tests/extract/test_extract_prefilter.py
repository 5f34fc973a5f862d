"""The prefilter never hides a candidate: wherever a scan of wallets, IBANs or IP
addresses can match, hyperscan has seen that kind."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from markaz.extract import extract, prefilter, scanner

pytest.importorskip("hyperscan")  # without it every scan runs and there is nothing to test

# What the wallet, IBAN and IP scans react to: valid and broken addresses, the
# characters around them, defanged dots, and pieces that come close to a match.
PIECES = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
    "0X",
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    "LZaDmqUWAmQAyWZEpqj9ExooJLu6eZnWNG",
    "TQbo12RjRmrpib4ttG45dQr6G9Lp9nK3oP",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "ltc1qg82tpsq6grp2nkwkzjw5q4rx8ulqeklj3qmrwz",
    "LTC1QG82",
    "tc1",
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
    "8",
    "DE89 3704 0044 0532 0130 00",
    "DE89370400440532013000",
    "AE07 0331 2345 6789 0123 456",
    "TJ",
    "DE89",
    "ABCD",
    "1234",
    "12",
    "7",
    "192.168.1.1",
    "10",
    "255",
    "[.]",
    "(.)",
    "[dot]",
    ".",
    ":",
    " ",
    "\n",
    "-",
    "a",
    "x",
    "версия",
    "сервер",
    "2001:db8::1",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "fe80::",
    "::1",
    "::ffff:",
    "::",
    "ffff",
    "abcd:",
    "12:30:45",
    "00:1a:2b:3c:4d:5e",
    "1.2.3.4",
    "\ud800",
]
texts = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)

SCANS = {
    prefilter.CRYPTO: scanner._crypto_hits,
    prefilter.IBAN: scanner._iban_hits,
    prefilter.IPV4: scanner._ipv4_hits,
    prefilter.IPV6: scanner._ipv6_hits,
}
REGEXES = {
    prefilter.CRYPTO: scanner._CRYPTO,
    prefilter.IBAN: scanner._IBAN,
    prefilter.IPV4: scanner._IPV4,
}


def _hidden(text: str) -> list[int]:
    """The kinds whose scan finds something where the prefilter saw nothing."""
    present = prefilter.kinds_present(text)
    hidden = []
    for kind, regex in REGEXES.items():
        if regex.search(text) is not None and not present & kind:
            hidden.append(kind)
    for kind, scan in SCANS.items():
        out: list = []
        scan(text, out)
        if out and not present & kind:
            hidden.append(kind)
    return hidden


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_no_candidate_is_hidden(text):
    assert _hidden(text) == []


def test_no_candidate_of_the_corpus_is_hidden(labelled):
    reports = labelled.load_corpus()
    assert len(reports) > 50
    assert [r.source for r in reports if _hidden(r.text)] == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("кошелёк TQbo12RjRmrpib4ttG45dQr6G9Lp9nK3oP", prefilter.CRYPTO),
        ("IBAN DE89 3704 0044 0532 0130 00", prefilter.IBAN),
        ("сервер 192.168.1[.]1", prefilter.IPV4),
        ("адрес 2001:db8::1", prefilter.IPV6),
        ("время 12:30:45, MAC 00:1a:2b:3c:4d:5e, сумма 1500 сомони", 0),
    ],
)
def test_a_kind_is_seen_only_where_it_may_be(text, kinds):
    assert prefilter.kinds_present(text) == kinds


def test_a_lone_surrogate_is_no_error():
    assert [f.kind for f in extract("\ud800 сервер 10.0.0.1 \udfff")] == ["ipv4"]


def test_threads_extract_at_once_with_their_own_scratch():
    text = "TQbo12RjRmrpib4ttG45dQr6G9Lp9nK3oP, DE89 3704 0044 0532 0130 00, 10.0.0.1, ::1 " * 50
    expected = extract(text)
    results: list[bool] = []

    def work() -> None:
        results.append(all(extract(text) == expected for _ in range(30)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 4
