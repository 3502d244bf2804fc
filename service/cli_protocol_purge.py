"""``datenspiegel protocol purge``: delete what the retention rules say is due (§ 40 BMG).

Kept at least 12 months, deleted by the end of the following calendar year
(``broker.protocol_retention_months``, 12–24, default 24: at the year boundary). Safe to run
daily from cron or a systemd timer, idempotent, and itself recorded (an access to the protocol,
purpose ``betrieb``, with the reader's name). It removes:

- the records whose time has come, with their kept answers — the Merkle log keeps their leaves,
  so ``protocol verify`` and every proof still hold (protocol/retention.py);
- the keys of the periods that are wholly past (crypto-shredding: no backup can read them);
- expired Identifikationsmerkmale (48 hours, BMeldDAV § 9) and replay claims past the
  creation-time window.

Exit 0 done, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["add_purge_command"]


def add_purge_command(commands: Any) -> None:
    p = commands.add_parser(
        "purge",
        help="delete records, answers and keys past their retention (safe to run daily)",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    p.add_argument(
        "--data-dir", type=Path, default=Path("var"), help="the service's data directory"
    )
    p.add_argument("--reader", required=True, help="who purges (recorded with the purge)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run_purge)


def _run_purge(args: argparse.Namespace) -> int:
    from datenspiegel.protocol.retention import purge
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config
    from datenspiegel.service.idempotency import MessageWindow

    config = load_config(args.data_dir / CONFIG_NAME)
    stores = open_stores(config)
    now = datetime.now(UTC)
    try:
        key = stores.protocol.record_key
        assert key is not None  # open_stores sets it
        report = purge(
            stores.protocol.engine,
            protocol_key=key,
            reader=args.reader,
            now=now,
            months=config.broker.protocol_retention_months,
        )
        merkmale = stores.merkmale.purge_expired(now=now)
        window = MessageWindow(
            max_age=config.broker.message_max_age, clock_skew=config.broker.clock_skew
        )
        claims = stores.replay.purge(claimed_before=now - window.claims_kept)
    finally:
        stores.close()
    result = {
        "cutoff": report.cutoff.isoformat(),
        "records_deleted": report.records_deleted,
        "log_purged_until": report.purged_until,
        "period_keys_destroyed": report.keys_destroyed,
        "answers_deleted": report.answers_deleted,
        "merkmale_deleted": merkmale,
        "replay_claims_deleted": claims,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print(
            f"records received before {report.cutoff:%Y-%m-%d %H:%M} UTC: "
            f"{report.records_deleted} deleted (the log keeps their leaves up to index "
            f"{report.purged_until}); {report.keys_destroyed} period key(s) destroyed, "
            f"{report.answers_deleted} kept answer(s) deleted; {merkmale} expired "
            f"Identifikationsmerkmal(e), {claims} replay claim(s) removed"
        )
    return 0
