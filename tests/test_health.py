"""Health probes and failure bursts (issue 5, point 4): honest, cheap, one log line per burst."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from datenspiegel.protocol.errors import ProtocolUnavailable
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.health import FailureBurst, HealthMonitor


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_of_failures_is_logged_once_and_its_end_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, counted = _Clock(), []
    burst = FailureBurst("protocol writes", on_failure=lambda: counted.append(1), clock=clock)
    with caplog.at_level(logging.INFO):
        burst.succeeded()  # nothing to report while all is well
        for _ in range(100):
            burst.failed("database is locked")
        clock.now = 12.0
        burst.succeeded()
        burst.succeeded()
        burst.failed("disk full")
    messages = [r.getMessage() for r in caplog.records]
    assert [m for m in messages if "failing" in m] == [
        "protocol writes failing: database is locked (further failures are counted, not "
        "logged, until it recovers)",
        "protocol writes failing: disk full (further failures are counted, not logged, until "
        "it recovers)",
    ]
    assert [m for m in messages if "recovered" in m] == [
        "protocol writes recovered after 100 failure(s) in 12.0 s"
    ]
    assert burst.total == 101 and len(counted) == 101 and burst.failing
    assert not any(r.exc_info for r in caplog.records), "no traceback per failure"


def test_probes_run_at_most_once_per_interval() -> None:
    clock, runs = _Clock(), []

    def probe() -> None:
        runs.append(clock.now)
        if clock.now >= 2.0:
            raise ProtocolUnavailable("protocol database cannot take writes: database is locked")

    monitor = HealthMonitor({"broker_db": probe}, interval=1.0, clock=clock)
    for _ in range(50):  # a flood of /health requests
        assert monitor.check() == {"broker_db": "ok"}
    clock.now = 2.5
    assert monitor.check() == {
        "broker_db": "unavailable: protocol database cannot take writes: database is locked"
    }
    assert runs == [0.0, 2.5]


def test_the_write_probe_sees_a_write_locked_sqlite_database(tmp_path: Path) -> None:
    """``select 1`` succeeds on a write-locked database; the probe must not."""
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"
    store = ProtocolStore(url, lock_timeout=0.2)
    holder = ProtocolStore(url)
    try:
        store.migrate()
        store.probe_writable()
        with holder.engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            with store.engine.connect() as reader:
                assert reader.execute(text("select 1")).scalar() == 1
            with pytest.raises(ProtocolUnavailable, match=r"cannot take writes: .*locked"):
                store.probe_writable()
            conn.exec_driver_sql("ROLLBACK")
        store.probe_writable()
    finally:
        store.dispose()
        holder.dispose()


@pytest.mark.postgres
def test_the_write_probe_sees_a_locked_record_table_on_postgresql(pg_url: str) -> None:
    """A conflicting lock on the record table (e.g. a stuck maintenance job) fails the probe
    without waiting, as the next append would fail after the write timeout."""
    store = ProtocolStore(pg_url, lock_timeout=0.2)
    holder = ProtocolStore(pg_url)
    try:
        store.migrate()
        store.probe_writable()
        with holder.engine.connect() as conn:
            conn.execute(text("LOCK TABLE protocol_record IN EXCLUSIVE MODE"))
            with pytest.raises(ProtocolUnavailable, match="cannot take writes"):
                store.probe_writable(timeout=0.2)
            conn.rollback()
        store.probe_writable()
    finally:
        store.dispose()
        holder.dispose()


def test_a_locked_broker_database_fails_the_transaction_closed_within_the_write_timeout(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Fail closed (no register data without its record), fast (the write timeout, not 30 s),
    and quietly (one log line for the burst), on both back-ends."""
    import time

    from datenspiegel.service.broker import ReplyKind
    from tests.world import build_world

    world = build_world(tmp_path, database_url, write_timeout=0.5)
    holder = ProtocolStore(world.stores.protocol.engine.url.render_as_string(hide_password=False))
    try:
        with holder.engine.connect() as conn, caplog.at_level(logging.INFO):
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.execute(text("LOCK TABLE protocol_record IN EXCLUSIVE MODE"))
            assert world.stores.health().check()["broker_db"].startswith("unavailable")
            for _ in range(3):
                started = time.monotonic()
                reply = world.broker.submit(world.signed(world.request()))
                took = time.monotonic() - started
                assert reply.kind is ReplyKind.FAULT and reply.code == "S999"
                assert b"Quastenberg" not in reply.document
                assert took < 2.0, f"failing closed took {took:.1f} s"
            conn.rollback()
        assert world.broker.submit(world.signed(world.request())).code == "01"
        failing = [r for r in caplog.records if "failing" in r.getMessage()]
        # one line per failing part and burst, not one per request: on SQLite the replay
        # claim (a write of the same database) fails before the record does
        per_part = Counter(r.getMessage().split(" failing")[0] for r in failing)
        assert per_part and set(per_part.values()) == {1}, per_part
        assert world.broker.write_failures.total == 3
        assert any("recovered after 3 failure(s)" in r.getMessage() for r in caplog.records)
        assert not any(r.exc_info for r in caplog.records)
    finally:
        holder.dispose()
        world.stores.close()
