"""Request quotas per user and per authority, shared by every worker and host.

A brake on bulk extraction (§ 39 Abs. 1 BMG: retrievals only as far as needed for the task;
DOMAIN.md § 7: the operator watches for unlawful retrievals and may block): each authorised
request counts against its user's and its authority's quota of the current minute
(``broker.quota_user_per_minute``, ``broker.quota_authority_per_minute``; 0 switches one off).
Beyond a quota the request is refused with 0910 T070 — the sender is not entitled to *this*
request now — with a text that names the quota and when the next minute begins; the refusal is
recorded like every transaction. The counters are fixed one-minute windows in the broker-state
database (:mod:`datenspiegel.store.windows`), so all processes share them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from datenspiegel.access.model import Principal
from datenspiegel.store.windows import WindowCounters
from datenspiegel.xsd.coded import Coded
from datenspiegel.xsd.codelists import Ruecksendung

__all__ = ["QuotaExceeded", "QuotaGuard", "Quotas"]


class QuotaExceeded(Coded):
    """More requests in this minute than the user's or the authority's quota allows."""

    code = Ruecksendung.T070


@dataclass(frozen=True, slots=True)
class Quotas:
    """Requests per minute; 0 = no quota."""

    user_per_minute: int = 120
    authority_per_minute: int = 1200


class QuotaGuard:
    """Charges each authorised request to its user and authority (see the module docstring)."""

    def __init__(
        self,
        counters: WindowCounters,
        quotas: Quotas,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._counters = counters
        self.quotas = quotas
        self._clock = clock

    def charge(self, principal: Principal, conn: Connection | None = None) -> None:
        """Count the request; raise :class:`QuotaExceeded` beyond a quota (the count stays:
        attempts beyond the quota count too). ``conn``: the caller's transaction."""
        limits: dict[str, tuple[int, str]] = {}
        if self.quotas.user_per_minute > 0:
            limits[f"user:{principal.user.id}"] = (
                self.quotas.user_per_minute,
                f"user {principal.user.kennung}",
            )
        if self.quotas.authority_per_minute > 0:
            limits[f"authority:{principal.authority.id}"] = (
                self.quotas.authority_per_minute,
                f"authority {principal.authority.kennung}",
            )
        if not limits:
            return
        now = self._clock()
        counts = self._counters.add(list(limits), epoch_seconds=now, conn=conn)
        for key, (limit, who) in limits.items():
            if counts.get(key, 0) > limit:
                wait = self._counters.window_of(now) + self._counters.window_seconds - now
                raise QuotaExceeded(
                    f"quota exceeded: the {who} may send at most {limit} requests per minute; "
                    f"send again in {max(wait, 1):.0f} s (ask the operator if your procedure "
                    "needs more)",
                    detail=f"quota {key}: {counts[key]} > {limit} in this minute",
                )

    def purge(self) -> int:
        return self._counters.purge(epoch_seconds=self._clock())
