"""The instruction on purpose limitation (§ 41 BMG) and how long it holds.

Every user of an authority is bound to the purpose for which the data were transmitted; the
authority instructs its users on it (DOMAIN.md § 7, the operator's info sheet) and records the
day (``User.belehrt_am``). The operator sets how long an instruction holds
(``broker.instruction_valid_days``) and a grace period after that
(``broker.instruction_grace_days``):

- within the validity: nothing to do;
- after it: the instruction is *due* — the administrator sees it for each such user in the
  administration service's answers (``belehrungFaelligSeit``) and in ``datenspiegel authority
  report``;
- after the grace period as well: the user is suspended — every request is refused (T070,
  access decision rule 3c) until the administrator records a new instruction; nothing is
  written, so a renewed date takes effect with the next request.

A user whose instruction was never recorded (registered before access schema 2) is reported as
due but not suspended: the upgrade must not cut off authorities at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Belehrungsfrist"]


@dataclass(frozen=True, slots=True)
class Belehrungsfrist:
    """How long an instruction holds, and the grace period before a user is suspended."""

    gueltig_tage: int = 365
    nachfrist_tage: int = 30

    def __post_init__(self) -> None:
        if self.gueltig_tage < 1 or self.nachfrist_tage < 0:
            raise ValueError("an instruction holds at least a day; the grace period is ≥ 0 days")

    def faellig_seit(self, belehrt_am: date | None) -> date | None:
        """The day a new instruction became due (``None``: not due yet is not decided here —
        see :meth:`faellig`)."""
        if belehrt_am is None:
            return None
        return belehrt_am + timedelta(days=self.gueltig_tage)

    def faellig(self, belehrt_am: date | None, heute: date) -> bool:
        """A new instruction is due (also when none was ever recorded)."""
        seit = self.faellig_seit(belehrt_am)
        return seit is None or seit <= heute

    def gesperrt(self, belehrt_am: date | None, heute: date) -> bool:
        """The grace period is over too: the user is suspended (never for an unknown date)."""
        seit = self.faellig_seit(belehrt_am)
        return seit is not None and seit + timedelta(days=self.nachfrist_tage) <= heute
