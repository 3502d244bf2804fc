"""``datenspiegel protocol fetch-own``: a security authority fetches and opens its own records.

§ 40 Abs. 3 BMG: a security authority logs its own retrievals; one that commissioned the
operator to do it on its behalf ("Protokollierung erforderlich") has them kept sealed to its
public key (protocol/sealed.py) and fetches them through the signed ``protokollAbrufen``
operation (9200 → 9201). This command is the authority's side: it signs the request with the
key of a user holding the role ``protokolleinsicht``, verifies the broker's signed answer,
follows the pages, opens every envelope with the authority's **private protocol key** (which
never leaves the authority), checks that each envelope holds the record it is listed as and
that the kept answer carries the broker's valid signature, and writes one JSON line per record:
the full § 40 record, the signed request as sent and the signed answer as received.

Exit 0: every record fetched and opened; 1: an envelope that does not open or verify, or a
transport/verification error (what was written so far stays); 2: usage; 4: the broker
refused (0910, e.g. T070: the user lacks the role, or nothing is kept on the authority's
behalf).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import IO, Any

__all__ = ["add_fetch_own_command"]

EXIT_DONE, EXIT_ERROR, EXIT_USAGE, EXIT_RETURNED = 0, 1, 2, 4


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)"
        ) from None
    if value.tzinfo is None:
        from datenspiegel.register.stichtag import ZEITZONE

        value = value.replace(tzinfo=ZEITZONE)  # a date means that day in Lower Saxony
    return value


def add_fetch_own_command(commands: Any) -> None:
    p = commands.add_parser(
        "fetch-own",
        help="(security authority) fetch and open the own records kept sealed on its behalf",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var"),
        help="initialised data dir: endpoint, CA, broker certificate and the demo user's keys",
    )
    p.add_argument(
        "--user", default="polizei", help="demo user whose keys to use (default polizei)"
    )
    p.add_argument("--key", type=Path, help="the user's signing key (PEM)")
    p.add_argument("--certificate", type=Path, help="the user's certificate (PEM), as registered")
    p.add_argument(
        "--protocol-key",
        type=Path,
        help="the authority's private protocol key (PEM) the records are sealed to",
    )
    p.add_argument("--endpoint", help="the retrieval service's URL (…/datenabruf)")
    p.add_argument("--ca-file", type=Path, help="CA of the broker's TLS and signing certificates")
    p.add_argument("--broker-certificate", type=Path, help="the broker's signing certificate")
    p.add_argument("--broker-kennung", help="the broker's Kennung, the messages' leser")
    p.add_argument("--von", type=_moment, help="records received from (date or time)")
    p.add_argument("--bis", type=_moment, help="records received before (date or time)")
    p.add_argument(
        "--output", type=Path, required=True, help="JSON Lines file to write ('-': stdout)"
    )
    p.add_argument("--autor-kennung", help="your authority's Kennung (needs --stelle)")
    p.add_argument("--autor-name", help="your authority's name (default: the body's)")
    p.add_argument(
        "--stelle",
        type=Path,
        metavar="JSON",
        help="the requesting body (BMeldDAV § 11) as in 'client nutzer-…' (default: the demo "
        "user's)",
    )
    p.add_argument("--aktenzeichen", default="Protokollabruf", help="file number of the fetch")
    p.add_argument("--anlass", default="Eigene Protokolldaten (§ 40 Abs. 3 BMG)", help="occasion")
    p.set_defaults(func=_run_fetch_own)


def _run_fetch_own(args: argparse.Namespace) -> int:
    from jwcrypto import jwk

    from datenspiegel.service.bootstrap import DEMO_FILE
    from datenspiegel.service.cli_access import UsageError
    from datenspiegel.service.cli_client import stelle_from_json
    from datenspiegel.service.client import ClientError, DatenabrufClient
    from datenspiegel.service.demo import DEMO_USERS
    from datenspiegel.signing import SigningError
    from datenspiegel.transformers import Behoerde

    demo_path = args.data_dir / DEMO_FILE
    demo = json.loads(demo_path.read_text(encoding="utf-8")) if demo_path.exists() else {}
    user = demo.get("users", {}).get(args.user, {})

    def given(value: Any, option: str, source: dict[str, Any], key: str) -> str:
        if value is None and key not in source:
            raise ValueError(f"give {option} (or the --data-dir of an initialised demo)")
        return str(value if value is not None else source[key])

    try:
        key_pem = Path(given(args.protocol_key, "--protocol-key", user, "protocol_key"))
        protocol_key = jwk.JWK.from_pem(key_pem.read_bytes())
        client = DatenabrufClient(
            endpoint=given(args.endpoint, "--endpoint", demo, "endpoint"),
            ca_file=Path(given(args.ca_file, "--ca-file", demo, "ca_file")),
            broker_certificate=Path(
                given(args.broker_certificate, "--broker-certificate", demo, "broker_certificate")
            ),
            user_key=Path(given(args.key, "--key", user, "key")),
            user_certificate=Path(given(args.certificate, "--certificate", user, "certificate")),
        )
        if args.stelle is not None:
            if not args.autor_kennung:
                raise ValueError("--stelle needs --autor-kennung (your authority's Kennung)")
            stelle = stelle_from_json(args.stelle)
            autor = Behoerde(
                kennung=args.autor_kennung, name=args.autor_name or stelle.behoerdenname
            )
        else:
            profile = next((u for u in DEMO_USERS if u.key == args.user), None)
            if profile is None:
                raise ValueError(f"--user {args.user}: no such demo user; give --stelle")
            stelle = profile.stelle
            autor = Behoerde(kennung=profile.authority_kennung, name=profile.authority_name)
        stelle = dataclasses.replace(stelle, aktenzeichen=args.aktenzeichen, anlass=args.anlass)
    except (ValueError, OSError, SigningError, TypeError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    out: IO[str] = (
        sys.stdout if str(args.output) == "-" else args.output.open("w", encoding="utf-8")
    )
    try:
        return _fetch(client, out, protocol_key, args, autor=autor, stelle=stelle)
    except ClientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if out is not sys.stdout:
            out.close()


def _fetch(
    client: Any, out: IO[str], protocol_key: Any, args: argparse.Namespace, **who: Any
) -> int:
    from datenspiegel.protocol.json_form import record_to_json
    from datenspiegel.protocol.sealed import SealingError, open_envelope
    from datenspiegel.service.cli_client import _broker_of
    from datenspiegel.service.client import ClientError
    from datenspiegel.transformers.protokoll import read_protokollantwort

    leser = _broker_of(args)
    nach: int | None = None
    written = failed = 0
    total = 0
    while True:
        reply = client.protokollabruf(
            leser=leser, von=args.von, bis=args.bis, fortsetzung_nach=nach, **who
        )
        if reply.fault:
            code = reply.codes[0] if reply.codes else "?"
            print(
                f"refused: {code} {reply.text('fehlerbeschreibung') or ''}".rstrip(),
                file=sys.stderr,
            )
            return EXIT_RETURNED
        antwort = read_protokollantwort(reply.root)
        total = antwort.anzahl_im_zeitraum
        for eintrag in antwort.eintraege:
            try:
                content = open_envelope(eintrag.umschlag, protocol_key)
                if content.record.record_id != eintrag.protokoll_id:
                    raise SealingError(
                        f"entry {eintrag.nummer} is listed as record {eintrag.protokoll_id} "
                        f"but holds record {content.record.record_id}"
                    )
                client.verify_document(content.answer)
            except (SealingError, ClientError) as exc:
                failed += 1
                print(f"entry {eintrag.nummer} ({eintrag.protokoll_id}): {exc}", file=sys.stderr)
                continue
            line = {
                "eintrag": eintrag.nummer,
                "schluessel": eintrag.schluessel,
                "record": record_to_json(content.record),
                "answer": content.answer.decode("utf-8", errors="replace"),
                "request": content.request.decode("utf-8", errors="replace")
                if content.request is not None
                else None,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            written += 1
        if antwort.fortsetzung_nach is None:
            break
        nach = antwort.fortsetzung_nach
    print(
        f"{written} record(s) opened of {total} kept in the period"
        + (f"; {failed} could not be opened or verified" if failed else ""),
        file=sys.stderr,
    )
    return EXIT_ERROR if failed else EXIT_DONE
