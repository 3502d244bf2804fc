"""In-process end-to-end cost of one Personensuche against the floor of its primitives.

``Broker.personensuche`` — the whole transaction without HTTP and TLS: parse, validate, verify,
authorise, search, disclosure rules, answer, sign, durable protocol append — is called on
pre-signed requests for the documented unique test person (status 01). Per transaction the wall
time and the CPU time of the calling thread are taken; the floor (``bench.primitives``) is
measured in the same run against the same stores, and the ratio of the two medians says how
much the product spends above the unavoidable work.

The floor's signatures are those of the world's key type (``--key-type ec-p256|rsa-3072``); the
CPU per transaction is also set against the second reference, the floor with signxml's own sign
and verify in place of the raw ones.

Run: ``python -m bench.transaction [--transactions N] [--persons N] [--key-type K] [--profile]``;
``--compare-observability``: the same transactions with and without their observation (stage
timings, histograms, JSON log line; ``bench.observability``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.errors import BenchError, InvalidSetup, WrongResult
from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.primitives import Floor, measure_floor
from bench.report import Figure, print_table, write_result
from bench.stats import percentile, summarise
from bench.world import (
    BenchWorld,
    RequestFactory,
    add_key_type_argument,
    create_world,
    load_world,
    open_broker,
)
from datenspiegel.service.broker import Broker, BrokerReply, ReplyKind

__all__ = ["add_arguments", "figures", "main", "run", "run_backend"]

NAME = "transaction"


def _check(reply: BrokerReply, expected_status: str) -> None:
    if reply.kind is not ReplyKind.ANSWER or reply.code != expected_status:
        raise WrongResult(
            f"the broker answered {reply.kind.value} {reply.code} ({reply.message}), expected "
            f"status {expected_status}: the benchmark would measure the wrong path"
        )


def _profile(broker: Broker, requests: list[bytes], *, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for request in requests:
        broker.submit(request, client_address="127.0.0.1")
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    out.write(f"=== top {top} by own time ({len(requests)} transactions) ===\n")
    stats.sort_stats("tottime").print_stats(top)
    out.write(f"=== top {top} by cumulative time ===\n")
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _transactions(
    broker: Broker, requests: list[bytes], expected: str, *, label: str, progress: bool
) -> tuple[list[float], list[float], int]:
    wall: list[float] = []
    cpu: list[float] = []
    answer_bytes = 0
    clock, cpu_clock = time.perf_counter, time.thread_time
    for request in tqdm(requests, desc=label, unit=" tx", leave=False, disable=not progress):
        started, cpu_started = clock(), cpu_clock()
        reply = broker.submit(request, client_address="127.0.0.1")
        wall.append(clock() - started)
        cpu.append(cpu_clock() - cpu_started)
        _check(reply, expected)
        answer_bytes = len(reply.document)
    return wall, cpu, answer_bytes


def _median(values: list[float]) -> float:
    return percentile(sorted(values), 0.5)


def run_backend(
    world: BenchWorld,
    *,
    transactions: int = 300,
    warmup: int = 10,
    floor_repeat: int = 200,
    rounds: int = 3,
    profile: int = 0,
    progress: bool = True,
    idempotency: bool = True,
) -> dict[str, Any]:
    """Floor and transactions against one data directory (one back-end).

    ``idempotency=False`` switches the replay claims and the quotas off (``--without-
    idempotency``): the difference of two runs is what those steps cost per transaction.

    Floor and transactions alternate in ``rounds`` blocks, and the ratio is taken per round:
    on a shared machine the load changes within seconds, and a ratio of two figures measured
    a minute apart would measure the neighbours.
    """
    if rounds < 1 or transactions < rounds:
        raise InvalidSetup("need at least one round and one transaction per round")
    factory = RequestFactory(world)
    expected = factory.case.status
    requests = factory.presign(warmup + transactions + profile, progress=progress)
    per_round = transactions // rounds
    wall: list[float] = []
    cpu: list[float] = []
    floors: list[Floor] = []
    ratios_wall: list[float] = []
    ratios_cpu: list[float] = []
    ratios_cpu_signxml: list[float] = []
    ratios_cpu_cpu_floor: list[float] = []
    ratios_cpu_cpu_signxml: list[float] = []
    answer_bytes = 0
    with open_broker(world) as (broker, stores):
        if not idempotency:
            broker.replay, broker.quotas = None, None
        for request in requests[:warmup]:
            _check(broker.submit(request, client_address="127.0.0.1"), expected)
        for number in range(rounds):
            floor = measure_floor(
                world,
                register=stores.register,
                protocol=stores.protocol,
                repeat=max(floor_repeat // rounds, 20),
                progress=progress,
            )
            first = warmup + number * per_round
            last = warmup + transactions if number == rounds - 1 else first + per_round
            round_wall, round_cpu, answer_bytes = _transactions(
                broker,
                requests[first:last],
                expected,
                label=f"transactions ({world.backend}, round {number + 1}/{rounds})",
                progress=progress,
            )
            floors.append(floor)
            wall += round_wall
            cpu += round_cpu
            ratios_wall.append(_median(round_wall) * 1000 / floor.median_ms)
            ratios_cpu.append(_median(round_cpu) * 1000 / floor.median_ms)
            ratios_cpu_signxml.append(_median(round_cpu) * 1000 / floor.signxml_reference_ms)
            ratios_cpu_cpu_floor.append(_median(round_cpu) * 1000 / floor.cpu_median_ms)
            ratios_cpu_cpu_signxml.append(
                _median(round_cpu) * 1000 / floor.cpu_signxml_reference_ms
            )
        profile_text = (
            _profile(broker, requests[warmup + transactions :], top=25) if profile else None
        )
    wall_t, cpu_t = summarise(wall), summarise(cpu)
    floor_ms = _median([f.median_ms for f in floors])
    return {
        "backend": world.backend,
        "key_type": floors[0].key_type,
        "algorithm": floors[0].algorithm,
        "request_bytes": len(requests[0]),
        "answer_bytes": answer_bytes,
        "rounds": rounds,
        "wall": wall_t.as_dict(),
        "cpu": cpu_t.as_dict(),
        "floor_ms": round(floor_ms, 4),
        "signxml_reference_ms": round(_median([f.signxml_reference_ms for f in floors]), 4),
        "floors": [f.as_dict() for f in floors],
        "ratio_wall_to_floor": round(_median(ratios_wall), 2),
        "ratio_cpu_to_floor": round(_median(ratios_cpu), 2),
        "ratio_cpu_to_signxml_reference": round(_median(ratios_cpu_signxml), 2),
        # CPU against CPU: the floor's components in thread CPU time (bench.primitives)
        "cpu_floor_ms": round(_median([f.cpu_median_ms for f in floors]), 4),
        "cpu_signxml_reference_ms": round(_median([f.cpu_signxml_reference_ms for f in floors]), 4),
        "ratio_cpu_to_cpu_floor": round(_median(ratios_cpu_cpu_floor), 2),
        "ratio_cpu_to_cpu_signxml_reference": round(_median(ratios_cpu_cpu_signxml), 2),
        "ratios_wall_per_round": [round(r, 2) for r in ratios_wall],
        "transactions_per_second_one_thread": round(1000.0 / wall_t.median_ms, 1),
        "profile": profile_text,
    }


@contextmanager
def _postgres_world(
    tmp: Path, *, pg_url: str, persons: int, progress: bool, key_type: str
) -> Iterator[BenchWorld]:
    with fresh_schema(pg_url) as url:
        yield create_world(
            tmp / "var-pg",
            persons=persons,
            database_url=url,
            progress=progress,
            key_type=key_type,
        )


def run(
    *,
    world: BenchWorld | None = None,
    persons: int = 5000,
    transactions: int = 300,
    floor_repeat: int = 200,
    rounds: int = 3,
    pg_url: str | None = DEFAULT_PG_URL,
    profile: int = 0,
    progress: bool = True,
    idempotency: bool = True,
    key_type: str = "ec-p256",
) -> dict[str, Any]:
    """Run on SQLite (``world`` or a fresh data directory) and, if reachable, PostgreSQL."""
    results: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if world is None:
            print(
                f"[transaction] initialising a data directory with {persons} persons "
                f"({key_type}) …",
                flush=True,
            )
            world = create_world(tmp / "var", persons=persons, progress=progress, key_type=key_type)
        print(f"[transaction] {transactions} transactions on {world.backend} …", flush=True)
        results.append(
            run_backend(
                world,
                transactions=transactions,
                floor_repeat=floor_repeat,
                rounds=rounds,
                profile=profile,
                progress=progress,
                idempotency=idempotency,
            )
        )
        reason = "disabled (--no-postgres)" if pg_url is None else pg_unreachable(pg_url)
        if reason is None and pg_url is not None:
            print(f"[transaction] {transactions} transactions on PostgreSQL …", flush=True)
            with _postgres_world(
                tmp, pg_url=pg_url, persons=persons, progress=progress, key_type=world.key_type
            ) as pgw:
                results.append(
                    run_backend(
                        pgw,
                        transactions=transactions,
                        floor_repeat=floor_repeat,
                        rounds=rounds,
                        profile=profile,
                        progress=progress,
                        idempotency=idempotency,
                    )
                )
        else:
            skipped["postgresql"] = reason or "disabled"
    rows = []
    for r in results:
        rows.append(
            (
                r["backend"],
                r["key_type"],
                r["wall"]["median_ms"],
                r["wall"]["p95_ms"],
                r["cpu"]["median_ms"],
                r["cpu"]["p95_ms"],
                r["floor_ms"],
                r["signxml_reference_ms"],
                r["ratio_wall_to_floor"],
                r["ratio_cpu_to_floor"],
                r["ratio_cpu_to_signxml_reference"],
                r["cpu_floor_ms"],
                r["ratio_cpu_to_cpu_floor"],
                r["ratio_cpu_to_cpu_signxml_reference"],
                r["transactions_per_second_one_thread"],
            )
        )
    print_table(
        f"Transaction in-process (Broker.personensuche, status 01, {transactions} tx; ms)",
        (
            "backend",
            "keys",
            "wall med",
            "wall p95",
            "cpu med",
            "cpu p95",
            "floor",
            "signxml ref",
            "wall/floor",
            "cpu/floor",
            "cpu/signxml ref",
            "CPU floor",
            "cpu/CPU floor",
            "cpu/CPU signxml ref",
            "tx/s 1 thread",
        ),
        rows,
    )
    for backend, reason in skipped.items():
        print(f"  {backend}: skipped, {reason}")
    for r in results:
        if r["profile"]:
            print(f"\nprofile ({r['backend']}):\n{r['profile']}")
    result = {
        "parameters": {
            "transactions": transactions,
            "rounds": rounds,
            "floor_repeat": floor_repeat,
            "register_persons_generated": persons,
            "key_type": results[0]["key_type"],
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
            Figure(NAME, f"per transaction wall median ({b})", r["wall"]["median_ms"], "ms"),
            Figure(NAME, f"per transaction wall p95 ({b})", r["wall"]["p95_ms"], "ms"),
            Figure(NAME, f"per transaction CPU median ({b})", r["cpu"]["median_ms"], "ms"),
            Figure(NAME, f"floor, same run ({b})", r["floor_ms"], "ms"),
            Figure(NAME, f"ratio wall / floor ({b})", r["ratio_wall_to_floor"], "x"),
            Figure(NAME, f"ratio CPU / floor ({b})", r["ratio_cpu_to_floor"], "x"),
            Figure(NAME, f"ratio CPU / CPU floor ({b})", r["ratio_cpu_to_cpu_floor"], "x"),
            Figure(
                NAME,
                f"ratio CPU / signxml reference ({b})",
                r["ratio_cpu_to_signxml_reference"],
                "x",
            ),
        ]
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--transactions",
        type=int,
        default=300,
        help="timed transactions per back-end (default 300)",
    )
    parser.add_argument(
        "--persons", type=int, default=5000, help="synthetic persons in the register (default 5000)"
    )
    parser.add_argument(
        "--floor-repeat",
        type=int,
        default=200,
        help="timed calls per floor primitive (default 200)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="floor and transactions alternate in this many blocks (default 3)",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="use this initialised data directory instead of a fresh one"
    )
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (default %(default)s)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    add_key_type_argument(parser)
    parser.add_argument(
        "--without-idempotency",
        action="store_true",
        help="replay claims and quotas off (to measure what they cost per transaction)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also profile N extra transactions with cProfile and print the top",
    )
    parser.add_argument(
        "--compare-observability",
        action="store_true",
        help="instead: with and without stage timings, histograms and the JSON log line "
        "(SQLite, bench.observability)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.transaction",
        description="In-process server time per Personensuche against the primitives floor.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.compare_observability:
        from bench import observability

        try:
            observability.run(
                world=load_world(args.data_dir) if args.data_dir else None,
                persons=args.persons,
                transactions=args.transactions,
                rounds=max(args.rounds, 2),
                progress=not args.quiet,
            )
        except BenchError as exc:
            print(f"error: {exc}")
            return 1
        return 0
    try:
        run(
            world=load_world(args.data_dir) if args.data_dir else None,
            persons=args.persons,
            transactions=args.transactions,
            floor_repeat=args.floor_repeat,
            rounds=args.rounds,
            pg_url=None if args.no_postgres else args.pg_url,
            profile=args.profile,
            progress=not args.quiet,
            idempotency=not args.without_idempotency,
            key_type=args.key_type,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
