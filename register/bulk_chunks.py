"""One chunk of a full load, turned into the rows of every register table (in a worker process).

The expensive part of a load is Python work per record — decoding and checking the JSON line
against the record model, computing its search keys (BMeldDAV Anlage Nr. 4) — not the
database. So the loader hands chunks of raw lines to a pool of processes; each returns, per
table, what the writer streams on unchanged: the text of PostgreSQL's ``COPY`` format, or
tuples for SQLite's ``executemany``. The record column is the delivered line itself (it
carries the id, which a full load requires): no second encoding, and the record is kept as
delivered.

A chunk is either lines the loader read, or — when the stock is a file — a byte range of that
file (:class:`FileSlice`), which the worker reads itself: the loader then only cuts the file at
line ends, and no line crosses a process boundary (reading, splitting and pickling them cost
the loader 8–9 s of CPU per million lines, docs/performance.md).

Everything a worker returns is plain data (picklable, no exceptions across the process
boundary): a bad line comes back as ``error`` with its line number, and the writer raises.
Lines are numbered within the chunk; :meth:`EncodedChunk.numbered` makes the numbers the
file's, once the chunks before are counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Any

from datenspiegel.register.bulk_records import decode_line, record_copy_lines, record_rows
from datenspiegel.register.errors import ImportFormatError
from datenspiegel.register.jsonl import loads_person
from datenspiegel.register.keys import person_keys
from datenspiegel.register.normalize import normalize_strasse
from datenspiegel.register.tablerows import ROW_TABLES, Row, record_tuples

__all__ = ["ChunkTask", "EncodedChunk", "FileSlice", "RowFormat", "encode_chunk"]


class RowFormat(Enum):
    """What a worker returns per table."""

    #: PostgreSQL ``COPY … FROM STDIN`` text format, UTF-8 bytes
    COPY_TEXT = "copy"
    #: tuples with SQLite's storage values (dates as ISO text)
    TUPLES = "tuples"


@dataclass(frozen=True, slots=True)
class FileSlice:
    """Bytes ``start`` to ``end`` of the file ``path``: whole lines, each ended by a newline
    (``\\n`` or ``\\r\\n``, as JSON Lines has them), the last one perhaps by the file's end."""

    path: str
    start: int
    end: int

    def read(self) -> bytes:
        with open(self.path, "rb") as stream:
            stream.seek(self.start)
            return stream.read(self.end - self.start)


@dataclass(frozen=True, slots=True)
class ChunkTask:
    """Consecutive lines of the delivery, or the file's bytes that hold them;
    ``first_line`` is the number of the first (1 when the chunks before are not counted yet)."""

    first_line: int
    lines: tuple[str, ...] | FileSlice
    row_format: RowFormat
    #: ``imported_at`` as the writer stores it (text in the back-end's form)
    imported_at: str


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    first_line: int
    #: lines of the chunk (blank ones too): where the next chunk's numbers begin
    lines: int
    records: int
    #: records per municipality (AGS)
    per_ags: dict[str, int]
    #: the chunk's streets: (AGS, normalised key) → the spelling first delivered
    streets: dict[tuple[str, str], str]
    #: per table of :data:`~datenspiegel.register.tablerows.ROW_TABLES`: COPY text or tuples
    tables: tuple[Any, ...]
    #: the first bad line (number, message); nothing else of the chunk is to be used then
    error: tuple[int, str] | None = None

    def numbered(self, first_line: int) -> EncodedChunk:
        """This chunk with its lines numbered from ``first_line`` (its error's too)."""
        shift = first_line - self.first_line
        if not shift:
            return self
        error = None if self.error is None else (self.error[0] + shift, self.error[1])
        return replace(self, first_line=first_line, error=error)

    def raise_error(self) -> None:
        if self.error is not None:
            number, message = self.error
            raise ImportFormatError(message, line=number)


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_cell(value: Any) -> str:
    kind = value.__class__
    if kind is str:
        return value.translate(_ESCAPES) if _NEEDS_ESCAPE(value) else value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is date:
        return value.isoformat()
    raise TypeError(f"no COPY text for {kind.__name__}")


def _copy_lines(rows: list[Row], plain: bool) -> list[str]:
    """COPY text lines of ``rows``. ``plain``: no cell can hold a character COPY escapes — true
    of every record whose JSON line has no backslash and no tab, because JSON writes control
    characters only as escapes (a carriage return between its tokens is checked for too) and
    the keys hold base letters and digits only: then nothing is searched or escaped (a third
    of the encoding time otherwise)."""
    if not plain:
        return ["\t".join(map(_copy_cell, row)) for row in rows]
    return [
        "\t".join(
            [
                v
                if v.__class__ is str
                else (
                    "\\N" if v is None else ("t" if v is True else ("f" if v is False else str(v)))
                )
                for v in row
            ]
        )
        for row in rows
    ]


def _copy_text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode() if lines else b""


def _sqlite_row(row: Row) -> Row:
    return tuple(value.isoformat() if value.__class__ is date else value for value in row)


def encode_chunk(task: ChunkTask) -> EncodedChunk:
    """Decode, check and key every record of ``task``; the rows of every table.

    Each line goes the fast way (:mod:`~datenspiegel.register.bulk_records`: decoded and
    checked in C, rows made directly) when it can; the checked way otherwise, which either
    accepts it — with the same rows — or names the field and the line.
    """
    lines: Sequence[str]
    if isinstance(task.lines, FileSlice):
        data = task.lines.read()
        try:
            split = data.decode("utf-8").split("\n")
        except UnicodeDecodeError as exc:
            number = task.first_line + data.count(b"\n", 0, exc.start)
            return _failed(task, number, f"not UTF-8 text ({exc.reason}); convert it to UTF-8")
        if not split[-1]:
            split.pop()  # after the newline that ends the last line
        lines = split
    else:
        lines = task.lines
    per_ags: Counter[str] = Counter()
    streets: dict[tuple[str, str], str] = {}
    copy_text = task.row_format is RowFormat.COPY_TEXT
    imported_at = task.imported_at
    tables: list[list[Any]] = [[] for _ in ROW_TABLES]
    rows_of = record_copy_lines if copy_text else record_rows
    records = 0
    for offset, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        # ``plain``: no character COPY escapes anywhere in the record (see _copy_lines)
        plain = "\\" not in text and "\t" not in text and "\r" not in text
        if plain or not copy_text:
            record = decode_line(text)
            if record is not None and rows_of(record, text, imported_at, streets, tables):
                per_ags[record.ags] += 1
                records += 1
                continue
        number = task.first_line + offset
        try:
            person = loads_person(text)
        except ImportFormatError as exc:
            return _failed(task, number, str(exc))
        if person.id is None:
            return _failed(
                task,
                number,
                "the record has no id: a full load replaces the whole register, and every "
                "record of it is named by its id (later deliveries refer to it)",
            )
        keys = person_keys(person)
        new_rows = record_tuples(person.id, person, keys, text, imported_at)
        if copy_text:
            for lines, new in zip(tables, new_rows, strict=True):
                lines.extend(_copy_lines(new, plain))
        else:
            for rows, new in zip(tables, new_rows, strict=True):
                rows.extend(map(_sqlite_row, new))
        per_ags[person.ags] += 1
        for anschrift in person.anschriften:
            if anschrift.ags and anschrift.strasse:
                key = normalize_strasse(anschrift.strasse)
                if key is not None:
                    streets.setdefault((anschrift.ags, key), anschrift.strasse)
        records += 1
    encoded: tuple[Any, ...]
    if copy_text:
        encoded = tuple(_copy_text(lines) for lines in tables)
    else:
        encoded = tuple(tables)
    return EncodedChunk(task.first_line, len(lines), records, dict(per_ags), streets, encoded)


def _failed(task: ChunkTask, number: int, message: str) -> EncodedChunk:
    return EncodedChunk(task.first_line, 0, 0, {}, {}, (), error=(number, message))
