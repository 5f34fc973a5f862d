"""Checksums against the test vectors of their specifications."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract.checksums import (
    b58check_decode,
    b58check_encode,
    eip55_checksum,
    keccak256,
    segwit_decode,
    segwit_encode,
    xmr_b58decode,
    xmr_b58encode,
)


def test_keccak256_of_empty_input_is_ethereums_not_sha3():
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )


def test_keccak256_of_a_block_longer_than_the_rate():
    # the published Keccak-256 of the pangram; hashlib.sha3_256 gives another digest
    data = b"The quick brown fox jumps over the lazy dog"
    assert keccak256(data).hex() == (
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"
    )


@pytest.mark.parametrize(
    "address",
    [  # EIP-55 test vectors
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ],
)
def test_eip55_vectors(address):
    assert eip55_checksum(address.lower()) == address


@pytest.mark.parametrize(
    ("address", "version"),
    [
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 0),  # BIP 173
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", 1),  # BIP 350
    ],
)
def test_segwit_valid_vectors(address, version):
    decoded = segwit_decode("bc", address)
    assert decoded is not None and decoded[0] == version


@pytest.mark.parametrize(
    "address",
    [
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # bad checksum
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # v1 with bech32
        "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",  # mixed case
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",  # testnet prefix
    ],
)
def test_segwit_invalid_vectors(address):
    assert segwit_decode("bc", address) is None


def test_segwit_round_trip():
    program = bytes(range(20))
    assert segwit_decode("bc", segwit_encode("bc", 0, program)) == (0, program)
    assert segwit_decode("ltc", segwit_encode("ltc", 1, bytes(32))) == (1, bytes(32))


def test_base58check_genesis_address():
    body = b58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert body is not None
    assert body.hex() == "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"
    assert b58check_encode(body) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
    assert b58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb") is None
    assert b58check_decode("0OIl") is None


def test_monero_general_fund_address_checksum():
    address = (
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7Sq"
        "SsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
    )
    raw = xmr_b58decode(address)
    assert raw is not None and len(raw) == 69 and raw[0] == 18
    assert keccak256(raw[:-4])[:4] == raw[-4:]
    assert xmr_b58encode(raw) == address


# --- IBAN: our per-country cached port answers as python-stdnum's own validate ----------

_IBAN_EXAMPLES = [
    "GR16 0110 1050 0000 1054 7023 795",
    "BE31435411161155",
    "DE89 3704 0044 0532 0130 00",
    "GB29 NWBK 6016 1331 9268 19",
    "ES91 2100 0418 4502 0005 1332",
    "NO93 8601 1117 947",
    "TR33 0006 1005 1978 6457 8413 26",
    "AE07 0331 2345 6789 0123 456",
    "XX89 3704 0044 0532 0130 00",
    "DE89 3704 0044 0532 0130 01",
    "DE8",
    "",
]


def _stdnum_outcome(number: str) -> str:
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    try:
        return iban.validate(number)
    except ValidationError as exc:
        return type(exc).__name__


def _our_outcome(number: str) -> str:
    from stdnum.exceptions import ValidationError

    from markaz.extract.money import iban_validate

    try:
        return iban_validate(number)
    except ValidationError as exc:
        return type(exc).__name__


@pytest.mark.parametrize("number", _IBAN_EXAMPLES)
def test_iban_port_answers_as_stdnum(number):
    assert _our_outcome(number) == _stdnum_outcome(number)


def _with_check_digits(country: str, bban: str) -> str:
    from stdnum.iban import calc_check_digits

    return country + calc_check_digits(country + "00" + bban) + bban


@given(
    st.sampled_from(["DE", "GB", "TR", "AE", "BE", "ES", "NO", "FR", "GR", "NL", "XK", "ZZ"]),
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=30),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_iban_port_answers_as_stdnum_on_generated_numbers(country, bban, fix_check):
    number = _with_check_digits(country, bban) if fix_check else country + "00" + bban
    assert _our_outcome(number) == _stdnum_outcome(number)
