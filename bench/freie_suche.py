"""freie Suche at scale: p50 / p99 of the register search for the common criteria.

Generates and imports N persons (``fixtures.generator``, as ``datenspiegel register
generate``) — or searches a register that already exists (``--register-url``) — then runs
every search shape of :data:`SHAPES` (name in municipality / district / state, placeholder,
phonetic, first name with birth range, street with house number range) ``--rounds`` times
through :meth:`RegisterStore.search_freie_suche` with the broker's limit (1 000; more are
refused from their ids and counted as 1 001) and reports p50 / p99 per shape and over all,
with the number of persons found.

Run: ``python -m bench.freie_suche [--persons 1000000] [--backends sqlite,postgresql]``
(about 2.3 GB of SQLite per million persons; the import dominates the run time).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from bench.stats import percentile
from datenspiegel.fixtures.generator import STICHTAG, generate_persons
from datenspiegel.register.errors import ErgebnislisteZuGrossError
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
    Zeitraum,
)
from datenspiegel.register.model import TeilbekanntesDatum as D
from datenspiegel.register.store import RegisterStore

__all__ = ["SHAPES", "add_arguments", "figures", "main", "run"]

NAME = "freie_suche"
BACKENDS = ("sqlite", "postgresql")
_LIMIT = 1001
_HANNOVER = Suchbereich(SuchbereichArt.GEMEINDE, "03241001")
_REGION = Suchbereich(SuchbereichArt.KREIS, "03241")
_LAND = Suchbereich(SuchbereichArt.LAND, "03")

#: The common search shapes (BMeldDAV § 7 Abs. 1) with values the generator produces.
SHAPES: dict[str, FreieSucheQuery] = {
    "name+gemeinde": FreieSucheQuery(suchbereich=_HANNOVER, familienname=NameKriterium("Meyer")),
    "name+kreis": FreieSucheQuery(suchbereich=_REGION, familienname=NameKriterium("Schulz")),
    "rare-name+land": FreieSucheQuery(suchbereich=_LAND, familienname=NameKriterium("Mustermann")),
    "name+vorname+land": FreieSucheQuery(
        suchbereich=_LAND, familienname=NameKriterium("Müller"), vornamen=NameKriterium("Anna")
    ),
    "platzhalter+kreis": FreieSucheQuery(
        suchbereich=_REGION, familienname=NameKriterium("Schm*"), vornamen=NameKriterium("Peter")
    ),
    "phonetisch+gemeinde": FreieSucheQuery(
        suchbereich=_HANNOVER, familienname=NameKriterium("Maier", phonetisch=True)
    ),
    "vorname+geburtszeitraum+land": FreieSucheQuery(
        suchbereich=_LAND,
        vornamen=NameKriterium("Erika"),
        geburtszeitraum=Zeitraum(D(1960), D(1965, 12, 31)),
    ),
    "strasse+hausnummern+gemeinde": FreieSucheQuery(
        suchbereich=_HANNOVER, strasse="Podbielskistraße", hausnummer="1", hausnummer_bis="40"
    ),
}


def _found(store: RegisterStore, query: FreieSucheQuery) -> int:
    """How many persons the broker's search finds; 1 001 for "more than 1 000" (refused)."""
    try:
        return len(store.search_freie_suche(query, stichtag=STICHTAG, limit=_LIMIT - 1))
    except ErgebnislisteZuGrossError:
        return _LIMIT


def _measure(store: RegisterStore, rounds: int) -> dict[str, Any]:
    clock = time.perf_counter
    per_shape: dict[str, dict[str, Any]] = {}
    everything: list[float] = []
    for query in SHAPES.values():  # warm, as a running broker is
        _found(store, query)
    for name, query in SHAPES.items():
        samples = []
        found = 0
        for _ in range(rounds):
            started = clock()
            found = _found(store, query)
            samples.append(clock() - started)
        samples.sort()
        everything += samples
        per_shape[name] = {
            "found": found,
            "p50_ms": round(percentile(samples, 0.5) * 1000, 3),
            "p99_ms": round(percentile(samples, 0.99) * 1000, 3),
        }
    everything.sort()
    return {
        "shapes": per_shape,
        "p50_ms": round(percentile(everything, 0.5) * 1000, 3),
        "p99_ms": round(percentile(everything, 0.99) * 1000, 3),
    }


def _one_backend(
    backend: str, url: str, *, persons: int, seed: int, rounds: int, load: bool, progress: bool
) -> dict[str, Any]:
    with RegisterStore(url) as store:
        store.migrate()
        seconds = 0.0
        if load:
            started = time.perf_counter()
            store.import_persons(
                generate_persons(seed=seed, count=persons),
                source=f"bench seed {seed}",
                kind="bench",
                progress=progress,
            )
            seconds = time.perf_counter() - started
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        held = store.stats().persons
        measured = _measure(store, rounds)
    return {"backend": backend, "persons": held, "import_seconds": round(seconds, 1), **measured}


def run(
    *,
    persons: int = 100_000,
    backends: Sequence[str] = BACKENDS,
    seed: int = 1,
    rounds: int = 50,
    pg_url: str = DEFAULT_PG_URL,
    register_url: str | None = None,
    work_dir: Path | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with ExitStack() as stack:
        if register_url is not None:
            backend = "postgresql" if register_url.startswith("postgresql") else "sqlite"
            print(f"[freie_suche] searching the register at {backend} …", flush=True)
            results.append(
                _one_backend(
                    backend, register_url, persons=0, seed=seed, rounds=rounds, load=False,
                    progress=progress,
                )
            )  # fmt: skip
            backends = ()
        base = work_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="datenspiegel-bench-"))
        )
        for backend in backends:
            if backend == "sqlite":
                path = base / f"freie-suche-{persons}.sqlite"
                for old in base.glob(path.name + "*"):
                    old.unlink()
                url = f"sqlite:///{path}"
            else:
                reason = pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = f"not reachable: {reason}"
                    continue
                url = stack.enter_context(fresh_schema(pg_url))
            print(f"[freie_suche] {persons} persons into {backend} …", flush=True)
            results.append(
                _one_backend(
                    backend, url, persons=persons, seed=seed, rounds=rounds, load=True,
                    progress=progress,
                )
            )  # fmt: skip
    rows = [
        (r["backend"], r["persons"], shape, v["found"], v["p50_ms"], v["p99_ms"])
        for r in results
        for shape, v in r["shapes"].items()
    ]
    rows += [(r["backend"], r["persons"], "ALL", "", r["p50_ms"], r["p99_ms"]) for r in results]
    print_table(
        f"freie Suche search latency ({rounds} rounds per shape, limit {_LIMIT}, ms)",
        ("backend", "persons", "shape", "found", "p50", "p99"),
        rows,
    )
    for backend, reason in skipped.items():
        print(f"  {backend}: skipped, {reason}")
    result = {
        "parameters": {
            "persons": persons,
            "seed": seed,
            "rounds": rounds,
            "date": str(date.today()),
        },
        "backends": results,
        "skipped": skipped,
    }
    print(f"  written {write_result(NAME, result)}")
    return result


def figures(result: dict[str, Any]) -> list[Figure]:
    out: list[Figure] = []
    for r in result["backends"]:
        label = f"{r['backend']}, {r['persons']:,} persons"
        out += [
            Figure(NAME, f"freie Suche p50 ({label})", r["p50_ms"], "ms"),
            Figure(NAME, f"freie Suche p99 ({label})", r["p99_ms"], "ms"),
        ]
    return out


def _backends(value: str) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    if not chosen or any(v not in BACKENDS for v in chosen):
        raise argparse.ArgumentTypeError(f"back-ends are {', '.join(BACKENDS)}")
    return chosen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--persons", type=int, default=100_000, help="persons (default 100000)")
    parser.add_argument(
        "--backends", type=_backends, default=list(BACKENDS), help="sqlite,postgresql"
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--rounds", type=int, default=50, help="searches per shape (default 50)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server")
    parser.add_argument(
        "--register-url",
        help="search this existing register instead of generating one (e.g. after "
        "`datenspiegel register generate`)",
    )
    parser.add_argument("--work-dir", type=Path, help="where the SQLite file goes")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.freie_suche",
        description="freie Suche search latency (p50/p99) on a register of N persons.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    run(
        persons=args.persons,
        backends=args.backends,
        seed=args.seed,
        rounds=args.rounds,
        pg_url=args.pg_url,
        register_url=args.register_url,
        work_dir=args.work_dir,
        progress=not args.quiet,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
