"""Checking audit rows one by one as they stream past, in id order, without Django.

`LogChecker` keeps O(log n) state: the previous row's stored leaf hash (for the chain),
the Merkle frontier of the leaves seen so far, and the position. The verifier, the
checkpoint signer and the tests all feed it rows.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from markaz.audit.canonical import EventFields, leaf_hash_hex
from markaz.audit.merkle import TreeBuilder


def leaf_mac(key: bytes, leaf_hash: str) -> str:
    return hmac.digest(key, leaf_hash.encode("utf-8"), "sha256").hex()


@dataclass(frozen=True)
class Problem:
    """Something wrong with the log; `position` is the 0-based leaf index it concerns."""

    position: int
    event_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "end of log"
        return f"position {self.position} ({where}): {self.message}"


class LogChecker:
    def __init__(
        self,
        *,
        mac_key: bytes,
        builder: TreeBuilder | None = None,
        prev_leaf: str = "",
        prev_id: int | None = None,
    ) -> None:
        self.mac_key = mac_key
        self.builder = builder or TreeBuilder()
        self.prev_leaf = prev_leaf
        self.prev_id = prev_id

    @property
    def position(self) -> int:
        return self.builder.size

    def feed(self, event: EventFields, *, leaf_hash: str, mac: str) -> Problem | None:
        """Add one row; return what is wrong with it, if anything."""
        position = self.position
        expected = leaf_hash_hex(event, prev=self.prev_leaf)
        problem: Problem | None = None
        if self.prev_id is not None and event.id <= self.prev_id:
            problem = Problem(position, event.id, "ids are out of order")
        elif not mac or not hmac.compare_digest(mac, leaf_mac(self.mac_key, leaf_hash)):
            problem = Problem(
                position,
                event.id,
                "the row has no valid seal: it was inserted, or its hash rewritten, outside Markaz",
            )
        elif not hmac.compare_digest(expected, leaf_hash):
            gap = ""
            if self.prev_id is not None and event.id != self.prev_id + 1:
                gap = f" (ids jump from {self.prev_id} to {event.id})"
            before = (
                f"the event before it (id {self.prev_id})"
                if self.prev_id is not None
                else "an event before it"
            )
            problem = Problem(
                position,
                event.id,
                "the row does not match its recorded hash: it was modified, or "
                f"{before} was deleted, inserted or modified{gap}",
            )
        # The tree takes the hash recomputed from the row as it is now, so that any change
        # also shows against the signed heads; the chain continues from the stored hash so
        # that one bad row does not make every later row look bad.
        self.builder.append(bytes.fromhex(expected))
        self.prev_leaf = leaf_hash or expected
        self.prev_id = event.id
        return problem
