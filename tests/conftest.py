"""Suite-wide fixtures: no network beyond loopback, and database URLs for both back-ends.

PostgreSQL tests use ``PG_TEST_URL`` (default: the development server at
127.0.0.1:5432, database ``test``, user ``postgres``). Each test gets a schema of its own. Outside
CI they skip, saying so, when no server is reachable; in CI (``CI=true``) an unreachable server
is an error, never a skip.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

# Not DATENSPIEGEL_*: the service refuses unknown variables of its own prefix, and the servers
# the tests start inherit this environment.
PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    if "DATENSPIEGEL_TEST_PG_URL" in os.environ:
        raise pytest.UsageError(
            "DATENSPIEGEL_TEST_PG_URL is now PG_TEST_URL (the service refuses unknown "
            "DATENSPIEGEL_* variables); rename it in your environment"
        )


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    else:
        return True  # AF_UNIX and friends stay on this machine
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reach loopback only: a test that talks to the outside world fails loudly."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise OSError(f"tests must not reach the network (tried {address!r})")
        return real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise OSError(f"tests must not reach the network (tried {address!r})")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


_pg_state: dict[str, Any] = {}


def _pg_reachable() -> str | None:
    """None when the server answers, else the reason it does not."""
    if "reason" not in _pg_state:
        from sqlalchemy import create_engine, text

        try:
            engine = create_engine(PG_URL)
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except Exception as exc:
            _pg_state["reason"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return _pg_state["reason"]


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A PostgreSQL URL whose ``search_path`` is a fresh schema, dropped afterwards.

    Skips, saying why, when no server is reachable outside CI; fails in CI.
    """
    reason = _pg_reachable()
    if reason is not None:
        if _IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable in CI: {reason}")
        pytest.skip(f"no PostgreSQL server reachable at {PG_URL} ({reason}); CI runs these")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose ``search_path`` is a fresh schema, dropped afterwards."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Each store test runs on both back-ends: an SQLite file and a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


def statements_sent(engine: Any) -> list[str]:
    """Every SQL statement ``engine`` sends from now on (tests that show what a search reads)."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return sent
