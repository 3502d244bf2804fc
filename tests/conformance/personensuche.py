"""Conformance corpus of the Personensuche (1330 → 1331), written from the law.

Each case in :data:`FAELLE` names its rule in its id, groups under ``regel`` (one of
:data:`REGELN`) and cites the paragraph. The register state is a handful of persons (local ids;
the runner gives each case a municipality of its own), the request says who asks (a key of
:data:`ANFRAGENDE`), in which class (``claim``), for which elements and with which search data,
and the expectation says what the signed answer and the § 40 record must show.

Sources: DOMAIN.md §§ 3 and 5 (BMG §§ 3, 34, 34a, 38, 39, 40, 51, 52; BMeldDAV §§ 4, 6, 9, 11
and the Anlage), docs/auskunftssperre.md, code lists in codelists.txt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
from tests.conformance.model import AGS, Anfrage, Erwartet, Fall, Schritt

D = TeilbekanntesDatum.parse
HEUTE = datetime.now(UTC).date()

# -- who asks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anfragende:
    """A registered requester: None = public body, else the security authority's sub-type."""

    untertyp: int | None
    leitung: bool = False  # head of the authority / specially authorised (§ 34a Abs. 6 BMG)
    beauftragt: bool = True  # the operator logs content on its behalf (§ 40 Abs. 3 BMG)
    erlaubte_elemente: frozenset[int] | None = None
    behoerde_gesperrt: bool = False
    nutzer_gesperrt: bool = False


ANFRAGENDE: dict[str, Anfragende] = {
    "oe": Anfragende(None),
    "oe-beschraenkt": Anfragende(None, erlaubte_elemente=frozenset({1, 7, 13, *range(44, 52)})),
    "oe-behoerde-gesperrt": Anfragende(None, behoerde_gesperrt=True),
    "oe-nutzer-gesperrt": Anfragende(None, nutzer_gesperrt=True),
    **{f"sb{n}": Anfragende(n) for n in range(1, 14)},
    **{f"sb{n}-leitung": Anfragende(n, leitung=True) for n in (1, 6, 7, 8, 9)},
    "sb2-eigenes-protokoll": Anfragende(2, beauftragt=False),
}

# -- rules (for the report: cases per rule) ---------------------------------------------------

MINDEST = "Mindestangaben (§ 38 Abs. 1 BMG, BMeldDAV § 4)"
BEREICH = "Suchbereich AGS (§ 38 Abs. 1 BMG, BMeldDAV § 1 Abs. 5; Gründe 14, 22)"
PLATZHALTER = "Platzhalter und Phonetik (BMeldDAV § 4 Abs. 7; Gründe 15, 17)"
ANLAGE = "Abgleich (BMeldDAV Anlage Nr. 4)"
ANTWORT = "Antwort 01: nur angeforderte Daten, Hinweise, Sperrvermerk (§ 34a Abs. 2, § 52 BMG)"
TREFFERLISTE = "Trefferliste 02: nur Daten nach BMeldDAV § 6 (§ 34a Abs. 2 BMG)"
GRENZE = "Trefferliste höchstens 1 000 (Grund 12)"
SPERRE = "Auskunftssperre: neutrale 03 und Aussteuerung (§§ 51, 34a Abs. 5, 38 Abs. 5 BMG)"
ABS6 = "Ausnahme für besonders Ermächtigte (§ 34a Abs. 6 BMG)"
MITTEILUNG = "Code 11: Mitteilungen (§ 34 Abs. 5, § 51 Abs. 3 BMG)"
BERECHTIGUNG = "Datenberechtigung (§ 34 Abs. 1 Satz 1, Abs. 4 Satz 1 BMG; Gründe 03, 07–10)"
MINIMIERUNG = "Datenminimierung je Nutzer (§ 39 Abs. 1 BMG; Grund 17)"
ANGEHOERIGE = "Angehörige und Kinder (§ 3 Abs. 1 Nr. 16, § 51 Abs. 1 BMG)"
MERKMAL = "Identifikationsmerkmal (§ 39 Abs. 2 BMG, BMeldDAV § 9; Grund 01)"
STELLE = "Anfragende Stelle (BMeldDAV § 11; Grund 17) und Zulassung (§ 39 BMG; 0910)"
PROTOKOLL = "Protokoll (§ 40 BMG)"

REGELN = (
    MINDEST,
    BEREICH,
    PLATZHALTER,
    ANLAGE,
    ANTWORT,
    TREFFERLISTE,
    GRENZE,
    SPERRE,
    ABS6,
    MITTEILUNG,
    BERECHTIGUNG,
    MINIMIERUNG,
    ANGEHOERIGE,
    MERKMAL,
    STELLE,
    PROTOKOLL,
)

HAND_OVER = "aussteuerung_1322"
AN_VERANLASSER = "mitteilung_veranlassende_sicherheitsbehoerde"
AN_PERSON = "mitteilung_betroffene_person"

#: Element codes only security authorities may receive (§ 34 Abs. 4 Satz 1 BMG).
NUR_SICHERHEIT = (*range(163, 172), *range(176, 186))
#: Everything a public body may request (§ 34 Abs. 1 Satz 1 BMG): 1–162, 172–175.
OEFFENTLICH = (*range(1, 163), *range(172, 176))

# -- register states --------------------------------------------------------------------------


def adr(strasse: str = "Lister Meile", nummer: str = "3", **extra: Any) -> Anschrift:
    values: dict[str, Any] = {
        "ags": AGS,
        "postleitzahl": "30159",
        "wohnort": "Prüfstadt",
        "strasse": strasse,
        "hausnummer": nummer,
        "wohnungsstatus": "1",
        "einzugsdatum": D("2015-04-01"),
    }
    values.update(extra)
    return Anschrift(**values)


def person(n: int, **extra: Any) -> Person:
    """Lena Prüfmann, born 17 May 1980 in Celle, Lister Meile 3 — unless ``extra`` says else."""
    values: dict[str, Any] = {
        "id": n,
        "ags": AGS,
        "familienname": "Prüfmann",
        "vornamen": ("Lena",),
        "geburtsdatum": D("1980-05-17"),
        "geburtsort": "Celle",
        "geschlecht": "w",
        "staatsangehoerigkeiten": ("DEU",),
        "anschriften": (adr(),),
    }
    values.update(extra)
    return Person(**values)


def voll(n: int, **extra: Any) -> Person:
    """A record holding data of every kind, the restricted ones included."""
    values: dict[str, Any] = {
        "ehename": "Prüfmann",
        "lebenspartnerschaftsname": "Prüfmann-Bode",
        "geburtsname": "Bode",
        "fruehere_familiennamen": ("Carstens",),
        "vornamen": ("Lena", "Marie"),
        "gebraeuchlicher_vorname": "Lena",
        "fruehere_vornamen": ("Magdalena",),
        "doktorgrad": "Dr.",
        "ordensname": "Schwester Benedikta",
        "kuenstlername": "Lola Blau",
        "geburtsstaat": "DEU",
        "familienstand": "VH",
        "anschriften": (
            adr(
                hausnummer_buchstabe="a",
                teilnummer="1",
                frueherer_gemeindename="Altdorf",
                wohnungsnummer="2. OG links",
                zusatzangaben="Hinterhaus",
                wohnungsinhaber="Wohnungsinhaberin Meyer",
            ),
            adr("Nebenweg", "9", wohnungsstatus="2"),
            adr("Alte Gasse", "1", aktuell=False, auszugsdatum=D("2015-03-31")),
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
            Wohnungsgeber("Wohnbau Prüfstadt eG", "Marktplatz 1, 30159 Prüfstadt"),
            Wohnungsgeber("Eigner, Otto", ist_eigentuemer_nicht_wohnungsgeber=True),
        ),
    }
    values.update(extra)
    return person(n, **values)


def gesperrt(n: int, code: str = "3", **extra: Any) -> Person:
    sperre = Auskunftssperre(
        code,
        veranlassende_stelle="LKA Niedersachsen" if code == "11" else None,
        bis=extra.pop("bis", None),
    )
    return person(n, auskunftssperren=(sperre,), **extra)


def kind(geburtsdatum: TeilbekanntesDatum, **extra: Any) -> Angehoeriger:
    values: dict[str, Any] = {
        "art": "kind",
        "familienname": "Prüfmann",
        "vornamen": ("Kimberly",),
        "geburtsdatum": geburtsdatum,
        "geschlecht": "d",
        "anschrift": adr(),
    }
    values.update(extra)
    return Angehoeriger(**values)


def jahre_vor_heute(jahre: int, tage: int = 0) -> TeilbekanntesDatum:
    """The date ``jahre`` years before today, ``tage`` days later (29 Feb → 28 Feb)."""
    try:
        then = HEUTE.replace(year=HEUTE.year - jahre)
    except ValueError:
        then = HEUTE.replace(year=HEUTE.year - jahre, day=28)
    return TeilbekanntesDatum.from_date(then + timedelta(days=tage))


# -- requests ---------------------------------------------------------------------------------

_STANDARD_SUCHE: dict[str, Any] = {
    "familienname": "Prüfmann",
    "vornamen": ("Lena",),
    "geburtsdatum": D("1980-05-17"),
}


def suche(**felder: Any) -> dict[str, Any]:
    """The standard search (Prüfmann, Lena, 17.05.1980) changed by ``felder``; a field set
    to None is left out."""
    values = {**_STANDARD_SUCHE, **felder}
    return {k: v for k, v in values.items() if v is not None}


def nur(**felder: Any) -> dict[str, Any]:
    """Exactly these search data."""
    return dict(felder)


def anfrage(**kw: Any) -> Anfrage:
    kw.setdefault("suche", suche())
    return Anfrage(**kw)


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


def ok(**kw: Any) -> Erwartet:
    return Erwartet(status="01", **kw)


def liste(*treffer: int, **kw: Any) -> Erwartet:
    return Erwartet(status="02", treffer=treffer, **kw)


def neutral(**kw: Any) -> Erwartet:
    return Erwartet(status="03", **kw)


def grund(code: str, **kw: Any) -> Erwartet:
    return Erwartet(grund=code, **kw)


def fault(code: str, **kw: Any) -> Erwartet:
    return Erwartet(ruecksendung=code, **kw)


EINS = (person(1),)

# -- the cases --------------------------------------------------------------------------------

_MINDEST: list[Fall] = [
    fall(
        "mindest-name-vorname-geburtsdatum-01",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 2 b",
        EINS,
        anfrage(),
        ok(vorhanden=(1, 7, 13, 48, 49), gefunden=(1,)),
    ),
    *(
        fall(
            f"mindest-name-vorname-{kriterium}-01",
            MINDEST,
            "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 2 b",
            register,
            anfrage(suche=suche(geburtsdatum=None, **{kriterium: wert})),
            ok(gefunden=(1,)),
        )
        for kriterium, wert, register in (
            ("strasse", "Lister Meile", EINS),
            ("geburtsort", "Celle", EINS),
            ("geschlecht", "w", EINS),
            ("sterbedatum", D("2024-02-03"), (person(1, sterbedatum=D("2024-02-03")),)),
            ("sterbeort", "Hannover", (person(1, sterbedatum=D("2024"), sterbeort="Hannover"),)),
        )
    ),
    fall(
        "mindest-vollstaendige-anschrift-01",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 2 a",
        EINS,
        anfrage(
            suche=suche(
                geburtsdatum=None, postleitzahl="30159", strasse="Lister Meile", hausnummer="3"
            )
        ),
        ok(gefunden=(1,)),
    ),
    fall(
        "mindest-frueherer-familienname-01",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 1 (früherer Name und Vorname)",
        (person(1, familienname="Neumann", fruehere_familiennamen=("Prüfmann",)),),
        anfrage(suche=suche(familienname=None, frueherer_familienname="Prüfmann")),
        ok(gefunden=(1,)),
    ),
    fall(
        "mindest-ordensname-ohne-vorname-01",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 1 (Ordensname)",
        (person(1, ordensname="Schwester Benedikta"),),
        anfrage(suche=nur(ordensname="Schwester Benedikta", geschlecht="w")),
        ok(gefunden=(1,)),
    ),
    fall(
        "mindest-kuenstlername-ohne-vorname-01",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 1 (Künstlername)",
        (person(1, kuenstlername="Lola Blau"),),
        anfrage(suche=nur(kuenstlername="Lola Blau", geburtsdatum=D("1980-05-17"))),
        ok(gefunden=(1,)),
    ),
    fall(
        "mindest-unbekanntes-geburtsdatum-ist-kriterium-01",
        MINDEST,
        "BMeldDAV § 4 Abs. 1; Anlage Nr. 4 (unbekanntes Datum nur zu unbekanntem)",
        (person(1, geburtsdatum=D("")), person(2, vornamen=("Lena", "Anna"))),
        anfrage(suche=suche(geburtsdatum=D(""))),
        ok(gefunden=(1,)),
    ),
    fall(
        "mindest-ohne-vorname-18",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 1",
        EINS,
        anfrage(suche=suche(vornamen=None)),
        grund("18", gefunden=()),
    ),
    fall(
        "mindest-ohne-zweites-kriterium-18",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 2",
        EINS,
        anfrage(suche=suche(geburtsdatum=None)),
        grund("18"),
    ),
    fall(
        "mindest-ohne-familienname-18",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 1",
        EINS,
        anfrage(suche=suche(familienname=None)),
        grund("18"),
    ),
    fall(
        "mindest-plz-und-hausnummer-ohne-strasse-18",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 Nr. 2 a (Anschrift nur vollständig)",
        EINS,
        anfrage(suche=suche(geburtsdatum=None, postleitzahl="30159", hausnummer="3")),
        grund("18"),
    ),
    fall(
        "mindest-name-leer-nach-normalisierung-18",
        MINDEST,
        "BMeldDAV Anlage Nr. 4 (leer nach Normalisierung = nicht angegeben); § 38 Abs. 1 BMG",
        EINS,
        anfrage(suche=suche(familienname="-.-")),
        grund("18"),
    ),
    fall(
        "mindest-azr-nummer-ohne-mindestangaben-24",
        MINDEST,
        "§ 38 Abs. 1 Satz 2 BMG; BMeldDAV § 4 Abs. 1 Satz 2",
        (person(1, azr_nummer="123456789012"),),
        anfrage(suche=suche(geburtsdatum=None, azr_nummer="123456789012")),
        grund("24"),
    ),
    fall(
        "mindest-azr-nummer-allein-24",
        MINDEST,
        "§ 38 Abs. 1 Satz 2 BMG; BMeldDAV § 4 Abs. 1 Satz 2",
        (person(1, azr_nummer="123456789012"),),
        anfrage(suche=nur(azr_nummer="123456789012")),
        grund("24"),
    ),
    fall(
        "mindest-azr-nummer-als-zusatz-01",
        MINDEST,
        "§ 38 Abs. 1 Satz 2 BMG (AZR-Nummer als zusätzliches Kriterium)",
        (person(1, azr_nummer="123456789012"), person(2, vornamen=("Lena", "Anna"))),
        anfrage(suche=suche(azr_nummer="123456789012")),
        ok(gefunden=(1,)),
    ),
    fall(
        "mindest-azr-nummer-als-zusatz-wird-verwendet-03",
        MINDEST,
        "BMeldDAV § 4: alle angegebenen Kriterien werden verwendet",
        (person(1, azr_nummer="123456789012"),),
        anfrage(suche=suche(azr_nummer="999999999999")),
        neutral(gefunden=()),
    ),
    fall(
        "mindest-doktorgrad-ist-kein-kriterium-17",
        MINDEST,
        "§ 38 Abs. 1 BMG; BMeldDAV § 4 Abs. 1 (abschließend; Doktorgrad nur freie Suche § 7)",
        (person(1, doktorgrad="Dr."),),
        anfrage(suche=suche(doktorgrad="Dr.")),
        grund("17"),
    ),
]

_BEREICH: list[Fall] = [
    fall(
        "bereich-ags-ungleich-leser-14",
        BEREICH,
        "BMeldDAV § 1 Abs. 5, Anlage Nr. 2; Grund 14",
        EINS,
        anfrage(leser="03241001"),
        grund("14"),
    ),
    fall(
        "bereich-ags-ausserhalb-niedersachsens-an-nds-leser-14",
        BEREICH,
        "Grund 14 vor 22 (Reihenfolge der Codeliste)",
        EINS,
        anfrage(suche=suche(ags="05315000"), leser=AGS),
        grund("14"),
    ),
    fall(
        "bereich-gemeinde-nicht-im-spiegel-22",
        BEREICH,
        "§ 38 Abs. 1 BMG; Grund 22 (Suchbereich nicht im Zuständigkeitsbereich)",
        EINS,
        anfrage(suche=suche(ags="03989999")),
        grund("22"),
    ),
    fall(
        "bereich-leser-ausserhalb-niedersachsens-t080",
        BEREICH,
        "DOMAIN.md § 2: der Spiegel antwortet im Namen einer niedersächsischen Gemeinde; T080",
        EINS,
        anfrage(suche=suche(ags="05315000")),
        fault("T080"),
    ),
]

_PLATZHALTER: list[Fall] = [
    *(
        fall(
            f"platzhalter-{feld}-17",
            PLATZHALTER,
            "BMeldDAV § 4 Abs. 7 (keine Platzhalter; abgelehnt, nie entfernt)",
            EINS,
            anfrage(suche=suche(**{feld: wert})),
            grund("17"),
        )
        for feld, wert in (
            ("familienname", "Prüf*"),
            ("vornamen", ("L?na",)),
            ("strasse", "Lister*"),
            ("geburtsort", "Cel?e"),
        )
    ),
    fall(
        "platzhalter-bei-phonetischer-suche-15",
        PLATZHALTER,
        "BMeldDAV § 4 Abs. 7; Grund 15",
        EINS,
        anfrage(suche=suche(familienname="Prüf*", phonetisch=True)),
        grund("15"),
    ),
    fall(
        "phonetik-findet-schreibvariante-01",
        PLATZHALTER,
        "§ 38 Abs. 1 BMG (phonetische Suche, Kölner Phonetik über den ganzen Namen)",
        (person(1, familienname="Meyer"),),
        anfrage(suche=suche(familienname="Maier", phonetisch=True)),
        ok(gefunden=(1,)),
    ),
    fall(
        "phonetik-ausschliesslich-phonetisch-02",
        PLATZHALTER,
        "§ 38 Abs. 1 BMG: mit phonetischer Suche wird nur phonetisch abgeglichen",
        (
            person(1, familienname="Meyer"),
            person(2, familienname="Maier", vornamen=("Lena", "Anna")),
        ),
        anfrage(suche=suche(familienname="Mayr", phonetisch=True)),
        liste(1, 2),
    ),
    fall(
        "ohne-phonetik-keine-schreibvariante-03",
        PLATZHALTER,
        "BMeldDAV Anlage Nr. 4 (exakter Abgleich); keine Platzhalter, keine Ähnlichkeit",
        (person(1, familienname="Meyer"),),
        anfrage(suche=suche(familienname="Maier")),
        neutral(gefunden=()),
    ),
]

_ANLAGE: list[Fall] = [
    fall(
        "abgleich-umlaut-und-ss-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (DIN 91379 Tabelle 9: ü→UE)",
        EINS,
        anfrage(suche=suche(familienname="PRUEFMANN", vornamen=("lena",))),
        ok(),
    ),
    fall(
        "abgleich-strasse-abgekuerzt-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (STR→STRASSE; Trennzeichen entfallen)",
        (person(1, anschriften=(adr("Lange Straße"),)),),
        anfrage(suche=suche(geburtsdatum=None, strasse="Lange-Str.")),
        ok(),
    ),
    fall(
        "abgleich-strasse-unbekannt-02",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4; Grund 02 (Straße im Melderegister nicht gefunden)",
        EINS,
        anfrage(suche=suche(strasse="Gibtsnichtweg")),
        grund("02"),
    ),
    fall(
        "abgleich-strasse-leer-nach-normalisierung-kein-02",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (leeres Feld = nicht angegeben, nicht unbekannt)",
        EINS,
        anfrage(suche=suche(strasse="--")),
        ok(),
    ),
    fall(
        "abgleich-vorname-bindestrich-zusammen-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (Karl-Heinz = Karlheinz)",
        (person(1, vornamen=("Karl-Heinz",)),),
        anfrage(suche=suche(vornamen=("Karlheinz",))),
        ok(),
    ),
    fall(
        "abgleich-vornamen-reihenfolge-egal-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (Reihenfolge der Vornamen unerheblich)",
        (person(1, vornamen=("Lena", "Marie")),),
        anfrage(suche=suche(vornamen=("Marie Lena",))),
        ok(),
    ),
    fall(
        "abgleich-jeder-vorname-muss-passen-03",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (jeder angegebene Vorname muss vorkommen)",
        EINS,
        anfrage(suche=suche(vornamen=("Lena Sophie",))),
        neutral(gefunden=()),
    ),
    fall(
        "abgleich-alle-kriterien-hausnummer-03",
        ANLAGE,
        "BMeldDAV § 4: alle angegebenen Kriterien werden verwendet",
        EINS,
        anfrage(suche=suche(strasse="Lister Meile", hausnummer="4")),
        neutral(gefunden=()),
    ),
    fall(
        "abgleich-teilbekanntes-datum-nur-gleiches-03",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (05/1980 trifft nur 05/1980)",
        EINS,
        anfrage(suche=suche(geburtsdatum=D("1980-05"))),
        neutral(gefunden=()),
    ),
    fall(
        "abgleich-teilbekanntes-datum-gleiches-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4",
        (person(1, geburtsdatum=D("1980-05")),),
        anfrage(suche=suche(geburtsdatum=D("1980-05"))),
        ok(),
    ),
    fall(
        "abgleich-fruehere-geburtsdaten-zaehlen-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (frühere Geburtsdaten)",
        (person(1, fruehere_geburtsdaten=(D("1980-06-17"),)),),
        anfrage(suche=suche(geburtsdatum=D("1980-06-17"))),
        ok(),
    ),
    fall(
        "abgleich-geburtsname-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (Geburtsname)",
        (person(1, familienname="Neumann", geburtsname="Prüfmann"),),
        anfrage(),
        ok(),
    ),
    fall(
        "abgleich-ehename-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (Ehename)",
        (person(1, familienname="Bode", ehename="Prüfmann"),),
        anfrage(),
        ok(),
    ),
    fall(
        "abgleich-frueherer-vorname-01",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (frühere Vornamen)",
        (person(1, vornamen=("Lea",), fruehere_vornamen=("Lena",)),),
        anfrage(),
        ok(),
    ),
    fall(
        "abgleich-nachname-ganzer-string-03",
        ANLAGE,
        "BMeldDAV Anlage Nr. 4 (Familienname ganz, kein Teilstring)",
        (person(1, familienname="Prüfmann-Bode"),),
        anfrage(),
        neutral(gefunden=()),
    ),
]

_ANTWORT: list[Fall] = [
    fall(
        "antwort-nur-angeforderte-elemente",
        ANTWORT,
        "§ 34a Abs. 2 BMG (genau die angeforderten Daten — nie mehr)",
        (voll(1),),
        anfrage(elemente=(1,)),
        ok(
            vorhanden=(1,),
            fehlend=(2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 15, 19, 41, 44, 48),
            offengelegt={1: (1,)},
            nicht_im_text=("Celle", "Lister Meile", "Dr."),
        ),
    ),
    fall(
        "antwort-nicht-gehaltenes-fehlt-und-nicht-protokolliert",
        ANTWORT,
        "§ 34a Abs. 2 BMG; § 40 Abs. 1 Nr. 2 BMG (übermittelt ist, was geschrieben wurde)",
        EINS,
        anfrage(elemente=(1, 10, 11, 12)),
        ok(vorhanden=(1,), fehlend=(10, 11, 12), offengelegt={1: (1,)}),
    ),
    fall(
        "antwort-alle-namen-und-anschrift-teile",
        ANTWORT,
        "§ 34 Abs. 1 Satz 1 Nr. 1–5, 12 BMG",
        (voll(1),),
        anfrage(elemente=(1, 2, 3, 4, 5, 7, 8, 10, 11, 12, *range(43, 56), 74)),
        ok(
            vorhanden=(1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 44, 45, 46, 47, 48, 49, 50, 51, 52),
            fehlend=(13, 15, 163, 184),
        ),
    ),
    fall(
        "antwort-alles-oeffentliche-ohne-sicherheitsdaten",
        ANTWORT,
        "§ 34 Abs. 1 Satz 1 BMG (1–162, 172–175): nichts aus 163–171, 176–185",
        (voll(1),),
        anfrage(elemente=OEFFENTLICH),
        ok(vorhanden=(1, 13, 15, 48, 62), fehlend=NUR_SICHERHEIT),
    ),
    fall(
        "antwort-sperrvermerk-flag-an-jeder-anschrift",
        ANTWORT,
        "§ 52 BMG (bedingter Sperrvermerk sperrt nie, wird mit jeder Anschrift gesendet)",
        (
            person(
                1,
                anschriften=(
                    adr(bedingter_sperrvermerk=True),
                    adr("Nebenweg", "9", wohnungsstatus="2"),
                ),
            ),
        ),
        anfrage(elemente=(1, 48)),
        ok(sperrvermerk=(True, False), gefunden=(1,)),
    ),
    fall(
        "antwort-sperrvermerk-flag-auch-false",
        ANTWORT,
        "§ 52 BMG; DOMAIN.md § 3 (immer hinzugefügt)",
        EINS,
        anfrage(elemente=(1, 48)),
        ok(sperrvermerk=(False,)),
    ),
    fall(
        "antwort-sperrvermerk-sperrt-nie-keine-aussteuerung",
        ANTWORT,
        "§ 52 BMG (keine Auskunftssperre, keine manuelle Bearbeitung)",
        (person(1, anschriften=(adr(bedingter_sperrvermerk=True),)),),
        anfrage(),
        ok(sperrvermerk=(True,), folgen=()),
    ),
    fall(
        "antwort-hinweis-verstorben-ohne-anforderung",
        ANTWORT,
        "DOMAIN.md § 3 (verstorben wird immer mitgeteilt)",
        (person(1, sterbedatum=D("2024-02-03")),),
        anfrage(elemente=(1,)),
        ok(hinweise={"verstorben": True}, fehlend=(172,)),
    ),
    fall(
        "antwort-hinweis-ins-ausland-verzogen",
        ANTWORT,
        "DOMAIN.md § 3 (ins Ausland verzogen)",
        (
            person(
                1,
                anschriften=(adr(aktuell=False, auszugsdatum=D("2023-01-01")),),
                wegzug_ausland_staat="AUT",
            ),
        ),
        anfrage(elemente=(1,)),
        ok(hinweise={"verzogenAusland": True, "verzogenUnbekannt": False, "verstorben": False}),
    ),
    fall(
        "antwort-hinweis-inland-verzogen",
        ANTWORT,
        "DOMAIN.md § 3 (innerhalb Deutschlands verzogen)",
        (person(1, anschriften=(adr(aktuell=False),), wegzug_inland=True),),
        anfrage(elemente=(1,)),
        ok(hinweise={"verzogenInland": True, "verzogenUnbekannt": False}),
    ),
    fall(
        "antwort-hinweis-unbekannt-verzogen",
        ANTWORT,
        "DOMAIN.md § 3 (nach unbekannt verzogen)",
        (person(1, anschriften=(adr(aktuell=False),)),),
        anfrage(elemente=(1,)),
        ok(hinweise={"verzogenUnbekannt": True, "verzogenInland": False}),
    ),
    fall(
        "antwort-hinweis-verringerter-datenumfang",
        ANTWORT,
        "§ 13 Abs. 2 BMG; DOMAIN.md § 3",
        (person(1, verringerter_datenumfang=True),),
        anfrage(elemente=(1,)),
        ok(hinweise={"verringerterDatenumfang": True, "verstorben": False}),
    ),
    fall(
        "antwort-hinweise-alle-false",
        ANTWORT,
        "DOMAIN.md § 3",
        EINS,
        anfrage(elemente=(1,)),
        ok(
            hinweise={
                "verzogenInland": False,
                "verzogenUnbekannt": False,
                "verzogenAusland": False,
                "verstorben": False,
                "verringerterDatenumfang": False,
            }
        ),
    ),
    fall(
        "antwort-sterbedaten-fuer-oeffentliche-stelle",
        ANTWORT,
        "§ 34 Abs. 1 Satz 1 BMG (172–175)",
        (person(1, sterbedatum=D("2024-02-03"), sterbeort="Hannover", sterbestaat="DEU"),),
        anfrage(elemente=(1, 172, 174, 175)),
        ok(vorhanden=(172, 174, 175)),
    ),
    fall(
        "antwort-unbekannte-anschrift",
        ANTWORT,
        "§ 34 Abs. 1 Satz 1 BMG (aktuelle Anschrift – unbekannt, DSMeld 1200)",
        (person(1, anschriften=()),),
        anfrage(elemente=(1, 43, 48)),
        ok(vorhanden=(43,), fehlend=(48,)),
    ),
]

_TREFFERLISTE: list[Fall] = [
    fall(
        "trefferliste-zwei-namensgleiche",
        TREFFERLISTE,
        "§ 34a Abs. 2 BMG; Ergebnisstatus 02",
        (person(1), person(2, vornamen=("Lena", "Anna"), anschriften=(adr(nummer="5"),))),
        anfrage(),
        liste(1, 2, gefunden=(1, 2)),
    ),
    fall(
        "trefferliste-nur-paragraph-6-daten-was-auch-angefordert",
        TREFFERLISTE,
        "BMeldDAV § 6 (nie Wohnungsnummer, Zusatzangaben, Wohnungsinhaber; keine weiteren Daten)",
        (voll(1), voll(2, vornamen=("Lena", "Anna"))),
        anfrage(elemente=OEFFENTLICH),
        liste(
            1,
            2,
            nicht_im_text=(
                "2. OG links",
                "Hinterhaus",
                "Wohnungsinhaberin Meyer",
                "Dr.",
                "Celle",
                "Nebenweg",
                "Alte Gasse",
                "Schwester Benedikta",
                "Lola Blau",
                "L01X00T47",
                "Wohnbau",
            ),
        ),
    ),
    fall(
        "trefferliste-mit-allen-namen-nach-paragraph-6",
        TREFFERLISTE,
        "BMeldDAV § 6 (Ehe-, Lebenspartnerschafts-, Geburts- und frühere Namen, frühere Vornamen)",
        (voll(1), voll(2, vornamen=("Lena", "Anna"))),
        anfrage(elemente=(1,)),
        liste(
            1,
            2,
            offengelegt={
                1: (1, 2, 3, 4, 5, 7, 8, 13, 44, 45, 46, 47, 48, 49, 50, 51),
                2: (1, 2, 3, 4, 5, 7, 8, 13, 44, 45, 46, 47, 48, 49, 50, 51),
            },
        ),
    ),
    fall(
        "trefferliste-nur-hauptwohnung",
        TREFFERLISTE,
        "BMeldDAV § 6 (von der aktuellen Anschrift nur die Hauptwohnung)",
        (
            person(1, anschriften=(adr("Nebenweg", "9", wohnungsstatus="2"), adr())),
            person(2, vornamen=("Lena", "Anna")),
        ),
        anfrage(),
        liste(1, 2, nicht_im_text=("Nebenweg",)),
    ),
    fall(
        "trefferliste-ohne-hauptwohnung-ohne-anschrift",
        TREFFERLISTE,
        "BMeldDAV § 6",
        (person(1, anschriften=()), person(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2, offengelegt={1: (1, 7, 13), 2: (1, 7, 13, 44, 45, 46, 48, 49)}),
    ),
    fall(
        "trefferliste-hinweise-verstorben",
        TREFFERLISTE,
        "DOMAIN.md § 3 (die Tatsachen auch in der Trefferliste)",
        (
            person(1, sterbedatum=D("2024-02-03")),
            person(2, vornamen=("Lena", "Anna"), sterbedatum=D("2023")),
        ),
        anfrage(),
        liste(1, 2, hinweise={"verstorben": True}),
    ),
    fall(
        "trefferliste-sperrvermerk-flag",
        TREFFERLISTE,
        "§ 52 BMG (Flag an der Anschrift auch in der Trefferliste)",
        (
            person(1, anschriften=(adr(bedingter_sperrvermerk=True),)),
            person(2, vornamen=("Lena", "Anna"), anschriften=(adr(bedingter_sperrvermerk=True),)),
        ),
        anfrage(),
        liste(1, 2, sperrvermerk=(True, True)),
    ),
    fall(
        "trefferliste-widerspruch-ist-keine-sperre",
        TREFFERLISTE,
        "§ 50 BMG: Übermittlungssperren (Code 2, 5, 7, 10, 13) sperren keinen Abruf",
        (person(1), gesperrt(2, "7", vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
    ),
]


def _tausend(anzahl: int) -> tuple[Person, ...]:
    return tuple(
        person(n, vornamen=("Lena",), anschriften=(adr(nummer=str(n)),))
        for n in range(1, anzahl + 1)
    )


_GRENZE: list[Fall] = [
    fall(
        "trefferliste-genau-1000-vollstaendig",
        GRENZE,
        "§ 34a Abs. 2 BMG; Grund 12 (höchstens 1 000 — keine niedrigere Grenze, kein Kürzen)",
        _tausend(1000),
        anfrage(),
        liste(*range(1, 1001)),
    ),
    fall(
        "trefferliste-1001-12",
        GRENZE,
        "Grund 12 (mehr als 1 000 Treffer)",
        _tausend(1001),
        anfrage(),
        grund("12"),
    ),
]

_SPERRE: list[Fall] = [
    *(
        fall(
            f"sperre-code-{code}-einziger-treffer-03",
            SPERRE,
            "§ 51 Abs. 1, 5 BMG; § 34a Abs. 5 BMG (neutrale Antwort, manuelle Bearbeitung)",
            (gesperrt(1, code),),
            anfrage(),
            neutral(
                gefunden=(1,),
                zurueckgehalten=(1,),
                offengelegt={},
                folgen=(HAND_OVER,),
                nicht_im_text=("Prüfmann", "Lister Meile"),
            ),
        )
        for code in ("1", "3", "6", "12")
    ),
    *(
        fall(
            f"widerspruch-code-{code}-sperrt-nicht-01",
            SPERRE,
            "§ 50, § 42 Abs. 3, § 36 Abs. 2 BMG: Übermittlungssperre, keine Auskunftssperre",
            (gesperrt(1, code),),
            anfrage(),
            ok(gefunden=(1,), zurueckgehalten=(), folgen=()),
        )
        for code in ("2", "5", "7", "10", "13")
    ),
    fall(
        "sperre-abgelaufen-gestern-01",
        SPERRE,
        "§ 51 Abs. 4 BMG (befristete Sperre endet)",
        (gesperrt(1, "3", bis=HEUTE - timedelta(days=1)),),
        anfrage(),
        ok(folgen=()),
    ),
    fall(
        "sperre-endet-heute-gilt-noch-03",
        SPERRE,
        "§ 51 Abs. 4 BMG (gilt bis einschließlich des Enddatums)",
        (gesperrt(1, "3", bis=HEUTE),),
        anfrage(),
        neutral(zurueckgehalten=(1,), folgen=(HAND_OVER,)),
    ),
    fall(
        "sperre-mehrere-treffer-einer-gesperrt-03",
        SPERRE,
        "§ 34a Abs. 5 BMG (keine verkürzte Trefferliste)",
        (person(1), gesperrt(2, vornamen=("Lena", "Anna")), person(3, vornamen=("Lena", "Ida"))),
        anfrage(),
        neutral(
            gefunden=(1, 2, 3),
            zurueckgehalten=(2,),
            offengelegt={},
            folgen=(HAND_OVER,),
            nicht_im_text=("Prüfmann", "trefferliste", "Ida"),
        ),
    ),
    fall(
        "sperre-mehrere-treffer-alle-gesperrt-je-aussteuerung",
        SPERRE,
        "§ 34a Abs. 5 BMG (je gesperrter Person eine Aussteuerung)",
        (gesperrt(1), gesperrt(2, "12", vornamen=("Lena", "Anna"))),
        anfrage(),
        neutral(gefunden=(1, 2), zurueckgehalten=(1, 2), folgen=(HAND_OVER, HAND_OVER)),
    ),
    fall(
        "sperre-verzicht-keine-aussteuerung",
        SPERRE,
        "§ 38 Abs. 5 BMG (verzichtAufMitteilung)",
        (gesperrt(1),),
        anfrage(verzicht=True),
        neutral(zurueckgehalten=(1,), folgen=()),
    ),
    fall(
        "sperre-mehrere-verzicht-keine-aussteuerung",
        SPERRE,
        "§ 38 Abs. 5 BMG; § 34a Abs. 5 BMG",
        (person(1), gesperrt(2, vornamen=("Lena", "Anna"))),
        anfrage(verzicht=True),
        neutral(gefunden=(1, 2), zurueckgehalten=(2,), folgen=()),
    ),
    fall(
        "sperre-nicht-gefundene-gesperrte-person-aendert-nichts",
        SPERRE,
        "§ 34a Abs. 5 BMG: eine nicht getroffene gesperrte Person bleibt ohne Folgen",
        (person(1), gesperrt(2, vornamen=("Anna",))),
        anfrage(),
        ok(gefunden=(1,), zurueckgehalten=(), folgen=()),
    ),
    fall(
        "sperre-polizei-sachbearbeitung-03",
        SPERRE,
        "§ 34a Abs. 6 BMG nur über Leitung oder besonders Ermächtigte",
        (gesperrt(1),),
        anfrage(wer="sb1"),
        neutral(zurueckgehalten=(1,), folgen=(HAND_OVER,), sicherheitsbehoerde=True),
    ),
    *(
        fall(
            f"sperre-untertyp-{n}-keine-ausnahme-03",
            SPERRE,
            "§ 34a Abs. 6 BMG gilt nur für Nr. 1, 6–9",
            (gesperrt(1),),
            anfrage(wer=f"sb{n}"),
            neutral(zurueckgehalten=(1,), folgen=(HAND_OVER,), sicherheitsbehoerde=True),
        )
        for n in (2, 4, 5, 11, 13)
    ),
    fall(
        "sperre-hand-over-nennt-alle-treffer",
        SPERRE,
        "§ 34a Abs. 5 BMG (die Gemeinde beantwortet die ganze Anfrage)",
        (person(1), gesperrt(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        neutral(gefunden=(1, 2), zurueckgehalten=(2,), folgen=(HAND_OVER,)),
    ),
]

_ABS6: list[Fall] = [
    *(
        fall(
            f"ausnahme-untertyp-{n}-leitung-code-3-01",
            ABS6,
            "§ 34a Abs. 6 BMG (Nr. 1, 6–9; Sperre nicht von einer Sicherheitsbehörde veranlasst)",
            (gesperrt(1),),
            anfrage(wer=f"sb{n}-leitung"),
            ok(
                gefunden=(1,),
                zurueckgehalten=(),
                offengelegt={1: (1, 7, 13, 44, 45, 46, 48, 49)},
                folgen=(),
                sicherheitsbehoerde=True,
            ),
        )
        for n in (1, 6, 7, 8, 9)
    ),
    *(
        fall(
            f"ausnahme-polizei-leitung-code-{code}-01",
            ABS6,
            "§ 34a Abs. 6 BMG (jede nicht von einer Sicherheitsbehörde veranlasste Sperre)",
            (gesperrt(1, code),),
            anfrage(wer="sb1-leitung"),
            ok(folgen=()),
        )
        for code in ("1", "6", "12")
    ),
    fall(
        "ausnahme-polizei-leitung-code-11-03",
        ABS6,
        "§ 34a Abs. 6 BMG (nicht bei Veranlassung durch eine Sicherheitsbehörde)",
        (gesperrt(1, "11"),),
        anfrage(wer="sb1-leitung"),
        neutral(zurueckgehalten=(1,), folgen=(HAND_OVER, AN_VERANLASSER)),
    ),
    fall(
        "ausnahme-polizei-leitung-code-3-und-11-03",
        ABS6,
        "§ 34a Abs. 6 BMG (eine Code-11-Sperre hält gegen jeden)",
        (
            person(
                1,
                auskunftssperren=(
                    Auskunftssperre("3"),
                    Auskunftssperre("11", veranlassende_stelle="BKA"),
                ),
            ),
        ),
        anfrage(wer="sb1-leitung"),
        neutral(zurueckgehalten=(1,), folgen=(HAND_OVER, AN_VERANLASSER)),
    ),
    fall(
        "ausnahme-polizei-leitung-volle-trefferliste-02",
        ABS6,
        "§ 34a Abs. 6 BMG (die gesperrte Person wird gelistet)",
        (person(1), gesperrt(2, vornamen=("Lena", "Anna"))),
        anfrage(wer="sb1-leitung"),
        liste(1, 2, zurueckgehalten=(), folgen=()),
    ),
    fall(
        "ausnahme-polizei-leitung-liste-mit-code-11-03",
        ABS6,
        "§ 34a Abs. 5, 6 BMG",
        (person(1), gesperrt(2, "11", vornamen=("Lena", "Anna"))),
        anfrage(wer="sb1-leitung"),
        neutral(zurueckgehalten=(2,), folgen=(HAND_OVER, AN_VERANLASSER)),
    ),
    fall(
        "ausnahme-verfassungsschutz-sachbearbeitung-03",
        ABS6,
        "§ 34a Abs. 6 BMG (nur Leitung oder besonders Ermächtigte)",
        (gesperrt(1),),
        anfrage(wer="sb6"),
        neutral(zurueckgehalten=(1,), folgen=(HAND_OVER,)),
    ),
]


def _code11(wer: str, claim: bool | None, folgen: tuple[str, ...], sb: bool) -> Erwartet:
    return neutral(
        gefunden=(1,),
        zurueckgehalten=(1,),
        folgen=folgen,
        sicherheitsbehoerde=sb,
    )


_MITTEILUNG: list[Fall] = [
    *(
        fall(
            f"code-11-{wer}{'' if claim is None else '-claim-' + str(claim).lower()}-"
            f"{'person-informiert' if AN_PERSON in folgen else 'person-nicht-informiert'}",
            MITTEILUNG,
            "§ 34 Abs. 5 BMG (Nr. 1–4, 6–9, 11 befreit); § 51 Abs. 3 BMG",
            (gesperrt(1, "11"),),
            anfrage(wer=wer, claim=claim),
            _code11(wer, claim, folgen, sb),
        )
        for wer, claim, folgen, sb in (
            ("oe", None, (HAND_OVER, AN_VERANLASSER, AN_PERSON), False),
            ("sb1", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb2", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb3", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb4", True, (HAND_OVER, AN_VERANLASSER), True),
            ("sb4", False, (HAND_OVER, AN_VERANLASSER, AN_PERSON), False),
            ("sb5", None, (HAND_OVER, AN_VERANLASSER, AN_PERSON), True),
            ("sb6", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb7-leitung", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb8-leitung", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb9", None, (HAND_OVER, AN_VERANLASSER), True),
            ("sb10", None, (HAND_OVER, AN_VERANLASSER, AN_PERSON), True),
            ("sb11", True, (HAND_OVER, AN_VERANLASSER), True),
            ("sb11", False, (HAND_OVER, AN_VERANLASSER, AN_PERSON), False),
            ("sb12", None, (HAND_OVER, AN_VERANLASSER, AN_PERSON), True),
            ("sb13", True, (HAND_OVER, AN_VERANLASSER, AN_PERSON), True),
            ("sb13", False, (HAND_OVER, AN_VERANLASSER, AN_PERSON), False),
        )
    ),
    fall(
        "code-11-verzicht-veranlasser-und-person-trotzdem",
        MITTEILUNG,
        "§ 38 Abs. 5 Satz 2 BMG (Mitteilung auch bei Verzicht); § 34 Abs. 5 BMG",
        (gesperrt(1, "11"),),
        anfrage(verzicht=True),
        neutral(zurueckgehalten=(1,), folgen=(AN_VERANLASSER, AN_PERSON)),
    ),
    fall(
        "code-11-polizei-verzicht-nur-veranlasser",
        MITTEILUNG,
        "§ 38 Abs. 5 Satz 2 BMG; § 34 Abs. 5 BMG",
        (gesperrt(1, "11"),),
        anfrage(wer="sb1", verzicht=True),
        neutral(zurueckgehalten=(1,), folgen=(AN_VERANLASSER,)),
    ),
    fall(
        "code-11-abgelaufen-keine-mitteilung-01",
        MITTEILUNG,
        "§ 51 Abs. 4 BMG (abgelaufene Sperre)",
        (gesperrt(1, "11", bis=HEUTE - timedelta(days=1)),),
        anfrage(),
        ok(folgen=()),
    ),
    fall(
        "code-11-in-mehreren-treffern",
        MITTEILUNG,
        "§ 34a Abs. 5 BMG; § 34 Abs. 5 BMG",
        (person(1), gesperrt(2, "11", vornamen=("Lena", "Anna"))),
        anfrage(),
        neutral(
            gefunden=(1, 2), zurueckgehalten=(2,), folgen=(HAND_OVER, AN_VERANLASSER, AN_PERSON)
        ),
    ),
]

_BERECHTIGUNG: list[Fall] = [
    fall(
        "oeffentliche-stelle-behauptet-sicherheitsbehoerde-03",
        BERECHTIGUNG,
        "§ 34 Abs. 4 Satz 1 BMG (Klasse aus der Registrierung); Grund 03",
        EINS,
        anfrage(claim=True),
        grund("03", sicherheitsbehoerde=False),
    ),
    *(
        fall(
            f"oeffentliche-stelle-element-{code}-{erwartet}",
            BERECHTIGUNG,
            f"§ 34 Abs. 1 Satz 1, Abs. 4 Satz 1 BMG; Grund {erwartet}",
            (voll(1),),
            anfrage(elemente=(1, code)),
            grund(erwartet, nicht_im_text=("L01X00T47", "Waffenbehörde", "Wohnbau")),
        )
        for code, erwartet in (
            (163, "07"),
            (167, "07"),
            (171, "07"),
            (176, "08"),
            (177, "08"),
            (178, "09"),
            (181, "09"),
            (183, "09"),
            (184, "10"),
            (185, "10"),
        )
    ),
    fall(
        "oeffentliche-stelle-mehrere-gruppen-erste-gruende-07",
        BERECHTIGUNG,
        "§ 34 Abs. 4 Satz 1 BMG; Reihenfolge der Gruppen 07, 08, 09, 10",
        (voll(1),),
        anfrage(elemente=(1, 184, 178, 163)),
        grund("07"),
    ),
    fall(
        "oeffentliche-stelle-kind-sterbedatum-erlaubt",
        BERECHTIGUNG,
        "§ 34 Abs. 1 Satz 1 BMG (bis 162 erlaubt)",
        (person(1, angehoerige=(kind(jahre_vor_heute(10), sterbedatum=D("2020")),)),),
        anfrage(elemente=(1, 162)),
        ok(vorhanden=(162,)),
    ),
    fall(
        "polizei-ausweisdaten-01",
        BERECHTIGUNG,
        "§ 34 Abs. 4 Satz 1 BMG (Sicherheitsbehörden: 163–171)",
        (voll(1),),
        anfrage(wer="sb1", elemente=(1, *range(163, 172))),
        ok(vorhanden=(163, 164, 165, 166, 167, 168, 169, 170, 171), sicherheitsbehoerde=True),
    ),
    fall(
        "polizei-pass-waffen-wohnungsgeber-01",
        BERECHTIGUNG,
        "§ 34 Abs. 4 Satz 1 BMG (176–185)",
        (voll(1),),
        anfrage(wer="sb1", elemente=(1, *range(176, 186))),
        ok(vorhanden=(176, 177, 178, 179, 180, 181, 182, 183, 184, 185)),
    ),
    *(
        fall(
            f"untertyp-{n}-element-{code}-01",
            BERECHTIGUNG,
            "§ 34 Abs. 4 Satz 1 BMG (jeder Untertyp ist Sicherheitsbehörde)",
            (voll(1),),
            anfrage(wer=f"sb{n}", elemente=(1, code)),
            ok(vorhanden=(code,), sicherheitsbehoerde=True),
        )
        for n, code in ((2, 178), (3, 176), (5, 163), (6, 184), (10, 184), (12, 180))
    ),
    *(
        fall(
            f"untertyp-{n}-claim-{str(claim).lower()}-element-{code}-{'01' if claim else erwartet}",
            BERECHTIGUNG,
            "§ 34 Abs. 4 Satz 1 Nr. 4, 11, 13 BMG („soweit“: mit false eine öffentliche Stelle)",
            (voll(1),),
            anfrage(wer=f"sb{n}", claim=claim, elemente=(1, code)),
            ok(vorhanden=(code,), sicherheitsbehoerde=True)
            if claim
            else grund(erwartet, sicherheitsbehoerde=False),
        )
        for n, code, erwartet in ((4, 163, "07"), (11, 184, "10"), (13, 176, "08"))
        for claim in (True, False)
    ),
    fall(
        "polizei-claim-false-bleibt-sicherheitsbehoerde",
        BERECHTIGUNG,
        "§ 34 Abs. 4 Satz 1 Nr. 1 BMG (Klasse aus der Registrierung)",
        (voll(1),),
        anfrage(wer="sb1", claim=False, elemente=(1, 163)),
        ok(vorhanden=(163,), sicherheitsbehoerde=True),
    ),
    fall(
        "verfassungsschutz-claim-false-bleibt-sicherheitsbehoerde",
        BERECHTIGUNG,
        "§ 34 Abs. 4 Satz 1 Nr. 6 BMG (kein „soweit“)",
        (voll(1),),
        anfrage(wer="sb6", claim=False, elemente=(1, 178)),
        ok(vorhanden=(178,), sicherheitsbehoerde=True),
    ),
]

_MINIMIERUNG: list[Fall] = [
    fall(
        "nutzer-beschraenkt-innerhalb-01",
        MINIMIERUNG,
        "§ 39 Abs. 1 BMG (Beschränkung durch die Behörde)",
        EINS,
        anfrage(wer="oe-beschraenkt", elemente=(1, 7, 13)),
        ok(vorhanden=(1, 7, 13)),
    ),
    fall(
        "nutzer-beschraenkt-ausserhalb-17",
        MINIMIERUNG,
        "§ 39 Abs. 1 BMG; Grund 17",
        (voll(1),),
        anfrage(wer="oe-beschraenkt", elemente=(1, 10)),
        grund("17", nicht_im_text=("Dr.",)),
    ),
    fall(
        "unbekanntes-anforderungselement-x011",
        MINIMIERUNG,
        "Code.Datenabruf.Personensuche.Anforderungselement 1–185; 0910 X011 (ungültiger Code)",
        EINS,
        anfrage(elemente=(1, 186)),
        fault("X011"),
    ),
]

_ANGEHOERIGE: list[Fall] = [
    fall(
        "kind-unter-18-uebermittelt",
        ANGEHOERIGE,
        "§ 3 Abs. 1 Nr. 16 BMG (minderjährige Kinder)",
        (person(1, angehoerige=(kind(jahre_vor_heute(18, tage=1)),)),),
        anfrage(elemente=(1, 146, 147, 148, 161)),
        ok(vorhanden=(146, 147, 148, 161), offengelegt={1: (1, 146, 147, 148, 161)}),
    ),
    fall(
        "kind-heute-18-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 3 Abs. 1 Nr. 16 BMG; § 187 Abs. 2 BGB",
        (person(1, angehoerige=(kind(jahre_vor_heute(18)),)),),
        anfrage(elemente=(1, 146, 147, 148)),
        ok(fehlend=(146, 147, 148), offengelegt={1: (1,)}, nicht_im_text=("Kimberly",)),
    ),
    fall(
        "kind-volljaehrig-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 3 Abs. 1 Nr. 16 BMG",
        (person(1, angehoerige=(kind(D("1999-01-01")),)),),
        anfrage(elemente=(1, 146, 147)),
        ok(fehlend=(146, 147), nicht_im_text=("Kimberly",)),
    ),
    fall(
        "kind-nur-jahr-vielleicht-volljaehrig-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 3 Abs. 1 Nr. 16 BMG (Minderjährigkeit nicht festgestellt)",
        (person(1, angehoerige=(kind(TeilbekanntesDatum(HEUTE.year - 18)),)),),
        anfrage(elemente=(1, 146, 147)),
        ok(fehlend=(146, 147), nicht_im_text=("Kimberly",)),
    ),
    fall(
        "kind-mit-eigener-sperre-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 51 Abs. 1 BMG (Angehöriger mit eigener Auskunftssperre)",
        (person(1, angehoerige=(kind(jahre_vor_heute(5), auskunftssperre=True),)),),
        anfrage(elemente=(1, 146, 147)),
        ok(fehlend=(146, 147), nicht_im_text=("Kimberly",)),
    ),
    fall(
        "ehegatte-uebermittelt",
        ANGEHOERIGE,
        "§ 34 Abs. 1 Satz 1 Nr. 15 BMG",
        (person(1, angehoerige=(Angehoeriger("ehegatte", "Prüfmann", vornamen=("Ole",)),)),),
        anfrage(elemente=(1, 102, 104)),
        ok(vorhanden=(102, 104)),
    ),
    fall(
        "ehegatte-mit-eigener-sperre-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 51 Abs. 1 BMG",
        (
            person(
                1,
                angehoerige=(
                    Angehoeriger("ehegatte", "Geheim", vornamen=("Ole",), auskunftssperre=True),
                ),
            ),
        ),
        anfrage(elemente=(1, 102, 104)),
        ok(fehlend=(102, 104), offengelegt={1: (1,)}, nicht_im_text=("Geheim",)),
    ),
    fall(
        "lebenspartner-mit-eigener-sperre-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 51 Abs. 1 BMG",
        (
            person(
                1,
                angehoerige=(
                    Angehoeriger(
                        "lebenspartner", "Geheim", vornamen=("Ole",), auskunftssperre=True
                    ),
                ),
            ),
        ),
        anfrage(elemente=(1, 124, 126)),
        ok(fehlend=(124, 126), nicht_im_text=("Geheim",)),
    ),
    fall(
        "gesetzlicher-vertreter-mit-eigener-sperre-nicht-uebermittelt",
        ANGEHOERIGE,
        "§ 51 Abs. 1 BMG",
        (
            person(
                1,
                angehoerige=(
                    Angehoeriger(
                        "gesetzlicherVertreter", "Geheim", vornamen=("Ole",), auskunftssperre=True
                    ),
                ),
            ),
        ),
        anfrage(elemente=(1, 21, 22)),
        ok(fehlend=(21, 22), nicht_im_text=("Geheim",)),
    ),
    fall(
        "gesetzlicher-vertreter-uebermittelt",
        ANGEHOERIGE,
        "§ 34 Abs. 1 Satz 1 Nr. 9 BMG",
        (
            person(
                1,
                angehoerige=(Angehoeriger("gesetzlicherVertreter", "Vormund", vornamen=("Ole",)),),
            ),
        ),
        anfrage(elemente=(1, 21, 22)),
        ok(vorhanden=(21, 22)),
    ),
]

#: 23:30 UTC is already the next day in Lower Saxony (00:30 CET, 01:30 CEST)
_MORGEN = HEUTE + timedelta(days=1)

_STICHTAG: list[Fall] = [
    fall(
        "stichtag-kind-wird-nach-deutschem-datum-18",
        ANGEHOERIGE,
        "§ 3 Abs. 1 Nr. 16 BMG: minderjährig am Tag der Übermittlung — dem Tag in "
        "Niedersachsen (23:30 UTC ist dort schon der nächste Tag)",
        (
            person(
                1,
                angehoerige=(
                    kind(
                        TeilbekanntesDatum(_MORGEN.year - 18, _MORGEN.month, _MORGEN.day)
                        if not (_MORGEN.month == 2 and _MORGEN.day == 29)
                        else TeilbekanntesDatum(_MORGEN.year - 18, 3, 1)
                    ),
                ),
            ),
        ),
        anfrage(elemente=(1, 146, 147), uhr_utc="23:30"),
        ok(fehlend=(146, 147), offengelegt={1: (1,)}, nicht_im_text=("Kimberly",)),
    ),
    fall(
        "stichtag-sperre-endet-nach-deutschem-datum",
        SPERRE,
        "§ 51 Abs. 4 BMG: eine bis gestern (Tag in Niedersachsen) befristete Sperre sperrt nicht",
        (gesperrt(1, "3", bis=HEUTE),),
        anfrage(uhr_utc="23:30"),
        ok(folgen=()),
    ),
]

_MERKMAL: list[Fall] = [
    fall(
        "merkmal-fortsetzung-liefert-person-01",
        MERKMAL,
        "§ 39 Abs. 2 BMG; BMeldDAV § 9",
        (person(1), person(2, vornamen=("Lena", "Anna"), anschriften=(adr(nummer="5"),))),
        anfrage(),
        liste(1, 2),
        (
            Anfrage(merkmal="treffer:Anna", elemente=(1, 7, 49)),
            ok(gefunden=(2,), offengelegt={2: (1, 7, 49)}),
        ),
    ),
    fall(
        "merkmal-andere-behoerde-01",
        MERKMAL,
        "BMeldDAV § 9 (nur für die Behörde, die es erhielt); Grund 01",
        (person(1), person(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
        (Anfrage(wer="sb1", merkmal="treffer:Anna"), grund("01", nicht_im_text=("Prüfmann",))),
    ),
    fall(
        "merkmal-unbekannt-01",
        MERKMAL,
        "BMeldDAV § 9; Grund 01",
        EINS,
        Anfrage(merkmal="ZmFsc2NoZXMtbWVya21hbC1vaG5lLWJlZGV1dHVuZw"),
        grund("01"),
    ),
    fall(
        "merkmal-nach-48-stunden-abgelaufen-01",
        MERKMAL,
        "§ 39 Abs. 2 BMG; BMeldDAV § 9 (48 Stunden gültig)",
        (person(1), person(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
        (Anfrage(merkmal="treffer:Anna", nach_stunden=49), grund("01")),
    ),
    fall(
        "merkmal-nach-47-stunden-gueltig-01",
        MERKMAL,
        "§ 39 Abs. 2 BMG; BMeldDAV § 9",
        (person(1), person(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
        (Anfrage(merkmal="treffer:Anna", nach_stunden=47), ok(gefunden=(2,))),
    ),
    fall(
        "merkmal-mehrfach-verwendbar-innerhalb-der-frist",
        MERKMAL,
        "BMeldDAV § 9 (gültig für 48 Stunden, nicht einmalig)",
        (person(1), person(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
        (Anfrage(merkmal="treffer:Lena", elemente=(1,)), ok()),
        (Anfrage(merkmal="treffer:Lena", elemente=(1,)), ok()),
    ),
    fall(
        "merkmal-fortsetzung-nur-angeforderte-elemente",
        MERKMAL,
        "§ 34a Abs. 2 BMG (auch die Fortsetzung liefert nie mehr als angefordert)",
        (voll(1), voll(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
        (
            Anfrage(merkmal="treffer:Anna", elemente=(13,)),
            ok(vorhanden=(13,), fehlend=(1, 7, 10, 48), offengelegt={2: (13,)}),
        ),
    ),
    fall(
        "merkmal-fortsetzung-oeffentliche-stelle-keine-ausweisdaten-07",
        MERKMAL,
        "§ 34 Abs. 4 Satz 1 BMG gilt auch für die Fortsetzung",
        (voll(1), voll(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2),
        (Anfrage(merkmal="treffer:Anna", elemente=(1, 163)), grund("07")),
    ),
]

_STELLE: list[Fall] = [
    fall(
        "stelle-aktenzeichen-leer-17",
        STELLE,
        "BMeldDAV § 11 (Aktenzeichen Pflicht); § 40 Abs. 1 Nr. 4 BMG",
        EINS,
        anfrage(aktenzeichen=" "),
        grund("17", nicht_im_text=("Lister Meile",)),
    ),
    fall(
        "stelle-anlass-leer-17",
        STELLE,
        "BMeldDAV § 11 (Anlass Pflicht); § 40 Abs. 1 Nr. 5 BMG",
        EINS,
        anfrage(anlass=" "),
        grund("17"),
    ),
    fall(
        "stelle-120-zeichen-werden-angenommen",
        STELLE,
        "BMeldDAV § 11 (jede Angabe bis 120 Zeichen)",
        EINS,
        anfrage(aktenzeichen="A" * 120, anlass="B" * 120),
        ok(),
    ),
    fall(
        "stelle-behoerde-gesperrt-t070",
        STELLE,
        "§ 39 BMG; DOMAIN.md § 7 (der Betreiber kann sperren); 0910 T070",
        EINS,
        anfrage(wer="oe-behoerde-gesperrt"),
        fault("T070"),
    ),
    fall(
        "stelle-nutzer-gesperrt-t070",
        STELLE,
        "§ 39 BMG; 0910 T070",
        EINS,
        anfrage(wer="oe-nutzer-gesperrt"),
        fault("T070"),
    ),
]

_PROTOKOLL: list[Fall] = [
    fall(
        "protokoll-sicherheitsbehoerde-ohne-auftrag-nur-metadaten",
        PROTOKOLL,
        "§ 40 Abs. 3 BMG (Sicherheitsbehörden protokollieren selbst)",
        EINS,
        anfrage(wer="sb2-eigenes-protokoll"),
        ok(sicherheitsbehoerde=True, inhalt_protokolliert=False),
    ),
    fall(
        "protokoll-sicherheitsbehoerde-ohne-auftrag-sperre-folgen-bleiben",
        PROTOKOLL,
        "§ 40 Abs. 3 BMG; § 34a Abs. 5 BMG (die Aussteuerung geht nicht verloren)",
        (gesperrt(1, "11"),),
        anfrage(wer="sb2-eigenes-protokoll"),
        neutral(
            sicherheitsbehoerde=True,
            inhalt_protokolliert=False,
            folgen=(HAND_OVER, AN_VERANLASSER),
        ),
    ),
    fall(
        "protokoll-oeffentliche-stelle-volle-angaben",
        PROTOKOLL,
        "§ 40 Abs. 1 Nr. 1–7 BMG",
        (person(1), person(2, vornamen=("Lena", "Anna"))),
        anfrage(),
        liste(1, 2, gefunden=(1, 2), sicherheitsbehoerde=False),
    ),
    fall(
        "protokoll-rueckweisung-ohne-treffer",
        PROTOKOLL,
        "§ 40 BMG (jede Anfrage, auch die zurückgewiesene)",
        EINS,
        anfrage(elemente=(1, 184)),
        grund("10", gefunden=(), offengelegt={}),
    ),
]

FAELLE: tuple[Fall, ...] = (
    *_MINDEST,
    *_BEREICH,
    *_PLATZHALTER,
    *_ANLAGE,
    *_ANTWORT,
    *_TREFFERLISTE,
    *_GRENZE,
    *_SPERRE,
    *_ABS6,
    *_MITTEILUNG,
    *_BERECHTIGUNG,
    *_MINIMIERUNG,
    *_ANGEHOERIGE,
    *_STICHTAG,
    *_MERKMAL,
    *_STELLE,
    *_PROTOKOLL,
)

_ids = [f.id for f in FAELLE]
assert len(set(_ids)) == len(_ids), sorted(i for i in _ids if _ids.count(i) > 1)
assert all(f.regel in REGELN for f in FAELLE)
