"""The Twisted TLS server hosting the WSGI front. There is no plaintext listener at all."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from twisted.internet import reactor as _reactor
from twisted.internet.interfaces import IReactorCore, IReactorSSL
from twisted.python.threadpool import ThreadPool
from twisted.web.resource import Resource
from twisted.web.server import Request, Site
from twisted.web.wsgi import WSGIResource

from datenspiegel.service.config import ServiceConfig
from datenspiegel.service.tls import tls_context_factory
from datenspiegel.wsdl import SERVICE_PATH

__all__ = ["serve"]

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


def serve(
    config: ServiceConfig,
    app: Callable[..., Any],
    *,
    on_refused: Callable[[str | None, str], None] = lambda client, reason: None,
    threads: int = 8,
    announce: Callable[[str], None] = lambda line: print(line, flush=True),
) -> None:
    """Listen with TLS on the configured address and run until stopped (SIGINT/SIGTERM)."""
    reactor: Any = _reactor
    assert IReactorSSL.providedBy(reactor) and IReactorCore.providedBy(reactor)
    pool = ThreadPool(minthreads=1, maxthreads=threads, name="datenspiegel-wsgi")
    resource = WSGIResource(reactor, pool, app)
    site = Site(_Root(resource))

    def refused(client: str | None, reason: str) -> None:
        # Recording writes to the database: do it in the worker pool, not the reactor.
        pool.callInThread(on_refused, client, reason)

    site.requestFactory = _limited_request(config.server.max_body_bytes, refused)
    site.displayTracebacks = False
    context = tls_context_factory(
        certificate=config.server.tls_certificate,
        key=config.server.tls_key,
        client_ca=config.server.client_ca,
    )
    port = reactor.listenSSL(config.server.port, site, context, interface=config.server.host)
    pool.start()
    reactor.addSystemEventTrigger("during", "shutdown", pool.stop)
    actual = port.getHost().port
    host = config.server.host if ":" not in config.server.host else f"[{config.server.host}]"
    announce(f"datenspiegel listening on https://{host}:{actual}{SERVICE_PATH} (TLS only)")
    announce(f"WSDL: https://{host}:{actual}{SERVICE_PATH}?wsdl")
    sys.stdout.flush()
    reactor.run()
