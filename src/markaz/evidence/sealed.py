"""The at-rest format of an evidence blob: AES-256-GCM in chunks, one file per SHA-256.

A blob is a header followed by sealed chunks:

    header (64 bytes)
      magic        8 bytes   b"MKZEVID1"
      salt        32 bytes   random per blob; the blob's key = HKDF-SHA256(master key,
                             salt, info=b"markaz-evidence/v1"), 32 bytes (AES-256)
      nonce prefix 8 bytes   random per blob
      chunk size   4 bytes   plaintext bytes per chunk, big-endian (the last may be shorter)
      reserved    12 bytes   zero
    chunk i (i = 0, 1, ...)
      AES-256-GCM(key, nonce = prefix || i as 4 bytes big-endian,
                  data = plaintext chunk i, aad = header || final flag (1 byte: 1 on the
                  last chunk, 0 on the others)) = ciphertext || 16-byte tag

Each chunk's tag covers the header, its position (through the nonce) and whether it is
the last, so a reordered, dropped, duplicated or altered chunk fails to open, and a blob
cut after a chunk boundary lacks its final chunk and fails too (STREAM construction,
Hoang et al. 2015). An empty original is one final chunk of no bytes.

The master key is `keys/evidence_master_key` in the data directory (0600), never in the
database. Deriving per-blob keys from a random salt keeps each (key, nonce) pair unique
without a counter anywhere, and lets one master key seal any number of blobs.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"MKZEVID1"
HEADER = struct.Struct(">8s32s8sI12s")
HEADER_SIZE = HEADER.size
CHUNK_SIZE = 1024 * 1024
TAG_SIZE = 16
INFO = b"markaz-evidence/v1"
MAX_CHUNKS = 2**32


class BlobDamaged(ValueError):
    """The blob does not open: altered, cut short, reordered or sealed under another key."""


def _blob_key(master_key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=INFO).derive(master_key)
    return AESGCM(derived)


def _nonce(prefix: bytes, index: int) -> bytes:
    if index >= MAX_CHUNKS:
        raise ValueError("too many chunks for one blob")
    return prefix + index.to_bytes(4, "big")


class Sealer:
    """Encrypts a stream written in pieces of any size, hashing the plaintext as it goes.

    Holds at most one chunk of plaintext: a chunk is sealed only once the next byte
    arrives (or `finish` is called), because the last chunk is sealed differently.
    """

    def __init__(self, out: BinaryIO, master_key: bytes, *, chunk_size: int = CHUNK_SIZE) -> None:
        salt = secrets.token_bytes(32)
        self._prefix = secrets.token_bytes(8)
        self._header = HEADER.pack(MAGIC, salt, self._prefix, chunk_size, bytes(12))
        self._aead = _blob_key(master_key, salt)
        self._out = out
        self._chunk_size = chunk_size
        self._pending = bytearray()
        self._index = 0
        self.sha256 = hashlib.sha256()
        self.size = 0
        out.write(self._header)

    def write(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)
        self._pending += data
        # Keep the last full chunk back: it may turn out to be the final one.
        while len(self._pending) > self._chunk_size:
            self._seal(bytes(self._pending[: self._chunk_size]), final=False)
            del self._pending[: self._chunk_size]

    def finish(self) -> None:
        self._seal(bytes(self._pending), final=True)
        self._pending = bytearray()

    def _seal(self, chunk: bytes, *, final: bool) -> None:
        aad = self._header + (b"\x01" if final else b"\x00")
        self._out.write(self._aead.encrypt(_nonce(self._prefix, self._index), chunk, aad))
        self._index += 1


def open_chunks(stream: BinaryIO, master_key: bytes) -> Iterator[bytes]:
    """Yield the plaintext of a blob chunk by chunk; raise BlobDamaged at the first bad one."""
    header = stream.read(HEADER_SIZE)
    if len(header) != HEADER_SIZE:
        raise BlobDamaged("blob shorter than its header")
    magic, salt, prefix, chunk_size, _reserved = HEADER.unpack(header)
    if magic != MAGIC or not 0 < chunk_size <= 64 * 1024 * 1024:
        raise BlobDamaged("not an evidence blob")
    aead = _blob_key(master_key, salt)
    sealed_size = chunk_size + TAG_SIZE
    index = 0
    current = stream.read(sealed_size)
    while True:
        following = stream.read(sealed_size) if len(current) == sealed_size else b""
        final = not following
        aad = header + (b"\x01" if final else b"\x00")
        try:
            plain = aead.decrypt(_nonce(prefix, index), current, aad)
        except InvalidTag as error:
            raise BlobDamaged(f"chunk {index} does not open") from error
        yield plain
        if final:
            return
        index += 1
        current = following


def seal_stream(source: BinaryIO, out: BinaryIO, master_key: bytes) -> Sealer:
    sealer = Sealer(out, master_key)
    for piece in iter(lambda: source.read(CHUNK_SIZE), b""):
        sealer.write(piece)
    sealer.finish()
    return sealer


def fsync_file(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())
