"""Rows of the access tables ↔ the model's value types (private to the store)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping

from datenspiegel.access.model import Authority, Behoerdenklasse, Kontakt, User, UserRole
from datenspiegel.access.networks import netze_from_json

__all__ = [
    "anschrift_to_row",
    "authority_from_row",
    "kontakt_to_row",
    "user_from_row",
]


def anschrift_to_row(anschrift: tuple[str, ...] | None) -> str | None:
    return None if anschrift is None else "\n".join(anschrift)


def _anschrift(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    return lines or None


def kontakt_to_row(kontakt: Kontakt | None) -> dict[str, str | None]:
    if kontakt is None:
        return {"telefon": None, "email": None}
    return {"telefon": kontakt.telefon, "email": kontakt.email}


def _kontakt(row: RowMapping | Mapping[str, Any]) -> Kontakt | None:
    if row["telefon"] is None and row["email"] is None:
        return None
    return Kontakt(telefon=row["telefon"], email=row["email"])


def authority_from_row(row: RowMapping | Mapping[str, Any]) -> Authority:
    return Authority(
        id=row["id"],
        kennung=row["kennung"],
        name=row["name"],
        klasse=Behoerdenklasse(row["klasse"]),
        untertyp=row["untertyp"],
        anschrift=_anschrift(row["anschrift"]),
        administrator=row["administrator"],
        protokollierung_durch_betreiber=bool(row["protokollierung_durch_betreiber"]),
        gesperrt=bool(row["gesperrt"]),
        gesperrt_grund=row["gesperrt_grund"],
        kontakt=_kontakt(row),
        administrator_id=row["administrator_id"],
        netze=netze_from_json(row["netze"]),
    )


def user_from_row(row: RowMapping | Mapping[str, Any]) -> User:
    elemente = row["erlaubte_elemente"]
    return User(
        id=row["id"],
        authority_id=row["authority_id"],
        kennung=row["kennung"],
        name=row["name"],
        roles=frozenset(UserRole(r) for r in row["roles"]),
        gesperrt=bool(row["gesperrt"]),
        erlaubte_elemente=None if elemente is None else frozenset(int(c) for c in elemente),
        gesperrt_grund=row["gesperrt_grund"],
        belehrt_am=row["belehrt_am"],
        kontakt=_kontakt(row),
        erlaubte_operationen=None
        if row["erlaubte_operationen"] is None
        else frozenset(row["erlaubte_operationen"]),
    )
