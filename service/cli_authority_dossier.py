"""``datenspiegel authority dossier KENNUNG``: what an audit of the authority needs, as one file.

The operator audits the authorities' technical and organisational measures (DOMAIN.md § 7;
Nds. NMeldVO § 26; §§ 39, 41 BMG). The dossier (service/dossier.py) holds the registration and
its history, who was main administrator when, the users with their instruction dates (§ 41
BMG: current, due, overdue), certificates, blocks with reasons, the audits with findings and
remedies, the findings of the protocol review, and retrieval statistics from the § 40
protocol — counts per month and per user (metadata only for a security authority).

Reading the protocol for it is itself controlled and recorded (§ 40 BMG, DOMAIN.md § 6), with
the machinery of ``datenspiegel protocol search``: ``--operator`` names the reader, who must be
configured in ``[protocol] readers`` with the role ``datenschutzkontrolle`` (an audit is
data-protection control); otherwise nothing is read, the attempt is logged at WARNING and
recorded in the read log, exit 1. ``--purpose`` says what the dossier is for (e.g. "audit 7");
it is recorded with each read. The protocol is read month by month, each read logged with the
records it returned; a month that reaches the read limit is marked incomplete (exit 1, the
dossier is still written).

Exit codes (as the other ``authority`` commands, :mod:`datenspiegel.service.cli_access`): 0
written; 1 refused (reader, unknown authority, database) or the statistics are incomplete;
2 wrong command line.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from datenspiegel.access import AuditStore, Authority
from datenspiegel.access.audits import GERMAN_TIME, german_day
from datenspiegel.protocol.anomalies.store import FindingStore
from datenspiegel.protocol.reads import ReadPurpose, ReadRefused, authorise
from datenspiegel.service.cli_access import (
    EXIT_FAILURE,
    EXIT_OK,
    Refused,
    UsageError,
    add_data_dir,
    date_arg,
    handled,
)
from datenspiegel.service.dossier import (
    DossierRequest,
    Finding,
    FindingsSource,
    build_dossier,
    read_registry,
)
from datenspiegel.service.dossier_render import FORMS, render
from datenspiegel.service.dossier_statistics import RetrievalStatistics
from datenspiegel.service.read_refusal import refuse_read

__all__ = ["add_dossier_command"]

_log = logging.getLogger("datenspiegel.protocol.reads")
_COMMAND = "datenspiegel authority dossier"
#: An audit is data-protection control (§ 40 BMG): the only purpose a dossier reads for.
_PURPOSE = ReadPurpose.DATENSCHUTZKONTROLLE
#: Most records one month's read returns (ProtocolStore's bound).
_MONTH_LIMIT = 100_000
_MAX_OCCASION = 500


def add_dossier_command(commands: Any) -> None:
    """``authority dossier`` among the ``authority`` commands (service/cli_authority.py)."""
    p = commands.add_parser(
        "dossier",
        help="export what an audit of the authority needs (registration, users, blocks, "
        "retrieval statistics, audits)",
        description="The authority's dossier for an audit of its measures (Nds. NMeldVO § 26): "
        "registration and its history, main administrators, users with instruction dates "
        "(§ 41 BMG) and certificates, blocks, retrieval statistics per month and per user "
        "from the § 40 protocol (metadata only for a security authority), audits, findings. "
        "Reading the protocol needs --operator to be a reader with the role "
        "datenschutzkontrolle ([protocol] readers); every read is logged. Exit 0; 1: refused, "
        "or a month's statistics are incomplete; 2: usage.",
    )
    add_data_dir(p)
    p.add_argument("kennung", metavar="KENNUNG", help="the authority's Kennung (dbs:… / ags:…)")
    p.add_argument(
        "--from",
        dest="since",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="statistics from this day (German time; default: 1 January of last year, the "
        "oldest the retention keeps)",
    )
    p.add_argument(
        "--to",
        dest="until",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="statistics up to this day, inclusive (default: today)",
    )
    p.add_argument("--format", choices=FORMS, default="md", help="default: md")
    p.add_argument(
        "--output", type=Path, metavar="FILE", help="write here (mode 0600); default: stdout"
    )
    p.add_argument(
        "--operator",
        required=True,
        metavar="NAME",
        help="who makes the dossier: a reader of [protocol] readers with the role "
        "datenschutzkontrolle",
    )
    p.add_argument(
        "--purpose",
        required=True,
        metavar="TEXT",
        help="what the dossier is for (e.g. 'audit 7'); recorded with the protocol reads",
    )
    p.set_defaults(func=_run_dossier)


class ReviewFindings:
    """The protocol review's findings on one authority (protocol/anomalies/store.py) as the
    dossier shows them: window start, detector, subject and explanation, severity, the number
    of records behind each and the review state. The findings hold no personal content (for
    security authorities they were made from metadata alone, § 40 Abs. 3 BMG), so reading them
    reads no protocol record."""

    def __init__(self, store: FindingStore) -> None:
        self._store = store

    def findings(
        self, authority_kennung: str, *, since: datetime, until: datetime
    ) -> list[Finding]:
        stored = self._store.list(
            since=since, until=until, authority_kennung=authority_kennung, limit=10_000
        )
        return [
            Finding(
                at=s.finding.window_start,
                kind=s.finding.kind.value,
                summary=f"{s.finding.subject.describe()}: {s.finding.explanation}",
                severity=s.finding.severity.value,
                records=s.finding.record_count,
                status=s.status.value,
            )
            for s in sorted(stored, key=lambda s: (s.finding.window_start, s.id))
        ]


def findings_source(stores: Any) -> FindingsSource | None:
    """The findings of the protocol review for the dossier (service/dossier.py,
    :class:`FindingsSource`): the anomaly findings store on the broker database."""
    return ReviewFindings(FindingStore(engine=stores.protocol.engine))


def _period(args: argparse.Namespace, now: datetime) -> tuple[datetime, datetime]:
    """``[since, until)`` in UTC from the whole German days ``--from`` … ``--to``."""
    today = german_day(now)
    first: date = args.since or date(today.year - 1, 1, 1)
    last: date = args.until or today
    if first > last:
        raise UsageError(f"--from {first.isoformat()} lies after --to {last.isoformat()}")

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), GERMAN_TIME).astimezone(UTC)

    return midnight(first), midnight(last + timedelta(days=1))


def _months(since: datetime, until: datetime) -> Iterator[tuple[str, datetime, datetime]]:
    """``(YYYY-MM, start, end)`` per German month of ``[since, until)``."""
    local = since.astimezone(GERMAN_TIME)
    year, month = local.year, local.month
    start = since
    while start < until:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        boundary = datetime(year, month, 1, tzinfo=GERMAN_TIME).astimezone(UTC)
        end = min(boundary, until)
        yield start.astimezone(GERMAN_TIME).strftime("%Y-%m"), start, end
        start = end


def _system_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: the read is still logged
        return None


def _statistics(
    stores: Any,
    authority: Authority,
    *,
    reader: str,
    since: datetime,
    until: datetime,
    context: dict[str, Any],
) -> RetrievalStatistics:
    """The authority's counts, read month by month through the protocol store (each read
    logged with reader, purpose, query, context and the records returned)."""
    statistics = RetrievalStatistics(with_content=not authority.ist_sicherheitsbehoerde)
    for label, start, end in _months(since, until):
        found = stores.protocol.records(
            reader=reader,
            purpose=_PURPOSE,
            since=start,
            until=end,
            authority_kennung=authority.kennung,
            limit=_MONTH_LIMIT,
            context={**context, "month": label},
        )
        for record in found:
            statistics.add(record)
        if len(found) >= _MONTH_LIMIT:
            statistics.incomplete.append(label)
    return statistics


def _refuse(config: Any, args: argparse.Namespace, exc: ReadRefused, context: Any) -> int:
    """Refused before anything is read: logged, recorded and told (service/read_refusal.py)."""
    refuse_read(
        exc,
        reader=args.operator,
        purpose=_PURPOSE,
        query={"authority_kennung": args.kennung},
        context=context,
        config=config,
    )
    return EXIT_FAILURE


def _write(text: str, path: Path) -> None:
    """Write the dossier readable by its owner only: it holds personal data of users."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


@handled
def _run_dossier(args: argparse.Namespace) -> int:
    from datenspiegel.service.app import belehrungsfrist, open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config

    occasion = " ".join(str(args.purpose).split())
    if not occasion or len(occasion) > _MAX_OCCASION:
        raise UsageError(f"--purpose needs a text of 1–{_MAX_OCCASION} characters")
    now = datetime.now(UTC)
    since, until = _period(args, now)
    config = load_config(args.data_dir / CONFIG_NAME)
    context = {"command": _COMMAND, "system_user": _system_user(), "occasion": occasion}
    try:
        reader = authorise(config.protocol.readers, args.operator, _PURPOSE).name
    except ReadRefused as exc:
        return _refuse(config, args, exc, context)
    stores = open_stores(config)
    try:
        audits = AuditStore(engine=stores.access.engine)
        authority = audits.authority_by_kennung(args.kennung)
        if authority is None:
            raise Refused(
                f"no authority {args.kennung!r} is registered ('datenspiegel authority list')"
            )
        facts = read_registry(audits, authority)
        statistics = _statistics(
            stores, authority, reader=reader, since=since, until=until, context=context
        )
        dossier = build_dossier(
            facts,
            statistics,
            request=DossierRequest(reader, occasion, now, since, until),
            belehrung=belehrungsfrist(config),
            findings=findings_source(stores),
        )
    finally:
        stores.close()
    text = render(dossier, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write(text, args.output)
        print(
            f"dossier of {authority.kennung} written to {args.output} ({args.format}): "
            f"{len(facts.users)} user(s), {statistics.total.transactions} transaction(s) from "
            f"{since.astimezone(GERMAN_TIME):%Y-%m-%d} to "
            f"{(until - timedelta(seconds=1)).astimezone(GERMAN_TIME):%Y-%m-%d}, "
            f"{len(facts.audits)} audit(s)"
        )
    if statistics.incomplete:
        print(
            "incomplete: the protocol reads of "
            + ", ".join(statistics.incomplete)
            + f" reached {_MONTH_LIMIT} records; their counts are lower bounds",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return EXIT_OK
