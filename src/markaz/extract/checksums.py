"""Checksums that no small, well-kept library covers for us.

python-stdnum does Luhn and IBAN. It has no Keccak-256 (Ethereum's hash: the original
Keccak padding, not SHA3-256's, so :mod:`hashlib` cannot stand in), its Bitcoin module
rejects valid taproot ``bc1p`` addresses (no bech32m), and it knows nothing of TRON,
Litecoin or Monero. The Python packages that do (pycryptodome, base58, bech32,
eth-hash) would add four dependencies for about 150 lines of well-specified code, each
checked below against the test vectors of its specification (see
``tests/extract/test_checksums.py``).
"""

from __future__ import annotations

import hashlib

# --- Keccak-256 (FIPS 202 permutation, original 0x01 padding) --------------------------

_RC = (
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808A,
    0x8000000080008000,
    0x000000000000808B,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008A,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000A,
    0x000000008000808B,
    0x800000000000008B,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800A,
    0x800000008000000A,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
)
# Rotation offsets r[x][y], indexed by lane x + 5 * y.
_ROT = (
    0,
    1,
    62,
    28,
    27,
    36,
    44,
    6,
    55,
    20,
    3,
    10,
    43,
    25,
    39,
    41,
    45,
    15,
    21,
    8,
    18,
    2,
    61,
    56,
    14,
)
_MASK = (1 << 64) - 1


# For lane i = x + 5y: where rho-pi moves it and by how much it rotates.
_PI = tuple(
    (x + 5 * y, y + 5 * ((2 * x + 3 * y) % 5), _ROT[x + 5 * y]) for x in range(5) for y in range(5)
)
_CHI = tuple((i, 5 * (i // 5) + (i + 1) % 5, 5 * (i // 5) + (i + 2) % 5) for i in range(25))


def _keccak_f_source() -> str:
    """Straight-line Python for the 24 rounds' body, on 25 local variables: the loop
    over lane tables it replaces spent most of its time indexing lists (4x slower)."""
    lines = ["def _keccak_f(lanes, _rc=_RC, mask=_MASK):"]
    names = [f"a{i}" for i in range(25)]
    lines.append(f"    {', '.join(names)} = lanes")
    lines.append("    for rc in _rc:")
    body = []
    for x in range(5):
        body.append(f"c{x} = a{x} ^ a{x + 5} ^ a{x + 10} ^ a{x + 15} ^ a{x + 20}")
    for x in range(5):
        left, right = (x - 1) % 5, (x + 1) % 5
        body.append(f"d{x} = c{left} ^ (((c{right} << 1) | (c{right} >> 63)) & mask)")
    for src, dst, rot in _PI:
        value = f"(a{src} ^ d{src % 5})"
        if rot:
            body.append(f"v = {value}")
            body.append(f"b{dst} = ((v << {rot}) | (v >> {64 - rot})) & mask")
        else:
            body.append(f"b{dst} = {value}")
    for i, j, k in _CHI:
        body.append(f"a{i} = b{i} ^ (~b{j} & b{k})")
    body.append("a0 ^= rc")
    lines += ["        " + line for line in body]
    lines.append(f"    lanes[:] = [{', '.join(names)}]")
    return "\n".join(lines) + "\n"


_namespace: dict[str, object] = {"_RC": _RC, "_MASK": _MASK}
exec(compile(_keccak_f_source(), "<keccak_f>", "exec"), _namespace)  # noqa: S102 - generated above
_keccak_f = _namespace["_keccak_f"]


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum and Monero use it (not SHA3-256)."""
    rate = 136
    padded = bytearray(data)
    padded.append(0x01)
    padded.extend(b"\x00" * (-len(padded) % rate))
    padded[-1] |= 0x80
    lanes = [0] * 25
    for start in range(0, len(padded), rate):
        block = padded[start : start + rate]
        for i in range(rate // 8):
            lanes[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes[:4])


def eip55_checksum(hex40: str) -> str:
    """Return the EIP-55 mixed-case spelling of a 40-hex-digit Ethereum address."""
    lower = hex40.lower()
    digest = keccak256(lower.encode("ascii")).hex()
    return "".join(ch.upper() if int(digest[i], 16) >= 8 else ch for i, ch in enumerate(lower))


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


def _polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generator[i] if (top >> i) & 1 else 0
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
