"""What a detector finds: a :class:`Finding`, its subject, kind, severity and stable key.

The operator reviews the § 40 BMG protocol for signs of misuse (DOMAIN.md §§ 6–7: "reviews
the logs for anomalies", "contacts an authority on suspected unlawful retrievals"). A finding
is the reviewable unit: it names *who* (the :class:`Subject`), *what* (the
:class:`DetectorKind`), *when* (its window), explains itself in one sentence that states the
measured value and the threshold, and links the records behind it.

A finding is identified by its :attr:`Finding.key` — detector, subject and the aligned period
(``bucket``) its trigger fell into. Evaluating the same records twice, or a period in
overlapping increments, yields findings with the same keys; :func:`merge_findings` combines the
findings of increments into exactly the findings of one evaluation of the whole period. This is
what makes a later ``anomalies scan --since`` equal to the continuous evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from datenspiegel.protocol.anomalies.errors import InvalidFinding

__all__ = [
    "DetectorKind",
    "Finding",
    "Severity",
    "Subject",
    "merge_findings",
]


class DetectorKind(Enum):
    """One kind of sign of misuse (issue 10, point 1); the value is the stable name."""

    UNUSUAL_HOURS = "unusual_hours"
    BURST_USER = "burst_user"
    BURST_AUTHORITY = "burst_authority"
    VOLUME_BASELINE = "volume_baseline"
    REPEAT_PERSON_USER = "repeat_person_user"
    REPEAT_PERSON_AUTHORITIES = "repeat_person_authorities"
    FISHING = "fishing"
    BROAD_FREIE_SUCHE = "broad_freie_suche"
    DECOY = "decoy"
    AFTER_BLOCK = "after_block"
    FAILURES = "failures"
    REPLAY = "replay"

    @property
    def needs_content(self) -> bool:
        """Whether the detector reads what was asked or found (persons, search data).

        Such detectors never look at a security authority's record: the operator does not
        review their content (§ 40 Abs. 3 BMG, DOMAIN.md § 6), whether or not it was kept on
        their behalf; only metadata — time, authority, pseudonymous user, outcome and codes —
        is used for them.
        """
        return self in _CONTENT_KINDS


_CONTENT_KINDS = frozenset(
    {
        DetectorKind.REPEAT_PERSON_USER,
        DetectorKind.REPEAT_PERSON_AUTHORITIES,
        DetectorKind.BROAD_FREIE_SUCHE,
        DetectorKind.DECOY,
    }
)


class Severity(Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


@dataclass(frozen=True, slots=True)
class Subject:
    """Who a finding is about; only the parts that matter for its detector are set.

    ``user_id`` is the registry's id of the requesting user; ``user_kennung`` is as recorded.
    A security authority's metadata-only record names its user by a keyed pseudonym and
    carries no registry id (§ 40 Abs. 3 BMG), so the operator sees *that* one person acted,
    not who: such a subject is keyed by the pseudonym. ``source`` is a client address, or
    ``cert:<fingerprint>`` when the address is unknown. ``person_id`` is the looked-up person
    of the register.
    """

    authority_id: int | None = None
    authority_kennung: str | None = None
    user_id: int | None = None
    user_kennung: str | None = None
    source: str | None = None
    person_id: int | None = None

    @property
    def key(self) -> str:
        """The stable text of the subject, e.g. ``authority:3/user:12/person:4711``."""
        parts = []
        if self.authority_id is not None:
            parts.append(f"authority:{self.authority_id}")
        elif self.authority_kennung is not None:
            parts.append(f"authority:{self.authority_kennung}")
        if self.user_id is not None:
            parts.append(f"user:{self.user_id}")
        elif self.user_kennung is not None:
            parts.append(f"user:{self.user_kennung}")
        if self.source is not None:
            parts.append(f"source:{self.source}")
        if self.person_id is not None:
            parts.append(f"person:{self.person_id}")
        return "/".join(parts) or "unknown"

    def describe(self) -> str:
        """The subject for a human: authority Kennung, user Kennung, source, person."""
        parts = []
        if self.user_kennung is not None or self.user_id is not None:
            parts.append(f"user {self.user_kennung or self.user_id}")
        if self.authority_kennung is not None or self.authority_id is not None:
            parts.append(f"of {self.authority_kennung or self.authority_id}")
        if self.source is not None:
            parts.append(f"source {self.source}")
        if self.person_id is not None:
            parts.append(f"person {self.person_id}")
        if parts and parts[0].startswith("of "):
            parts[0] = "authority " + parts[0][3:]
        return " ".join(parts) or "an unknown sender"


@dataclass(frozen=True, slots=True)
class Finding:
    """One sign of misuse, explained and linked to its records.

    ``measured`` and ``threshold`` are the numbers the ``explanation`` states (the strongest
    trigger of the finding: merging keeps the maximum). ``record_ids`` are the records behind
    the finding, the lexicographically first ``max_evidence`` of them (a stable sample that
    merges exactly); ``record_count`` says how many there are in all (``sampled`` when
    ``record_ids`` holds only some).
    """

    kind: DetectorKind
    severity: Severity
    subject: Subject
    bucket: str
    window_start: datetime
    window_end: datetime
    measured: float
    threshold: float
    explanation: str
    record_ids: tuple[str, ...]
    record_count: int

    def __post_init__(self) -> None:
        if self.window_end < self.window_start:
            raise InvalidFinding(f"{self.key}: the window ends before it starts")
        if self.record_count < len(self.record_ids) or not self.record_ids:
            raise InvalidFinding(f"{self.key}: a finding links at least one record")
        if list(self.record_ids) != sorted(set(self.record_ids)):
            raise InvalidFinding(f"{self.key}: record_ids must be sorted and distinct")

    @property
    def key(self) -> str:
        """Detector, subject and period: the same for the same finding in every evaluation."""
        return f"{self.kind.value}|{self.subject.key}|{self.bucket}"

    @property
    def sampled(self) -> bool:
        return self.record_count > len(self.record_ids)


def _merge_two(a: Finding, b: Finding, max_evidence: int) -> Finding:
    union = sorted(set(a.record_ids) | set(b.record_ids))
    if a.sampled or b.sampled or len(union) > max_evidence:
        count = max(a.record_count, b.record_count, len(union))
    else:
        count = len(union)
    strongest = max(a, b, key=lambda f: (f.measured, f.severity.rank, f.explanation))
    return replace(
        strongest,
        severity=max(a.severity, b.severity, key=lambda s: s.rank),
        window_start=min(a.window_start, b.window_start),
        window_end=max(a.window_end, b.window_end),
        record_ids=tuple(union[:max_evidence]),
        record_count=count,
    )


def merge_findings(findings: Iterable[Finding], *, max_evidence: int = 500) -> list[Finding]:
    """One finding per key, sorted by key: the findings of overlapping or consecutive
    evaluations combined (records united, window widened, the strongest trigger kept)."""
    merged: dict[str, Finding] = {}
    for finding in findings:
        known = merged.get(finding.key)
        merged[finding.key] = finding if known is None else _merge_two(known, finding, max_evidence)
    return [merged[k] for k in sorted(merged)]
