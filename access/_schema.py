"""Tables and migrations of the ``access`` component of the broker-state database.

Version 1: authorities, users, certificates. Version 2 (issue 8): the registration in full —
the authority's contact, its main administrator as a user (``administrator_id``), its client
networks (``netze``), the users' instruction date (``belehrt_am``, § 41 BMG) and contact — plus
the status history (``access_status``) and the administrative event log (``access_event``,
:mod:`datenspiegel.access.admin_log`); and ids that are never handed out twice.

Ids are never reused, on either back-end: protocol records, Identifikationsmerkmale and the
event log name authorities and users by id, so a deleted user's id must not come back as
someone else. PostgreSQL's sequences never hand out a value twice; SQLite does so only for
tables declared ``AUTOINCREMENT`` (otherwise a new row gets ``max(rowid) + 1``), which version 2
adds by rebuilding the tables (see :func:`_v2`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    insert,
    literal,
    select,
    table,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn, CreateIndex, CreateTable

from datenspiegel.access.model import MAX_ANSCHRIFT_ZEILE, MAX_ANSCHRIFT_ZEILEN
from datenspiegel.access.networks import ALLE_NETZE, netze_to_json
from datenspiegel.store import Migration, StoreError
from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime

__all__ = [
    "COMPONENT",
    "MIGRATIONS",
    "authorities",
    "certificates",
    "events",
    "metadata",
    "protocol_keys",
    "status",
    "users",
]

COMPONENT = "access"

#: The actor written into the status history of rows that existed before version 2.
VOR_VERSION_2 = "unknown (before access schema version 2)"


def _access_tables(meta: MetaData, *, version: int) -> tuple[Table, Table, Table]:
    """Authorities, users and certificates as schema version ``version`` (1–3) has them.

    Migrations build from this definition, so it must keep describing what they created: a
    later version that changes a column gets its own branch here instead of an edit of an
    earlier one.
    """
    if version not in (1, 2, 3):
        raise ValueError(f"the access schema has versions 1–3, not {version}")
    v2 = version >= 2
    options: dict[str, Any] = {"sqlite_autoincrement": v2}
    authority_v2: list[Column[Any]] = (
        [
            Column("telefon", Text, nullable=True),
            Column("email", Text, nullable=True),
            # The main administrator (a user of this authority). No foreign key: the user
            # refers to its authority already, and a cycle would complicate every rebuild.
            Column("administrator_id", Integer, nullable=True),
            # CIDR networks as text, e.g. ["10.20.0.0/16"] (datenspiegel.access.networks).
            Column("netze", JSON_DOCUMENT, nullable=False),
        ]
        if v2
        else []
    )
    user_v2: list[Column[Any]] = (
        [
            Column("belehrt_am", Date, nullable=True),  # NULL: unknown (users from version 1)
            Column("telefon", Text, nullable=True),
            Column("email", Text, nullable=True),
        ]
        if v2
        else []
    )
    if version >= 3:
        # The operations a user may use (service names of access.entitlement); NULL: every
        # operation its authority may use (§ 39 Abs. 1 BMG, data minimisation).
        user_v2.append(Column("erlaubte_operationen", JSON_DOCUMENT, nullable=True))
    authorities = Table(
        "access_authority",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("kennung", String(80), nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("klasse", String(20), nullable=False),
        Column("untertyp", Integer, nullable=True),
        # Version 1: one text; version 2: the lines of the address joined by "\n".
        Column("anschrift", Text, nullable=True),
        Column("administrator", Text, nullable=False),
        Column("protokollierung_durch_betreiber", Boolean, nullable=False),
        Column("gesperrt", Boolean, nullable=False),
        Column("gesperrt_grund", Text, nullable=True),
        Column("gesperrt_at", UTCDateTime, nullable=True),
        Column("created_at", UTCDateTime, nullable=False),
        *authority_v2,
        **options,
    )
    users = Table(
        "access_user",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("authority_id", Integer, ForeignKey("access_authority.id"), nullable=False),
        Column("kennung", String(120), nullable=False),
        Column("name", Text, nullable=False),
        Column("roles", JSON_DOCUMENT, nullable=False),
        Column("erlaubte_elemente", JSON_DOCUMENT, nullable=True),
        Column("gesperrt", Boolean, nullable=False),
        Column("gesperrt_grund", Text, nullable=True),
        Column("gesperrt_at", UTCDateTime, nullable=True),
        Column("created_at", UTCDateTime, nullable=False),
        *user_v2,
        # The requesting person's Kennung identifies them within their authority (§ 40 Nr. 6).
        UniqueConstraint("authority_id", "kennung", name="uq_access_user_authority_kennung"),
        **options,
    )
    certificates = Table(
        "access_certificate",
        meta,
        # SHA-256 over the DER encoding, lower-case hex: one certificate identifies one user.
        Column("fingerprint", String(64), primary_key=True),
        Column("user_id", Integer, ForeignKey("access_user.id"), nullable=False, index=True),
        Column("subject", Text, nullable=False),
        Column("serial", String(64), nullable=False),
        Column("not_after", UTCDateTime, nullable=False),
        Column("bound_at", UTCDateTime, nullable=False),
    )
    return authorities, users, certificates


metadata = MetaData()
authorities, users, certificates = _access_tables(metadata, version=3)

#: Status history of authorities (``user_id`` NULL) and users: active / blocked, when, by whom,
#: why (DOMAIN.md § 7: the operator may block at any time; § 39 BMG: the authority disables
#: users no longer entitled). A user's rows go with the user; the event log keeps them.
status = Table(
    "access_status",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("authority_id", Integer, ForeignKey("access_authority.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("access_user.id"), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("gesperrt", Boolean, nullable=False),
    Column("grund", Text, nullable=True),
    Index("ix_access_status_subject", "authority_id", "user_id", "id"),
    sqlite_autoincrement=True,
)

#: Append-only log of administrative changes (:mod:`datenspiegel.access.admin_log`). No foreign
#: keys on purpose: it names authorities and users by Kennung and outlives them.
events = Table(
    "access_event",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor_kind", String(20), nullable=False),
    Column("actor_name", Text, nullable=False),
    Column("actor_authority", String(80), nullable=True),
    Column("actor_user_id", Integer, nullable=True),
    Column("action", String(40), nullable=False),
    Column("authority_kennung", String(80), nullable=True),
    Column("target", String(120), nullable=True),
    Column("details", JSON_DOCUMENT, nullable=False),
    Index("ix_access_event_authority", "authority_kennung", "seq"),
    sqlite_autoincrement=True,
)


#: The certificates whose public keys a security authority's § 40 records are sealed to, when it
#: commissioned the operator to log on its behalf (§ 40 Abs. 3 BMG, "Protokollierung
#: erforderlich"). A renewal adds a row and marks the previous one replaced: records sealed
#: before stay sealed to the key they name (protocol/sealed.py).
protocol_keys = Table(
    "access_protocol_key",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("authority_id", Integer, ForeignKey("access_authority.id"), nullable=False),
    # SHA-256 over the certificate's DER encoding, lower-case hex
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("certificate", LargeBinary, nullable=False),  # DER
    Column("subject", Text, nullable=False),
    Column("not_after", UTCDateTime, nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("replaced_at", UTCDateTime, nullable=True),
    Index("ix_access_protocol_key_authority", "authority_id", "id"),
    sqlite_autoincrement=True,
)


def _v1(conn: Connection) -> None:
    version_1 = MetaData()
    _access_tables(version_1, version=1)
    version_1.create_all(conn)


def _v2(conn: Connection) -> None:
    """The full registration, the status history and the event log; ids never reused.

    PostgreSQL: the new columns are added (``netze`` with :data:`ALLE_NETZE` for the existing
    authorities, then without default), the new tables created. ``SERIAL`` ids come from
    sequences that never hand out a value twice, so nothing else changes.

    SQLite cannot add ``AUTOINCREMENT`` to a table: authorities, users and certificates (the
    tables of the foreign-key chain) are renamed aside, created anew in their version 2 form,
    filled with every row and its id unchanged, and the old ones dropped — all in the
    migration's one transaction. Copying the rows seeds ``sqlite_sequence`` with the largest
    id, so no id issued so far is handed out again (version 1 had no way to delete an
    authority or a user, so no issued id is missing from the copy).

    On both: existing authorities get :data:`ALLE_NETZE` (the upgrade must not cut anybody off;
    ``authority report`` lists them until the operator sets their networks); existing users'
    ``belehrt_am`` stays NULL, meaning "unknown" (nobody recorded it; it is not invented);
    every existing authority and user gets one status row with its current state, by
    :data:`VOR_VERSION_2`.
    """
    new_authorities, new_users, new_certificates = _access_tables(MetaData(), version=2)
    alle = netze_to_json(ALLE_NETZE)
    if conn.dialect.name == "sqlite":
        _rebuild_sqlite(conn, (new_authorities, new_users, new_certificates), alle)
    else:
        _add_columns(conn, new_authorities, ["telefon", "email", "administrator_id"])
        _add_columns(conn, new_users, ["belehrt_am", "telefon", "email"])
        name = conn.dialect.identifier_preparer.quote(new_authorities.name)
        ddl = CreateColumn(new_authorities.c.netze).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {ddl} DEFAULT '[]'")
        conn.exec_driver_sql(f"ALTER TABLE {name} ALTER COLUMN netze DROP DEFAULT")
        conn.execute(new_authorities.update().values(netze=alle))
    metadata.create_all(conn, tables=[status, events])
    _seed_status(conn, new_authorities, new_users)
    _anschrift_as_lines(conn, new_authorities)


def anschrift_lines(text: str) -> list[str]:
    """A version 1 address (one free text of up to 1000 characters) as version 2's lines.

    Its own line breaks are kept; a line longer than :data:`MAX_ANSCHRIFT_ZEILE` is broken at
    the last space that fits (else cut); if that gives more than
    :data:`MAX_ANSCHRIFT_ZEILEN` lines, the whole text is cut into full-width pieces. Nothing
    is dropped or reordered — the operator tidies it with the next registration change.
    """
    lines: list[str] = []
    for raw in text.splitlines():
        rest = " ".join(raw.split())
        while len(rest) > MAX_ANSCHRIFT_ZEILE:
            cut = rest.rfind(" ", 1, MAX_ANSCHRIFT_ZEILE + 1)
            cut = cut if cut > 0 else MAX_ANSCHRIFT_ZEILE
            lines.append(rest[:cut].strip())
            rest = rest[cut:].strip()
        if rest:
            lines.append(rest)
    if len(lines) > MAX_ANSCHRIFT_ZEILEN:
        flat = " ".join(lines)
        lines = [
            flat[i : i + MAX_ANSCHRIFT_ZEILE].strip()
            for i in range(0, len(flat), MAX_ANSCHRIFT_ZEILE)
        ]
    return [line for line in lines if line]


def _anschrift_as_lines(conn: Connection, authorities_v2: Table) -> None:
    rows = conn.execute(
        select(authorities_v2.c.id, authorities_v2.c.anschrift).where(
            authorities_v2.c.anschrift.is_not(None)
        )
    ).all()
    for row in rows:
        lines = anschrift_lines(row.anschrift)
        value = "\n".join(lines) if lines else None
        if value != row.anschrift:
            conn.execute(
                authorities_v2.update().where(authorities_v2.c.id == row.id).values(anschrift=value)
            )


def _add_columns(conn: Connection, new: Table, names: list[str]) -> None:
    quoted = conn.dialect.identifier_preparer.quote(new.name)
    for name in names:
        ddl = CreateColumn(new.c[name]).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {quoted} ADD COLUMN {ddl}")


def _rebuild_sqlite(conn: Connection, tables: tuple[Table, Table, Table], alle: list[str]) -> None:
    old_meta = MetaData()
    old_tables = _access_tables(old_meta, version=1)
    quote = conn.dialect.identifier_preparer.quote
    for new in tables:
        conn.exec_driver_sql(f"ALTER TABLE {quote(new.name)} RENAME TO {quote(_aside(new))}")
    for new, old in zip(tables, old_tables, strict=True):  # parent first
        conn.execute(CreateTable(new))
        names = [c.name for c in old.columns]
        aside = table(_aside(new), *(column(name) for name in names))
        source: list[Any] = list(aside.columns)
        targets = list(names)
        if new.name == "access_authority":
            source.append(literal(alle, JSON_DOCUMENT))
            targets.append("netze")
        conn.execute(insert(new).from_select(targets, select(*source)))
    for new in reversed(tables):  # child first: nothing may still refer to a dropped table
        conn.exec_driver_sql(f"DROP TABLE {quote(_aside(new))}")
    for new in tables:
        for index in new.indexes:
            conn.execute(CreateIndex(index))
    for new in tables[1:]:  # only our own child tables: another component's are not ours
        broken = conn.exec_driver_sql(f"PRAGMA foreign_key_check({quote(new.name)})").all()
        if broken:
            raise StoreError(f"access migration 2 would leave broken foreign keys: {broken[:5]}")


def _aside(new: Table) -> str:
    return f"{new.name}__v1"


def _seed_status(conn: Connection, authorities_v2: Table, users_v2: Table) -> None:
    """One status row per existing authority and user: its state as version 1 kept it."""
    for source, user in ((authorities_v2, False), (users_v2, True)):
        rows = conn.execute(
            select(
                source.c.id,
                source.c.authority_id if user else source.c.id.label("authority_id"),
                source.c.gesperrt,
                source.c.gesperrt_grund,
                source.c.gesperrt_at,
                source.c.created_at,
            )
        ).all()
        if rows:
            conn.execute(
                status.insert(),
                [
                    {
                        "authority_id": row.authority_id,
                        "user_id": row.id if user else None,
                        "at": (row.gesperrt_at or row.created_at)
                        if row.gesperrt
                        else row.created_at,
                        "actor": VOR_VERSION_2,
                        "gesperrt": bool(row.gesperrt),
                        "grund": row.gesperrt_grund if row.gesperrt else None,
                    }
                    for row in rows
                ],
            )


def _v3(conn: Connection) -> None:
    """Each user's allowed operations (NULL for every existing user: no restriction)."""
    column = users.c.erlaubte_operationen
    ddl = CreateColumn(column).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {users.name} ADD COLUMN {ddl}")


def _v4(conn: Connection) -> None:
    """The protocol keys of security authorities (an existing commissioned authority has none
    until the operator registers its certificate; until then only metadata is kept)."""
    metadata.create_all(conn, tables=[protocol_keys])


MIGRATIONS = [
    Migration(1, "authorities, users, certificates", _v1),
    Migration(
        2,
        "registration in full (contact, administrator, networks, § 41 instruction), status "
        "history, administrative event log; ids never reused (SQLite AUTOINCREMENT)",
        _v2,
    ),
    Migration(3, "the operations each user may use (data minimisation, § 39 Abs. 1 BMG)", _v3),
    Migration(4, "protocol keys of security authorities logged by the operator (§ 40 Abs. 3)", _v4),
]
