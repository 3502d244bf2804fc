"""The register's schema migrations, in order (component ``register`` in ``schema_version``).

A change of the tables comes as a new numbered migration here, never as an edit of an
earlier one: databases already at that version would not see it. A change of a *matching
rule* is a migration too — the stored search keys were computed under the old rule and must
be recomputed (:func:`~datenspiegel.register.keyrows.rebuild_search_keys`).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from datenspiegel.register.keyrows import rebuild_search_keys
from datenspiegel.register.schema import create_v1
from datenspiegel.store import Migration

__all__ = ["MIGRATIONS"]


def _anlage_nr4_as_written(conn: Connection) -> None:
    # BMeldDAV Anlage Nr. 4: blanks, hyphens and dots are removed, not kept as separators
    # ("Lange Straße" = "LangeStrasse", "Karl-Heinz" = "Karlheinz"); first names also from the
    # Ordensname and Künstlername (0501/0502); an unknown date is a key of its own.
    rebuild_search_keys(conn)


MIGRATIONS = (
    Migration(1, "register tables: person record, search keys, delivery log", create_v1),
    Migration(
        2,
        "search keys per BMeldDAV Anlage Nr. 4 as written (separators removed, first names "
        "from Ordens-/Künstlername, unknown dates as keys): recomputed from the records",
        _anlage_nr4_as_written,
    ),
)
