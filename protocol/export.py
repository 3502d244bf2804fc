"""Exports of § 40 protocol records, and the proofs that let them be checked offline.

An export (``datenspiegel protocol export``) is the records of an authority and a period for an
audit (§ 40 BMG: data-protection control, resulting criminal proceedings): JSON Lines of
:func:`~datenspiegel.protocol.json_form.record_to_json`, or CSV with one flat row per record.
Beside it, ``FILE.proofs.json`` holds the newest signed checkpoint of the protocol's Merkle log
(protocol/log.py) and, per exported record, its log index, its leaf data and its inclusion
proof. With the broker's certificate alone, :func:`check_export` then shows that every exported
record is, unaltered, the record the broker logged: its personal content gives the digest in
its leaf data, the rest of the record gives the leaf data itself, and the leaf is in the tree
the checkpoint signs (RFC 9162 § 2.1.3.2). Records not yet in a signed checkpoint are listed as
not yet provable.

The proofs show that each exported record is genuine; not that the export is complete — the
proofs file is the operator's, not signed. Completeness is a question for the read log
(``protocol_access``) and for a witness's consistency proofs.

CSV cells: texts as they are, numbers in decimal, ``true``/``false``, times in ISO 8601, lists
and objects as JSON; an empty cell is a field without value. Two escapes keep the round trip
exact and a spreadsheet from running a text as a formula: a text that is empty or only double
quotes gets one more ``"``, and a text starting with ``= + - @ '``, a tab or a carriage return
gets a leading ``'``; reading removes them again.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.protocol.json_form import record_from_json, record_to_json
from datenspiegel.protocol.log import content_digest, leaf_data
from datenspiegel.protocol.merkle import MerkleError, leaf_hash
from datenspiegel.protocol.record import RECORD_FIELDS, ProtocolRecord
from datenspiegel.protocol.witness import verified_checkpoint, verify_record_inclusion

__all__ = [
    "EXPORT_FORMATS",
    "PROOFS_FORMAT",
    "ExportCheck",
    "RecordProof",
    "check_export",
    "proofs_document",
    "proofs_path",
    "read_export",
    "write_export",
]

EXPORT_FORMATS = ("jsonl", "csv")
PROOFS_FORMAT = "datenspiegel.protocol.export-proofs/1"

_COLUMNS = ("format", *(name for name, _kind in RECORD_FIELDS))
_KINDS = dict(RECORD_FIELDS)
_TYPES = {f.name: str(f.type) for f in dataclasses.fields(ProtocolRecord)}
_JSON_KINDS = {"tuple", "per_person", "mapping"}
_FORMULA_START = tuple("=+-@'\t\r")


def proofs_path(export: Path) -> Path:
    """Where the proofs of ``export`` are written: ``FILE.proofs.json`` beside it."""
    return export.with_name(export.name + ".proofs.json")


# -- writing and reading the records ------------------------------------------------------


def _text_cell(value: str | None) -> str:
    if value is None:
        return ""
    if set(value) <= {'"'}:  # empty, or only quotes: one more, so "" stays apart from None
        return value + '"'
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text_value(cell: str) -> str | None:
    if cell == "":
        return None
    if set(cell) == {'"'}:
        return cell[:-1]
    if cell.startswith("'"):
        return cell[1:]
    return cell


def _csv_row(record: ProtocolRecord) -> list[str]:
    plain = record_to_json(record)
    row = []
    for name in _COLUMNS:
        value = plain[name]
        kind = _KINDS.get(name, "plain")
        if kind in _JSON_KINDS:
            row.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        elif kind == "bool":
            row.append("true" if value else "false")
        elif isinstance(value, int) and not isinstance(value, bool):
            row.append(str(value))
        else:
            row.append(_text_cell(value))
    return row


def _csv_values(cells: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _COLUMNS:
        cell = cells[name]
        kind = _KINDS.get(name, "plain")
        if kind in _JSON_KINDS:
            try:
                values[name] = json.loads(cell)
            except ValueError as exc:
                raise InvalidRecord(f"{name}: not JSON: {exc}") from None
        elif kind == "bool":
            if cell not in ("true", "false"):
                raise InvalidRecord(f"{name}: 'true' or 'false', not {cell!r}")
            values[name] = cell == "true"
        elif _TYPES.get(name, "str").startswith("int"):
            try:
                values[name] = None if cell == "" else int(cell)
            except ValueError:
                raise InvalidRecord(f"{name}: a whole number, not {cell!r}") from None
        else:
            values[name] = _text_value(cell)
    return values


def write_export(records: Iterable[ProtocolRecord], path: Path, form: str) -> bytes:
    """Write ``records`` to ``path`` as ``jsonl`` or ``csv``; return the bytes written."""
    if form == "jsonl":
        text = "".join(
            json.dumps(record_to_json(r), ensure_ascii=False, sort_keys=True) + "\n"
            for r in records
        )
    elif form == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(_COLUMNS)
        writer.writerows(_csv_row(r) for r in records)
        text = buffer.getvalue()
    else:
        raise ValueError(f"an export is {' or '.join(EXPORT_FORMATS)}, not {form!r}")
    data = text.encode("utf-8")
    path.write_bytes(data)
    return data


@dataclass(frozen=True, slots=True)
class ExportedRecord:
    """One line (JSON Lines) or row (CSV) of an export: the record, or why it is unreadable."""

    line: int
    record: ProtocolRecord | None
    record_id: str | None
    error: str | None = None


def read_export(data: bytes, form: str) -> list[ExportedRecord]:
    """Every record of an export, read strictly (:func:`record_from_json`); a line that does
    not give a valid record is returned with its error, not skipped."""
    text = data.decode("utf-8")
    found: list[ExportedRecord] = []
    if form == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            found.append(_read_one(number, lambda line=line: json.loads(line)))
    elif form == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise InvalidRecord(f"the CSV export's columns are not {', '.join(_COLUMNS)}")
        for number, cells in enumerate(reader, start=2):
            found.append(_read_one(number, lambda cells=cells: _csv_values(cells)))
    else:
        raise ValueError(f"an export is {' or '.join(EXPORT_FORMATS)}, not {form!r}")
    return found


def _read_one(number: int, values: Any) -> ExportedRecord:
    record_id = None
    try:
        plain = values()
        if isinstance(plain, dict):
            record_id = plain.get("record_id") if isinstance(plain.get("record_id"), str) else None
        record = record_from_json(plain)
    except (InvalidRecord, ValueError, TypeError) as exc:
        return ExportedRecord(number, None, record_id, str(exc).splitlines()[0])
    return ExportedRecord(number, record, record.record_id)


# -- the proofs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordProof:
    """A record's place in the log: log index, leaf data and audit path (RFC 9162)."""

    record_id: str
    log_index: int
    leaf_data: bytes
    proof: Sequence[bytes]

    def as_json(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "log_index": self.log_index,
            "leaf_data": self.leaf_data.decode("utf-8"),
            "proof": [h.hex() for h in self.proof],
        }


def proofs_document(
    *,
    export: Path,
    form: str,
    data: bytes,
    records: int,
    query: Mapping[str, Any],
    checkpoint: bytes | None,
    tree_size: int | None,
    proofs: Sequence[RecordProof],
    not_yet_provable: Sequence[str],
) -> dict[str, Any]:
    """The ``FILE.proofs.json`` document of an export (docs/protocol-log.md)."""
    return {
        "format": PROOFS_FORMAT,
        "export": {
            "file": export.name,
            "format": form,
            "sha256": hashlib.sha256(data).hexdigest(),
            "records": records,
            "query": dict(query),
        },
        "checkpoint": checkpoint.decode("utf-8") if checkpoint is not None else None,
        "tree_size": tree_size,
        "proofs": [p.as_json() for p in proofs],
        "not_yet_provable": list(not_yet_provable),
    }


@dataclass
class ExportCheck:
    """What :func:`check_export` found: per record proven, not yet provable, or failed."""

    tree_size: int | None = None
    proven: list[tuple[str, int]] = field(default_factory=list)
    not_yet_provable: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def check_export(export: Path, proofs: Path, public_key: Any) -> ExportCheck:
    """Check every record of ``export`` against ``proofs`` and its checkpoint, offline, with
    the broker's ``public_key`` alone (see the module docstring)."""
    result = ExportCheck()
    document = json.loads(proofs.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != PROOFS_FORMAT:
        raise InvalidRecord(f"{proofs} is not a proofs file ({PROOFS_FORMAT})")
    about = document["export"]
    data = export.read_bytes()
    if hashlib.sha256(data).hexdigest() != about["sha256"]:
        result.failures.append(
            f"{export.name} is not byte for byte the export the proofs were made for "
            "(changed, records added or removed)"
        )
    head = None
    if document["checkpoint"] is not None:
        head = verified_checkpoint(document["checkpoint"].encode("utf-8"), public_key)
        result.tree_size = head.size
        if document["tree_size"] != head.size:
            result.failures.append("the proofs name another tree size than their checkpoint")
    entries = {p["record_id"]: p for p in document["proofs"]}
    pending = set(document["not_yet_provable"])
    seen: set[str] = set()
    for exported in read_export(data, about["format"]):
        where = f"line {exported.line}"
        if exported.record is None:
            result.failures.append(
                f"{where}: record {exported.record_id or '?'} is not a valid record: "
                f"{exported.error}"
            )
            if exported.record_id:
                seen.add(exported.record_id)
            continue
        record = exported.record
        seen.add(record.record_id)
        if record.record_id in pending:
            result.not_yet_provable.append(record.record_id)
            continue
        entry = entries.get(record.record_id)
        if entry is None:
            result.failures.append(f"{where}: record {record.record_id} has no proof")
            continue
        failure = _check_record(record, entry, head)
        if failure:
            result.failures.append(f"{where}: record {record.record_id} {failure}")
        else:
            result.proven.append((record.record_id, int(entry["log_index"])))
    for missing in sorted((set(entries) | pending) - seen):
        result.failures.append(f"record {missing} has a proof but is missing from the export")
    return result


def _check_record(record: ProtocolRecord, entry: Mapping[str, Any], head: Any) -> str | None:
    """Why ``record`` is not proven by ``entry`` under ``head``; None when it is."""
    if head is None:
        return "has a proof but the proofs hold no checkpoint"
    logged = str(entry["leaf_data"]).encode("utf-8")
    try:
        digest = json.loads(logged)["content_digest"]
    except (ValueError, KeyError, TypeError):
        return "has leaf data without a content digest"
    if record.content_recorded and content_digest(record) != digest:
        return "NOT PROVEN: its personal content is not what the broker logged"
    if leaf_data(record, digest) != logged:
        return "NOT PROVEN: it differs from the record the broker logged"
    try:
        proof = [bytes.fromhex(h) for h in entry["proof"]]
        included = verify_record_inclusion(head, leaf_hash(logged), int(entry["log_index"]), proof)
    except (MerkleError, ValueError, TypeError) as exc:
        return f"NOT PROVEN: {exc}"
    if not included:
        return f"NOT PROVEN: not at log index {entry['log_index']} of the checkpoint's tree"
    return None
