"""``datenspiegel register …``: generate, import and inspect the register mirror.

The main CLI adds these subcommands with :func:`add_register_commands` and dispatches to the
``func`` each subparser sets (``args.func(args) -> int``). Exit codes: 0 ok, 1 failure (with
a message saying what to do), 2 usage (argparse's own, or a missing database choice).

The register database is ``--register-url URL`` or, for ``--data-dir DIR``, the one ``serve``
would use there: ``DIR/datenspiegel.toml`` with its ``DATENSPIEGEL_*`` environment overrides; in
a directory without configuration, ``DATENSPIEGEL_STORES_REGISTER_URL`` or
``sqlite:///DIR/register.sqlite``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO, TypeVar

from tqdm import tqdm

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.municipalities import strassenverzeichnis
from datenspiegel.fixtures.testpersons import TEST_PERSONS
from datenspiegel.register.delivery import read_delivery
from datenspiegel.register.delivery_apply import DeliveryReport
from datenspiegel.register.errors import RegisterError
from datenspiegel.register.jsonl import read_jsonl, write_jsonl
from datenspiegel.register.model import Person
from datenspiegel.register.reports import FullLoadReport
from datenspiegel.register.store import RegisterStore
from datenspiegel.register.strassen import read_strassen
from datenspiegel.service.config import load_stores
from datenspiegel.store import REGISTER, SchemaVersionError, ensure_current

__all__ = [
    "add_register_commands",
    "register_url",
    "run_apply_delivery",
    "run_export_sample",
    "run_generate",
    "run_import",
    "run_stats",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


_Report = TypeVar("_Report")


class _UsageError(Exception):
    """A usage mistake argparse cannot see (exit code 2)."""


def register_url(args: argparse.Namespace) -> str:
    """The register database URL chosen by ``--register-url`` or ``--data-dir``."""
    url = getattr(args, "register_url", None)
    if url:
        return str(url)
    data_dir = getattr(args, "data_dir", None)
    if data_dir:
        # The service's own choice (file and DATENSPIEGEL_STORES_REGISTER_URL): an import
        # must land in the register the service reads, never in a stray SQLite file.
        return load_stores(Path(data_dir)).register_url
    raise _UsageError(
        "say which register database to use: --register-url URL "
        "(e.g. postgresql+psycopg://user@host/db) or --data-dir DIR (the register "
        "DIR/datenspiegel.toml names, else DIR/register.sqlite)"
    )


def _add_database_options(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: an option of the same name on the main parser must not be overwritten by
    # this subparser's default.
    parser.add_argument(
        "--register-url",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="SQLAlchemy URL of the register database (SQLite or PostgreSQL)",
    )
    parser.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="data directory: the register its datenspiegel.toml names (else DIR/register.sqlite)",
    )


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def add_register_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    parents: Sequence[argparse.ArgumentParser] = (),
) -> None:
    """Add ``register generate|import|apply-delivery|import-strassen|stats|export-sample`` to
    the main CLI's subparsers."""
    register = subparsers.add_parser(
        "register",
        help="generate, import and inspect the register mirror",
        description="Generate, import and inspect the residents' register mirror.",
        parents=list(parents),
    )
    commands = register.add_subparsers(dest="register_command", metavar="COMMAND")
    commands.required = True

    generate = commands.add_parser(
        "generate",
        help="fill the register with the test persons and N synthetic persons",
        description=(
            "Write the fixed test persons (docs/testpersonen.md) and N random persons "
            "(deterministic by --seed) into the register database."
        ),
        parents=list(parents),
    )
    _add_database_options(generate)
    generate.add_argument(
        "--persons",
        type=_non_negative,
        default=2000,
        metavar="N",
        help="random persons besides the test persons (default 2000)",
    )
    generate.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="generator seed; the same seed gives the same register (default 1)",
    )
    generate.add_argument("--no-progress", action="store_true", help="no progress bar")
    generate.set_defaults(func=run_generate)

    importer = commands.add_parser(
        "import",
        help="import persons from a JSON Lines file (docs/register.md)",
        description=(
            "Import a delivery: one person record per line (JSON Lines, see docs/register.md). "
            "Records with an id already held replace the old record."
        ),
        parents=list(parents),
    )
    importer.add_argument("file", metavar="FILE", help="JSON Lines file, or - for stdin")
    _add_database_options(importer)
    importer.add_argument("--kind", default="bestand", help="message kind for the import log")
    importer.add_argument("--source", default=None, help="source name (default: the file name)")
    importer.add_argument("--no-progress", action="store_true", help="no progress bar")
    importer.add_argument(
        "--full",
        action="store_true",
        help="full reload: FILE is the complete stock (every record with its id); it replaces "
        "the whole register at bulk speed, swapped in at the end while the service keeps "
        "answering from the previous register (docs/register.md)",
    )
    importer.add_argument(
        "--workers",
        type=_non_negative,
        default=None,
        metavar="N",
        help="with --full: processes that decode and key the records (default: one per core; "
        "0: none besides this one)",
    )
    importer.set_defaults(func=run_import)

    delivery = commands.add_parser(
        "apply-delivery",
        help="apply a municipality's delivery of changes (JSON Lines, docs/register.md)",
        description=(
            "Apply a delivery: a header line (lieferung, ags, nachrichtentyp) and one operation "
            "per line (new, changed, moved_away, deceased, block_set, block_lifted). All or "
            "nothing, in one transaction; a delivery applied before changes nothing and is "
            "reported as such (exit 0). Exit 1: refused (the message names the line), 2: usage."
        ),
        parents=list(parents),
    )
    delivery.add_argument("file", metavar="FILE", help="JSON Lines file, or - for stdin")
    _add_database_options(delivery)
    delivery.add_argument("--source", default=None, help="source name (default: the file name)")
    delivery.set_defaults(func=run_apply_delivery)

    streets = commands.add_parser(
        "import-strassen",
        help="import a municipality's street directory (JSON Lines, docs/register.md)",
        description=(
            'Import a street directory delivery: one {"ags", "strasse"} object per line. '
            "Streets are only added, never removed; rejection 02 (street unknown) is decided "
            "from the directory alone, never from who lives there (§ 34a Abs. 5 BMG)."
        ),
        parents=list(parents),
    )
    streets.add_argument("file", metavar="FILE", help="JSON Lines file, or - for stdin")
    _add_database_options(streets)
    streets.add_argument("--source", default=None, help="source name (default: the file name)")
    streets.set_defaults(func=run_import_strassen)

    stats = commands.add_parser(
        "stats",
        help="counts of persons, addresses, names and deliveries",
        description="Show what the register database holds.",
        parents=list(parents),
    )
    _add_database_options(stats)
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(func=run_stats)

    export = commands.add_parser(
        "export-sample",
        help="write the test persons and N synthetic persons as JSON Lines",
        description="Write generated persons in the import format (for vendors and tests).",
        parents=list(parents),
    )
    export.add_argument(
        "--output", "-o", required=True, metavar="FILE", help="file, or - for stdout"
    )
    export.add_argument(
        "--persons",
        type=_non_negative,
        default=100,
        metavar="N",
        help="random persons besides the test persons (default 100)",
    )
    export.add_argument("--seed", type=int, default=1, metavar="S", help="generator seed")
    export.set_defaults(func=run_export_sample)


def _fail(message: str) -> int:
    print(f"datenspiegel register: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _usage(message: str) -> int:
    print(f"datenspiegel register: {message}", file=sys.stderr)
    return EXIT_USAGE


def _open_store(args: argparse.Namespace) -> RegisterStore:
    store = RegisterStore(register_url(args))
    ensure_current(store.engine, REGISTER)  # an older schema: `datenspiegel db upgrade` first
    return store


def run_generate(args: argparse.Namespace) -> int:
    try:
        with _open_store(args) as store:
            total = len(TEST_PERSONS) + args.persons
            persons: Iterator[Person] = generate_persons(seed=args.seed, count=args.persons)
            if not args.no_progress:
                persons = iter(tqdm(persons, total=total, desc="Register", unit=" Personen"))
            report = store.import_persons(
                persons, source=f"generator seed={args.seed}", kind="synthetisch"
            )
            store.import_strassen(strassenverzeichnis(), source="synthetic street directories")
    except _UsageError as exc:
        return _usage(str(exc))
    except (RegisterError, SchemaVersionError) as exc:
        return _fail(str(exc))
    print(
        f"{report.records} persons written ({len(TEST_PERSONS)} test persons, "
        f"{report.records - len(TEST_PERSONS)} synthetic, seed {args.seed}) in "
        f"{report.seconds:.1f} s; {report.replaced} replaced earlier records"
    )
    return EXIT_OK


def _import(
    args: argparse.Namespace,
    load: Callable[[RegisterStore, TextIO, str], _Report],
    *,
    stopped: str,
    load_file: Callable[[RegisterStore, Path, str], _Report] | None = None,
) -> _Report | int:
    """A delivery from ``args.file`` (or stdin, ``-``) into the register: the report, or the
    exit status of a failure (its message printed; ``stopped`` says what was kept).
    ``load_file``, if given, loads a file from its path instead of its opened text (a full
    load's workers read the file themselves)."""
    source_name = args.source or ("stdin" if args.file == "-" else Path(args.file).name)
    try:
        url = register_url(args)
    except _UsageError as exc:
        return _usage(str(exc))
    if args.file != "-" and not Path(args.file).is_file():
        return _fail(f"{args.file}: no such file; give a JSON Lines file (docs/register.md)")
    try:
        with RegisterStore(url) as store:
            ensure_current(store.engine, REGISTER)
            if args.file == "-":
                return load(store, sys.stdin, source_name)
            if load_file is not None:
                return load_file(store, Path(args.file), source_name)
            with Path(args.file).open("r", encoding="utf-8") as stream:
                return load(store, stream, source_name)
    except UnicodeDecodeError as exc:
        return _fail(f"{args.file} is not UTF-8 text ({exc.reason}); convert it to UTF-8")
    except RegisterError as exc:
        return _fail(stopped.format(error=exc))
    except SchemaVersionError as exc:
        return _fail(str(exc))


def run_import(args: argparse.Namespace) -> int:
    if args.full:
        return _run_full_reload(args)
    if args.workers is not None:
        return _usage("--workers belongs to a full reload (--full)")
    report = _import(
        args,
        lambda store, stream, source: store.import_persons(
            _progress(read_jsonl(stream), args), source=source, kind=args.kind
        ),
        stopped="import stopped: {error}. Records before the failing batch are committed and "
        "logged as incomplete; fix the line and import the file again (records with an id "
        "are replaced, not duplicated)",
    )
    if isinstance(report, int):
        return report
    print(
        f"{report.records} persons imported from {report.source} for {len(report.per_ags)} "
        f"municipalities in {report.seconds:.1f} s ({report.replaced} replaced)"
    )
    return EXIT_OK


def _run_full_reload(args: argparse.Namespace) -> int:
    def load(store: RegisterStore, stream: TextIO | Path, source: str) -> FullLoadReport:
        bar = None if args.no_progress else tqdm(desc="Full load", unit=" Personen")
        try:
            return store.full_reload(
                stream,
                source=source,
                kind=args.kind,
                workers=args.workers,
                progress=bar.update if bar is not None else None,
            )
        finally:
            if bar is not None:
                bar.close()

    report = _import(
        args,
        load,
        stopped="full reload stopped, the register is unchanged: {error}. Fix the stock and "
        "load it again",
        load_file=load,
    )
    if isinstance(report, int):
        return report
    print(
        f"{report.records} persons loaded from {report.source} for {len(report.per_ags)} "
        f"municipalities in {report.seconds:.1f} s ({report.persons_per_second:.0f} persons/s, "
        f"{report.workers} workers: rows {report.seconds_load:.1f} s, indexes "
        f"{report.seconds_index:.1f} s, swap {report.seconds_swap:.2f} s); they replaced "
        f"{report.previous_records} records"
    )
    return EXIT_OK


def run_apply_delivery(args: argparse.Namespace) -> int:
    def load(store: RegisterStore, stream: TextIO, source: str) -> DeliveryReport:
        return store.apply_delivery(read_delivery(stream), source=source)

    report = _import(
        args,
        load,
        stopped="delivery refused, nothing of it applied: {error}",
    )
    if isinstance(report, int):
        return report
    if report.already_applied:
        print(
            f"delivery {report.lieferung} of {report.ags} was applied already on "
            f"{report.applied_at:%Y-%m-%d %H:%M:%S %Z}: nothing changed"
        )
        return EXIT_OK
    operations = ", ".join(f"{count} {op}" for op, count in report.per_operation) or "none"
    print(
        f"delivery {report.lieferung} of {report.ags} ({report.nachrichtentyp}) applied: "
        f"{report.records} operations ({operations}) in {report.seconds:.2f} s"
    )
    return EXIT_OK


def run_import_strassen(args: argparse.Namespace) -> int:
    report = _import(
        args,
        lambda store, stream, source: store.import_strassen(read_strassen(stream), source=source),
        stopped="nothing imported: {error}; fix the line and import the file again",
    )
    if isinstance(report, int):
        return report
    print(
        f"{report.records} street entries read from {report.source} for "
        f"{len(report.per_ags)} municipalities in {report.seconds:.1f} s (new streets added, "
        "known ones kept)"
    )
    return EXIT_OK


def _progress(persons: Iterator[Person], args: argparse.Namespace) -> Iterator[Person]:
    if args.no_progress:
        return persons
    return iter(tqdm(persons, desc="Import", unit=" Personen"))


def run_stats(args: argparse.Namespace) -> int:
    try:
        with _open_store(args) as store:
            stats = store.stats()
    except _UsageError as exc:
        return _usage(str(exc))
    except (RegisterError, SchemaVersionError) as exc:
        return _fail(str(exc))
    if args.json:
        data = {
            "schema_version": stats.schema_version,
            "persons": stats.persons,
            "addresses": stats.addresses,
            "streets": stats.streets,
            "surname_variants": stats.surname_variants,
            "first_names": stats.first_names,
            "municipalities": stats.municipalities,
            "persons_with_sperre": stats.persons_with_sperre,
            "deliveries": stats.deliveries,
            "persons_per_ags": dict(stats.persons_per_ags),
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"schema version        {stats.schema_version}")
    print(f"persons               {stats.persons}")
    print(f"address periods       {stats.addresses}")
    print(f"streets (directory)   {stats.streets}")
    print(f"surname variants      {stats.surname_variants}")
    print(f"first names           {stats.first_names}")
    print(f"persons with Sperre   {stats.persons_with_sperre}")
    print(f"deliveries logged     {stats.deliveries}")
    print(f"municipalities        {stats.municipalities}")
    for ags, count in stats.persons_per_ags:
        print(f"  {ags}  {count}")
    return EXIT_OK


def run_export_sample(args: argparse.Namespace) -> int:
    persons = generate_persons(seed=args.seed, count=args.persons)
    try:
        if args.output == "-":
            count = write_jsonl(persons, sys.stdout)
        else:
            count = write_jsonl(persons, Path(args.output))
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror}; choose a writable path")
    if args.output != "-":
        print(f"{count} persons written to {args.output}")
    return EXIT_OK
