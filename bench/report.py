"""Output of every benchmark: a printed table and a JSON file under ``bench/results/``.

Each JSON file carries the machine and software it was measured on, because a figure without
its machine is not comparable with anything.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "RESULTS_DIR",
    "Figure",
    "exit_status",
    "format_table",
    "machine_info",
    "print_figures",
    "print_table",
    "write_result",
]

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_LIBRARIES = ("cryptography", "lxml", "signxml", "SQLAlchemy", "psycopg", "Twisted", "spyne")


@dataclass(frozen=True, slots=True)
class Figure:
    """One line of the summary: which benchmark, what was measured, the value and its unit."""

    benchmark: str
    name: str
    value: float | int | str
    unit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
        }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=RESULTS_DIR.parent.parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def machine_info() -> dict[str, Any]:
    versions: dict[str, str] = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    try:
        load = [round(v, 2) for v in os.getloadavg()]
    except OSError:
        load = []
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        # Other work on the machine moves every figure; the load average says how much there was.
        "load_average_1_5_15": load,
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "libraries": versions,
        "git_commit": _git_commit(),
    }


def write_result(name: str, payload: dict[str, Any], *, directory: Path = RESULTS_DIR) -> Path:
    """Write ``payload`` plus the machine description to ``<directory>/<name>.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    document = {"benchmark": name, "machine": machine_info(), **payload}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        if abs(value) >= 0.1:
            return f"{value:.2f}"
        return f"{value:.4f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], *, text_columns: int = 1
) -> str:
    """A plain-text table: the first ``text_columns`` columns left-aligned, numbers right."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))

    def line(values: Sequence[str]) -> str:
        parts = [
            v.ljust(widths[i]) if i < text_columns else v.rjust(widths[i])
            for i, v in enumerate(values)
        ]
        return "  ".join(parts).rstrip()

    out = [title, line(list(headers)), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def print_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], *, text_columns: int = 1
) -> None:
    print()
    print(format_table(title, headers, rows, text_columns=text_columns), flush=True)


def print_figures(title: str, figures: Sequence[Figure]) -> None:
    print_table(
        title,
        ("benchmark", "figure", "value", "unit"),
        [(f.benchmark, f.name, f.value, f.unit) for f in figures],
        text_columns=2,
    )


def exit_status(found: Sequence[str]) -> int:
    """Print what a benchmark found wrong; the exit status: 1 if anything, else 0."""
    for problem in found:
        print(f"  PROBLEM: {problem}")
    return 1 if found else 0
