"""``datenspiegel serve`` as a subprocess: start, read the announced port, watch its CPU, stop.

The server is started exactly as an operator starts it; the benchmark learns the port from the
announcement line on stdout. Its log (stderr) goes to a file in the data directory so a full
pipe can never stall it, and its CPU time is read from ``/proc`` for the whole process tree,
so a server with several worker processes is accounted for completely.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.errors import ServerStartError
from bench.world import QUOTAS_OFF

__all__ = [
    "ServerProcess",
    "cpu_seconds_of",
    "default_serve_command",
    "memory_kib",
    "serve_options",
    "start_server",
    "worker_pids",
]

_ANNOUNCEMENT = "listening on "


def default_serve_command() -> list[str]:
    # The console script's module, run by this interpreter: works without the venv on PATH.
    return [sys.executable, "-m", "datenspiegel.service.cli", "serve"]


def serve_options(command: list[str]) -> str:
    """``serve --help`` of ``command`` (to learn which options the server supports)."""
    done = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise ServerStartError(
            f"'{' '.join(command)} --help' failed (exit {done.returncode}):\n"
            f"{(done.stdout + done.stderr)[-2000:]}"
        )
    return done.stdout


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _tree_pids(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text(encoding="ascii").split()
            except OSError:
                continue
            stack.extend(int(c) for c in children)
    return pids


def worker_pids(pid: int) -> list[int]:
    """The processes that serve: the children of a ``serve --workers N`` supervisor, or
    ``pid`` itself when it has none (one worker runs in the main process)."""
    children = [member for member in _tree_pids(pid) if member != pid]
    return sorted(children) or [pid]


def memory_kib(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``RssAnon`` (KiB) of ``pid`` from ``/proc/<pid>/status``; {} if gone.

    ``VmRSS`` counts the pages a forked worker still shares with its parent as well;
    ``RssAnon`` is the process's own heap and stacks, where a leak shows first."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return {}
    out: dict[str, int] = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon"):
            out[key] = int(value.split()[0])
    return out


def cpu_seconds_of(pid: int) -> float:
    """CPU (user + system) used so far by ``pid`` alone (0.0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in _tree_pids(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text(encoding="ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


@dataclass(frozen=True, slots=True)
class ServerProcess:
    process: subprocess.Popen[str]
    endpoint: str
    host: str
    port: int
    log_path: Path
    port_zero_refused: bool
    _output: list[str] = field(default_factory=list)

    def cpu_seconds(self) -> float:
        """CPU (user + system) used so far by the server and all its child processes."""
        return _cpu_seconds(self.process.pid)

    @property
    def base_url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def _launch(
    command: list[str], data_dir: Path, listen: str, extra: list[str], log_path: Path
) -> tuple[subprocess.Popen[str], queue.Queue[str | None], list[str]]:
    log = log_path.open("a", encoding="utf-8")
    # A load generator is one user sending as fast as it can: quotas off (bench.world).
    environment = {**os.environ, **QUOTAS_OFF}
    process = subprocess.Popen(
        [*command, "--data-dir", str(data_dir), "--listen", listen, *extra],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=environment,
    )
    log.close()  # the child holds its own descriptor
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:  # keeps reading so the pipe never fills
            seen.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, name="serve-stdout", daemon=True).start()
    return process, lines, seen


def _await_announcement(
    process: subprocess.Popen[str], lines: queue.Queue[str | None], timeout: float
) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if process.poll() is not None:
                return None
            continue
        if line is None:
            return None
        if _ANNOUNCEMENT in line:
            return line.split(_ANNOUNCEMENT, 1)[1].split()[0]
    return None


def start_server(
    data_dir: Path,
    *,
    command: list[str] | None = None,
    extra_args: list[str] | None = None,
    host: str = "127.0.0.1",
    timeout: float = 60.0,
) -> ServerProcess:
    """Start ``serve`` on ``host``, port 0 (any); fall back to a free port if 0 is refused."""
    command = command or default_serve_command()
    extra = list(extra_args or [])
    log_path = data_dir / "serve.log"
    port_zero_refused = False
    for listen in (f"{host}:0", None):
        if listen is None:
            port_zero_refused = True
            listen = f"{host}:{_free_port(host)}"
        process, lines, seen = _launch(command, data_dir, listen, extra, log_path)
        endpoint = _await_announcement(process, lines, timeout)
        if endpoint is not None:
            host_port = endpoint.split("//", 1)[1].split("/", 1)[0]
            announced_host, port = host_port.rsplit(":", 1)
            return ServerProcess(
                process,
                endpoint,
                announced_host.strip("[]"),
                int(port),
                log_path,
                port_zero_refused,
                seen,
            )
        if process.poll() is None:
            process.kill()
        process.wait(timeout=15)
        log = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        if listen.endswith(":0") and "HOST:PORT" in log:
            continue  # port 0 refused by this version of the server: pick a port ourselves
        raise ServerStartError(
            f"the server did not announce its address within {timeout:.0f} s "
            f"(exit code {process.returncode}).\nstdout:\n{''.join(seen)[-2000:]}\n"
            f"log {log_path}:\n{log}"
        )
    raise AssertionError("unreachable")
