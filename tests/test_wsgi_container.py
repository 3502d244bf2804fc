"""The WSGI front in Twisted with one hand-off each way (service/wsgi_container.py, issue 11).

The reactor and the pool are replaced by recorders, so the test sees which thread would do
what: the application runs in the pool, the reactor writes the whole answer at once, and the
work after the answer (the transaction's log line and metrics) goes back to the pool — it
never runs before the answer is written.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from twisted.internet.address import IPv4Address
from twisted.web.server import NOT_DONE_YET
from twisted.web.test.requesthelper import DummyRequest

from datenspiegel.service.wsgi_container import AFTER_RESPONSE, BufferedWSGIResource


class _Reactor:
    def __init__(self) -> None:
        self.calls = 0

    def callFromThread(self, f: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        self.calls += 1
        f(*args, **kwargs)


class _Pool:
    """Runs ``callInThreadWithCallback`` at once (the application); queues ``callInThread``."""

    def __init__(self) -> None:
        self.queued: list[tuple[Callable[..., object], tuple[Any, ...]]] = []

    def callInThreadWithCallback(
        self, on_result: Callable[[bool, object], None], f: Callable[..., object], *args: Any
    ) -> None:
        try:
            result = f(*args)
        except BaseException as exc:  # as Twisted's pool does
            from twisted.python.failure import Failure

            on_result(False, Failure(exc))
        else:
            on_result(True, result)

    def callInThread(self, f: Callable[..., object], *args: Any) -> None:
        self.queued.append((f, args))

    def run_queued(self) -> None:
        queued, self.queued = self.queued, []
        for f, args in queued:
            f(*args)


def _request(body: bytes = b"<soap/>", path: bytes = b"/datenabruf") -> Any:
    request: Any = DummyRequest(path.lstrip(b"/").split(b"/"))
    request.method = b"POST"
    request.uri = path + b"?x=1"
    request.content = io.BytesIO(body)
    request.client = IPv4Address("TCP", "10.42.16.7", 50123)
    request.requestHeaders.setRawHeaders(b"content-type", [b"text/xml"])
    request.requestHeaders.setRawHeaders(b"content-length", [str(len(body)).encode()])
    request.requestHeaders.setRawHeaders(b"x-test", [b"a", b"b"])
    request.isSecure = lambda: True
    request.startedWriting = False
    return request


def _resource(app: Callable[..., Iterable[bytes]]) -> tuple[BufferedWSGIResource, _Reactor, _Pool]:
    reactor, pool = _Reactor(), _Pool()
    return BufferedWSGIResource(reactor, pool, app), reactor, pool  # type: ignore[arg-type]


def test_the_answer_is_written_at_once_and_the_after_work_follows_it() -> None:
    seen: dict[str, Any] = {}
    events: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.update(environ)
        seen["body"] = environ["wsgi.input"].read()
        environ[AFTER_RESPONSE].append(lambda: events.append("observed"))
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", "9")])
        return [b"<a>", b"", b"ok</a>"]

    resource, reactor, pool = _resource(app)
    request = _request()
    assert resource.render(request) is NOT_DONE_YET
    # written and finished in the one reactor call that took the answer
    assert reactor.calls == 1
    assert request.responseCode == 200 and request.responseMessage == b"OK"
    assert b"".join(request.written) == b"<a>ok</a>"
    assert request.finished == 1
    assert request.responseHeaders.getRawHeaders(b"content-type") == [b"text/xml"]
    # the after-work has not run: it waits in the pool's queue
    assert events == [] and len(pool.queued) == 1
    pool.run_queued()
    assert events == ["observed"]
    # the environ the front routes and records by (PEP 3333, as twisted.web.wsgi builds it)
    assert seen["PATH_INFO"] == "/datenabruf" and seen["SCRIPT_NAME"] == ""
    assert seen["QUERY_STRING"] == "x=1" and seen["REQUEST_METHOD"] == "POST"
    assert seen["REMOTE_ADDR"] == "10.42.16.7" and seen["wsgi.url_scheme"] == "https"
    assert seen["CONTENT_LENGTH"] == "7" and seen["body"] == b"<soap/>"
    assert seen["HTTP_X_TEST"] == "a,b"


def test_a_client_gone_gets_nothing_written_but_the_after_work_still_runs() -> None:
    events: list[str] = []
    request = _request()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        request.processingFailed(Exception("connection lost"))  # fires notifyFinish
        environ[AFTER_RESPONSE].append(lambda: events.append("observed"))
        start_response("200 OK", [])
        return [b"late"]

    resource, _reactor, pool = _resource(app)
    resource.render(request)
    assert b"late" not in b"".join(request.written)
    pool.run_queued()
    assert events == ["observed"]  # the transaction is recorded and observed all the same


def test_a_failing_application_answers_500_without_details() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise RuntimeError("secret detail")

    resource, _reactor, _pool = _resource(app)
    request = _request()
    resource.render(request)
    assert request.responseCode == 500
    assert b"secret" not in b"".join(request.written)
    assert request.finished == 1


def test_the_body_iterator_is_closed() -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> Any:
            return iter([b"x"])

        def close(self) -> None:
            closed.append(True)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Body:
        start_response("404 Not Found", [])
        return Body()

    resource, _reactor, _pool = _resource(app)
    request = _request()
    resource.render(request)
    assert request.responseCode == 404 and closed == [True]
