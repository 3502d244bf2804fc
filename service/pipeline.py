"""The transaction pipeline of one request (DESIGN.md "The transaction"), free of SOAP.

parse (hardened) → validate (XSD) → verify signature → read → authorise → check search data
→ search → disclosure rules → answer → sign → protocol record (durable) → send.

Every request, whatever happens to it, ends in exactly one protocol record; the answer leaves
only after that record is committed. If the record cannot be written, no register data leaves:
the client gets a technical fault instead (fail closed).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from cryptography import x509
from lxml import etree
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from datenspiegel.access.decision import AccessRequest, authorise
from datenspiegel.access.errors import AccessStoreUnavailable
from datenspiegel.access.model import Behoerdenklasse, Principal, UserRole
from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.errors import ProtocolError
from datenspiegel.protocol.record import Outcome, ProtocolRecord, digest
from datenspiegel.protocol.side_effect import SideEffect
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.errors import InvalidQueryError, RegisterUnavailableError
from datenspiegel.register.model import Person
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.follow_ups import follow_ups
from datenspiegel.service.health import FailureBurst, HealthMonitor
from datenspiegel.service.merkmale import MerkmalStore
from datenspiegel.signing import (
    MessageSigner,
    MessageVerifier,
    ReloadingVerifier,
    SigningError,
    certificate_fingerprint,
)
from datenspiegel.transformers import (
    MAX_TREFFER,
    AnswerDocument,
    Behoerde,
    BusinessRejection,
    Disclosure,
    PersonensucheRequest,
    Requester,
    TransformError,
    build_answer,
    build_ruecksendung,
    build_rueckweisung,
    check_personensuche_query,
    decide_disclosure,
    read_personensuche,
)
from datenspiegel.xsd import MessageError, MessageValidator, codelists, parse_message, serialize

__all__ = ["Broker", "BrokerReply", "ReplyKind"]

log = logging.getLogger(__name__)

SERVICE_PERSONENSUCHE = "personensuche"
_MAX_FAULTSTRING = 400


class ReplyKind(Enum):
    ANSWER = "answer"  # a signed 1331 (result or rueckweisung)
    FAULT = "fault"  # a SOAP fault whose detail is a signed 0910


@dataclass(frozen=True, slots=True)
class BrokerReply:
    kind: ReplyKind
    document: bytes
    code: str
    message: str
    record_id: str


class _Returned(Exception):
    """Internal: end the transaction with a 0910 (technical rejection)."""

    def __init__(self, code: str, public: str, detail: str | None = None) -> None:
        super().__init__(public)
        self.code = code
        self.public = public
        self.detail = detail or public


@dataclass(slots=True)
class _Transaction:
    """What is known about one request so far; becomes the protocol record."""

    record_id: str
    received_at: datetime
    request_digest: str
    client_address: str | None
    request_message_id: str | None = None
    request: PersonensucheRequest | None = None
    principal: Principal | None = None
    fingerprint: str | None = None
    leser: Behoerde | None = None
    autor: Behoerde | None = None
    hits: tuple[int, ...] = ()
    disclosed_elements: tuple[int, ...] = ()
    detail: str | None = None


class Broker:
    """Answers Personensuche requests. Thread-safe: build once, share between workers."""

    def __init__(
        self,
        *,
        validator: MessageValidator,
        verifier: MessageVerifier | ReloadingVerifier,
        signer: MessageSigner,
        access: AccessStore,
        register: RegisterStore,
        protocol: ProtocolStore,
        merkmale: MerkmalStore,
        identity: Behoerde,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        probe_timeout: float = 1.0,
    ) -> None:
        self._validator = validator
        self._verifier = verifier
        self._signer = signer
        self._access = access
        self._register = register
        self._protocol = protocol
        self._merkmale = merkmale
        self._identity = identity
        self._clock = clock
        #: Protocol append failures: one log line per burst, the count for /metrics.
        self.write_failures = FailureBurst("protocol writes (answers withheld)", logger=log)
        self._store_failures = FailureBurst("broker database", logger=log)
        self._health = HealthMonitor(
            {
                "broker_db": lambda: self._protocol.probe_writable(timeout=probe_timeout),
                "register_db": self._probe_register,
            }
        )

    # -- the transaction ------------------------------------------------------------------

    def personensuche(self, payload: bytes, *, client_address: str | None = None) -> BrokerReply:
        tx = _Transaction(
            record_id=str(uuid.uuid4()),
            received_at=self._clock(),
            request_digest=digest(payload),
            client_address=client_address,
        )
        try:
            return self._answer(tx, payload)
        except _Returned as returned:
            tx.detail = returned.detail
            return self._return_to_sender(tx, returned.code, returned.public)
        except BusinessRejection as rejection:
            return self._reject(tx, rejection.codes, rejection.freitext)
        except RegisterUnavailableError as exc:
            # The request was readable: answer with rejection 16 (internal technical error).
            log.error("register unavailable in transaction %s: %s", tx.record_id, exc)
            tx.detail = f"register unavailable: {exc}"
            return self._reject(tx, ("16",), "the register is temporarily unavailable; retry later")
        except (AccessStoreUnavailable, SQLAlchemyError) as exc:
            # A database fault is an operations matter with one cause for many requests: one
            # log line per burst, not a traceback per request.
            self._store_failures.failed(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            tx.detail = f"{type(exc).__name__}: {exc}"
            return self._return_to_sender(
                tx, "S999", "internal error; the operator has been notified", Outcome.FAILED
            )
        except Exception as exc:  # the broker must answer and record whatever happened
            log.exception("internal error in transaction %s", tx.record_id)
            tx.detail = f"{type(exc).__name__}: {exc}"
            return self._return_to_sender(
                tx, "S999", "internal error; the operator has been notified", Outcome.FAILED
            )

    def reject_unreadable(
        self, raw: bytes, *, code: str, reason: str, client_address: str | None = None
    ) -> BrokerReply:
        """A request that never reached an operation (broken envelope, unknown message)."""
        tx = _Transaction(
            record_id=str(uuid.uuid4()),
            received_at=self._clock(),
            request_digest=digest(raw),
            client_address=client_address,
            detail=reason,
        )
        return self._return_to_sender(tx, code, reason)

    def health(self) -> dict[str, str]:
        """Whether a protocol record can be written and the register read, now (cached 1 s).

        The broker database is probed with a real durable write (see ``store.heartbeat``):
        ``select 1`` succeeds on a write-locked database or a full disk.
        """
        return self._health.check()

    def _is_registered(self, certificate: x509.Certificate) -> bool:
        fingerprint = certificate_fingerprint(certificate)
        return self._access.principal_for_certificate(fingerprint) is not None

    def _probe_register(self) -> None:
        with self._register.engine.connect() as conn:
            conn.execute(text("select 1"))

    def _answer(self, tx: _Transaction, payload: bytes) -> BrokerReply:
        request = self._read(tx, payload)
        principal = self._authorise(tx, request)
        if tx.leser is None or not (tx.leser.ags or "").startswith("03"):
            raise _Returned(
                "T080",
                "this mirror answers only messages addressed to a Lower Saxony municipality "
                "(leser kennung ags:03…)",
            )
        requester = Requester(
            sicherheitsbehoerde=principal.authority.klasse is Behoerdenklasse.SICHERHEITSBEHOERDE,
            untertyp=principal.authority.untertyp,
            besonders_ermaechtigt=(
                UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT in principal.user.roles
            ),
        )
        matches = self._search(tx, request, principal)
        now = self._clock()
        disclosure = decide_disclosure(matches, requester, stichtag=now.date())
        merkmale: dict[int, str] = {}
        if disclosure.status == "02":
            merkmale = self._merkmale.issue(
                [p.id for p in disclosure.trefferliste if p.id is not None],
                authority_id=principal.authority.id,
                now=now,
                request_message_id=tx.request_message_id,
            )
        document = build_answer(
            disclosure,
            elemente=request.anforderungselemente,
            merkmale=merkmale,
            erstellt=now,
            leser=request.kopf.autor,
            autor=tx.leser,
            ursprung=request.kopf.nachrichten_uuid,
        )
        tx.hits = tuple(p.id for p in disclosure.matched if p.id is not None)
        if disclosure.status == "01":
            tx.disclosed_elements = tuple(sorted(request.anforderungselemente))
        return self._finish(
            tx,
            document,
            Outcome.ANSWERED,
            (disclosure.status,),
            disclosure=disclosure,
            side_effects=follow_ups(
                record_id=tx.record_id,
                received_at=tx.received_at,
                request=request,
                principal=principal,
                requester=requester,
                disclosure=disclosure,
                now=now,
            ),
        )

    def _read(self, tx: _Transaction, payload: bytes) -> PersonensucheRequest:
        try:
            unverified = parse_message(payload)
            tx.request_message_id = _claimed_message_id(unverified)
            self._validator.validate(unverified)
            # Among several end-entity certificates in KeyInfo, the one bound to a registered
            # user is the signer (issue 5: the registered certificate is preferred).
            verified = self._verifier.verify(payload, is_known_signer=self._is_registered)
        except (MessageError, SigningError) as exc:
            raise _Returned(exc.code or "S999", str(exc)) from None
        tx.fingerprint = verified.fingerprint_sha256
        try:
            request = read_personensuche(verified.root)
        except TransformError as exc:
            raise _Returned(exc.code, str(exc)) from None
        tx.request = request
        tx.request_message_id = request.kopf.nachrichten_uuid
        tx.leser = request.kopf.leser
        tx.autor = request.kopf.autor
        return request

    def _authorise(self, tx: _Transaction, request: PersonensucheRequest) -> Principal:
        assert tx.fingerprint is not None
        principal = self._access.principal_for_certificate(tx.fingerprint)
        tx.principal = principal
        stelle = request.anfragende_stelle
        decision = authorise(
            principal,
            AccessRequest(
                service=SERVICE_PERSONENSUCHE,
                sicherheitsbehoerde_behauptet=stelle.sicherheitsbehoerde,
                anforderungselemente=request.anforderungselemente,
                aktenzeichen=stelle.aktenzeichen,
                anlass=stelle.anlass,
                client_address=tx.client_address,
            ),
        )
        if not decision.allowed:
            assert decision.code is not None
            tx.detail = decision.reason
            if decision.is_technical_rejection:
                raise _Returned(
                    decision.code, "the sender is not authorised for this service", decision.reason
                )
            # decision.reason names internal facts (ids, block reasons): protocol only.
            raise BusinessRejection(decision.code, decision.freitext or _label(decision.code))
        assert principal is not None
        if request.kopf.autor.kennung != principal.authority.kennung:
            raise _Returned(
                "T070",
                "the message's author is not the authority the signing certificate belongs to",
                f"autor {request.kopf.autor.kennung} signed by a user of "
                f"{principal.authority.kennung}",
            )
        return principal

    def _search(
        self, tx: _Transaction, request: PersonensucheRequest, principal: Principal
    ) -> list[Person]:
        if request.identifikationsmerkmal is not None:
            person_id = self._merkmale.resolve(
                request.identifikationsmerkmal,
                authority_id=principal.authority.id,
                now=self._clock(),
            )
            person = self._register.get_person(person_id) if person_id is not None else None
            if person is None or (tx.leser is not None and person.ags != tx.leser.ags):
                raise BusinessRejection(
                    "01",
                    "the Identifikationsmerkmal is unknown, expired (48 hours) or was issued to "
                    "another authority; search again with the search data",
                )
            return [person]
        query = request.query
        assert query is not None
        check_personensuche_query(query, leser_ags=tx.leser.ags if tx.leser else None)
        if query.strasse and not self._register.known_street(query.ags, query.strasse):
            raise BusinessRejection(
                "02",
                f"no street {query.strasse!r} is known in municipality {query.ags}; check the "
                "spelling or search without the street",
            )
        try:
            return self._register.search_personen(query, limit=MAX_TREFFER + 1)
        except InvalidQueryError as exc:  # the register's own guard; the check above is first
            raise BusinessRejection(exc.code or "18", str(exc)) from None

    # -- endings ----------------------------------------------------------------------------

    def _reject(self, tx: _Transaction, codes: tuple[str, ...], freitext: str) -> BrokerReply:
        if tx.request is None or tx.leser is None:  # cannot happen: rejections need a request
            return self._return_to_sender(tx, "S999", freitext)
        document = build_rueckweisung(
            codes,
            freitext,
            erstellt=self._clock(),
            leser=tx.request.kopf.autor,
            autor=tx.leser,
            ursprung=tx.request.kopf.nachrichten_uuid,
        )
        tx.detail = tx.detail or freitext
        return self._finish(tx, document, Outcome.REJECTED, codes)

    def _return_to_sender(
        self,
        tx: _Transaction,
        code: str,
        public: str,
        outcome: Outcome = Outcome.RETURNED,
    ) -> BrokerReply:
        document = build_ruecksendung(
            code,
            public,
            erstellt=self._clock(),
            autor=self._identity,
            leser=tx.autor,
            ursprung=tx.request_message_id,
            pruefsumme=tx.request_digest,
        )
        return self._finish(tx, document, outcome, (code,), public=public)

    def _finish(
        self,
        tx: _Transaction,
        document: AnswerDocument,
        outcome: Outcome,
        codes: tuple[str, ...],
        *,
        disclosure: Disclosure | None = None,
        public: str = "",
        side_effects: Sequence[SideEffect] = (),
    ) -> BrokerReply:
        signed = serialize(self._signer.sign(document.root))
        record = self._record(tx, outcome, codes, document.message_id, signed, disclosure)
        try:
            self._protocol.append(record, side_effects)
        except ProtocolError as exc:
            self.write_failures.failed(str(exc).splitlines()[0] if str(exc) else repr(exc))
            return self._protocol_down(tx)
        self.write_failures.succeeded()
        self._store_failures.succeeded()
        kind = (
            ReplyKind.FAULT if outcome in (Outcome.RETURNED, Outcome.FAILED) else ReplyKind.ANSWER
        )
        return BrokerReply(kind, signed, codes[0], _public(codes[0], public), tx.record_id)

    def _protocol_down(self, tx: _Transaction) -> BrokerReply:
        # Fail closed: without its record no register data may leave. The fault carries nothing
        # but the fact that the service cannot answer now.
        document = build_ruecksendung(
            "S999",
            "the service cannot record this transaction and therefore does not answer; retry later",
            erstellt=self._clock(),
            autor=self._identity,
            leser=tx.autor,
            ursprung=tx.request_message_id,
            pruefsumme=tx.request_digest,
        )
        signed = serialize(self._signer.sign(document.root))
        return BrokerReply(
            ReplyKind.FAULT, signed, "S999", "service temporarily unavailable", tx.record_id
        )

    def _record(
        self,
        tx: _Transaction,
        outcome: Outcome,
        codes: tuple[str, ...],
        answer_id: str,
        answer: bytes,
        disclosure: Disclosure | None,
    ) -> ProtocolRecord:
        principal, request = tx.principal, tx.request
        stelle = request.anfragende_stelle if request is not None else None
        authority = principal.authority if principal is not None else None
        record = ProtocolRecord(
            record_id=tx.record_id,
            received_at=tx.received_at,
            answered_at=self._clock(),
            service=SERVICE_PERSONENSUCHE,
            outcome=outcome,
            outcome_codes=codes,
            request_digest=tx.request_digest,
            sicherheitsbehoerde=(
                authority is not None and authority.klasse is Behoerdenklasse.SICHERHEITSBEHOERDE
            ),
            request_message_id=tx.request_message_id,
            answer_message_id=answer_id,
            answer_digest=digest(answer),
            client_address=tx.client_address,
            certificate_fingerprint=tx.fingerprint,
            authority_id=authority.id if authority else None,
            authority_kennung=authority.kennung if authority else None,
            authority_name=authority.name if authority else None,
            user_id=principal.user.id if principal else None,
            user_kennung=(
                stelle.kennung_anfragende_person or stelle.verfahrensname
                if stelle is not None
                else None
            )
            or (principal.user.kennung if principal else None),
            aktenzeichen=stelle.aktenzeichen if stelle else None,
            anlass=stelle.anlass if stelle else None,
            requesting_body=stelle.as_protocol() if stelle else {},
            search_data=dict(request.search_data) if request else {},
            requested_elements=tuple(sorted(request.anforderungselemente)) if request else (),
            disclosed_elements=tx.disclosed_elements,
            hits=tx.hits,
            hit_count=len(disclosure.matched) if disclosure else 0,
            detail=tx.detail,
        )
        if authority is not None and not authority.betreiber_protokolliert_inhalt:
            return record.without_content()
        return record


def _claimed_message_id(root: etree._Element) -> str | None:
    """The message id as claimed before verification: only to reference it in a 0910."""
    found = root.find("nachrichtenkopf.g2g/identifikation.nachricht/nachrichtenUUID")
    text = (found.text or "").strip() if found is not None else ""
    try:
        return str(uuid.UUID(text)) if text else None
    except ValueError:
        return None


def _label(code: str) -> str:
    return (
        codelists.RUECKSENDUNG.labels.get(code)
        or codelists.ERGEBNISSTATUS.labels.get(code)
        or codelists.NICHTERSTELLUNG_GRUND.labels.get(code, "")
    )


def _public(code: str, detail: str | None) -> str:
    text = f"{code}: {detail}" if detail else f"{code}: {_label(code)}"
    # The full detail is in the protocol; a fault string stays readable.
    return text if len(text) <= _MAX_FAULTSTRING else text[: _MAX_FAULTSTRING - 1] + "…"
