"""Replay, idempotency and quotas end to end over TLS, across two ``serve`` processes on one
broker database (issue 8, points 5 and 6; DESIGN.md step 6): a message is executed once
whichever process receives it, and a user's quota is one quota however many processes serve.

The first process answers a signed Personensuche; the *same HTTP body* sent to the second
process gets the byte-identical answer without a second register query — the protocol shows
one answered record and duplicates referencing it — and the same ``nachrichtenUUID`` with other
content is refused with 0910 S100 (§ 40 BMG: each of these transactions is recorded).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome
from datenspiegel.service.app import open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.transformers import Behoerde
from tests.serving import (
    UNIQUE,
    Server,
    Serving,
    demo_authority,
    session,
    signed_unique_envelope,
    start_serve,
)


def ask_police(client: Any) -> Any:
    """The unique test person, asked by the demo police user in its own name."""
    autor, stelle = demo_authority("polizei")
    return client.personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,
        elemente=[1],
        query=UNIQUE.query,
    )


#: requests per minute for each user in this module (the replay test's user sends 5)
_QUOTA = 6


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Serving]]:
    data_dir = tmp_path_factory.mktemp("replay") / "var"
    initialise(data_dir, persons=50, progress=False)
    quota = {
        "DATENSPIEGEL_BROKER_QUOTA_USER_PER_MINUTE": str(_QUOTA),
        "DATENSPIEGEL_BROKER_QUOTA_AUTHORITY_PER_MINUTE": "0",
    }
    first = start_serve(data_dir, log_name="first", env=quota)
    second = start_serve(data_dir, log_name="second", env=quota)
    try:
        yield Server.of(data_dir, first), second
    finally:
        for serving in (first, second):
            assert serving.stop(timeout=30) == 0
            serving.check_log()


def _post(server: Server, endpoint: str, body: bytes) -> tuple[int, bytes]:
    response = session(server.ca_file).post(
        endpoint, data=body, headers={"Content-Type": "text/xml"}, timeout=20
    )
    return response.status_code, response.content


def _records(data_dir: Path, message_id: str) -> list[tuple[Outcome, tuple[str, ...], int]]:
    stores = open_stores(load_config(data_dir / CONFIG_NAME))
    try:
        found = stores.protocol.records(reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE)
        return [
            (r.outcome, r.outcome_codes, r.hit_count)
            for r in found
            if r.request_message_id == message_id
        ]
    finally:
        stores.close()


def test_a_duplicate_is_answered_by_another_process_byte_for_byte(
    two: tuple[Server, Serving],
) -> None:
    server, second = two
    message_id = str(uuid.uuid4())
    body = signed_unique_envelope(server, message_id=message_id, elemente=[1, 13])
    status, original = _post(server, server.endpoint, body)
    assert status == 200
    for endpoint in (second.endpoint, server.endpoint, second.endpoint):
        again_status, again = _post(server, endpoint, body)
        assert (again_status, again) == (200, original)  # the same signed answer, byte for byte
    answer = etree.fromstring(original)
    assert answer.findtext(".//ergebnisstatus/code") == "01"
    records = _records(server.data_dir, message_id)
    # one execution with its hit, three duplicates without a register query of their own
    assert sorted(r[0].value for r in records) == [
        "answered",
        "duplicate",
        "duplicate",
        "duplicate",
    ]
    assert [r[2] for r in records if r[0] is Outcome.ANSWERED] == [1]
    assert all(r[1] == ("01",) and r[2] == 0 for r in records if r[0] is Outcome.DUPLICATE)
    # the same UUID with other content, at the other process: S100
    other_status, other = _post(
        server, second.endpoint, signed_unique_envelope(server, message_id=message_id, elemente=[1])
    )
    assert other_status == 500
    fault = etree.fromstring(other)
    assert fault.findtext(".//grund/code") == "S100"
    assert fault.findtext(".//faultcode") == "soap:Client"


def test_a_users_quota_is_shared_by_the_processes(two: tuple[Server, Serving]) -> None:
    """The demo police user sends alternately to both processes: the quota counts them
    together and the request beyond it is refused T070 'quota exceeded' (§ 39 Abs. 1 BMG)."""
    server, second = two
    endpoints = [server.endpoint, second.endpoint]
    police = server.client("polizei")
    codes = []
    for i in range(_QUOTA + 1):
        police.endpoint = endpoints[i % 2]
        reply = ask_police(police)
        codes.append(reply.codes[0] if reply.fault else "answer")
    assert codes[:_QUOTA] == ["answer"] * _QUOTA
    assert codes[_QUOTA] == "T070"
