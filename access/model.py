"""Who may ask: registered authorities, their users, and the principal behind a request.

The class of an authority (public body or security authority, and the sub-type of a security
authority) is a fact of its registration with the operator (§ 39 BMG, Nds. NMeldVO § 26),
never of a message: the decision step reads it from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from datenspiegel.access.errors import InvalidAuthority, InvalidUser

__all__ = [
    "ELEMENT_CODES",
    "SICHERHEITSBEHOERDE_UNTERTYPEN",
    "Authority",
    "Behoerdenklasse",
    "Principal",
    "User",
    "UserRole",
]

#: Sub-types of security authorities, numbered as in § 34 Abs. 4 Satz 1 BMG.
SICHERHEITSBEHOERDE_UNTERTYPEN: Mapping[int, str] = MappingProxyType(
    {
        1: "Polizeibehörden des Bundes und der Länder",
        2: "Staatsanwaltschaften",
        3: "Amtsanwaltschaften",
        4: "Gerichte, soweit sie Aufgaben der Strafverfolgung, Strafvollstreckung oder des "
        "Strafvollzugs wahrnehmen",
        5: "Justizvollzugsbehörden",
        6: "Verfassungsschutzbehörden des Bundes und der Länder",
        7: "Bundesnachrichtendienst",
        8: "Bundesamt für den Militärischen Abschirmdienst",
        9: "Zollfahndungsdienst",
        10: "Hauptzollämter",
        11: "Finanzbehörden, soweit sie strafverfolgend tätig sind",
        12: "Zentralstelle für Sanktionsdurchsetzung",
        13: "Bundesamt für Justiz",
    }
)

#: Codes of Code.Datenabruf.Personensuche.Anforderungselement (codelists.txt).
ELEMENT_CODES = range(1, 186)

# § 34a Abs. 6 BMG: police, Verfassungsschutz, BND, MAD, customs investigation.
_SPERRAUSNAHME_34A_ABS_6 = frozenset({1, 6, 7, 8, 9})
# § 34 Abs. 5 BMG applies to these sub-types (DOMAIN.md § 1).
_PAR_34_ABS_5 = frozenset({1, 2, 3, 4, 6, 7, 8, 9, 11})

# DVDV identities: a municipality by its 8-digit AGS, any other authority by its DVDV id.
_AUTHORITY_KENNUNG = re.compile(r"ags:[0-9]{8}|dbs:[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
_MAX_NAME = 255
# BMeldDAV § 11: each text of the requesting body must be accepted up to 120 characters.
_MAX_USER_KENNUNG = 120


class Behoerdenklasse(Enum):
    """Class of a requesting authority (DOMAIN.md § 1)."""

    OEFFENTLICHE_STELLE = "oeffentlich"  # § 34 Abs. 1 Satz 1, § 34a BMG
    SICHERHEITSBEHOERDE = "sicherheit"  # § 34 Abs. 4 Satz 1 BMG


class UserRole(Enum):
    """What a user of an authority may do beyond ordinary retrieval."""

    SACHBEARBEITUNG = "sachbearbeitung"
    #: Head of the authority or specially authorised staff: the only users who receive data of
    #: persons with an Auskunftssperre under the exception of § 34a Abs. 6 BMG.
    BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT = "behoerdenleitung_oder_besonders_ermaechtigt"
    #: Manages the users of its own authority (§ 39 BMG, NMeldVO § 26).
    ADMINISTRATOR = "administrator"


def _text(value: object, what: str, *, maximum: int, error: type[ValueError]) -> None:
    if not isinstance(value, str) or not value.strip():
        raise error(f"{what} must be a non-empty text")
    if len(value) > maximum:
        raise error(f"{what} must not exceed {maximum} characters (got {len(value)})")
    if "\x00" in value:
        raise error(f"{what} must not contain NUL characters")


@dataclass(frozen=True, slots=True)
class Authority:
    """A registered requesting authority."""

    id: int
    kennung: str
    name: str
    klasse: Behoerdenklasse
    untertyp: int | None
    anschrift: str | None
    administrator: str
    protokollierung_durch_betreiber: bool
    gesperrt: bool = False
    gesperrt_grund: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kennung, str) or not _AUTHORITY_KENNUNG.fullmatch(self.kennung):
            raise InvalidAuthority(
                f"authority Kennung {self.kennung!r} must be 'ags:' followed by the 8-digit "
                "Amtlicher Gemeindeschlüssel or 'dbs:' followed by the DVDV id"
            )
        _text(self.name, "authority name", maximum=_MAX_NAME, error=InvalidAuthority)
        _text(
            self.administrator,
            "the named main administrator (§ 39 BMG, NMeldVO § 26)",
            maximum=_MAX_NAME,
            error=InvalidAuthority,
        )
        if self.anschrift is not None:
            _text(self.anschrift, "authority address", maximum=1000, error=InvalidAuthority)
        if not isinstance(self.klasse, Behoerdenklasse):
            raise InvalidAuthority(f"klasse must be a Behoerdenklasse, not {self.klasse!r}")
        if self.klasse is Behoerdenklasse.SICHERHEITSBEHOERDE:
            if self.untertyp not in SICHERHEITSBEHOERDE_UNTERTYPEN:
                raise InvalidAuthority(
                    "a security authority needs its sub-type 1–13 (§ 34 Abs. 4 Satz 1 BMG), "
                    f"got {self.untertyp!r}"
                )
        else:
            if self.untertyp is not None:
                raise InvalidAuthority(
                    "a public body has no sub-type; sub-types 1–13 exist only for security "
                    "authorities (§ 34 Abs. 4 Satz 1 BMG)"
                )
            if self.protokollierung_durch_betreiber:
                raise InvalidAuthority(
                    "'protokollierung_durch_betreiber' is an option for security authorities "
                    "only (§ 40 Abs. 3 BMG); retrievals of public bodies are always logged by "
                    "the operator"
                )
        if self.gesperrt and not (self.gesperrt_grund and self.gesperrt_grund.strip()):
            raise InvalidAuthority("a blocked authority needs the reason of the block")
        if not self.gesperrt and self.gesperrt_grund is not None:
            raise InvalidAuthority("an authority that is not blocked has no reason of a block")

    @property
    def ist_sicherheitsbehoerde(self) -> bool:
        return self.klasse is Behoerdenklasse.SICHERHEITSBEHOERDE

    @property
    def sperrausnahme_34a_abs_6(self) -> bool:
        """May receive data of persons whose Auskunftssperre was not instigated by a security
        authority, via the head of the authority or specially authorised staff (§ 34a Abs. 6
        BMG: police, Verfassungsschutz, BND, MAD, customs investigation)."""
        return self.ist_sicherheitsbehoerde and self.untertyp in _SPERRAUSNAHME_34A_ABS_6

    @property
    def unterfaellt_34_abs_5(self) -> bool:
        """§ 34 Abs. 5 BMG applies (sub-types 1–4, 6–9, 11)."""
        return self.ist_sicherheitsbehoerde and self.untertyp in _PAR_34_ABS_5

    @property
    def betreiber_protokolliert_inhalt(self) -> bool:
        """Whether the operator keeps the full § 40 content of this authority's retrievals.

        Public bodies: always. Security authorities log their own retrievals (§ 40 Abs. 3 BMG);
        the operator keeps content for them only when they commissioned it at registration,
        otherwise only technical metadata (DOMAIN.md § 6).
        """
        return not self.ist_sicherheitsbehoerde or self.protokollierung_durch_betreiber


@dataclass(frozen=True, slots=True)
class User:
    """A person or automated procedure of an authority that sends requests."""

    id: int
    authority_id: int
    #: The requesting person's Kennung or the automated procedure's name (BMeldDAV § 11, § 40
    #: Nr. 6 BMG).
    kennung: str
    name: str
    roles: frozenset[UserRole]
    gesperrt: bool = False
    #: The authority's restriction of this user (§ 39 Abs. 1 BMG, data minimisation), as
    #: Personensuche element codes; ``None`` = whatever the authority is entitled to.
    erlaubte_elemente: frozenset[int] | None = None
    gesperrt_grund: str | None = None

    def __post_init__(self) -> None:
        _text(self.kennung, "user Kennung", maximum=_MAX_USER_KENNUNG, error=InvalidUser)
        _text(self.name, "user name", maximum=_MAX_NAME, error=InvalidUser)
        if not isinstance(self.roles, frozenset) or not self.roles:
            raise InvalidUser("a user needs at least one role (a non-empty frozenset of UserRole)")
        for role in self.roles:
            if not isinstance(role, UserRole):
                raise InvalidUser(f"{role!r} is not a UserRole")
        if self.erlaubte_elemente is not None:
            if not isinstance(self.erlaubte_elemente, frozenset):
                raise InvalidUser("erlaubte_elemente must be a frozenset of element codes or None")
            bad = sorted(
                repr(c)
                for c in self.erlaubte_elemente
                if isinstance(c, bool) or not isinstance(c, int) or c not in ELEMENT_CODES
            )
            if bad:
                raise InvalidUser(
                    "erlaubte_elemente must be Personensuche element codes 1–185, not "
                    + ", ".join(bad)
                )
        if self.gesperrt and not (self.gesperrt_grund and self.gesperrt_grund.strip()):
            raise InvalidUser("a blocked user needs the reason of the block")
        if not self.gesperrt and self.gesperrt_grund is not None:
            raise InvalidUser("a user that is not blocked has no reason of a block")


@dataclass(frozen=True, slots=True)
class Principal:
    """The registered user (and its authority) behind a verified signing certificate."""

    authority: Authority
    user: User
    certificate_fingerprint: str

    def __post_init__(self) -> None:
        if self.user.authority_id != self.authority.id:
            raise InvalidUser(
                f"user {self.user.id} belongs to authority {self.user.authority_id}, "
                f"not to {self.authority.id}"
            )
