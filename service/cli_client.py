"""``datenspiegel client personensuche`` / ``freie-suche``: build, sign, send, verify, print."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from datenspiegel.register.freie_suche import (
    Aktualitaet,
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
    Zeitraum,
)
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.transformers import AnfragendeStelle, Behoerde
from datenspiegel.xsd.codelists import Ergebnisstatus

if TYPE_CHECKING:
    from datenspiegel.service.client import DatenabrufClient, Reply

__all__ = [
    "DEFAULT_ELEMENTE",
    "DEFAULT_FREIE_SUCHE_ELEMENTE",
    "add_client_commands",
    "freie_suche",
    "parse_elemente",
]

# Names, date and place of birth, sex, nationality, the current address with dwelling status.
DEFAULT_ELEMENTE = "1,4,5,7,10,13,15,19,41,43-55"
# freie Suche (list 1–46): names, date and place of birth, sex, nationality, main address.
DEFAULT_FREIE_SUCHE_ELEMENTE = "1-11,13,15,16,17-19,21-24"
_FREIE_SUCHE_ACTION = "urn:xoev-de:datenspiegel:datenabruf:1:freieSuche"
_NAME_FIELDS = (
    "familienname",
    "geburtsname",
    "frueherer_familienname",
    "vornamen",
    "ordensname",
    "kuenstlername",
)

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
    _add_freie_suche(commands)


def _add_freie_suche(commands: Any) -> None:
    p = commands.add_parser(
        "freie-suche",
        help="freie Suche (1332 → 1333)",
        description="Build a 1332 (freie Suche, § 34a Abs. 3 BMG), sign it with a demo user's "
        "key, send it over TLS, verify the broker's signature and print the result list. "
        "Placeholders * and ? on names and street (not first). Exit 0 answer, 3 business "
        "rejection, 4 technical rejection (0910), 1 transport or verification error.",
    )
    p.add_argument("--data-dir", type=Path, default=Path("var"), help="initialised data dir")
    p.add_argument(
        "--user", default="ordnungsamt", choices=[u.key for u in DEMO_USERS], help="demo user"
    )
    p.add_argument("--endpoint", help="override the endpoint URL from demo.json")
    area = p.add_mutually_exclusive_group(required=True)
    area.add_argument(
        "--suchbereich",
        help="AGS (8 digits), district (first 5 digits of the AGS) or the state (03)",
    )
    area.add_argument("--gemeindename", help="the municipality by its name")
    p.add_argument("--leser", default="03241001", help="AGS addressed (default 03241001)")
    for field in _NAME_FIELDS:
        p.add_argument("--" + field.replace("_", "-"))
    p.add_argument(
        "--phonetisch",
        action="append",
        default=[],
        choices=[f.replace("_", "-") for f in _NAME_FIELDS],
        help="match this name field by Kölner Phonetik (repeatable)",
    )
    p.add_argument("--doktorgrad")
    p.add_argument("--geburtsdatum", help="YYYY-MM-DD, YYYY-MM or YYYY")
    p.add_argument("--geboren-von", help="birth range start (YYYY[-MM[-DD]])")
    p.add_argument("--geboren-bis", help="birth range end (YYYY[-MM[-DD]])")
    p.add_argument("--geburtsort")
    p.add_argument("--geschlecht", choices=["m", "w", "d", "x"])
    p.add_argument("--staatsangehoerigkeit", help="ISO 3166-1 alpha-3, e.g. DEU")
    p.add_argument("--postleitzahl")
    p.add_argument("--strasse")
    p.add_argument("--hausnummer", help="a number, or a range such as 1-20")
    p.add_argument("--wohnungsstatus", choices=["0", "1", "2"])
    p.add_argument("--familienstand", help="e.g. LD, VH, VW, GS")
    p.add_argument("--sterbedatum", help="YYYY-MM-DD, YYYY-MM or YYYY")
    p.add_argument("--sterbeort")
    p.add_argument("--person", choices=["aktuell", "inaktuell"], help="only current / former")
    p.add_argument(
        "--anschrift", choices=["aktuell", "inaktuell"], help="only current / former addresses"
    )
    p.add_argument(
        "--elemente",
        type=parse_elemente,
        default=parse_elemente(DEFAULT_FREIE_SUCHE_ELEMENTE),
        help=f"requested element codes 1–46 (default {DEFAULT_FREIE_SUCHE_ELEMENTE})",
    )
    p.add_argument("--aktenzeichen", help="override the demo Aktenzeichen")
    p.add_argument("--anlass", help="override the demo Anlass")
    p.add_argument("--xml", action="store_true", help="print the verified answer document")
    p.set_defaults(func=run_freie_suche)


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


def _suchbereich(text: str) -> Suchbereich:
    kinds = {8: SuchbereichArt.GEMEINDE, 5: SuchbereichArt.KREIS, 2: SuchbereichArt.LAND}
    if len(text) not in kinds or not text.isdigit():
        raise ValueError(f"--suchbereich takes 8, 5 or 2 digits (AGS, district, state): {text!r}")
    return Suchbereich(kinds[len(text)], text)


def _freie_suche_query(args: argparse.Namespace) -> FreieSucheQuery:
    phonetic = {name.replace("-", "_") for name in args.phonetisch}
    names = {
        field: NameKriterium(value, field in phonetic)
        for field in _NAME_FIELDS
        if (value := getattr(args, field))
    }
    if (args.geboren_von is None) != (args.geboren_bis is None):
        raise ValueError("give --geboren-von and --geboren-bis together")
    zeitraum = None
    if args.geboren_von:
        zeitraum = Zeitraum(
            TeilbekanntesDatum.parse(args.geboren_von), TeilbekanntesDatum.parse(args.geboren_bis)
        )
    nummer, _, bis = (args.hausnummer or "").partition("-")
    aktuell = {"aktuell": Aktualitaet.AKTUELL, "inaktuell": Aktualitaet.INAKTUELL}
    return FreieSucheQuery(
        suchbereich=_suchbereich(args.suchbereich or "03"),
        **names,  # type: ignore[arg-type]
        doktorgrad=args.doktorgrad,
        geburtsdatum=_date(args.geburtsdatum),
        geburtszeitraum=zeitraum,
        geburtsort=args.geburtsort,
        geschlecht=args.geschlecht,
        staatsangehoerigkeit=args.staatsangehoerigkeit,
        postleitzahl=args.postleitzahl,
        strasse=args.strasse,
        hausnummer=nummer or None,
        hausnummer_bis=bis or None,
        wohnungsstatus=args.wohnungsstatus,
        familienstand=args.familienstand,
        sterbedatum=_date(args.sterbedatum),
        sterbeort=args.sterbeort,
        person_aktualitaet=aktuell.get(args.person or ""),
        anschrift_aktualitaet=aktuell.get(args.anschrift or ""),
    )


def freie_suche(
    client: DatenabrufClient,
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    elemente: list[int],
    query: FreieSucheQuery,
    gemeindename: str | None = None,
) -> Reply:
    """Build, sign and send a 1332 with its own SOAPAction; return the verified reply."""
    from datenspiegel.transformers.request_builder import build_freie_suche

    request_id = str(uuid.uuid4())
    root = build_freie_suche(
        leser=leser,
        autor=autor,
        stelle=stelle,
        elemente=elemente,
        query=query,
        gemeindename=gemeindename,
        erstellt=datetime.now(UTC),
        nachrichten_uuid=request_id,
    )
    return client.send(client.sign(root), request_id=request_id, soap_action=_FREIE_SUCHE_ACTION)


def run_freie_suche(args: argparse.Namespace) -> int:
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
        query = _freie_suche_query(args)
        client = DatenabrufClient(
            endpoint=args.endpoint or demo["endpoint"],
            ca_file=Path(demo["ca_file"]),
            broker_certificate=Path(demo["broker_certificate"]),
            user_key=Path(user["key"]),
            user_certificate=Path(user["certificate"]),
        )
        reply = freie_suche(
            client,
            leser=Behoerde(kennung=f"ags:{args.leser}", name=f"Gemeinde {args.leser}"),
            autor=Behoerde(kennung=user["authority"], name=user["authority_name"]),
            stelle=stelle,
            elemente=args.elemente,
            query=query,
            gemeindename=args.gemeindename,
        )
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _print(reply, xml=args.xml, message="1333")


def _print(reply: Any, *, xml: bool, message: str = "1331") -> int:
    print(f"signature verified: answer signed by the broker (HTTP {reply.http_status})")
    if xml:
        print(etree.tostring(reply.root, pretty_print=True, encoding="unicode"))
    if reply.fault:
        print(f"0910 technical rejection {reply.codes[0]}: {reply.text('fehlerbeschreibung')}")
        return EXIT_RETURNED
    if reply.root.find("rueckweisung") is not None:
        codes = ", ".join(reply.codes)
        print(f"{message} rejection {codes}: {reply.text('rueckweisung/freitext')}")
        return EXIT_REJECTED
    status = reply.status
    print(f"{message} ergebnisstatus {status}")
    if status == Ergebnisstatus.PERSON:
        _print_person(reply.root.find("ergebnis/person"))
    elif status == Ergebnisstatus.TREFFERLISTE:
        for treffer in reply.root.iterfind("ergebnis/trefferliste/treffer"):
            _print_person(treffer)
    elif status == Ergebnisstatus.ERGEBNISLISTE:
        persons = reply.root.findall("ergebnis/ergebnisliste/person")
        print(f"  {len(persons)} persons")
        for person in persons:
            _print_person(person)
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
