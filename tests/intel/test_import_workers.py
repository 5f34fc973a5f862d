"""Validation in worker processes gives the import exactly what validating in-process gives."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import pytest

from markaz.flows import imports
from markaz.flows.imports import Rejected, Row, rows_read
from markaz.intake.models import Report

GOOD = {
    "category": "fraud_marketplace",
    "narrative": "Фурӯшанда пул гирифт ва гум шуд.",
    "language": "tg",
    "suspect_identifiers": [{"kind": "phone", "value": "93 555 12 34"}],
    "consent": True,
    "submitted_at": "2026-01-10T09:00:00+05:00",
}


def _file(tmp_path: Path, count: int) -> Path:
    lines = []
    for n in range(count):
        if n % 7 == 3:
            lines.append("{not json")
        elif n % 7 == 5:
            lines.append(json.dumps({**GOOD, "external_id": f"b-{n}", "category": "nope"}))
        elif n % 11 == 10:
            lines.append(json.dumps({**GOOD, "external_id": "b-0"}))  # repeats line 1
        else:
            lines.append(json.dumps({**GOOD, "external_id": f"b-{n}"}))
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _outcomes(path: Path, workers: int) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for item in rows_read(path, workers=workers):
        if isinstance(item, Row):
            out.append(("row", item.line, item.external_id, item.draft, item.submitted_at))
        else:
            assert isinstance(item, Rejected)
            out.append(("rejected", item.line, item.reason, item.original))
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_give_the_same_rows_and_rejects_in_file_order(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(imports, "WORKER_CHUNK", 5)  # many chunks in flight, out of step
    path = _file(tmp_path, 90)
    alone = _outcomes(path, 0)
    assert _outcomes(path, workers) == alone
    lines = [outcome[1] for outcome in alone]
    assert lines == sorted(lines) == list(range(1, 91))
    repeats = [o for o in alone if o[0] == "rejected" and o[2] == "external_id repeats line 1"]
    assert repeats


def test_a_bad_csv_header_stops_before_any_worker_starts(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text("external_id,colour\nb-1,red\n", encoding="utf-8")
    with pytest.raises(imports.ImportFileError, match="colour"):
        list(rows_read(path, workers=2))


def test_workers_extract_ahead_and_the_batch_stores_their_readings(db, tmp_path, monkeypatch):
    from markaz.intel import services
    from markaz.intel.models import Sighting

    main = os.getpid()
    extract = services.report_occurrences

    def only_in_workers(*args: object, **kwargs: object):
        assert os.getpid() != main, "the importing process extracted a row a worker had read"
        return extract(*args, **kwargs)

    monkeypatch.setattr(services, "report_occurrences", only_in_workers)
    path = tmp_path / "reports.jsonl"
    records = [
        {
            **GOOD,
            "external_id": f"b-{n}",
            "narrative": f"Пул ба +992 93 555 12 {n + 40} фиристодам.",
        }
        for n in range(30)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    user = importlib.import_module("markaz.flows.management.commands.import")._submitter("")
    result = imports.reports_import(path, submitted_by=user, workers=2)
    assert result.imported == 30
    stored = set(Sighting.objects.values_list("report_id", "indicator_id", "role", "field", "raw"))
    monkeypatch.setattr(services, "report_occurrences", extract)
    services.reports_index(reports=list(Report.objects.all()))  # read again, in this process
    again = set(Sighting.objects.values_list("report_id", "indicator_id", "role", "field", "raw"))
    assert stored == again
    assert len(stored) == 60  # one phone in each narrative, one named as the suspect's
