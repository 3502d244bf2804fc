"""Mutual TLS (issue 8, point 4; access decision rule 3b): with client CAs configured, the
connection's TLS client certificate must be registered for a user of the authority that signs
the message (DOMAIN.md § 7: only from authorised client machines; § 39 Abs. 3 BMG)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.access.store import certificate_fingerprint
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.signing.pki import load_pem_certificates
from datenspiegel.xsd import parse_message
from datenspiegel.xsd.codelists import Ruecksendung
from tests.world import World, build_world


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    built = build_world(tmp_path, database_url)
    built.broker.mutual_tls = True
    yield built
    built.stores.close()


def _fingerprint(world: World, user: str) -> str:
    return certificate_fingerprint(load_pem_certificates(world.pki.users[user].cert)[0])


def _send(world: World, tls_fingerprint: str | None) -> BrokerReply:
    document = world.signed(world.request())
    root = parse_message(document)
    handler = world.broker.registry.by_element(
        etree.QName(root).namespace, etree.QName(root).localname
    )
    assert handler is not None
    return world.broker.transact(
        handler,
        root,
        request_digest="0" * 64,
        client_address="127.0.0.1",
        tls_fingerprint=tls_fingerprint,
    )


def test_the_signing_authoritys_own_certificate_passes(world: World) -> None:
    reply = _send(world, _fingerprint(world, "ordnungsamt"))
    assert reply.kind is ReplyKind.ANSWER


@pytest.mark.parametrize("connection", ["polizei", None])
def test_another_authoritys_or_no_certificate_is_refused_t070(
    world: World, connection: str | None
) -> None:
    fingerprint = _fingerprint(world, connection) if connection else None
    reply = _send(world, fingerprint)
    assert (reply.kind, reply.code) == (ReplyKind.FAULT, Ruecksendung.T070)
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None and "TLS client certificate" in (record.detail or "")
    assert "TLS" not in reply.message  # the client learns only the code


def test_without_mutual_tls_the_connection_is_not_judged(world: World) -> None:
    world.broker.mutual_tls = False
    assert _send(world, None).kind is ReplyKind.ANSWER
