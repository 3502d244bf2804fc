"""Each message executed once: creation-time window and replay claims (DESIGN.md, step 6).

After a request verified and was authorised, and before its handler runs:

1. **Creation time.** ``erstellungszeitpunkt`` (message header) must lie within
   ``broker.message_max_age`` in the past and ``broker.clock_skew`` in the future: older →
   0910 ``S999`` ("too old", no code of its own in the code list), later → 0910 ``S000``
   ("Vorgang mit einem in der Zukunft liegenden Datum"). A captured message cannot be replayed
   after the window, whatever happens to the claims.
2. **Claim** (protocol/replay.py) of the ``nachrichtenUUID`` with the content digest:
   new → execute; answered before with the same content → the original answer again, recorded
   as a duplicate, no second register query; other content → ``S100``; still being processed →
   wait up to :data:`IN_FLIGHT_WAIT` for its answer, else ``S999`` (retry).
3. A UUID no longer claimed (purged after the window) but recorded in the § 40 protocol is a
   reuse → ``S100`` as well.

Authorisation comes first on purpose: a duplicate is authorised again, so a block takes effect
for a replay at once, and a refused request claims nothing (the same message may be sent again
once the sender may send it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from datenspiegel.protocol.replay import Claim, ClaimState, ReplayStore, StoredAnswer
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.quotas import QuotaExceeded
from datenspiegel.xsd.coded import AnyCode, Coded
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund, Ruecksendung

__all__ = [
    "ABANDON_AFTER",
    "IN_FLIGHT_WAIT",
    "REPLAY_PURGE_INTERVAL",
    "MessageInFlight",
    "MessageWindow",
    "ReplayGuard",
    "ReusedMessageId",
    "StaleMessage",
    "code_of",
    "code_text",
]

#: How long a duplicate waits for the original's answer before it is told to retry.
IN_FLIGHT_WAIT = 5.0
#: A claim still unanswered after this many seconds belongs to a process that died: the next
#: arrival of the message takes it over (longer than any transaction may take).
ABANDON_AFTER = 120.0
#: Seconds between a worker's purges of claims past the creation-time window.
REPLAY_PURGE_INTERVAL = 60.0
_POLL = 0.05


class StaleMessage(Coded):
    """``erstellungszeitpunkt`` outside the window (S999 too old, S000 in the future)."""


class ReusedMessageId(Coded):
    """A ``nachrichtenUUID`` already used for other content."""

    code = Ruecksendung.S100


class MessageInFlight(Coded):
    """The same message is being processed by another worker right now."""

    code = Ruecksendung.S999


@dataclass(frozen=True, slots=True)
class MessageWindow:
    """The accepted range of ``erstellungszeitpunkt`` around the broker's clock."""

    max_age: float = 900.0
    clock_skew: float = 300.0

    @property
    def claims_kept(self) -> timedelta:
        """How long a claim must be kept: as long as its message can arrive in the window."""
        return timedelta(seconds=self.max_age + self.clock_skew)

    def check(self, created: datetime, now: datetime) -> None:
        if created.tzinfo is None:  # the schema requires an offset; never guess one
            raise StaleMessage("erstellungszeitpunkt has no UTC offset", code=Ruecksendung.S999)
        age = (now - created).total_seconds()
        if age > self.max_age:
            raise StaleMessage(
                f"the message was created {age:.0f} s ago, more than the {self.max_age:.0f} s "
                "a message may be old; create a new message (new nachrichtenUUID, current "
                "erstellungszeitpunkt) and check the sending system's clock",
                code=Ruecksendung.S999,
            )
        if -age > self.clock_skew:
            raise StaleMessage(
                f"the message's erstellungszeitpunkt lies {-age:.0f} s in the future (at most "
                f"{self.clock_skew:.0f} s are tolerated); check the sending system's clock",
                code=Ruecksendung.S000,
            )


class ReplayGuard:
    """Claims a verified, authorised message for execution (see the module docstring)."""

    def __init__(
        self,
        replay: ReplayStore,
        protocol: ProtocolStore,
        window: MessageWindow,
        *,
        abandon_after: float,
        in_flight_wait: float = IN_FLIGHT_WAIT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._replay = replay
        self._protocol = protocol
        self.window = window
        self._abandon_after = abandon_after
        self._in_flight_wait = in_flight_wait
        self._sleep = sleep

    def claim(
        self,
        message_id: str,
        content_digest: str,
        now: datetime,
        *,
        charge: Callable[[Connection], None] | None = None,
    ) -> StoredAnswer | None:
        """None: this transaction executes the message (and must store its answer with its
        record, :meth:`ReplayStore.answer_in`). A stored answer: send it again. Raises
        :class:`ReusedMessageId` or :class:`MessageInFlight`, or what ``charge`` raises.

        ``charge`` (the quota count) runs first, in the same transaction as the claim — one
        commit for both on the transaction's path; a refused charge still counts and claims
        nothing."""
        deadline = time.monotonic() + self._in_flight_wait
        while True:
            refused: Exception | None = None
            with self._replay.transaction("claim a message") as conn:
                if charge is not None:
                    try:
                        charge(conn)
                    except QuotaExceeded as exc:
                        refused = exc
                    charge = None  # a wait for an answer in flight is not counted again
                claim = None
                if refused is None:
                    claim = self._replay.claim(
                        message_id,
                        content_digest,
                        now=now,
                        abandon_after=self._abandon_after,
                        conn=conn,
                    )
                    seen = claim.state is ClaimState.NEW and self._protocol.message_seen(
                        message_id, conn=conn
                    )
                    if seen:
                        ReplayStore.unclaim_in(conn, message_id)
            if refused is not None:
                raise refused
            assert claim is not None
            if claim.state is ClaimState.NEW:
                if seen:
                    raise _reused(claim, recorded=True)
                return None
            if claim.state is ClaimState.DUPLICATE:
                assert claim.answer is not None
                return claim.answer
            if claim.state is ClaimState.CONFLICT:
                raise _reused(claim, recorded=False)
            if time.monotonic() >= deadline:
                raise MessageInFlight(
                    "the same message is still being processed; send it again in a few "
                    "seconds to receive its answer"
                )
            self._sleep(_POLL)

    def release(self, message_id: str) -> None:
        self._replay.release(message_id)

    def purge(self, now: datetime) -> int:
        """Drop claims whose messages can no longer arrive (periodic, every worker)."""
        return self._replay.purge(claimed_before=now - self.window.claims_kept)


_CODE_LISTS: dict[str, type[Ergebnisstatus] | type[Grund] | type[Ruecksendung]] = {
    "Ergebnisstatus": Ergebnisstatus,
    "Grund": Grund,
    "Ruecksendung": Ruecksendung,
}


def code_text(code: AnyCode) -> str:
    """A reply's code with its list ("Ergebnisstatus:01", "Grund:02", "Ruecksendung:T070"):
    "01" alone is both a status and a rejection reason."""
    return f"{type(code).__name__}:{code.value}"


def code_of(text: str) -> AnyCode:
    """The inverse of :func:`code_text`."""
    name, _, value = text.partition(":")
    return _CODE_LISTS[name](value)


def _reused(claim: Claim, *, recorded: bool) -> ReusedMessageId:
    when = (
        f" (first used {claim.claimed_at.isoformat(timespec='seconds')})"
        if (claim.claimed_at is not None)
        else ""
    )
    where = "a recorded earlier message" if recorded else "another message"
    return ReusedMessageId(
        f"this nachrichtenUUID was already used by {where} with other content{when}; every "
        "message needs a new UUID"
    )
