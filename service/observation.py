"""What a finished transaction tells the operator: stage histograms and one log line.

Called by the front once the record is committed and the answer handed to the server
(service/web.py), with the broker's reply — its committed record and its stage timings
(:class:`~datenspiegel.service.trace.TransactionTrace`):

- ``datenspiegel_stage_seconds{stage, service}``: a histogram per stage (buckets 0.1 ms – 2 s);
- ``datenspiegel_refusals_total{reason}``: refusals of the replay and quota checks;
- one line on the logger ``datenspiegel.transaction`` at INFO: the record id, service,
  outcome and codes, the authority (id and Kennung), the user as the record keeps it (for a
  security authority the keyed pseudonym, § 40 Abs. 3 BMG), the original of a duplicate, the
  refusal, request and answer sizes, the milliseconds per stage and in total; the client
  address only with ``[logging] client_address = true``. Never a name, an Aktenzeichen, search
  data, hits or person ids: those are the protocol's, whose every read is logged.

The line's fields are built only when its level is enabled; formatting (text or JSON,
service/logs.py) happens in the handler.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Histogram

from datenspiegel.service.broker import BrokerReply
from datenspiegel.service.logs import TRANSACTION_LOGGER, Structured
from datenspiegel.service.trace import REFUSALS

__all__ = ["STAGE_BUCKETS", "TransactionObserver"]

#: From 0.1 ms (an XSD validation, a cached lookup) to 2 s (a 1 000-hit freie Suche, a
#: database waiting for a lock): the stages' range on the machines measured
#: (docs/performance.md); anything slower lands in +Inf and is an incident anyway.
STAGE_BUCKETS: Final = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.0,
)


class TransactionObserver:
    """Observes finished transactions into ``registry`` and the transaction log (thread-safe)."""

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        client_address: bool = False,
        logger: logging.Logger | None = None,
    ) -> None:
        self._stages = Histogram(
            "datenspiegel_stage_seconds",
            "Server time per stage of a transaction (service/trace.py names the stages)",
            ["stage", "service"],
            buckets=STAGE_BUCKETS,
            registry=registry,
        )
        self._refusals = Counter(
            "datenspiegel_refusals",
            "Requests refused by the replay and quota checks: quota (T070), too_old (S999), "
            "in_future (S000), reused_id (S100), in_flight (S999)",
            ["reason"],
            registry=registry,
        )
        for reason in REFUSALS:
            self._refusals.labels(reason)  # every reason exported from the start, at 0
        self._client_address = client_address
        self._log = logger if logger is not None else logging.getLogger(TRANSACTION_LOGGER)
        # labels() validates and locks on every call; the children are looked up once
        self._children: dict[tuple[str, str], Any] = {}

    def observe(self, reply: BrokerReply) -> None:
        """The histograms, the refusal count and the log line of one finished transaction."""
        trace = reply.trace
        if trace is None:
            return
        stages = trace.stages
        service = trace.service
        children = self._children
        for stage, seconds in stages.items():
            child = children.get((stage, service))
            if child is None:
                child = children[(stage, service)] = self._stages.labels(stage, service)
            child.observe(seconds)
        if trace.refusal is not None:
            self._refusals.labels(trace.refusal).inc()
        log = self._log
        if not log.isEnabledFor(logging.INFO):
            return
        # milliseconds to the microsecond (int() and a division: a third of round()'s cost)
        milliseconds: dict[str, float] = {
            stage: int(seconds * 1_000_000) / 1000 for stage, seconds in stages.items()
        }
        milliseconds["total"] = int(trace.total * 1_000_000) / 1000
        fields: dict[str, Any] = {"record_id": reply.record_id, "service": service}
        record = reply.record
        if record is None:  # not written: fail closed, the client got S999
            fields["outcome"] = "unrecorded"
            fields["codes"] = [str(reply.code)]
        else:
            fields["outcome"] = record.outcome.value
            fields["codes"] = list(record.outcome_codes)
        fields["reply"] = reply.kind.value
        if record is not None:
            if record.authority_id is not None:
                fields["authority_id"] = record.authority_id
                fields["authority"] = record.authority_kennung
                fields["security_authority"] = record.sicherheitsbehoerde
            if record.user_id is not None:
                fields["user_id"] = record.user_id
            if record.user_kennung is not None:
                fields["user"] = record.user_kennung  # a pseudonym when content is not kept
        if reply.duplicate_of is not None:
            fields["duplicate_of"] = reply.duplicate_of
        if trace.refusal is not None:
            fields["refusal"] = trace.refusal
        if record is not None and record.request_bytes is not None:
            fields["request_bytes"] = record.request_bytes
        fields["answer_bytes"] = len(reply.document)
        if self._client_address and record is not None and record.client_address is not None:
            fields["client_address"] = record.client_address
        fields["ms"] = milliseconds
        # as Logger.info would, without its search of the stack for the caller (a third of
        # its cost; the line's origin is this logger)
        log.handle(
            log.makeRecord(
                log.name, logging.INFO, __file__, 0, Structured("transaction", fields), (), None
            )
        )
