"""A store of one component of the broker-state database (hand-over cases, replay claims).

Each such store has its own tables and migration group, runs on its own URL (tools, tests) or
on the broker database's one shared engine (the service: its writes then commit together with
the § 40 record), and reports every database failure as :class:`ProtocolUnavailable` naming
what it could not do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import ClassVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from datenspiegel.protocol.errors import ProtocolUnavailable
from datenspiegel.store import BROKER, Migration, create_store_engine, upgrade

__all__ = ["ComponentStore"]


class ComponentStore:
    """Base of the component stores: engine, transactions with clear errors, migrations."""

    #: migration group in ``schema_version`` (frozen: the broker history's baseline runs them)
    COMPONENT: ClassVar[str]
    MIGRATIONS: ClassVar[Sequence[Migration]]
    #: what the tables hold, for error messages ("hand-over cases")
    HOLDS: ClassVar[str]

    def __init__(
        self, url: str | None = None, *, engine: Engine | None = None, lock_timeout: float = 30.0
    ) -> None:
        if engine is None:
            if url is None:
                raise ValueError(f"{type(self).__name__} needs a URL or an engine")
            engine = create_store_engine(url, durable=True, lock_timeout=lock_timeout)
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def transaction(self, what: str) -> AbstractContextManager[Connection]:
        """A transaction on this store's engine (for a caller that combines several writes)."""
        return self._tx(what)

    @contextmanager
    def _tx(self, what: str) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ProtocolUnavailable(f"{self.HOLDS}: cannot {what}: {first}") from exc

    def migrate(self) -> int:
        """Create or upgrade the broker-state database (all of it: its Alembic history) to
        head; return the component's frozen legacy version, which every database at or past
        the baseline has."""
        try:
            upgrade(self._engine, BROKER)
            return self.MIGRATIONS[-1].version
        except SQLAlchemyError as exc:
            raise ProtocolUnavailable(f"cannot migrate the tables of {self.HOLDS}: {exc}") from exc
