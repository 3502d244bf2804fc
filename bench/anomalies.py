"""Anomaly detection: how many records per second the evaluation sustains.

Two figures (issue 10: "detection keeps up"): the pure engine (:class:`Evaluator` fed the
records of a misuse simulation, :mod:`datenspiegel.fixtures.misuse`), and reading the same
records back from a :class:`ProtocolStore` page by page as logged reads
(:func:`~datenspiegel.protocol.anomalies.read_records`) and evaluating them — on SQLite and on
PostgreSQL. The records are put into the store in bulk (the store's own row form, one
transaction per batch) since appending is not what is measured here (bench.protocol_log is).

Run: ``python -m bench.anomalies [--users 1000] [--weeks 4] [--store-records 50000]
[--no-postgres]``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from datenspiegel.fixtures.misuse import simulate
from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.anomalies import Evaluator, read_records
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore, _record_row

__all__ = ["figures", "main", "run"]

NAME = "anomalies"
_BATCH = 5000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _engine(records: Sequence[ProtocolRecord], simulation: Any) -> dict[str, Any]:
    evaluator = Evaluator(config=simulation.config(), context=simulation.context(), keep=False)
    started = time.perf_counter()
    found = 0
    for start in range(0, len(records), 1000):  # as the service would: batch after batch
        found += len(evaluator.feed(records[start : start + 1000]))
    seconds = time.perf_counter() - started
    return {
        "records": len(records),
        "seconds": seconds,
        "per_s": len(records) / seconds,
        "us_per_record": seconds / len(records) * 1e6,
        "findings_reported": found,
    }


@contextmanager
def _database(backend: str, tmp: Path, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'broker.sqlite'}"
    else:
        with fresh_schema(pg_url, prefix="bench_anomalies") as url:
            yield url


def _store(
    backend: str, url: str, records: Sequence[ProtocolRecord], simulation: Any
) -> dict[str, Any]:
    store = ProtocolStore(url)
    store.migrate()
    try:
        for start in range(0, len(records), _BATCH):
            rows = [_record_row(r, None) for r in records[start : start + _BATCH]]
            with store.engine.begin() as conn:
                conn.execute(records_table.insert(), rows)
        since = records[0].received_at
        started = time.perf_counter()
        read = sum(1 for _ in read_records(store, since=since, reader="bench"))
        read_s = time.perf_counter() - started
        evaluator = Evaluator(config=simulation.config(), context=simulation.context())
        started = time.perf_counter()
        evaluator.feed(read_records(store, since=since, reader="bench"))
        both_s = time.perf_counter() - started
    finally:
        store.dispose()
    return {
        "backend": backend,
        "records": read,
        "read_per_s": read / read_s,
        "read_and_evaluate_per_s": read / both_s,
    }


def run(
    *,
    users: int = 1000,
    weeks: int = 4,
    store_records: int = 50_000,
    pg_url: str | None = DEFAULT_PG_URL,
) -> dict[str, Any]:
    print(f"[{NAME}] simulating {weeks} weeks of about {users} users …", flush=True)
    started = time.perf_counter()
    simulation = simulate(weeks=weeks, users=users, seed=1)
    generated = time.perf_counter() - started
    records = simulation.records
    print(f"[{NAME}] {len(records)} records in {generated:.0f} s; evaluating …", flush=True)
    rss_before = _rss_mb()
    engine = _engine(records, simulation)
    engine["peak_rss_mb"] = _rss_mb()
    engine["rss_before_mb"] = rss_before
    backends = []
    skipped: dict[str, str] = {}
    subset = records[:store_records]
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp_name:
        for backend in ("sqlite", "postgresql"):
            if backend == "postgresql":
                reason = "disabled" if pg_url is None else pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = reason
                    continue
            print(f"[{NAME}] {len(subset)} records through {backend} …", flush=True)
            with _database(backend, Path(tmp_name), pg_url or "") as url:
                backends.append(_store(backend, url, subset, simulation))
    print_table(
        f"Anomaly detection ({len(records)} simulated records; records/s)",
        ["what", "records", "records/s", "µs/record"],
        [
            (
                "engine (pure, 12 detectors)",
                str(engine["records"]),
                f"{engine['per_s']:.0f}",
                f"{engine['us_per_record']:.1f}",
            ),
            *(
                (
                    f"{b['backend']}: read (logged pages)",
                    str(b["records"]),
                    f"{b['read_per_s']:.0f}",
                    f"{1e6 / b['read_per_s']:.1f}",
                )
                for b in backends
            ),
            *(
                (
                    f"{b['backend']}: read + evaluate",
                    str(b["records"]),
                    f"{b['read_and_evaluate_per_s']:.0f}",
                    f"{1e6 / b['read_and_evaluate_per_s']:.1f}",
                )
                for b in backends
            ),
        ],
    )
    print(f"  peak RSS {engine['peak_rss_mb']:.0f} MB (before evaluating {rss_before:.0f} MB)")
    payload = {
        "parameters": {"users": users, "weeks": weeks, "store_records": store_records},
        "engine": engine,
        "backends": backends,
        "skipped": skipped,
        "generation_seconds": generated,
    }
    print(f"  written {write_result(NAME, payload)}")
    return payload


def figures(result: dict[str, Any]) -> list[Figure]:
    out = [Figure(NAME, "engine", round(result["engine"]["per_s"]), "rec/s")]
    for b in result.get("backends", []):
        out.append(
            Figure(
                NAME, f"{b['backend']} read+evaluate", round(b["read_and_evaluate_per_s"]), "rec/s"
            )
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.anomalies", description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--store-records", type=int, default=50_000)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    run(
        users=args.users,
        weeks=args.weeks,
        store_records=args.store_records,
        pg_url=None if args.no_postgres else args.pg_url,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
