"""Schema upgrades through the Alembic histories (issue 9 point 6), on SQLite and PostgreSQL.

The central case: the databases the previous release wrote (tests/data/releases/3cbbc6f, made
by that release's own code, see make_release_databases.py there) are upgraded by
``datenspiegel db upgrade`` and keep their records, proofs, kept answers and register.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Iterator
from configparser import ConfigParser
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.payloads import PayloadStore
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import to_plain
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.app import open_stores
from datenspiegel.service.cli import main
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.signing import SigningIdentity
from datenspiegel.store import (
    BROKER,
    REGISTER,
    History,
    SchemaOutdated,
    SchemaVersionError,
    create_store_engine,
    ensure_current,
    upgrade,
)
from datenspiegel.store.upgrade import read_state
from tests.conftest import PG_URL, pg_schema
from tests.test_protocol_record import full_record

RELEASE = Path(__file__).parent / "data" / "releases" / "3cbbc6f"
ROOT = Path(__file__).parent.parent


@dataclass
class OldRelease:
    data_dir: Path
    broker_url: str
    register_url: str
    expected: dict[str, Any]


def _schema_of(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1]


def _load_dump(dump: Path, url: str) -> None:
    """Replay a plain-SQL dump of the release into the (empty) schema of ``url``."""
    sql = dump.read_text(encoding="utf-8").replace("@SCHEMA@", _schema_of(url))
    engine = create_engine(PG_URL)
    raw = engine.raw_connection()
    try:
        raw.cursor().execute(sql)  # no parameters: several statements in one go
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_release(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OldRelease]:
    """A copy of the previous release's data directory and databases (the originals stay)."""
    data_dir = tmp_path / "data"
    shutil.copytree(RELEASE / request.param, data_dir)
    with pg_schema() if request.param == "postgresql" else _nothing() as second:
        if request.param == "sqlite":
            broker_url = f"sqlite:///{data_dir / 'broker.sqlite'}"
            register_url = f"sqlite:///{data_dir / 'register.sqlite'}"
        else:
            broker_url, register_url = request.getfixturevalue("pg_url"), second
            _load_dump(data_dir / "broker.sql", broker_url)
            _load_dump(data_dir / "register.sql", register_url)
        monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", broker_url)
        monkeypatch.setenv("DATENSPIEGEL_STORES_REGISTER_URL", register_url)
        expected = json.loads((data_dir / "expected.json").read_text(encoding="utf-8"))
        yield OldRelease(data_dir, broker_url, register_url, expected)


class _nothing:
    def __enter__(self) -> str:
        return ""

    def __exit__(self, *_exc: object) -> None:
        return None


def _state(url: str, history: History) -> Any:
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return read_state(conn, history)
    finally:
        engine.dispose()


def _cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_previous_release_is_upgraded_with_records_and_proofs_intact(
    old_release: OldRelease, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, expected = old_release.data_dir, old_release.expected
    before = _state(old_release.broker_url, BROKER)
    assert before.revision is None and before.legacy["protocol"] == 5
    assert before.legacy["access"] == 3  # the release before access migration 4

    assert _cli("db", "current", "--data-dir", data_dir) == 3  # upgrade needed
    assert _cli("db", "upgrade", "--data-dir", data_dir) == 0
    out = capsys.readouterr().out
    assert "made by a release before Alembic" in out and f"revision {BROKER.head} (head)" in out
    assert _cli("db", "current", "--data-dir", data_dir) == 0
    assert _state(old_release.broker_url, BROKER).at_head
    assert _state(old_release.register_url, REGISTER).at_head

    # the Merkle log with the old signed checkpoint (and the record logged after it)
    assert _cli("protocol", "verify", "--data-dir", data_dir) == 0
    assert "the protocol is intact" in capsys.readouterr().out

    config = load_config(data_dir / CONFIG_NAME)
    stores = open_stores(config)  # at head now: no SchemaOutdated
    try:
        log = ProtocolLog(stores.protocol.engine, record_key=stores.protocol.record_key)
        payloads = PayloadStore(engine=stores.protocol.engine)
        assert stores.protocol.record_key is not None
        for record_id, entry in expected["records"].items():
            record = stores.protocol.get(record_id, reader="test", purpose=ReadPurpose.BETRIEB)
            assert record is not None
            plain = to_plain(record, text_times=True)
            # broker revision 0006: the sizes of records written before stay unknown
            assert plain.pop("request_bytes") is None and plain.pop("answer_bytes") is None
            assert plain == entry["record"]
            answer = payloads.answer(record_id, protocol_key=stores.protocol.record_key)
            assert hashlib.sha256(answer).hexdigest() == entry["answer_sha256"]
            if "inclusion" in entry:
                index, leaf, proof = log.inclusion(record_id, expected["checkpoint_size"])
                assert index == entry["inclusion"]["log_index"]
                assert leaf.decode("utf-8") == entry["inclusion"]["leaf_data"]
                assert [h.hex() for h in proof] == entry["inclusion"]["proof"]
        # the register answers the documented unique person
        case = next(c for c in TEST_CASES if c.kennung == "TF01")
        hits = stores.register.search_personen(case.query)
        assert [p.id for p in hits] == list(case.treffer)
        # the stores work: a new record, logged, checkpointed
        stores.protocol.append(full_record())
        identity = SigningIdentity.from_pem_files(config.signing.key, config.signing.certificate)
        log.sequence_all()
        assert log.checkpoint(identity.private_key) is not None
    finally:
        stores.close()
    assert _cli("protocol", "verify", "--data-dir", data_dir) == 0

    # the release's own inclusion proofs, against its own signed checkpoint, offline
    for record_id in expected["checkpointed"]:
        proof_file = tmp_path / f"{record_id}.json"
        proof = {"record_id": record_id, **expected["records"][record_id]["inclusion"]}
        proof_file.write_text(json.dumps(proof), encoding="utf-8")
        assert (
            _cli(
                "protocol",
                "witness",
                "--certificate",
                data_dir / "pki" / "broker-cert.pem",
                "--new",
                data_dir / "checkpoint.txt",
                "--inclusion",
                proof_file,
            )
            == 0
        )


def test_the_service_refuses_an_old_database_until_it_is_upgraded(
    old_release: OldRelease,
) -> None:
    config = load_config(old_release.data_dir / CONFIG_NAME)
    with pytest.raises(SchemaOutdated, match="datenspiegel db upgrade"):
        open_stores(config)
    assert _state(old_release.broker_url, BROKER).revision is None  # nothing was changed
    open_stores(config, upgrade=True).close()  # init and the tools' own path upgrade
    assert _state(old_release.broker_url, BROKER).at_head


def test_sql_of_an_old_database_names_its_pending_steps_and_writes_nothing(
    old_release: OldRelease, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli("db", "upgrade", "--sql", "--data-dir", old_release.data_dir) == 0
    out = capsys.readouterr().out
    assert "-- access: at legacy version 3; these legacy migrations run in Python" in out
    assert "--   access 4: protocol keys of security authorities" in out
    assert "-- protocol: at legacy version 5, nothing to do" in out
    assert "CREATE TABLE IF NOT EXISTS store_heartbeat" in out
    assert _state(old_release.broker_url, BROKER).revision is None
    assert _state(old_release.register_url, REGISTER).revision is None


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_sql_shows_the_newest_revision_for_each_dialect(
    dialect: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # --from: rendered without connecting (the PostgreSQL URL names no reachable server)
    url = (
        f"sqlite:///{tmp_path / 'b.sqlite'}"
        if dialect == "sqlite"
        else "postgresql+psycopg://dba@db.invalid/mrds"
    )
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", url)
    args = ("db", "upgrade", "--sql", "--store", "broker", "--data-dir", tmp_path)
    assert _cli(*args, "--from", "base") == 0
    full = capsys.readouterr().out
    assert _cli(*args, "--from", "0001") == 0
    newest = capsys.readouterr().out
    for out in (full, newest):
        assert f"dialect {dialect}" in out
        assert "CREATE TABLE IF NOT EXISTS store_heartbeat" in out
        assert f"SET version_num='{BROKER.head}'" in out
        assert out.rstrip().endswith("COMMIT;")
    assert "CREATE TABLE protocol_record" not in newest
    assert "CREATE TABLE protocol_record" in full
    assert "INSERT INTO protocol_log_state" in full
    if dialect == "postgresql":
        assert "BIGSERIAL" in full and "JSONB" in full
    else:
        assert "AUTOINCREMENT" in full
    assert not (tmp_path / "b.sqlite").exists()
    assert _cli(*args, "--from", "0999") == 2
    assert "no revision '0999'" in capsys.readouterr().err


def _layout(url: str) -> dict[str, Any]:
    """Tables with their columns, indexes, keys — what a schema comparison needs."""
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        layout: dict[str, Any] = {}
        for name in insp.get_table_names():
            layout[name] = (
                sorted((c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)),
                sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in insp.get_indexes(name)
                ),
                sorted(insp.get_pk_constraint(name)["constrained_columns"]),
                sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in insp.get_foreign_keys(name)
                ),
            )
        return layout
    finally:
        engine.dispose()


@pytest.mark.parametrize("history", [BROKER, REGISTER], ids=lambda h: h.name)
def test_the_printed_sql_builds_the_database_the_upgrade_builds(
    history: History,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    online = create_store_engine(database_url)
    upgrade(online, history)
    online.dispose()
    with pg_schema() if database_url.startswith("postgresql") else _nothing() as other:
        offline_url = other or f"sqlite:///{tmp_path / 'offline.sqlite'}"
        monkeypatch.setenv(f"DATENSPIEGEL_STORES_{history.name.upper()}_URL", offline_url)
        args = ("db", "upgrade", "--sql", "--store", history.name, "--data-dir", tmp_path)
        assert _cli(*args, "--from", "base") == 0
        sql = capsys.readouterr().out
        if offline_url.startswith("sqlite"):
            import sqlite3

            conn = sqlite3.connect(tmp_path / "offline.sqlite")
            conn.executescript(sql)
            conn.close()
        else:
            engine = create_engine(offline_url)
            raw = engine.raw_connection()
            raw.cursor().execute(sql)
            raw.commit()
            raw.close()
            engine.dispose()
        assert _layout(offline_url) == _layout(database_url)
        assert _cli("db", "current", "--store", history.name, "--data-dir", tmp_path) == 0
        rows = "SELECT component, version FROM schema_version ORDER BY component"
        seeded = "SELECT id, size, tagged_from_seq, purged_until FROM protocol_log_state"
        for query in (rows, seeded) if history is BROKER else (rows,):
            found = []
            for url in (offline_url, database_url):
                engine = create_engine(url)
                with engine.connect() as conn:
                    found.append(conn.execute(text(query)).all())
                engine.dispose()
            assert found[0] == found[1] and found[0]


def test_a_database_newer_than_the_code_is_refused(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = create_store_engine(database_url)
    upgrade(engine, BROKER)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version_broker SET version_num = '0999'"))
    with pytest.raises(SchemaVersionError, match=r"0999.*a newer datenspiegel upgraded it"):
        upgrade(engine, BROKER)
    store = ProtocolStore(engine=engine)
    with pytest.raises(Exception, match="0999"):
        store.migrate()
    engine.dispose()
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", database_url)
    args = ("--store", "broker", "--data-dir", tmp_path)
    assert _cli("db", "upgrade", *args) == 1
    assert "0999, which this code does not know" in capsys.readouterr().err
    assert _cli("db", "current", *args) == 1
    assert "0999, unknown to this code" in capsys.readouterr().out


def test_an_unreachable_database_is_named_with_what_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "DATENSPIEGEL_STORES_BROKER_URL", "postgresql+psycopg://postgres@127.0.0.1:1/none"
    )
    assert _cli("db", "upgrade", "--store", "broker", "--data-dir", tmp_path) == 1
    err = capsys.readouterr().err
    assert "cannot use the broker-state database" in err
    assert "DATENSPIEGEL_STORES_BROKER_URL" in err
    assert _cli("db", "upgrade", "--sql", "--store", "broker", "--data-dir", tmp_path) == 1
    assert "--from base" in capsys.readouterr().err


def test_concurrent_upgrades_of_a_new_database_take_turns(database_url: str) -> None:
    engines = [create_store_engine(database_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(engine: Engine) -> None:
        try:
            barrier.wait()
            upgrade(engine, BROKER)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with engines[0].connect() as conn:
        assert read_state(conn, BROKER).at_head
        log_rows = conn.execute(text("SELECT count(*) FROM protocol_log_state")).scalar()
    assert log_rows == 1  # the baseline ran once
    for engine in engines:
        engine.dispose()


def test_an_upgrade_at_head_is_one_query(database_url: str) -> None:
    engine = create_store_engine(database_url)
    upgrade(engine, BROKER)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert ProtocolStore(engine=engine).migrate() == 5
    assert len(statements) == 1 and "alembic_version_broker" in statements[0]
    engine.dispose()


_FAILING = """
from alembic import op
import sqlalchemy as sa
revision = "{rev}"
down_revision = {down!r}
def upgrade():
    op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True))
    {fail}
"""


def test_a_failing_revision_leaves_nothing_half_done(database_url: str, tmp_path: Path) -> None:
    directory = tmp_path / "history"
    (directory / "versions").mkdir(parents=True)
    shutil.copy(BROKER.directory / "script.py.mako", directory)
    for rev, down, table, fail in (
        ("0001", None, "kept_first", ""),
        ("0002", "0001", "half_done", "raise RuntimeError('revision 2 fails')"),
    ):
        (directory / "versions" / f"v{rev}.py").write_text(
            _FAILING.format(rev=rev, down=down, table=table, fail=fail), encoding="utf-8"
        )
    history = History("demo", "the demo database", directory)
    engine = create_store_engine(database_url)
    with pytest.raises(RuntimeError, match="revision 2 fails"):
        upgrade(engine, history)
    tables = set(inspect(engine).get_table_names())
    assert not tables & {"kept_first", "half_done", history.version_table}
    engine.dispose()


def test_the_revision_scripts_are_shipped_as_package_data() -> None:
    parser = ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in parser["options.package_data"]["datenspiegel.store"].split(",")]
    shipped = [
        path.relative_to(ROOT / "store").as_posix()
        for path in (ROOT / "store" / "histories").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert shipped
    assert [f for f in shipped if not any(fnmatch(f, p) for p in patterns)] == []


def test_db_history_lists_both_histories(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("db", "history") == 0
    out = capsys.readouterr().out
    assert f"{BROKER.head} (head)" in out and "alembic_version_register" in out


def test_a_new_revision_is_numbered_after_the_head_and_runs(
    database_url: str, tmp_path: Path
) -> None:
    from datenspiegel.store.history import reread
    from datenspiegel.store.revision import new_revision

    directory = tmp_path / "history"
    (directory / "versions").mkdir(parents=True)
    shutil.copy(BROKER.directory / "script.py.mako", directory)
    (directory / "versions" / "v0001.py").write_text(
        _FAILING.format(rev="0001", down=None, table="first", fail=""), encoding="utf-8"
    )
    history = History("demo", "the demo database", directory)
    path = new_revision(history, "a second table")
    assert path.name == "v0002_a_second_table.py" and history.head == "0002"
    source = path.read_text(encoding="utf-8")
    assert "down_revision = '0001'" in source and "a second table" in source
    path.write_text(
        source.replace(
            "    pass\n",
            "    op.create_table('second', sa.Column('id', sa.Integer, primary_key=True))\n",
        ),
        encoding="utf-8",
    )
    reread()  # as a new process would read it
    engine = create_store_engine(database_url)
    upgrade(engine, history)
    assert {"first", "second"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_both_histories_in_one_database_keep_apart(database_url: str, tmp_path: Path) -> None:
    """Both URLs may name one database (one schema): each history its own version table and
    its own legacy rows in the shared ``schema_version``."""
    engine = create_store_engine(database_url)
    upgrade(engine, BROKER)
    with engine.connect() as conn:
        fresh = read_state(conn, REGISTER)
    assert fresh.empty  # the broker's schema_version rows are not the register's
    ensure_current(engine, REGISTER)  # a new register is created, not refused
    with engine.connect() as conn:
        assert read_state(conn, BROKER).at_head and read_state(conn, REGISTER).at_head
    engine.dispose()
