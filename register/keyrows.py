"""The stored search keys of a record: its rows in the key tables, and their recomputation.

:mod:`datenspiegel.register.keys` decides *what* is compared (BMeldDAV Anlage Nr. 4); this
module decides how those keys lie in the indexed tables of :mod:`datenspiegel.register.schema`.
The import writes them through :func:`key_rows` and :func:`person_columns`; when a matching
rule changes, a register migration calls :func:`rebuild_search_keys`, which recomputes every
record's keys from the record itself (``register_person.record``, kept as delivered) — so a
register imported under the old rules is upgraded instead of half-matching.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import bindparam, delete, inspect, select, text
from sqlalchemy.engine import Connection

from datenspiegel.register.jsonl import person_from_json
from datenspiegel.register.keys import PersonKeys, person_keys
from datenspiegel.register.model import Person
from datenspiegel.register.schema import (
    anschrift_table,
    geburtsdatum_table,
    name_table,
    person_table,
    staatsangehoerigkeit_table,
    vorname_table,
)
from datenspiegel.register.tablerows import COLUMNS, key_tuples

__all__ = [
    "KEY_TABLES",
    "key_rows",
    "person_columns",
    "rebuild_search_keys",
    "stored_person",
]

_log = logging.getLogger(__name__)

#: The tables that hold nothing but search keys (recomputable from the record at any time).
KEY_TABLES = (
    name_table,
    vorname_table,
    geburtsdatum_table,
    anschrift_table,
    staatsangehoerigkeit_table,
)

_REBUILD_BATCH = 5000


def stored_person(person_id: int, record: Any) -> Person:
    """The :class:`Person` of a ``register_person`` row (its ``record`` JSON and ``id``)."""
    if isinstance(record, str):  # a driver that does not decode JSON columns
        record = json.loads(record)
    data = dict(record)
    data["id"] = int(person_id)
    return person_from_json(data)


def person_columns(keys: PersonKeys) -> dict[str, Any]:
    """The normalised criteria kept on the ``register_person`` row itself."""
    return {
        "doktorgrad": keys.doktorgrad,
        "geburtsort": keys.geburtsort,
        "geburtsstaat": keys.geburtsstaat,
        "geschlecht": keys.geschlecht,
        "sterbedatum": keys.sterbedatum,
        "sterbeort": keys.sterbeort,
        "sterbestaat": keys.sterbestaat,
        "azr_nummer": keys.azr_nummer,
        "familienstand": keys.familienstand,
        "aktuell": keys.aktuell,
        "waffenerlaubnis": keys.waffenerlaubnis,
        "waffenbesitzverbot": keys.waffenbesitzverbot,
        "sprengstofferlaubnis": keys.sprengstofferlaubnis,
    }


def key_rows(pid: int, ags: str, keys: PersonKeys) -> dict[str, list[dict[str, Any]]]:
    """Rows of each table in :data:`KEY_TABLES` (by table name) for record ``pid`` of ``ags``
    (the tuples of :func:`~datenspiegel.register.tablerows.key_tuples`, columns named)."""
    return {
        name: [dict(zip(COLUMNS[name], row, strict=True)) for row in rows]
        for name, rows in key_tuples(pid, ags, keys).items()
    }


def _present_columns(conn: Connection) -> dict[str, set[str]]:
    """The columns each key table has in this database (see :func:`rebuild_search_keys`)."""
    inspector = inspect(conn)
    return {
        table.name: {column["name"] for column in inspector.get_columns(table.name)}
        for table in KEY_TABLES
    }


def rebuild_search_keys(conn: Connection, *, batch_size: int = _REBUILD_BATCH) -> int:
    """Recompute the search keys of every record with the current rules; return the count.

    Writes the key columns the database has: the legacy migrations that call this (register
    migrations 2 and 3) run before the register revisions that append columns (0005: the
    record's municipality on date and address rows), and those fill their columns themselves.

    Runs inside the caller's transaction (a migration is one transaction: the keys and the
    schema version change together). Records are read in id order, ``batch_size`` at a time,
    so memory stays flat at 10–15 million records; the cost is about that of an import
    (measured ≈ 4 800 records/s on SQLite, ≈ 2 400 on PostgreSQL). On PostgreSQL the person table is
    locked against writers first, so that a second process migrating at the same moment waits
    and then recomputes the committed result instead of colliding with it.
    """
    if conn.dialect.name == "postgresql":
        # Readers (ACCESS SHARE) go on; importers and a concurrent migration wait.
        conn.execute(text("LOCK TABLE register_person IN SHARE ROW EXCLUSIVE MODE"))
    present = _present_columns(conn)
    person = person_table.c
    update = person_table.update().where(person.id == bindparam("b_id"))
    done = 0
    last_id: int | None = None
    while True:
        stmt = select(person.id, person.ags, person.record).order_by(person.id).limit(batch_size)
        if last_id is not None:
            stmt = stmt.where(person.id > last_id)
        rows = conn.execute(stmt).all()
        if not rows:
            break
        ids = [int(row.id) for row in rows]
        new_rows: dict[str, list[dict[str, Any]]] = {table.name: [] for table in KEY_TABLES}
        updates: list[dict[str, Any]] = []
        for row in rows:
            keys = person_keys(stored_person(row.id, row.record))
            for name, table_rows in key_rows(int(row.id), row.ags, keys).items():
                columns = present[name]
                new_rows[name].extend(
                    {k: v for k, v in r.items() if k in columns} for r in table_rows
                )
            updates.append({"b_id": int(row.id), **person_columns(keys)})
        for table in KEY_TABLES:
            conn.execute(delete(table).where(table.c.person_id.in_(ids)))
        for table in KEY_TABLES:
            if new_rows[table.name]:
                conn.execute(table.insert(), new_rows[table.name])
        conn.execute(update, updates)
        done += len(rows)
        last_id = ids[-1]
        _log.info("register search keys recomputed for %d records", done)
    return done
