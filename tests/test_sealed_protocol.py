"""Records of security authorities sealed to their key (§ 40 Abs. 3 BMG, issue 9 point 4).

A security authority logs its own retrievals; one that commissioned the operator
("Protokollierung erforderlich") has the full record sealed to its registered public key: the
operator's log keeps technical metadata, the envelope only the authority opens
(protocol/sealed.py). These tests check the sealing itself, the key policy (DOMAIN.md § 8),
the fail-closed rule without a key, the fetch through ``protokollAbrufen`` with its paging, and
that purge removes the envelopes with their records.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk
from sqlalchemy import func, select

from datenspiegel.access.errors import InvalidAuthority, InvalidCertificate
from datenspiegel.protocol.payloads import sealed_records
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.retention import purge
from datenspiegel.protocol.sealed import (
    SealedContent,
    SealingError,
    check_against,
    open_envelope,
    seal,
)
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.service.operations.protokoll import ProtokollAbrufenHandler
from datenspiegel.signing import MessageVerifier
from datenspiegel.signing.pki import CertificateProfile, issue_certificate
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.protokoll import build_protokollabruf, read_protokollantwort
from datenspiegel.xsd import serialize
from tests.sealing import opened, register_protocol_key
from tests.world import World, build_world

POLIZEI = next(u for u in DEMO_USERS if u.key == "polizei")
BROKER = Behoerde(kennung="dbs:mrds", name="Melderegisterdatenspiegel Niedersachsen")


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> World:
    return build_world(tmp_path, database_url)


def _police_id(world: World) -> int:
    authority = world.stores.access.authority_by_kennung(POLIZEI.authority_kennung)
    assert authority is not None and authority.protokollierung_durch_betreiber
    return authority.id


def _retrieve(world: World) -> str:
    """The demo police (commissioned) looks up the documented test person; the record id."""
    reply = world.broker.submit(world.signed(world.request("polizei"), "polizei"))
    root = MessageVerifier(world.pki.trust_store()).verify(reply.document).root
    assert root.findtext("ergebnis/ergebnisstatus/code") == "01"
    return reply.record_id


def _fetch(world: World, **kw: object) -> tuple[object, list[object]]:
    root = build_protokollabruf(
        leser=BROKER,
        autor=Behoerde(kennung=POLIZEI.authority_kennung, name=POLIZEI.authority_name),
        stelle=replace(POLIZEI.stelle, aktenzeichen="P-1", anlass="Kontrolle"),
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
        **kw,  # type: ignore[arg-type]
    )
    reply = world.broker.submit(serialize(world.signers["polizei"].sign(root)))
    verified = MessageVerifier(world.pki.trust_store()).verify(reply.document).root
    return reply, [verified]


def test_the_operator_keeps_metadata_and_an_envelope_only_the_authority_opens(
    world: World,
) -> None:
    """§ 40 Abs. 3 BMG: the operator does not review the content of records it keeps on a
    security authority's behalf — its log has metadata, the content is sealed."""
    record_id = _retrieve(world)
    kept = world.stores.protocol.get(
        record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert kept is not None
    assert not kept.content_recorded
    assert kept.aktenzeichen is None and kept.hits == () and kept.search_data == {}
    assert (kept.user_kennung or "").startswith("pseudonym:")
    # nothing of the answer is kept readable by the operator either (no period payload)
    with world.stores.protocol.engine.connect() as conn:
        from datenspiegel.protocol.payloads import payloads

        assert (
            conn.execute(
                select(func.count()).select_from(payloads).where(payloads.c.record_id == record_id)
            ).scalar_one()
            == 0
        )
    content = opened(world.stores.protocol, record_id, world.protocol_keys[_police_id(world)])
    assert content.record.aktenzeichen == POLIZEI.stelle.aktenzeichen
    assert content.record.hits and content.record.disclosed
    assert content.record.user_kennung == POLIZEI.stelle.kennung_anfragende_person
    assert content.request is not None and b"Quastenberg" in content.request
    assert check_against(content, kept) == []
    # the operator's own keys do not open it: not the signing key, not a fresh key
    broker_key = jwk.JWK.from_pem(world.pki.broker_key.read_bytes())
    with world.stores.protocol.engine.connect() as conn:
        envelope = conn.execute(
            select(sealed_records.c.envelope).where(sealed_records.c.record_id == record_id)
        ).scalar_one()
    for key in (broker_key, jwk.JWK.generate(kty="EC", crv="P-256")):
        with pytest.raises(SealingError, match="cannot be opened"):
            open_envelope(envelope, key)
    assert "Quastenberg" not in envelope and POLIZEI.stelle.aktenzeichen not in envelope


def test_an_altered_envelope_does_not_open(world: World) -> None:
    record_id = _retrieve(world)
    with world.stores.protocol.engine.connect() as conn:
        envelope = conn.execute(
            select(sealed_records.c.envelope).where(sealed_records.c.record_id == record_id)
        ).scalar_one()
    head, key, iv, ciphertext, tag = envelope.split(".")
    flipped = ciphertext[:10] + ("A" if ciphertext[10] != "A" else "B") + ciphertext[11:]
    with pytest.raises(SealingError):
        open_envelope(
            ".".join((head, key, iv, flipped, tag)), world.protocol_keys[_police_id(world)]
        )


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_seal_and_open_round_trip_for_rsa_and_ec(world: World, kind: str) -> None:
    """RSA-OAEP-256 for RSA keys (≥ 3072 bit), ECDH-ES+A256KW for the NIST curves."""
    record_id = _retrieve(world)
    content = opened(world.stores.protocol, record_id, world.protocol_keys[_police_id(world)])
    private = (
        rsa.generate_private_key(public_exponent=65537, key_size=3072) if kind == "rsa" else None
    )
    issued = issue_certificate(
        "key",
        profile=CertificateProfile.ENCRYPTION,
        private_key=private,
        issuer=world.pki.load_ca(),
    )
    envelope = seal(content, issued.certificate)
    back = open_envelope(envelope, jwk.JWK.from_pyca(issued.private_key))
    assert back == SealedContent(
        record=content.record, answer=content.answer, request=content.request
    )


def test_key_policy_refuses_weak_and_signature_only_keys(world: World) -> None:
    """DOMAIN.md § 8: RSA below 3072 bit is no longer suitable; a signature certificate is
    not meant for encryption; only a commissioning security authority has a protocol key."""
    access = world.stores.access
    police = _police_id(world)
    weak = issue_certificate(
        "weak",
        profile=CertificateProfile.ENCRYPTION,
        private_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        issuer=world.pki.load_ca(),
    )
    with pytest.raises(InvalidCertificate, match="3072"):
        access.set_protocol_key(police, weak.certificate)
    signing = issue_certificate("sig", profile=CertificateProfile.USER, issuer=world.pki.load_ca())
    with pytest.raises(InvalidCertificate, match="keyAgreement"):
        access.set_protocol_key(police, signing.certificate)
    public = access.authority_by_kennung(DEMO_USERS[0].authority_kennung)
    assert public is not None
    good = issue_certificate(
        "ok", profile=CertificateProfile.ENCRYPTION, issuer=world.pki.load_ca()
    )
    with pytest.raises(InvalidAuthority, match=r"§ 40 Abs\. 3"):
        access.set_protocol_key(public.id, good.certificate)


def test_renewal_keeps_the_history_and_old_records_stay_with_the_old_key(world: World) -> None:
    police = _police_id(world)
    old_key = world.protocol_keys[police]
    first = _retrieve(world)
    new_key = register_protocol_key(world.stores.access, police, world.pki)
    second = _retrieve(world)
    keys = world.stores.access.protocol_keys(police)
    assert len(keys) == 2 and keys[0].replaced_at is not None and keys[1].replaced_at is None
    assert opened(world.stores.protocol, first, old_key).record.record_id == first
    assert opened(world.stores.protocol, second, new_key).record.record_id == second
    with pytest.raises(SealingError):
        opened(world.stores.protocol, second, old_key)
    events = world.stores.access.admin_events(authority_kennung=POLIZEI.authority_kennung)
    assert [e.action.value for e in events].count("authority.set-protocol-key") == 2


def test_without_a_protocol_key_nothing_is_retrieved(world: World) -> None:
    """Fail closed: a commissioning authority whose key is missing would retrieve unlogged."""
    from datenspiegel.access._schema import protocol_keys

    with world.stores.access.engine.begin() as conn:
        conn.execute(protocol_keys.delete())
    reply = world.broker.submit(world.signed(world.request("polizei"), "polizei"))
    root = MessageVerifier(world.pki.trust_store()).verify(reply.document).root
    assert root.findtext("grund/code") == "T070"
    assert "protocol key" in (root.findtext("fehlerbeschreibung") or "")


def test_the_authority_fetches_its_records_page_by_page(world: World) -> None:
    """protokollAbrufen: oldest first, paging by entry number, every page's read logged."""
    police = _police_id(world)
    ids = [_retrieve(world) for _ in range(3)]
    reply, (root,) = _fetch(world, maximale_anzahl=2)
    antwort = read_protokollantwort(root)  # type: ignore[arg-type]
    assert antwort.anzahl_im_zeitraum == 3
    assert [e.protokoll_id for e in antwort.eintraege] == ids[:2]
    assert antwort.fortsetzung_nach == antwort.eintraege[-1].nummer
    _, (rest,) = _fetch(world, fortsetzung_nach=antwort.fortsetzung_nach)
    more = read_protokollantwort(rest)  # type: ignore[arg-type]
    assert [e.protokoll_id for e in more.eintraege] == ids[2:] and more.fortsetzung_nach is None
    for entry in (*antwort.eintraege, *more.eintraege):
        content = open_envelope(entry.umschlag, world.protocol_keys[police])
        assert content.record.record_id == entry.protokoll_id
    # the fetch is a transaction with its own (unsealed, metadata) record, and a logged read
    fetch_record = world.stores.protocol.get(
        reply.record_id,  # type: ignore[attr-defined]
        reader="tests",
        purpose=ReadPurpose.DATENSCHUTZKONTROLLE,
    )
    assert fetch_record is not None and fetch_record.service == "protokollAbrufen"
    with world.stores.protocol.engine.connect() as conn:
        assert (
            conn.execute(
                select(func.count())
                .select_from(sealed_records)
                .where(sealed_records.c.record_id == fetch_record.record_id)
            ).scalar_one()
            == 0
        )
    reads = [r for r in world.stores.protocol.reads() if r.purpose is ReadPurpose.AUFTRAGGEBER]
    assert sorted(list(r.record_ids) for r in reads) == sorted([ids[:2], ids[2:]])
    # a period that holds none
    _, (empty,) = _fetch(world, von=datetime.now(UTC) + timedelta(hours=1))
    assert read_protokollantwort(empty).anzahl_im_zeitraum == 0  # type: ignore[arg-type]


def test_a_large_page_is_cut_by_the_byte_budget(world: World) -> None:
    police = _police_id(world)
    for _ in range(3):
        _retrieve(world)
    handler = world.broker.registry.by_name("protokollAbrufen")
    assert isinstance(handler, ProtokollAbrufenHandler)
    handler._budget = 1  # every page then holds exactly one entry
    _, (root,) = _fetch(world)
    antwort = read_protokollantwort(root)  # type: ignore[arg-type]
    assert len(antwort.eintraege) == 1 and antwort.fortsetzung_nach is not None
    assert open_envelope(antwort.eintraege[0].umschlag, world.protocol_keys[police])


def test_only_the_role_protokolleinsicht_fetches(world: World) -> None:
    """Access rule 4b: the fetch is role-bound; the demo Ordnungsamt (a public body without
    the role, and without records kept on its behalf) is refused."""
    root = build_protokollabruf(
        leser=BROKER,
        autor=Behoerde(kennung=DEMO_USERS[0].authority_kennung, name=DEMO_USERS[0].authority_name),
        stelle=replace(DEMO_USERS[0].stelle, aktenzeichen="P-1", anlass="Kontrolle"),
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
    )
    reply = world.broker.submit(serialize(world.signers["ordnungsamt"].sign(root)))
    verified = MessageVerifier(world.pki.trust_store()).verify(reply.document).root
    assert verified.findtext("grund/code") == "T070"


def test_purge_removes_the_envelopes_with_their_records(world: World) -> None:
    """§ 40 BMG retention: an envelope goes with its record (the authority's copy is its own)."""
    record_id = _retrieve(world)
    key = world.stores.protocol.record_key
    assert key is not None
    report = purge(
        world.stores.protocol.engine,
        protocol_key=key,
        reader="tests",
        now=datetime.now(UTC) + timedelta(days=3 * 366),
        months=12,
    )
    assert report.records_deleted >= 1
    with world.stores.protocol.engine.connect() as conn:
        left = conn.execute(
            select(func.count())
            .select_from(sealed_records)
            .where(sealed_records.c.record_id == record_id)
        ).scalar_one()
    assert left == 0
