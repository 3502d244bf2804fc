"""Reads of the protocol are themselves recorded (DOMAIN.md § 6).

Protocol data may be used only for data-protection control, resulting criminal proceedings,
keeping the register running, and answering the data subject (§ 40 BMG); records kept for a
security authority on its behalf are read by that authority. Every read names who reads and
for which of these purposes, and is logged in the same transaction as the read itself: a read
that cannot be logged does not happen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

__all__ = ["ProtocolRead", "ReadPurpose"]


class ReadPurpose(Enum):
    DATENSCHUTZKONTROLLE = "datenschutzkontrolle"  # data-protection control, audits
    STRAFVERFOLGUNG = "strafverfolgung"  # criminal proceedings resulting from such control
    BETRIEB = "betrieb"  # keeping the register and the broker running
    AUSKUNFT_BETROFFENE = "auskunft_betroffene"  # answering the data subject
    AUFTRAGGEBER = "auftraggeber"  # a security authority reading records kept on its behalf


@dataclass(frozen=True, slots=True)
class ProtocolRead:
    """One logged read: who, why, when, what was asked and which records were returned."""

    id: int
    reader: str
    purpose: ReadPurpose
    accessed_at: datetime
    query: Mapping[str, Any]
    record_ids: tuple[str, ...]
