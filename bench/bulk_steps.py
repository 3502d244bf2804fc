"""Per-record CPU of a full load, step by step (issue 11): the checked way and the fast way.

One worker's work on synthetic records (``fixtures.generator``), in this process, timed with
``process_time`` (CPU, not wall clock: the figure carries over to a busy machine):

- the checked way (what every record went through before, and what a line the fast way does
  not take still goes through): ``json.loads``, ``person_from_json`` (decoding and checks into
  the model), ``person_keys`` (BMeldDAV Anlage Nr. 4), rows + ``COPY`` text;
- the fast way (:mod:`datenspiegel.register.bulk_records`): msgspec decoding into the checked
  structs, then the rows with memoised keys as tuples (SQLite) or ``COPY`` text;
- ``encode_chunk`` whole (what a worker of ``RegisterStore.full_reload`` runs per chunk).

The first ``--warm`` records fill the per-worker caches (as the first seconds of a load do);
the next ``--records`` are timed. Run: ``python -m bench.bulk_steps [--records 20000]``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.register.bulk_chunks import ChunkTask, RowFormat, encode_chunk
from datenspiegel.register.bulk_records import decode_line, record_copy_lines, record_rows
from datenspiegel.register.jsonl import dumps_person, person_from_json
from datenspiegel.register.keys import person_keys
from datenspiegel.register.tablerows import record_tuples

__all__ = ["main", "measure"]

_IMPORTED_AT = "2026-11-29T12:00:00+00:00"


def _cpu(step: Callable[[], Any], count: int) -> float:
    """µs of CPU per record for ``step`` (over all records)."""
    started = time.process_time()
    step()
    return (time.process_time() - started) * 1e6 / count


def measure(*, records: int, warm: int, seed: int = 1) -> dict[str, float]:
    lines = [dumps_person(p) for p in generate_persons(seed=seed, count=warm + records)]
    warm_lines, lines = lines[:warm], lines[warm:]
    # warm the caches of both ways (the checked way has its own date caches)
    for text in warm_lines:
        record_copy_lines(decode_line(text), text, _IMPORTED_AT, {}, [[] for _ in range(7)])
        person_keys(person_from_json(json.loads(text)))
    out: dict[str, float] = {}
    data: list[Any] = []
    out["checked: json.loads"] = _cpu(lambda: data.extend(map(json.loads, lines)), len(lines))
    persons: list[Any] = []
    out["checked: person_from_json"] = _cpu(
        lambda: persons.extend(map(person_from_json, data)), len(lines)
    )
    keys: list[Any] = []
    out["checked: person_keys"] = _cpu(lambda: keys.extend(map(person_keys, persons)), len(lines))

    def checked_rows() -> None:
        for person, key, text in zip(persons, keys, lines, strict=True):
            for table in record_tuples(person.id, person, key, text, _IMPORTED_AT):
                for row in table:
                    "\t".join(map(str, row))

    out["checked: rows + COPY text"] = _cpu(checked_rows, len(lines))
    structs: list[Any] = []
    out["fast: msgspec decode + checks"] = _cpu(
        lambda: structs.extend(map(decode_line, lines)), len(lines)
    )
    streets: dict[tuple[str, str], str] = {}

    def fast(build: Callable[..., bool]) -> Callable[[], None]:
        def run() -> None:
            tables: list[list[Any]] = [[] for _ in range(7)]
            for struct, text in zip(structs, lines, strict=True):
                build(struct, text, _IMPORTED_AT, streets, tables)

        return run

    out["fast: rows as tuples (memoised keys; SQLite)"] = _cpu(fast(record_rows), len(lines))
    out["fast: rows as COPY text (memoised keys)"] = _cpu(fast(record_copy_lines), len(lines))
    chunks = [
        ChunkTask(i + 1, tuple(lines[i : i + 2000]), RowFormat.COPY_TEXT, _IMPORTED_AT)
        for i in range(0, len(lines), 2000)
    ]
    out["encode_chunk, COPY (whole worker step)"] = _cpu(
        lambda: [encode_chunk(c) for c in chunks], len(lines)
    )
    tuples = [ChunkTask(c.first_line, c.lines, RowFormat.TUPLES, c.imported_at) for c in chunks]
    out["encode_chunk, SQLite tuples"] = _cpu(lambda: [encode_chunk(c) for c in tuples], len(lines))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk_steps", description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--warm", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = measure(records=args.records, warm=args.warm, seed=args.seed)
    width = max(map(len, figures))
    for step, micros in figures.items():
        print(f"{step:<{width}}  {micros:7.1f} µs/record")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
