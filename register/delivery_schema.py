"""The table of applied deliveries (``register_lieferung``): what makes a delivery idempotent.

Created by revision 0002 of the register's Alembic history
(``store/histories/register/versions/v0002_deliveries.py``), which carries its shape as it
created it; a ``MetaData`` of its own, because the register's ``metadata`` is the frozen
baseline's. One row per delivery a municipality sent, by the delivery's own id: a delivery
whose id is here was applied (and its digest says whether a second one of that id is the same
delivery or a different one). The delivery log of Nds. NMeldVO § 23 stays
``register_import_log``; both are written in the delivery's transaction.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

__all__ = ["delivery_metadata", "lieferung_table"]

delivery_metadata = MetaData()

lieferung_table = Table(
    "register_lieferung",
    delivery_metadata,
    #: the delivery's id as the municipality gave it
    Column("lieferung", String(120), primary_key=True),
    Column("ags", String(8), nullable=False),
    Column("nachrichtentyp", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    #: operations applied
    Column("records", Integer, nullable=False),
    #: SHA-256 (hex) of the delivery's lines: the same id with other content is refused
    Column("digest", String(64), nullable=False),
    Column("source", Text, nullable=False),
)
