"""Register at scale: generate and import N persons, database size, search latency at that size.

The synthetic generator streams households (constant memory however many persons are asked
for); ``RegisterStore.import_persons`` writes them in batches, one transaction each. The time
spent inside the generator is taken apart from the import, so the figures say how fast the
*store* imports. Afterwards every documented test case (``fixtures.testpersons.TEST_CASES``)
is searched repeatedly and its hits compared with the documented ones: a fast wrong answer is
reported as an error, not as a figure.

Run: ``python -m bench.register_scale [--persons 100000] [--backends sqlite,postgresql]``;
``--persons 2000000`` and more work (about 2.3 GB of SQLite per million persons).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable, schema_size_bytes
from bench.report import Figure, print_table, write_result
from bench.stats import percentile, summarise
from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.register.model import Person
from datenspiegel.register.store import RegisterStore

__all__ = ["BACKENDS", "add_arguments", "figures", "main", "problems", "run"]

NAME = "register_scale"
BACKENDS = ("sqlite", "postgresql")


class _TimedGenerator:
    """Iterates the generator and adds up the time spent inside it."""

    def __init__(self, persons: Iterator[Person]) -> None:
        self._persons = persons
        self.seconds = 0.0

    def __iter__(self) -> Iterator[Person]:
        clock = time.perf_counter
        while True:
            started = clock()
            try:
                person = next(self._persons)
            except StopIteration:
                self.seconds += clock() - started
                return
            self.seconds += clock() - started
            yield person


def _sqlite_size(path: Path, store: RegisterStore) -> int:
    # Fold the WAL into the main file first, so the size is that of the database itself.
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _search(
    store: RegisterStore, *, rounds: int
) -> tuple[list[float], dict[str, float], list[str]]:
    """All samples, the median per test case (ms) and the cases with undocumented hits."""
    per_case: dict[str, list[float]] = {case.kennung: [] for case in TEST_CASES}
    wrong: list[str] = []
    clock = time.perf_counter
    for case in TEST_CASES:  # warm the caches the way a running broker has them warm
        store.search_personen(case.query)
    for _ in range(rounds):
        for case in TEST_CASES:
            started = clock()
            found = store.search_personen(case.query)
            per_case[case.kennung].append(clock() - started)
            ids = tuple(p.id for p in found)
            if ids != case.treffer:
                wrong.append(f"{case.kennung}: found {ids}, documented {case.treffer}")
    samples = [value for values in per_case.values() for value in values]
    medians = {
        kennung: round(percentile(sorted(values), 0.5) * 1000, 4)
        for kennung, values in per_case.items()
    }
    return samples, medians, sorted(set(wrong))


def _one_backend(
    backend: str,
    url: str,
    *,
    persons: int,
    seed: int,
    rounds: int,
    batch_size: int,
    progress: bool,
    sqlite_path: Path | None,
) -> dict[str, Any]:
    store = RegisterStore(url, batch_size=batch_size)
    try:
        store.migrate()
        generator = _TimedGenerator(generate_persons(seed=seed, count=persons))
        started = time.perf_counter()
        report = store.import_persons(
            generator, source=f"bench seed {seed}", kind="bench", progress=progress
        )
        seconds = time.perf_counter() - started
        import_seconds = max(seconds - generator.seconds, 1e-9)
        size = (
            _sqlite_size(sqlite_path, store) if sqlite_path is not None else schema_size_bytes(url)
        )
        cold, cold_cases, cold_wrong = _search(store, rounds=rounds)
        analysed = None
        analysed_cases: dict[str, float] = {}
        if backend == "postgresql":
            # Right after a bulk load PostgreSQL has no statistics until autovacuum runs;
            # measured both ways so a plan problem shows instead of hiding in the average.
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            analysed, analysed_cases, analysed_wrong = _search(store, rounds=rounds)
            cold_wrong += analysed_wrong
        stats = store.stats()
    finally:
        store.close()
    cold_t = summarise(cold)
    result: dict[str, Any] = {
        "backend": backend,
        "persons": report.records,
        "addresses": stats.addresses,
        "seconds_total": round(seconds, 2),
        "seconds_generator": round(generator.seconds, 2),
        "seconds_import": round(import_seconds, 2),
        "persons_per_second_total": round(report.records / seconds, 1),
        "persons_per_second_import": round(report.records / import_seconds, 1),
        "database_bytes": size,
        "bytes_per_person": round(size / max(report.records, 1), 1),
        "search": cold_t.as_dict(),
        "search_after_analyze": summarise(analysed).as_dict() if analysed else None,
        "search_median_ms_per_case": cold_cases,
        "search_median_ms_per_case_after_analyze": analysed_cases or None,
        "search_cases": len(TEST_CASES),
        "search_rounds": rounds,
        "wrong_results": cold_wrong,
    }
    return result


def run(
    *,
    persons: int = 100_000,
    backends: Sequence[str] = BACKENDS,
    seed: int = 1,
    rounds: int = 20,
    batch_size: int = 5000,
    pg_url: str = DEFAULT_PG_URL,
    work_dir: Path | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with ExitStack() as stack:
        base = work_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="datenspiegel-bench-"))
        )
        for backend in backends:
            if backend == "sqlite":
                path = base / f"register-{persons}.sqlite"
                for old in base.glob(path.name + "*"):
                    old.unlink()
                url, sqlite_path = f"sqlite:///{path}", path
            else:
                reason = pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = f"not reachable: {reason}"
                    continue
                url = stack.enter_context(fresh_schema(pg_url))
                sqlite_path = None
            print(f"[register_scale] {persons} persons into {backend} …", flush=True)
            results.append(
                _one_backend(
                    backend,
                    url,
                    persons=persons,
                    seed=seed,
                    rounds=rounds,
                    batch_size=batch_size,
                    progress=progress,
                    sqlite_path=sqlite_path,
                )
            )
    rows = []
    for r in results:
        after = r["search_after_analyze"]
        rows.append(
            (
                r["backend"],
                r["persons"],
                r["persons_per_second_total"],
                r["persons_per_second_import"],
                round(r["database_bytes"] / 2**20, 1),
                r["bytes_per_person"],
                r["search"]["median_ms"],
                r["search"]["p95_ms"],
                f"{after['median_ms']:.2f} / {after['p95_ms']:.2f}" if after else "-",
                len(r["wrong_results"]),
            )
        )
    print_table(
        f"Register at scale (generate + import; search = {len(TEST_CASES)} test cases, ms)",
        (
            "backend",
            "persons",
            "pers/s total",
            "pers/s import",
            "DB MiB",
            "B/person",
            "search med",
            "search p95",
            "after ANALYZE",
            "wrong",
        ),
        rows,
    )
    for backend, reason in skipped.items():
        print(f"  {backend}: skipped, {reason}")
    for r in results:
        slowest = sorted(r["search_median_ms_per_case"].items(), key=lambda kv: -kv[1])[:4]
        print(
            f"  slowest cases ({r['backend']}): "
            + ", ".join(f"{kennung} {ms:.2f} ms" for kennung, ms in slowest)
        )
    for r in results:
        for wrong in r["wrong_results"]:
            print(f"  WRONG RESULT ({r['backend']}): {wrong}")
    result = {
        "parameters": {
            "persons": persons,
            "seed": seed,
            "rounds": rounds,
            "batch_size": batch_size,
        },
        "backends": results,
        "skipped": skipped,
    }
    path = write_result(NAME, result)
    print(f"  written {path}")
    return result


def figures(result: dict[str, Any]) -> list[Figure]:
    out: list[Figure] = []
    for r in result["backends"]:
        b = r["backend"]
        out += [
            Figure(
                NAME,
                f"import rate incl. generator ({b}, {r['persons']:,} persons)",
                r["persons_per_second_total"],
                "persons/s",
            ),
            Figure(
                NAME, f"import rate store only ({b})", r["persons_per_second_import"], "persons/s"
            ),
            Figure(NAME, f"database size ({b})", round(r["database_bytes"] / 2**20, 1), "MiB"),
            Figure(NAME, f"search median ({b})", r["search"]["median_ms"], "ms"),
            Figure(NAME, f"search p95 ({b})", r["search"]["p95_ms"], "ms"),
            Figure(NAME, f"wrong search results ({b})", len(r["wrong_results"]), ""),
        ]
    return out


def problems(result: dict[str, Any]) -> list[str]:
    """Searches that did not find the documented hits."""
    return [f"{r['backend']}: {wrong}" for r in result["backends"] for wrong in r["wrong_results"]]


def _backends(text_value: str) -> list[str]:
    values = [v.strip() for v in text_value.split(",") if v.strip()]
    unknown = [v for v in values if v not in BACKENDS]
    if unknown or not values:
        raise argparse.ArgumentTypeError(f"back-ends are {', '.join(BACKENDS)}")
    return values


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--persons",
        type=int,
        default=100_000,
        help="random persons to generate (default 100000; millions work)",
    )
    parser.add_argument(
        "--backends",
        type=_backends,
        default=list(BACKENDS),
        help="comma-separated: sqlite,postgresql (default both; PostgreSQL "
        "is skipped when unreachable)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--rounds", type=int, default=20, help="searches of every test case (default 20)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=5000, help="persons per import transaction (default 5000)"
    )
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (default %(default)s)"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="where the SQLite file goes (default: a temporary directory, removed afterwards)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.register_scale",
        description="Import rate, database size and search latency of the register at scale.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.persons < 0:
        parser.error("--persons must not be negative")
    result = run(
        persons=args.persons,
        backends=args.backends,
        seed=args.seed,
        rounds=args.rounds,
        batch_size=args.batch_size,
        pg_url=args.pg_url,
        work_dir=args.work_dir,
        progress=not args.quiet,
    )
    return 1 if problems(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
