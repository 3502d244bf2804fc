"""Records of a period from the :class:`ProtocolStore`, page by page, as logged reads.

Reviewing the protocol for misuse is data-protection control (§ 40 BMG; DOMAIN.md § 6: "every
read of the protocol is itself recorded"): each page is one
:meth:`ProtocolStore.records <datenspiegel.protocol.store.ProtocolStore.records>` read under
the reader's name and purpose, so the read log names every record the detectors saw.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from datenspiegel.protocol.anomalies.errors import AnomalyError
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore

__all__ = ["read_records"]

_MAX_PAGE = 100_000


def read_records(
    store: ProtocolStore,
    *,
    since: datetime,
    until: datetime | None = None,
    reader: str,
    purpose: ReadPurpose = ReadPurpose.DATENSCHUTZKONTROLLE,
    page: int = 10_000,
    context: Mapping[str, Any] | None = None,
) -> Iterator[ProtocolRecord]:
    """Records received in ``[since, until)``, oldest first, each once — also when many
    share one ``received_at`` across a page boundary."""
    start = since
    seen_at_start: set[str] = set()
    while True:
        batch = store.records(
            reader=reader,
            purpose=purpose,
            since=start,
            until=until,
            limit=page,
            context=context,
        )
        fresh = [r for r in batch if r.record_id not in seen_at_start]
        yield from fresh
        if len(batch) < page:
            return
        last = batch[-1].received_at
        if last == start and not fresh:
            # a whole page of one instant, all seen: widen the page (the store's maximum is
            # 100 000 records a read; more records of one microsecond do not occur)
            if page >= _MAX_PAGE:
                raise AnomalyError(f"more than {_MAX_PAGE} records received at {last}")
            page = min(page * 2, _MAX_PAGE)
            continue
        if last != start:
            seen_at_start = set()
        start = last
        seen_at_start |= {r.record_id for r in batch if r.received_at == last}
