"""Tables and migrations of the ``access`` component of the broker-state database."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Connection

from datenspiegel.store import Migration
from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime

__all__ = ["COMPONENT", "MIGRATIONS", "authorities", "certificates", "metadata", "users"]

COMPONENT = "access"
metadata = MetaData()


authorities = Table(
    "access_authority",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kennung", String(80), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("klasse", String(20), nullable=False),
    Column("untertyp", Integer, nullable=True),
    Column("anschrift", Text, nullable=True),
    Column("administrator", Text, nullable=False),
    Column("protokollierung_durch_betreiber", Boolean, nullable=False),
    Column("gesperrt", Boolean, nullable=False),
    Column("gesperrt_grund", Text, nullable=True),
    Column("gesperrt_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

users = Table(
    "access_user",
    metadata,
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
    # The requesting person's Kennung identifies them within their authority (§ 40 Nr. 6 BMG).
    UniqueConstraint("authority_id", "kennung", name="uq_access_user_authority_kennung"),
)

certificates = Table(
    "access_certificate",
    metadata,
    # SHA-256 over the DER encoding, lower-case hex: one certificate identifies one user.
    Column("fingerprint", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("access_user.id"), nullable=False, index=True),
    Column("subject", Text, nullable=False),
    Column("serial", String(64), nullable=False),
    Column("not_after", UTCDateTime, nullable=False),
    Column("bound_at", UTCDateTime, nullable=False),
)


def _v1(conn: Connection) -> None:
    # Version 1 is exactly these tables; later versions alter them in their own migrations.
    metadata.create_all(conn, tables=[authorities, users, certificates])


MIGRATIONS = [Migration(1, "authorities, users, certificates", _v1)]
