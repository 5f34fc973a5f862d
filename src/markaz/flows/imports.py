"""Bulk import of reports from CSV or JSON Lines (``markaz import reports FILE``).

Every row passes the same rules as the API and the public form (the API's input schema,
then ``intake.validation.draft_from_input``, the API's own path, which applies the form's rules
without building a form per row), so an import cannot store what the form would refuse.
Good rows go in through the submission flow (``reports_submit``) as the ``partner`` channel under
one submitter, so external ids are unique per submitter exactly as in the API. Rows are committed in
batches, each batch in one transaction: references, status rows and audit events for the
whole batch at once, its reports extracted and linked together (intel's batch path). A
restart skips external ids already stored: a crash or Ctrl-C loses at most the batch in
flight, and never duplicates one.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import connection, connections
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from pydantic import ValidationError as SchemaError

from markaz.audit.models import AuditEvent
from markaz.core.collector import collection_relaxed
from markaz.flows.submission import reports_submit
from markaz.intake.choices import Channel
from markaz.intake.models import Report, StatusChange, SuspectIdentifier
from markaz.intake.schemas import ReportIn
from markaz.intake.services import ReportDraft, Submission
from markaz.intake.validation import DraftRefused, draft_from_input
from markaz.intel.extraction import Reading, ReadingKey
from markaz.intel.models import Campaign, CampaignMember, Indicator, ReportIndex, Sighting
from markaz.intel.services import draft_reading

FIELDS = (
    "external_id",
    "category",
    "narrative",
    "language",
    "incident_at",
    "incident_time_approximate",
    "region",
    "district",
    "loss_amount",
    "loss_currency",
    "payment_method",
    "suspect_identifiers",
    "victim_name",
    "victim_phone",
    "victim_email",
    "consent",
    "submitted_at",
)
BATCH = 500
# Reports this run stores before PostgreSQL's statistics are first refreshed; then each
# time the run has doubled what it stored (see statistics_refresh).
ANALYZE_FIRST = 10_000
MAX_LINE = 1_000_000  # characters: a row longer than this is refused, not parsed

T = TypeVar("T")


# (first line, record: a dict, a JSON line's text or None, problem): see records_read.
Record = tuple[int, dict[str, Any] | str | None, str]


class ImportFileError(Exception):
    """The file as a whole cannot be read (unknown format, unknown CSV columns)."""


@dataclass
class Row:
    line: int
    external_id: str
    draft: ReportDraft
    submitted_at: datetime | None = None
    # Extracted ahead by a worker (key, reading); None: the batch extracts it.
    reading: tuple[ReadingKey, Reading] | None = None


@dataclass
class Rejected:
    line: int
    reason: str
    original: dict[str, Any] | str


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0  # already stored (an earlier run, or the same run before a crash)
    rejected: list[Rejected] = field(default_factory=list)


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise ImportFileError(f"{path.name}: use a .csv or a .jsonl file")


def rejects_path(path: Path) -> Path:
    """Next to the input: reports.csv -> reports.rejects.csv."""
    return path.with_name(f"{path.stem}.rejects{path.suffix}")


def records_read(path: Path) -> Iterator[Record]:
    """(first line number, record or None, problem) for every record of the file.

    A JSON Lines record comes as its line's text, parsed where it is validated
    (``record_parsed``): in a worker when there are workers, not in the storing process.
    """
    if file_format(path) == "csv":
        yield from _csv_records(path)
    else:
        yield from _jsonl_records(path)


def _csv_records(path: Path) -> Iterator[Record]:
    """A CSV file's rows as dicts without their empty cells; its header is checked first."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = set(reader.fieldnames or ()) - set(FIELDS)
        if unknown:
            raise ImportFileError(f"unknown columns: {', '.join(sorted(unknown))}")
        if "external_id" not in (reader.fieldnames or ()):
            raise ImportFileError("the external_id column is required")
        while True:
            line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line, None, f"not valid CSV: {exc}"
                continue
            if None in record:
                yield line, None, "more cells than columns"
                continue
            yield line, {k: v for k, v in record.items() if v not in ("", None)}, ""


def _jsonl_records(path: Path) -> Iterator[Record]:
    """A JSON Lines file's non-blank lines, as text: parsing is the validator's."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            if len(text) > MAX_LINE:
                yield number, None, "line too long"
                continue
            yield number, text, ""


def record_parsed(
    record: dict[str, Any] | str | None, problem: str
) -> tuple[dict[str, Any] | None, str]:
    """(record, problem) of what ``records_read`` gave: a JSON line's text parsed."""
    if not isinstance(record, str):
        return record, problem
    try:
        parsed = json.loads(record)
    except ValueError as exc:
        return None, f"not valid JSON: {exc}"
    if not isinstance(parsed, dict):
        return None, "not a JSON object"
    return parsed, ""


def _identifiers(value: Any) -> list[dict[str, Any]]:
    """A list of {"kind", "value"} (JSON in a CSV cell); [kind, value] pairs also accepted."""
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, list):
        raise ValueError("suspect_identifiers must be a list")
    return [
        {"kind": item[0], "value": item[1]} if isinstance(item, list) and len(item) == 2 else item
        for item in value
    ]


def row_validate(line: int, record: dict[str, Any]) -> Row:
    """A draft that the API and the form would accept, or ValueError with the reason."""
    unknown = set(record) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    external_id = str(record.get("external_id", "")).strip()
    if not external_id:
        raise ValueError("external_id is required")
    data = dict(record)
    submitted_at = _submitted_at(data.pop("submitted_at", None))
    if "suspect_identifiers" in data:
        try:
            data["suspect_identifiers"] = _identifiers(data["suspect_identifiers"])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"suspect_identifiers: {exc}") from None
    data["external_id"] = external_id
    try:
        draft = draft_from_input(_report_input(data))
    except DraftRefused as refused:
        raise ValueError(str(refused)) from None
    return Row(line=line, external_id=external_id, draft=draft, submitted_at=submitted_at)


def _submitted_at(raw: object) -> datetime | None:
    """When an earlier system received the report (ISO 8601, never in the future), or None."""
    if not raw:
        return None
    submitted_at = parse_datetime(str(raw))
    if submitted_at is None:
        raise ValueError("submitted_at: not an ISO 8601 date and time")
    if timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at)
    if submitted_at > timezone.now():
        raise ValueError("submitted_at: in the future")
    return submitted_at


def _report_input(data: dict[str, Any]) -> ReportIn:
    """The API's input schema over a record; its refusals as one ValueError."""
    try:
        return ReportIn.model_validate(data)
    except SchemaError as exc:
        reasons = [
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        ]
        raise ValueError("; ".join(reasons)) from None


def rows_read(path: Path, *, workers: int = 0, ahead: int = 2 * BATCH) -> Iterator[Row | Rejected]:
    """Every record as a valid Row or a Rejected with its line and reason (in English).

    ``workers``: processes that validate records while this one stores the batches (0:
    validate here). Results come back in file order either way, and only a bounded number
    of records is in flight, so memory does not grow with the file: ``ahead`` of them, at
    least. That must exceed a batch: while this process stores one batch, the workers
    validate the next; with fewer in flight they wait for it, idle.
    """
    seen: dict[str, int] = {}
    records = records_read(path)
    first = next(records, None)  # a file-level problem (CSV header) raises here, not in a pool
    if first is None:
        return
    items = itertools.chain([first], records)
    for item, record in _validated(items, workers, ahead):
        if isinstance(item, Row):
            if item.external_id in seen:
                original = record_parsed(record, "")[0]
                yield Rejected(
                    item.line, f"external_id repeats line {seen[item.external_id]}", original or ""
                )
                continue
            seen[item.external_id] = item.line
        yield item


# Records per task sent to a worker, and tasks in flight per worker (at least).
WORKER_CHUNK = 100
WORKER_AHEAD = 4


def _records_validate(items: list[Record], extract: bool = False) -> list[Row | Rejected]:
    """Validate records (in this process or a worker): one code path for both.

    ``extract`` (workers): also extract each good row's indicators from its draft, so
    that the storing process only stores them (``reports_submit``'s ``readings``). A failure there is
    left to the batch, which extracts again and handles it as for any report.
    """
    out: list[Row | Rejected] = []
    with translation.override("en"):  # reasons in the rejects file are in English
        for line, payload, problem in items:
            record, problem = record_parsed(payload, problem)
            if record is None:
                out.append(Rejected(line, problem, ""))
                continue
            try:
                row = row_validate(line, record)
            except ValueError as exc:
                out.append(Rejected(line, str(exc), record))
                continue
            if extract:
                identifiers = [(k, v) for k, v in row.draft.suspect_identifiers if v.strip()]
                # On failure the batch extracts it again, and marks it failed as any report.
                with contextlib.suppress(Exception):
                    row.reading = draft_reading(row.draft, identifiers)
            out.append(row)
    return out


def _validated(
    items: Iterator[Record], workers: int, ahead: int
) -> Iterator[tuple[Row | Rejected, dict[str, Any] | str | None]]:
    """(outcome, record as read) per record, in file order."""
    chunks = _chunked(items, WORKER_CHUNK)
    if workers <= 0:
        for chunk in chunks:
            yield from _paired(chunk, _records_validate(chunk))
        return
    # fork: the workers start with Django set up; they never touch the database.
    in_flight = max(workers * WORKER_AHEAD, -(-ahead // WORKER_CHUNK))
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start) as pool:
        pending: deque[tuple[list[Record], AsyncResult[list[Row | Rejected]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.apply_async(_records_validate, (chunk, True))))
            if len(pending) >= in_flight:
                sent, result = pending.popleft()
                yield from _paired(sent, result.get())
        while pending:
            sent, result = pending.popleft()
            yield from _paired(sent, result.get())


def _paired(
    chunk: list[Record], outcomes: list[Row | Rejected]
) -> Iterator[tuple[Row | Rejected, dict[str, Any] | str | None]]:
    for (_line, record, _problem), outcome in zip(chunk, outcomes, strict=True):
        yield outcome, record


def _worker_start() -> None:
    # Ctrl-C is the importing process's to handle (it stops the pool); the database
    # connections inherited through fork are the parent's: never used, never closed here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for alias in connections:
        connections[alias].connection = None


def _chunked(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def workers_default() -> int:
    """Validation workers for the command: one core stays with the storing process."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def batch_store(
    rows: list[Row],
    *,
    submitted_by: User,
    before_commit: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Store one batch in one transaction, indexed and linked at once: (imported, skipped).

    Rows whose external id is already stored (an earlier run, or another import racing
    with this one) are skipped: see ``reports_submit``.
    """
    receipts = reports_submit(
        submissions=[
            Submission(
                draft=row.draft,
                channel=Channel.PARTNER,
                submitted_by=submitted_by,
                external_id=row.external_id,
                submitted_at=row.submitted_at,
            )
            for row in rows
        ],
        readings=dict(row.reading for row in rows if row.reading is not None),
        before_commit=before_commit,
    )
    imported = sum(1 for receipt in receipts if receipt.created)
    return imported, len(rows) - imported


class RejectsWriter:
    """The rejects file next to the input: each bad record with its line and reason."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.fmt = fmt
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.writer: csv.DictWriter[str] | None = None
        if fmt == "csv":
            self.writer = csv.DictWriter(
                self.handle, fieldnames=["line", "reason", *FIELDS], extrasaction="ignore"
            )
            self.writer.writeheader()

    def write(self, rejected: Rejected) -> None:
        original = rejected.original if isinstance(rejected.original, dict) else {}
        if self.writer is not None:  # csv
            row = {k: _csv_cell(v) for k, v in original.items() if k in FIELDS}
            self.writer.writerow({"line": rejected.line, "reason": rejected.reason, **row})
        else:
            entry = {"line": rejected.line, "reason": rejected.reason, "record": original}
            self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


def _csv_cell(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def reports_import(
    path: Path,
    *,
    submitted_by: User,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[int], None] | None = None,
    workers: int = 0,
) -> ImportResult:
    """Import ``path``; rewrites the rejects file next to it. Safe to run again.

    ``workers``: processes validating rows while this one stores (see ``rows_read``).
    """
    fmt = file_format(path)
    result = ImportResult()
    rejects = RejectsWriter(rejects_path(path), fmt)
    batch: list[Row] = []
    number = 0

    analyze_at = ANALYZE_FIRST

    def flush() -> None:
        nonlocal number, analyze_at
        number += 1
        hook = (lambda: before_commit(number)) if before_commit else None
        imported, skipped = batch_store(batch, submitted_by=submitted_by, before_commit=hook)
        result.imported += imported
        result.skipped += skipped
        if result.imported >= analyze_at:
            statistics_refresh()
            analyze_at = 2 * result.imported
        if progress:
            progress(len(batch))
        batch.clear()

    try:
        # Many short-lived objects per row: see markaz.core.collector.
        with collection_relaxed():
            for item in rows_read(path, workers=workers, ahead=2 * batch_size):
                if isinstance(item, Rejected):
                    result.rejected.append(item)
                    rejects.write(item)
                    if progress:
                        progress(1)
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    flush()
            if batch:
                flush()
    finally:
        rejects.close()
    return result


def statistics_refresh() -> None:
    """ANALYZE the tables an import grows (PostgreSQL), so that its plans follow the load.

    PostgreSQL plans by statistics that trail a bulk load: autovacuum refreshes them in
    its own time, or never where it is off. With statistics from an empty table, the
    batch's external-id lookup took the submitter's index and read every report that
    submitter had stored, per batch: 464 ms a batch at 440,000 reports, growing with
    each. ANALYZE reads a fixed-size sample of each table, so refreshing whenever the run
    has doubled what it stored costs a few seconds over a million reports. SQLite plans
    without statistics unless ANALYZE was run, which Markaz never does.
    """
    if connection.vendor != "postgresql":
        return
    grown: tuple[type[Model], ...] = (
        # intake's and the audit's
        Report,
        SuspectIdentifier,
        StatusChange,
        AuditEvent,
        # intel's
        Indicator,
        Sighting,
        ReportIndex,
        Campaign,
        CampaignMember,
    )
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in grown)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def records_count(path: Path) -> int:
    """How many records the file holds (for the progress bar).

    JSON Lines: the non-blank lines, without parsing them (one record per line, as
    ``records_read`` reads them). CSV: a record may span lines, so the reader counts.
    """
    if file_format(path) == "jsonl":
        with path.open(encoding="utf-8-sig") as handle:
            return sum(1 for text in handle if text.strip())
    return sum(1 for _r in records_read(path))
