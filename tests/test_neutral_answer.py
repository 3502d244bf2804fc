"""Neutral really neutral (issue 7, § 34a Abs. 5 BMG, DOMAIN.md § 3 "Answer").

A blocked person's neutral answer (03) must not differ from a real no-hit in content, size class
or timing. Content and size are equal by construction (``tests/test_answer_cut.py``); the work
behind them is not — the register reads the blocked record and the hand-over case is written to
the outbox (``bench/neutral.py`` measured +0.25 ms, visible with some 300 requests each). So
every 03 leaves no earlier than ``server.neutral_answer_floor`` after it arrived; the server
holds it in the reactor, without keeping a WSGI thread.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.connections import RELEASE_HEADER
from datenspiegel.transformers import Behoerde
from tests.serving import Server, demo_authority, start_serve

pytestmark = pytest.mark.slow

FLOOR = 0.3
CASES = {case.kennung: case for case in TEST_CASES}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("neutral") / "var"
    initialise(data_dir, persons=50, progress=False)
    serving = start_serve(data_dir, env={"DATENSPIEGEL_SERVER_NEUTRAL_ANSWER_FLOOR": str(FLOOR)})
    yield Server.of(data_dir, serving)
    serving.stop()


def _ask(server: Server, kennung: str) -> tuple[float, str | None, requests.Response]:
    case = CASES[kennung]
    autor, stelle = demo_authority("ordnungsamt")
    client = server.client()
    seen: dict[str, requests.Response] = {}
    send = client._session.post

    def recording_post(*args: object, **kwargs: object) -> requests.Response:
        seen["response"] = send(*args, **kwargs)  # type: ignore[arg-type]
        return seen["response"]

    client._session.post = recording_post  # type: ignore[method-assign]
    started = time.monotonic()
    reply = client.personensuche(
        leser=Behoerde(kennung=f"ags:{case.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1],
        query=case.query,
    )
    return time.monotonic() - started, reply.status, seen["response"]


def test_every_neutral_answer_leaves_no_earlier_than_the_floor(server: Server) -> None:
    assert CASES["TF07"].status == CASES["TF04"].status == "03"
    for kennung in ("TF07", "TF04", "TF07", "TF04"):  # blocked (code 3), real no-hit
        took, status, response = _ask(server, kennung)
        assert status == "03"
        assert took >= FLOOR, f"{kennung}: a neutral answer left after {took:.3f} s"
        assert RELEASE_HEADER.lower() not in {h.lower() for h in response.headers}


def test_other_answers_are_not_held(server: Server) -> None:
    took, status, _ = _ask(server, "TF01")
    assert status == "01"
    assert took < FLOOR, f"a status-01 answer waited {took:.3f} s"
