"""The Twisted TLS server hosting the WSGI front. There is no plaintext listener at all.

One worker process: a reactor, a thread pool for the WSGI application, the connection guard
(``connections``). Several: the parent in ``supervisor`` forks them around one bound socket.
Stopping is a drain (SIGTERM → no new connections, in-flight requests finish within the grace
period, threads joined off the reactor thread, stores closed), bounded by a hard exit.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from cryptography.hazmat.primitives import serialization
from twisted.internet.defer import Deferred
from twisted.python.threadpool import ThreadPool
from twisted.web.server import Request, Site

from datenspiegel.service.config import ServiceConfig
from datenspiegel.service.connections import (
    CLIENT_CERTIFICATE_HEADER,
    RELEASE_HEADER,
    ConnectionGuard,
    ConnectionLimits,
    GuardedChannel,
)
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.health import FailureBurst
from datenspiegel.service.supervisor import RestartBudget, supervise
from datenspiegel.service.systemd import notify
from datenspiegel.service.tls import ReloadingTLSContext
from datenspiegel.service.wsgi_container import BufferedWSGIResource
from datenspiegel.wsdl import SERVICE_PATH

__all__ = ["Worker", "run_worker", "serve"]

log = logging.getLogger(__name__)

_RELEASE = RELEASE_HEADER.encode("ascii")
_CLIENT_CERTIFICATE = CLIENT_CERTIFICATE_HEADER.encode("ascii")
_TOO_LARGE = (
    b"HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
)
#: Descriptors a worker needs besides its connections (databases, files, the reactor's own).
_RESERVED_DESCRIPTORS = 64
#: Seconds after the grace period before a worker that still has not stopped exits hard.
_JOIN_MARGIN = 5.0
#: How often a worker checks that its supervisor is still alive.
_PARENT_POLL = 0.5


def _guarded(task: Callable[[], object]) -> Callable[[], None]:
    """A periodic task whose failure (the database locked or down, say) is one log line per
    burst, not a traceback each round: it runs again at its next interval anyway."""
    name = getattr(task, "__qualname__", None) or getattr(task, "__name__", "periodic task")
    burst = FailureBurst(f"periodic task {name}", logger=log)

    def run() -> None:
        try:
            task()
        except Exception as exc:
            text = str(exc)
            burst.failed(f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}")
        else:
            burst.succeeded()

    return run


def _peer_fingerprint(channel: Any) -> str | None:
    """SHA-256 (hex) of the TLS client certificate of ``channel``'s connection, if any."""
    transport = getattr(channel, "transport", None)
    get = getattr(transport, "getPeerCertificate", None)
    if get is None:
        return None
    certificate = get()
    if certificate is None:
        return None
    return hashlib.sha256(
        certificate.to_cryptography().public_bytes(serialization.Encoding.DER)
    ).hexdigest()


def _limited_request(
    max_body_bytes: int, on_refused: Callable[[str | None, str], None]
) -> type[Request]:
    """``on_refused(client_address, reason)`` is called in the reactor thread: must not block."""

    class LimitedRequest(Request):
        """Refuses bodies over the limit before buffering them (Content-Length or chunks), and
        holds an answer the front marked with a release time until then — in the reactor,
        without keeping a WSGI thread."""

        _received = 0
        _refused = False
        _held: list[bytes] | None = None
        _finish_held = False

        def write(self, data: bytes) -> None:
            if not self.startedWriting and self._held is None:
                self._hold_if_marked()
            if self._held is not None:
                self._held.append(data)
                return
            super().write(data)

        def finish(self) -> None:
            if self._held is not None:
                self._finish_held = True
                return
            super().finish()

        def _hold_if_marked(self) -> None:
            marks = self.responseHeaders.getRawHeaders(_RELEASE)
            if not marks:
                return
            self.responseHeaders.removeHeader(_RELEASE)
            delay = float(marks[0]) - time.perf_counter()
            if delay > 0:
                self._held = []
                channel: Any = self.channel
                channel.callLater(delay, self._release)

        def _release(self) -> None:
            held, self._held = self._held or [], None
            if self._disconnected:
                return
            for data in held:
                super().write(data)
            if self._finish_held:
                super().finish()

        def _refuse(self, reason: str) -> None:
            if self._refused:  # more of the same body in one read
                return
            self._refused = True
            channel: Any = self.channel
            on_refused(channel.source, reason)
            channel.refuse(_TOO_LARGE)

        def requestReceived(self, command: bytes, path: bytes, version: bytes) -> None:
            # The TLS client certificate, as only the server can know it: whatever a client
            # sent under this header name is dropped first.
            self.requestHeaders.removeHeader(_CLIENT_CERTIFICATE)
            fingerprint = _peer_fingerprint(self.channel)
            if fingerprint is not None:
                self.requestHeaders.setRawHeaders(_CLIENT_CERTIFICATE, [fingerprint.encode()])
            super().requestReceived(command, path, version)

        def gotLength(self, length: int | None) -> None:
            if length is not None and length > max_body_bytes:
                self._refuse(f"declared body of {length} bytes")
                return
            super().gotLength(length)

        def handleContentChunk(self, data: bytes) -> None:
            self._received += len(data)
            if self._received > max_body_bytes:
                self._refuse(f"chunked body over {max_body_bytes} bytes")
                return
            super().handleContentChunk(data)

    return LimitedRequest


@dataclass(frozen=True, slots=True)
class Worker:
    """What one worker process serves, and the hooks the server calls into it."""

    app: Callable[..., Any]
    #: Record a request the server refused before the app saw it (body over the limit).
    on_refused: Callable[[str | None, str], None]
    close: Callable[[], None] = lambda: None
    #: Count a connection event (``refused_per_source``, ``evicted``, ``read_deadline`` …).
    on_connection_event: Callable[[str], None] = lambda _kind: None
    #: Called once when the worker starts draining (``/ready`` turns 503).
    on_drain: Callable[[], None] = lambda: None
    #: Work repeated while serving, as (interval in seconds, task); run in the worker's thread
    #: pool (tasks may read the database), first after one interval.
    periodic: tuple[tuple[float, Callable[[], object]], ...] = ()
    #: Told the listener's TLS context once it is made (its certificates' expiry in /metrics).
    on_tls_context: Callable[[ReloadingTLSContext], None] = lambda _context: None


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another with --listen"
        ) from None
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _raise_descriptor_limit(limits: ConnectionLimits) -> None:
    """Every connection is a descriptor: lift the soft limit to the hard one, and say so when
    even that is below what the connection cap needs (the cap is then not the bound)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = limits.max_connections + _RESERVED_DESCRIPTORS
    if soft < wanted and soft != hard:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    if soft < wanted:
        log.warning(
            "descriptor limit %d is below max_connections %d + %d reserved; raise LimitNOFILE",
            soft,
            limits.max_connections,
            _RESERVED_DESCRIPTORS,
        )


def _stop_pool(reactor: Any, pool: ThreadPool) -> Deferred[None]:
    """Join the WSGI threads off the reactor thread.

    ``ThreadPool.stop`` joins threads; a thread still writing its answer waits for the reactor,
    so joining *in* the reactor thread is the deadlock the skeleton had.
    """
    done: Deferred[None] = Deferred()

    def join() -> None:
        pool.stop()
        reactor.callFromThread(done.callback, None)

    threading.Thread(target=join, name="datenspiegel-pool-stop", daemon=True).start()
    return done


def _hard_exit_after(seconds: float) -> threading.Timer:
    """The last line of defence: a worker that is not gone ``seconds`` after SIGTERM exits."""

    def hard_exit() -> None:
        log.error("worker did not stop within %.0f s of the stop signal: exiting hard", seconds)
        logging.shutdown()
        os._exit(1)

    timer = threading.Timer(seconds, hard_exit)
    timer.daemon = True
    timer.start()
    return timer


def run_worker(
    config: ServiceConfig,
    sock: socket.socket,
    make_worker: Callable[[], Worker],
    *,
    threads: int,
    parent_pid: int | None = None,
) -> int:
    """Serve on ``sock`` until SIGTERM/SIGINT (or the parent's death); return the exit status.

    SIGTERM drains: stop accepting, finish the requests in flight within
    ``server.shutdown_grace`` seconds, join the threads, close the stores. Exit status 0 after
    a clean drain, 1 when the grace period had to cut requests off.
    """
    # The reactor is imported here, in the process that runs it: a reactor created before a
    # fork would share its epoll descriptor between the workers.
    from twisted.internet import reactor as _reactor
    from twisted.internet.task import LoopingCall
    from twisted.protocols.tls import TLSMemoryBIOFactory

    reactor: Any = _reactor
    server = config.server
    limits = ConnectionLimits(
        request_timeout=server.request_timeout,
        max_connections=server.max_connections,
        max_per_source=server.max_connections_per_source,
        allowed_networks=server.allowed_networks,
    )
    _raise_descriptor_limit(limits)
    worker = make_worker()
    # All request threads start with the worker: grown one by one as the peaks of concurrent
    # requests rose, each new thread brought its malloc arena and per-thread library state,
    # and the worker's memory kept rising for as long as the peaks did (issue 11).
    pool = ThreadPool(minthreads=threads, maxthreads=threads, name="datenspiegel-wsgi")
    guard = ConnectionGuard(
        limits, call_later=reactor.callLater, on_event=worker.on_connection_event
    )
    # Every path goes to the WSGI front (it routes), one thread hand-off each way.
    site = Site(BufferedWSGIResource(reactor, pool, worker.app))
    cast(Any, site).protocol = type("Channel", (GuardedChannel,), {"guard": guard})

    def refused(client: str | None, reason: str) -> None:
        # Recording writes to the database: do it in the worker pool, not the reactor.
        pool.callInThread(worker.on_refused, client, reason)

    site.requestFactory = _limited_request(server.max_body_bytes, refused)
    site.displayTracebacks = False
    # Replaced TLS files take effect for new connections without a restart.
    context = ReloadingTLSContext(
        certificate=server.tls_certificate,
        key=server.tls_key,
        client_ca=server.client_ca,
        client_crls=server.client_crls,
    )
    worker.on_tls_context(context)
    # CertificateOptions and Site provide these interfaces through zope, which mypy cannot see.
    tls: Any = TLSMemoryBIOFactory(cast(Any, context), False, cast(Any, site))
    port = reactor.adoptStreamPort(sock.fileno(), sock.family, tls)
    sock.close()  # the reactor holds its own duplicate of the descriptor
    pool.start()
    outcome = {"status": 0}

    def stop(reason: str) -> None:
        if not reactor.running or outcome.get("stopping"):
            return
        outcome["stopping"] = 1
        log.info("%s: draining (grace %.0f s)", reason, server.shutdown_grace)
        reactor.stop()

    def drain() -> Deferred[None]:
        _hard_exit_after(server.shutdown_grace + _JOIN_MARGIN)
        if parent_pid is None:
            notify("STOPPING=1")
        worker.on_drain()
        started = time.monotonic()
        port.stopListening()

        def drained(clean: bool) -> Deferred[None]:
            log.info(
                "drained in %.2f s%s",
                time.monotonic() - started,
                "" if clean else " (grace period over, requests cut off)",
            )
            if not clean:
                outcome["status"] = 1
            return _stop_pool(reactor, pool)

        return guard.drain(server.shutdown_grace).addCallback(drained)

    def on_signal(signum: int, _frame: Any) -> None:
        reactor.callFromThread(stop, signal.Signals(signum).name)

    def watch_parent() -> None:
        if os.getppid() != parent_pid:
            stop("supervisor process gone")

    signal.signal(signal.SIGTERM, on_signal)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, on_signal)
    if parent_pid is not None:
        LoopingCall(watch_parent).start(_PARENT_POLL, now=True)
    for interval, task in worker.periodic:
        LoopingCall(pool.callInThread, _guarded(task)).start(interval, now=False)
    reactor.addSystemEventTrigger("before", "shutdown", drain)
    reactor.addSystemEventTrigger("after", "shutdown", worker.close)
    if parent_pid is None:
        reactor.callWhenRunning(notify, "READY=1", "STATUS=serving")
    reactor.run(installSignalHandlers=False)
    return outcome["status"]


def serve(
    config: ServiceConfig,
    make_worker: Callable[[], Worker],
    *,
    workers: int = 1,
    threads: int = 8,
    announce: Callable[[str], None] = lambda line: print(line, flush=True),
) -> int:
    """Listen with TLS on the configured address and serve until SIGINT/SIGTERM.

    The socket is bound once; with ``workers`` > 1 that many processes are forked and share it
    (the kernel hands each connection to one of them), each with its own reactor, thread pool
    and database connections — one process per core, since the GIL caps one process at one.
    ``make_worker`` is called in each worker process, after the fork. Returns the exit status.
    """
    if workers < 1:
        raise ValueError("workers must be at least 1")
    sock = _listening_socket(config.server.host, config.server.port)
    actual = sock.getsockname()[1]
    host = config.server.host if ":" not in config.server.host else f"[{config.server.host}]"
    plural = "es" if workers > 1 else ""
    announce(
        f"datenspiegel listening on https://{host}:{actual}{SERVICE_PATH} "
        f"(TLS only, {workers} worker process{plural})"
    )
    announce(f"WSDL: https://{host}:{actual}{SERVICE_PATH}?wsdl")
    sys.stdout.flush()
    if workers == 1:
        status = run_worker(config, sock, make_worker, threads=threads)
        if status != 0:
            logging.shutdown()
            os._exit(status)  # threads cut off in their request would keep the process alive
        return status

    def child(listener: socket.socket, parent: int) -> int:
        return run_worker(config, listener, make_worker, threads=threads, parent_pid=parent)

    return supervise(
        sock,
        child,
        workers=workers,
        grace=config.server.shutdown_grace,
        budget=RestartBudget(limit=config.server.worker_restart_limit),
    )
