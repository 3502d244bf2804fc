"""Tables of the register mirror and their migrations (SQLAlchemy Core, SQLite and PostgreSQL).

Sized for 10–15 million persons and 20–30 million address periods: the full record for
disclosure is one JSON document per person (``register_person.record``); beside it, every
value a Personensuche compares is stored normalised in narrow, indexed tables:

- ``register_name``: every surname variant (kind, normalised value, Kölner Phonetik code),
  indexed ``(value, ags)`` and ``(phon, ags)`` — every search starts here (register revision
  0004 widens both to ``(…, ags, kind, person_id)``: a freie Suche reads the index alone);
- ``register_vorname``: first names incl. former ones (value, phonetic code);
- ``register_geburtsdatum``: current and earlier dates of birth (text form);
- ``register_anschrift``: address periods with normalised street, indexed ``(ags, strasse)``
  (also answers "is this street known in the municipality?", rejection 02);
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
    "anschrift_table",
    "create_v1",
    "geburtsdatum_table",
    "import_log_table",
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

geburtsdatum_table = Table(
    "register_geburtsdatum",
    metadata,
    _person_fk(),
    Column("datum", String(10), primary_key=True),
    # Added by migration 3: the day a range compares (00 parts = 1st / January; unknown NULL).
    Column("beginn", String(10)),
)

anschrift_table = Table(
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

    A later change to these tables must come as a new migration (ALTER …), never as an edit
    here: databases at version 1 would not see it.
    """
    metadata.create_all(
        conn, tables=[person_table, *CHILD_TABLES, import_log_table], checkfirst=True
    )
