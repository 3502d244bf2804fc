"""Which requested elements each class of authority may receive (data entitlement).

The tables are data, not code paths, so that the decision step, the user administration and the
documentation read the same source. Codes are those of the element code lists in
``codelists.txt``; the rejection codes are Code.Datenabruf.Nichterstellung.Grund.
"""

from __future__ import annotations

from dataclasses import dataclass

from datenspiegel.access.model import Behoerdenklasse, UserRole
from datenspiegel.xsd.codelists import Grund

__all__ = [
    "FAELLE",
    "FREIE_SUCHE",
    "PERSONENSUCHE",
    "PROTOKOLL",
    "SERVICES",
    "ElementCatalogue",
    "RestrictedGroup",
    "catalogue",
    "entitled_elements",
]

PERSONENSUCHE = "personensuche"
FREIE_SUCHE = "freie_suche"
FAELLE = "faelle"
ADMINISTRATION = "administration"
PROTOKOLL = "protokoll"


@dataclass(frozen=True, slots=True)
class RestrictedGroup:
    """Elements only security authorities may request; a public body asking gets ``code``."""

    codes: frozenset[int]
    code: Grund
    description: str
    legal_source: str


@dataclass(frozen=True, slots=True)
class ElementCatalogue:
    """The element code list of one service and its restricted groups, in checking order."""

    service: str
    codes: range
    restricted: tuple[RestrictedGroup, ...]
    #: Whether a user's ``erlaubte_elemente`` (Personensuche codes) applies to this list.
    user_restriction_applies: bool
    #: The role a user needs for this service (``None``: any registered user).
    rolle: UserRole | None = None


# DOMAIN.md § 3 "Data entitlement": public bodies receive § 34 Abs. 1 Satz 1 BMG data
# (1–162, 172–175); the rest is for security authorities (§ 34 Abs. 4 Satz 1 BMG) only.
_PERSONENSUCHE = ElementCatalogue(
    service=PERSONENSUCHE,
    codes=range(1, 186),
    restricted=(
        RestrictedGroup(
            frozenset(range(163, 172)),
            Grund.AUSWEISDATEN_NICHT_BERECHTIGT,
            "identity card and passport data",
            "§ 34 Abs. 1 Satz 1, Abs. 4 Satz 1 BMG; Nichterstellung.Grund 07",
        ),
        RestrictedGroup(
            frozenset(range(176, 178)),
            Grund.PASSTATSACHEN_NICHT_BERECHTIGT,
            "facts on passport or identity card refusal (§ 3 Abs. 2 Nr. 4 BMG)",
            "§ 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 08",
        ),
        RestrictedGroup(
            frozenset(range(178, 184)),
            Grund.WAFFENDATEN_NICHT_BERECHTIGT,
            "weapons and explosives data",
            "§ 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 09",
        ),
        RestrictedGroup(
            frozenset(range(184, 186)),
            Grund.WOHNUNGSGEBER_NICHT_BERECHTIGT,
            "landlord and owner (Wohnungsgeber)",
            "§ 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 10",
        ),
    ),
    user_restriction_applies=True,
)

# DOMAIN.md § 4: a freie Suche returns items 1–8 and 16 of § 34 Abs. 1 Satz 1 BMG plus the
# current main address; move-in date, identity documents, weapons/explosives facts and the
# landlord only to security authorities.
_FREIE_SUCHE = ElementCatalogue(
    service=FREIE_SUCHE,
    codes=range(1, 47),
    restricted=(
        RestrictedGroup(
            frozenset(range(29, 38)),
            Grund.AUSWEISDATEN_NICHT_BERECHTIGT,
            "identity card and passport data",
            "§ 34a Abs. 3 i.V.m. § 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 07",
        ),
        RestrictedGroup(
            frozenset(range(42, 45)),
            Grund.WAFFENDATEN_NICHT_BERECHTIGT,
            "weapons and explosives data",
            "§ 34a Abs. 3 i.V.m. § 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 09",
        ),
        RestrictedGroup(
            frozenset(range(45, 47)),
            Grund.WOHNUNGSGEBER_NICHT_BERECHTIGT,
            "landlord and owner (Wohnungsgeber)",
            "§ 34a Abs. 3 i.V.m. § 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 10",
        ),
        RestrictedGroup(
            frozenset({28}),
            Grund.EINZUGSDATUM_NICHT_BERECHTIGT,
            "move-in date (Einzugsdatum)",
            "§ 34a Abs. 3 i.V.m. § 34 Abs. 4 Satz 1 BMG; Nichterstellung.Grund 11",
        ),
    ),
    # The user allowance is kept in Personensuche codes; the freie Suche list numbers the
    # elements differently, so the decision refuses restricted users there (fail closed).
    user_restriction_applies=False,
)

# The hand-over cases (1322) and notices: their recipients fetch and acknowledge them; no
# register elements are requested. Who gets which case is the handler's rule (its recipient
# is the signer's own authority), see datenspiegel.service.operations.faelle.
_FAELLE = ElementCatalogue(
    service=FAELLE, codes=range(1, 1), restricted=(), user_restriction_applies=False
)

# The administration service: an authority's administrator manages its users (§ 39 BMG, Nds.
# NMeldVO § 26). No register elements; only users with the role ADMINISTRATOR.
_ADMINISTRATION = ElementCatalogue(
    service=ADMINISTRATION,
    codes=range(1, 1),
    restricted=(),
    user_restriction_applies=False,
    rolle=UserRole.ADMINISTRATOR,
)

# A security authority's own protocol records, kept sealed on its behalf (§ 40 Abs. 3 BMG):
# only users with the role PROTOKOLLEINSICHT fetch them.
_PROTOKOLL = ElementCatalogue(
    service=PROTOKOLL,
    codes=range(1, 1),
    restricted=(),
    user_restriction_applies=False,
    rolle=UserRole.PROTOKOLLEINSICHT,
)

SERVICES: tuple[str, ...] = (PERSONENSUCHE, FREIE_SUCHE, FAELLE, ADMINISTRATION, PROTOKOLL)
_CATALOGUES = {
    c.service: c for c in (_PERSONENSUCHE, _FREIE_SUCHE, _FAELLE, _ADMINISTRATION, _PROTOKOLL)
}


def catalogue(service: str) -> ElementCatalogue | None:
    """The element catalogue of ``service``, or ``None`` for a service we do not offer."""
    return _CATALOGUES.get(service)


def entitled_elements(klasse: Behoerdenklasse, service: str = PERSONENSUCHE) -> frozenset[int]:
    """All element codes of ``service`` an authority of ``klasse`` may request."""
    cat = _CATALOGUES[service]
    allowed = set(cat.codes)
    if klasse is not Behoerdenklasse.SICHERHEITSBEHOERDE:
        for group in cat.restricted:
            allowed -= group.codes
    return frozenset(allowed)
