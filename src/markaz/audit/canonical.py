"""The canonical bytes of an audit event: what its Merkle leaf hash is taken over.

Version 1 is one JSON object, UTF-8, keys sorted at every level, no whitespace
(`json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`):

    v             1
    id            the event's id (integer)
    at            time in UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six digits)
    actor         the acting user's id, or null
    actor_label   user name at the time
    source        IP address, "cli" or "system"
    action        e.g. "report.viewed"
    target_type   e.g. "intake.report", or ""
    target_id     the target's primary key as a string, or ""
    target_label  the target's label at the time, or ""
    purpose       the stated purpose, or ""
    extra         the details object (floats are never stored: see `normalise_extra`)
    prev          hex leaf hash of the event before it in id order, "" for the first

`prev` chains each leaf to the one before it, so that deleting or inserting a row in the
middle of the log breaks the next event's hash and the verifier can name where. The
leaf hash itself is SHA-256(0x00 || these bytes), as RFC 9162 defines for leaves.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markaz.audit.merkle import hash_leaf

VERSION = 1
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


@dataclass(frozen=True, slots=True)
class EventFields:
    id: int
    at: datetime
    actor_id: int | None
    actor_label: str
    source: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    purpose: str
    extra: Any


def utc_text(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit times must be aware")
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def normalise_extra(value: Any) -> Any:
    """A JSON value that survives any database's JSON column unchanged.

    PostgreSQL's jsonb rewrites numbers (1e16 comes back as an integer), which would
    change the canonical bytes after a round trip, so floats are kept as their text.
    Keys become strings, tuples lists; anything else JSON cannot hold is refused.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("audit details cannot hold NaN or infinity")
        return repr(value)
    if isinstance(value, dict):
        return {str(k): normalise_extra(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise_extra(v) for v in value]
    raise TypeError(f"audit details cannot hold {type(value).__name__}")


def canonical_bytes(event: EventFields, *, prev: str) -> bytes:
    document = {
        "v": VERSION,
        "id": int(event.id),
        "at": utc_text(event.at),
        "actor": event.actor_id,
        "actor_label": str(event.actor_label),
        "source": str(event.source),
        "action": str(event.action),
        "target_type": str(event.target_type),
        "target_id": str(event.target_id),
        "target_label": str(event.target_label),
        "purpose": str(event.purpose),
        "extra": event.extra,
        "prev": prev,
    }
    return _ENCODER.encode(document).encode("utf-8")


def leaf_hash_hex(event: EventFields, *, prev: str) -> str:
    return hash_leaf(canonical_bytes(event, prev=prev)).hex()
