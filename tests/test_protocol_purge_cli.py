"""``datenspiegel protocol purge`` on a data directory (issue 9, point 3; § 40 BMG: kept at
least 12 months, deleted at the latest at the end of the following calendar year): records of
the year before last go with their kept answers and their period's key; expired
Identifikationsmerkmale go; the purge is recorded; ``protocol verify`` passes afterwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from datenspiegel.protocol._schema import reads, records
from datenspiegel.protocol.payloads import PayloadStore, payloads
from datenspiegel.service.app import open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from datenspiegel.service.config import CONFIG_NAME, load_config
from tests.test_protocol_record import full_record


def test_purge_deletes_the_expired_and_the_log_still_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=20, progress=False)
    stores = open_stores(load_config(data_dir / CONFIG_NAME))
    key = stores.protocol.record_key
    assert key is not None
    now = datetime.now(UTC)
    written = {}
    for label, at in (("old", datetime(now.year - 2, 6, 1, tzinfo=UTC)), ("new", now)):
        record = full_record(received_at=at, answered_at=at + timedelta(seconds=1))
        stores.protocol.append(
            record,
            with_record=[
                lambda conn, r=record, t=at: PayloadStore.keep_in(
                    conn, protocol_key=key, record_id=r.record_id, answer=b"<a/>", at=t
                )
            ],
        )
        written[label] = record.record_id
    expired = stores.merkmale.issue([1], authority_id=1, now=now - timedelta(days=3))
    stores.close()
    assert main(["protocol", "checkpoint", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()

    args = ["protocol", "purge", "--data-dir", str(data_dir), "--reader", "M. Schulz", "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["records_deleted"] == 1 and result["period_keys_destroyed"] == 1
    assert result["merkmale_deleted"] == 1
    stores = open_stores(load_config(data_dir / CONFIG_NAME))
    try:
        with stores.protocol.engine.connect() as conn:
            left = set(conn.execute(select(records.c.record_id)).scalars())
            kept = set(conn.execute(select(payloads.c.record_id)).scalars())
            purge_read = conn.execute(select(reads).order_by(reads.c.id.desc())).mappings().first()
        assert written["old"] not in left and written["new"] in left
        assert kept == {written["new"]}
        assert purge_read is not None and purge_read["reader"] == "M. Schulz"
        assert stores.merkmale.resolve(expired[1], authority_id=1, now=now) is None
    finally:
        stores.close()
    assert main(["protocol", "verify", "--data-dir", str(data_dir)]) == 0  # the proof holds
    capsys.readouterr()
    assert main(args) == 0  # idempotent: nothing more to delete
    assert json.loads(capsys.readouterr().out)["records_deleted"] == 0
