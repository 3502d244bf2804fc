"""The register mirror store: import deliveries, answer Personensuche, report statistics.

One interface for the broker (``search_personen``, ``get_person``, ``known_street``,
``known_municipality``) and for the operator's tools (``import_persons``, ``import_log``,
``stats``). SQLite by default, PostgreSQL by URL; the same SQLAlchemy Core statements run on
both.

The store finds; it does not judge. It returns *every* matching record — also blocked ones —
and the broker applies Auskunftssperren and entitlements on top (DOMAIN.md §§ 3, 5).
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, exists, func, literal, or_, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from tqdm import tqdm

from datenspiegel.register.bulk_pipeline import default_workers
from datenspiegel.register.delivery import Delivery
from datenspiegel.register.delivery_apply import DeliveryReport, apply_delivery
from datenspiegel.register.errors import ErgebnislisteZuGrossError, RegisterUnavailableError
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    Suchbereich,
    SuchbereichArt,
    normalisierte_freie_suche,
)
from datenspiegel.register.freie_suche_sql import freie_suche_statement
from datenspiegel.register.full_reload import full_reload
from datenspiegel.register.keyrows import stored_person
from datenspiegel.register.migrations import MIGRATIONS
from datenspiegel.register.model import Person
from datenspiegel.register.normalize import normalize, normalize_strasse
from datenspiegel.register.query import PersonensucheQuery, normalisierte_suche
from datenspiegel.register.record_writes import delete_records, insert_records
from datenspiegel.register.reports import (
    FullLoadReport,
    ImportLogEntry,
    ImportReport,
    RegisterStats,
)
from datenspiegel.register.schema import (
    anschrift_table,
    import_log_table,
    name_table,
    person_table,
    sperre_table,
    strasse_table,
    vorname_table,
)
from datenspiegel.register.search_sql import search_statement
from datenspiegel.register.strassen import Strasse, record_strassen, strassen_of
from datenspiegel.store import REGISTER, create_store_engine, schema_version, upgrade

__all__ = ["COMPONENT", "DEFAULT_LIMIT", "FREIE_SUCHE_HOECHSTZAHL", "RegisterStore"]

COMPONENT = "register"
#: Import-log kind of a street directory delivery (:meth:`RegisterStore.import_strassen`).
STRASSENVERZEICHNIS = "strassenverzeichnis"
#: One more than the legal maximum of a hit list (1 000), so the broker can tell "too many".
DEFAULT_LIMIT = 1001
#: BMeldDAV § 7 Abs. 4: the result list of a freie Suche holds at most 1 000 persons.
FREIE_SUCHE_HOECHSTZAHL = 1000
#: The records of a freie Suche's ids (at most :data:`FREIE_SUCHE_HOECHSTZAHL`), by id.
_RECORDS_BY_ID = (
    select(person_table.c.id, person_table.c.record)
    .where(person_table.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(person_table.c.id)
)
_AGS = re.compile(r"\d{8}")
#: Municipalities once seen are remembered per store; Lower Saxony has fewer than 1 000.
_MAX_KNOWN_AGS = 4096


def _batches(iterator: Iterator[Person], size: int) -> Iterator[list[Person]]:
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class RegisterStore:
    """The register database behind a SQLAlchemy URL (``sqlite:///…`` or ``postgresql+psycopg://…``)."""

    def __init__(self, url: str, *, pool_size: int = 5, batch_size: int = 5000) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        # The register is a read-mostly mirror that can be re-imported: NORMAL sync suffices
        # on SQLite (the protocol store, not this one, needs FULL).
        try:
            self._engine = create_store_engine(url, durable=False, pool_size=pool_size)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise RegisterUnavailableError(
                f"cannot use register URL {_safe_url(url)}: {exc}; give a SQLAlchemy URL such "
                "as sqlite:///var/register.sqlite or postgresql+psycopg://user@host/db"
            ) from exc
        self._batch_size = batch_size
        self._known_ags: set[str] = set()
        self._known_lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        return self._engine

    def __enter__(self) -> RegisterStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise RegisterUnavailableError(
                f"register database error ({type(exc).__name__}: {first_line}); check that the "
                "database is reachable and its schema is set up (RegisterStore.migrate(), "
                "or any `datenspiegel register` command)"
            ) from exc

    # -- schema ---------------------------------------------------------------------------

    def migrate(self) -> int:
        """Create or upgrade the register database (its Alembic history) to head; return the
        register's frozen legacy version, which every database at or past the baseline has."""
        with self._guard():
            upgrade(self._engine, REGISTER)
            return MIGRATIONS[-1].version

    def schema_version(self) -> int:
        with self._guard():
            return schema_version(self._engine, COMPONENT)

    # -- import ---------------------------------------------------------------------------

    def import_persons(
        self, persons: Iterable[Person], *, source: str, kind: str, progress: bool = False
    ) -> ImportReport:
        """Write a delivery: each batch of records in one transaction.

        A record whose ``id`` is already held replaces the old one (a delivery carries the
        current state of the records it names); records without ``id`` get the next free one.
        Every municipality of the delivery gets an entry in the import log — also when the
        import stops early, then with ``complete=False`` and the count actually committed.
        """
        started = time.monotonic()
        per_ags: Counter[str] = Counter()
        replaced = 0
        complete = False
        iterator: Iterator[Person] = iter(persons)
        if progress:
            iterator = iter(tqdm(iterator, desc=f"Import {source}", unit=" Personen"))
        try:
            with self._guard():
                next_id = self._next_id()
                for batch in _batches(iterator, self._batch_size):
                    numbered: dict[int, Person] = {}
                    for person in batch:
                        if person.id is None:
                            pid = next_id
                        else:
                            pid = person.id
                        next_id = max(next_id, pid + 1)
                        numbered[pid] = person  # the later of two equal ids wins
                    with self._engine.begin() as conn:
                        replaced += delete_records(conn, list(numbered))
                        insert_records(conn, numbered)
                        record_strassen(conn, strassen_of(numbered.values()))
                    replaced += len(batch) - len(numbered)
                    per_ags.update(person.ags for person in batch)
            complete = True
        finally:
            if per_ags:
                self._log_delivery(per_ags, source=source, kind=kind, complete=complete)
        return ImportReport(
            source=source,
            kind=kind,
            records=sum(per_ags.values()),
            replaced=replaced,
            per_ags=tuple(sorted(per_ags.items())),
            seconds=time.monotonic() - started,
        )

    def full_reload(
        self,
        lines: Iterable[str] | Path,
        *,
        source: str,
        kind: str,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
        chunk_lines: int | None = None,
        chunk_bytes: int | None = None,
    ) -> FullLoadReport:
        """Replace the whole register by the stock in ``lines`` (JSON Lines, every record with
        its id) at bulk speed, while searches keep answering from the previous register until
        the swap (:mod:`~datenspiegel.register.full_reload`). ``lines`` is a stream of lines,
        or the path of a JSON Lines file (UTF-8, lines ended by ``\\n`` or ``\\r\\n``),
        which the workers read themselves — the faster way for a stock on disk. ``workers``
        processes decode and key the records (default: one per core; 0: in this process);
        ``progress`` is called with the number of records of each chunk written;
        ``chunk_lines`` lines of a stream, or about ``chunk_bytes`` bytes of a file, go to a
        worker at a time."""
        with self._guard():
            report = full_reload(
                self._engine,
                lines,
                source=source,
                kind=kind,
                workers=default_workers() if workers is None else workers,
                progress=progress,
                chunk_lines=chunk_lines,
                chunk_bytes=chunk_bytes,
            )
        with self._known_lock:
            self._known_ags.clear()  # municipalities are known again from the new register
        return report

    def apply_delivery(self, delivery: Delivery, *, source: str) -> DeliveryReport:
        """Apply a municipality's delivery of changes in one transaction, once
        (:mod:`~datenspiegel.register.delivery_apply`); the same delivery again changes
        nothing and reports ``already_applied``."""
        with self._guard():
            return apply_delivery(self._engine, delivery, source=source)

    def import_strassen(self, strassen: Iterable[Strasse], *, source: str) -> ImportReport:
        """Write a municipality's street directory delivery (register/strassen.py): streets
        not yet known are added, known ones kept; one transaction; logged per municipality
        with kind ``strassenverzeichnis``. Returns the entries read per AGS."""
        started = time.monotonic()
        entries = list(strassen)
        per_ags: Counter[str] = Counter(strasse.ags for strasse in entries)
        with self._guard(), self._engine.begin() as conn:
            record_strassen(conn, entries)
        if per_ags:
            self._log_delivery(per_ags, source=source, kind=STRASSENVERZEICHNIS, complete=True)
        return ImportReport(
            source=source,
            kind=STRASSENVERZEICHNIS,
            records=len(entries),
            replaced=0,
            per_ags=tuple(sorted(per_ags.items())),
            seconds=time.monotonic() - started,
        )

    def _next_id(self) -> int:
        with self._engine.connect() as conn:
            highest = conn.execute(select(func.max(person_table.c.id))).scalar()
        return int(highest or 0) + 1

    def _log_delivery(
        self, per_ags: Counter[str], *, source: str, kind: str, complete: bool
    ) -> None:
        received_at = datetime.now(UTC)
        with self._guard(), self._engine.begin() as conn:
            conn.execute(
                import_log_table.insert(),
                [
                    {
                        "ags": ags,
                        "received_at": received_at,
                        "kind": kind,
                        "records": count,
                        "source": source,
                        "complete": complete,
                    }
                    for ags, count in sorted(per_ags.items())
                ],
            )

    def import_log(self, *, ags: str | None = None) -> list[ImportLogEntry]:
        """The delivery log, oldest first (optionally of one municipality)."""
        stmt = select(import_log_table).order_by(import_log_table.c.id)
        if ags is not None:
            stmt = stmt.where(import_log_table.c.ags == ags)
        with self._guard(), self._engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [
            ImportLogEntry(
                id=int(row["id"]),
                ags=row["ags"],
                received_at=_aware(row["received_at"]),
                kind=row["kind"],
                records=int(row["records"]),
                source=row["source"],
                complete=bool(row["complete"]),
            )
            for row in rows
        ]

    # -- search ---------------------------------------------------------------------------

    def search_personen(
        self, query: PersonensucheQuery, *, limit: int = DEFAULT_LIMIT
    ) -> list[Person]:
        """All records matching ``query`` (BMeldDAV Anlage Nr. 4), ordered by id, at most
        ``limit``. Auskunftssperren are *not* applied here."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        suche = normalisierte_suche(query)
        stmt, params = search_statement(suche, limit, steered=self._engine.dialect.name == "sqlite")
        # begin(), not connect(): on PostgreSQL the closing ROLLBACK of a plain connect() cost
        # psycopg its prepared statements, so every search was planned again (1.4 ms).
        with self._guard(), self._engine.begin() as conn:
            rows = conn.execute(stmt, params).all()
        return [stored_person(row.id, row.record) for row in rows]

    def search_freie_suche(
        self, query: FreieSucheQuery, *, stichtag: date, limit: int = FREIE_SUCHE_HOECHSTZAHL
    ) -> list[Person]:
        """Persons matching a freie Suche (BMeldDAV § 7), ordered by id — without persons whose
        blocking Auskunftssperre is in force on ``stichtag``: unlike a Personensuche, a freie
        Suche never names them, nor counts them (DOMAIN.md § 4).

        More than ``limit`` matches (BMeldDAV § 7 Abs. 4: a result list holds at most 1 000
        persons) raise :class:`ErgebnislisteZuGrossError`, found from the ids alone: no record
        of a refused search is read or decoded. The ids and the records are read in one
        transaction."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        suche = normalisierte_freie_suche(query)
        stmt = freie_suche_statement(suche, stichtag=stichtag, limit=limit + 1)
        with self._guard(), self._engine.begin() as conn:
            ids = list(conn.execute(stmt).scalars())
            if len(ids) > limit:
                raise ErgebnislisteZuGrossError(limit)
            rows = conn.execute(_RECORDS_BY_ID, {"ids": ids}).all() if ids else []
        return [stored_person(row.id, row.record) for row in rows]

    def gemeinden_named(self, name: str) -> tuple[str, ...]:
        """The AGS of the municipalities called ``name`` (normalised, BMeldDAV Anlage Nr. 4)
        in the current or former addresses of the mirror; index ``(wohnort, ags)``."""
        value = normalize(name)
        if value is None:
            return ()
        a = anschrift_table.c
        stmt = (
            select(a.ags)
            .where(a.wohnort == value, a.ags.is_not(None))
            .group_by(a.ags)
            .order_by(a.ags)
            .limit(20)
        )
        with self._guard(), self._engine.connect() as conn:
            return tuple(str(ags) for ags in conn.execute(stmt).scalars())

    def known_area(self, suchbereich: Suchbereich) -> bool:
        """Whether the mirror holds the search area (else rejection 22): a municipality as
        :meth:`known_municipality`; a district or the state when any municipality of it
        delivered or has records."""
        if not suchbereich.im_land:
            return False
        if suchbereich.art is SuchbereichArt.GEMEINDE:
            return self.known_municipality(suchbereich.schluessel)
        low, high = suchbereich.ags_bereich()
        stmt = select(
            or_(
                exists().where(import_log_table.c.ags.between(low, high)),
                exists().where(person_table.c.ags.between(low, high)),
            )
        )
        with self._guard(), self._engine.connect() as conn:
            return bool(conn.execute(stmt).scalar())

    def get_person(self, person_id: int) -> Person | None:
        stmt = select(person_table.c.record).where(person_table.c.id == person_id)
        with self._guard(), self._engine.connect() as conn:
            record = conn.execute(stmt).scalar()
        return None if record is None else stored_person(person_id, record)

    def known_municipality(self, ags: str) -> bool:
        """Whether the mirror holds municipality ``ags``: it has delivered (import log) or the
        register holds records of it. A search area the mirror does not hold is not within
        its competence — rejection 22 (§ 38 Abs. 1 BMG, BMeldDAV § 1 Abs. 5, Anlage Nr. 2).

        Two indexed probes (``register_import_log (ags, …)``, ``register_person (ags)``); a
        municipality once known is remembered by this store (deliveries are never withdrawn),
        an unknown one is asked again, so a first delivery is seen at once.
        """
        if ags in self._known_ags:
            return True
        if not isinstance(ags, str) or not _AGS.fullmatch(ags):
            return False
        stmt = select(
            or_(
                exists().where(import_log_table.c.ags == ags),
                exists().where(person_table.c.ags == ags),
            )
        )
        with self._guard(), self._engine.connect() as conn:
            known = bool(conn.execute(stmt).scalar())
        if known:
            with self._known_lock:
                if len(self._known_ags) < _MAX_KNOWN_AGS:
                    self._known_ags.add(ags)
        return known

    def known_street(self, ags: str, strasse: str) -> bool:
        """Whether ``strasse`` (normalised, suffix rule applied: BMeldDAV Anlage Nr. 4) is in
        the street directory of municipality ``ags`` — else rejection 02. The directory does
        not depend on who lives there (§ 34a Abs. 5 BMG, :mod:`~datenspiegel.register.strassen`)."""
        value = normalize_strasse(strasse)
        if value is None or not ags:
            return False
        stmt = (
            select(literal(1))
            .select_from(strasse_table)
            .where(strasse_table.c.ags == ags, strasse_table.c.strasse == value)
        )
        with self._guard(), self._engine.connect() as conn:
            return conn.execute(stmt).first() is not None

    # -- statistics -----------------------------------------------------------------------

    def stats(self) -> RegisterStats:
        def count(conn: Connection, table: Any, column: Any = None) -> int:
            expr = func.count(func.distinct(column)) if column is not None else func.count()
            return int(conn.execute(select(expr).select_from(table)).scalar() or 0)

        with self._guard():
            version = schema_version(self._engine, COMPONENT)
            with self._engine.connect() as conn:
                per_ags = conn.execute(
                    select(person_table.c.ags, func.count())
                    .group_by(person_table.c.ags)
                    .order_by(person_table.c.ags)
                ).all()
                return RegisterStats(
                    schema_version=version,
                    persons=count(conn, person_table),
                    addresses=count(conn, anschrift_table),
                    streets=count(conn, strasse_table),
                    surname_variants=count(conn, name_table),
                    first_names=count(conn, vorname_table),
                    municipalities=len(per_ags),
                    persons_with_sperre=count(conn, sperre_table, sperre_table.c.person_id),
                    deliveries=count(conn, import_log_table),
                    persons_per_ags=tuple((str(ags), int(n)) for ags, n in per_ags),
                )


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url.split("@")[-1])


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time this store writes is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
