"""The Merkle tree of the § 40 protocol log (RFC 9162 § 2.1) and its checkpoint text.

Known answers are the test vectors of the Certificate Transparency reference implementation:
google/certificate-transparency, cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots,
kSHA256Paths, kSHA256Proofs), the same values carried on in transparency-dev/merkle,
proof/verify_test.go (which adds the 6 → 7 consistency proof), and the hasher vectors of
transparency-dev/merkle, rfc6962/rfc6962_test.go. The corruptions tried against each known
proof follow the probes of those two test files. Beyond the vectors, every proof is checked
against a plain recursive transcription of the RFC's definitions (``_ref_*`` below).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datenspiegel.protocol.errors import ProtocolError
from datenspiegel.protocol.merkle import (
    EMPTY_ROOT,
    Checkpoint,
    CheckpointError,
    MerkleError,
    ProofError,
    TreeBuilder,
    checkpoint_text,
    consistency_proof,
    consistency_proof_from,
    inclusion_proof,
    inclusion_proof_from,
    leaf_hash,
    node_hash,
    nodes_from_leaves,
    parse_checkpoint,
    root,
    signed_checkpoint,
    split_signed_checkpoint,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# --- the reference tree: google/certificate-transparency cpp/merkletree/merkle_tree_test.cc ---

INPUTS = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]
LEAVES = [leaf_hash(d) for d in INPUTS]
# kSHA256Roots: the root after each of the 8 leaves.
ROOTS = [
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]
# kSHA256Paths: (leaf, tree size, path) with the leaf numbered from 1 as in the C++ test.
PATHS = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (3, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        2,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]
# kSHA256Proofs, plus 6 → 7 from transparency-dev/merkle proof/verify_test.go.
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]
EMPTY_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


# --- a reference transcription of RFC 9162 § 2.1, recursion and all --------------------------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _ref_mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + _ref_mth(d[:k]) + _ref_mth(d[k:])).digest()


def _ref_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*_ref_path(m, d[:k]), _ref_mth(d[k:])]
    return [*_ref_path(m - k, d[k:]), _ref_mth(d[:k])]


def _ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [_ref_mth(d)]
    k = _k(n)
    if m <= k:
        return [*_ref_subproof(m, d[:k], b), _ref_mth(d[k:])]
    return [*_ref_subproof(m - k, d[k:], False), _ref_mth(d[:k])]


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    return [leaf_hash(f"{salt}/{i}".encode()) for i in range(n)]


def _stored_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    nodes: dict[tuple[int, int], bytes] = {}
    builder = TreeBuilder(
        on_node=lambda level, index, value: nodes.__setitem__((level, index), value)
    )
    builder.extend(leaves)
    return nodes


def _flip(value: bytes, bit: int = 3) -> bytes:
    return bytes([value[0] ^ (1 << bit)]) + value[1:]


# --- hashes and roots ------------------------------------------------------------------------


def test_hashes_are_those_of_rfc_6962() -> None:
    # transparency-dev/merkle rfc6962/rfc6962_test.go
    assert EMPTY_ROOT.hex() == EMPTY_HEX
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert leaf_hash(b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert node_hash(b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )
    # The domain separation: a node is never the leaf of its children's concatenation.
    a, b = leaf_hash(b"Hello"), leaf_hash(b"World")
    assert node_hash(a, b) != leaf_hash(a + b)
    assert node_hash(a, b) != node_hash(b, a)


def test_roots_of_the_reference_tree_at_every_size() -> None:
    assert root([]) == EMPTY_ROOT
    builder = TreeBuilder()
    assert builder.root() == EMPTY_ROOT
    for n in range(1, 9):
        assert root(LEAVES[:n]) == ROOTS[n - 1], n
        assert builder.append(LEAVES[n - 1]) == n - 1
        assert builder.size == n
        assert builder.root() == ROOTS[n - 1], n
        assert len(builder.frontier) == n.bit_count()


def test_root_accepts_a_generator_and_bytes_like_hashes() -> None:
    assert root(x for x in LEAVES) == ROOTS[7]
    assert root([bytearray(x) for x in LEAVES[:5]]) == ROOTS[4]  # type: ignore[misc]


def test_root_of_many_leaves_runs_in_log_memory() -> None:
    # 200 000 here to keep the suite quick; 1 000 000 takes about a second.
    n = 200_000
    leaves = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(n)]
    whole = root(iter(leaves))
    # MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])) with k = 131 072.
    assert whole == node_hash(root(leaves[:131_072]), root(leaves[131_072:]))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=300))
def test_builder_equals_root_at_every_size_and_resumes(n: int, cut: int) -> None:
    leaves = _leaves(n)
    builder = TreeBuilder()
    assert builder.root() == EMPTY_ROOT
    for i, leaf in enumerate(leaves):
        builder.append(leaf)
        assert builder.root() == root(leaves[: i + 1])
    assert root(leaves) == _ref_mth(leaves)
    # Resuming from a stored frontier continues the same tree.
    cut = min(cut, n)
    first = TreeBuilder()
    first.extend(leaves[:cut])
    resumed = TreeBuilder.resume(first.size, first.frontier)
    resumed.extend(leaves[cut:])
    assert resumed.root() == builder.root()
    assert resumed.frontier == builder.frontier


def test_builder_reports_every_perfect_subtree() -> None:
    nodes = _stored_nodes(LEAVES)
    assert nodes[(0, 5)] == LEAVES[5]
    assert nodes[(3, 0)] == ROOTS[7]
    assert nodes[(2, 0)] == ROOTS[3]
    assert len(nodes) == 8 + 4 + 2 + 1


def test_builder_refuses_bad_hashes_and_stays_whole() -> None:
    builder = TreeBuilder()
    with pytest.raises(MerkleError, match=r"leaf hash 3 must be 32 bytes .* not 31"):
        builder.extend([*LEAVES[:3], b"x" * 31, LEAVES[4]])
    assert builder.size == 3
    assert builder.root() == ROOTS[2]
    with pytest.raises(MerkleError, match="must be bytes"):
        builder.append("a" * 32)  # type: ignore[arg-type]
    builder.extend(LEAVES[3:])
    assert builder.root() == ROOTS[7]


def test_builder_is_untouched_when_on_node_fails() -> None:
    def sink(level: int, index: int, value: bytes) -> None:
        if level == 2:
            raise OSError("node store unavailable")

    builder = TreeBuilder(on_node=sink)
    builder.extend(LEAVES[:3])
    with pytest.raises(OSError):
        builder.append(LEAVES[3])
    assert builder.size == 3
    assert builder.root() == ROOTS[2]


def test_resume_refuses_a_damaged_frontier() -> None:
    with pytest.raises(MerkleError, match="frontier of 2 hashes"):
        TreeBuilder.resume(5, [ROOTS[3]])
    with pytest.raises(MerkleError, match=r"frontier\[1\] must be 32 bytes"):
        TreeBuilder.resume(5, [ROOTS[3], b"short"])
    with pytest.raises(MerkleError, match="must not be negative"):
        TreeBuilder.resume(-1, [])


def test_errors_are_value_errors_of_the_protocol() -> None:
    for error in (MerkleError, ProofError, CheckpointError):
        assert issubclass(error, ValueError)
        assert issubclass(error, ProtocolError)


# --- subtrees --------------------------------------------------------------------------------


def test_subtree_hash_refuses_ranges_that_are_no_subtree() -> None:
    node = nodes_from_leaves(LEAVES.__getitem__)
    assert subtree_hash(4, 7, node) == _ref_mth(LEAVES[4:7])
    assert subtree_hash(0, 8, node) == ROOTS[7]
    with pytest.raises(MerkleError, match="multiple of 4"):
        subtree_hash(2, 5, node)
    with pytest.raises(MerkleError, match="holds no leaves"):
        subtree_hash(3, 3, node)
    with pytest.raises(MerkleError, match=r"node \(1, 0\) must be 32 bytes"):
        subtree_hash(0, 2, lambda level, index: b"")


# --- inclusion -------------------------------------------------------------------------------


def _inclusion_probes(
    index: int, size: int, proof: list[bytes], root_: bytes, leaf: bytes
) -> list[tuple[str, tuple[object, ...]]]:
    """The corruptions transparency-dev/merkle proof/verify_test.go tries on a good proof."""
    probes: list[tuple[str, tuple[object, ...]]] = [
        ("index - 1", (leaf, index - 1, size, proof, root_)),
        ("index + 1", (leaf, index + 1, size, proof, root_)),
        ("index ^ 2", (leaf, index ^ 2, size, proof, root_)),
        ("size * 2", (leaf, index, size * 2, proof, root_)),
        ("size // 2", (leaf, index, size // 2, proof, root_)),
        ("wrong leaf", (leaf_hash(b"WrongLeaf"), index, size, proof, root_)),
        ("empty root", (leaf, index, size, proof, EMPTY_ROOT)),
        ("random root", (leaf, index, size, proof, SOME_HASH)),
        ("trailing garbage", (leaf, index, size, [*proof, b""], root_)),
        ("trailing root", (leaf, index, size, [*proof, root_], root_)),
        ("preceding garbage", (leaf, index, size, [b"", *proof], root_)),
        ("preceding root", (leaf, index, size, [root_, *proof], root_)),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = _flip(wrong[i])
        probes.append((f"proof[{i}] bit 3", (leaf, index, size, wrong, root_)))
    if proof:
        probes.append(("removed component", (leaf, index, size, proof[:-1], root_)))
    if len(proof) > 1:
        wrong = [proof[0], SOME_HASH, *proof[1:]]
        probes.append(("inserted component", (leaf, index, size, wrong, root_)))
    return probes


@pytest.mark.parametrize(("leaf", "size", "path"), PATHS, ids=lambda v: str(v)[:8])
def test_known_inclusion_proofs(leaf: int, size: int, path: list[bytes]) -> None:
    index = leaf - 1
    assert inclusion_proof(index, LEAVES[:size]) == path
    assert inclusion_proof_from(index, size, nodes_from_leaves(LEAVES.__getitem__)) == path
    assert verify_inclusion(LEAVES[index], index, size, path, ROOTS[size - 1])
    accepted = [
        name
        for name, args in _inclusion_probes(index, size, path, ROOTS[size - 1], LEAVES[index])
        if verify_inclusion(*args)  # type: ignore[arg-type]
    ]
    assert accepted == []


def test_inclusion_of_a_single_entry() -> None:
    value = leaf_hash(b"data")
    assert verify_inclusion(value, 0, 1, [], value)
    assert not verify_inclusion(value, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], value)
    assert not verify_inclusion(b"", 0, 1, [], b"")


def test_inclusion_proof_longer_than_the_tree_is_tall_fails() -> None:
    # H(a, b) is the root of the tree [a, b]; it must not pass for the one-leaf tree [b]
    # with "proof" [a] (RFC 9162 § 2.1.3.2 step 4a stops when sn reaches 0).
    assert verify_inclusion(LEAVES[1], 1, 2, [LEAVES[0]], ROOTS[1])
    assert not verify_inclusion(LEAVES[1], 0, 1, [LEAVES[0]], ROOTS[1])


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_inclusion_with_impossible_positions_fails(index: int, size: int) -> None:
    assert not verify_inclusion(SOME_HASH, index, size, [], b"")
    assert not verify_inclusion(b"", index, size, [], EMPTY_ROOT)
    assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)


@pytest.mark.parametrize(
    ("index", "size", "message"),
    [
        (0, 0, "empty tree contains no leaf"),
        (7, 7, r"leaf 7 is not in a tree of 7 leaves \(indexes run 0 to 6\)"),
        (-1, 3, "index must not be negative"),
        (0, -1, "tree_size must not be negative"),
        (True, 3, "index must be an int"),
    ],
)
def test_inclusion_proof_refuses_impossible_arguments(index: int, size: int, message: str) -> None:
    node = nodes_from_leaves(LEAVES.__getitem__)
    with pytest.raises(ProofError, match=message):
        inclusion_proof_from(index, size, node)


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_inclusion_proofs_verify_and_fail_when_altered(n: int, data: st.DataObject) -> None:
    leaves = _leaves(n, salt=n)
    tree_root = root(leaves)
    index = data.draw(st.integers(min_value=0, max_value=n - 1), label="index")
    proof = inclusion_proof(index, leaves)
    assert proof == _ref_path(index, leaves)
    assert verify_inclusion(leaves[index], index, n, proof, tree_root)
    assert not verify_inclusion(leaf_hash(b"another record"), index, n, proof, tree_root)
    if n > 1:
        other = data.draw(
            st.integers(min_value=0, max_value=n - 2).map(lambda i: i + (i >= index)),
            label="other",
        )
        assert not verify_inclusion(leaves[index], other, n, proof, tree_root)
        assert not verify_inclusion(leaves[other], index, n, proof, tree_root)
        assert not verify_inclusion(leaves[index], index, n, proof[:-1], tree_root)
        assert not verify_inclusion(leaves[index], index, n, proof, _flip(tree_root))


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=200))
def test_every_inclusion_proof_from_stored_nodes_verifies(n: int) -> None:
    leaves = _leaves(n, salt=7)
    nodes = _stored_nodes(leaves)
    tree_root = subtree_hash(0, n, lambda level, index: nodes[(level, index)])
    assert tree_root == root(leaves)
    for index in range(n):
        proof = inclusion_proof_from(index, n, lambda level, i: nodes[(level, i)])
        assert verify_inclusion(leaves[index], index, n, proof, tree_root), index


def _uniform_tree_nodes(calls: list[tuple[int, int]]) -> Callable[[int, int], bytes]:
    """Node hashes of a tree whose leaves are all the same: node (level, i) depends on level
    only, so a tree of ten million leaves is consistent without computing it."""
    levels = [leaf_hash(b"same")]
    for _ in range(64):
        levels.append(node_hash(levels[-1], levels[-1]))

    def node(level: int, index: int) -> bytes:
        calls.append((level, index))
        return levels[level]

    return node


def test_proofs_in_a_tree_of_ten_million_read_log_n_nodes() -> None:
    n, old = 10_000_000, 6_543_210
    calls: list[tuple[int, int]] = []
    node = _uniform_tree_nodes(calls)
    new_root = subtree_hash(0, n, node)
    old_root = subtree_hash(0, old, node)
    calls.clear()
    proof = inclusion_proof_from(9_876_543, n, node)
    assert len(proof) <= 24 and len(calls) <= 2 * 24
    assert verify_inclusion(node(0, 0), 9_876_543, n, proof, new_root)
    calls.clear()
    proof = consistency_proof_from(old, n, node)
    assert len(calls) <= 2 * 2 * 24
    assert verify_consistency(old, n, old_root, new_root, proof)
    assert not verify_consistency(old, n, new_root, old_root, proof)


# --- consistency -----------------------------------------------------------------------------


def _consistency_probes(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> list[tuple[str, tuple[object, ...]]]:
    """The corruptions transparency-dev/merkle proof/verify_test.go tries on a good proof."""
    probes: list[tuple[str, tuple[object, ...]]] = [
        ("size1 - 1", (size1 - 1, size2, root1, root2, proof)),
        ("size1 + 1", (size1 + 1, size2, root1, root2, proof)),
        ("size1 ^ 2", (size1 ^ 2, size2, root1, root2, proof)),
        ("size2 * 2", (size1, size2 * 2, root1, root2, proof)),
        ("size2 // 2", (size1, size2 // 2, root1, root2, proof)),
        ("wrong root1", (size1, size2, b"WrongRoot", root2, proof)),
        ("wrong root2", (size1, size2, root1, b"WrongRoot", proof)),
        ("altered root1", (size1, size2, _flip(root1), root2, proof)),
        ("altered root2", (size1, size2, root1, _flip(root2), proof)),
        ("swapped roots", (size1, size2, root2, root1, proof)),
        ("empty proof", (size1, size2, root1, root2, [])),
        ("trailing garbage", (size1, size2, root1, root2, [*proof, b""])),
        ("trailing root1", (size1, size2, root1, root2, [*proof, root1])),
        ("trailing root2", (size1, size2, root1, root2, [*proof, root2])),
        ("preceding garbage", (size1, size2, root1, root2, [b"", *proof])),
        ("preceding root1", (size1, size2, root1, root2, [root1, *proof])),
        ("preceding root2", (size1, size2, root1, root2, [root2, *proof])),
        ("preceding proof[0]", (size1, size2, root1, root2, [proof[0], *proof])),
        ("truncated proof", (size1, size2, root1, root2, proof[:-1])),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = _flip(wrong[i], 4)
        probes.append((f"proof[{i}] bit 4", (size1, size2, root1, root2, wrong)))
    return probes


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY, ids=lambda v: str(v)[:8])
def test_known_consistency_proofs(size1: int, size2: int, proof: list[bytes]) -> None:
    assert consistency_proof(size1, LEAVES[:size2]) == proof
    root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]
    assert verify_consistency(size1, size2, root1, root2, proof)
    if proof:
        accepted = [
            name
            for name, args in _consistency_probes(size1, size2, root1, root2, proof)
            if verify_consistency(*args)  # type: ignore[arg-type]
        ]
        assert accepted == []


@pytest.mark.parametrize(
    ("size1", "size2", "root1", "root2", "proof", "valid"),
    [
        # transparency-dev/merkle TestVerifyConsistency, with roots checked at size 0.
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [], True),
        (0, 0, SOME_HASH, SOME_HASH, [], False),  # the empty tree has exactly one root
        (0, 1, EMPTY_ROOT, ROOTS[0], [], True),
        (0, 1, SOME_HASH, ROOTS[0], [], False),
        (1, 1, ROOTS[0], ROOTS[0], [], True),
        (1, 1, ROOTS[0], ROOTS[1], [], False),  # roots don't match
        (1, 0, ROOTS[0], EMPTY_ROOT, [], False),  # time travel to the past
        (2, 1, ROOTS[1], ROOTS[0], [], False),
        (1, 2, ROOTS[0], ROOTS[1], [], False),  # empty proof
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),  # roots match, proof not empty
        (0, 1, EMPTY_ROOT, ROOTS[0], [EMPTY_ROOT], False),
        (1, 1, ROOTS[0], ROOTS[0], [EMPTY_ROOT], False),
    ],
)
def test_consistency_edges(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes], valid: bool
) -> None:
    assert verify_consistency(size1, size2, root1, root2, proof) is valid


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (9, 8, "old_size 9 is larger than new_size 8"),
        (-1, 8, "old_size must not be negative"),
        (1, -8, "new_size must not be negative"),
        (1, 2.0, "new_size must be an int"),
    ],
)
def test_consistency_proof_refuses_impossible_arguments(old: int, new: int, message: str) -> None:
    with pytest.raises(ProofError, match=message):
        consistency_proof_from(old, new, nodes_from_leaves(LEAVES.__getitem__))


def test_consistency_proofs_of_nothing_are_empty() -> None:
    assert consistency_proof(0, LEAVES) == []
    assert consistency_proof(8, LEAVES) == []
    assert consistency_proof(0, []) == []


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=300), st.data())
def test_consistency_proofs_verify_and_fail_when_altered(n: int, data: st.DataObject) -> None:
    m = data.draw(st.integers(min_value=0, max_value=n), label="old size")
    leaves = _leaves(n, salt=n + 1)
    old_root, new_root = root(leaves[:m]), root(leaves)
    proof = consistency_proof(m, leaves)
    assert proof == (_ref_subproof(m, leaves, True) if 0 < m < n else [])
    assert verify_consistency(m, n, old_root, new_root, proof)
    assert not verify_consistency(m, n, _flip(old_root), new_root, proof)
    if not 0 == m < n:  # from the empty tree, any tree is consistent: no new root to check
        assert not verify_consistency(m, n, old_root, _flip(new_root), proof)
    if proof:
        assert not verify_consistency(m, n, old_root, new_root, proof[:-1])
        assert not verify_consistency(m, n, new_root, old_root, proof)
    # Stored nodes give the same proof.
    nodes = _stored_nodes(leaves)
    assert consistency_proof_from(m, n, lambda level, i: nodes[(level, i)]) == proof


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.integers(), st.none(), st.booleans(), st.text(max_size=3)),
    st.one_of(st.integers(), st.none(), st.floats()),
    st.one_of(st.binary(max_size=40), st.none(), st.text(max_size=40)),
    st.one_of(
        st.lists(st.one_of(st.binary(min_size=31, max_size=33), st.integers()), max_size=70),
        st.binary(max_size=64),
        st.none(),
    ),
)
def test_verification_never_raises(
    index: object, size: object, value: object, proof: object
) -> None:
    assert verify_inclusion(value, index, size, proof, value) in (True, False)  # type: ignore[arg-type]
    assert verify_consistency(index, size, value, value, proof) in (True, False)  # type: ignore[arg-type]


# --- checkpoints -----------------------------------------------------------------------------

ORIGIN = "datenspiegel.niedersachsen.example/protokoll"
MOMENT = datetime(2025, 11, 28, 14, 3, 7, tzinfo=UTC)
TEXT = (
    b"datenspiegel.niedersachsen.example/protokoll\n"
    b"8\n"
    b"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    b"time 2025-11-28T14:03:07Z\n"
)


def test_checkpoint_text_is_exact() -> None:
    assert checkpoint_text(ORIGIN, 8, ROOTS[7], MOMENT) == TEXT
    assert base64.b64decode(TEXT.split(b"\n")[2]) == ROOTS[7]
    checkpoint = parse_checkpoint(TEXT)
    assert checkpoint == Checkpoint(ORIGIN, 8, ROOTS[7], MOMENT)
    assert checkpoint.text() == TEXT
    assert parse_checkpoint(TEXT, origin=ORIGIN) == checkpoint


def test_checkpoint_time_is_utc_whole_seconds() -> None:
    cet = timezone(timedelta(hours=1))
    given_time = datetime(2025, 11, 28, 15, 3, 7, 987654, tzinfo=cet)
    checkpoint = Checkpoint(ORIGIN, 8, ROOTS[7], given_time)
    assert checkpoint.timestamp == MOMENT
    assert checkpoint.timestamp.tzinfo is UTC
    assert checkpoint.text() == TEXT
    empty = checkpoint_text(ORIGIN, 0, EMPTY_ROOT, datetime(1, 1, 1, tzinfo=UTC))
    assert empty.endswith(
        b"\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntime 0001-01-01T00:00:00Z\n"
    )
    assert parse_checkpoint(empty).size == 0


origins = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp", "Cf", "Co", "Cn"),
        exclude_characters="+\x85\x1c\x1d\x1e\x1f",
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    origins,
    st.integers(min_value=0, max_value=2**64 - 1),
    st.binary(min_size=32, max_size=32),
    st.datetimes(timezones=st.just(UTC)),
)
def test_checkpoint_round_trip(origin: str, size: int, root_: bytes, moment: datetime) -> None:
    text = checkpoint_text(origin, size, root_, moment)
    checkpoint = parse_checkpoint(text)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root) == (origin, size, root_)
    assert checkpoint.timestamp == moment.replace(microsecond=0)
    assert checkpoint.text() == text
    signature = b"\x01\x02\x03\x04" + root_ * 2
    signed = signed_checkpoint(text, signature, origin)
    assert split_signed_checkpoint(signed) == (text, [(origin, signature)])


def _lines(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode()


GOOD = (
    "example.org/log",
    "8",
    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
    "time 2025-11-28T14:03:07Z",
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not bytes", "checkpoint must be bytes, not str"),
        (b"", "must end with a newline"),
        (_lines(*GOOD)[:-1], "must end with a newline"),
        (_lines(*GOOD).replace(b"\n", b"\r\n"), "control character U\\+000D"),
        (_lines(*GOOD) + b"\xff\n", "not UTF-8"),
        (_lines(*GOOD[:3]), "4 lines .* not 3"),
        (_lines(*GOOD, "extension"), "4 lines .* not 5"),
        (_lines(*GOOD[:3], "", GOOD[3]), "4 lines .* not 5"),
        (_lines("", *GOOD[1:]), "line 1 \\(origin\\) must be a non-empty text"),
        (_lines("example.org/my log", *GOOD[1:]), "contains ' ' \\(U\\+0020\\)"),
        (_lines("example.org/a+b", *GOOD[1:]), "contains '\\+'"),
        (_lines("example.org/\u200blog", *GOOD[1:]), "U\\+200B"),
        (_lines("x" * 256, *GOOD[1:]), "must not exceed 255 characters"),
        (_lines(GOOD[0], "08", *GOOD[2:]), "line 2 \\(tree size\\) .* not '08'"),
        (_lines(GOOD[0], "-8", *GOOD[2:]), "line 2 \\(tree size\\)"),
        (_lines(GOOD[0], "+8", *GOOD[2:]), "line 2 \\(tree size\\)"),
        (_lines(GOOD[0], " 8", *GOOD[2:]), "line 2 \\(tree size\\)"),
        (_lines(GOOD[0], "\u0668", *GOOD[2:]), "line 2 \\(tree size\\)"),  # Arabic-Indic 8
        (_lines(GOOD[0], str(2**64), *GOOD[2:]), "exceeds 2\\*\\*64-1"),
        (_lines(*GOOD[:2], GOOD[2][:-1], GOOD[3]), "line 3 \\(root hash\\)"),
        (_lines(*GOOD[:2], GOOD[2].replace("+", "-"), GOOD[3]), "line 3 \\(root hash\\)"),
        (_lines(*GOOD[:2], base64.b64encode(b"x" * 33).decode(), GOOD[3]), "line 3"),
        (_lines(*GOOD[:2], GOOD[2][:42] + "h=", GOOD[3]), "not canonical base64"),
        (_lines(*GOOD[:3], "2025-11-28T14:03:07Z"), "line 4 must be 'time YYYY"),
        (_lines(*GOOD[:3], "time 2025-11-28T14:03:07+00:00"), "line 4 must be"),
        (_lines(*GOOD[:3], "time 2025-11-28T14:03:07.5Z"), "line 4 must be"),
        (_lines(*GOOD[:3], "time  2025-11-28T14:03:07Z"), "line 4 must be"),
        (_lines(*GOOD[:3], "time 2025-02-30T14:03:07Z"), "is no valid time"),
        (b"x" * 1025, "at most 1024 are accepted"),
    ],
)
def test_malformed_checkpoints_are_refused(text: bytes, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        parse_checkpoint(text)


def test_checkpoint_of_another_log_is_refused() -> None:
    with pytest.raises(
        CheckpointError, match=r"of log 'example\.org/log', not of 'example\.org/x'"
    ):
        parse_checkpoint(_lines(*GOOD), origin="example.org/x")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((ORIGIN, 8, ROOTS[7][:31], MOMENT), "root must be 32 bytes"),
        ((ORIGIN, -1, ROOTS[7], MOMENT), "size must lie in 0"),
        ((ORIGIN, 2**64, ROOTS[7], MOMENT), "size must lie in 0"),
        ((ORIGIN, True, ROOTS[7], MOMENT), "size must be an int"),
        ((ORIGIN, 8, ROOTS[7], MOMENT.replace(tzinfo=None)), "timezone-aware"),
        (("a\nb", 8, ROOTS[7], MOMENT), "contains '\\\\n'"),
        (("", 8, ROOTS[7], MOMENT), "origin must be a non-empty text"),
    ],
)
def test_checkpoint_fields_are_checked(fields: tuple[object, ...], message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        checkpoint_text(*fields)  # type: ignore[arg-type]


# The signature line of the example in C2SP tlog-checkpoint.md (key ID and Ed25519 signature).
C2SP_LINE = (
    "\u2014 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)


def test_signed_checkpoint_round_trip_with_a_witness_cosignature() -> None:
    key_id = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + b"k" * 32).digest()[:4]
    signature = key_id + b"s" * 64
    signed = signed_checkpoint(TEXT, signature, ORIGIN)
    line = "\u2014 " + ORIGIN + " " + base64.b64encode(signature).decode() + "\n"
    assert signed == TEXT + b"\n" + line.encode()
    cosigned = signed + C2SP_LINE.encode()
    body, signatures = split_signed_checkpoint(cosigned)
    assert body == TEXT
    assert signatures[0] == (ORIGIN, signature)
    name, witness = signatures[1]
    assert name == "example.com/behind-the-sofa"
    assert len(witness) == 4 + 64 and witness[:4] == bytes.fromhex("033de0ae")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((TEXT + b"x\n", b"\0" * 68, ORIGIN), "4 lines"),
        ((TEXT, b"\0" * 4, ORIGIN), "has 4 bytes; a note signature is the 4-byte key ID"),
        ((TEXT, b"\0" * 8193, ORIGIN), "has 8193 bytes"),
        ((TEXT, "sig", ORIGIN), "signature must be bytes"),
        ((TEXT, b"\0" * 68, "my key"), "key_name 'my key' contains ' '"),
    ],
)
def test_signed_checkpoint_refuses_what_cannot_be_signed(
    arguments: tuple[object, ...], message: str
) -> None:
    with pytest.raises(CheckpointError, match=message):
        signed_checkpoint(*arguments)  # type: ignore[arg-type]


SIGNED = signed_checkpoint(TEXT, b"\x01\x02\x03\x04" + b"s" * 64, ORIGIN)
SIGNATURE_LINE = SIGNED[len(TEXT) + 1 :]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TEXT, "no blank line"),
        (TEXT + b"\n", "no signature line"),
        (SIGNED[:-1], "must end with a newline"),
        (SIGNED.replace(b"\n", b"\r\n"), "control character"),
        (SIGNED + b"\n", "4 lines"),  # a trailing blank line is taken as the separator
        (TEXT + b"\n\n" + SIGNATURE_LINE, "4 lines"),
        (TEXT.replace(b"time", b"tine") + b"\n" + SIGNATURE_LINE, "line 4 must be"),
        (TEXT + b"\n- " + SIGNATURE_LINE[4:], "em dash U\\+2014"),
        (TEXT + b"\n" + SIGNATURE_LINE.replace(b" ", b"  ", 1), "single spaces"),
        (TEXT + b"\n" + SIGNATURE_LINE[:-1] + b" x\n", "single spaces"),
        (TEXT + b"\n" + SIGNATURE_LINE[:-2] + b"\n", "not canonical standard base64"),
        (TEXT + b"\n" + SIGNATURE_LINE[:-4] + b"*==\n", "not canonical standard base64"),
        (TEXT + b"\n\xe2\x80\x94 k AQIDBA==\n", "has 4 bytes"),
        (TEXT + b"\n\xe2\x80\x94 a+b AQIDBAU=\n", "key name 'a\\+b' contains"),
        (TEXT + b"\n" + SIGNATURE_LINE * 65, "65 signatures; at most 64"),
        (SIGNED.decode(), "must be bytes"),
    ],
)
def test_malformed_signed_checkpoints_are_refused(text: bytes, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        split_signed_checkpoint(text)


def test_sixty_four_signatures_are_read() -> None:
    body, signatures = split_signed_checkpoint(TEXT + b"\n" + SIGNATURE_LINE * 64)
    assert body == TEXT
    assert len(signatures) == 64
