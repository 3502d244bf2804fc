"""Schema validation on the hot path: libxml2 through lxml, one compiled schema per thread.

A shared ``lxml.etree.XMLSchema`` mixes up error logs between threads (measured), so each
thread compiles its own once; compilation costs a few milliseconds, validation ~0.1 ms.
"""

from __future__ import annotations

import threading

from lxml import etree

from datenspiegel.xsd.codelists import Ruecksendung
from datenspiegel.xsd.errors import MessageSchemaInvalid, SchemaIssue
from datenspiegel.xsd.loader import MAIN_SCHEMA, schema_path

__all__ = ["MessageValidator", "schema_issues"]


def _classify(entry: etree._LogEntry) -> Ruecksendung:
    message = entry.message or ""
    if "attribute 'listURI'" in message or "attribute 'listVersionID'" in message:
        return Ruecksendung.X010
    if message.startswith("Element 'code'") and "enumeration" in message:
        return Ruecksendung.X011
    return Ruecksendung.X001


class MessageValidator:
    """Validates message documents against the contract; thread-safe, cheap per call."""

    def __init__(self, schema_name: str = MAIN_SCHEMA) -> None:
        self._path = schema_path(schema_name)
        self._local = threading.local()
        self._schema()  # fail at start-up, not on the first request, if the schema is broken

    def _schema(self) -> etree.XMLSchema:
        schema = getattr(self._local, "schema", None)
        if schema is None:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            schema = etree.XMLSchema(etree.parse(str(self._path), parser))
            self._local.schema = schema
        return schema

    def validate(self, root: etree._Element) -> None:
        """Raise :class:`MessageSchemaInvalid` (X001/X010/X011) unless ``root`` conforms."""
        schema = self._schema()
        if schema.validate(root):
            return
        raise MessageSchemaInvalid(schema_issues(schema.error_log))


def schema_issues(log: etree._ListErrorLog) -> tuple[SchemaIssue, ...]:
    return tuple(
        SchemaIssue(
            line=entry.line,
            path=entry.path or "/",
            message=entry.message or "invalid",
            code=_classify(entry),
        )
        for entry in log
    )
