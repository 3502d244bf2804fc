"""The Twisted TLS server hosting the WSGI front. There is no plaintext listener at all."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from twisted.python.threadpool import ThreadPool
from twisted.web.resource import Resource
from twisted.web.server import Request, Site
from twisted.web.wsgi import WSGIResource

from datenspiegel.service.config import ServiceConfig
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.tls import tls_context_factory
from datenspiegel.wsdl import SERVICE_PATH

__all__ = ["Worker", "serve"]

log = logging.getLogger(__name__)


def _limited_request(
    max_body_bytes: int, on_refused: Callable[[str | None, str], None]
) -> type[Request]:
    """``on_refused(client_address, reason)`` is called in the reactor thread: must not block."""

    class LimitedRequest(Request):
        """Refuses bodies over the limit before buffering them (Content-Length or chunks)."""

        _received = 0

        def _client(self) -> str | None:
            transport: Any = self.channel.transport
            return getattr(transport.getPeer(), "host", None)

        def gotLength(self, length: int | None) -> None:
            if length is not None and length > max_body_bytes:
                on_refused(self._client(), f"declared body of {length} bytes")
                transport: Any = self.channel.transport
                transport.write(
                    b"HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\n"
                    b"Content-Length: 0\r\n\r\n"
                )
                transport.loseConnection()
                return
            super().gotLength(length)

        def handleContentChunk(self, data: bytes) -> None:
            self._received += len(data)
            if self._received > max_body_bytes + 1:
                if self._received - len(data) <= max_body_bytes + 1:  # report once
                    on_refused(self._client(), f"chunked body over {max_body_bytes} bytes")
                transport: Any = self.channel.transport
                transport.abortConnection()
                return
            super().handleContentChunk(data)

    return LimitedRequest


class _Root(Resource):
    """Every path goes to the WSGI front; it routes."""

    def __init__(self, wsgi: WSGIResource) -> None:
        super().__init__()
        self._wsgi = wsgi

    def getChild(self, path: bytes, request: Any) -> Any:
        request.prepath.pop()
        request.postpath.insert(0, path)
        return self._wsgi

    def render(self, request: Any) -> Any:
        return self._wsgi.render(request)


@dataclass(frozen=True, slots=True)
class Worker:
    """What one worker process serves: its WSGI app and the recorder of refused requests."""

    app: Callable[..., Any]
    on_refused: Callable[[str | None, str], None]
    close: Callable[[], None] = lambda: None


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


def _run_worker(
    config: ServiceConfig, sock: socket.socket, make_worker: Callable[[], Worker], threads: int
) -> None:
    # The reactor is imported here, in the process that runs it: a reactor created before a
    # fork would share its epoll descriptor between the workers.
    from twisted.internet import reactor as _reactor
    from twisted.protocols.tls import TLSMemoryBIOFactory

    reactor: Any = _reactor
    worker = make_worker()
    pool = ThreadPool(minthreads=1, maxthreads=threads, name="datenspiegel-wsgi")
    site = Site(_Root(WSGIResource(reactor, pool, worker.app)))

    def refused(client: str | None, reason: str) -> None:
        # Recording writes to the database: do it in the worker pool, not the reactor.
        pool.callInThread(worker.on_refused, client, reason)

    site.requestFactory = _limited_request(config.server.max_body_bytes, refused)
    site.displayTracebacks = False
    context = tls_context_factory(
        certificate=config.server.tls_certificate,
        key=config.server.tls_key,
        client_ca=config.server.client_ca,
    )
    # CertificateOptions and Site provide these interfaces through zope, which mypy cannot see.
    tls: Any = TLSMemoryBIOFactory(cast(Any, context), False, cast(Any, site))
    reactor.adoptStreamPort(sock.fileno(), sock.family, tls)
    sock.close()  # the reactor holds its own duplicate of the descriptor
    pool.start()
    reactor.addSystemEventTrigger("during", "shutdown", pool.stop)
    reactor.addSystemEventTrigger("after", "shutdown", worker.close)
    reactor.run()


def serve(
    config: ServiceConfig,
    make_worker: Callable[[], Worker],
    *,
    workers: int = 1,
    threads: int = 8,
    announce: Callable[[str], None] = lambda line: print(line, flush=True),
) -> None:
    """Listen with TLS on the configured address and serve until SIGINT/SIGTERM.

    The socket is bound once; with ``workers`` > 1 that many processes are forked and share it
    (the kernel hands each connection to one of them), each with its own reactor, thread pool
    and database connections — one process per core, since the GIL caps one process at one.
    ``make_worker`` is called in each worker process, after the fork.
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
        _run_worker(config, sock, make_worker, threads)
        return
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # worker
            status = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us with SIGTERM
                _run_worker(config, sock, make_worker, threads)
            except BaseException:
                log.exception("worker process failed")
                status = 1
            finally:
                os._exit(status)
        children.append(pid)
    sock.close()
    _supervise(children)


def _supervise(children: list[int]) -> None:
    """Wait for the workers; on SIGTERM/SIGINT, or when one dies, stop them all."""

    def stop(signum: int, _frame: Any) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    remaining = set(children)
    while remaining:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        remaining.discard(pid)
        if remaining and os.waitstatus_to_exitcode(status) not in (0, -signal.SIGTERM):
            log.error("worker %d ended with status %d: stopping the others", pid, status)
            stop(signal.SIGTERM, None)
