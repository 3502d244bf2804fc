"""Schema conformance for vendors' pipelines: xmlschema, with errors a person can act on.

The broker validates on its hot path with libxml2 (:mod:`datenspiegel.xsd.validation`). This
module answers the same question with xmlschema, whose errors name the expected element and the
offending value. Both read the bytes through the one hardened parser and derive the 0910 code
by the same rules, so a file that passes here passes the service; ``test_validate_agreement``
holds the two engines together on every sample and attack file in the repository.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import xmlschema
from lxml import etree
from xmlschema.validators import XsdAttribute, XsdEnumerationFacets

from datenspiegel.xsd.codelists import Ruecksendung
from datenspiegel.xsd.errors import MessageError, MessageSchemaInvalid, SchemaIssue
from datenspiegel.xsd.loader import schema_path
from datenspiegel.xsd.parsing import parse_message

__all__ = ["FileVerdict", "Violation", "check_file", "check_files", "load_schema"]

# The attributes that name a code list: errors about them are X010, as in validation._classify.
_LIST_ATTRIBUTES: Final = ("listURI", "listVersionID")
_MAX_REASON: Final = 300
_MAX_VALUE: Final = 60


@dataclass(frozen=True, slots=True)
class Violation:
    """One reason a file is refused, located by line and XPath-like path."""

    file: Path
    line: int
    path: str
    reason: str
    code: Ruecksendung

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code} {self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class FileVerdict:
    """The outcome for one file. ``code`` is the 0910 code the service would answer, or None."""

    path: Path
    valid: bool
    code: str | None
    errors: tuple[Violation, ...]


@functools.cache
def load_schema() -> xmlschema.XMLSchema:
    """The contract compiled once per process (≈0.5 s); imports are read from the package only.

    ``allow='local'`` because xmlschema would otherwise follow schemaLocation over HTTP.
    """
    return xmlschema.XMLSchema(str(schema_path()), allow="local")


def check_files(
    paths: Iterable[Path], *, schema: xmlschema.XMLSchema | None = None
) -> list[FileVerdict]:
    compiled = schema if schema is not None else load_schema()
    return [check_file(path, schema=compiled) for path in paths]


def check_file(path: Path, *, schema: xmlschema.XMLSchema | None = None) -> FileVerdict:
    """Check one message file as the service would; raises ``OSError`` if it cannot be read."""
    compiled = schema if schema is not None else load_schema()
    data = path.read_bytes()
    try:
        root = parse_message(data)
    except MessageError as exc:
        violation = Violation(path, _parse_error_line(exc, data), "/", _parse_reason(exc), exc.code)
        return FileVerdict(path, valid=False, code=exc.code, errors=(violation,))
    violations = tuple(_violation(path, root, error) for error in compiled.iter_errors(root))
    if not violations:
        return FileVerdict(path, valid=True, code=None, errors=())
    return FileVerdict(path, valid=False, code=_overall_code(violations), errors=violations)


def _overall_code(violations: tuple[Violation, ...]) -> str:
    # The service's exception owns the precedence X010 > X011 > X001; reuse it, never restate it.
    issues = tuple(SchemaIssue(v.line, v.path, v.reason, v.code) for v in violations)
    return MessageSchemaInvalid(issues).code


def _violation(
    path: Path, root: etree._Element, error: xmlschema.XMLSchemaValidationError
) -> Violation:
    # A content-model error is reported on the parent; the child that broke the model is where
    # a person has to look (and where libxml2 reports it, so both engines give the same line).
    element = error.invalid_child if error.invalid_child is not None else error.elem
    if isinstance(element, etree._Element):
        line = element.sourceline or 1
        where = root.getroottree().getpath(element)
    else:
        line, where = 1, error.path or "/"
    return Violation(path, line, where, _reason(error), _classify(error))


def _classify(error: xmlschema.XMLSchemaValidationError) -> Ruecksendung:
    """The 0910 code of one error, mirroring ``validation._classify`` (libxml2's wording)."""
    validator = error.validator
    if isinstance(validator, XsdAttribute) and validator.local_name in _LIST_ATTRIBUTES:
        return Ruecksendung.X010
    reason = error.reason or ""
    # Missing or unexpected list attributes are reported on the attribute group, by name.
    if any(f"'{name}'" in reason for name in _LIST_ATTRIBUTES):
        return Ruecksendung.X010
    element = error.elem
    if (
        isinstance(validator, XsdEnumerationFacets)
        and isinstance(element, etree._Element)
        and element.tag == "code"
    ):
        return Ruecksendung.X011
    return Ruecksendung.X001


def _reason(error: xmlschema.XMLSchemaValidationError) -> str:
    element = error.elem
    if (
        isinstance(error.validator, XsdEnumerationFacets)
        and isinstance(element, etree._Element)
        and element.tag == "code"
    ):
        # The enumeration of a code list runs to 185 values; name the list instead.
        parent = element.getparent()
        where = ""
        if parent is not None and parent.get("listURI"):
            where = f" {parent.get('listURI')} version {parent.get('listVersionID')}"
        return f"code {_shorten(str(error.obj))!r} is not in the code list{where}"
    text = error.reason or error.message
    if isinstance(error.obj, str) and error.invalid_child is None:
        text = f"{text} (value {_shorten(error.obj)!r})"
    return _one_line(text)


def _shorten(value: str) -> str:
    if len(value) <= _MAX_VALUE:
        return value
    return f"{value[:_MAX_VALUE]}… ({len(value)} characters)"


def _one_line(text: str) -> str:
    # One error per output line: pipelines and the JUnit report split on newlines.
    text = " ".join(text.split())
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _parse_reason(exc: MessageError) -> str:
    # lxml appends "(<string>, line N)"; the line is reported separately.
    return _one_line(re.sub(r"\s*\(<string>, line \d+\)\s*$", "", str(exc)))


def _parse_error_line(exc: MessageError, data: bytes) -> int:
    # parse_message raises "from None", which keeps the original error as __context__.
    cause = exc.__context__
    if isinstance(cause, etree.XMLSyntaxError) and cause.lineno:
        return int(cause.lineno)
    if isinstance(cause, UnicodeDecodeError):
        return data.count(b"\n", 0, cause.start) + 1
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        index = data.find(marker)
        if index >= 0:
            return data.count(b"\n", 0, index) + 1
    return 1  # size, depth or emptiness: the document as a whole
