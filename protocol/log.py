"""The § 40 protocol as evidence: an append-only Merkle log over the records (RFC 9162).

Three things make a record's integrity checkable (issue 9, DOMAIN.md § 6):

1. **A tag at append.** Every record is appended with ``tag`` = HMAC-SHA-256 over its leaf data
   (:func:`leaf_data`) with the service's protocol key (``signing.protocol_key``: 32 random
   bytes of its own, so that renewing the signing key changes nothing for the records already
   tagged). A row written into the database by anyone but the broker has no
   valid tag — an *insertion* is seen even before the row is logged.
2. **Sequencing.** The sequencer (:meth:`ProtocolLog.sequence`, run by every worker, one at a
   time per database) gives every record not yet logged the next *log index*, in ``seq``
   order, and appends its leaf hash to the Merkle tree: the hash of every perfect subtree
   (level 0: the leaves) is kept in ``protocol_log_node``, the frontier in
   ``protocol_log_state``. Several processes and hosts append records concurrently; one log
   comes out, because sequencing takes a lock (PostgreSQL advisory lock, SQLite write lock).
3. **Signed checkpoints.** :meth:`ProtocolLog.checkpoint` signs the tree head (size, root, time)
   with the broker's key as a C2SP signed note (``protocol/merkle.py``). Checkpoints are what a
   witness (the data-protection officer) keeps outside the operator's reach.

The leaf data is the record's canonical JSON in which the *personal content* (requesting body,
search data, elements, persons, file number, occasion, requesting person, detail) is replaced by
its digest ``content_digest``: the content can be deleted at the end of the retention period
(crypto-shredding) and every proof still verifies.

:meth:`ProtocolLog.verify` names what and where: a record whose row no longer gives its leaf
(*altered*), a log index without its record (*removed*), a record without a valid tag
(*inserted*), a record in another place than its leaf (*reordered*), content that no longer
matches its digest, and a checkpoint the log no longer reaches (changed between two
checkpoints).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, update
from sqlalchemy.engine import Connection

from datenspiegel.protocol._schema import checkpoints, log_nodes, log_state, records
from datenspiegel.protocol.json_form import record_to_json
from datenspiegel.protocol.merkle import (
    MerkleError,
    TreeBuilder,
    checkpoint_text,
    consistency_proof_from,
    inclusion_proof_from,
    leaf_hash,
    parse_checkpoint,
    signed_checkpoint,
    split_signed_checkpoint,
)
from datenspiegel.protocol.record import ProtocolRecord, from_plain
from datenspiegel.protocol.witness import ORIGIN, sign_note, verify_note_signature

__all__ = [
    "CONTENT_FIELDS",
    "ORIGIN",
    "Finding",
    "LogReport",
    "ProtocolLog",
    "content_digest",
    "digest_and_leaf",
    "leaf_data",
    "record_tag",
    "tag_verifies",
]

#: Fields holding personal data; the leaf commits to them through their digest only.
CONTENT_FIELDS = (
    "requesting_body",
    "search_data",
    "requested_elements",
    "disclosed",
    "withheld",
    "hits",
    "aktenzeichen",
    "anlass",
    "user_kennung",
    "detail",
)
_BATCH = 5000
#: First half of the sequencer's advisory lock key ("date"); the second half is the schema's
#: hash, so that two deployments (or test schemas) in one database do not exclude each other.
_PG_LOCK = 0x64617465


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _split(record: ProtocolRecord) -> tuple[dict[str, Any], str]:
    """The record's JSON without its personal content, and that content's digest (one
    serialisation for both: this runs on every append)."""
    plain = record_to_json(record)
    content = {k: plain.pop(k) for k in CONTENT_FIELDS}
    return plain, hashlib.sha256(_canonical(content)).hexdigest()


def content_digest(record: ProtocolRecord) -> str:
    """SHA-256 (hex) of the record's personal content (:data:`CONTENT_FIELDS`)."""
    return _split(record)[1]


def leaf_data(record: ProtocolRecord, digest: str | None = None) -> bytes:
    """The bytes the record's leaf hashes: its canonical JSON with the personal content
    replaced by ``content_digest`` (given, or computed from the record)."""
    plain, own = _split(record)
    plain["content_digest"] = digest if digest is not None else own
    return _canonical(plain)


def digest_and_leaf(record: ProtocolRecord) -> tuple[str, bytes]:
    """:func:`content_digest` and :func:`leaf_data` of a record being appended, at once."""
    plain, digest = _split(record)
    plain["content_digest"] = digest
    return digest, _canonical(plain)


def record_tag(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def tag_verifies(key: bytes, row: Any) -> bool:
    """Whether the stored record ``row`` (a mapping of its columns) carries ``key``'s tag."""
    tag = row["tag"]
    expected = record_tag(key, leaf_data(_record_of(row), row["content_digest"]))
    return tag is not None and hmac.compare_digest(tag, expected)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing verification found: ``kind`` (altered, removed, inserted, reordered,
    content, checkpoint, gap), where (log index, record id) and what."""

    kind: str
    message: str
    log_index: int | None = None
    record_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "log_index": self.log_index,
            "record_id": self.record_id,
            "message": self.message,
        }


@dataclass
class LogReport:
    """What :meth:`ProtocolLog.verify` checked and found."""

    records: int = 0
    logged: int = 0
    pending: int = 0
    checkpoints: int = 0
    size: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "logged": self.logged,
            "pending": self.pending,
            "checkpoints": self.checkpoints,
            "size": self.size,
            "findings": [f.as_json() for f in self.findings],
        }


def _record_of(row: Any) -> ProtocolRecord:
    plain = {c.name: row[c.name] for c in records.columns if c.name in _RECORD_NAMES}
    return from_plain(plain)


_RECORD_NAMES = frozenset(
    name for name in records.c.keys() if name not in {"seq", "log_index", "content_digest", "tag"}
)


class ProtocolLog:
    """The Merkle log of the protocol records on the broker database ``engine``."""

    def __init__(
        self,
        engine: Engine,
        *,
        record_key: bytes | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._engine = engine
        self._key = record_key
        self._clock = clock

    # -- sequencing ----------------------------------------------------------------------

    def _locked(self, conn: Connection, *, wait: bool = False) -> bool:
        """Take the log's lock for ``conn``'s transaction: one process at a time appends to
        the tree or signs its head, on all hosts of one database. ``wait``: wait for it (as
        long as the engine's lock timeout allows), else give up at once when it is held."""
        if conn.dialect.name == "postgresql":
            schema = func.hashtext(func.current_schema())
            if wait:
                conn.execute(select(func.pg_advisory_xact_lock(_PG_LOCK, schema)))
                return True
            return bool(
                conn.execute(select(func.pg_try_advisory_xact_lock(_PG_LOCK, schema))).scalar()
            )
        dbapi: Any = conn.connection.dbapi_connection
        if not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock first: one sequencer
        return True

    def sequence(self, *, limit: int = _BATCH) -> int:
        """Log the records not yet logged (at most ``limit``, oldest ``seq`` first); return
        how many. Another process sequencing at the same moment: returns 0 at once."""
        with self._engine.begin() as conn:
            if not self._locked(conn):
                return 0
            state = conn.execute(select(log_state).where(log_state.c.id == 1)).mappings().one()
            rows = (
                conn.execute(
                    select(records)
                    .where(records.c.log_index.is_(None))
                    .order_by(records.c.seq)
                    .limit(limit)
                )
                .mappings()
                .all()
            )
            if not rows:
                return 0
            nodes: list[dict[str, Any]] = []
            builder = TreeBuilder.resume(
                int(state["size"]),
                [bytes.fromhex(h) for h in state["frontier"]],
                on_node=lambda level, idx, h: nodes.append({"level": level, "idx": idx, "hash": h}),
            )
            placed = []
            for row in rows:
                record = _record_of(row)
                digest = row["content_digest"] or content_digest(record)
                index = builder.append(leaf_hash(leaf_data(record, digest)))
                placed.append({"the_seq": row["seq"], "the_index": index, "the_digest": digest})
            conn.execute(
                update(records)
                .where(records.c.seq == bindparam("the_seq"))
                .values(log_index=bindparam("the_index"), content_digest=bindparam("the_digest")),
                placed,
            )
            conn.execute(log_nodes.insert(), nodes)
            conn.execute(
                update(log_state)
                .where(log_state.c.id == 1)
                .values(size=builder.size, frontier=[h.hex() for h in builder.frontier])
            )
            return len(rows)

    def sequence_all(self) -> int:
        total = 0
        while True:
            done = self.sequence()
            total += done
            if done < _BATCH:
                return total

    # -- checkpoints ---------------------------------------------------------------------

    def checkpoint(self, private_key: Any) -> bytes | None:
        """Sequence, then sign the tree head with the broker's key; store and return the
        signed checkpoint (None: nothing new since the last one).

        Every worker of every host signs at its interval; the head is read and its checkpoint
        stored under the log's lock, so that two processes never sign the same size (the
        second finds the first's checkpoint and signs nothing)."""
        self.sequence_all()
        with self._engine.begin() as conn:
            self._locked(conn, wait=True)
            state = conn.execute(select(log_state).where(log_state.c.id == 1)).mappings().one()
            size = int(state["size"])
            last = conn.execute(select(func.max(checkpoints.c.size))).scalar()
            if size == 0 or (last is not None and int(last) >= size):
                return None
            builder = TreeBuilder.resume(size, [bytes.fromhex(h) for h in state["frontier"]])
            root = builder.root()
            now = self._clock()
            body = checkpoint_text(ORIGIN, size, root, now)
            note = signed_checkpoint(body, sign_note(private_key, body), ORIGIN)
            conn.execute(
                checkpoints.insert().values(
                    size=size, root=root, created_at=now, note=note.decode("utf-8")
                )
            )
            return note

    def checkpoint_notes(self) -> list[bytes]:
        with self._engine.connect() as conn:
            return [
                note.encode("utf-8")
                for note in conn.execute(
                    select(checkpoints.c.note).order_by(checkpoints.c.size)
                ).scalars()
            ]

    # -- proofs --------------------------------------------------------------------------

    def _node_source(self, conn: Connection) -> Callable[[int, int], bytes]:
        def node(level: int, index: int) -> bytes:
            found = conn.execute(
                select(log_nodes.c.hash).where(log_nodes.c.level == level, log_nodes.c.idx == index)
            ).scalar()
            if found is None:
                raise MerkleError(f"the log has no node ({level}, {index}): it is damaged")
            return bytes(found)

        return node

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        """The RFC 9162 consistency proof from the tree of ``old_size`` to ``new_size``."""
        with self._engine.connect() as conn:
            return consistency_proof_from(old_size, new_size, self._node_source(conn))

    def inclusion(self, record_id: str, tree_size: int) -> tuple[int, bytes, list[bytes]]:
        """(log index, leaf data, audit path) of a record in the tree of ``tree_size``: the
        leaf data (no personal content, only its digest) lets a witness recompute the leaf."""
        with self._engine.connect() as conn:
            row = (
                conn.execute(select(records).where(records.c.record_id == record_id))
                .mappings()
                .first()
            )
            if row is None or row["log_index"] is None:
                raise MerkleError(f"record {record_id} is not (yet) in the log")
            index = int(row["log_index"])
            data = leaf_data(_record_of(row), row["content_digest"])
            return index, data, inclusion_proof_from(index, tree_size, self._node_source(conn))

    # -- verification --------------------------------------------------------------------

    def verify(self, public_key: Any) -> LogReport:
        """Check every record, the leaves, the tree and every checkpoint (see the module
        docstring). Reads rows and leaves in batches by log index; memory stays flat."""
        report = LogReport()
        with self._engine.connect() as conn:
            state = conn.execute(select(log_state).where(log_state.c.id == 1)).mappings().one()
            tagged_from = int(state["tagged_from_seq"])
            report.size = int(state["size"])
            notes = [
                n.encode("utf-8")
                for n in conn.execute(
                    select(checkpoints.c.note).order_by(checkpoints.c.size)
                ).scalars()
            ]
            walk = _Walk(report, self._checked_checkpoints(notes, public_key, report))
            walk.purged_until = self._checked_purge_mark(state, report)
            for batch in self._logged_batches(conn):
                leaves = _leaves(conn, walk.expected, batch[-1]["log_index"])
                for row in batch:
                    report.records += 1
                    report.logged += 1
                    self._check_tag(row, tagged_from, report)
                    walk.gap_until(row["log_index"], leaves)
                    walk.record(row, self._leaf_of(row, report), leaves.get(row["log_index"]))
            if walk.expected < report.size:
                walk.gap_until(report.size, _leaves(conn, walk.expected, report.size - 1))
            walk.finish()
            for row in conn.execute(
                select(records).where(records.c.log_index.is_(None)).order_by(records.c.seq)
            ).mappings():
                report.records += 1
                report.pending += 1
                self._check_tag(row, tagged_from, report)
        return report

    def _logged_batches(self, conn: Connection) -> Iterator[list[Any]]:
        last = -1
        while True:
            batch = (
                conn.execute(
                    select(records)
                    .where(records.c.log_index > last)
                    .order_by(records.c.log_index)
                    .limit(_BATCH)
                )
                .mappings()
                .all()
            )
            if not batch:
                return
            yield list(batch)
            last = batch[-1]["log_index"]

    def _checked_purge_mark(self, state: Any, report: LogReport) -> int:
        """Log indices below the mark were deleted at the end of their retention
        (protocol/retention.py); a mark without the service's tag hides nothing."""
        until = int(state["purged_until"] or 0)
        if until == 0:
            return 0
        if self._key is not None:
            expected = hmac.new(
                self._key, f"purged_until:{until}".encode(), hashlib.sha256
            ).hexdigest()
            if not hmac.compare_digest(state["purge_tag"] or "", expected):
                report.findings.append(
                    Finding(
                        "purge",
                        f"the retention mark (log indices below {until} deleted) is not the "
                        "service's: records may have been deleted and hidden behind it",
                    )
                )
                return 0
        return until

    def _leaf_of(self, row: Any, report: LogReport) -> bytes:
        record = _record_of(row)
        digest = row["content_digest"]
        if digest is not None and record.content_recorded and content_digest(record) != digest:
            report.findings.append(
                Finding(
                    "content",
                    f"log index {row['log_index']}: the personal content of record "
                    f"{row['record_id']} no longer matches its digest",
                    log_index=row["log_index"],
                    record_id=row["record_id"],
                )
            )
        return leaf_hash(leaf_data(record, digest))

    def _check_tag(self, row: Any, tagged_from: int, report: LogReport) -> None:
        if self._key is None:
            return
        tag = row["tag"]
        if tag is None and row["seq"] < tagged_from:
            return  # appended before records had tags
        if not tag_verifies(self._key, row):
            report.findings.append(
                Finding(
                    "inserted",
                    f"record {row['record_id']} (seq {row['seq']}) carries no valid tag of the "
                    "broker: written into the database by someone else, or changed",
                    log_index=row["log_index"],
                    record_id=row["record_id"],
                )
            )

    @staticmethod
    def _checked_checkpoints(
        notes: list[bytes], public_key: Any, report: LogReport
    ) -> list[tuple[int, bytes]]:
        heads: list[tuple[int, bytes]] = []
        for note in notes:
            body, signatures = split_signed_checkpoint(note)
            if not any(verify_note_signature(public_key, body, sig) for _name, sig in signatures):
                report.findings.append(
                    Finding("checkpoint", "a stored checkpoint is not signed by the broker's key")
                )
                continue
            head = parse_checkpoint(body, origin=ORIGIN)
            heads.append((head.size, head.root))
            report.checkpoints += 1
        return heads


def _leaves(conn: Connection, first: int, last: int) -> dict[int, bytes]:
    """The stored leaf hashes with log index in [first, last]."""
    return {
        int(idx): bytes(h)
        for idx, h in conn.execute(
            select(log_nodes.c.idx, log_nodes.c.hash).where(
                log_nodes.c.level == 0, log_nodes.c.idx.between(first, last)
            )
        )
    }


class _Walk:
    """The log rebuilt leaf by leaf from the rows, compared with the stored leaves and with
    every checkpoint on the way."""

    def __init__(self, report: LogReport, heads: list[tuple[int, bytes]]) -> None:
        self.report = report
        self.heads = heads
        self.builder = TreeBuilder()
        self.expected = 0
        self._next_head = 0
        #: records with a smaller log index were deleted at the end of their retention
        self.purged_until = 0

    def gap_until(self, index: int, leaves: dict[int, bytes]) -> None:
        """Log indices before ``index`` that no record holds any more."""
        while self.expected < index:
            stored = leaves.get(self.expected)
            if stored is not None and self.expected < self.purged_until:
                self._append(stored)  # deleted by retention: the leaf keeps the proof
                continue
            self.report.findings.append(
                Finding(
                    "removed",
                    f"log index {self.expected}: no record has it any more"
                    + (" (its leaf remains)" if stored else " (neither has its leaf)"),
                    log_index=self.expected,
                )
            )
            self._append(stored or leaf_hash(b"removed"))

    def record(self, row: Any, leaf: bytes, stored: bytes | None) -> None:
        index = row["log_index"]
        if stored is None:
            self.report.findings.append(
                Finding(
                    "inserted",
                    f"log index {index}: record {row['record_id']} claims it, but the log has "
                    "no leaf there",
                    log_index=index,
                    record_id=row["record_id"],
                )
            )
        elif stored != leaf:
            self.report.findings.append(
                Finding(
                    "altered",
                    f"log index {index}: record {row['record_id']} no longer gives the leaf "
                    "logged there (changed, or another record put in its place)",
                    log_index=index,
                    record_id=row["record_id"],
                )
            )
        self._append(leaf)

    def _append(self, leaf: bytes) -> None:
        self.builder.append(leaf)
        self.expected = self.builder.size
        heads = self.heads
        while self._next_head < len(heads) and heads[self._next_head][0] == self.builder.size:
            size, root = heads[self._next_head]
            if self.builder.root() != root:
                before = heads[self._next_head - 1][0] if self._next_head else 0
                self.report.findings.append(
                    Finding(
                        "checkpoint",
                        f"the log no longer reaches the checkpoint at size {size}: records with "
                        f"log index {before}–{size - 1} were changed, inserted, removed or "
                        "reordered since it was signed",
                    )
                )
            self._next_head += 1

    def finish(self) -> None:
        for size, _root in self.heads[self._next_head :]:
            self.report.findings.append(
                Finding(
                    "checkpoint",
                    f"the checkpoint at size {size} lies beyond the log ({self.builder.size} "
                    "leaves): records were removed from its end",
                )
            )
