"""The Merkle tree against the RFC 6962 reference test vectors.

The vectors (leaves, roots of sizes 1..8, inclusion and consistency proofs) are the
ones the certificate-transparency implementations test against (transparency-dev/merkle,
proof/verify_test.go); only the data is copied.
"""

from __future__ import annotations

import pytest

from markaz.audit import merkle

LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
LEAF_HASHES = [merkle.hash_leaf(leaf) for leaf in LEAVES]

ROOTS = [
    bytes.fromhex(h)
    for h in [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]
EMPTY_ROOT = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")

# (leaf index, tree size, proof); the reference numbers leaves from 1, these from 0.
INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# (old size, new size, proof)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def _flip(proof: list[bytes], i: int) -> list[bytes]:
    out = list(proof)
    out[i] = bytes([out[i][0] ^ 8]) + out[i][1:]
    return out


def test_empty_tree_root_is_hash_of_nothing():
    assert merkle.root_of([]) == EMPTY_ROOT == merkle.EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_root_matches_reference(size):
    assert merkle.root_of(LEAF_HASHES[:size]) == ROOTS[size - 1]


def test_builder_resumes_from_its_frontier():
    builder = merkle.TreeBuilder()
    for leaf in LEAF_HASHES[:5]:
        builder.append(leaf)
    resumed = merkle.TreeBuilder.resume(5, builder.frontier())
    for leaf in LEAF_HASHES[5:]:
        resumed.append(leaf)
    assert resumed.root() == ROOTS[7]


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_inclusion_proof_matches_reference(index, size, expected):
    proof = merkle.inclusion_proof(LEAF_HASHES, index, size)
    assert [p.hex() for p in proof] == expected
    assert merkle.verify_inclusion(index, size, LEAF_HASHES[index], proof, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY)
def test_consistency_proof_matches_reference(old, new, expected):
    proof = merkle.consistency_proof(LEAF_HASHES, old, new)
    assert [p.hex() for p in proof] == expected
    assert merkle.verify_consistency(old, new, proof, ROOTS[old - 1], ROOTS[new - 1])


def test_every_proof_in_the_reference_tree_verifies():
    for size in range(1, 9):
        root = ROOTS[size - 1]
        for index in range(size):
            proof = merkle.inclusion_proof(LEAF_HASHES, index, size)
            assert merkle.verify_inclusion(index, size, LEAF_HASHES[index], proof, root)
        for old in range(0, size + 1):
            old_root = merkle.root_of(LEAF_HASHES[:old])
            proof = merkle.consistency_proof(LEAF_HASHES, old, size)
            assert merkle.verify_consistency(old, size, proof, old_root, root)


@pytest.mark.parametrize(("index", "size", "expected"), [v for v in INCLUSION if v[2]])
def test_tampered_inclusion_proofs_fail(index, size, expected):
    proof = [bytes.fromhex(h) for h in expected]
    root, leaf = ROOTS[size - 1], LEAF_HASHES[index]
    bad = [
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size // 2, leaf, proof, root),
        (index, size, merkle.hash_leaf(b"WrongLeaf"), proof, root),
        (index, size, leaf, proof, EMPTY_ROOT),
        (index, size, leaf, proof, SOME_HASH),
        (index, size, leaf, [*proof, b""], root),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [root, *proof], root),
        (index, size, leaf, proof[:-1], root),
        (index, size, leaf, [proof[0], SOME_HASH, *proof[1:]], root),
        *[(index, size, leaf, _flip(proof, i), root) for i in range(len(proof))],
    ]
    if index > 0:
        bad.append((index - 1, size, leaf, proof, root))
    for args in bad:
        assert not merkle.verify_inclusion(*args), args


@pytest.mark.parametrize(("old", "new", "expected"), [v for v in CONSISTENCY if v[2]])
def test_tampered_consistency_proofs_fail(old, new, expected):
    proof = [bytes.fromhex(h) for h in expected]
    r1, r2 = ROOTS[old - 1], ROOTS[new - 1]
    bad = [
        (old - 1, new, proof, r1, r2),
        (old + 1, new, proof, r1, r2),
        (old ^ 2, new, proof, r1, r2),
        (old, new * 2, proof, r1, r2),
        (old, new // 2, proof, r1, r2),
        (old, new, proof, merkle.hash_leaf(b"WrongRoot"), r2),
        (old, new, proof, r1, merkle.hash_leaf(b"WrongRoot")),
        (old, new, proof, r2, r1),
        (old, new, [], r1, r2),
        (old, new, [*proof, b""], r1, r2),
        (old, new, [*proof, r1], r1, r2),
        (old, new, [*proof, r2], r1, r2),
        (old, new, [b"", *proof], r1, r2),
        (old, new, [r1, *proof], r1, r2),
        (old, new, [r2, *proof], r1, r2),
        (old, new, [proof[0], *proof], r1, r2),
        (old, new, proof[:-1], r1, r2),
        *[(old, new, _flip(proof, i), r1, r2) for i in range(len(proof))],
    ]
    for args in bad:
        assert not merkle.verify_consistency(*args), args


def test_consistency_edge_cases():
    assert merkle.verify_consistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)
    assert merkle.verify_consistency(0, 5, [], EMPTY_ROOT, ROOTS[4])
    assert not merkle.verify_consistency(1, 0, [], ROOTS[0], EMPTY_ROOT)
    assert not merkle.verify_consistency(1, 1, [EMPTY_ROOT], ROOTS[0], ROOTS[0])
    assert not merkle.verify_consistency(1, 1, [], ROOTS[0], ROOTS[1])


def test_inclusion_edge_cases():
    for index, size in [(0, 0), (1, 0), (2, 1)]:
        assert not merkle.verify_inclusion(index, size, SOME_HASH, [], EMPTY_ROOT)
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(3, 3)


def test_range_roots_reads_leaves_once_in_order():
    seen: list[int] = []

    def leaves():
        for i, leaf in enumerate(LEAF_HASHES):
            seen.append(i)
            yield leaf

    ranges = merkle.consistency_ranges(3, 7)
    roots = merkle.range_roots(leaves(), ranges, prefixes=[3, 7])
    assert seen == list(range(8))[: len(seen)] and len(seen) <= 8
    assert roots[(0, 3)] == ROOTS[2] and roots[(0, 7)] == ROOTS[6]
    proof = [roots[r] for r in ranges]
    assert merkle.verify_consistency(3, 7, proof, ROOTS[2], ROOTS[6])
