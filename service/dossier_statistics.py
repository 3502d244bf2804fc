"""Retrieval statistics of one authority for its dossier: counts per month and per user.

What an audit of the authority's measures needs from the § 40 protocol (DOMAIN.md §§ 6–7) is
how much it retrieved, when, by whom, with which results and services — counts, which are
metadata. Only these fields of a record are used: the time received, the service, the outcome
and its codes, the requesting person's Kennung as recorded, and — for a public body only — the
number of hits. For a security authority nothing of the content is counted, not even hits,
whether or not the operator keeps its content on its behalf (§ 40 Abs. 3 BMG: it logs its own
retrievals; the operator does not review the content) — and its users appear as the records
name them (a keyed pseudonym in metadata-only records).

Months are German calendar months (the protocol's times are UTC).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from datenspiegel.access.audits import GERMAN_TIME
from datenspiegel.protocol.record import ProtocolRecord

__all__ = ["NO_USER", "Counts", "RetrievalStatistics", "month_of"]
#: How a record without a requesting person's Kennung is counted (e.g. refused before the
#: signer was known).
NO_USER = "(none)"


def month_of(record: ProtocolRecord) -> str:
    """``YYYY-MM`` of the German month the record was received in."""
    return record.received_at.astimezone(GERMAN_TIME).strftime("%Y-%m")


@dataclass(slots=True)
class Counts:
    """Transactions and what became of them, for one month, one user or all."""

    transactions: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    #: ``outcome code`` → count, e.g. ``answered 01``, ``rejected 17``, ``returned T070``
    codes: Counter[str] = field(default_factory=Counter)
    services: Counter[str] = field(default_factory=Counter)
    hits: int = 0

    def add(self, record: ProtocolRecord, *, with_content: bool) -> None:
        self.transactions += 1
        self.outcomes[record.outcome.value] += 1
        for code in record.outcome_codes:
            self.codes[f"{record.outcome.value} {code}"] += 1
        self.services[record.service] += 1
        if with_content:
            self.hits += record.hit_count

    def as_json(self, *, with_content: bool) -> dict[str, Any]:
        document: dict[str, Any] = {
            "transactions": self.transactions,
            "outcomes": dict(sorted(self.outcomes.items())),
            "codes": dict(sorted(self.codes.items())),
            "services": dict(sorted(self.services.items())),
        }
        if with_content:
            document["hits"] = self.hits
        return document


@dataclass(slots=True)
class RetrievalStatistics:
    """The counts of one authority's records, built record by record (:meth:`add`).

    ``with_content`` False (a security authority): no hit counts. ``incomplete`` names the
    months whose read reached its limit, so that their counts are lower bounds.
    """

    with_content: bool
    total: Counts = field(default_factory=Counts)
    months: dict[str, Counts] = field(default_factory=dict)
    users: dict[str, Counts] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)

    def add(self, record: ProtocolRecord) -> None:
        self.total.add(record, with_content=self.with_content)
        self.months.setdefault(month_of(record), Counts()).add(
            record, with_content=self.with_content
        )
        user = record.user_kennung or NO_USER
        self.users.setdefault(user, Counts()).add(record, with_content=self.with_content)

    def as_json(self) -> dict[str, Any]:
        content = self.with_content
        return {
            "metadata_only": not content,
            "complete": not self.incomplete,
            "incomplete_months": list(self.incomplete),
            "total": self.total.as_json(with_content=content),
            "per_month": {
                month: counts.as_json(with_content=content)
                for month, counts in sorted(self.months.items())
            },
            "per_user": {
                user: counts.as_json(with_content=content)
                for user, counts in sorted(self.users.items())
            },
        }
