"""Issue 7, point 8: properties of the Personensuche over generated registers and requests.

Hypothesis draws a small register (persons who match the search, neighbours who do not, with
random Auskunftssperren, Sperrvermerke, relatives and restricted data), a requester (every
class and sub-type, with and without the ``sicherheitsbehoerde`` claim, heads and ordinary
staff) and a request (random element codes, street, waiver), runs it through the real broker
in-process and checks what must hold for *every* answer:

- a 01 answer carries no element that was not requested (§ 34a Abs. 2 BMG);
- a public body never receives 163–171, 176–185 (§ 34 Abs. 1 Satz 1, Abs. 4 Satz 1 BMG);
- no blocked person is in any answer, and an answer never differs because of a blocked
  person where the law says neutral: the register minus that person (same municipality, same
  street directory) answers the same (§ 34a Abs. 5 BMG, DOMAIN.md § 3: "must not differ from
  a real no hit") — also when the searched street's only residents are blocked (rejection 02
  comes from the street directory, register/strassen.py);
- a hit-list entry carries only BMeldDAV § 6 data (:data:`TREFFER_ELEMENTE`; never flat
  number, address additions or Wohnungsinhaber);
- every transaction — also a mangled one — leaves exactly one protocol record (§ 40 BMG).

Deterministic (``derandomize=True``) and bounded (``max_examples``), on SQLite.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.register.model import (
    Angehoeriger,
    Auskunftssperre,
    Person,
    TeilbekanntesDatum,
)
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.register.strassen import Strasse
from datenspiegel.service.broker import ReplyKind
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.personendaten import TREFFER_ELEMENTE
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd import serialize
from tests.conformance.model import STANDARD_ELEMENTE, Anfrage
from tests.conformance.personensuche import (
    ANFRAGENDE,
    HEUTE,
    NUR_SICHERHEIT,
    adr,
    jahre_vor_heute,
    kind,
    person,
    voll,
)
from tests.conformance.runner import (
    Korpus,
    build_korpus,
    person_codes_beyond,
    relocate,
    treffer_beyond,
)

SETTINGS = settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STRASSEN = ("Lister Meile", "Geheimweg", "Am Markt")
SPERRCODES = ("1", "2", "3", "5", "6", "7", "10", "11", "12", "13")
BLOCKIEREND = frozenset({"1", "3", "6", "11", "12"})
ABS6 = frozenset({1, 6, 7, 8, 9})
SOWEIT = frozenset({4, 11, 13})
RESTRICTED_TAGS = (
    "ausweis",
    "passversagung",
    "waffenerlaubnis",
    "waffenbesitzverbot",
    "sprengstofferlaubnis",
    "wohnungsgeber",
)
_NAMES = ("Anna", "Berta", "Clara", "Doris", "Emma", "Frida", "Greta", "Hanna")
_FREE = itertools.count(1)


@pytest.fixture(scope="module")
def korpus(tmp_path_factory: Any) -> Iterator[Korpus]:
    built = build_korpus(tmp_path_factory.mktemp("eigenschaften"), None, ANFRAGENDE)
    yield built
    built.world.stores.close()


@dataclass(frozen=True)
class Eintrag:
    """One generated person: whether the search is meant to match them, and their block."""

    matching: bool
    marker: str
    strasse: str
    sperre: str | None
    sperre_abgelaufen: bool
    sperrvermerk: bool
    voll: bool
    kind_alter: int | None
    ehegatte_gesperrt: bool

    def blocks_on(self, today: Any) -> bool:
        return self.sperre in BLOCKIEREND and not self.sperre_abgelaufen

    def person(self, local_id: int, ags: str) -> Person:
        sperren: tuple[Auskunftssperre, ...] = ()
        if self.sperre is not None:
            bis = HEUTE.replace(year=HEUTE.year - 1) if self.sperre_abgelaufen else None
            sperren = (Auskunftssperre(self.sperre, bis=bis, veranlassende_stelle="LKA"),)
        angehoerige: list[Angehoeriger] = []
        if self.kind_alter is not None:
            angehoerige.append(
                kind(jahre_vor_heute(self.kind_alter), vornamen=(f"K{self.marker}",))
            )
        if self.ehegatte_gesperrt:
            angehoerige.append(
                Angehoeriger("ehegatte", f"E{self.marker}", vornamen=("Ole",), auskunftssperre=True)
            )
        anschrift = adr(
            self.strasse,
            "3",
            bedingter_sperrvermerk=self.sperrvermerk,
            wohnungsnummer=f"WNR{self.marker}",
            zusatzangaben=f"ZUS{self.marker}",
            wohnungsinhaber=f"INH{self.marker}",
        )
        make = voll if self.voll else person
        base = make(
            local_id,
            vornamen=("Lena" if self.matching else "Zora", self.marker),
            auskunftssperren=sperren,
            angehoerige=tuple(angehoerige),
        )
        base = replace(base, anschriften=(anschrift, *base.anschriften[1:]))
        return relocate(base, ags, local_id)


@st.composite
def eintraege(draw: st.DrawFn) -> list[Eintrag]:
    count = draw(st.integers(1, 4))
    neighbours = draw(st.integers(0, 2))
    out = []
    for i in range(count + neighbours):
        sperre = draw(
            st.one_of(st.none(), st.sampled_from(SPERRCODES), st.sampled_from(("3", "11")))
        )
        out.append(
            Eintrag(
                matching=i < count,
                marker=_NAMES[i],
                strasse=draw(st.sampled_from(STRASSEN)),
                sperre=sperre,
                sperre_abgelaufen=sperre is not None and draw(st.booleans()),
                sperrvermerk=draw(st.booleans()),
                voll=draw(st.booleans()),
                kind_alter=draw(st.one_of(st.none(), st.integers(1, 30))),
                ehegatte_gesperrt=draw(st.booleans()),
            )
        )
    return out


REQUESTERS = sorted(
    k for k, v in ANFRAGENDE.items() if not (v.behoerde_gesperrt or v.nutzer_gesperrt)
)


@st.composite
def anfragen(draw: st.DrawFn) -> Anfrage:
    wer = draw(st.sampled_from(REQUESTERS))
    untertyp = ANFRAGENDE[wer].untertyp
    claim = (
        draw(st.sampled_from((None, False)))
        if untertyp is None
        else draw(st.sampled_from((None, True, False)))
    )
    erlaubt = ANFRAGENDE[wer].erlaubte_elemente
    pool = sorted(erlaubt) if erlaubt is not None else list(range(1, 186))
    elemente = draw(st.sets(st.sampled_from(pool), min_size=1, max_size=14))
    strasse = draw(st.one_of(st.none(), st.sampled_from(STRASSEN)))
    suche: dict[str, Any] = {"familienname": "Prüfmann", "vornamen": ("Lena",)}
    suche["geburtsdatum"] = person(1).geburtsdatum
    if strasse is not None:
        suche["strasse"] = strasse
    return Anfrage(
        wer=wer,
        claim=claim,
        elemente=tuple(sorted(elemente)),
        suche=suche,
        verzicht=draw(st.booleans()),
    )


def _class(anfrage: Anfrage) -> tuple[bool, bool]:
    """(answered as security authority, sees blocks not instigated by one: § 34a Abs. 6)."""
    spec = ANFRAGENDE[anfrage.wer]
    security = spec.untertyp is not None and not (
        anfrage.claim is False and spec.untertyp in SOWEIT
    )
    return security, security and spec.untertyp in ABS6 and spec.leitung


def _invisible(eintrag: Eintrag, anfrage: Anfrage) -> bool:
    if not eintrag.blocks_on(HEUTE):
        return False
    _, sees = _class(anfrage)
    return not sees or eintrag.sperre == "11"


def _place(
    korpus: Korpus, entries: list[Eintrag], strassen: Iterable[str]
) -> tuple[str, dict[str, int]]:
    """Place ``entries`` in a fresh municipality whose street directory lists ``strassen``
    (delivered as a municipality delivers it: register/strassen.py)."""
    ags = f"0396{next(_FREE):04d}"
    first = 900_000 + next(_FREE) * 10
    register = korpus.world.stores.register
    register.import_strassen([Strasse(ags, name) for name in strassen], source="properties")
    persons = [e.person(first + i, ags) for i, e in enumerate(entries)]
    if persons:
        register.import_persons(persons, source="properties", kind="test")
    return ags, {e.marker: first + i for i, e in enumerate(entries)}


def _shape(root: etree._Element, ags: str) -> bytes:
    """The answer without what differs between any two transactions (header, Merkmale,
    signature, the test municipality's AGS): the result or rejection as the requester reads
    it."""
    copy = etree.fromstring(etree.tostring(root).replace(ags.encode(), b"AGS"))
    for merkmal in copy.iter("identifikationsmerkmal"):
        merkmal.text = "-"
    body = copy.find("ergebnis")
    if body is None:
        body = copy.find("rueckweisung")
    assert body is not None
    return etree.tostring(body, method="c14n")


def _allein_in_der_strasse(matching: bool) -> list[Eintrag]:
    """A blocked person, the only resident of "Geheimweg", beside an unblocked neighbour: the
    case the street directory exists for (register/strassen.py, § 34a Abs. 5 BMG)."""
    common = {"sperrvermerk": False, "voll": False, "kind_alter": None, "ehegatte_gesperrt": False}
    return [
        Eintrag(matching, "Doris", "Geheimweg", "3", sperre_abgelaufen=False, **common),
        Eintrag(False, "Emma", "Am Markt", None, sperre_abgelaufen=False, **common),
    ]


_GEHEIMWEG = Anfrage(
    wer="oe",
    elemente=STANDARD_ELEMENTE,
    suche={
        "familienname": "Prüfmann",
        "vornamen": ("Lena",),
        "geburtsdatum": person(1).geburtsdatum,
        "strasse": "Geheimweg",
    },
)


@SETTINGS
@given(entries=eintraege(), anfrage=anfragen())
@example(entries=_allein_in_der_strasse(True), anfrage=_GEHEIMWEG)
@example(entries=_allein_in_der_strasse(False), anfrage=_GEHEIMWEG)
def test_answers_obey_the_law(korpus: Korpus, entries: list[Eintrag], anfrage: Anfrage) -> None:
    directory = sorted({e.strasse for e in entries})
    ags, ids = _place(korpus, entries, directory)
    sent = korpus.send(ags, anfrage)
    assert sent.records_added == 1, "every transaction leaves exactly one protocol record"
    root, record = sent.root, sent.record
    assert record is not None
    event(f"answer {root.findtext('ergebnis/ergebnisstatus/code') or 'rejection'}")
    text = etree.tostring(root, encoding="unicode")
    security, _ = _class(anfrage)
    status = root.findtext("ergebnis/ergebnisstatus/code")
    person = root.find("ergebnis/person")
    treffer = root.findall("ergebnis/trefferliste/treffer")

    # § 34a Abs. 2 BMG: a 01 answer carries only what was requested
    if person is not None:
        assert status == "01"
        assert not person_codes_beyond(person, anfrage.elemente)
    for codes in record.disclosed.values():
        if status == "01":
            # § 40 Abs. 1 BMG: nothing is recorded as disclosed that was not requested — also
            # not the fact (176/178/180/182) when only its detail (177/…) was asked for
            assert set(codes) <= set(anfrage.elemente), f"recorded, not requested: {codes}"
    # § 34 Abs. 1 Satz 1, Abs. 4 Satz 1 BMG: never to a public body
    if not security:
        for tag in RESTRICTED_TAGS:
            assert root.find(f".//{tag}") is None, tag
        assert not set(record.disclosed_elements) & set(NUR_SICHERHEIT)
    # BMeldDAV § 6: the hit list
    for entry in treffer:
        assert not treffer_beyond(entry)
    if status == "02":
        for codes in record.disclosed.values():
            assert set(codes) <= TREFFER_ELEMENTE
        for e in entries:
            for hidden in (f"WNR{e.marker}", f"ZUS{e.marker}", f"INH{e.marker}"):
                assert hidden not in text
    # §§ 51, 34a Abs. 5 BMG: no blocked person in any answer ...
    for e in entries:
        if _invisible(e, anfrage):
            assert f">{e.marker}<" not in text, f"blocked person {e.marker} in the answer"
            assert ids[e.marker] not in record.disclosed
    # ... nor an adult child or a relative with a block of their own (§ 3 Abs. 1 Nr. 16, § 51)
    for e in entries:
        if e.kind_alter is not None and e.kind_alter >= 18:
            assert f"K{e.marker}" not in text
        if e.ehegatte_gesperrt:
            assert f"E{e.marker}" not in text

    # ... and no answer that differs because of a blocked person where the law says neutral:
    # the only match blocked, or a blocked person the search does not match at all — the
    # register without that person must answer exactly the same.
    matched = [
        e
        for e in entries
        if e.matching and ("strasse" not in anfrage.suche or e.strasse == anfrage.suche["strasse"])  # type: ignore[operator,index]
    ]
    for b in entries:
        if not _invisible(b, anfrage):
            continue
        neutral_by_law = (matched == [b]) or (b not in matched)
        if not neutral_by_law:
            continue
        without = [e for e in entries if e is not b]
        # The same municipality with the same street directory, without the blocked person:
        # rejection 02 comes from the directory, never from who lives in the street.
        street = anfrage.suche.get("strasse")
        if b.strasse == street and not any(e.strasse == street for e in without):
            event("compared: the searched street's only residents are blocked")
        event(f"neutral comparison ({'only match' if b in matched else 'not matched'})")
        ags2, _ = _place(korpus, without, directory)
        other = korpus.send(ags2, anfrage)
        assert other.records_added == 1
        mit, ohne = _shape(root, ags), _shape(other.root, ags2)
        assert mit == ohne, (
            f"the answer differs because of blocked person {b.marker} (code {b.sperre}, street "
            f"{b.strasse!r}, matched: {b in matched}): with {mit!r}, without {ohne!r}"
        )
        break


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    cut=st.integers(0, 4000),
    length=st.integers(0, 40),
    junk=st.binary(max_size=12),
    wer=st.sampled_from(REQUESTERS),
)
def test_every_transaction_leaves_one_record(
    korpus: Korpus, cut: int, length: int, junk: bytes, wer: str
) -> None:
    """§ 40 BMG, DESIGN.md: every request, accepted or not — mangled, unsigned, tampered —
    ends in exactly one protocol record, and a fault carries no register data."""
    who = korpus.requesters[wer]
    root = build_personensuche(
        leser=Behoerde(kennung="ags:03241001", name="Hannover"),
        autor=Behoerde(kennung=who.kennung, name=who.name),
        stelle=replace(
            DEMO_USERS[0].stelle,
            kennung_anfragende_person=who.user_kennung,
            sicherheitsbehoerde=who.sicherheitsbehoerde,
        ),
        elemente=(1, 7, 13),
        query=PersonensucheQuery(
            ags="03241001",
            familienname="Quastenberg",
            vornamen=("Hannelore",),
            geburtsdatum=TeilbekanntesDatum(1961, 7, 14),
        ),
        erstellt=datetime.now(UTC),
    )
    signed = serialize(who.signer.sign(root))
    at = cut % (len(signed) + 1)
    mangled = signed[:at] + junk + signed[at + length :]
    protocol = korpus.world.stores.protocol
    before = protocol.count()
    reply = korpus.world.broker.submit(mangled)
    assert protocol.count() - before == 1
    record = protocol.get(reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE)
    assert record is not None
    if reply.kind is ReplyKind.FAULT:
        assert b"<person" not in reply.document and b"<treffer" not in reply.document
        assert record.disclosed == {}
