"""The document that answers a transaction, whatever its ending (unsigned; the frame signs).

- answered: the handler's answer (1331 …);
- rejected: an answer with ``rueckweisung`` (reason codes, freitext), addressed back to the
  requester in the name of the municipality it addressed — only possible once the request was
  read; before that a rejection is the broker's failure (0910 S999);
- returned or failed: the broker's 0910, referencing the request's message id (verified, or as
  claimed) and the digest of the bytes received (``ursprungsnachrichtPruefsumme``).
"""

from __future__ import annotations

from datetime import datetime

from datenspiegel.protocol.record import Outcome
from datenspiegel.service.endings import Ending
from datenspiegel.service.operations import Handler
from datenspiegel.service.stages import Claimed, Read, Received
from datenspiegel.transformers import AnswerDocument, Behoerde, build_ruecksendung
from datenspiegel.xsd.codelists import Grund, Ruecksendung

__all__ = ["answer_for", "protocol_down"]

_PROTOCOL_DOWN = "the service cannot record this transaction and therefore does not answer"


def answer_for(
    received: Received,
    claimed: Claimed,
    read: Read | None,
    ending: Ending,
    *,
    handler: Handler | None,
    identity: Behoerde,
    now: datetime,
) -> tuple[AnswerDocument, Ending]:
    """The answer document and the ending it records. A rejection is the handler's own answer
    message (:meth:`Handler.rueckweisung`); it becomes a 0910 S999 where there is none — the
    request was not read, or the operation's answer has no rejection element."""
    if ending.handled is not None:
        return ending.handled.document, ending
    request = read.request if read is not None else None
    if ending.outcome is Outcome.REJECTED:
        leser = request.kopf.leser if request is not None else None
        if request is not None and leser is not None and handler is not None:
            document = handler.rueckweisung(
                tuple(c for c in ending.codes if isinstance(c, Grund)),
                ending.public,
                erstellt=now,
                leser=request.kopf.autor,
                autor=leser,
                ursprung=request.kopf.nachrichten_uuid,
            )
            if document is not None:
                return document, ending
        ending = Ending.returned(Ruecksendung.S999, ending.public, ending.detail, failed=True)
    code = ending.code
    assert isinstance(code, Ruecksendung)
    return _ruecksendung(received, claimed, read, code, ending.public, identity, now), ending


def protocol_down(
    received: Received, claimed: Claimed, read: Read | None, *, identity: Behoerde, now: datetime
) -> AnswerDocument:
    """The 0910 when the record cannot be written: it carries nothing but that fact."""
    return _ruecksendung(
        received,
        claimed,
        read,
        Ruecksendung.S999,
        f"{_PROTOCOL_DOWN}; retry later",
        identity,
        now,
    )


def _ruecksendung(
    received: Received,
    claimed: Claimed,
    read: Read | None,
    code: Ruecksendung,
    text: str,
    identity: Behoerde,
    now: datetime,
) -> AnswerDocument:
    request = read.request if read is not None else None
    return build_ruecksendung(
        code,
        text,
        erstellt=now,
        autor=identity,
        leser=request.kopf.autor if request is not None else claimed.autor,
        ursprung=request.kopf.nachrichten_uuid if request is not None else claimed.message_id,
        pruefsumme=received.request_digest,
    )
