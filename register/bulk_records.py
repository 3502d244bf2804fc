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

__all__ = ["FastRecord", "cache_clear", "decode_line", "record_copy_lines", "record_rows"]

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

    __slots__ = ("beginn", "beginn_text", "key")

    def __init__(self, key: str, beginn: str | None) -> None:
        #: :func:`~datenspiegel.register.keys.date_key` (:data:`UNBEKANNT` for an unknown date)
        self.key = key
        #: :func:`~datenspiegel.register.keys.beginn_key`: the first day it may mean
        self.beginn = beginn
        #: that as ``COPY`` text
        self.beginn_text = _NULL if beginn is None else beginn

    @classmethod
    def of(cls, value: TeilbekanntesDatum) -> _Datum:
        day = value.bereichsbeginn()
        return cls(
            UNBEKANNT if value.unbekannt else str(value),
            day.isoformat() if day is not None else None,
        )


_NULL = "\\N"
_DIGITS = frozenset("0123456789")


@functools.lru_cache(maxsize=1 << 18)
def _parse_datum(text: str) -> _Datum:
    # A full date in its canonical form ("1964-08-12", most of a register's dates) is checked
    # by the calendar (year 1–9999, month, day) — what TeilbekanntesDatum.parse checks of it —
    # and is its own key and range day; every other text goes through the model's parser.
    if (
        len(text) == 10
        and text[4] == "-"
        and text[7] == "-"
        and _DIGITS.issuperset(text[:4] + text[5:7] + text[8:])
    ):
        date.fromisoformat(text)  # ValueError: not a day of the calendar (msgspec refuses)
        return _Datum(text, text)
    return _Datum.of(TeilbekanntesDatum.parse(text))


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
                    default = _Datum.of(default)
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


def _t(value: str | None) -> str:
    """``COPY`` text of a text value (NULL for None)."""
    return _NULL if value is None else value


@functools.lru_cache(maxsize=_CACHE)
def _name(value: str | None) -> tuple[str, str | None, str] | None:
    """Normalised name, its Kölner Phonetik (and that as ``COPY`` text); None when nothing is
    left."""
    normalised = normalize(value)
    if normalised is None:
        return None
    phon = koelner_phonetik(normalised)
    return normalised, phon, _t(phon)


@functools.lru_cache(maxsize=_CACHE)
def _vorname_parts(value: str | None) -> tuple[tuple[str, str | None, str], ...]:
    """Single first names of one value (split at blanks, never hyphens), normalised, with
    their codes (as :func:`~datenspiegel.register.normalize.normalize_vornamen`)."""
    if not value:
        return ()
    return tuple(name for part in value.split() if (name := _name(part)) is not None)


@functools.lru_cache(maxsize=_CACHE)
def _vornamen(
    vornamen: tuple[str, ...], ordensname: str | None, kuenstlername: str | None
) -> tuple[tuple[str, str | None, str], ...]:
    """The first-name keys of these values, unique, in order (keys._vornamen)."""
    seen: dict[str, tuple[str, str | None, str]] = {}
    for value in (*vornamen, ordensname, kuenstlername):
        for name in _vorname_parts(value):
            seen[name[0]] = name
    return tuple(seen.values())


@functools.lru_cache(maxsize=_CACHE)
def _merkmale(
    doktorgrad: str | None,
    geburtsort: str | None,
    geburtsstaat: str | None,
    geschlecht: str | None,
    sterbeort: str | None,
    sterbestaat: str | None,
    azr_nummer: str | None,
    familienstand: str | None,
) -> tuple[tuple[str | None, ...], str, str]:
    """The normalised criteria of the person row (keys.person_keys), as values, and as the
    ``COPY`` text of the four columns before and the four after the date of death: they
    repeat together (place of birth, sex, state, marital status)."""
    values = (
        normalize(doktorgrad),
        normalize(geburtsort),
        normalize_code(geburtsstaat),
        normalize_code(geschlecht),
        normalize(sterbeort),
        normalize_code(sterbestaat),
        normalize(azr_nummer),
        normalize_code(familienstand),
    )
    texts = [_t(value) for value in values]
    return values, "\t".join(texts[:4]), "\t".join(texts[4:])


@functools.lru_cache(maxsize=_CACHE)
def _ort(
    postleitzahl: str | None, wohnort: str | None, strasse: str | None
) -> tuple[str | None, str | None, str | None, str, str, str]:
    """Postcode, place and street of an address, normalised (the street with the suffix rule
    of :func:`~datenspiegel.register.normalize.normalize_strasse`), and each as ``COPY``
    text: they repeat together."""
    plz, ort, key = normalize(postleitzahl), normalize(wohnort), normalize_strasse(strasse)
    return plz, ort, key, _t(plz), _t(ort), _t(key)


@functools.lru_cache(maxsize=_CACHE)
def _hausnummer(
    hausnummer: str | None, buchstabe: str | None, teilnummer: str | None
) -> tuple[str | None, int | None, str | None, str | None, str, str]:
    """House number normalised, its leading number, letter and part number normalised; and
    the ``COPY`` text of number, letter, part number (three columns) and leading number."""
    values = (
        normalize(hausnummer),
        hausnummer_zahl(hausnummer),
        normalize(buchstabe),
        normalize(teilnummer),
    )
    zahl = values[1]
    text = "\t".join([_t(values[0]), _t(values[2]), _t(values[3])])
    return (*values, text, _NULL if zahl is None else str(zahl))


_code = functools.lru_cache(maxsize=1 << 12)(normalize_code)

_FAMILIENNAME = NameKind.FAMILIENNAME.value
_EHENAME = NameKind.EHENAME.value
_LEBENSPARTNERSCHAFTSNAME = NameKind.LEBENSPARTNERSCHAFTSNAME.value
_GEBURTSNAME = NameKind.GEBURTSNAME.value
_FRUEHERER = NameKind.FRUEHERER_FAMILIENNAME.value
_ORDENSNAME = NameKind.ORDENSNAME.value
_KUENSTLERNAME = NameKind.KUENSTLERNAME.value

Streets = dict[tuple[str, str], str]
#: the rows of one chunk, one list per table of
#: :data:`~datenspiegel.register.tablerows.ROW_TABLES`
Tables = list[list[Any]]
_Name = tuple[str, str | None, str]


def _namen(record: FastRecord) -> list[tuple[str, _Name]]:
    """Name keys (keys._namen): each kind once per normalised value, in the model's order.
    Only the former family names can repeat a kind."""
    out: list[tuple[str, _Name]] = []
    if record.familienname is not None and (name := _name(record.familienname)) is not None:
        out.append((_FAMILIENNAME, name))
    if record.ehename is not None and (name := _name(record.ehename)) is not None:
        out.append((_EHENAME, name))
    value = record.lebenspartnerschaftsname
    if value is not None and (name := _name(value)) is not None:
        out.append((_LEBENSPARTNERSCHAFTSNAME, name))
    if record.geburtsname is not None and (name := _name(record.geburtsname)) is not None:
        out.append((_GEBURTSNAME, name))
    if record.fruehere_familiennamen:
        seen: set[str] = set()
        for value in record.fruehere_familiennamen:
            name = _name(value)
            if name is not None and name[0] not in seen:
                seen.add(name[0])
                out.append((_FRUEHERER, name))
    if record.ordensname is not None and (name := _name(record.ordensname)) is not None:
        out.append((_ORDENSNAME, name))
    if record.kuenstlername is not None and (name := _name(record.kuenstlername)) is not None:
        out.append((_KUENSTLERNAME, name))
    return out


def _vornamen_of(record: FastRecord) -> list[tuple[_Name, bool]]:
    """First-name keys (keys._vornamen): the current first names and the words of Ordens- and
    Künstlername, then the former first names not among them (flag: former)."""
    current = _vornamen(record.vornamen, record.ordensname, record.kuenstlername)
    out = [(name, False) for name in current]
    if record.fruehere_vornamen:
        taken = {name[0] for name in current}
        out += [
            (name, True)
            for name in _vornamen(record.fruehere_vornamen, None, None)
            if name[0] not in taken
        ]
    return out


def _geburtsdaten(record: FastRecord) -> list[_Datum]:
    """Dates of birth (keys._geburtsdaten): unique keys, an unknown one as UNBEKANNT."""
    first = record.geburtsdatum
    if not record.fruehere_geburtsdaten:
        return [first]
    out, seen = [first], {first.key}
    for datum in record.fruehere_geburtsdaten:
        if datum.key not in seen:
            seen.add(datum.key)
            out.append(datum)
    return out


def _staaten(record: FastRecord) -> dict[str, None]:
    """Nationalities (keys.person_keys): normalised codes, unique, in order."""
    return dict.fromkeys(code for staat in record.staatsangehoerigkeiten if (code := _code(staat)))


def _aktuell(record: FastRecord) -> bool:
    """Registered now: a current address, and not deceased (keys.person_keys)."""
    if record.sterbedatum is not None:
        return False
    for anschrift in record.anschriften:
        if anschrift.aktuell:
            return True
    return False


def _merkmale_of(record: FastRecord) -> tuple[tuple[str | None, ...], str, str]:
    return _merkmale(
        record.doktorgrad,
        record.geburtsort,
        record.geburtsstaat,
        record.geschlecht,
        record.sterbeort,
        record.sterbestaat,
        record.azr_nummer,
        record.familienstand,
    )


def record_rows(
    record: FastRecord, text: str, imported_at: str, streets: Streets, tables: Tables
) -> bool:
    """Append the rows of ``record`` to ``tables`` as tuples (SQLite's values, dates as ISO
    text) and add its streets to ``streets``; False (nothing appended) when it has no id —
    the checked way says so."""
    pid = record.id
    if pid is None:
        return False
    ags = record.ags
    merkmale = _merkmale_of(record)[0]
    sterbedatum = record.sterbedatum
    tables[0].append(
        (
            pid,
            ags,
            *merkmale[:4],
            sterbedatum.key if sterbedatum is not None else None,
            *merkmale[4:],
            _aktuell(record),
            record.waffenerlaubnis is not None,
            record.waffenbesitzverbot is not None,
            record.sprengstofferlaubnis is not None,
            text,
            imported_at,
        )
    )
    tables[1] += [(pid, kind, name[0], ags, name[1]) for kind, name in _namen(record)]
    tables[2] += [(pid, name[0], name[1], former) for name, former in _vornamen_of(record)]
    # register revision 0005: the record's municipality on the date and address rows
    tables[3] += [(pid, datum.key, datum.beginn, ags) for datum in _geburtsdaten(record)]
    rows = tables[4]
    for position, anschrift in enumerate(record.anschriften):
        strasse = anschrift.strasse
        ort = _ort(anschrift.postleitzahl, anschrift.wohnort, strasse)
        nummer = _hausnummer(
            anschrift.hausnummer, anschrift.hausnummer_buchstabe, anschrift.teilnummer
        )
        einzug, auszug = anschrift.einzugsdatum, anschrift.auszugsdatum
        rows.append(
            (
                pid,
                position,
                anschrift.ags,
                ort[0],
                ort[2],
                nummer[0],
                nummer[2],
                nummer[3],
                anschrift.aktuell,
                ort[1],
                nummer[1],
                anschrift.wohnungsstatus,
                einzug.beginn if einzug is not None else None,
                auszug.beginn if auszug is not None else None,
                ags,
            )
        )
        if anschrift.ags and strasse and ort[2] is not None:
            streets.setdefault((anschrift.ags, ort[2]), strasse)
    tables[5] += [
        (
            pid,
            position,
            sperre.code,
            sperre.bis.isoformat() if sperre.bis is not None else None,
            sperre.veranlassende_stelle,
        )
        for position, sperre in enumerate(record.auskunftssperren)
    ]
    tables[6] += [(pid, staat) for staat in _staaten(record)]
    return True


def record_copy_lines(
    record: FastRecord, text: str, imported_at: str, streets: Streets, tables: Tables
) -> bool:
    """As :func:`record_rows`, as lines of PostgreSQL's ``COPY`` text format — for a line
    without backslash, tab or carriage return only: then no value needs an escape (JSON
    writes control characters only as escapes, and the keys hold base letters and digits)."""
    pid = record.id
    if pid is None:
        return False
    ags = record.ags
    _, before, after = _merkmale_of(record)
    sterbedatum = record.sterbedatum
    p = f"{pid}\t"
    tables[0].append(
        f"{p}{ags}\t{before}\t{_NULL if sterbedatum is None else sterbedatum.key}\t{after}\t"
        f"{'t' if _aktuell(record) else 'f'}\t"
        f"{'f' if record.waffenerlaubnis is None else 't'}\t"
        f"{'f' if record.waffenbesitzverbot is None else 't'}\t"
        f"{'f' if record.sprengstofferlaubnis is None else 't'}\t{text}\t{imported_at}"
    )
    tables[1] += [f"{p}{kind}\t{name[0]}\t{ags}\t{name[2]}" for kind, name in _namen(record)]
    tables[2] += [
        f"{p}{name[0]}\t{name[2]}\t{'t' if former else 'f'}"
        for name, former in _vornamen_of(record)
    ]
    tables[3] += [f"{p}{datum.key}\t{datum.beginn_text}\t{ags}" for datum in _geburtsdaten(record)]
    lines = tables[4]
    for position, anschrift in enumerate(record.anschriften):
        strasse = anschrift.strasse
        ort = _ort(anschrift.postleitzahl, anschrift.wohnort, strasse)
        nummer = _hausnummer(
            anschrift.hausnummer, anschrift.hausnummer_buchstabe, anschrift.teilnummer
        )
        einzug, auszug = anschrift.einzugsdatum, anschrift.auszugsdatum
        lines.append(
            f"{p}{position}\t{_t(anschrift.ags)}\t{ort[3]}\t{ort[5]}\t{nummer[4]}\t"
            f"{'t' if anschrift.aktuell else 'f'}\t{ort[4]}\t{nummer[5]}\t"
            f"{_t(anschrift.wohnungsstatus)}\t"
            f"{_NULL if einzug is None else einzug.beginn_text}\t"
            f"{_NULL if auszug is None else auszug.beginn_text}\t{ags}"
        )
        if anschrift.ags and strasse and ort[2] is not None:
            streets.setdefault((anschrift.ags, ort[2]), strasse)
    tables[5] += [
        f"{p}{position}\t{sperre.code}\t"
        f"{_NULL if sperre.bis is None else sperre.bis.isoformat()}\t"
        f"{_t(sperre.veranlassende_stelle)}"
        for position, sperre in enumerate(record.auskunftssperren)
    ]
    tables[6] += [f"{p}{staat}" for staat in _staaten(record)]
    return True


def cache_clear() -> None:
    """Empty the memoised keys (tests; a worker keeps them for its lifetime)."""
    caches: list[Callable[..., Any]] = [
        _name,
        _vorname_parts,
        _vornamen,
        _merkmale,
        _ort,
        _hausnummer,
        _code,
        _parse_datum,
    ]
    for cache in caches:
        cache.cache_clear()  # type: ignore[attr-defined]
