"""`markaz import reports FILE`: CSV and JSON Lines, idempotent, rejects with line numbers,
and an import killed midway that resumes without losing or duplicating a row."""

from __future__ import annotations

import csv
import gc
import importlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from markaz.intake.models import Report
from markaz.intel.models import CampaignMember, Sighting

PHONE = "93 555 12 34"


def _record(n: int, **fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "external_id": f"bank-{n}",
        "category": "fraud_marketplace",
        "narrative": f"Фурӯшанда пул гирифт ва гум шуд ({n}).",
        "language": "tg",
        "loss_amount": "150",
        "loss_currency": "TJS",
        "suspect_identifiers": [{"kind": "phone", "value": PHONE}],
        "consent": True,
        "submitted_at": "2026-01-10T09:00:00+05:00",
    }
    record.update(fields)
    return record


def _jsonl(path: Path, records: list[object]) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    return path


def _csv(path: Path, records: list[dict[str, object]]) -> Path:
    columns = sorted({key for record in records for key in record})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for record in records:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False)
                    if isinstance(v, list)
                    else ("true" if v is True else v)
                    for k, v in record.items()
                }
            )
    return path


def _import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import", "reports", str(path), *args, stdout=out, stderr=StringIO(), verbosity=0)
    return out.getvalue()


def test_csv_rows_are_stored_extracted_and_linked(db, tmp_path):
    path = _csv(
        tmp_path / "bank.csv", [_record(1), _record(2), _record(3, narrative="Дар\nду сатр")]
    )
    assert "3 reports imported" in _import(path)
    reports = Report.objects.filter(external_id__startswith="bank-")
    assert reports.count() == 3
    assert {r.channel for r in reports} == {"partner"}
    assert {r.submitted_by.username for r in reports} == {"markaz-import"}
    assert Sighting.objects.filter(report__in=reports, linking=True).count() == 3
    assert len(set(CampaignMember.objects.values_list("campaign_id", flat=True))) == 1
    assert reports.get(external_id="bank-3").narrative == "Дар\nду сатр"


def test_jsonl_rows_are_stored_with_their_submission_time(db, tmp_path):
    path = _jsonl(tmp_path / "bank.jsonl", [_record(1), _record(2, suspect_identifiers=[])])
    _import(path)
    report = Report.objects.get(external_id="bank-1")
    assert report.submitted_at.isoformat() == "2026-01-10T04:00:00+00:00"
    assert report.suspect_identifiers.get().value == PHONE


def test_batches_are_stored_with_the_collector_relaxed_and_it_is_restored(db, tmp_path):
    from markaz.core.collector import BULK_YOUNG_THRESHOLD
    from markaz.flows.imports import reports_import

    path = _jsonl(tmp_path / "bank.jsonl", [_record(n) for n in range(5)])
    user = importlib.import_module("markaz.flows.management.commands.import")._submitter("")
    threshold = gc.get_threshold()
    during: list[int] = []
    reports_import(
        path,
        submitted_by=user,
        batch_size=2,
        before_commit=lambda _number: during.append(gc.get_threshold()[0]),
    )
    assert during == [BULK_YOUNG_THRESHOLD] * 3
    assert gc.get_threshold() == threshold


def test_statistics_are_refreshed_whenever_the_run_has_doubled_what_it_stored(
    db, tmp_path, monkeypatch
):
    from markaz.flows import imports

    refreshed_at: list[int] = []
    monkeypatch.setattr(imports, "ANALYZE_FIRST", 2)
    monkeypatch.setattr(
        imports, "statistics_refresh", lambda: refreshed_at.append(Report.objects.count())
    )
    path = _jsonl(tmp_path / "bank.jsonl", [_record(n) for n in range(9)])
    assert "9 reports imported" in _import(path, "--batch-size", "1")
    assert refreshed_at == [2, 4, 8]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_statistics_refresh_gives_postgresql_the_grown_tables_row_counts(db, tmp_path):
    from markaz.flows.imports import statistics_refresh

    _import(_jsonl(tmp_path / "bank.jsonl", [_record(n) for n in range(7)]))

    def planner_rows(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    statistics_refresh()
    assert planner_rows("intake_report") == 7
    assert planner_rows("intel_sighting") == Sighting.objects.count()


def test_second_run_imports_nothing_new(db, tmp_path):
    path = _jsonl(tmp_path / "bank.jsonl", [_record(n) for n in range(5)])
    _import(path)
    assert "0 reports imported, 5 already stored" in _import(path)
    assert Report.objects.count() == 5


def test_bad_rows_are_rejected_with_line_number_and_reason(db, tmp_path):
    records: list[object] = [
        _record(1),
        _record(2, category="no_such_category"),
        "{not json",
        _record(4, consent=False),
        {k: v for k, v in _record(5).items() if k != "external_id"},
        _record(1),  # the same external id again
        _record(7, suspect_identifiers=[{"kind": "nonsense", "value": "x"}]),
        _record(8, submitted_at="2999-01-01T00:00:00Z"),
        _record(9),
    ]
    path = _jsonl(tmp_path / "bank.jsonl", records)
    assert "2 reports imported, 0 already stored, 7 rejected" in _import(path)
    rejects = [
        json.loads(line)
        for line in (tmp_path / "bank.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    reasons = {r["line"]: r["reason"] for r in rejects}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8]
    assert reasons[2].startswith("category")
    assert "JSON" in reasons[3]
    assert reasons[4].startswith("consent")
    assert reasons[5] == "external_id is required"
    assert reasons[6] == "external_id repeats line 1"
    assert "kind" in reasons[7]
    assert "future" in reasons[8]
    assert rejects[0]["record"]["external_id"] == "bank-2"
    # The record as read (the file's JSON as an object), the repeated one included.
    originals = {r["line"]: r["record"] for r in rejects}
    assert originals[6] == _record(1)
    assert originals[3] == {}  # not JSON: nothing to give back but the line number
    assert set(Report.objects.values_list("external_id", flat=True)) == {"bank-1", "bank-9"}


def test_bad_csv_rows_go_to_a_csv_rejects_file(db, tmp_path):
    path = _csv(tmp_path / "bank.csv", [_record(1), _record(2, loss_amount="-5"), _record(3)])
    _import(path)
    with (tmp_path / "bank.rejects.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["line"], r["external_id"]) for r in rows] == [("3", "bank-2")]
    assert rows[0]["reason"].startswith("loss_amount")


# --- killed midway ------------------------------------------------------------------------


def _command_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "MARKAZ_DATA_DIR": str(data_dir)}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env.pop("DATABASE_URL", None)
    return env


def _markaz(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen:
    code = "from markaz.cli import main; main()"
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-c", code, *args], env=env, text=True, **kwargs
    )


def _stored_external_ids(data_dir: Path) -> list[str]:
    if connection.vendor == "postgresql":
        return list(Report.objects.values_list("external_id", flat=True))
    with sqlite3.connect(data_dir / "markaz.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT external_id FROM intake_report")]


@pytest.mark.django_db(transaction=True)
def test_import_killed_midway_resumes_without_duplicates(tmp_path):
    if connection.vendor == "postgresql":
        data_dir = Path(settings.DATA_DIR)  # the test database, the keys of the test run
    else:  # the test database is in memory: the subprocesses share a file database
        data_dir = tmp_path / "data"
        data_dir.mkdir()
    env = _command_env(data_dir)
    if connection.vendor != "postgresql":
        assert _markaz("migrate", "-v0", env=env).wait(timeout=300) == 0
    good = [_record(n) for n in range(40)]
    path = _jsonl(tmp_path / "bank.jsonl", [*good[:10], "{broken", *good[10:]])

    hang_env = {**env, "MARKAZ_IMPORT_HANG_IN_BATCH": "3"}
    args = ("import", "-v0", "reports", str(path), "--batch-size", "5")
    process = _markaz(*args, env=hang_env, stdout=subprocess.PIPE)
    try:
        line = process.stdout.readline()
        assert line.startswith("hanging in batch 3"), line
        os.kill(process.pid, signal.SIGKILL)  # inside batch 3's transaction, before commit
    finally:
        process.kill()
        process.wait(timeout=60)
        process.stdout.close()
    stored = _stored_external_ids(data_dir)
    assert len(stored) == 10  # batches 1 and 2 committed, batch 3 rolled back

    resumed = _markaz(*args, env=env, stdout=subprocess.PIPE)
    out, _err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0
    assert "30 reports imported, 10 already stored, 1 rejected" in out
    stored = _stored_external_ids(data_dir)
    assert sorted(stored) == sorted(r["external_id"] for r in good)
