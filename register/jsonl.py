"""The register's import format: JSON Lines, one person record per line.

Each line is a JSON object whose keys are the :class:`~datenspiegel.register.model.Person`
field names. Dates are ISO ``YYYY-MM-DD``; partially known dates are text in their own form
(``"1998-03"``, ``"1998"``, ``""`` for unknown); tuples are arrays; nested parts (addresses,
relatives, blocks, documents, authority notes, landlords) are objects with their field names.
Fields at their default (empty, ``null``, ``false``) may be left out, and the writer leaves
them out. Unknown keys are an error, not ignored: a misspelt field must not silently lose data.

Example (one line, wrapped here)::

    {"id": 1, "ags": "03241001", "familienname": "Mustermann", "geburtsname": "Gabler",
     "vornamen": ["Erika"], "geburtsdatum": "1964-08-12", "geschlecht": "w",
     "anschriften": [{"ags": "03241001", "postleitzahl": "30161", "wohnort": "Hannover",
     "strasse": "Podbielskistraße", "hausnummer": "17", "wohnungsstatus": "0"}]}
"""

from __future__ import annotations

import dataclasses
import json
import operator
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from datenspiegel.register.errors import ImportFormatError, InvalidRecordError
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

__all__ = [
    "dumps_person",
    "loads_person",
    "person_from_json",
    "person_to_json",
    "read_jsonl",
    "write_jsonl",
]

_Encoder = Callable[[Any], Any]
_Decoder = Callable[[Any, str], Any]


def _fail(path: str, message: str) -> typing.NoReturn:
    raise ImportFormatError(f"{path}: {message}")


def _dec_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, f"expected text, got {type(value).__name__}")
    return value


def _dec_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, f"expected an integer, got {type(value).__name__}")
    return value


def _dec_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        _fail(path, f"expected true or false, got {type(value).__name__}")
    return value


def _dec_date(value: Any, path: str) -> date:
    try:
        return date.fromisoformat(_dec_str(value, path))
    except ValueError:
        _fail(path, f"{value!r} is not a date (YYYY-MM-DD)")


def _dec_tbd(value: Any, path: str) -> TeilbekanntesDatum:
    try:
        return TeilbekanntesDatum.parse(_dec_str(value, path))
    except InvalidRecordError as exc:
        _fail(path, str(exc))


# Leaf types of the record: how each is read from JSON, and how it is written (None: as is).
_LEAVES: dict[object, tuple[_Encoder | None, _Decoder]] = {
    str: (None, _dec_str),
    int: (None, _dec_int),
    bool: (None, _dec_bool),
    date: (date.isoformat, _dec_date),
    TeilbekanntesDatum: (str, _dec_tbd),
}

_PARTS = (Anschrift, Auskunftssperre, Angehoeriger, Ausweis, BehoerdlicherVermerk, Wohnungsgeber)


def _codec_for(annotation: Any) -> tuple[_Encoder | None, _Decoder]:
    """Encoder (None: the value is JSON as it is) and decoder for a field annotation."""
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        encode, decode = _codec_for(inner)

        def dec_optional(value: Any, path: str) -> Any:
            return None if value is None else decode(value, path)

        if encode is None:
            return None, dec_optional
        enc = encode
        return (lambda v: None if v is None else enc(v)), dec_optional
    if origin is tuple:
        inner = typing.get_args(annotation)[0]
        encode, decode = _codec_for(inner)

        def dec_tuple(value: Any, path: str) -> tuple[Any, ...]:
            if not isinstance(value, list):
                _fail(path, f"expected an array, got {type(value).__name__}")
            return tuple(decode(item, f"{path}[{i}]") for i, item in enumerate(value))

        if encode is None:
            return list, dec_tuple
        enc = encode
        return (lambda v: [enc(item) for item in v]), dec_tuple
    if annotation in _LEAVES:
        return _LEAVES[annotation]
    if annotation in _PARTS or annotation is Person:
        return _encode_record, (lambda v, p: _decode_record(annotation, v, p))
    raise TypeError(f"no JSON codec for {annotation!r}")  # a new field type needs one here


@dataclasses.dataclass(frozen=True, slots=True)
class _FieldCodec:
    name: str
    default: Any
    encode: _Encoder | None
    decode: _Decoder


@dataclasses.dataclass(frozen=True, slots=True)
class _ClassCodec:
    fields: tuple[_FieldCodec, ...]
    #: reads all field values in one call (the encoder's hot path)
    values: Callable[[Any], tuple[Any, ...]]


_REQUIRED = object()
_SPECS: dict[type, _ClassCodec] = {}


def _spec(cls: type) -> _ClassCodec:
    spec = _SPECS.get(cls)
    if spec is None:
        hints = typing.get_type_hints(cls)
        fields = []
        for field in dataclasses.fields(cls):
            encode, decode = _codec_for(hints[field.name])
            default = field.default if field.default is not dataclasses.MISSING else _REQUIRED
            fields.append(_FieldCodec(field.name, default, encode, decode))
        getter = operator.attrgetter(*(field.name for field in fields))
        spec = _SPECS[cls] = _ClassCodec(tuple(fields), getter)
    return spec


def _encode_record(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    spec = _spec(type(obj))
    for field, value in zip(spec.fields, spec.values(obj), strict=True):
        default = field.default
        # Defaults are left out; ``is`` first, because most fields are None or empty.
        if value is default or value == default:
            continue
        out[field.name] = value if field.encode is None else field.encode(value)
    return out


def _decode_record(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, Mapping):
        _fail(path, f"expected an object, got {type(data).__name__}")
    spec = _spec(cls).fields
    kwargs: dict[str, Any] = {}
    for field in spec:
        if field.name in data:
            kwargs[field.name] = field.decode(data[field.name], f"{path}.{field.name}")
        elif field.default is _REQUIRED:
            _fail(path, f"{cls.__name__}.{field.name} is required")
    if len(kwargs) != len(data):
        unknown = sorted(set(data) - {field.name for field in spec})
        _fail(path, f"unknown field(s) {', '.join(unknown)} for {cls.__name__}")
    try:
        return cls(**kwargs)
    except InvalidRecordError as exc:
        _fail(path, str(exc))


def person_to_json(person: Person) -> dict[str, Any]:
    """The JSON object of ``person`` (fields at their default left out)."""
    return _encode_record(person)


def person_from_json(data: Mapping[str, Any]) -> Person:
    """The person of a JSON object; raises ImportFormatError naming the offending field."""
    person: Person = _decode_record(Person, data, "person")
    return person


def dumps_person(person: Person) -> str:
    return json.dumps(person_to_json(person), ensure_ascii=False, separators=(",", ":"))


def loads_person(line: str) -> Person:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not JSON: {exc.msg} at column {exc.colno}") from exc
    return person_from_json(data)


def write_jsonl(persons: Iterable[Person], target: TextIO | Path) -> int:
    """Write ``persons`` one per line (UTF-8); return how many were written."""
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            return write_jsonl(persons, stream)
    count = 0
    for person in persons:
        target.write(dumps_person(person))
        target.write("\n")
        count += 1
    return count


def read_jsonl(source: TextIO | Path) -> Iterator[Person]:
    """Read persons line by line (streaming); blank lines are skipped.

    A bad line raises :class:`ImportFormatError` with its line number.
    """
    if isinstance(source, Path):
        with source.open("r", encoding="utf-8") as stream:
            yield from read_jsonl(stream)
        return
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            yield loads_person(line)
        except ImportFormatError as exc:
            raise ImportFormatError(str(exc), line=number) from exc
