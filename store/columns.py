"""Column types shared by every store (access, protocol, merkmale, register).

SQLite keeps no time zone, PostgreSQL returns ``timestamptz`` in the session's zone: this type
stores UTC and always hands back tz-aware UTC datetimes, so both back-ends behave alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

__all__ = ["JSON_DOCUMENT", "UTCDateTime"]

# JSONB on PostgreSQL; ``none_as_null``: Python None is SQL NULL (e.g. "no restriction"),
# distinct from an empty list.
JSON_DOCUMENT = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime: give it a time zone")
        value = value.astimezone(UTC)
        # SQLite compares the stored text: keep one naive UTC format so ranges sort correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
