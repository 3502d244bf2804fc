"""``python -m bench`` (``make bench``): every benchmark with defaults, then one summary table.

Sized for a few minutes on a 2-core machine. One data directory (``datenspiegel init``, SQLite)
serves primitives, transaction, load, resilience and neutral; PostgreSQL parts run in throw-away
schemas when the server is reachable. A benchmark that fails is reported and the others still
run; the exit code is 1 if any failed. All figures go to ``bench/results/summary.json`` besides
each benchmark's own file.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import load, neutral, primitives, register_scale, resilience, transaction
from bench.errors import BenchError
from bench.postgres import DEFAULT_PG_URL
from bench.report import Figure, print_figures, write_result
from bench.world import BenchWorld, create_world

__all__ = ["BENCHMARKS", "main"]

BENCHMARKS = ("primitives", "transaction", "load", "register_scale", "resilience", "neutral")
#: Benchmarks whose run can finish with soft failures (errors counted, wrong hits found).
_PROBLEMS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "load": load.problems,
    "register_scale": register_scale.problems,
    "resilience": resilience.problems,
    "neutral": neutral.problems,
}


def _selection(text: str) -> list[str]:
    chosen = [v.strip() for v in text.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in BENCHMARKS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(BENCHMARKS)}")
    return chosen


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run the datenspiegel benchmarks (primitives, transaction, load, "
        "register_scale, resilience, neutral) and print one summary; figures are written to "
        "bench/results/.",
    )
    parser.add_argument(
        "--only",
        type=_selection,
        default=list(BENCHMARKS),
        help=f"comma-separated subset of {','.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--persons",
        type=int,
        default=5000,
        help="register size of the shared data directory (default 5000)",
    )
    parser.add_argument(
        "--scale-persons",
        type=int,
        default=100_000,
        help="persons for register_scale (default 100000)",
    )
    parser.add_argument(
        "--transactions",
        type=int,
        default=300,
        help="timed in-process transactions per back-end (default 300)",
    )
    parser.add_argument(
        "--load-duration",
        type=float,
        default=8.0,
        help="seconds per load level at most (default 8)",
    )
    parser.add_argument(
        "--load-concurrency",
        type=load.parse_levels,
        default=[1, 4, 8],
        help="client threads per load level (default 1,4,8)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes for a smoke run of well under a minute"
    )
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (default %(default)s)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.persons, args.scale_persons, args.transactions = 1000, 5000, 60
        args.load_duration, args.load_concurrency = 2.0, [1, 4]
    progress = not args.quiet
    pg_url = None if args.no_postgres else args.pg_url
    levels: list[int] = args.load_concurrency
    figures: list[Figure] = []
    failures: dict[str, str] = {}
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp:
        world: BenchWorld | None = None
        if set(args.only) & {"primitives", "transaction", "load", "neutral"}:
            print(
                f"[bench] datenspiegel init with {args.persons} persons (shared by "
                "primitives, transaction, load, neutral) …",
                flush=True,
            )
            world = create_world(Path(tmp) / "var", persons=args.persons, progress=progress)
        steps: dict[str, tuple[Callable[[], dict[str, Any]], Callable[..., list[Figure]]]] = {
            "primitives": (
                lambda: primitives.run(
                    world=world,
                    repeat=300 if not args.quick else 60,
                    pg_url=pg_url,
                    progress=progress,
                ),
                primitives.figures,
            ),
            "transaction": (
                lambda: transaction.run(
                    world=world,
                    persons=args.persons,
                    transactions=args.transactions,
                    floor_repeat=200 if not args.quick else 60,
                    pg_url=pg_url,
                    progress=progress,
                ),
                transaction.figures,
            ),
            "load": (
                lambda: load.run(
                    world=world,
                    persons=args.persons,
                    levels=levels,
                    duration=args.load_duration,
                    max_requests=1500 if not args.quick else 300,
                    progress=progress,
                ),
                load.figures,
            ),
            "resilience": (
                lambda: resilience.run(
                    world=world,
                    bomb_runs=20 if not args.quick else 5,
                    tls_requests=16 if not args.quick else 4,
                    legit_requests=100 if not args.quick else 30,
                    progress=progress,
                ),
                resilience.figures,
            ),
            "neutral": (
                lambda: neutral.run(
                    world=world,
                    persons=args.persons,
                    requests_per_case=400 if not args.quick else 40,
                    warmup=20 if not args.quick else 5,
                    progress=progress,
                ),
                neutral.figures,
            ),
            "register_scale": (
                lambda: register_scale.run(
                    persons=args.scale_persons,
                    backends=("sqlite",) if pg_url is None else register_scale.BACKENDS,
                    rounds=20 if not args.quick else 5,
                    pg_url=args.pg_url,
                    progress=progress,
                ),
                register_scale.figures,
            ),
        }
        for name in args.only:
            run, to_figures = steps[name]
            print(f"\n=== {name} ===", flush=True)
            began = time.perf_counter()
            try:
                result = run()
                figures += to_figures(result)
                found = _PROBLEMS[name](result) if name in _PROBLEMS else []
                if found:
                    failures[name] = "; ".join(found)
            except Exception as exc:  # report, go on with the next benchmark
                failures[name] = f"{type(exc).__name__}: {exc}"
                if not isinstance(exc, BenchError):
                    traceback.print_exc()
            seconds[name] = round(time.perf_counter() - began, 1)
    total = round(time.perf_counter() - started, 1)
    print_figures(f"Summary (python -m bench, {total:.0f} s)", figures)
    for name, problem in failures.items():
        print(f"  FAILED {name}: {problem}")
    path = write_result(
        "summary",
        {
            "figures": [f.as_dict() for f in figures],
            "failures": failures,
            "seconds": {**seconds, "total": total},
            "parameters": {k: v for k, v in vars(args).items() if k != "pg_url"},
        },
    )
    print(f"  written {path}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
