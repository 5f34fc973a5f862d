"""Checking and storing victims' attachments: the bytes decide what a file is, not its name."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
PDF_MAGIC = b"%PDF-"


class AttachmentRejected(ValueError):
    """The file is not an image or PDF we accept."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff_content_type(stream: BinaryIO) -> str:
    """Return the MIME type from the file's bytes, or raise AttachmentRejected."""
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    try:
        with Image.open(stream) as image:
            kind = image.format or ""
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise AttachmentRejected(str(exc)) from exc
    finally:
        stream.seek(0)
    if kind not in IMAGE_TYPES:
        raise AttachmentRejected(kind)
    return IMAGE_TYPES[kind]


def upload_dir() -> Path:
    path = Path(settings.MARKAZ_UPLOAD_DIR) / "attachments"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def store_attachment(stream: BinaryIO) -> StoredFile:
    """Copy the stream to a new file with a random name, hashing as it goes."""
    content_type = sniff_content_type(stream)
    stored_name = secrets.token_hex(16)
    digest = hashlib.sha256()
    size = 0
    path = upload_dir() / stored_name
    stream.seek(0)
    with path.open("xb") as out:
        for chunk in iter(lambda: stream.read(64 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    path.chmod(0o600)
    return StoredFile(
        stored_name=stored_name, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


def attachment_path(stored_name: str) -> Path:
    # Stored names are ours (hex), but refuse anything else rather than trust the database.
    if not stored_name.isalnum():
        raise ValueError("bad stored name")
    return upload_dir() / stored_name


def discard_stored(stored: list[StoredFile]) -> None:
    """Remove files written for a report whose transaction did not commit."""
    for item in stored:
        attachment_path(item.stored_name).unlink(missing_ok=True)
