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
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from markaz.audit.choices import AuditAction
from markaz.audit.services import AuditEntry, audit_record, audit_record_many
from markaz.bulk import ids_reserve, rows_insert
from markaz.country import current_country
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
    ReferenceCounter,
    Report,
    StatusChange,
    SuspectIdentifier,
    VictimMessage,
)
from markaz.keys import instance_secret

# Every column of a report row, as `reports_submit_batch` inserts it (ids taken first).
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
    """One report of a batch (`reports_submit_batch`): what `report_submit` takes, per report."""

    draft: ReportDraft
    channel: Channel
    submitted_by: AbstractBaseUser | None = None
    external_id: str = ""
    submitted_at: datetime | None = None


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


def counter_next(*, prefix: str, at: datetime) -> tuple[int, int]:
    """(year, number): the next number of `prefix`'s per-year counter (call inside a transaction).

    One counter table for every numbered thing (report references, case numbers), each
    under its own prefix; the row lock makes concurrent callers wait, so numbers never repeat.
    """
    year = timezone.localtime(at).year
    return year, counter_take(prefix=prefix, year=year, count=1)


def counter_take(*, prefix: str, year: int, count: int) -> int:
    """Hand out `count` consecutive numbers of `prefix`'s counter for `year`; returns the first."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def reference_format(*, prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def reference_next(*, at: datetime) -> str:
    """The next reference number of the year, e.g. MKZ-2026-000123 (call inside a transaction)."""
    prefix = current_country().reference_prefix
    year, number = counter_next(prefix=prefix, at=at)
    return reference_format(prefix=prefix, year=year, number=number)


def report_submit(
    *,
    draft: ReportDraft,
    channel: Channel,
    attachments: list[IncomingAttachment] | None = None,
    submitted_by: AbstractBaseUser | None = None,
    external_id: str = "",
    idempotency_key: str = "",
    submitted_at: datetime | None = None,
) -> Receipt:
    """Store a report with its attachments, all or nothing.

    For a partner, a repeated external id or idempotency key returns the report already
    stored instead of a second one.

    `submitted_at` is only for imports and the demo, which load reports received earlier:
    it sets the submission time (and the reference's year) instead of now. Forms and the
    API never pass it.
    """
    if submitted_by is not None:
        existing = report_find_submitted(
            submitted_by=submitted_by, external_id=external_id, idempotency_key=idempotency_key
        )
        if existing is not None:
            return Receipt(report=existing, status_code="", created=False)

    stored: list[tuple[IncomingAttachment, StoredFile]] = []
    try:
        for incoming in attachments or []:
            stored.append((incoming, store_attachment(incoming.stream)))
        receipt = _report_insert(
            draft=draft,
            channel=channel,
            stored=stored,
            submitted_by=submitted_by,
            external_id=external_id,
            idempotency_key=idempotency_key,
            submitted_at=submitted_at,
        )
    except IntegrityError:
        discard_stored([s for _i, s in stored])
        # Two requests with the same key raced; the other one won, so answer with its report.
        if submitted_by is not None:
            existing = report_find_submitted(
                submitted_by=submitted_by, external_id=external_id, idempotency_key=idempotency_key
            )
            if existing is not None:
                return Receipt(report=existing, status_code="", created=False)
        raise
    except BaseException:
        discard_stored([s for _i, s in stored])
        raise
    return receipt


@transaction.atomic
def _report_insert(
    *,
    draft: ReportDraft,
    channel: Channel,
    stored: list[tuple[IncomingAttachment, StoredFile]],
    submitted_by: AbstractBaseUser | None,
    external_id: str,
    idempotency_key: str,
    submitted_at: datetime | None = None,
) -> Receipt:
    now = submitted_at or timezone.now()
    status_code = status_code_new()
    reference = reference_next(at=now)
    report = _report_new(
        draft=draft,
        channel=channel,
        submitted_by=submitted_by,
        external_id=external_id,
        idempotency_key=idempotency_key,
        at=now,
        reference=reference,
        status_code_hash=status_code_digest(reference=reference, status_code=status_code),
    )
    report.save(force_insert=True)
    SuspectIdentifier.objects.bulk_create(_identifiers_new(report, draft))
    _attachments_insert(report=report, stored=stored, at=now)
    StatusChange.objects.create(
        report=report, from_status="", to_status=ReportStatus.RECEIVED, actor=submitted_by, at=now
    )
    audit_record(
        actor=submitted_by,
        action=AuditAction.REPORT_SUBMITTED,
        target=report,
        extra={"channel": str(channel), "attachments": len(stored)},
    )
    # Indicators, sightings and campaigns in the same transaction: a stored report is
    # always linked (an extraction failure is caught there and retried, never fatal).
    from markaz.intel.services import report_index_on_submit

    # The identifiers as stored above, in their row order: nothing is read back.
    report_index_on_submit(report=report, identifiers=_identifier_pairs(draft))
    return Receipt(report=report, status_code=status_code)


def _report_new(
    *,
    draft: ReportDraft,
    channel: Channel,
    submitted_by: AbstractBaseUser | None,
    external_id: str,
    idempotency_key: str,
    at: datetime,
    reference: str,
    status_code_hash: str,
) -> Report:
    """The report row of a submission (one path for `report_submit` and the batch)."""
    report = Report(
        reference=reference,
        status_code_hash=status_code_hash,
        channel=channel,
        language=draft.language,
        submitted_at=at,
        submitted_by=submitted_by,
        external_id=external_id,
        idempotency_key=idempotency_key,
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


def _identifier_pairs(draft: ReportDraft) -> list[tuple[str, str]]:
    return [(kind, value) for kind, value in draft.suspect_identifiers if value.strip()]


def _identifiers_new(report: Report, draft: ReportDraft) -> list[SuspectIdentifier]:
    return [
        SuspectIdentifier(report=report, kind=kind, value=value)
        for kind, value in _identifier_pairs(draft)
    ]


@transaction.atomic
def reports_submit_batch(*, submissions: Sequence[Submission]) -> list[Receipt]:
    """Store many reports at once, each exactly as `report_submit` would (imports, the demo).

    All or nothing, in one transaction. Each report gets its reference (numbers handed out
    in the given order, one counter update per year), its status code, its suspect
    identifiers, its first status row and its own audit event; then the batch is indexed
    and linked at once (intel's batch path). An external id that its submitter already
    used, before or earlier in the batch, gets the stored report back (``created=False``),
    as a repeated API call does. No attachments: a partner adds them per report.

    Two imports racing with the same external ids: the loser's transaction fails on the
    unique constraint (IntegrityError) and stores nothing; submitting again skips them.
    """
    receipts: list[Receipt | None] = [None] * len(submissions)
    stored = _reports_submitted(submissions)
    new: list[tuple[int, Submission]] = []
    first: dict[tuple[int, str], int] = {}  # (submitter, external id) -> index in `new`
    repeats: list[tuple[int, int]] = []  # (position, index in `new` of its first occurrence)
    for position, item in enumerate(submissions):
        key = _submission_key(item)
        if key is not None and key in stored:
            receipts[position] = Receipt(report=stored[key], status_code="", created=False)
        elif key is not None and key in first:
            repeats.append((position, first[key]))
        else:
            if key is not None:
                first[key] = len(new)
            new.append((position, item))
    now = timezone.now()
    references = _references_take([item.submitted_at or now for _p, item in new])
    digest_key = status_code_key()
    reports: list[Report] = []
    for (position, item), reference in zip(new, references, strict=True):
        status_code = status_code_new()
        report = _report_new(
            draft=item.draft,
            channel=item.channel,
            submitted_by=item.submitted_by,
            external_id=item.external_id,
            idempotency_key="",
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
    for report, report_id in zip(reports, ids_reserve(Report, len(reports)), strict=True):
        report.pk = report_id
        report._state.adding = False  # stored below, as bulk_create would mark it
        report._state.db = connection.alias
    rows_insert(Report, REPORT_COLUMNS, [[getattr(r, c) for c in REPORT_COLUMNS] for r in reports])
    drafts = [item.draft for _p, item in new]
    rows_insert(
        SuspectIdentifier,
        ("report_id", "kind", "value"),
        [
            (report.pk, kind, value)
            for report, draft in zip(reports, drafts, strict=True)
            for kind, value in _identifier_pairs(draft)
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
    audit_record_many(
        entries=[
            AuditEntry(
                actor=report.submitted_by,
                action=AuditAction.REPORT_SUBMITTED,
                target=report,
                extra={"channel": str(report.channel), "attachments": 0},
            )
            for report in reports
        ]
    )
    from markaz.intel.services import reports_index_on_submit

    reports_index_on_submit(
        reports=reports,
        identifiers={
            report.pk: _identifier_pairs(draft)
            for report, draft in zip(reports, drafts, strict=True)
        },
    )
    return [receipt for receipt in receipts if receipt is not None]


def _submission_key(item: Submission) -> tuple[int, str] | None:
    """What makes a submission unique: its submitter's external id (None: nothing does)."""
    if item.submitted_by is None or not item.external_id:
        return None
    return item.submitted_by.pk, item.external_id


def _reports_submitted(submissions: Sequence[Submission]) -> dict[tuple[int, str], Report]:
    """Stored reports whose (submitter, external id) the batch repeats: one query per submitter."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for item in submissions:
        key = _submission_key(item)
        if key is not None:
            wanted[key[0]].add(key[1])
    found: dict[tuple[int, str], Report] = {}
    for user_id, external_ids in wanted.items():
        ids = sorted(external_ids)
        for start in range(0, len(ids), LOOKUP_CHUNK):
            # The exclude repeats the partial unique index's condition (see
            # `report_find_submitted`): SQLite uses the index only when the query states it.
            rows = (
                Report.objects.filter(
                    submitted_by_id=user_id, external_id__in=ids[start : start + LOOKUP_CHUNK]
                )
                .exclude(external_id="")
                .order_by()
            )
            for report in rows:
                found[(user_id, report.external_id)] = report
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
    *, report: Report, attachments: list[IncomingAttachment], actor: AbstractBaseUser
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
    *, submitted_by: AbstractBaseUser, external_id: str, idempotency_key: str
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


@transaction.atomic
def report_set_status(
    *, report: Report, status: ReportStatus, reason: str, actor: AbstractBaseUser
) -> None:
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


def _status_move(*, report: Report, status: str, reason: str, actor: AbstractBaseUser) -> None:
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
def report_mark_linked_to_case(
    *, report: Report, case_number: str, actor: AbstractBaseUser
) -> None:
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
def report_unmark_linked_to_case(*, report: Report, reason: str, actor: AbstractBaseUser) -> None:
    """Return a report taken out of its case to triage."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.LINKED_TO_CASE:
        _status_move(report=report, status=ReportStatus.IN_TRIAGE, reason=reason, actor=actor)


@transaction.atomic
def report_mark_duplicate(
    *, report: Report, original: Report, actor: AbstractBaseUser, reason: str = ""
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
def report_message_victim(*, report: Report, text: str, actor: AbstractBaseUser) -> VictimMessage:
    """Leave a message that the victim reads on the status page."""
    message = VictimMessage.objects.create(
        report=report, text=text, author=actor, at=timezone.now()
    )
    audit_record(actor=actor, action=AuditAction.REPORT_MESSAGE_SENT, target=report)
    return message


@transaction.atomic
def report_add_note(*, report: Report, text: str, actor: AbstractBaseUser) -> InternalNote:
    note = InternalNote.objects.create(report=report, text=text, author=actor, at=timezone.now())
    audit_record(actor=actor, action=AuditAction.REPORT_NOTE_ADDED, target=report)
    return note
