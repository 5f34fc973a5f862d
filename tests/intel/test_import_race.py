"""Two imports storing the same external id at once: the loser's batch stores nothing,
is tried once more, and skips what the winner stored (no duplicate, no lost row)."""

from __future__ import annotations

from markaz.intake import services as intake_services
from markaz.intake.models import Report
from tests.intel.test_import import _import, _jsonl, _record


def test_batch_that_loses_a_race_is_retried_without_duplicates(db, tmp_path, monkeypatch):
    _import(_jsonl(tmp_path / "winner.jsonl", [_record(1)]))
    real_lookup = intake_services._reports_submitted
    calls = []

    def lookup_before_the_winner_committed(submissions):
        # The first look finds nothing, as if the other import had not committed yet.
        calls.append(len(submissions))
        return {} if len(calls) == 1 else real_lookup(submissions)

    monkeypatch.setattr(intake_services, "_reports_submitted", lookup_before_the_winner_committed)
    out = _import(_jsonl(tmp_path / "loser.jsonl", [_record(1), _record(2)]))
    assert len(calls) == 2  # the unique constraint stopped the first attempt
    assert "1 reports imported, 1 already stored" in out
    assert sorted(Report.objects.values_list("external_id", flat=True)) == ["bank-1", "bank-2"]
