"""``datenspiegel protocol …``: the § 40 protocol as evidence (issue 9; protocol/log.py).

- ``verify``: every record against its tag, its leaf and every signed checkpoint; names what
  was altered, removed, inserted or reordered, and where. Exit 0 when nothing was found, 1
  when something was (the findings are listed), 2 on a usage error.
- ``checkpoint``: log the records not yet logged and sign the tree head now (the service does
  this every ``broker.checkpoint_interval`` too).
- ``checkpoints --output DIR``: write every signed checkpoint as a file for an external witness
  (the data-protection officer), who keeps them out of the operator's reach.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.merkle import parse_checkpoint, split_signed_checkpoint
from datenspiegel.signing import SigningIdentity

__all__ = ["add_protocol_commands"]

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def add_protocol_commands(subparsers: Any) -> None:
    protocol = subparsers.add_parser(
        "protocol", help="the § 40 protocol: verify its integrity, sign and export checkpoints"
    )
    commands = protocol.add_subparsers(dest="protocol_command", metavar="COMMAND", required=True)

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
        "record is in the log at --new. Exit 0: proven; 1: not; 2: usage. Needs no data "
        "directory and no network (docs/protocol-log.md).",
    )
    p.add_argument("--certificate", type=Path, required=True, help="the broker's certificate")
    p.add_argument("--new", type=Path, required=True, help="the newer signed checkpoint")
    p.add_argument("--old", type=Path, help="the older signed checkpoint")
    p.add_argument("--proof", type=Path, help="consistency proof (protocol prove)")
    p.add_argument("--inclusion", type=Path, help="inclusion proof (protocol prove-record)")
    p.set_defaults(func=_run_witness)


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

    if (args.old is None) != (args.proof is None) or (
        args.proof is None and args.inclusion is None
    ):
        print(
            "datenspiegel protocol witness: give --old with --proof, and/or --inclusion",
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
