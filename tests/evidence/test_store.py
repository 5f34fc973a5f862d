"""The sealed store: hashes at acquisition, encryption at rest, one blob per content."""

from __future__ import annotations

import hashlib
import io

import pytest

from markaz.evidence import sealed
from markaz.evidence.models import EvidenceItem
from markaz.evidence.store import blob_path, master_key, read_plain, receive_stream
from tests.evidence.conftest import upload

pytestmark = pytest.mark.django_db


def test_hash_at_acquisition_is_the_sha256_of_the_uploaded_bytes(uploaded):
    item, data = uploaded
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.size == len(data)
    assert item.original_name == "image.dd"


def test_stored_blob_is_encrypted_and_decrypts_back(uploaded):
    item, data = uploaded
    blob = blob_path(item.sha256).read_bytes()
    assert data[:64] not in blob
    assert bytes(range(256)) not in blob
    assert blob.startswith(sealed.MAGIC)
    assert b"".join(read_plain(item.sha256)) == data


def test_blob_file_is_read_only_and_key_file_private(uploaded, settings):
    item, _data = uploaded
    assert blob_path(item.sha256).stat().st_mode & 0o777 == 0o400
    master_key()
    key_file = settings.DATA_DIR / "keys" / "evidence_master_key"
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_same_content_is_stored_once(client, case, lead, uploaded):
    item, data = uploaded
    before = blob_path(item.sha256).stat()
    client.force_login(lead)
    upload(client, case, data, name="copy.dd")
    items = EvidenceItem.objects.filter(sha256=item.sha256)
    assert items.count() == 2
    after = blob_path(item.sha256).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    blobs = list((blob_path(item.sha256).parent.parent).rglob("*"))
    assert len([p for p in blobs if p.is_file()]) == 1
    assert not any((blob_path(item.sha256).parents[2] / "incoming").iterdir())


def _sealed(data: bytes, chunk: int = 16) -> bytes:
    out = io.BytesIO()
    sealer = sealed.Sealer(out, b"k" * 32, chunk_size=chunk)
    sealer.write(data)
    sealer.finish()
    return out.getvalue()


def _open(blob: bytes) -> bytes:
    return b"".join(sealed.open_chunks(io.BytesIO(blob), b"k" * 32))


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 32, 100])
def test_sealed_round_trip_at_chunk_edges(size):
    data = bytes(range(size))
    assert _open(_sealed(data)) == data


def test_sealed_truncation_at_a_chunk_boundary_is_caught():
    blob = _sealed(bytes(64))
    cut = sealed.HEADER_SIZE + 2 * (16 + sealed.TAG_SIZE)
    with pytest.raises(sealed.BlobDamaged):
        _open(blob[:cut])


def test_sealed_reordered_chunks_are_caught():
    blob = _sealed(bytes(range(64)))
    h, n = sealed.HEADER_SIZE, 16 + sealed.TAG_SIZE
    swapped = blob[:h] + blob[h + n : h + 2 * n] + blob[h : h + n] + blob[h + 2 * n :]
    with pytest.raises(sealed.BlobDamaged):
        _open(swapped)


def test_sealed_one_flipped_bit_anywhere_is_caught():
    blob = _sealed(bytes(range(40)))
    for offset in range(len(blob)):
        damaged = bytearray(blob)
        damaged[offset] ^= 0x01
        with pytest.raises(sealed.BlobDamaged):
            _open(bytes(damaged))


def test_receive_stream_hashes_while_sealing(settings):
    data = b"x" * 3_000_001
    received = receive_stream(io.BytesIO(data))
    assert received.sha256 == hashlib.sha256(data).hexdigest()
    assert received.size == len(data)
    assert data[:1000] not in received.temp_path.read_bytes()
