"""Connection hygiene of the TLS listener: read deadlines, connection caps, drain on shutdown.

What an adversary on the state network could do to the skeleton's listener, and what stops it:

- *Slowloris.* Twisted's idle timer is reset by every byte, so a client sending one byte every
  few seconds held its connection forever. Here a **read deadline** runs from the moment a
  connection opens (TLS handshake included), or from the end of the previous response on a
  keep-alive connection, until the request is *completely* received; bytes do not extend it.
- *Descriptor exhaustion.* Held connections were bounded only by the file-descriptor limit
  (2 008 slow connections left 0 answers). Here a **per-source cap** refuses a source's
  connection beyond its share, and a **global cap** makes room for a new connection by dropping
  the connection that has been reading its request for the longest time: a legitimate client
  sends its request in milliseconds, so it is the flood that is evicted, not the new client.
- *Hung shutdown.* ``drain`` stops taking requests, closes idle keep-alive connections, lets
  the requests in flight finish and reports when none is left (or the grace period is over),
  so the worker can stop its threads without waiting on a request that waits on the reactor.

All methods run in the reactor thread.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twisted.internet.defer import Deferred
from twisted.web.http import HTTPChannel

from datenspiegel.access.networks import IPNetwork, adresse_in_netzen
from datenspiegel.service.heap import release_free_heap

__all__ = [
    "CLIENT_CERTIFICATE_HEADER",
    "RELEASE_HEADER",
    "ConnectionGuard",
    "ConnectionLimits",
    "GuardedChannel",
]

#: Set by the WSGI front on an answer that must not leave before a moment (``time.perf_counter``
#: value); the server removes it and holds the answer until then (never sent to the client).
RELEASE_HEADER = "X-Datenspiegel-Release-At"
#: Request header the server sets to the SHA-256 of the connection's TLS client certificate
#: (after dropping any a client sent): how the front learns it (mutual TLS, issue 8).
CLIENT_CERTIFICATE_HEADER = "X-Datenspiegel-Client-Certificate"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """The listener's bounds; every field has the safe default an operator starts with."""

    #: Seconds from connection open (or the end of the previous response) until the request is
    #: completely received: TLS handshake, headers and body. Bytes do not extend it.
    request_timeout: float = 10.0
    #: Concurrent connections one worker process holds at most.
    max_connections: int = 512
    #: Concurrent connections from one source address (per worker process).
    max_per_source: int = 64
    #: Source networks accepted at all (``server.allowed_networks``); empty: any.
    allowed_networks: tuple[IPNetwork, ...] = ()

    def __post_init__(self) -> None:
        if self.request_timeout <= 0:
            raise ValueError("request_timeout must be positive")
        if self.max_per_source < 1 or self.max_connections < self.max_per_source:
            raise ValueError("need 1 <= max_per_source <= max_connections")


class _Phase:
    READING = "reading"  # waiting for / receiving a request: under the read deadline
    PROCESSING = "processing"  # request complete, answer not yet written


class ConnectionGuard:
    """Admits, times and drains the connections of one worker process."""

    def __init__(
        self,
        limits: ConnectionLimits,
        *,
        call_later: Callable[..., Any],
        on_event: Callable[[str], None] = lambda _kind: None,
    ) -> None:
        self.limits = limits
        self._call_later = call_later
        self._on_event = on_event  # counts refusals, evictions, time-outs for /metrics
        # Insertion order is the order in which the current read phase began: the first
        # entry is the connection that has been reading the longest.
        self._reading: dict[GuardedChannel, None] = {}
        self._processing: set[GuardedChannel] = set()
        self._per_source: Counter[str] = Counter()
        self._drained: Deferred[bool] | None = None
        self._grace_call: Any = None
        self._peak = 0
        self._trim_call: Any = None
        self.draining = False

    # -- figures -------------------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        return len(self._reading) + len(self._processing)

    @property
    def in_flight(self) -> int:
        return len(self._processing)

    # -- life of a connection ------------------------------------------------------------------

    def admit(self, channel: GuardedChannel) -> bool:
        if self.draining:
            return False
        source = channel.source
        allowed = self.limits.allowed_networks
        if allowed and not adresse_in_netzen(source, allowed):
            # before the TLS handshake: nothing of the service is exposed to the outside
            self._on_event("refused_network")
            return False
        if self._per_source[source] >= self.limits.max_per_source:
            self._on_event("refused_per_source")
            return False
        if self.open_connections >= self.limits.max_connections:
            if not self._reading:
                self._on_event("refused_global")
                return False
            oldest = next(iter(self._reading))
            self._on_event("evicted")
            oldest.evict()  # its connectionLost releases it; take it out now for the count
            self._forget(oldest)
        self._per_source[source] += 1
        self._reading[channel] = None
        self._peak = max(self._peak, self.open_connections)
        return True

    def processing(self, channel: GuardedChannel) -> None:
        self._reading.pop(channel, None)
        self._processing.add(channel)

    def reading(self, channel: GuardedChannel) -> None:
        self._processing.discard(channel)
        self._reading.pop(channel, None)
        self._reading[channel] = None  # to the end: its read phase begins now
        self._check_drained()

    def closed(self, channel: GuardedChannel) -> None:
        if self._forget(channel):
            self._after_close()

    def _forget(self, channel: GuardedChannel) -> bool:
        known = channel in self._reading or channel in self._processing
        self._reading.pop(channel, None)
        self._processing.discard(channel)
        if known:
            self._per_source[channel.source] -= 1
            if self._per_source[channel.source] <= 0:
                del self._per_source[channel.source]
        return known

    def _after_close(self) -> None:
        self._check_drained()
        if self._peak >= 64 and self.open_connections <= self._peak // 4:
            self._peak = self.open_connections
            if self._trim_call is None:
                self._trim_call = self._call_later(1.0, self._trim)

    def _trim(self) -> None:
        """Give the memory of a burst of closed connections back to the system.

        glibc keeps freed heap (TLS buffers, request objects) in its arenas; after a flood of
        connections the worker would otherwise stay at its peak size for its lifetime.
        """
        self._trim_call = None
        release_free_heap()

    # -- drain -----------------------------------------------------------------------------------

    def drain(self, grace: float) -> Deferred[bool]:
        """Stop admitting; close idle connections; fire ``True`` when no connection is left,
        ``False`` if the grace period ran out first (the rest are then aborted)."""
        if self._drained is not None:
            return self._drained
        self.draining = True
        self._drained = Deferred()
        for channel in list(self._reading):
            channel.close_if_idle()
        self._grace_call = self._call_later(grace, self._grace_over)
        self._check_drained()
        return self._drained

    def _check_drained(self) -> None:
        if self._drained is None or self._drained.called or self.open_connections:
            return
        if self._grace_call is not None and self._grace_call.active():
            self._grace_call.cancel()
        self._drained.callback(True)

    def _grace_over(self) -> None:
        if self._drained is None or self._drained.called:
            return
        log.warning(
            "shutdown grace period over with %d request(s) in flight and %d connection(s) "
            "open: aborting them",
            self.in_flight,
            self.open_connections,
        )
        for channel in [*self._reading, *self._processing]:
            channel.evict()
        self._drained.callback(False)


class GuardedChannel(HTTPChannel):
    """An HTTP/1.1 channel under the guard: read deadline, caps, fast close on refusal."""

    guard: ConnectionGuard  # set by the server on the class it builds per worker

    def __init__(self) -> None:
        super().__init__()
        self.source = "?"
        self._deadline: Any = None
        self._partial = False  # bytes of the current request have arrived
        self._refused = False
        self._admitted = False

    @property
    def _link(self) -> Any:
        """The TLS transport below this channel (typed loosely: Twisted's interfaces are zope's)."""
        return self.transport

    # -- connection --------------------------------------------------------------------------

    def connectionMade(self) -> None:
        self.source = str(getattr(self._link.getPeer(), "host", "?"))
        if not self.guard.admit(self):
            self._link.abortConnection()
            return
        self._admitted = True
        super().connectionMade()
        self._arm()

    def connectionLost(self, reason: Any = None) -> None:
        self._disarm()
        if self._admitted:
            self._admitted = False
            self.guard.closed(self)
        super().connectionLost(reason)

    # -- reading under the deadline --------------------------------------------------------

    def _arm(self) -> None:
        self._disarm()
        self._partial = False
        self._deadline = self.callLater(self.guard.limits.request_timeout, self._deadline_passed)

    def _disarm(self) -> None:
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
        self._deadline = None

    def _deadline_passed(self) -> None:
        self._deadline = None
        if self._partial:
            self.guard._on_event("read_deadline")
            log.info(
                "request from %s not complete within %.0f s: connection closed",
                self.source,
                self.guard.limits.request_timeout,
            )
            self.evict()
        else:  # an idle keep-alive connection: a normal close
            self.close_if_idle()

    def dataReceived(self, data: bytes) -> None:
        if self._refused:
            return
        if self._deadline is not None:
            self._partial = True
        super().dataReceived(data)

    def rawDataReceived(self, data: bytes) -> None:
        if self._refused:  # the rest of a body we already refused
            return
        super().rawDataReceived(data)

    def allContentReceived(self) -> None:
        self._disarm()
        self.guard.processing(self)
        super().allContentReceived()

    def requestDone(self, request: Any) -> None:
        if self.guard.draining and not self._buffered():
            # Draining: answer what arrived before the stop — this request and any pipelined
            # behind it — then close instead of waiting for more.
            self.persistent = False
        super().requestDone(request)
        if self.guard.draining and self.persistent and not self._handlingRequest:
            self._close_now()  # the buffered rest was no complete request
            return
        if not (self.persistent and self._admitted) or self._handlingRequest:
            # A pipelined request that had already arrived was started inside requestDone
            # (allContentReceived): it is being processed, not read — no deadline, no drain.
            return
        self._arm()
        # Part of the next request may already be buffered: then it is mid-request.
        self._partial = bool(getattr(self, "_buffer", b"")) or (
            getattr(self, "_HTTPChannel__first_line", 1) == 0
        )
        self.guard.reading(self)

    def _buffered(self) -> bool:
        return bool(self._dataBuffer) or bool(getattr(self, "_buffer", b""))

    # -- closing -------------------------------------------------------------------------------

    def close_if_idle(self) -> None:
        """Close a connection that is between requests; leave one that is mid-request."""
        if self._partial or self in self.guard._processing:
            return
        self._disarm()
        self._close_now()

    def evict(self) -> None:
        self._disarm()
        self._refused = True
        self._link.abortConnection()

    def refuse(self, response: bytes) -> None:
        """Send ``response`` (e.g. a 413) and close at once, dropping whatever else arrives.

        Closing only the TLS layer would wait for the client's close_notify while it keeps
        sending its body; the TCP connection is closed as soon as the response is flushed.
        """
        self._disarm()
        self._refused = True
        self._link.write(response)
        self._close_now()

    def loseConnection(self) -> None:
        """HTTPChannel's own close (after a ``Connection: close`` answer, on a time-out)."""
        self._networkProducer.unregisterProducer()
        self._close_now()

    def _close_now(self) -> None:
        self._link.loseConnection()
        tcp = getattr(self._link, "transport", None)  # below TLS
        if tcp is not None:
            tcp.loseConnection()
