"""Real TLS load: ``datenspiegel serve`` in a subprocess, concurrent keep-alive HTTPS clients.

The data directory comes from ``datenspiegel init``; requests are signed beforehand (each with
its own message id) and wrapped in SOAP envelopes, so the clients spend their time on TLS and
HTTP only. Every client thread has its own ``requests.Session`` (keep-alive, ``trust_env``
off, the development CA as the only trust anchor) and talks to 127.0.0.1 only. Each level runs
for a bounded time and a bounded number of requests; every n-th answer is checked completely
(SOAP body, broker signature against the CA, the broker's own certificate, status 01).

Per level: requests/s, latency p50/p95/p99, errors, and the server's CPU time per request read
from ``/proc`` (so client and server cost are told apart on a machine they share).

Run: ``python -m bench.load [--concurrency 1,4,8] [--duration S] [--max-requests N]
[--key-type ec-p256|rsa-3072]``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from lxml import etree

from bench.errors import BenchError, InvalidSetup, ServerStartError
from bench.report import Figure, print_table, write_result
from bench.server_process import (
    ServerProcess,
    default_serve_command,
    serve_options,
    start_server,
)
from bench.stats import summarise
from bench.world import (
    BenchWorld,
    RequestFactory,
    add_key_type_argument,
    create_world,
    load_world,
)
from datenspiegel.service.envelope import SOAP11_NAMESPACE, answer_envelope
from datenspiegel.signing import (
    MessageVerifier,
    SigningError,
    TrustStore,
    certificate_fingerprint,
    load_pem_certificates,
)
from datenspiegel.xsd import ParserLimits, parse_message

__all__ = ["add_arguments", "figures", "main", "parse_levels", "problems", "run"]

NAME = "load"
# Same value as the reference client sends (service/client.py).
_SOAP_ACTION = '"urn:xoev-de:datenspiegel:datenabruf:1:personensuche"'
_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": _SOAP_ACTION}
_REPLY_LIMITS = ParserLimits.for_answer()
#: Option names under which a multi-process ``serve`` would offer its worker count.
_WORKER_OPTIONS = ("--workers", "--processes")


class _AnswerChecker:
    """Checks a reply the way a specialist application must before trusting it."""

    def __init__(self, world: BenchWorld, expected_status: str) -> None:
        self._verifier = MessageVerifier(TrustStore.from_pem_files([Path(world.demo["ca_file"])]))
        broker = load_pem_certificates(Path(world.demo["broker_certificate"]))[0]
        self._broker = certificate_fingerprint(broker)
        self._expected = expected_status

    def problem(self, body: bytes) -> str | None:
        """None if the reply is a verified answer with the expected status, else what is wrong."""
        try:
            envelope = parse_message(body, limits=_REPLY_LIMITS)
        except Exception as exc:  # any parse failure is an error of this request
            return f"reply is not XML: {exc}"
        soap_body = envelope.find(f"{{{SOAP11_NAMESPACE}}}Body")
        if soap_body is None or len(soap_body) != 1:
            return "reply is not a SOAP envelope with one body element"
        child = soap_body[0]
        if child.tag == f"{{{SOAP11_NAMESPACE}}}Fault":
            return f"SOAP fault: {child.findtext('faultstring')}"
        document = etree.tostring(child, encoding="UTF-8", xml_declaration=True)
        try:
            verified = self._verifier.verify(document)
        except SigningError as exc:
            return f"answer signature does not verify: {exc}"
        if verified.fingerprint_sha256 != self._broker:
            return "answer is signed, but not with the broker's certificate"
        status = verified.root.findtext("ergebnis/ergebnisstatus/code")
        if status != self._expected:
            return f"answer status {status}, expected {self._expected}"
        return None


@dataclass
class _Run:
    """What all client threads of one level share: the envelopes and the deadline."""

    envelopes: list[bytes]
    deadline: float = float("inf")  # set by the main thread just before the start barrier
    _next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bytes | None:
        with self._lock:
            if self._next >= len(self.envelopes):
                return None
            envelope = self.envelopes[self._next]
            self._next += 1
            return envelope

    @property
    def exhausted(self) -> bool:
        return self._next >= len(self.envelopes)


@dataclass
class _ThreadResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checked: int = 0


@dataclass(frozen=True, slots=True)
class _ClientSetup:
    url: str
    ca_file: str
    check_every: int
    checker: _AnswerChecker
    timeout: float


def _client(
    setup: _ClientSetup, run: _Run, start: threading.Barrier, result: _ThreadResult
) -> None:
    session = requests.Session()
    session.trust_env = False  # an environment CA bundle must not override verify
    session.verify = setup.ca_file
    clock = time.perf_counter
    sent = 0
    try:
        start.wait()
        while clock() < run.deadline:
            envelope = run.take()
            if envelope is None:
                break
            began = clock()
            try:
                response = session.post(
                    setup.url, data=envelope, headers=_HEADERS, timeout=setup.timeout
                )
                body = response.content
            except requests.RequestException as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            elapsed = clock() - began
            sent += 1
            if response.status_code != 200:
                result.errors.append(f"HTTP {response.status_code}: {body[:200]!r}")
                continue
            result.latencies.append(elapsed)
            # Checked outside the timed section: verification is the client's cost.
            if setup.check_every and sent % setup.check_every == 1:
                result.checked += 1
                problem = setup.checker.problem(body)
                if problem is not None:
                    result.errors.append(problem)
    finally:
        session.close()


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _level(
    server: ServerProcess,
    setup: _ClientSetup,
    envelopes: list[bytes],
    *,
    concurrency: int,
    duration: float,
) -> dict[str, Any]:
    run = _Run(envelopes)
    results = [_ThreadResult() for _ in range(concurrency)]
    start = threading.Barrier(concurrency + 1)
    threads = [
        threading.Thread(target=_client, args=(setup, run, start, results[i]), name=f"client-{i}")
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    # Thread and session start-up are not counted: the clock starts at the barrier.
    server_cpu0, client_cpu0 = server.cpu_seconds(), _own_cpu()
    began = time.perf_counter()
    run.deadline = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    server_cpu = server.cpu_seconds() - server_cpu0
    client_cpu = _own_cpu() - client_cpu0
    latencies = [v for r in results for v in r.latencies]
    errors = [e for r in results for e in r.errors]
    ok = len(latencies)
    timing = summarise(latencies) if latencies else None
    return {
        "concurrency": concurrency,
        "seconds": round(elapsed, 3),
        "requests_ok": ok,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "answers_checked": sum(r.checked for r in results),
        "stopped_by": "request bound" if run.exhausted else "time bound",
        "requests_per_second": round(ok / elapsed, 1) if elapsed else 0.0,
        "latency": timing.as_dict() if timing else None,
        "server_cpu_ms_per_request": round(server_cpu * 1000 / ok, 3) if ok else None,
        "server_cpu_cores": round(server_cpu / elapsed, 2) if elapsed else None,
        "client_cpu_cores": round(client_cpu / elapsed, 2) if elapsed else None,
    }


#: Idle server CPU above which the CPU per request is noted as including background work.
_BUSY_IDLE_CORES = 0.02


def _idle_cores(server: ServerProcess, *, seconds: float) -> float:
    """The server's CPU while no request is sent, in cores: what its background work (start-up
    evaluation, timers) adds to every level's CPU per request at that level's rate."""
    if seconds <= 0:
        return 0.0
    cpu0, began = server.cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    return (server.cpu_seconds() - cpu0) / (time.perf_counter() - began)


def _worker_option(help_text: str) -> str | None:
    for option in _WORKER_OPTIONS:
        if option in help_text.split():
            return option
    return None


def _envelopes(factory: RequestFactory, count: int, *, progress: bool) -> list[bytes]:
    return [answer_envelope(doc) for doc in factory.presign(count, progress=progress)]


def _run_server(
    world: BenchWorld,
    *,
    processes: int,
    worker_option: str | None,
    command: list[str],
    levels: Sequence[int],
    duration: float,
    max_requests: int,
    check_every: int,
    timeout: float,
    progress: bool,
    idle_seconds: float = 3.0,
) -> dict[str, Any]:
    factory = RequestFactory(world)
    extra = [worker_option, str(processes)] if worker_option and processes > 1 else []
    print(f"[load] signing {max_requests * len(levels) + 20} requests …", flush=True)
    pools = [_envelopes(factory, max_requests, progress=progress) for _ in levels]
    warmup = _envelopes(factory, 20, progress=False)
    server = start_server(world.data_dir, command=command, extra_args=extra)
    try:
        print(
            f"[load] server {server.endpoint} (pid {server.process.pid}, "
            f"{processes} process{'es' if processes > 1 else ''})",
            flush=True,
        )
        setup = _ClientSetup(
            url=server.endpoint,
            ca_file=str(world.demo["ca_file"]),
            check_every=check_every,
            checker=_AnswerChecker(world, factory.case.status),
            timeout=timeout,
        )
        warm = _level(server, setup, warmup, concurrency=2, duration=30.0)
        if warm["errors"]:
            raise ServerStartError(
                f"warm-up requests failed: {warm['error_examples']} (log: {server.log_path})"
            )
        idle = _idle_cores(server, seconds=idle_seconds)
        if idle > _BUSY_IDLE_CORES:
            print(
                f"[load] note: the idle server uses {idle:.2f} cores (start-up work, e.g. the "
                "anomaly evaluator over a long protocol): it counts in the CPU per request",
                flush=True,
            )
        results = []
        for concurrency, envelopes in zip(levels, pools, strict=True):
            print(
                f"[load] {concurrency} concurrent clients for up to {duration:.0f} s …", flush=True
            )
            results.append(
                _level(server, setup, envelopes, concurrency=concurrency, duration=duration)
            )
    finally:
        server.stop()
    return {
        "server_processes": processes,
        "server_idle_cpu_cores": round(idle, 3),
        "port_zero_refused": server.port_zero_refused,
        "levels": results,
    }


def run(
    *,
    world: BenchWorld | None = None,
    persons: int = 5000,
    levels: Sequence[int] = (1, 4, 8),
    duration: float = 8.0,
    max_requests: int = 1500,
    check_every: int = 10,
    timeout: float = 30.0,
    command: list[str] | None = None,
    progress: bool = True,
    key_type: str = "ec-p256",
    idle_seconds: float = 3.0,
) -> dict[str, Any]:
    """Load the TLS server at each concurrency level, with 1 and (if supported) 2 processes;
    a fresh data directory is made with ``key_type``'s signature keys."""
    if any(c < 1 or c > 64 for c in levels):
        raise InvalidSetup("concurrency levels must lie between 1 and 64 (loopback only)")
    if max_requests < 1 or duration <= 0:
        raise InvalidSetup("--max-requests and --duration must be positive")
    command = command or default_serve_command()
    worker_option = _worker_option(serve_options(command))
    notes: list[str] = []
    process_counts = [1, 2] if worker_option else [1]
    if worker_option is None:
        notes.append(
            "datenspiegel serve has no option for several worker processes "
            f"(looked for {', '.join(_WORKER_OPTIONS)}): measured with 1 process only"
        )
    runs = []
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp:
        if world is None:
            print(
                f"[load] initialising a data directory with {persons} persons ({key_type}) …",
                flush=True,
            )
            world = create_world(
                Path(tmp) / "var", persons=persons, progress=progress, key_type=key_type
            )
        profile = world.key_type
        for processes in process_counts:
            runs.append(
                _run_server(
                    world,
                    processes=processes,
                    worker_option=worker_option,
                    command=command,
                    levels=levels,
                    duration=duration,
                    max_requests=max_requests,
                    check_every=check_every,
                    timeout=timeout,
                    progress=progress,
                    idle_seconds=idle_seconds,
                )
            )
    if any(r["port_zero_refused"] for r in runs):
        notes.append(
            "serve refused --listen 127.0.0.1:0 (port 0: any free port); the benchmark picked "
            "a free port itself"
        )
    rows = []
    for r in runs:
        for level in r["levels"]:
            lat = level["latency"] or {}
            rows.append(
                (
                    r["server_processes"],
                    level["concurrency"],
                    level["requests_ok"],
                    level["errors"],
                    level["requests_per_second"],
                    lat.get("median_ms", "-"),
                    lat.get("p95_ms", "-"),
                    lat.get("p99_ms", "-"),
                    level["server_cpu_ms_per_request"] or "-",
                    level["server_cpu_cores"],
                    level["client_cpu_cores"],
                )
            )
    print_table(
        f"Load over TLS (datenspiegel serve, keep-alive HTTPS, status 01, {profile}; latency ms)",
        (
            "procs",
            "clients",
            "ok",
            "errors",
            "req/s",
            "p50",
            "p95",
            "p99",
            "srv CPU ms/req",
            "srv cores",
            "client cores",
        ),
        rows,
    )
    for r in runs:
        print(
            f"  server idle CPU after warm-up ({r['server_processes']} proc): "
            f"{r['server_idle_cpu_cores']} cores"
        )
    for note in notes:
        print(f"  note: {note}")
    for r in runs:
        for level in r["levels"]:
            for example in level["error_examples"]:
                print(f"  error ({level['concurrency']} clients): {example}")
    result = {
        "parameters": {
            "levels": list(levels),
            "duration_s": duration,
            "max_requests": max_requests,
            "check_every": check_every,
            "register_persons_generated": persons,
            "key_type": profile,
            "idle_seconds": idle_seconds,
        },
        "runs": runs,
        "notes": notes,
    }
    path = write_result(NAME, result)
    print(f"  written {path}")
    return result


def figures(result: dict[str, Any]) -> list[Figure]:
    out: list[Figure] = []
    for r in result["runs"]:
        procs = r["server_processes"]
        for level in r["levels"]:
            label = f"{procs} proc, {level['concurrency']} clients"
            out.append(Figure(NAME, f"throughput ({label})", level["requests_per_second"], "req/s"))
            if level["latency"]:
                out.append(Figure(NAME, f"latency p95 ({label})", level["latency"]["p95_ms"], "ms"))
            out.append(Figure(NAME, f"errors ({label})", level["errors"], ""))
        best = max(r["levels"], key=lambda lv: lv["requests_per_second"])
        if best["server_cpu_ms_per_request"] is not None:
            out.append(
                Figure(
                    NAME,
                    f"server CPU per request ({procs} proc, {best['concurrency']} clients)",
                    best["server_cpu_ms_per_request"],
                    "ms",
                )
            )
    return out


def problems(result: dict[str, Any]) -> list[str]:
    """Failed or wrong requests: a load figure with errors is not a throughput figure."""
    found = []
    for r in result["runs"]:
        for level in r["levels"]:
            if level["errors"]:
                found.append(
                    f"{level['errors']} errors with {r['server_processes']} process(es), "
                    f"{level['concurrency']} clients: {level['error_examples'][:2]}"
                )
    return found


def parse_levels(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected e.g. 1,4,8, not {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError("at least one concurrency level")
    return values


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--concurrency",
        type=parse_levels,
        default=[1, 4, 8],
        help="client threads per level, comma-separated (default 1,4,8; max 64)",
    )
    parser.add_argument(
        "--duration", type=float, default=8.0, help="seconds per level at most (default 8)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=1500,
        help="requests per level at most, all signed beforehand (default 1500)",
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
        "--data-dir", type=Path, help="use this initialised data directory instead of a fresh one"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)"
    )
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=3.0,
        help="after the warm-up, read the idle server's CPU this long (default 3; 0: skip)",
    )
    add_key_type_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="datenspiegel serve over real TLS under concurrent keep-alive clients.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        result = run(
            world=load_world(args.data_dir) if args.data_dir else None,
            persons=args.persons,
            levels=args.concurrency,
            duration=args.duration,
            max_requests=args.max_requests,
            check_every=args.check_every,
            timeout=args.timeout,
            progress=not args.quiet,
            key_type=args.key_type,
            idle_seconds=args.idle_seconds,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return 1 if problems(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
