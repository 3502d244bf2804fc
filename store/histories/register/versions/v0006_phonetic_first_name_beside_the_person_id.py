"""The phonetic first name beside the person id, for the Personensuche's per-person check.

Revision ID: 0006
Revises: 0005

Why: since revision 0005 a Personensuche (§ 38 Abs. 1 BMG, BMeldDAV § 4) starts from the
persons born that day in the municipality and checks each of them for first name and surname.
The exact first name is in the primary key ``(person_id, value)``, but the phonetic one
(Kölner Phonetik, BMeldDAV Anlage Nr. 4) was not: each candidate cost a read of its
``register_vorname`` rows. At 10 million persons with 128 MB of ``shared_buffers`` that took
the cold p99 of the phonetic shapes from 13.5–14.6 ms to 19.4–22.9 ms (issue 11,
bench/register_queries.py, docs/performance.md). ``(person_id, phon)`` answers the check from
the index alone: with it the same searches took 13.1–13.7 ms.

One index on ``register_vorname``; nothing else changes. On a register of 10 million persons
(15.2 million first-name rows, already in person order) it took 7 s to build and is 455 MB. A
full reload builds it on its load tables like every other index.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_register_vorname_person_phon", "register_vorname", ["person_id", "phon"])


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
