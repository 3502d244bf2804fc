"""Issue 7: the answer's data cut to the law, per recipient — and a § 40 record of exactly what
left. Every case names its rule and the paragraph that makes it, the register state, the
request, and the expected status, answer and record.

Two tables: :data:`CUTS` runs the pure decision and answer writers on a fixed transaction date
(children's ages are date arithmetic); :data:`TRANSACTIONS` runs signed requests through the
whole broker, where the requester's class comes from its registration and the request's claim,
and the § 40 record and the outbox are read back from the protocol store (SQLite and
PostgreSQL).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.access.model import (
    Authority,
    Behoerdenklasse,
    Principal,
    User,
    UserRole,
)
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.sealed import check_against
from datenspiegel.register.model import (
    Angehoeriger,
    Anschrift,
    Auskunftssperre,
    Person,
    TeilbekanntesDatum,
)
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.broker import BrokerReply
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.service.stages import Authorised
from datenspiegel.signing import (
    CertificateProfile,
    MessageSigner,
    MessageVerifier,
    SigningIdentity,
    TrustStore,
    issue_certificate,
)
from datenspiegel.transformers import Behoerde, Requester, build_answer, decide_disclosure
from datenspiegel.transformers.personendaten import TREFFER_ELEMENTE, minderjaehrig_am
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd import MessageValidator, parse_message, serialize
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund
from tests.sealing import opened, register_protocol_key
from tests.world import AGS_HANNOVER, LESER, World, build_world

STICHTAG = date(2026, 11, 28)
PUBLIC = Requester(sicherheitsbehoerde=False)
POLICE_HEAD = Requester(sicherheitsbehoerde=True, untertyp=1, besonders_ermaechtigt=True)

# -- register states --------------------------------------------------------------------------


def _anschrift(**extra: object) -> Anschrift:
    values: dict[str, object] = {
        "ags": AGS_HANNOVER,
        "postleitzahl": "30159",
        "wohnort": "Hannover",
        "frueherer_gemeindename": "Linden",
        "strasse": "Lister Meile",
        "hausnummer": "3",
        "hausnummer_buchstabe": "a",
        "teilnummer": "1",
        "wohnungsnummer": "2. OG links",  # DSMeld 1210
        "zusatzangaben": "Hinterhaus",  # DSMeld 1211
        "wohnungsinhaber": "Wohnungsinhaberin Meyer",  # DSMeld 1212
        "wohnungsstatus": "1",
        "einzugsdatum": TeilbekanntesDatum(2010, 5, 1),
    }
    values.update(extra)
    return Anschrift(**values)  # type: ignore[arg-type]


def _kind(geburtsdatum: TeilbekanntesDatum, **extra: object) -> Angehoeriger:
    values: dict[str, object] = {
        "art": "kind",
        "familienname": "Ahrens",
        "vornamen": ("Kim",),
        "geburtsdatum": geburtsdatum,
        "geschlecht": "d",
        "anschrift": _anschrift(),
    }
    values.update(extra)
    return Angehoeriger(**values)  # type: ignore[arg-type]


def _person(person_id: int, **extra: object) -> Person:
    values: dict[str, object] = {
        "id": person_id,
        "ags": AGS_HANNOVER,
        "familienname": "Ahrens",
        "ehename": "Ahrens",
        "lebenspartnerschaftsname": "Ahrens-Bode",
        "geburtsname": "Bode",
        "fruehere_familiennamen": ("Carstens",),
        "vornamen": ("Gesa", "Maria"),
        "gebraeuchlicher_vorname": "Maria",
        "fruehere_vornamen": ("Gesine",),
        "doktorgrad": "Dr.",
        "geburtsdatum": TeilbekanntesDatum(1970, 2, 1),
        "geburtsort": "Celle",
        "geschlecht": "w",
        "anschriften": (_anschrift(),),
    }
    values.update(extra)
    return Person(**values)  # type: ignore[arg-type]


def _gesperrt(person_id: int, code: str = "3", **extra: object) -> Person:
    sperre = Auskunftssperre(code=code, **extra)  # type: ignore[arg-type]
    return _person(person_id, auskunftssperren=(sperre,))


def _mit_kind(geburtsdatum: TeilbekanntesDatum) -> tuple[Person, ...]:
    return (_person(1, angehoerige=(_kind(geburtsdatum),)),)


KIND = frozenset({146, 147, 148, 161})
#: What a hit-list entry of :func:`_person` carries (BMeldDAV § 6, as far as the contract's
#: ``Treffer`` holds it): names, first names, date of birth, address 1201–1209.
TREFFER = tuple(sorted(TREFFER_ELEMENTE))
#: Never in a hit list: flat number, address additions, Wohnungsinhaber; and no data beyond § 6.
NIE_IN_TREFFERLISTE = ("2. OG links", "Hinterhaus", "Wohnungsinhaberin Meyer", "Dr.", "Celle")


@dataclass(frozen=True)
class Cut:
    rule: str
    paragraph: str
    register: tuple[Person, ...]
    requester: Requester
    elemente: frozenset[int]
    status: Ergebnisstatus
    #: the record's ``disclosed``: per person id the element codes the answer carries
    disclosed: Mapping[int, tuple[int, ...]]
    withheld: tuple[int, ...] = ()
    #: texts that must not be anywhere in the answer
    absent: tuple[str, ...] = ()
    stichtag: date = STICHTAG


CUTS: dict[str, Cut] = {
    # -- children only while minor --------------------------------------------------------
    "child-17-transmitted": Cut(
        "a child is transmitted while under 18 on the transaction's date",
        "§ 3 Abs. 1 Nr. 16 BMG (minderjährige Kinder)",
        _mit_kind(TeilbekanntesDatum(2008, 11, 29)),  # 18 tomorrow
        PUBLIC,
        KIND | {1},
        Ergebnisstatus.PERSON,
        {1: (1, 146, 147, 148, 161)},
    ),
    "child-18-today-left-out": Cut(
        "a child is no longer transmitted from its 18th birthday",
        "§ 3 Abs. 1 Nr. 16 BMG; § 187 Abs. 2 Satz 2 BGB (age counts from the day of birth)",
        _mit_kind(TeilbekanntesDatum(2008, 11, 28)),
        PUBLIC,
        KIND | {1},
        Ergebnisstatus.PERSON,
        {1: (1,)},
        absent=("<kind>", "Kim"),
    ),
    "child-29-february-minor-on-28th": Cut(
        "one born on 29 February is still minor on 28 February of a common year",
        "§ 3 Abs. 1 Nr. 16 BMG; § 188 Abs. 3 BGB",
        _mit_kind(TeilbekanntesDatum(2008, 2, 29)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: tuple(sorted(KIND))},
        stichtag=date(2026, 2, 28),
    ),
    "child-29-february-adult-on-1st-march": Cut(
        "… and of age on 1 March",
        "§ 3 Abs. 1 Nr. 16 BMG; § 188 Abs. 3 BGB",
        _mit_kind(TeilbekanntesDatum(2008, 2, 29)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: ()},
        absent=("Kim",),
        stichtag=date(2026, 3, 1),
    ),
    "child-year-only-certainly-minor": Cut(
        "a year of birth that makes the child minor on every day it may mean",
        "§ 3 Abs. 1 Nr. 16 BMG",
        _mit_kind(TeilbekanntesDatum(2009)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: tuple(sorted(KIND))},
    ),
    "child-year-only-maybe-adult": Cut(
        "minority not established (born some day of 2008): left out",
        "§ 3 Abs. 1 Nr. 16 BMG",
        _mit_kind(TeilbekanntesDatum(2008)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: ()},
        absent=("Kim",),
    ),
    "child-month-certainly-minor": Cut(
        "born in December 2008: 18 in December 2026 at the earliest",
        "§ 3 Abs. 1 Nr. 16 BMG",
        _mit_kind(TeilbekanntesDatum(2008, 12)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: tuple(sorted(KIND))},
    ),
    "child-month-maybe-adult": Cut(
        "born in November 2008: may be 18 already",
        "§ 3 Abs. 1 Nr. 16 BMG",
        _mit_kind(TeilbekanntesDatum(2008, 11)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: ()},
        absent=("Kim",),
    ),
    "child-unknown-date": Cut(
        "an unknown date of birth never establishes minority",
        "§ 3 Abs. 1 Nr. 16 BMG",
        _mit_kind(TeilbekanntesDatum(None)),
        PUBLIC,
        KIND,
        Ergebnisstatus.PERSON,
        {1: ()},
        absent=("Kim",),
    ),
    "spouse-with-own-block": Cut(
        "a spouse with an Auskunftssperre of their own is left out — and not recorded",
        "§ 51 Abs. 1 BMG; § 40 Abs. 1 Nr. 2 BMG",
        (
            _person(
                1,
                angehoerige=(
                    Angehoeriger(
                        art="ehegatte",
                        familienname="Geheim",
                        vornamen=("Ole",),
                        auskunftssperre=True,
                    ),
                ),
            ),
        ),
        PUBLIC,
        frozenset({1, 102, 104}),
        Ergebnisstatus.PERSON,
        {1: (1,)},
        absent=("Geheim", "<ehegatte>"),
    ),
    "requested-but-not-held": Cut(
        "what was requested but not written is not recorded as disclosed",
        "§ 40 Abs. 1 Nr. 2 BMG",
        (_person(1, doktorgrad=None, ordensname=None),),
        PUBLIC,
        frozenset({1, 10, 11}),
        Ergebnisstatus.PERSON,
        {1: (1,)},
    ),
    # -- the hit list carries exactly BMeldDAV § 6 -----------------------------------------
    "hit-list-only-section-6": Cut(
        "a hit list carries names, first names, date of birth and address 1201–1209, "
        "whatever was requested — never flat number, additions or Wohnungsinhaber",
        "§ 34a Abs. 2 BMG; BMeldDAV § 6",
        (_person(1), _person(2, vornamen=("Gesa",))),
        PUBLIC,
        frozenset(range(1, 163)),
        Ergebnisstatus.TREFFERLISTE,
        {1: TREFFER, 2: TREFFER},
        absent=(*NIE_IN_TREFFERLISTE, "<unbekannt>"),
    ),
    "hit-list-without-main-address": Cut(
        "a person without a current main address is listed without one",
        "BMeldDAV § 6",
        (_person(1), _person(2, anschriften=())),
        PUBLIC,
        frozenset({1}),
        Ergebnisstatus.TREFFERLISTE,
        {1: TREFFER, 2: tuple(c for c in TREFFER if c < 44)},  # names and date, no address
        absent=NIE_IN_TREFFERLISTE,
    ),
    # -- Auskunftssperre: nothing may betray a block ----------------------------------------
    "single-blocked-neutral": Cut(
        "the only match is blocked: neutral 03, like no hit",
        "§ 51 Abs. 1 BMG; § 34a Abs. 5 BMG",
        (_gesperrt(1),),
        PUBLIC,
        frozenset({1}),
        Ergebnisstatus.NEUTRAL,
        {},
        withheld=(1,),
        absent=("Ahrens",),
    ),
    "several-one-blocked-neutral": Cut(
        "several match and one is blocked: neutral 03, no shortened hit list",
        "§ 34a Abs. 5 BMG",
        (_person(1), _gesperrt(2), _person(3)),
        PUBLIC,
        frozenset({1}),
        Ergebnisstatus.NEUTRAL,
        {},
        withheld=(2,),
        absent=("Ahrens", "trefferliste"),
    ),
    "several-blocked-by-code-11-neutral-also-for-police-head": Cut(
        "a block a security authority instigated holds against everyone",
        "§ 34a Abs. 5, 6 BMG; § 51 Abs. 1 BMG",
        (_person(1), _gesperrt(2, "11", veranlassende_stelle="LKA")),
        POLICE_HEAD,
        frozenset({1}),
        Ergebnisstatus.NEUTRAL,
        {},
        withheld=(2,),
    ),
    "several-blocked-but-visible-to-police-head": Cut(
        "for the police head a code-3 block does not hold: the full hit list",
        "§ 34a Abs. 6 BMG",
        (_person(1), _gesperrt(2)),
        POLICE_HEAD,
        frozenset({1}),
        Ergebnisstatus.TREFFERLISTE,
        {1: TREFFER, 2: TREFFER},
    ),
    "several-one-objection-only": Cut(
        "an objection (code 7) is no block: the hit list lists everyone",
        "§ 51 Abs. 1 BMG (only codes 1, 3, 6, 11, 12 block; DOMAIN.md § 5)",
        (_person(1), _gesperrt(2, "7")),
        PUBLIC,
        frozenset({1}),
        Ergebnisstatus.TREFFERLISTE,
        {1: TREFFER, 2: TREFFER},
    ),
    "several-one-block-ended": Cut(
        "a block that ended before the transaction's date no longer blocks",
        "§ 51 Abs. 4 BMG",
        (_person(1), _gesperrt(2, bis=date(2026, 11, 27))),
        PUBLIC,
        frozenset({1}),
        Ergebnisstatus.TREFFERLISTE,
        {1: TREFFER, 2: TREFFER},
    ),
}


#: BMeldDAV § 6 as Personensuche element codes (codelists.txt): names 0101a–0105a (1–3), 0201a
#: (4), 0203a (5); first names 0301 (7), 0303 (8); date of birth 0601 (13); of the current
#: address 1201–1209 (44–51). 1213a (56, Art der Wohnung) is not held by the mirror.
BMELDDAV_6 = frozenset({1, 2, 3, 4, 5, 7, 8, 13, *range(44, 52)})


def test_hit_list_elements_are_bmelddav_6() -> None:
    """§ 34a Abs. 2 BMG, BMeldDAV § 6: the names incl. married and partnership name and former
    first names, never 1200 (43), 1210 (52), 1211 (53), 1212 (54)."""
    assert TREFFER_ELEMENTE == BMELDDAV_6
    assert not TREFFER_ELEMENTE & {43, 52, 53, 54, 55, 56, 74}


@pytest.mark.parametrize("case", CUTS.values(), ids=CUTS.keys())
def test_answer_cut(case: Cut) -> None:
    disclosure = decide_disclosure(case.register, case.requester, stichtag=case.stichtag)
    document = build_answer(
        disclosure,
        elemente=case.elemente,
        merkmale={p.id: f"merkmal-{p.id:08d}-opaque" for p in case.register if p.id is not None},
        erstellt=datetime(2026, 11, 28, 12, tzinfo=UTC),
        leser=Behoerde(kennung="dbs:x", name="X"),
        autor=LESER,
        ursprung="6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e",
    )
    MessageValidator().validate(document.root)
    assert document.root.findtext("ergebnis/ergebnisstatus/code") == case.status
    assert document.disclosed == case.disclosed, case.rule
    assert tuple(p.id for p in disclosure.withheld) == case.withheld, case.rule
    text = etree.tostring(document.root, encoding="unicode")
    for absent in case.absent:
        assert absent not in text, f"{case.rule} ({case.paragraph}): {absent!r} left"
    # Every person the record names as disclosed is in the answer, and nobody else is.
    listed = len(document.root.findall("ergebnis/person")) + len(
        document.root.findall("ergebnis/trefferliste/treffer")
    )
    assert listed == len(case.disclosed)


def test_neutral_answers_cannot_be_told_apart() -> None:
    """§ 34a Abs. 5 BMG: several matches with a block answer exactly like no match at all."""

    def shape(register: tuple[Person, ...]) -> list[str]:
        disclosure = decide_disclosure(register, PUBLIC, stichtag=STICHTAG)
        document = build_answer(
            disclosure,
            elemente={1},
            merkmale={},
            erstellt=datetime(2026, 11, 28, 12, tzinfo=UTC),
            leser=Behoerde(kennung="dbs:x", name="X"),
            autor=LESER,
            ursprung="6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e",
        )
        ergebnis = document.root.find("ergebnis")
        assert ergebnis is not None
        return [etree.QName(e).localname for e in ergebnis.iter()]

    nobody = shape(())
    assert shape((_person(1), _gesperrt(2))) == nobody == shape((_gesperrt(2),))


@pytest.mark.parametrize(
    ("geburtsdatum", "stichtag", "minor"),
    [
        (TeilbekanntesDatum(2008, 11, 29), STICHTAG, True),
        (TeilbekanntesDatum(2008, 11, 28), STICHTAG, False),
        (TeilbekanntesDatum(2008, 2, 29), date(2026, 2, 28), True),
        (TeilbekanntesDatum(2008, 2, 29), date(2026, 3, 1), False),
        (TeilbekanntesDatum(2008, 2, 29), date(2028, 2, 28), False),
        (TeilbekanntesDatum(2009), STICHTAG, True),
        (TeilbekanntesDatum(2008), STICHTAG, False),
        (TeilbekanntesDatum(2008, 12), STICHTAG, True),
        (TeilbekanntesDatum(2008, 11), STICHTAG, False),
        (TeilbekanntesDatum(None), STICHTAG, False),
        (None, STICHTAG, False),
        (TeilbekanntesDatum(9990), STICHTAG, True),  # no overflow past year 9999
    ],
)
def test_minority_on_the_transactions_date(
    geburtsdatum: TeilbekanntesDatum | None, stichtag: date, minor: bool
) -> None:
    """§ 3 Abs. 1 Nr. 16 BMG with §§ 187 Abs. 2, 188 Abs. 3 BGB; a partially known date counts
    as minor only if every day it may mean does."""
    assert minderjaehrig_am(geburtsdatum, stichtag) is minor


# -- who asks: registration and the claim (§ 34 Abs. 4 Satz 1 BMG) ------------------------------


def _authority(untertyp: int | None) -> Authority:
    return Authority(
        id=1,
        kennung="dbs:stelle",
        name="Stelle",
        klasse=(
            Behoerdenklasse.OEFFENTLICHE_STELLE
            if untertyp is None
            else Behoerdenklasse.SICHERHEITSBEHOERDE
        ),
        untertyp=untertyp,
        anschrift=None,
        administrator="Verwaltung",
        protokollierung_durch_betreiber=False,
    )


def _principal(untertyp: int | None, *, head: bool = False) -> Principal:
    role = (
        UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT if head else UserRole.SACHBEARBEITUNG
    )
    user = User(id=1, authority_id=1, kennung="U-1", name="Nutzer", roles=frozenset({role}))
    return Principal(_authority(untertyp), user, "ab" * 32)


@pytest.mark.parametrize("untertyp", [None, *range(1, 14)])
@pytest.mark.parametrize("claim", [True, False, None])
def test_the_requester_is_the_class_the_request_is_answered_in(
    untertyp: int | None, claim: bool | None
) -> None:
    """§ 34 Abs. 4 Satz 1 Nr. 4, 11, 13 BMG ("soweit"): sub-types 4, 11 and 13 sending
    ``false`` are answered as a public body; every other class is the registration's."""
    requester = Authorised.of(
        _principal(untertyp, head=True), sicherheitsbehoerde_behauptet=claim
    ).requester
    als_oeffentliche_stelle = untertyp is None or (claim is False and untertyp in {4, 11, 13})
    assert requester.sicherheitsbehoerde is not als_oeffentliche_stelle
    assert requester.untertyp == (None if als_oeffentliche_stelle else untertyp)
    authority = _authority(untertyp)
    # The exceptions follow the registration's sets, for the class answered in.
    assert requester.sieht_gesperrte == (
        authority.sperrausnahme_34a_abs_6 and not als_oeffentliche_stelle
    )
    assert requester.unterfaellt_34_abs_5 == (
        authority.unterfaellt_34_abs_5 and not als_oeffentliche_stelle
    )


# -- through the broker: status, record and outbox --------------------------------------------

ZWILLING = PersonensucheQuery(
    ags=AGS_HANNOVER,
    familienname="Zwilling",
    vornamen=("Greta",),
    geburtsdatum=TeilbekanntesDatum(1985, 5, 5),
)
VERBORGEN = PersonensucheQuery(
    ags=AGS_HANNOVER, familienname="Verborgen", vornamen=("Theo",), strasse="Lister Meile"
)
QUASTENBERG = PersonensucheQuery(
    ags=AGS_HANNOVER,
    familienname="Quastenberg",
    vornamen=("Hannelore",),
    geburtsdatum=TeilbekanntesDatum(1961, 7, 14),
)
HAND_OVER = "aussteuerung_1322"
TO_INSTIGATOR = "mitteilung_veranlassende_sicherheitsbehoerde"
TO_PERSON = "mitteilung_betroffene_person"


@dataclass(frozen=True)
class Transaction:
    rule: str
    paragraph: str
    #: ``None``: a public body; else the registered sub-type of a security authority
    untertyp: int | None
    claim: bool
    query: PersonensucheQuery
    elemente: tuple[int, ...]
    code: Ergebnisstatus | Grund
    #: the record as read back from the protocol
    sicherheitsbehoerde: bool
    content_recorded: bool = True
    hits: tuple[int, ...] = ()
    disclosed: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    withheld: tuple[int, ...] = ()
    effects: tuple[str, ...] = ()
    commissioned: bool = False  # the operator logs content on the authority's behalf
    verzicht: bool = False


TRANSACTIONS: dict[str, Transaction] = {
    "several-one-blocked-hand-over": Transaction(
        "several match, one blocked: neutral 03, the blocked person handed to the municipality",
        "§ 34a Abs. 5 BMG",
        None,
        False,
        ZWILLING,
        (1, 7, 13),
        Ergebnisstatus.NEUTRAL,
        sicherheitsbehoerde=False,
        hits=(20, 21),
        withheld=(20,),
        effects=(HAND_OVER,),
    ),
    "several-one-blocked-waived": Transaction(
        "the requester waived manual follow-up: no hand-over, still neutral",
        "§ 38 Abs. 5 BMG",
        None,
        False,
        ZWILLING,
        (1, 7, 13),
        Ergebnisstatus.NEUTRAL,
        sicherheitsbehoerde=False,
        hits=(20, 21),
        withheld=(20,),
        verzicht=True,
    ),
    "court-acting-as-public-body-07": Transaction(
        "a criminal court sending false is a public body: identity documents → 07",
        "§ 34 Abs. 4 Satz 1 Nr. 4 BMG; § 34 Abs. 1 Satz 2 BMG",
        4,
        False,
        QUASTENBERG,
        (1, 163),
        Grund.AUSWEISDATEN_NICHT_BERECHTIGT,
        sicherheitsbehoerde=False,
    ),
    "tax-authority-acting-as-public-body-10": Transaction(
        "a tax authority sending false is a public body: the landlord → 10",
        "§ 34 Abs. 4 Satz 1 Nr. 11 BMG",
        11,
        False,
        QUASTENBERG,
        (1, 184),
        Grund.WOHNUNGSGEBER_NICHT_BERECHTIGT,
        sicherheitsbehoerde=False,
    ),
    "court-acting-as-public-body-full-record": Transaction(
        "answered as a public body, the retrieval is logged as one: full content, although "
        "the court did not commission the operator for its security retrievals",
        "§ 40 Abs. 1 BMG (not Abs. 3)",
        4,
        False,
        QUASTENBERG,
        (1, 13),
        Ergebnisstatus.PERSON,
        sicherheitsbehoerde=False,
        hits=(1,),
        disclosed={1: (1, 13)},
    ),
    "court-in-its-security-task-logs-itself": Transaction(
        "sending true, the court is a security authority: documents allowed, and only "
        "technical metadata is kept unless it commissioned the operator",
        "§ 34 Abs. 4 Satz 1 Nr. 4 BMG; § 40 Abs. 3 BMG",
        4,
        True,
        QUASTENBERG,
        (1, 163),
        Ergebnisstatus.PERSON,
        sicherheitsbehoerde=True,
        content_recorded=False,
    ),
    "court-in-its-security-task-commissioned": Transaction(
        "… and with the commission the content is kept: the person has no identity "
        "document, so only the surname is recorded as transmitted",
        "§ 40 Abs. 1 Nr. 2, Abs. 3 BMG",
        4,
        True,
        QUASTENBERG,
        (1, 163),
        Ergebnisstatus.PERSON,
        sicherheitsbehoerde=True,
        hits=(1,),
        disclosed={1: (1,)},
        commissioned=True,
    ),
    "police-sending-false-stays-police": Transaction(
        "police are security authorities by registration, whatever they send",
        "§ 34 Abs. 4 Satz 1 Nr. 1 BMG",
        1,
        False,
        QUASTENBERG,
        (1, 163),
        Ergebnisstatus.PERSON,
        sicherheitsbehoerde=True,
        hits=(1,),
        disclosed={1: (1,)},
        commissioned=True,
    ),
    "public-body-claiming-security-03": Transaction(
        "a public body claiming to be a security authority is refused",
        "§ 34 Abs. 4 Satz 1 BMG",
        None,
        True,
        QUASTENBERG,
        (1,),
        Grund.KEINE_SICHERHEITSBEHOERDE,
        sicherheitsbehoerde=False,
    ),
    "tax-authority-as-public-body-person-told": Transaction(
        "a tax authority answered as a public body: the person with a code-11 block is told",
        "§ 34 Abs. 5 BMG; § 34 Abs. 4 Satz 1 Nr. 11 BMG",
        11,
        False,
        VERBORGEN,
        (1,),
        Ergebnisstatus.NEUTRAL,
        sicherheitsbehoerde=False,
        hits=(5,),
        withheld=(5,),
        effects=(HAND_OVER, TO_PERSON, TO_INSTIGATOR),
    ),
    "tax-authority-in-its-task-person-not-told": Transaction(
        "in its criminal task the tax authority is exempt: the person is not told",
        "§ 34 Abs. 5 BMG",
        11,
        True,
        VERBORGEN,
        (1,),
        Ergebnisstatus.NEUTRAL,
        sicherheitsbehoerde=True,
        hits=(5,),
        withheld=(5,),
        effects=(HAND_OVER, TO_INSTIGATOR),
        commissioned=True,
    ),
    "federal-office-of-justice-not-exempt": Transaction(
        "the Federal Office of Justice is not among the § 34 Abs. 5 exemptions: the person "
        "is told even of its security retrievals",
        "§ 34 Abs. 5 BMG (Nr. 1–4, 6–9, 11 only)",
        13,
        True,
        VERBORGEN,
        (1,),
        Ergebnisstatus.NEUTRAL,
        sicherheitsbehoerde=True,
        hits=(5,),
        withheld=(5,),
        effects=(HAND_OVER, TO_PERSON, TO_INSTIGATOR),
        commissioned=True,
    ),
}


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> World:
    built = build_world(tmp_path, database_url)
    twins = (
        replace(_gesperrt(20), familienname="Zwilling", vornamen=("Greta",)),
        replace(_person(21), familienname="Zwilling", vornamen=("Greta", "Ida")),
    )
    for twin in twins:
        assert twin.id is not None
    built.stores.register.import_persons(
        (replace(t, geburtsdatum=TeilbekanntesDatum(1985, 5, 5)) for t in twins),
        source="tests",
        kind="test",
    )
    return built


def _send(world: World, case: Transaction) -> BrokerReply:
    """Register the authority the case describes, sign its request, send it."""
    access = world.stores.access
    klasse = (
        Behoerdenklasse.OEFFENTLICHE_STELLE
        if case.untertyp is None
        else Behoerdenklasse.SICHERHEITSBEHOERDE
    )
    kennung = f"dbs:stelle-{case.untertyp or 'oe'}-{int(case.commissioned)}"
    authority = access.add_authority(
        kennung=kennung,
        name=f"Stelle {kennung}",
        klasse=klasse,
        untertyp=case.untertyp,
        administrator="Verwaltung",
        protokollierung_durch_betreiber=case.commissioned,
    )
    if case.commissioned:
        world.protocol_keys[authority.id] = register_protocol_key(access, authority.id, world.pki)
    user = access.add_user(authority_id=authority.id, kennung="U-1", name="Sachbearbeitung")
    issued = issue_certificate(
        f"user-{uuid.uuid4().hex[:8]}",
        profile=CertificateProfile.USER,
        issuer=world.pki.load_ca(),
    )
    access.bind_certificate(user.id, issued.certificate)
    stelle = replace(
        DEMO_USERS[0].stelle,
        behoerdenname=authority.name,
        kennung_anfragende_person="U-1",
        sicherheitsbehoerde=case.claim,
    )
    root = build_personensuche(
        leser=LESER,
        autor=Behoerde(kennung=kennung, name=authority.name),
        stelle=stelle,
        elemente=case.elemente,
        query=case.query,
        verzicht_auf_mitteilung=case.verzicht,
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
    )
    signer = MessageSigner(SigningIdentity(issued.private_key, issued.certificate))
    return world.broker.submit(serialize(signer.sign(root)))


@pytest.mark.parametrize("case", TRANSACTIONS.values(), ids=TRANSACTIONS.keys())
def test_transaction(world: World, case: Transaction) -> None:
    reply = _send(world, case)
    verified = MessageVerifier(TrustStore.from_pem_files([world.pki.ca_cert])).verify(
        reply.document
    )
    MessageValidator().validate(parse_message(reply.document))
    root = verified.root
    if isinstance(case.code, Grund):
        assert root.findtext("rueckweisung/grund/code") == case.code, case.rule
    else:
        assert root.findtext("ergebnis/ergebnisstatus/code") == case.code, case.rule
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert isinstance(record, ProtocolRecord)
    assert record.sicherheitsbehoerde is case.sicherheitsbehoerde, case.rule
    # sizes are technical metadata: kept for every record (§ 40 Abs. 3 BMG)
    assert record.answer_bytes == len(reply.document) and (record.request_bytes or 0) > 0
    if case.commissioned and case.sicherheitsbehoerde:
        # § 40 Abs. 3 BMG: logged on the authority's behalf — the operator's log keeps only
        # metadata; the full record is sealed to the authority's key, and only it opens it
        assert not record.content_recorded and record.hits == (), case.rule
        authority_id = record.authority_id
        assert authority_id is not None
        content = opened(world.stores.protocol, reply.record_id, world.protocol_keys[authority_id])
        assert check_against(content, record) == []
        assert content.answer == reply.document
        record = content.record
    assert record.content_recorded is case.content_recorded, case.rule
    assert (record.hits, record.withheld) == (case.hits, case.withheld), case.rule
    assert record.disclosed == case.disclosed, case.rule
    # The record names as disclosed exactly the persons the answer carries.
    carried = root.findall("ergebnis/person") + root.findall("ergebnis/trefferliste/treffer")
    if record.content_recorded:
        assert len(carried) == len(record.disclosed)
    elif not case.commissioned:
        # § 40 Abs. 3 BMG: metadata only — the requesting person as a stable pseudonym
        # (issue 9, point 4), never the clear Kennung the message named
        assert (record.user_kennung or "").startswith("pseudonym:"), record.user_kennung
    effects = world.stores.protocol.side_effects(reply.record_id)
    assert sorted(e.side_effect.kind for e in effects) == sorted(case.effects), case.rule
    for effect in effects:
        if effect.side_effect.kind == HAND_OVER:
            # the municipality answers the whole request by hand: it learns every match
            assert effect.side_effect.payload["treffer"] == list(case.hits)
