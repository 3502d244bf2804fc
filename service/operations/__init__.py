"""The operations of the retrieval service, as handlers on the one transaction frame.

Adding an operation means adding a handler module here, its message pair in ``xsd/`` and its
operation in the WSDL — nothing else: the SOAP layer dispatches by the registry's request
elements and SOAPActions, and the frame (:mod:`datenspiegel.service.broker`) reads, verifies,
authorises, answers, signs and records every operation the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lxml import etree

from datenspiegel.access.decision import AccessRequest
from datenspiegel.access.errors import AccessDenied
from datenspiegel.service.stages import Authorised, Handled, Read, Received, Request
from datenspiegel.transformers import LAND_NIEDERSACHSEN, AnswerDocument, Behoerde
from datenspiegel.xsd.codelists import Grund, Ruecksendung
from datenspiegel.xsd.loader import NAMESPACE

__all__ = [
    "Handler",
    "Operation",
    "Registry",
    "broker_access_request",
    "check_leser",
    "keine_rueckweisung",
    "retrieval_access_request",
]


@dataclass(frozen=True, slots=True)
class Operation:
    """One WSDL operation: its name, the request element that selects it, its SOAPAction."""

    name: str
    request_element: str  # local name of the request's root element in the contract namespace

    @property
    def soap_action(self) -> str:
        return f"{NAMESPACE}:{self.name}"


class Handler(Protocol):
    """What an operation adds to the frame: reading its request and answering it."""

    @property
    def operation(self) -> Operation: ...

    def read(self, root: etree._Element) -> Request:
        """The typed request from the *verified* tree (raises a ``Coded`` error)."""
        ...

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        """The facts of this request that the access decision judges."""
        ...

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        """The answer to an authorised request (raises a ``Coded`` error to reject it)."""
        ...

    def rueckweisung(
        self,
        codes: tuple[Grund, ...],
        freitext: str | None,
        *,
        erstellt: datetime,
        leser: Behoerde,
        autor: Behoerde,
        ursprung: str,
    ) -> AnswerDocument | None:
        """This operation's own answer message carrying a business rejection (reason codes of
        the code list Grund) — a rejected 1332 is a 1333, never another operation's message.
        None where the operation's answer has no rejection: the frame then answers 0910."""
        ...


class Registry:
    """The handlers by operation name and by request element."""

    def __init__(self, handlers: Iterable[Handler]) -> None:
        self._by_name: dict[str, Handler] = {}
        self._by_element: dict[str, Handler] = {}
        for handler in handlers:
            operation = handler.operation
            if operation.name in self._by_name or operation.request_element in self._by_element:
                raise ValueError(f"operation {operation.name} is registered twice")
            self._by_name[operation.name] = handler
            self._by_element[operation.request_element] = handler

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(h.operation for h in self._by_name.values())

    def by_name(self, name: str) -> Handler | None:
        return self._by_name.get(name)

    def subset(self, names: Iterable[str]) -> Registry:
        """The handlers of the operations ``names`` that are registered (one SOAP service's)."""
        return Registry(h for name in names if (h := self._by_name.get(name)) is not None)

    def by_element(self, namespace: str | None, local_name: str) -> Handler | None:
        if namespace != NAMESPACE:
            return None
        return self._by_element.get(local_name)


def keine_rueckweisung(
    codes: tuple[Grund, ...],
    freitext: str | None,
    *,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument | None:
    """:meth:`Handler.rueckweisung` of an operation whose answer has no rejection element
    (the hand-over operations): a business rejection is then answered with a 0910."""
    return None


def check_leser(
    request: Request, broker: Behoerde, *, what: str = "hand-over cases are fetched"
) -> Behoerde:
    """The broker itself must be the ``leser`` of operations it answers on its own (the
    hand-over cases, the administration service), else T080."""
    leser = request.kopf.leser
    if leser is None or leser.kennung != broker.kennung:
        raise AccessDenied(
            Ruecksendung.T080,
            f"{what} from the broker (leser kennung {broker.kennung})",
            detail=f"leser {leser.kennung if leser else None} is not the broker",
        )
    return broker


def broker_access_request(service: str, read: Read, received: Received) -> AccessRequest:
    """The access facts of an operation the broker answers on its own (hand-over cases,
    administration): no register elements, and the ``leser`` is the broker, not a
    municipality (rule 11 off; :func:`check_leser`)."""
    request = read.request
    stelle = request.anfragende_stelle
    return AccessRequest(
        service=service,
        sicherheitsbehoerde_behauptet=stelle.sicherheitsbehoerde,
        anforderungselemente=frozenset(),
        aktenzeichen=stelle.aktenzeichen,
        anlass=stelle.anlass,
        client_address=received.client_address,
        autor_kennung=request.kopf.autor.kennung,
        leser_zustaendig=None,
    )


def retrieval_access_request(service: str, read: Read, received: Received) -> AccessRequest:
    """The access facts of a retrieval (Personensuche, freie Suche): the requesting body's
    claim and file data (BMeldDAV § 11), the elements, the author, and whether the addressed
    reader is a municipality of Lower Saxony (else T080)."""
    request = read.request
    stelle = request.anfragende_stelle
    leser = request.kopf.leser
    return AccessRequest(
        service=service,
        sicherheitsbehoerde_behauptet=stelle.sicherheitsbehoerde,
        anforderungselemente=request.anforderungselemente,
        aktenzeichen=stelle.aktenzeichen,
        anlass=stelle.anlass,
        client_address=received.client_address,
        autor_kennung=request.kopf.autor.kennung,
        leser_zustaendig=leser is not None and (leser.ags or "").startswith(LAND_NIEDERSACHSEN),
    )
