"""The sessions every store engine opens on PostgreSQL (store/engine.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from datenspiegel.store import create_store_engine


@pytest.mark.postgres
@pytest.mark.parametrize("volatile", [False, True])
def test_postgresql_sessions_bound_lock_waits_and_never_jit_compile(
    pg_url: str, volatile: bool
) -> None:
    """Lock waits fail fast; JIT is off (the service's statements are short lookups, and a
    municipality-wide freie Suche at 10 M persons spent 1 of 2.7 s compiling); only a
    volatile engine gives up waiting for the disk at commit — the search path of the URL
    stays (issue 11)."""
    engine = create_store_engine(pg_url, lock_timeout=2.5, volatile=volatile)
    try:
        with engine.connect() as conn:
            settings = {
                name: conn.execute(text(f"SHOW {name}")).scalar_one()
                for name in ("jit", "lock_timeout", "synchronous_commit", "search_path")
            }
    finally:
        engine.dispose()
    assert settings["jit"] == "off"
    assert settings["lock_timeout"] == "2500ms"
    assert settings["synchronous_commit"] == ("off" if volatile else "on")
    assert settings["search_path"].startswith("t_")
