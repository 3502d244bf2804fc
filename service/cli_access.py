"""What ``datenspiegel authority …`` and ``datenspiegel user …`` share.

Exit codes of both command groups (docs/authorities.md):

- ``0`` — done (for ``authority report --check``: nothing to look at);
- ``1`` — the registry refused or could not make the change: the rules of registration (a
  security authority without sub-type, elements the authority is not entitled to, …), an
  unknown or duplicate Kennung, an authority already blocked, the database unavailable; or
  ``report --check`` found something. Nothing was changed.
- ``2`` — the command line itself is wrong: a missing or malformed option (a network that is
  not CIDR, a date that is not YYYY-MM-DD, an unreadable certificate file). Nothing was changed.

The broker-state database is the one ``serve`` uses for ``--data-dir DIR``: from
``DIR/datenspiegel.toml`` with its ``DATENSPIEGEL_*`` overrides (else ``DIR/broker.sqlite``).
Changes take effect with the next request of every worker process and host: the broker reads
blocks and networks from the database on every request.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from cryptography import x509

from datenspiegel.access import (
    SICHERHEITSBEHOERDE_UNTERTYPEN,
    AccessError,
    AccessStore,
    Actor,
    Authority,
    BoundCertificate,
    InvalidContact,
    InvalidNetwork,
    IPNetwork,
    Kontakt,
    StatusChange,
    User,
    UserRole,
    parse_netz,
)
from datenspiegel.access.networks import netze_to_json, umfasst_alle
from datenspiegel.store import BROKER, ensure_current
from datenspiegel.store.errors import StoreError

__all__ = [
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_USAGE",
    "ROLE_NAMES",
    "Refused",
    "UsageError",
    "add_data_dir",
    "add_json",
    "add_operator",
    "authority_json",
    "certificate_arg",
    "date_arg",
    "elements_arg",
    "emit_json",
    "handled",
    "kontakt_of",
    "netz_arg",
    "open_access",
    "operator_of",
    "require_authority",
    "require_user",
    "required_kontakt",
    "user_json",
]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

ROLE_NAMES = {
    "sachbearbeitung": UserRole.SACHBEARBEITUNG,
    "administrator": UserRole.ADMINISTRATOR,
    "behoerdenleitung": UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT,
    "protokolleinsicht": UserRole.PROTOKOLLEINSICHT,
}


class UsageError(Exception):
    """A mistake in the command line that argparse cannot see (exit code 2)."""


class Refused(Exception):
    """The registry has no such authority or user (exit code 1)."""


def handled(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Map the errors of a command to one line on stderr and its exit code."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except UsageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except (Refused, AccessError, StoreError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            print(f"error: {first}", file=sys.stderr)
            return EXIT_FAILURE

    return wrapper


# -- options --------------------------------------------------------------------------------


def add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var"),
        help="the service's data directory (its broker database; default: var)",
    )


def add_operator(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--operator",
        required=True,
        metavar="NAME",
        help="who of the operator makes this change (recorded with it)",
    )


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


def netz_arg(text: str) -> IPNetwork:
    try:
        return parse_netz(text)
    except InvalidNetwork as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def elements_arg(text: str) -> frozenset[int]:
    """``1,7,13-20``: Personensuche element codes, single or as ranges."""
    codes: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        try:
            low = int(first)
            high = int(last) if dash else low
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r}: give element codes as numbers and ranges, e.g. 1,7,13-20"
            ) from None
        if high < low:
            raise argparse.ArgumentTypeError(f"{part!r}: a range runs from low to high")
        codes.update(range(low, high + 1))
    return frozenset(codes)


def certificate_arg(path: Path) -> x509.Certificate:
    from datenspiegel.signing import load_pem_certificates

    try:
        found = load_pem_certificates(path)
    except Exception as exc:
        raise UsageError(f"cannot read a PEM certificate from {path}: {exc}") from None
    if len(found) != 1:
        raise UsageError(f"{path} must hold exactly one certificate (it holds {len(found)})")
    return found[0]


def kontakt_of(telefon: str | None, email: str | None) -> Kontakt | None:
    """A contact from the options, ``None`` when neither is given; malformed: exit 2."""
    if telefon is None and email is None:
        return None
    try:
        return Kontakt(telefon=telefon, email=email)
    except InvalidContact as exc:
        raise UsageError(str(exc)) from None


def required_kontakt(telefon: str | None, email: str | None, *, missing: str) -> Kontakt:
    kontakt = kontakt_of(telefon, email)
    if kontakt is None:
        raise UsageError(missing)
    return kontakt


def operator_of(args: argparse.Namespace) -> Actor:
    name = str(args.operator).strip()
    if not name:
        raise UsageError("--operator needs the name of who makes the change")
    try:
        return Actor.operator(name)
    except AccessError as exc:
        raise UsageError(str(exc)) from None


# -- the store and lookups ------------------------------------------------------------------


def open_access(data_dir: Path) -> AccessStore:
    from datenspiegel.service.config import load_stores

    store = AccessStore(load_stores(data_dir).broker_url)
    try:
        ensure_current(store.engine, BROKER)  # an older schema: `datenspiegel db upgrade` first
    except BaseException:
        store.close()
        raise
    return store


def require_authority(store: AccessStore, kennung: str) -> Authority:
    authority = store.authority_by_kennung(kennung)
    if authority is None:
        raise Refused(
            f"no authority {kennung!r} is registered ('datenspiegel authority list' shows them)"
        )
    return authority


def require_user(store: AccessStore, authority: Authority, kennung: str) -> User:
    user = store.user_by_kennung(authority.id, kennung)
    if user is None:
        raise Refused(
            f"{authority.kennung} has no user {kennung!r} "
            f"('datenspiegel user list {authority.kennung}' shows them)"
        )
    return user


# -- output ---------------------------------------------------------------------------------


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    print()


def klasse_text(authority: Authority) -> str:
    if authority.untertyp is None:
        return "öffentliche Stelle (§ 34 Abs. 1 Satz 1 BMG)"
    name = SICHERHEITSBEHOERDE_UNTERTYPEN[authority.untertyp]
    return f"Sicherheitsbehörde Nr. {authority.untertyp}: {name} (§ 34 Abs. 4 Satz 1 BMG)"


def netze_text(netze: Iterable[IPNetwork]) -> str:
    netze = tuple(netze)
    text = ", ".join(netze_to_json(netze))
    return f"{text} (ANY NETWORK)" if umfasst_alle(netze) else text


def kontakt_json(kontakt: Kontakt | None) -> dict[str, str | None] | None:
    if kontakt is None:
        return None
    return {"telefon": kontakt.telefon, "email": kontakt.email}


def kontakt_text(kontakt: Kontakt | None) -> str:
    if kontakt is None:
        return "—"
    return ", ".join(x for x in (kontakt.telefon, kontakt.email) if x)


def authority_json(authority: Authority) -> dict[str, Any]:
    return {
        "id": authority.id,
        "kennung": authority.kennung,
        "name": authority.name,
        "klasse": authority.klasse.value,
        "untertyp": authority.untertyp,
        "protokollierung_durch_betreiber": authority.protokollierung_durch_betreiber,
        "anschrift": list(authority.anschrift or ()),
        "kontakt": kontakt_json(authority.kontakt),
        "netze": netze_to_json(authority.netze),
        "any_network": umfasst_alle(authority.netze),
        "administrator": {"name": authority.administrator, "user_id": authority.administrator_id},
        "status": "blocked" if authority.gesperrt else "active",
        "gesperrt_grund": authority.gesperrt_grund,
    }


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "kennung": user.kennung,
        "name": user.name,
        "roles": sorted(r.value for r in user.roles),
        "erlaubte_elemente": None
        if user.erlaubte_elemente is None
        else sorted(user.erlaubte_elemente),
        "erlaubte_operationen": None
        if user.erlaubte_operationen is None
        else sorted(user.erlaubte_operationen),
        "belehrt_am": user.belehrt_am.isoformat() if user.belehrt_am else None,
        "kontakt": kontakt_json(user.kontakt),
        "status": "blocked" if user.gesperrt else "active",
        "gesperrt_grund": user.gesperrt_grund,
    }


def status_text(change: StatusChange) -> str:
    reason = f": {change.grund}" if change.grund else ""
    return f"{change.at:%Y-%m-%d %H:%M} UTC  {change.status:<8} {change.actor}{reason}"


def certificate_text(bound: BoundCertificate) -> str:
    return f"{bound.fingerprint}  until {bound.not_after:%Y-%m-%d}  {bound.subject}"


def roles_text(roles: frozenset[UserRole]) -> str:
    names = {role: name for name, role in ROLE_NAMES.items()}
    return ",".join(sorted(names[r] for r in roles))
