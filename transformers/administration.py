"""The administration messages (9100 → 9101): read the verified requests, write the answers,
and build requests for clients (xsd/datenabruf-administration.xsd).

An authority's administrator manages that authority's users (§ 39 BMG, Nds. NMeldVO § 26):
create, change, block, unblock, delete, list. The values here are the message's own (roles,
operations, element codes, certificates as DER); the service maps them onto the registry.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from lxml import etree

from datenspiegel.transformers.answer import AnswerDocument
from datenspiegel.transformers.errors import UnsupportedMessage
from datenspiegel.transformers.header import Behoerde, Nachrichtenkopf, answer_root, read_kopf
from datenspiegel.transformers.request import (
    AnfragendeStelle,
    read_stelle,
    request_root,
)
from datenspiegel.transformers.xmlutil import qname, read_text, sub
from datenspiegel.xsd.codelists import Nachrichtentyp, Ruecksendung

__all__ = [
    "ANTWORT_ROOT",
    "ROOTS",
    "Aktion",
    "Fehlergrund",
    "NutzerAenderung",
    "NutzerAnfrage",
    "NutzerDaten",
    "NutzerStand",
    "ZertifikatStand",
    "build_administration_anfrage",
    "build_administration_antwort",
    "read_administration",
]


class Aktion(Enum):
    """The operations of the administration service (WSDL operation names)."""

    ANLEGEN = "nutzerAnlegen"
    AENDERN = "nutzerAendern"
    SPERREN = "nutzerSperren"
    ENTSPERREN = "nutzerEntsperren"
    LOESCHEN = "nutzerLoeschen"
    LISTE = "nutzerListe"

    @property
    def root(self) -> str:
        return qname(f"administration.{self.value}.9100")


ROOTS = {aktion.root: aktion for aktion in Aktion}
ANTWORT_ROOT = qname("administration.antwort.9101")


class Fehlergrund(Enum):
    NUTZER_UNBEKANNT = "nutzerUnbekannt"
    NUTZER_VORHANDEN = "nutzerVorhanden"
    UNGUELTIG = "ungueltig"
    NICHT_ERLAUBT = "nichtErlaubt"


@dataclass(frozen=True, slots=True)
class NutzerDaten:
    """A new user as the administrator describes it."""

    kennung: str
    name: str
    rollen: tuple[str, ...]
    belehrt_am: date
    #: None: every operation / element the authority may use
    erlaubte_operationen: tuple[str, ...] | None = None
    erlaubte_elemente: tuple[int, ...] | None = None
    telefon: str | None = None
    email: str | None = None
    zertifikate: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class NutzerAenderung:
    """What changes (None: unchanged; an empty tuple of operations/elements: no restriction)."""

    name: str | None = None
    rollen: tuple[str, ...] | None = None
    erlaubte_operationen: tuple[str, ...] | None = None
    erlaubte_elemente: tuple[int, ...] | None = None
    belehrt_am: date | None = None
    zertifikate_hinzu: tuple[bytes, ...] = ()
    zertifikate_weg: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NutzerAnfrage:
    """A verified administration request."""

    aktion: Aktion
    kopf: Nachrichtenkopf
    anfragende_stelle: AnfragendeStelle
    kennung: str | None = None
    neu: NutzerDaten | None = None
    aenderung: NutzerAenderung | None = None
    grund: str | None = None

    @property
    def anforderungselemente(self) -> frozenset[int]:
        return frozenset()

    @property
    def search_data(self) -> Mapping[str, str]:
        """What the § 40 record keeps of the request: the action and the user it concerns."""
        data = {"aktion": self.aktion.value}
        kennung = self.kennung or (self.neu.kennung if self.neu else None)
        if kennung:
            data["nutzer"] = kennung
        return data


@dataclass(frozen=True, slots=True)
class ZertifikatStand:
    fingerabdruck: str
    subjekt: str
    gueltig_bis: datetime


@dataclass(frozen=True, slots=True)
class NutzerStand:
    """A user as the registry holds it, for the answer."""

    kennung: str
    name: str
    rollen: tuple[str, ...]
    gesperrt: bool
    erlaubte_operationen: tuple[str, ...] | None = None
    erlaubte_elemente: tuple[int, ...] | None = None
    belehrt_am: date | None = None
    sperrgrund: str | None = None
    zertifikate: tuple[ZertifikatStand, ...] = field(default=())
    #: a new instruction is due (§ 41 BMG), since when (None: none ever recorded)
    belehrung_faellig: bool = False
    belehrung_faellig_seit: date | None = None
    #: suspended because the grace period after the due date is over
    wegen_belehrung_gesperrt: bool = False


# -- reading -------------------------------------------------------------------------------


def _texts(parent: etree._Element | None, path: str) -> tuple[str, ...]:
    if parent is None:
        return ()
    return tuple((e.text or "").strip() for e in parent.iterfind(path))


def _optional_list(parent: etree._Element, container: str, item: str) -> tuple[str, ...] | None:
    element = parent.find(container)
    return None if element is None else _texts(element, item)


def _der(parent: etree._Element, tag: str) -> tuple[bytes, ...]:
    out = []
    for element in parent.iterfind(tag):
        out.append(base64.b64decode("".join((element.text or "").split()), validate=True))
    return tuple(out)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def read_administration(root: etree._Element) -> NutzerAnfrage:
    """The request ``root`` (schema-valid, verified) as a :class:`NutzerAnfrage`."""
    aktion = ROOTS.get(root.tag)
    if aktion is None:
        raise UnsupportedMessage(Ruecksendung.X001, f"{root.tag} is no administration request")
    kopf, stelle = read_kopf(root), read_stelle(root)
    kennung = read_text(root, "kennung")
    if aktion is Aktion.ANLEGEN:
        nutzer = root.find("nutzer")
        assert nutzer is not None  # the schema requires it
        elemente = _optional_list(nutzer, "erlaubteElemente", "element")
        neu = NutzerDaten(
            kennung=read_text(nutzer, "kennung") or "",
            name=read_text(nutzer, "name") or "",
            rollen=_texts(nutzer.find("rollen"), "rolle"),
            belehrt_am=date.fromisoformat(read_text(nutzer, "belehrtAm") or ""),
            erlaubte_operationen=_optional_list(nutzer, "erlaubteOperationen", "operation"),
            erlaubte_elemente=None if elemente is None else tuple(int(e) for e in elemente),
            telefon=read_text(nutzer, "telefon"),
            email=read_text(nutzer, "email"),
            zertifikate=_der(nutzer, "zertifikat"),
        )
        return NutzerAnfrage(aktion, kopf, stelle, neu=neu)
    if aktion is Aktion.AENDERN:
        teil = root.find("aenderung")
        assert teil is not None
        rollen = teil.find("rollen")
        elemente = _optional_list(teil, "erlaubteElemente", "element")
        aenderung = NutzerAenderung(
            name=read_text(teil, "name"),
            rollen=None if rollen is None else _texts(rollen, "rolle"),
            erlaubte_operationen=_optional_list(teil, "erlaubteOperationen", "operation"),
            erlaubte_elemente=None if elemente is None else tuple(int(e) for e in elemente),
            belehrt_am=_date(read_text(teil, "belehrtAm")),
            zertifikate_hinzu=_der(teil, "zertifikatHinzufuegen"),
            zertifikate_weg=_texts(teil, "zertifikatEntfernen"),
        )
        return NutzerAnfrage(aktion, kopf, stelle, kennung=kennung, aenderung=aenderung)
    return NutzerAnfrage(aktion, kopf, stelle, kennung=kennung, grund=read_text(root, "grund"))


# -- writing -------------------------------------------------------------------------------


def _list(parent: etree._Element, container: str, item: str, values: Iterable[Any]) -> None:
    element = sub(parent, container)
    for value in values:
        sub(element, item, str(value))


def _write_nutzer(parent: etree._Element, tag: str, daten: NutzerDaten) -> None:
    nutzer = sub(parent, tag)
    sub(nutzer, "kennung", daten.kennung)
    sub(nutzer, "name", daten.name)
    _list(nutzer, "rollen", "rolle", daten.rollen)
    if daten.erlaubte_operationen is not None:
        _list(nutzer, "erlaubteOperationen", "operation", daten.erlaubte_operationen)
    if daten.erlaubte_elemente is not None:
        _list(nutzer, "erlaubteElemente", "element", daten.erlaubte_elemente)
    sub(nutzer, "belehrtAm", daten.belehrt_am.isoformat())
    if daten.telefon:
        sub(nutzer, "telefon", daten.telefon)
    if daten.email:
        sub(nutzer, "email", daten.email)
    for der in daten.zertifikate:
        sub(nutzer, "zertifikat", base64.b64encode(der).decode("ascii"))


def _write_aenderung(parent: etree._Element, aenderung: NutzerAenderung) -> None:
    teil = sub(parent, "aenderung")
    if aenderung.name is not None:
        sub(teil, "name", aenderung.name)
    if aenderung.rollen is not None:
        _list(teil, "rollen", "rolle", aenderung.rollen)
    if aenderung.erlaubte_operationen is not None:
        _list(teil, "erlaubteOperationen", "operation", aenderung.erlaubte_operationen)
    if aenderung.erlaubte_elemente is not None:
        _list(teil, "erlaubteElemente", "element", aenderung.erlaubte_elemente)
    if aenderung.belehrt_am is not None:
        sub(teil, "belehrtAm", aenderung.belehrt_am.isoformat())
    for der in aenderung.zertifikate_hinzu:
        sub(teil, "zertifikatHinzufuegen", base64.b64encode(der).decode("ascii"))
    for fingerprint in aenderung.zertifikate_weg:
        sub(teil, "zertifikatEntfernen", fingerprint)


def build_administration_anfrage(
    aktion: Aktion,
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    erstellt: datetime,
    kennung: str | None = None,
    neu: NutzerDaten | None = None,
    aenderung: NutzerAenderung | None = None,
    grund: str | None = None,
    nachrichten_uuid: str | None = None,
) -> etree._Element:
    """An unsigned administration request (the reference client, zeep users, tests)."""
    root = request_root(
        aktion.root,
        nachrichtentyp=Nachrichtentyp.ADMINISTRATION_ANFRAGE,
        leser=leser,
        autor=autor,
        stelle=stelle,
        erstellt=erstellt,
        nachrichten_uuid=nachrichten_uuid,
    )
    if aktion is Aktion.ANLEGEN:
        if neu is None:
            raise ValueError("nutzerAnlegen needs the new user (neu)")
        _write_nutzer(root, "nutzer", neu)
    elif aktion is not Aktion.LISTE:
        if not kennung:
            raise ValueError(f"{aktion.value} needs the user's kennung")
        sub(root, "kennung", kennung)
        if aktion is Aktion.AENDERN:
            _write_aenderung(root, aenderung or NutzerAenderung())
        if aktion is Aktion.SPERREN:
            if not grund:
                raise ValueError("nutzerSperren needs the reason (grund)")
            sub(root, "grund", grund)
    return root


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _write_stand(parent: etree._Element, stand: NutzerStand) -> None:
    nutzer = sub(parent, "nutzer")
    sub(nutzer, "kennung", stand.kennung)
    sub(nutzer, "name", stand.name)
    _list(nutzer, "rollen", "rolle", stand.rollen)
    if stand.erlaubte_operationen is not None:
        _list(nutzer, "erlaubteOperationen", "operation", stand.erlaubte_operationen)
    if stand.erlaubte_elemente is not None:
        _list(nutzer, "erlaubteElemente", "element", stand.erlaubte_elemente)
    if stand.belehrt_am is not None:
        sub(nutzer, "belehrtAm", stand.belehrt_am.isoformat())
    sub(nutzer, "belehrungFaellig", _bool(stand.belehrung_faellig))
    if stand.belehrung_faellig and stand.belehrung_faellig_seit is not None:
        sub(nutzer, "belehrungFaelligSeit", stand.belehrung_faellig_seit.isoformat())
    sub(nutzer, "wegenBelehrungGesperrt", _bool(stand.wegen_belehrung_gesperrt))
    sub(nutzer, "gesperrt", _bool(stand.gesperrt))
    if stand.sperrgrund:
        sub(nutzer, "sperrgrund", stand.sperrgrund[:240])
    for zertifikat in stand.zertifikate:
        element = sub(nutzer, "zertifikat")
        sub(element, "fingerabdruck", zertifikat.fingerabdruck)
        sub(element, "subjekt", zertifikat.subjekt[:240])
        sub(element, "gueltigBis", zertifikat.gueltig_bis.isoformat(timespec="seconds"))


def build_administration_antwort(
    *,
    nutzer: Sequence[NutzerStand] = (),
    fehler: tuple[Fehlergrund, str] | None = None,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """The 9101: done (with the users as they are now) or refused with its reason."""
    root, message_id = answer_root(
        ANTWORT_ROOT,
        nachrichtentyp=Nachrichtentyp.ADMINISTRATION_ANTWORT,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        ursprung=ursprung,
    )
    if fehler is None:
        sub(root, "ausgefuehrt", "true")
    else:
        element = sub(root, "fehler")
        sub(element, "grund", fehler[0].value)
        sub(element, "text", fehler[1][:240] or fehler[0].value)
    for stand in nutzer:
        _write_stand(root, stand)
    return AnswerDocument(root, message_id)
