"""The transaction pipeline in-process: every outcome, its signed document and its record."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.signing import MessageVerifier, TrustStore
from datenspiegel.transformers import Behoerde
from datenspiegel.xsd import MessageValidator, parse_message
from datenspiegel.xsd.codelists import Grund
from tests.world import AGS_HANNOVER, World, build_world


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> World:
    return build_world(tmp_path, database_url)


def _verified(world: World, reply: BrokerReply) -> etree._Element:
    """The reply is schema-valid and signed by the broker; return the verified tree."""
    verifier = MessageVerifier(TrustStore.from_pem_files([world.pki.ca_cert]))
    verified = verifier.verify(reply.document)
    MessageValidator().validate(parse_message(reply.document))
    return verified.root


def _record(world: World, reply: BrokerReply) -> ProtocolRecord:
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None, "every transaction leaves a protocol record"
    return record


def test_unique_person_status_01_with_only_requested_elements(world: World) -> None:
    reply = world.broker.submit(world.signed(world.request(elemente=(1, 13, 48))))
    assert reply.kind is ReplyKind.ANSWER
    root = _verified(world, reply)
    assert root.findtext("ergebnis/ergebnisstatus/code") == "01"
    person = root.find("ergebnis/person")
    assert person is not None
    assert person.findtext("familienname") == "Quastenberg"
    assert person.findtext("geburtsdatum/jahrMonatTag") == "1961-07-14"
    assert person.findtext("aktuelleAnschrift/strasse") == "Lister Meile"
    # not requested: first names (7), birth name (4), house number (49), doctorate (10)
    for absent in ("vorname", "geburtsname", "aktuelleAnschrift/hausnummer", "doktorgrad"):
        assert person.find(absent) is None, absent
    assert person.findtext("aktuelleAnschrift/bedingterSperrvermerk") == "false"
    record = _record(world, reply)
    assert record.outcome is Outcome.ANSWERED and record.outcome_codes == ("01",)
    # § 40 Abs. 1 Nr. 2 BMG: per person what was written — first names (7), house number (49)
    # and the others were requested but are not in the answer, so they are not recorded
    assert record.hits == (1,) and record.disclosed == {1: (1, 13, 48)}
    assert record.withheld == ()
    assert record.aktenzeichen == "32.4-2026-0815"
    assert record.anlass == "Zustellung eines Bußgeldbescheids"
    assert record.user_kennung == "OA-32.4-0815"
    assert record.authority_kennung == "dbs:ordnungsamt-hannover"
    assert record.answer_digest is not None and record.request_message_id


def test_namesakes_give_hit_list_and_merkmal_continues(world: World) -> None:
    query = PersonensucheQuery(
        ags=AGS_HANNOVER,
        familienname="WENDEBRINK",
        vornamen=("jens",),
        geburtsdatum=TeilbekanntesDatum(1980, 1, 2),
    )
    reply = world.broker.submit(world.signed(world.request(query=query)))
    root = _verified(world, reply)
    assert root.findtext("ergebnis/ergebnisstatus/code") == "02"
    treffer = root.findall("ergebnis/trefferliste/treffer")
    assert len(treffer) == 2
    merkmale = [t.findtext("identifikationsmerkmal") for t in treffer]
    assert all(m and len(m) >= 32 for m in merkmale)
    flags = sorted(t.findtext("hauptanschrift/bedingterSperrvermerk") or "" for t in treffer)
    assert flags == ["false", "true"]
    # § 40 Abs. 1 Nr. 2, 7 BMG: the hit-list entries are data that left, per person
    record = _record(world, reply)
    assert record.hits == (2, 3) and record.withheld == ()
    listed = (1, 7, 13, 44, 45, 46, 48, 49)  # what the register holds of the § 6 data
    assert record.disclosed == {2: listed, 3: listed}
    # continuation with the Merkmal of the second hit → that person, status 01
    follow = world.broker.submit(world.signed(world.request(merkmal=merkmale[1])))
    person = _verified(world, follow).find("ergebnis/person")
    assert person is not None and person.findtext("aktuelleAnschrift/hausnummer") == "7"
    # the Merkmal is bound to the authority that received it
    other = world.broker.submit(
        world.signed(world.request("polizei", merkmal=merkmale[1]), "polizei")
    )
    assert _verified(world, other).findtext("rueckweisung/grund/code") == "01"


def test_auskunftssperre_is_neutral_like_no_hit(world: World) -> None:
    blocked = PersonensucheQuery(
        ags=AGS_HANNOVER, familienname="Schattenfroh", vornamen=("Karla",), strasse="Lister Meile"
    )
    nobody = PersonensucheQuery(
        ags=AGS_HANNOVER, familienname="Niemandsland", vornamen=("Karla",), strasse="Lister Meile"
    )
    replies = [world.broker.submit(world.signed(world.request(query=q))) for q in (blocked, nobody)]
    roots = [_verified(world, r) for r in replies]
    assert [r.findtext("ergebnis/ergebnisstatus/code") for r in roots] == ["03", "03"]
    shapes = [[e.tag for e in r.find("ergebnis").iter()] for r in roots]  # type: ignore[union-attr]
    assert shapes[0] == shapes[1]
    record = _record(world, replies[0])
    assert record.hits == (4,)  # the protocol knows who was found …
    assert record.withheld == (4,) and record.disclosed == {}  # … and that nothing left


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (PersonensucheQuery(ags=AGS_HANNOVER, familienname="Quastenberg"), "18"),
        (PersonensucheQuery(ags=AGS_HANNOVER, familienname="Quastenberg", vornamen=("H",)), "18"),
        (
            PersonensucheQuery(
                ags="03241001",
                familienname="Quastenberg",
                vornamen=("Hannelore",),
                strasse="Gibtesnichtweg",
            ),
            "02",
        ),
        (  # both 14 and 22 apply: the code list's order decides (BMeldDAV Anlage; issue 7)
            PersonensucheQuery(ags="05315000", familienname="X", vornamen=("Y",), geschlecht="m"),
            "14",
        ),
        (
            PersonensucheQuery(ags="03101000", familienname="X", vornamen=("Y",), geschlecht="m"),
            "14",
        ),
    ],
)
def test_business_rejections(world: World, query: PersonensucheQuery, code: str) -> None:
    reply = world.broker.submit(world.signed(world.request(query=query)))
    assert reply.kind is ReplyKind.ANSWER
    root = _verified(world, reply)
    assert [c.text for c in root.iterfind("rueckweisung/grund/code")] == [code]
    assert root.findtext("rueckweisung/freitext")
    record = _record(world, reply)
    assert record.outcome is Outcome.REJECTED and record.outcome_codes == (code,)
    assert record.hits == () and record.disclosed == {} and record.withheld == ()


def test_a_municipality_unknown_to_the_mirror_is_22(world: World) -> None:
    """§ 34a Abs. 2 BMG, DOMAIN.md § 3: the search AGS must lie in Lower Saxony *and* be known
    to the mirror; addressed to that same (unknown) municipality it is 22, not 14."""
    unknown = "03999999"
    query = PersonensucheQuery(ags=unknown, familienname="X", vornamen=("Y",), geschlecht="m")
    reply = world.broker.submit(
        world.signed(
            world.request(query=query, leser=Behoerde(kennung=f"ags:{unknown}", name="Nirgends"))
        )
    )
    assert _verified(world, reply).findtext("rueckweisung/grund/code") == "22"


def test_public_body_claiming_security_authority_is_rejected_03(world: World) -> None:
    reply = world.broker.submit(world.signed(world.request(sicherheitsbehoerde=True)))
    assert _verified(world, reply).findtext("rueckweisung/grund/code") == "03"


def test_public_body_may_not_request_identity_documents(world: World) -> None:
    reply = world.broker.submit(world.signed(world.request(elemente=(1, 163))))
    assert _verified(world, reply).findtext("rueckweisung/grund/code") == "07"


def _fault(world: World, payload: bytes) -> tuple[str, ProtocolRecord, etree._Element]:
    reply = world.broker.submit(payload)
    assert reply.kind is ReplyKind.FAULT
    root = _verified(world, reply)
    assert root.tag.endswith("ruecksendung.nachricht.0910")
    record = _record(world, reply)
    assert record.outcome is Outcome.RETURNED
    assert record.hits == () and record.disclosed == {} and record.withheld == ()
    assert root.find(".//person") is None
    return root.findtext("grund/code") or "", record, root


def test_not_well_formed_is_x000(world: World) -> None:
    code, record, root = _fault(world, b"<dsa:datenabruf.personensuche")
    assert code == "X000"
    assert root.findtext("ursprungsnachrichtPruefsumme") == record.request_digest


def test_doctype_is_refused_without_expansion(world: World) -> None:
    signed = world.signed(world.request())
    evil = signed.replace(
        b"?>", b'?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
    ).replace(b"Hannelore</vornamen>", b"&x;</vornamen>")
    code, record, root = _fault(world, evil)
    assert code == "X000"
    assert b"root:" not in etree.tostring(root)
    assert "DOCTYPE" in (record.detail or "")


def test_schema_invalid_is_x001(world: World) -> None:
    signed = world.signed(world.request())
    invalid = signed.replace(b"<aktenzeichen>", b"<unbekannt>x</unbekannt><aktenzeichen>")
    assert _fault(world, invalid)[0] == "X001"


def test_tampered_after_signing_is_t011(world: World) -> None:
    signed = world.signed(world.request())
    assert _fault(world, signed.replace(b"Quastenberg", b"Wendebrink"))[0] == "T011"


def test_unsigned_is_t010(world: World) -> None:
    unsigned = etree.tostring(world.request(), xml_declaration=True, encoding="UTF-8")
    assert _fault(world, unsigned)[0] == "T010"


def test_foreign_ca_is_t002(world: World, tmp_path: Path) -> None:
    from datenspiegel.signing import MessageSigner, SigningIdentity, create_development_pki

    foreign = create_development_pki(tmp_path / "foreign", users=["mallory"])
    signer = MessageSigner(
        SigningIdentity.from_pem_files(foreign.users["mallory"].key, foreign.users["mallory"].cert)
    )
    payload = etree.tostring(signer.sign(world.request()), xml_declaration=True, encoding="UTF-8")
    assert _fault(world, payload)[0] == "T002"


def test_unregistered_certificate_is_t070(world: World) -> None:
    from datenspiegel.signing import (
        CertificateProfile,
        MessageSigner,
        SigningIdentity,
        issue_certificate,
    )

    # issued by the trusted CA, but bound to no registered user
    issued = issue_certificate(
        "unregistered", profile=CertificateProfile.USER, issuer=world.pki.load_ca()
    )
    signer = MessageSigner(SigningIdentity(issued.private_key, issued.certificate))
    payload = etree.tostring(signer.sign(world.request()), xml_declaration=True, encoding="UTF-8")
    code, record, _ = _fault(world, payload)
    assert code == "T070"
    assert record.certificate_fingerprint is not None


def test_wrong_recipient_is_t080(world: World) -> None:
    leser = Behoerde(kennung="ags:05315000", name="Stadt Köln")
    assert _fault(world, world.signed(world.request(leser=leser)))[0] == "T080"


def test_author_must_be_the_signers_authority(world: World) -> None:
    autor = Behoerde(kennung="dbs:pd-hannover", name="Polizeidirektion Hannover")
    assert _fault(world, world.signed(world.request(autor=autor)))[0] == "T070"


def test_protocol_down_means_no_register_data(world: World) -> None:
    from sqlalchemy import text

    engine = world.stores.protocol.engine
    cascade = "" if engine.dialect.name == "sqlite" else " CASCADE"
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE protocol_record{cascade}"))
    reply = world.broker.submit(world.signed(world.request()))
    assert reply.kind is ReplyKind.FAULT
    assert b"Quastenberg" not in reply.document
    assert _verified(world, reply).findtext("grund/code") == "S999"


def test_hit_list_limit_is_exactly_1000(world: World) -> None:
    from datenspiegel.register.model import Anschrift, Person

    def namesake(person_id: int) -> Person:
        return Person(
            id=person_id,
            ags=AGS_HANNOVER,
            familienname="Tausendfuß",
            vornamen=("Anna",),
            geburtsdatum=TeilbekanntesDatum(2000, 1, 1),
            anschriften=(Anschrift(ags=AGS_HANNOVER, strasse="Lister Meile", hausnummer="1"),),
        )

    world.stores.register.import_persons(
        (namesake(10_000 + i) for i in range(1000)), source="tests", kind="test"
    )
    query = PersonensucheQuery(
        ags=AGS_HANNOVER,
        familienname="Tausendfuss",
        vornamen=("Anna",),
        geschlecht=None,
        geburtsdatum=TeilbekanntesDatum(2000, 1, 1),
    )
    full = _verified(world, world.broker.submit(world.signed(world.request(query=query))))
    assert full.findtext("ergebnis/ergebnisstatus/code") == "02"
    assert len(full.findall("ergebnis/trefferliste/treffer")) == 1000
    world.stores.register.import_persons([namesake(11_000)], source="tests", kind="test")
    reply = world.broker.submit(world.signed(world.request(query=query)))
    assert _verified(world, reply).findtext("rueckweisung/grund/code") == "12"
    assert _record(world, reply).outcome_codes == ("12",)


def test_register_unavailable_is_rejection_16_with_record(world: World) -> None:
    from sqlalchemy import text

    engine = world.stores.register.engine
    cascade = "" if engine.dialect.name == "sqlite" else " CASCADE"
    with engine.begin() as conn:
        for table in ("register_name", "register_person"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}{cascade}"))
    reply = world.broker.submit(world.signed(world.request()))
    assert _verified(world, reply).findtext("rueckweisung/grund/code") == "16"
    record = _record(world, reply)
    assert record.outcome is Outcome.REJECTED and "register unavailable" in (record.detail or "")


def _effects(world: World, reply: BrokerReply) -> list[tuple[str, dict]]:
    return sorted(
        (entry.side_effect.kind, dict(entry.side_effect.payload))
        for entry in world.stores.protocol.side_effects(reply.record_id)
    )


BLOCKED_3 = PersonensucheQuery(
    ags=AGS_HANNOVER, familienname="Schattenfroh", vornamen=("Karla",), strasse="Lister Meile"
)
BLOCKED_11 = PersonensucheQuery(
    ags=AGS_HANNOVER, familienname="Verborgen", vornamen=("Theo",), strasse="Lister Meile"
)


def test_blocked_person_is_handed_to_the_municipality_unless_waived(world: World) -> None:
    reply = world.broker.submit(world.signed(world.request(query=BLOCKED_3)))
    effects = _effects(world, reply)
    assert [kind for kind, _ in effects] == ["aussteuerung_1322"]
    payload = effects[0][1]
    assert payload["person_id"] == 4 and payload["gemeinde_ags"] == AGS_HANNOVER
    assert payload["aktenzeichen"] == "32.4-2026-0815"
    waived = world.broker.submit(world.signed(world.request(query=BLOCKED_3, verzicht=True)))
    assert _effects(world, waived) == []
    assert _verified(world, waived).findtext("ergebnis/ergebnisstatus/code") == "03"


def test_block_by_security_authority_informs_it_always_and_the_person_unless_police_asks(
    world: World,
) -> None:
    public = world.broker.submit(world.signed(world.request(query=BLOCKED_11)))
    assert [k for k, _ in _effects(world, public)] == [
        "aussteuerung_1322",
        "mitteilung_betroffene_person",
        "mitteilung_veranlassende_sicherheitsbehoerde",
    ]
    notice = dict(_effects(world, public))["mitteilung_veranlassende_sicherheitsbehoerde"]
    assert notice["veranlassende_stellen"] == ["LKA Niedersachsen"]
    police = world.broker.submit(
        world.signed(world.request("polizei", query=BLOCKED_11, verzicht=True), "polizei")
    )
    assert _verified(world, police).findtext("ergebnis/ergebnisstatus/code") == "03"
    assert [k for k, _ in _effects(world, police)] == [
        "mitteilung_veranlassende_sicherheitsbehoerde"
    ]


def test_internal_reasons_never_reach_the_client(world: World) -> None:
    principal = world.stores.access.authority_by_kennung("dbs:ordnungsamt-hannover")
    assert principal is not None
    world.stores.access.block_authority(principal.id, grund="Ticket 2026-1142 geheim")
    reply = world.broker.submit(world.signed(world.request()))
    assert reply.kind is ReplyKind.FAULT and reply.code == "T070"
    assert "Ticket" not in reply.message and b"Ticket" not in reply.document
    assert "Ticket" in (_record(world, reply).detail or "")


def test_rejection_freitext_does_not_name_internal_facts(world: World) -> None:
    reply = world.broker.submit(world.signed(world.request(elemente=(1, 184))))
    root = _verified(world, reply)
    assert root.findtext("rueckweisung/grund/code") == "10"
    assert "id" not in (root.findtext("rueckweisung/freitext") or "").split()


def test_every_operation_rejects_in_its_own_answer_message(world: World) -> None:
    """A business rejection is the operation's own answer message carrying ``rueckweisung``
    (1330 → 1331, BMeldDAV § 4; 1332 → 1333, BMeldDAV § 7), schema-valid; the hand-over
    operations' answers have no rejection element, so theirs is a 0910 (``None`` here)."""
    expected = {
        "personensuche": "datenabruf.personensuche.antwort.1331",
        "freieSuche": "datenabruf.freieSuche.antwort.1333",
        "faelleAbrufen": None,
        "faelleQuittieren": None,
        "protokollAbrufen": None,
        # the administration answer carries its own refusal (fehler), never a rueckweisung
        **dict.fromkeys(
            (
                "nutzerAnlegen",
                "nutzerAendern",
                "nutzerSperren",
                "nutzerEntsperren",
                "nutzerLoeschen",
                "nutzerListe",
            )
        ),
    }
    operations = {op.name for op in world.broker.registry.operations}
    assert operations == set(expected)
    anfragende = Behoerde(kennung="dbs:0815", name="Polizeiinspektion Hannover")
    gemeinde = Behoerde(kennung=f"ags:{AGS_HANNOVER}", name="Landeshauptstadt Hannover")
    for name, root_name in expected.items():
        handler = world.broker.registry.by_name(name)
        assert handler is not None
        document = handler.rueckweisung(
            (Grund.STRASSE_UNBEKANNT,),
            "no street 'X' is known",
            erstellt=datetime.now(UTC),
            leser=anfragende,
            autor=gemeinde,
            ursprung=str(uuid.uuid4()),
        )
        if root_name is None:
            assert document is None, name
            continue
        assert document is not None, name
        assert etree.QName(document.root).localname == root_name
        MessageValidator().validate(document.root)
        assert document.root.findtext("rueckweisung/grund/code") == "02"
