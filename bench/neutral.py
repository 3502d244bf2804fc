"""The neutral answer, measured: is a blocked person's 03 told apart from a real no-hit's 03?

DOMAIN.md § 3 "Answer": when the only hit carries an Auskunftssperre the answer is status 03,
and it "must not differ from a real 'no hit' in content, size class or timing". This benchmark
asks ``datenspiegel serve`` over TLS, as the demo user ``ordnungsamt`` (a public body), for the
documented test cases and compares what a requester can observe:

- **content**: every answer is verified (broker signature, pinned certificate) and normalised —
  the message id, creation time, request reference and the echo of the municipality asked
  (``autor``) blanked — then hashed: all 03 answers must have one and the same hash;
- **size**: the HTTP body in bytes (it should not vary at all: the variable fields have fixed
  lengths);
- **timing**: the server's time per transaction (the ``datenspiegel_transaction_seconds``
  histogram's sum, read from ``/metrics`` after every request: from body read to reply, no
  network in it) and the round trip the client sees (keep-alive HTTPS on loopback, no
  handshake), p50/p90/p99; then the same cases through the broker in-process
  (``Broker.submit``: no TLS, no HTTP), the transaction's own cost difference. Cases are
  interleaved — every round sends each case once, in a fresh random order — so drift of the
  machine hits every case alike.

Cases: the unique hit (TF01, 01), the documented no-hit (TF04), the blocked person (TF07, code
3), the person blocked at a security authority's instigation (TF08, code 11, three follow-ups)
and, as controls, TF07 and TF08 with a first name nobody has: same municipality, same search
criteria, no hit. Before anything is timed, the register is asked in-process how many persons
each case matches; a case that does not match as documented stops the run.

Statistics without numpy/scipy: Mann–Whitney U (two-sided, normal approximation with tie
correction), the probability of superiority (AUC: 0.5 = indistinguishable), the Hodges–Lehmann
shift, and Noether's estimate of how many requests per case an observer needs to tell two cases
apart (α 0.01, power 0.8). Content or size differences count as problems (exit code 1); a
timing verdict is reported, not failed on: this is a shared, noisy machine.

Run: ``python -m bench.neutral [--requests 400] [--warmup 20] [--persons 5000]``.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests
from lxml import etree
from tqdm import tqdm

from bench.errors import BenchError, InvalidSetup, WrongResult
from bench.report import Figure, exit_status, print_table, write_result
from bench.server_process import ServerProcess, start_server
from bench.stats import percentile
from bench.world import BenchWorld, RequestFactory, create_world, load_world, open_broker
from datenspiegel.fixtures.testpersons import TEST_CASES, Fakt, TestCase
from datenspiegel.service.app import open_stores
from datenspiegel.service.envelope import SOAP11_NAMESPACE, answer_envelope
from datenspiegel.signing import (
    MessageVerifier,
    SigningError,
    TrustStore,
    certificate_fingerprint,
    load_pem_certificates,
)
from datenspiegel.xsd import ParserLimits, parse_message

__all__ = ["ALPHA", "add_arguments", "figures", "main", "mann_whitney", "problems", "run"]

NAME = "neutral"
#: Significance level of each timing comparison (two-sided).
ALPHA = 0.01
_POWER_Z = 0.8416  # z of power 0.8
_SOAP_ACTION = '"urn:xoev-de:datenspiegel:datenabruf:1:personensuche"'
_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": _SOAP_ACTION}
_SERVER_SUM = re.compile(
    r'^datenspiegel_transaction_seconds_sum\{service="personensuche"\}\s+(\S+)$', re.M
)
#: Blanked before the content of two answers is compared: what differs in every message.
_VARIABLE = (
    "nachrichtenkopf.g2g/identifikation.nachricht/nachrichtenUUID",
    "nachrichtenkopf.g2g/identifikation.nachricht/erstellungszeitpunkt",
    "ursprungsnachricht",
    "nachrichtenkopf.g2g/autor/kennung",  # the municipality the requester addressed
    "nachrichtenkopf.g2g/autor/name",
)
_NOBODY = ("Niemand",)  # a first name no test person has: the controls' no-hit


@dataclass(frozen=True, slots=True)
class Arm:
    """One case of the comparison: a documented test case or a control derived from one."""

    key: str
    label: str
    case: TestCase
    matches: int  # persons the register finds (before the disclosure rules)
    status: str  # Ergebnisstatus the demo user receives


def _find(predicate: Any, what: str) -> TestCase:
    found = next((c for c in TEST_CASES if predicate(c)), None)
    if found is None:
        raise InvalidSetup(f"fixtures/testpersons.py has no test case {what}")
    return found


def _control(case: TestCase) -> TestCase:
    """``case`` with a first name nobody has: same municipality and criteria, no hit."""
    return replace(
        case,
        kennung=f"{case.kennung}-kontrolle",
        titel=f"{case.titel} — Vorname {_NOBODY[0]}: kein Treffer",
        query=replace(case.query, vornamen=_NOBODY),
        treffer=(),
        status="03",
    )


def arms() -> list[Arm]:
    unique = _find(lambda c: c.status == "01" and not c.query.phonetisch, "with status 01")
    no_hit = _find(lambda c: c.status == "03" and not c.treffer, "03 without a match")
    blocked = _find(
        lambda c: (
            c.status == "03"
            and len(c.treffer) == 1
            and Fakt.SICHERHEITSBEHOERDE_INFORMIEREN not in c.fakten
        ),
        "03 with one blocked match",
    )
    instigated = _find(
        lambda c: c.status == "03" and Fakt.SICHERHEITSBEHOERDE_INFORMIEREN in c.fakten,
        "03 blocked at a security authority's instigation",
    )
    return [
        Arm("unique", f"01 unique hit ({unique.kennung})", unique, 1, "01"),
        Arm("no_hit", f"03 no hit ({no_hit.kennung})", no_hit, 0, "03"),
        Arm("blocked", f"03 blocked, code 3 ({blocked.kennung})", blocked, 1, "03"),
        Arm(
            "blocked_control",
            f"03 no hit, {blocked.kennung}'s criteria",
            _control(blocked),
            0,
            "03",
        ),
        Arm(
            "instigated",
            f"03 blocked, code 11 ({instigated.kennung})",
            instigated,
            1,
            "03",
        ),
        Arm(
            "instigated_control",
            f"03 no hit, {instigated.kennung}'s criteria",
            _control(instigated),
            0,
            "03",
        ),
    ]


#: The timings compared: (name in the result, attribute of the samples).
_TIMINGS = (("server", "server_s"), ("round_trip", "rtt_s"), ("in_process", "in_process_s"))
#: (a, b, why): the comparisons reported. The first is the one DOMAIN.md § 3 is about.
COMPARISONS: tuple[tuple[str, str, str], ...] = (
    ("blocked", "no_hit", "blocked vs the documented no-hit"),
    ("blocked", "blocked_control", "blocked vs no-hit, same criteria"),
    ("instigated", "instigated_control", "code 11 vs no-hit, same criteria"),
    ("instigated", "no_hit", "code 11 vs the documented no-hit"),
    ("no_hit", "blocked_control", "no-hit vs no-hit (control: must not differ)"),
    ("unique", "no_hit", "01 vs 03 no-hit (sanity: must differ)"),
)


# -- statistics --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MannWhitney:
    u: float  # U of the first sample
    z: float
    p: float  # two-sided
    auc: float  # P(a > b) + ½ P(a = b)


def mann_whitney(a: Sequence[float], b: Sequence[float]) -> MannWhitney:
    """Two-sided Mann–Whitney U test, normal approximation with tie and continuity correction."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        raise ValueError("Mann–Whitney needs at least two samples on each side")
    pooled = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    n = n_a + n_b
    rank_sum_a = 0.0
    tie_term = 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        rank = (i + j) / 2 + 1  # average rank of the tied run i..j (1-based)
        rank_sum_a += rank * sum(1 for k in range(i, j + 1) if pooled[k][1] == 0)
        t = j - i + 1
        tie_term += t**3 - t
        i = j + 1
    u = rank_sum_a - n_a * (n_a + 1) / 2
    mean = n_a * n_b / 2
    variance = n_a * n_b / 12 * ((n + 1) - tie_term / (n * (n - 1)))
    if variance <= 0:
        return MannWhitney(u, 0.0, 1.0, u / (n_a * n_b))
    delta = u - mean
    z = (delta - math.copysign(0.5, delta)) / math.sqrt(variance) if delta else 0.0
    return MannWhitney(u, z, math.erfc(abs(z) / math.sqrt(2)), u / (n_a * n_b))


def hodges_lehmann(a: Sequence[float], b: Sequence[float]) -> float:
    """Median of all differences a_i − b_j: the shift of a against b."""
    return statistics.median(x - y for x in a for y in b)


def _z(two_sided_alpha: float) -> float:
    return statistics.NormalDist().inv_cdf(1 - two_sided_alpha / 2)


def requests_to_tell_apart(auc: float) -> float:
    """Noether (1987): requests per case for Mann–Whitney to detect this AUC (α, power 0.8)."""
    distance = abs(auc - 0.5)
    if distance == 0:
        return math.inf
    return (_z(ALPHA) + _POWER_Z) ** 2 / (6 * distance**2)


def detectable_auc_distance(n: int) -> float:
    """|AUC − 0.5| this run would have detected with power 0.8 at ``n`` requests per case."""
    return (_z(ALPHA) + _POWER_Z) / math.sqrt(6 * n)


# -- one run against the server ----------------------------------------------------------------


@dataclass
class _Samples:
    server_s: list[float] = field(default_factory=list)
    rtt_s: list[float] = field(default_factory=list)
    in_process_s: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    http_status: set[int] = field(default_factory=set)
    ergebnisstatus: set[str] = field(default_factory=set)
    content: set[str] = field(default_factory=set)
    header_names: set[tuple[str, ...]] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


class _Reader:
    """Verifies an answer as a specialist application must, then normalises and hashes it."""

    def __init__(self, world: BenchWorld) -> None:
        self._verifier = MessageVerifier(TrustStore.from_pem_files([Path(world.demo["ca_file"])]))
        broker = load_pem_certificates(Path(world.demo["broker_certificate"]))[0]
        self._broker = certificate_fingerprint(broker)
        self._limits = ParserLimits.for_answer()

    def read(self, body: bytes) -> tuple[str, str]:
        """(Ergebnisstatus, digest of the normalised content), or raise WrongResult."""
        try:
            envelope = parse_message(body, limits=self._limits)
        except Exception as exc:
            raise WrongResult(f"reply is not XML: {exc}") from exc
        soap_body = envelope.find(f"{{{SOAP11_NAMESPACE}}}Body")
        if soap_body is None or len(soap_body) != 1:
            raise WrongResult("reply is not a SOAP envelope with one body element")
        if soap_body[0].tag == f"{{{SOAP11_NAMESPACE}}}Fault":
            raise WrongResult(f"SOAP fault: {soap_body[0].findtext('faultstring')}")
        document = etree.tostring(soap_body[0], encoding="UTF-8", xml_declaration=True)
        try:
            verified = self._verifier.verify(document)
        except SigningError as exc:
            raise WrongResult(f"answer signature does not verify: {exc}") from exc
        if verified.fingerprint_sha256 != self._broker:
            raise WrongResult("answer is signed, but not with the broker's certificate")
        root = verified.root
        status = root.findtext("ergebnis/ergebnisstatus/code") or "-"
        for path in _VARIABLE:
            for element in root.iterfind(path):
                element.text = "-"
        canonical = etree.tostring(root, method="c14n", exclusive=True)
        return status, hashlib.sha256(canonical).hexdigest()[:16]


def _server_seconds(session: requests.Session, server: ServerProcess, timeout: float) -> float:
    text = session.get(f"{server.base_url}/metrics", timeout=timeout).text
    found = _SERVER_SUM.search(text)
    return float(found.group(1)) if found else 0.0


def _check_register(world: BenchWorld, chosen: Sequence[Arm]) -> None:
    """Each case must match in the register exactly as documented, or nothing is timed."""
    stores = open_stores(world.config)
    try:
        for arm in chosen:
            found = len(stores.register.search_personen(arm.case.query, limit=2))
            if found != arm.matches:
                raise WrongResult(
                    f"{arm.label}: the register matches {found} persons, expected "
                    f"{arm.matches} (fixtures/testpersons.py and the data directory disagree)"
                )
    finally:
        stores.close()


def _presign(
    world: BenchWorld, chosen: Sequence[Arm], count: int, progress: bool
) -> dict[str, list[bytes]]:
    envelopes: dict[str, list[bytes]] = {}
    for arm in chosen:
        factory = RequestFactory(world, case=arm.case)
        envelopes[arm.key] = [
            answer_envelope(doc)
            for doc in tqdm(
                (factory.signed() for _ in range(count)),
                total=count,
                desc=f"signing {arm.key}",
                unit=" req",
                leave=False,
                disable=not progress,
            )
        ]
    return envelopes


def _exchange(
    session: requests.Session,
    server: ServerProcess,
    envelope: bytes,
    *,
    timeout: float,
) -> tuple[requests.Response, float]:
    began = time.perf_counter()
    response = session.post(server.endpoint, data=envelope, headers=_HEADERS, timeout=timeout)
    _ = response.content  # the round trip ends when the whole body is in
    return response, time.perf_counter() - began


def _measure(
    world: BenchWorld,
    chosen: Sequence[Arm],
    *,
    rounds: int,
    warmup: int,
    seed: int,
    timeout: float,
    progress: bool,
) -> dict[str, _Samples]:
    envelopes = _presign(world, chosen, rounds + warmup, progress)
    reader = _Reader(world)
    samples = {arm.key: _Samples() for arm in chosen}
    order = random.Random(seed)  # an order, not a secret
    server = start_server(world.data_dir)
    session = requests.Session()
    session.trust_env = False  # an environment CA bundle must not override verify
    session.verify = str(world.demo["ca_file"])
    try:
        print(f"[neutral] server {server.endpoint} (pid {server.process.pid})", flush=True)
        last = _server_seconds(session, server, timeout)
        for round_no in tqdm(
            range(warmup + rounds),
            desc="rounds",
            unit=" round",
            leave=False,
            disable=not progress,
        ):
            sequence = list(chosen)
            order.shuffle(sequence)
            for arm in sequence:
                response, rtt = _exchange(
                    session, server, envelopes[arm.key][round_no], timeout=timeout
                )
                now = _server_seconds(session, server, timeout)
                server_time, last = now - last, now
                if server_time <= 0:
                    raise WrongResult(
                        "the server's datenspiegel_transaction_seconds_sum{service="
                        '"personensuche"} did not grow with a request: cannot time the server'
                    )
                if round_no < warmup:
                    continue
                got = samples[arm.key]
                got.http_status.add(response.status_code)
                try:
                    status, content = reader.read(response.content)
                except WrongResult as exc:
                    got.errors.append(str(exc)[:300])
                    continue
                got.rtt_s.append(rtt)
                got.server_s.append(server_time)
                got.sizes.append(len(response.content))
                got.ergebnisstatus.add(status)
                got.content.add(content)
                got.header_names.add(tuple(sorted(k.lower() for k in response.headers)))
    finally:
        session.close()
        server.stop()
    return samples


def _measure_in_process(
    world: BenchWorld,
    chosen: Sequence[Arm],
    samples: dict[str, _Samples],
    *,
    rounds: int,
    warmup: int,
    seed: int,
    progress: bool,
) -> None:
    """The same cases through the broker in-process (no TLS, no HTTP): the cost difference of
    the transaction itself, without the network's and the web server's noise."""
    documents = {
        arm.key: RequestFactory(world, case=arm.case).presign(rounds + warmup, progress=progress)
        for arm in chosen
    }
    order = random.Random(seed + 1)  # an order, not a secret
    clock = time.perf_counter
    with open_broker(world) as (broker, _stores):
        for round_no in tqdm(
            range(warmup + rounds),
            desc="in-process rounds",
            unit=" round",
            leave=False,
            disable=not progress,
        ):
            sequence = list(chosen)
            order.shuffle(sequence)
            for arm in sequence:
                began = clock()
                reply = broker.submit(documents[arm.key][round_no])
                elapsed = clock() - began
                if str(reply.code) != arm.status:
                    raise WrongResult(
                        f"{arm.label} in-process: answered {reply.code} ({reply.message}), "
                        f"expected {arm.status}"
                    )
                if round_no >= warmup:
                    samples[arm.key].in_process_s.append(elapsed)


# -- the report --------------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(v * 1000 for v in values)
    return {
        "p50_ms": round(percentile(ordered, 0.5), 4),
        "p90_ms": round(percentile(ordered, 0.9), 4),
        "p99_ms": round(percentile(ordered, 0.99), 4),
        "mean_ms": round(statistics.fmean(ordered), 4),
    }


def _arm_result(arm: Arm, got: _Samples) -> dict[str, Any]:
    return {
        "key": arm.key,
        "label": arm.label,
        "test_case": arm.case.kennung,
        "register_matches": arm.matches,
        "expected_status": arm.status,
        "n": len(got.server_s),
        "errors": len(got.errors),
        "error_examples": sorted(set(got.errors))[:3],
        "http_status": sorted(got.http_status),
        "ergebnisstatus": sorted(got.ergebnisstatus),
        "content_digests": sorted(got.content),
        "header_names": [list(h) for h in sorted(got.header_names)],
        "body_bytes": {
            "min": min(got.sizes, default=0),
            "max": max(got.sizes, default=0),
            "distinct": sorted(set(got.sizes)),
        },
        "server": _ms(got.server_s) if got.server_s else None,
        "round_trip": _ms(got.rtt_s) if got.rtt_s else None,
        "in_process": _ms(got.in_process_s) if got.in_process_s else None,
        "server_samples_ms": [round(v * 1000, 4) for v in got.server_s],
    }


def _compare(
    a: dict[str, Any], b: dict[str, Any], why: str, samples: dict[str, _Samples]
) -> dict[str, Any]:
    out: dict[str, Any] = {"a": a["key"], "b": b["key"], "what": why}
    out["same_sizes"] = a["body_bytes"]["distinct"] == b["body_bytes"]["distinct"]
    out["size_difference_bytes"] = b["body_bytes"]["max"] - a["body_bytes"]["max"]
    out["same_content"] = (
        a["content_digests"] == b["content_digests"] and len(a["content_digests"]) == 1
    )
    for kind, attr in _TIMINGS:
        xs: list[float] = getattr(samples[a["key"]], attr)
        ys: list[float] = getattr(samples[b["key"]], attr)
        if len(xs) < 2 or len(ys) < 2:
            out[kind] = None
            continue
        test = mann_whitney(xs, ys)
        out[kind] = {
            "median_difference_us": round((statistics.median(xs) - statistics.median(ys)) * 1e6, 1),
            "hodges_lehmann_shift_us": round(hodges_lehmann(xs, ys) * 1e6, 1),
            "auc": round(test.auc, 4),
            "z": round(test.z, 3),
            "p": test.p,
            "distinguishable": test.p < ALPHA,
            "requests_to_tell_apart": (
                None
                if math.isinf(needed := requests_to_tell_apart(test.auc))
                else math.ceil(needed)
            ),
        }
    return out


def _verdict(comparison: dict[str, Any], n: int, kind: str = "server") -> str:
    test = comparison[kind]
    if test is None:
        return "not measured"
    if test["distinguishable"]:
        return (
            f"DISTINGUISHABLE: {test['hodges_lehmann_shift_us']:+.0f} µs, AUC {test['auc']:.3f}, "
            f"p {test['p']:.1e}; about {test['requests_to_tell_apart']} requests of each "
            "suffice to tell them apart"
        )
    return (
        f"not distinguishable (p {test['p']:.2f}); this run would have seen |AUC − 0.5| ≥ "
        f"{detectable_auc_distance(n):.3f}"
    )


def run(
    *,
    world: BenchWorld | None = None,
    persons: int = 5000,
    requests_per_case: int = 400,
    warmup: int = 20,
    seed: int = 1,
    timeout: float = 30.0,
    progress: bool = True,
) -> dict[str, Any]:
    """Measure every case ``requests_per_case`` times, interleaved, against one server."""
    if requests_per_case < 10 or warmup < 0:
        raise InvalidSetup("--requests must be at least 10 and --warmup not negative")
    chosen = arms()
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp:
        if world is None:
            print(f"[neutral] initialising a data directory with {persons} persons …", flush=True)
            world = create_world(Path(tmp) / "var", persons=persons, progress=progress)
        _check_register(world, chosen)
        print(
            f"[neutral] {len(chosen)} cases × {requests_per_case} requests, interleaved "
            f"(+{warmup} warm-up rounds) …",
            flush=True,
        )
        samples = _measure(
            world,
            chosen,
            rounds=requests_per_case,
            warmup=warmup,
            seed=seed,
            timeout=timeout,
            progress=progress,
        )
        print("[neutral] the same cases in-process (broker.submit, no TLS) …", flush=True)
        _measure_in_process(
            world,
            chosen,
            samples,
            rounds=requests_per_case,
            warmup=warmup,
            seed=seed,
            progress=progress,
        )
    per_arm = {arm.key: _arm_result(arm, samples[arm.key]) for arm in chosen}
    comparisons = [_compare(per_arm[a], per_arm[b], why, samples) for a, b, why in COMPARISONS]
    n = min(r["n"] for r in per_arm.values())
    for comparison in comparisons:
        comparison["verdict"] = {kind: _verdict(comparison, n, kind) for kind, _ in _TIMINGS}
    main = comparisons[0]
    conclusion = _conclusion(per_arm, main, n)
    _print(per_arm, comparisons, conclusion)
    result = {
        "parameters": {
            "requests_per_case": requests_per_case,
            "warmup_rounds": warmup,
            "seed": seed,
            "user": "ordnungsamt",
            "register_persons_generated": persons,
            "alpha": ALPHA,
        },
        "cases": list(per_arm.values()),
        "comparisons": comparisons,
        "detectable_auc_distance": round(detectable_auc_distance(n), 4),
        "conclusion": conclusion,
    }
    path = write_result(NAME, result)
    print(f"  written {path}")
    return result


def _conclusion(per_arm: dict[str, Any], main: dict[str, Any], n: int) -> str:
    blocked, no_hit = per_arm["blocked"], per_arm["no_hit"]
    size = (
        "the same size"
        if main["same_sizes"]
        else f"sizes {blocked['body_bytes']['distinct']} vs {no_hit['body_bytes']['distinct']}"
    )
    content = "the same content" if main["same_content"] else "DIFFERENT content"
    # What a requester can observe is the round trip; the server-internal times show the work
    # the neutral-answer floor hides (server.neutral_answer_floor).
    return (
        f"blocked (03) vs no hit (03): {content}, {size} (bytes); timing as the requester sees "
        f"it (round trip over TLS): {_verdict(main, n, 'round_trip')}; inside the server (not "
        f"observable while the floor holds): {_verdict(main, n)}; in-process: "
        f"{_verdict(main, n, 'in_process')}."
    )


def _print(per_arm: dict[str, Any], comparisons: list[dict[str, Any]], conclusion: str) -> None:
    rows: list[tuple[object, ...]] = []
    for r in per_arm.values():
        sizes = r["body_bytes"]
        timing: list[object] = []
        for kind in ("server", "round_trip", "in_process"):
            figures_ms = r[kind] or {}
            timing += [figures_ms.get(q, "-") for q in ("p50_ms", "p90_ms", "p99_ms")]
        rows.append(
            (
                r["label"],
                r["n"],
                r["errors"],
                "/".join(r["ergebnisstatus"]) or "-",
                f"{sizes['min']}"
                if sizes["min"] == sizes["max"]
                else f"{sizes['min']}–{sizes['max']}",
                ",".join(r["content_digests"])[:16],
                *timing,
            )
        )
    print_table(
        "Neutral answer (ms; srv: time in the server over TLS, rtt: round trip over TLS, "
        "inp: broker in-process)",
        (
            "case",
            "n",
            "err",
            "status",
            "bytes",
            "content",
            "srv p50",
            "p90",
            "p99",
            "rtt p50",
            "p90",
            "p99",
            "inp p50",
            "p90",
            "p99",
        ),
        rows,
    )
    comparison_rows: list[tuple[object, ...]] = []
    for c in comparisons:
        timing = []
        for kind in ("server", "round_trip", "in_process"):
            test = c[kind] or {}
            timing += [
                test.get("hodges_lehmann_shift_us", "-"),
                test.get("auc", "-"),
                f"{test['p']:.0e}" if test else "-",
            ]
        comparison_rows.append(
            (
                c["what"],
                "yes" if c["same_sizes"] else f"no ({c['size_difference_bytes']:+d})",
                "yes" if c["same_content"] else "no",
                *timing,
            )
        )
    print_table(
        f"Comparisons (Mann–Whitney U, two-sided, α {ALPHA}; shift = Hodges–Lehmann, µs; "
        "AUC 0.5 = indistinguishable)",
        (
            "a vs b",
            "same size",
            "same content",
            "srv shift",
            "AUC",
            "p",
            "rtt shift",
            "AUC",
            "p",
            "inp shift",
            "AUC",
            "p",
        ),
        comparison_rows,
    )
    print(f"  conclusion: {conclusion}")


def figures(result: dict[str, Any]) -> list[Figure]:
    out = []
    for c in result["comparisons"][:3]:
        server = c["server"] or {}
        out.append(
            Figure(
                NAME,
                f"{c['what']}: same size and content",
                str(c["same_sizes"] and c["same_content"]).lower(),
            )
        )
        if server:
            out.append(
                Figure(NAME, f"{c['what']}: server shift", server["hodges_lehmann_shift_us"], "µs")
            )
            out.append(
                Figure(NAME, f"{c['what']}: server AUC (p {server['p']:.1e})", server["auc"])
            )
            out.append(
                Figure(
                    NAME,
                    f"{c['what']}: timing distinguishable (α {ALPHA})",
                    "yes" if server["distinguishable"] else "no",
                )
            )
    return out


def problems(result: dict[str, Any]) -> list[str]:
    """Errors, wrong statuses, and any content or size difference among the 03 answers."""
    found = []
    for case in result["cases"]:
        if case["errors"]:
            found.append(f"{case['label']}: {case['errors']} errors: {case['error_examples'][:1]}")
        if case["ergebnisstatus"] != [case["expected_status"]]:
            found.append(
                f"{case['label']}: status {case['ergebnisstatus']}, expected "
                f"{case['expected_status']}"
            )
    neutral = [c for c in result["cases"] if c["expected_status"] == "03"]
    if len({tuple(c["content_digests"]) for c in neutral}) > 1:
        found.append(
            "the 03 answers differ in content: "
            + ", ".join(f"{c['key']}={c['content_digests']}" for c in neutral)
        )
    if len({tuple(c["body_bytes"]["distinct"]) for c in neutral}) > 1:
        found.append(
            "the 03 answers differ in size: "
            + ", ".join(f"{c['key']}={c['body_bytes']['distinct']}" for c in neutral)
        )
    return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--requests",
        type=int,
        default=400,
        help="timed requests per case, interleaved (default 400)",
    )
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds first (default 20)")
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the interleaving order (default 1)"
    )
    parser.add_argument(
        "--persons", type=int, default=5000, help="synthetic persons in the register (default 5000)"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="use this initialised data directory instead of a fresh one"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="per-request timeout in seconds (default 30)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.neutral",
        description="Does a blocked person's neutral answer (03) differ from a real no-hit in "
        "content, size or timing? Measured over TLS against datenspiegel serve.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        result = run(
            world=load_world(args.data_dir) if args.data_dir else None,
            persons=args.persons,
            requests_per_case=args.requests,
            warmup=args.warmup,
            seed=args.seed,
            timeout=args.timeout,
            progress=not args.quiet,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return exit_status(problems(result))


if __name__ == "__main__":
    raise SystemExit(main())
