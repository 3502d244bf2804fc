"""datenspiegel.protocol — the § 40 BMG protocol of every transaction.

Write and read only through :class:`ProtocolStore`; its storage will change (Merkle log,
encrypted segments for security authorities, crypto-shredding), the record type will not.
"""

from datenspiegel.protocol.errors import (
    DuplicateRecord,
    InvalidRecord,
    ProtocolError,
    ProtocolUnavailable,
)
from datenspiegel.protocol.json_form import RECORD_FORMAT, record_from_json, record_to_json
from datenspiegel.protocol.reads import ProtocolRead, ReadPurpose
from datenspiegel.protocol.record import Outcome, ProtocolRecord, digest, new_record_id
from datenspiegel.protocol.side_effect import OutboxEntry, SideEffect
from datenspiegel.protocol.store import ProtocolStore

__all__ = [
    "RECORD_FORMAT",
    "DuplicateRecord",
    "InvalidRecord",
    "OutboxEntry",
    "Outcome",
    "ProtocolError",
    "ProtocolRead",
    "ProtocolRecord",
    "ProtocolStore",
    "ProtocolUnavailable",
    "ReadPurpose",
    "SideEffect",
    "digest",
    "new_record_id",
    "record_from_json",
    "record_to_json",
]
