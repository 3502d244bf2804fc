"""What the access registry tells the anomaly detection: who was blocked when.

``protocol`` does not import ``access`` (DESIGN.md), so the service hands the detectors the
registry's block history as plain periods (:class:`~datenspiegel.protocol.anomalies.
continuous.Blocks`): from each authority's and user's status history (``AccessStore.
status_changes_since``; DOMAIN.md § 7: the operator may block at any time). The running
evaluation asks :meth:`RegistryBlocks.changed` at each run — one query of the administrative
event log for blocks and unblocks since it last looked — and rebuilds its context when one
happened.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from datenspiegel.access.admin_log import Action
from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.anomalies import BlockPeriod, block_periods
from datenspiegel.protocol.anomalies.continuous import Blocks

__all__ = ["RegistryBlocks"]

_BLOCKS = frozenset(
    {Action.AUTHORITY_BLOCK, Action.AUTHORITY_UNBLOCK, Action.USER_BLOCK, Action.USER_UNBLOCK}
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RegistryBlocks:
    """Block periods of every authority and user, and whether they changed since read."""

    def __init__(self, access: AccessStore) -> None:
        self._access = access
        self._seq: int | None = None

    def blocks(self) -> Blocks:
        """Every block period in the registry (remembering where the event log stands)."""
        self._seq = self._newest_seq()
        users: dict[int, tuple[BlockPeriod, ...]] = {}
        authorities: dict[int, tuple[BlockPeriod, ...]] = {}
        for authority in self._access.authorities():
            changes: dict[int | None, list[tuple[datetime, bool]]] = defaultdict(list)
            for user_id, change in self._access.status_changes_since(authority.id, _EPOCH):
                changes[user_id].append((change.at, change.gesperrt))
            for user_id, history in changes.items():
                periods = block_periods(history)
                if not periods:
                    continue
                if user_id is None:
                    authorities[authority.id] = periods
                else:
                    users[user_id] = periods
        return Blocks(users=users, authorities=authorities)

    def changed(self) -> bool:
        """Whether an authority or user was blocked or unblocked since :meth:`blocks`."""
        if self._seq is None:
            return True
        events = self._access.admin_events(after_seq=self._seq, limit=1000)
        if events:
            self._seq = events[-1].seq
        return any(e.action in _BLOCKS for e in events)

    def _newest_seq(self) -> int:
        newest = self._access.admin_events(newest_first=True, limit=1)
        return newest[0].seq if newest else 0
