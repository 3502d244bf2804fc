"""``datenspiegel protocol …``: the § 40 protocol as evidence (issue 9; protocol/log.py).

- ``verify``: every record against its tag, its leaf and every signed checkpoint; names what
  was altered, removed, inserted or reordered, and where. Exit 0 when nothing was found, 1
  when something was (the findings are listed), 2 on a usage error.
- ``checkpoint``: log the records not yet logged and sign the tree head now (the service does
  this every ``broker.checkpoint_interval`` too).
- ``checkpoints --output DIR``: write every signed checkpoint as a file for an external witness
  (the data-protection officer), who keeps them out of the operator's reach.

Reading the protocol is itself controlled and recorded (issue 9, point 5; § 40 BMG):

- ``search``, ``show RECORD_ID``, ``export`` and ``subject-report`` each name their reader
  (``--reader``) and purpose (``--purpose``). The reader must be configured in ``[protocol]
  readers`` with that purpose among its roles; otherwise the read is refused before anything
  is read (exit 1), logged at WARNING and recorded in the read log as a refused attempt. Every
  read goes through :class:`~datenspiegel.protocol.store.ProtocolStore`, which logs it with
  reader, purpose, query, command and system account in the read's own transaction.
- ``export`` writes ``FILE.proofs.json`` beside the export; ``witness --export FILE`` checks
  every exported record offline against the signed checkpoint in it.
- ``subject-report`` answers a data subject (Art. 15 DSGVO i. V. m. § 10 BMG) with the
  retrievals by public bodies only — never a security authority's (§ 11 Abs. 1 Nr. 3 BMG).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.merkle import parse_checkpoint, split_signed_checkpoint
from datenspiegel.protocol.reads import OPERATOR_PURPOSES, ReadPurpose, ReadRefused, authorise
from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.protocol.subject_report import LOCAL
from datenspiegel.service.cli_protocol_fetch import add_fetch_own_command
from datenspiegel.service.cli_protocol_purge import add_purge_command
from datenspiegel.service.read_refusal import refuse_read
from datenspiegel.signing import SigningIdentity

__all__ = ["add_protocol_commands"]

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
_log = logging.getLogger("datenspiegel.protocol.reads")
#: Most records one export, search or report reads (ProtocolStore's bound).
_MAX_RECORDS = 100_000
#: The purposes ``search``, ``show`` and ``export`` may be used for. Answering a data subject
#: reads only that person's retrievals by public bodies, through ``subject-report``: a reader
#: holding only ``auskunft_betroffene`` cannot browse the protocol.
_BROWSING = tuple(p for p in OPERATOR_PURPOSES if p is not ReadPurpose.AUSKUNFT_BETROFFENE)


def add_protocol_commands(subparsers: Any) -> None:
    protocol = subparsers.add_parser(
        "protocol", help="the § 40 protocol: verify its integrity, sign and export checkpoints"
    )
    commands = protocol.add_subparsers(dest="protocol_command", metavar="COMMAND", required=True)
    add_purge_command(commands)  # retention: service/cli_protocol_purge.py
    add_fetch_own_command(commands)  # § 40 Abs. 3: service/cli_protocol_fetch.py

    p = commands.add_parser(
        "verify",
        help="prove that no record was altered, removed, inserted or reordered",
        description="Checks every record's tag, its place in the Merkle log and every signed "
        "checkpoint. Exit 0: nothing found; 1: findings (listed, each with its log index); "
        "2: usage error.",
    )
    _data_dir(p)
    p.add_argument("--json", action="store_true", help="the report as one JSON document")
    p.set_defaults(func=_run_verify)

    p = commands.add_parser(
        "checkpoint",
        help="log new records and sign the tree head now",
        description="Sequences the records not yet in the log, then signs a checkpoint with "
        "the broker's key. Prints it; nothing when the log did not grow.",
    )
    _data_dir(p)
    p.set_defaults(func=_run_checkpoint)

    p = commands.add_parser(
        "checkpoints",
        help="export the signed checkpoints for an external witness",
        description="Writes checkpoint-<size>.txt per signed checkpoint into --output.",
    )
    _data_dir(p)
    p.add_argument("--output", type=Path, required=True, metavar="DIR")
    p.set_defaults(func=_run_checkpoints)

    p = commands.add_parser(
        "prove",
        help="a consistency proof from an older tree size to the newest checkpoint",
        description="Writes JSON {old_size, new_size, proof} for a witness who holds the "
        "checkpoints of both sizes (datenspiegel protocol witness --old … --new …).",
    )
    _data_dir(p)
    p.add_argument("--old-size", type=int, required=True, metavar="M")
    p.add_argument("--new-size", type=int, metavar="N", help="default: the newest checkpoint")
    p.add_argument("--output", type=Path, required=True, metavar="FILE")
    p.set_defaults(func=_run_prove)

    p = commands.add_parser(
        "prove-record",
        help="an inclusion proof of one record against the newest checkpoint",
        description="Writes JSON {record_id, log_index, leaf, tree_size, proof}.",
    )
    _data_dir(p)
    p.add_argument("record_id")
    p.add_argument("--output", type=Path, required=True, metavar="FILE")
    p.set_defaults(func=_run_prove_record)

    p = commands.add_parser(
        "witness",
        help="offline: check checkpoints and proofs with the broker's certificate only",
        description="Checks that --old and --new are checkpoints signed by the broker and, with "
        "--proof, that the log at --new extends the one at --old; with --inclusion, that a "
        "record is in the log at --new. With --export, that every record of an export "
        "(protocol export) is the record the broker logged, against the signed checkpoint in "
        "its proofs file. Exit 0: proven; 1: not; 2: usage. Needs no data directory and no "
        "network (docs/protocol-log.md).",
    )
    p.add_argument("--certificate", type=Path, required=True, help="the broker's certificate")
    p.add_argument("--new", type=Path, help="the newer signed checkpoint")
    p.add_argument("--old", type=Path, help="the older signed checkpoint")
    p.add_argument("--proof", type=Path, help="consistency proof (protocol prove)")
    p.add_argument("--inclusion", type=Path, help="inclusion proof (protocol prove-record)")
    p.add_argument("--export", type=Path, metavar="FILE", help="an export (protocol export)")
    p.add_argument(
        "--proofs", type=Path, metavar="FILE", help="its proofs (default: FILE.proofs.json)"
    )
    p.set_defaults(func=_run_witness)

    _add_read_commands(commands)


def _data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=Path("var"), help="the service's data directory"
    )


def _opened(data_dir: Path) -> tuple[Any, ProtocolLog, SigningIdentity]:
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config

    config = load_config(data_dir / CONFIG_NAME)
    stores = open_stores(config)
    identity = SigningIdentity.from_pem_files(config.signing.key, config.signing.certificate)
    log = ProtocolLog(stores.protocol.engine, record_key=stores.protocol.record_key)
    return stores, log, identity


def _run_verify(args: argparse.Namespace) -> int:
    stores, log, identity = _opened(args.data_dir)
    try:
        log.sequence_all()
        report = log.verify(identity.certificate.public_key())
    finally:
        stores.close()
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK if report.ok else EXIT_FOUND
    print(
        f"{report.records} records, {report.logged} in the log ({report.size} leaves), "
        f"{report.pending} not yet logged, {report.checkpoints} signed checkpoints"
    )
    for finding in report.findings:
        print(f"  {finding.kind.upper():10} {finding.message}")
    print("the protocol is intact" if report.ok else f"{len(report.findings)} finding(s)")
    return EXIT_OK if report.ok else EXIT_FOUND


def _run_checkpoint(args: argparse.Namespace) -> int:
    stores, log, identity = _opened(args.data_dir)
    try:
        note = log.checkpoint(identity.private_key)
    finally:
        stores.close()
    if note is None:
        print("no new records since the last checkpoint")
    else:
        sys.stdout.write(note.decode("utf-8"))
    return EXIT_OK


def _run_checkpoints(args: argparse.Namespace) -> int:
    stores, log, _identity = _opened(args.data_dir)
    try:
        notes = log.checkpoint_notes()
    finally:
        stores.close()
    args.output.mkdir(parents=True, exist_ok=True)
    for note in notes:
        body, _signatures = split_signed_checkpoint(note)
        size = parse_checkpoint(body).size
        (args.output / f"checkpoint-{size:012d}.txt").write_bytes(note)
    print(f"{len(notes)} signed checkpoints written to {args.output}")
    return EXIT_OK


def _newest_size(log: ProtocolLog) -> int:
    notes = log.checkpoint_notes()
    if not notes:
        raise SystemExit(
            "datenspiegel protocol: no checkpoint yet (datenspiegel protocol checkpoint)"
        )
    return parse_checkpoint(split_signed_checkpoint(notes[-1])[0]).size


def _run_prove(args: argparse.Namespace) -> int:
    stores, log, _identity = _opened(args.data_dir)
    try:
        new_size = args.new_size or _newest_size(log)
        proof = log.consistency(args.old_size, new_size)
    finally:
        stores.close()
    document = {"old_size": args.old_size, "new_size": new_size, "proof": [h.hex() for h in proof]}
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"consistency proof {args.old_size} → {new_size} ({len(proof)} hashes): {args.output}")
    return EXIT_OK


def _run_prove_record(args: argparse.Namespace) -> int:
    stores, log, _identity = _opened(args.data_dir)
    try:
        size = _newest_size(log)
        index, data, proof = log.inclusion(args.record_id, size)
    finally:
        stores.close()
    document = {
        "record_id": args.record_id,
        "log_index": index,
        "leaf_data": data.decode("utf-8"),
        "tree_size": size,
        "proof": [h.hex() for h in proof],
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"record {args.record_id} at log index {index} of {size}: {args.output}")
    return EXIT_OK


def _run_witness(args: argparse.Namespace) -> int:
    from datenspiegel.protocol.merkle import MerkleError, leaf_hash
    from datenspiegel.protocol.witness import (
        verified_checkpoint,
        verify_consistency_between,
        verify_record_inclusion,
    )
    from datenspiegel.signing import load_pem_certificates

    if args.export is not None:
        if any(v is not None for v in (args.new, args.old, args.proof, args.inclusion)):
            print(
                "datenspiegel protocol witness: --export is checked against the checkpoint in "
                "its proofs file; check that checkpoint against yours separately (--old, "
                "--new, --proof)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return _witness_export(args)
    if args.proofs is not None:
        print("datenspiegel protocol witness: --proofs goes with --export", file=sys.stderr)
        return EXIT_USAGE
    if (
        args.new is None
        or (args.old is None) != (args.proof is None)
        or (args.proof is None and args.inclusion is None)
    ):
        print(
            "datenspiegel protocol witness: give --new, with --old and --proof and/or "
            "--inclusion; or --export",
            file=sys.stderr,
        )
        return EXIT_USAGE
    public_key = load_pem_certificates(args.certificate)[0].public_key()
    try:
        new = verified_checkpoint(args.new.read_bytes(), public_key)
        if args.old is not None:
            old = verified_checkpoint(args.old.read_bytes(), public_key)
            document = json.loads(args.proof.read_text(encoding="utf-8"))
            if (document["old_size"], document["new_size"]) != (old.size, new.size):
                print("the proof is for other tree sizes than the checkpoints")
                return EXIT_FOUND
            proof = [bytes.fromhex(h) for h in document["proof"]]
            if not verify_consistency_between(old, new, proof):
                print(
                    f"NOT CONSISTENT: the log at {new.size} does not extend the one at {old.size}"
                )
                return EXIT_FOUND
            print(f"consistent: the log at {new.size} extends the one at {old.size}")
        if args.inclusion is not None:
            document = json.loads(args.inclusion.read_text(encoding="utf-8"))
            if document["tree_size"] != new.size:
                print("the inclusion proof is for another tree size than --new")
                return EXIT_FOUND
            proof = [bytes.fromhex(h) for h in document["proof"]]
            leaf = leaf_hash(document["leaf_data"].encode("utf-8"))
            if not verify_record_inclusion(new, leaf, int(document["log_index"]), proof):
                print(f"NOT INCLUDED: record {document['record_id']}")
                return EXIT_FOUND
            print(f"included: record {document['record_id']} at log index {document['log_index']}")
    except (MerkleError, OSError, ValueError, KeyError) as exc:
        print(f"not proven: {exc}")
        return EXIT_FOUND
    return EXIT_OK


# -- reading the protocol: controlled and recorded (issue 9, point 5; § 40 BMG) ------------


def _day_or_moment(text: str, *, end: bool) -> datetime:
    """``YYYY-MM-DD`` (German local time; as ``--until``: the whole day, up to the next
    midnight) or an ISO 8601 date and time (without offset: German local time)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        start = datetime.combine(day + timedelta(days=1) if end else day, time(), LOCAL)
        return start.astimezone(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(UTC)


def _since(text: str) -> datetime:
    return _day_or_moment(text, end=False)


def _until(text: str) -> datetime:
    return _day_or_moment(text, end=True)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= _MAX_RECORDS:
        raise argparse.ArgumentTypeError(f"a number 1–{_MAX_RECORDS}, not {text!r}")
    return value


def _reading(parser: argparse.ArgumentParser, *, only: ReadPurpose | None = None) -> None:
    _data_dir(parser)
    parser.add_argument(
        "--reader",
        required=True,
        metavar="NAME",
        help="who reads: a reader of [protocol] readers in the configuration",
    )
    choices = [only.value] if only else [p.value for p in _BROWSING]
    parser.add_argument(
        "--purpose",
        required=only is None,
        default=only.value if only else None,
        choices=choices,
        help="why (§ 40 BMG); must be one of the reader's roles"
        + (f" (only {only.value})" if only else ""),
    )


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        type=_since,
        metavar="WHEN",
        help="from this day or moment on (YYYY-MM-DD or ISO date and time; German local time "
        "unless an offset is given)",
    )
    parser.add_argument(
        "--until",
        type=_until,
        metavar="WHEN",
        help="up to this day (inclusive) or before this moment",
    )


def _add_read_commands(commands: Any) -> None:
    p = commands.add_parser(
        "search",
        help="list records by authority, period, service, outcome (no personal content)",
        description="One line per record: time received (UTC), record id, service, outcome "
        "and codes, authority, user, number of hits. The read is logged with reader and "
        "purpose. Exit 0; 1: refused.",
    )
    _reading(p)
    p.add_argument("--authority", metavar="KENNUNG", help="the authority's Kennung")
    _period(p)
    p.add_argument("--service", help="e.g. personensuche, freieSuche, faelleAbrufen")
    p.add_argument("--outcome", choices=[o.value for o in Outcome])
    p.add_argument("--limit", type=_limit, default=100, help="most records listed (default 100)")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(func=_run_search)

    p = commands.add_parser(
        "show",
        help="one record in full",
        description="The whole record, human readable or --json (datenspiegel.protocol.record "
        "format). The read is logged. Exit 0; 1: no such record, or refused.",
    )
    _reading(p)
    p.add_argument("record_id")
    p.add_argument("--json", action="store_true", help="the record's JSON form")
    p.set_defaults(func=_run_show)

    p = commands.add_parser(
        "export",
        help="export records with the proofs to check them offline",
        description="Writes the records of an authority and a period as JSON Lines or CSV to "
        "--output, and FILE.proofs.json: the newest signed checkpoint and each record's log "
        "index, leaf data and inclusion proof (datenspiegel protocol witness --export FILE). "
        "Records not yet in a signed checkpoint are listed as not yet provable. Exit 0; 1: "
        "refused, or the limit cut the export short.",
    )
    _reading(p)
    p.add_argument("--authority", metavar="KENNUNG", help="the authority's Kennung")
    _period(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--output", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--limit", type=_limit, default=_MAX_RECORDS, help=f"most records (default {_MAX_RECORDS})"
    )
    p.add_argument(
        "--checkpoint",
        action="store_true",
        help="sign a checkpoint first, so that every record logged so far is provable",
    )
    p.set_defaults(func=_run_export)

    p = commands.add_parser(
        "subject-report",
        help="answer a data subject: retrievals of their data by public bodies",
        description="Auskunft nach Art. 15 DSGVO i. V. m. § 10 BMG: every retrieval by a public "
        "body whose hits name the data subject, with time, authority, Anlass, Aktenzeichen "
        "and the data transmitted — never a security authority's retrieval (§ 11 Abs. 1 Nr. 3 "
        "BMG). A letter (German, plain text) or --json. Needs the role auskunft_betroffene.",
    )
    _reading(p, only=ReadPurpose.AUSKUNFT_BETROFFENE)
    p.add_argument(
        "--person-id",
        type=int,
        action="append",
        required=True,
        dest="person_ids",
        metavar="ID",
        help="the data subject's register person id (repeat for several)",
    )
    p.add_argument("--name", help="the data subject's name for the letter's address block")
    _period(p)
    p.add_argument("--output", type=Path, metavar="FILE", help="default: standard output")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.set_defaults(func=_run_subject_report)

    _add_reads_command(commands)


def _add_reads_command(commands: Any) -> None:
    p = commands.add_parser(
        "reads",
        help="the log of reads of the protocol: who read which records, when and why",
        description="Every read of the protocol is logged with its reader, purpose, query and "
        "the records it returned (§ 40 BMG); this lists that log for the data-protection "
        "control, newest first — refused attempts marked. Looking is itself logged. Needs the "
        "role datenschutzkontrolle. Exit 0; 1: refused.",
    )
    _reading(p, only=ReadPurpose.DATENSCHUTZKONTROLLE)
    _period(p)
    p.add_argument("--by", metavar="NAME", help="only this reader's reads")
    p.add_argument("--limit", type=_limit, default=100, help="most entries listed (default 100)")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(func=_run_reads)


def _run_reads(args: argparse.Namespace) -> int:
    def read(stores: Any, reader: str, purpose: ReadPurpose, context: dict[str, Any]) -> int:
        logged = stores.protocol.read_log(
            reader=reader,
            purpose=purpose,
            since=args.since,
            until=args.until,
            by=args.by,
            limit=args.limit,
            context=context,
        )
        if args.json:
            json.dump(
                [
                    {
                        "id": r.id,
                        "accessed_at": r.accessed_at.isoformat(),
                        "reader": r.reader,
                        "purpose": r.purpose.value,
                        "refused": r.refused,
                        "query": dict(r.query),
                        "record_ids": list(r.record_ids),
                    }
                    for r in logged
                ],
                sys.stdout,
                ensure_ascii=False,
                indent=2,
            )
            print()
            return EXIT_OK
        for r in logged:
            when = r.accessed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            what = "REFUSED" if r.refused else f"{len(r.record_ids)} record(s)"
            command = (r.query.get("context") or {}).get("command") or ""
            print(f"{when}  {r.reader:<24} {r.purpose.value:<20} {what:<12} {command}")
        print(f"{len(logged)} read(s)")
        return EXIT_OK

    asked = {
        "since": args.since.isoformat() if args.since else None,
        "until": args.until.isoformat() if args.until else None,
        "by": args.by,
        "limit": args.limit,
    }
    return _read_as(args, "reads", asked, read)


def _system_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: the read is still logged
        return None


def _asked(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The query of a command as the read log keeps it (times as ISO text)."""
    asked: dict[str, Any] = {}
    for name in names:
        value = getattr(args, name, None)
        if value is not None:
            asked[name] = value.isoformat() if isinstance(value, datetime) else value
    return asked


def _read_as(
    args: argparse.Namespace,
    command: str,
    asked: dict[str, Any],
    read: Callable[[Any, str, ReadPurpose, dict[str, Any]], int],
) -> int:
    """Run ``read(stores, reader, purpose, context)`` if the configured reader may read for
    the purpose; otherwise refuse before anything is read, log the attempt, exit 1."""
    from datenspiegel.service.app import open_stores
    from datenspiegel.service.config import CONFIG_NAME, load_config

    config = load_config(args.data_dir / CONFIG_NAME)
    purpose = ReadPurpose(args.purpose)
    context = {"command": f"datenspiegel protocol {command}", "system_user": _system_user()}
    try:
        reader = authorise(config.protocol.readers, args.reader, purpose)
    except ReadRefused as exc:
        refuse_read(
            exc, reader=args.reader, purpose=purpose, query=asked, context=context, config=config
        )
        return EXIT_FOUND
    stores = open_stores(config)
    try:
        return read(stores, reader.name, purpose, context)
    finally:
        stores.close()


def _summary(record: ProtocolRecord) -> dict[str, Any]:
    return {
        "received_at": record.received_at.isoformat(),
        "record_id": record.record_id,
        "service": record.service,
        "outcome": record.outcome.value,
        "outcome_codes": list(record.outcome_codes),
        "authority_kennung": record.authority_kennung,
        "user_kennung": record.user_kennung,
        "hit_count": record.hit_count,
        "sicherheitsbehoerde": record.sicherheitsbehoerde,
        "content_recorded": record.content_recorded,
    }


def _line(record: ProtocolRecord) -> str:
    when = record.received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    outcome = f"{record.outcome.value} {','.join(record.outcome_codes)}"
    hits = f"hits {record.hit_count}" if record.content_recorded else "hits n/a"
    mark = "  SB" if record.sicherheitsbehoerde else ""
    return (
        f"{when}  {record.record_id}  {record.service:<16} {outcome:<14} "
        f"{record.authority_kennung or '-':<22} {record.user_kennung or '-':<16} {hits}{mark}"
    )


def _limit_reached(found: int, limit: int) -> bool:
    if found < limit:
        return False
    print(
        f"limit {limit} reached: more records may match; narrow the period or raise --limit",
        file=sys.stderr,
    )
    return True


def _run_search(args: argparse.Namespace) -> int:
    asked = _asked(args, "authority", "since", "until", "service", "outcome", "limit")

    def read(stores: Any, reader: str, purpose: ReadPurpose, context: dict[str, Any]) -> int:
        found = stores.protocol.records(
            reader=reader,
            purpose=purpose,
            since=args.since,
            until=args.until,
            authority_kennung=args.authority,
            service=args.service,
            outcome=Outcome(args.outcome) if args.outcome else None,
            limit=args.limit,
            context=context,
        )
        if args.json:
            json.dump([_summary(r) for r in found], sys.stdout, ensure_ascii=False, indent=2)
            print()
        else:
            for record in found:
                print(_line(record))
            print(f"{len(found)} record(s)")
        _limit_reached(len(found), args.limit)
        return EXIT_OK

    return _read_as(args, "search", asked, read)


def _run_show(args: argparse.Namespace) -> int:
    from datenspiegel.protocol.json_form import record_to_json

    def read(stores: Any, reader: str, purpose: ReadPurpose, context: dict[str, Any]) -> int:
        record = stores.protocol.get(
            args.record_id, reader=reader, purpose=purpose, context=context
        )
        if record is None:
            print(f"no record {args.record_id} in the protocol", file=sys.stderr)
            return EXIT_FOUND
        if args.json:
            json.dump(record_to_json(record), sys.stdout, ensure_ascii=False, indent=2)
            print()
        else:
            sys.stdout.write(_shown(record))
        return EXIT_OK

    return _read_as(args, "show", {"record_id": args.record_id}, read)


def _shown(record: ProtocolRecord) -> str:
    def codes(values: Any) -> str:
        return ", ".join(map(str, values)) or "none"

    rows: list[tuple[str, str]] = [
        ("record", record.record_id),
        ("received", record.received_at.isoformat()),
        ("answered", record.answered_at.isoformat()),
        ("service", record.service),
        ("outcome", f"{record.outcome.value} {', '.join(record.outcome_codes)}"),
        (
            "authority",
            " ".join(
                part
                for part in (
                    record.authority_kennung or "-",
                    record.authority_name or "",
                    f"(id {record.authority_id})" if record.authority_id is not None else "",
                )
                if part
            ),
        ),
        (
            "answered as",
            "security authority (§ 34 Abs. 4 BMG)" if record.sicherheitsbehoerde else "public body",
        ),
        (
            "user",
            f"{record.user_kennung or '-'}"
            + (f" (id {record.user_id})" if record.user_id is not None else ""),
        ),
        ("certificate", record.certificate_fingerprint or "-"),
        ("client", record.client_address or "-"),
        ("request", f"{record.request_message_id or '-'}  sha256 {record.request_digest}"),
        ("answer", f"{record.answer_message_id or '-'}  sha256 {record.answer_digest or '-'}"),
    ]
    if not record.content_recorded:
        rows.append(
            (
                "content",
                "not recorded: a security authority that logs its own retrievals (§ 40 Abs. 3 "
                "BMG); only the technical metadata above is kept",
            )
        )
    else:
        if record.sicherheitsbehoerde:
            rows.append(
                (
                    "content",
                    "recorded on behalf of the security authority (§ 40 Abs. 3 BMG, "
                    "commissioned processing)",
                )
            )
        rows += [
            ("aktenzeichen", record.aktenzeichen or "-"),
            ("anlass", record.anlass or "-"),
            (
                "requesting body",
                "; ".join(f"{k}: {v}" for k, v in record.requesting_body.items()) or "-",
            ),
            (
                "search data",
                json.dumps(dict(record.search_data), ensure_ascii=False, sort_keys=True)
                if record.search_data
                else "-",
            ),
            ("requested", codes(record.requested_elements)),
            ("hits", f"{record.hit_count}: {codes(record.hits)}"),
        ]
        rows += [
            ("disclosed", f"person {person}: {codes(elements)}")
            for person, elements in record.disclosed.items()
        ] or [("disclosed", "nobody")]
        rows.append(("withheld", codes(record.withheld)))
    if record.detail:
        rows.append(("detail", record.detail))
    return "".join(f"{label:<18}{value}\n" for label, value in rows)


def _run_export(args: argparse.Namespace) -> int:
    from datenspiegel.protocol.export import (
        RecordProof,
        proofs_document,
        proofs_path,
        write_export,
    )
    from datenspiegel.protocol.merkle import ProofError

    asked = _asked(args, "authority", "since", "until", "format", "limit")

    def read(stores: Any, reader: str, purpose: ReadPurpose, context: dict[str, Any]) -> int:
        from datenspiegel.service.config import CONFIG_NAME, load_config

        log = ProtocolLog(stores.protocol.engine, record_key=stores.protocol.record_key)
        if args.checkpoint:
            config = load_config(args.data_dir / CONFIG_NAME)
            identity = SigningIdentity.from_pem_files(
                config.signing.key, config.signing.certificate
            )
            log.checkpoint(identity.private_key)
        found = stores.protocol.records(
            reader=reader,
            purpose=purpose,
            since=args.since,
            until=args.until,
            authority_kennung=args.authority,
            limit=args.limit,
            context=context,
        )
        log.sequence_all()  # every record read has its log index (not yet: its checkpoint)
        notes = log.checkpoint_notes()
        note = notes[-1] if notes else None
        size = parse_checkpoint(split_signed_checkpoint(note)[0]).size if note else None
        proofs: list[RecordProof] = []
        pending: list[str] = []
        for record in found:
            if size is None:
                pending.append(record.record_id)
                continue
            try:
                index, data, path = log.inclusion(record.record_id, size)
            except ProofError:  # logged after the newest checkpoint
                pending.append(record.record_id)
                continue
            proofs.append(RecordProof(record.record_id, index, data, path))
        data = write_export(found, args.output, args.format)
        document = proofs_document(
            export=args.output,
            form=args.format,
            data=data,
            records=len(found),
            query=asked,
            checkpoint=note,
            tree_size=size,
            proofs=proofs,
            not_yet_provable=pending,
        )
        sidecar = proofs_path(args.output)
        sidecar.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"{len(found)} record(s) written to {args.output} ({args.format})")
        print(
            f"proofs: {sidecar} — {len(proofs)} provable against the checkpoint at size "
            f"{size}, {len(pending)} not yet provable"
            if size is not None
            else f"proofs: {sidecar} — no signed checkpoint yet: {len(pending)} not yet provable "
            "(datenspiegel protocol checkpoint, or export --checkpoint)"
        )
        return EXIT_FOUND if _limit_reached(len(found), args.limit) else EXIT_OK

    return _read_as(args, "export", asked, read)


def _run_subject_report(args: argparse.Namespace) -> int:
    from datenspiegel.protocol.subject_report import render_letter, report_json, subject_report

    asked = _asked(args, "person_ids", "since", "until")

    def read(stores: Any, reader: str, purpose: ReadPurpose, context: dict[str, Any]) -> int:
        from datenspiegel.service.config import CONFIG_NAME, load_config

        broker = load_config(args.data_dir / CONFIG_NAME).broker.name
        found = stores.protocol.records(
            reader=reader,
            purpose=purpose,
            since=args.since,
            until=args.until,
            person_ids=args.person_ids,
            sicherheitsbehoerde=False,  # § 11 Abs. 1 Nr. 3 BMG: never read for the report
            limit=_MAX_RECORDS,
            context=context,
        )
        if len(found) >= _MAX_RECORDS:
            print(
                f"more than {_MAX_RECORDS - 1} retrievals: give a shorter period", file=sys.stderr
            )
            return EXIT_FOUND
        report = subject_report(
            found,
            args.person_ids,
            created_at=datetime.now(UTC),
            broker=broker,
            name=args.name,
            since=args.since,
            until=args.until,
        )
        text = (
            json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
            if args.json
            else render_letter(report)
        )
        if args.output is None:
            sys.stdout.write(text)
        else:
            args.output.write_text(text, encoding="utf-8")
            print(
                f"report on {len(report.retrievals)} retrieval(s) by public bodies written to "
                f"{args.output}"
            )
        return EXIT_OK

    return _read_as(args, "subject-report", asked, read)


def _witness_export(args: argparse.Namespace) -> int:
    from datenspiegel.protocol.errors import InvalidRecord
    from datenspiegel.protocol.export import check_export, proofs_path
    from datenspiegel.protocol.merkle import MerkleError
    from datenspiegel.signing import load_pem_certificates

    public_key = load_pem_certificates(args.certificate)[0].public_key()
    proofs = args.proofs or proofs_path(args.export)
    try:
        result = check_export(args.export, proofs, public_key)
    except (MerkleError, InvalidRecord, OSError, ValueError, KeyError, TypeError) as exc:
        print(f"not proven: {exc}")
        return EXIT_FOUND
    if result.tree_size is not None:
        print(f"checkpoint at size {result.tree_size}, signed by the broker")
    for record_id, index in result.proven:
        print(f"  proven            {record_id} at log index {index}")
    for record_id in result.not_yet_provable:
        print(f"  not yet provable  {record_id} (not yet in a signed checkpoint)")
    for failure in result.failures:
        print(f"  FAILED            {failure}")
    print(
        f"{len(result.proven)} proven, {len(result.not_yet_provable)} not yet provable, "
        f"{len(result.failures)} failed"
    )
    return EXIT_OK if result.ok else EXIT_FOUND
