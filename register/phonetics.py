"""Kölner Phonetik (Postel 1969) for the phonetic Personensuche.

The requester may switch a Personensuche to phonetic matching; names are then compared only
by their code. The code is taken over the whole normalised name (DOMAIN.md § 3): its letters
as one sequence — blanks and hyphens do not start a new word — so ``Müller-Lüdenscheidt``
gives ``65752682``, as in the reference example.
"""

from __future__ import annotations

import functools

from datenspiegel.register.normalize import normalize

__all__ = ["koelner_phonetik"]

_VOWELS = frozenset("AEIJOUY")
_C_INITIAL_HARD = frozenset("AHKLOQRUX")
_C_HARD = frozenset("AHKOQUX")
_SIBILANTS = frozenset("SZ")
_DT_SOFT_BEFORE = frozenset("CSZ")
_X_AFTER = frozenset("CKQ")
_SIMPLE = {
    "B": "1",
    "F": "3",
    "V": "3",
    "W": "3",
    "G": "4",
    "K": "4",
    "Q": "4",
    "L": "5",
    "M": "6",
    "N": "6",
    "R": "7",
    "S": "8",
    "Z": "8",
}


def _letter_code(letters: str, i: int) -> str:
    char = letters[i]
    prev = letters[i - 1] if i > 0 else ""
    nxt = letters[i + 1] if i + 1 < len(letters) else ""
    if char in _VOWELS:
        return "0"
    simple = _SIMPLE.get(char)
    if simple is not None:
        return simple
    if char == "H":
        return ""
    if char == "P":
        return "3" if nxt == "H" else "1"
    if char in ("D", "T"):
        return "8" if nxt and nxt in _DT_SOFT_BEFORE else "2"
    if char == "C":
        if i == 0:
            return "4" if nxt and nxt in _C_INITIAL_HARD else "8"
        if prev in _SIBILANTS:
            return "8"
        return "4" if nxt and nxt in _C_HARD else "8"
    if char == "X":
        return "8" if prev and prev in _X_AFTER else "48"
    return ""


def koelner_phonetik(name: str | None) -> str | None:
    """The Kölner Phonetik code of ``name`` (normalised first); None when it has no letters."""
    normalised = normalize(name)
    if normalised is None:
        return None
    return _code(normalised)


@functools.lru_cache(maxsize=1 << 16)
def _code(normalised: str) -> str | None:
    letters = "".join(char for char in normalised if "A" <= char <= "Z")
    if not letters:
        return None
    raw = "".join(_letter_code(letters, i) for i in range(len(letters)))
    collapsed: list[str] = []
    for digit in raw:
        if not collapsed or collapsed[-1] != digit:
            collapsed.append(digit)
    # Zeros (vowels) only count at the start.
    code = collapsed[0] + "".join(d for d in collapsed[1:] if d != "0") if collapsed else ""
    return code or None
