"""A change the operator makes with the CLI is in force for a broker already running.

DOMAIN.md § 7: the operator may block an authority or a user at any time — and a block must
hold from the next request on, in every worker process and host (issue 8, point 7): the broker
reads blocks and networks from the broker database on every request, no cache. § 39 Abs. 3
BMG: a request from outside the authority's client networks is refused (T070) and recorded.
The broker here was built (and has answered) before the CLI ran, in this process, on the same
database — SQLite file or PostgreSQL schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.protocol import ProtocolRecord, ReadPurpose
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.service.cli import main
from tests.world import World, build_world

ORDNUNGSAMT = "dbs:ordnungsamt-hannover"


@pytest.fixture
def world(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    world = build_world(tmp_path, database_url)
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", database_url)  # the world's broker db
    return world


def _cli(tmp_path: Path, *argv: str) -> None:
    assert main([*argv[:2], "--data-dir", str(tmp_path), *argv[2:]]) == 0


def _ask(world: World, *, client_address: str | None = "127.0.0.1") -> BrokerReply:
    return world.broker.submit(world.signed(world.request()), client_address=client_address)


def _record(world: World, reply: BrokerReply) -> ProtocolRecord:
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None, "every transaction leaves a protocol record"
    return record


def _answered(reply: BrokerReply) -> bool:
    return reply.kind is ReplyKind.ANSWER and reply.code == "01"


def test_a_block_by_the_cli_holds_from_the_next_request(world: World, tmp_path: Path) -> None:
    """DOMAIN.md § 7: blocked at once — the running broker refuses the next request (T070),
    the protocol keeps who tried and why it was refused; unblocked, it answers again."""
    assert _answered(_ask(world))
    _cli(tmp_path, "authority", "block", ORDNUNGSAMT, "--grund", "Ticket 4711 geheim",
         "--operator", "Betrieb Schulz")  # fmt: skip
    refused = _ask(world)
    assert refused.kind is ReplyKind.FAULT and refused.code == "T070"
    assert b"Ticket" not in refused.document  # the reason goes to the protocol only
    record = _record(world, refused)
    assert record.authority_kennung == ORDNUNGSAMT
    assert "authority is blocked: Ticket 4711 geheim" in (record.detail or "")
    _cli(tmp_path, "authority", "unblock", ORDNUNGSAMT, "--operator", "Betrieb Schulz")
    assert _answered(_ask(world))


def test_a_user_block_by_the_cli_holds_from_the_next_request(world: World, tmp_path: Path) -> None:
    """§ 39 BMG: a user no longer entitled is disabled — the other users keep working."""
    _cli(tmp_path, "user", "block", ORDNUNGSAMT, "OA-32.4-0815", "--grund", "ausgeschieden",
         "--operator", "Betrieb Schulz")  # fmt: skip
    refused = _ask(world)
    assert refused.code == "T070"
    assert "user is blocked: ausgeschieden" in (_record(world, refused).detail or "")
    police = world.broker.submit(
        world.signed(world.request("polizei"), "polizei"), client_address="::1"
    )
    assert _answered(police)


def test_networks_set_by_the_cli_hold_from_the_next_request(world: World, tmp_path: Path) -> None:
    """§ 39 Abs. 3 BMG: only from the authority's client machines; the demo allows this
    machine (127.0.0.0/8, ::1), the operator narrows it to the state network."""
    assert _answered(_ask(world, client_address="127.0.0.1"))
    assert _answered(_ask(world, client_address="::1"))
    outside = _ask(world, client_address="192.0.2.7")
    assert outside.code == "T070"
    assert _record(world, outside).client_address == "192.0.2.7"

    _cli(tmp_path, "authority", "set-networks", ORDNUNGSAMT, "--network", "10.20.0.0/16",
         "--operator", "Betrieb Schulz")  # fmt: skip
    refused = _ask(world, client_address="127.0.0.1")
    assert refused.kind is ReplyKind.FAULT and refused.code == "T070"
    assert b"10.20.0.0" not in refused.document
    detail = _record(world, refused).detail or ""
    assert "source address '127.0.0.1' is outside" in detail and "10.20.0.0/16" in detail
    assert _answered(_ask(world, client_address="10.20.30.40"))
    assert _answered(_ask(world, client_address="::ffff:10.20.30.40"))


def test_the_tls_front_passes_the_peer_address_to_the_network_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§ 39 Abs. 3 BMG over the real server: ``make run``'s path (init, then serve) answers
    the demo client on this machine; narrowed by the CLI to another network, the very next
    request over TLS is refused with T070 — the server hands the TCP peer to the rule."""
    from datenspiegel.service.bootstrap import initialise
    from tests.serving import Server, ask_unique, start_serve

    monkeypatch.delenv("DATENSPIEGEL_STORES_BROKER_URL", raising=False)
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=5, progress=False)
    serving = start_serve(data_dir)
    try:
        client = Server.of(data_dir, serving).client()
        assert ask_unique(client).status == "01"
        _cli(data_dir, "authority", "set-networks", ORDNUNGSAMT, "--network", "10.20.0.0/16",
             "--operator", "Betrieb Schulz")  # fmt: skip
        refused = ask_unique(client)
        assert refused.fault and refused.codes == ["T070"]
        _cli(data_dir, "authority", "set-networks", ORDNUNGSAMT, "--network", "127.0.0.1",
             "--operator", "Betrieb Schulz")  # fmt: skip
        assert ask_unique(client).status == "01"
    finally:
        serving.stop(timeout=30)
