"""Search latency against an existing register (issue 11: ten million persons), warm and cold,
with the query plans.

The register is one that exists already — a PostgreSQL schema (``--url`` + ``--schema``, e.g.
the one :mod:`bench.register_10m` builds and keeps) or a SQLite file (``--url sqlite:///…``);
nothing is imported. The searched persons are drawn from the register itself (a block sample
of ``register_person``, fixed seed), so every search is for a person who is there; every
tenth Personensuche asks for a date of birth no one has (a no-hit).

Shapes, each run through the service's own code (:meth:`RegisterStore.search_personen` and
:meth:`RegisterStore.search_freie_suche`, limits as the broker asks: 1 001 persons, and more
than 1 000 persons of a freie Suche refused from their ids, counted as 1 001):

- Personensuche (§ 38 Abs. 1 BMG, BMeldDAV § 4) in the person's municipality: surname + first
  name + date of birth, exact and phonetic, each without and with street + house number;
- freie Suche (§ 34a Abs. 3 BMG, BMeldDAV § 7) — in the person's municipality: surname, surname
  phonetic, street + house numbers 1–40 (the shapes of :mod:`bench.freie_suche`); in the
  person's district (Landkreis): surname + first name, surname prefix ``Abcd*`` + first name;
  in the whole state: surname + first name, first name + five years of birth.

For each shape: **warm** — a pass over the searches untimed, then the same searches timed
(p50 / p95 / p99, client CPU and PostgreSQL backend CPU per search); **cold** — PostgreSQL's
shared buffers evicted (``pg_prewarm`` of a scratch table the size of ``shared_buffers`` into
them: no restart, other sessions keep running) and the OS page cache dropped
(``/proc/sys/vm/drop_caches``, needs root) before the shape, then other persons than the warm
ones, so that their index leaves and rows are read for the first time (the upper index levels
warm up along the pass, as they would after a restart). With ``--explain`` the SQL of one search
per shape — compiled with its literal values — is run under ``EXPLAIN (ANALYZE, BUFFERS)``,
warm and right after the eviction, into ``bench/results/register_queries_plans.txt``.

Run: ``python -m bench.register_queries --url postgresql+psycopg://postgres@127.0.0.1/test
--schema bench10m [--searches 200] [--cold] [--explain] [--budget 120]``. ``--budget`` stops a
pass of a shape after that many seconds (the state-wide shapes can take a while at 10 M).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeAlias

from sqlalchemy import Engine, event, text

from bench.register_10m import COPY_ID_OFFSET, schema_url
from bench.report import RESULTS_DIR, print_table, write_result
from bench.stats import summarise
from datenspiegel.fixtures.generator import STICHTAG
from datenspiegel.register.errors import ErgebnislisteZuGrossError
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
    Zeitraum,
    normalisierte_freie_suche,
)
from datenspiegel.register.freie_suche_sql import freie_suche_statement
from datenspiegel.register.keyrows import stored_person
from datenspiegel.register.model import Person
from datenspiegel.register.model import TeilbekanntesDatum as D
from datenspiegel.register.query import PersonensucheQuery, normalisierte_suche
from datenspiegel.register.search_sql import search_statement
from datenspiegel.register.store import RegisterStore

__all__ = ["SHAPES", "TARGETS_MS", "main", "run", "sample_persons"]

NAME = "register_queries"
PLANS = RESULTS_DIR / "register_queries_plans.txt"
LIMIT = 1001
#: Every n-th Personensuche asks for a date of birth nobody has.
NO_HIT_EVERY = 10
_NO_HIT_DAY = D(1901, 1, 1)
#: Issue 11: p99 targets at 10 M persons on PostgreSQL.
TARGETS_MS = {"personensuche": 20.0, "freie Suche gemeinde": 200.0}

_Search: TypeAlias = PersonensucheQuery | FreieSucheQuery


@dataclasses.dataclass(frozen=True, slots=True)
class Shape:
    name: str
    kind: str  # "personensuche" | "freie Suche gemeinde" | "freie Suche kreis" | ...
    build: Callable[[Person, int], _Search | None]


def _geburtsdatum(person: Person) -> D | None:
    """The person's date of birth as the register keys it: a copy made by
    :func:`bench.register_10m.replicate` (id ≥ 10⁹) is born k days later."""
    day = person.geburtsdatum
    if day.jahr is None:
        return None
    k = (person.id or 0) // COPY_ID_OFFSET
    if k and day.monat and day.tag:
        shifted = date(day.jahr, day.monat, day.tag) + timedelta(days=k)
        return D(shifted.year, shifted.month, shifted.day)
    return day


def _anschrift(person: Person) -> tuple[str, str] | None:
    for anschrift in person.anschriften:
        if anschrift.aktuell and anschrift.ags == person.ags and anschrift.strasse:
            if anschrift.hausnummer:
                return anschrift.strasse, anschrift.hausnummer
    return None


def _personensuche(*, phonetisch: bool, strasse: bool) -> Callable[[Person, int], _Search | None]:
    def build(person: Person, i: int) -> _Search | None:
        born = _geburtsdatum(person)
        where = _anschrift(person)
        if not person.familienname or not person.vornamen or born is None:
            return None
        if strasse and where is None:
            return None
        return PersonensucheQuery(
            ags=person.ags,
            familienname=person.familienname,
            vornamen=(person.vornamen[0],),
            geburtsdatum=_NO_HIT_DAY if i % NO_HIT_EVERY == NO_HIT_EVERY - 1 else born,
            strasse=where[0] if strasse and where else None,
            hausnummer=where[1] if strasse and where else None,
            phonetisch=phonetisch,
        )

    return build


def _area(person: Person, art: SuchbereichArt) -> Suchbereich:
    length = {SuchbereichArt.GEMEINDE: 8, SuchbereichArt.KREIS: 5, SuchbereichArt.LAND: 2}[art]
    return Suchbereich(art, person.ags[:length])


def _freie(
    art: SuchbereichArt, criteria: Callable[[Person], dict[str, Any] | None]
) -> Callable[[Person, int], _Search | None]:
    def build(person: Person, _i: int) -> _Search | None:
        given = criteria(person)
        if given is None:
            return None
        return FreieSucheQuery(suchbereich=_area(person, art), **given)

    return build


def _surname(person: Person, *, phonetisch: bool = False) -> dict[str, Any] | None:
    if not person.familienname:
        return None
    return {"familienname": NameKriterium(person.familienname, phonetisch=phonetisch)}


def _surname_vorname(person: Person) -> dict[str, Any] | None:
    if not person.familienname or not person.vornamen:
        return None
    return {
        "familienname": NameKriterium(person.familienname),
        "vornamen": NameKriterium(person.vornamen[0]),
    }


def _prefix_vorname(person: Person) -> dict[str, Any] | None:
    letters = re.sub(r"[^A-Za-zÄÖÜäöüß]", "", person.familienname or "")
    if len(letters) < 4 or not person.vornamen:
        return None
    return {
        "familienname": NameKriterium(letters[:4] + "*"),
        "vornamen": NameKriterium(person.vornamen[0]),
    }


def _strasse_hausnummern(person: Person) -> dict[str, Any] | None:
    where = _anschrift(person)
    if where is None:
        return None
    return {"strasse": where[0], "hausnummer": "1", "hausnummer_bis": "40"}


def _vorname_jahre(person: Person) -> dict[str, Any] | None:
    born = person.geburtsdatum.jahr
    if not person.vornamen or born is None:
        return None
    return {
        "vornamen": NameKriterium(person.vornamen[0]),
        "geburtszeitraum": Zeitraum(D(born - 2), D(born + 2, 12, 31)),
    }


G, K, L = SuchbereichArt.GEMEINDE, SuchbereichArt.KREIS, SuchbereichArt.LAND
SHAPES: tuple[Shape, ...] = (
    Shape("P exakt", "personensuche", _personensuche(phonetisch=False, strasse=False)),
    Shape("P exakt+strasse", "personensuche", _personensuche(phonetisch=False, strasse=True)),
    Shape("P phonetisch", "personensuche", _personensuche(phonetisch=True, strasse=False)),
    Shape("P phonetisch+strasse", "personensuche", _personensuche(phonetisch=True, strasse=True)),
    Shape("F gemeinde name", "freie Suche gemeinde", _freie(G, _surname)),
    Shape(
        "F gemeinde name phon",
        "freie Suche gemeinde",
        _freie(G, lambda p: _surname(p, phonetisch=True)),
    ),
    Shape("F gemeinde strasse+nr 1-40", "freie Suche gemeinde", _freie(G, _strasse_hausnummern)),
    Shape("F kreis name+vorname", "freie Suche kreis", _freie(K, _surname_vorname)),
    Shape("F kreis Abcd*+vorname", "freie Suche kreis", _freie(K, _prefix_vorname)),
    Shape("F land name+vorname", "freie Suche land", _freie(L, _surname_vorname)),
    Shape("F land vorname+5 jahre", "freie Suche land", _freie(L, _vorname_jahre)),
)


# -- the register and its server ---------------------------------------------------------------


def sample_persons(store: RegisterStore, *, count: int, seed: int) -> list[Person]:
    """``count`` persons of the register in a random order fixed by ``seed``: a block sample
    on PostgreSQL (reads only the sampled pages), every n-th id on SQLite."""
    engine = store.engine
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            estimate = conn.execute(
                text("select reltuples from pg_class where oid = 'register_person'::regclass")
            ).scalar()
            total = max(float(estimate or 0), 1.0)
            percent = min(100.0, 100.0 * 4 * count / total)
            rows = conn.execute(
                text(
                    "select id, record from register_person "
                    f"tablesample system ({percent:.6f}) repeatable ({seed})"
                )
            ).all()
        else:
            total = float(conn.execute(text("select count(*) from register_person")).scalar() or 1)
            step = max(1, int(total // (4 * count)))
            rows = conn.execute(
                text(f"select id, record from register_person where (id + {seed}) % {step} = 0")
            ).all()
    persons = [stored_person(row.id, row.record) for row in rows]
    persons.sort(key=lambda p: p.id or 0)
    random.Random(seed).shuffle(persons)
    if len(persons) < count:
        raise SystemExit(f"the register gave only {len(persons)} persons for {count} searches")
    return persons


class BackendCpu:
    """CPU seconds of the PostgreSQL backends of the store's connections (``/proc``)."""

    def __init__(self, engine: Engine) -> None:
        self.pids: set[int] = set()
        self._tick = os.sysconf("SC_CLK_TCK")
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", self._connected)

    def _connected(self, dbapi_connection: Any, _record: Any) -> None:
        self.pids.add(int(dbapi_connection.info.backend_pid))

    def seconds(self) -> float | None:
        if not self.pids:
            return None
        total = 0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None  # not on this machine (or gone)
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self._tick


def _evict(store: RegisterStore) -> str:
    """Empty PostgreSQL's shared buffers of the register (prewarm a scratch table as large as
    them) and drop the OS page cache. Returns what was done (for the report)."""
    done = []
    engine = store.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("create extension if not exists pg_prewarm"))
            size = conn.execute(
                text("select setting::bigint * 8192 from pg_settings where name = 'shared_buffers'")
            ).scalar()
            pages = int(size or 0) // 8192
            exists = conn.execute(text("select to_regclass('bench_evict') is not null")).scalar()
            if not exists:
                conn.execute(text("create unlogged table bench_evict (filler text)"))
                # ~ 7 rows of 1 KB per 8 KB page: a table a little larger than shared_buffers
                conn.execute(
                    text(
                        "insert into bench_evict select repeat('x', 1000) "
                        f"from generate_series(1, {pages * 8})"
                    )
                )
            conn.execute(text("select pg_prewarm('bench_evict', 'buffer')"))
        done.append(f"shared_buffers ({int(size or 0) // 2**20} MB) refilled with a scratch table")
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        done.append("OS page cache dropped")
    except OSError as exc:
        done.append(f"OS page cache NOT dropped ({exc.strerror})")
    return "; ".join(done)


# -- measuring -----------------------------------------------------------------------------------


def _search(store: RegisterStore, query: _Search) -> list[Person] | None:
    """The persons found; ``None`` for a freie Suche refused for more than 1 000 hits."""
    if isinstance(query, PersonensucheQuery):
        return store.search_personen(query, limit=LIMIT)
    try:
        return store.search_freie_suche(query, stichtag=STICHTAG, limit=LIMIT - 1)
    except ErgebnislisteZuGrossError:
        return None


def _queries(shape: Shape, persons: Sequence[Person], count: int) -> list[tuple[Person, _Search]]:
    out: list[tuple[Person, _Search]] = []
    for person in persons:
        query = shape.build(person, len(out))
        if query is not None:
            out.append((person, query))
            if len(out) == count:
                break
    return out


def _timed_pass(
    store: RegisterStore,
    cpu: BackendCpu,
    searches: Sequence[tuple[Person, _Search]],
    *,
    budget: float,
) -> dict[str, Any]:
    clock = time.perf_counter
    samples: list[float] = []
    found: list[int] = []
    missed: list[int] = []
    server_before = cpu.seconds()
    client_before = time.process_time()
    deadline = clock() + budget
    for person, query in searches:
        started = clock()
        result = _search(store, query)
        samples.append(clock() - started)
        found.append(LIMIT if result is None else len(result))
        expected = not (isinstance(query, PersonensucheQuery) and query.geburtsdatum == _NO_HIT_DAY)
        if isinstance(query, PersonensucheQuery) and expected:
            if person.id not in {p.id for p in result or ()}:
                missed.append(person.id or 0)
        if clock() > deadline:
            break
    client = time.process_time() - client_before
    server_after = cpu.seconds()
    n = len(samples)
    summary = summarise(samples).as_dict()
    return {
        **summary,
        "client_cpu_ms": round(1000 * client / n, 3),
        "server_cpu_ms": (
            round(1000 * (server_after - server_before) / n, 3)
            if server_before is not None and server_after is not None
            else None
        ),
        "found_mean": round(sum(found) / n, 1),
        "found_zero": sum(1 for f in found if f == 0),
        "found_at_limit": sum(1 for f in found if f >= LIMIT),
        "personensuche_missed": missed[:10],
        "personensuche_missed_count": len(missed),
        "stopped_by_budget": n < len(searches),
    }


def _literal_sql(store: RegisterStore, query: _Search) -> str:
    if isinstance(query, PersonensucheQuery):
        stmt, params = search_statement(normalisierte_suche(query), LIMIT)
        bound = stmt.params(**params)
    else:
        bound = freie_suche_statement(
            normalisierte_freie_suche(query), stichtag=STICHTAG, limit=LIMIT
        )
    compiled = bound.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)


def _explain(store: RegisterStore, query: _Search) -> str:
    sql = _literal_sql(store, query)
    prefix = "EXPLAIN (ANALYZE, BUFFERS)"
    if store.engine.dialect.name != "postgresql":
        prefix = "EXPLAIN QUERY PLAN"
    with store.engine.begin() as conn:
        rows = conn.exec_driver_sql(f"{prefix} {sql}").all()
    plan = "\n".join(
        " | ".join(str(v) for v in row) if len(row) > 1 else str(row[0]) for row in rows
    )
    return f"{sql}\n\n{plan}"


_NODE = re.compile(
    r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)"
    r"(?: using (\S+))? on (\S+)"
)


def plan_summary(plan: str) -> dict[str, Any]:
    """The lines that matter of an ``EXPLAIN (ANALYZE, BUFFERS)`` text: scans (index used, on
    which table), the top node's buffers, the execution time; sequential scans on register
    tables are flagged."""
    scans = [" ".join(filter(None, m.groups())) for m in _NODE.finditer(plan)]
    buffers = re.search(r"Buffers: ([^\n]+)", plan)
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    planning = re.search(r"Planning Time: ([\d.]+) ms", plan)
    return {
        "scans": scans,
        "seq_scans_on_register": [
            s for s in scans if s.startswith("Seq Scan") and "register_" in s
        ],
        "top_buffers": buffers.group(1) if buffers else None,
        "execution_ms": float(execution.group(1)) if execution else None,
        "planning_ms": float(planning.group(1)) if planning else None,
    }


def _shapes(names: Sequence[str] | None) -> tuple[Shape, ...]:
    if not names:
        return SHAPES
    chosen = tuple(s for s in SHAPES if s.name in names)
    if len(chosen) != len(set(names)):
        raise SystemExit(f"shapes are: {', '.join(s.name for s in SHAPES)}")
    return chosen


def run(
    *,
    url: str,
    searches: int = 200,
    seed: int = 7,
    cold: bool = False,
    explain: bool = False,
    budget: float = 120.0,
    shape_names: Sequence[str] | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    name = NAME if tag is None else f"{NAME}_{tag}"
    plans_path = PLANS if tag is None else PLANS.with_name(f"{name}_plans.txt")
    shapes = _shapes(shape_names)
    store = RegisterStore(url)
    cpu = BackendCpu(store.engine)
    plans: list[str] = []
    results: dict[str, dict[str, Any]] = {}
    try:
        with store.engine.connect() as conn:
            held = int(conn.execute(text("select count(*) from register_person")).scalar() or 0)
        # warm persons, then cold ones (never searched warm), then one each for the cold plans
        pool = sample_persons(store, count=3 * searches + 50, seed=seed)
        half = len(pool) // 2
        warm_pool, cold_pool = pool[:half], pool[half:]
        print(f"[register_queries] {held} persons; {len(pool)} sampled", flush=True)
        for shape in shapes:
            warm = _queries(shape, warm_pool, searches)
            entry: dict[str, Any] = {"kind": shape.kind, "searches": len(warm)}
            deadline = time.perf_counter() + budget
            for index, (_person, query) in enumerate(warm):  # warm-up pass, statement caches
                _search(store, query)
                if time.perf_counter() > deadline:  # time the searches that were warmed
                    warm = warm[: index + 1]
                    break
            entry["warm"] = _timed_pass(store, cpu, warm, budget=budget)
            if explain and warm:
                plan = _explain(store, warm[0][1])
                entry["plan_warm"] = plan_summary(plan)
                plans.append(f"===== {shape.name} — WARM =====\n{plan}\n")
            results[shape.name] = entry
            print(f"  {shape.name}: warm p50 {entry['warm']['median_ms']:.2f} ms, "
                  f"p99 {entry['warm']['p99_ms']:.2f} ms", flush=True)  # fmt: skip
        if cold:
            for shape in shapes:
                entry = results[shape.name]
                cold_searches = _queries(shape, cold_pool, searches + 1)
                if explain and cold_searches:
                    entry["evicted"] = _evict(store)
                    plan = _explain(store, cold_searches[-1][1])
                    entry["plan_cold"] = plan_summary(plan)
                    plans.append(f"===== {shape.name} — COLD =====\n{plan}\n")
                entry["evicted"] = _evict(store)
                entry["cold"] = _timed_pass(store, cpu, cold_searches[:-1], budget=budget)
                print(f"  {shape.name}: cold p50 {entry['cold']['median_ms']:.2f} ms, "
                      f"p99 {entry['cold']['p99_ms']:.2f} ms", flush=True)  # fmt: skip
    finally:
        store.close()
    if plans:
        plans_path.parent.mkdir(parents=True, exist_ok=True)
        plans_path.write_text("\n".join(plans), encoding="utf-8")
    rows = []
    for shape_name, entry in results.items():
        target = TARGETS_MS.get(entry["kind"])
        for mode in ("warm", "cold"):
            if mode not in entry:
                continue
            t = entry[mode]
            verdict = "" if target is None else ("ok" if t["p99_ms"] <= target else "MISSED")
            rows.append(
                (
                    shape_name,
                    mode,
                    t["n"],
                    t["median_ms"],
                    t["p95_ms"],
                    t["p99_ms"],
                    "" if target is None else target,
                    verdict,
                    t["client_cpu_ms"],
                    "" if t["server_cpu_ms"] is None else t["server_cpu_ms"],
                    t["found_mean"],
                    t["found_at_limit"],
                    t["personensuche_missed_count"],
                )
            )
    print_table(
        f"Search latency at {held:,} persons (ms; limit {LIMIT})",
        (
            "shape",
            "cache",
            "n",
            "p50",
            "p95",
            "p99",
            "target p99",
            "",
            "CPU client",
            "CPU server",
            "found",
            "at limit",
            "missed",
        ),
        rows,
        text_columns=2,
    )
    result = {
        "parameters": {
            "url": re.sub(r"//[^@/]*@", "//", url),
            "persons": held,
            "searches": searches,
            "seed": seed,
            "cold": cold,
            "budget_seconds": budget,
        },
        "targets_p99_ms": TARGETS_MS,
        "shapes": results,
    }
    print(f"  written {write_result(name, result)}")
    return result


def _iter_names(value: str) -> Iterator[str]:
    yield from (v.strip() for v in value.split(",") if v.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.register_queries",
        description="Personensuche and freie Suche latency (warm / cold) on an existing register.",
    )
    parser.add_argument("--url", required=True, help="PostgreSQL server or sqlite:///file")
    parser.add_argument("--schema", help="PostgreSQL schema holding the register")
    parser.add_argument("--searches", type=int, default=200, help="per shape and cache state")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="also cold (evict, drop OS cache)")
    parser.add_argument("--explain", action="store_true", help="record EXPLAIN ANALYZE plans")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per shape pass")
    parser.add_argument("--shapes", type=lambda v: list(_iter_names(v)), help="comma-separated")
    parser.add_argument("--tag", help="results go to register_queries_<tag>.json (and _plans.txt)")
    args = parser.parse_args(argv)
    url = schema_url(args.url, args.schema) if args.schema else args.url
    result = run(
        url=url,
        searches=args.searches,
        seed=args.seed,
        cold=args.cold,
        explain=args.explain,
        budget=args.budget,
        shape_names=args.shapes,
        tag=args.tag,
    )
    missed = sum(
        entry[mode]["personensuche_missed_count"]
        for entry in result["shapes"].values()
        for mode in ("warm", "cold")
        if mode in entry
    )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
