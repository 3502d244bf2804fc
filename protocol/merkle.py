"""The Merkle hash tree of the § 40 protocol log: RFC 9162 § 2.1 with SHA-256, pure functions.

The protocol becomes evidence (DESIGN.md, roadmap step 5) by committing every record to an
append-only Merkle tree whose signed tree heads ("checkpoints") an auditor or an external
witness keeps. With a tree head of size *n* the broker can later prove that a record is the
*i*-th leaf (inclusion proof, RFC 9162 § 2.1.3) and that the tree of size *n* is a prefix of
today's tree (consistency proof, § 2.1.4): a record altered, removed or reordered after the
head was handed out makes one of these proofs impossible.

The tree is exactly the one of RFC 9162 § 2.1.1 (and RFC 6962 § 2.1), so third-party
Certificate Transparency tooling verifies our proofs:

* ``leaf_hash(d)   = SHA-256(0x00 || d)``
* ``node_hash(l, r) = SHA-256(0x01 || l || r)``
* ``MTH({})        = SHA-256()`` (:data:`EMPTY_ROOT`), ``MTH({d}) = leaf_hash(d)``, and for
  *n* > 1, with *k* the largest power of two smaller than *n*,
  ``MTH(D[n]) = node_hash(MTH(D[0:k]), MTH(D[k:n]))``.

Everything here works on leaf *hashes*; what the leaf data of a record is, and where hashes
and nodes are stored, belong to the log layer. Nothing here does I/O.

Sizes of work, for a tree of *n* leaves:

* :func:`root` and :class:`TreeBuilder` take O(n) time and keep O(log n) hashes (the
  "frontier": one perfect subtree per 1-bit of *n*), so 10 million leaf hashes can be
  streamed from a table. A builder can be resumed from its frontier (:meth:`TreeBuilder.resume`)
  without reading the leaves again.
* Proofs are computed from a :data:`NodeSource` — the hash of the perfect subtree at
  ``(level, index)``. Backed by stored node hashes (:class:`TreeBuilder` reports every node
  it completes), a proof costs O(log n) node reads and hashes; backed by leaf hashes alone
  (:func:`nodes_from_leaves`) it costs O(n) leaf reads and hashes but still O(log n) memory.

The second half of the module is the checkpoint text, a C2SP ``tlog-checkpoint`` with one
extension line for the time it was made, and the signed-note envelope around it
(https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note). Signing and verifying the
signatures is done elsewhere with the broker's key; this module only frames the bytes.
See docs/protocol-log.md for the format as an external witness reads it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from datenspiegel.protocol.errors import ProtocolError

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Checkpoint",
    "CheckpointError",
    "MerkleError",
    "NodeSink",
    "NodeSource",
    "ProofError",
    "TreeBuilder",
    "checkpoint_text",
    "consistency_proof",
    "consistency_proof_from",
    "inclusion_proof",
    "inclusion_proof_from",
    "leaf_hash",
    "node_hash",
    "nodes_from_leaves",
    "parse_checkpoint",
    "root",
    "signed_checkpoint",
    "split_signed_checkpoint",
    "subtree_hash",
    "verify_consistency",
    "verify_inclusion",
]

#: Bytes of a SHA-256 hash: every leaf hash, node hash and root.
HASH_SIZE = 32
#: The root of the empty tree, ``MTH({}) = SHA-256()`` (RFC 9162 § 2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256

#: ``node(level, index)`` → the hash of the perfect subtree over the leaves
#: ``[index·2**level, (index+1)·2**level)``; level 0 is the leaf hashes themselves.
NodeSource = Callable[[int, int], bytes]
#: Called by :class:`TreeBuilder` with ``(level, index, hash)`` for every perfect subtree it
#: completes, leaves (level 0) included: what a store keeps to answer proofs in O(log n).
NodeSink = Callable[[int, int, bytes], None]


class MerkleError(ProtocolError, ValueError):
    """A hash of the wrong size, an impossible tree size or range, a broken frontier."""


class ProofError(MerkleError):
    """A proof was asked for that cannot exist (index outside the tree, old size > new size)."""


class CheckpointError(MerkleError):
    """A checkpoint or signed checkpoint is malformed; the message says which line and why."""


# --- hashes ----------------------------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf (RFC 9162 § 2.1.1)."""
    return _sha256(b"\x00" + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node (RFC 9162 § 2.1.1).

    The distinct prefixes keep a leaf from being passed off as a node (second preimages).
    """
    return _sha256(b"\x01" + bytes(left) + bytes(right)).digest()


def _checked_hash(value: object, what: str) -> bytes:
    if not isinstance(value, bytes | bytearray | memoryview):
        raise MerkleError(f"{what} must be bytes (a SHA-256 hash), not {type(value).__name__}")
    value = bytes(value)
    if len(value) != HASH_SIZE:
        raise MerkleError(f"{what} must be {HASH_SIZE} bytes (a SHA-256 hash), not {len(value)}")
    return value


def _checked_size(value: object, what: str, error: type[MerkleError] = MerkleError) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{what} must be an int, not {type(value).__name__}")
    if value < 0:
        raise error(f"{what} must not be negative, not {value}")
    return value


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n ≥ 2): where MTH splits D[n]."""
    return 1 << ((n - 1).bit_length() - 1)


def _fold(frontier: Sequence[bytes]) -> bytes:
    """The root over perfect subtrees of decreasing size, left to right (MTH's right spine)."""
    if not frontier:
        return EMPTY_ROOT
    result = frontier[-1]
    for left in reversed(frontier[:-1]):
        result = _sha256(b"\x01" + left + result).digest()
    return result


# --- building the tree -----------------------------------------------------------------------


class TreeBuilder:
    """Appends leaf hashes one by one and knows the root of everything appended so far.

    It keeps only the frontier — the roots of the perfect subtrees that make up the tree,
    largest first, one per 1-bit of :attr:`size` — so memory stays O(log n) however many
    leaves pass through. Each append costs one hash plus one per subtree it completes
    (amortised two), :meth:`root` costs O(log n).

    ``on_node`` is told of every perfect subtree completed, as ``(level, index, hash)``, so a
    store can keep the node hashes a :data:`NodeSource` needs for O(log n) proofs.
    """

    __slots__ = ("_frontier", "_on_node", "_size")

    def __init__(self, *, on_node: NodeSink | None = None) -> None:
        self._frontier: list[bytes] = []
        self._size = 0
        self._on_node = on_node

    @classmethod
    def resume(
        cls, size: int, frontier: Sequence[bytes], *, on_node: NodeSink | None = None
    ) -> TreeBuilder:
        """A builder that continues a tree of ``size`` leaves from its stored :attr:`frontier`."""
        size = _checked_size(size, "size")
        hashes = [_checked_hash(h, f"frontier[{i}]") for i, h in enumerate(frontier)]
        if len(hashes) != size.bit_count():
            raise MerkleError(
                f"a tree of {size} leaves has a frontier of {size.bit_count()} hashes "
                f"(one per 1-bit of its size), not {len(hashes)}: the stored state is damaged"
            )
        builder = cls(on_node=on_node)
        builder._frontier = hashes
        builder._size = size
        return builder

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    @property
    def frontier(self) -> tuple[bytes, ...]:
        """The roots of the perfect subtrees of the tree, largest (leftmost) first."""
        return tuple(self._frontier)

    def append(self, leaf_hash: bytes) -> int:
        """Append one leaf hash; returns its index (0-based)."""
        index = self._size
        self.extend((leaf_hash,))
        return index

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append leaf hashes in order, consuming the iterable lazily (a cursor will do)."""
        stack = self._frontier
        on_node = self._on_node
        size = self._size
        sha = _sha256
        try:
            for value in leaf_hashes:
                if type(value) is bytes and len(value) == HASH_SIZE:
                    h = value
                else:
                    h = _checked_hash(value, f"leaf hash {size}")
                if on_node is not None:
                    on_node(0, size, h)
                # Every trailing 1-bit of the old size is a perfect subtree the new leaf
                # completes: merge it in, one level up each time. The frontier changes only
                # after all merges, so a failing on_node leaves the leaf not appended.
                top = len(stack)
                carry = size
                level = 0
                while carry & 1:
                    top -= 1
                    h = sha(b"\x01" + stack[top] + h).digest()
                    carry >>= 1
                    level += 1
                    if on_node is not None:
                        on_node(level, size >> level, h)
                del stack[top:]
                stack.append(h)
                size += 1
        finally:
            # A bad hash or a failing on_node midway leaves the builder at the last good
            # leaf, never torn.
            self._size = size

    def root(self) -> bytes:
        """``MTH`` of the leaves appended so far (:data:`EMPTY_ROOT` when there are none)."""
        return _fold(self._frontier)


def root(leaf_hashes: Iterable[bytes]) -> bytes:
    """``MTH(D[n])`` of RFC 9162 § 2.1.1 over the given leaf hashes, in O(log n) memory.

    Any iterable will do; a generator over a table of millions of leaf hashes is never held
    in memory as a whole.
    """
    builder = TreeBuilder()
    builder.extend(leaf_hashes)
    return builder.root()


# --- subtrees and node sources ---------------------------------------------------------------


def subtree_hash(start: int, end: int, node: NodeSource) -> bytes:
    """``MTH(D[start:end])`` for a range that is a node of some tree — the ranges proofs use.

    ``start`` must be a multiple of the smallest power of two ≥ ``end - start`` (as every
    subtree of an RFC 9162 tree is). The range is split into its perfect subtrees, largest
    first, which are read from ``node`` and folded: at most log₂(end − start) + 1 node reads
    and as many hashes. ``subtree_hash(0, n, node)`` is the root of the tree of size *n*.
    """
    start = _checked_size(start, "start")
    end = _checked_size(end, "end")
    width = end - start
    if width <= 0:
        raise MerkleError(f"the range [{start}, {end}) holds no leaves")
    span = 1 << (width - 1).bit_length()
    if start % span:
        raise MerkleError(
            f"[{start}, {end}) is not a subtree: its start must be a multiple of {span}"
        )
    pieces: list[bytes] = []
    position = start
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            index = position >> level
            pieces.append(_checked_hash(node(level, index), f"node ({level}, {index})"))
            position += 1 << level
    return _fold(pieces)


def nodes_from_leaves(get_leaf_hash: Callable[[int], bytes]) -> NodeSource:
    """A :data:`NodeSource` that computes each node from the leaf hashes below it.

    Node ``(level, index)`` costs 2**level leaf reads and as many hashes, in O(level)
    memory, so a proof over *n* leaves costs O(n) reads in all. Use it when no node hashes are
    stored (tests, an auditor re-deriving everything); use stored nodes for O(log n).
    """

    def node(level: int, index: int) -> bytes:
        first = index << level
        if level == 0:
            return _checked_hash(get_leaf_hash(first), f"leaf hash {first}")
        builder = TreeBuilder()
        builder.extend(get_leaf_hash(i) for i in range(first, first + (1 << level)))
        return builder.root()

    return node


# --- inclusion -------------------------------------------------------------------------------


def inclusion_proof_from(index: int, tree_size: int, node: NodeSource) -> list[bytes]:
    """The audit path ``PATH(index, D[tree_size])`` of RFC 9162 § 2.1.3.1, leaf side first.

    At most one hash of the path lies on the right edge of the tree (it is split into its
    perfect subtrees); the others are perfect subtrees: O(log n) node reads.
    """
    tree_size = _checked_size(tree_size, "tree_size", ProofError)
    index = _checked_size(index, "index", ProofError)
    if index >= tree_size:
        raise ProofError(
            f"leaf {index} is not in a tree of {tree_size} leaves (indexes run 0 to "
            f"{tree_size - 1}); ask for a proof against a tree that contains it"
            if tree_size
            else "the empty tree contains no leaf, so there is no inclusion proof"
        )
    path: list[bytes] = []
    start, end = 0, tree_size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:  # the leaf is left of the split: the right subtree is the sibling
            path.append(subtree_hash(start + k, end, node))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, node))
            start += k
    path.reverse()
    return path


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """``PATH(index, D[n])`` over all leaf hashes of the tree (n = ``len(leaf_hashes)``).

    O(n) hashes, O(log n) extra memory; for large stored trees use
    :func:`inclusion_proof_from` with stored node hashes.
    """
    return inclusion_proof_from(index, len(leaf_hashes), nodes_from_leaves(leaf_hashes.__getitem__))


def _hash_or_none(value: object) -> bytes | None:
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value)
        if len(value) == HASH_SIZE:
            return value
    return None


def _hashes_or_none(values: object) -> list[bytes] | None:
    if not isinstance(values, Sequence) or isinstance(values, str | bytes | bytearray):
        return None
    hashes = []
    for value in values:
        h = _hash_or_none(value)
        if h is None:
            return None
        hashes.append(h)
    return hashes


def _size_or_none(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` shows ``leaf_hash`` as leaf ``index`` of the tree ``root`` of size
    ``tree_size``: the algorithm of RFC 9162 § 2.1.3.2, step by step.

    Returns False — never raises — for anything that does not verify, including negative or
    out-of-range numbers and hashes that are not 32 bytes.
    """
    leaf = _hash_or_none(leaf_hash)
    expected = _hash_or_none(root)
    hashes = _hashes_or_none(proof)
    index_ = _size_or_none(index)
    size = _size_or_none(tree_size)
    if leaf is None or expected is None or hashes is None or index_ is None or size is None:
        return False
    # 1. leaf_index ≥ tree_size fails.
    if index_ >= size:
        return False
    # 2., 3.
    fn, sn = index_, size - 1
    r = leaf
    sha = _sha256
    # 4.
    for p in hashes:
        if sn == 0:  # a.
            return False
        if fn & 1 or fn == sn:  # b.
            r = sha(b"\x01" + p + r).digest()
            # b.2: if LSB(fn) is not set, shift both until it is or fn is 0.
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = sha(b"\x01" + r + p).digest()
        fn >>= 1  # c.
        sn >>= 1
    # 5.
    return sn == 0 and r == expected


# --- consistency -----------------------------------------------------------------------------


def consistency_proof_from(old_size: int, new_size: int, node: NodeSource) -> list[bytes]:
    """``PROOF(old_size, D[new_size])`` of RFC 9162 § 2.1.4.1 (``SUBPROOF(m, D[n], true)``).

    Empty when ``old_size`` is 0 or equals ``new_size`` (nothing to prove). At most one
    hash lies on the right edge of the tree; O(log n) node reads.
    """
    new_size = _checked_size(new_size, "new_size", ProofError)
    old_size = _checked_size(old_size, "old_size", ProofError)
    if old_size > new_size:
        raise ProofError(
            f"old_size {old_size} is larger than new_size {new_size}: a log only grows, so "
            "a consistency proof runs from the smaller (older) tree to the larger one"
        )
    if old_size in (0, new_size):
        return []
    proof: list[bytes] = []
    start, end = 0, new_size
    complete = True  # SUBPROOF's b: the old root is still the one the verifier holds
    while True:
        m, n = old_size - start, end - start
        if m == n:
            if not complete:
                proof.append(subtree_hash(start, end, node))
            break
        k = _split(n)
        if m <= k:
            proof.append(subtree_hash(start + k, end, node))
            end = start + k
        else:
            proof.append(subtree_hash(start, start + k, node))
            start += k
            complete = False
    proof.reverse()
    return proof


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """``PROOF(old_size, D[n])`` over all leaf hashes of the new tree (n = ``len``).

    O(n) hashes, O(log n) extra memory; for large stored trees use
    :func:`consistency_proof_from` with stored node hashes.
    """
    return consistency_proof_from(
        old_size, len(leaf_hashes), nodes_from_leaves(leaf_hashes.__getitem__)
    )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the tree ``old_root`` of ``old_size`` leaves to be a prefix of
    the tree ``new_root`` of ``new_size``: the algorithm of RFC 9162 § 2.1.4.2, step by step.

    The RFC states it for 0 < old_size < new_size. The edges are decided here so that no
    claim passes unchecked: equal sizes need equal roots and an empty proof; size 0 needs
    :data:`EMPTY_ROOT` and an empty proof (stricter than libraries that ignore the roots
    there). Returns False — never raises — for anything that does not verify.
    """
    first = _size_or_none(old_size)
    second = _size_or_none(new_size)
    first_hash = _hash_or_none(old_root)
    second_hash = _hash_or_none(new_root)
    hashes = _hashes_or_none(proof)
    if first is None or second is None or first_hash is None or second_hash is None:
        return False
    if hashes is None or first > second:
        return False
    if first == second:
        return not hashes and first_hash == second_hash and (first > 0 or first_hash == EMPTY_ROOT)
    if first == 0:
        return not hashes and first_hash == EMPTY_ROOT
    # 1. An empty proof fails.
    if not hashes:
        return False
    # 2. If first is an exact power of 2, prepend first_hash.
    if first & (first - 1) == 0:
        hashes.insert(0, first_hash)
    # 3., 4.
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = hashes[0]
    sha = _sha256
    # 6.
    for c in hashes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = sha(b"\x01" + c + fr).digest()
            sr = sha(b"\x01" + c + sr).digest()
            # 6, its step 3: if LSB(fn) is not set, shift both until it is or fn is 0.
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = sha(b"\x01" + sr + c).digest()
        fn >>= 1
        sn >>= 1
    # 7.
    return fr == first_hash and sr == second_hash and sn == 0


# --- checkpoints -----------------------------------------------------------------------------

#: Largest tree size a checkpoint carries: uint64, as every other tlog implementation reads it.
_MAX_TREE_SIZE = 2**64 - 1
_MAX_NAME = 255  # characters of an origin or key name
_MAX_CHECKPOINT = 1024  # bytes of a checkpoint body: four short lines
_MAX_SIGNATURES = 64  # the signed-note spec asks verifiers to accept at least 16
_MAX_SIGNATURE = 8192  # bytes of one signature: post-quantum ones run to nearly 5 kB
_MAX_SIGNED = _MAX_CHECKPOINT + _MAX_SIGNATURES * (4 * _MAX_NAME + 4 * _MAX_SIGNATURE // 3 + 16)
_TIME_PREFIX = "time "
_SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_BASE64_HASH = re.compile(r"[A-Za-z0-9+/]{43}=")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _check_name(value: object, what: str) -> str:
    """A signed-note key name (which the origin should equal): non-empty, no spaces, no '+'."""
    if not isinstance(value, str) or not value:
        raise CheckpointError(f"{what} must be a non-empty text")
    if len(value) > _MAX_NAME:
        raise CheckpointError(f"{what} must not exceed {_MAX_NAME} characters")
    bad = next((c for c in value if c.isspace() or c == "+" or not c.isprintable()), None)
    if bad is not None:
        raise CheckpointError(
            f"{what} {value!r} contains {bad!r} (U+{ord(bad):04X}): a key name has no spaces, "
            "no '+' and no control characters; use a schema-less URL like example.org/log"
        )
    return value


def _time_text(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed tree head's text: C2SP ``tlog-checkpoint`` plus the time it was made.

    ``timestamp`` is kept at whole seconds in UTC (the text carries no more); a finer or
    non-UTC time given is converted and truncated. Construction validates every field, so a
    checkpoint that exists can be written, and :func:`parse_checkpoint` of its text gives it
    back equal.
    """

    origin: str
    size: int
    root: bytes
    timestamp: datetime

    def __post_init__(self) -> None:
        _check_name(self.origin, "origin")
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise CheckpointError(f"size must be an int, not {type(self.size).__name__}")
        if not 0 <= self.size <= _MAX_TREE_SIZE:
            raise CheckpointError(f"size must lie in 0 … 2**64-1, not {self.size}")
        try:
            object.__setattr__(self, "root", _checked_hash(self.root, "root"))
        except MerkleError as exc:
            raise CheckpointError(str(exc)) from None
        moment = self.timestamp
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            raise CheckpointError("timestamp must be a timezone-aware datetime")
        object.__setattr__(self, "timestamp", moment.astimezone(UTC).replace(microsecond=0))

    def text(self) -> bytes:
        """The note text (what is signed): four lines, each ending in a newline."""
        root_b64 = base64.b64encode(self.root).decode("ascii")
        lines = (self.origin, str(self.size), root_b64, _TIME_PREFIX + _time_text(self.timestamp))
        return "".join(line + "\n" for line in lines).encode("utf-8")


def checkpoint_text(origin: str, size: int, root: bytes, timestamp: datetime) -> bytes:
    """The checkpoint text for a tree head; see :class:`Checkpoint` and docs/protocol-log.md."""
    return Checkpoint(origin, size, root, timestamp).text()


def _note_text(text: object, what: str, maximum: int) -> str:
    """``text`` as a signed-note string: bytes, UTF-8, no control character but newline."""
    if not isinstance(text, bytes):
        raise CheckpointError(f"{what} must be bytes, not {type(text).__name__}")
    if len(text) > maximum:
        raise CheckpointError(f"{what} has {len(text)} bytes; at most {maximum} are accepted")
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CheckpointError(f"{what} is not UTF-8 (byte {exc.start})") from None
    bad = next((c for c in decoded if c < " " and c != "\n"), None)
    if bad is not None:
        raise CheckpointError(
            f"{what} contains the control character U+{ord(bad):04X}; a note allows only "
            "newline (no CR: write LF line ends)"
        )
    if not decoded.endswith("\n"):
        raise CheckpointError(f"{what} must end with a newline")
    return decoded


def parse_checkpoint(text: bytes, *, origin: str | None = None) -> Checkpoint:
    """The :class:`Checkpoint` in ``text``, refusing anything but the exact canonical form.

    Exactly four lines: origin, tree size (decimal, no leading zeros), the root in standard
    base64 (44 characters, padded, canonical), ``time YYYY-MM-DDTHH:MM:SSZ``. With
    ``origin`` given, a checkpoint of another log is refused too. Raises
    :class:`CheckpointError` saying which line is wrong.
    """
    decoded = _note_text(text, "checkpoint", _MAX_CHECKPOINT)
    lines = decoded[:-1].split("\n")
    if len(lines) != 4:
        raise CheckpointError(
            f"a checkpoint has 4 lines (origin, tree size, root hash, time), not {len(lines)}"
        )
    name, size_text, root_text, time_text = lines
    _check_name(name, "checkpoint line 1 (origin)")
    if origin is not None and name != origin:
        raise CheckpointError(f"the checkpoint is of log {name!r}, not of {origin!r}")
    if not _DECIMAL.fullmatch(size_text):
        raise CheckpointError(
            f"checkpoint line 2 (tree size) must be decimal digits without leading zeros, "
            f"not {size_text!r}"
        )
    size = int(size_text)
    if size > _MAX_TREE_SIZE:
        raise CheckpointError(f"checkpoint line 2 (tree size) {size} exceeds 2**64-1")
    if not _BASE64_HASH.fullmatch(root_text):
        raise CheckpointError(
            "checkpoint line 3 (root hash) must be a SHA-256 in standard base64: 43 characters "
            f"of A-Z a-z 0-9 + / and one '=', not {root_text!r}"
        )
    root_hash = base64.b64decode(root_text, validate=True)
    if base64.b64encode(root_hash).decode("ascii") != root_text:
        raise CheckpointError(
            "checkpoint line 3 (root hash) is not canonical base64 (stray bits in its last "
            "character): the same hash must have only one text"
        )
    stamp = time_text.removeprefix(_TIME_PREFIX)
    if stamp == time_text or not _TIME.fullmatch(stamp):
        raise CheckpointError(
            "checkpoint line 4 must be 'time YYYY-MM-DDTHH:MM:SSZ' (UTC, whole seconds), "
            f"not {time_text!r}"
        )
    try:
        moment = datetime.fromisoformat(stamp[:-1]).replace(tzinfo=UTC)
    except ValueError as exc:
        raise CheckpointError(
            f"checkpoint line 4 (time) {stamp!r} is no valid time: {exc}"
        ) from None
    return Checkpoint(name, size, root_hash, moment)


def _b64_strict(value: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = None
    if raw is None or base64.b64encode(raw).decode("ascii") != value:
        raise CheckpointError(f"{what} is not canonical standard base64")
    return raw


def _check_signature(value: object, what: str) -> bytes:
    if not isinstance(value, bytes):
        raise CheckpointError(f"{what} must be bytes, not {type(value).__name__}")
    if not 4 < len(value) <= _MAX_SIGNATURE:
        raise CheckpointError(
            f"{what} has {len(value)} bytes; a note signature is the 4-byte key ID followed "
            f"by the signature itself (5 to {_MAX_SIGNATURE} bytes in all)"
        )
    return value


def signed_checkpoint(body: bytes, signature: bytes, key_name: str) -> bytes:
    """The signed note: ``body``, a blank line, ``— <key_name> <base64(signature)>``.

    ``body`` must be a checkpoint text (it is parsed first: nothing malformed gets signed);
    ``signature`` is the signed-note signature blob, the 4-byte big-endian key ID followed
    by the signature over ``body`` (https://c2sp.org/signed-note). ``key_name`` should be
    the checkpoint's origin.
    """
    parse_checkpoint(body)
    _check_name(key_name, "key_name")
    _check_signature(signature, "signature")
    line = f"{_SIGNATURE_PREFIX}{key_name} {base64.b64encode(signature).decode('ascii')}\n"
    return body + b"\n" + line.encode("utf-8")


def split_signed_checkpoint(text: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The checkpoint text and its ``(key name, signature blob)`` pairs, in order.

    Strict: the body must be a checkpoint (:func:`parse_checkpoint`), then one blank line,
    then 1 to 64 lines ``— <key name> <base64>``. Nothing is verified here: the caller must
    verify a signature of a key it trusts before believing the body (and ignore unknown
    keys, as the signed-note specification says).
    """
    decoded = _note_text(text, "signed checkpoint", _MAX_SIGNED)
    cut = decoded.rfind("\n\n")
    if cut < 0:
        raise CheckpointError(
            "signed checkpoint has no blank line between the checkpoint and its signatures"
        )
    body = decoded[: cut + 1]
    parse_checkpoint(body.encode("utf-8"))
    lines = decoded[cut + 2 : -1].split("\n") if cut + 2 < len(decoded) else []
    if not lines:
        raise CheckpointError("signed checkpoint has no signature line after the blank line")
    if len(lines) > _MAX_SIGNATURES:
        raise CheckpointError(
            f"signed checkpoint has {len(lines)} signatures; at most {_MAX_SIGNATURES} are read"
        )
    signatures: list[tuple[str, bytes]] = []
    for number, line in enumerate(lines, start=1):
        what = f"signature line {number}"
        parts = line.removeprefix(_SIGNATURE_PREFIX).split(" ")
        if not line.startswith(_SIGNATURE_PREFIX) or len(parts) != 2:
            raise CheckpointError(
                f"{what} must read '\u2014 <key name> <base64 signature>' (em dash U+2014, "
                f"single spaces), not {line[:80]!r}"
            )
        name = _check_name(parts[0], f"{what}: key name")
        signature = _check_signature(_b64_strict(parts[1], f"{what}: signature"), what)
        signatures.append((name, signature))
    return body.encode("utf-8"), signatures
