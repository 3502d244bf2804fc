"""The HTTP front (WSGI): body limit, routing, health, readiness, metrics, schemas.

SOAP requests go to the SOAP layer (:mod:`~datenspiegel.service.soap`), which parses them once
with the hardened parser; the front is its :class:`~datenspiegel.service.soap.Exchange`: it
runs operations on the broker and turns refusals (not well-formed, DOCTYPE, not SOAP, unknown
message) into signed 0910 faults, each recorded like every other request. Once a
transaction's answer has been handed to the server, its stage timings and its log line go to
the :class:`~datenspiegel.service.observation.TransactionObserver`.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from lxml import etree
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily

from datenspiegel import __version__
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.record import digest
from datenspiegel.service.broker import Broker, BrokerReply, ReplyKind
from datenspiegel.service.certificate_expiry import CertificateExpiry, ExpiringUserCertificates
from datenspiegel.service.connections import CLIENT_CERTIFICATE_HEADER, RELEASE_HEADER
from datenspiegel.service.envelope import answer_envelope, fault_envelope
from datenspiegel.service.health import HealthMonitor
from datenspiegel.service.observation import TransactionObserver
from datenspiegel.service.operations import Handler
from datenspiegel.service.overdue import OverdueCases
from datenspiegel.service.soap import BODY_KEY, Exchange, SoapApplication
from datenspiegel.service.supervisor import worker_restarts
from datenspiegel.service.wsgi_container import AFTER_RESPONSE
from datenspiegel.wsdl import CONTRACTS, SERVICE_PATH, Contract
from datenspiegel.xsd import ParserLimits, schema_directory
from datenspiegel.xsd.codelists import Ergebnisstatus, Ruecksendung

if TYPE_CHECKING:
    from datenspiegel.service.tls import ReloadingTLSContext

__all__ = ["Front"]

_logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
_XML = [("Content-Type", "text/xml; charset=utf-8")]
#: 0910 T099, "sonstiger Verstoß gegen Anforderungen des Transport-Profils": the envelope or
#: the HTTP message around the XÖV document is not what the transport contract requires.
_TRANSPORT_VIOLATION = Ruecksendung.T099
_STARTED_KEY = "datenspiegel.started"
_RELEASE_KEY = "datenspiegel.release_at"
#: the broker's reply, observed once the answer is handed to the server
_REPLY_KEY = "datenspiegel.reply"
#: the WSGI key of CLIENT_CERTIFICATE_HEADER, set by the server alone (service/server.py)
_CLIENT_CERTIFICATE_KEY = "HTTP_" + CLIENT_CERTIFICATE_HEADER.upper().replace("-", "_")


class _FailureCollector:
    """Exposes the broker's failure counts (kept in the pipeline) as Prometheus counters."""

    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    def collect(self) -> Iterable[CounterMetricFamily]:
        family = CounterMetricFamily(
            "datenspiegel_protocol_write_failures",
            "Transactions whose protocol record could not be written (answer withheld, S999)",
        )
        family.add_metric([], self._broker.write_failures.total)
        yield family


def _observed(body: Iterable[bytes], done: Callable[[], None]) -> Iterator[bytes]:
    """``body``, then ``done()``: after the last chunk was taken by the server, or when the
    server closes the response early (client gone). WSGI servers call ``close()``; a
    generator's ``finally`` runs on it."""
    try:
        yield from body
    finally:
        close = getattr(body, "close", None)
        try:
            if close is not None:
                close()
        finally:
            done()


def _respond(
    start_response: StartResponse, status: str, body: bytes, headers: list[tuple[str, str]]
) -> list[bytes]:
    start_response(status, [*headers, ("Content-Length", str(len(body)))])
    return [body]


def _public_url_of(public_url: str | None, contract: Contract) -> str | None:
    """``server.public_url`` names the retrieval service's address; each other service is at
    its own path beside it."""
    if public_url is None:
        return None
    base = public_url.rstrip("/")
    if base.endswith(SERVICE_PATH):
        base = base[: -len(SERVICE_PATH)]
    return base + contract.path


class Front(Exchange):
    """The WSGI application hosted by the TLS server."""

    def __init__(
        self,
        broker: Broker,
        *,
        health: HealthMonitor,
        max_body_bytes: int = 1_048_576,
        public_url: str | None = None,
        neutral_floor: float = 0.0,
        overdue: OverdueCases | None = None,
        log: ProtocolLog | None = None,
        log_client_address: bool = False,
        user_certificates: ExpiringUserCertificates | None = None,
    ) -> None:
        """``log_client_address``: the transaction log line names the client address
        (``[logging] client_address``; off by default: it is personal data).
        ``user_certificates``: the count of user certificates about to expire, in /metrics
        (refreshed by the worker's periodic task)."""
        self._broker = broker
        self._neutral_floor = neutral_floor
        self._health_monitor = health
        self._limits = ParserLimits.for_request(max_bytes=max_body_bytes)
        # One SOAP application per service (contract): its WSDL, its path, its operations.
        self._soaps = {
            contract.path: SoapApplication(
                broker.registry.subset(contract.operations),
                self,
                limits=self._limits,
                public_url=_public_url_of(public_url, contract),
                contract=contract,
            )
            for contract in CONTRACTS
        }
        self._schemas = {p.name: p.read_bytes() for p in schema_directory().glob("*.xsd")}
        self.registry = CollectorRegistry()
        self._transactions = Counter(
            "datenspiegel_transactions",
            "Transactions by service, outcome kind and code",
            ["service", "kind", "code"],
            registry=self.registry,
        )
        self._seconds = Histogram(
            "datenspiegel_transaction_seconds",
            "Server time per transaction, from body read to reply",
            ["service"],
            registry=self.registry,
        )
        self._connection_events = Counter(
            "datenspiegel_connection_events",
            "Connections the listener refused (per-source or global cap), evicted to make room "
            "at the global cap, or closed at the read deadline",
            ["kind"],
            registry=self.registry,
        )
        self.registry.register(_FailureCollector(broker))
        #: stage histograms, replay and quota refusals, the transaction log line
        self.observer = TransactionObserver(self.registry, client_address=log_client_address)
        #: the expiry of the service's certificates, trust anchors and CRLs
        self.certificates = CertificateExpiry(signer=broker.signer, verifier=broker.verifier)
        self.registry.register(self.certificates)
        self.user_certificates = user_certificates
        if user_certificates is not None:
            self.registry.register(user_certificates)
        Gauge(
            "datenspiegel_worker_restarts",
            "Worker processes serve --workers N replaced since it started (0 for one process)",
            registry=self.registry,
        ).set_function(lambda: worker_restarts() or 0)
        #: the periodic overdue-case check (service/overdue.py), also exported in /metrics
        self.overdue = overdue
        #: the protocol's Merkle log, sequenced and checkpointed by the worker (server.py)
        self.log = log
        if overdue is not None:
            self.registry.register(overdue)
        self._draining = False

    @property
    def broker(self) -> Broker:
        return self._broker

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path == "/health" and method == "GET":
            return self._health(start_response, readiness=False)
        if path == "/ready" and method == "GET":
            return self._health(start_response, readiness=True)
        if path == "/metrics" and method == "GET":
            body = generate_latest(self.registry)
            return _respond(start_response, "200 OK", body, [("Content-Type", CONTENT_TYPE_LATEST)])
        if path.startswith("/xsd/") and method == "GET":
            schema = self._schemas.get(path[len("/xsd/") :])
            if schema is None:
                return _respond(start_response, "404 Not Found", b"no such schema\n", [])
            return _respond(start_response, "200 OK", schema, _XML)
        soap = self._soaps.get(path.rstrip("/"))
        if soap is not None:
            if method == "GET" and environ.get("QUERY_STRING", "").lower().startswith("wsdl"):
                return soap(environ, start_response)
            if method == "POST":
                return self._post(soap, environ, start_response)
            return _respond(start_response, "405 Method Not Allowed", b"POST SOAP here\n", [])
        return _respond(start_response, "404 Not Found", b"not found\n", [])

    def _health(self, start_response: StartResponse, *, readiness: bool) -> list[bytes]:
        """``/health``: can a record be written and the register read now. ``/ready`` (for load
        balancers): the same, and the worker is not draining."""
        checks = self._health_monitor.check()
        if readiness:
            checks["accepting"] = "draining: shutting down" if self._draining else "ok"
        ok = all(value == "ok" for value in checks.values())
        body = json.dumps(
            {"status": "ok" if ok else "unavailable", "version": __version__, "checks": checks}
        ).encode()
        status = "200 OK" if ok else "503 Service Unavailable"
        headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        return _respond(start_response, status, body, headers)

    def watch_tls(self, context: ReloadingTLSContext) -> None:
        """The listener's TLS context (service/server.py): its certificates in ``/metrics``."""
        self.certificates.watch_tls(context)

    def _observe(self, reply: BrokerReply) -> None:
        try:
            self.observer.observe(reply)
        except Exception:  # the answer is out and recorded; the metrics must not break it
            _logger.exception("observing transaction %s failed", reply.record_id)

    def start_draining(self) -> None:
        """The server stops taking requests: ``/ready`` answers 503 from now on."""
        self._draining = True

    def connection_event(self, kind: str) -> None:
        """Count a connection refused, evicted or timed out by the listener (reactor thread)."""
        self._connection_events.labels(kind).inc()

    def refused(self, client_address: str | None, reason: str) -> None:
        """Record a request the TLS server refused before buffering it (body over the limit)."""
        reply = self._broker.reject_unreadable(
            b"",
            code=_TRANSPORT_VIOLATION,
            reason=f"message too large: {reason}",
            client_address=client_address,
        )
        self._transactions.labels("envelope", reply.kind.value, reply.code).inc()
        self._observe(reply)

    def _read_body(self, environ: dict[str, Any]) -> bytes | None:
        stream = environ["wsgi.input"]
        limit = self._limits.max_bytes
        length = environ.get("CONTENT_LENGTH")
        if length and length.isdigit() and int(length) > limit:
            return None
        body = stream.read(limit + 1)  # chunked bodies arrive without a length
        return None if len(body) > limit else bytes(body)

    def _post(
        self, soap: SoapApplication, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        body = self._read_body(environ)
        if body is None:
            limit = self._limits.max_bytes
            reply = self._broker.reject_unreadable(
                b"",
                code=_TRANSPORT_VIOLATION,
                reason=f"message larger than {limit} bytes",
                client_address=environ.get("REMOTE_ADDR"),
            )
            self._transactions.labels("envelope", reply.kind.value, reply.code).inc()
            self._observe(reply)
            return _respond(
                start_response, "413 Request Entity Too Large", self._fault_body(reply), _XML
            )
        environ[BODY_KEY] = body
        environ[_STARTED_KEY] = time.perf_counter()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))

        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            release = environ.get(_RELEASE_KEY)
            if release is not None:  # the server holds the answer until then (server.py)
                headers = [*headers, (RELEASE_HEADER, repr(release))]
            return start_response(status, headers, *exc_info)

        def answered() -> None:
            reply = environ.pop(_REPLY_KEY, None)
            if reply is not None:
                self._observe(reply)

        after = environ.get(AFTER_RESPONSE)
        if after is not None:  # the server runs it once the answer is out (wsgi_container)
            after.append(answered)
            return soap(environ, start)
        return _observed(soap(environ, start), answered)

    # -- the Exchange the SOAP layer calls -------------------------------------------------------

    def transact(
        self, handler: Handler, message: etree._Element, environ: dict[str, Any]
    ) -> tuple[str, bytes]:
        reply = self._broker.transact(
            handler,
            message,
            request_digest=digest(environ[BODY_KEY]),
            client_address=environ.get("REMOTE_ADDR"),
            tls_fingerprint=environ.get(_CLIENT_CERTIFICATE_KEY),
            request_bytes=len(environ[BODY_KEY]),
            started=environ[_STARTED_KEY],
        )
        environ[_REPLY_KEY] = reply
        service = handler.operation.name
        kind = "duplicate" if reply.duplicate_of is not None else reply.kind.value
        self._transactions.labels(service, kind, reply.code).inc()
        self._seconds.labels(service).observe(time.perf_counter() - environ[_STARTED_KEY])
        if reply.kind is ReplyKind.ANSWER:
            if reply.code is Ergebnisstatus.NEUTRAL and self._neutral_floor > 0:
                # A blocked person's 03 costs more work than a real no-hit; both leave at the
                # same time after arrival, so timing tells nothing (§ 34a Abs. 5 BMG).
                environ[_RELEASE_KEY] = environ[_STARTED_KEY] + self._neutral_floor
            return "200 OK", answer_envelope(reply.document)
        return "500 Internal Server Error", self._fault_body(reply)

    def refuse(self, code: Ruecksendung, reason: str, environ: dict[str, Any]) -> tuple[str, bytes]:
        reply = self._broker.reject_unreadable(
            environ.get(BODY_KEY, b""),
            code=code,
            reason=reason,
            client_address=environ.get("REMOTE_ADDR"),
            started=environ.get(_STARTED_KEY),
        )
        environ[_REPLY_KEY] = reply
        self._transactions.labels("envelope", reply.kind.value, reply.code).inc()
        return "500 Internal Server Error", self._fault_body(reply)

    @staticmethod
    def _fault_body(reply: BrokerReply) -> bytes:
        faultcode = "Server" if reply.code == Ruecksendung.S999 else "Client"
        return fault_envelope(faultcode, reply.message, reply.document)
