"""Tables of the audits of authorities (:mod:`datenspiegel.access.audits`).

Created by revision 0003 of the broker-state database's Alembic history
(``store/histories/broker/versions/v0003_audits_of_authorities.py``), which carries their shape
as it created them; these are the tables the code reads and writes, and must keep matching it
(the upgrade tests compare). They have a ``MetaData`` of their own, not the access component's:
that one is the frozen baseline's (its ``--sql`` prints every table in it). The audit names its
authority by a foreign key to ``access_authority``. Ids are never reused (SQLite
``AUTOINCREMENT``): the event log names audits and remedies by id.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, MetaData, String, Table, Text

from datenspiegel.access._schema import authorities
from datenspiegel.store.columns import UTCDateTime

__all__ = ["audit_metadata", "audit_notes", "audits", "remedies"]

audit_metadata = MetaData()

#: One audit of one authority's measures (DOMAIN.md § 7, Nds. NMeldVO § 26). The ``*_by``
#: columns hold the actor's label (``Actor.label``), as the status history does.
audits = Table(
    "access_audit",
    audit_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("authority_id", Integer, ForeignKey(authorities.c.id), nullable=False),
    Column("scope", Text, nullable=False),
    Column("status", String(10), nullable=False),  # open | closed
    Column("opened_at", UTCDateTime, nullable=False),
    Column("opened_by", Text, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("closed_by", Text, nullable=True),
    Column("result", Text, nullable=True),
    Column("closed_with_open_remedies", Text, nullable=True),
    Index("ix_access_audit_authority", "authority_id", "id"),
    sqlite_autoincrement=True,
)

#: Findings of an audit, append-only.
audit_notes = Table(
    "access_audit_note",
    audit_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Integer, ForeignKey("access_audit.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_access_audit_note_audit", "audit_id", "id"),
    sqlite_autoincrement=True,
)

#: Remedies demanded of the authority, each with its deadline (a German calendar day) and how
#: it was settled (fulfilled: how that was shown; withdrawn: why).
remedies = Table(
    "access_audit_remedy",
    audit_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Integer, ForeignKey("access_audit.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("status", String(10), nullable=False),  # open | fulfilled | withdrawn
    Column("demanded_at", UTCDateTime, nullable=False),
    Column("demanded_by", Text, nullable=False),
    Column("settled_at", UTCDateTime, nullable=True),
    Column("settled_by", Text, nullable=True),
    Column("settlement", Text, nullable=True),
    Index("ix_access_audit_remedy_audit", "audit_id", "id"),
    # the overdue check: open remedies by deadline
    Index("ix_access_audit_remedy_due", "status", "deadline"),
    sqlite_autoincrement=True,
)
