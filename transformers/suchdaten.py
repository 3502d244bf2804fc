"""Admissibility of Personensuche search data (§ 38 Abs. 1 BMG, BMeldDAV § 4, Anlage Nr. 4).

Checked before the register is touched; a failure is a business rejection with its reason code
and a sentence that tells the requester what to add or change.
"""

from __future__ import annotations

from datenspiegel.register.normalize import normalize
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.transformers.errors import BusinessRejection
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
    return any(
        (
            _present(query.strasse),
            query.geburtsdatum is not None and not query.geburtsdatum.unbekannt,
            _present(query.geburtsort),
            bool(query.geschlecht),
            query.sterbedatum is not None and not query.sterbedatum.unbekannt,
            _present(query.sterbeort),
        )
    )


def check_personensuche_query(query: PersonensucheQuery, *, leser_ags: str | None) -> None:
    """Raise :class:`BusinessRejection` (22, 14, 24, 18) unless the search is admissible."""
    if not query.ags.startswith(LAND_NIEDERSACHSEN):
        raise BusinessRejection(
            Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
            f"municipality {query.ags} is not in Lower Saxony; this mirror answers only for "
            "AGS 03…",
        )
    if leser_ags is None or query.ags != leser_ags:
        raise BusinessRejection(
            Grund.AGS_UNGLEICH_LESER,
            f"the AGS in the search data ({query.ags}) must equal the addressed reader "
            f"({leser_ags or 'not a municipality'}); address the message to ags:{query.ags}",
        )
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
