"""``datenspiegel validate``: schema check of message files for vendors' pipelines.

Exit codes pipelines can rely on: 0 every file conforms, 1 at least one does not, 2 the command
was used wrongly (missing file, empty directory, unwritable report). Deliberately free of the
SOAP stack: a vendor's CI needs only lxml and xmlschema, never spyne.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, TextIO

from datenspiegel.xsd.conformance import FileVerdict, check_file, load_schema
from datenspiegel.xsd.junit import write_junit

__all__ = ["add_validate_command", "main", "run"]

EXIT_VALID: Final = 0
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2

_EPILOG = """\
Each FILE is one XÖV message (not a SOAP envelope). Directories are searched for *.xml
recursively. Every error is printed as  FILE:LINE: CODE PATH: REASON  with CODE the 0910
code the broker would answer (X000 not well-formed or unsafe, X001 schema, X010 code list,
X011 code). Exit status: 0 all valid, 1 some invalid, 2 usage error.
"""


def add_validate_command(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register ``validate`` on the CLI's subparsers; the handler is set as ``func``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check message files against the XÖV schemas (for CI pipelines)",
        description="Check XÖV message files against the datenspiegel schemas, "
        "exactly as the broker reads them.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="message file, or directory searched for *.xml",
    )
    parser.add_argument(
        "--junit",
        type=Path,
        metavar="REPORT.xml",
        help="also write a JUnit XML report (GitLab, Jenkins) to this file",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print only invalid files and their errors",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    stdout = out if out is not None else sys.stdout
    stderr = err if err is not None else sys.stderr
    files, problems = _collect(args.files)
    if problems:
        for problem in problems:
            print(f"datenspiegel validate: {problem}", file=stderr)
        return EXIT_USAGE
    started = time.monotonic()
    schema = load_schema()
    verdicts: list[FileVerdict] = []
    for path in files:
        try:
            verdicts.append(check_file(path, schema=schema))
        except OSError as exc:
            print(f"datenspiegel validate: cannot read {path}: {exc.strerror or exc}", file=stderr)
            return EXIT_USAGE
    for verdict in verdicts:
        _print_verdict(verdict, quiet=args.quiet, out=stdout)
    invalid = sum(1 for verdict in verdicts if not verdict.valid)
    if args.junit is not None:
        try:
            write_junit(verdicts, args.junit, elapsed_seconds=time.monotonic() - started)
        except OSError as exc:
            message = exc.strerror or exc
            print(f"datenspiegel validate: cannot write {args.junit}: {message}", file=stderr)
            return EXIT_USAGE
    if not args.quiet:
        # The summary goes to stderr so that stdout stays one line per file or error.
        print(
            f"{len(verdicts)} file(s): {len(verdicts) - invalid} valid, {invalid} invalid",
            file=stderr,
        )
    return EXIT_INVALID if invalid else EXIT_VALID


def _collect(arguments: Sequence[Path]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(p for p in argument.rglob("*.xml") if p.is_file())
            if not found:
                problems.append(f"{argument}: no *.xml files below this directory")
            files.extend(found)
        elif argument.is_file():
            files.append(argument)
        else:
            problems.append(f"{argument}: no such file or directory")
    return files, problems


def _print_verdict(verdict: FileVerdict, *, quiet: bool, out: TextIO) -> None:
    if verdict.valid:
        if not quiet:
            print(f"OK {verdict.path}", file=out)
        return
    print(f"INVALID {verdict.path}", file=out)
    for error in verdict.errors:
        print(f"  {error}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (``python -m datenspiegel.service.cli_validate FILE…``)."""
    parser = argparse.ArgumentParser(prog="datenspiegel")
    add_validate_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["validate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
