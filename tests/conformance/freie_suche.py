"""Conformance corpus of the freie Suche (1332 → 1333, § 34a Abs. 3 BMG), written from the law.

Each case in :data:`FAELLE` names its rule in its id, groups under ``regel`` (one of
:data:`REGELN`) and cites the paragraph. The format is :mod:`tests.conformance.model`'s: a
register state (a few persons with local ids), one or more requests and what the signed 1333
and the § 40 record must show. A request's ``freie_suche`` holds the search data, its
``suchbereich`` the case's municipality (:data:`~tests.conformance.model.AGS`), its district
(:data:`~tests.conformance.model.KREIS`) or the state (``03``); the runner
(:meth:`~tests.conformance.runner.Korpus.place_in_kreisen`) gives every case a district of its
own, with a second municipality (:data:`~tests.conformance.model.NACHBAR`) and a second
district (:data:`~tests.conformance.model.ANDERER_KREIS`). Searches of the whole state use names
no other case uses.

The rules (DOMAIN.md § 4): the mandatory Suchbereich and 22 outside Lower Saxony (§ 34a Abs. 3
BMG, BMeldDAV § 7 Abs. 2); placeholders on names and street, not first, not alone, never with
phonetics (15), phonetics per field (BMeldDAV § 7 Abs. 3); birth range (20), house-number range
(19), the currency filters (21) (BMeldDAV § 7 Abs. 1); the criteria (04–06) and data (07,
09–11) for security authorities only (§ 34 Abs. 4 Satz 1 BMG); the data set of § 34 Abs. 1
Satz 1 Nr. 1–8, 16 BMG plus the main address, never more than requested; status 04 (list) or
03 (nobody); an Identifikationsmerkmal per person when more than one (§ 39 Abs. 2 BMG,
BMeldDAV § 9); more than 1 000 → 13 (BMeldDAV § 7 Abs. 4); persons with an Auskunftssperre
never listed, never counted, never inferable (§ 51 BMG); the record of § 40 BMG (for a freie
Suche also the search data and the results).

Requesters are the Personensuche corpus' (:data:`ANFRAGENDE`): the public body ``oe`` and the
security authorities ``sb1`` … ``sb13`` (§ 34 Abs. 4 Satz 1 Nr. 1–13 BMG) and their variants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from datenspiegel.register.freie_suche import Aktualitaet, NameKriterium, Zeitraum
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
from datenspiegel.register.stichtag import stichtag
from tests.conformance.model import (
    AGS,
    ANDERER_KREIS,
    ANDERER_KREIS_SCHLUESSEL,
    KREIS,
    NACHBAR,
    Anfrage,
    Erwartet,
    Fall,
    Schritt,
)
from tests.conformance.personensuche import ANFRAGENDE

__all__ = ["ANFRAGENDE", "FAELLE", "REGELN", "STANDARD_ELEMENTE"]

D = TeilbekanntesDatum.parse
#: the transaction's day: the day in Lower Saxony (blocks end with their last local day)
HEUTE = stichtag(datetime.now(UTC))
LAND = "03"

# -- rules (for the report: cases per rule) ---------------------------------------------------

BEREICH = "Suchbereich Gemeinde, Kreis, Land (§ 34a Abs. 3 BMG, BMeldDAV § 7 Abs. 2; Grund 22)"
PLATZHALTER = "Platzhalter ? und *: nur Namen und Straße, nicht zuerst, nicht allein (§ 7 Abs. 3)"
PHONETIK = "Phonetik je Feld, nie mit Platzhaltern (BMeldDAV § 7 Abs. 3; Grund 15)"
GEBURT = "Geburtsdatum und Geburtszeitraum (BMeldDAV § 7 Abs. 1; Grund 20)"
ANSCHRIFT = "Anschrift und Hausnummernbereich (BMeldDAV § 7 Abs. 1; Grund 19)"
AKTUALITAET = "Aktualität von Person und Anschrift (BMeldDAV § 7 Abs. 1; Grund 21)"
FELDER = "Suchfelder je Registerfeld (§ 34a Abs. 3 BMG, BMeldDAV § 7 Abs. 1, Anlage Nr. 4)"
KRITERIEN = "Auswahldaten nur für Sicherheitsbehörden (§ 34 Abs. 4 Satz 1 BMG; Gründe 04–06)"
ELEMENTE = "Daten nur für Sicherheitsbehörden (§ 34 Abs. 4 Satz 1 BMG; Gründe 07, 09, 10, 11)"
UMFANG = "Datenumfang: § 34 Abs. 1 Satz 1 Nr. 1–8, 16 BMG und Hauptanschrift, nie mehr"
STATUS = "Antwort 04 Ergebnisliste, 03 niemand; auch eine Person als 04 (§ 34a Abs. 3 BMG)"
MERKMAL = "Identifikationsmerkmal je Person bei mehr als einer (§ 39 Abs. 2 BMG, BMeldDAV § 9)"
GRENZE = "Ergebnisliste höchstens 1 000 (BMeldDAV § 7 Abs. 4; Grund 13)"
SPERRE = "Auskunftssperre: nie gelistet, nie gezählt, nie erschließbar (§ 51 BMG)"
STELLE = "Anfragende Stelle und Zulassung (BMeldDAV § 11, § 39 BMG; Gründe 03, 17; 0910)"
PROTOKOLL = "Protokoll (§ 40 BMG: auch Suchdaten und Ergebnisse)"

REGELN = (
    BEREICH,
    PLATZHALTER,
    PHONETIK,
    GEBURT,
    ANSCHRIFT,
    AKTUALITAET,
    FELDER,
    KRITERIEN,
    ELEMENTE,
    UMFANG,
    STATUS,
    MERKMAL,
    GRENZE,
    SPERRE,
    STELLE,
    PROTOKOLL,
)

#: What a freie Suche asks for unless the case says otherwise (list 1–46): surname, first
#: names, date of birth, and of the main address AGS, postcode, place, street, house number.
STANDARD_ELEMENTE = (1, 6, 11, 17, 18, 19, 21, 22)
#: Everything a public body may request (§ 34 Abs. 1 Satz 1 Nr. 1–8, 16 BMG, main address).
OEFFENTLICH = (*range(1, 28), *range(38, 42))
#: Only for security authorities (§ 34 Abs. 4 Satz 1 BMG): move-in date, identity documents,
#: weapons / explosives facts, landlord.
NUR_SICHERHEIT = (28, *range(29, 38), *range(42, 47))

# -- register states --------------------------------------------------------------------------

#: person n's first name unless the case says else: the runner tells the entries apart by them
VORNAMEN = ("Anna", "Bernd", "Clara", "Dirk", "Edda", "Frank", "Greta", "Hauke", "Ilka", "Jonas")


def adr(strasse: str = "Marktstraße", nummer: str = "5", **extra: Any) -> Anschrift:
    values: dict[str, Any] = {
        "ags": AGS,
        "postleitzahl": "31134",
        "wohnort": "Prüfstadt",
        "strasse": strasse,
        "hausnummer": nummer,
        "wohnungsstatus": "1",
        "einzugsdatum": D("2016-09-01"),
    }
    values.update(extra)
    return Anschrift(**values)


def person(n: int, **extra: Any) -> Person:
    """<first name n> Ostermann, born 8 March 1975 in Hildesheim, Marktstraße <n> — unless
    ``extra`` says else."""
    values: dict[str, Any] = {
        "id": n,
        "ags": AGS,
        "familienname": "Ostermann",
        "vornamen": (VORNAMEN[(n - 1) % len(VORNAMEN)],),
        "geburtsdatum": D("1975-03-08"),
        "geburtsort": "Hildesheim",
        "geschlecht": "w",
        "staatsangehoerigkeiten": ("DEU",),
        "anschriften": (adr(nummer=str(n)),),
    }
    values.update(extra)
    return Person(**values)


def voll(n: int, **extra: Any) -> Person:
    """A record holding data of every kind the freie Suche's list names, the restricted ones
    included, and data the list does not name (marital status, a child)."""
    values: dict[str, Any] = {
        "ehename": "Ostermann",
        "lebenspartnerschaftsname": "Ostermann-Kranz",
        "geburtsname": "Kranz",
        "fruehere_familiennamen": ("Carstens",),
        "vornamen": ("Anna", "Marie"),
        "gebraeuchlicher_vorname": "Marie",
        "fruehere_vornamen": ("Annemarie",),
        "doktorgrad": "Dr.",
        "ordensname": "Schwester Hildegard",
        "kuenstlername": "Anni Ost",
        "fruehere_geburtsdaten": (D("1975-03-09"),),
        "geburtsstaat": "DEU",
        "staatsangehoerigkeiten": ("DEU", "NLD"),
        "familienstand": "VH",
        "anschriften": (
            adr(
                hausnummer_buchstabe="b",
                teilnummer="2",
                frueherer_gemeindename="Altdorf",
                wohnungsnummer="3. OG rechts",
                zusatzangaben="Seitenflügel",
                wohnungsinhaber="Wohnungsinhaber Brandt",
            ),
            adr("Nebenweg", "9", wohnungsstatus="2"),
            adr("Alte Gasse", "1", aktuell=False, auszugsdatum=D("2016-08-31")),
        ),
        "ausweise": (
            Ausweis("PA", "Stadt Prüfstadt", date(2020, 1, 2), date(2030, 1, 1), "L01X00T47"),
            Ausweis("RP", "Stadt Prüfstadt", date(2021, 3, 4), date(2031, 3, 3), "C01X00T48"),
        ),
        "passversagung": BehoerdlicherVermerk(date(2022, 5, 6), "Passbehörde Prüfstadt", "P-1"),
        "waffenerlaubnis": BehoerdlicherVermerk(date(2010, 1, 1), "Waffenbehörde", "W-1"),
        "waffenbesitzverbot": BehoerdlicherVermerk(date(2023, 1, 1), "Waffenbehörde", "W-2"),
        "sprengstofferlaubnis": BehoerdlicherVermerk(date(2012, 1, 1), "Gewerbeaufsicht", "S-1"),
        "wohnungsgeber": (
            Wohnungsgeber("Wohnbau Prüfstadt eG", "Marktplatz 1, 31134 Prüfstadt"),
            Wohnungsgeber("Eigner, Otto", ist_eigentuemer_nicht_wohnungsgeber=True),
        ),
        "angehoerige": (
            Angehoeriger(
                art="kind",
                familienname="Ostermann",
                vornamen=("Kunibert",),
                geburtsdatum=D("2015-06-01"),
                anschrift=adr(),
            ),
        ),
    }
    values.update(extra)
    return person(n, **values)


def gesperrt(n: int, code: str = "3", bis: date | None = None, **extra: Any) -> Person:
    sperre = Auskunftssperre(
        code, bis=bis, veranlassende_stelle="LKA Niedersachsen" if code == "11" else None
    )
    return person(n, auskunftssperren=(sperre,), **extra)


def massen(anzahl: int, vorname: str = "Eins", start: int = 1) -> tuple[Person, ...]:
    """``anzahl`` persons Massmann, <vorname> (ids from ``start``): cheap bulk for the limit."""
    return tuple(
        Person(
            id=n,
            ags=AGS,
            familienname="Massmann",
            vornamen=(vorname,),
            anschriften=(adr("Lange Reihe", str(n)),),
        )
        for n in range(start, start + anzahl)
    )


# -- requests ---------------------------------------------------------------------------------

_ANFRAGE = frozenset(
    {"wer", "claim", "elemente", "gemeindename", "leser", "aktenzeichen", "anlass", "nach_stunden"}
)


def frei(bereich: str = AGS, /, **kw: Any) -> Anfrage:
    """A 1332 in ``bereich`` (AGS, district key or ``03``): the keywords of :class:`Anfrage`
    as such (``elemente`` defaults to :data:`STANDARD_ELEMENTE`), the rest search data."""
    anfrage = {k: kw.pop(k) for k in list(kw) if k in _ANFRAGE}
    anfrage.setdefault("elemente", STANDARD_ELEMENTE)
    return Anfrage(freie_suche={"suchbereich": bereich, **kw}, **anfrage)


def phon(text: str) -> NameKriterium:
    """A name field matched phonetically (Kölner Phonetik, this field only)."""
    return NameKriterium(text, phonetisch=True)


def personensuche(merkmal: str, wer: str = "oe", **kw: Any) -> Anfrage:
    """A 1330 continuing with an Identifikationsmerkmal (``"liste:<first name>"``)."""
    return Anfrage(wer=wer, merkmal=merkmal, elemente=(1, 7, 13), **kw)


def fall(
    id: str,
    regel: str,
    paragraph: str,
    register: tuple[Person, ...],
    request: Anfrage,
    expect: Erwartet,
    *dann: tuple[Anfrage, Erwartet],
) -> Fall:
    return Fall(
        id,
        regel,
        paragraph,
        register,
        (Schritt(request, expect), *(Schritt(a, e) for a, e in dann)),
    )


def liste(*ids: int, **kw: Any) -> Erwartet:
    """Status 04 listing exactly the persons ``ids``."""
    return Erwartet(status="04", ergebnisliste=ids, **kw)


def niemand(**kw: Any) -> Erwartet:
    """Status 03: nobody (or only blocked persons) found — the status and nothing else."""
    return Erwartet(status="03", **kw)


def grund(code: str, **kw: Any) -> Erwartet:
    return Erwartet(grund=code, **kw)


def fault(code: str, **kw: Any) -> Erwartet:
    return Erwartet(ruecksendung=code, **kw)


DREI = (person(1), person(2), person(3))

# -- the cases --------------------------------------------------------------------------------

_BEREICH: list[Fall] = [
    fall(
        "bereich-gemeinde-ohne-nachbargemeinde-04",
        BEREICH,
        "§ 34a Abs. 3 BMG; BMeldDAV § 7 Abs. 2 (eine Gemeinde)",
        (person(1), person(2, ags=NACHBAR, anschriften=(adr(ags=NACHBAR),))),
        frei(familienname="Ostermann"),
        liste(1),
    ),
    fall(
        "bereich-kreis-mit-nachbargemeinde-04",
        BEREICH,
        "§ 34a Abs. 3 BMG; BMeldDAV § 7 Abs. 2 (ein Kreis: alle seine Gemeinden)",
        (person(1), person(2, ags=NACHBAR, anschriften=(adr(ags=NACHBAR),))),
        frei(KREIS, familienname="Ostermann"),
        liste(1, 2),
    ),
    fall(
        "bereich-kreis-ohne-anderen-kreis-04",
        BEREICH,
        "§ 34a Abs. 3 BMG; BMeldDAV § 7 Abs. 2 (Landkreis / kreisfreie Stadt)",
        (person(1), person(2, ags=ANDERER_KREIS, anschriften=(adr(ags=ANDERER_KREIS),))),
        frei(KREIS, familienname="Ostermann"),
        liste(1),
        (frei(ANDERER_KREIS_SCHLUESSEL, familienname="Ostermann"), liste(2)),
    ),
    fall(
        "bereich-land-ueber-alle-kreise-04",
        BEREICH,
        "§ 34a Abs. 3 BMG; BMeldDAV § 7 Abs. 2 (das ganze Land, 03)",
        (
            person(1, familienname="Landwehrkamp"),
            person(2, familienname="Landwehrkamp", ags=NACHBAR, anschriften=(adr(ags=NACHBAR),)),
            person(
                3,
                familienname="Landwehrkamp",
                ags=ANDERER_KREIS,
                anschriften=(adr(ags=ANDERER_KREIS),),
            ),
        ),
        frei(LAND, familienname="Landwehrkamp", wer="sb1"),
        liste(1, 2, 3),
    ),
    fall(
        "bereich-gemeindename-04",
        BEREICH,
        "§ 34a Abs. 3 BMG; DOMAIN.md § 4 (eine Gemeinde: Schlüssel oder Name)",
        (
            person(1, anschriften=(adr(wohnort="Spiegelrode"),)),
            person(2, ags=NACHBAR, anschriften=(adr(ags=NACHBAR, wohnort="Nebenrode"),)),
        ),
        frei(familienname="Ostermann", gemeindename="Spiegelrode"),
        liste(1, suchdaten={"suchbereich/gemeindename": "Spiegelrode"}),
    ),
    fall(
        "bereich-gemeindename-normalisiert-04",
        BEREICH,
        "BMeldDAV Anlage Nr. 4 (DIN 91379 Tabelle 9; Trennzeichen entfallen)",
        (person(1, anschriften=(adr(wohnort="Bad Süderhusen"),)),),
        frei(familienname="Ostermann", gemeindename="BAD-SUEDERHUSEN"),
        liste(1),
    ),
    fall(
        "bereich-gemeindename-unbekannt-22",
        BEREICH,
        "§ 34a Abs. 3 BMG; Grund 22 (Suchbereich nicht im Zuständigkeitsbereich)",
        DREI,
        frei(familienname="Ostermann", gemeindename="Atlantisrode"),
        grund("22"),
    ),
    fall(
        "bereich-gemeindename-mehrdeutig-17",
        BEREICH,
        "§ 34a Abs. 3 BMG (genau eine Gemeinde); Grund 17 (Schlüssel angeben)",
        (
            person(1, anschriften=(adr(wohnort="Doppeltal"),)),
            person(2, ags=NACHBAR, anschriften=(adr(ags=NACHBAR, wohnort="Doppeltal"),)),
        ),
        frei(familienname="Ostermann", gemeindename="Doppeltal"),
        grund("17", nicht_im_text=("Ostermann",)),
    ),
    *(
        fall(
            f"bereich-{art}-ausserhalb-niedersachsens-22",
            BEREICH,
            "§ 34a Abs. 3 BMG; Grund 22 (außerhalb Niedersachsens)",
            DREI,
            frei(schluessel, familienname="Ostermann"),
            grund("22"),
        )
        for art, schluessel in (("gemeinde", "05315000"), ("kreis", "09162"), ("land", "09"))
    ),
    fall(
        "bereich-gemeinde-nicht-im-spiegel-22",
        BEREICH,
        "§ 34a Abs. 3 BMG; Grund 22 (Gemeinde, die der Spiegel nicht hält)",
        DREI,
        frei(KREIS + "999", familienname="Ostermann"),
        grund("22"),
    ),
    fall(
        "bereich-kreis-nicht-im-spiegel-22",
        BEREICH,
        "§ 34a Abs. 3 BMG; Grund 22 (Kreis, den der Spiegel nicht hält)",
        DREI,
        frei("03999", familienname="Ostermann"),
        grund("22"),
    ),
    fall(
        "bereich-leser-andere-gemeinde-04",
        BEREICH,
        "DOMAIN.md § 2 (der Spiegel antwortet im Namen der angeschriebenen Gemeinde); § 34a "
        "Abs. 3 BMG (der Suchbereich entscheidet)",
        (person(1), person(2, ags=NACHBAR, anschriften=(adr(ags=NACHBAR),))),
        frei(familienname="Ostermann", leser=NACHBAR),
        liste(1),
    ),
    fall(
        "bereich-leser-ausserhalb-niedersachsens-t080",
        BEREICH,
        "§ 34a Abs. 3 BMG; DOMAIN.md § 2 (der Spiegel antwortet im Namen einer niedersächsischen "
        "Gemeinde); 0910 T080",
        DREI,
        frei(familienname="Ostermann", leser="05315000"),
        fault("T080"),
    ),
]

_PLATZHALTER: list[Fall] = [
    fall(
        "platzhalter-stern-familienname-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3 (* beliebig viele Zeichen)",
        (
            person(1),
            person(2, familienname="Osterloh"),
            person(3, familienname="Westermann"),
        ),
        frei(familienname="Oster*"),
        liste(1, 2),
    ),
    fall(
        "platzhalter-fragezeichen-genau-ein-buchstabe-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3 (? genau ein Zeichen)",
        (
            person(1),
            person(2, familienname="Ostermenn"),
            person(3, familienname="Ostermaan"),
        ),
        frei(familienname="Osterm?nn"),
        liste(1, 2),
    ),
    fall(
        "platzhalter-auf-normalisierter-form-umlaut-zwei-zeichen",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3; Anlage Nr. 4 (Abgleich auf der Grundform: ü → UE)",
        (person(1, familienname="Müller"),),
        frei(familienname="M?ller"),
        niemand(),
        (frei(familienname="M??ller"), liste(1)),
    ),
    fall(
        "platzhalter-ein-buchstabe-davor-genuegt-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3 (nicht als erstes Zeichen, nicht allein)",
        (person(1), person(2, familienname="Wegner")),
        frei(familienname="O*"),
        liste(1),
    ),
    *(
        fall(
            f"platzhalter-{name}-17",
            PLATZHALTER,
            "BMeldDAV § 7 Abs. 3 (nicht als erstes Zeichen, nicht allein); Grund 17",
            DREI,
            frei(**{feld: wert}),
            grund("17", nicht_im_text=("Ostermann",)),
        )
        for name, feld, wert in (
            ("stern-zuerst", "familienname", "*mann"),
            ("fragezeichen-zuerst", "familienname", "?stermann"),
            ("allein", "familienname", "*"),
            ("nur-trennzeichen-davor", "familienname", "-*"),
            ("vornamen-ein-wort-allein", "vornamen", "Anna *"),
            ("strasse-allein", "strasse", "*"),
            ("strasse-zuerst", "strasse", "*straße"),
        )
    ),
    *(
        fall(
            f"platzhalter-nicht-im-feld-{name}-17",
            PLATZHALTER,
            "BMeldDAV § 7 Abs. 3 (Platzhalter nur in Namen und Straße); Grund 17",
            DREI,
            frei(**felder),
            grund("17"),
        )
        for name, felder in (
            ("geburtsort", {"geburtsort": "Hildes*"}),
            ("hausnummer", {"strasse": "Marktstraße", "hausnummer": "1*"}),
            ("sterbeort", {"familienname": "Ostermann", "sterbeort": "Hann?ver"}),
        )
    ),
    fall(
        "platzhalter-vorname-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3 (Vornamen)",
        DREI,
        frei(vornamen="Cl*"),
        liste(3),
    ),
    fall(
        "platzhalter-strasse-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3 (Straße)",
        (
            person(1),
            person(2, anschriften=(adr("Marktplatz", "2"),)),
            person(3, anschriften=(adr("Lindenweg", "3"),)),
        ),
        frei(strasse="Markt*"),
        liste(1, 2),
    ),
    fall(
        "platzhalter-strasse-normalisiert-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3; Anlage Nr. 4 (Lange Straße = LANGESTRASSE)",
        (person(1, anschriften=(adr("Lange Straße", "1"),)), person(2)),
        frei(strasse="Lange Str*"),
        liste(1),
    ),
    fall(
        "platzhalter-geburtsname-ordensname-kuenstlername-04",
        PLATZHALTER,
        "BMeldDAV § 7 Abs. 3 (jedes Namensfeld)",
        (
            person(1, geburtsname="Kranz", ordensname="Schwester Hildegard"),
            person(2, geburtsname="Kranzler", kuenstlername="Anni Ost"),
            person(3),
        ),
        frei(geburtsname="Kran*"),
        liste(1, 2),
        (frei(ordensname="Schwester H*"), liste(1)),
        (frei(kuenstlername="Anni O?t"), liste(2)),
    ),
]

_PHONETIK: list[Fall] = [
    fall(
        "phonetik-familienname-schreibvarianten-04",
        PHONETIK,
        "BMeldDAV § 7 Abs. 3 (phonetische Suche je Feld, Kölner Phonetik)",
        (
            person(1, familienname="Meyer"),
            person(2, familienname="Mayr"),
            person(3, familienname="Müller"),
        ),
        frei(familienname=phon("Maier")),
        liste(1, 2),
        (frei(familienname="Maier"), niemand()),
    ),
    fall(
        "phonetik-nur-im-bestimmten-feld-03",
        PHONETIK,
        "BMeldDAV § 7 Abs. 3 (phonetisch nur das Feld, das es bestimmt)",
        (person(1, familienname="Meyer"),),
        frei(familienname=phon("Maier"), vornamen="Ana"),
        niemand(),
        (frei(familienname=phon("Maier"), vornamen=phon("Ana")), liste(1)),
    ),
    fall(
        "phonetik-vornamen-04",
        PHONETIK,
        "BMeldDAV § 7 Abs. 3 (Vornamen phonetisch)",
        (person(1, vornamen=("Christina",)), person(2, vornamen=("Kristina",)), person(3)),
        frei(vornamen=phon("Krystina")),
        liste(1, 2),
    ),
    fall(
        "phonetik-geburtsname-04",
        PHONETIK,
        "BMeldDAV § 7 Abs. 3 (jedes Namensfeld für sich)",
        (person(1, geburtsname="Schmidt"), person(2, familienname="Schmitt")),
        frei(geburtsname=phon("Schmied")),
        liste(1),
    ),
    *(
        fall(
            f"phonetik-mit-platzhalter-{name}-15",
            PHONETIK,
            "BMeldDAV § 7 Abs. 3 (nie Platzhalter bei phonetischer Suche); Grund 15",
            DREI,
            frei(**felder),
            grund("15", nicht_im_text=("Ostermann",)),
        )
        for name, felder in (
            ("im-selben-feld", {"familienname": phon("Oster*")}),
            ("in-anderem-namensfeld", {"familienname": phon("Ostermann"), "vornamen": "An*"}),
            ("in-der-strasse", {"vornamen": phon("Anna"), "strasse": "Markt*"}),
        )
    ),
]

_GEBURT: list[Fall] = [
    fall(
        "geburtszeitraum-tage-04",
        GEBURT,
        "BMeldDAV § 7 Abs. 1 (Geburtszeitraum, Grenzen eingeschlossen)",
        (
            person(1, geburtsdatum=D("1980-01-01")),
            person(2, geburtsdatum=D("1980-12-31")),
            person(3, geburtsdatum=D("1981-01-01")),
            person(4, geburtsdatum=D("1979-12-31")),
        ),
        frei(geburtszeitraum=Zeitraum(D("1980-01-01"), D("1980-12-31"))),
        liste(1, 2),
    ),
    fall(
        "geburtszeitraum-grenze-jahr-ist-erster-januar-04",
        GEBURT,
        "BMeldDAV § 7 Abs. 1; DOMAIN.md § 4 (00-Teile der Grenzen zählen als 1. Januar / 1. Tag)",
        (
            person(1, geburtsdatum=D("1981-01-01")),
            person(2, geburtsdatum=D("1981-01-02")),
            person(3, geburtsdatum=D("1979-01-01")),
        ),
        frei(geburtszeitraum=Zeitraum(D("1979"), D("1981"))),
        liste(1, 3),
    ),
    fall(
        "geburtszeitraum-grenze-jahrmonat-04",
        GEBURT,
        "BMeldDAV § 7 Abs. 1; DOMAIN.md § 4 (05/1980 bis 06/1980 = 1. Mai bis 1. Juni)",
        (
            person(1, geburtsdatum=D("1980-05-17")),
            person(2, geburtsdatum=D("1980-06-01")),
            person(3, geburtsdatum=D("1980-06-15")),
        ),
        frei(geburtszeitraum=Zeitraum(D("1980-05"), D("1980-06"))),
        liste(1, 2),
    ),
    fall(
        "geburtszeitraum-teilbekanntes-geburtsdatum-zaehlt-ab-erstem",
        GEBURT,
        "BMeldDAV § 7 Abs. 1; DOMAIN.md § 4 (00-Teile zählen als 1. Januar / Monatserster)",
        (person(1, geburtsdatum=D("1970")), person(2, geburtsdatum=D("1970-06"))),
        frei(geburtszeitraum=Zeitraum(D("1970-01-01"), D("1970-12-31"))),
        liste(1, 2),
        (frei(geburtszeitraum=Zeitraum(D("1970-01-02"), D("1970-12-31"))), liste(2)),
    ),
    fall(
        "geburtszeitraum-unbekanntes-datum-nie-im-zeitraum",
        GEBURT,
        "BMeldDAV § 7 Abs. 1; DOMAIN.md § 4 (ein unbekanntes Datum liegt in keinem Zeitraum)",
        (person(1, geburtsdatum=D("")), person(2)),
        frei(geburtszeitraum=Zeitraum(D("1900"), D("2100"))),
        liste(2),
    ),
    fall(
        "geburtszeitraum-fruehere-geburtsdaten-zaehlen-04",
        GEBURT,
        "BMeldDAV Anlage Nr. 4 (frühere Geburtsdaten)",
        (person(1, geburtsdatum=D("1990-01-01"), fruehere_geburtsdaten=(D("1970-03-04"),)),),
        frei(geburtszeitraum=Zeitraum(D("1970"), D("1971"))),
        liste(1),
    ),
    *(
        fall(
            f"geburtszeitraum-{name}-20",
            GEBURT,
            "BMeldDAV § 7 Abs. 1; Grund 20 (Ende am oder vor dem Beginn)",
            DREI,
            frei(geburtszeitraum=Zeitraum(von, bis)),
            grund("20", nicht_im_text=("Ostermann",)),
        )
        for name, von, bis in (
            ("gleich", D("1975-03-08"), D("1975-03-08")),
            ("ende-vor-beginn", D("1976"), D("1975")),
            ("teilbekannt-gleich", D("1975-01"), D("1975")),
        )
    ),
    fall(
        "geburtsdatum-teilbekannt-nur-gleiches",
        GEBURT,
        "BMeldDAV Anlage Nr. 4 (03/1975 trifft nur 03/1975)",
        (person(1), person(2, geburtsdatum=D("1975-03"))),
        frei(geburtsdatum=D("1975-03")),
        liste(2),
        (frei(geburtsdatum=D("1975-03-08")), liste(1)),
    ),
]

_ANSCHRIFT: list[Fall] = [
    fall(
        "hausnummernbereich-04",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (Hausnummernbereich, Grenzen eingeschlossen)",
        (
            person(1, anschriften=(adr(nummer="2"),)),
            person(2, anschriften=(adr(nummer="3"),)),
            person(3, anschriften=(adr(nummer="5", hausnummer_buchstabe="a"),)),
            person(4, anschriften=(adr(nummer="7"),)),
            person(5, anschriften=(adr(nummer="8"),)),
            person(6, anschriften=(adr("Lindenweg", "5"),)),
        ),
        frei(strasse="Marktstraße", hausnummer="3", hausnummer_bis="7"),
        liste(2, 3, 4),
    ),
    fall(
        "hausnummernbereich-ohne-strasse-04",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (alle Suchdaten frei; nur Grund 21 verlangt eine Straße)",
        (
            person(1, anschriften=(adr(nummer="4"),)),
            person(2, anschriften=(adr("Lindenweg", "6"),)),
            person(3, anschriften=(adr(nummer="40"),)),
        ),
        frei(hausnummer="1", hausnummer_bis="9"),
        liste(1, 2),
    ),
    *(
        fall(
            f"hausnummernbereich-{name}-19",
            ANSCHRIFT,
            "BMeldDAV § 7 Abs. 1; Grund 19 (Ende kleiner als oder gleich dem Beginn)",
            DREI,
            frei(strasse="Marktstraße", hausnummer=von, hausnummer_bis=bis),
            grund("19", nicht_im_text=("Ostermann",)),
        )
        for name, von, bis in (("gleich", "5", "5"), ("ende-kleiner", "9", "3"))
    ),
    fall(
        "anschrift-hausnummer-und-postleitzahl-04",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (Anschrift: Postleitzahl, Straße, Hausnummer)",
        (
            person(1, anschriften=(adr(nummer="3"),)),
            person(2, anschriften=(adr(nummer="3", postleitzahl="31137"),)),
            person(3, anschriften=(adr(nummer="4"),)),
        ),
        frei(postleitzahl="31134", strasse="Marktstr.", hausnummer="3"),
        liste(1),
    ),
    fall(
        "anschrift-alle-angaben-auf-einer-anschrift-03",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (die Angaben zur Anschrift gelten einer Anschrift)",
        (
            person(
                1,
                anschriften=(
                    adr(nummer="3"),
                    adr("Lindenweg", "9", aktuell=False, auszugsdatum=D("2016-08-31")),
                ),
            ),
        ),
        frei(strasse="Marktstraße", hausnummer="9"),
        niemand(),
        (frei(strasse="Lindenweg", hausnummer="9"), liste(1)),
    ),
    fall(
        "anschrift-wohnungsstatus-nebenwohnung-04",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (Wohnungsstatus 0 alleinige, 1 Haupt-, 2 Nebenwohnung)",
        (
            person(1, anschriften=(adr(), adr("Nebenweg", "9", wohnungsstatus="2"))),
            person(2),
            person(3, anschriften=(adr(wohnungsstatus="0"),)),
        ),
        frei(wohnungsstatus="2"),
        liste(1),
        (frei(wohnungsstatus="0"), liste(3)),
    ),
    fall(
        "anschrift-einzugszeitraum-04",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (Einzugsdatum als Auswahldatum)",
        (person(1), person(2, anschriften=(adr(nummer="2", einzugsdatum=D("2020-02-02")),))),
        frei(einzugszeitraum=Zeitraum(D("2020"), D("2021"))),
        liste(2),
    ),
    fall(
        "anschrift-einzugszeitraum-ende-vor-beginn-17",
        ANSCHRIFT,
        "BMeldDAV § 7 Abs. 1 (Zeitraum: Ende nach dem Beginn); Grund 17",
        DREI,
        frei(einzugszeitraum=Zeitraum(D("2021"), D("2020"))),
        grund("17"),
    ),
]

_AKTUELL_REGISTER = (
    person(1),
    person(
        2,
        anschriften=(
            adr("Lindenweg", "2"),
            adr(nummer="2", aktuell=False, auszugsdatum=D("2016-08-31")),
        ),
    ),
    person(3, wegzug_inland=True, anschriften=(adr(nummer="3", aktuell=False),)),
    person(4, sterbedatum=D("2024-02-03"), sterbeort="Hildesheim"),
)

_AKTUALITAET: list[Fall] = [
    *(
        fall(
            f"aktualitaet-anschrift-ohne-strasse-{name}-21",
            AKTUALITAET,
            "BMeldDAV § 7 Abs. 1; Grund 21 (aktuelle/inaktuelle Anschriften nur mit Straße)",
            DREI,
            frei(anschrift_aktualitaet=wert, **felder),
            grund("21", nicht_im_text=("Ostermann",)),
        )
        for name, wert, felder in (
            ("aktuell", Aktualitaet.AKTUELL, {"postleitzahl": "31134"}),
            ("inaktuell", Aktualitaet.INAKTUELL, {"familienname": "Ostermann"}),
        )
    ),
    fall(
        "aktualitaet-anschrift-strasse-leer-nach-normalisierung-21",
        AKTUALITAET,
        "Grund 21; BMeldDAV Anlage Nr. 4 (ein nach der Normalisierung leeres Feld ist nicht "
        "angegeben)",
        DREI,
        frei(strasse="--", anschrift_aktualitaet=Aktualitaet.AKTUELL),
        grund("21", nicht_im_text=("Ostermann",)),
    ),
    fall(
        "aktualitaet-anschrift-aktuell-inaktuell-beide",
        AKTUALITAET,
        "BMeldDAV § 7 Abs. 1 (01 aktuelle, 02 frühere Anschriften, ohne Angabe beide)",
        _AKTUELL_REGISTER,
        frei(strasse="Marktstraße", anschrift_aktualitaet=Aktualitaet.AKTUELL),
        liste(1, 4),
        (frei(strasse="Marktstraße", anschrift_aktualitaet=Aktualitaet.INAKTUELL), liste(2, 3)),
        (frei(strasse="Marktstraße"), liste(1, 2, 3, 4)),
    ),
    fall(
        "aktualitaet-person-aktuell-04",
        AKTUALITAET,
        "BMeldDAV § 7 Abs. 1 (01: nur jetzt gemeldete Personen; ohne Straße zulässig)",
        _AKTUELL_REGISTER,
        frei(familienname="Ostermann", person_aktualitaet=Aktualitaet.AKTUELL),
        liste(1, 2),
    ),
    fall(
        "aktualitaet-person-inaktuell-04",
        AKTUALITAET,
        "BMeldDAV § 7 Abs. 1 (02: weggezogene und verstorbene Personen)",
        _AKTUELL_REGISTER,
        frei(familienname="Ostermann", person_aktualitaet=Aktualitaet.INAKTUELL),
        liste(3, 4),
    ),
]

_FELDER_NAMEN = (
    person(1),
    person(2, familienname="Bode", ehename="Ostermann"),
    person(3, familienname="Bode", lebenspartnerschaftsname="Ostermann"),
    person(4, familienname="Kranz", geburtsname="Ostermann"),
    person(5, familienname="Kranz", fruehere_familiennamen=("Ostermann",)),
)

_FELDER: list[Fall] = [
    fall(
        "feld-familienname-mit-ehe-und-lebenspartnerschaftsname-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Familienname: 0101a, 0103a, 0105a — jedes Namensfeld für sich)",
        _FELDER_NAMEN,
        frei(familienname="Ostermann"),
        liste(1, 2, 3),
    ),
    fall(
        "feld-geburtsname-nur-geburtsname-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Geburtsname 0201a)",
        _FELDER_NAMEN,
        frei(geburtsname="Ostermann"),
        liste(4),
    ),
    fall(
        "feld-frueherer-familienname-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Familienname vor Änderung 0203a)",
        _FELDER_NAMEN,
        frei(frueherer_familienname="Ostermann"),
        liste(5),
    ),
    fall(
        "feld-vornamen-jeder-muss-vorkommen-04",
        FELDER,
        "BMeldDAV Anlage Nr. 4 (jeder angegebene Vorname muss vorkommen, Reihenfolge unerheblich)",
        (
            person(1, vornamen=("Anna", "Marie")),
            person(2),
            person(3, vornamen=("Clara",), fruehere_vornamen=("Marie",)),
        ),
        frei(vornamen="Marie Anna"),
        liste(1),
        (frei(vornamen="Marie"), liste(1, 3)),
    ),
    fall(
        "feld-familienname-ganzer-name-03",
        FELDER,
        "BMeldDAV Anlage Nr. 4 (ganzer Name; Teile nur mit Platzhalter)",
        DREI,
        frei(familienname="Oster"),
        niemand(),
    ),
    fall(
        "feld-normalisiert-umlaut-und-schreibweise-04",
        FELDER,
        "BMeldDAV Anlage Nr. 4 (DIN 91379 Tabelle 9: ü → UE, ß → SS, Groß/klein)",
        (person(1, familienname="Müßig"),),
        frei(familienname="MUESSIG"),
        liste(1),
    ),
    fall(
        "feld-doktorgrad-und-geschlecht-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Doktorgrad, Geschlecht)",
        (person(1, doktorgrad="Dr."), person(2, doktorgrad="Dr.", geschlecht="m"), person(3)),
        frei(doktorgrad="Dr.", geschlecht="w"),
        liste(1),
    ),
    fall(
        "feld-staatsangehoerigkeit-eine-von-mehreren-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Staatsangehörigkeit)",
        (person(1, staatsangehoerigkeiten=("DEU", "POL")), person(2)),
        frei(staatsangehoerigkeit="POL"),
        liste(1),
    ),
    fall(
        "feld-geburtsort-und-geburtsstaat-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Geburtsort, Geburtsstaat)",
        (
            person(1, geburtsort="Danzig", geburtsstaat="POL"),
            person(2, geburtsort="Danzig"),
            person(3),
        ),
        frei(geburtsort="Danzig", geburtsstaat="POL"),
        liste(1),
    ),
    fall(
        "feld-familienstand-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Familienstand)",
        (person(1, familienstand="VH"), person(2, familienstand="LD")),
        frei(familienstand="LD"),
        liste(2),
    ),
    fall(
        "feld-sterbedatum-und-sterbeort-04",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (Sterbedatum, Sterbeort)",
        (
            person(1, sterbedatum=D("2024-02-03"), sterbeort="Hannover"),
            person(2, sterbedatum=D("2024-02-03"), sterbeort="Celle"),
            person(3),
        ),
        frei(sterbedatum=D("2024-02-03"), sterbeort="Hannover"),
        liste(1),
    ),
    fall(
        "feld-alle-kriterien-zusammen-03",
        FELDER,
        "BMeldDAV § 7 Abs. 1 (alle angegebenen Suchdaten gelten zugleich)",
        DREI,
        frei(familienname="Ostermann", geschlecht="m"),
        niemand(),
    ),
]

_KRITERIEN: list[Fall] = [
    *(
        fall(
            f"kriterium-{name}-oeffentliche-stelle-{code}",
            KRITERIEN,
            f"§ 34 Abs. 4 Satz 1 BMG (Auswahldatum nur für Sicherheitsbehörden); Grund {code}",
            (voll(1),),
            frei(familienname="Ostermann", **{feld: wert}),
            grund(code, nicht_im_text=("Ostermann",)),
        )
        for name, feld, wert, code in (
            ("waffenerlaubnis", "waffenerlaubnis", True, "04"),
            ("waffenerlaubnis-false", "waffenerlaubnis", False, "04"),
            ("waffenbesitzverbot", "waffenbesitzverbot", True, "05"),
            ("sprengstofferlaubnis", "sprengstofferlaubnis", True, "06"),
        )
    ),
    fall(
        "kriterium-waffenerlaubnis-polizei-04",
        KRITERIEN,
        "§ 34 Abs. 4 Satz 1 Nr. 1 BMG; BMeldDAV § 7 Abs. 1",
        (person(1, waffenerlaubnis=BehoerdlicherVermerk(date(2010, 1, 1))), person(2)),
        frei(wer="sb1", familienname="Ostermann", waffenerlaubnis=True),
        liste(1),
        (frei(wer="sb1", familienname="Ostermann", waffenerlaubnis=False), liste(2)),
    ),
    fall(
        "kriterium-waffenbesitzverbot-staatsanwaltschaft-04",
        KRITERIEN,
        "§ 34 Abs. 4 Satz 1 Nr. 2 BMG; BMeldDAV § 7 Abs. 1",
        (person(1), person(2, waffenbesitzverbot=BehoerdlicherVermerk(date(2023, 1, 1)))),
        frei(wer="sb2", familienname="Ostermann", waffenbesitzverbot=True),
        liste(2),
    ),
    fall(
        "kriterium-sprengstofferlaubnis-verfassungsschutz-04",
        KRITERIEN,
        "§ 34 Abs. 4 Satz 1 Nr. 6 BMG; BMeldDAV § 7 Abs. 1",
        (person(1), person(3, sprengstofferlaubnis=BehoerdlicherVermerk(date(2012, 1, 1)))),
        frei(wer="sb6", familienname="Ostermann", sprengstofferlaubnis=True),
        liste(3),
    ),
    *(
        fall(
            f"kriterium-sb{untertyp}-{'als-sicherheitsbehoerde' if claim else 'ausserhalb'}",
            KRITERIEN,
            f"§ 34 Abs. 4 Satz 1 Nr. {untertyp} BMG (Sicherheitsbehörde nur, „soweit“ sie in "
            "dieser Aufgabe handelt)",
            (person(1, waffenerlaubnis=BehoerdlicherVermerk(date(2010, 1, 1))), person(2)),
            frei(wer=f"sb{untertyp}", claim=claim, familienname="Ostermann", waffenerlaubnis=True),
            liste(1, sicherheitsbehoerde=True) if claim else grund("04", sicherheitsbehoerde=False),
        )
        for untertyp in (4, 11, 13)
        for claim in (True, False)
    ),
    fall(
        "kriterium-sb11-ausserhalb-sprengstoff-06",
        KRITERIEN,
        "§ 34 Abs. 4 Satz 1 Nr. 11 BMG; Grund 06",
        DREI,
        frei(wer="sb11", claim=False, familienname="Ostermann", sprengstofferlaubnis=False),
        grund("06"),
    ),
    fall(
        "kriterium-sb13-ausserhalb-waffenbesitzverbot-05",
        KRITERIEN,
        "§ 34 Abs. 4 Satz 1 Nr. 13 BMG; Grund 05",
        DREI,
        frei(wer="sb13", claim=False, familienname="Ostermann", waffenbesitzverbot=True),
        grund("05"),
    ),
]

_ELEMENTE: list[Fall] = [
    *(
        fall(
            f"element-{name}-oeffentliche-stelle-{code}",
            ELEMENTE,
            f"§ 34a Abs. 3 i.V.m. § 34 Abs. 4 Satz 1 BMG; Grund {code}",
            (voll(1),),
            frei(familienname="Ostermann", elemente=(1, element)),
            grund(code, nicht_im_text=("Ostermann", "L01X00T47", "Wohnbau")),
        )
        for name, element, code in (
            ("ausweisart", 29, "07"),
            ("pass-seriennummer", 37, "07"),
            ("waffenerlaubnis", 42, "09"),
            ("sprengstofferlaubnis", 44, "09"),
            ("wohnungsgeber", 45, "10"),
            ("eigentuemer", 46, "10"),
            ("einzugsdatum", 28, "11"),
        )
    ),
    *(
        fall(
            f"element-einzugsdatum-sb{untertyp}",
            ELEMENTE,
            f"§ 34 Abs. 4 Satz 1 Nr. {untertyp} BMG (Einzugsdatum für Sicherheitsbehörden)",
            (person(1),),
            frei(wer=f"sb{untertyp}", familienname="Ostermann", elemente=(1, 28)),
            liste(1, vorhanden=(1, 28), offengelegt={1: (1, 28)}, sicherheitsbehoerde=True),
        )
        for untertyp in range(1, 14)
    ),
    fall(
        "element-sb4-ausserhalb-einzugsdatum-11",
        ELEMENTE,
        "§ 34 Abs. 4 Satz 1 Nr. 4 BMG (nur „soweit“); Grund 11",
        (person(1),),
        frei(wer="sb4", claim=False, familienname="Ostermann", elemente=(1, 28)),
        grund("11", sicherheitsbehoerde=False),
    ),
    fall(
        "element-sb11-ausserhalb-ausweis-07",
        ELEMENTE,
        "§ 34 Abs. 4 Satz 1 Nr. 11 BMG (nur „soweit“); Grund 07",
        (voll(1),),
        frei(wer="sb11", claim=False, familienname="Ostermann", elemente=(1, 36)),
        grund("07", nicht_im_text=("L01X00T47",)),
    ),
    fall(
        "element-sb13-ausserhalb-wohnungsgeber-10",
        ELEMENTE,
        "§ 34 Abs. 4 Satz 1 Nr. 13 BMG (nur „soweit“); Grund 10",
        (voll(1),),
        frei(wer="sb13", claim=False, familienname="Ostermann", elemente=(1, 45)),
        grund("10", nicht_im_text=("Wohnbau",)),
    ),
    fall(
        "element-sb13-als-sicherheitsbehoerde-wohnungsgeber",
        ELEMENTE,
        "§ 34 Abs. 4 Satz 1 Nr. 13 BMG",
        (voll(1),),
        frei(wer="sb13", claim=True, familienname="Ostermann", elemente=(1, 45, 46)),
        liste(1, vorhanden=(45, 46), im_text=("Wohnbau Prüfstadt eG", "Eigner, Otto")),
    ),
]

_UMFANG: list[Fall] = [
    fall(
        "umfang-oeffentliche-stelle-alles-zulaessige",
        UMFANG,
        "§ 34 Abs. 1 Satz 1 Nr. 1–8, 16 BMG und Hauptanschrift (Liste 1–27, 38–41)",
        (voll(1),),
        frei(familienname="Ostermann", elemente=OEFFENTLICH),
        liste(
            1,
            vorhanden=(*range(1, 17), *range(17, 28)),
            fehlend=NUR_SICHERHEIT,
            nicht_im_text=("L01X00T47", "Wohnbau", "Waffenbehörde", "Nebenweg", "Alte Gasse"),
            offengelegt={1: tuple(range(1, 28))},
        ),
    ),
    fall(
        "umfang-sicherheitsbehoerde-alle-elemente",
        UMFANG,
        "§ 34 Abs. 4 Satz 1 BMG (Einzugsdatum, Ausweise, Waffen, Sprengstoff, Wohnungsgeber)",
        (voll(1),),
        frei(wer="sb1", familienname="Ostermann", elemente=tuple(range(1, 47))),
        liste(
            1,
            vorhanden=(1, 6, 11, 21, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 42, 43, 44, 45, 46),
            im_text=("L01X00T47", "C01X00T48", "Wohnbau Prüfstadt eG"),
            nicht_im_text=("P-1", "Passbehörde", "W-1", "S-1"),
        ),
    ),
    fall(
        "umfang-nur-angefordertes",
        UMFANG,
        "§ 34a Abs. 3 BMG (die angeforderten Daten — nie mehr)",
        (voll(1),),
        frei(familienname="Ostermann", elemente=(1,)),
        liste(
            1,
            vorhanden=(1,),
            fehlend=(2, 4, 6, 8, 11, 13, 15, 16, 17, 21),
            nicht_im_text=("Hildesheim", "Marktstraße", "Dr.", "Marie", "Kranz"),
            offengelegt={1: (1,)},
        ),
    ),
    fall(
        "umfang-nie-familienstand-angehoerige-passversagung",
        UMFANG,
        "§ 34a Abs. 3 BMG: nur Nr. 1–8, 16 und Hauptanschrift (kein Familienstand, keine "
        "Angehörigen, keine Passversagung — auch nicht an Sicherheitsbehörden)",
        (voll(1),),
        frei(wer="sb1", familienname="Ostermann", elemente=tuple(range(1, 47))),
        liste(1, nicht_im_text=("Kunibert", "Passbehörde", "P-1")),
    ),
    fall(
        "umfang-nur-aktuelle-hauptanschrift",
        UMFANG,
        "§ 34a Abs. 3 BMG; DOMAIN.md § 4 (die derzeitige Hauptanschrift; keine Neben-, keine "
        "frühere Wohnung)",
        (voll(1),),
        frei(strasse="Nebenweg", elemente=(1, *range(17, 28))),
        liste(
            1,
            vorhanden=(17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27),
            im_text=("Marktstraße", "Wohnungsinhaber Brandt"),
            nicht_im_text=("Nebenweg", "Alte Gasse"),
        ),
    ),
    fall(
        "umfang-ohne-hauptwohnung-keine-anschrift",
        UMFANG,
        "§ 34a Abs. 3 BMG; DOMAIN.md § 4 (nur die derzeitige Hauptanschrift)",
        (person(1, anschriften=(adr("Nebenweg", "9", wohnungsstatus="2"),)),),
        frei(strasse="Nebenweg"),
        liste(1, vorhanden=(1, 6, 11), fehlend=(17, 21, 22), offengelegt={1: (1, 6, 11)}),
    ),
    fall(
        "umfang-gebraeuchlicher-vorname-gekennzeichnet",
        UMFANG,
        "§ 34 Abs. 1 Satz 1 Nr. 2 BMG; Liste Nr. 6 (Vornamen, der gebräuchliche gekennzeichnet)",
        (voll(1),),
        frei(familienname="Ostermann", elemente=(6,)),
        liste(1, vorhanden=(6,), im_text=('<vorname gebraeuchlich="true">Marie</vorname>',)),
    ),
    fall(
        "umfang-sterbedaten-ohne-nachweis",
        UMFANG,
        "§ 34 Abs. 1 Satz 1 BMG; Liste 38–41 (Nachweisdaten 39 schreibt das Schema nicht)",
        (person(1, sterbedatum=D("2024-02-03"), sterbeort="Hannover", sterbestaat="DEU"),),
        frei(familienname="Ostermann", elemente=(1, 38, 39, 40, 41)),
        liste(
            1,
            vorhanden=(38, 40, 41),
            offengelegt={1: (1, 38, 40, 41)},
            hinweise={"verstorben": True, "verzogenInland": False},
        ),
    ),
    fall(
        "umfang-hinweise-verzogen-und-verringerter-datenumfang",
        UMFANG,
        "DOMAIN.md § 3 (immer hinzugefügt: verzogen, verstorben, § 13 Abs. 2 BMG)",
        (
            person(
                1,
                wegzug_inland=True,
                verringerter_datenumfang=True,
                anschriften=(adr(aktuell=False),),
            ),
        ),
        frei(familienname="Ostermann"),
        liste(
            1,
            fehlend=(17, 21),
            hinweise={
                "verzogenInland": True,
                "verzogenUnbekannt": False,
                "verringerterDatenumfang": True,
                "verstorben": False,
            },
        ),
    ),
    fall(
        "umfang-bedingter-sperrvermerk-sperrt-nie",
        UMFANG,
        "§ 52 BMG (bedingter Sperrvermerk: gelistet, Kennzeichen an der Anschrift)",
        (person(1, anschriften=(adr(bedingter_sperrvermerk=True),)),),
        frei(familienname="Ostermann"),
        liste(1, sperrvermerk=(True,), vorhanden=(21,)),
        (frei(familienname="Ostermann", elemente=(1,)), liste(1, sperrvermerk=())),
    ),
]

_STATUS: list[Fall] = [
    fall(
        "status-04-ergebnisliste",
        STATUS,
        "§ 34a Abs. 3 BMG; Ergebnisstatus 04 (Ergebnisliste)",
        DREI,
        frei(familienname="Ostermann"),
        liste(1, 2, 3, vorhanden=(1, 6, 11, 17, 18, 19, 21, 22)),
    ),
    fall(
        "status-03-niemand",
        STATUS,
        "§ 34a Abs. 3 BMG; Ergebnisstatus 03 (niemand gefunden): der Status und sonst nichts",
        DREI,
        frei(familienname="Niemandsland"),
        niemand(gefunden=()),
    ),
    fall(
        "status-04-eine-person",
        STATUS,
        "§ 34a Abs. 3 BMG: auch eine Person ist eine Ergebnisliste (04), ohne Merkmal",
        DREI,
        frei(familienname="Ostermann", vornamen="Bernd"),
        liste(2, vorhanden=(1, 6, 11, 21, 22)),
    ),
    fall(
        "status-03-leerer-bereich-ist-kein-22",
        STATUS,
        "§ 34a Abs. 3 BMG; Ergebnisstatus 03 (der Bereich ist gehalten, nur trifft niemand)",
        (person(1, ags=NACHBAR, anschriften=(adr(ags=NACHBAR),)),),
        frei(KREIS, familienname="Ostermann", geschlecht="m"),
        niemand(),
    ),
]

_MERKMAL: list[Fall] = [
    fall(
        "merkmal-weiter-als-personensuche-01",
        MERKMAL,
        "§ 39 Abs. 2 BMG; BMeldDAV § 9 (Merkmal je Person, Fortsetzung als Personensuche)",
        DREI,
        frei(familienname="Ostermann"),
        liste(1, 2, 3),
        (
            personensuche("liste:Bernd"),
            Erwartet(status="01", vorhanden=(1, 7, 13), gefunden=(2,), offengelegt={2: (1, 7, 13)}),
        ),
    ),
    fall(
        "merkmal-nur-fuer-die-empfangende-behoerde-01",
        MERKMAL,
        "BMeldDAV § 9 (nur die Behörde, die es erhielt); Grund 01",
        DREI,
        frei(familienname="Ostermann"),
        liste(1, 2, 3),
        (personensuche("liste:Clara", wer="sb1"), grund("01")),
    ),
    fall(
        "merkmal-48-stunden-gueltig",
        MERKMAL,
        "BMeldDAV § 9 (48 Stunden gültig); Grund 01",
        DREI,
        frei(familienname="Ostermann"),
        liste(1, 2, 3),
        (personensuche("liste:Anna", nach_stunden=47), Erwartet(status="01", gefunden=(1,))),
        (personensuche("liste:Anna", nach_stunden=49), grund("01")),
    ),
]

_GRENZE: list[Fall] = [
    fall(
        "grenze-1001-ergebnisse-13-genau-1000-04",
        GRENZE,
        "BMeldDAV § 7 Abs. 4; Grund 13 (höchstens 1 000 — kein Kürzen, keine niedrigere Grenze)",
        (*massen(1000), *massen(1, "Zwei", start=1001)),
        frei(familienname="Massmann", elemente=(1,)),
        grund("13", gefunden=()),
        (
            frei(familienname="Massmann", vornamen="Eins", elemente=(1,)),
            liste(*range(1, 1001)),
        ),
    ),
]

_SPERRE: list[Fall] = [
    *(
        fall(
            f"sperre-code-{code}-nie-gelistet",
            SPERRE,
            "§ 51 Abs. 1, 5 BMG; DOMAIN.md § 4 (nie in der Ergebnisliste, nie im Protokoll als "
            "Treffer)",
            (person(1), gesperrt(2, code)),
            frei(familienname="Ostermann"),
            liste(1, gefunden=(1,), nicht_im_text=("Bernd",)),
        )
        for code in ("1", "3", "6", "11", "12")
    ),
    fall(
        "sperre-nur-gesperrte-wie-niemand-03",
        SPERRE,
        "§ 51 BMG; DOMAIN.md § 4 (nicht erschließbar: wie eine Suche ohne Treffer)",
        (gesperrt(1), person(2, familienname="Bode")),
        frei(familienname="Ostermann"),
        niemand(gefunden=()),
        (frei(familienname="Niemandsland"), niemand(wie_schritt=1)),
    ),
    fall(
        "sperre-liste-wie-ohne-gesperrte",
        SPERRE,
        "§ 51 BMG; DOMAIN.md § 4 (die Liste gleicht der über ein Register ohne die Gesperrte)",
        (person(1), person(2), gesperrt(3, geschlecht="m")),
        frei(strasse="Marktstraße"),
        liste(1, 2),
        (frei(strasse="Marktstraße", geschlecht="w"), liste(1, 2, wie_schritt=1)),
    ),
    fall(
        "sperre-nicht-mitgezaehlt-1000-plus-gesperrte-04-1001-plus-gesperrte-13",
        SPERRE,
        "§ 51 BMG; BMeldDAV § 7 Abs. 4 (die Grenze zählt genau die Nichtgesperrten: 13 für "
        "1 000 und eine Gesperrte verriete sie, eine 04 für 1 001 und eine Gesperrte kürzte)",
        (
            gesperrt(1, familienname="Massmann", vornamen=("Eins",)),
            *massen(1000, start=2),
            *massen(1, "Zwei", start=1002),
        ),
        frei(familienname="Massmann", vornamen="Eins", elemente=(1,)),
        liste(*range(2, 1002)),
        (frei(familienname="Massmann", elemente=(1,)), grund("13", gefunden=())),
    ),
    *(
        fall(
            f"sperre-uebermittlungssperre-code-{code}-sperrt-nicht",
            SPERRE,
            "§ 50 Abs. 5, § 42 Abs. 3, § 36 Abs. 2 BMG: Übermittlungssperren sperren keinen Abruf",
            (person(1), gesperrt(2, code)),
            frei(familienname="Ostermann"),
            liste(1, 2),
        )
        for code in ("2", "5", "7", "10", "13")
    ),
    fall(
        "sperre-abgelaufen-wird-gelistet",
        SPERRE,
        "§ 51 Abs. 4 BMG (befristete Sperre; gilt bis zu ihrem letzten Tag)",
        (person(1), gesperrt(2, bis=HEUTE - timedelta(days=1)), gesperrt(3, bis=HEUTE)),
        frei(familienname="Ostermann"),
        liste(1, 2),
    ),
    fall(
        "sperre-auch-gegenueber-sicherheitsbehoerden",
        SPERRE,
        "§ 51 BMG; DOMAIN.md § 4 (nie enthalten — für jede Behördenklasse)",
        (person(1), gesperrt(2), gesperrt(3, "11")),
        frei(wer="sb1", familienname="Ostermann", elemente=(1, 6, 28)),
        liste(1, gefunden=(1,)),
    ),
    fall(
        "sperre-auch-gegenueber-besonders-ermaechtigten",
        SPERRE,
        "§ 51 BMG; DOMAIN.md § 4 (nie enthalten; § 34a Abs. 6 BMG gilt der Personensuche)",
        (person(1), gesperrt(2)),
        frei(wer="sb1-leitung", familienname="Ostermann"),
        liste(1, gefunden=(1,)),
    ),
]

_STELLE: list[Fall] = [
    fall(
        "stelle-oeffentliche-stelle-behauptet-sicherheitsbehoerde-03",
        STELLE,
        "§ 34 Abs. 4 Satz 1 BMG (die Klasse ist Tatsache der Zulassung); Grund 03",
        DREI,
        frei(claim=True, familienname="Ostermann"),
        grund("03", nicht_im_text=("Ostermann",)),
    ),
    fall(
        "stelle-aktenzeichen-leer-17",
        STELLE,
        "BMeldDAV § 11 (Aktenzeichen Pflicht); § 40 Abs. 1 Nr. 4 BMG",
        DREI,
        frei(aktenzeichen=" ", familienname="Ostermann"),
        grund("17", nicht_im_text=("Ostermann",)),
    ),
    fall(
        "stelle-anlass-leer-17",
        STELLE,
        "BMeldDAV § 11 (Anlass Pflicht); § 40 Abs. 1 Nr. 5 BMG",
        DREI,
        frei(anlass=" ", familienname="Ostermann"),
        grund("17"),
    ),
    fall(
        "stelle-nutzer-mit-elementbeschraenkung-17",
        STELLE,
        "§ 39 Abs. 1 BMG (Datenminimierung je Nutzer, in Personensuche-Codes: die freie Suche "
        "bleibt dem Nutzer verschlossen); Grund 17",
        DREI,
        frei(wer="oe-beschraenkt", familienname="Ostermann", elemente=(1,)),
        grund("17"),
    ),
    fall(
        "stelle-behoerde-gesperrt-t070",
        STELLE,
        "§ 39 BMG; DOMAIN.md § 7 (der Betreiber kann sperren); 0910 T070",
        DREI,
        frei(wer="oe-behoerde-gesperrt", familienname="Ostermann"),
        fault("T070"),
    ),
    fall(
        "stelle-nutzer-gesperrt-t070",
        STELLE,
        "§ 39 BMG; 0910 T070",
        DREI,
        frei(wer="oe-nutzer-gesperrt", familienname="Ostermann"),
        fault("T070"),
    ),
]

_PROTOKOLL: list[Fall] = [
    fall(
        "protokoll-suchdaten-und-ergebnisse",
        PROTOKOLL,
        "§ 40 Abs. 1 BMG (bei der freien Suche auch die Suchdaten und die Ergebnisse)",
        (voll(1), person(2), gesperrt(3)),
        frei(
            familienname="Ostermann",
            geburtszeitraum=Zeitraum(D("1970"), D("1980")),
            vornamen=phon("Ana"),
            elemente=(1, 6, 8, 9, 11),
        ),
        liste(
            1,
            gefunden=(1,),
            offengelegt={1: (1, 6, 8, 9, 11)},
            sicherheitsbehoerde=False,
            suchdaten={
                "suchbereich/gemeindeschluessel": AGS,
                "familienname": "Ostermann",
                "vornamen": "Ana",
                "vornamen/@phonetisch": "true",
                "geburtszeitraum/von/jahr": "1970",
                "geburtszeitraum/bis/jahr": "1980",
            },
        ),
    ),
    fall(
        "protokoll-offengelegt-nur-geschriebenes",
        PROTOKOLL,
        "§ 40 Abs. 1 Nr. 2 BMG (übermittelt ist, was geschrieben wurde)",
        (person(1), person(2, doktorgrad="Dr.")),
        frei(KREIS, familienname="Ostermann", elemente=(1, 8, 9, 10)),
        liste(
            1, 2, offengelegt={1: (1,), 2: (1, 8)}, suchdaten={"suchbereich/kreisschluessel": KREIS}
        ),
    ),
    fall(
        "protokoll-rueckweisung-mit-suchdaten",
        PROTOKOLL,
        "§ 40 BMG (jede Anfrage, auch die zurückgewiesene, mit ihren Suchdaten)",
        DREI,
        frei("09", familienname="Ostermann"),
        grund("22", gefunden=(), offengelegt={}, suchdaten={"suchbereich/land": "09"}),
    ),
    fall(
        "protokoll-sicherheitsbehoerde-ohne-auftrag-nur-metadaten",
        PROTOKOLL,
        "§ 40 Abs. 3 BMG (Sicherheitsbehörden protokollieren selbst)",
        DREI,
        frei(wer="sb2-eigenes-protokoll", familienname="Ostermann"),
        liste(1, 2, 3, sicherheitsbehoerde=True, inhalt_protokolliert=False),
    ),
    fall(
        "protokoll-sicherheitsbehoerde-im-auftrag-voll",
        PROTOKOLL,
        "§ 40 Abs. 3 BMG (Protokollierung im Auftrag); § 40 Abs. 1 BMG",
        (person(1, familienname="Protokollmeier"), person(2)),
        frei(LAND, wer="sb5", familienname="Protokollmeier", geburtsort="Hildesheim"),
        liste(
            1,
            sicherheitsbehoerde=True,
            offengelegt={1: (1, 6, 11, 17, 18, 19, 21, 22)},
            suchdaten={"suchbereich/land": "03", "familienname": "Protokollmeier"},
        ),
    ),
    fall(
        "protokoll-sb4-ausserhalb-als-oeffentliche-stelle",
        PROTOKOLL,
        "§ 34 Abs. 4 Satz 1 Nr. 4 BMG; § 11 Abs. 1 Nr. 3 BMG (die Klasse des Protokolls)",
        DREI,
        frei(wer="sb4", claim=False, familienname="Ostermann", vornamen="Anna"),
        liste(1, sicherheitsbehoerde=False, offengelegt={1: (1, 6, 11, 17, 18, 19, 21, 22)}),
    ),
]

FAELLE: tuple[Fall, ...] = (
    *_BEREICH,
    *_PLATZHALTER,
    *_PHONETIK,
    *_GEBURT,
    *_ANSCHRIFT,
    *_AKTUALITAET,
    *_FELDER,
    *_KRITERIEN,
    *_ELEMENTE,
    *_UMFANG,
    *_STATUS,
    *_MERKMAL,
    *_GRENZE,
    *_SPERRE,
    *_STELLE,
    *_PROTOKOLL,
)

_ids = [f.id for f in FAELLE]
assert len(set(_ids)) == len(_ids), sorted(i for i in _ids if _ids.count(i) > 1)
assert all(f.regel in REGELN for f in FAELLE)
