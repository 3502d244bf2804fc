"""The running service's continuous anomaly evaluation: what one run costs, what it sustains.

Issue 10, point 2 (findings within 60 s while the service runs): the evaluating worker runs
:class:`~datenspiegel.protocol.anomalies.continuous.ContinuousEvaluation` every
``anomalies.interval`` seconds. Each run claims the role, reads the shared watermark, counts the
last minutes for late records, reads the new records as a logged read, evaluates them and
stores findings and the new watermark in one transaction. Measured against a real store on
SQLite and PostgreSQL, with the misuse simulator's traffic (:mod:`datenspiegel.fixtures.misuse`)
put into the store in bulk and a clock moved through it:

- **per run** — runs of ``--interval`` simulated seconds each (a handful of records: the
  fixed cost of a run, which bounds how short the interval may be);
- **sustained** — runs of ``--batch-minutes`` simulated minutes each (hundreds of records a
  run): the records per second the loop keeps up with, reading and storing included;
- **cold start** — the first run: the baselines' daily counts and ``lookback`` (8 days) of
  records read to fill the detectors' windows (a worker taking over the role).

Run: ``python -m bench.anomalies_continuous [--users 1000] [--weeks 3] [--no-postgres]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from datenspiegel.fixtures.misuse import WARM_UP_DAYS, Simulation, simulate
from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.anomalies.continuous import Blocks, ContinuousEvaluation
from datenspiegel.protocol.anomalies.store import FindingStore
from datenspiegel.protocol.store import ProtocolStore, _record_row

__all__ = ["figures", "main", "run"]

NAME = "anomalies_continuous"
_BATCH = 5000
_SETTLE = 5.0


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def _database(backend: str, tmp: Path, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / f'{NAME}.sqlite'}"
    else:
        with fresh_schema(pg_url, prefix="bench_continuous") as url:
            yield url


def _runs(
    evaluation: ContinuousEvaluation, clock: _Clock, *, step: timedelta, until: datetime
) -> tuple[int, int, float]:
    """Runs of ``step`` until ``until``: (runs, records, seconds)."""
    runs = records = 0
    started = time.perf_counter()
    while clock.now < until:
        clock.now += step
        result = evaluation.run()
        assert result.evaluated, result.reason
        runs += 1
        records += result.records
    return runs, records, time.perf_counter() - started


def _backend(
    backend: str, url: str, simulation: Simulation, *, interval: float, batch_minutes: int
) -> dict[str, Any]:
    protocol = ProtocolStore(url)
    protocol.migrate()
    findings = FindingStore(url)
    try:
        records = simulation.records
        for start in range(0, len(records), _BATCH):
            rows = [_record_row(r, None) for r in records[start : start + _BATCH]]
            with protocol.engine.begin() as conn:
                conn.execute(records_table.insert(), rows)
        since = simulation.start + timedelta(days=WARM_UP_DAYS)
        findings.advance(since)
        clock = _Clock(since + timedelta(seconds=_SETTLE))
        evaluation = ContinuousEvaluation(
            protocol,
            findings,
            config=simulation.config(),
            clock=clock,
            settle=_SETTLE,
            blocks=lambda: Blocks(simulation.blocked_users, simulation.blocked_authorities),
        )
        started = time.perf_counter()
        clock.now += timedelta(seconds=interval)
        cold = evaluation.run()
        cold_s = time.perf_counter() - started
        # per run: a working day's morning in interval steps
        morning = since + timedelta(hours=8)
        clock.now = morning - timedelta(seconds=interval)
        evaluation.run()  # catch up to the morning (not measured)
        short = _runs(
            evaluation,
            clock,
            step=timedelta(seconds=interval),
            until=morning + timedelta(hours=2),
        )
        # sustained: the rest of the simulation in batches
        long = _runs(
            evaluation,
            clock,
            step=timedelta(minutes=batch_minutes),
            until=simulation.end + timedelta(seconds=_SETTLE),
        )
        evaluation.close()
        stored = len(findings.list(limit=100_000))
    finally:
        findings.close()
        protocol.close()
    return {
        "backend": backend,
        "cold_start_seconds": cold_s,
        "cold_start_records_fed": cold.records,
        "short_runs": short[0],
        "short_records": short[1],
        "ms_per_short_run": short[2] / short[0] * 1000,
        "long_runs": long[0],
        "long_records": long[1],
        "sustained_per_s": long[1] / long[2],
        "ms_per_long_run": long[2] / long[0] * 1000,
        "findings": stored,
    }


def run(
    *,
    users: int = 1000,
    weeks: int = 3,
    interval: float = 10.0,
    batch_minutes: int = 60,
    pg_url: str | None = DEFAULT_PG_URL,
) -> dict[str, Any]:
    print(f"[{NAME}] simulating {weeks} weeks of about {users} users …", flush=True)
    simulation = simulate(weeks=weeks, users=users, seed=1)
    print(f"[{NAME}] {len(simulation.records)} records", flush=True)
    backends: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp_name:
        for backend in ("sqlite", "postgresql"):
            if backend == "postgresql":
                reason = "disabled" if pg_url is None else pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = reason
                    continue
            print(f"[{NAME}] {backend} …", flush=True)
            with _database(backend, Path(tmp_name), pg_url or "") as url:
                backends.append(
                    _backend(
                        backend,
                        url,
                        simulation,
                        interval=interval,
                        batch_minutes=batch_minutes,
                    )
                )
    print_table(
        f"Continuous anomaly evaluation ({len(simulation.records)} simulated records)",
        ["backend", "cold start", f"per run ({interval:g} s of traffic)", "sustained", "findings"],
        [
            (
                b["backend"],
                f"{b['cold_start_seconds']:.2f} s",
                f"{b['ms_per_short_run']:.1f} ms",
                f"{b['sustained_per_s']:.0f} rec/s",
                str(b["findings"]),
            )
            for b in backends
        ],
    )
    payload = {
        "parameters": {
            "users": users,
            "weeks": weeks,
            "interval": interval,
            "batch_minutes": batch_minutes,
        },
        "records": len(simulation.records),
        "backends": backends,
        "skipped": skipped,
    }
    print(f"  written {write_result(NAME, payload)}")
    return payload


def figures(result: dict[str, Any]) -> list[Figure]:
    out = []
    for b in result.get("backends", []):
        out.append(Figure(NAME, f"{b['backend']} sustained", round(b["sustained_per_s"]), "rec/s"))
        out.append(Figure(NAME, f"{b['backend']} per run", round(b["ms_per_short_run"], 1), "ms"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.anomalies_continuous", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=3)
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--batch-minutes", type=int, default=60)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    run(
        users=args.users,
        weeks=args.weeks,
        interval=args.interval,
        batch_minutes=args.batch_minutes,
        pg_url=None if args.no_postgres else args.pg_url,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
