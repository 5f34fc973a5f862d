"""Check a court package offline: no Django, no database, only the ZIP (and optionally a key).

    markaz verify-package FILE [--pubkey PEM]

A package passes when manifest.sig is a valid Ed25519 signature over manifest.json by the
key in pubkey.pem (or by the key given with --pubkey, which should be the centre's
published key: the key inside the ZIP proves only that the package is intact, not who
made it), every item and document the manifest lists is present with its SHA-256 and
size, and the ZIP holds nothing else. The format is described in docs/evidence.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "markaz-court-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "pubkey.pem"
READ_CHUNK = 1024 * 1024


class PackageRejected(Exception):
    """The package fails a check; the message says which."""


@dataclass
class CheckResult:
    case: str
    key_id: str
    items: int
    files: int
    notes: list[str] = field(default_factory=list)


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _load_key(pem: bytes, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as error:
        raise PackageRejected(f"{where} is not a readable public key") from error
    if not isinstance(key, Ed25519PublicKey):
        raise PackageRejected(f"{where} is not an Ed25519 public key")
    return key


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _hash_member(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(name) as member:
            for piece in iter(lambda: member.read(READ_CHUNK), b""):
                digest.update(piece)
                size += len(piece)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PackageRejected(f"{name}: cannot be read from the ZIP ({error})") from error
    return digest.hexdigest(), size


def _listed_files(manifest: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """path -> (sha256, size) of every file the manifest vouches for."""
    listed: dict[str, tuple[str, int]] = {}
    try:
        entries = [i for i in manifest["items"] if i.get("path")] + list(manifest["documents"])
        for entry in entries:
            path, sha, size = entry["path"], entry["sha256"], entry["size"]
            if not isinstance(path, str) or not _safe_name(path) or path in listed:
                raise PackageRejected(f"manifest lists a bad or repeated path: {path!r}")
            if not isinstance(sha, str) or not isinstance(size, int):
                raise PackageRejected(f"manifest entry for {path} lacks a hash or size")
            listed[path] = (sha.lower(), size)
    except (KeyError, TypeError, AttributeError) as error:
        raise PackageRejected(f"manifest.json is not a {FORMAT} manifest ({error})") from error
    return listed


def check_package(path: Path, *, pinned_key: bytes | None = None) -> CheckResult:
    """Check everything; raise PackageRejected with the first problem found."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageRejected(f"{path} is not a readable ZIP file ({error})") from error
    with archive:
        names = archive.namelist()
        manifest_bytes, signature, pem = _signed_parts(archive, names)
        key, note = _signing_key(pem, pinned_key)
        manifest = _manifest_signed(key, signature, manifest_bytes)
        listed = _listed_files(manifest)
        _members_match(archive, names, listed)
        case = manifest.get("case")
        return CheckResult(
            case=str(case.get("number", "?")) if isinstance(case, dict) else "?",
            key_id=key_id(key),
            items=len(manifest["items"]),
            files=len(listed),
            notes=[note],
        )


def _signed_parts(archive: zipfile.ZipFile, names: list[str]) -> tuple[bytes, bytes, bytes]:
    """The manifest, its signature and the key's PEM, each present once."""
    if len(names) != len(set(names)):
        raise PackageRejected("the ZIP holds two members with the same name")
    for required in (MANIFEST, SIGNATURE, PUBLIC_KEY):
        if required not in names:
            raise PackageRejected(f"{required} is missing")
    try:
        return archive.read(MANIFEST), archive.read(SIGNATURE), archive.read(PUBLIC_KEY)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PackageRejected(f"cannot read the manifest, signature or key ({error})") from error


def _signing_key(pem: bytes, pinned_key: bytes | None) -> tuple[Ed25519PublicKey, str]:
    """The package's key, which must be the pinned key if one is given, and a note on
    how far it can be trusted."""
    key = _load_key(pem, PUBLIC_KEY)
    if pinned_key is None:
        return key, (
            f"signing key {key_id(key)} taken from the package: compare it with the "
            "centre's published key (or pass --pubkey)"
        )
    expected = _load_key(pinned_key, "--pubkey")
    if key_id(expected) != key_id(key):
        raise PackageRejected(
            f"signed with key {key_id(key)}, not the expected key {key_id(expected)}"
        )
    return key, "signing key matches the key given with --pubkey"


def _manifest_signed(
    key: Ed25519PublicKey, signature: bytes, manifest_bytes: bytes
) -> dict[str, Any]:
    """The manifest, once its signature holds and it is one of this format's."""
    try:
        key.verify(signature, manifest_bytes)
    except InvalidSignature as error:
        raise PackageRejected("manifest.sig is not a valid signature over manifest.json") from error
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise PackageRejected("manifest.json is not JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageRejected(f"manifest.json is not a {FORMAT} manifest")
    return manifest


def _members_match(
    archive: zipfile.ZipFile, names: list[str], listed: dict[str, tuple[str, int]]
) -> None:
    """The ZIP holds exactly the files the manifest lists, with their sizes and hashes."""
    expected_names = {MANIFEST, SIGNATURE, PUBLIC_KEY, *listed}
    missing = sorted(expected_names - set(names))
    if missing:
        raise PackageRejected(f"missing from the ZIP: {', '.join(missing)}")
    extra = sorted(set(names) - expected_names)
    if extra:
        raise PackageRejected(f"not in the manifest: {', '.join(extra)}")
    for name, (sha, size) in sorted(listed.items()):
        got_sha, got_size = _hash_member(archive, name)
        if got_size != size:
            raise PackageRejected(f"{name}: size {got_size}, the manifest says {size}")
        if got_sha != sha:
            raise PackageRejected(f"{name}: SHA-256 {got_sha}, the manifest says {sha}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="markaz verify-package",
        description="Check a Markaz court package offline (signature, hashes, sizes, members).",
    )
    parser.add_argument("file", type=Path, help="the package ZIP")
    parser.add_argument(
        "--pubkey", type=Path, help="the centre's published Ed25519 public key (PEM) to require"
    )
    args = parser.parse_args(argv)
    try:
        pinned = args.pubkey.read_bytes() if args.pubkey else None
        result = check_package(args.file, pinned_key=pinned)
    except PackageRejected as error:
        print(f"REJECTED: {args.file}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"REJECTED: {error}", file=sys.stderr)
        return 1
    print(
        f"OK: {args.file}: case {result.case}, {result.items} item(s), {result.files} file(s) "
        f"match the manifest; signature valid (Ed25519 key {result.key_id})"
    )
    for note in result.notes:
        print(f"  note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
