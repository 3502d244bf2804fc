"""The thresholds of the detectors: one frozen object, every field documented with its default.

Defaults are chosen for the traffic of Lower Saxony's authorities (office hours for municipal
offices, 24/7 shifts for the police) and checked on the misuse simulator
(:mod:`datenspiegel.fixtures.misuse`): each detector finds ≥ 95 % of the injected cases with
≥ 90 % precision there (tests/test_anomaly_detection.py). ``docs/anomalies.md`` says how to
tune them. Every threshold is "at or above": a measured value equal to the threshold fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datenspiegel.protocol.anomalies.errors import InvalidConfig
from datenspiegel.xsd.codelists import Ruecksendung

__all__ = ["DEFAULT_FAILURE_CODES", "AnomalyConfig"]

#: 0910 codes that are signature or certificate failures (T000–T003 certificate expired,
#: revoked, invalid, missing; T010/T011 content signature missing/invalid).
DEFAULT_FAILURE_CODES = frozenset(
    c.value
    for c in (
        Ruecksendung.T000,
        Ruecksendung.T001,
        Ruecksendung.T002,
        Ruecksendung.T003,
        Ruecksendung.T010,
        Ruecksendung.T011,
    )
)

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnomalyConfig:
    """Thresholds of every detector (see the module docstring and docs/anomalies.md)."""

    #: Local time of Lower Saxony: hours, weekdays and public holidays are judged in it
    #: (records are kept in UTC).
    timezone: str = "Europe/Berlin"
    #: Record ids a finding lists at most (the lexicographically first; the count is kept).
    max_evidence: int = 500
    #: A finding at or above this multiple of its threshold is raised one severity step.
    escalation_factor: float = 2.0

    # -- unusual hours (night, weekend, public holidays of Lower Saxony) ---------------------
    #: Night begins at this local hour …
    night_start_hour: int = 22
    #: … and ends at this local hour (exclusive).
    night_end_hour: int = 6
    #: Records of one user in one off-hours period (a night, a weekend day, a holiday).
    unusual_min_records: int = 3
    #: An authority or user whose history has at least this share of off-hours records works
    #: off-hours normally (police shifts, Standesamt Saturdays): no finding for it.
    unusual_normal_share: float = 0.05
    #: Days of history (before the day judged) that give that share.
    unusual_history_days: int = 28
    #: Active days of history an authority needs before its off-hours are judged at all.
    unusual_min_history_days: int = 7

    # -- bursts (sliding windows) ------------------------------------------------------------
    #: Records of one user within ``burst_user_minutes``.
    burst_user_count: int = 20
    burst_user_minutes: int = 5
    #: Records of one authority (all its users) within ``burst_authority_minutes``.
    burst_authority_count: int = 150
    burst_authority_minutes: int = 10
    #: Per authority Kennung, its own ``burst_authority_count`` (large directorates).
    burst_authority_overrides: Mapping[str, int] = field(default_factory=dict)

    # -- volume above the user's own baseline (median / MAD of daily volumes) ---------------
    #: Days of the user's history before the day judged.
    baseline_days: int = 28
    #: Active days in that history needed for a baseline (else no judgement: new users).
    baseline_min_days: int = 5
    #: The day's volume must reach ``factor × median`` …
    baseline_factor: float = 3.0
    #: … and ``median + mad_k × 1.4826 × MAD`` (robust z-score) …
    baseline_mad_k: float = 6.0
    #: … and this absolute number of records.
    baseline_min_volume: int = 40

    # -- the same person looked up again and again -------------------------------------------
    #: Sliding window for repeated look-ups.
    repeat_window_days: int = 7
    #: Look-ups of one person by one user within the window.
    repeat_user_count: int = 4
    #: Distinct authorities looking up one person within the window.
    repeat_authorities_count: int = 4

    # -- fishing: a high share of neutral answers (03) or hit lists (02) ---------------------
    #: Share of a user's Personensuche answers of the day that are 02 or 03 …
    fishing_share: float = 0.7
    #: … once the user has at least this many answered Personensuchen that day.
    fishing_min_volume: int = 25

    # -- broad freie Suche ------------------------------------------------------------------
    #: Fewest search criteria a freie Suche over the whole state needs not to count as broad;
    broad_min_criteria_state: int = 3
    #: over a district (Landkreis, kreisfreie Stadt);
    broad_min_criteria_district: int = 2
    #: over one municipality.
    broad_min_criteria_municipality: int = 1
    #: A name or street with a placeholder counts as a criterion only with at least this many
    #: characters before the first ``*`` or ``?``.
    wildcard_min_prefix: int = 3
    #: A result of at least this many persons (or rejection 13, more than 1 000) is broad.
    broad_result_count: int = 500
    #: Broad freie Suchen of one user in one day.
    broad_per_day: int = 3

    # -- decoy persons (honeytokens) ---------------------------------------------------------
    #: Person ids of the register that no authority has a reason to retrieve: any hit on one
    #: is critical.
    decoy_persons: frozenset[int] = frozenset()

    # -- attempts after a block --------------------------------------------------------------
    #: Attempts of a blocked user or authority in one day.
    after_block_min_attempts: int = 1

    # -- signature, certificate and network failures from one source -------------------------
    failure_codes: frozenset[str] = DEFAULT_FAILURE_CODES
    #: Failures from one source within ``failure_minutes``.
    failure_count: int = 5
    failure_minutes: int = 60

    # -- replayed or out-of-window messages --------------------------------------------------
    #: Replays (the same message again), re-used message ids (S100) and messages outside the
    #: creation-time window (S999 too old, S000 future) of one sender in one day.
    replay_min_events: int = 3

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidConfig(f"timezone {self.timezone!r} is not a known time zone") from exc
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool):
                continue
            if isinstance(value, int) and f.name.endswith("_hour"):
                if not 0 <= value <= 23:
                    raise InvalidConfig(f"{f.name} must be an hour 0–23, not {value}")
            elif isinstance(value, (int, float)) and value <= 0:
                raise InvalidConfig(f"{f.name} must be positive, not {value}")
        for name in ("unusual_normal_share", "fishing_share"):
            if not 0 < getattr(self, name) <= 1:
                raise InvalidConfig(f"{name} must be a share in (0, 1]")
        if self.night_start_hour == self.night_end_hour:
            raise InvalidConfig("night_start_hour and night_end_hour must differ")
        overrides = dict(self.burst_authority_overrides)
        if not all(
            isinstance(k, str) and isinstance(v, int) and v > 0 for k, v in overrides.items()
        ):
            raise InvalidConfig("burst_authority_overrides maps authority Kennungen to counts > 0")
        object.__setattr__(self, "burst_authority_overrides", MappingProxyType(overrides))
        object.__setattr__(self, "decoy_persons", frozenset(self.decoy_persons))
        object.__setattr__(self, "failure_codes", frozenset(self.failure_codes))

    @property
    def lookback(self) -> timedelta:
        """How far before ``since`` the records must reach for an evaluation of a period to
        find exactly what the evaluation of everything finds: the longest window any detector
        counts over (a local day of 25 hours at a DST change, the repeat window, …)."""
        return max(
            _DAY + timedelta(hours=2),
            timedelta(days=self.repeat_window_days),
            timedelta(minutes=max(self.burst_user_minutes, self.burst_authority_minutes)),
            timedelta(minutes=self.failure_minutes),
        )

    def authority_burst_count(self, kennung: str | None) -> int:
        if kennung is not None and kennung in self.burst_authority_overrides:
            return self.burst_authority_overrides[kennung]
        return self.burst_authority_count
