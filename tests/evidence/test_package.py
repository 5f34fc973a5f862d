"""Court packages: signed, complete, checked offline; any changed byte is caught."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from markaz.audit.models import AuditEvent
from markaz.evidence.choices import CustodyKind
from markaz.evidence.integrity import evidence_verify_all
from markaz.evidence.packagecheck import PackageRejected, check_package
from markaz.evidence.services import Circumstances, custody_record, evidence_add_physical
from markaz.evidence.store import blob_path

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def package(client, uploaded, lead, tmp_path) -> Path:
    item, _data = uploaded
    custody_record(
        item=item,
        kind=CustodyKind.TRANSFERRED,
        actor=lead,
        circumstances=Circumstances(purpose="Imaging", authority="Order 12"),
        to_party="Lab",
    )
    physical = evidence_add_physical(
        case=item.case,
        description="Sealed phone",
        seal_number="S-9",
        actor=lead,
        circumstances=Circumstances(location="Safe 3", purpose="Seizure"),
    )
    client.force_login(lead)
    response = client.post(
        reverse("evidence:package", args=[item.case.number]),
        {
            "items": [item.pk, physical.pk],
            "purpose": "For the prosecutor",
            "authority": "Request 5",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    path = tmp_path / "package.zip"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def test_package_holds_originals_manifest_and_signature(package, uploaded):
    item, data = uploaded
    result = check_package(package)
    assert result.items == 2
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        entry = manifest["items"][0]
        assert archive.read(entry["path"]) == data
        assert sorted(archive.namelist()) == sorted(
            [
                "manifest.json",
                "manifest.sig",
                "pubkey.pem",
                "manifest.html",
                "SHA256SUMS",
                entry["path"],
            ]
        )
    assert manifest["case"]["number"] == item.case.number
    assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
    assert [c["kind"] for c in entry["custody"]] == ["acquired", "transferred"]
    assert manifest["items"][1]["path"] is None and manifest["items"][1]["seal_number"] == "S-9"
    assert manifest["tool"]["name"] == "markaz" and manifest["generated_at"].endswith("Z")


def test_export_is_in_the_chain_and_the_log(package, uploaded):
    item, _data = uploaded
    exported = item.custody_events.get(kind=CustodyKind.EXPORTED)
    assert exported.purpose == "For the prosecutor" and exported.authority == "Request 5"
    event = AuditEvent.objects.get(action="evidence.package_exported")
    assert event.extra["package_sha256"] == hashlib.sha256(package.read_bytes()).hexdigest()


def _rewrite(package: Path, out: Path, change) -> Path:  # noqa: ANN001
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))
    return out


def _flip(data: bytes) -> bytes:
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x01
    return bytes(flipped)


def test_one_flipped_byte_in_any_member_is_rejected(package, tmp_path):
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
    for name in names:
        bad = _rewrite(
            package, tmp_path / "bad.zip", lambda n, d, name=name: _flip(d) if n == name else d
        )
        with pytest.raises(PackageRejected):
            check_package(bad)


def test_extra_or_missing_members_are_rejected(package, tmp_path):
    with zipfile.ZipFile(package) as archive:
        item_path = next(n for n in archive.namelist() if n.startswith("items/"))
    extra = tmp_path / "extra.zip"
    shutil.copy(package, extra)
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("items/E9-planted.bin", b"planted")
    with pytest.raises(PackageRejected, match="not in the manifest"):
        check_package(extra)
    missing = tmp_path / "missing.zip"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(missing, "w") as target:
        for info in source.infolist():
            if info.filename != item_path:
                target.writestr(info, source.read(info.filename))
    with pytest.raises(PackageRejected, match="missing"):
        check_package(missing)


def test_flipped_byte_in_the_zip_file_itself_is_rejected(package, tmp_path, uploaded):
    _item, data = uploaded
    raw = package.read_bytes()
    offset = raw.index(data[1000:1100]) + 50
    bad = tmp_path / "raw.zip"
    bad.write_bytes(raw[:offset] + bytes([raw[offset] ^ 0xFF]) + raw[offset + 1 :])
    with pytest.raises(PackageRejected):
        check_package(bad)


def test_a_pinned_key_must_match(package, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(PackageRejected, match="not the expected key"):
        check_package(package, pinned_key=other)
    with zipfile.ZipFile(package) as archive:
        own = archive.read("pubkey.pem")
    assert check_package(package, pinned_key=own).items == 2


def _offline_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "MARKAZ", "DATABASE"))
    }
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nothing"
    env["MARKAZ_DATA_DIR"] = str(tmp_path / "no-data-here")
    return env


def test_verify_package_runs_offline_without_a_database(package, tmp_path):
    markaz = Path(sys.executable).with_name("markaz")
    ok = subprocess.run(  # noqa: S603
        [str(markaz), "verify-package", str(package)],
        env=_offline_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK:")
    assert not (tmp_path / "no-data-here").exists()
    bad = _rewrite(
        package, tmp_path / "bad.zip", lambda n, d: _flip(d) if n == "manifest.json" else d
    )
    rejected = subprocess.run(  # noqa: S603
        [str(markaz), "verify-package", str(bad)],
        env=_offline_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert rejected.returncode == 1
    assert "REJECTED" in rejected.stderr and "signature" in rejected.stderr


@pytest.mark.skipif(
    not shutil.which("openssl") or not shutil.which("sha256sum"), reason="no openssl"
)
def test_standard_tools_check_the_package(package, tmp_path):
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    sums = subprocess.run(  # noqa: S603
        [shutil.which("sha256sum"), "-c", "SHA256SUMS"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,  # noqa: S607
    )
    assert sums.returncode == 0, sums.stdout + sums.stderr
    command = [shutil.which("openssl"), "pkeyutl", "-verify", "-pubin", "-inkey", "pubkey.pem", "-rawin",
               "-in", "manifest.json", "-sigfile", "manifest.sig"]  # fmt: skip
    good = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)  # noqa: S603
    assert good.returncode == 0 and "Signature Verified Successfully" in good.stdout
    (folder / "manifest.json").write_bytes(_flip((folder / "manifest.json").read_bytes()))
    bad = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)  # noqa: S603
    assert bad.returncode != 0


def test_tampered_blob_is_caught_by_verify_audited_and_shown(client, uploaded, lead):
    item, _data = uploaded
    path = blob_path(item.sha256)
    path.chmod(0o600)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("evidence", "verify", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    item.refresh_from_db()
    assert item.integrity_failed_at is not None
    mismatch = AuditEvent.objects.get(action="evidence.mismatch")
    assert mismatch.target_id == str(item.pk) and "chunk" in mismatch.extra["problem"]
    client.force_login(lead)
    for url in (
        reverse("evidence:item", args=[item.pk]),
        reverse("evidence:case", args=[item.case.number]),
        reverse("cases:case_detail", args=[item.case.number]),
    ):
        assert 'role="alert"' in client.get(url).content.decode(), url


def test_clean_store_verifies(uploaded):
    item, _data = uploaded
    report = evidence_verify_all()
    assert (report.blobs, report.mismatches) == (1, [])
    item.refresh_from_db()
    assert item.integrity_checked_at is not None and item.integrity_failed_at is None
    assert AuditEvent.objects.filter(action="evidence.verified").exists()


def test_missing_blob_is_a_mismatch(uploaded):
    item, _data = uploaded
    blob_path(item.sha256).unlink()
    assert evidence_verify_all().mismatches[0].problem == "the sealed blob is missing"
