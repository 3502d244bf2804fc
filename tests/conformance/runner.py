"""Runs conformance cases (:mod:`tests.conformance.model`) through the real broker in-process.

One :class:`Korpus` per back-end and module: the test world (PKI, stores, broker), one
registered authority and user per requester key, and every case's register imported into a
municipality of its own (AGS ``0397nnnn``; person ids ``(n + 1) * 10 000 + local id``). Also
used by the property tests, which share its answer reading (:func:`element_paths` & co.).

The freie Suche (1332, § 34a Abs. 3 BMG) searches districts and the state, so its cases are
placed by :meth:`Korpus.place_in_kreisen`: each in a district of its own (``03{600+n}``, the
case's municipality ``…000``, its :data:`~tests.conformance.model.NACHBAR` ``…001``) with a
second district of its own (``03{300+n}``) for :data:`~tests.conformance.model.ANDERER_KREIS`.
Its answers are read with :data:`FREIE_SUCHE_PATHS`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lxml import etree

from datenspiegel.access.model import Behoerdenklasse, UserRole
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.sealed import check_against
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
)
from datenspiegel.register.model import Angehoeriger, Anschrift, Person
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.broker import Broker, BrokerReply
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.service.operations import Registry
from datenspiegel.service.operations.personensuche import PersonensucheHandler
from datenspiegel.signing import (
    CertificateProfile,
    MessageSigner,
    MessageVerifier,
    ReloadingVerifier,
    SigningIdentity,
    TrustStore,
    issue_certificate,
)
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_freie_suche, build_personensuche
from datenspiegel.xsd import MessageValidator, parse_message, serialize
from tests.conformance.model import AGS, ANDERER_KREIS_SCHLUESSEL, KREIS, Anfrage, Fall
from tests.sealing import opened, register_protocol_key
from tests.world import World, build_world

# -- reading an answer: which element code a datum of ``person`` belongs to -------------------

_ADDRESS_TAGS = (
    "unbekannt",
    "gemeindeschluessel",
    "postleitzahl",
    "wohnort",
    "wohnortFruehererGemeindename",
    "strasse",
    "hausnummer",
    "hausnummerBuchstabe",
    "teilnummer",
    "wohnungsnummer",
    "zusatzangaben",
    "wohnungsinhaber",
)


def _address(prefix: str, base: int, **extra: int) -> dict[str, set[int]]:
    paths = {f"{prefix}/{tag}": {base + i} for i, tag in enumerate(_ADDRESS_TAGS)}
    paths.update({f"{prefix}/{tag}": {code} for tag, code in extra.items()})
    return paths


def _relative(
    prefix: str, codes: Mapping[str, int], base: int, **extra: int
) -> dict[str, set[int]]:
    paths = {f"{prefix}/{tag}": {code} for tag, code in codes.items()}
    paths.update(_address(f"{prefix}/anschrift", base, **extra))
    return paths


def _vermerk(tag: str, fact: int, detail: int) -> dict[str, set[int]]:
    return {
        f"{tag}/vorhanden": {fact, detail},
        f"{tag}/datum": {fact},
        f"{tag}/behoerde": {detail},
        f"{tag}/aktenzeichen": {detail},
    }


_EHE = {
    "familienname": 102,
    "geburtsname": 103,
    "vorname": 104,
    "doktorgrad": 105,
    "geburtsdatum": 106,
    "geschlecht": 107,
    "sterbedatum": 123,
}

#: Path below ``person`` (status 01) → the element codes whose request lets it be there.
#: Written from the code list, independently of the answer writers.
PERSON_PATHS: dict[str, set[int]] = {
    **{
        tag: {code}
        for tag, code in (
            ("familienname", 1),
            ("ehename", 2),
            ("lebenspartnerschaftsname", 3),
            ("geburtsname", 4),
            ("fruehererFamilienname", 5),
            ("vorname", 7),
            ("fruehererVorname", 8),
            ("doktorgrad", 10),
            ("ordensname", 11),
            ("kuenstlername", 12),
            ("geburtsdatum", 13),
            ("fruehereGeburtsdatum", 14),
            ("geburtsort", 15),
            ("geburtsstaat", 16),
            ("geschlecht", 19),
            ("staatsangehoerigkeit", 41),
            ("zuzugAusAuslandStaat", 71),
            ("wegzugAuslandStaat", 72),
            ("wegzugAuslandAnschrift", 73),
            ("familienstand/familienstand", 94),
            ("familienstand/datum", 95),
            ("familienstand/ort", 100),
            ("sterbedatum", 172),
            ("sterbeort", 174),
            ("sterbestaat", 175),
            ("ausweis/art", 163),
        )
    },
    **_relative(
        "gesetzlicherVertreter",
        {
            "artDerVertretung": 20,
            "familienname": 21,
            "vorname": 22,
            "doktorgrad": 23,
            "geburtsdatum": 24,
            "sterbedatum": 38,
            "vertretungEndet": 39,
            "geschlecht": 40,
        },
        25,
        staat=37,
    ),
    **_address("aktuelleAnschrift", 43, wohnungsstatus=55, einzugsdatum=74),
    **_address("fruehereAnschrift", 57, wohnungsstatus=69, einzugsdatum=80, auszugsdatum=82),
    **_relative("ehegatte", _EHE, 108, wohnungsstatus=120, staat=122),
    **_relative(
        "lebenspartner",
        {k: v + 22 for k, v in _EHE.items()},
        130,
        wohnungsstatus=142,
        staat=144,
    ),
    **_relative(
        "kind",
        {
            "familienname": 146,
            "vorname": 147,
            "geburtsdatum": 148,
            "geschlecht": 161,
            "sterbedatum": 162,
        },
        149,
    ),
    # an empty container when only parts the register does not hold were requested
    "familienstand": {94, 95, 100},
    "ausweis/ausstellungsbehoerde": {164, 167},
    "ausweis/ausstellungsdatum": {165, 168},
    "ausweis/gueltigBis": {166, 169},
    "ausweis/seriennummer": {170, 171},
    **_vermerk("passversagung", 176, 177),
    **_vermerk("waffenerlaubnis", 178, 179),
    **_vermerk("waffenbesitzverbot", 180, 181),
    **_vermerk("sprengstofferlaubnis", 182, 183),
    "wohnungsgeber/name": {184, 185},
    "wohnungsgeber/anschrift": {184},
    "wohnungsgeber/eigentuemerNichtWohnungsgeber": {184, 185},
}

#: Leaves that go with every address or person whatever was requested (DOMAIN.md § 3).
IMMER = frozenset({"bedingterSperrvermerk"})
HINWEISE = (
    "verzogenInland",
    "verzogenUnbekannt",
    "verzogenAusland",
    "verstorben",
    "verringerterDatenumfang",
)
_DATES = frozenset(
    {"geburtsdatum", "sterbedatum", "fruehereGeburtsdatum", "einzugsdatum", "auszugsdatum"}
)

#: What a hit-list entry may hold (BMeldDAV § 6): tag → element codes, never more.
TREFFER_PATHS: dict[str, set[int]] = {
    "familienname": {1},
    "ehename": {2},
    "lebenspartnerschaftsname": {3},
    "geburtsname": {4},
    "fruehererFamilienname": {5},
    "vorname": {7},
    "fruehererVorname": {8},
    "geburtsdatum": {13},
    **{f"hauptanschrift/{tag}": {44 + i} for i, tag in enumerate(_ADDRESS_TAGS[1:9])},
}
#: Never in a hit list (BMeldDAV § 6): flat number, address additions, Wohnungsinhaber.
NIE_IN_TREFFER = ("wohnungsnummer", "zusatzangaben", "wohnungsinhaber")


def element_paths(element: etree._Element) -> list[str]:
    """The leaf paths below ``element`` (tags joined by ``/``), ``hinweise`` and the flags left
    out; every leaf once per occurrence."""
    found: list[str] = []

    def walk(node: etree._Element, prefix: str) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag in ("hinweise", "identifikationsmerkmal") or tag in IMMER:
                continue
            path = f"{prefix}{tag}"
            leaf = len(child) == 0 or tag in _DATES or child.find("code") is not None
            if leaf:
                found.append(path)
            else:
                walk(child, path + "/")

    walk(element, "")
    return found


def person_codes_beyond(person: etree._Element, requested: Iterable[int]) -> list[str]:
    """Paths in a 01 ``person`` that no requested element lets be there (or unknown paths)."""
    asked = set(requested)
    return [
        path
        for path in element_paths(person)
        if path not in PERSON_PATHS or not PERSON_PATHS[path] & asked
    ]


def present(person: etree._Element, code: int) -> bool:
    paths = element_paths(person)
    return any(code in PERSON_PATHS.get(p, set()) for p in paths)


def treffer_beyond(treffer: etree._Element) -> list[str]:
    """Paths in a hit-list entry beyond BMeldDAV § 6."""
    return [p for p in element_paths(treffer) if p not in TREFFER_PATHS]


# -- reading a freie Suche's result list (1333, status 04) --------------------------------------

_FREIE_ANSCHRIFT = (
    "gemeindeschluessel",
    "postleitzahl",
    "wohnort",
    "wohnortFruehererGemeindename",
    "strasse",
    "hausnummer",
    "hausnummerBuchstabe",
    "teilnummer",
    "wohnungsnummer",
    "zusatzangaben",
    "wohnungsinhaber",
)

#: Path below a result-list ``person`` → the freie Suche element codes (list 1–46) whose
#: request lets it be there. Written from the code list, independently of the answer writer.
FREIE_SUCHE_PATHS: dict[str, set[int]] = {
    **{
        tag: {code}
        for tag, code in (
            ("familienname", 1),
            ("ehename", 2),
            ("lebenspartnerschaftsname", 3),
            ("geburtsname", 4),
            ("fruehererFamilienname", 5),
            ("vorname", 6),
            ("fruehererVorname", 7),
            ("doktorgrad", 8),
            ("ordensname", 9),
            ("kuenstlername", 10),
            ("geburtsdatum", 11),
            ("fruehereGeburtsdatum", 12),
            ("geburtsort", 13),
            ("geburtsstaat", 14),
            ("geschlecht", 15),
            ("staatsangehoerigkeit", 16),
            ("hauptanschrift/einzugsdatum", 28),
            ("ausweis/art", 29),
            ("sterbedatum", 38),
            ("sterbeort", 40),
            ("sterbestaat", 41),
        )
    },
    **{f"hauptanschrift/{tag}": {17 + i} for i, tag in enumerate(_FREIE_ANSCHRIFT)},
    # identity card (30–32, 36) or passport (33–35, 37)
    "ausweis/ausstellungsbehoerde": {30, 33},
    "ausweis/ausstellungsdatum": {31, 34},
    "ausweis/gueltigBis": {32, 35},
    "ausweis/seriennummer": {36, 37},
    **{
        f"{tag}/{leaf}": {code}
        for tag, code in (
            ("waffenerlaubnis", 42),
            ("waffenbesitzverbot", 43),
            ("sprengstofferlaubnis", 44),
        )
        for leaf in ("vorhanden", "datum")
    },
    "wohnungsgeber/name": {45, 46},
    "wohnungsgeber/anschrift": {45},
    "wohnungsgeber/eigentuemerNichtWohnungsgeber": {45, 46},
}


def freie_suche_beyond(person: etree._Element, requested: Iterable[int]) -> list[str]:
    """Paths in a result-list ``person`` that no requested element lets be there."""
    asked = set(requested)
    return [
        path
        for path in element_paths(person)
        if path not in FREIE_SUCHE_PATHS or not FREIE_SUCHE_PATHS[path] & asked
    ]


def freie_suche_present(person: etree._Element, code: int) -> bool:
    return any(code in FREIE_SUCHE_PATHS.get(p, set()) for p in element_paths(person))


# -- who asks -----------------------------------------------------------------------------------


@dataclass
class Registered:
    kennung: str
    name: str
    user_kennung: str
    sicherheitsbehoerde: bool
    signer: MessageSigner


def register_requesters(world: World, requesters: Mapping[str, Any]) -> dict[str, Registered]:
    """One authority and user per key of ``requesters`` (``Anfragende`` values)."""
    access = world.stores.access
    ca = world.pki.load_ca()
    out: dict[str, Registered] = {}
    for key, spec in requesters.items():
        security = spec.untertyp is not None
        kennung = f"dbs:konf-{key}"
        authority = access.add_authority(
            kennung=kennung,
            name=f"Konformitätsstelle {key}",
            klasse=Behoerdenklasse.SICHERHEITSBEHOERDE
            if security
            else Behoerdenklasse.OEFFENTLICHE_STELLE,
            untertyp=spec.untertyp,
            administrator="Verwaltung",
            protokollierung_durch_betreiber=security and spec.beauftragt,
        )
        if authority.protokollierung_durch_betreiber:  # sealed to its key (§ 40 Abs. 3 BMG)
            world.protocol_keys[authority.id] = register_protocol_key(
                access, authority.id, world.pki
            )
        roles = frozenset(
            {UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT}
            if spec.leitung
            else {UserRole.SACHBEARBEITUNG}
        )
        user = access.add_user(
            authority_id=authority.id,
            kennung=f"K-{key}",
            name="Nutzer",
            roles=roles,
            erlaubte_elemente=spec.erlaubte_elemente,
        )
        issued = issue_certificate(f"konf-{key}", profile=CertificateProfile.USER, issuer=ca)
        access.bind_certificate(user.id, issued.certificate)
        if spec.behoerde_gesperrt:
            access.block_authority(authority.id, grund="Konformitätstest: Behörde gesperrt")
        if spec.nutzer_gesperrt:
            access.block_user(user.id, grund="Konformitätstest: Nutzer gesperrt")
        out[key] = Registered(
            kennung,
            authority.name,
            user.kennung,
            security,
            MessageSigner(SigningIdentity(issued.private_key, issued.certificate)),
        )
    return out


def broker_with_clock(world: World, clock: Callable[[], datetime]) -> Broker:
    """A second broker on the same stores whose clock ``clock`` is (Merkmal validity)."""
    stores = world.stores
    pki = world.pki
    return Broker(
        registry=Registry(
            [PersonensucheHandler(register=stores.register, merkmale=stores.merkmale, clock=clock)]
        ),
        clock=clock,
        validator=MessageValidator(),
        verifier=ReloadingVerifier((pki.ca_cert,), crls=(pki.crl,)),
        signer=MessageSigner(SigningIdentity.from_pem_files(pki.broker_key, pki.broker_cert)),
        access=stores.access,
        protocol=stores.protocol,
        merkmale=stores.merkmale,
        identity=Behoerde(kennung="dbs:mrds", name="Melderegisterdatenspiegel Niedersachsen"),
        # a clock hours ahead would find every message too old: no creation-time window here
        # (tests/test_replay.py checks it), and no quotas (tests/test_quotas.py)
        replay=None,
        quotas=None,
        belehrung=None,
    )


# -- placing a case's register ------------------------------------------------------------------


def _relocate_anschrift(anschrift: Anschrift | None, ags: str) -> Anschrift | None:
    if anschrift is None or anschrift.ags != AGS:
        return anschrift
    return replace(anschrift, ags=ags)


def relocate(person: Person, ags: str, person_id: int) -> Person:
    """``person`` moved from the placeholder municipality into ``ags`` with id ``person_id``."""
    anschriften = tuple(_relocate_anschrift(a, ags) for a in person.anschriften)
    angehoerige = tuple(
        replace(r, anschrift=_relocate_anschrift(r.anschrift, ags))
        if isinstance(r, Angehoeriger)
        else r
        for r in person.angehoerige
    )
    return replace(
        person,
        id=person_id,
        ags=ags if person.ags == AGS else person.ags,
        anschriften=anschriften,
        angehoerige=angehoerige,
    )


def kreis_orte(index: int) -> dict[str, str]:
    """The placeholder districts of the ``index``-th freie Suche case → its real districts."""
    if not 0 <= index < 300:
        raise ValueError("place_in_kreisen places at most 300 cases")
    return {KREIS: f"03{600 + index:03d}", ANDERER_KREIS_SCHLUESSEL: f"03{300 + index:03d}"}


def ort(orte: Mapping[str, str], key: str) -> str:
    """``key`` (an AGS, district key or any text) with a placeholder district replaced."""
    if len(key) in (5, 8) and key[:5] in orte:
        return orte[key[:5]] + key[5:]
    return key


def _verorte_anschrift(anschrift: Anschrift, orte: Mapping[str, str]) -> Anschrift:
    if anschrift.ags is None:
        return anschrift
    return replace(anschrift, ags=ort(orte, anschrift.ags))


def verorte(person: Person, orte: Mapping[str, str], person_id: int) -> Person:
    """``person`` moved from the placeholder districts into ``orte`` with id ``person_id``."""
    return replace(
        person,
        id=person_id,
        ags=ort(orte, person.ags),
        anschriften=tuple(_verorte_anschrift(a, orte) for a in person.anschriften),
        angehoerige=tuple(
            replace(r, anschrift=_verorte_anschrift(r.anschrift, orte))
            if isinstance(r, Angehoeriger) and r.anschrift is not None
            else r
            for r in person.angehoerige
        ),
    )


def _name(value: Any) -> NameKriterium:
    return value if isinstance(value, NameKriterium) else NameKriterium(str(value))


_NAMEN = (
    "familienname",
    "geburtsname",
    "frueherer_familienname",
    "vornamen",
    "ordensname",
    "kuenstlername",
)
_BEREICH_ARTEN = {8: SuchbereichArt.GEMEINDE, 5: SuchbereichArt.KREIS, 2: SuchbereichArt.LAND}


def freie_suche_query(values: Mapping[str, Any], orte: Mapping[str, str]) -> FreieSucheQuery:
    """The ``FreieSucheQuery`` of a case's search data (placeholders replaced)."""
    fields = dict(values)
    key = ort(orte, str(fields.pop("suchbereich")))
    for name in _NAMEN:
        if name in fields:
            fields[name] = _name(fields[name])
    return FreieSucheQuery(suchbereich=Suchbereich(_BEREICH_ARTEN[len(key)], key), **fields)


@dataclass
class Gesendet:
    reply: BrokerReply
    root: etree._Element
    record: ProtocolRecord | None
    records_added: int


@dataclass
class Korpus:
    world: World
    requesters: dict[str, Registered]
    #: case id → (its AGS, local id → global id)
    places: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    #: AGS of a case placed in districts → its placeholder district → real district
    orte: dict[str, dict[str, str]] = field(default_factory=dict)
    _later: dict[tuple[int, str | None], Broker] = field(default_factory=dict)

    @property
    def trust(self) -> MessageVerifier:
        return MessageVerifier(TrustStore.from_pem_files([self.world.pki.ca_cert]))

    def place(self, cases: Iterable[Fall]) -> None:
        persons: list[Person] = []
        for index, case in enumerate(cases):
            ags = f"0397{index:04d}"
            ids = {p.id: (index + 1) * 10_000 + p.id for p in case.register if p.id is not None}
            self.places[case.id] = (ags, ids)
            persons.extend(relocate(p, ags, ids[p.id]) for p in case.register if p.id is not None)
        self.world.stores.register.import_persons(persons, source="conformance", kind="test")

    def place_in_kreisen(self, cases: Iterable[Fall]) -> None:
        """Each case in a district of its own and a second district of its own (freie Suche:
        its Suchbereich may be a district, DOMAIN.md § 4); see the module docstring."""
        persons: list[Person] = []
        for index, case in enumerate(cases):
            orte = kreis_orte(index)
            ags = ort(orte, AGS)
            ids = {p.id: (index + 1) * 10_000 + p.id for p in case.register if p.id is not None}
            self.places[case.id] = (ags, ids)
            self.orte[ags] = orte
            persons.extend(verorte(p, orte, ids[p.id]) for p in case.register if p.id is not None)
        self.world.stores.register.import_persons(persons, source="conformance", kind="test")

    def ort(self, ags: str, key: str) -> str:
        """``key`` of the case placed at ``ags`` with its placeholder districts replaced."""
        return ort(self.orte.get(ags, {}), key)

    def broker(self, hours: int, uhr_utc: str | None = None) -> Broker:
        if not hours and uhr_utc is None:
            return self.world.broker
        key = (hours, uhr_utc)
        if key not in self._later:
            ahead = timedelta(hours=hours)
            if uhr_utc is None:
                clock = lambda: datetime.now(UTC) + ahead  # noqa: E731
            else:
                fixed = datetime.combine(
                    datetime.now(UTC).date(), time.fromisoformat(uhr_utc), tzinfo=UTC
                )
                clock = lambda: fixed + ahead  # noqa: E731
            self._later[key] = broker_with_clock(self.world, clock)
        return self._later[key]

    def send(self, ags: str, anfrage: Anfrage, merkmal: str | None = None) -> Gesendet:
        if anfrage.freie_suche is not None:
            return self.send_freie_suche(ags, anfrage)
        who = self.requesters[anfrage.wer]
        claim = who.sicherheitsbehoerde if anfrage.claim is None else anfrage.claim
        stelle = replace(
            DEMO_USERS[0].stelle,
            behoerdenname=who.name,
            kennung_anfragende_person=who.user_kennung,
            sicherheitsbehoerde=claim,
            aktenzeichen=anfrage.aktenzeichen or DEMO_USERS[0].stelle.aktenzeichen,
            anlass=anfrage.anlass or DEMO_USERS[0].stelle.anlass,
        )
        query = None
        search_ags = ags
        if merkmal is None:
            values = dict(anfrage.suche or {})
            search_ags = values.pop("ags", ags)
            query = PersonensucheQuery(ags=search_ags, **values)
        leser = ags if anfrage.leser == AGS else (anfrage.leser or search_ags)
        root = build_personensuche(
            leser=Behoerde(kennung=f"ags:{leser}", name=f"Gemeinde {leser}"),
            autor=Behoerde(kennung=who.kennung, name=who.name),
            stelle=stelle,
            elemente=anfrage.elemente,
            query=query,
            identifikationsmerkmal=merkmal,
            verzicht_auf_mitteilung=anfrage.verzicht,
            erstellt=datetime.now(UTC),
            nachrichten_uuid=str(uuid.uuid4()),
        )
        return self._submit(root, anfrage)

    def send_freie_suche(self, ags: str, anfrage: Anfrage) -> Gesendet:
        """A 1332 of ``anfrage`` for the case placed at ``ags`` (built by the reference
        builder ``build_freie_suche``, signed by the requester's user)."""
        assert anfrage.freie_suche is not None
        who = self.requesters[anfrage.wer]
        claim = who.sicherheitsbehoerde if anfrage.claim is None else anfrage.claim
        stelle = replace(
            DEMO_USERS[0].stelle,
            behoerdenname=who.name,
            kennung_anfragende_person=who.user_kennung,
            sicherheitsbehoerde=claim,
            aktenzeichen=anfrage.aktenzeichen or DEMO_USERS[0].stelle.aktenzeichen,
            anlass=anfrage.anlass or DEMO_USERS[0].stelle.anlass,
        )
        orte = self.orte.get(ags, {})
        leser = ort(orte, anfrage.leser) if anfrage.leser else ags
        root = build_freie_suche(
            leser=Behoerde(kennung=f"ags:{leser}", name=f"Gemeinde {leser}"),
            autor=Behoerde(kennung=who.kennung, name=who.name),
            stelle=stelle,
            elemente=anfrage.elemente,
            query=freie_suche_query(anfrage.freie_suche, orte),
            gemeindename=anfrage.gemeindename,
            erstellt=datetime.now(UTC),
            nachrichten_uuid=str(uuid.uuid4()),
        )
        return self._submit(root, anfrage)

    def _submit(self, root: etree._Element, anfrage: Anfrage) -> Gesendet:
        who = self.requesters[anfrage.wer]
        protocol = self.world.stores.protocol
        before = protocol.count()
        reply = self.broker(anfrage.nach_stunden, anfrage.uhr_utc).submit(
            serialize(who.signer.sign(root))
        )
        added = protocol.count() - before
        verified = self.trust.verify(reply.document).root
        MessageValidator().validate(parse_message(reply.document))
        record = protocol.get(
            reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
        )
        key = self.world.protocol_keys.get(record.authority_id or 0)
        if key is not None and record.sicherheitsbehoerde:
            # kept on the authority's behalf (§ 40 Abs. 3 BMG): the operator's log holds
            # metadata only; the corpus checks the content the authority opens
            assert not record.content_recorded and record.hits == ()
            content = opened(protocol, reply.record_id, key)
            assert check_against(content, record) == []
            record = content.record
        return Gesendet(reply, verified, record, added)


def build_korpus(tmp: Path, database_url: str | None, requesters: Mapping[str, Any]) -> Korpus:
    world = build_world(tmp, database_url)
    return Korpus(world, register_requesters(world, requesters))


@contextmanager
def korpus_on(
    backend: str,
    tmp: Path,
    requesters: Mapping[str, Any],
    place: Callable[[Korpus], None],
) -> Iterator[Korpus]:
    """A corpus broker on ``backend`` (``sqlite`` or ``postgresql``, a throw-away schema) with
    its cases placed by ``place``; closed afterwards (the corpora's module fixtures)."""
    if backend == "sqlite":
        built = build_korpus(tmp, None, requesters)
        try:
            place(built)
            yield built
        finally:
            built.world.stores.close()
        return
    from tests.conftest import pg_schema

    with pg_schema() as url:
        built = build_korpus(tmp, url, requesters)
        try:
            place(built)
            yield built
        finally:
            built.world.stores.close()
