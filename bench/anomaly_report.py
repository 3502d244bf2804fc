"""The anomaly report: how long a period of a million records takes (issue 10, point 4).

Three figures: the pure :class:`~datenspiegel.protocol.anomalies.report.ReportBuilder`
counting records (the misuse simulator's traffic, :mod:`datenspiegel.fixtures.misuse`, fed
``--repeat`` times over to reach a million — counting costs the same per record whatever the
record), then building the report and writing it as HTML and JSON; and reading records back
from a :class:`ProtocolStore` page by page as logged reads
(:func:`~datenspiegel.protocol.anomalies.read_records`) into the builder, on SQLite and on
PostgreSQL — what ``datenspiegel anomalies report`` spends its time on. The records are put
into the store in bulk (the store's own row form), as bench.anomalies does.

Run: ``python -m bench.anomaly_report [--users 1000] [--weeks 4] [--repeat 4]
[--store-records 50000] [--no-postgres]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from datenspiegel.fixtures.misuse import Simulation, simulate
from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.anomalies import evaluate, read_records
from datenspiegel.protocol.anomalies.report import ReportBuilder, period_of_days
from datenspiegel.protocol.anomalies.report_html import render_html
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore, _record_row

__all__ = ["figures", "main", "run"]

NAME = "anomaly_report"
_BATCH = 5000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _builder(simulation: Simulation) -> ReportBuilder:
    """A builder for the simulation's whole span (its first day to its last)."""
    first = simulation.start.date()
    last = (simulation.end - timedelta(seconds=1)).date()
    return ReportBuilder(period_of_days(first, last))


def _pure(simulation: Simulation, repeat: int) -> dict[str, Any]:
    records = simulation.records
    findings = evaluate(records, context=simulation.context(), config=simulation.config())
    builder = _builder(simulation)
    rss_before = _rss_mb()
    started = time.perf_counter()
    for _ in range(repeat):
        builder.add_all(records)
    counted = time.perf_counter() - started
    started = time.perf_counter()
    report = builder.build(
        findings,
        reader="bench",
        purpose="datenschutzkontrolle",
        generated_at=datetime.now(UTC),
        findings_source="evaluated (bench)",
    )
    built = time.perf_counter() - started
    started = time.perf_counter()
    page = render_html(report)
    rendered = time.perf_counter() - started
    started = time.perf_counter()
    data = json.dumps(report.as_json(), ensure_ascii=False)
    jsoned = time.perf_counter() - started
    fed = len(records) * repeat
    return {
        "records": fed,
        "count_seconds": counted,
        "count_per_s": fed / counted,
        "us_per_record": counted / fed * 1e6,
        "build_seconds": built,
        "html_seconds": rendered,
        "html_bytes": len(page.encode("utf-8")),
        "json_seconds": jsoned,
        "json_bytes": len(data.encode("utf-8")),
        "authorities": len(report.authorities),
        "charted": report.charted,
        "findings": len(report.findings),
        "rss_growth_mb": _rss_mb() - rss_before,
    }


@contextmanager
def _database(backend: str, tmp: Path, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'broker.sqlite'}"
    else:
        with fresh_schema(pg_url, prefix="bench_report") as url:
            yield url


def _store(
    backend: str, url: str, records: Sequence[ProtocolRecord], simulation: Simulation
) -> dict[str, Any]:
    store = ProtocolStore(url)
    store.migrate()
    try:
        for start in range(0, len(records), _BATCH):
            rows = [_record_row(r, None) for r in records[start : start + _BATCH]]
            with store.engine.begin() as conn:
                conn.execute(records_table.insert(), rows)
        builder = _builder(simulation)
        started = time.perf_counter()
        read = builder.add_all(
            read_records(
                store, since=builder.read_since, until=builder.period.until, reader="bench"
            )
        )
        seconds = time.perf_counter() - started
    finally:
        store.dispose()
    return {"backend": backend, "records": read, "read_and_count_per_s": read / seconds}


def run(
    *,
    users: int = 1000,
    weeks: int = 4,
    repeat: int = 4,
    store_records: int = 50_000,
    pg_url: str | None = DEFAULT_PG_URL,
) -> dict[str, Any]:
    print(f"[{NAME}] simulating {weeks} weeks of about {users} users …", flush=True)
    started = time.perf_counter()
    simulation = simulate(weeks=weeks, users=users, seed=1)
    generated = time.perf_counter() - started
    print(
        f"[{NAME}] {len(simulation.records)} records in {generated:.0f} s; counting them "
        f"{repeat} times …",
        flush=True,
    )
    pure = _pure(simulation, repeat)
    backends = []
    skipped: dict[str, str] = {}
    subset = simulation.records[:store_records]
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
        f"Anomaly report ({pure['records']} records counted: "
        f"{len(simulation.records)} simulated × {repeat})",
        ["what", "records", "seconds", "records/s"],
        [
            (
                "count (ReportBuilder.add)",
                str(pure["records"]),
                f"{pure['count_seconds']:.1f}",
                f"{pure['count_per_s']:.0f}",
            ),
            ("build ReportData", "", f"{pure['build_seconds']:.2f}", ""),
            (
                f"HTML ({pure['html_bytes'] / 1e6:.1f} MB, {pure['charted']} authorities charted)",
                "",
                f"{pure['html_seconds']:.2f}",
                "",
            ),
            (f"JSON ({pure['json_bytes'] / 1e6:.1f} MB)", "", f"{pure['json_seconds']:.2f}", ""),
            *(
                (
                    f"{b['backend']}: read (logged pages) + count",
                    str(b["records"]),
                    f"{b['records'] / b['read_and_count_per_s']:.1f}",
                    f"{b['read_and_count_per_s']:.0f}",
                )
                for b in backends
            ),
        ],
    )
    print(f"  memory grew by {pure['rss_growth_mb']:.0f} MB while counting and writing")
    payload = {
        "parameters": {
            "users": users,
            "weeks": weeks,
            "repeat": repeat,
            "store_records": store_records,
        },
        "simulated_records": len(simulation.records),
        "pure": pure,
        "backends": backends,
        "skipped": skipped,
        "generation_seconds": generated,
    }
    print(f"  written {write_result(NAME, payload)}")
    return payload


def figures(result: dict[str, Any]) -> list[Figure]:
    pure = result["pure"]
    out = [
        Figure(NAME, "count", round(pure["count_per_s"]), "rec/s"),
        Figure(NAME, "html", round(pure["html_seconds"], 2), "s"),
    ]
    for b in result.get("backends", []):
        out.append(
            Figure(NAME, f"{b['backend']} read+count", round(b["read_and_count_per_s"]), "rec/s")
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.anomaly_report", description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--store-records", type=int, default=50_000)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    run(
        users=args.users,
        weeks=args.weeks,
        repeat=args.repeat,
        store_records=args.store_records,
        pg_url=None if args.no_postgres else args.pg_url,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
