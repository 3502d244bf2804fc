"""Side effects that must not be lost, written in the same commit as the protocol record.

A transaction may oblige the operator to act after the answer left: hand a retrieval to the
competent municipality for manual processing (1322, § 34a Abs. 5 BMG), inform the security
authority that instigated a block (code 11) and the person concerned. Writing them into an
outbox in the record's own transaction means either both exist or neither: no answer goes out
whose follow-up could be forgotten. A separate worker delivers them later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.protocol.record import json_normalised

__all__ = ["OutboxEntry", "SideEffect"]

_KIND = re.compile(r"[a-z][a-z0-9_.-]{0,63}")


@dataclass(frozen=True, slots=True)
class SideEffect:
    """What has to happen (``kind``, e.g. ``"manueller_fall"``) and its data (``payload``)."""

    kind: str
    payload: Mapping[str, Any]

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not _KIND.fullmatch(self.kind):
            raise InvalidRecord(
                f"side effect kind {self.kind!r} must be a lower-case identifier "
                "(letters, digits, '_', '.', '-'; at most 64 characters)"
            )
        if not isinstance(self.payload, Mapping):
            raise InvalidRecord("side effect payload must be a mapping")
        normal = json_normalised(dict(self.payload), f"payload of side effect {self.kind}")
        object.__setattr__(self, "payload", MappingProxyType(normal))


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A side effect as stored, with its delivery state."""

    id: int
    record_id: str
    side_effect: SideEffect
    created_at: datetime
    processed_at: datetime | None
