"""Court packages: chosen items of a case in a signed ZIP a third party can check offline.

    manifest.json   what the package holds: case, items (hash, size, custody history),
                    and the SHA-256 of every other file except the signature and key
    manifest.sig    Ed25519 signature over the exact bytes of manifest.json (64 bytes, raw)
    pubkey.pem      the signing public key (SubjectPublicKeyInfo PEM)
    manifest.html   the same facts for people
    SHA256SUMS      `sha256sum -c` input for the originals and manifest.html
    items/E1-name   the originals, decrypted, byte for byte as acquired

The package is signed with the instance's Ed25519 key, the one that signs audit tree
heads (`markaz.audit.signing`): one key for the centre to publish and a court to trust.
The two uses cannot be confused: a tree head is text that starts "markaz-audit/", a
manifest is a JSON object, so no signature of one is ever a valid signature of the other.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.utils import timezone, translation

from markaz.audit.canonical import utc_text
from markaz.audit.signing import key_id, public_key_pem, signing_key
from markaz.cases.models import Case
from markaz.evidence.models import EvidenceItem
from markaz.evidence.packagecheck import FORMAT, MANIFEST, PUBLIC_KEY, SIGNATURE
from markaz.evidence.store import evidence_dir, read_plain

SUMS = "SHA256SUMS"
HTML = "manifest.html"
# Originals are stored, not deflated: disk images are large and often already compressed,
# and a court's tools then find each original at a plain offset.
ZIP64_FROM = 2**31


@dataclass(frozen=True)
class BuiltPackage:
    path: Path
    name: str
    sha256: str
    size: int


def tool_version() -> str:
    try:
        return version("markaz")
    except PackageNotFoundError:
        return "unknown"


def member_name(item: EvidenceItem) -> str:
    """items/E1-name.ext: the item number keeps names unique; the rest is made harmless."""
    name = unicodedata.normalize("NFKC", item.original_name or "item")
    name = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "item"
    return f"items/{item.number}-{name[:100]}"


def _custody(item: EvidenceItem) -> list[dict[str, object]]:
    return [
        {
            "kind": event.kind,
            "at": utc_text(event.at),
            "actor": event.actor.get_username(),
            "from": event.from_party,
            "to": event.to_party,
            "location": event.location,
            "purpose": event.purpose,
            "authority": event.authority,
            "note": event.note,
        }
        for event in item.custody_events.select_related("actor").order_by("at", "id")
    ]


def _item_entry(item: EvidenceItem) -> dict[str, object]:
    return {
        "number": item.number,
        "kind": item.kind,
        "description": item.description,
        "path": member_name(item) if item.is_digital else None,
        "original_name": item.original_name,
        "content_type": item.content_type,
        "sha256": item.sha256 or None,
        "size": item.size,
        "seal_number": item.seal_number,
        "acquired_at": utc_text(item.acquired_at),
        "acquired_by": item.acquired_by.get_username(),
        "holder": item.holder,
        "location": item.location,
        "state": item.state,
        "custody": _custody(item),
    }


def _packages_dir() -> Path:
    path = evidence_dir() / "packages"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _write_item(archive: zipfile.ZipFile, item: EvidenceItem, generated: datetime) -> None:
    info = zipfile.ZipInfo(member_name(item), date_time=_zip_time(generated))
    info.compress_type = zipfile.ZIP_STORED
    digest = hashlib.sha256()
    size = 0
    with archive.open(info, "w", force_zip64=(item.size or 0) >= ZIP64_FROM) as out:
        for chunk in read_plain(item.sha256):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    # The bytes went through AES-GCM's tags already; this also catches a blob of another hash.
    if digest.hexdigest() != item.sha256 or size != item.size:
        raise ValueError(f"{item}: stored bytes do not match the hash taken at acquisition")


def _zip_time(at: datetime) -> tuple[int, int, int, int, int, int]:
    utc = at.astimezone(UTC)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _write_text(archive: zipfile.ZipFile, name: str, data: bytes, generated: datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=_zip_time(generated))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def package_build(
    *,
    case: Case,
    items: Sequence[EvidenceItem],
    actor: User,
    purpose: str,
    authority: str,
) -> BuiltPackage:
    """Write the package to a temporary file and rename it into place when complete."""
    generated = timezone.now()
    items = list(items)
    entries = [_item_entry(item) for item in items]
    stamp = generated.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{case.number}-evidence-{stamp}.zip"
    final = _packages_dir() / name
    temp = _packages_dir() / f".{name}.{secrets.token_hex(8)}.part"
    private = signing_key(Path(settings.MARKAZ_KEY_DIR))
    statement = _Statement(
        case=case,
        entries=entries,
        generated=generated,
        generated_by=actor.get_username(),
        purpose=purpose,
        authority=authority,
        key_id=key_id(private.public_key()),
    )
    try:
        with zipfile.ZipFile(temp, "x", allowZip64=True) as archive:
            for item in items:
                if item.is_digital:
                    _write_item(archive, item, generated)
            for member, data in _documents(statement, private):
                _write_text(archive, member, data, generated)
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BuiltPackage(final, name, _file_sha256(final), final.stat().st_size)


@dataclass(frozen=True)
class _Statement:
    """What the package says, in manifest.json and again in manifest.html: the case, its
    items, who made it, when, why, on whose authority, and the key that signs it."""

    case: Case
    entries: list[dict[str, object]]
    generated: datetime
    generated_by: str
    purpose: str
    authority: str
    key_id: str


def _documents(statement: _Statement, private: Ed25519PrivateKey) -> list[tuple[str, bytes]]:
    """The package's members beside the originals, in the order they are written."""
    html = _manifest_html(statement)
    sums = "".join(
        f"{entry['sha256']}  {entry['path']}\n" for entry in statement.entries if entry["path"]
    )
    sums_bytes = (sums + f"{hashlib.sha256(html).hexdigest()}  {HTML}\n").encode("ascii")
    manifest_bytes = _manifest_json(statement, html=html, sums=sums_bytes)
    return [
        (HTML, html),
        (SUMS, sums_bytes),
        (MANIFEST, manifest_bytes),
        (SIGNATURE, private.sign(manifest_bytes)),
        (PUBLIC_KEY, public_key_pem(private.public_key()).encode("ascii")),
    ]


def _manifest_html(statement: _Statement) -> bytes:
    # manifest.html is rendered in English for the record, whatever the user's language:
    # the court package is one document, and the Tajik and Russian labels are on the page.
    context = {
        "case": statement.case,
        "items": statement.entries,
        "generated_at": utc_text(statement.generated),
        "generated_by": statement.generated_by,
        "purpose": statement.purpose,
        "authority": statement.authority,
        "key_id": statement.key_id,
        "version": tool_version(),
    }
    with translation.override("en"):
        return render_to_string("evidence/manifest.html", context).encode("utf-8")


def _manifest_json(statement: _Statement, *, html: bytes, sums: bytes) -> bytes:
    manifest = {
        "format": FORMAT,
        "tool": {"name": "markaz", "version": tool_version()},
        "generated_at": utc_text(statement.generated),
        "generated_by": statement.generated_by,
        "purpose": statement.purpose,
        "authority": statement.authority,
        "case": {"number": statement.case.number, "title": statement.case.title},
        "signing_key": {"algorithm": "Ed25519", "key_id": statement.key_id, "file": PUBLIC_KEY},
        "items": statement.entries,
        "documents": [
            {"path": HTML, "sha256": hashlib.sha256(html).hexdigest(), "size": len(html)},
            {"path": SUMS, "sha256": hashlib.sha256(sums).hexdigest(), "size": len(sums)},
        ],
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for piece in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(piece)
    return digest.hexdigest()
