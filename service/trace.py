"""Where a transaction's time goes: its stages, timed as it passes them.

One :class:`TransactionTrace` per transaction, made with its
:class:`~datenspiegel.service.stages.Received` and carried with it through the frame
(:mod:`~datenspiegel.service.broker`): each step says which stage begins with
:meth:`~TransactionTrace.enter`, which closes the stage before it — so the time of a stage that
fails (a signature refused, a database locked) is its own, not the next stage's. A stage
entered twice (the protocol-key lookup after the claim belongs to authorisation, the record
is built before and written after sealing) adds up. After the commit the front hands the trace
to the :class:`~datenspiegel.service.observation.TransactionObserver` (``/metrics`` histograms,
the transaction's log line).

Costs two ``perf_counter`` calls and one dict update per stage: well under a microsecond
each, measured in ``bench.transaction --compare-observability`` (docs/performance.md).
"""

from __future__ import annotations

from enum import StrEnum
from time import perf_counter

from datenspiegel.service.idempotency import MessageInFlight, ReusedMessageId, StaleMessage
from datenspiegel.service.quotas import QuotaExceeded
from datenspiegel.xsd.codelists import Ruecksendung

__all__ = ["REFUSALS", "Stage", "TransactionTrace", "refusal_of"]


class Stage(StrEnum):
    """The stages of a transaction, in the order they are passed (DESIGN.md "The
    transaction"); the values are the ``stage`` label of ``datenspiegel_stage_seconds``."""

    #: the SOAP envelope's hardened parse and the dispatch to an operation (from the body
    #: read until the frame takes over; only when the front says when the body was read)
    PARSE = "parse"
    #: the message's version and its XSD validation
    VALIDATE = "validate"
    #: the XML signature, the signer's certificate chain and CRL, reading the verified tree
    VERIFY = "verify"
    #: certificate → user → authority, the access decision, a commissioning authority's key
    AUTHORISE = "authorise"
    #: the creation-time window, the replay claim and the quota count (one commit)
    CLAIM = "claim"
    #: the operation's handler: for the searches the register query, the disclosure rules and
    #: the answer's content
    HANDLE = "handle"
    #: the answer document (or the 0910) built and signed with the broker's key
    ANSWER = "answer"
    #: a commissioned security authority's record sealed to its key (§ 40 Abs. 3 BMG)
    SEAL = "seal"
    #: the protocol record built and appended with everything of its commit (durable)
    RECORD = "record"


#: What ``datenspiegel_refusals_total{reason}`` counts: requests refused by the replay and
#: quota checks (each also has its 0910 code, which it shares with other causes).
REFUSALS: tuple[str, ...] = ("quota", "too_old", "in_future", "reused_id", "in_flight")


def refusal_of(exc: BaseException) -> str | None:
    """The refusal reason of a failure of the claim stage, ``None`` for any other failure."""
    if isinstance(exc, QuotaExceeded):
        return "quota"
    if isinstance(exc, StaleMessage):
        return "in_future" if exc.code is Ruecksendung.S000 else "too_old"
    if isinstance(exc, ReusedMessageId):
        return "reused_id"
    if isinstance(exc, MessageInFlight):
        return "in_flight"
    return None


class TransactionTrace:
    """The stage timings of one transaction (one thread; see the module docstring).

    ``started``: the ``perf_counter`` time the request body was read, when the caller knows
    it — the time until the first :meth:`enter` is then the :attr:`Stage.PARSE` stage.
    """

    __slots__ = ("_mark", "_spent", "_stage", "ended", "refusal", "service", "started")

    def __init__(self, service: str = "", *, started: float | None = None) -> None:
        now = perf_counter()
        self.service = service
        self.started = now if started is None else started
        #: ``perf_counter`` time of :meth:`stop` (``None`` while running)
        self.ended: float | None = None
        #: the replay or quota refusal that ended it (:data:`REFUSALS`), if any
        self.refusal: str | None = None
        self._stage: Stage | None = None if started is None else Stage.PARSE
        self._mark = self.started
        self._spent: dict[Stage, float] = {}

    def enter(self, stage: Stage | None) -> None:
        """``stage`` begins now; the running stage (if any) ends."""
        now = perf_counter()
        current = self._stage
        if current is not None:
            spent = self._spent
            spent[current] = spent.get(current, 0.0) + (now - self._mark)
        self._stage = stage
        self._mark = now

    def stop(self) -> None:
        """The transaction is over (its record committed, or its failure to be answered)."""
        self.enter(None)
        self.ended = self._mark

    @property
    def stages(self) -> dict[Stage, float]:
        """Seconds per stage passed, in the order first entered."""
        return dict(self._spent)

    @property
    def total(self) -> float:
        """Seconds from ``started`` to :meth:`stop` (or to now, while running)."""
        end = self.ended if self.ended is not None else perf_counter()
        return end - self.started
