"""``datenspiegel db upgrade | current | history``: the databases' schema, for the operator.

Each of the two databases (the broker state, the register) has its own Alembic history
(:mod:`datenspiegel.store.history`). ``upgrade`` brings them to this release's head — one
transaction per database, under a lock, so that nothing is left half-done and two hosts
upgrading at once take turns; ``upgrade --sql`` prints instead what it would run, compiled for
the configured database, for a DBA to review (it reads the database's revision, nothing else;
``--from`` renders without any database). ``current`` says where each database stands, with an
exit status a deployment pipeline can test before it starts the new release.

Exit status: 0 done (``current``: every database at head); 3 (``current``) a database needs
``db upgrade``; 1 a database cannot be reached or is newer than this release; 2 usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from datenspiegel.store import BROKER, REGISTER, History, SchemaVersionError, create_store_engine
from datenspiegel.store.history import script_directory
from datenspiegel.store.review import render_upgrade
from datenspiegel.store.upgrade import SchemaState, read_state, upgrade

__all__ = ["add_db_commands"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_BEHIND = 0, 1, 2, 3

_STORES = {"broker": (BROKER,), "register": (REGISTER,), "all": (BROKER, REGISTER)}
#: the configuration key of each history's database, for messages
_KEYS = {BROKER.name: "broker_url", REGISTER.name: "register_url"}


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var"),
        help="the service's data directory: its datenspiegel.toml names the databases "
        "(DATENSPIEGEL_STORES_* override it, as for serve)",
    )
    p.add_argument(
        "--store",
        choices=sorted(_STORES),
        default="all",
        help="which database (default: all — the broker state and the register)",
    )


def add_db_commands(subparsers: Any) -> None:
    db = subparsers.add_parser(
        "db",
        help="the databases' schema: upgrade to this release (or print its SQL), current state",
        description="Schema upgrades an operator can review (docs/schema-upgrades.md).",
    )
    commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "upgrade",
        help="bring the databases to this release's schema (--sql: print it instead)",
        description="Runs every revision the database lacks, in one transaction per "
        "database under a lock (a failure leaves nothing half-done; concurrent upgrades take "
        "turns). Take a backup first. --sql prints the SQL instead, for the configured "
        "database's dialect, from the revision the database is at (read, nothing written); "
        "with --from, without connecting. Exit 0 done, 1 database unreachable or newer than "
        "this release, 2 usage.",
    )
    _common(p)
    p.add_argument("--sql", action="store_true", help="print the SQL for review, change nothing")
    p.add_argument(
        "--from",
        dest="start",
        metavar="REVISION",
        help="with --sql: render from this revision without connecting ('base': a new, "
        "empty database)",
    )
    p.set_defaults(func=_run_upgrade)

    p = commands.add_parser(
        "current",
        help="where each database stands (exit 3 when one needs db upgrade)",
        description="Prints each database's revision and whether it is this release's head. "
        "Exit 0 all at head, 3 a database needs `datenspiegel db upgrade` (new or older), 1 "
        "unreachable or newer than this release.",
    )
    _common(p)
    p.set_defaults(func=_run_current)

    p = commands.add_parser(
        "history",
        help="the revisions this release knows, newest first",
        description="Each history's revisions with their first docstring line (no database).",
    )
    p.add_argument("--store", choices=sorted(_STORES), default="all")
    p.set_defaults(func=_run_history)


def _fail(message: str) -> int:
    print(f"datenspiegel db: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _url(args: argparse.Namespace, history: History) -> str:
    from datenspiegel.service.config import load_stores

    return str(getattr(load_stores(args.data_dir), _KEYS[history.name]))


def _label(history: History, url: str) -> str:
    return f"{history.what} ({make_url(url).render_as_string(hide_password=True)})"


def _unreachable(history: History, url: str, exc: SQLAlchemyError) -> str:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    variable = f"DATENSPIEGEL_STORES_{_KEYS[history.name].upper()}"
    return (
        f"cannot use {_label(history, url)}: {first}; check stores.{_KEYS[history.name]} in "
        f"the data directory's datenspiegel.toml (or {variable}) and that the server is up"
    )


def _quiet_alembic(args: argparse.Namespace) -> None:
    """Alembic logs each revision at INFO; the commands print their own lines (-v: both)."""
    if not getattr(args, "verbose", False):
        logging.getLogger("alembic").setLevel(logging.WARNING)


def _no_file_yet(url: str) -> bool:
    """An SQLite database whose file does not exist: new, and not to be created by a look."""
    parsed = make_url(url)
    name = parsed.database
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(name)
        and name != ":memory:"
        and not (Path(str(name)).exists())
    )


def _engines(args: argparse.Namespace) -> Iterator[tuple[History, str, Engine]]:
    for history in _STORES[args.store]:
        url = _url(args, history)
        engine = create_store_engine(url, durable=True)
        try:
            yield history, url, engine
        finally:
            engine.dispose()


def _look(url: str, history: History) -> SchemaState:
    """Where the database of ``url`` stands, read only (a missing SQLite file is new)."""
    if _no_file_yet(url):
        return SchemaState(history, None, {})
    engine = create_store_engine(url, durable=True)
    try:
        with engine.connect() as conn:
            return read_state(conn, history)
    finally:
        engine.dispose()


def _run_upgrade(args: argparse.Namespace) -> int:
    _quiet_alembic(args)
    if args.start is not None and not args.sql:
        print("datenspiegel db upgrade: --from needs --sql", file=sys.stderr)
        return EXIT_USAGE
    if args.sql:
        return _print_sql(args)
    for history, url, engine in _engines(args):
        label = _label(history, url)
        try:
            before = upgrade(engine, history, announce=lambda line: print(f"  {line}"))
        except SchemaVersionError as exc:
            return _fail(str(exc))
        except SQLAlchemyError as exc:
            return _fail(_unreachable(history, url, exc))
        if before.at_head:
            print(f"{label}: at revision {history.head} (head), nothing to do")
        else:
            print(f"{label}: was {before.describe()}; now at revision {history.head} (head)")
    return EXIT_OK


def _print_sql(args: argparse.Namespace) -> int:
    for history in _STORES[args.store]:
        url = _url(args, history)
        label = _label(history, url)
        dialect = make_url(url).get_backend_name()
        if args.start is not None:
            start = None if args.start == "base" else args.start
            if start is not None and not history.knows(start):
                print(
                    f"datenspiegel db upgrade: {history.name} has no revision {start!r} "
                    "(see `datenspiegel db history`)",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            state = SchemaState(history, start, {})
        else:
            try:
                state = _look(url, history)
            except SQLAlchemyError as exc:
                return _fail(
                    _unreachable(history, url, exc)
                    + "; to render without the database give --from base (a new database) or "
                    "--from REVISION"
                )
            if not state.known:
                return _fail(f"{label} is {state.describe()}: nothing this release could run")
        print(f"-- datenspiegel db upgrade --sql: {label}, dialect {dialect}")
        print(f"-- from: {state.describe()}; to: revision {history.head} (head)")
        if state.at_head:
            print("-- nothing to run")
            continue
        render_upgrade(url, history, sys.stdout, start=state.revision, legacy=state.legacy)
    return EXIT_OK


def _run_current(args: argparse.Namespace) -> int:
    failed = behind = False
    for history in _STORES[args.store]:
        url = _url(args, history)
        label = _label(history, url)
        try:
            state = _look(url, history)
        except SchemaVersionError as exc:
            return _fail(str(exc))
        except SQLAlchemyError as exc:
            return _fail(_unreachable(history, url, exc))
        if not state.known:
            failed = True
            print(f"{label}: {state.describe()}: use that release")
        elif state.at_head:
            print(f"{label}: {state.describe()}")
        else:
            behind = True
            print(
                f"{label}: {state.describe()}; head is {history.head}: run datenspiegel db upgrade"
            )
    return EXIT_FAILURE if failed else EXIT_BEHIND if behind else EXIT_OK


def _run_history(args: argparse.Namespace) -> int:
    for history in _STORES[args.store]:
        print(f"{history.name} ({history.what}, version table {history.version_table}):")
        for script in script_directory(history).walk_revisions():
            head = " (head)" if script.revision == history.head else ""
            print(f"  {script.revision}{head}  {script.doc}")
    return EXIT_OK
