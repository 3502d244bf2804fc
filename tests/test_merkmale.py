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
