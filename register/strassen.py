"""The street directory of each municipality (Straßenverzeichnis), independent of residents.

Rejection 02 ("Für die in den Auswahldaten angegebene Straße wird keine passende
Straßenbezeichnung im Melderegister gefunden", code list Grund) says something about the
*street*, not about a person. Were it decided from the addresses of the persons held — as it
was — a street whose only residents have an Auskunftssperre would answer 03 (no hit) where the
same register without them answers 02: the answer would differ because of blocked persons,
which § 34a Abs. 5 and § 51 BMG forbid (DOMAIN.md § 5, docs/auskunftssperre.md).

So the mirror keeps a directory of streets per municipality (``register_strasse``):

- the municipality delivers it (``datenspiegel register import-strassen FILE``, JSON Lines
  ``{"ags": "03241001", "strasse": "Podbielskistraße"}``, docs/register.md), and
- every address of every imported record adds its street (current and former ones, BMeldDAV
  Anlage Nr. 4: "die Straße" of an address period), so a register without a directory
  delivery keeps working as before.

Entries are only ever added: a person's removal, replacement or block never removes a
street. Keys are normalised as the search normalises (BMeldDAV Anlage Nr. 4,
:func:`~datenspiegel.register.normalize.normalize_strasse`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from datenspiegel.register.errors import ImportFormatError
from datenspiegel.register.model import Person
from datenspiegel.register.normalize import normalize_strasse
from datenspiegel.register.schema import strasse_table

__all__ = ["Strasse", "read_strassen", "record_strassen", "strassen_of"]

_AGS = re.compile(r"03\d{6}")


@dataclass(frozen=True)
class Strasse:
    """One entry of a municipality's street directory."""

    ags: str
    bezeichnung: str

    @property
    def schluessel(self) -> str | None:
        """The search key (BMeldDAV Anlage Nr. 4); None where nothing of the name is left."""
        return normalize_strasse(self.bezeichnung)


def strassen_of(persons: Iterable[Person]) -> Iterator[Strasse]:
    """The streets of every address period of ``persons`` (current and former)."""
    for person in persons:
        for anschrift in person.anschriften:
            if anschrift.ags and anschrift.strasse:
                yield Strasse(anschrift.ags, anschrift.strasse)


def record_strassen(conn: Connection, strassen: Iterable[Strasse]) -> int:
    """Add the streets not yet in the directory (in the caller's transaction); return how many
    entries were offered. An entry present already keeps its first spelling."""
    now = datetime.now(UTC)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for strasse in strassen:
        key = strasse.schluessel
        if key is not None:
            rows.setdefault(
                (strasse.ags, key),
                {
                    "ags": strasse.ags,
                    "strasse": key,
                    "bezeichnung": strasse.bezeichnung,
                    "eingetragen_at": now,
                },
            )
    if rows:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        # Concurrent imports may offer the same street: the first one wins, none fails.
        statement = dialect.insert(strasse_table).on_conflict_do_nothing()
        conn.execute(statement, sorted(rows.values(), key=lambda r: (r["ags"], r["strasse"])))
    return len(rows)


def _entry(data: Any, line: int) -> Strasse:
    if not isinstance(data, Mapping):
        raise ImportFormatError("a JSON object is expected", line=line)
    unknown = set(data) - {"ags", "strasse"}
    if unknown:
        raise ImportFormatError(f"unknown field(s) {', '.join(sorted(unknown))}", line=line)
    ags, name = data.get("ags"), data.get("strasse")
    if not isinstance(ags, str) or not _AGS.fullmatch(ags):
        raise ImportFormatError("ags must be an 8-digit AGS of Lower Saxony (03…)", line=line)
    if not isinstance(name, str) or normalize_strasse(name) is None:
        raise ImportFormatError("strasse must name a street", line=line)
    return Strasse(ags, name.strip())


def read_strassen(source: TextIO | Path) -> Iterator[Strasse]:
    """Read a street directory delivery: JSON Lines, one ``{"ags", "strasse"}`` per line;
    blank lines are skipped, anything else malformed is an :class:`ImportFormatError` naming
    the line."""
    if isinstance(source, Path):
        with source.open(encoding="utf-8") as handle:
            yield from read_strassen(handle)
        return
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFormatError(f"not JSON ({error.msg})", line=number) from None
        yield _entry(data, number)
