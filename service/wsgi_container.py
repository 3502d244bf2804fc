"""The WSGI front in the Twisted server with one hand-off each way (issue 11: closer to the floor).

Twisted's own ``WSGIResource`` runs the application in the thread pool and hands every
``write`` of it back to the reactor with ``blockingCallFromThread``: the pool thread waits
for the reactor for the status line, again for each chunk, and hands over ``finish`` once
more. The broker's answers are small and complete when the application returns (one signed
document), so this resource runs the application in the pool, takes its whole answer there,
and gives it to the reactor once: status, headers and body are written and the request is
finished in one reactor call, without a thread waiting on it.

Work the application wants done *after* the answer was handed to the server (the
transaction's stage timings and its log line, service/web.py) is put into the environ under
:data:`AFTER_RESPONSE`; it runs in the pool after the reactor has written the answer, so it
costs the client nothing. A server that does not offer the key (a plain WSGI server, the
tests) gets the usual ``close()`` semantics instead.

The environ is the one Twisted builds (PEP 3333 with ``wsgi.url_scheme``, ``REMOTE_ADDR``,
the request headers as ``HTTP_*``); ``wsgi.input`` is the body Twisted buffered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from twisted.internet.threads import deferToThreadPool
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

__all__ = ["AFTER_RESPONSE", "BufferedWSGIResource"]

_logger = logging.getLogger(__name__)

#: environ key: a list the application may append callables to, run after the answer is out.
AFTER_RESPONSE = "datenspiegel.after_response"

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_ERROR_BODY = b"internal server error\n"


def _text(value: bytes | str) -> str:
    """PEP 3333 "native strings": bytes as ISO-8859-1."""
    return value.decode("iso-8859-1") if isinstance(value, bytes) else value


class _ErrorStream:
    """``wsgi.errors``: lines an application writes go to the log."""

    def write(self, data: str) -> None:
        if data.strip():
            _logger.error("wsgi.errors: %s", data.rstrip())

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass


@dataclass(slots=True)
class _Answer:
    """What the application answered, taken whole in the pool thread."""

    status: str = "500 Internal Server Error"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: list[bytes] = field(default_factory=list)
    after: list[Callable[[], object]] = field(default_factory=list)


def environ_of(request: Any) -> dict[str, Any]:
    """The WSGI environ of a Twisted ``request`` (as ``twisted.web.wsgi`` builds it)."""
    script = b"/" + b"/".join(request.prepath) if request.prepath else b""
    path = b"/" + b"/".join(request.postpath) if request.postpath else b""
    parts = request.uri.split(b"?", 1)
    peer = request.getClientAddress()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": _text(request.method),
        "REMOTE_ADDR": _text(getattr(peer, "host", "")),
        "REMOTE_PORT": str(getattr(peer, "port", "")),
        "SCRIPT_NAME": _text(script),
        "PATH_INFO": _text(path),
        "QUERY_STRING": _text(parts[1]) if len(parts) > 1 else "",
        "CONTENT_TYPE": _text(request.getHeader(b"content-type") or ""),
        "CONTENT_LENGTH": _text(request.getHeader(b"content-length") or ""),
        "SERVER_NAME": _text(request.getRequestHostname()),
        "SERVER_PORT": str(request.getHost().port),
        "SERVER_PROTOCOL": _text(request.clientproto),
    }
    for name, values in request.requestHeaders.getAllRawHeaders():
        key = "HTTP_" + _text(name).upper().replace("-", "_")
        environ[key] = ",".join(_text(v) for v in values).replace("\n", " ")
    content = request.content
    content.seek(0)
    environ.update(
        {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https" if request.isSecure() else "http",
            "wsgi.run_once": False,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.errors": _ErrorStream(),
            "wsgi.input": content,
        }
    )
    return environ


def _run(application: WSGIApplication, environ: dict[str, Any]) -> _Answer:
    """The application's whole answer (in a pool thread)."""
    answer = _Answer()
    after: list[Callable[[], object]] = []
    environ[AFTER_RESPONSE] = after

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if exc_info is not None and answer.body:
            raise exc_info[1].with_traceback(exc_info[2])
        answer.status, answer.headers = status, list(headers)
        return answer.body.append

    result = application(environ, start_response)
    try:
        answer.body.extend(chunk for chunk in result if chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    answer.after = after
    return answer


class BufferedWSGIResource(Resource):
    """A leaf resource that runs a WSGI application in ``pool``, one hand-off each way."""

    isLeaf = True

    def __init__(self, reactor: Any, pool: ThreadPool, application: WSGIApplication) -> None:
        super().__init__()
        self._reactor = reactor
        self._pool = pool
        self._application = application

    def render(self, request: Any) -> object:
        gone: list[bool] = []
        request.notifyFinish().addBoth(lambda _result: gone.append(True))
        environ = environ_of(request)
        answered = deferToThreadPool(self._reactor, self._pool, _run, self._application, environ)
        answered.addCallbacks(
            lambda answer: self._write(request, answer, gone),
            lambda failure: self._fail(request, failure, gone),
        )
        return NOT_DONE_YET

    def _write(self, request: Any, answer: _Answer, gone: list[bool]) -> None:
        """In the reactor: the whole answer at once, then the after-work back to the pool."""
        try:
            if not gone:
                code, _, message = answer.status.partition(" ")
                request.setResponseCode(int(code), message.encode("iso-8859-1"))
                for name, value in answer.headers:
                    request.responseHeaders.addRawHeader(
                        name.encode("iso-8859-1"), value.encode("iso-8859-1")
                    )
                for chunk in answer.body:
                    request.write(chunk)
                request.finish()
        finally:
            for task in answer.after:
                try:
                    self._pool.callInThread(_after, task)
                except Exception:  # the pool is stopping (shutdown): do it here
                    _after(task)

    def _fail(self, request: Any, failure: Failure, gone: list[bool]) -> None:
        _logger.error(
            "the WSGI application failed: %s",
            failure.getErrorMessage(),
            exc_info=failure.value,
        )
        if gone or request.startedWriting:
            return
        request.setResponseCode(500)
        request.responseHeaders.setRawHeaders(b"content-type", [b"text/plain"])
        request.responseHeaders.setRawHeaders(b"content-length", [str(len(_ERROR_BODY)).encode()])
        request.write(_ERROR_BODY)
        request.finish()


def _after(task: Callable[[], object]) -> None:
    try:
        task()
    except Exception:  # the answer is out; after-work must not take the worker down
        _logger.exception("work after the answer failed")
