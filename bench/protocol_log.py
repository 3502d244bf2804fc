"""The § 40 protocol as a Merkle log: what appending, sequencing and verifying cost.

For each back-end (SQLite file, PostgreSQL schema) the benchmark appends ``--records`` full
records through :meth:`ProtocolStore.append` — with the tag every record gets (protocol/log.py)
and, for comparison, without it — from 1 and from 4 threads, then runs the sequencer until the
log holds every record, signs a checkpoint and verifies the whole log. Reported: records/s of
each step and the per-append cost the log adds (tag + content digest), in µs.

Run: ``python -m bench.protocol_log [--records 20000] [--no-postgres]``.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete

from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore

__all__ = ["figures", "main", "run"]

NAME = "protocol_log"


def _record(n: int) -> ProtocolRecord:
    moment = datetime(2026, 11, 29, 8, 0, tzinfo=UTC) + timedelta(milliseconds=n)
    return ProtocolRecord(
        record_id=str(_uuid4()),
        received_at=moment,
        answered_at=moment + timedelta(milliseconds=5),
        service="personensuche",
        outcome=Outcome.ANSWERED,
        outcome_codes=("01",),
        request_digest="ab" * 32,
        sicherheitsbehoerde=False,
        request_message_id=str(_uuid4()),
        answer_message_id=str(_uuid4()),
        answer_digest="cd" * 32,
        client_address="10.20.30.40",
        certificate_fingerprint="ef" * 32,
        authority_id=7,
        authority_kennung="dbs:ordnungsamt-hannover",
        authority_name="Ordnungsamt Hannover",
        user_id=11,
        user_kennung="OA-32.4-0815",
        aktenzeichen=f"32.4-{n}/2026",
        anlass="Bußgeldverfahren",
        requesting_body={"behoerdenname": "Ordnungsamt Hannover"},
        search_data={"familienname": "Mustermann", "vornamen": "Erika"},
        requested_elements=(1, 7, 13, 48),
        disclosed={1000 + n: (1, 7, 13, 48)},
        hits=(1000 + n,),
        hit_count=1,
    )


def _uuid4() -> Any:
    import uuid

    return uuid.uuid4()


def _append(store: ProtocolStore, count: int, threads: int) -> float:
    records = [_record(n) for n in range(count)]
    chunks = [records[i::threads] for i in range(threads)]
    start = threading.Barrier(threads + 1)

    def work(chunk: list[ProtocolRecord]) -> None:
        start.wait()
        for record in chunk:
            store.append(record)

    workers = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    start.wait()
    for worker in workers:
        worker.join()
    return count / (time.perf_counter() - started)


@contextmanager
def _database(backend: str, tmp: Path, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'broker.sqlite'}"
    else:
        with fresh_schema(pg_url, prefix="bench_log") as url:
            yield url


def run_backend(backend: str, url: str, *, records: int) -> dict[str, Any]:
    key = ec.generate_private_key(ec.SECP256R1())
    store = ProtocolStore(url)
    store.migrate()
    try:
        store.record_key = None
        untagged = _append(store, records // 4, threads=1)
        with store.engine.begin() as conn:  # timing only: the log holds tagged records
            conn.execute(delete(records_table))
        store.record_key = secrets.token_bytes(32)
        tagged = _append(store, records // 4, threads=1)
        tagged_4 = _append(store, records // 2, threads=4)
        log = ProtocolLog(store.engine, record_key=store.record_key)
        started = time.perf_counter()
        logged = log.sequence_all()
        sequenced = logged / (time.perf_counter() - started)
        started = time.perf_counter()
        log.checkpoint(key)
        checkpoint_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        report = log.verify(key.public_key())
        verified = report.records / (time.perf_counter() - started)
        findings = [f.message for f in report.findings]
    finally:
        store.dispose()
    return {
        "backend": backend,
        "records": logged,
        "append_untagged_per_s": untagged,
        "append_tagged_per_s": tagged,
        "append_tagged_4_threads_per_s": tagged_4,
        "tag_cost_us": max(0.0, (1 / tagged - 1 / untagged) * 1e6),
        "sequence_per_s": sequenced,
        "checkpoint_ms": checkpoint_ms,
        "verify_per_s": verified,
        "findings": findings,
    }


def run(*, records: int = 20_000, pg_url: str | None = DEFAULT_PG_URL) -> dict[str, Any]:
    results = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp_name:
        for backend in ("sqlite", "postgresql"):
            if backend == "postgresql":
                reason = "disabled" if pg_url is None else pg_unreachable(pg_url)
                if reason is not None:
                    skipped[backend] = reason
                    continue
            print(f"[{NAME}] {records} records on {backend} …", flush=True)
            with _database(backend, Path(tmp_name), pg_url or "") as url:
                results.append(run_backend(backend, url, records=records))
    print_table(
        f"Protocol log ({records} records per back-end; records/s, ms, µs)",
        [
            "backend",
            "append",
            "append+tag",
            "append+tag 4 thr",
            "tag µs",
            "sequence",
            "checkpoint ms",
            "verify",
        ],
        [
            (
                r["backend"],
                f"{r['append_untagged_per_s']:.0f}",
                f"{r['append_tagged_per_s']:.0f}",
                f"{r['append_tagged_4_threads_per_s']:.0f}",
                f"{r['tag_cost_us']:.0f}",
                f"{r['sequence_per_s']:.0f}",
                f"{r['checkpoint_ms']:.1f}",
                f"{r['verify_per_s']:.0f}",
            )
            for r in results
        ],
    )
    for r in results:
        if r["findings"]:
            print(f"  {r['backend']}: verify found {len(r['findings'])}: {r['findings'][:3]}")
    payload = {"parameters": {"records": records}, "backends": results, "skipped": skipped}
    print(f"  written {write_result(NAME, payload)}")
    return payload


def figures(result: dict[str, Any]) -> list[Figure]:
    out = []
    for r in result.get("backends", []):
        b = r["backend"]
        out.append(Figure(NAME, f"{b} append with tag", round(r["append_tagged_per_s"]), "rec/s"))
        out.append(Figure(NAME, f"{b} sequence", round(r["sequence_per_s"]), "rec/s"))
        out.append(Figure(NAME, f"{b} verify", round(r["verify_per_s"]), "rec/s"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.protocol_log", description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    result = run(records=args.records, pg_url=None if args.no_postgres else args.pg_url)
    return 1 if any(r["findings"] for r in result["backends"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
