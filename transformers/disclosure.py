"""The legal disclosure rules of a Personensuche (DOMAIN.md §§ 3, 5), as a pure decision.

Input: every person the register matched. Output: what may leave the broker. The register
returns all matches; only here is the law applied, so it is applied once and in one place.

Decisions taken where the law is silent:
- The answer status follows the number of matches (BMeldDAV: "several hits → hit list"); the
  list itself never shows a person with an Auskunftssperre. When every match is blocked, the
  answer is the neutral 03, so that it cannot be told apart from "no hit".
- § 34a Abs. 6: police, Verfassungsschutz, BND, MAD and customs investigation (sub-types 1, 6–9)
  see a blocked person when the block was not instigated by a security authority, but only if
  the user is the head of the authority or specially authorised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from datenspiegel.register.model import Person
from datenspiegel.transformers.errors import BusinessRejection
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund

__all__ = ["MAX_TREFFER", "Disclosure", "Requester", "decide_disclosure"]

MAX_TREFFER = 1000
_ABS6_UNTERTYPEN = frozenset({1, 6, 7, 8, 9})


@dataclass(frozen=True, slots=True)
class Requester:
    """What the registry (never the message) says about who asks."""

    sicherheitsbehoerde: bool
    untertyp: int | None = None
    besonders_ermaechtigt: bool = False

    @property
    def sieht_gesperrte(self) -> bool:
        return (
            self.sicherheitsbehoerde
            and self.untertyp in _ABS6_UNTERTYPEN
            and self.besonders_ermaechtigt
        )


@dataclass(frozen=True, slots=True)
class Disclosure:
    status: Ergebnisstatus
    person: Person | None
    trefferliste: tuple[Person, ...]
    withheld: tuple[Person, ...]
    matched: tuple[Person, ...]

    @property
    def disclosed(self) -> tuple[Person, ...]:
        return (self.person,) if self.person is not None else self.trefferliste


def _visible(person: Person, requester: Requester, stichtag: date) -> bool:
    if not person.sperrt_auskunft_am(stichtag):
        return True
    return requester.sieht_gesperrte and not person.gesperrt_durch_sicherheitsbehoerde_am(stichtag)


def decide_disclosure(
    matches: Sequence[Person], requester: Requester, *, stichtag: date
) -> Disclosure:
    """Apply §§ 34a, 51 BMG to the register's matches on ``stichtag``; reject above 1 000."""
    if len(matches) > MAX_TREFFER:
        raise BusinessRejection(
            Grund.TREFFERLISTE_ZU_GROSS,
            f"more than {MAX_TREFFER} persons match; add search data (date of birth, street, "
            "first names) to narrow the search",
        )
    matched = tuple(matches)
    visible = tuple(p for p in matched if _visible(p, requester, stichtag))
    withheld = tuple(p for p in matched if not _visible(p, requester, stichtag))
    if not visible:
        return Disclosure(Ergebnisstatus.NEUTRAL, None, (), withheld, matched)
    if len(matched) == 1:
        return Disclosure(Ergebnisstatus.PERSON, visible[0], (), withheld, matched)
    return Disclosure(Ergebnisstatus.TREFFERLISTE, None, visible, withheld, matched)
