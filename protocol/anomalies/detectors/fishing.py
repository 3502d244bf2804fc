"""Searching without a case: a high share of neutral answers or hit lists, broad freie Suchen.

- **Fishing** (metadata: the answer status is a code, so security authorities are watched
  too): of a user's answered Personensuchen of a local day, at least ``fishing_share`` were
  neutral answers (03) or hit lists (02), once there are ``fishing_min_volume`` of them. A
  person with a case knows whom they look for (§ 34a Abs. 2 BMG, the minimum search data of
  § 38 Abs. 1 BMG); trying names until one fits does not.
- **Broad freie Suche** (content: the search data of § 40 BMG; public bodies only):
  ``broad_per_day`` or more freie Suchen of one user in a day that are broad — fewer search
  criteria than the Suchbereich calls for (state ``broad_min_criteria_state``, district
  ``…_district``, municipality ``…_municipality``; a name or street with a placeholder counts
  only with ``wildcard_min_prefix`` characters before it), or a result of
  ``broad_result_count`` persons or more (rejection 13: more than 1 000). § 34a Abs. 3 BMG
  allows the search for a group of unnamed persons, not a sweep through the register.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.detectors.base import (
    DAY_HORIZON,
    PeriodTally,
    Sink,
    Trigger,
    escalate,
    evict_idle,
)
from datenspiegel.protocol.anomalies.model import DetectorKind, Severity
from datenspiegel.protocol.anomalies.view import RecordView
from datenspiegel.protocol.record import Outcome
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund

__all__ = ["BroadFreieSuche", "Fishing", "broadness"]

PERSONENSUCHE = "personensuche"
FREIE_SUCHE = "freieSuche"
_FISH = frozenset({Ergebnisstatus.TREFFERLISTE.value, Ergebnisstatus.NEUTRAL.value})
_NAMES = frozenset(
    {
        "familienname",
        "geburtsname",
        "fruehererFamilienname",
        "vornamen",
        "ordensname",
        "kuenstlername",
        "anschrift/strasse",
    }
)
_NOT_CRITERIA = frozenset({"aktualitaetPerson", "anschrift/aktualitaet"})
_WILDCARDS = ("*", "?")


class Fishing:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.FISHING,)

    def __init__(self, config: AnomalyConfig) -> None:
        self._config = config
        self._days: dict[tuple[str, str], tuple[PeriodTally, list[int]]] = {}

    def observe(self, view: RecordView, sink: Sink) -> None:
        if view.service != PERSONENSUCHE or view.outcome is not Outcome.ANSWERED:
            return
        if view.user_key is None:
            return
        key = (view.user_key, view.slot.day_bucket)
        entry = self._days.get(key)
        if entry is None:
            entry = self._days[key] = (PeriodTally(keep=self._config.max_evidence), [0])
        tally, fish = entry
        total = tally.add((view.t, view.record_id, view.at))
        if view.codes[0] in _FISH:
            fish[0] += 1
        config = self._config
        if total < config.fishing_min_volume:
            return
        share = fish[0] / total
        if share < config.fishing_share or not sink.active(view):
            return
        subject = view.user
        assert subject is not None
        severity = escalate(
            Severity.MEDIUM, total, config.fishing_min_volume, config.escalation_factor
        )
        trigger = Trigger(
            kind=DetectorKind.FISHING,
            subject=subject,
            bucket=view.slot.day_bucket,
            severity=severity,
            measured=round(share, 4),
            threshold=config.fishing_share,
            explanation=(
                f"{share:.0%} of the Personensuchen of {subject.describe()} on "
                f"{view.slot.day_bucket} ended in a neutral answer or a hit list ({fish[0]} of "
                f"{total}; threshold {config.fishing_share:.0%} from "
                f"{config.fishing_min_volume} answers)"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        edge = now - DAY_HORIZON
        for key in [k for k, (t, _) in self._days.items() if t.last < edge]:
            del self._days[key]


def _area(search_data: Mapping[str, Any]) -> str:
    if "suchbereich/land" in search_data:
        return "state"
    if "suchbereich/kreisschluessel" in search_data:
        return "district"
    return "municipality"


def _criteria(search_data: Mapping[str, Any], min_prefix: int) -> list[str]:
    found: set[str] = set()
    for path, value in search_data.items():
        if path.startswith("suchbereich") or "/@" in path:
            continue
        parts = path.split("/")
        group = "/".join(parts[:2]) if parts[0] == "anschrift" else parts[0]
        if group in _NOT_CRITERIA:
            continue
        if group in _NAMES and isinstance(value, str):
            cut = min((value.find(w) for w in _WILDCARDS if w in value), default=-1)
            if cut >= 0 and cut < min_prefix:
                continue  # "M*" narrows nothing
        found.add(group)
    return sorted(found)


def broadness(
    search_data: Mapping[str, Any],
    *,
    hit_count: int,
    outcome: Outcome,
    codes: tuple[str, ...],
    config: AnomalyConfig,
) -> str | None:
    """Why a freie Suche is broad (see the module docstring), or None."""
    if outcome is Outcome.REJECTED and Grund.ERGEBNISLISTE_ZU_GROSS.value in codes:
        return "more than 1 000 results (rejection 13)"
    if hit_count >= config.broad_result_count:
        return f"{hit_count} results (from {config.broad_result_count})"
    area = _area(search_data)
    needed = {
        "state": config.broad_min_criteria_state,
        "district": config.broad_min_criteria_district,
        "municipality": config.broad_min_criteria_municipality,
    }[area]
    criteria = _criteria(search_data, config.wildcard_min_prefix)
    if len(criteria) < needed:
        named = ", ".join(criteria) or "none"
        return (
            f"{len(criteria)} search criteria ({named}) over the whole {area} "
            f"(at least {needed} expected)"
        )
    return None


class BroadFreieSuche:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.BROAD_FREIE_SUCHE,)

    def __init__(self, config: AnomalyConfig) -> None:
        self._config = config
        self._days: dict[tuple[str, str], PeriodTally] = {}

    def observe(self, view: RecordView, sink: Sink) -> None:
        content = view.content
        if content is None or view.service != FREIE_SUCHE or view.user_key is None:
            return
        if view.outcome not in (Outcome.ANSWERED, Outcome.REJECTED):
            return
        reason = broadness(
            content.search_data,
            hit_count=content.hit_count,
            outcome=view.outcome,
            codes=view.codes,
            config=self._config,
        )
        if reason is None:
            return
        key = (view.user_key, view.slot.day_bucket)
        tally = self._days.get(key)
        if tally is None:
            tally = self._days[key] = PeriodTally(keep=self._config.max_evidence)
        count = tally.add((view.t, view.record_id, view.at))
        threshold = self._config.broad_per_day
        if count < threshold or not sink.active(view):
            return
        subject = view.user
        assert subject is not None
        trigger = Trigger(
            kind=DetectorKind.BROAD_FREIE_SUCHE,
            subject=subject,
            bucket=view.slot.day_bucket,
            severity=escalate(Severity.MEDIUM, count, threshold, self._config.escalation_factor),
            measured=count,
            threshold=threshold,
            explanation=(
                f"{count} broad freie Suchen by {subject.describe()} on {view.slot.day_bucket} "
                f"(threshold {threshold} a day); the latest: {reason}"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._days, now, DAY_HORIZON)
