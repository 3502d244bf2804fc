"""The SOAP layer: the one module that knows spyne exists.

spyne does the SOAP work: it reads the request through *our* hardened parser (a ``Soap11``
whose ``create_in_document`` is :func:`~datenspiegel.xsd.parse_message`, so the envelope is
parsed once), takes the message out of the ``Body``, dispatches by its element to the one
service method of the operation (generated from the operation registry) and serves the
contract-first WSDL. The method hands the message element — a node of that one parsed tree —
to the transaction frame and returns the frame's bytes unchanged; spyne never serialises a
signed document.

Whatever spyne or the envelope check refuses (another charset than UTF-8, not a SOAP 1.1
envelope, an unknown operation, a SOAPAction naming another operation, any spyne fault)
becomes the broker's own signed 0910 with its protocol record — never spyne's fault, and
nothing of a request ever reaches a log: spyne's loggers are silenced here, because spyne logs
whole request bodies at ERROR.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from lxml import etree
from spyne import AnyXml, Application, Fault, ServiceBase, rpc
from spyne import const as spyne_const
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from datenspiegel.service.envelope import SOAP11_NAMESPACE
from datenspiegel.service.operations import Handler, Registry
from datenspiegel.wsdl import DATENABRUF, Contract, served_wsdl
from datenspiegel.xsd import MessageError, ParserLimits, parse_message
from datenspiegel.xsd.codelists import Ruecksendung
from datenspiegel.xsd.loader import NAMESPACE

__all__ = ["BODY_KEY", "Exchange", "SoapApplication"]

#: WSGI environ key under which the front leaves the request body as received.
BODY_KEY = "datenspiegel.body"
_APP_KEY = "datenspiegel.soap"
_UTF8 = frozenset({"utf-8", "utf8"})
log = logging.getLogger(__name__)

# spyne runs a full gc.collect() at most once a second when a request context closes: with
# the GIL held, 65–145 ms during which no request of the worker moves (measured, bench/
# resilience.py). Python's own generational collector suffices; spyne's is switched off.
spyne_const.MIN_GC_INTERVAL = math.inf

# spyne logs whole request documents (personal data) at ERROR and DEBUG: never let it.
_spyne_log = logging.getLogger("spyne")
_spyne_log.setLevel(logging.CRITICAL + 1)
_spyne_log.propagate = False
_spyne_log.addHandler(logging.NullHandler())


class Exchange(Protocol):
    """What the SOAP layer asks of the broker: run an operation, or refuse a request.

    Both return ``(HTTP status line, SOAP response bytes)``; both record the transaction.
    """

    def transact(
        self, handler: Handler, message: etree._Element, environ: dict[str, Any]
    ) -> tuple[str, bytes]: ...

    def refuse(
        self, code: Ruecksendung, reason: str, environ: dict[str, Any]
    ) -> tuple[str, bytes]: ...


class _Refused(Fault):
    """A request the SOAP layer refuses, with the 0910 code it gets."""

    def __init__(self, code: Ruecksendung, reason: str) -> None:
        super().__init__(faultcode="Client", faultstring=reason)
        self.code = code
        self.reason = reason


class _HardenedSoap11(Soap11):
    """SOAP 1.1 read with the broker's one hardened parser and its envelope rules."""

    def __init__(self, registry: Registry, limits: ParserLimits) -> None:
        super().__init__(validator=None)
        self._registry = registry
        self._limits = limits

    def create_in_document(self, ctx: Any, charset: str | None = None) -> None:
        if not ctx.transport.req_env.get("CONTENT_TYPE"):
            raise _Refused(
                Ruecksendung.T099,
                "the request has no Content-Type; send text/xml; charset=utf-8",
            )
        if charset is not None and charset.strip().lower() not in _UTF8:
            raise _Refused(
                Ruecksendung.X000,
                f"the request declares charset {charset!r}; messages must be UTF-8",
            )
        try:
            ctx.in_document = parse_message(b"".join(ctx.in_string), limits=self._limits)
        except MessageError as exc:
            raise _Refused(exc.code, str(exc)) from None

    def decompose_incoming_envelope(self, ctx: Any, message: Any = None) -> None:
        envelope = ctx.in_document
        if envelope.tag != f"{{{SOAP11_NAMESPACE}}}Envelope":
            raise _Refused(
                Ruecksendung.T099,
                f"expected a SOAP 1.1 Envelope ({SOAP11_NAMESPACE}), got {envelope.tag}",
            )
        bodies = envelope.findall(f"{{{SOAP11_NAMESPACE}}}Body")
        if len(bodies) != 1:
            raise _Refused(
                Ruecksendung.T099,
                f"a SOAP envelope needs exactly one Body, found {len(bodies)}",
            )
        children = [c for c in bodies[0] if isinstance(c.tag, str)]
        if len(children) != 1:
            raise _Refused(
                Ruecksendung.T099,
                f"the SOAP Body must hold exactly one message, found {len(children)}",
            )
        body = children[0]
        qname = etree.QName(body)
        handler = self._registry.by_element(qname.namespace, qname.localname)
        if handler is None:
            # Another namespace is another version of the contract (V000); an unknown message
            # of ours fits no schema of this service (X001).
            code = Ruecksendung.V000 if qname.namespace != NAMESPACE else Ruecksendung.X001
            raise _Refused(
                code,
                f"no operation takes a {qname.localname} message (namespace "
                f"{qname.namespace or 'none'}) here; see the WSDL at ?wsdl",
            )
        action = _soap_action(ctx.transport.req_env)
        if action and action != handler.operation.soap_action:
            raise _Refused(
                Ruecksendung.T099,
                f"SOAPAction {action!r} names another operation than the message "
                f"{qname.localname} ({handler.operation.soap_action})",
            )
        ctx.in_header_doc = None
        ctx.in_body_doc = body
        ctx.method_request_string = body.tag

    def deserialize(self, ctx: Any, message: Any) -> None:
        # The operation takes the message element itself, a node of the one parsed tree.
        ctx.in_object = [ctx.in_body_doc]


def _soap_action(environ: dict[str, Any]) -> str:
    return str(environ.get("HTTP_SOAPACTION", "")).strip().strip('"').strip()


def _service(registry: Registry, name: str) -> type[ServiceBase]:
    """One spyne service method per registered operation, dispatched by its request element."""

    def method(name: str) -> Callable[..., None]:
        def run(ctx: Any, _message: Any) -> None:
            soap: SoapApplication = ctx.transport.req_env[_APP_KEY]
            handler = registry.by_name(name)
            assert handler is not None
            try:
                status, body = soap.exchange.transact(
                    handler, ctx.in_body_doc, ctx.transport.req_env
                )
            except Exception:  # spyne would swallow it into a fault: keep the traceback
                log.exception("operation %s failed outside its transaction", name)
                raise
            ctx.transport.resp_code = status
            ctx.out_string = [body]

        # spyne keys its methods by function name: each operation's must be its own.
        run.__name__ = run.__qualname__ = name
        return run

    methods = {
        op.name: rpc(
            AnyXml,
            _body_style="bare",
            _in_message_name=op.request_element,
            _operation_name=op.name,
            _returns=AnyXml,
        )(method(op.name))
        for op in registry.operations
    }
    return type(f"{name}Service", (ServiceBase,), methods)


class SoapApplication(WsgiApplication):
    """spyne's WSGI application with the contract-first WSDL and the broker's own faults."""

    def __init__(
        self,
        registry: Registry,
        exchange: Exchange,
        *,
        limits: ParserLimits,
        public_url: str | None = None,
        contract: Contract = DATENABRUF,
    ) -> None:
        """``registry``: the handlers of ``contract``'s operations (one application per
        contract and path)."""
        application = Application(
            [_service(registry, contract.name)],
            tns=NAMESPACE,
            name=contract.name,
            in_protocol=_HardenedSoap11(registry, limits),
            out_protocol=Soap11(),
        )
        # The front has read and limited the body already; spyne must not cut it again.
        super().__init__(application, chunked=True, max_content_length=limits.max_bytes + 1)
        self.exchange = exchange
        self._public_url = public_url
        self.contract = contract

    def __call__(
        self, req_env: dict[str, Any], start_response: Callable[..., Any], wsgi_url: Any = None
    ) -> Iterable[bytes]:
        req_env[_APP_KEY] = self
        return super().__call__(req_env, start_response, wsgi_url)

    def handle_wsdl_request(
        self, req_env: dict[str, Any], start_response: Callable[..., Any], url: str
    ) -> Iterable[bytes]:
        body = served_wsdl(self._public_url or url, self.contract)
        start_response(
            "200 OK",
            [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]

    def handle_error(
        self, p_ctx: Any, others: Any, error: Any, start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Any refusal or spyne fault: the broker's signed 0910, recorded; never spyne's."""
        if isinstance(error, _Refused):
            code, reason = error.code, error.reason
        elif p_ctx.in_error is None:  # the operation itself failed: the broker's fault
            code, reason = Ruecksendung.S999, "internal error; the operator has been notified"
        else:
            code = Ruecksendung.T099
            reason = f"the request is not a SOAP request this service takes ({error.faultcode})"
        status, body = self.exchange.refuse(code, reason, p_ctx.transport.req_env)
        start_response(
            status,
            [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        p_ctx.close()
        return [body]
