"""``datenspiegel user add | list | show | change | block | unblock | delete | bind-certificate |
unbind-certificate``: the operator's emergency access to an authority's users.

The authority's main administrator creates and removes its users on its own responsibility
(§ 39 BMG, Nds. NMeldVO § 26); the operator has the same commands for emergencies — a
compromised key, an administrator who cannot be reached. A user is named by its authority's
Kennung and its own (``datenspiegel user block dbs:pd-hannover PD-H-KOK-4711 …``). Every user
made by a person needs the day of its instruction on the purpose limitation (§ 41 BMG). Every
change names its ``--operator`` and is recorded; exit codes in
:mod:`datenspiegel.service.cli_access`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from datenspiegel.access import UNCHANGED, Kontakt, User, certificate_fingerprint
from datenspiegel.access.model import OPERATIONEN
from datenspiegel.access.store import Unchanged
from datenspiegel.service.cli_access import (
    EXIT_OK,
    ROLE_NAMES,
    Refused,
    UsageError,
    add_data_dir,
    add_json,
    add_operator,
    certificate_arg,
    certificate_text,
    date_arg,
    elements_arg,
    emit_json,
    handled,
    kontakt_of,
    kontakt_text,
    open_access,
    operator_of,
    require_authority,
    require_user,
    roles_text,
    status_text,
    user_json,
)

__all__ = ["add_user_commands"]


def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument("authority", metavar="AUTHORITY", help="the authority's Kennung (dbs:… / ags:…)")
    p.add_argument("kennung", metavar="USER", help="the user's Kennung within its authority")


def _details(p: argparse.ArgumentParser, *, adding: bool) -> None:
    p.add_argument(
        "--role",
        dest="roles",
        action="append",
        choices=sorted(ROLE_NAMES),
        help="sachbearbeitung (default for a new user), administrator, behoerdenleitung "
        "(§ 34a Abs. 6 BMG, sub-types 1, 6–9 only); repeat for several",
    )
    p.add_argument(
        "--erlaubte-elemente",
        type=elements_arg,
        metavar="CODES",
        help="Personensuche element codes the user may request, e.g. 1,7,13-20 (§ 39 Abs. 1 "
        "BMG); default: all its authority is entitled to",
    )
    p.add_argument(
        "--operation",
        dest="operationen",
        action="append",
        choices=sorted(OPERATIONEN),
        help="an operation the user may use (§ 39 Abs. 1 BMG); repeat for several; default: "
        "every operation its authority may use",
    )
    p.add_argument(
        "--belehrt-am",
        type=date_arg,
        required=adding,
        metavar="YYYY-MM-DD",
        help="day of the instruction on purpose limitation (§ 41 BMG)",
    )
    p.add_argument("--telefon", help="telephone number")
    p.add_argument("--email", help="e-mail address")


def add_user_commands(subparsers: Any) -> None:
    user = subparsers.add_parser(
        "user",
        help="the users of an authority (the operator's emergency access)",
        description="Users of a registered authority (§ 39 BMG). Exit codes: 0 done, 1 refused "
        "by the registry (nothing changed), 2 wrong command line. See docs/authorities.md.",
    )
    commands = user.add_subparsers(dest="user_command", metavar="COMMAND", required=True)

    p = commands.add_parser("add", help="create a user, optionally with its certificate")
    add_data_dir(p)
    _who(p)
    p.add_argument("--name", required=True, help="the person's name or the procedure's")
    _details(p, adding=True)
    p.add_argument("--certificate", type=Path, metavar="PEM", help="its signing certificate")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_add)

    p = commands.add_parser("list", help="the users of an authority, one line each")
    add_data_dir(p)
    p.add_argument("authority", metavar="AUTHORITY", help="the authority's Kennung")
    add_json(p)
    p.set_defaults(func=_run_list)

    p = commands.add_parser("show", help="one user: roles, allowance, certificates, history")
    add_data_dir(p)
    _who(p)
    add_json(p)
    p.set_defaults(func=_run_show)

    p = commands.add_parser(
        "change",
        help="change what is given, leave the rest",
        description="Give only what changes. --role replaces the roles; --alle-elemente lifts "
        "the element restriction; --telefon/--email replace those parts of the contact.",
    )
    add_data_dir(p)
    _who(p)
    p.add_argument("--name", help="new name")
    _details(p, adding=False)
    p.add_argument("--alle-elemente", action="store_true", help="no element restriction")
    p.add_argument(
        "--alle-operationen", action="store_true", help="no restriction of the operations"
    )
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_change)

    p = commands.add_parser("block", help="block one user at once (0910 T070)")
    add_data_dir(p)
    _who(p)
    p.add_argument("--grund", required=True, help="why (shown to the operator and in the protocol)")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_block)

    p = commands.add_parser("unblock", help="lift a user's block")
    add_data_dir(p)
    _who(p)
    p.add_argument("--grund", help="why the block is lifted (for the history)")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_unblock)

    p = commands.add_parser(
        "delete",
        help="remove a user no longer entitled, with its certificates",
        description="The event log keeps what was removed; the user's id is never reused. "
        "The main administrator cannot be removed: name another one first (authority set-admin).",
    )
    add_data_dir(p)
    _who(p)
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_delete)

    p = commands.add_parser(
        "bind-certificate",
        help="bind a signing certificate to a user (rollover: bind the new, then unbind the old)",
    )
    add_data_dir(p)
    _who(p)
    p.add_argument("certificate", type=Path, metavar="PEM", help="the certificate file")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_bind)

    p = commands.add_parser("unbind-certificate", help="remove a certificate from a user")
    add_data_dir(p)
    _who(p)
    p.add_argument("fingerprint", help="SHA-256 fingerprint (hex, colons allowed)")
    add_operator(p)
    add_json(p)
    p.set_defaults(func=_run_unbind)


def _roles(args: argparse.Namespace) -> Any:
    if not args.roles:
        return None
    return frozenset(ROLE_NAMES[name] for name in args.roles)


def _print_user(user: User, note: str, authority: str, *, as_json: bool, **extra: Any) -> None:
    if as_json:
        emit_json({"authority": authority, "user": user_json(user), **extra})
    else:
        print(f"{note}: user {user.kennung} (id {user.id}) of {authority}")


@handled
def _run_add(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    certificate = certificate_arg(args.certificate) if args.certificate else None
    kontakt = kontakt_of(args.telefon, args.email)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = store.add_user(
            authority_id=authority.id,
            kennung=args.kennung,
            name=args.name,
            **({"roles": _roles(args)} if args.roles else {}),
            erlaubte_elemente=args.erlaubte_elemente,
            erlaubte_operationen=frozenset(args.operationen) if args.operationen else None,
            belehrt_am=args.belehrt_am,
            kontakt=kontakt,
            certificate=certificate,
            actor=actor,
        )
    finally:
        store.close()
    fingerprint = certificate_fingerprint(certificate) if certificate else None
    _print_user(user, "created", authority.kennung, as_json=args.json, certificate=fingerprint)
    if not args.json and fingerprint:
        print(f"  certificate {fingerprint}")
    return EXIT_OK


@handled
def _run_list(args: argparse.Namespace) -> int:
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        users = store.users(authority.id)
        certificates = {u.id: store.certificates(u.id) for u in users}
    finally:
        store.close()
    if args.json:
        emit_json(
            {
                "authority": authority.kennung,
                "users": [{**user_json(u), "certificates": len(certificates[u.id])} for u in users],
            }
        )
        return EXIT_OK
    if not users:
        print(f"{authority.kennung} has no users")
    for u in users:
        state = "BLOCKED" if u.gesperrt else "active"
        main = " (main administrator)" if u.id == authority.administrator_id else ""
        belehrt = u.belehrt_am.isoformat() if u.belehrt_am else "unknown"
        print(
            f"{u.kennung:<24} {state:<8} {roles_text(u.roles):<32} belehrt {belehrt:<10} "
            f"{len(certificates[u.id])} cert  {u.name}{main}"
        )
    return EXIT_OK


@handled
def _run_show(args: argparse.Namespace) -> int:
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        certificates = store.certificates(user.id)
        history = store.status_history(authority.id, user.id)
    finally:
        store.close()
    if args.json:
        emit_json(
            {
                "authority": authority.kennung,
                "user": user_json(user),
                "main_administrator": user.id == authority.administrator_id,
                "certificates": [c.as_json() for c in certificates],
                "history": [h.as_json() for h in history],
            }
        )
        return EXIT_OK
    main = ", main administrator" if user.id == authority.administrator_id else ""
    print(f"{user.kennung}  {user.name}  (id {user.id}, {authority.kennung}{main})")
    print(f"  roles:       {roles_text(user.roles)}")
    elemente = user.erlaubte_elemente
    allowance = (
        "all its authority is entitled to"
        if elemente is None
        else (",".join(map(str, sorted(elemente))) or "none")
    )
    print(f"  elements:    {allowance}")
    operationen = user.erlaubte_operationen
    allowed = "all" if operationen is None else (", ".join(sorted(operationen)) or "none")
    print(f"  operations:  {allowed}")
    belehrt = user.belehrt_am.isoformat() if user.belehrt_am else "unknown (not recorded)"
    print(f"  instructed:  {belehrt} (§ 41 BMG)")
    print(f"  contact:     {kontakt_text(user.kontakt)}")
    state = f"BLOCKED: {user.gesperrt_grund}" if user.gesperrt else "active"
    print(f"  status:      {state}")
    for bound in certificates:
        print(f"  certificate: {certificate_text(bound)}")
    if not certificates:
        print("  certificate: none (it cannot sign requests)")
    print("  history:")
    for change in history:
        print(f"    {status_text(change)}")
    return EXIT_OK


@handled
def _run_change(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    if args.alle_elemente and args.erlaubte_elemente is not None:
        raise UsageError("give either --erlaubte-elemente or --alle-elemente")
    if args.alle_operationen and args.operationen:
        raise UsageError("give either --operation or --alle-operationen")
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        kontakt: Kontakt | Unchanged | None = UNCHANGED
        if args.telefon is not None or args.email is not None:
            telefon = user.kontakt.telefon if user.kontakt else None
            email = user.kontakt.email if user.kontakt else None
            kontakt = kontakt_of(
                args.telefon if args.telefon is not None else telefon,
                args.email if args.email is not None else email,
            )
        elemente: frozenset[int] | Unchanged | None = UNCHANGED
        if args.alle_elemente:
            elemente = None
        elif args.erlaubte_elemente is not None:
            elemente = args.erlaubte_elemente
        operationen: frozenset[str] | Unchanged | None = UNCHANGED
        if args.alle_operationen:
            operationen = None
        elif args.operationen:
            operationen = frozenset(args.operationen)
        changed = store.change_user(
            user.id,
            name=args.name if args.name is not None else UNCHANGED,
            roles=_roles(args) or UNCHANGED,
            erlaubte_elemente=elemente,
            erlaubte_operationen=operationen,
            belehrt_am=args.belehrt_am if args.belehrt_am is not None else UNCHANGED,
            kontakt=kontakt,
            actor=actor,
        )
    finally:
        store.close()
    note = "unchanged" if changed == user else "changed"
    _print_user(changed, note, authority.kennung, as_json=args.json, changed=changed != user)
    return EXIT_OK


@handled
def _run_block(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        blocked = store.block_user(user.id, grund=args.grund, actor=actor)
    finally:
        store.close()
    _print_user(blocked, "blocked", authority.kennung, as_json=args.json)
    if not args.json:
        print("  its requests are refused with 0910 T070 from the next request on")
    return EXIT_OK


@handled
def _run_unblock(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        unblocked = store.unblock_user(user.id, grund=args.grund, actor=actor)
    finally:
        store.close()
    _print_user(unblocked, "unblocked", authority.kennung, as_json=args.json)
    return EXIT_OK


@handled
def _run_delete(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        deleted = store.delete_user(user.id, actor=actor)
    finally:
        store.close()
    _print_user(deleted, "deleted", authority.kennung, as_json=args.json)
    return EXIT_OK


@handled
def _run_bind(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    certificate = certificate_arg(args.certificate)
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        before = {c.fingerprint for c in store.certificates(user.id)}
        fingerprint = store.bind_certificate(user.id, certificate, actor=actor)
    finally:
        store.close()
    new = fingerprint not in before
    if args.json:
        emit_json(
            {
                "authority": authority.kennung,
                "user": user.kennung,
                "fingerprint": fingerprint,
                "changed": new,
            }
        )
    else:
        note = "bound" if new else "already bound"
        print(f"{note}: certificate {fingerprint} to user {user.kennung} of {authority.kennung}")
    return EXIT_OK


@handled
def _run_unbind(args: argparse.Namespace) -> int:
    actor = operator_of(args)
    wanted = args.fingerprint.strip().replace(":", "").lower()
    store = open_access(args.data_dir)
    try:
        authority = require_authority(store, args.authority)
        user = require_user(store, authority, args.kennung)
        if wanted not in {c.fingerprint for c in store.certificates(user.id)}:
            raise Refused(
                f"no certificate {args.fingerprint} is bound to user {user.kennung} "
                f"('datenspiegel user show {authority.kennung} {user.kennung}' lists them)"
            )
        store.unbind_certificate(wanted, actor=actor)
    finally:
        store.close()
    if args.json:
        emit_json({"authority": authority.kennung, "user": user.kennung, "fingerprint": wanted})
    else:
        print(f"unbound: certificate {wanted} from user {user.kennung} of {authority.kennung}")
    return EXIT_OK
