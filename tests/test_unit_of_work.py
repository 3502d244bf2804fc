"""One unit of work per transaction (issue 6, DESIGN.md step 12): the protocol record, the
Identifikationsmerkmale handed out with a hit list and the outbox entries of blocked persons
commit together or not at all — on SQLite and PostgreSQL.

A failing write is made real, not mocked: a trigger in the database refuses inserts into one of
the tables, as a full tablespace or a broken constraint would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.broker import BrokerReply, ReplyKind
from tests.world import AGS_HANNOVER, World, build_world

NAMESAKES = PersonensucheQuery(
    ags=AGS_HANNOVER,
    familienname="Wendebrink",
    vornamen=("Jens",),
    geburtsdatum=TeilbekanntesDatum(1980, 1, 2),
)
BLOCKED = PersonensucheQuery(
    ags=AGS_HANNOVER, familienname="Schattenfroh", vornamen=("Karla",), strasse="Lister Meile"
)


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    built = build_world(tmp_path, database_url)
    yield built
    built.stores.close()


@contextmanager
def inserts_fail(world: World, table: str) -> Iterator[None]:
    engine = world.stores.protocol.engine
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'no space left for this table'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION refuse_insert() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'no space left for this table'; END $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_insert()"
            )
    try:
        yield
    finally:
        with engine.begin() as conn:
            on = "" if conn.dialect.name == "sqlite" else f" ON {table}"
            conn.exec_driver_sql(f"DROP TRIGGER refuse_{table}{on}")


def _counts(world: World) -> dict[str, int]:
    with world.stores.protocol.engine.connect() as conn:
        return {
            table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("protocol_record", "protocol_outbox", "identifikationsmerkmal")
        }


def _ask(world: World, query: PersonensucheQuery) -> BrokerReply:
    return world.broker.submit(world.signed(world.request(query=query)))


@pytest.mark.parametrize(
    ("query", "failing", "adds"),
    [
        (NAMESAKES, "identifikationsmerkmal", {"protocol_record": 1, "identifikationsmerkmal": 2}),
        (NAMESAKES, "protocol_record", {"protocol_record": 1, "identifikationsmerkmal": 2}),
        (BLOCKED, "protocol_outbox", {"protocol_record": 1, "protocol_outbox": 1}),
        (BLOCKED, "protocol_record", {"protocol_record": 1, "protocol_outbox": 1}),
    ],
    ids=["merkmale-fail", "record-fails-hit-list", "outbox-fails", "record-fails-blocked"],
)
def test_record_merkmale_and_outbox_commit_or_roll_back_together(
    world: World, query: PersonensucheQuery, failing: str, adds: dict[str, int]
) -> None:
    before = _counts(world)
    with inserts_fail(world, failing):
        reply = _ask(world, query)
    # Fail closed: nothing of the transaction is kept, and no register data left.
    assert reply.kind is ReplyKind.FAULT and reply.code == "S999"
    assert b"Wendebrink" not in reply.document and b"Schattenfroh" not in reply.document
    assert _counts(world) == before
    # The same request without the fault: all of it is kept, in one commit.
    reply = _ask(world, query)
    assert reply.kind is ReplyKind.ANSWER
    after = _counts(world)
    assert {table: after[table] - before[table] for table in after} == {
        "protocol_record": 0,
        "protocol_outbox": 0,
        "identifikationsmerkmal": 0,
        **adds,
    }


def test_merkmale_of_a_hit_list_resolve_only_once_their_record_exists(world: World) -> None:
    reply = _ask(world, NAMESAKES)
    record = world.stores.protocol.get(
        reply.record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert record is not None and record.outcome_codes == ("02",)
    with world.stores.protocol.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT merkmal, request_message_id FROM identifikationsmerkmal")
        ).all()
    assert len(rows) == 2
    assert {row.request_message_id for row in rows} == {record.request_message_id}
