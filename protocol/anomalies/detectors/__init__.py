"""The detectors, one module per family (hours, volume, persons, fishing, security).

:func:`build_detectors` makes one of each for an evaluation; every
:class:`~datenspiegel.protocol.anomalies.model.DetectorKind` is covered by exactly one.
"""

from __future__ import annotations

from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import Context
from datenspiegel.protocol.anomalies.detectors.base import Detector, Sink, Trigger
from datenspiegel.protocol.anomalies.detectors.fishing import BroadFreieSuche, Fishing, broadness
from datenspiegel.protocol.anomalies.detectors.hours import UnusualHours
from datenspiegel.protocol.anomalies.detectors.persons import Decoys, PersonRepeats
from datenspiegel.protocol.anomalies.detectors.security import (
    AfterBlock,
    Failures,
    Replays,
    failure_of,
    replay_of,
)
from datenspiegel.protocol.anomalies.detectors.volume import Bursts, VolumeBaseline
from datenspiegel.protocol.anomalies.history import Baselines

__all__ = [
    "Detector",
    "Sink",
    "Trigger",
    "broadness",
    "build_detectors",
    "failure_of",
    "replay_of",
]


def build_detectors(config: AnomalyConfig, context: Context) -> list[Detector]:
    """One detector of each family, sharing one cache of baselines."""
    baselines = Baselines(
        context.history,
        volume_days=config.baseline_days,
        hours_days=config.unusual_history_days,
    )
    return [
        UnusualHours(config, baselines),
        Bursts(config),
        VolumeBaseline(config, baselines),
        PersonRepeats(config),
        Decoys(config),
        Fishing(config),
        BroadFreieSuche(config),
        AfterBlock(config, context),
        Failures(config),
        Replays(config),
    ]
