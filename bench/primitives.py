"""The floor: the unavoidable primitives of one Personensuche, each measured on its own.

A transaction cannot be cheaper than verifying one signature and making one (raw
``cryptography`` over a SHA-256 digest, with the algorithm the product uses for the world's key
type: ECDSA P-256, or RSASSA-PSS-SHA256 with a 3072-bit key for ``--key-type rsa-3072``),
parsing and validating the 1330, one indexed register lookup and one durable protocol append.
Their sum is the floor that ``bench.transaction`` compares the whole transaction with. The
signxml figures (sign and verify of a real signed 1330 through ``MessageSigner``/
``MessageVerifier``, including C14N, certificate path and CRL check) show how much of the
transaction the XML-DSig layer costs above raw cryptography; the floor with them in place of
the raw sign and verify is the second reference (``signxml_reference``), not the floor.

Run: ``python -m bench.primitives [--persons N] [--repeat N] [--key-type ec-p256|rsa-3072]
[--no-postgres]``.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from tqdm import tqdm

from bench.errors import BenchError, InvalidSetup, WrongResult
from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from bench.stats import Timing, summarise
from bench.world import (
    UNIQUE_CASE,
    BenchWorld,
    RequestFactory,
    add_key_type_argument,
    create_world,
    key_type_of,
    load_world,
)
from datenspiegel.protocol.record import Outcome, ProtocolRecord, digest, new_record_id
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.store import RegisterStore
from datenspiegel.signing import (
    MessageVerifier,
    SignatureAlgorithm,
    SigningIdentity,
    TrustStore,
)
from datenspiegel.transformers import read_personensuche
from datenspiegel.xsd import MessageValidator, parse_message

__all__ = [
    "FLOOR_COMPONENTS",
    "Floor",
    "add_arguments",
    "figures",
    "main",
    "measure_floor",
    "run",
    "sample_record",
]

NAME = "primitives"
#: The primitives every Personensuche needs at least once, in pipeline order.
FLOOR_COMPONENTS = (
    "parse_validate_1330",
    "signature_verify_raw",
    "register_lookup",
    "signature_sign_raw",
    "protocol_append",
)
#: The second reference: the floor with signxml's sign and verify instead of the raw ones.
SIGNXML_REFERENCE_COMPONENTS = (
    "parse_validate_1330",
    "signxml_verify_1330",
    "register_lookup",
    "signxml_sign_1330",
    "protocol_append",
)


@dataclass(frozen=True, slots=True)
class Floor:
    """The floor components measured against one set of stores (one back-end)."""

    backend: str
    #: wall time per call of each component (the floor as defined since the first figures)
    components: dict[str, Timing]
    #: the calling thread's CPU time per call of the same calls (what server CPU compares to)
    cpu: dict[str, Timing] = field(default_factory=dict)
    #: the signature profile (``ec-p256``, ``rsa-3072``) and the algorithm the raw figures use
    key_type: str = "ec-p256"
    algorithm: str = SignatureAlgorithm.ECDSA_SHA256.label

    @property
    def median_ms(self) -> float:
        return sum(self.components[name].median_ms for name in FLOOR_COMPONENTS)

    @property
    def signxml_reference_ms(self) -> float:
        """The floor with signxml's sign and verify of a real 1330 in place of the raw ones."""
        return sum(self.components[name].median_ms for name in SIGNXML_REFERENCE_COMPONENTS)

    @property
    def cpu_median_ms(self) -> float:
        """The floor in CPU time: the sum of the components' median thread CPU per call."""
        return sum(self.cpu[name].median_ms for name in FLOOR_COMPONENTS)

    @property
    def cpu_signxml_reference_ms(self) -> float:
        return sum(self.cpu[name].median_ms for name in SIGNXML_REFERENCE_COMPONENTS)

    @classmethod
    def of(cls, backend: str, measured: dict[str, Measured], **profile: str) -> Floor:
        return cls(
            backend=backend,
            components={k: m.wall for k, m in measured.items()},
            cpu={k: m.cpu for k, m in measured.items()},
            **profile,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "key_type": self.key_type,
            "algorithm": self.algorithm,
            "components": {k: v.as_dict() for k, v in self.components.items()},
            "cpu_components": {k: v.as_dict() for k, v in self.cpu.items()},
            "sum_of_medians_ms": round(self.median_ms, 4),
            "signxml_reference_ms": round(self.signxml_reference_ms, 4),
            "cpu_sum_of_medians_ms": round(self.cpu_median_ms, 4),
            "cpu_signxml_reference_ms": round(self.cpu_signxml_reference_ms, 4),
        }


@dataclass(frozen=True, slots=True)
class Measured:
    """One primitive: wall time and the calling thread's CPU time of the same calls."""

    wall: Timing
    cpu: Timing


def _timed(
    call: Callable[[int], object], *, repeat: int, label: str, progress: bool, warmup: int = 3
) -> Measured:
    """Like ``bench.stats.time_calls``, with the thread's CPU time per call beside the wall
    time: on the shared machine a descheduled call inflates the wall figure, not the CPU one,
    and the server's CPU per request is compared with the CPU floor."""
    for i in range(warmup):
        call(i)
    wall: list[float] = []
    cpu: list[float] = []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for i in tqdm(
        range(warmup, warmup + repeat),
        desc=label,
        unit=" calls",
        leave=False,
        disable=not progress,
    ):
        started, cpu_started = clock(), cpu_clock()
        call(i)
        cpu.append(cpu_clock() - cpu_started)
        wall.append(clock() - started)
    return Measured(summarise(wall), summarise(cpu))


def sample_record(request_bytes: bytes, *, fingerprint: str) -> ProtocolRecord:
    """A record shaped like the one the broker writes for a status 01 answer to this request."""
    request = read_personensuche(parse_message(request_bytes))
    now = datetime.now(UTC)
    stelle = request.anfragende_stelle
    return ProtocolRecord(
        record_id=new_record_id(),
        received_at=now - timedelta(milliseconds=5),
        answered_at=now,
        service="personensuche",
        outcome=Outcome.ANSWERED,
        outcome_codes=("01",),
        request_digest=digest(request_bytes),
        sicherheitsbehoerde=False,
        request_message_id=request.kopf.nachrichten_uuid,
        answer_message_id=new_record_id(),
        answer_digest=hashlib.sha256(b"answer").hexdigest(),
        client_address="127.0.0.1",
        certificate_fingerprint=fingerprint,
        authority_id=1,
        authority_kennung=request.kopf.autor.kennung,
        authority_name=request.kopf.autor.name,
        user_id=1,
        user_kennung=stelle.kennung_anfragende_person,
        aktenzeichen=stelle.aktenzeichen,
        anlass=stelle.anlass,
        requesting_body=stelle.as_protocol(),
        search_data=dict(request.search_data),
        requested_elements=tuple(sorted(request.anforderungselemente)),
        disclosed={1: tuple(sorted(request.anforderungselemente))},
        hits=(1,),
        hit_count=1,
    )


def _records(template: ProtocolRecord, count: int) -> list[ProtocolRecord]:
    # Fresh ids made before timing: the append is measured, not the record's validation.
    return [replace(template, record_id=new_record_id()) for _ in range(count)]


def _raw_signature(
    identity: SigningIdentity, *, repeat: int, progress: bool
) -> tuple[Measured, Measured]:
    """Raw sign and verify of a SHA-256 digest with ``identity``'s key, in the padding the
    product signs with for that key (``SigningIdentity.default_algorithm``): ECDSA, or
    RSASSA-PSS with MGF1-SHA256 and a 32-byte salt as signxml makes it (PKCS#1 v1.5 for
    rsa-sha256)."""
    key = identity.private_key
    chosen = identity.default_algorithm
    if chosen.hash_algorithm.name != "sha256":
        raise InvalidSetup(f"the floor is defined for SHA-256 signatures, not {chosen.label}")
    digest = hashlib.sha256(b"<the canonicalised SignedInfo of a message>").digest()
    prehashed = Prehashed(hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        ec_key, ecdsa = key, ec.ECDSA(prehashed)

        def sign_once(_i: int) -> bytes:
            return ec_key.sign(digest, ecdsa)

        signature = sign_once(0)
        ec_public = ec_key.public_key()

        def verify_once(_i: int) -> None:
            ec_public.verify(signature, digest, ecdsa)

    elif isinstance(key, rsa.RSAPrivateKey):
        rsa_key = key
        pad: padding.AsymmetricPadding = (
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            if chosen is SignatureAlgorithm.RSA_PSS_SHA256
            else padding.PKCS1v15()
        )

        def sign_once(_i: int) -> bytes:
            return rsa_key.sign(digest, pad, prehashed)

        signature = sign_once(0)
        rsa_public = rsa_key.public_key()

        def verify_once(_i: int) -> None:
            rsa_public.verify(signature, digest, pad, prehashed)

    else:  # pragma: no cover - SigningIdentity admits nothing else
        raise InvalidSetup(f"no raw signature for {type(key).__name__}")
    verify_once(0)  # a floor that does not verify would measure an error path
    label = f"raw {chosen.label}"
    sign = _timed(sign_once, repeat=repeat, label=f"{label} sign", progress=progress)
    verify = _timed(verify_once, repeat=repeat, label=f"{label} verify", progress=progress)
    return sign, verify


def _parse_validate(document: bytes, *, repeat: int, progress: bool) -> Measured:
    validator = MessageValidator()

    def call(_i: int) -> None:
        validator.validate(parse_message(document))

    return _timed(call, repeat=repeat, label="parse + validate", progress=progress)


def _lookup(
    register: RegisterStore, factory: RequestFactory, *, repeat: int, progress: bool
) -> Measured:
    case = factory.case
    found = [p.id for p in register.search_personen(case.query)]
    if tuple(found) != case.treffer:
        raise WrongResult(
            f"register lookup for {case.kennung} found {found}, documented {case.treffer}: "
            "either the register search is broken or this data directory was not made by "
            "datenspiegel init; a wrong answer is not timed"
        )
    return _timed(
        lambda _i: register.search_personen(case.query),
        repeat=repeat,
        label="register lookup",
        progress=progress,
    )


def _append(
    store: ProtocolStore, template: ProtocolRecord, *, repeat: int, progress: bool, label: str
) -> Measured:
    records = _records(template, repeat + 3)
    return _timed(lambda i: store.append(records[i]), repeat=repeat, label=label, progress=progress)


def _trust(world: BenchWorld) -> TrustStore:
    signing = world.config.signing
    return TrustStore.from_pem_files(list(signing.trust_anchors), crl_files=list(signing.crls))


def measure_floor(
    world: BenchWorld,
    *,
    register: RegisterStore,
    protocol: ProtocolStore,
    repeat: int = 300,
    progress: bool = True,
) -> Floor:
    """The floor components against ``register`` and ``protocol`` (the broker's own stores
    when called from ``bench.transaction``), and signxml's sign and verify for the second
    reference, with the world's signature profile."""
    factory = RequestFactory(world)
    request = factory.signed()
    broker = SigningIdentity.from_pem_files(
        world.config.signing.key, world.config.signing.certificate
    )
    if key_type_of(factory.signer.identity) != key_type_of(broker):
        raise InvalidSetup("the broker's and the user's keys are of different kinds")
    sign, verify = _raw_signature(broker, repeat=repeat * 5, progress=progress)
    sx_sign, sx_verify, _size = _signxml(world, repeat=repeat, progress=progress)
    template = sample_record(request, fingerprint=factory.signer.identity.fingerprint_sha256)
    return Floor.of(
        world.backend,
        {
            "parse_validate_1330": _parse_validate(request, repeat=repeat, progress=progress),
            "signature_verify_raw": verify,
            "register_lookup": _lookup(register, factory, repeat=repeat, progress=progress),
            "signature_sign_raw": sign,
            "protocol_append": _append(
                protocol, template, repeat=repeat, progress=progress, label="protocol append"
            ),
            "signxml_sign_1330": sx_sign,
            "signxml_verify_1330": sx_verify,
        },
        key_type=key_type_of(broker),
        algorithm=broker.default_algorithm.label,
    )


def _signxml(world: BenchWorld, *, repeat: int, progress: bool) -> tuple[Measured, Measured, int]:
    factory = RequestFactory(world)
    unsigned = factory.unsigned()
    signed = factory.signed()
    verifier = MessageVerifier(_trust(world))
    verifier.verify(signed)  # raises if the world's PKI does not fit: better now than timed
    sign = _timed(
        lambda _i: factory.signer.sign(unsigned),
        repeat=repeat,
        label="signxml sign",
        progress=progress,
    )
    verify = _timed(
        lambda _i: verifier.verify(signed),
        repeat=repeat,
        label="signxml verify",
        progress=progress,
    )
    return sign, verify, len(signed)


def _fresh_protocol_appends(
    world: BenchWorld, *, repeat: int, pg_url: str | None, progress: bool
) -> tuple[dict[str, Timing], dict[str, str]]:
    factory = RequestFactory(world)
    template = sample_record(
        factory.signed(), fingerprint=factory.signer.identity.fingerprint_sha256
    )
    timings: dict[str, Timing] = {}
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-protocol-", dir=world.data_dir) as tmp:
        store = ProtocolStore(f"sqlite:///{Path(tmp) / 'protocol.sqlite'}")
        try:
            store.migrate()
            timings["sqlite"] = _append(
                store,
                template,
                repeat=repeat,
                progress=progress,
                label="append SQLite FULL",
            ).wall
        finally:
            store.dispose()
    if pg_url is None:
        skipped["postgresql"] = "disabled (--no-postgres)"
        return timings, skipped
    reason = pg_unreachable(pg_url)
    if reason is not None:
        skipped["postgresql"] = f"not reachable: {reason}"
        return timings, skipped
    with fresh_schema(pg_url) as url:
        store = ProtocolStore(url)
        try:
            store.migrate()
            timings["postgresql"] = _append(
                store, template, repeat=repeat, progress=progress, label="append PostgreSQL"
            ).wall
        finally:
            store.dispose()
    return timings, skipped


def run(
    *,
    world: BenchWorld | None = None,
    persons: int = 5000,
    repeat: int = 300,
    pg_url: str | None = DEFAULT_PG_URL,
    progress: bool = True,
    key_type: str = "ec-p256",
) -> dict[str, Any]:
    """Measure every primitive; print the table; write ``bench/results/primitives.json``."""
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp:
        if world is None:
            print(
                f"[primitives] initialising a data directory with {persons} persons ({key_type}) …",
                flush=True,
            )
            world = create_world(
                Path(tmp) / "var", persons=persons, progress=progress, key_type=key_type
            )
        register = RegisterStore(world.config.stores.register_url)
        protocol = ProtocolStore(world.config.stores.broker_url)
        try:
            floor = measure_floor(
                world, register=register, protocol=protocol, repeat=repeat, progress=progress
            )
        finally:
            register.close()
            protocol.dispose()
        size = len(RequestFactory(world).signed())
        appends, skipped = _fresh_protocol_appends(
            world, repeat=repeat, pg_url=pg_url, progress=progress
        )
        register_persons = _register_size(world)
    rows: list[tuple[object, ...]] = []
    raw = f"raw {floor.algorithm} ({floor.key_type}, SHA-256 digest)"
    labels = {
        "signature_sign_raw": f"{raw} sign",
        "signature_verify_raw": f"{raw} verify",
        "parse_validate_1330": f"hardened parse + XSD validate 1330 ({size} B)",
        "register_lookup": f"register lookup {UNIQUE_CASE.kennung} ({register_persons} persons)",
        "protocol_append": "protocol append (broker DB, durable)",
        "signxml_sign_1330": f"signxml sign 1330 (MessageSigner, {size} B)",
        "signxml_verify_1330": "signxml verify 1330 (MessageVerifier, cert+CRL)",
    }
    for key, label in labels.items():
        t, c = floor.components[key], floor.cpu[key]
        backend = floor.backend if key in ("register_lookup", "protocol_append") else "-"
        rows.append((label, backend, t.median_ms, t.p95_ms, c.median_ms, t.n))
    for backend, t in appends.items():
        rows.append(
            (f"protocol append, fresh store ({backend})", backend, t.median_ms, t.p95_ms, "", t.n)
        )
    rows.append(
        (
            "floor: sum of the five medians",
            floor.backend,
            floor.median_ms,
            "",
            floor.cpu_median_ms,
            "",
        )
    )
    rows.append(
        (
            "signxml reference: floor, signxml sign+verify for raw",
            floor.backend,
            floor.signxml_reference_ms,
            "",
            floor.cpu_signxml_reference_ms,
            "",
        )
    )
    print_table(
        f"Primitives, {floor.key_type} (ms per call; floor = parse+validate, raw verify, "
        "lookup, raw sign, append)",
        ("primitive", "backend", "median", "p95", "CPU median", "n"),
        rows,
    )
    for backend, reason in skipped.items():
        print(f"  {backend}: skipped, {reason}")
    result: dict[str, Any] = {
        "parameters": {
            "register_persons": register_persons,
            "repeat": repeat,
            "key_type": floor.key_type,
        },
        "request_bytes": size,
        "floor": floor.as_dict(),
        "signxml": {
            "sign_1330": floor.components["signxml_sign_1330"].as_dict(),
            "verify_1330": floor.components["signxml_verify_1330"].as_dict(),
            "cpu_sign_1330": floor.cpu["signxml_sign_1330"].as_dict(),
            "cpu_verify_1330": floor.cpu["signxml_verify_1330"].as_dict(),
        },
        "protocol_append_fresh": {k: v.as_dict() for k, v in appends.items()},
        "skipped": skipped,
    }
    path = write_result(NAME, result)
    print(f"  written {path}")
    return result


def _register_size(world: BenchWorld) -> int:
    store = RegisterStore(world.config.stores.register_url)
    try:
        return store.stats().persons
    finally:
        store.close()


def figures(result: dict[str, Any]) -> list[Figure]:
    floor = result["floor"]
    components = floor["components"]
    raw = f"raw {floor.get('algorithm', 'ecdsa-sha256')} ({floor.get('key_type', 'ec-p256')})"
    out = [
        Figure(NAME, f"{raw} sign", components["signature_sign_raw"]["median_ms"], "ms"),
        Figure(NAME, f"{raw} verify", components["signature_verify_raw"]["median_ms"], "ms"),
        Figure(NAME, "signxml sign 1330", result["signxml"]["sign_1330"]["median_ms"], "ms"),
        Figure(NAME, "signxml verify 1330", result["signxml"]["verify_1330"]["median_ms"], "ms"),
        Figure(NAME, "parse + validate 1330", components["parse_validate_1330"]["median_ms"], "ms"),
        Figure(
            NAME,
            f"register lookup ({result['parameters']['register_persons']} persons)",
            components["register_lookup"]["median_ms"],
            "ms",
        ),
    ]
    for backend, timing in result["protocol_append_fresh"].items():
        out.append(Figure(NAME, f"protocol append {backend}", timing["median_ms"], "ms"))
    out.append(Figure(NAME, f"floor sum ({floor['backend']})", floor["sum_of_medians_ms"], "ms"))
    out.append(
        Figure(NAME, f"signxml reference ({floor['backend']})", floor["signxml_reference_ms"], "ms")
    )
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--persons", type=int, default=5000, help="synthetic persons in the register (default 5000)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=300,
        help="timed calls per primitive (raw sign and verify: 5x; default 300)",
    )
    add_key_type_argument(parser)
    parser.add_argument(
        "--data-dir", type=Path, help="use this initialised data directory instead of a fresh one"
    )
    parser.add_argument(
        "--pg-url",
        default=DEFAULT_PG_URL,
        help="PostgreSQL server for the append figure (default %(default)s)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.primitives",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run(
            world=load_world(args.data_dir) if args.data_dir else None,
            persons=args.persons,
            repeat=args.repeat,
            pg_url=None if args.no_postgres else args.pg_url,
            progress=not args.quiet,
            key_type=args.key_type,
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
