"""The parent of ``serve --workers N``: forks the workers, replaces the ones that die, stops them.

The skeleton's parent stopped the whole service when one worker died, and then waited forever
for a survivor that hung in its shutdown — an outage a service manager could not see, because
the main process was alive. Now:

- a worker that dies is replaced at once, within a restart budget (``limit`` restarts in
  ``window`` seconds); a worker that keeps dying exhausts it and the parent stops with exit 1,
  so the service manager sees the failure and applies its own restart policy;
- SIGTERM/SIGINT: the parent closes its copy of the listening socket, asks every worker to
  drain (SIGTERM), and kills what is still alive after the grace period plus a margin — the
  parent always exits within a bounded time;
- the workers watch their parent and drain and exit when it is gone (see ``server``).

The parent counts the workers it replaced in memory it shares with them (made before the first
fork), so that every worker reports the same figure in ``/metrics``
(``datenspiegel_worker_restarts``, :func:`worker_restarts`): the parent itself serves nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.sharedctypes import RawValue
from typing import Any

from datenspiegel.service.systemd import notify

__all__ = ["RestartBudget", "supervise", "worker_restarts"]

log = logging.getLogger(__name__)

#: Seconds the parent waits beyond the workers' own grace period before it kills them.
KILL_MARGIN = 5.0
_POLL = 0.05


#: Workers replaced since the supervisor started: written by the parent only, read by the
#: workers (shared memory, inherited at the fork). ``None`` outside ``serve --workers N``.
_replaced: Any = None


def worker_restarts() -> int | None:
    """How many workers the supervisor has replaced so far (``None``: no supervisor)."""
    replaced = _replaced
    return None if replaced is None else int(replaced.value)


@dataclass(frozen=True, slots=True)
class RestartBudget:
    """At most ``limit`` worker restarts within any ``window`` seconds."""

    limit: int = 5
    window: float = 60.0


def supervise(
    sock: socket.socket,
    run_worker: Callable[[socket.socket, int], int],
    *,
    workers: int,
    grace: float,
    budget: RestartBudget = RestartBudget(),
) -> int:
    """Run ``workers`` forked processes of ``run_worker(sock, parent_pid)``; return the exit
    status (0 after a requested stop, 1 when the restart budget was spent)."""
    global _replaced
    _replaced = RawValue(ctypes.c_long, 0)
    parent = os.getpid()
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: Any) -> None:
        stop_requested.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    children: dict[int, int] = {}  # pid -> slot
    restarts: deque[float] = deque()
    try:
        for slot in range(workers):
            children[_fork(sock, run_worker, parent)] = slot
        notify("READY=1", f"STATUS=serving with {workers} worker processes", f"MAINPID={parent}")
        status = 0
        while not stop_requested:
            pid, code = _reap()
            if pid is None:
                time.sleep(_POLL)
                continue
            if pid not in children:
                continue
            slot = children.pop(pid)
            now = time.monotonic()
            while restarts and now - restarts[0] > budget.window:
                restarts.popleft()
            if len(restarts) >= budget.limit:
                log.error(
                    "worker %d ended (%s); %d restarts within %.0f s: restart budget spent, "
                    "stopping the service",
                    pid,
                    _describe(code),
                    len(restarts),
                    budget.window,
                )
                status = 1
                break
            restarts.append(now)
            _replaced.value += 1
            replacement = _fork(sock, run_worker, parent)
            children[replacement] = slot
            log.warning(
                "worker %d ended (%s): replaced by worker %d", pid, _describe(code), replacement
            )
        sock.close()  # nothing new is accepted for workers that are on their way out
        notify("STOPPING=1")
        _stop_all(children, grace)
        return status
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _fork(sock: socket.socket, run_worker: Callable[[socket.socket, int], int], parent: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 70  # EX_SOFTWARE unless the worker says otherwise
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us with SIGTERM
        status = run_worker(sock, parent)
    except BaseException:
        log.exception("worker process failed")
        status = 1
    finally:
        logging.shutdown()
        os._exit(status)


def _reap() -> tuple[int | None, int]:
    try:
        pid, status = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return None, 0
    if pid == 0:
        return None, 0
    return pid, os.waitstatus_to_exitcode(status)


def _describe(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


def _stop_all(children: dict[int, int], grace: float) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace + KILL_MARGIN
    remaining = set(children)
    while remaining and time.monotonic() < deadline:
        ended, code = _reap()
        if ended is None:
            time.sleep(_POLL)
            continue
        remaining.discard(ended)
        if code not in (0, -signal.SIGTERM):
            log.warning("worker %d stopped with %s", ended, _describe(code))
    for pid in remaining:
        log.error("worker %d did not stop within %.0f s: killed", pid, grace + KILL_MARGIN)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
