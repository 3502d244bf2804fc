"""Retention of the § 40 protocol: kept at least 12 months, deleted by the end of the following
calendar year (§ 40 BMG; DOMAIN.md § 6) — without losing the proof.

:func:`purge` (``datenspiegel protocol purge``, safe to run daily, idempotent):

1. logs what is not yet logged, so that every record to delete has its leaf;
2. deletes the records whose time has come — a prefix of the log: all log indices below the
   first record that must still be kept — with their outbox entries and kept answers; their
   *leaves stay* (hashes only, no personal data), so every checkpoint and proof verifies;
3. destroys the keys of every period that lies wholly before the cutoff (crypto-shredding,
   :mod:`datenspiegel.protocol.payloads`): no copy of those answers can be read any more;
4. marks the log (``purged_until`` with the service's tag: a mark nobody else can move) and
   removes expired Identifikationsmerkmale and replay claims;
5. is itself recorded, as an access to the protocol (reader, purpose ``betrieb``, what went).

The cutoff: records older than ``months`` (at least 12), and in any case every record of the
calendar year before last — deleted "at the latest at the end of the following year".
"""

from __future__ import annotations

import calendar
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256

from sqlalchemy import Engine, delete, func, select, update

from datenspiegel.protocol._schema import log_state, outbox, reads, records
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.payloads import PayloadStore, payloads, sealed_records
from datenspiegel.register.stichtag import ZEITZONE, stichtag

__all__ = ["PurgeReport", "cutoff", "purge", "purge_tag"]

_BATCH = 5000


def purge_tag(key: bytes, purged_until: int) -> str:
    return hmac.new(key, f"purged_until:{purged_until}".encode(), sha256).hexdigest()


def cutoff(now: datetime, *, months: int = 24) -> datetime:
    """The moment before which records are deleted: ``months`` back (12 at least), but never
    later than the start of last year (all of the year before last must be gone)."""
    if months < 12:
        raise ValueError("the protocol is kept at least 12 months (§ 40 BMG)")
    local = now.astimezone(ZEITZONE)
    year, month = local.year, local.month - months
    while month < 1:
        month += 12
        year -= 1
    by_age = local.replace(
        year=year, month=month, day=min(local.day, calendar.monthrange(year, month)[1])
    )
    start_of_last_year = local.replace(
        year=local.year - 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    return max(by_age, start_of_last_year).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    cutoff: datetime
    records_deleted: int
    purged_until: int
    keys_destroyed: int
    answers_deleted: int


def purge(
    engine: Engine, *, protocol_key: bytes, reader: str, now: datetime, months: int = 24
) -> PurgeReport:
    """Delete what the retention rules say is due (see the module docstring)."""
    limit = cutoff(now, months=months)
    log = ProtocolLog(engine, record_key=protocol_key)
    log.sequence_all()
    deleted = answers = keys = 0
    with engine.begin() as conn:
        state = conn.execute(select(log_state).where(log_state.c.id == 1)).mappings().one()
        keep_from = conn.execute(
            select(func.min(records.c.log_index)).where(
                records.c.log_index.is_not(None), records.c.received_at >= limit
            )
        ).scalar()
        until = int(state["size"]) if keep_from is None else int(keep_from)
        until = max(until, int(state["purged_until"]))
        while True:
            ids = list(
                conn.execute(
                    select(records.c.record_id).where(records.c.log_index < until).limit(_BATCH)
                ).scalars()
            )
            if not ids:
                break
            conn.execute(delete(outbox).where(outbox.c.record_id.in_(ids)))
            answers += int(
                conn.execute(delete(payloads).where(payloads.c.record_id.in_(ids))).rowcount or 0
            )
            answers += int(
                conn.execute(
                    delete(sealed_records).where(sealed_records.c.record_id.in_(ids))
                ).rowcount
                or 0
            )
            deleted += int(
                conn.execute(delete(records).where(records.c.record_id.in_(ids))).rowcount or 0
            )
        keys, shredded = PayloadStore.shred_in(
            conn, periods_before=str(stichtag(limit).year), at=now
        )
        answers += shredded
        conn.execute(
            update(log_state)
            .where(log_state.c.id == 1)
            .values(purged_until=until, purge_tag=purge_tag(protocol_key, until))
        )
        conn.execute(
            reads.insert().values(
                reader=reader,
                purpose="betrieb",
                accessed_at=now,
                query={
                    "purge": {
                        "cutoff": limit.isoformat(),
                        "records_deleted": deleted,
                        "purged_until": until,
                        "keys_destroyed": keys,
                    }
                },
                record_ids=[],
            )
        )
    return PurgeReport(limit, deleted, until, keys, answers)
