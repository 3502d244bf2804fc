"""``datenspiegel client personensuche``: build, sign, send, verify and print."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from lxml import etree

from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.transformers import Behoerde
from datenspiegel.xsd.codelists import Ergebnisstatus

__all__ = ["DEFAULT_ELEMENTE", "add_client_commands", "parse_elemente"]

# Names, date and place of birth, sex, nationality, the current address with dwelling status.
DEFAULT_ELEMENTE = "1,4,5,7,10,13,15,19,41,43-55"

EXIT_ANSWER, EXIT_ERROR, EXIT_USAGE, EXIT_REJECTED, EXIT_RETURNED = 0, 1, 2, 3, 4


def parse_elemente(text: str) -> list[int]:
    codes: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise argparse.ArgumentTypeError(f"element codes look like 1,7,43-55, not {text!r}")
        codes.update(range(int(low), int(high or low) + 1))
    return sorted(codes)


def add_client_commands(subparsers: Any) -> None:
    client = subparsers.add_parser(
        "client", help="send a signed request and verify the answer (reference client)"
    )
    commands = client.add_subparsers(dest="client_command", metavar="COMMAND", required=True)
    p = commands.add_parser(
        "personensuche",
        help="Personensuche (1330 → 1331)",
        description="Build a 1330, sign it with a demo user's key, send it over TLS, verify the "
        "broker's signature and print the answer. Exit 0 answer, 3 business rejection, "
        "4 technical rejection (0910), 1 transport or verification error.",
    )
    p.add_argument("--data-dir", type=Path, default=Path("var"), help="initialised data dir")
    p.add_argument(
        "--user",
        default="ordnungsamt",
        choices=[u.key for u in DEMO_USERS],
        help="demo user whose key signs the request (default: ordnungsamt)",
    )
    p.add_argument("--endpoint", help="override the endpoint URL from demo.json")
    p.add_argument("--ags", required=True, help="8-digit AGS of the municipality asked")
    p.add_argument("--familienname")
    p.add_argument("--frueherer-familienname")
    p.add_argument("--vornamen", help="first names separated by blanks")
    p.add_argument("--ordensname")
    p.add_argument("--kuenstlername")
    p.add_argument("--geburtsdatum", help="YYYY-MM-DD, YYYY-MM or YYYY")
    p.add_argument("--geburtsort")
    p.add_argument("--geschlecht", choices=["m", "w", "d", "x"])
    p.add_argument("--postleitzahl")
    p.add_argument("--strasse")
    p.add_argument("--hausnummer")
    p.add_argument("--sterbedatum", help="YYYY-MM-DD, YYYY-MM or YYYY")
    p.add_argument("--phonetisch", action="store_true", help="Kölner Phonetik instead of exact")
    p.add_argument("--merkmal", help="continue with an Identifikationsmerkmal from a hit list")
    p.add_argument(
        "--elemente",
        type=parse_elemente,
        default=parse_elemente(DEFAULT_ELEMENTE),
        help=f"requested element codes 1–185 (default {DEFAULT_ELEMENTE})",
    )
    p.add_argument("--aktenzeichen", help="override the demo Aktenzeichen")
    p.add_argument("--anlass", help="override the demo Anlass")
    p.add_argument("--xml", action="store_true", help="print the verified answer document")
    p.set_defaults(func=run_personensuche)


def _date(text: str | None) -> TeilbekanntesDatum | None:
    return TeilbekanntesDatum.parse(text) if text else None


def run_personensuche(args: argparse.Namespace) -> int:
    # Imported here: the client pulls in the service stack, which other commands do not need.
    from datenspiegel.service.bootstrap import DEMO_FILE
    from datenspiegel.service.client import ClientError, DatenabrufClient

    demo_path = args.data_dir / DEMO_FILE
    try:
        demo = json.loads(demo_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(
            f"error: {demo_path} not found; run 'datenspiegel init --data-dir {args.data_dir}'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    user = demo["users"][args.user]
    profile = next(u for u in DEMO_USERS if u.key == args.user)
    stelle = dataclasses.replace(
        profile.stelle,
        aktenzeichen=args.aktenzeichen or profile.stelle.aktenzeichen,
        anlass=args.anlass or profile.stelle.anlass,
    )
    try:
        query = None
        if not args.merkmal:
            query = PersonensucheQuery(
                ags=args.ags,
                familienname=args.familienname,
                frueherer_familienname=args.frueherer_familienname,
                vornamen=tuple((args.vornamen or "").split()),
                ordensname=args.ordensname,
                kuenstlername=args.kuenstlername,
                geburtsdatum=_date(args.geburtsdatum),
                geburtsort=args.geburtsort,
                geschlecht=args.geschlecht,
                postleitzahl=args.postleitzahl,
                strasse=args.strasse,
                hausnummer=args.hausnummer,
                sterbedatum=_date(args.sterbedatum),
                phonetisch=args.phonetisch,
            )
        client = DatenabrufClient(
            endpoint=args.endpoint or demo["endpoint"],
            ca_file=Path(demo["ca_file"]),
            broker_certificate=Path(demo["broker_certificate"]),
            user_key=Path(user["key"]),
            user_certificate=Path(user["certificate"]),
        )
        reply = client.personensuche(
            leser=Behoerde(kennung=f"ags:{args.ags}", name=f"Gemeinde {args.ags}"),
            autor=Behoerde(kennung=user["authority"], name=user["authority_name"]),
            stelle=stelle,
            elemente=args.elemente,
            query=query,
            identifikationsmerkmal=args.merkmal,
        )
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _print(reply, xml=args.xml)


def _print(reply: Any, *, xml: bool) -> int:
    print(f"signature verified: answer signed by the broker (HTTP {reply.http_status})")
    if xml:
        print(etree.tostring(reply.root, pretty_print=True, encoding="unicode"))
    if reply.fault:
        print(f"0910 technical rejection {reply.codes[0]}: {reply.text('fehlerbeschreibung')}")
        return EXIT_RETURNED
    if reply.root.find("rueckweisung") is not None:
        print(f"1331 rejection {', '.join(reply.codes)}: {reply.text('rueckweisung/freitext')}")
        return EXIT_REJECTED
    status = reply.status
    print(f"1331 ergebnisstatus {status}")
    if status == Ergebnisstatus.PERSON:
        _print_person(reply.root.find("ergebnis/person"))
    elif status == Ergebnisstatus.TREFFERLISTE:
        for treffer in reply.root.iterfind("ergebnis/trefferliste/treffer"):
            _print_person(treffer)
    else:
        print("  neutral answer: no person can be named (no hit, or an Auskunftssperre)")
    return EXIT_ANSWER


def _print_person(element: etree._Element | None) -> None:
    if element is None:
        return
    names = " ".join(v.text or "" for v in element.iterfind("vorname"))
    line = f"  {names} {element.findtext('familienname') or ''}".rstrip()
    birth = element.find("geburtsdatum")
    if birth is not None and len(birth):
        line += f", * {birth[0].text}"
    print(line)
    for tag in ("aktuelleAnschrift", "hauptanschrift"):
        for address in element.iterfind(tag):
            parts = [
                address.findtext("strasse"),
                address.findtext("hausnummer"),
                address.findtext("postleitzahl"),
                address.findtext("wohnort"),
            ]
            text = " ".join(p for p in parts if p)
            flag = address.findtext("bedingterSperrvermerk")
            print(f"    address: {text or '(parts not requested)'}; bedingter Sperrvermerk: {flag}")
    merkmal = element.findtext("identifikationsmerkmal")
    if merkmal:
        print(f"    identifikationsmerkmal: {merkmal}")
    hinweise = element.find("hinweise")
    if hinweise is not None:
        facts = [h.tag for h in hinweise if h.text == "true"]
        if facts:
            print(f"    hinweise: {', '.join(facts)}")
