"""The legal disclosure rules of a Personensuche (DOMAIN.md §§ 3, 5), as a pure decision.

Input: every person the register matched. Output: which persons may leave the broker and in
which form (status 01, 02 or 03). The register returns all matches; only here is the law
applied to persons, so it is applied once and in one place. Which *elements* of a disclosed
person leave is the answer writer's cut (:mod:`~datenspiegel.transformers.personendaten`).

- No match, or the only match carries a blocking Auskunftssperre (§ 51 BMG) → the neutral 03,
  indistinguishable from "no hit".
- Several matches of which any carries a blocking Auskunftssperre → also 03, and the blocked
  persons are handed to the municipality (§ 34a Abs. 5 BMG): a hit list shortened by the
  blocked person would let the requester conclude that a block exists.
- One visible match → 01; several, none blocked → the 02 hit list (BMeldDAV § 6).
- § 34a Abs. 6 BMG: police, Verfassungsschutz, BND, MAD and customs investigation (sub-types
  1, 6–9) see a blocked person when the block was not instigated by a security authority, but
  only if the user is the head of the authority or specially authorised; for them the person
  is not blocked at all.

Who the requester is (:class:`Requester`) comes from the registration, never from the message —
except that the message may *lower* it: sub-types 4, 11 and 13 are security authorities only
"soweit" they act in that task (§ 34 Abs. 4 Satz 1 Nr. 4, 11, 13 BMG), and one that sends
``sicherheitsbehoerde=false`` is described here as the public body it then is. That judgement
is made by :func:`datenspiegel.access.decision.handelt_als_sicherheitsbehoerde`.
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
# § 34a Abs. 6 BMG: police, Verfassungsschutz, BND, MAD, customs investigation.
_ABS6_UNTERTYPEN = frozenset({1, 6, 7, 8, 9})
# § 34 Abs. 5 BMG applies to these sub-types of § 34 Abs. 4 Satz 1 BMG (DOMAIN.md § 1).
_ABS5_UNTERTYPEN = frozenset({1, 2, 3, 4, 6, 7, 8, 9, 11})


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asks, as this request is answered: a public body or a security authority of a
    sub-type (§ 34 Abs. 4 Satz 1 BMG), from the registration (never raised by the message)."""

    sicherheitsbehoerde: bool
    untertyp: int | None = None
    besonders_ermaechtigt: bool = False

    @property
    def sieht_gesperrte(self) -> bool:
        """§ 34a Abs. 6 BMG: receives persons whose block no security authority instigated."""
        return (
            self.sicherheitsbehoerde
            and self.untertyp in _ABS6_UNTERTYPEN
            and self.besonders_ermaechtigt
        )

    @property
    def unterfaellt_34_abs_5(self) -> bool:
        """§ 34 Abs. 5 BMG applies (sub-types 1–4, 6–9, 11, acting as security authority):
        the person concerned is not told of the retrieval."""
        return self.sicherheitsbehoerde and self.untertyp in _ABS5_UNTERTYPEN


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Which matched persons leave, and how. ``stichtag`` is the transaction's date: the day
    every date rule of the answer is judged on (blocks in force, children still minor)."""

    status: Ergebnisstatus
    person: Person | None
    trefferliste: tuple[Person, ...]
    #: Matched persons held back because of their Auskunftssperre (for the hand-over).
    withheld: tuple[Person, ...]
    matched: tuple[Person, ...]
    stichtag: date

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
    """Apply §§ 34a, 51 BMG to the register's matches on ``stichtag``; reject above 1 000.

    § 34a Abs. 5 BMG: as soon as one match is withheld, nobody is disclosed (status 03) — with
    one match that is the neutral answer, with several it keeps the shortened hit list from
    telling the requester that a block exists.
    """
    if len(matches) > MAX_TREFFER:
        raise BusinessRejection(
            Grund.TREFFERLISTE_ZU_GROSS,
            f"more than {MAX_TREFFER} persons match; add search data (date of birth, street, "
            "first names) to narrow the search",
        )
    matched = tuple(matches)
    withheld = tuple(p for p in matched if not _visible(p, requester, stichtag))
    if not matched or withheld:
        return Disclosure(Ergebnisstatus.NEUTRAL, None, (), withheld, matched, stichtag)
    if len(matched) == 1:
        return Disclosure(Ergebnisstatus.PERSON, matched[0], (), (), matched, stichtag)
    return Disclosure(Ergebnisstatus.TREFFERLISTE, None, matched, (), matched, stichtag)
