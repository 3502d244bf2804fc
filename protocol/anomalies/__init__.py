"""datenspiegel.protocol.anomalies — signs of misuse in the § 40 BMG protocol.

The operator checks the protocol regularly for signs of misuse (DOMAIN.md §§ 6–7; § 40 BMG:
protocol data serve data-protection control). This package is the pure detection core:

- :func:`evaluate` / :class:`Evaluator` — records in, :class:`Finding` s out;
- :class:`AnomalyConfig` — every threshold, documented, with defaults;
- :class:`Context` — what records do not say: the period, history, blocks, holidays;
- :func:`daily_history` — the history from records; :func:`merge_findings` — increments
  combined; :func:`read_records` — records of a period from a :class:`ProtocolStore`, as a
  logged read.

For security authorities only metadata is used (§ 40 Abs. 3 BMG): see
:mod:`~datenspiegel.protocol.anomalies.view`. docs/anomalies.md describes each detector.
"""

from datenspiegel.protocol.anomalies.clock import calendar_of, lower_saxony_holidays
from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import (
    BlockPeriod,
    Context,
    DayVolume,
    History,
    block_periods,
)
from datenspiegel.protocol.anomalies.engine import Evaluator, evaluate
from datenspiegel.protocol.anomalies.errors import AnomalyError, InvalidConfig, InvalidFinding
from datenspiegel.protocol.anomalies.history import daily_history
from datenspiegel.protocol.anomalies.model import (
    DetectorKind,
    Finding,
    Severity,
    Subject,
    merge_findings,
)
from datenspiegel.protocol.anomalies.source import read_records

__all__ = [
    "AnomalyConfig",
    "AnomalyError",
    "BlockPeriod",
    "Context",
    "DayVolume",
    "DetectorKind",
    "Evaluator",
    "Finding",
    "History",
    "InvalidConfig",
    "InvalidFinding",
    "Severity",
    "Subject",
    "block_periods",
    "calendar_of",
    "daily_history",
    "evaluate",
    "lower_saxony_holidays",
    "merge_findings",
    "read_records",
]
