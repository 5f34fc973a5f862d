"""A bulk import leaves an audit log that `markaz audit verify` accepts: one event per report."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent, TreeHead
from markaz.intake.models import Report


def _record(n: int) -> dict[str, object]:
    return {
        "external_id": f"bank-{n}",
        "category": "fraud_marketplace",
        "narrative": f"Фурӯшанда пул гирифт ва гум шуд ({n}); тел. 93 555 12 {n % 90 + 10}.",
        "language": "tg",
        "suspect_identifiers": [{"kind": "phone", "value": "93 555 12 34"}],
        "consent": True,
        "submitted_at": "2026-01-10T09:00:00+05:00",
    }


def test_audit_verify_passes_after_a_bulk_import(db, tmp_path: Path, settings):
    settings.MARKAZ_KEY_DIR = tmp_path / "keys"
    settings.MARKAZ_AUDIT_CHECKPOINT_EVERY = 7  # heads signed in the middle of batches
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps(_record(n)) + "\n" for n in range(40)), encoding="utf-8")
    out = StringIO()
    call_command("import", "reports", str(path), "--batch-size", "15", stdout=out, verbosity=0)
    assert "40 reports imported" in out.getvalue()
    submitted = AuditEvent.objects.filter(action=AuditAction.REPORT_SUBMITTED)
    assert sorted(submitted.values_list("target_id", flat=True)) == sorted(
        str(pk) for pk in Report.objects.values_list("pk", flat=True)
    )
    assert TreeHead.objects.count() >= 5
    verified = StringIO()
    call_command("audit", "verify", "--quiet", stdout=verified, stderr=StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_VERIFIED, extra__ok=True).exists()
