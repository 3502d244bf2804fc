"""``datenspiegel audit open | note | demand | fulfil | withdraw | close | list | show``: the
operator's audits of an authority's measures.

The operator audits the technical and organisational measures of the authorities that
retrieve from the mirror (DOMAIN.md § 7; Nds. NMeldVO § 26 and the operator's info sheet): the
duties of § 39 BMG (credentials kept secret, users no longer entitled disabled, access only
from authorised machines) and § 41 BMG (users bound to the purpose and instructed). An audit
is opened on one authority with its scope, collects findings (``note``), demands remedies
with a deadline (``demand``), records each remedy fulfilled or withdrawn, and is closed with
its result (:mod:`datenspiegel.access.audit_store`). Every change names its ``--operator`` and
is one event of the administrative event log (``audit.*``, ``authority events``).

Closing an audit with remedies still open is refused unless ``--with-open-remedies REASON``
says why (e.g. "followed up in audit 12"); they stay open and tracked — the authority's duty
does not end with the audit, so remedies can be fulfilled or withdrawn after it closed.

A remedy open past its deadline (a German calendar day) is overdue: ``audit list --overdue``
lists them and exits 1, so a cron job can alert; the running service logs them and exports
``datenspiegel_audit_remedies_overdue`` (service/overdue_remedies.py). ``--as-of DAY`` judges
on another day (e.g. "what will be overdue by the next meeting").

Exit codes:

- ``0`` — done; ``list --overdue``: nothing overdue;
- ``1`` — ``list --overdue`` found overdue remedies; or the registry refused the change (a note
  on a closed audit, a deadline in the past, closing with open remedies without saying why, a
  remedy already settled) or the database is unavailable. A refused change changes nothing;
- ``2`` — the command line is wrong: a missing or malformed option, or it names an audit, a
  remedy or an authority that does not exist. Nothing was changed.

Every command takes ``--data-dir DIR`` (the broker database ``serve`` uses there) and prints
``--json`` on request. The operator guide is docs/audits.md.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from datenspiegel.access import (
    AuditFile,
    AuditStore,
    Authority,
    OverdueRemedy,
    Remedy,
    RemedyStatus,
    UnknownAudit,
)
from datenspiegel.access.audits import german_day
from datenspiegel.service.cli_access import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_data_dir,
    add_json,
    add_operator,
    date_arg,
    emit_json,
    handled,
    operator_of,
)
from datenspiegel.store import BROKER, ensure_current

__all__ = ["add_audit_commands", "open_audits"]


def add_audit_commands(subparsers: Any) -> None:
    audit = subparsers.add_parser(
        "audit",
        help="audit an authority's measures: findings, remedies with deadlines, overdue ones",
        description="The operator's audits of an authority's technical and organisational "
        "measures (DOMAIN.md § 7, Nds. NMeldVO § 26; §§ 39, 41 BMG). Exit codes: 0 done, "
        "1 refused (nothing changed) or overdue remedies found (list --overdue), 2 wrong "
        "command line or unknown audit, remedy or authority. See docs/audits.md.",
    )
    commands = audit.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "open",
        help="open an audit of an authority",
        description="Opens an audit of the authority's measures; --scope says what is audited "
        "(e.g. 'TOM 2026: instructions, user administration, client networks').",
    )
    add_data_dir(p)
    p.add_argument("--authority", required=True, metavar="KENNUNG", help="the audited authority")
    p.add_argument("--scope", required=True, help="what the audit covers")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_open)

    p = commands.add_parser("note", help="write down a finding of an open audit")
    add_data_dir(p)
    _audit_id(p)
    p.add_argument("--text", required=True, help="the finding")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_note)

    p = commands.add_parser(
        "demand",
        help="demand a remedy of the audited authority, with a deadline",
        description="The remedy is open until it is recorded fulfilled or withdrawn; after "
        "--deadline (a German calendar day, today or later) it is overdue.",
    )
    add_data_dir(p)
    _audit_id(p)
    p.add_argument("--remedy", required=True, help="what the authority must do")
    p.add_argument(
        "--deadline", required=True, type=date_arg, metavar="YYYY-MM-DD", help="due by this day"
    )
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_demand)

    p = commands.add_parser(
        "fulfil",
        help="record a demanded remedy fulfilled",
        description="Also after the audit was closed: the remedy stays the authority's duty.",
    )
    add_data_dir(p)
    _audit_id(p)
    _remedy_id(p)
    p.add_argument(
        "--evidence", required=True, help="how the authority showed it (letter, inspection, …)"
    )
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_fulfil)

    p = commands.add_parser("withdraw", help="no longer demand a remedy (with the reason)")
    add_data_dir(p)
    _audit_id(p)
    _remedy_id(p)
    p.add_argument("--grund", required=True, help="why the remedy is no longer demanded")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_withdraw)

    p = commands.add_parser(
        "close",
        help="close an audit with its result",
        description="Refused while remedies are open, unless --with-open-remedies says why; "
        "those remedies stay open and tracked (overdue reporting).",
    )
    add_data_dir(p)
    _audit_id(p)
    p.add_argument("--result", required=True, help="the audit's result")
    p.add_argument(
        "--with-open-remedies",
        metavar="REASON",
        help="close although remedies are open, saying why (they stay tracked)",
    )
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_close)

    p = commands.add_parser(
        "list",
        help="audits, or with --overdue the remedies past their deadline",
        description="One line per audit (oldest first) with its open and overdue remedies. "
        "--overdue: one line per overdue remedy, of open and closed audits alike; exit 1 when "
        "there is any (for a cron job or monitoring probe).",
    )
    add_data_dir(p)
    p.add_argument("--authority", metavar="KENNUNG", help="only audits of this authority")
    p.add_argument("--open", action="store_true", help="only open audits")
    p.add_argument("--overdue", action="store_true", help="the overdue remedies; exit 1 if any")
    _as_of(p)
    add_json(p)
    p.set_defaults(func=_run_list)

    p = commands.add_parser("show", help="one audit: scope, findings, remedies, result")
    add_data_dir(p)
    _audit_id(p)
    _as_of(p)
    add_json(p)
    p.set_defaults(func=_run_show)


def _positive(what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(f"{what} is a number ≥ 1, not {text!r}")
        return value

    return parse


def _audit_id(p: argparse.ArgumentParser) -> None:
    p.add_argument("audit_id", metavar="AUDIT_ID", type=_positive("an audit"))


def _remedy_id(p: argparse.ArgumentParser) -> None:
    p.add_argument("remedy_id", metavar="REMEDY_ID", type=_positive("a remedy"))


def _as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="judge overdue remedies on this day (default: today, German time)",
    )


def _audit_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """:func:`handled`, and an audit or remedy that does not exist is a wrong command line."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except UnknownAudit as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE

    return handled(wrapper)


def open_audits(data_dir: Path) -> AuditStore:
    """The audits of the broker database ``serve`` uses for ``data_dir``: created when new,
    refused when behind this release's schema (``datenspiegel db upgrade`` first)."""
    from datenspiegel.service.config import load_stores

    store = AuditStore(load_stores(data_dir).broker_url)
    try:
        ensure_current(store.engine, BROKER)
    except BaseException:
        store.close()
        raise
    return store


def _authority(store: AuditStore, kennung: str) -> Authority:
    authority = store.authority_by_kennung(kennung)
    if authority is None:
        raise UsageError(
            f"no authority {kennung!r} is registered ('datenspiegel authority list' shows them)"
        )
    return authority


def _today(args: argparse.Namespace) -> date:
    given: date | None = getattr(args, "as_of", None)
    return given if given is not None else german_day(datetime.now(UTC))


# -- changes ---------------------------------------------------------------------------------


@_audit_command
def _run_open(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_audits(args.data_dir)
    try:
        authority = _authority(store, args.authority)
        audit = store.open_audit(authority.id, scope=args.scope, actor=actor)
    finally:
        store.close()
    if args.json:
        emit_json({"audit": audit.as_json()})
    else:
        print(f"opened: audit {audit.id} of {authority.kennung} ({authority.name})")
        print(f"  scope: {audit.scope}")
    return EXIT_OK


@_audit_command
def _run_note(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_audits(args.data_dir)
    try:
        note = store.add_note(args.audit_id, text=args.text, actor=actor)
    finally:
        store.close()
    if args.json:
        emit_json({"audit_id": args.audit_id, "note": note.as_json()})
    else:
        print(f"finding {note.id} written to audit {args.audit_id}")
    return EXIT_OK


@_audit_command
def _run_demand(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_audits(args.data_dir)
    try:
        remedy = store.demand_remedy(
            args.audit_id, text=args.remedy, deadline=args.deadline, actor=actor
        )
    finally:
        store.close()
    if args.json:
        emit_json({"remedy": remedy.as_json()})
    else:
        print(
            f"demanded: remedy {remedy.id} of audit {args.audit_id}, due "
            f"{remedy.deadline.isoformat()}"
        )
    return EXIT_OK


@_audit_command
def _run_fulfil(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_audits(args.data_dir)
    try:
        remedy = store.fulfil_remedy(args.audit_id, args.remedy_id, how=args.evidence, actor=actor)
    finally:
        store.close()
    return _settled(remedy, args)


@_audit_command
def _run_withdraw(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_audits(args.data_dir)
    try:
        remedy = store.withdraw_remedy(args.audit_id, args.remedy_id, grund=args.grund, actor=actor)
    finally:
        store.close()
    return _settled(remedy, args)


def _settled(remedy: Remedy, args: argparse.Namespace) -> int:
    if args.json:
        emit_json({"remedy": remedy.as_json()})
    else:
        print(f"{remedy.status.value}: remedy {remedy.id} of audit {remedy.audit_id}")
    return EXIT_OK


@_audit_command
def _run_close(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_audits(args.data_dir)
    try:
        audit = store.close_audit(
            args.audit_id,
            result=args.result,
            with_open_remedies=args.with_open_remedies,
            actor=actor,
        )
        closed = store.audit(audit.id)
        still_open = len(closed.open_remedies()) if closed else 0
    finally:
        store.close()
    if args.json:
        emit_json({"audit": audit.as_json(), "open_remedies": still_open})
    else:
        print(f"closed: audit {audit.id} of {audit.authority_kennung}")
        if still_open:
            print(
                f"  {still_open} remedy(ies) stay open and tracked: "
                f"{audit.closed_with_open_remedies}"
            )
    return EXIT_OK


# -- reads -----------------------------------------------------------------------------------


@_audit_command
def _run_list(args: argparse.Namespace) -> int:
    today = _today(args)
    store = open_audits(args.data_dir)
    try:
        authority = _authority(store, args.authority) if args.authority else None
        authority_id = authority.id if authority else None
        if args.overdue:
            overdue = store.overdue_remedies(today, authority_id=authority_id)
            if args.open:
                overdue = [o for o in overdue if o.audit.open]
            files: list[AuditFile] = []
        else:
            overdue = []
            files = [
                f
                for f in (
                    store.audit(a.id)
                    for a in store.audits(authority_id=authority_id, open_only=args.open)
                )
                if f is not None
            ]
    finally:
        store.close()
    if args.overdue:
        _print_overdue(overdue, today, as_json=args.json)
        return EXIT_FAILURE if overdue else EXIT_OK
    if args.json:
        emit_json({"as_of": today.isoformat(), "audits": [f.as_json(today) for f in files]})
        return EXIT_OK
    if not files:
        print("no audits" + (" open" if args.open else ""))
    for f in files:
        a = f.audit
        late = len(f.overdue_remedies(today))
        state = "OPEN" if a.open else "closed"
        print(
            f"{a.id:>5}  {state:<7} {a.authority_kennung:<28} opened {a.opened_at:%Y-%m-%d}  "
            f"{len(f.open_remedies())} open remedies" + (f" ({late} OVERDUE)" if late else "")
        )
        print(f"       {a.scope}")
    return EXIT_OK


def _print_overdue(overdue: list[OverdueRemedy], today: date, *, as_json: bool) -> None:
    if as_json:
        emit_json({"as_of": today.isoformat(), "overdue": [o.as_json(today) for o in overdue]})
        return
    if not overdue:
        print(f"no remedy is overdue on {today.isoformat()}")
    for o in overdue:
        r = o.remedy
        print(
            f"{o.audit.authority_kennung:<28} audit {o.audit.id:<4} remedy {r.id:<4} due "
            f"{r.deadline.isoformat()} — {r.days_overdue(today)} day(s) overdue: {r.text}"
        )
    if overdue:
        print(f"{len(overdue)} remedy(ies) overdue on {today.isoformat()}")


@_audit_command
def _run_show(args: argparse.Namespace) -> int:
    today = _today(args)
    store = open_audits(args.data_dir)
    try:
        found = store.audit(args.audit_id)
        authority = store.authority(found.audit.authority_id) if found else None
    finally:
        store.close()
    if found is None or authority is None:
        raise UnknownAudit(f"there is no audit {args.audit_id} ('datenspiegel audit list')")
    if args.json:
        emit_json({"as_of": today.isoformat(), "audit": found.as_json(today)})
        return EXIT_OK
    a = found.audit
    print(f"audit {a.id}  {authority.kennung}  {authority.name}  — {a.status.value.upper()}")
    print(f"  scope:    {a.scope}")
    print(f"  opened:   {a.opened_at:%Y-%m-%d %H:%M} UTC by {a.opened_by}")
    print("  findings:" + ("" if found.notes else " none"))
    for note in found.notes:
        print(f"    {note.id:>4}  {note.at:%Y-%m-%d %H:%M} UTC  {note.author}")
        for line in note.text.splitlines():
            print(f"          {line}")
    print("  remedies:" + ("" if found.remedies else " none"))
    for r in found.remedies:
        print(f"    {r.id:>4}  {_remedy_state(r, today)}")
        print(f"          {r.text}")
    if not a.open:
        print(f"  closed:   {a.closed_at:%Y-%m-%d %H:%M} UTC by {a.closed_by}")
        print(f"  result:   {a.result}")
        if a.closed_with_open_remedies:
            print(f"  closed with open remedies: {a.closed_with_open_remedies}")
    late = found.overdue_remedies(today)
    if late:
        print(f"  ! {len(late)} remedy(ies) overdue on {today.isoformat()}")
    return EXIT_OK


def _remedy_state(r: Remedy, today: date) -> str:
    if r.status is RemedyStatus.OPEN:
        late = f" — OVERDUE by {r.days_overdue(today)} day(s)" if r.overdue(today) else ""
        return f"open, due {r.deadline.isoformat()}{late}"
    settled = f"{r.settled_at:%Y-%m-%d}" if r.settled_at else "?"
    return (
        f"{r.status.value} {settled} by {r.settled_by} (due "
        f"{r.deadline.isoformat()}): {r.settlement}"
    )
