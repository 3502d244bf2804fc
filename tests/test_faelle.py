"""Hand-over cases delivered (issue 7, point 5): the 1322 reaches the competent municipality,
the code-11 notices their recipients, through the signed ``faelleAbrufen`` and
``faelleQuittieren`` operations — each itself a recorded transaction."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.access.model import Behoerdenklasse
from datenspiegel.protocol.cases import CaseStore
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.register.model import Anschrift, Auskunftssperre, Person, TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.follow_ups import AUSSTEUERUNG_1322
from datenspiegel.signing import MessageSigner, MessageVerifier
from datenspiegel.signing.pki import CertificateProfile, issue_certificate
from datenspiegel.transformers import AnfragendeStelle, Behoerde
from datenspiegel.transformers.aussteuerung import build_faelle_abruf, build_quittung
from datenspiegel.xsd import MessageValidator, parse_message, serialize
from datenspiegel.xsd.codelists import Ergebnisstatus, Ruecksendung
from tests.sealing import register_protocol_key
from tests.world import AGS_HANNOVER, World, build_world

BROKER = Behoerde(kennung="dbs:mrds", name="Melderegisterdatenspiegel Niedersachsen")
GEMEINDE = Behoerde(kennung=f"ags:{AGS_HANNOVER}", name="Landeshauptstadt Hannover")
LKA = Behoerde(kennung="dbs:lka-niedersachsen", name="Landeskriminalamt Niedersachsen")


def stelle_of(behoerde: Behoerde, *, sicherheitsbehoerde: bool = False) -> AnfragendeStelle:
    return AnfragendeStelle(
        behoerdenname=behoerde.name,
        strasse="Trammplatz",
        hausnummer="2",
        postleitzahl="30159",
        ort="Hannover",
        telefon="+49 511 168-0",
        email="meldebehoerde@hannover-stadt.example",
        aktenzeichen="33.1-Aussteuerung",
        anlass="Abruf der Aussteuerungsfälle",
        kennung_anfragende_person="MB-33.1-0042",
        verfahrensname=None,
        sicherheitsbehoerde=sicherheitsbehoerde,
    )


def add_recipient(world: World, behoerde: Behoerde, *, sicherheit: bool = False) -> MessageSigner:
    """An authority with one user and a fresh signing certificate of the development CA."""
    authority = world.stores.access.add_authority(
        kennung=behoerde.kennung,
        name=behoerde.name,
        klasse=Behoerdenklasse.SICHERHEITSBEHOERDE
        if sicherheit
        else Behoerdenklasse.OEFFENTLICHE_STELLE,
        untertyp=1 if sicherheit else None,
        administrator=f"Administration {behoerde.name}",
        protokollierung_durch_betreiber=sicherheit,
    )
    if sicherheit:  # its records are sealed to its key (§ 40 Abs. 3 BMG)
        world.protocol_keys[authority.id] = register_protocol_key(
            world.stores.access, authority.id, world.pki
        )
    user = world.stores.access.add_user(
        authority_id=authority.id, kennung="MB-33.1-0042", name="Sachbearbeitung Meldewesen"
    )
    issued = issue_certificate(
        f"{behoerde.name} Sachbearbeitung",
        profile=CertificateProfile.SIGNING,
        issuer=world.pki.load_ca(),
    )
    world.stores.access.bind_certificate(user.id, issued.certificate)
    return MessageSigner(issued.signing_identity())


def fetch(world: World, signer: MessageSigner, autor: Behoerde, **kw: object) -> etree._Element:
    root = build_faelle_abruf(
        leser=BROKER,
        autor=autor,
        stelle=stelle_of(autor, sicherheitsbehoerde=autor is LKA),
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
        **kw,  # type: ignore[arg-type]
    )
    return _answer(world, serialize(signer.sign(root)))


def acknowledge(
    world: World, signer: MessageSigner, autor: Behoerde, ids: list[str]
) -> etree._Element:
    root = build_quittung(
        ids,
        leser=BROKER,
        autor=autor,
        stelle=stelle_of(autor, sicherheitsbehoerde=autor is LKA),
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
    )
    return _answer(world, serialize(signer.sign(root)))


def _answer(world: World, document: bytes) -> etree._Element:
    reply = world.broker.submit(document)
    verified = MessageVerifier(world.pki.trust_store()).verify(reply.document).root
    MessageValidator().validate(verified)
    return verified


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path)


def blocked_search(world: World, familienname: str, vorname: str, **kw: object) -> None:
    person = next(p for p in world_persons(world) if p.familienname == familienname)
    query = PersonensucheQuery(
        ags=AGS_HANNOVER,
        familienname=familienname,
        vornamen=(vorname,),
        geburtsdatum=person.geburtsdatum,
    )
    reply = world.broker.submit(world.signed(world.request(query=query, **kw)))  # type: ignore[arg-type]
    assert reply.code is Ergebnisstatus.NEUTRAL


def world_persons(world: World) -> list[Person]:
    from tests.world import PERSONS

    return [*PERSONS, LKA_PERSON]


LKA_PERSON = Person(
    id=77,
    ags=AGS_HANNOVER,
    familienname="Unterschutz",
    vornamen=("Lina",),
    geburtsdatum=TeilbekanntesDatum(1985, 3, 3),
    anschriften=(
        Anschrift(
            ags=AGS_HANNOVER,
            postleitzahl="30161",
            wohnort="Hannover",
            strasse="Lister Meile",
            hausnummer="50",
            wohnungsstatus="1",
        ),
    ),
    auskunftssperren=(Auskunftssperre(code="11", veranlassende_stelle=LKA.kennung),),
)


def test_blocked_person_hand_over_is_fetched_acknowledged_and_delivered(world: World) -> None:
    gemeinde = add_recipient(world, GEMEINDE)
    blocked_search(world, "Schattenfroh", "Karla")
    (retrieval,) = world.stores.protocol.records(
        reader="test", purpose=ReadPurpose.BETRIEB, limit=10
    )
    (entry,) = world.stores.protocol.side_effects(retrieval.record_id)
    assert entry.side_effect.kind == AUSSTEUERUNG_1322 and entry.processed_at is None

    answer = fetch(world, gemeinde, GEMEINDE)
    assert answer.tag.endswith("datenabruf.aussteuerung.faelle.1322")
    assert answer.findtext("anzahlOffen") == "1"
    (fall,) = answer.findall("{*}datenabruf.aussteuerung.1322")
    assert fall.findtext("fallart") == "aussteuerung"
    assert fall.findtext("nachrichtenkopf.g2g/leser/kennung") == GEMEINDE.kennung
    assert (
        fall.findtext("nachrichtenkopf.g2g/identifikation.nachricht/nachrichtentyp/code") == "1322"
    )
    assert fall.findtext("ursprungsnachricht") == retrieval.request_message_id
    # the original signed request, as received: its signature still verifies
    anfrage = base64.b64decode(fall.findtext("anfrage") or "")
    signed = MessageVerifier(world.pki.trust_store()).verify(anfrage)
    assert signed.root.findtext("auswahldaten/familienname") == "Schattenfroh"
    # requesting body (BMeldDAV § 11), requested elements, search data, the record found
    stelle = fall.find("anfragendeStelle")
    assert stelle is not None
    assert stelle.findtext("aktenzeichen") == retrieval.aktenzeichen
    assert stelle.findtext("telefon") and stelle.findtext("email")
    assert stelle.findtext("anschrift/ort") == "Hannover"
    assert fall.findtext("anfragendeBehoerde/kennung") == "dbs:ordnungsamt-hannover"
    assert {c.text for c in fall.iterfind("anforderungselement/code")} >= {"1", "7", "13"}
    assert fall.findtext("auswahldaten/familienname") == "Schattenfroh"
    (gefunden,) = fall.findall("gefundenePerson")
    assert gefunden.findtext("gesperrt") == "true"
    assert gefunden.findtext("auskunftssperre/code") == "3"
    assert gefunden.findtext("person/familienname") == "Schattenfroh"
    assert gefunden.find("person/aktuelleAnschrift/strasse") is not None

    # the fetch is a transaction with its own record, naming what it carried
    records = world.stores.protocol.records(reader="test", purpose=ReadPurpose.BETRIEB)
    fetched = records[-1]
    assert fetched.service == "faelleAbrufen"
    assert fetched.authority_kennung == GEMEINDE.kennung
    assert fetched.hits == (4,) and 4 in fetched.disclosed
    cases = CaseStore(engine=world.stores.protocol.engine)
    (state,) = cases.cases(open_only=True)
    assert state.fetched_at is not None and state.fetched_by == fetched.record_id

    fall_id = fall.findtext("fallId") or ""
    quittung = acknowledge(world, gemeinde, GEMEINDE, [fall_id, str(uuid.uuid4())])
    assert [e.text for e in quittung.iterfind("quittiert")] == [fall_id]
    assert len(quittung.findall("unbekannt")) == 1
    assert quittung.findtext("anzahlOffen") == "0"
    assert cases.cases(open_only=True) == []
    (entry,) = world.stores.protocol.side_effects(retrieval.record_id)
    assert entry.processed_at is not None  # delivered, not only stored
    services = [
        r.service for r in world.stores.protocol.records(reader="test", purpose=ReadPurpose.BETRIEB)
    ]
    assert services == ["personensuche", "faelleAbrufen", "faelleQuittieren"]
    assert fetch(world, gemeinde, GEMEINDE).findtext("anzahlOffen") == "0"


def test_only_the_competent_municipality_gets_its_cases(world: World) -> None:
    add_recipient(world, GEMEINDE)
    other = add_recipient(world, Behoerde(kennung="ags:03404000", name="Stadt Osnabrück"))
    blocked_search(world, "Schattenfroh", "Karla")
    answer = fetch(world, other, Behoerde(kennung="ags:03404000", name="Stadt Osnabrück"))
    assert answer.findtext("anzahlOffen") == "0"
    assert answer.findall("{*}datenabruf.aussteuerung.1322") == []
    # naming another municipality as autor: T070 (an authority signs only in its own name)
    refused = fetch(world, other, GEMEINDE)
    assert refused.findtext("grund/code") == Ruecksendung.T070
    # an authority that is neither municipality nor security authority: T070
    ordnungsamt = world.signers["ordnungsamt"]
    refused = fetch(world, ordnungsamt, Behoerde("dbs:ordnungsamt-hannover", "Ordnungsamt"))
    assert refused.findtext("grund/code") == Ruecksendung.T070
    # acknowledging another municipality's case id tells nothing
    (state,) = CaseStore(engine=world.stores.protocol.engine).cases()
    other_ack = acknowledge(
        world, other, Behoerde(kennung="ags:03404000", name="Stadt Osnabrück"), [state.case_id]
    )
    assert [e.text for e in other_ack.iterfind("unbekannt")] == [state.case_id]
    assert CaseStore(engine=world.stores.protocol.engine).cases()[0].open


def test_code_11_notice_reaches_the_instigating_security_authority(world: World) -> None:
    world.stores.register.import_persons([LKA_PERSON], source="tests", kind="test")
    gemeinde = add_recipient(world, GEMEINDE)
    lka = add_recipient(world, LKA, sicherheit=True)
    blocked_search(world, "Unterschutz", "Lina")

    notice = fetch(world, lka, LKA)
    (fall,) = notice.findall("{*}datenabruf.aussteuerung.1322")
    assert fall.findtext("fallart") == "mitteilungSicherheitsbehoerde"
    assert fall.find("anfrage") is None and fall.find("auswahldaten") is None  # minimised
    assert fall.findtext("anfragendeStelle/behoerdenname")
    assert fall.findtext("gefundenePerson/person/familienname") == "Unterschutz"

    hand_over = fetch(world, gemeinde, GEMEINDE)
    (fall_gemeinde,) = hand_over.findall("{*}datenabruf.aussteuerung.1322")
    assert fall_gemeinde.findtext("fallart") == "aussteuerung"
    assert fall_gemeinde.find("weiterleitungAn") is None  # the LKA is reached directly
    brief = fall_gemeinde.find("mitteilungBetroffenePerson")
    assert brief is not None  # the public body's retrieval is told to the person
    assert brief.findtext("anschriftzeile") == "Lina Unterschutz"
    assert "Auskunftssperre" in " ".join(z.text or "" for z in brief.iterfind("zeile"))

    acknowledge(world, lka, LKA, [fall.findtext("fallId") or ""])
    acknowledge(world, gemeinde, GEMEINDE, [fall_gemeinde.findtext("fallId") or ""])
    (retrieval,) = [
        r
        for r in world.stores.protocol.records(reader="test", purpose=ReadPurpose.BETRIEB)
        if r.service == "personensuche"
    ]
    entries = world.stores.protocol.side_effects(retrieval.record_id)
    assert {e.side_effect.kind for e in entries} == {
        "aussteuerung_1322",
        "mitteilung_veranlassende_sicherheitsbehoerde",
        "mitteilung_betroffene_person",
    }
    assert all(e.processed_at is not None for e in entries)


def test_unregistered_instigator_is_forwarded_by_the_municipality(world: World) -> None:
    gemeinde = add_recipient(world, GEMEINDE)
    blocked_search(world, "Verborgen", "Theo", verzicht=True)
    answer = fetch(world, gemeinde, GEMEINDE)
    (fall,) = answer.findall("{*}datenabruf.aussteuerung.1322")
    # follow-up waived: no hand-over of the request, but the notices still go
    assert fall.findtext("fallart") == "mitteilungBetroffenePerson"
    assert fall.find("anfrage") is None
    assert [e.text for e in fall.iterfind("weiterleitungAn")] == ["LKA Niedersachsen"]


def test_overdue_purge_and_logged_reads(world: World) -> None:
    gemeinde = add_recipient(world, GEMEINDE)
    blocked_search(world, "Schattenfroh", "Karla")
    cases = CaseStore(engine=world.stores.protocol.engine)
    later = datetime.now(UTC) + timedelta(hours=2)
    assert len(cases.overdue(now=later, after_seconds=3600)) == 1
    assert cases.overdue(now=datetime.now(UTC), after_seconds=3600) == []
    (state,) = cases.cases()
    with pytest.raises(ValueError):
        cases.get(state.case_id, reader=" ", purpose=ReadPurpose.BETRIEB)
    shown = cases.get(state.case_id, reader="operator", purpose=ReadPurpose.BETRIEB)
    assert shown is not None and shown.content and b"Schattenfroh" in shown.content
    (read,) = cases.reads()
    assert read.reader == "operator" and read.case_ids == (state.case_id,)

    fetch(world, gemeinde, GEMEINDE)
    assert cases.overdue(now=later, after_seconds=3600) == []  # fetched
    acknowledge(world, gemeinde, GEMEINDE, [state.case_id])
    earlier = datetime.now(UTC) - timedelta(hours=1)
    assert cases.purge(acknowledged_before=earlier, now=datetime.now(UTC)) == 0
    assert cases.purge(acknowledged_before=later, now=later) == 1
    purged = cases.get(state.case_id, reader="operator", purpose=ReadPurpose.BETRIEB)
    assert purged is not None and purged.content is None and purged.purged_at is not None


def test_stored_case_content_is_schema_valid_with_its_header(world: World) -> None:
    gemeinde = add_recipient(world, GEMEINDE)
    blocked_search(world, "Schattenfroh", "Karla")
    answer = fetch(world, gemeinde, GEMEINDE)
    (fall,) = answer.findall("{*}datenabruf.aussteuerung.1322")
    single = parse_message(etree.tostring(fall))
    MessageValidator().validate(single)
