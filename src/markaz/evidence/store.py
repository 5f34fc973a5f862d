"""The evidence store: sealed blobs under DATA_DIR/evidence/blobs, named by their SHA-256.

A blob is written once, through a temporary file in the same folder that is renamed into
place when the bytes are complete; a second copy of the same content finds its blob there
and is dropped. Nothing here ever opens a blob for writing again.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from markaz.core.keys import instance_secret
from markaz.evidence.sealed import Sealer, fsync_file, open_chunks

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def evidence_dir() -> Path:
    path = Path(settings.MARKAZ_EVIDENCE_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def master_key() -> bytes:
    """The evidence master key: keys/evidence_master_key in the data directory (0600)."""
    return bytes.fromhex(instance_secret(Path(settings.DATA_DIR), "evidence_master_key", nbytes=32))


def blob_path(sha256: str) -> Path:
    if not SHA256_HEX.match(sha256):
        raise ValueError("not a SHA-256 in hex")
    return evidence_dir() / "blobs" / sha256[:2] / sha256


def _incoming_dir() -> Path:
    path = evidence_dir() / "incoming"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@dataclass(frozen=True)
class Received:
    """Bytes sealed into a temporary file, with the hash and size taken as they came in."""

    temp_path: Path
    sha256: str
    size: int


class Receiver:
    """Seals bytes into a temporary blob as they arrive (from an upload or a file)."""

    def __init__(self) -> None:
        self.temp_path = _incoming_dir() / f"{secrets.token_hex(16)}.part"
        fd = os.open(self.temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._handle = os.fdopen(fd, "wb")
        self._sealer = Sealer(self._handle, master_key())

    @property
    def size(self) -> int:
        return self._sealer.size

    def write(self, data: bytes) -> None:
        self._sealer.write(data)

    def finish(self) -> Received:
        self._sealer.finish()
        fsync_file(self._handle)
        self._handle.close()
        return Received(self.temp_path, self._sealer.sha256.hexdigest(), self._sealer.size)

    def abort(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        self.temp_path.unlink(missing_ok=True)


def receive_stream(source: BinaryIO) -> Received:
    receiver = Receiver()
    try:
        for piece in iter(lambda: source.read(1024 * 1024), b""):
            receiver.write(piece)
        return receiver.finish()
    except BaseException:
        receiver.abort()
        raise


def commit_received(received: Received) -> bool:
    """Move a received blob into place; False when the same content was stored already."""
    target = blob_path(received.sha256)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if target.exists():
        received.temp_path.unlink(missing_ok=True)
        return False
    # link() fails if the name exists: two uploads of the same bytes at once keep one blob,
    # and an existing original is never replaced.
    try:
        os.link(received.temp_path, target)
    except FileExistsError:
        return False
    finally:
        received.temp_path.unlink(missing_ok=True)
    target.chmod(0o400)
    return True


def discard_received(received: Received) -> None:
    received.temp_path.unlink(missing_ok=True)


def read_plain(sha256: str) -> Iterator[bytes]:
    """The original's bytes, decrypted chunk by chunk (BlobDamaged on any alteration)."""
    with blob_path(sha256).open("rb") as handle:
        yield from open_chunks(handle, master_key())
