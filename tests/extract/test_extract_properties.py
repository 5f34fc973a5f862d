"""Property tests: normalising is idempotent, and what is rendered is found again."""

from __future__ import annotations

import string

import tldextract
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from markaz.extract import KINDS, InvalidIndicator, extract, normalize
from markaz.extract.checksums import b58check_encode, eip55_checksum, segwit_encode

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

tj_prefix = st.sampled_from(
    ["90", "91", "92", "93", "98", "99", "00", "55", "50", "77", "88", "11"]
)
seven = st.text(alphabet=string.digits, min_size=7, max_size=7)


@st.composite
def tajik_phone(draw):
    national = draw(tj_prefix) + draw(seven)
    n = national
    layout = draw(st.integers(0, 6))
    written = [
        f"+992 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
        f"+992 ({n[:2]}) {n[2:5]}-{n[5:7]}-{n[7:]}",
        f"{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
        f"({n[:2]}) {n[2:5]}-{n[5:7]}-{n[7:]}",
        f"992 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
        f"+992-{n[:2]}-{n[2:5]}-{n[5:7]}-{n[7:]}",
        f"0 {n[:3]} {n[3:6]} {n[6:]}",
    ][layout]
    # Without "+", a number ending in six zeros is read as an amount (documented limit).
    assume(written.startswith("+") or not national.endswith("000000"))
    return written, "+992" + national


label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)


# tldextract's own reading (its bundled list, never fetched) says which drawn names are
# themselves public suffixes ("web.tj", "edu.ru"): no site can be named so.
_TLDEXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@st.composite
def domain(draw):
    name = draw(label) + draw(st.sampled_from(["", "-" + draw(label)]))
    host = name + "." + draw(st.sampled_from(["com", "tj", "ru", "org", "top", "co.uk", "online"]))
    assume(_TLDEXTRACT(host).domain != "")
    return host


@st.composite
def btc_address(draw):
    payload = draw(st.binary(min_size=20, max_size=20))
    if draw(st.booleans()):
        return b58check_encode(bytes([draw(st.sampled_from([0, 5]))]) + payload)
    return segwit_encode("bc", 0, payload)


@st.composite
def eth_address(draw):
    body = draw(st.binary(min_size=20, max_size=20)).hex()
    return "0x" + (eip55_checksum(body) if draw(st.booleans()) else body)


@st.composite
def trx_address(draw):
    return b58check_encode(b"\x41" + draw(st.binary(min_size=20, max_size=20)))


@st.composite
def card_number(draw):
    from stdnum import luhn

    body = draw(st.sampled_from(["4", "5", "2200", "9762"])) + draw(
        st.text(alphabet=string.digits, min_size=11, max_size=11)
    )
    body = body[:15]
    return body + luhn.calc_check_digit(body)


cyrillic_word = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщэюяӣӯҳқҷғ", min_size=1, max_size=10)
filler = st.lists(cyrillic_word, min_size=0, max_size=4).map(" ".join)


def only(kind: str, text: str) -> list[str]:
    return [f.value for f in extract(text) if f.kind == kind]


@SETTINGS
@given(tajik_phone(), filler, filler)
def test_rendered_phone_is_found_and_normalises_back(phone, before, after):
    written, e164 = phone
    text = f"{before} тел {written}, {after}"
    assert only("phone", text) == [e164]
    assert normalize("phone", written) == e164
    assert normalize("phone", e164) == e164


@SETTINGS
@given(domain(), filler)
def test_rendered_domain_is_found_and_idempotent(name, before):
    text = f"{before} сайт {name} ."
    value = normalize("domain", name)
    assert only("domain", text) == [value]
    assert normalize("domain", value) == value


@SETTINGS
@given(
    st.text(alphabet=string.ascii_lowercase + string.digits + "._", min_size=1, max_size=20),
    domain(),
)
def test_email_normalising_is_idempotent(local, host):
    raw = f"{local}@{host}"
    try:
        value = normalize("email", raw)
    except InvalidIndicator:
        return
    assert normalize("email", value) == value
    assert only("email", f"почта: {value} ") == [value]


@SETTINGS
@given(domain(), st.text(alphabet=string.ascii_letters + string.digits + "-_/", max_size=20))
def test_url_normalising_is_idempotent_and_refanged_form_is_found(host, path):
    raw = f"http://{host}/{path}"
    value = normalize("url", raw)
    assert normalize("url", value) == value
    defanged = value.replace("http", "hxxp", 1).replace(".", "[.]", 1)
    assert only("url", f"ссылка {defanged} ") == [value]


@SETTINGS
@given(st.one_of(btc_address(), eth_address(), trx_address()), filler)
def test_crypto_address_is_found_and_idempotent(address, before):
    found = [(f.kind, f.value) for f in extract(f"{before} кошелёк {address}.")]
    assert len(found) == 1
    kind, value = found[0]
    assert normalize(kind, address) == value
    assert normalize(kind, value) == value


@SETTINGS
@given(card_number(), st.sampled_from([" ", "-", ""]))
def test_rendered_card_is_found_with_the_same_fingerprint(number, sep):
    written = sep.join(number[i : i + 4] for i in range(0, 16, 4))
    (found,) = extract(f"карта {written} чужая", card_key=b"k")
    assert found.kind == "card"
    assert found.value == normalize("card", number, card_key=b"k")
    assert number not in repr(found)


@SETTINGS
@given(st.ip_addresses(v=4), st.ip_addresses(v=6))
def test_ip_addresses_are_found_canonical(ipv4, ipv6):
    text = f"с адреса {ipv4} и {ipv6} заходили"
    assert only("ipv4", text) == [normalize("ipv4", str(ipv4))]
    assert only("ipv6", text) == [normalize("ipv6", ipv6.exploded)]


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_gives_valid_non_overlapping_finds(text):
    previous_end = 0
    for found in extract(text):
        assert found.kind in KINDS
        assert 0 <= previous_end <= found.start < found.end <= len(text)
        if found.kind != "card":
            assert text[found.start : found.end] == found.raw
        previous_end = found.end


@SETTINGS
@given(
    st.sampled_from([k for k in KINDS if k != "card"]),
    st.text(alphabet=string.printable + "абвгд", max_size=40),
)
def test_normalize_is_idempotent_or_raises_invalid_indicator(kind, raw):
    try:
        value = normalize(kind, raw)
    except InvalidIndicator:
        return
    assert normalize(kind, value) == value


@SETTINGS
@given(
    st.sampled_from(["992", "7", "998", "996", "44", "1", "90", "971", "49"]),
    st.text(alphabet=string.digits, min_size=6, max_size=12),
)
def test_fast_validity_check_agrees_with_phonenumbers(country_code, national):
    import phonenumbers

    from markaz.extract.phones import phone_e164

    digits = country_code + national
    try:
        parsed = phonenumbers.parse("+" + digits, None)
        expected = (
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            if phonenumbers.is_valid_number(parsed)
            else None
        )
    except phonenumbers.NumberParseException:
        expected = None
    assert phone_e164("+" + digits, region="TJ") == expected


@SETTINGS
@given(
    st.lists(
        st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяӣӯҳқҷғABCxn-019ä", max_size=70),
        min_size=1,
        max_size=4,
    )
)
def test_fast_idna_agrees_with_the_idna_codec(labels):
    from markaz.extract.web import _idna

    host = ".".join(labels)
    assume(not host.isascii())  # an ASCII host is only lower-cased; host_ok judges it
    try:
        expected = host.lower().rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        expected = None
    assert _idna(host) == expected
