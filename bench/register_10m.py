"""A register of N persons (issue 11: ten million) built once into a named PostgreSQL schema
that is kept, so that :mod:`bench.register_queries` can measure searches against it again and
again without a 20-minute load before each run.

The persons come from the same generator as in :mod:`bench.register_import`
(``fixtures.generator``), but in ``--shards`` parallel streams: one Python process makes about
7 000 persons/s, so ten million in one stream take 24 minutes of one core before the load has
even begun. Shard 0 is ``generate_persons(seed, n / shards)`` exactly (with the documented test
persons); shard *k* continues with its own random stream (seeded ``"seed-k"``) and its own
range of ids (from ``1000 + k × 10⁸``), so the persons of all shards are distinct and the whole
is deterministic for (N, seed, shards). Each shard goes to its own JSON Lines file under
``--work-dir`` (kept: a later run reads them again instead of generating); the load reads the
shards in order *while* they are being written, so generation and load overlap.

Run: ``python -m bench.register_10m --persons 10000000 --schema bench10m
--work-dir /var/tmp/ds-bench [--workers 2] [--shards 4] [--replace]``. The schema is refused when it
already holds persons unless ``--replace`` is given (then the full reload replaces them, as it
would in the service).
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import random
import re
import resource
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from tqdm import tqdm

from bench.postgres import DEFAULT_PG_URL, schema_size_bytes
from bench.report import write_result
from datenspiegel.fixtures import generator
from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import FIRST_RANDOM_ID
from datenspiegel.register.bulk_pipeline import default_workers
from datenspiegel.register.jsonl import dumps_person
from datenspiegel.register.model import Person
from datenspiegel.register.store import RegisterStore

__all__ = [
    "SHARD_ID_SPAN",
    "followed_lines",
    "main",
    "replicate",
    "schema_url",
    "sharded_lines",
    "write_shard",
]

NAME = "register_10m"
#: Ids of shard k begin at 1000 + k × this (a shard of 10⁸ persons would still fit).
SHARD_ID_SPAN = 100_000_000
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def schema_url(url: str, schema: str) -> str:
    """``url`` with ``search_path`` set to ``schema`` (the bench's and the tests' convention)."""
    if not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"not a plain schema name: {schema!r}")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def _shard_persons(*, seed: int, shard: int, count: int) -> Iterator[Person]:
    if shard == 0:
        yield from generate_persons(seed=seed, count=count)
        return
    rng = random.Random(f"{seed}-{shard}")
    tables = generator._tables()
    next_id = FIRST_RANDOM_ID + shard * SHARD_ID_SPAN
    produced = 0
    while produced < count:
        members = generator._household(rng, tables, next_id)
        for person in generator._persons_of(rng, tables, members):
            if produced == count:
                return
            yield person
            produced += 1
        next_id += len(members)


def write_shard(path: Path, *, seed: int, shard: int, count: int) -> None:
    """Write shard ``shard`` of ``count`` persons to ``path`` (via ``.partial``, renamed when
    complete); runs in a process of its own."""
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as stream:
        for person in _shard_persons(seed=seed, shard=shard, count=count):
            stream.write(dumps_person(person))
            stream.write("\n")
    partial.rename(path)


def shard_paths(work_dir: Path, *, persons: int, seed: int, shards: int) -> list[Path]:
    stem = f"persons-{persons}-seed{seed}-x{shards}"
    return [work_dir / f"{stem}.shard{k}.jsonl" for k in range(shards)]


def shard_counts(persons: int, shards: int) -> list[int]:
    base, rest = divmod(persons, shards)
    return [base + (1 if k < rest else 0) for k in range(shards)]


def followed_lines(path: Path, writer: BaseProcess | None) -> Iterator[str]:
    """The lines of ``path`` — also while ``writer`` still writes it (as ``.partial``): read
    up to the end, wait, read on, until the complete file has been renamed into place."""
    partial = path.with_suffix(".partial")
    while not path.exists() and not partial.exists():
        if writer is not None and writer.exitcode not in (None, 0):
            raise RuntimeError(f"the writer of {path.name} failed ({writer.exitcode})")
        time.sleep(0.2)
    try:
        stream = partial.open(encoding="utf-8")
    except FileNotFoundError:  # renamed meanwhile: the same file, complete
        stream = path.open(encoding="utf-8")
    with stream:
        pending = ""
        while True:
            line = stream.readline()
            if line.endswith("\n"):
                yield pending + line
                pending = ""
            elif line:
                pending += line  # the writer is in the middle of this line
            elif path.exists():  # renamed after closing: everything is written
                rest = stream.read()
                if pending or rest:
                    yield from (pending + rest).splitlines(keepends=True)
                return
            elif writer is not None and writer.exitcode not in (None, 0):
                raise RuntimeError(f"the writer of {path.name} failed ({writer.exitcode})")
            else:
                time.sleep(0.2)


def sharded_lines(
    work_dir: Path, *, persons: int, seed: int, shards: int
) -> tuple[Iterator[str], list[BaseProcess], bool]:
    """All lines of the shards in order, the writer processes started for missing shards,
    and whether any shard is generated now."""
    paths = shard_paths(work_dir, persons=persons, seed=seed, shards=shards)
    context = multiprocessing.get_context("spawn")
    writers: list[BaseProcess | None] = []
    for shard, (path, count) in enumerate(zip(paths, shard_counts(persons, shards), strict=True)):
        if path.exists():
            writers.append(None)
            continue
        process = context.Process(
            target=write_shard,
            args=(path,),
            kwargs={"seed": seed, "shard": shard, "count": count},
            name=f"generate-shard-{shard}",
        )
        process.start()
        writers.append(process)
    started = [w for w in writers if w is not None]
    lines = itertools.chain.from_iterable(
        followed_lines(path, writer) for path, writer in zip(paths, writers, strict=True)
    )
    return lines, started, bool(started)


def _persons_in(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("select to_regclass('register_person') is not null")
            ).scalar()
            if not exists:
                return None
            return int(conn.execute(text("select count(*) from register_person")).scalar() or 0)
    finally:
        engine.dispose()


#: Id offset of copy k (1 … copies − 1) of a person: id + k × this.
COPY_ID_OFFSET = 1_000_000_000
#: The tables of the persons (``person_id`` / ``id``) that a copy repeats.
_PERSON_TABLES = (
    "register_person",
    "register_name",
    "register_vorname",
    "register_geburtsdatum",
    "register_anschrift",
    "register_sperre",
    "register_staatsangehoerigkeit",
)
_FULL_DAY = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _copied_column(table: str, column: str) -> str:
    if column in ("id", "person_id"):
        return f"{column} + k::bigint * {COPY_ID_OFFSET}"
    if table == "register_geburtsdatum" and column in ("datum", "beginn"):
        # copy k is born k days later (full days only): name + birth date stays selective
        return (
            f"case when {column} ~ '{_FULL_DAY}' "
            f"then to_char(to_date({column}, 'YYYY-MM-DD') + k, 'YYYY-MM-DD') "
            f"else {column} end"
        )
    return column


def _slices(first: int, last: int, parts: int) -> list[tuple[int, int] | None]:
    """``first`` … ``last`` in ``parts`` consecutive ranges (None for an empty one)."""
    count = last - first + 1
    out: list[tuple[int, int] | None] = []
    start = first
    for part in range(parts):
        size = count // parts + (1 if part < count % parts else 0)
        out.append((start, start + size - 1) if size else None)
        start += size
    return out


def _definitions(conn: Any) -> tuple[list[Any], list[Any]]:
    names = ", ".join(f"'{t}'" for t in _PERSON_TABLES)
    constraints = conn.execute(
        text(
            "select conrelid::regclass::text, conname, contype, "
            "pg_get_constraintdef(oid) from pg_constraint "
            f"where conrelid::regclass::text in ({names}) and contype in ('p', 'f') "
            "and connamespace = current_schema()::regnamespace"
        )
    ).all()
    constraint_names = {c[1] for c in constraints}
    indexes = [
        (table, name, definition)
        for table, name, definition in conn.execute(
            text(
                "select tablename, indexname, indexdef from pg_indexes "
                f"where schemaname = current_schema() and tablename in ({names})"
            )
        ).all()
        if name not in constraint_names
    ]
    return list(constraints), indexes


def _definitions_of_new_schema(url: str) -> tuple[list[Any], list[Any]]:
    """The keys and indexes of the person tables as the register's migrations make them."""
    schema = re.search(r"search_path%3D(\w+)", url)
    assert schema is not None
    reference = f"{schema.group(1)}_ref"
    base = url[: url.index("options=") - 1]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'drop schema if exists "{reference}" cascade'))
            conn.execute(text(f'create schema "{reference}"'))
        with RegisterStore(schema_url(base, reference)) as store:
            store.migrate()
            with store.engine.connect() as conn:
                constraints, indexes = _definitions(conn)
        with admin.connect() as conn:
            conn.execute(text(f'drop schema "{reference}" cascade'))
    finally:
        admin.dispose()
    indexes = [(t, n, d.replace(f" {reference}.", " ")) for t, n, d in indexes]
    constraints = [(t, n, k, d.replace(f"{reference}.", "")) for t, n, k, d in constraints]
    return constraints, indexes


def replicate(url: str, copies: int, *, parallel: int = 4) -> dict[str, Any]:
    """Make ``copies`` persons of every person of the (freshly loaded) register, in SQL.

    Why: the machine this was written on generated about 1 000 persons/s under the load of the
    other engineers — ten million would have taken three hours — so the 10 M register is the
    generated register ×``copies``: copy *k* of person *p* has id ``p + k × 10⁹``, the same
    names, addresses, blocks and record, and is born *k* days later (key columns only — the
    record JSON keeps the original day, which only the answer shows). So every municipality
    holds ``copies`` times the persons with the same name distribution (name indexes as deep
    and as dense as at 10 M), while name + date of birth still finds one person. Indexes,
    primary and foreign keys are dropped before the copy and built again after (the foreign keys
    ``NOT VALID``: copies of rows that satisfied them), then VACUUM ANALYZE (visibility map for
    index-only scans, as the full reload's ``COPY FREEZE`` leaves it); ``parallel``
    connections work at a time, each on a slice of the copies of one table.
    """
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=parallel + 1)

    def session(statements: Sequence[str]) -> None:
        with engine.connect() as conn:
            conn.execute(text("set maintenance_work_mem = '512MB'"))
            conn.execute(text("set synchronous_commit = off"))
            for statement in statements:
                conn.execute(text(statement))

    def each(jobs: Sequence[Sequence[str]]) -> None:
        with ThreadPoolExecutor(parallel) as pool:
            for done in [pool.submit(session, job) for job in jobs]:
                done.result()

    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            constraints, indexes = _definitions(conn)
            columns = {
                table: conn.execute(
                    text(
                        "select column_name from information_schema.columns "
                        "where table_schema = current_schema() and table_name = :t "
                        "order by ordinal_position"
                    ),
                    {"t": table},
                )
                .scalars()
                .all()
                for table in _PERSON_TABLES
            }
        if not any(c[2] == "p" and c[0] == "register_person" for c in constraints):
            # an earlier run stopped after dropping them: take them from a new schema
            constraints, indexes = _definitions_of_new_schema(url)
        foreign = [c for c in constraints if c[2] == "f"]
        primary = {c[0]: c for c in constraints if c[2] == "p"}
        session(
            [f'alter table {t} drop constraint if exists "{n}"' for t, n, _k, _d in foreign]
            + [
                f'alter table {t} drop constraint if exists "{n}"'
                for t, n, _k, _d in primary.values()
            ]
            + [f'drop index if exists "{n}"' for _t, n, _d in indexes]
        )
        rows_started = time.perf_counter()
        each(  # copies an earlier, failed run left behind
            [
                [f"delete from {t} where {'id' if t == 'register_person' else 'person_id'}"
                 f" >= {COPY_ID_OFFSET}"]
                for t in _PERSON_TABLES
            ]
        )  # fmt: skip
        # every table in slices of copies, so that the big ones spread over the connections
        slices = [r for r in _slices(1, copies - 1, parallel) if r]
        inserts = []
        for first, last in slices:
            for table in _PERSON_TABLES:
                idcol = "id" if table == "register_person" else "person_id"
                inserts.append(
                    [
                        f"insert into {table} ({', '.join(columns[table])}) "
                        f"select {', '.join(_copied_column(table, c) for c in columns[table])} "
                        f"from {table} cross join generate_series({first}, {last}) as k "
                        f"where {idcol} < {COPY_ID_OFFSET}"
                    ]
                )
        each(inserts)
        index_started = time.perf_counter()
        each(
            [
                ([f'alter table {table} add constraint "{primary[table][1]}" '
                  f"{primary[table][3]}"] if table in primary else [])
                + [definition for t, _n, definition in indexes if t == table]
                for table in _PERSON_TABLES
            ]
        )  # fmt: skip
        # NOT VALID: the rows are copies of rows that had these keys; checking 10 M of them
        # again would cost minutes and change no plan
        each([[f'alter table {t} add constraint "{n}" {d} not valid'] for t, n, _k, d in foreign])
        analyze_started = time.perf_counter()
        each([[f"vacuum analyze {table}"] for table in _PERSON_TABLES])
        with engine.connect() as conn:
            persons = int(conn.execute(text("select count(*) from register_person")).scalar() or 0)
    finally:
        engine.dispose()
    done = time.perf_counter()
    return {
        "copies": copies,
        "parallel": parallel,
        "persons": persons,
        "seconds": round(done - started, 1),
        "seconds_rows": round(index_started - rows_started, 1),
        "seconds_index": round(analyze_started - index_started, 1),
        "seconds_analyze": round(done - analyze_started, 1),
    }


def build(
    *,
    persons: int,
    schema: str,
    seed: int,
    shards: int,
    workers: int,
    work_dir: Path,
    base_file: Path | None,
    copies: int,
    pg_url: str,
    replace: bool,
    progress: bool,
) -> dict[str, Any]:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        admin.dispose()
    url = schema_url(pg_url, schema)
    already = _persons_in(url)
    if already and not replace:
        raise SystemExit(f"schema {schema} already holds {already} persons; --replace to reload")
    work_dir.mkdir(parents=True, exist_ok=True)
    if base_file is not None:
        lines: Iterator[str] | Path = base_file  # the workers read it, as `import --full` does
        writers: list[BaseProcess] = []
        generated_now = False
        files = [str(base_file)]
    else:
        lines, writers, generated_now = sharded_lines(
            work_dir, persons=persons, seed=seed, shards=shards
        )
        files = [str(p) for p in shard_paths(work_dir, persons=persons, seed=seed, shards=shards)]
    store = RegisterStore(url)
    cpu_started = time.process_time()
    children_started = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        store.migrate()
        bar = tqdm(desc="generate+load", unit=" persons", mininterval=10) if progress else None
        report = store.full_reload(
            lines,
            source=Path(files[0]).name,
            kind="bench",
            workers=workers,
            progress=bar.update if bar is not None else None,
        )
        if bar is not None:
            bar.close()
    finally:
        store.close()
        for writer in writers:
            if writer.is_alive():
                writer.terminate()
            writer.join()
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    replicated = replicate(url, copies) if copies > 1 else None
    size = schema_size_bytes(url)
    result = {
        "parameters": {
            "persons": persons,
            "seed": seed,
            "shards": shards,
            "workers": workers,
            "schema": schema,
            "base_file": None if base_file is None else str(base_file),
            "copies": copies,
        },
        "files": files,
        "generated_during_load": generated_now,
        "persons": report.records,
        "seconds": round(wall, 1),
        "seconds_reload": round(report.seconds, 1),
        "seconds_rows": round(report.seconds_load, 1),
        "seconds_index": round(report.seconds_index, 1),
        "seconds_swap": round(report.seconds_swap, 3),
        "persons_per_second": round(report.records / wall, 1),
        "cpu_seconds_main": round(time.process_time() - cpu_started, 1),
        "cpu_seconds_workers": round(
            (children.ru_utime + children.ru_stime)
            - (children_started.ru_utime + children_started.ru_stime),
            1,
        ),
        "replicated": replicated,
        "database_bytes": size,
    }
    print(
        f"[register_10m] {report.records} persons into schema {schema} in {wall:.0f} s "
        f"({result['persons_per_second']}/s; rows {report.seconds_load:.0f} s, indexes "
        f"{report.seconds_index:.0f} s, swap {report.seconds_swap:.3f} s), "
        f"{size / 2**30:.1f} GiB; CPU main {result['cpu_seconds_main']} s, "
        f"workers {result['cpu_seconds_workers']} s",
        flush=True,
    )
    if replicated is not None:
        print(
            f"[register_10m] replicated ×{copies}: {replicated['persons']} persons in "
            f"{replicated['seconds']:.0f} s (rows {replicated['seconds_rows']:.0f} s, "
            f"indexes and keys {replicated['seconds_index']:.0f} s, "
            f"vacuum analyze {replicated['seconds_analyze']:.0f} s)",
            flush=True,
        )
    print(f"  written {write_result(NAME, result)}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.register_10m",
        description="Build a kept register of N persons in a named PostgreSQL schema.",
    )
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--schema", default="bench10m")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shards", type=int, default=4, help="parallel generator processes")
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--work-dir", type=Path, default=Path("/var/tmp/ds-bench"))
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument(
        "--base-file", type=Path, help="load this JSON Lines file instead of generating"
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="then replicate the loaded persons in SQL to this many (see replicate())",
    )
    parser.add_argument(
        "--replicate-only",
        action="store_true",
        help="no load: replicate the persons already in the schema (--copies)",
    )
    parser.add_argument("--parallel", type=int, default=4, help="connections that replicate")
    parser.add_argument("--replace", action="store_true", help="reload a schema with persons")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.persons < 0 or args.shards < 1:
        parser.error("--persons must not be negative, --shards at least 1")
    if args.replicate_only:
        replicated = replicate(
            schema_url(args.pg_url, args.schema), args.copies, parallel=args.parallel
        )
        print(f"[register_10m] replicated: {replicated}", flush=True)
        write_result(f"{NAME}_replicate", {"schema": args.schema, "replicated": replicated})
        return 0
    build(
        persons=args.persons,
        schema=args.schema,
        seed=args.seed,
        shards=args.shards,
        base_file=args.base_file,
        copies=args.copies,
        workers=default_workers() if args.workers is None else args.workers,
        work_dir=args.work_dir,
        pg_url=args.pg_url,
        replace=args.replace,
        progress=not args.quiet,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
