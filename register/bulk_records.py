"""The fast path of a full load: a JSON line checked in C and turned into its rows directly.

:func:`~datenspiegel.register.jsonl.loads_person` reads a line with ``json.loads`` and checks
it field by field in Python into the record model; :func:`~datenspiegel.register.keys.person_keys`
then derives the search keys as objects, and :mod:`~datenspiegel.register.tablerows` lays them
out. That is about 130 µs of Python per record — ten million records are twenty CPU-minutes.

Here the same line is decoded by msgspec into structs *generated from the model's own
dataclasses* (field names, types, defaults; unknown fields refused), with the checks of the
model's ``__post_init__`` expressed as constraints (:data:`_CHECKS`: Gemeindeschlüssel
pattern, code values) and every partially known date read by the model's own parser
(:meth:`TeilbekanntesDatum.parse`) — all of it in one C call. The rows are then made from the
structs without a :class:`Person` or key objects, with the per-string work (normalisation,
Kölner Phonetik, dates) memoised per worker, because names, streets and dates repeat
throughout a register.

The rules stay those of :mod:`~datenspiegel.register.keys` (BMeldDAV Anlage Nr. 4): the rows
here are compared with those of :func:`person_keys` / :func:`record_tuples`, row for row, by
``tests/test_register_bulk.py`` (every generated record, every field of every part set to
refused values). And this path never decides that a record is bad: whatever it does not
accept — a malformed line, a refused value, a line whose text needs ``COPY`` escapes — goes
the checked way (:func:`record_rows` returns None), which accepts it or names the field and
the line exactly as before.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

import msgspec

from datenspiegel.register.codes import (
    AngehoerigenArt,
    AuskunftssperreCode,
    AusweisArt,
    Familienstand,
    Geschlecht,
    NameKind,
    Wohnungsstatus,
)
from datenspiegel.register.keys import UNBEKANNT, hausnummer_zahl
from datenspiegel.register.model import (
    Angehoeriger,
    Anschrift,
    Auskunftssperre,
    Ausweis,
    BehoerdlicherVermerk,
    Person,
    TeilbekanntesDatum,
    Wohnungsgeber,
)
from datenspiegel.register.normalize import normalize, normalize_code, normalize_strasse
from datenspiegel.register.phonetics import koelner_phonetik

__all__ = ["FastRecord", "decode_line", "record_rows"]

#: The checks of the model's ``__post_init__`` methods, as constraints of the decoder: an
#: 8-digit Gemeindeschlüssel (``\Z``: no trailing newline, as ``re.fullmatch``), or a value
#: of the code list. A check added to the model needs its line here; the tests set every
#: field of every part to refused values and compare this path with the checked one.
_CHECKS: dict[tuple[type, str], str | type[StrEnum]] = {
    (Person, "ags"): r"^\d{8}\Z",
    (Person, "geschlecht"): Geschlecht,
    (Person, "familienstand"): Familienstand,
    (Anschrift, "ags"): r"^\d{8}\Z",
    (Anschrift, "wohnungsstatus"): Wohnungsstatus,
    (Auskunftssperre, "code"): AuskunftssperreCode,
    (Angehoeriger, "art"): AngehoerigenArt,
    (Angehoeriger, "geschlecht"): Geschlecht,
    (Ausweis, "art"): AusweisArt,
}


class _Datum:
    """A partially known date read from its text by :meth:`TeilbekanntesDatum.parse` (the
    model's parser and checks), with its search keys: one instance per distinct text."""

    __slots__ = ("beginn", "key")

    def __init__(self, value: TeilbekanntesDatum) -> None:
        #: :func:`~datenspiegel.register.keys.date_key` (:data:`UNBEKANNT` for an unknown date)
        self.key: str = UNBEKANNT if value.unbekannt else str(value)
        #: :func:`~datenspiegel.register.keys.beginn_key`: the first day it may mean
        day = value.bereichsbeginn()
        self.beginn: str | None = day.isoformat() if day is not None else None


@functools.lru_cache(maxsize=1 << 17)
def _parse_datum(text: str) -> _Datum:
    return _Datum(TeilbekanntesDatum.parse(text))


def _dec_hook(kind: type, value: Any) -> Any:
    if kind is _Datum and value.__class__ is str:
        return _parse_datum(value)  # InvalidDateError is a ValueError: msgspec refuses
    raise TypeError(f"not a {kind.__name__}")


_STRUCTS: dict[type, type[msgspec.Struct]] = {}


def _constrained(cls: type, name: str, kind: Any) -> Any:
    check = _CHECKS.get((cls, name))
    if check is None:
        return kind
    if isinstance(check, str):
        inner: Any = Annotated[str, msgspec.Meta(pattern=check)]
    else:
        inner = Literal[tuple(member.value for member in check)]
    return inner | None if kind == (str | None) else inner


def _field_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _field_type(inner) | None
    if origin is tuple:
        return tuple[_field_type(typing.get_args(annotation)[0]), ...]  # type: ignore[misc]
    if annotation is TeilbekanntesDatum:
        return _Datum
    if annotation in (str, int, bool, date):
        return annotation
    if dataclasses.is_dataclass(annotation):
        return _struct(typing.cast(type, annotation))
    raise TypeError(f"no fast decoder for {annotation!r}")  # a new field type needs one here


def _struct(cls: type) -> type[msgspec.Struct]:
    """A struct with the fields of the model dataclass ``cls`` (same names and defaults)."""
    struct = _STRUCTS.get(cls)
    if struct is None:
        hints = typing.get_type_hints(cls)
        fields: list[Any] = []
        for field in dataclasses.fields(cls):
            kind = _constrained(cls, field.name, _field_type(hints[field.name]))
            default = field.default
            if default is dataclasses.MISSING:
                fields.append((field.name, kind))
            else:
                if isinstance(default, TeilbekanntesDatum):
                    default = _Datum(default)
                fields.append((field.name, kind, default))
        struct = _STRUCTS[cls] = msgspec.defstruct(
            f"Fast{cls.__name__}",
            fields,
            kw_only=True,
            forbid_unknown_fields=True,
            frozen=True,
            gc=False,
        )
    return struct


for _cls in (Person, Anschrift, Auskunftssperre, Angehoeriger, Ausweis, BehoerdlicherVermerk):
    _struct(_cls)
_struct(Wohnungsgeber)

#: A decoded line: a struct with the fields of :class:`Person` (structs for its parts).
FastRecord = Any
_decoder = msgspec.json.Decoder(_struct(Person), dec_hook=_dec_hook)


def decode_line(text: str | bytes) -> FastRecord | None:
    """The checked struct of one JSON line, or None when the checked way must judge it."""
    try:
        return _decoder.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


# -- keys, memoised per distinct text (BMeldDAV Anlage Nr. 4, as keys.person_keys) --------

_CACHE = 1 << 18


@functools.lru_cache(maxsize=_CACHE)
def _name(value: str) -> tuple[str, str | None] | None:
    """Normalised name and its Kölner Phonetik; None when nothing is left."""
    normalised = normalize(value)
    if normalised is None:
        return None
    return normalised, koelner_phonetik(normalised)


@functools.lru_cache(maxsize=_CACHE)
def _vorname_parts(value: str | None) -> tuple[tuple[str, str | None], ...]:
    """Single first names of one value (split at blanks, never hyphens), normalised, with
    their codes (as :func:`~datenspiegel.register.normalize.normalize_vornamen`)."""
    if not value:
        return ()
    out = []
    for part in value.split():
        name = _name(part)
        if name is not None:
            out.append(name)
    return tuple(out)


@functools.lru_cache(maxsize=_CACHE)
def _vornamen(
    vornamen: tuple[str, ...], ordensname: str | None, kuenstlername: str | None
) -> tuple[tuple[str, str | None], ...]:
    seen: dict[str, str | None] = {}
    for value in (*vornamen, ordensname, kuenstlername):
        for normalised, phon in _vorname_parts(value):
            seen[normalised] = phon
    return tuple(seen.items())


@functools.lru_cache(maxsize=_CACHE)
def _strasse(value: str | None) -> str | None:
    return normalize_strasse(value)


@functools.lru_cache(maxsize=_CACHE)
def _hausnummer(value: str | None) -> tuple[str | None, int | None]:
    return normalize(value), hausnummer_zahl(value)


_normalize = functools.lru_cache(maxsize=_CACHE)(normalize)
_code = functools.lru_cache(maxsize=1 << 12)(normalize_code)

_FAMILIENNAME = NameKind.FAMILIENNAME.value
_EHENAME = NameKind.EHENAME.value
_LEBENSPARTNERSCHAFTSNAME = NameKind.LEBENSPARTNERSCHAFTSNAME.value
_GEBURTSNAME = NameKind.GEBURTSNAME.value
_FRUEHERER = NameKind.FRUEHERER_FAMILIENNAME.value
_ORDENSNAME = NameKind.ORDENSNAME.value
_KUENSTLERNAME = NameKind.KUENSTLERNAME.value

Rows = tuple[list[tuple[Any, ...]], ...]
Streets = dict[tuple[str, str], str]


def record_rows(
    record: FastRecord, text: str, imported_at: str, streets: Streets
) -> list[tuple[Any, ...]] | None:
    """Rows of ``record`` for every table of :data:`~datenspiegel.register.tablerows.ROW_TABLES`
    — person row first, then names, first names, dates of birth, addresses, blocks,
    nationalities, flattened, each row led by its table's index — and its streets added to
    ``streets``. Dates are ISO text. None when the record has no id (the checked way says so)."""
    pid = record.id
    if pid is None:
        return None
    ags = record.ags
    rows: list[tuple[Any, ...]] = []
    add = rows.append
    anschriften = record.anschriften
    sterbedatum = record.sterbedatum
    aktuell = False
    for anschrift in anschriften:
        if anschrift.aktuell:
            aktuell = True
            break
    add(
        (
            0,
            pid,
            ags,
            _normalize(record.doktorgrad) if record.doktorgrad is not None else None,
            _normalize(record.geburtsort) if record.geburtsort is not None else None,
            _code(record.geburtsstaat) if record.geburtsstaat is not None else None,
            _code(record.geschlecht) if record.geschlecht is not None else None,
            sterbedatum.key if sterbedatum is not None else None,
            _normalize(record.sterbeort) if record.sterbeort is not None else None,
            _code(record.sterbestaat) if record.sterbestaat is not None else None,
            _normalize(record.azr_nummer) if record.azr_nummer is not None else None,
            _code(record.familienstand) if record.familienstand is not None else None,
            aktuell and sterbedatum is None,
            record.waffenerlaubnis is not None,
            record.waffenbesitzverbot is not None,
            record.sprengstofferlaubnis is not None,
            text,
            imported_at,
        )
    )
    # Names (keys._namen): every kind once per normalised value, in the model's order.
    seen: set[tuple[str, str]] = set()
    for kind, value in (
        (_FAMILIENNAME, record.familienname),
        (_EHENAME, record.ehename),
        (_LEBENSPARTNERSCHAFTSNAME, record.lebenspartnerschaftsname),
        (_GEBURTSNAME, record.geburtsname),
        *((_FRUEHERER, name) for name in record.fruehere_familiennamen),
        (_ORDENSNAME, record.ordensname),
        (_KUENSTLERNAME, record.kuenstlername),
    ):
        if value is None:
            continue
        name = _name(value)
        if name is not None and (kind, name[0]) not in seen:
            seen.add((kind, name[0]))
            add((1, pid, kind, name[0], ags, name[1]))
    # First names (keys._vornamen): current ones and the words of Ordens-/Künstlername,
    # then the former ones not among them.
    current = _vornamen(record.vornamen, record.ordensname, record.kuenstlername)
    for value, phon in current:
        add((2, pid, value, phon, False))
    if record.fruehere_vornamen:
        taken = {value for value, _ in current}
        for value, phon in _vornamen(record.fruehere_vornamen, None, None):
            if value not in taken:
                add((2, pid, value, phon, True))
    # Dates of birth (keys._geburtsdaten): unique, an unknown one as UNBEKANNT.
    first = record.geburtsdatum
    add((3, pid, first.key, first.beginn))
    if record.fruehere_geburtsdaten:
        keys = {first.key}
        for datum in record.fruehere_geburtsdaten:
            if datum.key not in keys:
                keys.add(datum.key)
                add((3, pid, datum.key, datum.beginn))
    # Addresses (keys._anschriften) and the streets they name (register/strassen.py).
    for position, anschrift in enumerate(anschriften):
        strasse = anschrift.strasse
        strasse_key = _strasse(strasse) if strasse is not None else None
        hausnummer = _hausnummer(anschrift.hausnummer)
        einzug = anschrift.einzugsdatum
        auszug = anschrift.auszugsdatum
        add(
            (
                4,
                pid,
                position,
                anschrift.ags,
                _normalize(anschrift.postleitzahl) if anschrift.postleitzahl is not None else None,
                strasse_key,
                hausnummer[0],
                _normalize(anschrift.hausnummer_buchstabe)
                if anschrift.hausnummer_buchstabe is not None
                else None,
                _normalize(anschrift.teilnummer) if anschrift.teilnummer is not None else None,
                anschrift.aktuell,
                _normalize(anschrift.wohnort) if anschrift.wohnort is not None else None,
                hausnummer[1],
                anschrift.wohnungsstatus,
                einzug.beginn if einzug is not None else None,
                auszug.beginn if auszug is not None else None,
            )
        )
        if anschrift.ags and strasse and strasse_key is not None:
            streets.setdefault((anschrift.ags, strasse_key), strasse)
    # Blocks by position (tablerows.sperre_tuples).
    for position, sperre in enumerate(record.auskunftssperren):
        bis = sperre.bis
        add(
            (
                5,
                pid,
                position,
                sperre.code,
                bis.isoformat() if bis is not None else None,
                sperre.veranlassende_stelle,
            )
        )
    # Nationalities (keys.person_keys): normalised codes, unique.
    if record.staatsangehoerigkeiten:
        codes: set[str] = set()
        for staat in record.staatsangehoerigkeiten:
            code = _code(staat)
            if code and code not in codes:
                codes.add(code)
                add((6, pid, code))
    return rows


def cache_clear() -> None:
    """Empty the memoised keys (tests; a worker keeps them for its lifetime)."""
    caches: list[Callable[..., Any]] = [
        _name,
        _vorname_parts,
        _vornamen,
        _strasse,
        _hausnummer,
        _normalize,
        _code,
        _parse_datum,
    ]
    for cache in caches:
        cache.cache_clear()  # type: ignore[attr-defined]
