"""A municipality's delivery of changes (delta), as JSON Lines: its header and its operations.

Between full loads, each municipality sends what changed in its register (Nds. NMeldVO: the
municipalities keep the mirror current by their deliveries; § 23 has every delivery logged).
A delivery is one file, applied as a whole or not at all
(:mod:`~datenspiegel.register.delivery_apply`)::

    {"lieferung": "03241001-2025-07-01-1", "ags": "03241001", "nachrichtentyp": "fortschreibung"}
    {"op": "new", "person": {"id": 20001, "ags": "03241001", "familienname": "Kurz", …}}
    {"op": "changed", "person": {"id": 1, "ags": "03241001", …}}
    {"op": "moved_away", "id": 7, "datum": "2025-06-30", "nach": "inland"}
    {"op": "moved_away", "id": 8, "datum": "2025-06", "nach": "ausland", "staat": "AUT",
     "anschrift": "Mariahilfer Straße 12, 1060 Wien"}
    {"op": "deceased", "id": 9, "datum": "2025-06-29", "ort": "Hannover", "staat": "DEU"}
    {"op": "block_set", "id": 10, "code": "1", "bis": "2027-12-31"}
    {"op": "block_lifted", "id": 10, "code": "1"}

- the **header** (first line): ``lieferung`` — the delivery's id, unique per sender (1–120
  characters): the same delivery applied twice changes the register once; ``ags`` — the
  delivering municipality (a municipality changes only its own records); ``nachrichtentyp`` —
  the message type logged; optionally ``erstellt`` (ISO time of creation, informative);
- ``new``: a record the register does not hold yet (the register numbers it when it has no
  ``id``); ``changed``: the complete current state of a held record (it replaces it, search
  keys and all) — both in the import format (docs/register.md);
- ``moved_away``: every current address of the record ends on ``datum`` (a partially known
  date); ``nach`` ``inland`` (moved within Germany), ``ausland`` (with ``staat``, ISO 3166-1
  alpha-3, and optionally ``anschrift`` abroad) or ``unbekannt``;
- ``deceased``: date of death, optionally place and state of death;
- ``block_set``: an Auskunfts- or Übermittlungssperre (code of ``Code.Auskunftssperre``;
  blocking under § 51 BMG: 1, 3, 6, 11, 12) with optional end ``bis`` and instigating
  authority ``veranlassende_stelle`` — it replaces a Sperre of the same code;
  ``block_lifted``: the record's Sperre of that code is lifted.

Reading is strict, as for the import: unknown keys, a missing field, a bad date or code are
:class:`~datenspiegel.register.errors.ImportFormatError` naming the line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from datenspiegel.register.errors import ImportFormatError, InvalidRecordError
from datenspiegel.register.jsonl import person_from_json
from datenspiegel.register.model import Auskunftssperre, Person, TeilbekanntesDatum

__all__ = [
    "BlockLifted",
    "BlockSet",
    "Change",
    "ChangedRecord",
    "Deceased",
    "Delivery",
    "DeliveryHeader",
    "MovedAway",
    "NewRecord",
    "Operation",
    "Wegzug",
    "read_delivery",
]

_AGS = re.compile(r"03\d{6}")


class Operation(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    MOVED_AWAY = "moved_away"
    DECEASED = "deceased"
    BLOCK_SET = "block_set"
    BLOCK_LIFTED = "block_lifted"


class Wegzug(StrEnum):
    """Where a record's person moved (``moved_away.nach``)."""

    INLAND = "inland"
    AUSLAND = "ausland"
    UNBEKANNT = "unbekannt"


@dataclass(frozen=True, slots=True)
class DeliveryHeader:
    lieferung: str
    ags: str
    nachrichtentyp: str
    erstellt: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewRecord:
    line: int
    person: Person
    op = Operation.NEW


@dataclass(frozen=True, slots=True)
class ChangedRecord:
    line: int
    person: Person
    op = Operation.CHANGED


@dataclass(frozen=True, slots=True)
class MovedAway:
    line: int
    id: int
    datum: TeilbekanntesDatum
    nach: Wegzug
    staat: str | None = None
    anschrift: str | None = None
    op = Operation.MOVED_AWAY


@dataclass(frozen=True, slots=True)
class Deceased:
    line: int
    id: int
    datum: TeilbekanntesDatum
    ort: str | None = None
    staat: str | None = None
    op = Operation.DECEASED


@dataclass(frozen=True, slots=True)
class BlockSet:
    line: int
    id: int
    sperre: Auskunftssperre
    op = Operation.BLOCK_SET


@dataclass(frozen=True, slots=True)
class BlockLifted:
    line: int
    id: int
    code: str
    op = Operation.BLOCK_LIFTED


Change = NewRecord | ChangedRecord | MovedAway | Deceased | BlockSet | BlockLifted


@dataclass(frozen=True, slots=True)
class Delivery:
    header: DeliveryHeader
    changes: tuple[Change, ...]
    #: SHA-256 (hex) of the delivery's non-blank lines, each stripped
    digest: str


def _object(text: str, line: int) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not JSON: {exc.msg} at column {exc.colno}", line=line) from None
    if not isinstance(data, dict):
        raise ImportFormatError("a JSON object is expected", line=line)
    return data


def _fields(
    data: Mapping[str, Any], line: int, *, required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise ImportFormatError(f"unknown field(s) {', '.join(unknown)}", line=line)
    missing = [name for name in required if data.get(name) is None]
    if missing:
        raise ImportFormatError(f"{', '.join(missing)} missing", line=line)


def _text(data: Mapping[str, Any], name: str, line: int) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 120:
        raise ImportFormatError(f"{name} must be text of 1–120 characters", line=line)
    return value.strip()


def _id(data: Mapping[str, Any], line: int) -> int:
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImportFormatError("id must be the positive id of a held record", line=line)
    return value


def _tbd(data: Mapping[str, Any], name: str, line: int) -> TeilbekanntesDatum:
    value = data.get(name)
    try:
        if not isinstance(value, str):
            raise InvalidRecordError("a (partially known) date as text is expected")
        return TeilbekanntesDatum.parse(value)
    except InvalidRecordError as exc:
        raise ImportFormatError(f"{name}: {exc}", line=line) from None


def _header(data: Mapping[str, Any], line: int) -> DeliveryHeader:
    _fields(data, line, required=("lieferung", "ags", "nachrichtentyp"), optional=("erstellt",))
    lieferung = _text(data, "lieferung", line)
    nachrichtentyp = _text(data, "nachrichtentyp", line)
    ags = data["ags"]
    if not isinstance(ags, str) or not _AGS.fullmatch(ags):
        raise ImportFormatError("ags must be an 8-digit AGS of Lower Saxony (03…)", line=line)
    erstellt = None
    if data.get("erstellt") is not None:
        try:
            erstellt = datetime.fromisoformat(str(data["erstellt"]))
        except ValueError:
            raise ImportFormatError("erstellt must be an ISO date and time", line=line) from None
    assert lieferung is not None and nachrichtentyp is not None
    return DeliveryHeader(lieferung, ags, nachrichtentyp, erstellt)


def _person(data: Mapping[str, Any], line: int) -> Person:
    _fields(data, line, required=("op", "person"), optional=())
    try:
        return person_from_json(data["person"])
    except ImportFormatError as exc:
        raise ImportFormatError(str(exc), line=line) from None


def _change(data: Mapping[str, Any], line: int) -> Change:
    op = data.get("op")
    if not isinstance(op, str) or op not in Operation._value2member_map_:
        ops = ", ".join(o.value for o in Operation)
        raise ImportFormatError(f"op must be one of {ops}, got {op!r}", line=line)
    operation = Operation(op)
    if operation is Operation.NEW:
        return NewRecord(line, _person(data, line))
    if operation is Operation.CHANGED:
        person = _person(data, line)
        if person.id is None:
            raise ImportFormatError("a changed record must carry its id", line=line)
        return ChangedRecord(line, person)
    if operation is Operation.MOVED_AWAY:
        _fields(data, line, required=("op", "id", "datum", "nach"), optional=("staat", "anschrift"))
        if data["nach"] not in Wegzug._value2member_map_:
            raise ImportFormatError("nach must be inland, ausland or unbekannt", line=line)
        nach = Wegzug(data["nach"])
        staat = _text(data, "staat", line)
        if nach is Wegzug.AUSLAND and staat is None:
            raise ImportFormatError("a move abroad names the staat (ISO alpha-3)", line=line)
        if nach is not Wegzug.AUSLAND and (staat or data.get("anschrift")):
            raise ImportFormatError("staat and anschrift belong to a move abroad", line=line)
        return MovedAway(
            line, _id(data, line), _tbd(data, "datum", line), nach, staat,
            _text(data, "anschrift", line),
        )  # fmt: skip
    if operation is Operation.DECEASED:
        _fields(data, line, required=("op", "id", "datum"), optional=("ort", "staat"))
        return Deceased(
            line, _id(data, line), _tbd(data, "datum", line), _text(data, "ort", line),
            _text(data, "staat", line),
        )  # fmt: skip
    if operation is Operation.BLOCK_SET:
        _fields(data, line, required=("op", "id", "code"), optional=("bis", "veranlassende_stelle"))
        try:
            bis = None if data.get("bis") is None else date.fromisoformat(str(data["bis"]))
            sperre = Auskunftssperre(
                str(data["code"]), bis, _text(data, "veranlassende_stelle", line)
            )
        except (ValueError, InvalidRecordError) as exc:
            raise ImportFormatError(f"block_set: {exc}", line=line) from None
        return BlockSet(line, _id(data, line), sperre)
    _fields(data, line, required=("op", "id", "code"), optional=())
    return BlockLifted(line, _id(data, line), str(data["code"]))


def read_delivery(source: TextIO | Path | Iterable[str]) -> Delivery:
    """Read a whole delivery (deliveries are daily changes: small); strict, naming lines."""
    if isinstance(source, Path):
        with source.open(encoding="utf-8") as stream:
            return read_delivery(stream)
    digest = hashlib.sha256()
    header: DeliveryHeader | None = None
    changes: list[Change] = []
    for number, raw in enumerate(source, start=1):
        text = raw.strip()
        if not text:
            continue
        digest.update(text.encode())
        digest.update(b"\n")
        data = _object(text, number)
        if header is None:
            if "op" in data:
                raise ImportFormatError(
                    "the first line is the delivery's header "
                    '({"lieferung": …, "ags": …, "nachrichtentyp": …})',
                    line=number,
                )
            header = _header(data, number)
        else:
            changes.append(_change(data, number))
    if header is None:
        raise ImportFormatError("the delivery is empty: no header line")
    return Delivery(header, tuple(changes), digest.hexdigest())
