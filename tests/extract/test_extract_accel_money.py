"""The compiled wallet and IBAN checks (``_scan.crypto_value``, ``_scan.iban_value``)
answer as the Python ones.

The compiled code leaves Ethereum's mixed case and Monero (both need Keccak) and IBANs
of countries with a national check to the Python (NotImplemented); where it answers,
the answer must be the Python's.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from markaz.extract import checksums, scanner

_scan = pytest.importorskip("markaz.extract._scan")  # test_extract_accel: must be built


def python_crypto_value(raw: str) -> tuple[str, str] | None:
    found = scanner._crypto_value.__wrapped__(raw)
    return None if found is None else (str(found[0]), found[1])


def compiled_is_python(compiled, python, raw: str) -> bool:
    """True when the compiled code took the candidate (and answered as the Python)."""
    answer = compiled(raw)
    if answer is NotImplemented:
        return False
    assert answer == python(raw), raw
    return True


base58check = st.builds(
    lambda version, payload: checksums.b58check_encode(bytes([version]) + payload),
    st.sampled_from([0x00, 0x05, 0x30, 0x32, 0x41, 0x1E, 0x6F]),
    st.binary(min_size=20, max_size=20),
)
segwit = st.builds(
    checksums.segwit_encode,
    st.sampled_from(["bc", "ltc", "tb"]),
    st.sampled_from([0, 1, 2, 16]),
    st.sampled_from([20, 32, 2, 40, 19]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
)
ethereum = (
    st.binary(min_size=20, max_size=20)
    .map(bytes.hex)
    .flatmap(
        lambda h: st.sampled_from(["0x" + h, "0X" + h.upper(), "0x" + checksums.eip55_checksum(h)])
    )
)
soup = st.text(alphabet=checksums.B58_ALPHABET + "0x", min_size=20, max_size=45)


@st.composite
def mutated(draw, addresses):
    address = draw(addresses)
    how = draw(st.sampled_from(["same", "char", "upper", "swapcase", "shorter", "longer"]))
    if how == "char":
        i = draw(st.integers(0, len(address) - 1))
        return address[:i] + draw(st.sampled_from("1qpzA0xlI9")) + address[i + 1 :]
    return {
        "same": address,
        "upper": address.upper(),
        "swapcase": address.swapcase(),
        "shorter": address[:-1],
        "longer": address + "q",
    }.get(how, address)


@settings(max_examples=3000, deadline=None)
@given(mutated(base58check | segwit | ethereum) | soup)
def test_compiled_wallet_checks_are_the_python_ones(raw):
    compiled_is_python(_scan.crypto_value, python_crypto_value, raw)


@st.composite
def ibans(draw):
    country = draw(st.sampled_from(["DE", "GB", "TR", "AE", "FR", "BE", "NL", "XX", "TJ"]))
    bban = draw(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=30))
    if draw(st.booleans()):
        check = stdnum_iban.calc_check_digits(country + "00" + bban)
    else:
        check = f"{draw(st.integers(0, 99)):02d}"
    number = country + check + bban
    if draw(st.booleans()):
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


@settings(max_examples=3000, deadline=None)
@given(ibans())
def test_compiled_iban_checks_are_the_python_ones(raw):
    compiled_is_python(_scan.iban_value, scanner._iban_value.__wrapped__, raw)


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
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", NotImplemented),  # EIP-55: Keccak
        ("TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", ("trx", "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW")),
    ],
)
def test_compiled_wallet_checks(raw, found):
    assert _scan.crypto_value(raw) == found


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("GB82 WEST 1234 5698 7654 33", None),  # checksum
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
        ("BE68 5390 0754 7034", NotImplemented),  # Belgium's national check: the Python's
    ],
)
def test_compiled_iban_checks(raw, value):
    assert _scan.iban_value(raw) == value
    if value is not NotImplemented:
        assert scanner._iban_value.__wrapped__(raw) == value
