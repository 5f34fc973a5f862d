"""The compiled scan (``markaz.extract._scan``) gives exactly the Python scan's finds.

The Python code in ``scanner`` and ``phones`` is the reference; ``_scan.c`` translates
it by hand for speed. These tests run both over the labelled corpus and over texts that
hypothesis builds from the pieces the number scan reacts to (digit groups, separators,
document, money and phone words in three languages, sentence ends), and require the
same hits, in the same order, from each.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from markaz.extract import checksums, extract, phones, scanner, social, web

KEY = b"unit-test-key"
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What the number scan looks at: digits and their separators, the characters that may
# start or block a run, and the words of its context tests (before and after a run).
PIECES = [
    *"0123456789",
    "93",
    "555",
    "12",
    "34",
    "992",
    "4400",
    "4301",
    "2345",
    "6789",
    "000000",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\n",
    "-",
    ".",
    "(",
    ")",
    "+",
    "+ ",
    "/",
    "#",
    "№",
    "*",
    "_",
    "$",
    "€",
    "₽",
    "%",
    "°",
    ":",
    ". ",
    "! ",
    "; ",
    "a",
    "x",
    "n",
    "No",
    "N",
    "İ",
    "Σ",
    "тел",
    "Тел.",
    "phone",
    "whatsapp",
    "звоните",
    "кошелек",
    "ИНН",
    "inn",
    "id",
    "ID",
    "tin",
    "tax",
    "txn",
    "tx",
    "acct",
    "account",
    "счёт",
    "счет",
    "р/с",
    "договор",
    "чек",
    "перевод №",
    "перевод  №",
    "код",
    "pin",
    "cvv",
    "заказ",
    "order",
    "паспорт",
    "шиноснома",
    "ҳисоб",
    "муроҷиат",
    "сомони",
    "сомонӣ",
    "сомон",
    "сом",
    "смн",
    "tjs",
    "TJS",
    "руб",
    "р.",
    "usd",
    "USD",
    "eur",
    "евро",
    "тенге",
    "сум",
    "шт",
    "кг",
    "km",
    "км",
    "rub",
    "ruble",
    "Москва",
    "+7",
    "8 (916) 123-45-67",
    "ватсап",
    "мой",
    "номер",
    "и",
]

texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _number_hits(text: str, *, compiled: bool, taken=([], [])) -> list:
    out: list = []
    starts, ends = list(taken[0]), list(taken[1])
    if compiled:
        if not scanner._scan.number_hits(text, "TJ", KEY, out, starts, ends):
            assert "İ" in text, "the compiled scan declined a text it should take"
            return _number_hits(text, compiled=False, taken=taken)
    else:
        scanner._number_hits_python(text, "TJ", KEY, out, starts, ends)
    return out


# What the wallet, IBAN and IPv4 scans react to: valid and broken addresses, the
# characters around them, defanged dots and the version words before an address.
FIXED_PIECES = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
    "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
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
    "Z",
    "192.168.1.1",
    "10",
    "255",
    "256",
    "01",
    "0",
    "[.]",
    "(.)",
    "[dot]",
    ".",
    ":",
    " ",
    "  ",
    "\n",
    "-",
    "_",
    "/",
    "a",
    "x",
    "O",
    "l",
    "version",
    "Version ",
    "v",
    "ver.",
    "build",
    "android",
    "iOS",
    "версия",
    "версии",
    "сборка",
    "прошивке",
    "обновления",
    "навсозӣ",
    "версияи",
    "релиз",
    "release",
    "update:",
    "firmware",
    "windows",
    "beta",
    "İ",
    "сервер",
    "2001:db8::1",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "fe80::",
    "::1",
    "::ffff:",
    "::",
    ":::",
    "ffff",
    "abcd:",
    "12:30:45",
    "00:1a:2b:3c:4d:5e",
    "1.2.3.4",
    "[",
    "]",
    "g",
]
fixed_texts = st.lists(st.sampled_from(FIXED_PIECES), max_size=24).map("".join)


# What the link, address and host scan reacts to: schemes (and defanged ones), labels of
# both scripts, dots and at-signs in every defanged form, ports, paths, the punctuation
# that ends a sentence, and the characters that glue to or break a host.
WEB_PIECES = [
    "https://",
    "http://",
    "hxxps://",
    "hXXp[:]//",
    "ftp://",
    "fxp://",
    "HTTPS://",
    "bit.ly/",
    "t.me/",
    "wa.me/992935551234",
    "instagram.com/",
    "www.",
    "mail",
    "ivan.petrov",
    "bonus-pay",
    "tcell",
    "example",
    "a",
    "x1",
    "-",
    "--",
    "_",
    "a" * 64,
    ".",
    "..",
    "[.]",
    "(.)",
    "{.}",
    "[dot]",
    "(DOT)",
    " [.] ",
    "@",
    "[@]",
    "[at]",
    " (at) ",
    "AT",
    "com",
    "ru",
    "tj",
    "top",
    "zip",
    "pdf",
    "Com",
    "RU",
    "xn--p1ai",
    "рф",
    "сайт",
    "почта",
    "банк",
    "пример",
    "ӯ",
    "1",
    "992",
    ":",
    ":8080",
    ":123456",
    "/",
    "/login",
    "?id=1",
    "#x",
    "%",
    "+",
    " ",
    "\n",
    "\u00a0",
    ",",
    ";",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "«",
    "»",
    "”",
    "…",
    "<",
    "|",
    "Now",
    "İ",
]
web_texts = st.lists(st.sampled_from(WEB_PIECES), max_size=30).map("".join)


def _web_hits(text: str, *, compiled: bool) -> list:
    out: list = []
    if compiled:
        scanner._scan.web_hits(text, "TJ", out)
    else:
        scanner._web_hits_python(text, "TJ", out)
    return out


# What the handle scan reacts to: at-signs before names (short, long, dotted), the
# characters that block a mention, and every spelling of a network's name.
HANDLE_PIECES = [
    "@",
    "@ivan_petrov",
    "@bonus.tj",
    "@a",
    "@abc",
    "@" + "x" * 40,
    "@joinchat",
    "@p",
    "ivan",
    "mail.ru",
    ".",
    "..",
    "_",
    "/",
    " ",
    "\n",
    "-",
    "x",
    "1",
    "telegram",
    "Telegram",
    "telegr",
    "телеграм",
    "тг",
    "tg",
    "ig",
    "inst",
    "insta",
    "instance",
    "Instagram",
    "инстаграм",
    "инст",
    "tik tok",
    "tiktok",
    "тик ток",
    "тик-ток",
    "тик -ток",
    "тикток",
    "вк",
    "vk",
    "вконтакте",
    "vkontakte",
    "одноклассники",
    "odnoklassniki",
    "facebook",
    "fb",
    "фб",
    "фейсбук",
    "whatsapp",
    "whats app",
    "ватсап",
    "вацап",
    "уатсап",
    "в",
    "мой",
    "аккаунт",
    "дар",
    "Σ",
    "İ",
    "a" * 45,
]
handle_texts = st.lists(st.sampled_from(HANDLE_PIECES), max_size=30).map("".join)


def _handle_hits(text: str, *, compiled: bool) -> list:
    out: list = []
    if compiled:
        if not scanner._scan.handle_hits(text, out):
            assert "İ" in text, "the compiled scan declined a text it should take"
            return _handle_hits(text, compiled=False)
    else:
        scanner._handle_hits_python(text, out)
    return out


def _fixed_hits(text: str, *, compiled: bool) -> list:
    out: list = []
    if compiled:
        if not scanner._scan.fixed_hits(text, out):
            assert "İ" in text, "the compiled scan declined a text it should take"
            return _fixed_hits(text, compiled=False)
    else:
        scanner._crypto_hits(text, out)
        scanner._iban_hits(text, out)
        scanner._ipv4_hits(text, out)
        scanner._ipv6_hits(text, out)
    return out


spans = st.tuples(st.integers(0, 5), st.integers(0, 40), st.integers(1, 12))


@SETTINGS
@given(st.lists(spans, max_size=14), st.lists(spans, max_size=14))
def test_overlapping_hits_are_chosen_as_in_python(first, second):
    def hits(drawn):
        return [
            scanner._Hit(priority, start, start + size, "phone", f"v{i}", None)
            for i, (priority, start, size) in enumerate(drawn)
        ]

    taken = {True: ([], [], []), False: ([], [], [])}
    for batch in (first, second):
        for compiled, (starts, ends, chosen) in taken.items():
            if compiled:
                scanner._scan.take(hits(batch), starts, ends, chosen)
            else:
                scanner._take_python(hits(batch), starts, ends, chosen)
    assert taken[True] == taken[False]


def test_finds_are_built_as_in_python():
    text = "карта 4400 4301 2345 6789, сайт gmail.com, тел 93 555 12 34"
    hits: list = []
    scanner._web_hits_python(text, "TJ", hits)
    scanner._number_hits_python(text, "TJ", KEY, hits, [], [])
    warned = {"gmail.com"}
    compiled = scanner._scan.finds(text, list(reversed(hits)), warned)
    python = scanner._finds_python(text, list(reversed(hits)), warned)
    assert compiled == python
    assert [(f.kind, f.warned) for f in compiled] == [
        ("card", False),
        ("domain", True),
        ("phone", False),
    ]
    assert "4301" not in compiled[0].raw and "4301" not in repr(compiled[0])


handle_names = st.text(alphabet="abz019_.", max_size=70)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from([str(kind) for kind in scanner._PLATFORMS]), handle_names)
def test_handle_rules_are_the_python_ones(kind, handle):
    assert scanner._scan.handle_ok(kind, handle) == social.handle_ok(kind, handle)


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
    assert scanner._scan.handle_ok(kind, handle) is ok is social.handle_ok(kind, handle)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(0, 255), max_size=120))
def test_bech32_checksum_loop_is_the_python_one(values):
    assert scanner._scan.bech32_polymod(values) == checksums._polymod_python(values)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789abcdef", min_size=40, max_size=40))
def test_eip55_case_is_the_python_one(lower):
    digest = checksums.keccak256(lower.encode("ascii"))
    assert scanner._scan.eip55_case(lower, digest) == checksums._eip55_case(lower, digest)


ipv6_texts = st.lists(
    st.sampled_from(
        [
            "0",
            "1",
            "a",
            "F",
            "ffff",
            "abcd",
            "12345",
            "0db8",
            ":",
            "::",
            ".",
            "1.2.3.4",
            "255",
            "256",
            "01",
        ]
    ),
    min_size=1,
    max_size=14,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(ipv6_texts)
def test_ipv6_normal_form_is_ipaddresss(text):
    if ":" not in text:
        return
    assert scanner._scan.ipv6_normal(text) == web.ip_normal(text)


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
    ],
)
def test_ipv6_normal_forms(text, value):
    assert scanner._scan.ipv6_normal(text) == value == web.ip_normal(text)


def test_the_compiled_scan_is_built():
    # setup.py builds it optional (the package installs without a compiler); the test
    # suite requires it, so that CI measures and tests what production runs.
    assert scanner._scan is not None, "markaz.extract._scan was not built: is gcc installed?"


@pytest.mark.parametrize("key", [KEY, None, b""])
def test_corpus_finds_are_the_same_with_and_without_the_compiled_scan(labelled, monkeypatch, key):
    reports = [report.text for report in labelled.load_corpus()]
    assert len(reports) > 50
    benign = {"gmail.com", "+992935551234"}
    compiled = [extract(t, card_key=key, warning_list=benign) for t in reports]
    monkeypatch.setattr(scanner, "_scan", None)
    python = [extract(t, card_key=key, warning_list=benign) for t in reports]
    assert compiled == python  # every field, the card's fingerprint and the warning too
    assert any(f.card is not None for found in compiled for f in found)


@SETTINGS
@given(texts)
def test_number_hits_are_the_python_ones(text):
    assert _number_hits(text, compiled=True) == _number_hits(text, compiled=False)


@SETTINGS
@given(texts, st.data())
def test_number_hits_skip_taken_spans_as_the_python_ones_do(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6, unique=True)))
    taken = (cuts[0::2][: len(cuts) // 2], cuts[1::2])
    assert _number_hits(text, compiled=True, taken=taken) == _number_hits(
        text, compiled=False, taken=taken
    )


@SETTINGS
@given(web_texts)
def test_link_address_and_host_hits_are_the_python_ones(text):
    assert _web_hits(text, compiled=True) == _web_hits(text, compiled=False)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("сайт bonus-pay[.]top, почта ivan [at] mail [dot] ru", ["domain", "email"]),
        ("ссылка hxxps://bonus-pay[.]top/login.", ["url"]),
        ("канал t.me/bonus_tj и сайт пример.рф", ["telegram", "domain"]),
        ("файл invoice.zip и версия 2.14", []),
    ],
)
def test_the_compiled_scan_finds_links_addresses_and_hosts(text, kinds):
    out: list = []
    scanner._scan.web_hits(text, "TJ", out)
    assert [hit.kind for hit in out] == kinds


@SETTINGS
@given(handle_texts)
def test_handle_hits_are_the_python_ones(text):
    assert _handle_hits(text, compiled=True) == _handle_hits(text, compiled=False)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("пишите в телеграм @Bonus_TJ", [("telegram", "bonus_tj")]),
        ("инстаграм @ivan.petrov, почта ivan@mail.ru", [("instagram", "ivan.petrov")]),
        ("@someone без сети", []),
        ("ватсап @someone", []),
    ],
)
def test_the_compiled_scan_finds_handles(text, found):
    out: list = []
    assert scanner._scan.handle_hits(text, out)
    assert [(hit.kind, hit.value) for hit in out] == found


@SETTINGS
@given(fixed_texts)
def test_wallet_iban_and_ipv4_hits_are_the_python_ones(text):
    assert _fixed_hits(text, compiled=True) == _fixed_hits(text, compiled=False)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "кошелёк TQbo12RjRmrpib4ttG45dQr6G9Lp9nK3oP, IBAN DE89 3704 0044 0532 0130 00",
            ["trx", "iban"],
        ),
        ("сервер 192.168.1[.]1, версия 2.14.3.1", ["ipv4"]),
        ("обновления 10.2.3.4", []),  # the longest version word, ten letters
        # the IPv4 tail is a hit of its own here; choosing among overlaps comes later
        ("адрес 2001:db8::1 и ::ffff:10.0.0.1, время 12:30:45", ["ipv4", "ipv6", "ipv6"]),
        (
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            ["eth", "btc"],
        ),
    ],
)
def test_the_compiled_scan_finds_wallets_ibans_and_addresses(text, kinds):
    out: list = []
    assert scanner._scan.fixed_hits(text, out)
    assert [hit.kind for hit in out] == kinds


@SETTINGS
@given(texts, texts, texts)
def test_phone_context_is_judged_as_in_python(before, candidate, after):
    text = before + candidate + after
    start, end = len(before), len(before) + len(candidate)
    expected = phones.phone_context_ok(
        candidate, text[max(0, start - 30) : start], text[end : end + 12]
    )
    if "İ" in text:
        return  # the compiled scan hands such texts to Python (see the next test)
    assert scanner._scan.phone_context_ok(text, start, end) == expected


def test_a_text_with_a_dotted_capital_i_is_left_to_python():
    # str.lower() makes "İ" two characters; the compiled scan lowers one by one, so it
    # declines the text and the Python scan runs.
    text = "İNN: 93 555 12 34, тел 93 555 12 35"
    out: list = []
    assert scanner._scan.number_hits(text, "TJ", KEY, out, [], []) is False
    assert out == []
    # "İnn".lower() is "i̇nn", with a combining dot: not the word INN, so both are phones.
    assert [f.value for f in extract(text)] == ["+992935551234", "+992935551235"]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("тел. +992 (93) 555-12-34", "phone", "+992935551234"),
        ("звоните 93 555 12 34 93 555 12 35", "phone", "+992935551234"),
        ("ИНН 930555123 и тел 93 555 12 34", "phone", "+992935551234"),
        ("карта 4400 4301 2345 6789", "card", None),
    ],
)
def test_the_compiled_scan_finds_phones_and_cards(text, kind, value):
    out: list = []
    assert scanner._scan.number_hits(text, "TJ", KEY, out, [], [])
    assert out, text
    assert out[0].kind == kind
    if value is not None:
        assert out[0].value == value
    else:
        assert out[0].card is not None and out[0].card.last4 == "6789"
