"""What operators observe of a transaction (issue 11 point 5): its log line, its stage timings.

The WSGI front runs in-process on the test world, as the TLS server hosts it, and the answer is
consumed and closed as the server does: only then is the transaction observed. The log line is
formatted as ``[logging] format = "json"`` formats it and read back as JSON.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from datenspiegel.service.config import load_config
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.service.envelope import answer_envelope
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.logs import (
    TRANSACTION_LOGGER,
    JsonFormatter,
    Structured,
    configure_logging,
)
from datenspiegel.service.quotas import QuotaGuard, Quotas
from datenspiegel.service.trace import Stage, TransactionTrace
from datenspiegel.service.web import Front
from tests.world import World, build_world

POLIZEI = next(u for u in DEMO_USERS if u.key == "polizei")
ORDNUNGSAMT = next(u for u in DEMO_USERS if u.key == "ordnungsamt")
#: what a transaction line must never carry: the person searched (tests/world.py), the
#: Aktenzeichen and Anlass, the requesting persons' clear Kennung and name
_PERSONAL = ("Quastenberg", "Hannelore", "Lührs", "Lister Meile", "1961-07-14")
_REQUIRED = ("time", "level", "logger", "message", "record_id", "service", "outcome", "codes")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build_world(tmp_path)
    yield built
    built.stores.close()


Lines = Callable[[], list[logging.LogRecord]]


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture) -> Iterator[Lines]:
    """The transaction lines logged so far."""
    caplog.set_level(logging.INFO, logger=TRANSACTION_LOGGER)
    yield lambda: [r for r in caplog.records if r.name == TRANSACTION_LOGGER]
    logging.getLogger(TRANSACTION_LOGGER).setLevel(logging.NOTSET)


def _post(front: Front, body: bytes) -> tuple[str, bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/datenabruf",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "text/xml; charset=utf-8",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_SOAPACTION": '"urn:xoev-de:datenspiegel:datenabruf:1:personensuche"',
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "https",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8443",
        "REMOTE_ADDR": "127.0.0.1",
    }
    seen: dict[str, str] = {}

    def start_response(status: str, _headers: list[tuple[str, str]], *_exc: Any) -> None:
        seen["status"] = status

    result = front(environ, start_response)
    chunks = list(result)
    close = getattr(result, "close", None)
    if close is not None:  # as a WSGI server does
        close()
    return seen["status"], b"".join(chunks)


def _json(record: logging.LogRecord) -> tuple[str, dict[str, Any]]:
    text = JsonFormatter().format(record)
    assert "\n" not in text
    return text, json.loads(text)


def _sample(front: Front, name: str, **labels: str) -> float | None:
    return front.registry.get_sample_value(name, labels)


def test_a_transaction_is_one_json_line_after_its_commit_without_personal_data(
    world: World, lines: Lines
) -> None:
    front = Front(world.broker, health=world.stores.health())
    status, answer = _post(front, answer_envelope(world.signed(world.request())))
    assert status == "200 OK" and b"Quastenberg" in answer  # the person left, as answered
    (record,) = lines()
    text, line = _json(record)
    for key in _REQUIRED:
        assert key in line, key
    assert line["logger"] == TRANSACTION_LOGGER and line["level"] == "INFO"
    assert line["message"] == "transaction" and line["time"].endswith("Z")
    kept = world.stores.protocol.get(line["record_id"], reader="tests", purpose=_betrieb())
    assert kept is not None  # written before the line
    assert line["service"] == "personensuche" and line["outcome"] == "answered"
    assert line["codes"] == ["01"] and line["reply"] == "answer"
    assert line["authority"] == ORDNUNGSAMT.authority_kennung
    assert line["authority_id"] == kept.authority_id and line["user_id"] == kept.user_id
    assert line["user"] == kept.user_kennung == ORDNUNGSAMT.user_kennung
    assert line["security_authority"] is False
    assert line["request_bytes"] == kept.request_bytes and line["answer_bytes"] == kept.answer_bytes
    assert "client_address" not in line  # personal data: only when the operator chooses
    stages = {s.value for s in Stage} - {"seal"}
    assert set(line["ms"]) == stages | {"total"}
    assert sum(v for k, v in line["ms"].items() if k != "total") == pytest.approx(
        line["ms"]["total"], abs=0.01
    )
    for leaked in (*_PERSONAL, ORDNUNGSAMT.stelle.aktenzeichen, ORDNUNGSAMT.stelle.anlass):
        assert leaked not in text
    assert not {"hits", "aktenzeichen", "search_data", "disclosed"} & set(line)


def test_a_security_authoritys_line_keeps_the_pseudonym_and_its_sealing_is_timed(
    world: World, lines: Lines
) -> None:
    front = Front(world.broker, health=world.stores.health(), log_client_address=True)
    status, _answer = _post(
        front, answer_envelope(world.signed(world.request("polizei"), "polizei"))
    )
    assert status == "200 OK"
    (record,) = lines()
    text, line = _json(record)
    assert line["authority"] == POLIZEI.authority_kennung and line["security_authority"] is True
    assert line["user"].startswith("pseudonym:") and "user_id" not in line  # § 40 Abs. 3 BMG
    assert line["client_address"] == "127.0.0.1"  # configured
    assert line["ms"]["seal"] > 0
    for leaked in (
        *_PERSONAL,
        POLIZEI.user_kennung,  # the clear Kennung of the requesting officer
        POLIZEI.user_name,
        POLIZEI.stelle.aktenzeichen,
        POLIZEI.stelle.anlass,
    ):
        assert leaked not in text, leaked
    seal = _sample(front, "datenspiegel_stage_seconds_count", stage="seal", service="personensuche")
    assert seal == 1.0


def test_every_stage_is_observed_in_the_histogram(world: World) -> None:
    front = Front(world.broker, health=world.stores.health())
    for _ in range(2):
        assert _post(front, answer_envelope(world.signed(world.request())))[0] == "200 OK"
    for stage in Stage:
        count = _sample(
            front, "datenspiegel_stage_seconds_count", stage=stage.value, service="personensuche"
        )
        assert count == (None if stage is Stage.SEAL else 2.0), stage
    total = _sample(
        front, "datenspiegel_stage_seconds_sum", stage="handle", service="personensuche"
    )
    assert total is not None and 0 < total < 2
    fine = _sample(
        front,
        "datenspiegel_stage_seconds_bucket",
        stage="validate",
        service="personensuche",
        le="0.0001",
    )
    assert fine is not None  # buckets reach down to 0.1 ms


def test_a_duplicate_names_its_original_and_a_quota_refusal_is_counted(
    world: World, lines: Lines
) -> None:
    front = Front(world.broker, health=world.stores.health())
    envelope = answer_envelope(world.signed(world.request()))
    _post(front, envelope)
    _post(front, envelope)
    first, again = (_json(r)[1] for r in lines())
    assert again["outcome"] == "duplicate" and again["duplicate_of"] == first["record_id"]
    assert set(again["ms"]) == {"parse", "validate", "verify", "authorise", "claim", "record"} | {
        "total"
    }
    world.broker.quotas = QuotaGuard(  # a minute of its own: one request, then refusals
        world.stores.windows,
        Quotas(user_per_minute=1, authority_per_minute=0),
        clock=lambda: 1_000_000.0,
    )
    _post(front, answer_envelope(world.signed(world.request())))
    _post(front, answer_envelope(world.signed(world.request())))
    refused = _json(lines()[-1])[1]
    assert refused["refusal"] == "quota" and refused["codes"] == ["T070"]
    assert "handle" not in refused["ms"] and refused["ms"]["claim"] > 0
    assert _sample(front, "datenspiegel_refusals_total", reason="quota") == 1.0
    assert _sample(front, "datenspiegel_refusals_total", reason="reused_id") == 0.0


def test_an_envelope_refused_before_any_operation_is_observed_too(
    world: World, lines: Lines
) -> None:
    front = Front(world.broker, health=world.stores.health())
    status, _ = _post(front, b"<not-soap/>")
    assert status.startswith("500")
    (record,) = lines()
    line = _json(record)[1]
    assert line["service"] == "envelope" and line["reply"] == "fault"
    assert line["outcome"] == "returned" and {"parse", "answer", "record"} <= set(line["ms"])


def test_the_transaction_line_can_be_switched_off_and_costs_nothing_then(
    world: World, lines: Lines
) -> None:
    root = logging.getLogger("test-observability-root")
    configure_logging("text", transactions=False, root=root)
    try:
        front = Front(world.broker, health=world.stores.health())
        assert _post(front, answer_envelope(world.signed(world.request())))[0] == "200 OK"
        assert lines() == []
        count = _sample(
            front, "datenspiegel_stage_seconds_count", stage="record", service="personensuche"
        )
        assert count == 1.0  # the metrics stay
    finally:
        configure_logging("text", transactions=True, root=root)


def test_a_failed_stage_keeps_its_own_time() -> None:
    trace = TransactionTrace("personensuche", started=0.0)  # body read at perf_counter 0
    trace.enter(Stage.VALIDATE)
    trace.enter(Stage.VERIFY)
    trace.enter(Stage.ANSWER)  # the signature was refused: the 0910 is built
    trace.enter(Stage.RECORD)
    trace.enter(Stage.SEAL)
    trace.enter(Stage.RECORD)  # entered twice: it adds up
    trace.stop()
    assert list(trace.stages) == [
        Stage.PARSE,
        Stage.VALIDATE,
        Stage.VERIFY,
        Stage.ANSWER,
        Stage.RECORD,
        Stage.SEAL,
    ]
    assert sum(trace.stages.values()) == pytest.approx(trace.total)
    assert trace.stages[Stage.PARSE] > 0  # from the body read on


def test_the_json_formatter_writes_one_object_per_record_with_its_fields() -> None:
    formatter = JsonFormatter()
    logger = logging.getLogger("datenspiegel.test")
    plain = logger.makeRecord(
        "datenspiegel.test", logging.WARNING, __file__, 1, "two\nlines %d", (2,), None
    )
    line = json.loads(formatter.format(plain))
    assert line["message"] == "two\nlines 2" and line["level"] == "WARNING"
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        failed = logger.makeRecord(
            "datenspiegel.test",
            logging.ERROR,
            __file__,
            1,
            "failed",
            (),
            sys.exc_info(),
            extra={"record_id": "r-1"},
        )
    text = formatter.format(failed)
    line = json.loads(text)
    assert "\n" not in text and "ValueError: broken" in line["exception"]
    assert line["record_id"] == "r-1"
    structured = logger.makeRecord(
        "datenspiegel.test",
        logging.INFO,
        __file__,
        1,
        Structured("transaction", {"codes": ["01"], "ms": {"total": 1.5}, "level": "x"}),
        (),
        None,
    )
    line = json.loads(formatter.format(structured))
    assert line["message"] == "transaction" and line["codes"] == ["01"]
    assert line["ms"] == {"total": 1.5} and line["level"] == "INFO"  # own keys stay
    assert structured.getMessage() == "transaction codes=01 ms.total=1.5 level=x"


def test_the_logging_setting_file_environment_and_refusal(tmp_path: Path) -> None:
    minimal = (
        '[server]\ntls_certificate = "t.pem"\ntls_key = "t.key"\n'
        '[signing]\nkey = "k.pem"\ncertificate = "c.pem"\ntrust_anchors = ["a.pem"]\n'
    )
    path = tmp_path / "datenspiegel.toml"
    path.write_text(minimal, encoding="utf-8")
    defaults = load_config(path, env={}).logging
    assert (defaults.format, defaults.transactions, defaults.client_address) == (
        "text",
        True,
        False,
    )
    path.write_text(minimal + '[logging]\nformat = "json"\n', encoding="utf-8")
    assert load_config(path, env={}).logging.format == "json"
    overridden = load_config(
        path,
        env={"DATENSPIEGEL_LOGGING_FORMAT": "text", "DATENSPIEGEL_LOGGING_CLIENT_ADDRESS": "yes"},
    ).logging
    assert overridden.format == "text" and overridden.client_address is True
    with pytest.raises(ConfigError, match=r"logging\.format .*'xml'.*one of text, json"):
        load_config(path, env={"DATENSPIEGEL_LOGGING_FORMAT": "xml"})


def test_configure_logging_puts_json_on_every_handler() -> None:
    root = logging.getLogger("test-observability-json")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    root.propagate = False
    try:
        configure_logging("json", root=root)
        root.warning("certificate %s reloaded", "tls")
        line = json.loads(stream.getvalue())
        assert line["message"] == "certificate tls reloaded" and line["logger"] == root.name
        with pytest.raises(ValueError):
            configure_logging("yaml", root=root)
    finally:
        root.removeHandler(handler)


def _betrieb() -> Any:
    from datenspiegel.protocol.reads import ReadPurpose

    return ReadPurpose.BETRIEB


def test_every_worker_reports_the_supervisors_count_of_restarts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker dies and is replaced; its replacement reads the count the parent keeps
    in shared memory (what ``datenspiegel_worker_restarts`` reports)."""
    import os
    import signal
    import socket

    from datenspiegel.service import supervisor
    from datenspiegel.service.supervisor import RestartBudget, supervise, worker_restarts

    monkeypatch.setattr(supervisor, "_replaced", None)  # this process's count, restored after

    seen = tmp_path / "restarts"

    def run_worker(_sock: socket.socket, parent: int) -> int:
        count = worker_restarts()
        if count == 0:
            return 3  # dies: the supervisor replaces it
        seen.write_text(str(count), encoding="utf-8")
        os.kill(parent, signal.SIGTERM)
        return 0

    status = supervise(
        socket.socket(), run_worker, workers=1, grace=5, budget=RestartBudget(limit=3)
    )
    assert status == 0
    assert seen.read_text(encoding="utf-8") == "1"
