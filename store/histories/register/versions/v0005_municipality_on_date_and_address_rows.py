"""The record's municipality on the date-of-birth and address rows.

Revision ID: 0005
Revises: 0004

Why: a Personensuche asks in one municipality (§ 38 Abs. 1 BMG, BMeldDAV § 4). Its start is the
exact date of birth (revision 0003), but that date is about 400 persons in the whole state,
and each of them was probed for municipality, first name and surname. With 128 MB of
``shared_buffers`` and a register of 10 million persons, those probes were read from disk:
cold p99 48–64 ms against the 20 ms target (issue 11, bench/register_queries.py). With the
record's municipality on the date row (as ``register_name`` has it), the index
``(datum, ags, person_id)`` yields the zero to two persons born that day *there*.

A freie Suche by street in a municipality (§ 34a Abs. 3 BMG, BMeldDAV § 7) read the street's
address rows and then every resident's person row, only to check that the record belongs to
the area: up to 30 000 probes for one long street, warm p99 369 ms, cold 2.6 s against 200 ms.
``register_anschrift.ags`` is the address' own municipality; the new ``person_ags`` is the
record's. The index ``(ags, strasse, hausnummer_zahl, person_ags, person_id)`` answers the
street, the house-number range and the area alone.

Steps: two nullable columns; filled from ``register_person.ags`` (the writers fill them from
now on, with the record and replaced with it); the two indexes replace ``(datum, person_id)``
and ``(ags, strasse)``, whose every use the wider ones serve with the same leading columns.
The old indexes are dropped before the rows are filled, and the two other secondary indexes of
these tables (``beginn``; ``wohnort, ags``) are dropped and built again after it: updated row
by row in the random order of their keys, they slowed the fill most. On PostgreSQL the
transaction also gets the memory to join and to sort in memory.

Cost: every date and address row is rewritten once, and the two tables are locked meanwhile
(searches wait). On a register of 10 million persons (2 cores, PostgreSQL 15): 233 s; without
the index rebuild and the memory settings it was 749 s (docs/performance.md). PostgreSQL keeps the
old row versions' space for reuse; ``VACUUM (ANALYZE)`` of the two tables after the upgrade
(31 s), or the next full reload, makes it reusable and sets the visibility map that index-only
scans need.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (table, new column) — the record's municipality, ``register_person.ags``
_COLUMNS = (("register_geburtsdatum", "ags"), ("register_anschrift", "person_ags"))


def _fill(table: str, column: str) -> sa.Update:
    """``column`` of every row of ``table`` set to its record's ``register_person.ags``."""
    person = sa.table("register_person", sa.column("id"), sa.column("ags"))
    rows = sa.table(table, sa.column("person_id"), sa.column(column))
    if op.get_context().dialect.name == "postgresql":  # one hash join, not a probe per row
        return rows.update().values({column: person.c.ags}).where(person.c.id == rows.c.person_id)
    ags = sa.select(person.c.ags).where(person.c.id == rows.c.person_id).scalar_subquery()
    return rows.update().values({column: ags})


#: secondary indexes kept, but built again after the fill: updated row by row, in the random
#: order of their keys, they were most of its time
_REBUILT = (
    ("ix_register_geburtsdatum_beginn", "register_geburtsdatum", ["beginn"]),
    ("ix_register_anschrift_wohnort", "register_anschrift", ["wohnort", "ags"]),
)


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        # this transaction only: the join of the fill and the index builds in memory
        op.execute("SET LOCAL work_mem = '256MB'")
        op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.drop_index("ix_register_geburtsdatum_datum", table_name="register_geburtsdatum")
    op.drop_index("ix_register_anschrift_ags_strasse", table_name="register_anschrift")
    for name, table, _columns in _REBUILT:
        op.drop_index(name, table_name=table)
    for table, column in _COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(8), nullable=True))
        op.execute(_fill(table, column))
    for name, table, columns in _REBUILT:
        op.create_index(name, table, columns)
    op.create_index(
        "ix_register_geburtsdatum_datum_ags_person",
        "register_geburtsdatum",
        ["datum", "ags", "person_id"],
    )
    op.create_index(
        "ix_register_anschrift_strasse_person",
        "register_anschrift",
        ["ags", "strasse", "hausnummer_zahl", "person_ags", "person_id"],
    )
    if op.get_context().dialect.name == "postgresql":
        for table, _column in _COLUMNS:  # the planner's statistics of the new columns
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
