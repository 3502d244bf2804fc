"""Results the register store hands back: import reports, the delivery log, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["FullLoadReport", "ImportLogEntry", "ImportReport", "RegisterStats"]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one call of ``RegisterStore.import_persons`` did."""

    source: str
    kind: str
    #: records written (new and replaced)
    records: int
    #: of those, records that replaced one with the same id
    replaced: int
    #: records per municipality (AGS), sorted by AGS
    per_ags: tuple[tuple[str, int], ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class ImportLogEntry:
    """One delivery of one municipality (Nds. NMeldVO § 23: municipality, time, kind, count)."""

    id: int
    ags: str
    received_at: datetime
    kind: str
    records: int
    source: str
    #: False when the import stopped early; ``records`` then counts what was committed
    complete: bool


@dataclass(frozen=True, slots=True)
class RegisterStats:
    schema_version: int
    persons: int
    addresses: int
    #: entries of the street directories (:mod:`~datenspiegel.register.strassen`)
    streets: int
    surname_variants: int
    first_names: int
    municipalities: int
    #: persons with at least one Auskunfts-/Übermittlungssperre row (any code)
    persons_with_sperre: int
    deliveries: int
    #: persons per AGS, sorted by AGS
    persons_per_ags: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class FullLoadReport:
    """What one full load (``RegisterStore.full_reload``) did: the register it replaced, the
    one it swapped in, and where the time went."""

    source: str
    kind: str
    #: records of the new register
    records: int
    #: records the register held before (all replaced by the swap)
    previous_records: int
    #: records per municipality (AGS), sorted by AGS
    per_ags: tuple[tuple[str, int], ...]
    #: streets offered to the directories (new ones added, known ones kept)
    streets: int
    workers: int
    #: reading, checking, keying and writing the rows
    seconds_load: float
    #: primary keys, indexes, foreign keys, statistics
    seconds_index: float
    #: the swap: the only part during which searches wait (PostgreSQL; SQLite never waits)
    seconds_swap: float
    seconds: float

    @property
    def persons_per_second(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0
