"""Writes to the audit log: events, and the signed tree heads over them."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError, connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from markaz.audit.canonical import EventFields, leaf_hash_hex, normalise_extra
from markaz.audit.checker import LogChecker, Problem, leaf_mac
from markaz.audit.choices import AuditAction
from markaz.audit.context import current_source
from markaz.audit.merkle import TreeBuilder
from markaz.audit.models import AuditEvent, TreeHead
from markaz.audit.selectors import EventFilters
from markaz.audit.signing import head_message, key_id, signing_key
from markaz.core.bulk import ids_reserve, rows_insert
from markaz.core.keys import instance_secret

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key: "markaz" in ASCII.
_LOG_LOCK = 0x6D61726B617A
CHECKPOINT_EVERY_DEFAULT = 1000
STREAM_CHUNK = 2000
EVENT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "source",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "purpose",
    "extra",
    "leaf_hash",
    "leaf_mac",
)


class AuditLogDamaged(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def mac_key() -> bytes:
    """Key of the per-row seal; kept in the data directory, so a database editor lacks it."""
    return bytes.fromhex(instance_secret(settings.DATA_DIR, "audit_mac_key", nbytes=32))


def lock_log() -> None:
    """Serialise appends until the surrounding transaction ends.

    Leaves are ordered by id, so an id must never become visible after a larger one was
    already committed (a signed head would then change retroactively). On PostgreSQL an
    advisory lock held to commit gives that; SQLite runs one writer at a time anyway
    (transactions BEGIN IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOG_LOCK])


@dataclass(frozen=True)
class AuditEntry:
    """One event for `audit_record_many`: who did what to which object, and why."""

    actor: User | AnonymousUser | None
    action: AuditAction
    target: models.Model | None = None
    purpose: str = ""
    extra: dict[str, Any] | None = None


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    target: models.Model | None = None,
    purpose: str = "",
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the service's own transaction."""
    entry = AuditEntry(actor=actor, action=action, target=target, purpose=purpose, extra=extra)
    return audit_record_many(entries=[entry])[0]


def audit_record_many(*, entries: Sequence[AuditEntry]) -> list[AuditEvent]:
    """Append one event per entry, in order, exactly as one `audit_record` call each would.

    The chain, the seals and the automatic signed heads come out the same; the rows go in
    with one insert (a bulk import records thousands of events). Call it inside the
    service's own transaction.
    """
    if not entries:
        return []
    source = current_source()[:64]
    key = mac_key()
    # Before the lock: bad input fails without touching the log.
    checked = [_Checked.of(entry) for entry in entries]
    # savepoint=False: inside the caller's transaction this adds no queries and rolls
    # back with it; outside one it makes lock, insert and hash one transaction.
    with transaction.atomic(savepoint=False):
        lock_log()
        events = _events_chained(checked, source=source, key=key)
        rows_insert(
            AuditEvent,
            EVENT_FIELDS,
            [[getattr(event, name) for name in EVENT_FIELDS] for event in events],
        )
        _checkpoints_due(events)
    return events


@dataclass(frozen=True, slots=True)
class _Checked:
    """An entry as it is recorded: an anonymous actor as none, the action one of
    `AuditAction`, the purpose cut to its column, the details as JSON keeps them."""

    user: User | None
    action: AuditAction
    target: models.Model | None
    purpose: str
    extra: object

    @classmethod
    def of(cls, entry: AuditEntry) -> _Checked:
        actor = entry.actor
        return cls(
            user=None if actor is None or isinstance(actor, AnonymousUser) else actor,
            action=AuditAction(entry.action),
            target=entry.target,
            purpose=entry.purpose[:200],
            extra=normalise_extra(entry.extra or {}),
        )


def _events_chained(entries: Sequence[_Checked], *, source: str, key: bytes) -> list[AuditEvent]:
    """The entries' events, each with its id, its leaf hash chained to the one before it
    and its seal. Call it holding the log lock."""
    prev = AuditEvent.objects.order_by("-id").values_list("leaf_hash", flat=True).first()
    prev = prev or ""
    at = timezone.now()
    events = []
    # An event's hash covers its id, so the ids are taken first (under the log lock, so
    # in commit order), and each row goes in with its hash and seal at once.
    for event_id, entry in zip(ids_reserve(AuditEvent, len(entries)), entries, strict=True):
        event = _event(entry, event_id=event_id, at=at, source=source)
        event.leaf_hash = prev = leaf_hash_hex(event.fields(), prev=prev)
        event.leaf_mac = leaf_mac(key, event.leaf_hash)
        events.append(event)
    return events


def _event(entry: _Checked, *, event_id: int, at: datetime, source: str) -> AuditEvent:
    """The row of a checked entry, not yet hashed or sealed."""
    user, target = entry.user, entry.target
    return AuditEvent(
        id=event_id,
        at=at,
        actor=user,
        actor_label=user.get_username() if user is not None else "",
        source=source,
        action=entry.action.value,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        purpose=entry.purpose,
        extra=entry.extra,
    )


def _checkpoints_due(events: Sequence[AuditEvent]) -> None:
    """Sign a tree head at every event whose id is a multiple of the checkpoint interval."""
    every: int = getattr(settings, "MARKAZ_AUDIT_CHECKPOINT_EVERY", CHECKPOINT_EVERY_DEFAULT)
    if every:
        for event in events:
            if event.pk % every == 0:
                _checkpoint_quietly(through_id=event.pk)


def _checkpoint_quietly(*, through_id: int) -> None:
    # Neither a damaged log nor a missing key may stop the user's action: the checkpoint
    # runs in its own savepoint, and `markaz audit verify` reports what is wrong.
    try:
        audit_checkpoint(through_id=through_id)
    except (AuditLogDamaged, OSError, ValueError, DatabaseError) as error:
        logger.error("audit log: no automatic checkpoint, %s", error)


def event_rows(
    *, after_id: int | None = None, through_id: int | None = None
) -> Iterator[dict[str, Any]]:
    rows: QuerySet[AuditEvent, dict[str, Any]] = AuditEvent.objects.order_by("id").values(
        *EVENT_FIELDS
    )
    if after_id is not None:
        rows = rows.filter(id__gt=after_id)
    if through_id is not None:
        rows = rows.filter(id__lte=through_id)
    return rows.iterator(chunk_size=STREAM_CHUNK)


def fields_from_row(row: dict[str, Any]) -> EventFields:
    """The canonical fields of a row from `event_rows`, without building a model."""
    return EventFields(*(row[name] for name in EVENT_FIELDS[:-2]))


def _resume_from(head: TreeHead | None, key: bytes) -> LogChecker:
    if head is None or head.last_event_id is None:
        return LogChecker(mac_key=key)
    try:
        builder = TreeBuilder.resume(head.tree_size, [bytes.fromhex(h) for h in head.frontier])
    except ValueError:
        builder = None
    if builder is None or builder.root().hex() != head.root_hash:
        return LogChecker(mac_key=key)
    prev = (
        AuditEvent.objects.filter(pk=head.last_event_id).values_list("leaf_hash", flat=True).first()
    )
    if prev is None:
        return LogChecker(mac_key=key)
    return LogChecker(mac_key=key, builder=builder, prev_leaf=prev, prev_id=head.last_event_id)


def audit_checkpoint(*, through_id: int | None = None) -> TreeHead:
    """Sign the current tree head (or the head as it was at event `through_id`).

    Continues from the latest head's frontier, so it reads only the events written
    since (each checked as it goes), and refuses to sign over a damaged row.
    """
    with transaction.atomic():
        lock_log()
        key = mac_key()
        latest = TreeHead.objects.order_by("-tree_size", "-id").first()
        checker = _resume_from(latest, key)
        for row in event_rows(after_id=checker.prev_id, through_id=through_id):
            problem = checker.feed(
                fields_from_row(row), leaf_hash=row["leaf_hash"], mac=row["leaf_mac"]
            )
            if problem is not None:
                raise AuditLogDamaged(problem)
        return tree_head_sign(checker)


def tree_head_sign(checker: LogChecker) -> TreeHead:
    """Sign the head of the tree `checker` has built (the caller vouches for its rows)."""
    private = signing_key(settings.MARKAZ_KEY_DIR)
    kid = key_id(private.public_key())
    signed_at = timezone.now()
    root = checker.builder.root()
    message = head_message(
        key_id=kid, tree_size=checker.position, root_hash=root, signed_at=signed_at
    )
    return TreeHead.objects.create(
        tree_size=checker.position,
        root_hash=root.hex(),
        signed_at=signed_at,
        key_id=kid,
        signature=private.sign(message).hex(),
        last_event_id=checker.prev_id,
        frontier=[h.hex() for h in checker.builder.frontier()],
    )


def audit_log_record_view(*, user: User, filters: EventFilters, page: int) -> AuditEvent:
    """Looking at the audit log is itself an audit event, with the filters used."""
    return audit_record(
        actor=user,
        action=AuditAction.AUDIT_LOG_VIEWED,
        extra={"filters": filters.as_dict(), "page": page},
    )


def audit_log_record_export(*, user: User, filters: EventFilters) -> AuditEvent:
    return audit_record(
        actor=user, action=AuditAction.AUDIT_LOG_EXPORTED, extra={"filters": filters.as_dict()}
    )
