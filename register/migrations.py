"""The register's schema migrations, in order (component ``register`` in ``schema_version``).

A change of the tables comes as a new numbered migration here, never as an edit of an
earlier one: databases already at that version would not see it. A change of a *matching
rule* is a migration too — the stored search keys were computed under the old rule and must
be recomputed (:func:`~datenspiegel.register.keyrows.rebuild_search_keys`).
"""

from __future__ import annotations

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection

from datenspiegel.register.keyrows import rebuild_search_keys
from datenspiegel.register.schema import (
    create_v1,
    legacy_anschrift_table,
    legacy_geburtsdatum_table,
    person_table,
    staatsangehoerigkeit_table,
    strasse_table,
)
from datenspiegel.store import Migration

__all__ = ["FREIE_SUCHE_INDEXES", "MIGRATIONS"]

#: Indexes of the freie Suche's common criteria (BMeldDAV § 7) on a register of millions:
#: first names alone, birth ranges, municipality names, nationalities. Surnames and streets
#: use the indexes of version 1 (``(value, ags)``, ``(phon, ags)``, ``(ags, strasse)``).
FREIE_SUCHE_INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_register_vorname_value", "register_vorname", ("value",)),
    ("ix_register_vorname_phon", "register_vorname", ("phon",)),
    ("ix_register_geburtsdatum_beginn", "register_geburtsdatum", ("beginn",)),
    ("ix_register_anschrift_wohnort", "register_anschrift", ("wohnort", "ags")),
    ("ix_register_staatsangehoerigkeit_staat", "register_staatsangehoerigkeit", ("staat",)),
)


def _current_layout(conn: Connection) -> None:
    """Columns and tables of the frozen layout, added where an older register lacks them (a new
    register has them from version 1 on, see :mod:`~datenspiegel.register.schema`); the
    columns of later register revisions come with those revisions."""
    staatsangehoerigkeit_table.create(conn, checkfirst=True)
    inspector = inspect(conn)
    for table in (person_table, legacy_geburtsdatum_table, legacy_anschrift_table):
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}")


def _anlage_nr4_as_written(conn: Connection) -> None:
    # BMeldDAV Anlage Nr. 4: blanks, hyphens and dots are removed, not kept as separators
    # ("Lange Straße" = "LangeStrasse", "Karl-Heinz" = "Karlheinz"); first names also from the
    # Ordensname and Künstlername (0501/0502); an unknown date is a key of its own.
    _current_layout(conn)  # the recomputation writes the keys of today's code
    rebuild_search_keys(conn)


def _freie_suche(conn: Connection) -> None:
    # freie Suche (§ 34a Abs. 3 BMG, BMeldDAV § 7): nationality, marital status, dwelling
    # status, move-in/-out and birth ranges, municipality names, weapons facts as keys;
    # indexes for its common criteria; the keys recomputed from the records.
    _current_layout(conn)
    for name, table, columns in FREIE_SUCHE_INDEXES:
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)})")
    rebuild_search_keys(conn)


def _strassenverzeichnis(conn: Connection) -> None:
    # Rejection 02 from a street directory, not from the residents (§ 34a Abs. 5, § 51 BMG:
    # no answer may differ because of a blocked person; see register/strassen.py). Seeded
    # with every street an address ever named — set-based, one statement.
    strasse_table.create(conn, checkfirst=True)
    conn.execute(
        strasse_table.insert().from_select(
            ["ags", "strasse", "bezeichnung", "eingetragen_at"],
            select(
                legacy_anschrift_table.c.ags,
                legacy_anschrift_table.c.strasse,
                func.min(legacy_anschrift_table.c.strasse),
                func.min(person_table.c.imported_at),
            )
            .join(person_table, person_table.c.id == legacy_anschrift_table.c.person_id)
            .where(
                legacy_anschrift_table.c.ags.is_not(None),
                legacy_anschrift_table.c.strasse.is_not(None),
            )
            .group_by(legacy_anschrift_table.c.ags, legacy_anschrift_table.c.strasse),
        )
    )


MIGRATIONS = (
    Migration(1, "register tables: person record, search keys, delivery log", create_v1),
    Migration(
        2,
        "search keys per BMeldDAV Anlage Nr. 4 as written (separators removed, first names "
        "from Ordens-/Künstlername, unknown dates as keys): recomputed from the records",
        _anlage_nr4_as_written,
    ),
    Migration(
        3,
        "freie Suche (BMeldDAV § 7): nationality, marital status, dwelling status, move and "
        "birth ranges, municipality names, weapons facts as search keys; their indexes",
        _freie_suche,
    ),
    Migration(
        4,
        "street directory per municipality (rejection 02 independent of residents, "
        "§ 34a Abs. 5 BMG): seeded from every address held",
        _strassenverzeichnis,
    ),
)
