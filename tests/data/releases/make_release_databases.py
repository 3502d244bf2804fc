"""Make the databases of a previous release, for the upgrade test (tests/test_db_upgrade.py).

Run it with the *previous release's* code, never with the current one: its databases must be
what that release wrote. What is committed under ``tests/data/releases/3cbbc6f/`` was made
from commit 3cbbc6f ("Protocol append serialises a record once …", the last release before
the Alembic histories) like this, without touching the main working tree:

    git worktree add /tmp/prev 3cbbc6f
    mkdir -p /tmp/prevview/datenspiegel          # the installed layout, as the Makefile's lint
    for f in /tmp/prev/datenspiegel/*.py; do ln -s $f /tmp/prevview/datenspiegel/; done
    for p in service xsd wsdl transformers signing register access protocol store fixtures; do
        ln -s /tmp/prev/$p /tmp/prevview/datenspiegel/$p; done
    PYTHONPATH=/tmp/prevview:.venv/lib/python3.11/site-packages .venv/bin/python -S \\
        tests/data/releases/make_release_databases.py tests/data/releases/3cbbc6f \\
        --commit 3cbbc6f --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    git worktree remove /tmp/prev

(``-S``: without ``site``, the virtualenv's editable install of the current code is not
loaded — it would lend the old packages every module they lack; the libraries come from
``PYTHONPATH``. The script refuses to run on code that already has the Alembic histories.)

For each back-end it writes a data directory ``sqlite/`` and ``postgresql/`` made by that
release's ``datenspiegel init`` (configuration, development PKI, a register of a few synthetic
persons plus the documented test persons, the demo authorities and users), then:

* the street directories trimmed to the municipalities of the register's persons;
* Personensuchen of documented test persons through the real pipeline (``build_broker``:
  signed requests, verified, answered, signed, recorded with their kept answers);
* the protocol sequenced into its Merkle log and one signed checkpoint (``checkpoint.txt``);
* one more request after the checkpoint (a record the upgraded code must still sequence);
* ``expected.json``: each record as that release reads it back, the inclusion proof of the
  checkpointed ones, the SHA-256 of each kept answer.

SQLite: the two database files. PostgreSQL: each database as plain SQL (``pg_dump
--no-owner --no-privileges --inserts`` of its throw-away schema), the schema's name replaced by
``@SCHEMA@`` so that the test can replay it into a schema of its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PERSONS = 8  # synthetic persons besides the documented test persons: keep the files small
CASES = ("TF01", "TF02", "TF03")  # documented Personensuchen before the checkpoint
AFTER = "TF01"  # and one after it


def _refuse_current_code() -> None:
    from datenspiegel.store import migrations

    if hasattr(migrations, "apply_legacy") or "site" in sys.modules:
        sys.exit("run this with the previous release's code and python -S: see the docstring")


def _strip_store_urls(config: Path) -> None:
    """The default URLs (SQLite files beside the configuration) instead of absolute paths;
    the test points the stores elsewhere with DATENSPIEGEL_STORES_* as an operator would."""
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'^(register|broker)_url = ".*"\n', "", text, flags=re.MULTILINE)
    config.write_text(text, encoding="utf-8")


def _requests(data_dir: Path, cases: tuple[str, ...]) -> list[str]:
    """Send ``cases`` through the release's real pipeline; their record ids."""
    from datenspiegel.fixtures.testpersons import TEST_CASES
    from datenspiegel.service.app import build_broker, open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config
    from datenspiegel.service.demo import DEMO_USERS
    from datenspiegel.signing import MessageSigner, SigningIdentity
    from datenspiegel.signing.pki import _layout
    from datenspiegel.transformers import Behoerde
    from datenspiegel.transformers.request_builder import build_personensuche
    from datenspiegel.xsd import serialize

    config = load_config(data_dir / CONFIG_NAME)
    stores = open_stores(config)
    pki = _layout(data_dir / "pki", [u.key for u in DEMO_USERS])
    demo = next(u for u in DEMO_USERS if u.key == "ordnungsamt")
    files = pki.users[demo.key]
    signer = MessageSigner(SigningIdentity.from_pem_files(files.key, files.cert))
    broker = build_broker(config, stores)
    before = _record_ids(stores)
    try:
        for kennung in cases:
            case = next(c for c in TEST_CASES if c.kennung == kennung)
            request = build_personensuche(
                leser=Behoerde(kennung=f"ags:{case.query.ags}", name="Meldebehörde"),
                autor=Behoerde(kennung=demo.authority_kennung, name=demo.authority_name),
                stelle=demo.stelle,
                elemente=(1, 7, 13, 44, 45, 46, 48, 49),
                query=case.query,
                erstellt=datetime.now(UTC),
                nachrichten_uuid=str(uuid.uuid4()),
            )
            reply = broker.submit(serialize(signer.sign(request)))
            print(f"  {kennung}: {reply.kind.name} {reply.code}")
        return [r for r in _record_ids(stores) if r not in before]
    finally:
        stores.close()


def _record_ids(stores: Any) -> list[str]:
    from sqlalchemy import text

    with stores.protocol.engine.connect() as conn:
        query = text("SELECT record_id FROM protocol_record ORDER BY seq")
        return [str(r) for r in conn.execute(query).scalars()]


def _checkpoint(data_dir: Path) -> bytes:
    from datenspiegel.protocol.log import ProtocolLog
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config
    from datenspiegel.signing import SigningIdentity

    config = load_config(data_dir / CONFIG_NAME)
    stores = open_stores(config)
    try:
        identity = SigningIdentity.from_pem_files(config.signing.key, config.signing.certificate)
        log = ProtocolLog(stores.protocol.engine, record_key=stores.protocol.record_key)
        log.sequence_all()
        note = log.checkpoint(identity.private_key)
        assert note is not None
        return note
    finally:
        stores.close()


def _expected(data_dir: Path, checkpointed: list[str], later: list[str]) -> dict[str, Any]:
    from datenspiegel.protocol.log import ProtocolLog
    from datenspiegel.protocol.merkle import parse_checkpoint, split_signed_checkpoint
    from datenspiegel.protocol.payloads import PayloadStore
    from datenspiegel.protocol.reads import ReadPurpose
    from datenspiegel.protocol.record import to_plain
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config

    config = load_config(data_dir / CONFIG_NAME)
    stores = open_stores(config)
    note = (data_dir / "checkpoint.txt").read_bytes()
    size = parse_checkpoint(split_signed_checkpoint(note)[0]).size
    try:
        log = ProtocolLog(stores.protocol.engine, record_key=stores.protocol.record_key)
        payloads = PayloadStore(engine=stores.protocol.engine)
        records = {}
        for record_id in checkpointed + later:
            record = stores.protocol.get(
                record_id, reader="release fixture", purpose=ReadPurpose.BETRIEB
            )
            assert record is not None
            answer = payloads.answer(record_id, protocol_key=stores.protocol.record_key)
            entry: dict[str, Any] = {
                "record": to_plain(record, text_times=True),
                "answer_sha256": hashlib.sha256(answer).hexdigest(),
            }
            if record_id in checkpointed:
                index, leaf, proof = log.inclusion(record_id, size)
                entry["inclusion"] = {
                    "log_index": index,
                    "leaf_data": leaf.decode("utf-8"),
                    "tree_size": size,
                    "proof": [h.hex() for h in proof],
                }
            records[record_id] = entry
    finally:
        stores.close()
    return {"checkpoint_size": size, "checkpointed": checkpointed, "records": records}


def _make(data_dir: Path, *, register_url: str | None, broker_url: str | None) -> None:
    from datenspiegel.service.bootstrap import initialise

    initialise(
        data_dir,
        persons=PERSONS,
        seed=7,
        register_url=register_url,
        broker_url=broker_url,
        progress=False,
    )
    _trim_streets(data_dir)
    checkpointed = _requests(data_dir, CASES)
    (data_dir / "checkpoint.txt").write_bytes(_checkpoint(data_dir))
    later = _requests(data_dir, (AFTER,))
    expected = _expected(data_dir, checkpointed, later)
    (data_dir / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    _strip_store_urls(data_dir / "datenspiegel.toml")
    for name in ("broker.sqlite", "register.sqlite"):
        if (data_dir / name).exists():
            _compact(data_dir / name)
    (data_dir / "demo.json").unlink()  # absolute paths of this machine; not needed


def _trim_streets(data_dir: Path) -> None:
    """Keep the street directories of the municipalities the register's persons live in only
    (init imports every municipality's, thousands of rows): the files stay small, and the
    database remains one the release could have written (an operator's smaller directory)."""
    from sqlalchemy import text

    from datenspiegel.register.store import RegisterStore
    from datenspiegel.service.config import load_stores

    with RegisterStore(load_stores(data_dir).register_url) as store, store.engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM register_strasse WHERE ags NOT IN "
                "(SELECT ags FROM register_anschrift WHERE ags IS NOT NULL)"
            )
        )


def _compact(path: Path) -> None:
    """Small pages and no free ones (a table or index takes one page at least): the same
    content in a file a fraction of the size. The release opens any page size (WAL again)."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA page_size=512")
    conn.execute("VACUUM")
    conn.close()


def _pg_schema(pg_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    schema = f"release_{uuid.uuid4().hex[:10]}"
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in pg_url else "?"
    return schema, f"{pg_url}{sep}options=-csearch_path%3D{schema}"


def _dump(pg_url: str, schema: str, target: Path) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    command = [
        "pg_dump",
        "--no-owner",
        "--no-privileges",
        "--inserts",
        f"--schema={schema}",
        f"--host={url.host}",
        f"--port={url.port or 5432}",
        f"--username={url.username}",
        str(url.database),
    ]
    dump = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    lines = []
    for line in dump.splitlines():
        if line.startswith("\\") or line.startswith(f"CREATE SCHEMA {schema};"):
            continue  # psql meta-commands; the test creates the schema itself
        lines.append(line.replace(schema, "@SCHEMA@"))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="e.g. tests/data/releases/3cbbc6f")
    parser.add_argument("--commit", required=True, help="the release's commit (recorded)")
    parser.add_argument("--pg-url", help="PostgreSQL server for the postgresql/ set")
    args = parser.parse_args()
    _refuse_current_code()
    if args.out.exists():
        shutil.rmtree(args.out)
    print("sqlite:")
    _make(args.out / "sqlite", register_url=None, broker_url=None)
    if args.pg_url:
        print("postgresql:")
        broker_schema, broker_url = _pg_schema(args.pg_url)
        register_schema, register_url = _pg_schema(args.pg_url)
        target = args.out / "postgresql"
        _make(target, register_url=register_url, broker_url=broker_url)
        _dump(args.pg_url, broker_schema, target / "broker.sql")
        _dump(args.pg_url, register_schema, target / "register.sql")
    (args.out / "RELEASE").write_text(f"{args.commit}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
