"""The ``datenspiegel`` command: one entry point, subcommands, exit codes for pipelines."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from datenspiegel import __version__
from datenspiegel.access.errors import AccessError
from datenspiegel.protocol.errors import ProtocolError
from datenspiegel.register.errors import RegisterError
from datenspiegel.service.errors import ServiceError
from datenspiegel.signing.errors import SigningError
from datenspiegel.store.errors import StoreError

__all__ = ["build_parser", "main"]


def _cmd_init(args: argparse.Namespace) -> int:
    from datenspiegel.service.bootstrap import KEY_TYPES, initialise
    from datenspiegel.service.config import environment_variable

    result = initialise(
        args.data_dir,
        persons=args.persons,
        seed=args.seed,
        listen=args.listen,
        register_url=args.register_url,
        broker_url=args.broker_url,
        progress=not args.quiet,
        key_type=KEY_TYPES[args.key_type],
    )
    print(f"initialised {result.data_dir}")
    print(f"  configuration: {result.config}")
    print(f"  demo data:     {result.demo} (endpoint, CA, broker and user certificates)")
    print(f"  register:      {result.persons} synthetic persons plus the documented test persons")
    print(f"  signing keys:  {args.key_type} (broker and demo users)")
    overridden = False
    for label, key, url in (
        ("register db", "register_url", result.register_url),
        ("broker db", "broker_url", result.broker_url),
    ):
        variable = environment_variable("stores", key)
        source = f" (from {variable})" if os.environ.get(variable) else ""
        overridden = overridden or bool(source)
        print(f"  {label + ':':<15}{_shown_url(url)}{source}")
    if overridden:
        print(
            "  the environment is not written to datenspiegel.toml: "
            "give serve the same DATENSPIEGEL_STORES_* variables"
        )
    print(f"next: datenspiegel serve --data-dir {args.data_dir}")
    return 0


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _cmd_serve(args: argparse.Namespace) -> int:
    import dataclasses

    from datenspiegel.service.app import build_front, open_stores, periodic_tasks
    from datenspiegel.service.config import CONFIG_NAME, load_config, parse_listen
    from datenspiegel.service.logs import configure_logging
    from datenspiegel.service.server import Worker, serve

    config = load_config(args.data_dir / CONFIG_NAME)
    configure_logging(config.logging.format, transactions=config.logging.transactions)
    json_logs = config.logging.format == "json"
    if args.listen:
        host, port = parse_listen(args.listen)
        config = dataclasses.replace(
            config, server=dataclasses.replace(config.server, host=host, port=port)
        )

    def make_worker() -> Worker:
        stores = open_stores(config)
        front = build_front(config, stores)
        return Worker(
            app=front,
            on_refused=front.refused,
            close=stores.close,
            on_connection_event=front.connection_event,
            on_drain=front.start_draining,
            periodic=periodic_tasks(config, front, stores),
            on_tls_context=front.watch_tls,
        )

    def announce(line: str) -> None:
        if json_logs:  # every line a JSON object, for the log collector
            logging.getLogger("datenspiegel.serve").info(line)
            return
        print(line, flush=True)
        if line.startswith("WSDL:"):
            endpoint = line.split()[1].removesuffix("?wsdl")
            example = _example_call(args.data_dir, endpoint)
            if example:
                print(f"try it (in another terminal):\n  {example}", flush=True)

    # Build one worker before binding the port: key, certificate and database faults surface
    # here as one-line errors. With several workers each builds its own after the fork.
    first = make_worker()
    if args.workers > 1:
        first.close()
    factory = make_worker if args.workers > 1 else (lambda: first)
    try:
        return serve(config, factory, workers=args.workers, threads=args.threads, announce=announce)
    except BaseException:
        first.close()
        raise


def _example_call(data_dir: Path, endpoint: str) -> str:
    """The documented unique test person, as a ready-to-run client command (demo dirs only)."""
    import json

    from datenspiegel.fixtures.testpersons import TEST_CASES
    from datenspiegel.service.bootstrap import DEMO_FILE
    from datenspiegel.xsd.codelists import Ergebnisstatus

    demo = data_dir / DEMO_FILE
    if not demo.is_file():
        return ""

    case = next(
        (c for c in TEST_CASES if c.status == Ergebnisstatus.PERSON and not c.query.phonetisch),
        None,
    )
    if case is None:
        return ""
    query = case.query
    parts = [f".venv/bin/datenspiegel client personensuche --data-dir {data_dir}"]
    if json.loads(demo.read_text(encoding="utf-8")).get("endpoint") != endpoint:
        parts.append(f"--endpoint {endpoint}")
    parts += [
        f"--ags {query.ags}",
        f"--familienname {query.familienname}",
        f"--vornamen '{' '.join(query.vornamen)}'",
    ]
    if query.geburtsdatum is not None:
        parts.append(f"--geburtsdatum {query.geburtsdatum}")
    return " ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datenspiegel",
        description="Retrieval broker of the Lower Saxony residents' register mirror.",
    )
    parser.add_argument("--version", action="version", version=f"datenspiegel {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init",
        help="create a data directory: configuration, development PKI, register, demo users",
    )
    init.add_argument("--data-dir", type=Path, required=True)
    init.add_argument("--persons", type=int, default=2000, help="synthetic persons (default 2000)")
    init.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    init.add_argument("--listen", default="127.0.0.1:8443", help="HOST:PORT for serve")
    init.add_argument("--register-url", help="SQLAlchemy URL of the register (default SQLite)")
    init.add_argument("--broker-url", help="SQLAlchemy URL of the broker state (default SQLite)")
    init.add_argument(
        "--key-type",
        choices=("ec-p256", "rsa-3072"),
        default="ec-p256",
        help="the broker's and the demo users' signing keys: ECDSA P-256 (default) or "
        "RSA-3072 (signed RSASSA-PSS-SHA256); the TLS key stays P-256",
    )
    init.add_argument("--quiet", action="store_true", help="no progress bar")
    init.set_defaults(func=_cmd_init)

    serve = commands.add_parser("serve", help="run the TLS SOAP service")
    serve.add_argument("--data-dir", type=Path, required=True)
    serve.add_argument("--listen", help="HOST:PORT, overrides the configuration (port 0: any)")
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port, one per core (default 1)",
    )
    serve.set_defaults(func=_cmd_serve)

    from datenspiegel.service.cli_anomalies import add_anomalies_commands
    from datenspiegel.service.cli_audit import add_audit_commands
    from datenspiegel.service.cli_authority import add_authority_commands
    from datenspiegel.service.cli_cases import add_cases_commands
    from datenspiegel.service.cli_client import add_client_commands
    from datenspiegel.service.cli_db import add_db_commands
    from datenspiegel.service.cli_protocol import add_protocol_commands
    from datenspiegel.service.cli_register import add_register_commands
    from datenspiegel.service.cli_user import add_user_commands
    from datenspiegel.service.cli_validate import add_validate_command

    add_client_commands(commands)
    add_authority_commands(commands)
    add_user_commands(commands)
    add_audit_commands(commands)
    add_cases_commands(commands)
    add_protocol_commands(commands)
    add_anomalies_commands(commands)
    add_register_commands(commands)
    add_db_commands(commands)
    add_validate_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except (
        ServiceError,
        SigningError,
        StoreError,
        RegisterError,
        AccessError,
        ProtocolError,
    ) as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: database not usable: {first}", file=sys.stderr)
        print(
            "check the store URLs in datenspiegel.toml (or DATENSPIEGEL_STORES_*)", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
