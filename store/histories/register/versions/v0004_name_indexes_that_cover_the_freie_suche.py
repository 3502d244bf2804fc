"""Name indexes that cover the freie Suche (person id and kind in the index).

Revision ID: 0004
Revises: 0003

Why: a freie Suche by surname in a municipality (§ 34a Abs. 3 BMG, BMeldDAV § 7) starts from
the name rows of the area and, to tell "more than 1 000" (rejection 13, BMeldDAV § 7 Abs. 4)
or to list the persons, needs each row's person id and name kind. The indexes ``(value, ags)``
and ``(phon, ags)`` found the rows but every row's person id then came from the table: at 10
million persons WAGNER in Hildesheim was 4 120 row fetches, MUELLER in Hannover 83 420 — most
of a refused search's time, and on a cold cache one page read each (issue 11,
bench/register_queries.py). ``(value, ags, kind, person_id)`` and ``(phon, ags, kind,
person_id)`` answer it from the index alone; they replace the two narrower indexes, whose
every use (the Personensuche's surname in the municipality, too) the wider ones serve with the
same leading columns.

Two indexes built, two dropped, on ``register_name``; nothing else changes. On a register of
10 million persons (16.8 million name rows) each takes a minute or two to build. A full reload
builds them on its load tables like every other index.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("value", "phon"):
        op.create_index(
            f"ix_register_name_{column}_ags_kind_person",
            "register_name",
            [column, "ags", "kind", "person_id"],
        )
        op.drop_index(f"ix_register_name_{column}_ags", table_name="register_name")


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
