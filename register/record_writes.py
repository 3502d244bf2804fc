"""Writing and removing whole records in the caller's transaction (row by row, SQLAlchemy Core).

The batched import (:meth:`RegisterStore.import_persons`) and the deliveries
(:mod:`~datenspiegel.register.delivery_apply`) write a record the same way: its
``register_person`` row with the record as JSON, and its rows in every key table
(:mod:`~datenspiegel.register.tablerows`). Replacing a record is removing it and writing it
again, so no key of the old state can survive.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from datenspiegel.register.jsonl import person_to_json
from datenspiegel.register.keys import person_keys
from datenspiegel.register.model import Person
from datenspiegel.register.schema import CHILD_TABLES, person_table
from datenspiegel.register.tablerows import COLUMNS, ROW_TABLES, Row, record_tuples

__all__ = ["delete_records", "insert_records"]


def delete_records(conn: Connection, ids: list[int]) -> int:
    """Remove the records ``ids`` with all their rows; return how many were held."""
    existing = list(
        conn.execute(select(person_table.c.id).where(person_table.c.id.in_(ids))).scalars()
    )
    if existing:
        for table in reversed(CHILD_TABLES):
            conn.execute(delete(table).where(table.c.person_id.in_(existing)))
        conn.execute(delete(person_table).where(person_table.c.id.in_(existing)))
    return len(existing)


def insert_records(conn: Connection, numbered: Mapping[int, Person]) -> None:
    """Write each record under its id (none of them may be held)."""
    now = datetime.now(UTC)
    rows: list[list[Row]] = [[] for _ in ROW_TABLES]
    for pid, person in numbered.items():
        record = person_to_json(person)
        record["id"] = pid
        for table_rows, new in zip(
            rows, record_tuples(pid, person, person_keys(person), record, now), strict=True
        ):
            table_rows.extend(new)
    for table, table_rows in zip(ROW_TABLES, rows, strict=True):
        if table_rows:
            columns = COLUMNS[table.name]
            conn.execute(
                table.insert(), [dict(zip(columns, row, strict=True)) for row in table_rows]
            )
