"""``datenspiegel cases list | show | export | purge``: the operator's view of hand-over cases.

``list`` shows delivery facts only (recipient, times, duties — no personal data), so it is not
a read of case contents; ``--overdue`` lists the open cases nobody fetched within
``broker.case_alert_after`` and logs a WARNING for them (``--check``: exit status 1 when there
are any, for cron and monitoring). ``show`` and ``export`` read case contents (the request, the
register data): they need ``--reader`` and ``--purpose`` and are logged like protocol reads.
``purge`` drops the content of cases acknowledged longer ago than the retention period.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from datenspiegel.protocol.cases import CaseState, CaseStore
from datenspiegel.protocol.reads import ReadPurpose

__all__ = ["add_cases_commands"]

log = logging.getLogger(__name__)

EXIT_OK, EXIT_OVERDUE, EXIT_USAGE = 0, 1, 2


def _data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, default=Path("var"), help="the service's data dir")


def _reader(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reader", required=True, help="who reads (logged with the read)")
    p.add_argument(
        "--purpose",
        required=True,
        choices=[purpose.value for purpose in ReadPurpose],
        help="why (§ 40 BMG purposes; logged with the read)",
    )


def add_cases_commands(subparsers: Any) -> None:
    cases = subparsers.add_parser(
        "cases", help="hand-over cases (1322) and notices: delivery state, contents, purge"
    )
    commands = cases.add_subparsers(dest="cases_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "list",
        help="cases and their delivery state (no contents)",
        description="Open cases, oldest first (--all: acknowledged ones too). --overdue: only "
        "open cases not fetched within broker.case_alert_after; each run that finds any logs a "
        "WARNING. Exit 0, or 1 with --check when cases are overdue.",
    )
    _data_dir(p)
    p.add_argument("--all", action="store_true", help="also acknowledged cases")
    p.add_argument("--overdue", action="store_true", help="only unfetched cases past the alert")
    p.add_argument("--check", action="store_true", help="exit 1 when any case is overdue")
    p.add_argument("--recipient", help="only cases for this Kennung (ags:… / dbs:…)")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(func=_run_list)

    p = commands.add_parser(
        "show",
        help="one case with its content (a logged read)",
        description="Print a case's 1322 content (XML) or, with --json, facts and content.",
    )
    _data_dir(p)
    p.add_argument("case_id")
    _reader(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run_show)

    p = commands.add_parser(
        "export",
        help="cases with their contents as JSON Lines (a logged read)",
        description="One JSON object per line, oldest first, to --output or stdout.",
    )
    _data_dir(p)
    _reader(p)
    p.add_argument("--open", action="store_true", help="only open cases")
    p.add_argument("--recipient", help="only cases for this Kennung")
    p.add_argument("--since", help="created at or after (ISO 8601 with offset)")
    p.add_argument("--limit", type=int, default=10_000)
    p.add_argument("--output", type=Path, help="file to write (default: stdout)")
    p.set_defaults(func=_run_export)

    p = commands.add_parser(
        "purge",
        help="drop the contents of cases acknowledged before the retention period",
        description="The signed request and the register data are kept only until the case is "
        "acknowledged plus the retention period; the delivery facts stay.",
    )
    _data_dir(p)
    p.add_argument(
        "--retention-days", type=int, default=30, help="days after acknowledgement (default 30)"
    )
    p.set_defaults(func=_run_purge)


def _store(data_dir: Path) -> CaseStore:
    from datenspiegel.service.config import load_stores
    from datenspiegel.store import BROKER, ensure_current

    store = CaseStore(load_stores(data_dir).broker_url)
    ensure_current(store.engine, BROKER)  # an older schema: `datenspiegel db upgrade` first
    return store


def _alert_after(data_dir: Path) -> float:
    from datenspiegel.service.config import CONFIG_NAME, load_config

    path = data_dir / CONFIG_NAME
    if path.is_file():
        return load_config(path).broker.case_alert_after
    from datenspiegel.service.config import BrokerConfig

    return BrokerConfig().case_alert_after


def _age(moment: datetime, now: datetime) -> str:
    hours = (now - moment).total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} d"


def _run_list(args: argparse.Namespace) -> int:
    store = _store(args.data_dir)
    now = datetime.now(UTC)
    alert = _alert_after(args.data_dir)
    try:
        if args.overdue:
            found = store.overdue(now=now, after_seconds=alert, limit=args.limit)
            if args.recipient:
                found = [c for c in found if c.recipient == args.recipient]
        else:
            found = store.cases(open_only=not args.all, recipient=args.recipient, limit=args.limit)
        overdue = [
            c
            for c in found
            if c.open and c.fetched_at is None and (now - c.created_at).total_seconds() > alert
        ]
    finally:
        store.close()
    if overdue:
        log.warning(
            "%d hand-over case(s) not fetched within %.0f s (broker.case_alert_after); oldest "
            "for %s since %s",
            len(overdue),
            alert,
            overdue[0].recipient,
            overdue[0].created_at.isoformat(timespec="seconds"),
        )
    if args.json:
        json.dump(
            {"alert_after_seconds": alert, "cases": [c.as_json() for c in found]},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        if not found:
            print("no cases" + (" overdue" if args.overdue else ""))
        for c in found:
            state = (
                f"acknowledged {c.acknowledged_at:%Y-%m-%d %H:%M}"
                if c.acknowledged_at
                else f"fetched {c.fetch_count}×"
                if c.fetched_at
                else "NOT FETCHED" + (" (overdue)" if c in overdue else "")
            )
            print(
                f"{c.case_id}  {c.kind:<30} {c.recipient:<24} "
                f"created {c.created_at:%Y-%m-%d %H:%M} ({_age(c.created_at, now)})  {state}"
            )
    return EXIT_OVERDUE if args.check and overdue else EXIT_OK


def _run_show(args: argparse.Namespace) -> int:
    store = _store(args.data_dir)
    try:
        case = store.get(args.case_id, reader=args.reader, purpose=ReadPurpose(args.purpose))
    finally:
        store.close()
    if case is None:
        print(f"error: no case {args.case_id}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        json.dump(case.as_json(with_content=True), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    print(json.dumps(case.as_json(), ensure_ascii=False))
    if case.content is None:
        print("(content purged)")
    else:
        sys.stdout.write(case.content.decode("utf-8") + "\n")
    return EXIT_OK


def _run_export(args: argparse.Namespace) -> int:
    since = datetime.fromisoformat(args.since) if args.since else None
    if since is not None and since.tzinfo is None:
        print("error: --since needs a UTC offset, e.g. 2026-11-01T00:00:00+01:00", file=sys.stderr)
        return EXIT_USAGE
    store = _store(args.data_dir)
    try:
        found: list[CaseState] = store.export(
            reader=args.reader,
            purpose=ReadPurpose(args.purpose),
            open_only=args.open,
            recipient=args.recipient,
            since=since,
            limit=args.limit,
        )
    finally:
        store.close()
    lines = "".join(
        json.dumps(c.as_json(with_content=True), ensure_ascii=False) + "\n" for c in found
    )
    if args.output:
        args.output.write_text(lines, encoding="utf-8")
        print(f"{len(found)} case(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(lines)
    return EXIT_OK


def _run_purge(args: argparse.Namespace) -> int:
    if args.retention_days < 0:
        print("error: --retention-days must not be negative", file=sys.stderr)
        return EXIT_USAGE
    store = _store(args.data_dir)
    now = datetime.now(UTC)
    try:
        purged = store.purge(acknowledged_before=now - timedelta(days=args.retention_days), now=now)
    finally:
        store.close()
    print(f"purged the contents of {purged} acknowledged case(s)")
    return EXIT_OK
