"""``datenspiegel authority add | list | show | block | unblock | set-networks | set-admin |
set-protocol-key | report | events | dossier``: the operator's side of the authority registry.

Each authority registers once with the operator (§ 39 BMG, Nds. NMeldVO § 26): its Kennung,
name, postal address and contact, class and sub-type, "Protokollierung erforderlich" for a
security authority (§ 40 Abs. 3 BMG), its main administrator (a person: Kennung, name, contact,
instruction date, certificate) and its client networks (§ 39 Abs. 3 BMG). The operator may
block it at any time (DOMAIN.md § 7). Every change names its ``--operator`` and is recorded in
the administrative event log (``authority events``); exit codes in
:mod:`datenspiegel.service.cli_access`.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from datenspiegel.access import (
    ALLE_NETZE,
    AccessStore,
    Actor,
    Authority,
    Behoerdenklasse,
    Hauptadministrator,
    InvalidContact,
    InvalidUser,
)
from datenspiegel.access.store import ProtocolKey
from datenspiegel.service.cli_access import (
    EXIT_FAILURE,
    EXIT_OK,
    UsageError,
    add_data_dir,
    add_json,
    add_operator,
    authority_json,
    certificate_arg,
    certificate_text,
    date_arg,
    emit_json,
    handled,
    klasse_text,
    kontakt_of,
    kontakt_text,
    netz_arg,
    netze_text,
    open_access,
    operator_of,
    require_authority,
    require_user,
    required_kontakt,
    status_text,
    user_json,
)
from datenspiegel.service.cli_authority_dossier import add_dossier_command
from datenspiegel.service.cli_authority_report import authority_report, print_report

__all__ = ["add_authority_commands"]

_KLASSEN = {
    "oeffentlich": Behoerdenklasse.OEFFENTLICHE_STELLE,
    "sicherheit": Behoerdenklasse.SICHERHEITSBEHOERDE,
}


def _kennung(p: argparse.ArgumentParser) -> None:
    p.add_argument("kennung", metavar="KENNUNG", help="the authority's Kennung (dbs:… / ags:…)")


def _networks(p: argparse.ArgumentParser, *, required: bool) -> None:
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument(
        "--network",
        dest="netze",
        action="append",
        type=netz_arg,
        metavar="CIDR",
        help="a client network (10.20.0.0/16, 2001:db8::/48) or one address; repeat for more",
    )
    group.add_argument(
        "--any-network",
        action="store_true",
        help="accept requests from any address (development and demos only)",
    )


def add_authority_commands(subparsers: Any) -> None:
    authority = subparsers.add_parser(
        "authority",
        help="register, inspect and block authorities (the operator's registry)",
        description="The operator's registry of requesting authorities (§ 39 BMG, "
        "Nds. NMeldVO § 26). Exit codes: 0 done, 1 refused by the registry (nothing changed), "
        "2 wrong command line. See docs/authorities.md.",
    )
    commands = authority.add_subparsers(dest="authority_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "add",
        help="register an authority with its main administrator and client networks",
        description="Register an authority once (§ 39 BMG): identity, class, main administrator "
        "(created as a user with the role administrator, bound to --admin-certificate) and the "
        "client networks requests are accepted from (§ 39 Abs. 3 BMG).",
    )
    add_data_dir(p)
    add_operator(p)
    p.add_argument("--kennung", required=True, help="dbs:<DVDV id> or ags:<8-digit AGS>")
    p.add_argument("--name", required=True, help="the authority's name")
    p.add_argument(
        "--klasse",
        required=True,
        choices=sorted(_KLASSEN),
        help="public body or security authority",
    )
    p.add_argument(
        "--untertyp",
        type=int,
        metavar="1-13",
        help="sub-type of a security authority (§ 34 Abs. 4 Satz 1 BMG)",
    )
    p.add_argument(
        "--protokollierung-erforderlich",
        action="store_true",
        help="the operator logs this security authority's retrievals on its behalf (§ 40 "
        "Abs. 3 BMG), sealed to its key: needs --protokoll-zertifikat",
    )
    p.add_argument(
        "--protokoll-zertifikat",
        type=Path,
        metavar="PEM",
        help="certificate of the authority's encryption key its records are sealed to "
        "(RSA >= 3072 bit or EC P-256/384/521)",
    )
    p.add_argument(
        "--anschrift",
        action="append",
        required=True,
        metavar="LINE",
        help="one line of the postal address; repeat per line",
    )
    p.add_argument("--telefon", help="the authority's telephone number")
    p.add_argument("--email", help="the authority's e-mail address")
    _networks(p, required=True)
    p.add_argument("--admin-kennung", required=True, help="the main administrator's user Kennung")
    p.add_argument("--admin-name", required=True, help="the main administrator's name")
    p.add_argument("--admin-telefon", help="the main administrator's telephone number")
    p.add_argument("--admin-email", help="the main administrator's e-mail address")
    p.add_argument(
        "--admin-belehrt-am",
        required=True,
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="day of the instruction on purpose limitation (§ 41 BMG)",
    )
    p.add_argument(
        "--admin-certificate",
        required=True,
        type=Path,
        metavar="PEM",
        help="the main administrator's signing certificate",
    )
    add_json(p)
    p.set_defaults(func=_run_add)

    p = commands.add_parser("list", help="the registered authorities, one line each")
    add_data_dir(p)
    p.add_argument("--blocked", action="store_true", help="only blocked authorities")
    add_json(p)
    p.set_defaults(func=_run_list)

    p = commands.add_parser(
        "show", help="one authority: registration, administrator, users, status history"
    )
    add_data_dir(p)
    _kennung(p)
    p.add_argument(
        "--events", type=int, default=10, metavar="N", help="latest N events (default 10)"
    )
    add_json(p)
    p.set_defaults(func=_run_show)

    p = commands.add_parser(
        "block",
        help="block every retrieval of an authority at once",
        description="Blocks every retrieval of the authority with the next request (0910 T070; "
        "the reason goes to the protocol, never to the client).",
    )
    add_data_dir(p)
    _kennung(p)
    p.add_argument("--grund", required=True, help="why (shown to the operator and in the protocol)")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_block)

    p = commands.add_parser("unblock", help="lift an authority's block")
    add_data_dir(p)
    _kennung(p)
    p.add_argument("--grund", help="why the block is lifted (for the history)")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_unblock)

    p = commands.add_parser(
        "set-networks",
        help="replace the client networks requests are accepted from",
        description="Replaces the authority's client networks (§ 39 Abs. 3 BMG); a request "
        "from elsewhere is refused with 0910 T070 from the next request on.",
    )
    add_data_dir(p)
    _kennung(p)
    _networks(p, required=True)
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_set_networks)

    p = commands.add_parser(
        "set-protocol-key",
        help="register or renew the key a security authority's records are sealed to",
        description="For a security authority that has the operator log on its behalf (§ 40 "
        "Abs. 3 BMG): new records are sealed to this certificate's key from now on; records "
        "sealed before stay sealed to the key they name (the authority keeps its old key).",
    )
    add_data_dir(p)
    _kennung(p)
    p.add_argument("--certificate", type=Path, required=True, metavar="PEM")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_set_protocol_key)

    p = commands.add_parser(
        "set-admin",
        help="name another user of the authority its main administrator",
        description="The user must be active, reachable and instructed (§ 41 BMG); it gets the "
        "role administrator if it lacks it.",
    )
    add_data_dir(p)
    _kennung(p)
    p.add_argument("--user", required=True, metavar="USER_KENNUNG", help="the user's Kennung")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_set_admin)

    p = commands.add_parser(
        "report",
        help="per authority: users, blocks, expiring certificates, instructions, findings",
        description="A summary per authority (or one): users and blocked users, certificates "
        "expiring within --certificate-days, users instructed longer ago than "
        "--belehrung-days (or never recorded), status changes of the last --since-days, and "
        "findings (no network restriction, administrator not registered as a person, …). "
        "Exit 0, or 1 with --check when there are findings.",
    )
    add_data_dir(p)
    p.add_argument("kennung", nargs="?", metavar="KENNUNG", help="only this authority")
    p.add_argument("--certificate-days", type=_days, default=30, metavar="N", help="default 30")
    p.add_argument("--belehrung-days", type=_days, default=365, metavar="N", help="default 365")
    p.add_argument("--since-days", type=_days, default=30, metavar="N", help="default 30")
    p.add_argument("--check", action="store_true", help="exit 1 when there are findings")
    add_json(p)
    p.set_defaults(func=_run_report)

    p = commands.add_parser(
        "events",
        help="the administrative event log (every change, who, when)",
        description="Events in the order they happened; --authority for one authority.",
    )
    add_data_dir(p)
    p.add_argument("--authority", metavar="KENNUNG", help="only events of this authority")
    p.add_argument("--since", type=_moment, help="from this time (ISO 8601 with offset)")
    p.add_argument("--limit", type=_days, default=1000, metavar="N", help="default 1000")
    add_json(p)
    p.set_defaults(func=_run_events)

    add_dossier_command(commands)  # service/cli_authority_dossier.py


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} needs a UTC offset, e.g. 2026-11-01T00:00:00+01:00"
        )
    return value


def _print_authority(authority: Authority, note: str, *, as_json: bool) -> None:
    if as_json:
        emit_json({"authority": authority_json(authority)})
    else:
        print(f"{note}: {authority.kennung} (id {authority.id}) {authority.name}")


@handled
def _run_add(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    try:
        admin = Hauptadministrator(
            kennung=args.admin_kennung,
            name=args.admin_name,
            kontakt=required_kontakt(
                args.admin_telefon,
                args.admin_email,
                missing="the main administrator needs --admin-telefon or --admin-email",
            ),
            belehrt_am=args.admin_belehrt_am,
            certificate=certificate_arg(args.admin_certificate),
        )
    except (InvalidUser, InvalidContact) as exc:
        raise UsageError(str(exc)) from None
    if args.protokollierung_erforderlich and args.protokoll_zertifikat is None:
        raise UsageError(
            "--protokollierung-erforderlich needs --protokoll-zertifikat: the records are "
            "sealed to the authority's key (§ 40 Abs. 3 BMG)"
        )
    if args.protokoll_zertifikat is not None and not args.protokollierung_erforderlich:
        raise UsageError("--protokoll-zertifikat only with --protokollierung-erforderlich")
    protocol_certificate = (
        certificate_arg(args.protokoll_zertifikat) if args.protokoll_zertifikat else None
    )
    store = open_access(args.data_dir)
    try:
        with store.atomically():  # registered with its key, or not at all
            authority = _add(store, args, admin, actor)
            if protocol_certificate is not None:
                store.set_protocol_key(authority.id, protocol_certificate, actor=actor)
    finally:
        store.close()
    _print_authority(authority, "registered", as_json=args.json)
    if not args.json:
        print(f"  main administrator: {args.admin_kennung} (user id {authority.administrator_id})")
        print(f"  networks:           {netze_text(authority.netze)}")
    return EXIT_OK


def _add(
    store: AccessStore, args: argparse.Namespace, admin: Hauptadministrator, actor: Actor
) -> Authority:
    return store.add_authority(
        kennung=args.kennung,
        name=args.name,
        klasse=_KLASSEN[args.klasse],
        untertyp=args.untertyp,
        anschrift=tuple(args.anschrift),
        kontakt=kontakt_of(args.telefon, args.email),
        administrator=admin,
        netze=ALLE_NETZE if args.any_network else tuple(args.netze),
        protokollierung_durch_betreiber=args.protokollierung_erforderlich,
        actor=actor,
    )


@handled
def _run_list(args: argparse.Namespace) -> int:
    store = open_access(args.data_dir)
    try:
        found = [a for a in store.authorities() if a.gesperrt or not args.blocked]
        counts = {a.id: len(store.users(a.id)) for a in found}
    finally:
        store.close()
    if args.json:
        emit_json({"authorities": [{**authority_json(a), "users": counts[a.id]} for a in found]})
        return EXIT_OK
    if not found:
        print("no authority is blocked" if args.blocked else "no authorities registered")
    for a in found:
        state = "BLOCKED" if a.gesperrt else "active"
        klasse = "oeffentlich" if a.untertyp is None else f"sicherheit/{a.untertyp}"
        print(f"{a.kennung:<32} {state:<8} {klasse:<14} {counts[a.id]:>4} users  {a.name}")
    return EXIT_OK


@handled
def _run_show(args: argparse.Namespace) -> int:
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.kennung)
        users = store.users(authority.id)
        admin = store.user(authority.administrator_id) if authority.administrator_id else None
        admin_certificates = store.certificates(admin.id) if admin else []
        history = store.status_history(authority.id)
        keys = store.protocol_keys(authority.id)
        events = store.admin_events(
            authority_kennung=authority.kennung, limit=max(1, args.events), newest_first=True
        )
    finally:
        store.close()
    events = list(reversed(events))[-args.events :] if args.events else []
    if args.json:
        emit_json(
            {
                "authority": authority_json(authority),
                "administrator": None
                if admin is None
                else {
                    **user_json(admin),
                    "certificates": [c.as_json() for c in admin_certificates],
                },
                "users": [user_json(u) for u in users],
                "history": [h.as_json() for h in history],
                "protocol_keys": [_protocol_key_json(k) for k in keys],
                "events": [e.as_json() for e in events],
            }
        )
        return EXIT_OK
    print(f"{authority.kennung}  {authority.name}  (id {authority.id})")
    print(f"  class:          {klasse_text(authority)}")
    if authority.ist_sicherheitsbehoerde:
        logged = (
            "yes" if authority.protokollierung_durch_betreiber else "no (technical metadata only)"
        )
        print(f"  Protokollierung erforderlich (§ 40 Abs. 3 BMG): {logged}")
        current = next((k for k in keys if k.replaced_at is None), None)
        if authority.protokollierung_durch_betreiber:
            sealed = (
                f"{current.subject} ({current.fingerprint[:16]}…)"
                if current
                else "NONE — retrievals are refused until authority set-protocol-key"
            )
            print(f"  protocol key:   {sealed}")
    lines = authority.anschrift or ("—",)
    print(f"  address:        {lines[0]}")
    for line in lines[1:]:
        print(f"                  {line}")
    print(f"  contact:        {kontakt_text(authority.kontakt)}")
    print(f"  networks:       {netze_text(authority.netze)}")
    if admin is None:
        print(
            f"  administrator:  {authority.administrator} "
            "(named only, not a registered user: authority set-admin)"
        )
    else:
        print(
            f"  administrator:  {admin.name} (user {admin.kennung}, id {admin.id}), "
            f"{kontakt_text(admin.kontakt)}"
        )
        for bound in admin_certificates:
            print(f"                  certificate {certificate_text(bound)}")
        if not admin_certificates:
            print("                  no certificate bound (user bind-certificate)")
    blocked = sum(u.gesperrt for u in users)
    print(f"  users:          {len(users)} ({blocked} blocked)")
    state = f"BLOCKED: {authority.gesperrt_grund}" if authority.gesperrt else "active"
    print(f"  status:         {state}")
    print("  history:")
    for change in history:
        print(f"    {status_text(change)}")
    if events:
        print(f"  latest events (datenspiegel authority events --authority {authority.kennung}):")
        for event in events:
            who = event.target or "—"
            print(
                f"    {event.at:%Y-%m-%d %H:%M} UTC  {event.action.value:<24} {who:<20} "
                f"{event.actor.label}"
            )
    return EXIT_OK


@handled
def _run_block(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.kennung)
        blocked = store.block_authority(authority.id, grund=args.grund, actor=actor)
    finally:
        store.close()
    _print_authority(blocked, "blocked", as_json=args.json)
    if not args.json:
        print("  every retrieval is refused with 0910 T070 from the next request on")
    return EXIT_OK


@handled
def _run_unblock(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.kennung)
        unblocked = store.unblock_authority(authority.id, grund=args.grund, actor=actor)
    finally:
        store.close()
    _print_authority(unblocked, "unblocked", as_json=args.json)
    return EXIT_OK


@handled
def _run_set_networks(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.kennung)
        netze = ALLE_NETZE if args.any_network else tuple(args.netze)
        changed = store.set_networks(authority.id, netze, actor=actor)
    finally:
        store.close()
    if args.json:
        emit_json(
            {"authority": authority_json(changed), "changed": changed.netze != authority.netze}
        )
    elif changed.netze == authority.netze:
        print(f"unchanged: {changed.kennung} already has the networks {netze_text(changed.netze)}")
    else:
        print(f"networks of {changed.kennung}: {netze_text(changed.netze)}")
        print(f"  before: {netze_text(authority.netze)}")
    return EXIT_OK


@handled
def _run_set_protocol_key(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    certificate = certificate_arg(args.certificate)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.kennung)
        key = store.set_protocol_key(authority.id, certificate, actor=actor)
    finally:
        store.close()
    if args.json:
        emit_json({"authority": authority.kennung, "protocol_key": _protocol_key_json(key)})
    else:
        print(f"records of {authority.kennung} are sealed to {key.subject}")
        print(f"  fingerprint: {key.fingerprint}")
    return EXIT_OK


def _protocol_key_json(key: ProtocolKey) -> dict[str, str | None]:
    return {
        "fingerprint": key.fingerprint,
        "subject": key.subject,
        "not_after": key.certificate.not_valid_after_utc.isoformat(),
        "registered_at": key.registered_at.isoformat(),
        "replaced_at": key.replaced_at.isoformat() if key.replaced_at else None,
    }


@handled
def _run_set_admin(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.kennung)
        user = require_user(store, authority, args.user)
        changed = store.set_administrator(authority.id, user.id, actor=actor)
    finally:
        store.close()
    if args.json:
        emit_json({"authority": authority_json(changed)})
    else:
        print(
            f"main administrator of {changed.kennung}: {changed.administrator} "
            f"(user {user.kennung}, id {user.id})"
        )
    return EXIT_OK


@handled
def _run_report(args: argparse.Namespace) -> int:
    store: AccessStore = open_access(args.data_dir)
    now = datetime.now(UTC)
    try:
        chosen = [require_authority(store, args.kennung)] if args.kennung else store.authorities()
        report = [
            authority_report(
                store,
                authority,
                now=now,
                certificates_until=now + timedelta(days=args.certificate_days),
                belehrt_before=(now - timedelta(days=args.belehrung_days)).date(),
                since=now - timedelta(days=args.since_days),
            )
            for authority in chosen
        ]
    finally:
        store.close()
    findings = sum(len(r["findings"]) for r in report)
    if args.json:
        emit_json(
            {
                "generated_at": now.isoformat(),
                "parameters": {
                    "certificate_days": args.certificate_days,
                    "belehrung_days": args.belehrung_days,
                    "since_days": args.since_days,
                },
                "authorities": report,
                "findings": findings,
            }
        )
    else:
        print_report(report, args)
    return EXIT_FAILURE if args.check and findings else EXIT_OK


@handled
def _run_events(args: argparse.Namespace) -> int:
    store = open_access(args.data_dir)
    try:
        if args.authority:
            require_authority(store, args.authority)
        events = store.admin_events(
            authority_kennung=args.authority, since=args.since, limit=max(1, args.limit)
        )
    finally:
        store.close()
    if args.json:
        emit_json({"events": [e.as_json() for e in events]})
        return EXIT_OK
    if not events:
        print("no events")
    for e in events:
        target = f" {e.target}" if e.target else ""
        print(
            f"{e.seq:>6}  {e.at:%Y-%m-%d %H:%M:%S} UTC  {e.action.value:<24} "
            f"{e.authority_kennung}{target}  by {e.actor.label}"
        )
    return EXIT_OK
