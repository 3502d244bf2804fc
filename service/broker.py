"""The transaction frame every operation shares (DESIGN.md "The transaction"), free of SOAP.

read (validate → verify; only the verified tree is used) → authorise (``access``) → handle (the
operation's handler) → answer → sign → record (durable, one unit of work) → send.

Every request, whatever happens to it, ends in exactly one protocol record, and the answer
leaves only after that record is committed. If the record cannot be written, no register data
leaves: the client gets a technical fault instead (fail closed). Stage results are immutable
values (:mod:`~datenspiegel.service.stages`); any error becomes its answer in one place
(:class:`~datenspiegel.service.endings.Translator`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from time import perf_counter

from cryptography import x509
from lxml import etree
from sqlalchemy.engine import Connection

from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.access.decision import AccessRequest, authorise
from datenspiegel.access.errors import AccessDenied
from datenspiegel.access.model import Principal
from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.errors import ProtocolError
from datenspiegel.protocol.payloads import PayloadStore
from datenspiegel.protocol.record import Outcome, ProtocolRecord, digest
from datenspiegel.protocol.replay import ReplayStore, StoredAnswer
from datenspiegel.protocol.sealed import (
    SealedContent,
    SealingError,
    keep_sealed_in,
    recipient_of,
    seal,
)
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.stichtag import stichtag
from datenspiegel.service.answering import answer_for, protocol_down
from datenspiegel.service.endings import Ending, Translator
from datenspiegel.service.health import FailureBurst
from datenspiegel.service.idempotency import ReplayGuard, code_of, code_text
from datenspiegel.service.merkmale import MerkmalStore
from datenspiegel.service.operations import Handler, Registry
from datenspiegel.service.operations.protokoll import UNSEALED_OPERATIONS
from datenspiegel.service.quotas import QuotaGuard
from datenspiegel.service.recording import Recorded, record_of
from datenspiegel.service.stages import Authorised, Claimed, Read, Received
from datenspiegel.service.trace import Stage, TransactionTrace, refusal_of
from datenspiegel.signing import (
    MessageSigner,
    MessageVerifier,
    ReloadingSigner,
    ReloadingVerifier,
    certificate_fingerprint,
)
from datenspiegel.transformers import (
    Behoerde,
    UnsupportedMessage,
)
from datenspiegel.xsd import MessageValidator, ParserLimits, parse_message, serialize
from datenspiegel.xsd.coded import AnyCode, Coded
from datenspiegel.xsd.codelists import Ruecksendung
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = ["Broker", "BrokerReply", "ReplyKind"]

log = logging.getLogger(__name__)

_MAX_FAULTSTRING = 400


class ReplyKind(Enum):
    ANSWER = "answer"  # a signed answer (result or rueckweisung)
    FAULT = "fault"  # a SOAP fault whose detail is a signed 0910


@dataclass(frozen=True, slots=True)
class BrokerReply:
    kind: ReplyKind
    document: bytes
    code: AnyCode
    message: str
    record_id: str
    #: the original transaction's record when this reply is its answer sent again
    duplicate_of: str | None = None
    #: the record as committed (the operator's log's form; ``None``: it could not be written)
    record: ProtocolRecord | None = field(default=None, compare=False, repr=False)
    #: the transaction's stage timings (service/trace.py), stopped at the commit
    trace: TransactionTrace | None = field(default=None, compare=False, repr=False)


class _Principals:
    """The registry's answer per certificate fingerprint, asked once per transaction."""

    __slots__ = ("_access", "_seen")

    def __init__(self, access: AccessStore) -> None:
        self._access = access
        self._seen: dict[str, Principal | None] = {}

    def of(self, fingerprint: str) -> Principal | None:
        try:
            return self._seen[fingerprint]
        except KeyError:
            principal = self._seen[fingerprint] = self._access.principal_for_certificate(
                fingerprint
            )
            return principal

    def registered(self, certificate: x509.Certificate) -> bool:
        """Whether ``certificate`` is bound to a registered user (the verifier's choice
        among several end-entity certificates in KeyInfo)."""
        return self.of(certificate_fingerprint(certificate)) is not None


class Broker:
    """Answers every operation of the registry. Thread-safe: build once, share between threads."""

    def __init__(
        self,
        *,
        registry: Registry,
        validator: MessageValidator,
        verifier: MessageVerifier | ReloadingVerifier,
        signer: MessageSigner | ReloadingSigner,
        access: AccessStore,
        protocol: ProtocolStore,
        merkmale: MerkmalStore,
        identity: Behoerde,
        replay: ReplayGuard | None,
        quotas: QuotaGuard | None,
        belehrung: Belehrungsfrist | None,
        mutual_tls: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """``replay`` None switches off the creation-time window and the replay claims, and
        ``quotas`` None the request quotas: only for test brokers whose clock is moved (the
        service always has both, app.py; every constructor must say so explicitly)."""
        self.registry = registry
        self.replay = replay
        self.quotas = quotas
        #: how long a user's instruction (§ 41 BMG) holds; None: not checked (test brokers)
        self.belehrung = belehrung
        #: every request's TLS client certificate must belong to its signing authority
        self.mutual_tls = mutual_tls
        self._validator = validator
        self._verifier = verifier
        self._signer = signer
        self._access = access
        self._protocol = protocol
        self._merkmale = merkmale
        self._identity = identity
        self._clock = clock
        self._translate = Translator()
        #: Protocol append failures: one log line per burst, the count for /metrics.
        self.write_failures = FailureBurst("protocol writes (answers withheld)", logger=log)

    # -- entry points ---------------------------------------------------------------------

    def transact(
        self,
        handler: Handler,
        message: etree._Element,
        *,
        request_digest: str,
        client_address: str | None = None,
        tls_fingerprint: str | None = None,
        request_bytes: int | None = None,
        started: float | None = None,
    ) -> BrokerReply:
        """One transaction of ``handler``'s operation on the parsed (unverified) ``message``;
        ``tls_fingerprint``: the connection's TLS client certificate (mutual TLS);
        ``request_bytes``: the size of the request as received; ``started``: the
        ``perf_counter`` time the request body was read (its parse is then timed too)."""
        received = self._received(
            handler.operation.name,
            request_digest,
            client_address,
            message=message,
            tls_fingerprint=tls_fingerprint,
            request_bytes=request_bytes,
            started=started,
        )
        trace = received.trace
        claimed = Claimed.of(message)
        read: Read | None = None
        principal: Principal | None = None
        executing: str | None = None  # the message UUID this transaction claimed
        sealed_to: x509.Certificate | None = None
        # The signer's certificate is looked up while verifying and again to authorise: one
        # registry query per certificate and transaction.
        principals = _Principals(self._access)
        try:
            trace.enter(Stage.VALIDATE)
            read = self._read(handler, message, trace, principals)
            trace.enter(Stage.AUTHORISE)
            principal = principals.of(read.fingerprint)
            authorise(
                principal, self._access_request(handler, read, received, principals)
            ).raise_if_denied()
            assert principal is not None  # a "yes" needs a registered principal
            authorised = Authorised.of(
                principal,
                sicherheitsbehoerde_behauptet=read.request.anfragende_stelle.sicherheitsbehoerde,
            )
            quotas = self.quotas
            trace.enter(Stage.CLAIM)
            if self.replay is None and quotas is not None:
                quotas.charge(principal)
            if self.replay is not None:
                kopf = read.request.kopf
                self.replay.window.check(kopf.erstellungszeitpunkt, received.received_at)
                # the quota count and the claim: one transaction, one commit
                stored = self.replay.claim(
                    kopf.nachrichten_uuid,
                    read.content_digest,
                    received.received_at,
                    charge=None
                    if quotas is None
                    else (lambda conn: quotas.charge(principal, conn)),
                )
                if stored is not None:
                    return self._resend(received, claimed, read, principal, stored)
                executing = kopf.nachrichten_uuid
            trace.enter(Stage.AUTHORISE)  # the commissioning authority's protocol key
            sealed_to = self._sealed_to(authorised, handler)
            trace.enter(Stage.HANDLE)
            ending = Ending.answered(handler.handle(read.request, authorised, received))
        except Exception as exc:  # every failure ends in an answer and a record
            trace.refusal = refusal_of(exc)
            ending = self._translate(exc, received.record_id)
        return self._finish(
            received, claimed, read, principal, ending, handler, executing, sealed_to
        )

    def submit(self, document: bytes, *, client_address: str | None = None) -> BrokerReply:
        """A signed message document as bytes (no SOAP envelope): tools and tests in-process."""
        started = perf_counter()
        try:
            root = parse_message(document, limits=ParserLimits.for_request())
        except Coded as exc:
            assert isinstance(exc.code, Ruecksendung)
            return self.reject_unreadable(
                document,
                code=exc.code,
                reason=str(exc),
                client_address=client_address,
                started=started,
            )
        qname = etree.QName(root)
        handler = self.registry.by_element(qname.namespace, qname.localname)
        if handler is None:
            code = Ruecksendung.V000 if qname.namespace != NAMESPACE else Ruecksendung.X001
            return self.reject_unreadable(
                document,
                code=code,
                reason=f"no operation takes a {qname.localname} message here",
                client_address=client_address,
                started=started,
            )
        return self.transact(
            handler,
            root,
            request_digest=digest(document),
            client_address=client_address,
            request_bytes=len(document),
            started=started,
        )

    def reject_unreadable(
        self,
        raw: bytes,
        *,
        code: Ruecksendung,
        reason: str,
        client_address: str | None = None,
        service: str = "envelope",
        started: float | None = None,
    ) -> BrokerReply:
        """A request that never reached an operation (broken envelope, unknown message);
        ``started`` as for :meth:`transact`."""
        received = self._received(
            service, digest(raw), client_address, request_bytes=len(raw), started=started
        )
        ending = Ending.returned(code, reason)
        return self._finish(received, Claimed(), None, None, ending, None, None)

    # -- stages -----------------------------------------------------------------------------

    def _received(
        self,
        service: str,
        request_digest: str,
        client: str | None,
        *,
        message: etree._Element | None = None,
        tls_fingerprint: str | None = None,
        request_bytes: int | None = None,
        started: float | None = None,
    ) -> Received:
        return Received(
            str(uuid.uuid4()),
            self._clock(),
            request_digest,
            client,
            service,
            message,
            tls_fingerprint,
            request_bytes,
            TransactionTrace(service, started=started),
        )

    def _read(
        self,
        handler: Handler,
        message: etree._Element,
        trace: TransactionTrace | None = None,
        principals: _Principals | None = None,
    ) -> Read:
        version = message.get("version")
        if version != SCHEMA_VERSION:
            # Before the schema: a message of another contract version may not fit ours, and
            # must get V000, not X001. Judging the unverified attribute refuses, never admits.
            raise UnsupportedMessage(
                Ruecksendung.V000,
                f"message version {version!r} is not supported; this service speaks "
                f"{SCHEMA_VERSION}",
            )
        self._validator.validate(message)
        if trace is not None:
            trace.enter(Stage.VERIFY)
        # Among several end-entity certificates in KeyInfo, the one bound to a registered
        # user is the signer (issue 5: the registered certificate is preferred).
        known = (principals or _Principals(self._access)).registered
        verified = self._verifier.verify(message, is_known_signer=known)
        content = etree.tostring(verified.root, method="c14n", exclusive=True)
        return Read(handler.read(verified.root), verified.fingerprint_sha256, digest(content))

    def _pseudonym(self, kennung: str) -> str:
        """A stable pseudonym of a requesting person's Kennung for the metadata-only records of
        security authorities (§ 40 Abs. 3 BMG): keyed with the protocol key, so nobody without
        it can test names against it."""
        key = self._protocol.record_key or b""
        return "pseudonym:" + hmac.new(key, kennung.encode(), hashlib.sha256).hexdigest()[:24]

    @property
    def signer(self) -> MessageSigner | ReloadingSigner:
        """The broker's signing identity (answers, and the protocol's checkpoints)."""
        return self._signer

    @property
    def verifier(self) -> MessageVerifier | ReloadingVerifier:
        """The request signatures' verifier: its trust anchors and CRLs."""
        return self._verifier

    def _access_request(
        self, handler: Handler, read: Read, received: Received, principals: _Principals
    ) -> AccessRequest:
        """The handler's access facts, plus the instruction period with the day (rule 3c) and
        the connection's TLS client certificate's authority when mutual TLS is on (rule 3b)."""
        request = handler.access_request(read, received)
        if self.belehrung is not None:
            request = dataclasses.replace(
                request, belehrung=self.belehrung, stichtag=stichtag(received.received_at)
            )
        if not self.mutual_tls:
            return request
        holder = None
        if received.tls_fingerprint is not None:
            holder = principals.of(received.tls_fingerprint)
        return dataclasses.replace(
            request,
            tls_pflicht=True,
            tls_authority_id=holder.authority.id if holder is not None else None,
        )

    # -- the end: answer, sign, record, send --------------------------------------------------

    def _sealed_to(self, authorised: Authorised, handler: Handler) -> x509.Certificate | None:
        """The certificate a commissioned security authority's record is sealed to (§ 40
        Abs. 3 BMG, protocol/sealed.py), or ``None`` when nothing is sealed.

        Fail closed: an authority that has the operator log on its behalf but no protocol key
        registered gets nothing (T070) — its retrievals would otherwise go unlogged.
        """
        authority = authorised.principal.authority
        if not (
            authorised.requester.sicherheitsbehoerde
            and authority.protokollierung_durch_betreiber
            and handler.operation.name not in UNSEALED_OPERATIONS
        ):
            return None
        key = self._access.protocol_key(authority.id)
        if key is None:
            raise AccessDenied(
                Ruecksendung.T070,
                "the operator logs this authority's retrievals on its behalf (§ 40 Abs. 3 BMG) "
                "but holds no protocol key for it; ask the operator to register one",
                detail=f"authority {authority.kennung} (id {authority.id}) commissioned the "
                "protocol but has no protocol key: datenspiegel authority set-protocol-key",
            )
        return key.certificate

    def _sealed_writes(
        self,
        recorded: Recorded,
        principal: Principal | None,
        received: Received,
        answer: bytes,
        sealed_to: x509.Certificate | None,
    ) -> list[Callable[[Connection], None]]:
        """The envelope of a commissioned security authority's record, to be written with it
        (SealingError: the record cannot be kept as commissioned — fail closed)."""
        content = recorded.to_seal
        if content is None or principal is None:
            return []
        authority_id = principal.authority.id
        if sealed_to is None:  # refused before the key was looked up
            key = self._access.protocol_key(authority_id)
            if key is None:
                return []  # nothing to seal to: the metadata record is all there is
            sealed_to = key.certificate
        envelope = seal(
            SealedContent(record=content, answer=answer, request=received.message_as_received()),
            sealed_to,
        )
        recipient = recipient_of(sealed_to)
        return [
            lambda conn: keep_sealed_in(
                conn,
                record=recorded.kept,
                authority_id=authority_id,
                recipient=recipient,
                envelope=envelope,
            )
        ]

    def _finish(
        self,
        received: Received,
        claimed: Claimed,
        read: Read | None,
        principal: Principal | None,
        ending: Ending,
        handler: Handler | None,
        executing: str | None,
        sealed_to: x509.Certificate | None = None,
    ) -> BrokerReply:
        trace = received.trace
        trace.enter(Stage.ANSWER)
        document, ending = answer_for(
            received,
            claimed,
            read,
            ending,
            handler=handler,
            identity=self._identity,
            now=self._clock(),
        )
        signed = serialize(self._signer.sign(document.root))
        trace.enter(Stage.RECORD)
        recorded = record_of(
            received=received,
            claimed=claimed,
            read=read,
            principal=principal,
            ending=ending,
            answer_message_id=document.message_id,
            answer=signed,
            answered_at=self._clock(),
            pseudonym=self._pseudonym,
            sealable=received.service not in UNSEALED_OPERATIONS,
        )
        record = recorded.kept
        handled = ending.handled
        merkmale = handled.merkmale if handled is not None else ()
        if recorded.to_seal is not None:
            trace.enter(Stage.SEAL)
        try:
            writes = self._sealed_writes(recorded, principal, received, signed, sealed_to)
        except SealingError as exc:
            return self._unrecorded(exc, received, claimed, read)
        trace.enter(Stage.RECORD)
        if merkmale:
            writes.append(lambda conn: self._merkmale.store_in(conn, merkmale))
        if handled is not None:
            writes.extend(handled.with_record)
        kind = ReplyKind.FAULT if isinstance(ending.code, Ruecksendung) else ReplyKind.ANSWER
        key = self._protocol.record_key
        if key is not None and record.content_recorded:
            # the signed answer as the data retrieved, encrypted in its period (§ 40 Abs. 1
            # Nr. 2 BMG; protocol/payloads.py) — not for a security authority logging itself
            record_id, at = received.record_id, received.received_at
            writes.append(
                lambda conn: PayloadStore.keep_in(
                    conn, protocol_key=key, record_id=record_id, answer=signed, at=at
                )
            )
        if executing is not None:
            original = StoredAnswer(
                record_id=received.record_id,
                answer_message_id=document.message_id,
                reply_kind=kind.value,
                code=code_text(ending.code),
                message=ending.fault_text,
                document=signed,
            )
            answered_at = record.answered_at
            writes.append(
                lambda conn: ReplayStore.answer_in(
                    conn, executing, answer=original, answered_at=answered_at
                )
            )
        try:
            self._protocol.append(
                record,
                handled.side_effects if handled is not None else (),
                with_record=writes,
            )
        except ProtocolError as exc:
            if executing is not None and self.replay is not None:
                self.replay.release(executing)  # a retry of the message is executed anew
            return self._unrecorded(exc, received, claimed, read)
        self.write_failures.succeeded()
        self._translate.succeeded()
        trace.stop()
        return BrokerReply(
            kind,
            signed,
            ending.code,
            ending.fault_text,
            received.record_id,
            record=record,
            trace=trace,
        )

    def _unrecorded(
        self, exc: ProtocolError, received: Received, claimed: Claimed, read: Read | None
    ) -> BrokerReply:
        """Fail closed: without its record no register data may leave — a 0910 S999 that
        carries nothing but that fact."""
        self.write_failures.failed(str(exc).splitlines()[0] if str(exc) else repr(exc))
        trace = received.trace
        trace.enter(Stage.ANSWER)
        down = protocol_down(received, claimed, read, identity=self._identity, now=self._clock())
        document = serialize(self._signer.sign(down.root))
        trace.stop()
        return BrokerReply(
            ReplyKind.FAULT,
            document,
            Ruecksendung.S999,
            "S999: service temporarily unavailable",
            received.record_id,
            trace=trace,
        )

    def _resend(
        self,
        received: Received,
        claimed: Claimed,
        read: Read,
        principal: Principal,
        stored: StoredAnswer,
    ) -> BrokerReply:
        """The same signed message again: its original answer, byte for byte, recorded as a
        duplicate — and, like every answer, only once that record is committed."""
        received.trace.enter(Stage.RECORD)
        code = code_of(stored.code)
        ending = Ending(
            Outcome.DUPLICATE,
            (code,),
            stored.message,
            f"the answer of record {stored.record_id} sent again (the same signed message)",
        )
        record = record_of(
            received=received,
            claimed=claimed,
            read=read,
            principal=principal,
            ending=ending,
            answer_message_id=stored.answer_message_id,
            answer=stored.document,
            answered_at=self._clock(),
            pseudonym=self._pseudonym,
        ).kept  # a duplicate: the original's envelope holds the content
        try:
            self._protocol.append(record, ())
        except ProtocolError as exc:
            return self._unrecorded(exc, received, claimed, read)
        self.write_failures.succeeded()
        received.trace.stop()
        return BrokerReply(
            ReplyKind(stored.reply_kind),
            stored.document,
            code,
            stored.message,
            received.record_id,
            duplicate_of=stored.record_id,
            record=record,
            trace=received.trace,
        )
