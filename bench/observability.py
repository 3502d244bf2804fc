"""What observing a transaction costs: stage timings, histograms and the JSON log line.

``python -m bench.transaction --compare-observability`` (or ``python -m bench.observability``)
runs the in-process Personensuche of ``bench.transaction`` (status 01) in alternating blocks
*with* observation — the stage laps of :class:`~datenspiegel.service.trace.TransactionTrace`,
:meth:`~datenspiegel.service.observation.TransactionObserver.observe` into a fresh registry and
a JSON transaction line written to ``/dev/null`` through
:class:`~datenspiegel.service.logs.JsonFormatter` — and *without* (the laps patched out, nothing
observed), on the same stores, so that both see the same load. The difference of the medians is
the end-to-end figure; as it is small against a transaction's milliseconds and the machine is
shared, the costs are also timed directly: ``observe`` per reply, and the laps of one
transaction (ten ``enter`` calls and ``stop``).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from prometheus_client import CollectorRegistry
from tqdm import tqdm

from bench.errors import BenchError, InvalidSetup
from bench.report import print_table, write_result
from bench.world import BenchWorld, RequestFactory, create_world, load_world, open_broker
from datenspiegel.service.broker import Broker, BrokerReply, ReplyKind
from datenspiegel.service.logs import JsonFormatter
from datenspiegel.service.observation import TransactionObserver
from datenspiegel.service.trace import Stage, TransactionTrace

__all__ = ["compare", "main"]

NAME = "observability"


@contextmanager
def _json_lines_to_nowhere() -> Iterator[logging.Logger]:
    """A transaction logger as ``[logging] format = "json"`` sets it up, writing to /dev/null."""
    logger = logging.getLogger("bench.observability.transaction")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        handler = logging.StreamHandler(sink)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        try:
            yield logger
        finally:
            logger.removeHandler(handler)


def _noop(*_args: Any, **_kwargs: Any) -> None:
    return None


@contextmanager
def _untraced() -> Iterator[None]:
    """The stage laps patched out: the broker's ``enter``/``stop`` calls do nothing."""
    with (
        mock.patch.object(TransactionTrace, "enter", _noop),
        mock.patch.object(TransactionTrace, "stop", _noop),
    ):
        yield


def _block(
    broker: Broker,
    requests: list[bytes],
    observer: TransactionObserver | None,
    *,
    label: str,
    progress: bool,
    in_place: list[float] | None = None,
) -> tuple[list[float], list[float], list[BrokerReply]]:
    """``in_place``: collects the time of each ``observe`` as it happens in the loop."""
    wall: list[float] = []
    cpu: list[float] = []
    replies: list[BrokerReply] = []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for request in tqdm(requests, desc=label, unit=" tx", leave=False, disable=not progress):
        started, cpu_started = clock(), cpu_clock()
        reply = broker.submit(request, client_address="127.0.0.1")
        if observer is not None:
            observing = clock()
            observer.observe(reply)
            if in_place is not None:
                in_place.append(clock() - observing)
        wall.append(clock() - started)
        cpu.append(cpu_clock() - cpu_started)
        if reply.kind is not ReplyKind.ANSWER:
            raise InvalidSetup(f"the broker answered {reply.kind.value} {reply.code}")
        replies.append(reply)
    return wall, cpu, replies


def _laps_seconds(repeat: int = 20_000) -> float:
    """Seconds of the laps of one transaction as the broker makes them."""
    order = (
        Stage.VALIDATE,
        Stage.VERIFY,
        Stage.AUTHORISE,
        Stage.CLAIM,
        Stage.AUTHORISE,
        Stage.HANDLE,
        Stage.ANSWER,
        Stage.RECORD,
        Stage.SEAL,
        Stage.RECORD,
    )
    started = time.perf_counter()
    for _ in range(repeat):
        trace = TransactionTrace("personensuche", started=0.0)
        for stage in order:
            trace.enter(stage)
        trace.stop()
    return (time.perf_counter() - started) / repeat


def _observe_seconds(observer: TransactionObserver, replies: list[BrokerReply]) -> list[float]:
    samples = []
    for reply in replies:
        started = time.perf_counter()
        observer.observe(reply)
        samples.append(time.perf_counter() - started)
    return samples


def compare(
    world: BenchWorld, *, transactions: int = 600, rounds: int = 6, progress: bool = True
) -> dict[str, Any]:
    """With against without observation, in ``rounds`` alternating blocks of each."""
    if rounds < 2 or transactions < rounds:
        raise InvalidSetup("need at least two rounds and one transaction per round")
    per_round = transactions // rounds
    warmup = 20
    factory = RequestFactory(world)
    requests = factory.presign(warmup + 2 * per_round * rounds, progress=progress)
    timed: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
    replies: list[BrokerReply] = []
    in_place: list[float] = []
    with _json_lines_to_nowhere() as logger, open_broker(world) as (broker, _stores):
        observer = TransactionObserver(CollectorRegistry(), logger=logger)
        _block(broker, requests[:warmup], observer, label="warm-up", progress=progress)
        at = warmup
        for number in range(rounds):
            # alternate which goes first: a trend in the machine's load favours neither
            for observed in (True, False) if number % 2 == 0 else (False, True):
                block = requests[at : at + per_round]
                at += per_round
                label = f"{'with' if observed else 'without'} observation {number + 1}/{rounds}"
                if observed:
                    wall, cpu, got = _block(
                        broker, block, observer, label=label, progress=progress, in_place=in_place
                    )
                    replies = got  # one block's: keeping all would slow the collector
                else:
                    with _untraced():
                        wall, cpu, _ = _block(broker, block, None, label=label, progress=progress)
                timed[observed][0].extend(wall)
                timed[observed][1].extend(cpu)
        observe = _observe_seconds(observer, replies)
    laps = _laps_seconds()

    def us(seconds: float) -> float:
        return round(seconds * 1e6, 1)

    with_wall, with_cpu = (statistics.median(v) for v in timed[True])
    without_wall, without_cpu = (statistics.median(v) for v in timed[False])
    return {
        "backend": world.backend,
        "transactions_per_variant": per_round * rounds,
        "rounds": rounds,
        "with_wall_median_us": us(with_wall),
        "without_wall_median_us": us(without_wall),
        "delta_wall_median_us": us(with_wall - without_wall),
        "with_cpu_median_us": us(with_cpu),
        "without_cpu_median_us": us(without_cpu),
        "delta_cpu_median_us": us(with_cpu - without_cpu),
        "observe_in_place_median_us": us(statistics.median(in_place)),
        "observe_in_place_mean_us": us(statistics.fmean(in_place)),
        "observe_median_us": us(statistics.median(observe)),
        "observe_mean_us": us(statistics.fmean(observe)),
        "laps_per_transaction_us": us(laps),
    }


def run(
    *,
    world: BenchWorld | None = None,
    persons: int = 2000,
    transactions: int = 600,
    rounds: int = 6,
    progress: bool = True,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp_name:
        if world is None:
            print(f"[{NAME}] initialising a data directory with {persons} persons …", flush=True)
            world = create_world(Path(tmp_name) / "var", persons=persons, progress=progress)
        result = compare(world, transactions=transactions, rounds=rounds, progress=progress)
    print_table(
        f"Observation per transaction (in-process Personensuche, {world.backend}; µs)",
        ("variant", "wall median", "CPU median"),
        [
            ("with", result["with_wall_median_us"], result["with_cpu_median_us"]),
            ("without", result["without_wall_median_us"], result["without_cpu_median_us"]),
            ("difference", result["delta_wall_median_us"], result["delta_cpu_median_us"]),
        ],
    )
    print(
        f"  observe in the loop, after each transaction: {result['observe_in_place_median_us']} "
        f"µs median ({result['observe_in_place_mean_us']} µs mean)"
    )
    print(
        f"  timed directly: observe {result['observe_median_us']} µs median "
        f"({result['observe_mean_us']} µs mean), stage laps {result['laps_per_transaction_us']} "
        "µs per transaction"
    )
    path = write_result(NAME, {"parameters": {"persons": persons}, "result": result})
    print(f"  written {path}")
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--transactions", type=int, default=600, help="per variant (default 600)")
    parser.add_argument("--rounds", type=int, default=6, help="alternating blocks (default 6)")
    parser.add_argument("--persons", type=int, default=2000, help="register size (default 2000)")
    parser.add_argument("--data-dir", type=Path, help="an initialised data directory to use")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.observability",
        description="What stage timings, histograms and the JSON log line cost per transaction.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run(
            world=load_world(args.data_dir) if args.data_dir else None,
            persons=args.persons,
            transactions=args.transactions,
            rounds=args.rounds,
            progress=not args.quiet,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
