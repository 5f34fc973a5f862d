"""Writes on reports: submission, triage, messages. Every one is transactional and audited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from markaz.audit.choices import AuditAction
from markaz.audit.services import AuditEntry, audit_record, audit_record_many
from markaz.core.bulk import BULK_ROWS, ids_reserve, instances_mark_stored, rows_insert
from markaz.core.country import current_country
from markaz.core.keys import instance_secret
from markaz.core.numbering import counter_next, counter_take
from markaz.intake.attachments import StoredFile, discard_stored, store_attachment
from markaz.intake.choices import (
    STATUS_BY_OWN_ACTION,
    STATUS_MOVES,
    STATUS_NEEDS_REASON,
    Channel,
    ReportStatus,
)
from markaz.intake.models import (
    Attachment,
    InternalNote,
    Report,
    StatusChange,
    SuspectIdentifier,
    VictimMessage,
)

# Every column of a report row, as `reports_store` inserts it (ids taken first).
REPORT_COLUMNS = tuple(f.attname for f in Report._meta.concrete_fields)
# External ids per IN (...) list: well under SQLite's bound-variable limit.
LOOKUP_CHUNK = 900
# Status codes avoid letters and digits that people confuse when reading them aloud.
STATUS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class IncomingAttachment:
    name: str
    stream: BinaryIO


@dataclass
class ReportDraft:
    """What a report says, as the form or the API received it (already validated)."""

    category: str
    narrative: str
    language: str
    incident_at: datetime | None = None
    incident_time_approximate: bool = False
    region: str = ""
    district: str = ""
    loss_amount: Decimal | None = None
    loss_currency: str = ""
    payment_method: str = ""
    suspect_identifiers: list[tuple[str, str]] = field(default_factory=list)
    victim_name: str = ""
    victim_phone: str = ""
    victim_email: str = ""
    victim_age_band: str = ""
    victim_gender: str = ""
    consent: bool = False


@dataclass(frozen=True)
class Receipt:
    report: Report
    status_code: str
    created: bool = True


@dataclass(frozen=True)
class Submission:
    """One report to store: what it says, how it came and from whom.

    ``external_id`` / ``idempotency_key``: a partner's own keys; a repeat of either returns
    the report stored before instead of a second one. ``submitted_at`` is only for imports
    and the demo, which load reports received earlier (it sets the submission time and the
    reference's year); forms and the API never pass it.
    """

    draft: ReportDraft
    channel: Channel
    submitted_by: User | None = None
    external_id: str = ""
    idempotency_key: str = ""
    submitted_at: datetime | None = None
    attachments: Sequence[IncomingAttachment] = ()


def status_code_new() -> str:
    # 32 letters: each random byte's low five bits pick one uniformly (60 bits per code).
    raw = "".join(STATUS_CODE_ALPHABET[byte & 31] for byte in secrets.token_bytes(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def status_code_key() -> bytes:
    return instance_secret(settings.DATA_DIR, "status_code_key").encode("ascii")


def status_code_digest(*, reference: str, status_code: str, key: bytes | None = None) -> str:
    """Keyed hash of a status code: fast to check, useless without the instance key.

    The code carries 60 random bits and lookups are rate-limited, so a slow password hash
    would add nothing but cost (it would make bulk imports crawl); the key lives in the
    data directory, not the database, so a copied database reveals no codes.
    """
    key = key or status_code_key()
    message = f"{reference}:{status_code_normalise(status_code)}".encode()
    return "hmac-sha256$" + hmac.new(key, message, hashlib.sha256).hexdigest()


def status_code_matches(*, report: Report, status_code: str) -> bool:
    expected = status_code_digest(reference=report.reference, status_code=status_code)
    return hmac.compare_digest(expected, report.status_code_hash)


def status_code_normalise(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def reference_format(*, prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def reference_next(*, at: datetime) -> str:
    """The next reference number of the year, e.g. MKZ-2026-000123 (call inside a transaction)."""
    prefix = current_country().reference_prefix
    year, number = counter_next(prefix=prefix, at=at)
    return reference_format(prefix=prefix, year=year, number=number)


def _report_new(
    *, submission: Submission, at: datetime, reference: str, status_code_hash: str
) -> Report:
    """The report row of a submission."""
    draft = submission.draft
    report = Report(
        reference=reference,
        status_code_hash=status_code_hash,
        channel=submission.channel,
        language=draft.language,
        submitted_at=at,
        submitted_by=submission.submitted_by,
        external_id=submission.external_id,
        idempotency_key=submission.idempotency_key,
        category=draft.category,
        narrative=draft.narrative,
        incident_at=draft.incident_at,
        incident_time_approximate=draft.incident_time_approximate,
        region=draft.region,
        district=draft.district,
        loss_amount=draft.loss_amount,
        loss_currency=draft.loss_currency,
        payment_method=draft.payment_method,
        victim_name=draft.victim_name,
        victim_phone=draft.victim_phone,
        victim_email=draft.victim_email,
        victim_age_band=draft.victim_age_band,
        victim_gender=draft.victim_gender,
        consent_at=at if draft.consent else None,
    )
    report.narrative_fold()  # `save` does it too; `bulk_create` calls no `save`
    return report


def identifier_pairs(draft: ReportDraft) -> list[tuple[str, str]]:
    """The suspect identifiers a report stores from its draft, in row order."""
    return [(kind, value) for kind, value in draft.suspect_identifiers if value.strip()]


def attachments_store(submissions: Sequence[Submission]) -> list[list[StoredFile]]:
    """Write each submission's files to the upload folder (before its transaction), one
    list per submission; if one file fails, those written are removed."""
    stored: list[list[StoredFile]] = []
    try:
        for item in submissions:
            stored.append([])
            for incoming in item.attachments:
                stored[-1].append(store_attachment(incoming.stream))
    except BaseException:
        attachments_discard(stored)
        raise
    return stored


def attachments_discard(stored: Sequence[Sequence[StoredFile]]) -> None:
    """Remove files written for reports that were not stored (a rollback, a repeat)."""
    discard_stored([file for files in stored for file in files])


@transaction.atomic
def reports_store(
    *, submissions: Sequence[Submission], stored: Sequence[Sequence[StoredFile]] = ()
) -> list[Receipt]:
    """Store reports, one or ten thousand, each with its reference, status code, suspect
    identifiers, files (``stored``: ``attachments_store``'s, per submission), first status
    row and audit event. Indexing is not done here: see ``markaz.flows.submission``.

    References are handed out in the given order, one counter update per year. A partner's
    external id or idempotency key that it already used, before or earlier in the batch,
    gets the stored report back (``created=False``). Two submissions racing with the same
    key: the loser fails on the unique constraint (IntegrityError) and stores nothing.
    """
    receipts: list[Receipt | None] = [None] * len(submissions)
    new, repeats = _submissions_new(submissions, receipts)
    now = timezone.now()
    references = _references_take([item.submitted_at or now for _p, item in new])
    digest_key = status_code_key()
    reports: list[Report] = []
    for (position, item), reference in zip(new, references, strict=True):
        status_code = status_code_new()
        report = _report_new(
            submission=item,
            at=item.submitted_at or now,
            reference=reference,
            status_code_hash=status_code_digest(
                reference=reference, status_code=status_code, key=digest_key
            ),
        )
        reports.append(report)
        receipts[position] = Receipt(report=report, status_code=status_code)
    for position, index in repeats:
        receipts[position] = Receipt(report=reports[index], status_code="", created=False)
    _reports_insert(reports, [item for _p, item in new])
    files = [stored[position] if stored else [] for position, _item in new]
    for report, report_files, (_p, item) in zip(reports, files, new, strict=True):
        _attachments_insert(
            report=report,
            stored=list(zip(item.attachments, report_files, strict=True)),
            at=report.submitted_at,
        )
    audit_record_many(
        entries=[
            AuditEntry(
                actor=report.submitted_by,
                action=AuditAction.REPORT_SUBMITTED,
                target=report,
                extra={"channel": str(report.channel), "attachments": len(report_files)},
            )
            for report, report_files in zip(reports, files, strict=True)
        ]
    )
    return [receipt for receipt in receipts if receipt is not None]


def _submissions_new(
    submissions: Sequence[Submission], receipts: list[Receipt | None]
) -> tuple[list[tuple[int, Submission]], list[tuple[int, int]]]:
    """The submissions to store, with their positions, and the repeats within the batch
    ((position, index in the new list of its first occurrence)); a repeat of a report
    stored before gets its receipt in ``receipts`` here."""
    stored = _reports_submitted(submissions)
    new: list[tuple[int, Submission]] = []
    first: dict[tuple[int, str, str], int] = {}  # a submission's key -> index in `new`
    repeats: list[tuple[int, int]] = []
    for position, item in enumerate(submissions):
        keys = _submission_keys(item)
        known = next((stored[key] for key in keys if key in stored), None)
        earlier = next((first[key] for key in keys if key in first), None)
        if known is not None:
            receipts[position] = Receipt(report=known, status_code="", created=False)
        elif earlier is not None:
            repeats.append((position, earlier))
        else:
            for key in keys:
                first[key] = len(new)
            new.append((position, item))
    return new, repeats


def _reports_insert(reports: list[Report], items: list[Submission]) -> None:
    """The rows of new reports, then their identifiers and status rows.

    A few reports (a victim's, a partner's call): the ORM's one INSERT, whose RETURNING
    gives their ids. Many (an import), or a database that cannot return them: ids are
    reserved first, then ``rows_insert`` writes the rows without converting each value
    through its field (COPY on PostgreSQL).
    """
    if len(reports) < BULK_ROWS and connection.features.can_return_rows_from_bulk_insert:
        Report.objects.bulk_create(reports)
    else:
        for report, report_id in zip(reports, ids_reserve(Report, len(reports)), strict=True):
            report.pk = report_id
        columns = REPORT_COLUMNS
        rows_insert(Report, columns, [[getattr(r, c) for c in columns] for r in reports])
        instances_mark_stored(reports)
    rows_insert(
        SuspectIdentifier,
        ("report_id", "kind", "value"),
        [
            (report.pk, kind, value)
            for report, item in zip(reports, items, strict=True)
            for kind, value in identifier_pairs(item.draft)
        ],
    )
    rows_insert(
        StatusChange,
        ("report_id", "from_status", "to_status", "reason", "actor_id", "at"),
        [
            (
                report.pk,
                "",
                ReportStatus.RECEIVED.value,
                "",
                report.submitted_by_id,
                report.submitted_at,
            )
            for report in reports
        ],
    )


def _submission_keys(item: Submission) -> list[tuple[int, str, str]]:
    """What makes a submission unique: its submitter's external id and idempotency key,
    as (submitter, "external_id" or "idempotency_key", value); none for the public."""
    if item.submitted_by is None:
        return []
    keys = (("idempotency_key", item.idempotency_key), ("external_id", item.external_id))
    return [(item.submitted_by.pk, name, value) for name, value in keys if value]


def _reports_submitted(
    submissions: Sequence[Submission],
) -> dict[tuple[int, str, str], Report]:
    """Stored reports whose (submitter, key) the batch repeats: one query per submitter
    and kind of key."""
    wanted: dict[tuple[int, str], set[str]] = defaultdict(set)
    for item in submissions:
        for user_id, name, value in _submission_keys(item):
            wanted[(user_id, name)].add(value)
    found: dict[tuple[int, str, str], Report] = {}
    for (user_id, name), values in wanted.items():
        ids = sorted(values)
        for start in range(0, len(ids), LOOKUP_CHUNK):
            # The exclude repeats the partial unique index's condition: SQLite uses a
            # partial index only when the query states its WHERE term.
            rows = (
                Report.objects.filter(
                    submitted_by_id=user_id, **{f"{name}__in": ids[start : start + LOOKUP_CHUNK]}
                )
                .exclude(**{name: ""})
                .order_by()
            )
            for report in rows:
                found[(user_id, name, getattr(report, name))] = report
    return found


def _references_take(moments: list[datetime]) -> list[str]:
    """One reference per moment, in order: numbers of each year taken in one counter update."""
    prefix = current_country().reference_prefix
    years = [timezone.localtime(at).year for at in moments]
    counts: dict[int, int] = defaultdict(int)
    for year in years:
        counts[year] += 1
    following = {
        year: counter_take(prefix=prefix, year=year, count=count)
        for year, count in sorted(counts.items())
    }
    references = []
    for year in years:
        references.append(reference_format(prefix=prefix, year=year, number=following[year]))
        following[year] += 1
    return references


def _attachments_insert(
    *, report: Report, stored: list[tuple[IncomingAttachment, StoredFile]], at: datetime
) -> list[Attachment]:
    return Attachment.objects.bulk_create(
        Attachment(
            report=report,
            stored_name=file.stored_name,
            original_name=incoming.name[:255],
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            uploaded_at=at,
        )
        for incoming, file in stored
    )


def report_attach(
    *, report: Report, attachments: list[IncomingAttachment], actor: User
) -> list[Attachment]:
    """Add files to a stored report (a partner sends them after the report); all or none."""
    stored: list[tuple[IncomingAttachment, StoredFile]] = []
    try:
        for incoming in attachments:
            stored.append((incoming, store_attachment(incoming.stream)))
        with transaction.atomic():
            created = _attachments_insert(report=report, stored=stored, at=timezone.now())
            audit_record(
                actor=actor,
                action=AuditAction.REPORT_ATTACHMENTS_ADDED,
                target=report,
                extra={"attachments": [file.sha256 for _incoming, file in stored]},
            )
    except BaseException:
        discard_stored([file for _incoming, file in stored])
        raise
    return created


def report_find_submitted(
    *, submitted_by: User, external_id: str, idempotency_key: str
) -> Report | None:
    # The excludes repeat the partial unique indexes' conditions word for word: SQLite uses
    # a partial index only when the query states its WHERE term, and the unique keys make
    # any order unnecessary.
    reports = Report.objects.filter(submitted_by=submitted_by).order_by()
    if idempotency_key:
        found = next(
            iter(reports.filter(idempotency_key=idempotency_key).exclude(idempotency_key="")[:1]),
            None,
        )
        if found is not None:
            return found
    if external_id:
        return next(iter(reports.filter(external_id=external_id).exclude(external_id="")[:1]), None)
    return None


@transaction.atomic(durable=True)
def report_set_status(*, report: Report, status: ReportStatus, reason: str, actor: User) -> None:
    """Move a report along the triage workflow; moves not in STATUS_MOVES are refused."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if status in STATUS_BY_OWN_ACTION:
        raise ValidationError(_("Use “Mark as duplicate” and give the original report."))
    if status not in STATUS_MOVES.get(report.status, frozenset()):
        raise ValidationError(
            _("A report cannot move from “%(current)s” to “%(target)s”.")
            % {
                "current": ReportStatus(report.status).label,
                "target": ReportStatus(status).label,
            }
        )
    if status in STATUS_NEEDS_REASON and not reason.strip():
        raise ValidationError(_("Give a reason for this status."))
    _status_move(report=report, status=status, reason=reason, actor=actor)


def _status_move(*, report: Report, status: str, reason: str, actor: User) -> None:
    previous = report.status
    report.status = status
    report.save(update_fields=["status"])
    StatusChange.objects.create(
        report=report,
        from_status=previous,
        to_status=status,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_STATUS_CHANGED,
        target=report,
        extra={"from": previous, "to": status},
    )


# Statuses from which a report may be taken into a case (the case service decides when).
LINKABLE_STATUSES = frozenset(
    {ReportStatus.RECEIVED, ReportStatus.IN_TRIAGE, ReportStatus.NEEDS_INFORMATION}
)


@transaction.atomic
def report_mark_linked_to_case(*, report: Report, case_number: str, actor: User) -> None:
    """Move a report to "linked to a case" and tell the victim, neutrally, in their language.

    Called by the cases app when it links the report; the victim's status page never
    shows the case number or who works on it.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in LINKABLE_STATUSES:
        raise ValidationError(
            _("Report %(reference)s cannot be linked to a case while it is “%(status)s”.")
            % {"reference": report.reference, "status": ReportStatus(report.status).label}
        )
    _status_move(report=report, status=ReportStatus.LINKED_TO_CASE, reason=case_number, actor=actor)
    with translation.override(report.language):
        text = _("Your report has been passed to an investigator.")
    report_message_victim(report=report, text=text, actor=actor)


@transaction.atomic
def report_unmark_linked_to_case(*, report: Report, reason: str, actor: User) -> None:
    """Return a report taken out of its case to triage."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.LINKED_TO_CASE:
        _status_move(report=report, status=ReportStatus.IN_TRIAGE, reason=reason, actor=actor)


@transaction.atomic(durable=True)
def report_mark_duplicate(
    *, report: Report, original: Report, actor: User, reason: str = ""
) -> None:
    """Record that `report` tells the same story as `original`, and take it out of the queue."""
    if report.pk == original.pk:
        raise ValidationError(_("A report cannot be a duplicate of itself."))
    if original.duplicate_of_id is not None:
        raise ValidationError(
            _("%(reference)s is itself a duplicate; choose the original report.")
            % {"reference": original.reference}
        )
    report = Report.objects.select_for_update().get(pk=report.pk)
    if ReportStatus.DUPLICATE not in STATUS_MOVES.get(report.status, frozenset()):
        raise ValidationError(
            _("A report that is “%(status)s” cannot be marked as a duplicate.")
            % {"status": ReportStatus(report.status).label}
        )
    report.duplicate_of = original
    report.save(update_fields=["duplicate_of"])
    _status_move(report=report, status=ReportStatus.DUPLICATE, reason=reason, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_MARKED_DUPLICATE,
        target=report,
        extra={"original": original.reference},
    )


@transaction.atomic
def report_message_victim(*, report: Report, text: str, actor: User) -> VictimMessage:
    """Leave a message that the victim reads on the status page."""
    message = VictimMessage.objects.create(
        report=report, text=text, author=actor, at=timezone.now()
    )
    audit_record(actor=actor, action=AuditAction.REPORT_MESSAGE_SENT, target=report)
    return message


@transaction.atomic(durable=True)
def report_add_note(*, report: Report, text: str, actor: User) -> InternalNote:
    note = InternalNote.objects.create(report=report, text=text, author=actor, at=timezone.now())
    audit_record(actor=actor, action=AuditAction.REPORT_NOTE_ADDED, target=report)
    return note
