"""Full verification of the audit log against its rows and every signed head.

One pass over the events in id order, in chunks: each row is re-hashed and its seal
checked (`LogChecker`), the Merkle root is kept as an O(log n) frontier, and whenever
the pass reaches the size of a signed head, the head's root is compared with the root
recomputed from the rows. Heads kept outside the database (handed to a prosecutor, a
partner, a notary) can be added, so that deleting heads from the database hides nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
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

    def problem_add(self, problem: Problem) -> None:
        """Keep the problem, up to MAX_PROBLEMS: a log rewritten from one row on would
        otherwise list every row after it."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def audit_verify(
    *,
    extra_heads: Sequence[HeadToCheck] = (),
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Check every row and every head; the problems come back ordered by position."""
    key = public_key(settings.MARKAZ_KEY_DIR)
    heads = sorted(
        [HeadToCheck.from_model(h) for h in TreeHead.objects.all()] + list(extra_heads),
        key=lambda h: h.tree_size,
    )
    result = VerifyResult()
    for problem in _heads_unsigned(heads, key):
        result.problem_add(problem)
    checker = LogChecker(mac_key=mac_key())
    result.checker = checker
    along = _HeadsAlongTheLog(heads, checker, result)
    along.reached(0, None)
    for row in event_rows():
        leaf_hash, mac = row.pop("leaf_hash"), row.pop("leaf_mac")
        along.row_starts(row["id"])
        found = checker.feed(fields_from_row(row), leaf_hash=leaf_hash, mac=mac)
        if found is not None:
            result.problem_add(found)
        along.reached(checker.position, row["id"])
        if progress is not None:
            progress(checker.position)
    along.log_ended()
    result.tree_size = checker.position
    result.root_hash = checker.builder.root().hex()
    result.problems.sort(key=lambda p: p.position)
    return result


def _heads_unsigned(heads: Sequence[HeadToCheck], key: Ed25519PublicKey) -> Iterator[Problem]:
    """A problem for each head that this instance's key did not sign."""
    kid = key_id(key)
    for head in heads:
        message = head_message(
            key_id=head.key_id,
            tree_size=head.tree_size,
            root_hash=bytes.fromhex(head.root_hash),
            signed_at=head.signed_at,
        )
        if head.key_id != kid or not signature_valid(key, message, head.signature):
            yield Problem(
                max(head.tree_size - 1, 0),
                None,
                f"{head.label} (size {head.tree_size}) has no valid signature by this "
                f"instance's key {kid}",
            )


class _HeadsAlongTheLog:
    """The signed heads, smallest first, each compared with the recomputed root when the
    pass over the rows reaches its size."""

    def __init__(
        self, heads: Sequence[HeadToCheck], checker: LogChecker, result: VerifyResult
    ) -> None:
        self.heads = heads
        self.checker = checker
        self.result = result
        self.next_head = 0
        # Position and id of the first event after the last head that matched: a
        # mismatching head proves that something in between changed.
        self.clean_from: tuple[int, int | None] = (0, None)

    def row_starts(self, event_id: int) -> None:
        """The row about to be fed; the first after a matching head opens the window."""
        if self.clean_from[1] is None and self.clean_from[0] == self.checker.position:
            self.clean_from = (self.checker.position, event_id)

    def reached(self, size: int, last_id: int | None) -> None:
        """The pass has fed `size` rows, the last with id `last_id`."""
        while self.next_head < len(self.heads) and self.heads[self.next_head].tree_size == size:
            head = self.heads[self.next_head]
            self.next_head += 1
            self.result.heads_checked += 1
            if head.root_hash == self.checker.builder.root().hex():
                self.clean_from = (size, None)
            else:
                self.result.problem_add(self._mismatch(head, size, last_id))

    def _mismatch(self, head: HeadToCheck, size: int, last_id: int | None) -> Problem:
        start, start_id = self.clean_from
        ids = f"ids {start_id} to {last_id}" if start_id is not None else f"up to id {last_id}"
        # A bad row already found in the window is the precise answer; the head only
        # confirms it, so it is listed after that row rather than before.
        found = [p for p in self.result.problems if p.event_id is not None and p.position >= start]
        at, at_id = (found[0].position, found[0].event_id) if found else (start, start_id)
        return Problem(
            at,
            at_id,
            f"{head.label} (size {head.tree_size}, signed {head.signed_at:%Y-%m-%d %H:%M} "
            f"UTC) does not match the log: events at positions {start} to {size - 1} "
            f"({ids}) were changed, removed or inserted after it was signed",
        )

    def log_ended(self) -> None:
        """Heads larger than the log: the events they covered past its end were removed."""
        checker = self.checker
        last = f"id {checker.prev_id}" if checker.prev_id is not None else "no event"
        for head in self.heads[self.next_head :]:
            self.result.problem_add(
                Problem(
                    checker.position,
                    None,
                    f"the log ends after {checker.position} events ({last}) but {head.label} "
                    f"(signed {head.signed_at:%Y-%m-%d %H:%M} UTC) covers {head.tree_size}: "
                    f"events at positions {checker.position} to {head.tree_size - 1} were removed",
                )
            )
