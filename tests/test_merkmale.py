"""Identifikationsmerkmale: opaque, bound to the authority, valid 48 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from datenspiegel.service.merkmale import GUELTIGKEIT, MerkmalStore


def test_issue_and_resolve_rules(database_url: str) -> None:
    store = MerkmalStore(database_url)
    store.migrate()
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    issued = store.issue([101, 102], authority_id=7, now=now)
    assert set(issued) == {101, 102}
    merkmal = issued[101]
    assert len(merkmal) >= 43 and "101" not in merkmal  # 256 random bits, not the id
    assert len(set(issued.values())) == 2
    assert store.resolve(merkmal, authority_id=7, now=now + timedelta(hours=47)) == 101
    assert store.resolve(merkmal, authority_id=8, now=now) is None  # another authority
    assert store.resolve(merkmal, authority_id=7, now=now + GUELTIGKEIT) is None  # expired
    assert store.resolve("x" * 43, authority_id=7, now=now) is None
    store.close()


def test_expired_merkmale_are_purged(database_url: str) -> None:
    """BMeldDAV § 9: a Merkmal holds 48 hours; afterwards it is deleted (protocol purge)."""
    store = MerkmalStore(database_url)
    store.migrate()
    now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    old = store.issue([1, 2], authority_id=7, now=now - timedelta(hours=72))
    fresh = store.issue([3], authority_id=7, now=now - timedelta(hours=1))
    assert store.purge_expired(now=now) == 2
    assert store.resolve(fresh[3], authority_id=7, now=now) == 3
    assert store.resolve(old[1], authority_id=7, now=now - timedelta(hours=71)) is None  # gone
    assert store.purge_expired(now=now) == 0
    store.close()
