"""Who may ask: registered authorities, their users, and the principal behind a request.

The class of an authority (public body or security authority, and the sub-type of a security
authority) is a fact of its registration with the operator (§ 39 BMG, Nds. NMeldVO § 26),
never of a message: the decision step reads it from here.

A registration leaves no doubt about the authority's identity (DOMAIN.md § 7): its Kennung,
name, postal address (:attr:`Authority.anschrift`, the lines of an envelope) and contact
(:class:`Kontakt`), its class, the client networks it retrieves from
(:mod:`datenspiegel.access.networks`), and one named main administrator — a :class:`User` of
the authority with the role :attr:`UserRole.ADMINISTRATOR` (:attr:`Authority.administrator_id`),
whose name :attr:`Authority.administrator` repeats. Registrations from before access schema
version 2 name the administrator only (``administrator_id`` is ``None``) until the operator
runs ``authority set-admin``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType

from cryptography import x509

from datenspiegel.access.errors import InvalidAuthority, InvalidContact, InvalidUser
from datenspiegel.access.networks import ALLE_NETZE, IPNetwork, check_netze

__all__ = [
    "ELEMENT_CODES",
    "OPERATIONEN",
    "SICHERHEITSBEHOERDE_UNTERTYPEN",
    "Authority",
    "Behoerdenklasse",
    "Hauptadministrator",
    "Kontakt",
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

#: Operations a user may be restricted to (the service names of access.entitlement, which
#: this module cannot import: entitlement imports the model).
OPERATIONEN = frozenset({"personensuche", "freie_suche", "faelle"})

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
# A postal address as the lines of an envelope: DIN 5008 has 6 for the recipient; 10 leaves
# room for the free text of registrations from before access schema version 2 (≤ 1000 chars).
MAX_ANSCHRIFT_ZEILEN = 10
MAX_ANSCHRIFT_ZEILE = 120
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
_TELEFON = re.compile(r"\+?\(?[0-9][0-9 ()/-]{2,39}")


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
    #: Reads the own authority's § 40 records that the operator keeps sealed on its behalf
    #: (§ 40 Abs. 3 BMG: a security authority logs its own retrievals; its data-protection
    #: control reads them).
    PROTOKOLLEINSICHT = "protokolleinsicht"


def _text(value: object, what: str, *, maximum: int, error: type[ValueError]) -> None:
    if not isinstance(value, str) or not value.strip():
        raise error(f"{what} must be a non-empty text")
    if len(value) > maximum:
        raise error(f"{what} must not exceed {maximum} characters (got {len(value)})")
    if "\x00" in value:
        raise error(f"{what} must not contain NUL characters")


@dataclass(frozen=True, slots=True)
class Kontakt:
    """How the operator reaches an authority or a person: telephone and/or e-mail."""

    telefon: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        if self.telefon is None and self.email is None:
            raise InvalidContact("a contact needs a telephone number or an e-mail address")
        if self.telefon is not None and (
            not isinstance(self.telefon, str) or not _TELEFON.fullmatch(self.telefon)
        ):
            raise InvalidContact(
                f"telephone number {self.telefon!r} must be digits with optional leading '+', "
                "spaces, '/', '-' or parentheses (e.g. +49 511 168-0)"
            )
        if self.email is not None and (
            not isinstance(self.email, str)
            or len(self.email) > 254
            or not _EMAIL.fullmatch(self.email)
        ):
            raise InvalidContact(f"e-mail address {self.email!r} must look like name@host.tld")


def _anschrift(value: object) -> None:
    if not isinstance(value, tuple) or not value:
        raise InvalidAuthority(
            "the postal address must be given as its lines (a non-empty tuple of texts), "
            "e.g. ('Trammplatz 2', '30159 Hannover')"
        )
    if len(value) > MAX_ANSCHRIFT_ZEILEN:
        raise InvalidAuthority(
            f"a postal address has at most {MAX_ANSCHRIFT_ZEILEN} lines (got {len(value)})"
        )
    for line in value:
        _text(
            line,
            "each line of the postal address",
            maximum=MAX_ANSCHRIFT_ZEILE,
            error=InvalidAuthority,
        )
        if "\n" in line or "\r" in line:
            raise InvalidAuthority("give each line of the postal address separately")


@dataclass(frozen=True, slots=True)
class Authority:
    """A registered requesting authority."""

    id: int
    kennung: str
    name: str
    klasse: Behoerdenklasse
    untertyp: int | None
    #: Postal address as the lines of an envelope, without the authority's name.
    anschrift: tuple[str, ...] | None
    #: Name of the named main administrator (§ 39 BMG, NMeldVO § 26); when
    #: ``administrator_id`` is set, the name of that user.
    administrator: str
    protokollierung_durch_betreiber: bool
    gesperrt: bool = False
    gesperrt_grund: str | None = None
    kontakt: Kontakt | None = None
    #: The main administrator as a user of this authority (role ADMINISTRATOR); ``None`` for
    #: registrations from before access schema version 2 until ``authority set-admin``.
    administrator_id: int | None = None
    #: Client networks requests are accepted from (§ 39 Abs. 3 BMG); see
    #: :mod:`datenspiegel.access.networks`.
    netze: tuple[IPNetwork, ...] = ALLE_NETZE

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
            _anschrift(self.anschrift)
        if self.kontakt is not None and not isinstance(self.kontakt, Kontakt):
            raise InvalidAuthority(f"kontakt must be a Kontakt, not {self.kontakt!r}")
        object.__setattr__(self, "netze", check_netze(self.netze))
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
    #: Day the user was instructed on the purpose limitation of the data (§ 41 BMG; the
    #: authority binds its users to it, DOMAIN.md § 7). ``None``: unknown — only users created
    #: before access schema version 2; new users need it.
    belehrt_am: date | None = None
    kontakt: Kontakt | None = None
    #: The operations (service names of :mod:`datenspiegel.access.entitlement`) the authority
    #: lets this user use (§ 39 Abs. 1 BMG, data minimisation); ``None`` = every one.
    erlaubte_operationen: frozenset[str] | None = None

    def __post_init__(self) -> None:
        _text(self.kennung, "user Kennung", maximum=_MAX_USER_KENNUNG, error=InvalidUser)
        if self.erlaubte_operationen is not None and (
            not isinstance(self.erlaubte_operationen, frozenset)
            or not self.erlaubte_operationen <= OPERATIONEN
        ):
            raise InvalidUser(
                "erlaubte_operationen must be a frozenset of "
                + ", ".join(sorted(OPERATIONEN))
                + f" or None, not {self.erlaubte_operationen!r}"
            )
        _text(self.name, "user name", maximum=_MAX_NAME, error=InvalidUser)
        if self.belehrt_am is not None and (
            not isinstance(self.belehrt_am, date) or isinstance(self.belehrt_am, datetime)
        ):
            raise InvalidUser(f"belehrt_am must be a date, not {self.belehrt_am!r}")
        if self.kontakt is not None and not isinstance(self.kontakt, Kontakt):
            raise InvalidUser(f"kontakt must be a Kontakt, not {self.kontakt!r}")
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
class Hauptadministrator:
    """The main administrator named at registration (§ 39 BMG, Nds. NMeldVO § 26): a person of
    the authority, reachable (``kontakt``), instructed on the purpose limitation (§ 41 BMG) and,
    once registered, identified by the signing certificate they act with."""

    kennung: str
    name: str
    kontakt: Kontakt
    belehrt_am: date
    certificate: x509.Certificate | None = None

    def __post_init__(self) -> None:
        _text(self.kennung, "administrator Kennung", maximum=_MAX_USER_KENNUNG, error=InvalidUser)
        _text(self.name, "administrator name", maximum=_MAX_NAME, error=InvalidUser)
        if not isinstance(self.kontakt, Kontakt):
            raise InvalidAuthority(
                "the main administrator needs a contact (telephone or e-mail) the operator "
                "can reach them at"
            )
        if not isinstance(self.belehrt_am, date) or isinstance(self.belehrt_am, datetime):
            raise InvalidUser(
                "the main administrator needs the date of the instruction on purpose "
                "limitation (§ 41 BMG)"
            )


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
