"""JUnit XML for validation verdicts, the report format CI systems (GitLab, Jenkins) render.

One test case per file; an invalid file is a ``<failure>`` whose text holds one error per line
(``file:line: code path: reason``), so the CI view reads like the command's own output.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from lxml import etree

from datenspiegel.xsd.conformance import FileVerdict

__all__ = ["SUITE_NAME", "render_junit", "write_junit"]

SUITE_NAME: Final = "datenspiegel.validate"


def render_junit(
    verdicts: Sequence[FileVerdict],
    *,
    elapsed_seconds: float = 0.0,
    timestamp: datetime | None = None,
) -> bytes:
    failures = sum(1 for verdict in verdicts if not verdict.valid)
    counts = {
        "tests": str(len(verdicts)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": f"{elapsed_seconds:.3f}",
    }
    suites = etree.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = etree.SubElement(suites, "testsuite", {"name": SUITE_NAME, **counts})
    # Jenkins shows the timestamp; without a zone it assumes local time, so say UTC.
    moment = (timestamp or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    suite.set("timestamp", moment.isoformat(timespec="seconds"))
    for verdict in verdicts:
        case = etree.SubElement(
            suite,
            "testcase",
            classname=SUITE_NAME,
            name=str(verdict.path),
            file=str(verdict.path),
            time="0",
        )
        if verdict.valid:
            continue
        first = verdict.errors[0] if verdict.errors else None
        summary = f"{verdict.code}: {first.reason}" if first else f"{verdict.code}"
        more = len(verdict.errors) - 1
        if more > 0:
            summary += f" (+{more} more)"
        failure = etree.SubElement(case, "failure", message=summary, type=verdict.code or "")
        failure.text = "\n".join(str(error) for error in verdict.errors) + "\n"
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_junit(
    verdicts: Sequence[FileVerdict], path: Path, *, elapsed_seconds: float = 0.0
) -> None:
    path.write_bytes(render_junit(verdicts, elapsed_seconds=elapsed_seconds))
