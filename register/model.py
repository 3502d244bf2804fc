"""The person record of the residents' register mirror (BMG § 3, DSMeld data items).

Immutable values: a record is what a municipality delivered; the broker never edits it. The
fields carry the data as delivered (not normalised) — search keys are derived elsewhere
(:mod:`datenspiegel.register.keys`). Country codes (Staatsangehörigkeit, Geburtsstaat,
Sterbestaat, Staat of an address abroad) are ISO 3166-1 alpha-3 (``DEU``, ``TUR``, …); the
transformers map them to the Destatis keys where an XÖV schema requires those.

The rules that decide *whether* data may be disclosed (Auskunftssperre, entitlement) live in
the broker; the record only answers questions of fact (``sperrt_auskunft``, ``verstorben`` …).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from datenspiegel.register.codes import (
    SPERRENDE_AUSKUNFTSSPERREN,
    AngehoerigenArt,
    AuskunftssperreCode,
    AusweisArt,
    Familienstand,
    Geschlecht,
    Wohnungsstatus,
)
from datenspiegel.register.errors import InvalidDateError, InvalidRecordError

__all__ = [
    "UNBEKANNTES_DATUM",
    "Angehoeriger",
    "Anschrift",
    "Auskunftssperre",
    "Ausweis",
    "BehoerdlicherVermerk",
    "Person",
    "TeilbekanntesDatum",
    "Wohnungsgeber",
]

_AGS = re.compile(r"\d{8}")
_DATE_TEXT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _check_ags(value: str | None, what: str) -> None:
    if value is not None and not _AGS.fullmatch(value):
        raise InvalidRecordError(f"{what} must be an 8-digit Gemeindeschlüssel, got {value!r}")


def _check_code(value: str | None, allowed: type[StrEnum], what: str) -> None:
    if value is not None and value not in allowed._value2member_map_:
        raise InvalidRecordError(f"{what}: {value!r} is not a valid code")


@dataclass(frozen=True, slots=True)
class TeilbekanntesDatum:
    """A partially known date: full date, year and month, year only, or unknown.

    Registers hold such dates for births abroad and old records; they match only their equal
    (03/1998 never matches 1998-03-12, BMeldDAV Anlage Nr. 4).
    """

    jahr: int | None
    monat: int | None = None
    tag: int | None = None

    def __post_init__(self) -> None:
        jahr, monat, tag = self.jahr, self.monat, self.tag
        if jahr is None:
            if monat is not None or tag is not None:
                raise InvalidDateError("a date with unknown year cannot have a month or day")
            return
        # ``type(...) is int`` also refuses bool, which isinstance would let through.
        if type(jahr) is not int or not 1 <= jahr <= 9999:
            raise InvalidDateError(f"year {jahr!r} is not an int in 1–9999")
        if monat is None:
            if tag is not None:
                raise InvalidDateError("a day without a month is not a partially known date")
            return
        if type(monat) is not int or not 1 <= monat <= 12:
            raise InvalidDateError(f"month {monat!r} does not exist")
        if tag is not None and (
            type(tag) is not int
            or tag < 1
            or (tag > 28 and tag > calendar.monthrange(jahr, monat)[1])
        ):
            raise InvalidDateError(f"{jahr:04d}-{monat:02d} has no day {tag!r}")

    @classmethod
    def parse(cls, text: str) -> TeilbekanntesDatum:
        """Read ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``""`` (unknown)."""
        if not isinstance(text, str):
            raise InvalidDateError(f"a partially known date is text, got {type(text).__name__}")
        text = text.strip()
        if not text:
            return cls(None)
        match = _DATE_TEXT.fullmatch(text)
        if match is None:
            raise InvalidDateError(
                f"{text!r} is not a partially known date (YYYY-MM-DD, YYYY-MM, YYYY or empty)"
            )
        jahr, monat, tag = (int(part) if part else None for part in match.groups())
        return cls(jahr, monat, tag)

    @classmethod
    def from_date(cls, value: date) -> TeilbekanntesDatum:
        return cls(value.year, value.month, value.day)

    @property
    def unbekannt(self) -> bool:
        return self.jahr is None

    @property
    def vollstaendig(self) -> bool:
        return self.tag is not None

    def als_datum(self) -> date | None:
        """The calendar date when fully known, else None."""
        if self.jahr is None or self.monat is None or self.tag is None:
            return None
        return date(self.jahr, self.monat, self.tag)

    def bereichsbeginn(self) -> date | None:
        """The date a range comparison uses: unknown parts count as 1st of month / 1 January.

        (freie Suche, DOMAIN.md § 4); an unknown date has none and never matches a range.
        """
        if self.jahr is None:
            return None
        return date(self.jahr, self.monat or 1, self.tag or 1)

    def __str__(self) -> str:
        # %-formatting: this runs for every date of every record on import and export.
        if self.jahr is None:
            return ""
        if self.monat is None:
            return "%04d" % self.jahr  # noqa: UP031
        if self.tag is None:
            return "%04d-%02d" % (self.jahr, self.monat)  # noqa: UP031
        return "%04d-%02d-%02d" % (self.jahr, self.monat, self.tag)  # noqa: UP031


#: The unknown date (``""``).
UNBEKANNTES_DATUM = TeilbekanntesDatum(None)


@dataclass(frozen=True, slots=True)
class Anschrift:
    """One address period (current or former) of a person (DSMeld 1200–1213, 1301–1306)."""

    ags: str | None = None
    postleitzahl: str | None = None
    wohnort: str | None = None
    frueherer_gemeindename: str | None = None
    strasse: str | None = None
    hausnummer: str | None = None
    #: Buchstabe/Zusatzziffern (DSMeld 1208)
    hausnummer_buchstabe: str | None = None
    teilnummer: str | None = None
    #: Stockwerks-/Wohnungsnummer (DSMeld 1210)
    wohnungsnummer: str | None = None
    zusatzangaben: str | None = None
    wohnungsinhaber: str | None = None
    #: for an address abroad (ISO 3166-1 alpha-3)
    staat: str | None = None
    auslandsanschrift: str | None = None
    #: '0' alleinige Wohnung, '1' Hauptwohnung, '2' Nebenwohnung
    wohnungsstatus: str | None = None
    einzugsdatum: TeilbekanntesDatum | None = None
    auszugsdatum: TeilbekanntesDatum | None = None
    #: § 52 BMG (care home, shelter, clinic): never blocks, always sent as a flag
    bedingter_sperrvermerk: bool = False
    aktuell: bool = True

    def __post_init__(self) -> None:
        _check_ags(self.ags, "Anschrift.ags")
        _check_code(self.wohnungsstatus, Wohnungsstatus, "Anschrift.wohnungsstatus")

    @property
    def ist_hauptwohnung(self) -> bool:
        """Sole or main residence (status 0 or 1)."""
        return self.wohnungsstatus in (
            Wohnungsstatus.ALLEINIGE_WOHNUNG,
            Wohnungsstatus.HAUPTWOHNUNG,
        )

    @property
    def im_ausland(self) -> bool:
        return self.ags is None and self.staat is not None and self.staat != "DEU"


@dataclass(frozen=True, slots=True)
class Auskunftssperre:
    """An Auskunfts- or Übermittlungssperre (Code.Auskunftssperre)."""

    code: str
    bis: date | None = None
    veranlassende_stelle: str | None = None

    def __post_init__(self) -> None:
        _check_code(self.code, AuskunftssperreCode, "Auskunftssperre.code")

    @property
    def sperrt_auskunft(self) -> bool:
        """A § 51 block (codes 1, 3, 6, 11, 12) — as opposed to a mere objection."""
        return self.code in SPERRENDE_AUSKUNFTSSPERREN

    @property
    def veranlasst_durch_sicherheitsbehoerde(self) -> bool:
        """Entered at the instigation of a security authority (code 11, § 51 Abs. 3)."""
        return self.code == AuskunftssperreCode.GEFAHR_SICHERHEITSBEHOERDE

    def in_kraft(self, am: date | None = None) -> bool:
        """In force on ``am`` (default today): a block without end date never lapses."""
        return self.bis is None or self.bis >= (am or date.today())


@dataclass(frozen=True, slots=True)
class Angehoeriger:
    """Legal representative, spouse, life partner or child as held in the person's record."""

    art: str
    familienname: str | None = None
    geburtsname: str | None = None
    vornamen: tuple[str, ...] = ()
    doktorgrad: str | None = None
    geburtsdatum: TeilbekanntesDatum | None = None
    geschlecht: str | None = None
    anschrift: Anschrift | None = None
    anschrift_unbekannt: bool = False
    sterbedatum: TeilbekanntesDatum | None = None
    art_der_vertretung: str | None = None
    vertretung_endet: date | None = None
    #: the relative has an Auskunftssperre of their own: their data is left out of answers
    auskunftssperre: bool = False

    def __post_init__(self) -> None:
        _check_code(self.art, AngehoerigenArt, "Angehoeriger.art")
        _check_code(self.geschlecht, Geschlecht, "Angehoeriger.geschlecht")


@dataclass(frozen=True, slots=True)
class Ausweis:
    """Identity card (PA) or passport (RP) — disclosed to security authorities only."""

    art: str
    ausstellungsbehoerde: str | None = None
    ausstellungsdatum: date | None = None
    gueltig_bis: date | None = None
    seriennummer: str | None = None

    def __post_init__(self) -> None:
        _check_code(self.art, AusweisArt, "Ausweis.art")


@dataclass(frozen=True, slots=True)
class BehoerdlicherVermerk:
    """A fact entered by an authority: passport refusal (§ 3 Abs. 2 Nr. 4 BMG), weapons
    licence or ban, explosives licence — date, authority and file number."""

    datum: date | None = None
    behoerde: str | None = None
    aktenzeichen: str | None = None


@dataclass(frozen=True, slots=True)
class Wohnungsgeber:
    """Landlord (DSMeld 3001) or owner who is not the landlord (DSMeld 3002)."""

    name: str
    anschrift: str | None = None
    ist_eigentuemer_nicht_wohnungsgeber: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One person record held by the register of municipality ``ags``.

    Keyword-only: a record has some fifty fields and is built by name.
    """

    id: int | None = None
    ags: str
    familienname: str | None = None
    ehename: str | None = None
    lebenspartnerschaftsname: str | None = None
    geburtsname: str | None = None
    fruehere_familiennamen: tuple[str, ...] = ()
    vornamen: tuple[str, ...] = ()
    gebraeuchlicher_vorname: str | None = None
    fruehere_vornamen: tuple[str, ...] = ()
    doktorgrad: str | None = None
    ordensname: str | None = None
    kuenstlername: str | None = None
    geburtsdatum: TeilbekanntesDatum = UNBEKANNTES_DATUM
    fruehere_geburtsdaten: tuple[TeilbekanntesDatum, ...] = ()
    geburtsort: str | None = None
    geburtsstaat: str | None = None
    geschlecht: str | None = None
    staatsangehoerigkeiten: tuple[str, ...] = ()
    anschriften: tuple[Anschrift, ...] = ()
    zuzug_aus_ausland_staat: str | None = None
    wegzug_ausland_staat: str | None = None
    wegzug_ausland_anschrift: str | None = None
    #: moved to another municipality in Germany (the record stays as a former resident's)
    wegzug_inland: bool = False
    familienstand: str | None = None
    familienstand_datum: date | None = None
    familienstand_ort: str | None = None
    angehoerige: tuple[Angehoeriger, ...] = ()
    auskunftssperren: tuple[Auskunftssperre, ...] = ()
    sterbedatum: TeilbekanntesDatum | None = None
    sterbeort: str | None = None
    sterbestaat: str | None = None
    ausweise: tuple[Ausweis, ...] = ()
    passversagung: BehoerdlicherVermerk | None = None
    waffenerlaubnis: BehoerdlicherVermerk | None = None
    waffenbesitzverbot: BehoerdlicherVermerk | None = None
    sprengstofferlaubnis: BehoerdlicherVermerk | None = None
    wohnungsgeber: tuple[Wohnungsgeber, ...] = ()
    #: § 13 Abs. 2 BMG historical stock: only the reduced data set is kept
    verringerter_datenumfang: bool = False
    #: AZR-Nummer (Ausländerzentralregister), only ever an additional search criterion
    azr_nummer: str | None = None

    def __post_init__(self) -> None:
        if self.ags is None:
            raise InvalidRecordError("Person.ags (the municipality holding the record) is required")
        _check_ags(self.ags, "Person.ags")
        _check_code(self.geschlecht, Geschlecht, "Person.geschlecht")
        _check_code(self.familienstand, Familienstand, "Person.familienstand")
        if not isinstance(self.geburtsdatum, TeilbekanntesDatum):
            raise InvalidRecordError("Person.geburtsdatum must be a TeilbekanntesDatum")
        for name in (
            "fruehere_familiennamen",
            "vornamen",
            "fruehere_vornamen",
            "fruehere_geburtsdaten",
            "staatsangehoerigkeiten",
            "anschriften",
            "angehoerige",
            "auskunftssperren",
            "ausweise",
            "wohnungsgeber",
        ):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                if isinstance(value, str) or not hasattr(value, "__iter__"):
                    raise InvalidRecordError(f"Person.{name} must be a tuple, got {value!r}")
                object.__setattr__(self, name, tuple(value))

    # -- addresses -----------------------------------------------------------------------

    @property
    def aktuelle_anschriften(self) -> tuple[Anschrift, ...]:
        return tuple(a for a in self.anschriften if a.aktuell)

    @property
    def fruehere_anschriften(self) -> tuple[Anschrift, ...]:
        return tuple(a for a in self.anschriften if not a.aktuell)

    @property
    def aktuelle_hauptanschrift(self) -> Anschrift | None:
        """The current sole or main residence (status 0 or 1), if any."""
        for anschrift in self.anschriften:
            if anschrift.aktuell and anschrift.ist_hauptwohnung:
                return anschrift
        return None

    # -- facts every answer carries (DOMAIN.md § 3 "Answer") -------------------------------

    @property
    def verstorben(self) -> bool:
        return self.sterbedatum is not None

    @property
    def verzogen_ins_ausland(self) -> bool:
        return (
            not self.verstorben
            and self.wegzug_ausland_staat is not None
            and not self.aktuelle_anschriften
        )

    @property
    def verzogen_inland(self) -> bool:
        """Moved to another municipality in Germany: no current address here any more."""
        return not self.verstorben and self.wegzug_inland and not self.aktuelle_anschriften

    @property
    def verzogen_unbekannt(self) -> bool:
        """No current address, yet neither dead nor known to have moved (abroad or inland)."""
        return (
            not self.aktuelle_anschriften
            and not self.verstorben
            and self.wegzug_ausland_staat is None
            and not self.wegzug_inland
        )

    # -- Auskunftssperren (facts only; the broker applies the law) ------------------------

    def sperrt_auskunft_am(self, stichtag: date) -> bool:
        return any(s.sperrt_auskunft and s.in_kraft(stichtag) for s in self.auskunftssperren)

    def gesperrt_durch_sicherheitsbehoerde_am(self, stichtag: date) -> bool:
        return any(
            s.veranlasst_durch_sicherheitsbehoerde and s.in_kraft(stichtag)
            for s in self.auskunftssperren
        )

    @property
    def sperrt_auskunft(self) -> bool:
        """Any blocking Auskunftssperre (codes 1, 3, 6, 11, 12) in force today."""
        return self.sperrt_auskunft_am(date.today())

    @property
    def gesperrt_durch_sicherheitsbehoerde(self) -> bool:
        """A code-11 block in force today: the instigating authority must be told."""
        return self.gesperrt_durch_sicherheitsbehoerde_am(date.today())

    @property
    def bedingter_sperrvermerk(self) -> bool:
        """Any current address carries a bedingter Sperrvermerk (§ 52)."""
        return any(a.bedingter_sperrvermerk for a in self.aktuelle_anschriften)
