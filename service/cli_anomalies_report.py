"""``datenspiegel anomalies report``: the protocol review of a period as one page with pictures.

Issue 10, point 4. The operator reviews the § 40 BMG protocol for signs of misuse (DOMAIN.md
§§ 6–7). The report (:mod:`datenspiegel.protocol.anomalies.report`) shows per authority when it
works (local hour × weekday), its daily volume against its usual band, the busiest users and
the findings still open — ``--format html``: one self-contained, printable page (inline SVG,
nothing loaded from anywhere); ``--format json``: the same data for machines.

Reading the protocol for it is data-protection control and is itself controlled and recorded
(§ 40 BMG, DOMAIN.md § 6), as ``datenspiegel protocol search`` is: ``--reader`` must be
configured in ``[protocol] readers`` with the role ``datenschutzkontrolle``; otherwise nothing
is read, the attempt is logged at WARNING and recorded in the read log, exit 1. The records are
read page by page (:func:`~datenspiegel.protocol.anomalies.source.read_records`), each page a
logged read, and only counted: the report never holds the period's records.

The findings come from the findings store (those whose window overlaps the period, with their
review state and a note when its evaluation has not reached the period's end) — or, with
``--evaluate``, from evaluating the period now as ``datenspiegel anomalies scan`` does (the
configured decoys, the registry's block periods), without storing them: then they are shown as
not yet reviewed, and the protocol is read again for it (logged as well).

Exit codes: 0 written; 1 refused (reader) or the database failed; 2 wrong command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from datenspiegel.protocol.anomalies import AnomalyConfig, Finding, read_records
from datenspiegel.protocol.anomalies.continuous import scan as scan_period
from datenspiegel.protocol.anomalies.report import ReportBuilder, ReportOptions, period_of_days
from datenspiegel.protocol.anomalies.report_html import render_html
from datenspiegel.protocol.anomalies.report_model import Period, ReportData
from datenspiegel.protocol.anomalies.store import FindingStore, StoredFinding
from datenspiegel.protocol.reads import ReadPurpose, ReadRefused, authorise
from datenspiegel.service.anomaly_facts import RegistryBlocks
from datenspiegel.service.cli_access import EXIT_FAILURE, EXIT_OK, UsageError, handled
from datenspiegel.service.read_refusal import refuse_read

__all__ = ["add_report_command", "parse_period"]

_log = logging.getLogger("datenspiegel.protocol.reads")
_COMMAND = "datenspiegel anomalies report"
#: Reviewing the protocol for misuse is data-protection control (§ 40 BMG).
_PURPOSE = ReadPurpose.DATENSCHUTZKONTROLLE
#: Most findings of a period the report lists from the store.
_MAX_FINDINGS = 10_000
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def add_report_command(commands: Any) -> None:
    """``report`` among the ``anomalies`` commands (service/cli_anomalies.py)."""
    p = commands.add_parser(
        "report",
        help="the protocol review of a period as one page with charts (HTML) or JSON",
        description="Per authority: records by local hour and weekday (heat map), records a "
        "day against the usual band learnt from the days before, the busiest users, and the "
        "open findings with their explanations. --format html writes one self-contained, "
        "printable page (inline SVG, nothing loaded from the network); --format json the same "
        "data. Reading the protocol needs --reader to be a reader with the role "
        "datenschutzkontrolle ([protocol] readers); every read is logged. Exit 0; 1: refused "
        "or database error; 2: usage.",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var"),
        help="the service's data directory (its broker database; default: var)",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help="a month (2026-11), a day (2026-11-05) or days (2026-11-01..2026-11-30), local time",
    )
    p.add_argument(
        "--since", type=_day, metavar="YYYY-MM-DD", help="first day (instead of --period)"
    )
    p.add_argument(
        "--until", type=_day, metavar="YYYY-MM-DD", help="last day, included (default: today)"
    )
    p.add_argument("--format", choices=("html", "json"), default="html", help="default: html")
    p.add_argument(
        "--output", type=Path, metavar="FILE", help="write here (mode 0600); default: stdout"
    )
    p.add_argument(
        "--reader",
        required=True,
        metavar="NAME",
        help="who reads: a reader of [protocol] readers with the role datenschutzkontrolle",
    )
    p.add_argument(
        "--purpose",
        choices=(_PURPOSE.value,),
        default=_PURPOSE.value,
        help="why (§ 40 BMG): reviewing the protocol is data-protection control",
    )
    p.add_argument(
        "--evaluate",
        action="store_true",
        help="evaluate the period now instead of listing the findings store's findings",
    )
    p.add_argument(
        "--authorities",
        type=_positive,
        default=ReportOptions().charted,
        metavar="N",
        help=f"authorities given charts (default {ReportOptions().charted}; all are in the table)",
    )
    p.add_argument(
        "--top-users",
        type=_positive,
        default=ReportOptions().top_users,
        metavar="N",
        help=f"users listed (default {ReportOptions().top_users})",
    )
    p.add_argument(
        "--baseline-days",
        type=_positive,
        default=ReportOptions().baseline_days,
        metavar="N",
        help=f"days before each day its band is learnt from (default "
        f"{ReportOptions().baseline_days})",
    )
    p.set_defaults(func=_run_report)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"a whole number 1–10000, not {text!r}")
    return value


def parse_period(text: str) -> tuple[date, date]:
    """The first and last local day of ``2026-11`` (a month), ``2026-11-05`` (a day) or
    ``2026-11-01..2026-11-30`` (days, both included)."""
    text = text.strip()
    first_text, dots, last_text = text.partition("..")
    try:
        if dots:
            first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
        elif month := _MONTH.fullmatch(text):
            year, number = int(month.group(1)), int(month.group(2))
            first = date(year, number, 1)
            last = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
        else:
            first = last = date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--period {text!r}: write a month (2026-11), a day (2026-11-05) or days "
            "(2026-11-01..2026-11-30)"
        ) from None
    if last < first:
        raise UsageError(f"--period {text!r} ends before it starts")
    return first, last


def _period(args: argparse.Namespace, today: date) -> Period:
    if args.period is not None:
        if args.since is not None or args.until is not None:
            raise UsageError("give --period or --since/--until, not both")
        first, last = parse_period(args.period)
    elif args.since is not None:
        first, last = args.since, args.until or today
        if last < first:
            raise UsageError(f"--until {last} lies before --since {first}")
    else:
        raise UsageError("which period? give --period (e.g. 2026-11) or --since [--until]")
    return period_of_days(first, last)


def _system_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: the read is still logged
        return None


def _refuse(config: Any, args: argparse.Namespace, exc: ReadRefused, context: Any) -> int:
    """Refused before anything is read: logged, recorded and told (service/read_refusal.py)."""
    refuse_read(
        exc,
        reader=args.reader,
        purpose=_PURPOSE,
        query={"period": context["period"]},
        context=context,
        config=config,
    )
    return EXIT_FAILURE


def _write(text: str, path: Path) -> None:
    """Readable by its owner only: the report names users of authorities."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _local(moment: datetime, period: Period) -> str:
    return f"{moment.astimezone(ZoneInfo(period.timezone)):%Y-%m-%d %H:%M}"


def _counted(stores: Any, builder: ReportBuilder, *, reader: str, context: dict[str, Any]) -> None:
    """The period and the days before it for the bands, read page by page and counted."""
    builder.add_all(
        read_records(
            stores.protocol,
            since=builder.read_since,
            until=builder.period.until,
            reader=reader,
            context={**context, "pass": "count"},
        )
    )


def _evaluated(
    stores: Any, period: Period, *, reader: str, config: AnomalyConfig, context: dict[str, Any]
) -> tuple[Sequence[Finding], str]:
    """The findings of the period evaluated now, as ``datenspiegel anomalies scan`` finds
    them (the configured decoys, the registry's blocks, the baselines from the protocol) —
    without storing them."""
    found = scan_period(
        stores.protocol,
        since=period.since,
        until=period.until,
        reader=reader,
        config=config,
        blocks=RegistryBlocks(stores.access).blocks(),
        context={**context, "pass": "evaluate"},
    )
    return found, (
        f"Found by evaluating the period for this report ({len(found)} finding(s), as "
        "`datenspiegel anomalies scan` finds them, not stored): not yet reviewed."
    )


def _stored(stores: Any, period: Period) -> tuple[Sequence[StoredFinding], str]:
    """The findings store's findings of the period, and how far its evaluation got."""
    store = FindingStore(engine=stores.protocol.engine)
    found = store.list(since=period.since, until=period.until, limit=_MAX_FINDINGS)
    watermark = store.watermark()
    text = f"From the findings store: {len(found)} finding(s) whose window overlaps the period"
    if len(found) >= _MAX_FINDINGS:
        text += f" (the first {_MAX_FINDINGS}: narrow the period)"
    if watermark is None:
        text += "; the protocol has not been evaluated yet — run `datenspiegel anomalies scan`."
    elif watermark < period.until:
        text += (
            f"; evaluated up to {_local(watermark, period)} local time — records after it are "
            "not yet evaluated (`datenspiegel anomalies scan`, or this report with --evaluate)."
        )
    else:
        text += "; the whole period has been evaluated."
    return found, text


@handled
def _run_report(args: argparse.Namespace) -> int:
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config

    now = datetime.now(UTC)
    period = _period(args, now.astimezone(ZoneInfo(AnomalyConfig().timezone)).date())
    options = ReportOptions(
        charted=args.authorities, top_users=args.top_users, baseline_days=args.baseline_days
    )
    service_config = load_config(args.data_dir / CONFIG_NAME)
    config = AnomalyConfig(decoy_persons=service_config.anomalies.decoy_persons)
    span = f"{period.first_day.isoformat()}..{period.last_day.isoformat()}"
    context = {"command": _COMMAND, "system_user": _system_user(), "period": span}
    try:
        reader = authorise(service_config.protocol.readers, args.reader, _PURPOSE).name
    except ReadRefused as exc:
        return _refuse(service_config, args, exc, context)
    builder = ReportBuilder(period, options=options, config=config)
    stores = open_stores(service_config)
    try:
        _counted(stores, builder, reader=reader, context=context)
        findings: Sequence[Finding | StoredFinding]
        if args.evaluate:
            findings, source = _evaluated(
                stores, period, reader=reader, config=config, context=context
            )
        else:
            findings, source = _stored(stores, period)
    finally:
        stores.close()
    report = builder.build(
        findings,
        reader=reader,
        purpose=_PURPOSE.value,
        generated_at=now,
        findings_source=source,
    )
    text = _rendered(report, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write(text, args.output)
        print(
            f"anomaly report {span} written to {args.output} ({args.format}): "
            f"{report.counts.in_period} records of {report.counts.authorities} authorities, "
            f"{len(report.findings)} open finding(s)"
        )
    return EXIT_OK


def _rendered(report: ReportData, form: str) -> str:
    if form == "json":
        return json.dumps(report.as_json(), ensure_ascii=False, indent=1) + "\n"
    return render_html(report)
