"""The instance's Ed25519 key for signed tree heads, and the exact bytes it signs.

The private key is created on first use as `audit_ed25519.pem` (PKCS#8, mode 0600) in
the data directory's keys folder, next to the other instance secrets and never in the
database: someone who can edit the database alone cannot sign a forged head.

A tree head signs this text (UTF-8, each line ending in a newline):

    markaz-audit/<key id>
    <tree size, decimal>
    <root hash, base64>
    <time the head was signed, UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ>

The first three lines follow the C2SP tlog-checkpoint layout (origin, size, root). The
key id is the first 16 hex digits of SHA-256 over the raw 32-byte public key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from markaz.audit.canonical import utc_text

KEY_FILE = "audit_ed25519.pem"


def _create_key(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: when two processes start at once, one writes the key and both then read it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def signing_key(key_dir: Path) -> Ed25519PrivateKey:
    key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = key_dir / KEY_FILE
    if not path.exists():
        _create_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_key(key_dir: Path) -> Ed25519PublicKey:
    return signing_key(key_dir).public_key()


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def head_message(*, key_id: str, tree_size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    lines = [
        f"markaz-audit/{key_id}",
        str(tree_size),
        base64.b64encode(root_hash).decode("ascii"),
        utc_text(signed_at),
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def signature_valid(key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
