"""``datenspiegel anomalies …``: signs of misuse in the § 40 protocol, kept and reviewed.

The operator reviews the § 40 BMG protocol for signs of misuse, contacts an authority on
suspected unlawful retrievals and may block (DOMAIN.md §§ 6–7). The running service evaluates
new records continuously (``[anomalies]``, service/anomaly_watch.py); these commands work on
what it stored and on any period:

- ``scan --since … [--until …]`` evaluates a period (records from ``lookback`` before it fill
  the detectors' windows), stores the findings — the same keys, so the same findings, as the
  continuous evaluation — and lists them. Exit 0.
- ``list [--status …] [--authority …]``, ``show ID``: the stored findings; ``show`` with the
  explanation, the records behind it and every change. Exit 0; 1: no such finding.
- ``assign ID --reviewer NAME``, ``resolve ID --status … --reviewer NAME --note TEXT
  [--unblock]``: the review; each step is an event of the finding's history.
- ``letter ID``: the letter asking the authority to check (service/anomaly_letter.py); writing
  it records that the authority was asked (``--draft``: nothing recorded).
- ``status``: how far the running service has evaluated, and who evaluates.

Reading records (``scan``, ``letter``) is a read of the protocol for data-protection control:
``--reader`` must be configured in ``[protocol] readers`` with the role
``datenschutzkontrolle``, and every read is logged (a refused reader is logged too, exit 1).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from datenspiegel.protocol.anomalies import AnomalyConfig
from datenspiegel.protocol.anomalies.continuous import scan as scan_period
from datenspiegel.protocol.anomalies.errors import InvalidTransition, UnknownFinding
from datenspiegel.protocol.anomalies.store import (
    FindingAction,
    FindingStatus,
    FindingStore,
    StoredFinding,
)
from datenspiegel.protocol.reads import ReadPurpose, ReadRefused, authorise
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.subject_report import LOCAL as _LOCAL
from datenspiegel.service.anomaly_block import lift_block
from datenspiegel.service.anomaly_facts import RegistryBlocks
from datenspiegel.service.anomaly_letter import (
    MAX_LINES,
    compose_letter,
    german_moment,
    letter_html,
    letter_markdown,
)
from datenspiegel.service.cli_anomalies_report import add_report_command
from datenspiegel.service.cli_protocol import _since, _system_user, _until
from datenspiegel.service.read_refusal import refuse_read

__all__ = ["add_anomalies_commands"]

EXIT_OK, EXIT_FAILURE = 0, 1
_log = logging.getLogger("datenspiegel.protocol.reads")
_PURPOSE = ReadPurpose.DATENSCHUTZKONTROLLE
_REVIEW_STATUSES = [s.value for s in FindingStatus if s is not FindingStatus.OPEN]


def add_anomalies_commands(subparsers: Any) -> None:
    anomalies = subparsers.add_parser(
        "anomalies",
        help="signs of misuse in the § 40 protocol: scan a period, review findings, letters",
    )
    commands = anomalies.add_subparsers(dest="anomalies_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "scan",
        help="evaluate a period and store its findings (as the running service does)",
        description="Evaluates the records received in --since … --until (default: now) with "
        "the configured decoys and the registry's blocks, stores the findings (new ones open, "
        "known ones merged) and lists them. The reads are logged under --reader. Exit 0; 1: "
        "refused.",
    )
    _data_dir(p)
    _reader(p)
    p.add_argument(
        "--since",
        type=_since,
        required=True,
        metavar="WHEN",
        help="from this day or moment (YYYY-MM-DD or ISO; German local time)",
    )
    p.add_argument(
        "--until",
        type=_until,
        metavar="WHEN",
        help="up to this day (inclusive) or before this moment; default: now",
    )
    _json(p)
    p.set_defaults(func=_run_scan)

    p = commands.add_parser(
        "list",
        help="stored findings, newest first",
        description="One line per finding: id, status, severity, kind, window (local time), "
        "subject, records. Exit 0.",
    )
    _data_dir(p)
    p.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in FindingStatus],
        help="only these (repeat for several)",
    )
    p.add_argument("--authority", metavar="KENNUNG", help="only findings about this authority")
    p.add_argument("--since", type=_since, metavar="WHEN", help="windows ending from then on")
    p.add_argument("--until", type=_until, metavar="WHEN", help="windows starting before then")
    p.add_argument("--limit", type=int, default=100, help="most findings listed (default 100)")
    _json(p)
    p.set_defaults(func=_run_list)

    p = commands.add_parser(
        "show",
        help="one finding: explanation, its records, its history",
        description="The finding, what it measured against which threshold, the ids of the "
        "protocol records behind it (datenspiegel protocol show RECORD_ID --reader …) and every "
        "change. Exit 0; 1: no such finding.",
    )
    _data_dir(p)
    p.add_argument("id", type=int)
    _json(p)
    p.set_defaults(func=_run_show)

    p = commands.add_parser(
        "assign",
        help="a reviewer takes a finding (open → in review)",
        description="Sets the reviewer; an open finding goes in review. Recorded. Exit 0; 1: "
        "no such finding.",
    )
    _data_dir(p)
    p.add_argument("id", type=int)
    _reviewer(p)
    p.add_argument("--note", help="why, for the history")
    p.set_defaults(func=_run_assign)

    p = commands.add_parser(
        "resolve",
        help="set a finding's status (in review, authority asked, confirmed, dismissed)",
        description="Records the reviewer's decision with a note. --unblock also lifts the "
        "block the finding made automatically (anomalies.block_on_critical) — only that "
        "block. Exit 0; 1: no such finding, or the step does not fit.",
    )
    _data_dir(p)
    p.add_argument("id", type=int)
    p.add_argument("--status", required=True, choices=_REVIEW_STATUSES)
    _reviewer(p)
    p.add_argument("--note", required=True, help="why (kept in the finding's history)")
    p.add_argument(
        "--unblock", action="store_true", help="lift the automatic block this finding made"
    )
    p.set_defaults(func=_run_resolve)

    p = commands.add_parser(
        "letter",
        help="the letter asking the authority to check (records: authority asked)",
        description="Writes the letter to the authority of the finding (address and contact "
        "from the registry): what was observed in neutral words, the retrievals, what to "
        "check and by when, the legal bases; for a security authority metadata only (§ 40 "
        "Abs. 3 BMG). The records are read under --reader (logged). Unless --draft, the "
        "finding is set to authority_asked with an event. Exit 0; 1: refused or no address.",
    )
    _data_dir(p)
    p.add_argument("id", type=int)
    _reader(p)
    p.add_argument("--output", type=Path, metavar="FILE", help="default: standard output")
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument(
        "--authority", metavar="KENNUNG", help="the authority to write to (default: the finding's)"
    )
    p.add_argument(
        "--respond-within",
        type=int,
        default=14,
        metavar="DAYS",
        help="days the authority has to answer (default 14)",
    )
    p.add_argument("--draft", action="store_true", help="write only; record nothing")
    p.set_defaults(func=_run_letter)

    p = commands.add_parser(
        "status",
        help="how far the running service has evaluated the protocol, and who evaluates",
        description="The watermark (every record received before it is evaluated), the lag "
        "behind now, the evaluating process and its lease, findings by status. Exit 0.",
    )
    _data_dir(p)
    _json(p)
    p.set_defaults(func=_run_status)

    add_report_command(commands)  # the HTML report: service/cli_anomalies_report.py


# -- options --------------------------------------------------------------------------------


def _data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", type=Path, default=Path("var"), help="the service's data directory"
    )


def _reader(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--reader",
        required=True,
        metavar="NAME",
        help="who reads the protocol: a reader of [protocol] readers with the role "
        "datenschutzkontrolle (the read is logged)",
    )


def _reviewer(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reviewer", required=True, metavar="NAME", help="who reviews (recorded)")


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


# -- opening --------------------------------------------------------------------------------


def _opened(data_dir: Path) -> tuple[Any, Any, FindingStore]:
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config

    config = load_config(data_dir / CONFIG_NAME)
    stores = open_stores(config)
    return config, stores, FindingStore(engine=stores.protocol.engine)


def _with_stores(args: argparse.Namespace, run: Callable[[Any, Any, FindingStore], int]) -> int:
    config, stores, findings = _opened(args.data_dir)
    try:
        return run(config, stores, findings)
    finally:
        stores.close()


def _now() -> datetime:
    return datetime.now(UTC)


def _authorised_reader(
    args: argparse.Namespace, config: Any, stores: Any, command: str, asked: dict[str, Any]
) -> tuple[str, dict[str, Any]] | None:
    """The reader's name and the read's context, or None (refused: logged, told)."""
    context = {"command": f"datenspiegel anomalies {command}", "system_user": _system_user()}
    try:
        reader = authorise(config.protocol.readers, args.reader, _PURPOSE)
    except ReadRefused as exc:
        refuse_read(
            exc, reader=args.reader, purpose=_PURPOSE, query=asked, context=context, stores=stores
        )
        return None
    return reader.name, context


def _found(findings: FindingStore, finding_id: int) -> StoredFinding:
    stored = findings.get(finding_id)
    if stored is None:
        raise UnknownFinding(
            f"no finding with id {finding_id} ('datenspiegel anomalies list' shows them)"
        )
    return stored


# -- output ---------------------------------------------------------------------------------


def _line(stored: StoredFinding) -> str:
    f = stored.finding
    when = f.window_start.astimezone(_LOCAL).strftime("%Y-%m-%d %H:%M")
    return (
        f"#{stored.id:<5} {stored.status.value:<15} {f.severity.value:<8} {f.kind.value:<25} "
        f"{when}  {f.subject.describe()}  ({f.record_count} record(s))"
    )


def _dump(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    print()


# -- commands -------------------------------------------------------------------------------


def _run_scan(args: argparse.Namespace) -> int:
    until = args.until or _now()
    if until <= args.since:
        print("error: --until must lie after --since", file=sys.stderr)
        return 2
    asked = {"since": args.since.isoformat(), "until": until.isoformat()}

    def run(config: Any, stores: Any, findings: FindingStore) -> int:
        allowed = _authorised_reader(args, config, stores, "scan", asked)
        if allowed is None:
            return EXIT_FAILURE
        reader, context = allowed
        found = scan_period(
            stores.protocol,
            since=args.since,
            until=until,
            reader=reader,
            config=AnomalyConfig(decoy_persons=config.anomalies.decoy_persons),
            blocks=RegistryBlocks(stores.access).blocks(),
            context=context,
        )
        merged = findings.merge(found, at=_now())
        if args.json:
            _dump(
                [
                    {**m.stored.as_json(), "change": m.change.value if m.change else None}
                    for m in merged
                ]
            )
            return EXIT_OK
        for m in sorted(merged, key=lambda m: (m.stored.finding.window_start, m.stored.id)):
            mark = {FindingAction.DETECTED: "new", FindingAction.REOPENED: "reopened"}.get(
                m.change or FindingAction.UPDATED, ""
            )
            print(f"{_line(m.stored)}{'  ' + mark if mark else ''}")
            print(f"        {m.stored.finding.explanation}")
        new = sum(1 for m in merged if m.change is FindingAction.DETECTED)
        print(
            f"{len(merged)} finding(s) in {german_moment(args.since)} – {german_moment(until)} "
            f"(local time), {new} new"
        )
        return EXIT_OK

    return _with_stores(args, run)


def _run_list(args: argparse.Namespace) -> int:
    def run(_config: Any, _stores: Any, findings: FindingStore) -> int:
        found = findings.list(
            status=[FindingStatus(s) for s in args.status] if args.status else None,
            since=args.since,
            until=args.until,
            authority_kennung=args.authority,
            limit=max(1, args.limit),
        )
        if args.json:
            _dump([s.as_json() for s in found])
            return EXIT_OK
        for stored in found:
            print(_line(stored))
        print(f"{len(found)} finding(s)")
        return EXIT_OK

    return _with_stores(args, run)


def _run_show(args: argparse.Namespace) -> int:
    def run(_config: Any, _stores: Any, findings: FindingStore) -> int:
        stored = _found(findings, args.id)
        history = findings.history(stored.id)
        if args.json:
            _dump({**stored.as_json(), "history": [e.as_json() for e in history]})
            return EXIT_OK
        f = stored.finding
        print(f"finding #{stored.id}: {f.kind.value}, {f.severity.value}, {stored.status.value}")
        print(f"  key:       {f.key}")
        print(f"  subject:   {f.subject.describe()}")
        print(f"  window:    {german_moment(f.window_start)} – {german_moment(f.window_end)}")
        print(f"  measured:  {f.measured:g} (threshold {f.threshold:g})")
        print(f"  reviewer:  {stored.reviewer or '-'}")
        print(f"  explanation: {f.explanation}")
        sampled = f" (the first {len(f.record_ids)})" if f.sampled else ""
        print(f"  records:   {f.record_count}{sampled}")
        for record_id in f.record_ids:
            print(f"    {record_id}")
        print("  history:")
        for e in history:
            when = e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            print(f"    {when}  {e.actor}: {e.action.value} → {e.status.value}")
            if e.note:
                print(f"        {e.note}")
        return EXIT_OK

    return _with_stores(args, run)


def _run_assign(args: argparse.Namespace) -> int:
    def run(_config: Any, _stores: Any, findings: FindingStore) -> int:
        _found(findings, args.id)
        stored = findings.assign(args.id, reviewer=args.reviewer, note=args.note, at=_now())
        print(f"finding #{stored.id}: {stored.status.value}, reviewer {stored.reviewer}")
        return EXIT_OK

    return _with_stores(args, run)


def _run_resolve(args: argparse.Namespace) -> int:
    status = FindingStatus(args.status)

    def run(_config: Any, stores: Any, findings: FindingStore) -> int:
        stored = _found(findings, args.id)
        if stored.status is status:
            raise InvalidTransition(f"finding {stored.id} is already {status.value}")
        if args.unblock:
            user = lift_block(
                stores.access,
                findings,
                stored,
                operator=args.reviewer,
                note=args.note,
                at=_now(),
            )
            print(f"block of user {user.kennung} lifted")
        done = findings.resolve(
            args.id, status=status, reviewer=args.reviewer, note=args.note, at=_now()
        )
        print(f"finding #{done.id}: {done.status.value}")
        return EXIT_OK

    return _with_stores(args, run)


def _run_letter(args: argparse.Namespace) -> int:
    if args.respond_within < 1:
        print("error: --respond-within needs at least 1 day", file=sys.stderr)
        return 2

    def run(config: Any, stores: Any, findings: FindingStore) -> int:
        stored = _found(findings, args.id)
        if args.authority is not None:
            authority = stores.access.authority_by_kennung(args.authority)
        elif stored.finding.subject.authority_id is not None:
            authority = stores.access.authority(stored.finding.subject.authority_id)
        else:
            print(
                f"error: finding {stored.id} names no authority; give --authority KENNUNG",
                file=sys.stderr,
            )
            return EXIT_FAILURE
        if authority is None:
            print("error: the authority is not in the registry", file=sys.stderr)
            return EXIT_FAILURE
        if not authority.anschrift:
            print(
                f"error: {authority.kennung} has no postal address in the registry "
                "('datenspiegel authority show' names what is registered)",
                file=sys.stderr,
            )
            return EXIT_FAILURE
        asked = {"finding": stored.id, "letter_to": authority.kennung}
        allowed = _authorised_reader(args, config, stores, "letter", asked)
        if allowed is None:
            return EXIT_FAILURE
        reader, context = allowed
        records: list[ProtocolRecord] = []
        for record_id in stored.finding.record_ids[:MAX_LINES]:
            record = stores.protocol.get(
                record_id, reader=reader, purpose=_PURPOSE, context={**context, **asked}
            )
            if record is not None:
                records.append(record)
        today = _now().astimezone(_LOCAL).date()
        respond_by = today + timedelta(days=args.respond_within)
        letter = compose_letter(
            stored,
            authority,
            records,
            sender=config.broker.name,
            reviewer=reader,
            today=today,
            respond_by=respond_by,
        )
        text = letter_html(letter) if args.format == "html" else letter_markdown(letter)
        if args.output is None:
            sys.stdout.write(text)
        else:
            args.output.write_text(text, encoding="utf-8")
            print(f"letter to {authority.kennung} written to {args.output}", file=sys.stderr)
        if not args.draft:
            where = f" ({args.output})" if args.output else ""
            findings.letter_sent(
                stored.id,
                reviewer=reader,
                note=f"letter to {authority.kennung}{where}; answer asked by "
                f"{respond_by.isoformat()}",
                at=_now(),
            )
        return EXIT_OK

    return _with_stores(args, run)


def _run_status(args: argparse.Namespace) -> int:
    def run(_config: Any, _stores: Any, findings: FindingStore) -> int:
        state = findings.state()
        counts: dict[str, int] = {}
        for (status, _severity), n in findings.counts().items():
            counts[status.value] = counts.get(status.value, 0) + n
        lag = (_now() - state.watermark).total_seconds() if state.watermark else None
        document = {
            "watermark": state.watermark.isoformat() if state.watermark else None,
            "lag_seconds": lag,
            "holder": state.holder,
            "lease_until": state.lease_until.isoformat() if state.lease_until else None,
            "evaluated_at": state.evaluated_at.isoformat() if state.evaluated_at else None,
            "findings": counts,
        }
        if args.json:
            _dump(document)
            return EXIT_OK
        if state.watermark is None:
            print("the running service has not evaluated this database yet")
        else:
            print(f"evaluated up to {german_moment(state.watermark)} (local), {lag:.0f} s ago")
            print(f"evaluating process: {state.holder or '-'}")
        print("findings: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
        return EXIT_OK

    return _with_stores(args, run)
