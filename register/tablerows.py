"""A record's rows in every register table, as tuples in each table's column order.

:mod:`datenspiegel.register.keys` decides *what* is compared (BMeldDAV Anlage Nr. 4); this
module lays those keys out as the rows of :mod:`datenspiegel.register.schema`, once, for every
writer: the batched import and the key rebuild (through
:func:`~datenspiegel.register.keyrows.key_rows`, which names the columns) and the bulk loader
(which streams the tuples into ``COPY`` or ``executemany``). Tuples, not dicts: at ten million
records the difference is minutes.
"""

from __future__ import annotations

from typing import Any

from datenspiegel.register.keys import PersonKeys, beginn_key
from datenspiegel.register.model import Person, TeilbekanntesDatum
from datenspiegel.register.schema import (
    CHILD_TABLES,
    anschrift_table,
    geburtsdatum_table,
    name_table,
    person_table,
    sperre_table,
    staatsangehoerigkeit_table,
    vorname_table,
)

__all__ = [
    "COLUMNS",
    "ROW_TABLES",
    "Row",
    "key_tuples",
    "person_tuple",
    "record_tuples",
    "sperre_tuples",
]

Row = tuple[Any, ...]

#: The tables a record has rows in, parents first (the order of :func:`record_tuples`).
ROW_TABLES = (person_table, *CHILD_TABLES)
#: Column names of each table in :data:`ROW_TABLES`, in the order of its tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    table.name: tuple(column.name for column in table.columns) for table in ROW_TABLES
}
_KEY_TABLE_NAMES = (
    name_table.name,
    vorname_table.name,
    geburtsdatum_table.name,
    anschrift_table.name,
    staatsangehoerigkeit_table.name,
)


def _beginn(datum: str) -> str | None:
    """:func:`beginn_key` of a stored date key (``1964``, ``1964-08``, ``1964-08-12``)."""
    if not datum or datum.startswith("0000"):
        return None
    return beginn_key(TeilbekanntesDatum.parse(datum))


def person_tuple(pid: int, ags: str, keys: PersonKeys, record: Any, imported_at: Any) -> Row:
    """The ``register_person`` row; ``record`` and ``imported_at`` as the writer stores them
    (a JSON object and a datetime through SQLAlchemy, text for ``COPY`` and SQLite)."""
    return (
        pid,
        ags,
        keys.doktorgrad,
        keys.geburtsort,
        keys.geburtsstaat,
        keys.geschlecht,
        keys.sterbedatum,
        keys.sterbeort,
        keys.sterbestaat,
        keys.azr_nummer,
        keys.familienstand,
        keys.aktuell,
        keys.waffenerlaubnis,
        keys.waffenbesitzverbot,
        keys.sprengstofferlaubnis,
        record,
        imported_at,
    )


def key_tuples(pid: int, ags: str, keys: PersonKeys) -> dict[str, list[Row]]:
    """Rows of the key tables (name, first name, date of birth, address, nationality)."""
    return {
        name_table.name: [(pid, k.kind.value, k.value, ags, k.phon) for k in keys.namen],
        vorname_table.name: [(pid, k.value, k.phon, k.frueher) for k in keys.vornamen],
        # register revision 0005: the record's municipality on the date and address rows
        geburtsdatum_table.name: [(pid, d, _beginn(d), ags) for d in keys.geburtsdaten],
        anschrift_table.name: [
            (
                pid,
                k.lfd_nr,
                k.ags,
                k.postleitzahl,
                k.strasse,
                k.hausnummer,
                k.hausnummer_buchstabe,
                k.teilnummer,
                k.aktuell,
                k.wohnort,
                k.hausnummer_zahl,
                k.wohnungsstatus,
                k.einzug,
                k.auszug,
                ags,
            )
            for k in keys.anschriften
        ],
        staatsangehoerigkeit_table.name: [(pid, staat) for staat in keys.staatsangehoerigkeiten],
    }


def sperre_tuples(pid: int, person: Person) -> list[Row]:
    """Rows of ``register_sperre``: every Auskunfts-/Übermittlungssperre, by position."""
    return [
        (pid, position, sperre.code, sperre.bis, sperre.veranlassende_stelle)
        for position, sperre in enumerate(person.auskunftssperren)
    ]


def record_tuples(
    pid: int, person: Person, keys: PersonKeys, record: Any, imported_at: Any
) -> list[list[Row]]:
    """Every row of the record, one list per table of :data:`ROW_TABLES`, in that order."""
    by_name = key_tuples(pid, person.ags, keys)
    out: list[list[Row]] = [[person_tuple(pid, person.ags, keys, record, imported_at)]]
    for table in CHILD_TABLES:
        if table is sperre_table:
            out.append(sperre_tuples(pid, person))
        else:
            out.append(by_name[table.name])
    return out


def _check_layout() -> None:
    # The tuples above are positional: a column added to a table must be added here too.
    expected = {
        person_table.name: 17,
        name_table.name: 5,
        vorname_table.name: 4,
        geburtsdatum_table.name: 4,
        anschrift_table.name: 15,
        sperre_table.name: 5,
        staatsangehoerigkeit_table.name: 2,
    }
    for name, width in expected.items():
        if len(COLUMNS[name]) != width:
            raise RuntimeError(f"{name} has {len(COLUMNS[name])} columns; tablerows writes {width}")
    assert set(_KEY_TABLE_NAMES) < set(COLUMNS)


_check_layout()
