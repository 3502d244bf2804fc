"""What sealing a security authority's record to its key costs (§ 40 Abs. 3 BMG).

For a status-01 answer and for hit lists of 100 and 1 000 entries (synthetic, sized like the
broker's own), the benchmark seals the full record with the signed request and answer to an
EC P-256 and to an RSA-3072 certificate (protocol/sealed.py) and opens it again. Reported per
case: µs to seal (the broker pays it in the record's transaction, for commissioning security
authorities only), µs to open (the authority pays it), and the envelope's size against the
plain content.

Run: ``python -m bench.sealing [--repeat 200]``.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk

from bench.report import Figure, print_table, write_result
from datenspiegel.protocol.record import Outcome, ProtocolRecord, digest
from datenspiegel.protocol.sealed import SealedContent, open_envelope, seal
from datenspiegel.signing.pki import CertificateProfile, issue_certificate

__all__ = ["figures", "main", "run"]

NAME = "sealing"


def _answer(entries: int) -> bytes:
    """A signed-answer-like document whose entries differ as real ones do (names, dates,
    addresses, a random Identifikationsmerkmal each): compression sees realistic text."""
    rng = random.Random(entries)
    names = ["Quastenberg", "Wendebrink", "Mustermann", "Öztürk", "Schulze", "Lindqvist"]
    streets = ["Lister Meile", "Am Kröpcke", "Goseriede", "Podbielskistraße", "Engelbosteler Damm"]
    parts = []
    for _ in range(entries):
        parts.append(
            f"<treffer><familienname>{rng.choice(names)}{rng.randint(1, 999)}</familienname>"
            f"<vornamen>{rng.choice(names)[::-1]}</vornamen>"
            f"<geburtsdatum>19{rng.randint(20, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            f"</geburtsdatum><hauptanschrift><strasse>{rng.choice(streets)}</strasse>"
            f"<hausnummer>{rng.randint(1, 200)}</hausnummer><postleitzahl>30{rng.randint(100, 999)}"
            f"</postleitzahl><wohnort>Hannover</wohnort></hauptanschrift>"
            f"<identifikationsmerkmal>{rng.randbytes(48).hex()}</identifikationsmerkmal></treffer>"
        )
    signature = rng.randbytes(2200).hex()
    return (
        "<?xml version='1.0' encoding='UTF-8'?><dsa:antwort xmlns:dsa='urn:x'>"
        + "".join(parts)
        + f"<ds:Signature>{signature}</ds:Signature></dsa:antwort>"
    ).encode()


def _content(entries: int) -> SealedContent:
    moment = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    answer = _answer(max(entries, 1))
    hits = tuple(range(1, entries + 1))
    record = ProtocolRecord(
        record_id=str(uuid.uuid4()),
        received_at=moment,
        answered_at=moment + timedelta(milliseconds=5),
        service="personensuche",
        outcome=Outcome.ANSWERED,
        outcome_codes=("01" if entries <= 1 else "02",),
        request_digest="ab" * 32,
        sicherheitsbehoerde=True,
        answer_digest=digest(answer),
        authority_id=7,
        authority_kennung="dbs:polizei-hannover",
        user_kennung="PD-H-4711",
        aktenzeichen="PD-H 12/2026",
        anlass="Ermittlungsverfahren",
        hits=hits,
        hit_count=len(hits),
        disclosed={h: (1, 7, 13, 44, 45, 46, 48, 49) for h in hits},
    )
    request = b"<?xml version='1.0'?><anfrage>" + b"x" * 4000 + b"</anfrage>"
    return SealedContent(record=record, answer=answer, request=request)


def run(repeat: int) -> list[dict[str, object]]:
    keys = {
        "EC P-256": issue_certificate("p256", profile=CertificateProfile.ENCRYPTION),
        "RSA-3072": issue_certificate(
            "rsa",
            profile=CertificateProfile.ENCRYPTION,
            private_key=rsa.generate_private_key(public_exponent=65537, key_size=3072),
        ),
    }
    rows: list[dict[str, object]] = []
    for entries in (1, 100, 1000):
        content = _content(entries)
        plain = len(content.answer) + len(content.request or b"")
        times = max(1, repeat // max(1, entries // 10))
        for name, issued in keys.items():
            private = jwk.JWK.from_pyca(issued.private_key)
            start = time.perf_counter()
            for _ in range(times):
                envelope = seal(content, issued.certificate)
            sealed_us = (time.perf_counter() - start) / times * 1e6
            start = time.perf_counter()
            for _ in range(times):
                open_envelope(envelope, private)
            opened_us = (time.perf_counter() - start) / times * 1e6
            rows.append(
                {
                    "entries": entries,
                    "key": name,
                    "seal_us": round(sealed_us),
                    "open_us": round(opened_us),
                    "plain_bytes": plain,
                    "envelope_bytes": len(envelope),
                }
            )
    return rows


def figures(rows: Sequence[dict[str, object]]) -> list[Figure]:
    return [
        Figure(NAME, f"seal {r['entries']} entr. {r['key']}", float(str(r["seal_us"])), "µs")
        for r in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sealing", description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="seals per case (fewer for big)")
    args = parser.parse_args(argv)
    rows = run(args.repeat)
    print_table(
        "Sealing a security authority's record (JWE, A256GCM)",
        ["entries", "key", "seal µs", "open µs", "plain bytes", "envelope bytes"],
        [
            [
                r["entries"],
                r["key"],
                r["seal_us"],
                r["open_us"],
                r["plain_bytes"],
                r["envelope_bytes"],
            ]
            for r in rows
        ],
        text_columns=2,
    )
    path = write_result(NAME, {"rows": rows})
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
