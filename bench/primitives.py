"""The floor: the unavoidable primitives of one Personensuche, each measured on its own.

A transaction cannot be cheaper than verifying one signature and making one (raw
``cryptography`` ECDSA P-256 over a SHA-256 digest), parsing and validating the 1330, one
indexed register lookup and one durable protocol append. Their sum is the floor that
``bench.transaction`` compares the whole transaction with. The signxml figures (sign and
verify of a real signed 1330 through ``MessageSigner``/``MessageVerifier``, including C14N,
certificate path and CRL check) show how much of the transaction the XML-DSig layer costs above
raw cryptography; they are reported, not part of the floor.

Run: ``python -m bench.primitives [--persons N] [--repeat N] [--no-postgres]``.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from bench.errors import BenchError, InvalidSetup, WrongResult
from bench.postgres import DEFAULT_PG_URL, fresh_schema, pg_unreachable
from bench.report import Figure, print_table, write_result
from bench.stats import Timing, time_calls
from bench.world import UNIQUE_CASE, BenchWorld, RequestFactory, create_world, load_world
from datenspiegel.protocol.record import Outcome, ProtocolRecord, digest, new_record_id
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.store import RegisterStore
from datenspiegel.signing import MessageVerifier, SigningIdentity, TrustStore
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
    "ecdsa_p256_verify_raw",
    "register_lookup",
    "ecdsa_p256_sign_raw",
    "protocol_append",
)


@dataclass(frozen=True, slots=True)
class Floor:
    """The floor components measured against one set of stores (one back-end)."""

    backend: str
    components: dict[str, Timing]

    @property
    def median_ms(self) -> float:
        return sum(self.components[name].median_ms for name in FLOOR_COMPONENTS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "components": {k: v.as_dict() for k, v in self.components.items()},
            "sum_of_medians_ms": round(self.median_ms, 4),
        }


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


def _raw_ecdsa(identity: SigningIdentity, *, repeat: int, progress: bool) -> tuple[Timing, Timing]:
    key = identity.private_key
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise InvalidSetup("the development PKI was expected to give P-256 keys; found RSA")
    algorithm = ec.ECDSA(Prehashed(hashes.SHA256()))
    message_digest = hashlib.sha256(b"<the canonicalised SignedInfo of a message>").digest()
    signature = key.sign(message_digest, algorithm)
    public = key.public_key()
    sign = time_calls(
        lambda _i: key.sign(message_digest, algorithm),
        repeat=repeat,
        label="raw ECDSA sign",
        progress=progress,
    )
    verify = time_calls(
        lambda _i: public.verify(signature, message_digest, algorithm),
        repeat=repeat,
        label="raw ECDSA verify",
        progress=progress,
    )
    return sign, verify


def _parse_validate(document: bytes, *, repeat: int, progress: bool) -> Timing:
    validator = MessageValidator()

    def call(_i: int) -> None:
        validator.validate(parse_message(document))

    return time_calls(call, repeat=repeat, label="parse + validate", progress=progress)


def _lookup(
    register: RegisterStore, factory: RequestFactory, *, repeat: int, progress: bool
) -> Timing:
    case = factory.case
    found = [p.id for p in register.search_personen(case.query)]
    if tuple(found) != case.treffer:
        raise WrongResult(
            f"register lookup for {case.kennung} found {found}, documented {case.treffer}: "
            "either the register search is broken or this data directory was not made by "
            "datenspiegel init; a wrong answer is not timed"
        )
    return time_calls(
        lambda _i: register.search_personen(case.query),
        repeat=repeat,
        label="register lookup",
        progress=progress,
    )


def _append(
    store: ProtocolStore, template: ProtocolRecord, *, repeat: int, progress: bool, label: str
) -> Timing:
    records = _records(template, repeat + 3)
    return time_calls(
        lambda i: store.append(records[i]), repeat=repeat, label=label, progress=progress
    )


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
    when called from ``bench.transaction``)."""
    factory = RequestFactory(world)
    request = factory.signed()
    broker = SigningIdentity.from_pem_files(
        world.config.signing.key, world.config.signing.certificate
    )
    sign, verify = _raw_ecdsa(broker, repeat=repeat * 5, progress=progress)
    template = sample_record(request, fingerprint=factory.signer.identity.fingerprint_sha256)
    return Floor(
        backend=world.backend,
        components={
            "parse_validate_1330": _parse_validate(request, repeat=repeat, progress=progress),
            "ecdsa_p256_verify_raw": verify,
            "register_lookup": _lookup(register, factory, repeat=repeat, progress=progress),
            "ecdsa_p256_sign_raw": sign,
            "protocol_append": _append(
                protocol, template, repeat=repeat, progress=progress, label="protocol append"
            ),
        },
    )


def _signxml(world: BenchWorld, *, repeat: int, progress: bool) -> tuple[Timing, Timing, int]:
    factory = RequestFactory(world)
    unsigned = factory.unsigned()
    signed = factory.signed()
    verifier = MessageVerifier(_trust(world))
    verifier.verify(signed)  # raises if the world's PKI does not fit: better now than timed
    sign = time_calls(
        lambda _i: factory.signer.sign(unsigned),
        repeat=repeat,
        label="signxml sign",
        progress=progress,
    )
    verify = time_calls(
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
            )
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
            )
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
) -> dict[str, Any]:
    """Measure every primitive; print the table; write ``bench/results/primitives.json``."""
    with tempfile.TemporaryDirectory(prefix="datenspiegel-bench-") as tmp:
        if world is None:
            print(
                f"[primitives] initialising a data directory with {persons} persons …", flush=True
            )
            world = create_world(Path(tmp) / "var", persons=persons, progress=progress)
        register = RegisterStore(world.config.stores.register_url)
        protocol = ProtocolStore(world.config.stores.broker_url)
        try:
            floor = measure_floor(
                world, register=register, protocol=protocol, repeat=repeat, progress=progress
            )
        finally:
            register.close()
            protocol.dispose()
        sx_sign, sx_verify, size = _signxml(world, repeat=repeat, progress=progress)
        appends, skipped = _fresh_protocol_appends(
            world, repeat=repeat, pg_url=pg_url, progress=progress
        )
        register_persons = _register_size(world)
    rows: list[tuple[object, ...]] = []
    labels = {
        "ecdsa_p256_sign_raw": "raw ECDSA P-256 sign (SHA-256 digest)",
        "ecdsa_p256_verify_raw": "raw ECDSA P-256 verify (SHA-256 digest)",
        "parse_validate_1330": f"hardened parse + XSD validate 1330 ({size} B)",
        "register_lookup": f"register lookup {UNIQUE_CASE.kennung} ({register_persons} persons)",
        "protocol_append": "protocol append (broker DB, durable)",
    }
    for key in (
        "ecdsa_p256_sign_raw",
        "ecdsa_p256_verify_raw",
        "parse_validate_1330",
        "register_lookup",
        "protocol_append",
    ):
        t = floor.components[key]
        backend = floor.backend if key in ("register_lookup", "protocol_append") else "-"
        rows.append((labels[key], backend, t.median_ms, t.p95_ms, t.n))
    rows.append(
        (
            f"signxml sign 1330 (MessageSigner, {size} B)",
            "-",
            sx_sign.median_ms,
            sx_sign.p95_ms,
            sx_sign.n,
        )
    )
    rows.append(
        (
            "signxml verify 1330 (MessageVerifier, cert+CRL)",
            "-",
            sx_verify.median_ms,
            sx_verify.p95_ms,
            sx_verify.n,
        )
    )
    for backend, t in appends.items():
        rows.append(
            (f"protocol append, fresh store ({backend})", backend, t.median_ms, t.p95_ms, t.n)
        )
    rows.append(("floor: sum of the five medians", floor.backend, floor.median_ms, "", ""))
    print_table(
        "Primitives (ms per call; floor = parse+validate, raw verify, lookup, raw sign, append)",
        ("primitive", "backend", "median", "p95", "n"),
        rows,
    )
    for backend, reason in skipped.items():
        print(f"  {backend}: skipped, {reason}")
    result: dict[str, Any] = {
        "parameters": {"register_persons": register_persons, "repeat": repeat},
        "request_bytes": size,
        "floor": floor.as_dict(),
        "signxml": {"sign_1330": sx_sign.as_dict(), "verify_1330": sx_verify.as_dict()},
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
    out = [
        Figure(NAME, "raw ECDSA P-256 sign", components["ecdsa_p256_sign_raw"]["median_ms"], "ms"),
        Figure(
            NAME, "raw ECDSA P-256 verify", components["ecdsa_p256_verify_raw"]["median_ms"], "ms"
        ),
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
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--persons", type=int, default=5000, help="synthetic persons in the register (default 5000)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=300,
        help="timed calls per primitive (raw ECDSA: 5x; default 300)",
    )
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
        )
    except BenchError as exc:
        print(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
