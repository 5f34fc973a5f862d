"""Checksums that no small, well-kept library covers for us.

python-stdnum does Luhn and IBAN; Keccak-256 (Ethereum's hash: the original Keccak
padding, not SHA3-256's, so :mod:`hashlib` cannot stand in) comes from pycryptodomex,
whose C code hashes an address in 5 µs against 162 µs for the pure-Python permutation this
module used to carry (timeit, median of 5, 2026-11-28).
stdnum's Bitcoin module rejects valid taproot ``bc1p`` addresses (no bech32m), and it
knows nothing of TRON, Litecoin or Monero; the packages that do (base58, bech32) would
add dependencies for about 100 lines of well-specified code, each checked below against
the test vectors of its specification (see ``tests/extract/test_checksums.py``).
"""

from __future__ import annotations

import hashlib

from Cryptodome.Hash import keccak

# --- Keccak-256 (Ethereum's and Monero's hash) -------------------------------------------


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum and Monero use it (original padding, not SHA3-256's)."""
    return keccak.new(digest_bits=256, data=data).digest()


def eip55_checksum(hex40: str) -> str:
    """Return the EIP-55 mixed-case spelling of a 40-hex-digit Ethereum address."""
    lower = hex40.lower()
    nibbles = keccak256(lower.encode("ascii")).hex()
    return "".join(
        [
            ch.upper() if nibble in "89abcdef" else ch
            for ch, nibble in zip(lower, nibbles[:40], strict=True)
        ]
    )


# --- Base58 and Base58Check (Bitcoin alphabet) ------------------------------------------

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(B58_ALPHABET)}


def b58decode(text: str) -> bytes | None:
    """Decode Base58; None when a character is outside the alphabet."""
    number = 0
    for ch in text:
        digit = _B58_INDEX.get(ch)
        if digit is None:
            return None
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + body


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(B58_ALPHABET[rem])
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + "".join(reversed(out))


def _double_sha256(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58check_decode(text: str) -> bytes | None:
    """Return version + payload when the 4-byte double-SHA-256 checksum holds, else None."""
    raw = b58decode(text)
    if raw is None or len(raw) < 5:
        return None
    body, check = raw[:-4], raw[-4:]
    return body if _double_sha256(body)[:4] == check else None


def b58check_encode(body: bytes) -> str:
    return b58encode(body + _double_sha256(body)[:4])


# --- Bech32 / Bech32m (BIP 173, BIP 350) ------------------------------------------------

BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {ch: i for i, ch in enumerate(BECH32_CHARSET)}
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
# BIP 173's inner loop XORs in generator[i] for each bit i of the top five bits of the
# checksum; the XOR of every such combination, once, for all 32 values of those bits.
_GENERATOR_XOR = tuple(
    _GENERATOR[0] * (top & 1)
    ^ _GENERATOR[1] * (top >> 1 & 1)
    ^ _GENERATOR[2] * (top >> 2 & 1)
    ^ _GENERATOR[3] * (top >> 3 & 1)
    ^ _GENERATOR[4] * (top >> 4 & 1)
    for top in range(32)
)


def _polymod(values: list[int]) -> int:
    chk = 1
    table = _GENERATOR_XOR
    for value in values:
        chk = (chk & 0x1FFFFFF) << 5 ^ value ^ table[chk >> 25]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: list[int], from_bits: int, to_bits: int, pad: bool) -> list[int] | None:
    acc = 0
    bits = 0
    out = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & maxv)
    elif bits >= from_bits or ((acc << (to_bits - bits)) & maxv):
        return None
    return out


def segwit_decode(hrp: str, address: str) -> tuple[int, bytes] | None:
    """Decode a segwit address for ``hrp``; (witness version, program) or None.

    Enforces BIP 173 (v0 uses bech32) and BIP 350 (v1+ use bech32m), the program
    lengths, and that the address is not of mixed case.
    """
    if address.lower() != address and address.upper() != address:
        return None
    address = address.lower()
    sep = address.rfind("1")
    if address[:sep] != hrp or sep + 7 > len(address) or len(address) > 90:
        return None
    data = []
    for ch in address[sep + 1 :]:
        digit = _BECH32_INDEX.get(ch)
        if digit is None:
            return None
        data.append(digit)
    const = _polymod(_hrp_expand(hrp) + data)
    if const not in (_BECH32_CONST, _BECH32M_CONST):
        return None
    version = data[0]
    program = _convert_bits(data[1:-6], 5, 8, False)
    if program is None or version > 16 or not 2 <= len(program) <= 40:
        return None
    if version == 0 and (len(program) not in (20, 32) or const != _BECH32_CONST):
        return None
    if version != 0 and const != _BECH32M_CONST:
        return None
    return version, bytes(program)


def segwit_encode(hrp: str, version: int, program: bytes) -> str:
    data = [version] + (_convert_bits(list(program), 8, 5, True) or [])
    const = _BECH32_CONST if version == 0 else _BECH32M_CONST
    values = _hrp_expand(hrp) + data
    polymod = _polymod(values + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in data + checksum)


# --- Monero Base58 (8-byte blocks) ------------------------------------------------------

_XMR_FULL_BLOCK = 11
_XMR_ENCODED_SIZES = (0, 2, 3, 5, 6, 7, 9, 10, 11)


def xmr_b58decode(text: str) -> bytes | None:
    """Decode Monero's block-wise Base58; None on a bad character or block."""
    out = bytearray()
    for start in range(0, len(text), _XMR_FULL_BLOCK):
        block = text[start : start + _XMR_FULL_BLOCK]
        try:
            size = _XMR_ENCODED_SIZES.index(len(block))
        except ValueError:
            return None
        number = 0
        for ch in block:
            digit = _B58_INDEX.get(ch)
            if digit is None:
                return None
            number = number * 58 + digit
        if number >= 1 << (8 * size):
            return None
        out.extend(number.to_bytes(size, "big"))
    return bytes(out)


def xmr_b58encode(data: bytes) -> str:
    out = []
    for start in range(0, len(data), 8):
        block = data[start : start + 8]
        number = int.from_bytes(block, "big")
        chars = []
        for _ in range(_XMR_ENCODED_SIZES[len(block)]):
            number, rem = divmod(number, 58)
            chars.append(B58_ALPHABET[rem])
        out.append("".join(reversed(chars)))
    return "".join(out)
