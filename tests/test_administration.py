"""The administration service in-process, on SQLite and PostgreSQL (issue 8, point 2).

§ 39 BMG, Nds. NMeldVO § 26 (DOMAIN.md § 7): the named administrator of an authority — and
only an administrator — creates, changes, blocks, unblocks, deletes and lists the users of that
authority, and of no other; a new user needs the date of the instruction on purpose limitation
(§ 41 BMG). Every request is signed, verified, authorised and recorded (§ 40 BMG); every
change is in the registry's event log, made by the administrator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from datenspiegel.access import Action, Actor, ActorKind, UserRole
from datenspiegel.access.admin_log import SYSTEM
from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.access.model import Kontakt
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.signing import CertificateProfile, MessageSigner, SigningIdentity
from datenspiegel.signing.pki import issue_certificate
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.administration import (
    Aktion,
    NutzerAenderung,
    NutzerDaten,
    build_administration_anfrage,
)
from datenspiegel.xsd import MessageValidator, parse_message, serialize
from datenspiegel.xsd.codelists import Ruecksendung
from tests.world import World, build_world

BROKER = Behoerde(kennung="dbs:mrds", name="Melderegisterdatenspiegel Niedersachsen")


@dataclass
class Admin:
    """An administrator of a demo authority, with its own signing key."""

    key: str
    autor: Behoerde
    stelle: Any
    signer: MessageSigner
    authority_id: int


def _admin(world: World, demo_key: str, kennung: str) -> Admin:
    demo = next(u for u in DEMO_USERS if u.key == demo_key)
    access = world.stores.access
    authority = access.authority_by_kennung(demo.authority_kennung)
    assert authority is not None
    issued = issue_certificate(
        f"Administration {kennung}", profile=CertificateProfile.USER, issuer=world.pki.load_ca()
    )
    access.add_user(
        authority_id=authority.id,
        kennung=kennung,
        name=f"Administrator {kennung}",
        roles=frozenset({UserRole.ADMINISTRATOR}),
        belehrt_am=date(2026, 1, 15),
        kontakt=Kontakt(email="admin@behoerde.example"),
        certificate=issued.certificate,
    )
    signer = MessageSigner(SigningIdentity(issued.private_key, issued.certificate))
    return Admin(
        demo_key,
        Behoerde(kennung=demo.authority_kennung, name=demo.authority_name),
        demo.stelle,
        signer,
        authority.id,
    )


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    built = build_world(tmp_path, database_url)
    yield built
    built.stores.close()


@pytest.fixture
def ordnungsamt(world: World) -> Admin:
    return _admin(world, "ordnungsamt", "ADM-OA-1")


@pytest.fixture
def polizei(world: World) -> Admin:
    return _admin(world, "polizei", "ADM-PD-1")


def _send(world: World, admin: Admin, aktion: Aktion, **kw: Any) -> BrokerReply:
    leser = kw.pop("leser", BROKER)
    root = build_administration_anfrage(
        aktion,
        leser=leser,
        autor=admin.autor,
        stelle=admin.stelle,
        erstellt=datetime.now(UTC),
        **kw,
    )
    return world.broker.submit(serialize(admin.signer.sign(root)))


def _answer(reply: BrokerReply) -> etree._Element:
    assert reply.kind is ReplyKind.ANSWER, reply.message
    root = parse_message(reply.document)
    MessageValidator().validate(root)
    return root


def _recorded_refusal(world: World, reply: BrokerReply, reason: str) -> None:
    """The refusal is a T070 with its § 40 record, whose detail names the rule's reason."""
    assert (reply.kind, reply.code) == (ReplyKind.FAULT, Ruecksendung.T070)
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None
    assert (record.outcome, record.outcome_codes) == (Outcome.RETURNED, ("T070",))
    assert reason in (record.detail or ""), record.detail


def _fehler(reply: BrokerReply) -> str | None:
    return _answer(reply).findtext("fehler/grund")


def _nutzer(kennung: str, **extra: Any) -> NutzerDaten:
    values: dict[str, Any] = {
        "kennung": kennung,
        "name": f"Sachbearbeitung {kennung}",
        "rollen": ("sachbearbeitung",),
        "belehrt_am": date(2026, 11, 2),
    }
    values.update(extra)
    return NutzerDaten(**values)


def _der(world: World, name: str) -> bytes:
    issued = issue_certificate(name, profile=CertificateProfile.USER, issuer=world.pki.load_ca())
    return issued.certificate.public_bytes(serialization.Encoding.DER)


def test_an_administrator_manages_the_own_authoritys_users(
    world: World, ordnungsamt: Admin
) -> None:
    created = _answer(
        _send(
            world,
            ordnungsamt,
            Aktion.ANLEGEN,
            neu=_nutzer(
                "OA-0815",
                erlaubte_operationen=("personensuche",),
                erlaubte_elemente=(1, 7, 13),
                zertifikate=(_der(world, "OA 0815"),),
                email="oa0815@hannover.example",
            ),
        )
    )
    assert created.findtext("ausgefuehrt") == "true"
    assert created.findtext("nutzer/kennung") == "OA-0815"
    assert [e.text for e in created.iterfind("nutzer/erlaubteElemente/element")] == ["1", "7", "13"]
    assert len(created.findall("nutzer/zertifikat")) == 1
    access = world.stores.access
    user = access.user_by_kennung(ordnungsamt.authority_id, "OA-0815")
    assert user is not None and user.belehrt_am == date(2026, 11, 2)
    assert user.erlaubte_operationen == frozenset({"personensuche"})

    changed = _answer(
        _send(
            world,
            ordnungsamt,
            Aktion.AENDERN,
            kennung="OA-0815",
            aenderung=NutzerAenderung(name="Neuer Name", erlaubte_elemente=()),
        )
    )
    assert changed.findtext("nutzer/name") == "Neuer Name"
    assert changed.find("nutzer/erlaubteElemente") is None  # no restriction any more

    blocked = _answer(_send(world, ordnungsamt, Aktion.SPERREN, kennung="OA-0815", grund="Urlaub"))
    assert blocked.findtext("nutzer/gesperrt") == "true"
    assert blocked.findtext("nutzer/sperrgrund") == "Urlaub"
    unblocked = _answer(_send(world, ordnungsamt, Aktion.ENTSPERREN, kennung="OA-0815"))
    assert unblocked.findtext("nutzer/gesperrt") == "false"
    listed = _answer(_send(world, ordnungsamt, Aktion.LISTE))
    kennungen = {e.text for e in listed.iterfind("nutzer/kennung")}
    assert {"OA-0815", "ADM-OA-1"} <= kennungen
    own = {u.kennung for u in access.users(ordnungsamt.authority_id)}
    assert kennungen == own  # exactly the own authority's users
    deleted = _answer(_send(world, ordnungsamt, Aktion.LOESCHEN, kennung="OA-0815"))
    assert deleted.findtext("ausgefuehrt") == "true"
    assert access.user_by_kennung(ordnungsamt.authority_id, "OA-0815") is None

    # every change in the event log, made by the administrator; every request recorded
    events = [
        e
        for e in access.admin_events(authority_kennung=ordnungsamt.autor.kennung)
        if e.actor.kind is ActorKind.ADMINISTRATOR
    ]
    assert [e.action for e in events] == [
        Action.USER_ADD,
        Action.USER_CHANGE,
        Action.USER_BLOCK,
        Action.USER_UNBLOCK,
        Action.USER_DELETE,
    ]
    assert {e.actor.name for e in events} == {"ADM-OA-1"}
    records = world.stores.protocol.records(
        reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    mine = [r for r in records if r.service.startswith("nutzer")]
    assert [r.service for r in mine] == [
        a.value
        for a in (
            Aktion.ANLEGEN,
            Aktion.AENDERN,
            Aktion.SPERREN,
            Aktion.ENTSPERREN,
            Aktion.LISTE,
            Aktion.LOESCHEN,
        )
    ]
    assert all(r.outcome is Outcome.ANSWERED and "ausgefuehrt" in (r.detail or "") for r in mine)
    assert mine[0].search_data == {"aktion": "nutzerAnlegen", "nutzer": "OA-0815"}


@pytest.mark.parametrize(
    "aktion", [a for a in Aktion if a is not Aktion.LISTE and a is not Aktion.ANLEGEN]
)
def test_another_authoritys_user_is_never_found(
    world: World, ordnungsamt: Admin, polizei: Admin, aktion: Aktion
) -> None:
    """An administrator cannot read or change another authority's users (§ 39 BMG: each
    authority manages its own users): the Kennung is looked up in the own authority only."""
    access = world.stores.access
    access.add_user(
        authority_id=polizei.authority_id,
        kennung="PD-4711",
        name="Kommissarin",
        belehrt_am=date(2026, 1, 1),
        actor=SYSTEM,
    )
    before = access.user_by_kennung(polizei.authority_id, "PD-4711")
    kw: dict[str, Any] = {"kennung": "PD-4711"}
    if aktion is Aktion.AENDERN:
        kw["aenderung"] = NutzerAenderung(name="Übernommen")
    if aktion is Aktion.SPERREN:
        kw["grund"] = "fremd"
    reply = _send(world, ordnungsamt, aktion, **kw)
    assert _fehler(reply) == "nutzerUnbekannt"
    assert access.user_by_kennung(polizei.authority_id, "PD-4711") == before


def test_the_list_and_creation_stay_within_the_own_authority(
    world: World, ordnungsamt: Admin, polizei: Admin
) -> None:
    listed = _answer(_send(world, ordnungsamt, Aktion.LISTE))
    kennungen = {e.text for e in listed.iterfind("nutzer/kennung")}
    assert "ADM-PD-1" not in kennungen
    assert kennungen == {u.kennung for u in world.stores.access.users(ordnungsamt.authority_id)}
    # a user created by the police administrator belongs to the police, whatever it is called
    _answer(_send(world, polizei, Aktion.ANLEGEN, neu=_nutzer("ADM-OA-1")))
    police_user = world.stores.access.user_by_kennung(polizei.authority_id, "ADM-OA-1")
    assert police_user is not None and police_user.authority_id == polizei.authority_id


def test_only_an_administrator_may_administer(world: World, ordnungsamt: Admin) -> None:
    """Rule 4b: the ordinary demo user of the same authority gets T070."""
    sachbearbeitung = replace(ordnungsamt, signer=world.signers["ordnungsamt"])
    reply = _send(world, sachbearbeitung, Aktion.LISTE)
    _recorded_refusal(world, reply, "needs the role administrator")


def test_the_broker_must_be_addressed(world: World, ordnungsamt: Admin) -> None:
    reply = _send(
        world, ordnungsamt, Aktion.LISTE, leser=Behoerde(kennung="ags:03241001", name="Hannover")
    )
    assert (reply.kind, reply.code) == (ReplyKind.FAULT, Ruecksendung.T080)


def test_refusals_change_nothing_and_say_why(world: World, ordnungsamt: Admin) -> None:
    _answer(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=_nutzer("OA-1")))
    assert _fehler(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=_nutzer("OA-1"))) == (
        "nutzerVorhanden"
    )
    # § 34a Abs. 6 BMG: the special role exists only for police and the like
    special = _nutzer("OA-2", rollen=("behoerdenleitungOderBesondersErmaechtigt",))
    reply = _send(world, ordnungsamt, Aktion.ANLEGEN, neu=special)
    assert _fehler(reply) == "ungueltig"
    assert "34a Abs. 6" in (_answer(reply).findtext("fehler/text") or "")
    assert world.stores.access.user_by_kennung(ordnungsamt.authority_id, "OA-2") is None
    # an instruction date in the future is no instruction (§ 41 BMG)
    future = _nutzer("OA-3", belehrt_am=date(2099, 1, 1))
    assert _fehler(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=future)) == "ungueltig"
    # a certificate of another user of the authority is not this user's to remove
    removal = NutzerAenderung(zertifikate_weg=("ab" * 32,))
    assert (
        _fehler(_send(world, ordnungsamt, Aktion.AENDERN, kennung="OA-1", aenderung=removal))
        == "ungueltig"
    )


def test_a_user_created_by_the_administrator_retrieves_only_what_it_may(
    world: World, ordnungsamt: Admin
) -> None:
    """Data minimisation set by the administrator takes effect (§ 39 Abs. 1 BMG): a user
    restricted to the freie Suche gets T070 for a Personensuche."""
    issued = issue_certificate("OA 9", profile=CertificateProfile.USER, issuer=world.pki.load_ca())
    der = issued.certificate.public_bytes(serialization.Encoding.DER)
    _answer(
        _send(
            world,
            ordnungsamt,
            Aktion.ANLEGEN,
            neu=_nutzer("OA-9", erlaubte_operationen=("freieSuche",), zertifikate=(der,)),
        )
    )
    signer = MessageSigner(SigningIdentity(issued.private_key, issued.certificate))
    reply = world.broker.submit(serialize(signer.sign(world.request())))
    _recorded_refusal(world, reply, "allows this user only freie_suche")


def test_an_overdue_instruction_is_shown_then_suspends(world: World, ordnungsamt: Admin) -> None:
    """§ 41 BMG: the administrator sees which users need a new instruction; after the grace
    period such a user is refused (T070) until the administrator records a new date."""
    world.broker.belehrung = Belehrungsfrist(gueltig_tage=365, nachfrist_tage=30)
    heute = datetime.now(UTC).date()
    issued = issue_certificate("OA 7", profile=CertificateProfile.USER, issuer=world.pki.load_ca())
    der = issued.certificate.public_bytes(serialization.Encoding.DER)
    _answer(
        _send(
            world,
            ordnungsamt,
            Aktion.ANLEGEN,
            neu=_nutzer("OA-7", belehrt_am=heute - timedelta(days=400), zertifikate=(der,)),
        )
    )
    listed = _answer(_send(world, ordnungsamt, Aktion.LISTE))
    stand = next(n for n in listed.iterfind("nutzer") if n.findtext("kennung") == "OA-7")
    assert stand.findtext("belehrungFaellig") == "true"
    assert stand.findtext("belehrungFaelligSeit") == (heute - timedelta(days=35)).isoformat()
    assert stand.findtext("wegenBelehrungGesperrt") == "true"
    admin = next(n for n in listed.iterfind("nutzer") if n.findtext("kennung") == "ADM-OA-1")
    assert admin.findtext("belehrungFaellig") == "false"

    signer = MessageSigner(SigningIdentity(issued.private_key, issued.certificate))
    refused = world.broker.submit(serialize(signer.sign(world.request())))
    _recorded_refusal(world, refused, "instruction on purpose limitation")
    assert "instruction" in refused.message
    renewed = NutzerAenderung(belehrt_am=heute)
    _answer(_send(world, ordnungsamt, Aktion.AENDERN, kennung="OA-7", aenderung=renewed))
    assert world.broker.submit(serialize(signer.sign(world.request()))).kind is ReplyKind.ANSWER


def test_the_operators_block_is_the_operators_to_lift(world: World, ordnungsamt: Admin) -> None:
    """DOMAIN.md § 7: the operator may block a user at any time — the authority's
    administrator cannot undo it (nichtErlaubt), and does not learn the operator's reason; a
    block the administrator set, the administrator lifts."""
    access = world.stores.access
    _answer(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=_nutzer("OA-5")))
    user = access.user_by_kennung(ordnungsamt.authority_id, "OA-5")
    assert user is not None
    access.block_user(user.id, grund="LfD-Prüfverfahren 12/2026", actor=Actor.operator("Schulz"))
    listed = _answer(_send(world, ordnungsamt, Aktion.LISTE))
    stand = next(n for n in listed.iterfind("nutzer") if n.findtext("kennung") == "OA-5")
    assert stand.findtext("gesperrt") == "true"
    assert "LfD" not in etree.tostring(listed).decode()
    assert (
        stand.findtext("sperrgrund")
        == "gesperrt durch den Betreiber des Melderegisterdatenspiegels"
    )
    assert _fehler(_send(world, ordnungsamt, Aktion.ENTSPERREN, kennung="OA-5")) == "nichtErlaubt"
    assert access.user_by_kennung(ordnungsamt.authority_id, "OA-5").gesperrt  # type: ignore[union-attr]
    access.unblock_user(user.id, actor=Actor.operator("Schulz"))
    _answer(_send(world, ordnungsamt, Aktion.SPERREN, kennung="OA-5", grund="Elternzeit"))
    listed = _answer(_send(world, ordnungsamt, Aktion.LISTE))
    stand = next(n for n in listed.iterfind("nutzer") if n.findtext("kennung") == "OA-5")
    assert stand.findtext("sperrgrund") == "Elternzeit"
    assert (
        _answer(_send(world, ordnungsamt, Aktion.ENTSPERREN, kennung="OA-5")).findtext(
            "nutzer/gesperrt"
        )
        == "false"
    )


def test_an_administrator_restricted_to_operations_still_administers(
    world: World, ordnungsamt: Admin
) -> None:
    """Rule 4a does not apply to the administration service: its role governs it (4b)."""
    access = world.stores.access
    admin = access.user_by_kennung(ordnungsamt.authority_id, "ADM-OA-1")
    assert admin is not None
    access.change_user(admin.id, erlaubte_operationen=frozenset({"personensuche"}))
    assert _answer(_send(world, ordnungsamt, Aktion.LISTE)).findtext("ausgefuehrt") == "true"
