"""Answers carry exactly the requested elements, in schema order, and the law's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import etree

from datenspiegel.register.model import (
    Angehoeriger,
    Anschrift,
    Auskunftssperre,
    Ausweis,
    BehoerdlicherVermerk,
    Person,
    TeilbekanntesDatum,
    Wohnungsgeber,
)
from datenspiegel.transformers import (
    AnswerDocument,
    Behoerde,
    Requester,
    build_answer,
    decide_disclosure,
)
from datenspiegel.transformers.personendaten import AVAILABLE_ELEMENTS
from datenspiegel.xsd import MessageValidator
from datenspiegel.xsd.codelists import Ergebnisstatus

AGS = "03241001"
TODAY = date(2026, 11, 28)


def _anschrift(**extra: object) -> Anschrift:
    values: dict[str, object] = {
        "ags": AGS,
        "postleitzahl": "30159",
        "wohnort": "Hannover",
        "frueherer_gemeindename": "Linden",
        "strasse": "Lister Meile",
        "hausnummer": "3",
        "hausnummer_buchstabe": "a",
        "teilnummer": "1",
        "wohnungsnummer": "2. OG links",
        "zusatzangaben": "Hinterhaus",
        "wohnungsinhaber": "Meyer",
        "wohnungsstatus": "1",
        "einzugsdatum": TeilbekanntesDatum(2010, 5, 1),
    }
    values.update(extra)
    return Anschrift(**values)  # type: ignore[arg-type]


def _relative(art: str, **extra: object) -> Angehoeriger:
    values: dict[str, object] = {
        "art": art,
        "familienname": "Ahrens",
        "geburtsname": "Bode",
        "vornamen": ("Uwe",),
        "doktorgrad": "Dr.",
        "geburtsdatum": TeilbekanntesDatum(1950, 3, 3),
        "geschlecht": "m",
        "anschrift": _anschrift(staat="DEU"),
        "sterbedatum": TeilbekanntesDatum(2020),
        "art_der_vertretung": "Betreuung" if art == "gesetzlicherVertreter" else None,
        "vertretung_endet": date(2027, 1, 1) if art == "gesetzlicherVertreter" else None,
    }
    values.update(extra)
    return Angehoeriger(**values)  # type: ignore[arg-type]


FULL = Person(
    id=42,
    ags=AGS,
    familienname="Ahrens",
    ehename="Ahrens",
    lebenspartnerschaftsname="Ahrens-Bode",
    geburtsname="Bode",
    fruehere_familiennamen=("Carstens",),
    vornamen=("Gesa", "Maria"),
    gebraeuchlicher_vorname="Maria",
    fruehere_vornamen=("Gesine",),
    doktorgrad="Prof. Dr.",
    ordensname="Schwester Maria",
    kuenstlername="Gesa A.",
    geburtsdatum=TeilbekanntesDatum(1970, 2, 1),
    fruehere_geburtsdaten=(TeilbekanntesDatum(1970, 1),),
    geburtsort="Celle",
    geburtsstaat="DEU",
    geschlecht="w",
    staatsangehoerigkeiten=("DEU", "POL"),
    anschriften=(
        _anschrift(),
        _anschrift(
            strasse="Podbielskistraße", aktuell=False, auszugsdatum=TeilbekanntesDatum(2010, 4)
        ),
    ),
    zuzug_aus_ausland_staat="POL",
    wegzug_ausland_staat="AUT",
    wegzug_ausland_anschrift="Wien, Ringstraße 1",
    familienstand="VH",
    familienstand_datum=date(1999, 9, 9),
    familienstand_ort="Celle",
    angehoerige=(
        _relative("gesetzlicherVertreter"),
        _relative("ehegatte"),
        _relative("lebenspartner"),
        _relative("kind", geburtsdatum=TeilbekanntesDatum(2015, 6, 1)),  # minor on TODAY
        _relative("kind", auskunftssperre=True, familienname="Geheim"),
        _relative("kind", familienname="Erwachsen"),  # born 1950: no longer a minor child
    ),
    ausweise=(
        Ausweis(
            art="PA",
            ausstellungsbehoerde="Hannover",
            ausstellungsdatum=date(2020, 1, 1),
            gueltig_bis=date(2030, 1, 1),
            seriennummer="L01X00T47",
        ),
        Ausweis(
            art="RP",
            ausstellungsbehoerde="Hannover",
            ausstellungsdatum=date(2021, 1, 1),
            gueltig_bis=date(2031, 1, 1),
            seriennummer="C01X00T47",
        ),
    ),
    sterbedatum=TeilbekanntesDatum(2025, 1, 2),
    sterbeort="Hannover",
    sterbestaat="DEU",
    passversagung=BehoerdlicherVermerk(datum=date(2022, 1, 1), behoerde="Stadt", aktenzeichen="P1"),
    waffenerlaubnis=BehoerdlicherVermerk(datum=date(2001, 1, 1), behoerde="PD", aktenzeichen="W1"),
    waffenbesitzverbot=BehoerdlicherVermerk(
        datum=date(2003, 1, 1), behoerde="PD", aktenzeichen="W2"
    ),
    sprengstofferlaubnis=BehoerdlicherVermerk(
        datum=date(2004, 1, 1), behoerde="GA", aktenzeichen="S1"
    ),
    wohnungsgeber=(
        Wohnungsgeber(name="Wohnbau eG", anschrift="Hannover"),
        Wohnungsgeber(name="Eigentümer GmbH", ist_eigentuemer_nicht_wohnungsgeber=True),
    ),
)
PUBLIC = Requester(sicherheitsbehoerde=False)


def _answer(elemente: set[int], person: Person = FULL) -> etree._Element:
    return _document(elemente, person).root


def _document(elemente: set[int], person: Person = FULL) -> AnswerDocument:
    disclosure = decide_disclosure([person], PUBLIC, stichtag=TODAY)
    document = build_answer(
        disclosure,
        elemente=elemente,
        merkmale={},
        erstellt=datetime(2026, 11, 28, 12, tzinfo=UTC),
        leser=Behoerde(kennung="dbs:x", name="X"),
        autor=Behoerde(kennung=f"ags:{AGS}", name="Hannover"),
        ursprung="6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e",
    )
    MessageValidator().validate(document.root)
    return document


def _content(root: etree._Element) -> list[str]:
    """Paths of the data leaves of the person, without the always-added facts."""
    person = root.find("ergebnis/person")
    assert person is not None
    tree = person.getroottree()
    return sorted(
        tree.getpath(e).split("/person/", 1)[1]
        for e in person.iter()
        if len(e) == 0
        and e.text
        and "hinweise" not in tree.getpath(e)
        and not tree.getpath(e).endswith("bedingterSperrvermerk")
        and not tree.getpath(e).endswith("/vorhanden")
    )


def test_nothing_requested_gives_only_the_facts() -> None:
    assert _content(_answer(set())) == []


@pytest.mark.parametrize("code", sorted(AVAILABLE_ELEMENTS))
def test_each_available_element_yields_data_and_validates(code: int) -> None:
    document = _document({code})
    content = _content(document.root)
    assert content, f"element {code} produced no data"
    # § 40 Abs. 1 Nr. 2 BMG: the answer reports exactly what it wrote, per person — a detail
    # (177, 179, 181, 183: "Tatsache … – Behörde und Aktenzeichen") carries the schema's
    # ``vorhanden`` as its own "Tatsache" and is recorded alone, not with the fact's code.
    assert document.disclosed == {42: (code,)}


def test_everything_requested_validates_and_leaves_out_blocked_relative() -> None:
    document = _document(set(range(1, 186)))
    root = document.root
    text = etree.tostring(root, encoding="unicode")
    assert "Geheim" not in text  # a child with its own Auskunftssperre is left out (§ 51)
    assert "Erwachsen" not in text  # a child of 18 or more is no minor child (§ 3 Abs. 1 Nr. 16)
    assert len(root.findall("ergebnis/person/kind")) == 1
    # what was asked for but not held never counts as transmitted
    assert document.disclosed[42] == tuple(sorted(AVAILABLE_ELEMENTS))
    person = root.find("ergebnis/person")
    assert person is not None
    assert [v.get("gebraeuchlich") for v in person.iterfind("vorname")] == [None, "true"]


def test_elements_the_mirror_does_not_hold_yield_nothing() -> None:
    missing = set(range(1, 186)) - AVAILABLE_ELEMENTS
    assert missing >= {6, 9, 17, 18, 42, 56, 70, 173}
    document = _document(missing)
    assert _content(document.root) == []
    assert document.disclosed == {42: ()}  # the person was named (Hinweise), no element


def test_single_codes_do_not_leak_neighbours() -> None:
    assert _content(_answer({48})) == ["aktuelleAnschrift/strasse"]
    assert _content(_answer({1})) == ["familienname"]
    assert _content(_answer({170})) == ["ausweis/seriennummer"]  # only the ID card's number
    assert _content(_answer({185})) == [
        "wohnungsgeber/eigentuemerNichtWohnungsgeber",
        "wohnungsgeber/name",
    ]


def _blocked(code: str, **extra: object) -> Person:
    return Person(
        id=7,
        ags=AGS,
        familienname="X",
        vornamen=("Y",),
        auskunftssperren=(Auskunftssperre(code=code, **extra),),  # type: ignore[arg-type]
    )


def test_disclosure_rules() -> None:
    police_head = Requester(sicherheitsbehoerde=True, untertyp=1, besonders_ermaechtigt=True)
    police = Requester(sicherheitsbehoerde=True, untertyp=1)
    prosecutor_head = Requester(sicherheitsbehoerde=True, untertyp=2, besonders_ermaechtigt=True)
    free = Person(id=8, ags=AGS, familienname="X", vornamen=("Z",))
    assert decide_disclosure([], PUBLIC, stichtag=TODAY).status == "03"
    assert decide_disclosure([_blocked("3")], PUBLIC, stichtag=TODAY).status == "03"
    # objections (codes 2, 5, 7, 10, 13) do not affect retrieval by authorities
    assert decide_disclosure([_blocked("7")], PUBLIC, stichtag=TODAY).status == "01"
    # a block that has ended no longer blocks
    ended = _blocked("3", bis=date(2020, 1, 1))
    assert decide_disclosure([ended], PUBLIC, stichtag=TODAY).status == "01"
    # § 34a Abs. 6: police head sees a block not instigated by a security authority …
    assert decide_disclosure([_blocked("3")], police_head, stichtag=TODAY).status == "01"
    assert decide_disclosure([_blocked("3")], police, stichtag=TODAY).status == "03"
    assert decide_disclosure([_blocked("3")], prosecutor_head, stichtag=TODAY).status == "03"
    # … but never one instigated by a security authority (code 11)
    assert decide_disclosure([_blocked("11")], police_head, stichtag=TODAY).status == "03"
    # several hits, one blocked: neutral 03, no shortened hit list (§ 34a Abs. 5 BMG) —
    # the list without the blocked person would betray the block (issue 7; until then 02)
    several = decide_disclosure([_blocked("3"), free], PUBLIC, stichtag=TODAY)
    assert several.status is Ergebnisstatus.NEUTRAL
    assert several.trefferliste == () and several.person is None
    assert several.withheld == (_blocked("3"),)
    # … unless the block does not hold for this requester (§ 34a Abs. 6 BMG)
    listed = decide_disclosure([_blocked("3"), free], police_head, stichtag=TODAY)
    assert listed.status is Ergebnisstatus.TREFFERLISTE
    assert listed.trefferliste == (_blocked("3"), free)
