"""Replay protection and idempotency in-process, on SQLite and PostgreSQL (issue 8, point 5;
service/idempotency.py, protocol/replay.py).

A message is executed once: the same signed message again gets the original signed answer
byte for byte, without a second register query, recorded as a duplicate; the same
``nachrichtenUUID`` with other content is refused (0910 S100); a message outside its
creation-time window is refused (too old: S999, in the future: S000). § 40 BMG: every one of
these transactions leaves its own record.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from datenspiegel.protocol.errors import ProtocolUnavailable
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.protocol.replay import ClaimState
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.service.idempotency import MessageWindow, ReplayGuard
from datenspiegel.xsd.codelists import Ergebnisstatus, Ruecksendung
from tests.world import World, build_world

_KOPF = "nachrichtenkopf.g2g/identifikation.nachricht"


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    built = build_world(tmp_path, database_url)
    yield built
    built.stores.close()


@pytest.fixture
def searches(world: World, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every register search the broker makes (to prove a duplicate makes none)."""
    calls: list[Any] = []
    register = world.stores.register
    original = register.search_personen

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(register, "search_personen", counting)
    return calls


def _message(
    world: World, *, created: datetime | None = None, message_id: str | None = None, **kw: Any
) -> etree._Element:
    root = world.request(**kw)
    if created is not None:
        root.find(f"{_KOPF}/erstellungszeitpunkt").text = created.isoformat(timespec="seconds")  # type: ignore[union-attr]
    if message_id is not None:
        root.find(f"{_KOPF}/nachrichtenUUID").text = message_id  # type: ignore[union-attr]
    return root


def _record(world: World, reply: BrokerReply) -> ProtocolRecord:
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None
    return record


def test_the_same_signed_message_gets_the_original_answer_byte_for_byte(
    world: World, searches: list[Any]
) -> None:
    signed = world.signed(_message(world, elemente=(1, 13, 48)))
    first = world.broker.submit(signed)
    assert (first.kind, first.code) == (ReplyKind.ANSWER, Ergebnisstatus.PERSON)
    assert len(searches) == 1
    second = world.broker.submit(signed)
    assert second.document == first.document  # byte for byte, the original signature
    assert (second.kind, second.code, second.duplicate_of) == (
        ReplyKind.ANSWER,
        Ergebnisstatus.PERSON,
        first.record_id,
    )
    assert len(searches) == 1, "a duplicate must not query the register again"
    original, duplicate = _record(world, first), _record(world, second)
    assert original.outcome is Outcome.ANSWERED
    assert duplicate.outcome is Outcome.DUPLICATE
    assert duplicate.outcome_codes == ("01",)
    assert duplicate.record_id != original.record_id
    assert duplicate.request_message_id == original.request_message_id
    assert duplicate.answer_digest == original.answer_digest
    assert duplicate.answer_message_id == original.answer_message_id
    assert first.record_id in (duplicate.detail or "")
    assert duplicate.authority_kennung == original.authority_kennung


def test_a_rejection_is_replayed_too(world: World, searches: list[Any]) -> None:
    """A business rejection is the original answer as well (the message was executed)."""
    from datenspiegel.register.query import PersonensucheQuery

    query = PersonensucheQuery(ags="03241001", familienname="Quastenberg")  # too little: 18
    signed = world.signed(_message(world, query=query))
    first = world.broker.submit(signed)
    second = world.broker.submit(signed)
    assert first.kind is ReplyKind.ANSWER and str(first.code) == "18"
    assert second.document == first.document and second.duplicate_of == first.record_id
    assert _record(world, second).outcome_codes == ("18",)


def test_the_same_uuid_with_other_content_is_refused_s100(world: World) -> None:
    message_id = str(uuid.uuid4())
    first = world.broker.submit(world.signed(_message(world, message_id=message_id)))
    assert first.kind is ReplyKind.ANSWER
    other = world.broker.submit(world.signed(_message(world, message_id=message_id, elemente=(1,))))
    assert (other.kind, other.code) == (ReplyKind.FAULT, Ruecksendung.S100)
    assert "already used" in other.message
    record = _record(world, other)
    assert (record.outcome, record.outcome_codes) == (Outcome.RETURNED, ("S100",))


def test_a_uuid_recorded_before_its_claim_was_purged_stays_used(world: World) -> None:
    """Claims live only as long as the creation-time window; the § 40 records keep the
    UUID unique for the retention period."""
    message_id = str(uuid.uuid4())
    world.broker.submit(world.signed(_message(world, message_id=message_id)))
    assert world.stores.replay.purge(claimed_before=datetime.now(UTC) + timedelta(hours=1)) >= 1
    again = world.broker.submit(world.signed(_message(world, message_id=message_id, elemente=(1,))))
    assert again.code is Ruecksendung.S100
    assert "recorded earlier message" in again.message


@pytest.mark.parametrize(
    ("shift", "code", "text"),
    [
        (timedelta(minutes=-16), Ruecksendung.S999, "created 9"),
        (timedelta(minutes=6), Ruecksendung.S000, "in the future"),
    ],
)
def test_the_creation_time_window(
    world: World, searches: list[Any], shift: timedelta, code: Ruecksendung, text: str
) -> None:
    """Defaults: 15 minutes old at most, 5 minutes ahead at most (broker.message_max_age,
    broker.clock_skew); outside, nothing is executed and nothing is claimed."""
    message_id = str(uuid.uuid4())
    created = datetime.now(UTC) + shift
    reply = world.broker.submit(
        world.signed(_message(world, created=created, message_id=message_id))
    )
    assert (reply.kind, reply.code) == (ReplyKind.FAULT, code)
    assert text in reply.message
    assert searches == []
    record = _record(world, reply)
    assert (record.outcome, record.outcome_codes) == (Outcome.RETURNED, (code.value,))
    # nothing claimed: the same UUID with a current time is executed
    fresh = world.broker.submit(world.signed(_message(world, message_id=message_id)))
    assert fresh.kind is ReplyKind.ANSWER


def test_within_the_window_is_executed(world: World) -> None:
    for shift in (timedelta(minutes=-14), timedelta(minutes=4)):
        reply = world.broker.submit(
            world.signed(_message(world, created=datetime.now(UTC) + shift))
        )
        assert reply.kind is ReplyKind.ANSWER, reply.message


def test_a_block_applies_to_a_replay_at_once(world: World) -> None:
    """Authorisation comes before the replay: a user blocked after the original does not get
    its answer again (DOMAIN.md § 7: the operator may block at any time)."""
    signed = world.signed(_message(world))
    assert world.broker.submit(signed).kind is ReplyKind.ANSWER
    access = world.stores.access
    authority = access.authority_by_kennung("dbs:ordnungsamt-hannover")
    assert authority is not None
    access.block_authority(authority.id, grund="test: replay after block")
    refused = world.broker.submit(signed)
    assert (refused.kind, refused.code, refused.duplicate_of) == (
        ReplyKind.FAULT,
        Ruecksendung.T070,
        None,
    )


def test_a_refused_request_claims_nothing(world: World) -> None:
    """A request refused before execution (here: T070, blocked) may be sent again once the
    sender may send it, and is then executed."""
    access = world.stores.access
    authority = access.authority_by_kennung("dbs:ordnungsamt-hannover")
    assert authority is not None
    access.block_authority(authority.id, grund="test")
    signed = world.signed(_message(world))
    assert world.broker.submit(signed).code is Ruecksendung.T070
    access.unblock_authority(authority.id)
    assert world.broker.submit(signed).kind is ReplyKind.ANSWER


def test_a_message_in_flight_is_waited_for_then_retried(world: World) -> None:
    """Another worker holds the claim and has not answered yet: the duplicate waits, then
    is told to retry (S999) — it is not executed a second time."""
    assert world.broker.replay is not None
    guard = ReplayGuard(
        world.stores.replay,
        world.stores.protocol,
        MessageWindow(),
        abandon_after=120,
        in_flight_wait=0.2,
    )
    world.broker.replay = guard
    root = _message(world)
    message_id = root.findtext(f"{_KOPF}/nachrichtenUUID")
    assert message_id
    signed = world.signed(root)
    content = world.broker._read(  # the digest the broker computes
        world.broker.registry.by_element(
            "urn:xoev-de:datenspiegel:datenabruf:1", etree.QName(root).localname
        ),  # type: ignore[arg-type]
        etree.fromstring(signed),
    ).content_digest
    claim = world.stores.replay.claim(message_id, content, now=datetime.now(UTC), abandon_after=120)
    assert claim.state is ClaimState.NEW
    busy = world.broker.submit(signed)
    assert (busy.kind, busy.code) == (ReplyKind.FAULT, Ruecksendung.S999)
    assert "still being processed" in busy.message


def test_an_abandoned_claim_is_taken_over(world: World) -> None:
    """The claimant died before answering (SIGKILL): after ``abandon_after`` the message is
    executed by the next arrival instead of being blocked for ever."""
    root = _message(world)
    message_id = root.findtext(f"{_KOPF}/nachrichtenUUID")
    assert message_id
    signed = world.signed(root)
    handler = world.broker.registry.by_name("personensuche")
    assert handler is not None
    content = world.broker._read(handler, etree.fromstring(signed)).content_digest
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    world.stores.replay.claim(message_id, content, now=long_ago, abandon_after=120)
    assert world.broker.submit(signed).kind is ReplyKind.ANSWER


def test_a_lost_record_releases_the_claim(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed (S999) when the record cannot be written — and the message may be sent
    again: it is executed then, not answered with a duplicate of nothing."""
    signed = world.signed(_message(world))
    protocol = world.stores.protocol
    original = protocol.append

    def failing(*args: Any, **kwargs: Any) -> None:
        raise ProtocolUnavailable("test: the disk is full")

    monkeypatch.setattr(protocol, "append", failing)
    down = world.broker.submit(signed)
    assert (down.kind, down.code) == (ReplyKind.FAULT, Ruecksendung.S999)
    monkeypatch.setattr(protocol, "append", original)
    again = world.broker.submit(signed)
    assert (again.kind, again.duplicate_of) == (ReplyKind.ANSWER, None)


def test_concurrent_copies_execute_once(world: World, searches: list[Any]) -> None:
    """Two copies of one message at the same moment (two workers, a client's retry racing
    its first attempt): one execution, the same bytes for both."""
    signed = world.signed(_message(world))
    replies: list[BrokerReply] = []
    start = threading.Barrier(4)

    def send() -> None:
        start.wait()
        replies.append(world.broker.submit(signed))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(replies) == 4
    assert len(searches) == 1
    assert {r.document for r in replies} == {replies[0].document}
    assert sorted(r.duplicate_of is None for r in replies) == [False, False, False, True]
