"""Simulated § 40 traffic in a real protocol store, for the tests of the findings store, the
continuous evaluation and the ``anomalies`` commands (fixtures/misuse: labelled misuse among
ordinary traffic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from datenspiegel.access.model import Authority, User
from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore, _record_row

__all__ = ["Clock", "as_registry_user", "load_records"]

_BATCH = 5000


def load_records(store: ProtocolStore, records: Sequence[ProtocolRecord]) -> int:
    """Put ``records`` into the store in bulk, in the store's own row form (appending 17 000
    records one durable commit each would take the suite's time; ``append_to_store`` is that
    path, tested in tests/test_anomaly_source.py)."""
    for start in range(0, len(records), _BATCH):
        rows = [_record_row(r, store.record_key) for r in records[start : start + _BATCH]]
        with store.engine.begin() as conn:
            conn.execute(records_table.insert(), rows)
    return len(records)


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def as_registry_user(
    records: Sequence[ProtocolRecord], *, authority: Authority, user: User
) -> list[ProtocolRecord]:
    """Simulated records as retrievals of a user of the access registry (letters and blocks
    need its address, administrator and block state)."""
    return [
        replace(
            r,
            authority_id=authority.id,
            authority_kennung=authority.kennung,
            authority_name=authority.name,
            user_id=user.id,
            user_kennung=r.user_kennung if r.user_kennung is None else user.kennung,
            sicherheitsbehoerde=authority.ist_sicherheitsbehoerde,
        )
        for r in records
    ]
