"""The optional PostgreSQL back-end: reachability and a throw-away schema per benchmark.

Same server and URL convention as the test suite (``PG_TEST_URL``, default the
development server at 127.0.0.1:5432, database ``test``). Benchmarks never touch existing
schemas: each run creates ``bench_<random>`` and drops it again, also after a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

__all__ = ["DEFAULT_PG_URL", "fresh_schema", "pg_unreachable", "schema_size_bytes"]

DEFAULT_PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_unreachable(url: str) -> str | None:
    """None when the server answers, else why it does not (one line, for the report)."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("select 1"))
        finally:
            engine.dispose()
    except Exception as exc:  # any failure means "skip PostgreSQL", reported as such
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


@contextmanager
def fresh_schema(url: str, *, prefix: str = "bench") -> Iterator[str]:
    """Yield a URL whose ``search_path`` is a new, empty schema; drop the schema afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in url else "?"
        try:
            yield f"{url}{separator}options=-csearch_path%3D{schema}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def schema_size_bytes(url: str) -> int:
    """Tables, indexes and TOAST of the schema in ``url``'s ``search_path``."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            size = conn.execute(
                text(
                    "select coalesce(sum(pg_total_relation_size(c.oid)), 0) "
                    "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    "where n.nspname = current_schema() and c.relkind in ('r', 'm')"
                )
            ).scalar()
    finally:
        engine.dispose()
    return int(size or 0)
