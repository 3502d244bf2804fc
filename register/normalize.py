"""Normalisation of names, streets and places for matching (BMeldDAV Anlage Nr. 4).

Requesters and municipalities spell the same name differently (``Müller``/``MUELLER``,
``Straße``/``Str.``); matching compares the *base letters* of DIN 91379 instead:

1. the explicit table below (letters whose base form is not their decomposition: ``ä → ae``,
   ``ß → ss``, ``ø → oe``, ``ł → l`` …);
2. Unicode NFD, dropping the combining marks (``é → e``, ``ş → s``, ``İ → I``);
3. upper case;
4. only ``A–Z``, ``0–9``, blank and hyphen survive: apostrophes are dropped (``O'Brien`` and
   ``OBrien`` must meet), other punctuation separates words (``Dr.med.`` → ``DR MED``), and
   anything else (symbols, letters outside the Latin script) is dropped;
5. blanks are collapsed and removed around hyphens (``Müller - Lüdenscheidt`` →
   ``MUELLER-LUEDENSCHEIDT``).

A value that is empty after this is absent (``None``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "normalize",
    "normalize_code",
    "normalize_strasse",
    "normalize_vornamen",
    "split_vornamen",
]

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

_HYPHENS = frozenset("-\u00ad\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d")
_APOSTROPHES = frozenset("'`´\u2018\u2019\u201b\u02bc\u02bb\u02b9\u2032")


class _Filter(dict[int, str | None]):
    """``str.translate`` table for step 4, filled lazily for each character seen."""

    def __missing__(self, codepoint: int) -> str | None:
        char = chr(codepoint)
        result: str | None
        if "A" <= char <= "Z" or "0" <= char <= "9":
            result = char
        elif char in _HYPHENS:
            result = "-"
        elif char in _APOSTROPHES:
            result = None
        elif char.isspace() or unicodedata.category(char)[0] in ("P", "Z", "C"):
            result = " "
        else:
            result = None
        self[codepoint] = result
        return result


_FILTER = _Filter()
_BLANKS = re.compile(r" {2,}")
_AROUND_HYPHEN = re.compile(r" ?-[ -]*")


def normalize(text: str | None) -> str | None:
    """Base-letter form of a name, street or place; None when nothing is left."""
    if text is None:
        return None
    return _normalize(text)


# Names and streets repeat endlessly in a register: an import of millions hits this cache.
@functools.lru_cache(maxsize=1 << 16)
def _normalize(text: str) -> str | None:
    value = text.translate(_EXPLICIT)
    if not value.isascii():
        value = "".join(
            char for char in unicodedata.normalize("NFD", value) if not unicodedata.combining(char)
        )
    value = value.upper().translate(_FILTER)
    if "-" in value:
        value = _AROUND_HYPHEN.sub("-", value)
    value = _BLANKS.sub(" ", value).strip(" -")
    return value or None


# Trailing abbreviations of street names (BMeldDAV Anlage Nr. 4), most specific first.
_STRASSE_SUFFIXES = (("GAESSLE", "GASSE"), ("WEGLE", "WEG"), ("STR", "STRASSE"), ("PL", "PLATZ"))


def normalize_strasse(text: str | None) -> str | None:
    """:func:`normalize` plus the street suffix rule (``Bahnhofstr.`` → ``BAHNHOFSTRASSE``)."""
    value = normalize(text)
    if value is None:
        return None
    for suffix, full in _STRASSE_SUFFIXES:
        if value.endswith(suffix):
            return value[: -len(suffix)] + full
    return value


def split_vornamen(text: str | None) -> tuple[str, ...]:
    """Split first names at blanks, never at hyphens (``Hans-Peter Karl`` → two names)."""
    if not text:
        return ()
    return tuple(text.split())


def normalize_vornamen(values: Iterable[str | None]) -> tuple[str, ...]:
    """Normalised single first names of ``values`` (each may hold several), in order, unique."""
    seen: dict[str, None] = {}
    for value in values:
        normalised = normalize(value)
        if normalised is None:
            continue
        for name in normalised.split(" "):
            seen.setdefault(name, None)
    return tuple(seen)


def normalize_code(text: str | None) -> str | None:
    """A code value (country, sex): trimmed, upper case; None when empty."""
    if text is None:
        return None
    value = text.strip().upper()
    return value or None
