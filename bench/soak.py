"""Sustained run (issue 11, point 6): ``datenspiegel serve --workers N`` over TLS at a fixed rate.

Open loop: request *i* is due at ``start + i / rate`` whatever the answers before it did, and
its latency runs from that scheduled moment to the last byte of the answer. A server that stalls
therefore shows the stall in every request that was due meanwhile — a closed loop (send, wait,
send) would send fewer requests instead and hide it (coordinated omission). The sender threads
(``--connections``, each a keep-alive HTTPS session) take the due requests from one queue; if
all are busy, the wait in the queue counts as latency too.

Requests are the documented test cases (fixtures/testpersons.py), all signed before the clock
starts, each with its own message id: 80 % the unique person searched exactly (TF01, status
01), 10 % a search without hit (TF04, neutral answer 03), 10 % a phonetic search (TF03, 01).
Every n-th answer is checked completely (SOAP body, broker signature against the CA, the
broker's certificate, the expected status), as ``bench.load`` does.

Every ``--sample`` seconds the run reads, from ``/proc``: each worker's ``VmRSS`` and
``RssAnon`` (workers are the supervisor's children), the CPU time of the server's process tree
and of this client, and the machine's busy CPU (everything else the shared machine ran). Per
window (``--window``, default 60 s): requests due/answered, errors, latency p50/p95/p99/max,
server CPU per answer, RSS per worker. At the end, against the issue's target:

- **warm-up** is the first ``--warmup`` seconds (default 60: TLS sessions, connection pools,
  lazily built parsers and caches fill there). The RSS baseline of each worker is its sample at
  the end of the warm-up; *flat* means every later sample lies within ±10 % of it (also given:
  the last and the highest sample, and the least-squares slope in MiB per minute);
- **p99 stability**: highest / lowest p99 of the windows after the warm-up;
- **errors**: transport failures, non-200 answers, SOAP faults, wrong status, bad signature.

Only 127.0.0.1 is contacted; the run is bounded in time (duration plus a drain of at most the
request timeout) and in requests (rate × duration, all signed beforehand).

Run: ``python -m bench.soak [--duration 600] [--rate 40] [--workers 2]
[--backend postgresql|sqlite|both]``. Writes ``bench/results/soak.json``.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.errors import BenchError, InvalidSetup, ServerStartError
from bench.load import _HEADERS, _AnswerChecker, _own_cpu
from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import RESULTS_DIR, Figure, exit_status, print_table, write_result
from bench.server_process import (
    ServerProcess,
    cpu_seconds_of,
    memory_kib,
    start_server,
    worker_pids,
)
from bench.stats import percentile
from bench.world import BenchWorld, RequestFactory, create_world
from datenspiegel.fixtures.testpersons import TEST_CASES, TestCase
from datenspiegel.service.envelope import answer_envelope

__all__ = ["BACKENDS", "MIX", "add_arguments", "figures", "main", "problems", "run"]

NAME = "soak"
BACKENDS = ("postgresql", "sqlite")
#: Target of the issue: worker RSS within ± this fraction of its value after the warm-up.
RSS_TOLERANCE = 0.10
#: Seconds kept free between the last request's signature and the server's
#: ``broker.message_max_age`` (setup, start-up and the drain happen after the signing).
_AGE_MARGIN = 120.0


def _case(kennung: str) -> TestCase:
    return next(c for c in TEST_CASES if c.kennung == kennung)


@dataclass(frozen=True, slots=True)
class MixEntry:
    label: str
    case: TestCase
    weight: int


#: The request mix: the common transaction, a search without hit, a phonetic search.
MIX: tuple[MixEntry, ...] = (
    MixEntry("exact", _case("TF01"), 8),
    MixEntry("no hit", _case("TF04"), 1),
    MixEntry("phonetic", _case("TF03"), 1),
)


@dataclass(frozen=True, slots=True)
class _Job:
    index: int
    kind: int  # index into MIX
    due: float  # perf_counter value at which the request is scheduled
    envelope: bytes


@dataclass(frozen=True, slots=True)
class _Record:
    kind: int
    due: float  # seconds after the start
    sent: float
    done: float
    error: str | None


@dataclass(frozen=True, slots=True)
class _Setup:
    url: str
    ca_file: str
    check_every: int
    checkers: tuple[_AnswerChecker, ...]
    timeout: float


@dataclass
class _Counters:
    checked: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count_check(self) -> None:
        with self.lock:
            self.checked += 1


def _sender(
    setup: _Setup,
    jobs: queue.Queue[_Job | None],
    start: float,
    records: list[_Record],
    counters: _Counters,
) -> None:
    session = requests.Session()
    session.trust_env = False  # an environment CA bundle must not override verify
    session.verify = setup.ca_file
    clock = time.perf_counter
    try:
        while True:
            job = jobs.get()
            if job is None:
                return
            sent = clock()
            error: str | None = None
            body = b""
            try:
                response = session.post(
                    setup.url, data=job.envelope, headers=_HEADERS, timeout=setup.timeout
                )
                body = response.content
                if response.status_code != 200:
                    error = f"HTTP {response.status_code}: {body[:200]!r}"
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            done = clock()
            # Checked after the clock stopped: verification is the client's cost.
            if error is None and setup.check_every and job.index % setup.check_every == 0:
                counters.count_check()
                error = setup.checkers[job.kind].problem(body)
            records.append(_Record(job.kind, job.due - start, sent - start, done - start, error))
    finally:
        session.close()


def _machine_busy_seconds() -> float:
    """CPU seconds all cores of the machine spent busy since boot (``/proc/stat``)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class _Sample:
    at: float  # seconds after the start
    memory: dict[int, dict[str, int]]  # worker pid -> VmRSS/RssAnon KiB
    worker_cpu: dict[int, float]
    server_cpu: float
    client_cpu: float
    machine_busy: float
    load1: float


def _sample(server: ServerProcess, at: float) -> _Sample:
    pids = worker_pids(server.process.pid)
    return _Sample(
        at=at,
        memory={pid: memory_kib(pid) for pid in pids},
        worker_cpu={pid: cpu_seconds_of(pid) for pid in pids},
        server_cpu=server.cpu_seconds(),
        client_cpu=_own_cpu(),
        machine_busy=_machine_busy_seconds(),
        load1=os.getloadavg()[0],
    )


def _sampler(
    server: ServerProcess, start: float, every: float, stop: threading.Event, out: list[_Sample]
) -> None:
    k = 0
    while True:
        delay = start + k * every - time.perf_counter()
        if delay > 0 and stop.wait(delay):
            return
        out.append(_sample(server, k * every))
        k += 1


def _schedule(count: int, seed: int) -> list[int]:
    """Which mix entry request ``i`` is: drawn by weight, reproducibly."""
    chooser = random.Random(seed)
    weights = [m.weight for m in MIX]
    return chooser.choices(range(len(MIX)), weights=weights, k=count)


def _sign(world: BenchWorld, kinds: list[int], *, progress: bool) -> list[bytes]:
    pools: list[list[bytes]] = []
    for i, entry in enumerate(MIX):
        factory = RequestFactory(world, case=entry.case)
        needed = kinds.count(i)
        print(f"[soak] signing {needed} requests '{entry.label}' ({entry.case.kennung}) …")
        pools.append([answer_envelope(doc) for doc in factory.presign(needed, progress=progress)])
    cursors = [0] * len(MIX)
    envelopes = []
    for kind in kinds:
        envelopes.append(pools[kind][cursors[kind]])
        cursors[kind] += 1
    return envelopes


def _smoke(server: ServerProcess, setup: _Setup, world: BenchWorld) -> None:
    """A few requests of every kind before the run: a broken setup fails fast."""
    records: list[_Record] = []
    jobs: queue.Queue[_Job | None] = queue.Queue()
    start = time.perf_counter()
    for kind, entry in enumerate(MIX):
        for envelope in RequestFactory(world, case=entry.case).presign(2, progress=False):
            jobs.put(_Job(0, kind, start, answer_envelope(envelope)))  # index 0: checked
    jobs.put(None)
    _sender(setup, jobs, start, records, _Counters())
    failed = [r.error for r in records if r.error]
    if failed:
        raise ServerStartError(f"smoke requests failed: {failed[:3]} (log: {server.log_path})")


def _p99_by_kind(records: list[_Record]) -> dict[str, float | None]:
    """p99 per mix entry: a neutral answer (03) leaves no earlier than
    ``server.neutral_answer_floor`` after arrival (§ 34a Abs. 5 BMG), so with one request in ten
    a no-hit, the p99 of all requests is that floor, not the service's own tail."""
    out: dict[str, float | None] = {}
    for kind, entry in enumerate(MIX):
        values = sorted((r.done - r.due) * 1000 for r in records if r.kind == kind and not r.error)
        out[entry.label] = round(percentile(values, 0.99), 2) if values else None
    return out


def _max_in_flight(records: list[_Record], lo: float, hi: float) -> int:
    """Most requests sent and not yet answered at any moment in [lo, hi): what the server
    held at once (a worker's memory high-water mark follows it)."""
    current = sum(1 for r in records if r.sent < lo <= r.done)
    events = sorted(
        [(r.sent, 1) for r in records if lo <= r.sent < hi]
        + [(r.done, -1) for r in records if lo <= r.done < hi]
    )
    peak = current
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


def _stability(values: list[float]) -> dict[str, float | None]:
    """Lowest and highest p99 of the windows, and their ratio (1.0: perfectly stable)."""
    if not values:
        return {"min_ms": None, "max_ms": None, "max_over_min": None}
    low, high = min(values), max(values)
    return {"min_ms": low, "max_ms": high, "max_over_min": round(high / low, 2) if low else None}


def _window_rows(
    records: list[_Record], samples: list[_Sample], *, window: float, duration: float
) -> list[dict[str, Any]]:
    by_time = {round(s.at, 6): s for s in samples}
    rows = []
    count = round(duration / window)
    for k in range(count):
        lo, hi = k * window, (k + 1) * window
        due = [r for r in records if lo <= r.due < hi]
        ok = sorted((r.done - r.due) * 1000 for r in due if r.error is None)
        lag = sorted((r.sent - r.due) * 1000 for r in due)
        completed_ok = sum(1 for r in records if lo <= r.done < hi and r.error is None)
        first, last = by_time.get(round(lo, 6)), by_time.get(round(hi, 6))
        row: dict[str, Any] = {
            "from_s": lo,
            "to_s": hi,
            "due": len(due),
            "answered_ok": len(ok),
            "errors": sum(1 for r in due if r.error),
            "latency_ms": {
                "p50": round(percentile(ok, 0.5), 2),
                "p95": round(percentile(ok, 0.95), 2),
                "p99": round(percentile(ok, 0.99), 2),
                "max": round(ok[-1], 2),
            }
            if ok
            else None,
            "p99_by_kind_ms": _p99_by_kind(due),
            "send_lag_p99_ms": round(percentile(lag, 0.99), 2) if lag else None,
            "max_in_flight": _max_in_flight(records, lo, hi),
        }
        if first is not None and last is not None:
            span = last.at - first.at
            server_cpu = last.server_cpu - first.server_cpu
            row["server_cpu_ms_per_answer"] = (
                round(server_cpu * 1000 / completed_ok, 3) if completed_ok else None
            )
            row["server_cpu_cores"] = round(server_cpu / span, 3)
            row["client_cpu_cores"] = round((last.client_cpu - first.client_cpu) / span, 3)
            row["machine_busy_cores"] = round((last.machine_busy - first.machine_busy) / span, 3)
            row["load1"] = round(last.load1, 2)
            row["rss_mib"] = {
                str(pid): round(m.get("VmRSS", 0) / 1024, 1) for pid, m in last.memory.items()
            }
        rows.append(row)
    return rows


def _slope_per_minute(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, value) in value per minute."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return None
    cov = sum((t - mean_t) * (v - mean_v) for t, v in points)
    return cov / var * 60.0


def _rss_verdict(samples: list[_Sample], warmup: float) -> dict[str, Any]:
    """Per worker: RSS at the end of the warm-up, at the end, the extremes after it, flatness."""
    pids = sorted({pid for s in samples for pid in s.memory})
    out: dict[str, Any] = {}
    for pid in pids:
        series = [(s.at, s.memory[pid]) for s in samples if s.memory.get(pid)]
        after = [(t, m) for t, m in series if t >= warmup]
        if not after:
            out[str(pid)] = {"note": "no sample after the warm-up (worker replaced?)"}
            continue
        entry: dict[str, Any] = {"first_sample_s": series[0][0], "last_sample_s": series[-1][0]}
        for key in ("VmRSS", "RssAnon"):
            values = [(t, m[key] / 1024) for t, m in after if key in m]
            if not values:
                continue
            base = values[0][1]
            peak = max(v for _, v in values)
            low = min(v for _, v in values)
            entry[key] = {
                "start_mib": round(series[0][1].get(key, 0) / 1024, 1),
                "after_warmup_mib": round(base, 1),
                "last_mib": round(values[-1][1], 1),
                "max_mib": round(peak, 1),
                "min_mib": round(low, 1),
                "last_vs_warmup_pct": round((values[-1][1] / base - 1) * 100, 2),
                "max_vs_warmup_pct": round((peak / base - 1) * 100, 2),
                "slope_mib_per_min": _round(_slope_per_minute(values), 3),
                "flat_within_10pct": all(abs(v / base - 1) <= RSS_TOLERANCE for _, v in values),
            }
        out[str(pid)] = entry
    return out


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _one_backend(
    world: BenchWorld,
    *,
    backend: str,
    rate: float,
    duration: float,
    workers: int,
    connections: int,
    warmup: float,
    window: float,
    sample_every: float,
    check_every: int,
    timeout: float,
    seed: int,
    progress: bool,
) -> dict[str, Any]:
    max_age = world.config.broker.message_max_age
    if duration + _AGE_MARGIN > max_age:
        raise InvalidSetup(
            f"--duration {duration:.0f} s: requests signed beforehand would be older than "
            f"broker.message_max_age ({max_age:.0f} s) when sent; at most "
            f"{max_age - _AGE_MARGIN:.0f} s"
        )
    count = int(rate * duration)
    kinds = _schedule(count, seed)
    envelopes = _sign(world, kinds, progress=progress)
    extra = ["--workers", str(workers)] if workers > 1 else []
    server = start_server(world.data_dir, extra_args=extra)
    try:
        setup = _Setup(
            url=server.endpoint,
            ca_file=str(world.demo["ca_file"]),
            check_every=check_every,
            checkers=tuple(_AnswerChecker(world, m.case.status) for m in MIX),
            timeout=timeout,
        )
        _smoke(server, setup, world)
        pids = worker_pids(server.process.pid)
        print(
            f"[soak] {backend}: server pid {server.process.pid}, workers {pids}; "
            f"{count} requests at {rate:g}/s for {duration:.0f} s …",
            flush=True,
        )
        jobs: queue.Queue[_Job | None] = queue.Queue()
        records: list[_Record] = []
        counters = _Counters()
        stop = threading.Event()
        samples: list[_Sample] = []
        start = time.perf_counter() + 0.5
        senders = [
            threading.Thread(
                target=_sender,
                args=(setup, jobs, start, records, counters),
                name=f"sender-{i}",
                daemon=True,  # one hung past the drain deadline must not keep the bench alive
            )
            for i in range(connections)
        ]
        for thread in senders:
            thread.start()
        sampler = threading.Thread(
            target=_sampler, args=(server, start, sample_every, stop, samples), name="sampler"
        )
        sampler.start()
        clock = time.perf_counter
        next_report = window
        for i, envelope in enumerate(envelopes):
            due = start + i / rate
            delay = due - clock()
            if delay > 0:
                time.sleep(delay)
            jobs.put(_Job(i, kinds[i], due, envelope))
            if progress and i / rate >= next_report:
                answered = len(records)
                bad = sum(1 for r in records if r.error)
                print(
                    f"[soak]   {next_report:.0f} s: {i} due, {answered} answered, "
                    f"{bad} errors, queue {jobs.qsize()}",
                    flush=True,
                )
                next_report += window
        # Wait for the schedule's end (the last window's sample). Requests still queued then
        # were never sent (the server fell behind): dropped and counted as not answered, so
        # the run ends within one request timeout of its schedule whatever the backlog.
        time.sleep(max(0.0, start + duration - clock()) + sample_every / 2)
        unsent = 0
        while True:
            try:
                jobs.get_nowait()
            except queue.Empty:
                break
            unsent += 1
        for _ in senders:
            jobs.put(None)
        drain_deadline = clock() + timeout + 5
        for thread in senders:
            thread.join(timeout=max(0.0, drain_deadline - clock()))
        stop.set()
        sampler.join()
    finally:
        server.stop()
    # The server's log outlives the temporary data directory: errors are looked up in it.
    kept_log = RESULTS_DIR / f"{NAME}-{backend}.serve.log"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_bytes = 0
    if server.log_path.exists():
        shutil.copyfile(server.log_path, kept_log)
        log_bytes = kept_log.stat().st_size
    pid_sets = {tuple(sorted(s.memory)) for s in samples}
    windows = _window_rows(records, samples, window=window, duration=duration)
    steady = [w for w in windows if w["from_s"] >= warmup and w["latency_ms"]]
    p99s = [w["latency_ms"]["p99"] for w in steady]
    ok_after = sorted(
        (r.done - r.due) * 1000 for r in records if r.due >= warmup and r.error is None
    )
    errors = [r.error for r in records if r.error]
    span_samples = [s for s in samples if s.at <= duration]
    total_cpu = span_samples[-1].server_cpu - span_samples[0].server_cpu
    answered_ok = sum(1 for r in records if r.error is None)
    return {
        "backend": backend,
        "server_pid": server.process.pid,
        "worker_pids": pids,
        "worker_sets_seen": [list(p) for p in sorted(pid_sets)],
        "requests_scheduled": count,
        "requests_recorded": len(records),
        "not_answered": count - len(records),
        "not_sent_at_schedule_end": unsent,
        "answered_ok": answered_ok,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "answers_checked": counters.checked,
        "per_kind": {
            m.label: sum(1 for r in records if r.kind == i and r.error is None)
            for i, m in enumerate(MIX)
        },
        "server_cpu_ms_per_answer": round(total_cpu * 1000 / answered_ok, 3)
        if answered_ok
        else None,
        "server_log_bytes": log_bytes,
        "server_log": str(kept_log),
        "latency_after_warmup_ms": {
            "p50": round(percentile(ok_after, 0.5), 2),
            "p99": round(percentile(ok_after, 0.99), 2),
            "max": round(ok_after[-1], 2),
        }
        if ok_after
        else None,
        "p99_after_warmup": _stability(p99s),
        "p99_by_kind_after_warmup": {
            m.label: _stability(
                [v for w in steady if (v := w["p99_by_kind_ms"].get(m.label)) is not None]
            )
            for m in MIX
        },
        "latency_by_kind_after_warmup_ms": {
            m.label: _p99_by_kind([r for r in records if r.due >= warmup])[m.label] for m in MIX
        },
        "rss": _rss_verdict(span_samples, warmup),
        "windows": windows,
        "samples": [
            {
                "at_s": s.at,
                "rss_kib": {str(p): m for p, m in s.memory.items()},
                "worker_cpu_s": {str(p): round(c, 2) for p, c in s.worker_cpu.items()},
                "server_cpu_s": round(s.server_cpu, 3),
                "client_cpu_s": round(s.client_cpu, 3),
                "machine_busy_s": round(s.machine_busy, 2),
                "load1": round(s.load1, 2),
            }
            for s in samples
        ],
    }


def _print(run_result: dict[str, Any], *, rate: float, workers: int) -> None:
    pids = sorted({pid for w in run_result["windows"] for pid in w.get("rss_mib", {})}, key=int)
    rows = []
    for w in run_result["windows"]:
        lat = w["latency_ms"] or {}
        rss = w.get("rss_mib", {})
        rows.append(
            (
                f"{w['from_s']:.0f}–{w['to_s']:.0f}",
                w["due"],
                w["answered_ok"],
                w["errors"],
                lat.get("p50", "-"),
                lat.get("p95", "-"),
                lat.get("p99", "-"),
                w["p99_by_kind_ms"].get(MIX[0].label) or "-",
                lat.get("max", "-"),
                w["max_in_flight"],
                w.get("server_cpu_ms_per_answer") or "-",
                w.get("server_cpu_cores", "-"),
                w.get("machine_busy_cores", "-"),
                w.get("load1", "-"),
                *(rss.get(p, "-") for p in pids),
            )
        )
    print_table(
        f"Sustained run, {run_result['backend']}: {rate:g} req/s open loop, {workers} workers "
        "(latency ms from the scheduled send; RSS MiB at the window's end)",
        (
            "window s",
            "due",
            "ok",
            "err",
            "p50",
            "p95",
            "p99",
            f"p99 {MIX[0].label}",
            "max",
            "in flight",
            "srv ms/ans",
            "srv cores",
            "machine cores",
            "load1",
            *(f"RSS {p}" for p in pids),
        ),
        rows,
    )
    rss_rows = []
    for pid, entry in run_result["rss"].items():
        for key in ("VmRSS", "RssAnon"):
            if key in entry:
                e = entry[key]
                rss_rows.append(
                    (
                        f"{pid} {key}",
                        e["start_mib"],
                        e["after_warmup_mib"],
                        e["last_mib"],
                        e["max_mib"],
                        e["last_vs_warmup_pct"],
                        e["max_vs_warmup_pct"],
                        e["slope_mib_per_min"] if e["slope_mib_per_min"] is not None else "-",
                        "yes" if e["flat_within_10pct"] else "NO",
                    )
                )
    print_table(
        "Worker memory (MiB): at start, after the warm-up, last, max; change vs after warm-up",
        (
            "worker",
            "start",
            "warm",
            "last",
            "max",
            "last %",
            "max %",
            "MiB/min",
            "flat ±10%",
        ),
        rss_rows,
    )
    stab = run_result["p99_after_warmup"]
    print(
        f"  p99 per window after the warm-up: {stab['min_ms']}–{stab['max_ms']} ms "
        f"(max/min {stab['max_over_min']}); errors {run_result['errors']}, "
        f"not answered {run_result['not_answered']} (never sent, the schedule's end reached "
        f"with them queued: {run_result['not_sent_at_schedule_end']}), answers checked "
        f"{run_result['answers_checked']}; server CPU {run_result['server_cpu_ms_per_answer']} "
        "ms per answer"
    )
    for label, stab in run_result["p99_by_kind_after_warmup"].items():
        print(
            f"  p99 '{label}' per window after the warm-up: {stab['min_ms']}–{stab['max_ms']} ms "
            f"(max/min {stab['max_over_min']})"
        )
    for example in run_result["error_examples"]:
        print(f"  error: {example}")


def run(
    *,
    backends: Sequence[str] = ("postgresql",),
    duration: float = 600.0,
    rate: float = 40.0,
    workers: int = 2,
    connections: int = 16,
    warmup: float = 60.0,
    window: float = 60.0,
    sample_every: float = 5.0,
    persons: int = 5000,
    check_every: int = 10,
    timeout: float = 30.0,
    seed: int = 1,
    pg_url: str = DEFAULT_PG_URL,
    progress: bool = True,
) -> dict[str, Any]:
    """The sustained run on each back-end; prints the tables, writes ``bench/results/soak.json``."""
    if not 0 < rate <= 500:
        raise InvalidSetup("--rate must lie in (0, 500] requests per second (loopback only)")
    if not 1 <= connections <= 64 or not 1 <= workers <= 8:
        raise InvalidSetup("--connections must lie in [1, 64], --workers in [1, 8]")
    if window <= 0 or sample_every <= 0 or round(window / sample_every) * sample_every != window:
        raise InvalidSetup("--window must be a positive multiple of --sample")
    if duration < window or round(duration / window) * window != duration:
        raise InvalidSetup("--duration must be a positive multiple of --window")
    if not 0 <= warmup < duration:
        raise InvalidSetup("--warmup must lie in [0, duration)")
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown:
        raise InvalidSetup(f"unknown back-end(s) {unknown}; choose from {BACKENDS}")
    runs: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    for backend in backends:
        with ExitStack() as stack:
            url: str | None = None
            if backend == "postgresql":
                reason = pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = f"not reachable: {reason}"
                    continue
                url = stack.enter_context(fresh_schema(pg_url, prefix="bench_soak"))
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="datenspiegel-soak-"))
            print(f"[soak] {backend}: datenspiegel init with {persons} persons …", flush=True)
            world = create_world(
                Path(tmp) / "var", persons=persons, database_url=url, progress=progress
            )
            result = _one_backend(
                world,
                backend=backend,
                rate=rate,
                duration=duration,
                workers=workers,
                connections=connections,
                warmup=warmup,
                window=window,
                sample_every=sample_every,
                check_every=check_every,
                timeout=timeout,
                seed=seed,
                progress=progress,
            )
            runs.append(result)
            _print(result, rate=rate, workers=workers)
    for backend, reason in skipped.items():
        print(f"  skipped {backend}: {reason}")
    out = {
        "parameters": {
            "backends": list(backends),
            "duration_s": duration,
            "rate_per_s": rate,
            "workers": workers,
            "connections": connections,
            "warmup_s": warmup,
            "window_s": window,
            "sample_s": sample_every,
            "register_persons_generated": persons,
            "check_every": check_every,
            "mix": {m.label: {"case": m.case.kennung, "weight": m.weight} for m in MIX},
            "rss_tolerance": RSS_TOLERANCE,
        },
        "runs": runs,
        "skipped": skipped,
    }
    path = write_result(NAME, out)
    print(f"  written {path}")
    return out


def figures(result: dict[str, Any]) -> list[Figure]:
    out: list[Figure] = []
    for r in result["runs"]:
        b = r["backend"]
        out.append(Figure(NAME, f"errors ({b})", r["errors"] + r["not_answered"], ""))
        stab = r["p99_after_warmup"]
        if stab["max_over_min"] is not None:
            out.append(Figure(NAME, f"p99 max/min over windows ({b})", stab["max_over_min"], "×"))
        for pid, entry in r["rss"].items():
            if "VmRSS" in entry:
                out.append(
                    Figure(
                        NAME,
                        f"worker {pid} RSS max vs after warm-up ({b})",
                        entry["VmRSS"]["max_vs_warmup_pct"],
                        "%",
                    )
                )
    return out


def problems(result: dict[str, Any]) -> list[str]:
    """What misses the issue's target: errors, unanswered requests, a worker RSS not flat."""
    found = []
    for r in result["runs"]:
        if r["errors"] or r["not_answered"]:
            found.append(
                f"{r['backend']}: {r['errors']} errors, {r['not_answered']} not answered: "
                f"{r['error_examples'][:2]}"
            )
        for pid, entry in r["rss"].items():
            vm = entry.get("VmRSS")
            if vm is not None and not vm["flat_within_10pct"]:
                found.append(
                    f"{r['backend']}: worker {pid} RSS not within ±10 % of "
                    f"{vm['after_warmup_mib']} MiB (max {vm['max_mib']}, last {vm['last_mib']})"
                )
    return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duration", type=float, default=600.0, help="seconds of load (default 600)"
    )
    parser.add_argument(
        "--rate", type=float, default=40.0, help="requests per second, fixed (default 40)"
    )
    parser.add_argument("--workers", type=int, default=2, help="serve --workers (default 2)")
    parser.add_argument(
        "--backend",
        choices=(*BACKENDS, "both"),
        default="postgresql",
        help="register and broker state in PostgreSQL (a throw-away schema), SQLite, or both "
        "one after the other (default postgresql)",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=16,
        help="sender threads, each a keep-alive HTTPS session (default 16)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=60.0,
        help="seconds at the start left out of the RSS baseline and p99 stability (default 60)",
    )
    parser.add_argument(
        "--window", type=float, default=60.0, help="seconds per reported window (default 60)"
    )
    parser.add_argument(
        "--sample", type=float, default=5.0, help="seconds between /proc samples (default 5)"
    )
    parser.add_argument(
        "--check-every",
        type=int,
        default=10,
        help="verify every n-th answer completely (default 10; 0: none)",
    )
    parser.add_argument(
        "--persons", type=int, default=5000, help="synthetic persons in the register (default 5000)"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)"
    )
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server (default %(default)s)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak",
        description="datenspiegel serve over TLS at a fixed request rate for a sustained time: "
        "latency per window, worker RSS, errors.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    try:
        result = run(
            backends=backends,
            duration=args.duration,
            rate=args.rate,
            workers=args.workers,
            connections=args.connections,
            warmup=args.warmup,
            window=args.window,
            sample_every=args.sample,
            persons=args.persons,
            check_every=args.check_every,
            timeout=args.timeout,
            pg_url=args.pg_url,
            progress=not args.quiet,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return exit_status(problems(result))


if __name__ == "__main__":
    raise SystemExit(main())
