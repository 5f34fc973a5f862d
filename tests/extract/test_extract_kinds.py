"""One behaviour per test, kind by kind, through the public API."""

from __future__ import annotations

import pytest

from markaz.extract import (
    KINDS,
    CardFingerprint,
    InvalidIndicator,
    Kind,
    card_fingerprint,
    extract,
    normalize,
)

KEY = b"unit-test-key"


def finds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in extract(text, **kwargs)]


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("93 555 12 34", "+992935551234"),
        ("(93) 200-30-40", "+992932003040"),
        ("0 918 654 321", "+992918654321"),
        ("992 91 777 88 99", "+992917778899"),
        ("+992-50-555-44-44", "+992505554444"),
        ("+992 (93) 555-12-34", "+992935551234"),
        ("+7 916 123-45-67", "+79161234567"),
        ("810 992 93 555 1234", "+992935551234"),
        ("00992935551234", "+992935551234"),
    ],
)
def test_tajik_and_international_phone_formats(written, e164):
    assert finds(f"звонили с {written} вчера") == [("phone", e164)]


def test_russian_trunk_8_needs_russian_context_or_russian_layout():
    assert finds("Москва, тел 89161234567") == [("phone", "+79161234567")]
    assert finds("тел 8 (916) 123-45-67") == [("phone", "+79161234567")]
    assert finds("код 89161234567") == []


@pytest.mark.parametrize(
    "text",
    [
        "дата 12.03.2024 в 15:30",
        "сумма 150 000 000 сомони",
        "перевёл 935551234 сомони",
        "паспорт 400123456",
        "ИНН 040012345",
        "квитанция № 935551234",
        "версия 2.14.3.1",
        "короткий номер 1234 и 505",
        "заказ 4412398",
    ],
)
def test_dates_amounts_documents_and_short_codes_are_not_phones(text):
    assert [k for k, _ in finds(text) if k == "phone"] == []


def test_phone_glued_to_cyrillic_is_found_without_the_letters():
    found = extract("номер+992935551234позвонить")
    assert [(f.kind, f.value, f.raw) for f in found] == [
        ("phone", "+992935551234", "+992935551234")
    ]


def test_two_phones_separated_by_a_space_are_two():
    assert finds("93 555 12 34 93 555 12 35") == [
        ("phone", "+992935551234"),
        ("phone", "+992935551235"),
    ]


def test_normalize_phone_errors_say_why():
    with pytest.raises(InvalidIndicator, match="not a valid number"):
        normalize("phone", "12345")
    with pytest.raises(InvalidIndicator, match="characters other than digits"):
        normalize("phone", "93 555 12 3x")
    with pytest.raises(ValueError, match="empty"):
        normalize("phone", "  ")


# --- e-mail, URL, domain, IP ----------------------------------------------------------------


def test_email_defanged_forms_are_refanged_and_lowercased():
    assert finds("Ivan.Petrov[at]Mail[.]RU и a(at)b(dot)tj и x[@]y.com") == [
        ("email", "ivan.petrov@mail.ru"),
        ("email", "a@b.tj"),
        ("email", "x@y.com"),
    ]


def test_email_is_not_a_handle_and_its_domain_is_not_separate():
    assert finds("телеграм, почта fake_support@gmail.com") == [("email", "fake_support@gmail.com")]


def test_url_is_refanged_with_lowercase_scheme_and_host():
    assert finds("hxxps://Evil-Site[.]COM/Login?A=1.") == [
        ("url", "https://evil-site.com/Login?A=1")
    ]


def test_url_idn_host_is_punycode_and_path_is_kept_as_written():
    assert finds("сайт http://кредит-онлайн.рф/вход") == [
        ("url", "http://xn----8sbkdqibmrdgt3a.xn--p1ai/вход")
    ]


def test_schemeless_link_with_path_is_a_url():
    assert finds("перейдите bit.ly/3xYz") == [("url", "https://bit.ly/3xYz")]


def test_domain_needs_a_public_suffix_and_file_names_are_not_domains():
    assert finds("сайт tcell-bonus.top") == [("domain", "tcell-bonus.top")]
    for text in ["invoice.zip", "IMG_2041.jpg", "договор.pdf", "report.docx", "setup.exe"]:
        assert finds(f"файл {text} прилагаю") == [], text
    assert finds("example.notatld") == []


def test_domain_drops_www_and_lowercases():
    assert normalize("domain", "WWW.Alif.TJ") == "alif.tj"


def test_sentence_without_space_after_full_stop_is_not_a_domain():
    assert finds("I paid it.Now they ask more") == []


def test_ipv4_but_not_versions():
    assert finds("IP 185.22.33.44 и версия 2.14.3.1 и v1.2.3.4") == [("ipv4", "185.22.33.44")]


def test_ipv6_canonical_and_times_are_not_ipv6():
    assert finds("адрес 2001:DB8:0:0:0:0:0:1 время 12:30:45 MAC 00:1A:2B:3C:4D:5E") == [
        ("ipv6", "2001:db8::1")
    ]


# --- crypto ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind", "value"),
    [
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "btc", None),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "btc", None),
        (
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            "btc",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        ),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "btc", None),
        (
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "eth",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        ),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "trx", None),
        ("LZaDmqUWAmQAyWZEpqj9ExooJLu6eZnWNG", "ltc", None),
        (
            "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
            "xmr",
            None,
        ),
    ],
)
def test_crypto_addresses_with_checksums(address, kind, value):
    assert finds(f"адрес: {address}.") == [(kind, value or address)]
    assert normalize(kind, address) == (value or address)


@pytest.mark.parametrize(
    "address",
    [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    ],
)
def test_crypto_addresses_with_a_bad_checksum_are_ignored(address):
    assert finds(f"адрес {address}") == []


def test_normalize_crypto_says_which_chain_an_address_belongs_to():
    with pytest.raises(InvalidIndicator, match="TRON address, not btc"):
        normalize("btc", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")


# --- cards and IBAN -------------------------------------------------------------------------


def test_card_value_is_the_keyed_hmac_and_raw_is_masked():
    (found,) = extract("карта 4400 4301 2345 6789 чужая", card_key=KEY)
    assert found.kind == "card"
    assert found.card == card_fingerprint("4400430123456789", KEY)
    assert found.value == found.card.hmac
    assert found.raw == "4400 43** **** 6789"
    assert "4400430123456789" not in repr(found)
    assert "4301 2345" not in repr(found)


def test_card_without_key_has_the_mask_as_value():
    (found,) = extract("4400430123456789")
    assert found.value == "440043******6789"
    assert found.card is not None and found.card.hmac is None


def test_card_fingerprint_never_shows_the_number():
    fp = card_fingerprint("4400-4301-2345-6789", KEY)
    assert isinstance(fp, CardFingerprint)
    assert (fp.bin, fp.last4, fp.length) == ("440043", "6789", 16)
    assert len(fp.hmac or "") == 64
    assert "4400430123456789" not in repr(fp) + str(fp)
    assert card_fingerprint("4400 4301 2345 6789", KEY) == fp
    assert card_fingerprint("4400430123456789", b"other key").hmac != fp.hmac


@pytest.mark.parametrize(
    "text",
    [
        "4400 **** **** 1234",
        "4400 43** **** 6789",
        "4400 4301 2345 6788",  # Luhn fails
        "44004 30123 456789",  # not grouped like a card
        "счёт 20202972300100001234",
    ],
)
def test_masked_invalid_or_oddly_grouped_numbers_are_not_cards(text):
    assert [k for k, _ in finds(text) if k == "card"] == []


def test_iban_compact_uppercase_checksum_verified():
    assert finds("IBAN de89 3704 0044 0532 0130 00") == []  # lower-case in text is not matched
    assert finds("IBAN DE89 3704 0044 0532 0130 00") == [("iban", "DE89370400440532013000")]
    assert normalize("iban", "de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    with pytest.raises(InvalidIndicator):
        normalize("iban", "DE89 3704 0044 0532 0130 01")


# --- social handles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("t.me/Scam_Channel", "telegram", "scam_channel"),
        ("https://t.me/s/scam_channel", "telegram", "scam_channel"),
        ("instagram.com/shop.tj/", "instagram", "shop.tj"),
        ("https://wa.me/992935551234", "whatsapp", "+992935551234"),
        ("api.whatsapp.com/send?phone=992935551234", "whatsapp", "+992935551234"),
        ("vk.com/id12345", "vk", "id12345"),
        ("ok.ru/profile/571234567890", "ok", "571234567890"),
        ("tiktok.com/@Shop.TJ", "tiktok", "shop.tj"),
        ("facebook.com/profile.php?id=100012345678901", "facebook", "100012345678901"),
        ("fb.com/some.person", "facebook", "some.person"),
    ],
)
def test_profile_links_become_accounts(text, kind, value):
    assert finds(f"профиль {text} мошенника") == [(kind, value)]


def test_deep_links_and_invites_stay_urls():
    assert finds("https://t.me/channel_name/125") == [("url", "https://t.me/channel_name/125")]
    assert finds("https://t.me/joinchat/AAAAAE9x") == [("url", "https://t.me/joinchat/AAAAAE9x")]


def test_handle_network_comes_from_the_nearest_mention():
    text = "в телеграме @fake_support_tj, а в инстаграме @shop.dushanbe"
    assert finds(text) == [("telegram", "fake_support_tj"), ("instagram", "shop.dushanbe")]


def test_handle_without_any_network_named_is_left_out():
    assert finds("напишите @someone_here") == []


def test_normalize_handles():
    assert normalize("telegram", "@Fake_Support") == "fake_support"
    assert normalize("telegram", "https://t.me/fake_support") == "fake_support"
    assert normalize("whatsapp", "93 555 12 34") == "+992935551234"
    with pytest.raises(InvalidIndicator, match="not a valid telegram user name"):
        normalize("telegram", "@ab")
    with pytest.raises(InvalidIndicator, match="not a instagram profile link|not a instagram"):
        normalize("instagram", "https://t.me/fake_support")


# --- API ------------------------------------------------------------------------------------


def test_kinds_constant_lists_every_kind():
    assert set(KINDS) == {k.value for k in Kind}
    assert "phone" in KINDS and "card" in KINDS and "xmr" in KINDS


def test_warning_list_marks_but_keeps():
    found = extract("пишите на x@gmail.com или сайт gmail.com", warning_list={"gmail.com"})
    assert [(f.kind, f.value, f.warned) for f in found] == [
        ("email", "x@gmail.com", False),
        ("domain", "gmail.com", True),
    ]


def test_spans_point_into_the_text():
    text = "Тел: +992 93 555 12 34, сайт evil.tj."
    for found in extract(text):
        assert text[found.start : found.end] == found.raw


def test_region_changes_local_phone_reading():
    assert finds("тел. 8 (916) 123-45-67", region="RU") == [("phone", "+79161234567")]
    assert finds("тел. 0935551234", region="RU") == []


def test_unknown_kind_is_refused_with_the_known_list():
    with pytest.raises(InvalidIndicator, match="known kinds are phone"):
        normalize("fax", "123")


def test_extract_refuses_bytes():
    with pytest.raises(TypeError):
        extract(b"93 555 12 34")  # type: ignore[arg-type]


def test_normalize_card_uses_the_key():
    assert (
        normalize("card", "4400 4301 2345 6789", card_key=KEY)
        == card_fingerprint("4400430123456789", KEY).hmac
    )


def test_tajik_word_for_website_is_not_a_currency():
    assert finds("аз рақами +7 972 257-87-22 сомона ҳам дошт") == [("phone", "+79722578722")]


def test_document_word_in_the_previous_sentence_does_not_hide_a_phone():
    assert finds("ба милиса муроҷиат кунам. аз рақами 91 121 16 13") == [("phone", "+992911211613")]


def test_finds_are_masked_cards_and_warned_values_in_order_of_position():
    text = "карта 4400 4301 2345 6789, сайт gmail.com, тел 93 555 12 34"
    found = extract(text, card_key=KEY, warning_list={"gmail.com"})
    assert [(f.kind, f.warned) for f in found] == [
        ("card", False),
        ("domain", True),
        ("phone", False),
    ]
    assert "4301" not in found[0].raw and "4301" not in repr(found[0])


# --- what each scan finds on its own ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("сайт bonus-pay[.]top, почта ivan [at] mail [dot] ru", ["domain", "email"]),
        ("ссылка hxxps://bonus-pay[.]top/login.", ["url"]),
        ("канал t.me/bonus_tj и сайт пример.рф", ["telegram", "domain"]),
        ("файл invoice.zip и версия 2.14", []),
    ],
)
def test_links_addresses_and_hosts_are_found(text, kinds):
    assert [kind for kind, _ in finds(text)] == kinds


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("пишите в телеграм @Bonus_TJ", [("telegram", "bonus_tj")]),
        ("инстаграм @ivan.petrov, почта ivan@mail.ru", [("instagram", "ivan.petrov")]),
        ("@someone без сети", []),
        ("ватсап @someone", []),
    ],
)
def test_handles_are_found_after_a_mention_of_their_network(text, found):
    handles = {"telegram", "instagram", "whatsapp", "vk", "ok", "tiktok", "facebook"}
    assert [(kind, value) for kind, value in finds(text) if kind in handles] == found


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "кошелёк TQbo12RjRmrpib4ttG45dQr6G9Lp9nK3oP, IBAN DE89 3704 0044 0532 0130 00",
            ["trx", "iban"],
        ),
        ("сервер 192.168.1[.]1, версия 2.14.3.1", ["ipv4"]),
        ("обновления 10.2.3.4", []),  # the longest version word, ten letters
        # an IPv4-mapped address is one IPv6 address, not an IPv4 one inside it
        ("адрес 2001:db8::1 и ::ffff:10.0.0.1, время 12:30:45", ["ipv6", "ipv6"]),
        (
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            ["eth", "btc"],
        ),
    ],
)
def test_wallets_ibans_and_addresses_are_found(text, kinds):
    assert [kind for kind, _ in finds(text)] == kinds


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("тел. +992 (93) 555-12-34", "phone", "+992935551234"),
        ("звоните 93 555 12 34 93 555 12 35", "phone", "+992935551234"),
        ("ИНН 930555123 и тел 93 555 12 34", "phone", "+992935551234"),
        ("карта 4400 4301 2345 6789", "card", None),
    ],
)
def test_phones_and_cards_are_found(text, kind, value):
    found = extract(text, card_key=KEY)
    assert found, text
    assert found[0].kind == kind
    if value is not None:
        assert found[0].value == value
    else:
        assert found[0].card is not None and found[0].card.last4 == "6789"


def test_a_dotted_capital_i_does_not_shift_a_phone_or_hide_it():
    # "İ".lower() is two characters ("i̇", with a combining dot): not the word INN, and
    # the offsets of what follows stay those of the text.
    text = "İNN: 93 555 12 34, тел 93 555 12 35"
    found = extract(text)
    assert [f.value for f in found] == ["+992935551234", "+992935551235"]
    assert [f.raw for f in found] == ["93 555 12 34", "93 555 12 35"]
