"""Applying a municipality's delivery (:mod:`~datenspiegel.register.delivery`): atomic, once.

- **Atomic**: the whole delivery is one transaction — every record it touches, their search
  keys, the streets of the municipality's directory, the delivery log (Nds. NMeldVO § 23) and
  the entry that it was applied. An operation that cannot be applied (an unknown id, a record
  of another municipality, a ``new`` id already held, a Sperre to lift that the record does
  not have) stops the delivery with :class:`~datenspiegel.register.errors.DeliveryRejectedError`
  naming its line: nothing of it is kept.
- **Once**: the delivery's id is recorded in ``register_lieferung`` in that transaction. The
  same delivery again changes nothing and says so (``already_applied``); another content under
  an applied id is refused (:class:`~datenspiegel.register.errors.DeliveryConflictError`).
  Two processes applying the same delivery at once: the second waits on the first's row and
  then finds it applied.
- Operations apply in file order; several on one record compose (``new`` then ``block_set``).
  Each touched record is then written anew, so its keys are those of its final state. Streets
  are only ever added (register/strassen.py).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from datenspiegel.register.delivery import (
    BlockLifted,
    BlockSet,
    Change,
    ChangedRecord,
    Deceased,
    Delivery,
    MovedAway,
    NewRecord,
    Wegzug,
)
from datenspiegel.register.delivery_schema import lieferung_table
from datenspiegel.register.errors import (
    DeliveryConflictError,
    DeliveryRejectedError,
    RegisterBusyError,
)
from datenspiegel.register.keyrows import stored_person
from datenspiegel.register.model import Person
from datenspiegel.register.pg_locks import share_for_delivery
from datenspiegel.register.record_writes import delete_records, insert_records
from datenspiegel.register.schema import import_log_table, person_table
from datenspiegel.register.strassen import record_strassen, strassen_of

__all__ = ["DeliveryReport", "apply_delivery"]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    lieferung: str
    ags: str
    nachrichtentyp: str
    #: operations of the delivery
    records: int
    #: operations per kind (``new``, ``changed``, …), in the order of the first of each kind
    per_operation: tuple[tuple[str, int], ...]
    #: True: this delivery had been applied before, at ``applied_at``; nothing changed now
    already_applied: bool
    applied_at: datetime
    seconds: float


def _held(conn: Connection, ids: Iterable[int]) -> dict[int, Person]:
    wanted = sorted(set(ids))
    held: dict[int, Person] = {}
    for start in range(0, len(wanted), 1000):
        part = wanted[start : start + 1000]
        rows = conn.execute(
            select(person_table.c.id, person_table.c.record).where(person_table.c.id.in_(part))
        ).all()
        held.update({int(row.id): stored_person(row.id, row.record) for row in rows})
    return held


def _reject(change: Change, message: str) -> DeliveryRejectedError:
    return DeliveryRejectedError(f"{change.op.value}: {message}", line=change.line)


def _moved_away(person: Person, change: MovedAway) -> Person:
    if not person.aktuelle_anschriften:
        raise _reject(change, f"record {change.id} has no current address to end")
    ended = tuple(
        dataclasses.replace(a, aktuell=False, auszugsdatum=a.auszugsdatum or change.datum)
        if a.aktuell
        else a
        for a in person.anschriften
    )
    abroad = change.nach is Wegzug.AUSLAND
    return dataclasses.replace(
        person,
        anschriften=ended,
        wegzug_inland=change.nach is Wegzug.INLAND,
        wegzug_ausland_staat=change.staat if abroad else None,
        wegzug_ausland_anschrift=change.anschrift if abroad else None,
    )


def _apply(person: Person | None, change: Change, ags: str) -> Person:
    """The record after ``change`` (``person``: its state before, None when not held)."""
    if isinstance(change, NewRecord):
        if person is not None:
            raise _reject(change, f"record {change.person.id} is held already (send changed)")
        return change.person
    if person is None:
        pid = change.person.id if isinstance(change, ChangedRecord) else change.id
        raise _reject(change, f"the register holds no record {pid}")
    if person.ags != ags:
        raise _reject(change, f"record {person.id} is held by municipality {person.ags}, not {ags}")
    if isinstance(change, ChangedRecord):
        return change.person
    if isinstance(change, MovedAway):
        return _moved_away(person, change)
    if isinstance(change, Deceased):
        return dataclasses.replace(
            person, sterbedatum=change.datum, sterbeort=change.ort, sterbestaat=change.staat
        )
    if isinstance(change, BlockSet):
        kept = tuple(s for s in person.auskunftssperren if s.code != change.sperre.code)
        return dataclasses.replace(person, auskunftssperren=(*kept, change.sperre))
    assert isinstance(change, BlockLifted)
    kept = tuple(s for s in person.auskunftssperren if s.code != change.code)
    if len(kept) == len(person.auskunftssperren):
        raise _reject(change, f"record {person.id} has no Sperre with code {change.code}")
    return dataclasses.replace(person, auskunftssperren=kept)


def _target_id(change: Change) -> int | None:
    if isinstance(change, NewRecord | ChangedRecord):
        return change.person.id
    return change.id


def _begin(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # Take the write lock first: reads then a write in a deferred transaction can fail
        # with "database is locked" when another writer came in between. A full reload holds
        # it for its whole run: the delivery waits for it (lock timeout), then goes on.
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise RegisterBusyError(
                "the register is being written (a full reload?); apply the delivery after it"
            ) from exc
    elif conn.dialect.name == "postgresql":
        share_for_delivery(conn)


def _previous(conn: Connection, delivery: Delivery, started: float) -> DeliveryReport | None:
    row = conn.execute(
        select(lieferung_table).where(lieferung_table.c.lieferung == delivery.header.lieferung)
    ).first()
    if row is None:
        return None
    if row.digest != delivery.digest or row.ags != delivery.header.ags:
        raise DeliveryConflictError(
            f"delivery {delivery.header.lieferung!r} was applied on {row.received_at} with "
            "other content: a delivery id names one delivery; ask the municipality for a new id"
        )
    received = row.received_at
    return _report(delivery, already=True, at=received, started=started)


def _report(delivery: Delivery, *, already: bool, at: datetime, started: float) -> DeliveryReport:
    counts: dict[str, int] = {}
    for change in delivery.changes:
        counts[change.op.value] = counts.get(change.op.value, 0) + 1
    return DeliveryReport(
        lieferung=delivery.header.lieferung,
        ags=delivery.header.ags,
        nachrichtentyp=delivery.header.nachrichtentyp,
        records=len(delivery.changes),
        per_operation=tuple(counts.items()),
        already_applied=already,
        applied_at=at if at.tzinfo is not None else at.replace(tzinfo=UTC),
        seconds=time.monotonic() - started,
    )


def apply_delivery(engine: Engine, delivery: Delivery, *, source: str) -> DeliveryReport:
    """Apply ``delivery`` in one transaction, or report that it was applied before."""
    started = time.monotonic()
    header = delivery.header
    try:
        with engine.connect() as conn:
            _begin(conn)
            earlier = _previous(conn, delivery, started)
            if earlier is not None:
                return earlier
            now = datetime.now(UTC)
            # First write: the delivery's row. A second process applying the same delivery
            # waits here for this transaction, then fails on the key and finds it applied.
            conn.execute(
                lieferung_table.insert().values(
                    lieferung=header.lieferung,
                    ags=header.ags,
                    nachrichtentyp=header.nachrichtentyp,
                    received_at=now,
                    records=len(delivery.changes),
                    digest=delivery.digest,
                    source=source,
                )
            )
            _write_changes(conn, delivery)
            conn.execute(
                import_log_table.insert().values(
                    ags=header.ags,
                    received_at=now,
                    kind=header.nachrichtentyp,
                    records=len(delivery.changes),
                    source=source,
                    complete=True,
                )
            )
            conn.commit()
    except IntegrityError:
        with engine.connect() as conn:
            earlier = _previous(conn, delivery, started)
        if earlier is None:
            raise
        return earlier
    return _report(delivery, already=False, at=now, started=started)


def _write_changes(conn: Connection, delivery: Delivery) -> None:
    ags = delivery.header.ags
    wanted = [pid for change in delivery.changes if (pid := _target_id(change)) is not None]
    state: dict[int, Person | None] = dict(_held(conn, wanted))
    touched: dict[int, Person] = {}
    next_id: int | None = None
    for change in delivery.changes:
        if isinstance(change, NewRecord) and change.person.ags != ags:
            raise _reject(change, f"the record is of municipality {change.person.ags}, not {ags}")
        if isinstance(change, ChangedRecord) and change.person.ags != ags:
            raise _reject(change, f"the record is of municipality {change.person.ags}, not {ags}")
        pid = _target_id(change)
        if pid is None:  # a new record without id: the next free one
            assert isinstance(change, NewRecord)  # every other operation names its record
            if next_id is None:
                highest = conn.execute(select(func.max(person_table.c.id))).scalar()
                next_id = max(int(highest or 0), *(i for i in state if i is not None), 0) + 1
            pid, next_id = next_id, next_id + 1
            change = NewRecord(change.line, dataclasses.replace(change.person, id=pid))
        after = _apply(state.get(pid), change, ags)
        after = dataclasses.replace(after, id=pid)
        state[pid] = touched[pid] = after
    if touched:
        ids = sorted(touched)
        delete_records(conn, ids)
        insert_records(conn, {pid: touched[pid] for pid in ids})
        record_strassen(conn, strassen_of(touched.values()))
