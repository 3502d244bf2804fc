"""The index of the blocks covers the freie Suche's "no blocking Auskunftssperre".

Revision ID: 0007
Revises: 0006

Why: a freie Suche (§ 34a Abs. 3 BMG, BMeldDAV § 7) leaves out every person with a blocking
Auskunftssperre in force (§ 51 BMG codes 1, 3, 6, 11, 12) before it counts towards the 1 000
of rejection 13. For a search with many hits PostgreSQL builds a hash of all blocked persons:
``ix_register_sperre_code (code)`` found them, and each one's ``person_id`` and ``bis`` came
from the table — at 10 million persons 47 750 blocked persons on 3 289 table pages, 46.7 ms
of a 49.9 ms search on a cold cache (issue 11, bench/register_queries.py). ``(code,
person_id, bis)`` answers it from the index alone (3.7 ms): cold p99 of the municipality
searches by surname 186 → 174 ms, phonetic 198 → 149 ms, street 95 → 70 ms
(docs/performance.md). It replaces ``(code)``, whose uses the wider index serves with the
same leading column.

One index built, one dropped, on ``register_sperre``; nothing else changes. At 10 million
persons (847 000 blocks) it took under a second to build and is 33 MB. A full reload builds
it on its load tables like every other index.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_register_sperre_code_person_bis", "register_sperre", ["code", "person_id", "bis"]
    )
    op.drop_index("ix_register_sperre_code", table_name="register_sperre")


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
