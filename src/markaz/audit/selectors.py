"""Reads of the audit log: proofs for outsiders, and the administrators' viewer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from markaz.audit.canonical import canonical_bytes
from markaz.audit.merkle import (
    consistency_ranges,
    inclusion_ranges,
    range_roots,
    root_from_inclusion_proof,
)
from markaz.audit.models import AuditEvent, TreeHead
from markaz.audit.signing import key_id, public_key, public_key_pem


class ProofError(ValueError):
    """The proof asked for cannot exist (unknown event, sizes out of range)."""


def audit_tree_size() -> int:
    return AuditEvent.objects.count()


def _stored_leaves(limit: int) -> Iterator[bytes]:
    rows = AuditEvent.objects.order_by("id").values_list("leaf_hash", flat=True)[:limit]
    for leaf in rows.iterator(chunk_size=5000):
        yield bytes.fromhex(leaf)


def _head_for(tree_size: int) -> TreeHead | None:
    return TreeHead.objects.filter(tree_size=tree_size).order_by("-id").first()


def _signer() -> dict[str, str]:
    key = public_key(settings.MARKAZ_KEY_DIR)
    return {"key_id": key_id(key), "public_key": public_key_pem(key)}


def audit_inclusion_proof(*, event_id: int, tree_size: int | None = None) -> dict[str, object]:
    """Proof that event `event_id` is leaf number `position` of the tree of `tree_size`.

    Without a size, the smallest signed head that contains the event is used (so the
    root comes with a signature); failing that, the whole current log (root unsigned).
    """
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise ProofError(f"no audit event {event_id}")
    position = AuditEvent.objects.filter(id__lt=event_id).count()
    head: TreeHead | None
    if tree_size is None:
        head = TreeHead.objects.filter(tree_size__gt=position).order_by("tree_size", "-id").first()
        tree_size = head.tree_size if head is not None else audit_tree_size()
    else:
        head = _head_for(tree_size)
    if not position < tree_size <= audit_tree_size():
        raise ProofError(f"event {event_id} (leaf {position}) is not in a tree of size {tree_size}")
    ranges = inclusion_ranges(position, tree_size)
    roots = range_roots(_stored_leaves(tree_size), ranges)
    proof = [roots[r] for r in ranges]
    leaf = bytes.fromhex(event.leaf_hash)
    root = root_from_inclusion_proof(position, tree_size, leaf, proof)
    prev = (
        AuditEvent.objects.filter(id__lt=event_id)
        .order_by("-id")
        .values_list("leaf_hash", flat=True)
        .first()
    )
    return {
        "type": "markaz-audit-inclusion-proof/v1",
        "event_id": event.pk,
        "leaf_index": position,
        "tree_size": tree_size,
        "leaf_data": canonical_bytes(event.fields(), prev=prev or "").decode("utf-8"),
        "leaf_hash": event.leaf_hash,
        "proof": [p.hex() for p in proof],
        "root_hash": root.hex() if root is not None else "",
        "head": head.as_json() if head is not None else None,
        **_signer(),
    }


def audit_consistency_proof(*, old_size: int, new_size: int) -> dict[str, object]:
    """Proof that the tree of `new_size` events extends the tree of `old_size` events."""
    if not 0 <= old_size <= new_size <= audit_tree_size():
        raise ProofError(f"no consistency proof from {old_size} to {new_size}")
    ranges = consistency_ranges(old_size, new_size)
    roots = range_roots(_stored_leaves(new_size), ranges, prefixes=[old_size, new_size])
    old_head, new_head = _head_for(old_size), _head_for(new_size)
    return {
        "type": "markaz-audit-consistency-proof/v1",
        "old_size": old_size,
        "new_size": new_size,
        "old_root_hash": roots[(0, old_size)].hex(),
        "new_root_hash": roots[(0, new_size)].hex(),
        "proof": [roots[r].hex() for r in ranges],
        "old_head": old_head.as_json() if old_head is not None else None,
        "new_head": new_head.as_json() if new_head is not None else None,
        **_signer(),
    }


def audit_latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size", "-id").first()


# --- the administrators' viewer ---------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    user: str = ""
    target_type: str = ""
    target_id: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, filters: EventFilters) -> QuerySet[AuditEvent]:
    """Events matching the filters, newest first (the caller checks the permission)."""
    events = AuditEvent.objects.order_by("-id")
    if filters.user:
        events = events.filter(actor_label__iexact=filters.user)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(at__gte=_local_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_local_day_start(filters.date_to + timedelta(days=1)))
    return events
