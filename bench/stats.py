"""Timing samples and their summary: median and tail percentiles in milliseconds.

Medians, not means, are the headline figures: this is a shared 2-core machine, and a single
descheduled sample would otherwise move a mean by more than the effect being measured.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from tqdm import tqdm

__all__ = ["Timing", "percentile", "summarise", "time_calls"]


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0–1) of already sorted values, linearly interpolated."""
    if not sorted_values:
        raise ValueError("no samples")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must lie in [0, 1], not {fraction}")
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(sorted_values[low])
    weight = position - low
    return float(sorted_values[low] * (1 - weight) + sorted_values[high] * weight)


@dataclass(frozen=True, slots=True)
class Timing:
    """Summary of ``n`` samples; every figure in milliseconds."""

    n: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    min_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {
            key: (round(value, 4) if isinstance(value, float) else value)
            for key, value in asdict(self).items()
        }


def summarise(samples_seconds: Sequence[float]) -> Timing:
    """Summarise samples given in seconds."""
    values = sorted(s * 1000.0 for s in samples_seconds)
    if not values:
        raise ValueError("no samples to summarise")
    return Timing(
        n=len(values),
        median_ms=percentile(values, 0.5),
        p95_ms=percentile(values, 0.95),
        p99_ms=percentile(values, 0.99),
        mean_ms=sum(values) / len(values),
        min_ms=values[0],
        max_ms=values[-1],
    )


def time_calls(
    call: Callable[[int], object],
    *,
    repeat: int,
    warmup: int = 3,
    label: str | None = None,
    progress: bool = True,
) -> Timing:
    """Call ``call(i)`` ``warmup`` times untimed, then ``repeat`` times timed one by one.

    ``i`` runs from 0 to ``warmup + repeat - 1``, so a benchmark can give every call a fresh
    input (a new record id, a new message) prepared outside the timed section.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    for i in range(warmup):
        call(i)
    samples: list[float] = []
    clock = time.perf_counter
    indices = tqdm(
        range(warmup, warmup + repeat),
        desc=label,
        unit=" calls",
        leave=False,
        disable=not progress or not label,
    )
    for i in indices:
        started = clock()
        call(i)
        samples.append(clock() - started)
    return summarise(samples)
