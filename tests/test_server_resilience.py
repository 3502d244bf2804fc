"""The service under faults and hostile clients (issue 5), as an operator would see it.

Every test runs ``datenspiegel serve`` as a real process on loopback, with its limits set through
``DATENSPIEGEL_*`` environment overrides, and bounds its own load in count and time:

- SIGKILL of one worker under load: the service keeps answering, the worker is replaced;
- SIGTERM under load: exit within the grace period, every answered request recorded;
- SIGKILL of the parent: the workers are gone within seconds;
- a slow-client flood at the connection cap: a new legitimate client is still answered;
- a read deadline that trickled bytes do not extend; a 413 closes the connection at once;
- a write-locked broker database: ``/health`` and ``/ready`` say so, requests fail closed fast;
- the service manager is told READY=1 and STOPPING=1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.client import ClientError
from tests.serving import (
    Server,
    Serving,
    ask_unique,
    session,
    signed_unique_envelope,
    start_serve,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("resilience") / "var"
    initialise(directory, persons=100, progress=False)
    return directory


def _server(data_dir: Path, serving: Serving) -> Server:
    return Server.of(data_dir, serving)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "zombie" in status.lower()


def _wait_for(condition: object, timeout: float, step: float = 0.05) -> float | None:
    """Seconds until ``condition()`` held, or ``None`` if it did not within ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(step)
    return None


@dataclass
class Load:
    """Clients asking the unique test person in a loop until stopped (bounded by ``limit``)."""

    server: Server
    threads: int = 4
    limit: float = 30.0
    answered: list[tuple[float, str]] = field(default_factory=list)  # (time, request id)
    failed: list[tuple[float, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _workers: list[threading.Thread] = field(default_factory=list)

    def _run(self) -> None:
        client = self.server.client()
        started = time.monotonic()
        while not self._stop.is_set() and time.monotonic() - started < self.limit:
            try:
                reply = ask_unique(client)
            except ClientError as exc:
                self.failed.append((time.monotonic(), str(exc)))
                time.sleep(0.02)
                continue
            if reply.status == "01":
                self.answered.append((time.monotonic(), reply.request_id))
            else:
                self.failed.append((time.monotonic(), f"{reply.codes}"))

    def __enter__(self) -> Load:
        for _ in range(self.threads):
            thread = threading.Thread(target=self._run, daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout=60)

    def answered_after(self, moment: float) -> int:
        return sum(1 for at, _ in self.answered if at > moment)


def _protocol_message_ids(data_dir: Path) -> set[str]:
    store = ProtocolStore(f"sqlite:///{data_dir / 'broker.sqlite'}")
    try:
        records = store.records(reader="tests", purpose=ReadPurpose.BETRIEB, limit=100_000)
        return {r.request_message_id for r in records if r.request_message_id}
    finally:
        store.dispose()


def _protocol_verify(data_dir: Path) -> dict[str, object]:
    """``datenspiegel protocol verify --json`` as the operator runs it after an incident."""
    done = subprocess.run(
        [sys.executable, "-m", "datenspiegel.service.cli", "protocol", "verify", "--json",
         "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


# -- workers and signals ----------------------------------------------------------------------


def test_a_worker_killed_under_load_is_replaced_and_the_service_keeps_answering(
    data_dir: Path,
) -> None:
    serving = start_serve(data_dir, "--workers", "2")
    server = _server(data_dir, serving)
    try:
        assert _wait_for(lambda: len(_children(serving.process.pid)) == 2, 10) is not None
        before = _children(serving.process.pid)
        with Load(server) as load:
            time.sleep(1.0)
            victim = min(before)
            os.kill(victim, signal.SIGKILL)
            killed_at = time.monotonic()
            recovery = _wait_for(
                lambda: (
                    len(_children(serving.process.pid) - {victim}) == 2
                    and victim not in _children(serving.process.pid)
                ),
                10,
            )
            assert recovery is not None, "the killed worker was not replaced"
            time.sleep(1.5)
        assert serving.process.poll() is None, "the parent must not stop the service"
        after = _children(serving.process.pid)
        assert victim not in after and len(after) == 2 and len(after - before) == 1
        assert load.answered_after(killed_at + recovery) >= 5
        assert "replaced by worker" in serving.log()
    finally:
        assert serving.stop(timeout=30) == 0
    # Issue 9 (§ 40 BMG, the protocol as evidence): every answer a client received has its
    # record, and the Merkle log verifies although a worker was killed while appending and
    # while sequencing.
    recorded = _protocol_message_ids(data_dir)
    missing = [request for _, request in load.answered if request not in recorded]
    assert not missing, f"{len(missing)} answers without their record"
    verified = _protocol_verify(data_dir)
    assert verified["ok"], verified["findings"][:5]
    assert verified["records"] >= len(load.answered) and verified["pending"] == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_under_load_drains_within_the_grace_period_and_records_every_answer(
    data_dir: Path, workers: int
) -> None:
    grace = 5.0
    serving = start_serve(
        data_dir,
        "--workers",
        str(workers),
        env={"DATENSPIEGEL_SERVER_SHUTDOWN_GRACE": str(grace)},
    )
    server = _server(data_dir, serving)
    children = set()
    with Load(server, threads=6) as load:
        time.sleep(1.5)
        children = _children(serving.process.pid)
        serving.process.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        status = serving.process.wait(timeout=grace + 10)
        drain = time.monotonic() - stopped_at
    assert status == 0, serving.log()[-3000:]
    assert drain < grace + 1.0, f"drain took {drain:.1f} s"
    assert all(_gone(pid) for pid in children)
    assert len(load.answered) >= 10
    answered = {request_id for _, request_id in load.answered}
    assert answered <= _protocol_message_ids(data_dir), "an answered request has no record"
    assert "Traceback" not in serving.log()


def test_workers_exit_when_the_parent_is_killed(data_dir: Path) -> None:
    serving = start_serve(data_dir, "--workers", "2")
    try:
        assert _wait_for(lambda: len(_children(serving.process.pid)) == 2, 10) is not None
        workers = _children(serving.process.pid)
        serving.process.kill()
        serving.process.wait(timeout=10)
        gone = _wait_for(lambda: all(_gone(pid) for pid in workers), 10)
        assert gone is not None, "orphaned workers kept running"
        assert gone < 5.0
    finally:
        for pid in _children(serving.process.pid):
            os.kill(pid, signal.SIGKILL)


def test_a_worker_that_keeps_dying_spends_the_restart_budget_and_the_service_stops(
    data_dir: Path,
) -> None:
    serving = start_serve(
        data_dir, "--workers", "2", env={"DATENSPIEGEL_SERVER_WORKER_RESTART_LIMIT": "2"}
    )
    for _ in range(3):
        if serving.process.poll() is not None:
            break
        _wait_for(lambda: len(_children(serving.process.pid)) == 2, 10)
        pids = _children(serving.process.pid)
        if pids:
            os.kill(min(pids), signal.SIGKILL)
        time.sleep(0.5)
    assert serving.process.wait(timeout=30) == 1
    assert "restart budget spent" in serving.log()


def test_the_service_manager_is_notified(data_dir: Path, tmp_path: Path) -> None:
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as manager:
        manager.bind(address)
        manager.settimeout(20)
        serving = start_serve(data_dir, "--workers", "2", env={"NOTIFY_SOCKET": address})
        try:
            ready = manager.recv(4096).decode()
            assert "READY=1" in ready.splitlines()
            assert f"MAINPID={serving.process.pid}" in ready
        finally:
            serving.process.send_signal(signal.SIGTERM)
            assert "STOPPING=1" in manager.recv(4096).decode().splitlines()
            assert serving.process.wait(timeout=30) == 0


# -- connections ----------------------------------------------------------------------------


def _tls(server: Server, source: str = "127.0.0.1") -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    raw = socket.create_connection(
        (server.host, server.port), timeout=10, source_address=(source, 0)
    )
    return context.wrap_socket(raw, server_hostname=server.host)


def _closed_by_server(conn: socket.socket, timeout: float) -> bool:
    conn.settimeout(timeout)
    try:
        while True:
            if not conn.recv(65536):
                return True
    except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_connections_from_outside_the_allowed_networks_are_refused_before_tls(
    data_dir: Path,
) -> None:
    """Issue 8, point 3 (DOMAIN.md § 7: access only from the state network): with
    ``server.allowed_networks`` set, a connection from elsewhere is closed before the TLS
    handshake — it learns nothing, not even the certificate — and counted."""
    serving = start_serve(data_dir, env={"DATENSPIEGEL_SERVER_ALLOWED_NETWORKS": "127.0.0.1/32"})
    server = _server(data_dir, serving)
    try:
        with pytest.raises((OSError, ssl.SSLError)):
            _tls(server, "127.0.0.9").close()
        assert ask_unique(server.client()).status == "01"  # from inside: served
        metrics = (
            session(server.ca_file)
            .get(f"https://{server.host}:{server.port}/metrics", timeout=10)
            .text
        )
        assert 'datenspiegel_connection_events_total{kind="refused_network"} 1.0' in metrics
    finally:
        serving.stop()
    serving.check_log()


def test_trickled_bytes_do_not_extend_the_read_deadline(data_dir: Path) -> None:
    serving = start_serve(data_dir, env={"DATENSPIEGEL_SERVER_REQUEST_TIMEOUT": "2"})
    server = _server(data_dir, serving)
    try:
        conn = _tls(server)
        opened = time.monotonic()
        closed = False
        conn.settimeout(0.3)
        for byte in b"POST /datenabruf HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
            try:
                conn.sendall(bytes([byte]))
                if conn.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except (OSError, ssl.SSLError):
                closed = True
                break
        lasted = time.monotonic() - opened
        assert closed, "a slow request kept its connection beyond the deadline"
        assert 1.5 < lasted < 4.0, f"closed after {lasted:.1f} s"
        conn.close()
        # an idle keep-alive connection is closed at the same deadline, a normal one answered
        assert ask_unique(server.client()).status == "01"
    finally:
        serving.stop()


def test_a_slow_client_flood_at_the_cap_does_not_lock_out_a_new_client(data_dir: Path) -> None:
    serving = start_serve(
        data_dir,
        env={
            "DATENSPIEGEL_SERVER_MAX_CONNECTIONS": "40",
            "DATENSPIEGEL_SERVER_MAX_CONNECTIONS_PER_SOURCE": "20",
            "DATENSPIEGEL_SERVER_REQUEST_TIMEOUT": "60",  # the cap, not the deadline, is tested
        },
    )
    server = _server(data_dir, serving)
    held: list[ssl.SSLSocket] = []
    stop = threading.Event()

    def flood(source: str) -> None:
        # holds 20 slow connections from one source, reconnecting whatever the server drops
        mine: list[ssl.SSLSocket] = []
        while not stop.is_set():
            mine = [c for c in mine if c.fileno() != -1]
            while len(mine) < 20 and not stop.is_set():
                try:
                    conn = _tls(server, source)
                    conn.sendall(b"POST /datenabruf HTTP/1.1\r\nHost: x\r\n")
                    conn.setblocking(False)
                    mine.append(conn)
                    held.append(conn)
                except (OSError, ssl.SSLError):
                    break
            for conn in list(mine):
                try:
                    if conn.recv(1) == b"":
                        conn.close()
                except (ssl.SSLWantReadError, BlockingIOError):
                    pass
                except (OSError, ssl.SSLError):
                    conn.close()
            time.sleep(0.05)

    flooders = [
        threading.Thread(target=flood, args=(s,), daemon=True) for s in ("127.0.0.2", "127.0.0.3")
    ]
    try:
        for thread in flooders:
            thread.start()
        time.sleep(2.0)
        # one source beyond its share is refused at once, before the TLS handshake
        with pytest.raises((OSError, ssl.SSLError)):
            extra = _tls(server, "127.0.0.2")
            extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            extra.settimeout(3)
            if not extra.recv(1):
                raise ConnectionResetError("closed by the server")
        attempts, answered = 20, 0
        client = server.client()
        for _ in range(attempts):
            try:
                answered += ask_unique(client).status == "01"
            except ClientError:
                pass
        assert answered == attempts, f"{answered}/{attempts} legitimate requests answered"
        metrics = (
            session(server.ca_file)
            .get(f"https://{server.host}:{server.port}/metrics", timeout=10)
            .text
        )
        assert 'datenspiegel_connection_events_total{kind="evicted"}' in metrics
        assert 'datenspiegel_connection_events_total{kind="refused_per_source"}' in metrics
    finally:
        stop.set()
        for thread in flooders:
            thread.join(timeout=10)
        for conn in held:
            conn.close()
        serving.stop()


def test_a_413_closes_the_connection_at_once(data_dir: Path) -> None:
    serving = start_serve(data_dir)
    server = _server(data_dir, serving)
    try:
        conn = _tls(server)
        conn.sendall(
            b"POST /datenabruf HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
            b"Content-Length: 5000000\r\n\r\n" + b"x" * 1000
        )
        started = time.monotonic()
        conn.settimeout(3)
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
        except (ConnectionResetError, ssl.SSLError):
            pass
        closed_after = time.monotonic() - started
        assert received.startswith(b"HTTP/1.1 413")
        assert closed_after < 1.0, f"connection held {closed_after:.1f} s after the 413"
        conn.close()
        time.sleep(0.3)
        assert "AttributeError" not in serving.log()
        assert "Traceback" not in serving.log()
    finally:
        serving.stop()


# -- an unwritable protocol -------------------------------------------------------------------


@pytest.fixture
def write_lock(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """Holds the broker database's write lock, as a stuck writer or a backup tool would."""
    conn = sqlite3.connect(data_dir / "broker.sqlite", isolation_level=None, timeout=5)
    yield conn
    conn.close()


def test_a_write_locked_database_is_reported_and_requests_fail_closed_fast(
    data_dir: Path, write_lock: sqlite3.Connection
) -> None:
    serving = start_serve(data_dir, env={"DATENSPIEGEL_STORES_WRITE_TIMEOUT": "0.5"})
    server = _server(data_dir, serving)
    http = session(server.ca_file)
    base = f"https://{server.host}:{server.port}"
    try:
        assert http.get(f"{base}/health", timeout=10).status_code == 200
        assert http.get(f"{base}/ready", timeout=10).status_code == 200
        write_lock.execute("BEGIN IMMEDIATE")
        time.sleep(1.1)  # the health result is cached for one second
        for path in ("/health", "/ready"):
            response = http.get(f"{base}{path}", timeout=10)
            assert response.status_code == 503, path
            assert response.json()["checks"]["broker_db"].startswith("unavailable")
        client = server.client()
        for _ in range(5):
            started = time.monotonic()
            reply = ask_unique(client)
            took = time.monotonic() - started
            assert reply.fault and reply.codes == ["S999"]
            assert took < 2.5, f"failing closed took {took:.1f} s"
        write_lock.execute("ROLLBACK")
        time.sleep(1.1)
        assert http.get(f"{base}/health", timeout=10).status_code == 200
        assert ask_unique(client).status == "01"
        log = serving.log()
        assert log.count("protocol writes (answers withheld) failing") == 1, log[-3000:]
        assert "recovered after" in log
        assert "Traceback" not in log
        metrics = http.get(f"{base}/metrics", timeout=10).text
        assert "datenspiegel_protocol_write_failures_total 5.0" in metrics
    finally:
        serving.stop()


def test_pipelined_requests_in_flight_at_sigterm_are_all_answered(data_dir: Path) -> None:
    """A request pipelined behind another is being processed when it starts, not read: a
    drain must answer it (it is recorded) instead of closing the connection as idle."""
    serving = start_serve(data_dir, env={"DATENSPIEGEL_SERVER_SHUTDOWN_GRACE": "10"})
    server = _server(data_dir, serving)
    count = 8
    pipeline = b"".join(
        b"POST /datenabruf HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        for body in (signed_unique_envelope(server) for _ in range(count))
    )
    conn = _tls(server)
    conn.sendall(pipeline)
    conn.settimeout(15)
    received = b""
    while b"HTTP/1.1 200" not in received:
        chunk = conn.recv(65536)
        assert chunk, "the first answer did not arrive"
        received += chunk
    serving.process.send_signal(signal.SIGTERM)
    try:
        while chunk := conn.recv(65536):
            received += chunk
    except (ConnectionResetError, ssl.SSLError):
        pass
    conn.close()
    assert serving.process.wait(timeout=20) == 0
    serving.check_log()
    assert received.count(b"HTTP/1.1 200 OK") == count, "a pipelined answer was dropped"
