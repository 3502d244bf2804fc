"""Admissibility of Personensuche search data (§ 38 Abs. 1 BMG, BMeldDAV § 4, Anlage Nr. 4).

Checked before the register is touched; a failure is a business rejection with its reason code
and a sentence that tells the requester what to add or change. One reason per answer: the
first rule that fails, in this order —

1. 14, the search AGS is not the addressed reader's; then 22, the search AGS is not a
   municipality of Lower Saxony the mirror holds. Both decide *whether this mirror answers at
   all*, so they come before any judgement of the search data; where both apply (a foreign AGS
   sent to a Lower Saxony reader) the code list's order gives 14.
2. 15 / 17, placeholders (BMeldDAV § 4 Abs. 7), and 17, a field that is no criterion of a
   Personensuche (§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1) — refused, never stripped or ignored.
3. 24 / 18, the minimum search data (§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1).
"""

from __future__ import annotations

from collections.abc import Callable

from datenspiegel.register.normalize import normalize
from datenspiegel.register.query import (
    PersonensucheQuery,
    platzhalter_felder,
    unzulaessige_kriterien,
)
from datenspiegel.transformers.errors import BusinessRejection
from datenspiegel.transformers.request import AUSWAHLDATEN_ELEMENTE
from datenspiegel.xsd.codelists import Grund

__all__ = ["LAND_NIEDERSACHSEN", "check_personensuche_query"]

LAND_NIEDERSACHSEN = "03"


def _present(value: str | None) -> bool:
    # A field that is empty after normalisation counts as absent (Anlage Nr. 4).
    return normalize(value) is not None


def _has_name(query: PersonensucheQuery) -> bool:
    vorname = any(_present(v) for v in query.vornamen)
    return (
        (_present(query.familienname) and vorname)
        or (_present(query.frueherer_familienname) and vorname)
        or _present(query.ordensname)
        or _present(query.kuenstlername)
    )


def _has_second_criterion(query: PersonensucheQuery) -> bool:
    # An unknown date of birth or death (all zeros) is a criterion like any other date: it
    # matches only an unknown date (Anlage Nr. 4), so it is search data the requester gave.
    return any(
        (
            _present(query.strasse),
            query.geburtsdatum is not None,
            _present(query.geburtsort),
            bool(query.geschlecht),
            query.sterbedatum is not None,
            _present(query.sterbeort),
        )
    )


def _elements(fields: tuple[str, ...]) -> str:
    """The XÖV element names of query fields, for a freitext the requester can act on."""
    return ", ".join(AUSWAHLDATEN_ELEMENTE.get(field, field) for field in fields)


def _check_suchbereich(
    query: PersonensucheQuery,
    leser_ags: str | None,
    gemeinde_bekannt: Callable[[str], bool] | None,
) -> None:
    if leser_ags is None or query.ags != leser_ags:
        raise BusinessRejection(
            Grund.AGS_UNGLEICH_LESER,
            f"the AGS in the search data ({query.ags}) must equal the addressed reader "
            f"({leser_ags or 'not a municipality'}); address the message to ags:{query.ags}",
        )
    if not query.ags.startswith(LAND_NIEDERSACHSEN):
        raise BusinessRejection(
            Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
            f"municipality {query.ags} is not in Lower Saxony; this mirror answers only for "
            "AGS 03…",
        )
    if gemeinde_bekannt is not None and not gemeinde_bekannt(query.ags):
        raise BusinessRejection(
            Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
            f"{query.ags} is not a municipality of Lower Saxony whose register this mirror "
            "holds; check the Gemeindeschlüssel",
        )


def _check_zulaessig(query: PersonensucheQuery) -> None:
    placeholders = platzhalter_felder(query)
    if placeholders:
        # Code 15 is the code list's own case (a phonetic search with placeholders); without
        # phonetics no code names the Personensuche's ban, so 17 with the field named.
        phonetic = query.phonetisch
        code = Grund.PLATZHALTER_BEI_PHONETIK if phonetic else Grund.SONSTIGER_FACHLICHER_FEHLER
        raise BusinessRejection(
            code,
            f"placeholders (* or ?) are not allowed in a Personensuche (BMeldDAV § 4 Abs. 7), "
            f"found in {_elements(placeholders)}; send the name as it is written or use the "
            "phonetic search",
        )
    extra = unzulaessige_kriterien(query)
    if extra:
        raise BusinessRejection(
            Grund.SONSTIGER_FACHLICHER_FEHLER,
            f"{_elements(extra)} is no search criterion of a Personensuche (§ 38 Abs. 1 BMG, "
            "BMeldDAV § 4 Abs. 1); send the search without it",
        )


def check_personensuche_query(
    query: PersonensucheQuery,
    *,
    leser_ags: str | None,
    gemeinde_bekannt: Callable[[str], bool] | None = None,
) -> None:
    """Raise :class:`BusinessRejection` unless the search is admissible (order: module doc).

    - 14: the search AGS differs from the addressed reader's (§ 38 Abs. 1 BMG with BMeldDAV
      § 1 Abs. 5 and Anlage Nr. 2: the requester names the municipality it searches in);
    - 22: the search AGS is outside Lower Saxony, or — given ``gemeinde_bekannt`` (e.g.
      :meth:`RegisterStore.known_municipality`) — not a municipality the mirror holds;
    - 15 / 17: a placeholder ``*`` or ``?`` in any field (BMeldDAV § 4 Abs. 7); 15 when the
      search is phonetic (the code list names exactly that case), else 17 "sonstiger fachlicher
      Fehler" with the field in the freitext — no other code describes the ban;
    - 17: a field that is no criterion of the Personensuche, e.g. the Doktorgrad (§ 38 Abs. 1
      BMG and BMeldDAV § 4 Abs. 1 list the criteria exhaustively; the Doktorgrad is one only
      of the freie Suche, § 7 Abs. 1 Nr. 4). Not 18 — the minimum may well be met; the
      freitext names the field;
    - 24: the AZR number used without the minimum search data (§ 38 Abs. 1 Satz 2 BMG,
      BMeldDAV § 4 Abs. 1 Satz 2); 18: minimum search data missing (§ 38 Abs. 1 BMG, BMeldDAV
      § 4 Abs. 1).
    """
    _check_suchbereich(query, leser_ags, gemeinde_bekannt)
    _check_zulaessig(query)
    name = _has_name(query)
    second = _has_second_criterion(query)
    if name and second:
        return
    if query.azr_nummer:
        raise BusinessRejection(
            Grund.AZR_NUMMER_UNZULAESSIG,
            "the AZR number is only an additional criterion; send the minimum search data too",
        )
    missing = []
    if not name:
        missing.append(
            "a name (surname or former surname with at least one first name, or religious or "
            "stage name)"
        )
    if not second:
        missing.append(
            "besides the municipality one of: street, date of birth, place of birth, sex, "
            "date or place of death"
        )
    raise BusinessRejection(
        Grund.MINDESTANGABEN_FEHLEN, "minimum search data missing: " + "; ".join(missing)
    )
