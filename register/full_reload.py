"""Full reload: a complete register stock loaded at bulk speed and swapped in at once.

A full load replaces the whole register (every municipality) with the stock of one file, while
the service goes on answering from the register it has:

- the lines are decoded, checked and keyed by a pool of processes
  (:mod:`~datenspiegel.register.bulk_pipeline`);
- PostgreSQL (:mod:`~datenspiegel.register.reload_postgres`): ``COPY`` into new tables beside
  the served ones, then primary keys, indexes and foreign keys built once on the full tables,
  statistics taken, and the new tables renamed into place in one short transaction;
- SQLite (:mod:`~datenspiegel.register.reload_sqlite`): one write transaction that drops and
  refills the tables (prepared ``executemany``, secondary indexes built after the rows, bulk
  PRAGMAs for the duration); readers (WAL) keep seeing the previous register until its commit.

Either way a search sees the old register or the new one, never a half-loaded one. In the same
transaction as the swap, every street of the stock is added to the municipalities' directories
(never removing one, register/strassen.py) and each municipality's delivery is logged (Nds.
NMeldVO § 23: municipality, time, message kind, number of records).

Every record of a full load must carry its id (deliveries refer to records by it), and no id
may occur twice: a stock names each record once. A bad line stops the load before the swap,
naming the line; nothing the service reads has changed then.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from datenspiegel.register.bulk_chunks import EncodedChunk, RowFormat
from datenspiegel.register.bulk_pipeline import encoded_chunks
from datenspiegel.register.reports import FullLoadReport
from datenspiegel.register.schema import import_log_table, person_table
from datenspiegel.register.strassen import Strasse, record_strassen

__all__ = ["LoadTotals", "full_reload"]

Progress = Callable[[int], None]


@dataclass(slots=True)
class LoadTotals:
    """What the chunks of a load added up to, and what the swap writes beside the rows."""

    records: int = 0
    per_ags: Counter[str] = field(default_factory=Counter)
    streets: dict[tuple[str, str], str] = field(default_factory=dict)
    seconds_index: float = 0.0
    seconds_swap: float = 0.0
    previous_records: int = 0

    def take(
        self, chunks: Iterable[EncodedChunk], progress: Progress | None
    ) -> Iterator[EncodedChunk]:
        """The chunks, in order, counted; a chunk with a bad line raises before it is used."""
        for chunk in chunks:
            chunk.raise_error()
            self.records += chunk.records
            self.per_ags.update(chunk.per_ags)
            for key, spelling in chunk.streets.items():
                self.streets.setdefault(key, spelling)
            if progress is not None:
                progress(chunk.records)
            yield chunk

    def count_previous(self, conn: Connection) -> None:
        """How many records the served register holds (in the swap, before it replaces them)."""
        self.previous_records = int(
            conn.execute(select(func.count()).select_from(person_table)).scalar() or 0
        )

    def write_beside(self, conn: Connection, *, source: str, kind: str) -> None:
        """Streets and delivery log, in the swap's transaction."""
        record_strassen(
            conn, (Strasse(ags, spelling) for (ags, _), spelling in self.streets.items())
        )
        if self.per_ags:
            received_at = datetime.now(UTC)
            conn.execute(
                import_log_table.insert(),
                [
                    {
                        "ags": ags,
                        "received_at": received_at,
                        "kind": kind,
                        "records": count,
                        "source": source,
                        "complete": True,
                    }
                    for ags, count in sorted(self.per_ags.items())
                ],
            )


def _builders(workers: int) -> int:
    """Connections that build the indexes of a PostgreSQL load at once: as many as the load
    has worker processes (the cores it was given), at least two, at most eight (well within
    the engine's pool of fifteen connections)."""
    return min(max(workers, 2), 8)


def full_reload(
    engine: Engine,
    lines: Iterable[str] | Path,
    *,
    source: str,
    kind: str,
    workers: int,
    progress: Progress | None = None,
    chunk_lines: int | None = None,
    chunk_bytes: int | None = None,
) -> FullLoadReport:
    """Replace the register behind ``engine`` by the records of ``lines`` (JSON Lines: a
    stream of lines, or a file that the worker processes read in byte ranges)."""
    started = time.monotonic()
    now = datetime.now(UTC)
    totals = LoadTotals()
    postgres = engine.dialect.name == "postgresql"
    if postgres:
        row_format, imported_at = RowFormat.COPY_TEXT, now.isoformat()
    else:
        processor = person_table.c.imported_at.type.bind_processor(engine.dialect)
        row_format = RowFormat.TUPLES
        imported_at = str(processor(now) if processor is not None else now.isoformat())
    options = {} if chunk_lines is None else {"chunk_lines": chunk_lines}
    if chunk_bytes is not None:
        options["chunk_bytes"] = chunk_bytes
    chunks = totals.take(
        encoded_chunks(
            lines, row_format=row_format, imported_at=imported_at, workers=workers, **options
        ),
        progress,
    )
    if postgres:
        from datenspiegel.register.reload_postgres import reload_postgres

        reload_postgres(
            engine, chunks, totals, source=source, kind=kind, builders=_builders(workers)
        )
    else:
        from datenspiegel.register.reload_sqlite import reload_sqlite

        reload_sqlite(engine, chunks, totals, source=source, kind=kind)
    seconds = time.monotonic() - started
    return FullLoadReport(
        source=source,
        kind=kind,
        records=totals.records,
        previous_records=totals.previous_records,
        per_ags=tuple(sorted(totals.per_ags.items())),
        streets=len(totals.streets),
        workers=workers,
        seconds_load=seconds - totals.seconds_index - totals.seconds_swap,
        seconds_index=totals.seconds_index,
        seconds_swap=totals.seconds_swap,
        seconds=seconds,
    )
