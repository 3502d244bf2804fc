"""Request quotas per user and per authority (issue 8, point 6; service/quotas.py): a brake on
bulk extraction (§ 39 Abs. 1 BMG, DOMAIN.md § 7), shared by every process through the
broker-state database, answered with a clear 0910 T070 and recorded (§ 40 BMG)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome
from datenspiegel.service.broker import ReplyKind
from datenspiegel.service.quotas import QuotaGuard, Quotas
from datenspiegel.store import create_store_engine
from datenspiegel.store.windows import WindowCounters
from datenspiegel.xsd.codelists import Ruecksendung
from tests.world import World, build_world


class _Clock:
    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    built = build_world(tmp_path, database_url)
    yield built
    built.stores.close()


def test_a_user_over_its_quota_is_refused_t070_and_recorded(world: World) -> None:
    clock = _Clock(1_800_000_000.0)  # the start of a minute
    world.broker.quotas = QuotaGuard(
        world.stores.windows, Quotas(user_per_minute=3, authority_per_minute=0), clock=clock
    )
    for _ in range(3):
        assert world.broker.submit(world.signed(world.request())).kind is ReplyKind.ANSWER
    refused = world.broker.submit(world.signed(world.request()))
    assert (refused.kind, refused.code) == (ReplyKind.FAULT, Ruecksendung.T070)
    assert (
        "quota exceeded" in refused.message and "at most 3 requests per minute" in refused.message
    )
    record = world.stores.protocol.get(
        refused.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None
    assert (record.outcome, record.outcome_codes) == (Outcome.RETURNED, ("T070",))
    assert "quota user:" in (record.detail or "")
    # another user is not affected; the next minute starts afresh
    other = world.broker.submit(world.signed(world.request("polizei"), "polizei"))
    assert other.kind is ReplyKind.ANSWER
    clock.at += 60
    assert world.broker.submit(world.signed(world.request())).kind is ReplyKind.ANSWER


def test_an_authority_quota_counts_all_its_users(world: World) -> None:
    clock = _Clock(1_800_000_000.0)
    guard = QuotaGuard(
        world.stores.windows, Quotas(user_per_minute=0, authority_per_minute=2), clock=clock
    )
    world.broker.quotas = guard
    assert world.broker.submit(world.signed(world.request())).kind is ReplyKind.ANSWER
    assert world.broker.submit(world.signed(world.request())).kind is ReplyKind.ANSWER
    refused = world.broker.submit(world.signed(world.request()))
    assert refused.code is Ruecksendung.T070 and "the authority" in refused.message


def test_quotas_of_zero_are_off(world: World) -> None:
    world.broker.quotas = QuotaGuard(world.stores.windows, Quotas(0, 0))
    for _ in range(5):
        assert world.broker.submit(world.signed(world.request())).kind is ReplyKind.ANSWER


def test_counters_are_exact_under_concurrency(tmp_path: Path, database_url: str) -> None:
    """Many processes count into one row: the upsert is atomic, nothing is lost."""
    engine = create_store_engine(database_url, durable=True)
    counters = WindowCounters(engine)
    counters.migrate()
    start = threading.Barrier(8)

    def add() -> None:
        start.wait()
        for _ in range(25):
            counters.add(["user:1", "authority:1"], epoch_seconds=1_800_000_010.0)

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    final = counters.add(["user:1"], epoch_seconds=1_800_000_020.0)
    assert final == {"user:1": 201}
    assert counters.purge(epoch_seconds=1_800_000_200.0) == 2
    assert counters.add(["user:1"], epoch_seconds=1_800_000_200.0) == {"user:1": 1}
    engine.dispose()
