"""Bulk import (issue 11): persons/s of a full load into PostgreSQL and SQLite, and search after.

Steps, each timed on its own:

1. **generate** N synthetic persons (``fixtures.generator``, deterministic by seed) into a JSON
   Lines file — kept under ``--work-dir`` and reused by later runs with the same N and seed;
2. **full load** of that file per back-end (``RegisterStore.full_reload``: a process pool
   decodes, checks and keys the records; PostgreSQL ``COPY`` into new tables + indexes built
   after + rename swap; SQLite one transaction + indexes after) — persons/s over the whole
   load, and its phases (rows, indexes, swap);
3. **Personensuche** at that size: every documented test case (exact; their hits compared with
   the documented ones — a fast wrong answer is an error, not a figure) and each of them again
   as a phonetic search (timed only), p50/p99.

Run: ``python -m bench.register_import --persons 1000000 [--backends postgresql,sqlite]
[--workers 2] [--work-dir /var/tmp/bench]``. A file of 10 million persons is about 13 GB, the
PostgreSQL register about 2.5 GB per million persons.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable, schema_size_bytes
from bench.report import Figure, print_table, write_result
from bench.stats import summarise
from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import TEST_CASES, TEST_PERSONS
from datenspiegel.register.bulk_pipeline import default_workers
from datenspiegel.register.jsonl import dumps_person
from datenspiegel.register.store import RegisterStore

__all__ = ["BACKENDS", "figures", "generate_file", "main", "problems", "run"]

NAME = "register_import"
BACKENDS = ("postgresql", "sqlite")


def generate_file(path: Path, *, persons: int, seed: int, progress: bool) -> float:
    """Write the test persons and ``persons`` synthetic ones to ``path``; return the seconds
    (0 when the file of a finished earlier run is reused)."""
    if path.exists():
        return 0.0
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with partial.open("w", encoding="utf-8", newline="\n") as stream:
        people = generate_persons(seed=seed, count=persons)
        if progress:
            people = iter(tqdm(people, desc="generate", unit=" persons", mininterval=2))
        for person in people:
            stream.write(dumps_person(person))
            stream.write("\n")
    partial.rename(path)
    return time.perf_counter() - started


def _cpu_seconds() -> float:
    """CPU of this process and of its finished children (the load's worker pool is joined
    before ``full_reload`` returns)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _remove_sqlite(database: Path) -> None:
    for path in database.parent.glob(database.name + "*"):
        path.unlink()


def _search(store: RegisterStore, *, rounds: int) -> dict[str, Any]:
    exact: list[float] = []
    phonetic: list[float] = []
    wrong: list[str] = []
    phonetic_queries = [dataclasses.replace(case.query, phonetisch=True) for case in TEST_CASES]
    clock = time.perf_counter
    for case in TEST_CASES:  # warm caches and statement cache, as a running broker has them
        store.search_personen(case.query)
    for query in phonetic_queries:
        store.search_personen(query)
    for _ in range(rounds):
        for case in TEST_CASES:
            started = clock()
            found = store.search_personen(case.query)
            exact.append(clock() - started)
            ids = tuple(p.id for p in found)
            if ids != case.treffer:
                wrong.append(f"{case.kennung}: found {ids}, documented {case.treffer}")
        for query in phonetic_queries:
            started = clock()
            store.search_personen(query)
            phonetic.append(clock() - started)
    return {
        "exact": summarise(exact).as_dict(),
        "phonetic": summarise(phonetic).as_dict(),
        "wrong_results": sorted(set(wrong)),
    }


def _one_backend(
    backend: str, url: str, *, path: Path, workers: int, rounds: int, progress: bool
) -> dict[str, Any]:
    store = RegisterStore(url)
    try:
        store.migrate()
        bar = tqdm(desc=f"load {backend}", unit=" persons", mininterval=2) if progress else None
        cpu_before = _cpu_seconds()
        report = store.full_reload(
            path,  # the workers read it (what `register import FILE --full` does)
            source=path.name,
            kind="bench",
            workers=workers,
            progress=bar.update if bar is not None else None,
        )
        cpu_load = _cpu_seconds() - cpu_before
        if bar is not None:
            bar.close()
        if backend == "postgresql":
            size = schema_size_bytes(url)
        else:
            with store.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            database = Path(url.removeprefix("sqlite:///"))
            size = sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))
        search = _search(store, rounds=rounds)
    finally:
        store.close()
    return {
        "backend": backend,
        "persons": report.records,
        "workers": report.workers,
        "seconds": round(report.seconds, 2),
        "seconds_rows": round(report.seconds_load, 2),
        "seconds_index": round(report.seconds_index, 2),
        "seconds_swap": round(report.seconds_swap, 3),
        "persons_per_second": round(report.persons_per_second, 1),
        "persons_per_second_rows": round(report.records / report.seconds_load, 1),
        # Python's CPU (this process and the pool's workers; the database's own is not in it)
        "cpu_seconds_python": round(cpu_load, 1),
        "cpu_us_per_person_python": round(cpu_load * 1e6 / max(report.records, 1), 1),
        "load_average": os.getloadavg(),
        "database_bytes": size,
        "search": search,
    }


def run(
    *,
    persons: int,
    backends: Sequence[str] = BACKENDS,
    seed: int = 1,
    workers: int | None = None,
    rounds: int = 20,
    pg_url: str = DEFAULT_PG_URL,
    work_dir: Path | None = None,
    keep_file: bool = True,
    progress: bool = True,
) -> dict[str, Any]:
    workers = default_workers() if workers is None else workers
    results: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with ExitStack() as stack:
        base = work_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="datenspiegel-bench-"))
        )
        base.mkdir(parents=True, exist_ok=True)
        path = base / f"persons-{persons}-seed{seed}.jsonl"
        print(f"[register_import] generating {persons} persons into {path} …", flush=True)
        generated = generate_file(path, persons=persons, seed=seed, progress=progress)
        for backend in backends:
            if backend == "sqlite":
                database = base / f"register-import-{persons}.sqlite"
                for old in base.glob(database.name + "*"):
                    old.unlink()
                url = f"sqlite:///{database}"
                stack.callback(_remove_sqlite, database)
            else:
                reason = pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = f"not reachable: {reason}"
                    continue
                url = stack.enter_context(fresh_schema(pg_url))
            print(f"[register_import] full load into {backend}, {workers} workers …", flush=True)
            results.append(
                _one_backend(
                    backend, url, path=path, workers=workers, rounds=rounds, progress=progress
                )
            )
        if not keep_file and work_dir is not None:
            path.unlink()
    total = persons + len(TEST_PERSONS)
    rows = [
        (
            r["backend"],
            r["persons"],
            r["workers"],
            r["persons_per_second"],
            r["persons_per_second_rows"],
            r["cpu_us_per_person_python"],
            f"{r['seconds_rows']} / {r['seconds_index']} / {r['seconds_swap']}",
            round(r["database_bytes"] / 2**30, 2),
            f"{r['search']['exact']['median_ms']:.2f} / {r['search']['exact']['p99_ms']:.2f}",
            f"{r['search']['phonetic']['median_ms']:.2f} / {r['search']['phonetic']['p99_ms']:.2f}",
            len(r["search"]["wrong_results"]),
        )
        for r in results
    ]
    print_table(
        "Bulk import (full load) and Personensuche at that size",
        (
            "backend",
            "persons",
            "workers",
            "persons/s",
            "rows phase /s",
            "Python CPU µs/person",
            "s rows / index / swap",
            "DB GiB",
            "exact p50 / p99 ms",
            "phonetic p50 / p99 ms",
            "wrong",
        ),
        rows,
    )
    if generated:
        print(f"  generated {total} persons in {generated:.1f} s ({total / generated:.0f}/s)")
    for backend, reason in skipped.items():
        print(f"  {backend}: skipped, {reason}")
    for r in results:
        for wrong in r["search"]["wrong_results"]:
            print(f"  WRONG RESULT ({r['backend']}): {wrong}")
    result = {
        "parameters": {"persons": persons, "seed": seed, "workers": workers, "rounds": rounds},
        "generate_seconds": round(generated, 1) if generated else None,
        "generate_persons_per_second": round(total / generated, 1) if generated else None,
        "backends": results,
        "skipped": skipped,
    }
    written = write_result(NAME, result)
    print(f"  written {written}")
    return result


def figures(result: dict[str, Any]) -> list[Figure]:
    out: list[Figure] = []
    for r in result["backends"]:
        b = r["backend"]
        out += [
            Figure(
                NAME,
                f"full load ({b}, {r['persons']:,} persons)",
                r["persons_per_second"],
                "persons/s",
            ),
            Figure(NAME, f"exact search p50 ({b})", r["search"]["exact"]["median_ms"], "ms"),
            Figure(NAME, f"exact search p99 ({b})", r["search"]["exact"]["p99_ms"], "ms"),
            Figure(NAME, f"phonetic search p50 ({b})", r["search"]["phonetic"]["median_ms"], "ms"),
            Figure(NAME, f"phonetic search p99 ({b})", r["search"]["phonetic"]["p99_ms"], "ms"),
        ]
    return out


def problems(result: dict[str, Any]) -> list[str]:
    return [
        f"{r['backend']}: {wrong}"
        for r in result["backends"]
        for wrong in r["search"]["wrong_results"]
    ]


def _backends(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names or any(name not in BACKENDS for name in names):
        raise argparse.ArgumentTypeError(f"back-ends are {', '.join(BACKENDS)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.register_import",
        description="Full-load rate (persons/s) and Personensuche latency at N persons.",
    )
    parser.add_argument("--persons", type=int, default=100_000, help="synthetic persons")
    parser.add_argument("--backends", type=_backends, default=list(BACKENDS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--rounds", type=int, default=20, help="searches of every case")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument(
        "--work-dir", type=Path, help="keeps the generated file for later runs (default: temp)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.persons < 0:
        parser.error("--persons must not be negative")
    result = run(
        persons=args.persons,
        backends=args.backends,
        seed=args.seed,
        workers=args.workers,
        rounds=args.rounds,
        pg_url=args.pg_url,
        work_dir=args.work_dir,
        progress=not args.quiet,
    )
    return 1 if problems(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
