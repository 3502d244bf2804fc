"""``datenspiegel client personensuche`` / ``freie-suche`` / ``nutzer-…``: build, sign, send,
verify, print."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from collections.abc import Callable
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
from datenspiegel.service.cli_access import UsageError, certificate_arg, date_arg
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.transformers import AnfragendeStelle, Behoerde
from datenspiegel.transformers.administration import Aktion, NutzerAenderung, NutzerDaten
from datenspiegel.xsd.codelists import Ergebnisstatus

if TYPE_CHECKING:
    from datenspiegel.service.client import DatenabrufClient, Reply

__all__ = [
    "DEFAULT_ELEMENTE",
    "DEFAULT_FREIE_SUCHE_ELEMENTE",
    "add_client_commands",
    "freie_suche",
    "parse_elemente",
    "stelle_from_json",
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
    _add_administration(commands)


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


def _as_demo_user(
    args: argparse.Namespace, message: str, ask: Callable[[Any, Behoerde, Any], Any]
) -> int:
    """Run ``ask(client, autor, stelle)`` as the data directory's demo user ``--user``: its key
    and certificate, its authority, its requesting-body block (with ``--aktenzeichen`` and
    ``--anlass``); print the verified answer. ``ValueError`` in ``ask`` is a usage error."""
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
        client = DatenabrufClient(
            endpoint=args.endpoint or demo["endpoint"],
            ca_file=Path(demo["ca_file"]),
            broker_certificate=Path(demo["broker_certificate"]),
            user_key=Path(user["key"]),
            user_certificate=Path(user["certificate"]),
        )
        autor = Behoerde(kennung=user["authority"], name=user["authority_name"])
        reply = ask(client, autor, stelle)
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _print(reply, xml=args.xml, message=message)


def run_personensuche(args: argparse.Namespace) -> int:
    def ask(client: Any, autor: Behoerde, stelle: Any) -> Any:
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
        return client.personensuche(
            leser=Behoerde(kennung=f"ags:{args.ags}", name=f"Gemeinde {args.ags}"),
            autor=autor,
            stelle=stelle,
            elemente=args.elemente,
            query=query,
            identifikationsmerkmal=args.merkmal,
        )

    return _as_demo_user(args, "1331", ask)


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
    def ask(client: Any, autor: Behoerde, stelle: Any) -> Any:
        return freie_suche(
            client,
            leser=Behoerde(kennung=f"ags:{args.leser}", name=f"Gemeinde {args.leser}"),
            autor=autor,
            stelle=stelle,
            elemente=args.elemente,
            query=_freie_suche_query(args),
            gemeindename=args.gemeindename,
        )

    return _as_demo_user(args, "1333", ask)


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


# -- the administration service (9100 → 9101): an administrator manages its authority's users

_ADMINISTRATION = (
    ("nutzer-anlegen", Aktion.ANLEGEN, "create a user of your authority"),
    ("nutzer-aendern", Aktion.AENDERN, "change a user of your authority (give what changes)"),
    ("nutzer-sperren", Aktion.SPERREN, "block a user of your authority"),
    ("nutzer-entsperren", Aktion.ENTSPERREN, "lift the block of a user of your authority"),
    ("nutzer-loeschen", Aktion.LOESCHEN, "delete a user of your authority"),
    ("nutzer-liste", Aktion.LISTE, "list the users of your authority"),
)
_ROLLEN = ("sachbearbeitung", "behoerdenleitungOderBesondersErmaechtigt", "administrator")
_OPERATIONEN = ("personensuche", "freieSuche", "faelle")
_MAX_ELEMENT = 185


def _fingerprint_arg(text: str) -> str:
    value = text.strip().replace(":", "").lower()
    if len(value) != 64 or set(value) - set("0123456789abcdef"):
        raise argparse.ArgumentTypeError(f"{text!r} is no SHA-256 fingerprint (64 hex digits)")
    return value


def _add_administration(commands: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--key", type=Path, required=True, help="the administrator's signing key (PEM)"
    )
    common.add_argument(
        "--certificate", type=Path, required=True, help="its certificate (PEM), as registered"
    )
    common.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var"),
        help="initialised data dir: the defaults below from its demo.json and configuration",
    )
    common.add_argument(
        "--user",
        default="ordnungsamt",
        choices=[u.key for u in DEMO_USERS],
        help="demo authority of the administrator (default: ordnungsamt)",
    )
    common.add_argument("--endpoint", help="the administration service's URL (…/administration)")
    common.add_argument("--ca-file", type=Path, help="CA of the broker's TLS and signing certs")
    common.add_argument(
        "--broker-certificate", type=Path, help="the broker's signing certificate (pinned)"
    )
    common.add_argument("--broker-kennung", help="the broker's Kennung, the messages' leser")
    common.add_argument("--autor-kennung", help="your authority's Kennung (needs --stelle)")
    common.add_argument("--autor-name", help="your authority's name (default: the body's)")
    common.add_argument(
        "--stelle",
        type=Path,
        metavar="JSON",
        help="the requesting body (BMeldDAV § 11): a JSON object with behoerdenname, strasse, "
        "hausnummer, postleitzahl, ort, telefon, email, kennung_anfragende_person, "
        "sicherheitsbehoerde (default: the demo authority's)",
    )
    common.add_argument("--aktenzeichen", default="Nutzerverwaltung", help="file number")
    common.add_argument("--anlass", default="Nutzerverwaltung (§ 39 BMG)", help="occasion")
    common.add_argument("--json", action="store_true", help="print the answer as JSON")
    for name, aktion, summary in _ADMINISTRATION:
        p = commands.add_parser(
            name,
            parents=[common],
            help=f"{summary} ({aktion.value}, 9100 → 9101)",
            description=f"{summary[0].upper()}{summary[1:]}: build the {aktion.value} request, "
            "sign it with the administrator's key, send it to the administration service, "
            "verify the broker's signature and print the answer (docs/administration.md). "
            "Exit 0 done, 3 refused (fehler, nothing changed), 1 technical rejection (0910), "
            "transport or verification error, 2 usage.",
        )
        _add_nutzer_options(p, aktion)
        p.set_defaults(func=run_administration, aktion=aktion)


def _add_nutzer_options(p: argparse.ArgumentParser, aktion: Aktion) -> None:
    if aktion is not Aktion.LISTE:
        p.add_argument("--kennung", required=True, help="the user's Kennung")
    if aktion is Aktion.SPERREN:
        p.add_argument("--grund", required=True, help="why the user is blocked")
    if aktion not in (Aktion.ANLEGEN, Aktion.AENDERN):
        return
    new = aktion is Aktion.ANLEGEN
    p.add_argument("--name", required=new, help="the person's or procedure's name")
    p.add_argument(
        "--rolle",
        action="append",
        choices=_ROLLEN,
        help="role (repeatable; " + ("default sachbearbeitung)" if new else "replaces the roles)"),
    )
    operations = p.add_mutually_exclusive_group()
    operations.add_argument(
        "--operation",
        action="append",
        choices=_OPERATIONEN,
        help="restrict the user to this operation (repeatable; "
        + ("default: every operation)" if new else "replaces the list)"),
    )
    elements = p.add_mutually_exclusive_group()
    elements.add_argument(
        "--elemente",
        type=parse_elemente,
        help="Personensuche element codes the user may request, e.g. 1,7,13-20 "
        + ("(default: all the authority may)" if new else "(replaces the list)"),
    )
    p.add_argument(
        "--belehrt-am",
        type=date_arg,
        required=new,
        help="YYYY-MM-DD: the day of the instruction on purpose limitation (§ 41 BMG)",
    )
    p.add_argument(
        "--certificate-file",
        type=Path,
        action="store" if new else "append",
        help="the user's signing certificate (PEM; sent as DER)" + ("" if new else ", to add"),
    )
    if new:
        p.add_argument("--telefon", help="the user's telephone number")
        p.add_argument("--email", help="the user's e-mail address")
        return
    operations.add_argument(
        "--alle-operationen", action="store_true", help="lift the restriction to operations"
    )
    elements.add_argument(
        "--alle-elemente", action="store_true", help="lift the restriction to element codes"
    )
    p.add_argument(
        "--zertifikat-entfernen",
        type=_fingerprint_arg,
        action="append",
        metavar="FINGERPRINT",
        help="remove the certificate with this SHA-256 fingerprint (repeatable)",
    )


def _der(path: Path) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate_arg(path).public_bytes(Encoding.DER)


def _elemente(codes: list[int] | None) -> tuple[int, ...] | None:
    if codes is None:
        return None
    if not codes or not all(1 <= c <= _MAX_ELEMENT for c in codes):
        raise UsageError(f"--elemente: element codes run from 1 to {_MAX_ELEMENT}")
    return tuple(codes)


def _nutzer_request(args: argparse.Namespace) -> dict[str, Any]:
    """What the operation sends about the user: its Kennung, data, change or reason."""
    aktion: Aktion = args.aktion
    if aktion is Aktion.ANLEGEN:
        neu = NutzerDaten(
            kennung=args.kennung,
            name=args.name,
            rollen=tuple(args.rolle or ("sachbearbeitung",)),
            belehrt_am=args.belehrt_am,
            erlaubte_operationen=tuple(args.operation) if args.operation else None,
            erlaubte_elemente=_elemente(args.elemente),
            telefon=args.telefon,
            email=args.email,
            zertifikate=(_der(args.certificate_file),) if args.certificate_file else (),
        )
        return {"neu": neu}
    if aktion is Aktion.AENDERN:
        aenderung = NutzerAenderung(
            name=args.name,
            rollen=tuple(args.rolle) if args.rolle else None,
            # an empty list in the message lifts the restriction
            erlaubte_operationen=() if args.alle_operationen else _tuple(args.operation),
            erlaubte_elemente=() if args.alle_elemente else _elemente(args.elemente),
            belehrt_am=args.belehrt_am,
            zertifikate_hinzu=tuple(_der(path) for path in args.certificate_file or ()),
            zertifikate_weg=tuple(args.zertifikat_entfernen or ()),
        )
        if aenderung == NutzerAenderung():
            raise UsageError("give what changes (e.g. --name, --rolle, --belehrt-am)")
        return {"kennung": args.kennung, "aenderung": aenderung}
    return {"kennung": getattr(args, "kennung", None), "grund": getattr(args, "grund", None)}


def _tuple(values: list[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values else None


def _stelle(args: argparse.Namespace) -> AnfragendeStelle:
    """The requesting body: from ``--stelle``, else the demo authority with its main
    administrator (``ADM-<key>``, service/demo.py) as the requesting person."""
    if args.stelle is None:
        if args.autor_kennung:
            raise UsageError("--autor-kennung needs --stelle JSON (your authority's § 11 data)")
        profile = next(u for u in DEMO_USERS if u.key == args.user)
        stelle = dataclasses.replace(profile.stelle, kennung_anfragende_person=f"ADM-{args.user}")
    else:
        stelle = stelle_from_json(args.stelle)
    return dataclasses.replace(stelle, aktenzeichen=args.aktenzeichen, anlass=args.anlass)


def stelle_from_json(path: Path) -> AnfragendeStelle:
    """The requesting body (BMeldDAV § 11) from a JSON file (``--stelle``); Aktenzeichen and
    Anlass are the caller's to set."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = {"hausnummer": None, "verfahrensname": None, **data}
        data.setdefault("sicherheitsbehoerde", False)
        return AnfragendeStelle(aktenzeichen="", anlass="", **data)
    except (OSError, ValueError, TypeError) as exc:
        raise UsageError(f"--stelle {path}: {exc}") from None


def _broker_of(args: argparse.Namespace) -> Behoerde:
    from datenspiegel.service.config import CONFIG_NAME, BrokerConfig, load_config

    config_path = args.data_dir / CONFIG_NAME
    broker = load_config(config_path).broker if config_path.exists() else BrokerConfig()
    return Behoerde(kennung=args.broker_kennung or broker.kennung, name=broker.name)


def run_administration(args: argparse.Namespace) -> int:
    from datenspiegel.service.bootstrap import DEMO_FILE
    from datenspiegel.service.client import ClientError, DatenabrufClient
    from datenspiegel.signing import SigningError
    from datenspiegel.wsdl import ADMINISTRATION_PATH, SERVICE_PATH

    demo_path = args.data_dir / DEMO_FILE
    demo = json.loads(demo_path.read_text(encoding="utf-8")) if demo_path.exists() else {}
    profile = next(u for u in DEMO_USERS if u.key == args.user)

    def given(value: Any, option: str, key: str) -> str:
        if value is None and key not in demo:
            raise UsageError(f"give {option} (or the --data-dir of an initialised demo)")
        return str(value if value is not None else demo[key])

    try:
        stelle = _stelle(args)
        request = _nutzer_request(args)
        # the demo's endpoint is the retrieval service's; the administration service is beside it
        endpoint = args.endpoint or (
            given(None, "--endpoint", "endpoint").removesuffix(SERVICE_PATH) + ADMINISTRATION_PATH
        )
        client = DatenabrufClient(
            endpoint=endpoint,
            ca_file=Path(given(args.ca_file, "--ca-file", "ca_file")),
            broker_certificate=Path(
                given(args.broker_certificate, "--broker-certificate", "broker_certificate")
            ),
            user_key=args.key,
            user_certificate=args.certificate,
        )
        autor = Behoerde(
            kennung=args.autor_kennung or profile.authority_kennung,
            name=args.autor_name or stelle.behoerdenname,
        )
        reply = client.administration(
            args.aktion, leser=_broker_of(args), autor=autor, stelle=stelle, **request
        )
    except (UsageError, SigningError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return _print_administration(reply, args.aktion, as_json=args.json)


def _nutzer_json(element: etree._Element) -> dict[str, Any]:
    def texts(path: str) -> list[str] | None:
        found = element.find(path)
        return None if found is None else [e.text or "" for e in found]

    elemente = texts("erlaubteElemente")
    return {
        "kennung": element.findtext("kennung"),
        "name": element.findtext("name"),
        "rollen": texts("rollen"),
        "erlaubte_operationen": texts("erlaubteOperationen"),
        "erlaubte_elemente": None if elemente is None else [int(e) for e in elemente],
        "belehrt_am": element.findtext("belehrtAm"),
        # § 41 BMG: a new instruction is due (since), or overdue past the grace period
        "belehrung_faellig": element.findtext("belehrungFaellig") == "true",
        "belehrung_faellig_seit": element.findtext("belehrungFaelligSeit"),
        "wegen_belehrung_gesperrt": element.findtext("wegenBelehrungGesperrt") == "true",
        "gesperrt": element.findtext("gesperrt") == "true",
        "sperrgrund": element.findtext("sperrgrund"),
        "zertifikate": [
            {
                "fingerabdruck": z.findtext("fingerabdruck"),
                "subjekt": z.findtext("subjekt"),
                "gueltig_bis": z.findtext("gueltigBis"),
            }
            for z in element.iterfind("zertifikat")
        ],
    }


def _ranges(codes: list[int]) -> str:
    """1,7,13-20: element codes as the options take them."""
    parts: list[str] = []
    for code in codes:
        low, _, high = parts[-1].partition("-") if parts else ("", "", "")
        if parts and int(high or low) == code - 1:
            parts[-1] = f"{low}-{code}"
        else:
            parts.append(str(code))
    return ",".join(parts)


def _print_administration(reply: Reply, aktion: Aktion, *, as_json: bool) -> int:
    result: dict[str, Any] = {"aktion": aktion.value, "http_status": reply.http_status}
    if reply.fault:
        result["ruecksendung"] = {
            "code": reply.codes[0] if reply.codes else None,
            "text": reply.text("fehlerbeschreibung"),
        }
        status = EXIT_ERROR
    else:
        grund = reply.root.findtext("fehler/grund")
        result["ausgefuehrt"] = grund is None
        result["fehler"] = grund and {"grund": grund, "text": reply.root.findtext("fehler/text")}
        result["nutzer"] = [_nutzer_json(e) for e in reply.root.iterfind("nutzer")]
        status = EXIT_ANSWER if grund is None else EXIT_REJECTED
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return status
    print(f"signature verified: answer signed by the broker (HTTP {reply.http_status})")
    if reply.fault:
        ruecksendung = result["ruecksendung"]
        print(f"0910 technical rejection {ruecksendung['code']}: {ruecksendung['text']}")
        return status
    if result["fehler"]:
        print(f"{aktion.value} refused ({result['fehler']['grund']}): {result['fehler']['text']}")
        print("  nothing was changed")
        return status
    print(f"{aktion.value}: done")
    for nutzer in result["nutzer"]:
        state = "blocked" if nutzer["gesperrt"] else "active"
        print(
            f"  {nutzer['kennung']}  {state}  {','.join(nutzer['rollen'] or [])}  "
            f"belehrt {nutzer['belehrt_am'] or 'unknown'}  {nutzer['name']}"
        )
        if nutzer["sperrgrund"]:
            print(f"    blocked: {nutzer['sperrgrund']}")
        if nutzer["belehrung_faellig"]:
            since = nutzer["belehrung_faellig_seit"] or "no instruction recorded"
            suspended = nutzer["wegen_belehrung_gesperrt"]
            print(
                f"    instruction (§ 41 BMG) due: {since}"
                + ("; suspended until a new date is recorded" if suspended else "")
            )
        operationen, elemente = nutzer["erlaubte_operationen"], nutzer["erlaubte_elemente"]
        print(
            f"    operations: {', '.join(operationen) if operationen else 'all'}; "
            f"elements: {_ranges(elemente) if elemente else 'all the authority may'}"
        )
        for zertifikat in nutzer["zertifikate"]:
            print(
                f"    certificate {zertifikat['fingerabdruck']} until "
                f"{zertifikat['gueltig_bis']}  {zertifikat['subjekt']}"
            )
    return status
