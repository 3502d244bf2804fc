"""The JSON form of a protocol record, for exports and verification tools.

The form is versioned (``"format"``); reading is strict: unknown or missing keys are errors, so
an export is never silently half understood.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.protocol.record import RECORD_FIELDS, ProtocolRecord, from_plain, to_plain

__all__ = ["RECORD_FORMAT", "record_from_json", "record_to_json"]

RECORD_FORMAT = "datenspiegel.protocol.record/1"

_FIELDS = tuple(name for name, _kind in RECORD_FIELDS)


def record_to_json(record: ProtocolRecord) -> dict[str, Any]:
    """A plain dict (``json.dumps``-ready) holding every field of ``record``."""
    return {"format": RECORD_FORMAT, **to_plain(record, text_times=True)}


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
    try:
        return from_plain(data, text_times=True)
    except InvalidRecord as exc:
        raise InvalidRecord(f"record JSON: {exc}") from exc
