"""Evidence in the browser: an investigator uploads a disk image to a case, hands it to the
lab (a transfer without a purpose is refused first), and downloads a court package that
`markaz verify-package` accepts; the same package with one byte flipped is rejected."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from markaz.accounts.roles import Role
from markaz.accounts.services import user_create
from markaz.cases.services import case_assign, case_open
from tests.browser.helpers import PASSWORD, log_in
from tests.factories import report_submitted

pytestmark = pytest.mark.browser
MARKAZ = Path(sys.executable).with_name("markaz")


@pytest.fixture(autouse=True)
def _evidence_in_tmp(settings, tmp_path: Path) -> None:
    settings.MARKAZ_EVIDENCE_DIR = tmp_path / "evidence"


def verify_package(path: Path) -> subprocess.CompletedProcess[str]:
    # Offline: no settings module, and a database URL that leads nowhere.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "MARKAZ"))}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nothing"
    return subprocess.run(  # noqa: S603
        [str(MARKAZ), "verify-package", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_investigator_adds_evidence_transfers_it_and_exports_a_package(page, tmp_path) -> None:
    boss = user_create(username="rustam", password=PASSWORD, roles=[Role.SUPERVISOR], actor=None)
    lead = user_create(username="farrukh", password=PASSWORD, roles=[Role.INVESTIGATOR], actor=None)
    case = case_assign(
        case=case_open(reports=[report_submitted()], title="Somon shop", actor=boss),
        investigator=lead,
        actor=boss,
    )
    image = tmp_path / "phone-dump.bin"
    image.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    sha256 = hashlib.sha256(image.read_bytes()).hexdigest()

    # From the case page to its evidence, and a file upload.
    log_in(page, "farrukh")
    page.goto(f"/staff/cases/{case.number}/")
    page.click("#case-evidence-link")
    page.wait_for_url(re.compile(r"/staff/evidence/case/"))
    page.fill("#id_file_description", "Extraction of the suspect's phone")
    page.fill("#id_file_location", "Evidence room 2, shelf 4")
    page.fill("#id_file_purpose", "Seized at the search")
    page.fill("#id_file_authority", "Search protocol 17/2026")
    page.set_input_files("#id_file_file", str(image))
    page.click("#evidence-upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/evidence/item/\d+/$"))
    assert page.locator("#evidence-sha256").inner_text() == sha256

    # A transfer without a purpose is refused, in the page's language (Tajik).
    page.select_option("#id_custody_kind", "transferred")
    page.fill("#id_custody_to_party", "Forensic lab")
    page.click("#custody-form button[type=submit]")
    with translation.override("tg"):
        refusal = translation.gettext("A transfer needs a purpose: say why the item changes hands.")
    page.locator("#custody-form .alert", has_text=refusal).wait_for()
    assert page.locator("#custody-history tbody tr").count() == 1

    page.fill("#id_custody_purpose", "Imaging and hash check")
    page.fill("#id_custody_authority", "Order 12/2026")
    page.click("#custody-form button[type=submit]")
    page.locator("#evidence-holder", has_text="Forensic lab").wait_for()
    assert page.locator("#custody-history tbody tr").count() == 2

    # The court package: choose the item, give the purpose, download.
    page.goto(f"/staff/evidence/case/{case.number}/")
    page.check("#evidence-list input[name=items]")
    page.fill("#id_package_purpose", "For the prosecutor")
    with page.expect_download() as download_info:
        page.click("#evidence-package-submit")
    package = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(package)
    assert package.name.startswith(case.number) and package.suffix == ".zip"

    accepted = verify_package(package)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("OK:")

    # One byte flipped inside the original, as stored in the ZIP.
    raw = bytearray(package.read_bytes())
    offset = raw.index(image.read_bytes()[4096:4160]) + 10
    raw[offset] ^= 0x01
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(raw))
    rejected = verify_package(flipped)
    assert rejected.returncode == 1
    assert rejected.stderr.startswith("REJECTED")
