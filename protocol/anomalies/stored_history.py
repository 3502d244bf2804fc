"""Daily volumes of users and authorities from the database, without reading the records.

The baselines (a user's normal volume, an authority's normal hours; :mod:`~datenspiegel.
protocol.anomalies.history`) need four weeks of history. Reading four weeks of records for
it would cost the running service and ``anomalies scan`` far more than the evaluation itself,
so the database counts: records per user, authority and UTC hour, replays excluded. Each UTC
hour is one :class:`~datenspiegel.protocol.anomalies.clock.Slot` (Europe/Berlin offsets and
the night's limits are whole hours), so the figures are exactly those :func:`~datenspiegel.
protocol.anomalies.history.daily_history` computes from the records (tested).

The counts are activity of named users: the query is a read of the § 40 protocol for
data-protection control and is logged like one (reader, purpose, the period; no record ids,
since no record is read). Metadata only — also for security authorities (§ 40 Abs. 3 BMG).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import Label

from datenspiegel.protocol._schema import records
from datenspiegel.protocol.anomalies.clock import HolidayCalendar, LocalClock
from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import DayVolume
from datenspiegel.protocol.errors import ProtocolUnavailable
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome
from datenspiegel.protocol.store import ProtocolStore

__all__ = ["stored_history"]

_HOUR = {
    "sqlite": "CAST(strftime('%s', protocol_record.received_at) AS INTEGER) / 3600",
    "postgresql": "CAST(floor(extract(epoch from protocol_record.received_at) / 3600) AS BIGINT)",
}


def stored_history(
    store: ProtocolStore,
    *,
    since: datetime,
    until: datetime,
    reader: str,
    config: AnomalyConfig | None = None,
    calendar: HolidayCalendar | None = None,
    context: Mapping[str, Any] | None = None,
) -> dict[str, dict[date, DayVolume]]:
    """Per user and authority (their ``Subject.key``) and local day, the records received in
    ``[since, until)`` and how many of them off-hours — as ``daily_history`` of those records
    gives them; the query is logged as a read by ``reader``."""
    config = config or AnomalyConfig()
    clock = LocalClock(
        timezone=config.timezone,
        night_start_hour=config.night_start_hour,
        night_end_hour=config.night_end_hour,
        calendar=calendar,
    )
    engine = store.engine
    hour: Label[Any] = literal_column(_HOUR[engine.dialect.name]).label("hour")
    # a security authority's metadata-only record has no user id, its user a pseudonym
    pseudonym = case((records.c.user_id.is_(None), records.c.user_kennung)).label("pseudonym")
    query = (
        select(
            records.c.authority_id,
            records.c.authority_kennung,
            records.c.user_id,
            pseudonym,
            hour,
            func.count().label("n"),
        )
        .where(
            records.c.received_at >= since,
            records.c.received_at < until,
            records.c.outcome != Outcome.DUPLICATE.value,
        )
        .group_by(
            records.c.authority_id, records.c.authority_kennung, records.c.user_id, pseudonym, hour
        )
    )
    try:
        with engine.begin() as conn:
            rows = conn.execute(query).all()
            store.log_read_in(
                conn,
                reader=reader,
                purpose=ReadPurpose.DATENSCHUTZKONTROLLE,
                query={
                    "aggregate": "records per user and authority and hour (anomaly baselines)",
                    "since": since.isoformat(),
                    "until": until.isoformat(),
                    **({"context": dict(context)} if context else {}),
                },
                record_ids=[],
            )
    except SQLAlchemyError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ProtocolUnavailable(
            f"protocol database: cannot count daily volumes: {first}"
        ) from exc
    counts: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for authority_id, kennung, user_id, user_pseudonym, hour_key, n in rows:
        slot = clock.slot(int(hour_key) * 3600)
        off = n if slot.off_reason is not None else 0
        authority_key = (
            f"authority:{authority_id}"
            if authority_id is not None
            else (f"authority:{kennung}" if kennung else None)
        )
        user = user_id if user_id is not None else user_pseudonym
        user_key = None
        if user is not None:
            user_key = f"{authority_key}/user:{user}" if authority_key else f"user:{user}"
        for key in (user_key, authority_key):
            if key is not None:
                cell = counts[key][slot.day]
                cell[0] += n
                cell[1] += off
    return {
        key: {day: DayVolume(n, off) for day, (n, off) in sorted(days.items())}
        for key, days in counts.items()
    }
