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
import functools
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
#: Decoders raise :class:`_Fail` with the path *below* the value they were given; the callers
#: put their own part in front only when something failed. Building each field's path text in
#: advance cost a third of the decoding time of an import (10 million records at bulk speed).
_Decoder = Callable[[Any], Any]


class _Fail(Exception):
    """A decoding failure: the path parts below the failing value, and what was wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.parts: list[str] = []


def _fail(message: str) -> typing.NoReturn:
    raise _Fail(message)


def _dec_str(value: Any) -> str:
    if value.__class__ is not str and not isinstance(value, str):
        _fail(f"expected text, got {type(value).__name__}")
    return typing.cast(str, value)


def _dec_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(f"expected an integer, got {type(value).__name__}")
    return value


def _dec_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        _fail(f"expected true or false, got {type(value).__name__}")
    return value


@functools.lru_cache(maxsize=1 << 16)
def _parse_date(text: str) -> date:
    return date.fromisoformat(text)


def _dec_date(value: Any) -> date:
    try:
        return _parse_date(_dec_str(value))
    except ValueError:
        _fail(f"{value!r} is not a date (YYYY-MM-DD)")


# Dates of birth, moves and marriages repeat across millions of records; the parsed value is
# immutable, so one instance per text can be shared.
_parse_tbd = functools.lru_cache(maxsize=1 << 17)(TeilbekanntesDatum.parse)


def _dec_tbd(value: Any) -> TeilbekanntesDatum:
    try:
        return _parse_tbd(_dec_str(value))
    except InvalidRecordError as exc:
        _fail(str(exc))


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

        def dec_optional(value: Any) -> Any:
            return None if value is None else decode(value)

        if encode is None:
            return None, dec_optional
        enc = encode
        return (lambda v: None if v is None else enc(v)), dec_optional
    if origin is tuple:
        inner = typing.get_args(annotation)[0]
        encode, decode = _codec_for(inner)

        def dec_tuple(value: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                _fail(f"expected an array, got {type(value).__name__}")
            try:
                return tuple([decode(item) for item in value])
            except _Fail as failure:
                for i, item in enumerate(value):  # which item: only when one failed
                    try:
                        decode(item)
                    except _Fail:
                        failure.parts.insert(0, f"[{i}]")
                        break
                raise

        if encode is None:
            return list, dec_tuple
        enc = encode
        return (lambda v: [enc(item) for item in v]), dec_tuple
    if annotation in _LEAVES:
        return _LEAVES[annotation]
    if annotation in _PARTS or annotation is Person:
        return _encode_record, (lambda v: _decode_record(annotation, v))
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
    #: decoder by field name (the decoder's hot path)
    decoders: dict[str, _Decoder]
    #: names of the fields without a default
    required: tuple[str, ...]


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
        spec = _SPECS[cls] = _ClassCodec(
            tuple(fields),
            getter,
            {field.name: field.decode for field in fields},
            tuple(field.name for field in fields if field.default is _REQUIRED),
        )
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


_MISSING = object()
_DECODERS: dict[type, Callable[[Any], Any]] = {}


def _decode_record(cls: type, data: Any) -> Any:
    decode = _DECODERS.get(cls)
    if decode is None:
        decode = _DECODERS[cls] = _compile_decoder(cls)
    return decode(data)


def _unknown_fields(cls: type, data: Mapping[str, Any]) -> typing.NoReturn:
    unknown = sorted(set(data) - {field.name for field in _spec(cls).fields})
    _fail(f"unknown field(s) {', '.join(unknown)} for {cls.__name__}")


def _fail_at(part: str, message: str) -> typing.NoReturn:
    failure = _Fail(message)
    failure.parts.append(part)
    raise failure


def _compile_decoder(cls: type) -> Callable[[Any], Any]:
    """A decoder written for ``cls``: one line per field, text and flags checked inline.

    The generic loop (a dict of decoders, a closure call per field) cost about 60 µs of a
    record's 160; this is the same rules — same checks, same messages — without the calls.
    """
    spec = _spec(cls)
    hints = typing.get_type_hints(cls)
    env: dict[str, Any] = {
        "_MISSING": _MISSING,
        "_Fail": _Fail,
        "_fail": _fail,
        "_fail_at": _fail_at,
        "_unknown": _unknown_fields,
        "_Mapping": Mapping,
        "InvalidRecordError": InvalidRecordError,
        "cls": cls,
    }
    body = [
        "def decode(data):",
        "    if data.__class__ is not dict and not isinstance(data, _Mapping):",
        "        _fail(f'expected an object, got {type(data).__name__}')",
        "    get = data.get",
        "    present = 0",
    ]
    arguments = []
    for i, field in enumerate(spec.fields):
        value, name = f"v{i}", field.name
        env[f"d{i}"], env[f"default{i}"] = field.decode, field.default
        body.append(f"    {value} = get({name!r}, _MISSING)")
        body.append(f"    if {value} is _MISSING:")
        if field.default is _REQUIRED:
            body.append(f"        _fail({f'{cls.__name__}.{name} is required'!r})")
        else:
            body.append(f"        {value} = default{i}")
        body.append("    else:")
        body.append("        present += 1")
        hint = hints[name]
        if hint in (str, str | None, bool):
            kind, message = ("bool", "true or false") if hint is bool else ("str", "text")
            check = f"{value}.__class__ is not {kind}"
            if hint == str | None:
                check = f"{value} is not None and {check}"
            if kind == "str":
                check += f" and not isinstance({value}, str)"
            body.append(f"        if {check}:")
            body.append(
                f"            _fail_at({'.' + name!r}, "
                f"f'expected {message}, got {{type({value}).__name__}}')"
            )
        else:
            body.append("        try:")
            body.append(f"            {value} = d{i}({value})")
            body.append("        except _Fail as failure:")
            body.append(f"            failure.parts.insert(0, {'.' + name!r})")
            body.append("            raise")
        arguments.append(f"{name}={value}")
    body.append("    if present != len(data):")
    body.append("        _unknown(cls, data)")
    body.append("    try:")
    body.append(f"        return cls({', '.join(arguments)})")
    body.append("    except InvalidRecordError as exc:")
    body.append("        _fail(str(exc))")
    exec("\n".join(body), env)  # noqa: S102 - code generated from the dataclass fields only
    decoder: Callable[[Any], Any] = env["decode"]
    return decoder


def _decode_person(data: Any) -> Person:
    try:
        person: Person = _decode_record(Person, data)
    except _Fail as failure:
        raise ImportFormatError(f"person{''.join(failure.parts)}: {failure.message}") from None
    return person


def person_to_json(person: Person) -> dict[str, Any]:
    """The JSON object of ``person`` (fields at their default left out)."""
    return _encode_record(person)


def person_from_json(data: Mapping[str, Any]) -> Person:
    """The person of a JSON object; raises ImportFormatError naming the offending field."""
    return _decode_person(data)


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
