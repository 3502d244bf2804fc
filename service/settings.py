"""Settings defined once: each key's type, default, bounds and meaning in one declaration.

A configuration section is a frozen dataclass whose fields are made by :func:`setting` (or, for
one key that fills several fields, :meth:`Setting.field`). Everything else is derived from
those declarations, so adding a key is adding one field: reading the TOML table, the
environment overrides ``<PREFIX><SECTION>_<KEY>`` (text converted to the key's type, lists
separated by ``:``), validation with the key and the value's origin named, the refusal of
unknown sections, keys and variables, and the documentation table (:func:`markdown_table`).
The model is xmlschema's option descriptors and zeep's ``Settings`` with a docstring per
option.

An empty value (absent key, ``""``, ``[]``, an empty environment variable) means the key's
default: off for an optional key, an error for a required one.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Final, Protocol, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from datenspiegel.service.errors import ConfigError

__all__ = [
    "BOOLEAN",
    "INTEGER",
    "PATH",
    "PATHS",
    "SECONDS",
    "SQLALCHEMY_URL",
    "TEXT",
    "Explained",
    "Kind",
    "Section",
    "Setting",
    "check_environment",
    "check_tables",
    "environment_name",
    "markdown_table",
    "read_section",
    "setting",
    "validate_section",
]

_META: Final = "datenspiegel.setting"


class _Required:
    """Marker default of a key that has to be configured."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()
_INVALID: Final = object()


class Section(Protocol):
    """A frozen dataclass of settings; ``SECTION`` is its TOML table name."""

    SECTION: ClassVar[str]
    __dataclass_fields__: ClassVar[dict[str, Any]]


# -- kinds: how a value is written and what it becomes ---------------------------------------


class Explained(ValueError):
    """A parse error whose message helps the operator (e.g. "did you mean 10.20.0.0/16?")."""


@dataclass(frozen=True, slots=True)
class Kind:
    """A value type: ``parse`` takes a TOML value or environment text (raises ``ValueError``)
    and the configuration file's directory (for relative paths)."""

    #: Singular noun for messages and the docs ("whole number", "path").
    noun: str
    parse: Callable[[object, Path], object]
    #: Renders a default for the docs table.
    show: Callable[[object], str] = str
    #: Comparable with bounds (numbers).
    numeric: bool = False


def _integer(value: object, _base: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("not a whole number")
    return int(value)


def _number(value: object, _base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _boolean(value: object, _base: Path) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError("not a boolean")


def _text(value: object, _base: Path) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _path(value: object, base: Path) -> Path:
    path = Path(_text(value, base))
    return path if path.is_absolute() else base / path


def _paths(value: object, base: Path) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = value.split(":")
    if not isinstance(value, list | tuple):
        raise ValueError("not a list")
    return tuple(_path(item, base) for item in value if item != "")


def _url(value: object, base: Path) -> str:
    text = _text(value, base)
    try:
        make_url(text)
    except ArgumentError as exc:
        raise ValueError(str(exc)) from None
    return text


def _show_paths(value: object) -> str:
    return ", ".join(map(str, value)) if value else "none"  # type: ignore[call-overload]


TEXT: Final = Kind("text", _text)
INTEGER: Final = Kind("whole number", _integer, numeric=True)
SECONDS: Final = Kind("number of seconds", _number, lambda v: f"{v:g}", numeric=True)
BOOLEAN: Final = Kind("boolean (`true` or `false`)", _boolean, lambda v: str(v).lower())
PATH: Final = Kind("path", _path)
PATHS: Final = Kind("list of paths (`:`-separated in the environment)", _paths, _show_paths)
SQLALCHEMY_URL: Final = Kind("SQLAlchemy database URL", _url)


# -- one setting ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration key: type, default, bounds and meaning.

    ``default`` is the value in its parsed type (``REQUIRED`` when the key must be given);
    ``default_in`` computes it from the configuration file's directory instead (the field then
    has no default in the constructor). ``minimum``/``maximum`` are inclusive bounds of numbers,
    ``positive`` excludes zero. ``key`` names the TOML key when it is not the field name —
    needed when the key fills several fields (:meth:`field` with a part index).
    """

    kind: Kind
    doc: str
    default: object = REQUIRED
    default_in: Callable[[Path], object] | None = None
    #: How the docs table shows the default (else derived from ``default``).
    shown_default: str | None = None
    positive: bool = False
    minimum: float | None = None
    maximum: float | None = None
    key: str | None = None

    def field(self, part: int | None = None) -> Any:
        """A dataclass field for this setting (``part``: the index into a tuple value)."""
        if part is not None and self.key is None:
            raise TypeError("a setting that fills several fields needs an explicit key")
        metadata = {_META: (self, part)}
        if self.default is REQUIRED or self.default_in is not None:
            return dataclasses.field(metadata=metadata)
        value = self.default if part is None else self.default[part]  # type: ignore[index]
        return dataclasses.field(default=value, metadata=metadata)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED and self.default_in is None

    @property
    def expected(self) -> str:
        """What a valid value is, as the end of "… must be ___"."""
        noun = self.kind.noun
        if self.positive:
            noun = f"positive {noun}"
        elif self.minimum is not None:
            noun = f"{noun} ≥ {self.minimum:g}"
        if self.maximum is not None:
            noun = f"{noun} ≤ {self.maximum:g}"
        return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"

    def within_bounds(self, value: object) -> bool:
        if not self.kind.numeric or not isinstance(value, int | float):
            return True
        return not (
            (self.positive and value <= 0)
            or (self.minimum is not None and value < self.minimum)
            or (self.maximum is not None and value > self.maximum)
        )

    def read(self, raw: object, *, base: Path, name: str, origin: str) -> object:
        """The value of ``raw`` (``None``: not configured); ``origin`` ("from VARIABLE",
        "in FILE") is named in errors."""
        where = f" ({origin})"
        if raw is None or raw == "" or raw == []:
            if self.default_in is not None:
                return self.default_in(base)
            if self.default is REQUIRED:
                raise ConfigError(f"configuration key {name} is required{where}")
            return self.default
        hint = ""
        try:
            value = self.kind.parse(raw, base)
        except Explained as exc:  # the parser says what was meant: show it
            value, hint = _INVALID, f": {exc}"
        except (ValueError, TypeError):
            value = _INVALID
        if value is _INVALID or not self.within_bounds(value):
            raise ConfigError(f"{name} must be {self.expected}, got {raw!r}{where}{hint}")
        return value

    def shown(self) -> str:
        if self.shown_default is not None:
            return self.shown_default
        if self.required:
            return "required"
        if self.default is None or self.default == ():
            return "none"
        return f"`{self.kind.show(self.default)}`"


def setting(
    kind: Kind,
    *,
    doc: str,
    default: object = REQUIRED,
    default_in: Callable[[Path], object] | None = None,
    shown_default: str | None = None,
    positive: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Any:
    """A dataclass field holding one setting (see :class:`Setting`)."""
    return Setting(
        kind,
        doc,
        default=default,
        default_in=default_in,
        shown_default=shown_default,
        positive=positive,
        minimum=minimum,
        maximum=maximum,
    ).field()


# -- sections -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Bound:
    """A setting as it appears in a section: its key and the fields it fills."""

    key: str
    setting: Setting
    fields: tuple[str, ...]
    multipart: bool


@functools.cache
def _bound(section: type[Section]) -> tuple[_Bound, ...]:
    found: dict[str, tuple[Setting, list[tuple[int | None, str]]]] = {}
    for field in dataclasses.fields(section):
        if _META not in field.metadata:
            continue
        meta, part = field.metadata[_META]
        key = meta.key or field.name
        found.setdefault(key, (meta, []))[1].append((part, field.name))
    return tuple(
        _Bound(
            key,
            meta,
            tuple(name for _, name in sorted(parts, key=lambda p: p[0] or 0)),
            parts[0][0] is not None,
        )
        for key, (meta, parts) in found.items()
    )


def environment_name(prefix: str, section: str, key: str) -> str:
    return f"{prefix}{section}_{key}".upper()


def _known_variables(prefix: str, sections: Iterable[type[Section]]) -> list[str]:
    return sorted(
        environment_name(prefix, section.SECTION, bound.key)
        for section in sections
        for bound in _bound(section)
    )


def check_environment(
    env: Mapping[str, str], *, prefix: str, sections: Sequence[type[Section]]
) -> None:
    """Refuse a variable with ``prefix`` that names no key: a mistyped override must not leave
    a setting (a database, a safety limit) silently at its configured value."""
    known = _known_variables(prefix, sections)
    for name in sorted(env):
        if name.startswith(prefix) and name not in known:
            # compared without the common prefix, which would make every name look close
            close = difflib.get_close_matches(
                name.removeprefix(prefix), [k.removeprefix(prefix) for k in known], 1, 0.8
            )
            hint = f" (did you mean {prefix}{close[0]}?)" if close else ""
            raise ConfigError(
                f"unknown environment variable {name}{hint}; known: {', '.join(known)}"
            )


def check_tables(
    raw: Mapping[str, object], *, sections: Sequence[type[Section]], origin: Path
) -> None:
    """Refuse unknown sections and keys: a mistyped key must not silently leave a safety
    setting at its default."""
    names = sorted(s.SECTION for s in sections)
    by_name = {s.SECTION: s for s in sections}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"{origin}: key {name} outside a section; put it under one of "
                f"{', '.join(f'[{n}]' for n in names)}"
            )
        if name not in by_name:
            raise ConfigError(f"{origin}: unknown section [{name}]; known: {', '.join(names)}")
        keys = sorted(b.key for b in _bound(by_name[name]))
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise ConfigError(
                f"{origin}: unknown key(s) {', '.join(unknown)} in [{name}]; known: "
                f"{', '.join(keys)}"
            )


_S = TypeVar("_S", bound=Section)


def read_section(
    section: type[_S],
    table: Mapping[str, object],
    env: Mapping[str, str],
    *,
    prefix: str,
    base: Path,
    origin: Path,
) -> _S:
    """The section from its TOML ``table`` with ``env`` overrides (the environment wins)."""
    values: dict[str, object] = {}
    for bound in _bound(section):
        name = f"{section.SECTION}.{bound.key}"
        variable = environment_name(prefix, section.SECTION, bound.key)
        raw: object
        if variable in env:
            raw, where = env[variable], f"from {variable}"
        else:
            raw, where = table.get(bound.key), f"in {origin}"
        value = bound.setting.read(raw, base=base, name=name, origin=where)
        if bound.multipart:
            values.update(zip(bound.fields, value, strict=True))  # type: ignore[call-overload]
        else:
            values[bound.fields[0]] = value
    return section(**values)


def validate_section(instance: Section) -> None:
    """Bounds of every numeric setting of a constructed section (``__post_init__``)."""
    for bound in _bound(type(instance)):
        if bound.multipart:
            continue
        value = getattr(instance, bound.fields[0])
        if not bound.setting.within_bounds(value):
            raise ConfigError(
                f"{instance.SECTION}.{bound.key} must be {bound.setting.expected}, got {value!r}"
            )


# -- documentation --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(sections: Sequence[type[Section]], *, prefix: str) -> str:
    """The reference table of every key, for the operations guide."""
    lines = [
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for section in sections:
        for bound in _bound(section):
            variable = environment_name(prefix, section.SECTION, bound.key)
            key = f"`{section.SECTION}.{bound.key}`<br>`{variable}`"
            kind = bound.setting.expected.split(" ", 1)[1]
            lines.append(
                f"| {key} | {_cell(kind)} | {_cell(bound.setting.shown())} | "
                f"{_cell(bound.setting.doc)} |"
            )
    return "\n".join(lines) + "\n"
