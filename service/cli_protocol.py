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
