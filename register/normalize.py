"""Normalisation of names, streets and places for matching (BMeldDAV Anlage Nr. 4).

Requesters and municipalities spell the same name differently (``Müller``/``MUELLER``,
``Lange Straße``/``Lange-Str.``); matching compares the *base letters* of DIN 91379 instead
(BMeldDAV Anlage Nr. 4, DIN 91379 table 9):

1. the explicit table below (letters whose base form is not their decomposition: ``ä → ae``,
   ``ß → ss``, ``ø → oe``, ``ł → l`` …);
2. Unicode NFD, dropping the combining marks (``é → e``, ``ş → s``, ``İ → I``);
3. upper case;
4. only ``A–Z`` and ``0–9`` survive: every character the table does not map to a base letter
   is *removed* — blanks, hyphens, dots and apostrophes included, and letters outside the Latin
   script. The Anlage's own examples: ``Lange Straße`` = ``Lange-Strasse`` = ``LangeStrasse``,
   ``Karl-Heinz`` = ``Karlheinz``, and so ``Müller-Lüdenscheidt`` = ``Müller Lüdenscheidt``.

A value that is empty after this is absent (``None``).

Two things happen *before* this step, because it removes the blanks they need:

- first names are split at blanks — never at hyphens — into single names
  (:func:`split_vornamen`, :func:`normalize_vornamen`): ``Karl Heinz`` is two names,
  ``Karl-Heinz`` one (``KARLHEINZ``);
- placeholders (``*``, ``?``) are not search data of a Personensuche (BMeldDAV § 4 Abs. 7):
  :func:`has_placeholder` finds them on the raw text, so that they are refused, not silently
  removed by step 4.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

__all__ = [
    "PLATZHALTER",
    "has_placeholder",
    "normalize",
    "normalize_code",
    "normalize_strasse",
    "normalize_vornamen",
    "split_vornamen",
]

#: Placeholders of the freie Suche (BMeldDAV § 7); never allowed in a Personensuche (§ 4 Abs. 7).
PLATZHALTER = frozenset("*?")

# Base letters whose DIN 91379 form is not what NFD gives (or that NFD does not decompose).
_EXPLICIT: dict[int, str] = {
    ord(char): base
    for chars, base in (
        ("äÄ", "AE"),
        ("öÖ", "OE"),
        ("üÜ", "UE"),
        ("ßẞ", "SS"),
        ("øØ", "OE"),
        ("åÅ", "AA"),
        ("æÆ", "AE"),
        ("œŒ", "OE"),
        ("łŁ", "L"),
        ("đĐðÐ", "D"),
        ("þÞ", "TH"),
        ("ıİ", "I"),
        ("ĳĲ", "IJ"),
        ("ħĦ", "H"),
        ("ŧŦ", "T"),
        ("ŀĿ", "L"),
        ("ŋŊ", "N"),
        ("ſ", "S"),
        ("ƒ", "F"),
        ("ǆǅǄ", "DZ"),
    )
    for char in chars
}


class _Filter(dict[int, str | None]):
    """``str.translate`` table for step 4: base letters and digits stay, the rest goes."""

    def __missing__(self, codepoint: int) -> str | None:
        char = chr(codepoint)
        result = char if ("A" <= char <= "Z" or "0" <= char <= "9") else None
        self[codepoint] = result
        return result


_FILTER = _Filter()


def normalize(text: str | None) -> str | None:
    """Base-letter form of a name, street or place; None when nothing is left."""
    if text is None:
        return None
    return _normalize(text)


# Names and streets repeat endlessly in a register: an import of millions hits this cache.
@functools.lru_cache(maxsize=1 << 16)
def _normalize(text: str) -> str | None:
    value = text
    if not value.isascii():
        # NFC first, so that a decomposed "u" + U+0308 meets the table as "ü" (→ UE), not as
        # "u" with a mark that NFD would merely drop.
        value = unicodedata.normalize("NFC", value).translate(_EXPLICIT)
        value = "".join(
            char for char in unicodedata.normalize("NFD", value) if not unicodedata.combining(char)
        )
    value = value.upper().translate(_FILTER)
    return value or None


def has_placeholder(text: str | None) -> bool:
    """Whether ``text`` holds a placeholder ``*`` or ``?`` (refused in a Personensuche,
    BMeldDAV § 4 Abs. 7 — checked on the raw text, because :func:`normalize` removes them)."""
    return text is not None and not PLATZHALTER.isdisjoint(text)


# Trailing abbreviations and suffixes of street names (BMeldDAV Anlage Nr. 4), most specific
# first. They are applied to the normalised value, which has no blanks or dots left: "Lange
# Str.", "Lange-Str", "Langestr." and "Lange Straße" all end in LANGESTR… here.
_STRASSE_SUFFIXES = (("GAESSLE", "GASSE"), ("WEGLE", "WEG"), ("STR", "STRASSE"), ("PL", "PLATZ"))


def normalize_strasse(text: str | None) -> str | None:
    """:func:`normalize` plus the street suffix rule of BMeldDAV Anlage Nr. 4: trailing
    ``STR → STRASSE``, ``PL → PLATZ``, ``WEGLE → WEG``, ``GAESSLE → GASSE``
    (``Lange Str.`` → ``LANGESTRASSE``, ``Marktpl.`` → ``MARKTPLATZ``)."""
    value = normalize(text)
    if value is None:
        return None
    for suffix, full in _STRASSE_SUFFIXES:
        if value.endswith(suffix):
            return value[: -len(suffix)] + full
    return value


def split_vornamen(text: str | None) -> tuple[str, ...]:
    """Split first names at blanks, never at hyphens (BMeldDAV Anlage Nr. 4):
    ``Hans-Peter Karl`` → ``("Hans-Peter", "Karl")``. Raw parts, not normalised."""
    if not text:
        return ()
    return tuple(text.split())


def normalize_vornamen(values: Iterable[str | None]) -> tuple[str, ...]:
    """Normalised single first names of ``values`` (each may hold several), in order, unique.

    Each value is split at blanks *before* normalising (which removes blanks and hyphens), so
    ``"Karl Heinz"`` gives ``KARL`` and ``HEINZ`` while ``"Karl-Heinz"`` gives ``KARLHEINZ``
    (BMeldDAV Anlage Nr. 4).
    """
    seen: dict[str, None] = {}
    for value in values:
        for part in split_vornamen(value):
            normalised = normalize(part)
            if normalised is not None:
                seen.setdefault(normalised, None)
    return tuple(seen)


def normalize_code(text: str | None) -> str | None:
    """A code value (country, sex): trimmed, upper case; None when empty."""
    if text is None:
        return None
    value = text.strip().upper()
    return value or None
