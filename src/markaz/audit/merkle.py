"""Merkle tree hashing as in RFC 6962 / RFC 9162 section 2.1 (SHA-256), without Django.

The tree over leaves D[0:n] is MTH(D[n]): the hash of the empty string for n = 0,
SHA-256(0x00 || d) for one leaf, and SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) where k
is the largest power of two smaller than n.

Everything here works on *leaf hashes* and on half-open position ranges [start, end), so
that a caller holding millions of leaves in a database can stream them once: a proof is a
list of subtree roots over disjoint ranges (`inclusion_ranges`, `consistency_ranges`),
and `range_roots` computes all of them in one pass with O(log n) memory per range.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def hash_leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class TreeBuilder:
    """Appends leaf hashes and gives the root at any size, keeping O(log n) hashes.

    The state is the roots of the perfect subtrees that make up the binary decomposition
    of the current size (the "compact range" of [0, size)), largest first.
    """

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, root of a perfect subtree)

    def append(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            node = hash_children(left, node)
            height += 1
        self._stack.append((height, node))
        self.size += 1

    @classmethod
    def resume(cls, size: int, frontier: Sequence[bytes]) -> TreeBuilder:
        """Continue a tree of `size` leaves from its `frontier()` (largest subtree first)."""
        heights = [h for h in range(size.bit_length() - 1, -1, -1) if size >> h & 1]
        if len(heights) != len(frontier):
            raise ValueError(f"a tree of size {size} has {len(heights)} frontier nodes")
        builder = cls()
        builder.size = size
        builder._stack = list(zip(heights, frontier, strict=True))
        return builder

    def frontier(self) -> list[bytes]:
        return [node for _, node in self._stack]

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = hash_children(left, node)
        return node


def root_of(leaves: Iterable[bytes]) -> bytes:
    """MTH over the given leaf hashes."""
    builder = TreeBuilder()
    for leaf in leaves:
        builder.append(leaf)
    return builder.root()


# --- which subtrees a proof is made of ------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose roots form PATH(index, D[0:size]), in proof order (leaf upwards)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    out: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index - start < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
    out.reverse()
    return out


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The ranges whose roots form PROOF(old_size, D[0:new_size]) (RFC 6962 2.1.2)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    out: list[tuple[int, int]] = []
    # SUBPROOF(m, D[start:end], b), unrolled; entries come out top-down, the proof is
    # bottom-up, so collect and reverse.
    m, start, end, complete = old_size, 0, new_size, True
    while True:
        n = end - start
        if m == n:
            if not complete:
                out.append((start, end))
            break
        k = _split(n)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            m -= k
            start += k
            complete = False
    out.reverse()
    return out


def range_roots(
    leaves: Iterable[bytes],
    ranges: Sequence[tuple[int, int]],
    *,
    prefixes: Iterable[int] = (),
) -> dict[tuple[int, int], bytes]:
    """Roots of the given disjoint ranges from one ordered pass over the leaf hashes.

    `leaves` yields the leaf hashes from position 0 in order; it is read only as far as
    the last range needs. The roots of the prefixes [0, p) for p in `prefixes` come back
    too, under the key (0, p), computed on the same pass.
    """
    todo = sorted(ranges)
    wanted = set(prefixes)
    out: dict[tuple[int, int], bytes] = {}
    if 0 in wanted:
        out[(0, 0)] = EMPTY_ROOT
    last = max([end for _, end in todo] + list(wanted) + [0])
    whole = TreeBuilder()
    i = 0
    builder: TreeBuilder | None = None
    for position, leaf in enumerate(leaves):
        if position >= last:
            break
        if wanted:
            whole.append(leaf)
            if whole.size in wanted:
                out[(0, whole.size)] = whole.root()
        while i < len(todo) and position >= todo[i][1]:
            i += 1
        if i == len(todo) or position < todo[i][0]:
            continue
        if builder is None:
            builder = TreeBuilder()
        builder.append(leaf)
        if position == todo[i][1] - 1:
            out[todo[i]] = builder.root()
            builder = None
    _check_all_found(out, [*todo, *((0, p) for p in wanted)])
    return out


def _check_all_found(roots: dict[tuple[int, int], bytes], ranges: list[tuple[int, int]]) -> None:
    missing = [r for r in ranges if r not in roots]
    if missing:
        raise ValueError(f"fewer leaves than the ranges need (missing {missing[0]})")


def inclusion_proof(leaves: Sequence[bytes], index: int, size: int) -> list[bytes]:
    ranges = inclusion_ranges(index, size)
    roots = range_roots(leaves[:size], ranges)
    return [roots[r] for r in ranges]


def consistency_proof(leaves: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    ranges = consistency_ranges(old_size, new_size)
    roots = range_roots(leaves[:new_size], ranges)
    return [roots[r] for r in ranges]


# --- verification (RFC 9162 2.1.3.2 and 2.1.4.2) ------------------------------------------


def root_from_inclusion_proof(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """The root that `proof` leads to, or None if the proof cannot be for (index, size)."""
    if not 0 <= index < size or len(leaf_hash) != HASH_SIZE:
        return None
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if len(p) != HASH_SIZE or sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            fn, sn = _past_right_edge(fn, sn)
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return None
    return r


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    computed = root_from_inclusion_proof(index, size, leaf_hash, proof)
    return computed is not None and hmac.compare_digest(computed, root)


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and hmac.compare_digest(old_root, new_root)
    if old_size == 0:
        # Every tree extends the empty tree; RFC 9162 sends no proof for it.
        return not proof
    if not proof or any(len(p) != HASH_SIZE for p in proof):
        return False
    roots = _roots_from_consistency_proof(old_size, new_size, proof, old_root)
    return (
        roots is not None
        and hmac.compare_digest(roots[0], old_root)
        and hmac.compare_digest(roots[1], new_root)
    )


def _roots_from_consistency_proof(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes
) -> tuple[bytes, bytes] | None:
    """The (old, new) roots that a proof between two non-empty sizes leads to, or None
    if the proof cannot be for these sizes."""
    path = list(proof)
    # If old_size is a power of two, the old root itself is the first node.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            fn, sn = _past_right_edge(fn, sn)
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    return (fr, sr) if sn == 0 else None


def _past_right_edge(fn: int, sn: int) -> tuple[int, int]:
    """RFC 9162's "if LSB(fn) is not set, right-shift fn and sn equally until either
    LSB(fn) is set or fn is 0"."""
    while fn and not fn & 1:
        fn >>= 1
        sn >>= 1
    return fn, sn
