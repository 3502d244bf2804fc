"""Index of the exact date of birth (the Personensuche's most selective criterion).

Revision ID: 0003
Revises: 0002

Why: the Personensuche (§ 38 Abs. 1 BMG, BMeldDAV § 4) asks for surname + first name + date
of birth in one municipality. Its only indexed start was the surname in the municipality
(``(value, ags)``): at 10 million persons a common surname in a large city is tens of thousands
of candidates (``MUELLER`` in Hannover: 83 420), each checked for first name and date one by
one; and without an index on the date the planner's other choice was a parallel sequential scan
of ``register_geburtsdatum`` — 3.2 s for one search (issue 11, bench/register_queries.py). A
date of birth is about 300 persons in the whole state; ``(datum, person_id)`` makes it the start
(index-only), and the surname, first name and municipality are checked for those few.

One new index on ``register_geburtsdatum``; nothing else changes. On a register of 10 million
persons it takes about 1.5 minutes to build (measured on the 2-core development machine under
load) and 0.4 GB. A full reload builds it on its load tables like every other index.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_register_geburtsdatum_datum", "register_geburtsdatum", ["datum", "person_id"]
    )


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
