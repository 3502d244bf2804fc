"""Tables of the register mirror and their migrations (SQLAlchemy Core, SQLite and PostgreSQL).

Sized for 10–15 million persons and 20–30 million address periods: the full record for
disclosure is one JSON document per person (``register_person.record``); beside it, every
value a Personensuche compares is stored normalised in narrow, indexed tables:

- ``register_name``: every surname variant (kind, normalised value, Kölner Phonetik code),
  indexed ``(value, ags)`` and ``(phon, ags)`` — every search starts here (register revision
  0004 widens both to ``(…, ags, kind, person_id)``: a freie Suche reads the index alone);
- ``register_vorname``: first names incl. former ones (value, phonetic code);
- ``register_geburtsdatum``: current and earlier dates of birth (text form); since register
  revision 0005 with the record's municipality, indexed ``(datum, ags, person_id)``;
- ``register_anschrift``: address periods with normalised street, indexed ``(ags, strasse)``;
  since register revision 0005 with the record's municipality (``person_ags``), indexed
  ``(ags, strasse, hausnummer_zahl, person_ags, person_id)``;
- ``register_sperre``: Auskunfts-/Übermittlungssperren (for statistics and audits; the broker
  reads them from the record);
- ``register_staatsangehoerigkeit``: nationalities (freie Suche, migration 3);
- ``register_strasse``: the street directory per municipality (migration 4), filled by the
  municipalities' directory deliveries and by every address ever imported, never emptied by
  a person's removal — rejection 02 depends on it alone, never on who lives there;
- ``register_import_log``: every delivery per municipality (Nds. NMeldVO § 23).

Migration 3 (freie Suche, BMeldDAV § 7) adds columns to the tables above and indexes for its
criteria. Its columns are declared here, so a new register gets them with version 1 already;
migration 3 adds to an older register only what it lacks (``ALTER TABLE … ADD COLUMN``).

Child tables key on ``(person_id, …)`` so the primary key doubles as the per-person index.

Two layouts live here. :data:`metadata` holds the tables as the frozen hand-written migrations
left them: register revision 0001 (the baseline) creates and prints exactly these, and the
legacy migrations add to an older register only their columns. The code reads and writes the
tables as the later revisions made them: :data:`geburtsdatum_table` and :data:`anschrift_table`
are the frozen shape plus the columns of revision 0005 (a copy; the frozen tables stay as they
were). A column added later is appended the same way — never declared in the frozen tables,
or a new database would get it from the baseline and the revision adding it would fail.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

__all__ = [
    "CHILD_TABLES",
    "LEGACY_CHILD_TABLES",
    "anschrift_table",
    "create_v1",
    "geburtsdatum_table",
    "import_log_table",
    "legacy_anschrift_table",
    "legacy_geburtsdatum_table",
    "metadata",
    "name_table",
    "person_table",
    "sperre_table",
    "staatsangehoerigkeit_table",
    "strasse_table",
    "vorname_table",
]

metadata = MetaData()

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL needs 64 bits at this size.
_Id = BigInteger().with_variant(Integer(), "sqlite")


def _person_fk() -> Column[int]:
    return Column(
        "person_id",
        _Id,
        ForeignKey("register_person.id", ondelete="CASCADE"),
        primary_key=True,
    )


person_table = Table(
    "register_person",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("ags", String(8), nullable=False),
    Column("doktorgrad", Text),
    Column("geburtsort", Text),
    Column("geburtsstaat", Text),
    Column("geschlecht", String(1)),
    Column("sterbedatum", String(10)),
    Column("sterbeort", Text),
    Column("sterbestaat", Text),
    Column("azr_nummer", Text),
    # Added by migration 3 (freie Suche, BMeldDAV § 7); created there where missing.
    Column("familienstand", String(2)),
    Column("aktuell", Boolean),
    Column("waffenerlaubnis", Boolean),
    Column("waffenbesitzverbot", Boolean),
    Column("sprengstofferlaubnis", Boolean),
    Column("record", JSON, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Index("ix_register_person_ags", "ags"),
)

name_table = Table(
    "register_name",
    metadata,
    _person_fk(),
    Column("kind", String(30), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("ags", String(8), nullable=False),
    Column("phon", Text),
    Index("ix_register_name_value_ags", "value", "ags"),
    Index("ix_register_name_phon_ags", "phon", "ags"),
)

vorname_table = Table(
    "register_vorname",
    metadata,
    _person_fk(),
    Column("value", Text, primary_key=True),
    Column("phon", Text),
    Column("frueher", Boolean, nullable=False),
)

legacy_geburtsdatum_table = Table(
    "register_geburtsdatum",
    metadata,
    _person_fk(),
    Column("datum", String(10), primary_key=True),
    # Added by migration 3: the day a range compares (00 parts = 1st / January; unknown NULL).
    Column("beginn", String(10)),
)

legacy_anschrift_table = Table(
    "register_anschrift",
    metadata,
    _person_fk(),
    Column("lfd_nr", Integer, primary_key=True),
    Column("ags", String(8)),
    Column("postleitzahl", Text),
    Column("strasse", Text),
    Column("hausnummer", Text),
    Column("hausnummer_buchstabe", Text),
    Column("teilnummer", Text),
    Column("aktuell", Boolean, nullable=False),
    # Added by migration 3 (freie Suche): municipality name, house number as a number (for
    # ranges), dwelling status, move-in and move-out day (range form, see ``beginn``).
    Column("wohnort", Text),
    Column("hausnummer_zahl", Integer),
    Column("wohnungsstatus", String(1)),
    Column("einzug", String(10)),
    Column("auszug", String(10)),
    Index("ix_register_anschrift_ags_strasse", "ags", "strasse"),
)


def _with_later_columns(table: Table, *columns: Column[object]) -> Table:
    """``table`` as the code uses it: its frozen shape plus the columns later revisions
    appended (in their order: ``ALTER TABLE … ADD COLUMN`` appends, and the bulk writers'
    tuples are positional)."""
    current = table.to_metadata(MetaData())
    for column in columns:
        current.append_column(column)
    return current


#: Register revision 0005: the record's municipality on every date of birth — a Personensuche
#: (one municipality, § 38 BMG) starts from the few persons born that day *there*, not from the
#: ≈ 400 born that day in the whole state (issue 11, bench/register_queries.py).
geburtsdatum_table = _with_later_columns(legacy_geburtsdatum_table, Column("ags", String(8)))

#: Register revision 0005: the record's municipality on every address period (``ags`` is the
#: address' own) — a freie Suche by street (BMeldDAV § 7) keeps to its area on the address rows
#: alone, without reading each resident's person row.
anschrift_table = _with_later_columns(legacy_anschrift_table, Column("person_ags", String(8)))

sperre_table = Table(
    "register_sperre",
    metadata,
    _person_fk(),
    Column("lfd_nr", Integer, primary_key=True),
    Column("code", String(2), nullable=False),
    Column("bis", Date),
    Column("veranlassende_stelle", Text),
    Index("ix_register_sperre_code", "code"),
)

#: Migration 3: nationalities (DSMeld 1001), a criterion of the freie Suche only.
staatsangehoerigkeit_table = Table(
    "register_staatsangehoerigkeit",
    metadata,
    _person_fk(),
    Column("staat", Text, primary_key=True),
)

import_log_table = Table(
    "register_import_log",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("ags", String(8), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("records", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("complete", Boolean, nullable=False),
    Index("ix_register_import_log_ags_time", "ags", "received_at"),
)

strasse_table = Table(
    "register_strasse",
    metadata,
    Column("ags", String(8), primary_key=True),
    # normalised per BMeldDAV Anlage Nr. 4 (``normalize_strasse``): the key a search compares
    Column("strasse", Text, primary_key=True),
    # as first delivered (the directory's spelling, else the first address' spelling)
    Column("bezeichnung", Text, nullable=False),
    Column("eingetragen_at", DateTime(timezone=True), nullable=False),
)

#: The child tables as the frozen migrations created them (legacy migrations 1 and 3).
LEGACY_CHILD_TABLES = (
    name_table,
    vorname_table,
    legacy_geburtsdatum_table,
    legacy_anschrift_table,
    sperre_table,
    staatsangehoerigkeit_table,
)

#: Child tables in the order rows are written (parents first) and deleted (reversed).
CHILD_TABLES = (
    name_table,
    vorname_table,
    geburtsdatum_table,
    anschrift_table,
    sperre_table,
    staatsangehoerigkeit_table,
)


def create_v1(conn: Connection) -> None:
    """Migration 1 (:mod:`datenspiegel.register.migrations`): the layout above.

    Frozen: a later change to these tables comes as a register revision
    (``store/histories/register/versions``) and, for a column, as a column appended by
    :func:`_with_later_columns` — never as an edit here (databases at version 1 would not see
    it, and a new one would get it twice).
    """
    metadata.create_all(
        conn, tables=[person_table, *LEGACY_CHILD_TABLES, import_log_table], checkfirst=True
    )
