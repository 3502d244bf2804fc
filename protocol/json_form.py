"""The JSON form of a protocol record, for exports and verification tools.

The form is versioned (``"format"``); reading is strict: unknown or missing keys are errors, so
an export is never silently half understood.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.protocol.record import Outcome, ProtocolRecord

__all__ = ["RECORD_FORMAT", "record_from_json", "record_to_json"]

RECORD_FORMAT = "datenspiegel.protocol.record/1"

_FIELDS = tuple(f.name for f in fields(ProtocolRecord))
_DATETIMES = ("received_at", "answered_at")
_TUPLES = ("outcome_codes", "requested_elements", "disclosed_elements", "hits")
_MAPPINGS = ("requesting_body", "search_data")


def record_to_json(record: ProtocolRecord) -> dict[str, Any]:
    """A plain dict (``json.dumps``-ready) holding every field of ``record``."""
    data: dict[str, Any] = {"format": RECORD_FORMAT}
    for name in _FIELDS:
        value = getattr(record, name)
        if name in _DATETIMES:
            value = value.isoformat()
        elif name in _TUPLES:
            value = list(value)
        elif name in _MAPPINGS:
            value = dict(value)
        elif name == "outcome":
            value = value.value
        data[name] = value
    return data


def record_from_json(data: Mapping[str, Any]) -> ProtocolRecord:
    """The record ``data`` (from :func:`record_to_json`) describes; validates it fully."""
    if not isinstance(data, Mapping):
        raise InvalidRecord("a protocol record in JSON form is an object")
    if data.get("format") != RECORD_FORMAT:
        raise InvalidRecord(f"unknown record format {data.get('format')!r}, want {RECORD_FORMAT}")
    keys = set(data) - {"format"}
    missing = sorted(set(_FIELDS) - keys)
    unknown = sorted(keys - set(_FIELDS))
    if missing or unknown:
        raise InvalidRecord(f"record JSON: missing keys {missing}, unknown keys {unknown}")
    values: dict[str, Any] = dict(data)
    del values["format"]
    try:
        for name in _DATETIMES:
            values[name] = datetime.fromisoformat(values[name])
        for name in _TUPLES:
            if not isinstance(values[name], list):
                raise InvalidRecord(f"record JSON: {name} must be a list")
            values[name] = tuple(values[name])
        values["outcome"] = Outcome(values["outcome"])
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InvalidRecord):
            raise
        raise InvalidRecord(f"record JSON: {exc}") from exc
    return ProtocolRecord(**values)
