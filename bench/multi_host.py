"""Two hosts at once: two ``datenspiegel serve`` on separate data directories, one PostgreSQL.

The deployment of docs/operations.md ("Several hosts") on one machine: host A's data directory
comes from ``datenspiegel init`` against a throw-away PostgreSQL schema (register and broker
state), host B gets a copy of its configuration and PKI directory, nothing else. Both serve at
the same time. ``--clients`` keep-alive HTTPS clients send signed Personensuche requests of one
demo user, each with its own message id (bench.load's clients, answer checks and request pool),
in two phases of at most ``--duration`` seconds: all to host A (the one-host reference of the
same run, on the same machine load), then split over both (client *i* talks to host *i* mod 2).

Reported per phase, per host and together: requests/s, latency p50/p95/p99, errors, the
server's CPU time per request (from ``/proc``, each server's process tree), and beforehand the
CPU the idle servers spend on their periodic tasks. Afterwards ``datenspiegel protocol
verify`` runs from each host's data directory, as an operator runs it: both must pass, and
the records must be exactly the requests sent (one § 40 record per request, whichever host
took it), every one in the one Merkle log.

Run: ``python -m bench.multi_host [--clients 8] [--duration 20] [--workers 1]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.errors import BenchError, InvalidSetup, ServerStartError
from bench.load import (
    _AnswerChecker,
    _client,
    _ClientSetup,
    _envelopes,
    _own_cpu,
    _Run,
    _ThreadResult,
)
from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import exit_status, machine_info, print_table, write_result
from bench.server_process import ServerProcess, start_server
from bench.stats import summarise
from bench.world import BenchWorld, RequestFactory, create_world
from datenspiegel.service.config import CONFIG_NAME

__all__ = ["copy_host", "main", "problems", "run"]

NAME = "multi_host"
#: What host B gets from host A: the configuration (the same database URLs) and the PKI
#: directory (TLS and broker keys and certificates, trust anchors and CRLs, the protocol key).
COPIED = (CONFIG_NAME, "pki")


def copy_host(first: Path, second: Path) -> Path:
    """Set up the data directory of a second host from the first's (docs/operations.md)."""
    second.mkdir(parents=True)
    for name in COPIED:
        source = first / name
        if source.is_dir():
            shutil.copytree(source, second / name)
        else:
            shutil.copy2(source, second / name)
    return second


def _verify(data_dir: Path) -> dict[str, Any]:
    """``datenspiegel protocol verify --json`` from ``data_dir``, as the operator runs it."""
    began = time.perf_counter()
    command = [sys.executable, "-m", "datenspiegel.service.cli", "protocol", "verify"]
    done = subprocess.run(
        [*command, "--data-dir", str(data_dir), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise BenchError(
            f"protocol verify from {data_dir} gave no report (exit {done.returncode}): "
            f"{(done.stdout + done.stderr)[-1500:]}"
        ) from None
    return {
        "data_dir": str(data_dir),
        "exit_status": done.returncode,
        "seconds": round(time.perf_counter() - began, 2),
        **{k: report[k] for k in ("ok", "records", "logged", "pending", "size", "checkpoints")},
        "findings": report["findings"][:5],
    }


def _level(
    servers: Sequence[ServerProcess],
    setups: Sequence[_ClientSetup],
    envelopes: list[bytes],
    *,
    clients: int,
    duration: float,
    targets: Sequence[int] = (0, 1),
) -> dict[str, Any]:
    """``clients`` threads, client *i* on host ``targets[i mod len(targets)]``, one shared
    pool of requests; the CPU of every server is measured, also of one that gets none."""
    run = _Run(envelopes)
    results = [_ThreadResult() for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    host_of = [targets[i % len(targets)] for i in range(clients)]
    threads = [
        threading.Thread(
            target=_client,
            args=(setups[host_of[i]], run, start, results[i]),
            name=f"client-{i}",
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    cpu0 = [server.cpu_seconds() for server in servers]
    client_cpu0 = _own_cpu()
    began = time.perf_counter()
    run.deadline = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = [server.cpu_seconds() - before for server, before in zip(servers, cpu0, strict=True)]
    client_cpu = _own_cpu() - client_cpu0

    def figures(mine: list[_ThreadResult], server_cpu: float) -> dict[str, Any]:
        latencies = [v for r in mine for v in r.latencies]
        errors = [e for r in mine for e in r.errors]
        ok = len(latencies)
        timing = summarise(latencies) if latencies else None
        return {
            "requests_ok": ok,
            "errors": len(errors),
            "error_examples": sorted(set(errors))[:5],
            "answers_checked": sum(r.checked for r in mine),
            "requests_per_second": round(ok / elapsed, 1) if elapsed else 0.0,
            "latency": timing.as_dict() if timing else None,
            "server_cpu_seconds": round(server_cpu, 3),
            "server_cpu_ms_per_request": round(server_cpu * 1000 / ok, 3) if ok else None,
            "server_cpu_cores": round(server_cpu / elapsed, 2) if elapsed else None,
        }

    hosts = [
        {
            "host": "AB"[h],
            **figures([r for r, t in zip(results, host_of, strict=True) if t == h], cpu[h]),
        }
        for h in range(len(servers))
    ]
    return {
        "clients": clients,
        "seconds": round(elapsed, 3),
        "stopped_by": "request bound" if run.exhausted else "time bound",
        "hosts": hosts,
        "total": {"host": "both", **figures(results, sum(cpu))},
        "client_cpu_cores": round(client_cpu / elapsed, 2) if elapsed else None,
    }


def _load_average() -> list[float]:
    try:
        return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def _measure(
    world: BenchWorld,
    second: Path,
    *,
    clients: int,
    duration: float,
    workers: int,
    max_requests: int,
    check_every: int,
    timeout: float,
    progress: bool,
) -> dict[str, Any]:
    factory = RequestFactory(world)
    print(f"[multi_host] signing {max_requests + 20} requests …", flush=True)
    envelopes = _envelopes(factory, max_requests, progress=progress)
    warmup = _envelopes(factory, 20, progress=False)
    extra = ["--workers", str(workers)] if workers > 1 else []
    servers: list[ServerProcess] = []
    try:
        for data_dir in (world.data_dir, second):
            servers.append(start_server(data_dir, extra_args=extra))
            print(
                f"[multi_host] host {'AB'[len(servers) - 1]}: {servers[-1].endpoint} "
                f"(pid {servers[-1].process.pid}, data dir {data_dir})",
                flush=True,
            )
        checker = _AnswerChecker(world, factory.case.status)
        setups = [
            _ClientSetup(
                url=server.endpoint,
                ca_file=str(world.demo["ca_file"]),
                check_every=check_every,
                checker=checker,
                timeout=timeout,
            )
            for server in servers
        ]
        warm = _level(servers, setups, warmup, clients=2, duration=30.0)
        if warm["total"]["errors"]:
            raise ServerStartError(
                f"warm-up requests failed: {warm['total']['error_examples']} "
                f"(logs: {[str(s.log_path) for s in servers]})"
            )
        idle = _idle_cpu(servers, seconds=IDLE_SECONDS)
        load_before = _load_average()
        levels = []
        for name, targets, pool in (
            ("one host", (0,), envelopes[: len(envelopes) // 2]),
            ("two hosts", (0, 1), envelopes[len(envelopes) // 2 :]),
        ):
            print(
                f"[multi_host] {clients} clients on {name} for up to {duration:.0f} s …",
                flush=True,
            )
            level = _level(
                servers, setups, pool, clients=clients, duration=duration, targets=targets
            )
            levels.append({"phase": name, **level})
        load_after = _load_average()
    finally:
        for server in servers:
            server.stop()
    sent = sum(
        level["total"]["requests_ok"] + level["total"]["errors"] for level in [warm, *levels]
    )
    print("[multi_host] protocol verify from both data directories …", flush=True)
    verified = [_verify(data_dir) for data_dir in (world.data_dir, second)]
    return {
        "idle_server_cpu_cores": idle,
        "levels": levels,
        "warmup_requests": warm["total"]["requests_ok"],
        "requests_sent": sent,
        "verify": verified,
        "load_average_before": load_before,
        "load_average_after": load_after,
    }


#: Seconds both servers are watched without requests (their periodic tasks' own CPU).
IDLE_SECONDS = 5.0


def _idle_cpu(servers: Sequence[ServerProcess], *, seconds: float) -> list[float]:
    """CPU cores each server uses without requests: sequencer, evaluator, purges."""
    before = [server.cpu_seconds() for server in servers]
    time.sleep(seconds)
    return [
        round((server.cpu_seconds() - used) / seconds, 3)
        for server, used in zip(servers, before, strict=True)
    ]


def run(
    *,
    database_url: str = DEFAULT_PG_URL,
    persons: int = 2000,
    clients: int = 8,
    duration: float = 20.0,
    workers: int = 1,
    max_requests: int = 6000,
    check_every: int = 10,
    timeout: float = 30.0,
    progress: bool = True,
) -> dict[str, Any]:
    if not 2 <= clients <= 64:
        raise InvalidSetup("--clients must lie between 2 and 64 (loopback only)")
    if duration <= 0 or max_requests < 1 or workers < 1:
        raise InvalidSetup("--duration, --max-requests and --workers must be positive")
    reason = pg_unreachable(database_url)
    if reason is not None:
        raise InvalidSetup(f"PostgreSQL at {database_url} is not reachable: {reason}")
    with (
        fresh_schema(database_url, prefix="bench_hosts") as url,
        tempfile.TemporaryDirectory(prefix="datenspiegel-hosts-") as tmp,
    ):
        print(f"[multi_host] host A: datenspiegel init with {persons} persons …", flush=True)
        world = create_world(
            Path(tmp) / "host-a", persons=persons, database_url=url, progress=progress
        )
        second = copy_host(world.data_dir, Path(tmp) / "host-b")
        measured = _measure(
            world,
            second,
            clients=clients,
            duration=duration,
            workers=workers,
            max_requests=max_requests,
            check_every=check_every,
            timeout=timeout,
            progress=progress,
        )
    _print(measured, workers=workers)
    result = {
        "parameters": {
            "clients": clients,
            "duration_s": duration,
            "workers_per_host": workers,
            "max_requests": max_requests,
            "check_every": check_every,
            "register_persons_generated": persons,
        },
        "machine": machine_info(),
        **measured,
    }
    path = write_result(NAME, result)
    print(f"  written {path}")
    return result


def _print(measured: dict[str, Any], *, workers: int) -> None:
    rows = []
    for level in measured["levels"]:
        for entry in [*level["hosts"], level["total"]]:
            if not entry["requests_ok"] and not entry["errors"] and entry["host"] != "both":
                continue  # the idle host of the one-host phase
            rows.append(_row(level["phase"], entry))
    level = measured["levels"][-1]
    print_table(
        f"Two hosts on one PostgreSQL ({level['clients']} clients, {workers} worker(s) per "
        f"host, up to {level['seconds']:.0f} s per phase; latency ms)",
        (
            "phase",
            "host",
            "ok",
            "errors",
            "req/s",
            "p50",
            "p95",
            "p99",
            "srv CPU ms/req",
            "srv cores",
        ),
        rows,
    )
    print(f"  idle server CPU cores (A, B): {measured['idle_server_cpu_cores']}")
    print(f"  client CPU cores: {[lv['client_cpu_cores'] for lv in measured['levels']]}")
    print(
        f"  load average before/after: {measured['load_average_before']} / "
        f"{measured['load_average_after']}"
    )
    for report in measured["verify"]:
        print(
            f"  protocol verify from {report['data_dir']}: exit {report['exit_status']}, "
            f"{report['records']} records, {report['logged']} logged ({report['size']} leaves), "
            f"{report['pending']} pending, {report['checkpoints']} checkpoints, "
            f"{len(report['findings'])} findings, {report['seconds']} s"
        )
    print(f"  requests sent (warm-up included): {measured['requests_sent']}")
    for level in measured["levels"]:
        for entry in level["hosts"]:
            for example in entry["error_examples"]:
                print(f"  error ({level['phase']}, host {entry['host']}): {example}")


def _row(phase: str, entry: dict[str, Any]) -> tuple[object, ...]:
    lat = entry["latency"] or {}
    return (
        phase,
        entry["host"],
        entry["requests_ok"],
        entry["errors"],
        entry["requests_per_second"],
        lat.get("median_ms", "-"),
        lat.get("p95_ms", "-"),
        lat.get("p99_ms", "-"),
        entry["server_cpu_ms_per_request"] or "-",
        entry["server_cpu_cores"],
    )


def problems(result: dict[str, Any]) -> list[str]:
    """Errors, a protocol that does not verify, or records other than the requests sent."""
    found = []
    for level in result["levels"]:
        total = level["total"]
        if total["errors"]:
            found.append(
                f"{total['errors']} errors ({level['phase']}): {total['error_examples'][:2]}"
            )
    for report in result["verify"]:
        if report["exit_status"] != 0 or not report["ok"]:
            found.append(f"protocol verify from {report['data_dir']}: {report['findings']}")
        if report["records"] != result["requests_sent"]:
            found.append(
                f"{report['records']} records for {result['requests_sent']} requests sent "
                f"(verify from {report['data_dir']})"
            )
        if report["logged"] != report["records"]:
            found.append(f"{report['records'] - report['logged']} records not in the log")
    return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clients", type=int, default=8, help="client threads over both hosts (default 8)"
    )
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds of load at most (default 20)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="serve --workers per host (default 1)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=6000,
        help="requests at most, all signed beforehand (default 6000)",
    )
    parser.add_argument(
        "--check-every",
        type=int,
        default=10,
        help="verify every n-th answer completely (default 10; 0: none)",
    )
    parser.add_argument(
        "--persons", type=int, default=2000, help="synthetic persons in the register (default 2000)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_PG_URL,
        help="PostgreSQL server for the throw-away schema (default: PG_TEST_URL or the "
        "development server)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.multi_host",
        description="Two datenspiegel serve processes (two hosts' data directories) on one "
        "PostgreSQL under concurrent keep-alive TLS clients; then protocol verify from both.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        result = run(
            database_url=args.database_url,
            persons=args.persons,
            clients=args.clients,
            duration=args.duration,
            workers=args.workers,
            max_requests=args.max_requests,
            check_every=args.check_every,
            timeout=args.timeout,
            progress=not args.quiet,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return exit_status(problems(result))


if __name__ == "__main__":
    sys.exit(main())
