"""The JSON form of a protocol record, for exports and verification tools.

The form is versioned (``"format"``); reading is strict: unknown or missing keys are errors, so
an export is never silently half understood. Format 3 added the message sizes (a record
without them is still written in format 2, see :func:`record_to_json`). Format 2 replaced the
answer-wide ``disclosed_elements`` by ``disclosed`` (per person) and ``withheld``; an export in
format 1 is still read, its old statement carried over by
:func:`~datenspiegel.protocol.record.legacy_disclosed` (as the migration to schema 3 does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.protocol.record import (
    RECORD_FIELDS,
    ProtocolRecord,
    from_plain,
    legacy_disclosed,
    to_plain,
)

__all__ = ["RECORD_FORMAT", "record_from_json", "record_to_json"]

RECORD_FORMAT = "datenspiegel.protocol.record/3"
_FORMAT_2 = "datenspiegel.protocol.record/2"
_FORMAT_1 = "datenspiegel.protocol.record/1"

#: Format 3 added the message sizes. A record without them is written in format 2, exactly as
#: before: its JSON is what the Merkle log's leaf hashes (protocol/log.py), so the records
#: written before the sizes existed keep their leaves and every proof.
_SIZES = ("request_bytes", "answer_bytes")
_FIELDS = tuple(name for name, _kind in RECORD_FIELDS)
_FIELDS_2 = tuple(n for n in _FIELDS if n not in _SIZES)
# Format 1 had ``disclosed_elements`` where format 2 has ``disclosed`` and ``withheld``.
_FIELDS_1 = (*(n for n in _FIELDS_2 if n not in {"disclosed", "withheld"}), "disclosed_elements")


def record_to_json(record: ProtocolRecord) -> dict[str, Any]:
    """A plain dict (``json.dumps``-ready) holding every field of ``record`` (format 3; format
    2 for a record without sizes)."""
    plain = to_plain(record, text_times=True)
    if all(plain[name] is None for name in _SIZES):
        for name in _SIZES:
            del plain[name]
        return {"format": _FORMAT_2, **plain}
    return {"format": RECORD_FORMAT, **plain}


def record_from_json(data: Mapping[str, Any]) -> ProtocolRecord:
    """The record ``data`` (from :func:`record_to_json`) describes; validates it fully."""
    if not isinstance(data, Mapping):
        raise InvalidRecord("a protocol record in JSON form is an object")
    form = str(data.get("format"))
    fields = {RECORD_FORMAT: _FIELDS, _FORMAT_2: _FIELDS_2, _FORMAT_1: _FIELDS_1}.get(form)
    if fields is None:
        raise InvalidRecord(f"unknown record format {form!r}, want {RECORD_FORMAT}")
    keys = set(data) - {"format"}
    missing = sorted(set(fields) - keys)
    unknown = sorted(keys - set(fields))
    if missing or unknown:
        raise InvalidRecord(f"record JSON: missing keys {missing}, unknown keys {unknown}")
    try:
        if form == _FORMAT_1:
            data = _from_format_1(data)
        if form != RECORD_FORMAT:
            data = {**data, **dict.fromkeys(_SIZES)}  # not recorded before format 3
        return from_plain(data, text_times=True)
    except InvalidRecord as exc:
        raise InvalidRecord(f"record JSON: {exc}") from exc


def _from_format_1(data: Mapping[str, Any]) -> dict[str, Any]:
    old = dict(data)
    elements, codes, hits = old.pop("disclosed_elements"), old["outcome_codes"], old["hits"]
    for name, value in (("disclosed_elements", elements), ("outcome_codes", codes), ("hits", hits)):
        if not isinstance(value, list):
            raise InvalidRecord(f"{name} must be a list")
    disclosed = legacy_disclosed(codes, hits, elements)
    return {**old, "disclosed": {str(p): list(c) for p, c in disclosed.items()}, "withheld": []}
