"""The SOAP face: the one module that knows spyne exists.

Spyne dispatches a SOAP request to its operation and serves the contract-first WSDL (our
hand-written ``wsdl/datenspiegel.wsdl``, not one generated from Python types). It never parses
or writes a signed document: the front (:mod:`datenspiegel.service.web`) has already read the
envelope with the hardened parser and put a ``dispatch`` callable into the WSGI environ; the
operation calls it and hands spyne the finished bytes as ``ctx.out_string``, which spyne sends
unchanged. Replacing spyne therefore means replacing this module only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spyne import AnyXml, Application, ServiceBase, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from datenspiegel.wsdl import wsdl_path
from datenspiegel.xsd.loader import NAMESPACE

__all__ = ["DISPATCH_KEY", "OPERATIONS", "Dispatch", "create_soap_application"]

DISPATCH_KEY = "datenspiegel.dispatch"

#: operation name → local name of the request element in the SOAP body
OPERATIONS = {"personensuche": "datenabruf.personensuche.suchanfrage.1330"}

#: dispatch(operation) → (HTTP status line, response body)
Dispatch = Callable[[str], tuple[str, bytes]]

_ADDRESS = re.compile(rb'(<soap:address location=")[^"]*(")')


def _run(ctx: Any, operation: str) -> None:
    dispatch: Dispatch = ctx.transport.req_env[DISPATCH_KEY]
    status, body = dispatch(operation)
    ctx.transport.resp_code = status
    ctx.out_string = [body]


class DatenabrufService(ServiceBase):
    @rpc(
        AnyXml,
        _body_style="bare",
        _in_message_name=OPERATIONS["personensuche"],
        _operation_name="personensuche",
        _returns=AnyXml,
    )
    def personensuche(ctx: Any, _payload: Any) -> None:
        _run(ctx, "personensuche")


class _ContractFirstWsgi(WsgiApplication):
    """Serves the hand-written WSDL with the service address of the requested URL."""

    def __init__(self, app: Application, *, public_url: str | None) -> None:
        super().__init__(app, chunked=True)
        self._contract = wsdl_path().read_bytes()
        self._public_url = public_url

    def handle_wsdl_request(
        self, req_env: dict[str, Any], start_response: Callable[..., Any], url: str
    ) -> Iterable[bytes]:
        location = (self._public_url or url).encode("utf-8")
        body = _ADDRESS.sub(lambda m: m.group(1) + location + m.group(2), self._contract, count=1)
        start_response(
            "200 OK",
            [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]


def create_soap_application(*, public_url: str | None = None) -> Callable[..., Iterable[bytes]]:
    """The spyne WSGI application for the SOAP endpoint."""
    application = Application(
        [DatenabrufService],
        tns=NAMESPACE,
        name="Datenabruf",
        in_protocol=Soap11(validator=None),
        out_protocol=Soap11(),
    )
    return _ContractFirstWsgi(application, public_url=public_url)
