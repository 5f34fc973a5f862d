"""Full verification of the audit log against its rows and every signed head.

One pass over the events in id order, in chunks: each row is re-hashed and its seal
checked (`LogChecker`), the Merkle root is kept as an O(log n) frontier, and whenever
the pass reaches the size of a signed head, the head's root is compared with the root
recomputed from the rows. Heads kept outside the database (handed to a prosecutor, a
partner, a notary) can be added, so that deleting heads from the database hides nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from markaz.audit.checker import LogChecker, Problem
from markaz.audit.models import TreeHead
from markaz.audit.services import event_rows, fields_from_row, mac_key
from markaz.audit.signing import head_message, key_id, public_key, signature_valid

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class HeadToCheck:
    tree_size: int
    root_hash: str
    signed_at: datetime
    key_id: str
    signature: bytes
    label: str

    @classmethod
    def from_model(cls, head: TreeHead) -> HeadToCheck:
        return cls(
            tree_size=head.tree_size,
            root_hash=head.root_hash,
            signed_at=head.signed_at,
            key_id=head.key_id,
            signature=bytes.fromhex(head.signature),
            label=f"signed head #{head.pk}",
        )


@dataclass
class VerifyResult:
    tree_size: int = 0
    root_hash: str = ""
    heads_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    checker: LogChecker | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.position) if self.problems else None


def audit_verify(
    *,
    extra_heads: Sequence[HeadToCheck] = (),
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Check every row and every head; the problems come back ordered by position."""
    key = public_key(settings.MARKAZ_KEY_DIR)
    kid = key_id(key)
    heads = sorted(
        [HeadToCheck.from_model(h) for h in TreeHead.objects.all()] + list(extra_heads),
        key=lambda h: h.tree_size,
    )
    result = VerifyResult()

    def problem(p: Problem) -> None:
        if len(result.problems) < MAX_PROBLEMS:
            result.problems.append(p)

    for head in heads:
        message = head_message(
            key_id=head.key_id,
            tree_size=head.tree_size,
            root_hash=bytes.fromhex(head.root_hash),
            signed_at=head.signed_at,
        )
        if head.key_id != kid or not signature_valid(key, message, head.signature):
            problem(
                Problem(
                    max(head.tree_size - 1, 0),
                    None,
                    f"{head.label} (size {head.tree_size}) has no valid signature by this "
                    f"instance's key {kid}",
                )
            )

    checker = LogChecker(mac_key=mac_key())
    result.checker = checker
    next_head = 0
    # Position and id of the first event after the last head that matched: a mismatching
    # head proves that something in between changed.
    clean_from: tuple[int, int | None] = (0, None)

    def check_heads_at(size: int, last_id: int | None) -> None:
        nonlocal next_head, clean_from
        while next_head < len(heads) and heads[next_head].tree_size == size:
            head = heads[next_head]
            next_head += 1
            result.heads_checked += 1
            if head.root_hash == checker.builder.root().hex():
                clean_from = (size, None)
                continue
            start, start_id = clean_from
            ids = f"ids {start_id} to {last_id}" if start_id is not None else f"up to id {last_id}"
            # A bad row already found in the window is the precise answer; the head only
            # confirms it, so it is listed after that row rather than before.
            found = [p for p in result.problems if p.event_id is not None and p.position >= start]
            at, at_id = (found[0].position, found[0].event_id) if found else (start, start_id)
            problem(
                Problem(
                    at,
                    at_id,
                    f"{head.label} (size {head.tree_size}, signed {head.signed_at:%Y-%m-%d %H:%M} "
                    f"UTC) does not match the log: events at positions {start} to {size - 1} "
                    f"({ids}) were changed, removed or inserted after it was signed",
                )
            )

    check_heads_at(0, None)
    for row in event_rows():
        leaf_hash, mac = row.pop("leaf_hash"), row.pop("leaf_mac")
        if clean_from[1] is None and clean_from[0] == checker.position:
            clean_from = (checker.position, row["id"])
        found = checker.feed(fields_from_row(row), leaf_hash=leaf_hash, mac=mac)
        if found is not None:
            problem(found)
        check_heads_at(checker.position, row["id"])
        if progress is not None:
            progress(checker.position)

    for head in heads[next_head:]:
        last = f"id {checker.prev_id}" if checker.prev_id is not None else "no event"
        problem(
            Problem(
                checker.position,
                None,
                f"the log ends after {checker.position} events ({last}) but {head.label} "
                f"(signed {head.signed_at:%Y-%m-%d %H:%M} UTC) covers {head.tree_size}: "
                f"events at positions {checker.position} to {head.tree_size - 1} were removed",
            )
        )
    result.tree_size = checker.position
    result.root_hash = checker.builder.root().hex()
    result.problems.sort(key=lambda p: p.position)
    return result
