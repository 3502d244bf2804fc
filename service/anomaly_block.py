"""The optional automatic block of a user on a critical finding, and its lifting.

DOMAIN.md § 7: the operator may block a user at any time and contacts the authority on
suspected unlawful retrievals. With ``[anomalies] block_on_critical = true`` the running
service does the first step itself when a finding about a user becomes critical (a hit on a
decoy person, say):

- the user is blocked through the access registry (``AccessStore.block_user``) by the system
  actor ``anomaly detection``, with a reason naming the finding — from the next request on,
  in every worker and host (T070). The registry writes its status history and an event of
  the administrative log; the block counts as the operator's: the authority's administrator
  cannot lift it and sees the user in ``nutzerListe`` as "gesperrt durch den Betreiber" (the
  reason stays with the operator, as for every operator block; docs/administration.md);
- the finding's history gets a ``blocked`` event;
- a notice to the authority's main administrator is written (Markdown,
  ``anomalies.notices``): which user, since when, why in neutral words, the Vorgang to name —
  for the operator to send (the service sends no mail);
- a WARNING is logged (finding id, kind, authority; no person).

It is reversible: ``datenspiegel anomalies resolve ID --status dismissed --unblock`` lifts
exactly this block — only while the user is still blocked with this finding's reason (a block
made since for another reason is the operator's to lift with ``datenspiegel user unblock``),
recorded as an ``unblocked`` event and in the registry under the operator's name. A user is
never blocked twice for one finding, and not when the finding was already dismissed.
Authorities are not blocked automatically: that stops every user of it (the operator's
decision, ``datenspiegel authority block``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from datenspiegel.access.admin_log import Actor
from datenspiegel.access.errors import AccessError
from datenspiegel.access.model import Authority, User
from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.anomalies import Severity
from datenspiegel.protocol.anomalies.errors import InvalidTransition
from datenspiegel.protocol.anomalies.store import (
    SYSTEM_ACTOR,
    FindingAction,
    FindingStatus,
    FindingStore,
    StoredFinding,
    Upserted,
)
from datenspiegel.service.anomaly_letter import KIND_TEXT, german_moment

__all__ = ["BLOCK_ACTOR", "AutoBlock", "block_reason", "lift_block", "notice_markdown"]

log = logging.getLogger(__name__)

#: Who blocks: the system, named for the registry's history and event log.
BLOCK_ACTOR = Actor.system(SYSTEM_ACTOR)


def block_reason(stored: StoredFinding) -> str:
    """The block's reason in the registry: names the finding (and so makes it its own)."""
    f = stored.finding
    return (
        f"automatic block: anomaly finding {stored.id} ({f.kind.value}, {f.bucket}); "
        "the operator reviews it and lifts the block if it is unfounded"
    )


def notice_markdown(
    stored: StoredFinding, authority: Authority, user: User, *, at: datetime, sender: str
) -> str:
    """The notice to the authority's main administrator (German, neutral, no person)."""
    f = stored.finding
    lines = [
        sender,
        "",
        authority.name,
        f"z. Hd. {authority.administrator} (Hauptadministration)",
        *(authority.anschrift or ()),
        "",
        f"**Betreff: Vorläufige Sperrung der Nutzerkennung {user.kennung} "
        f"(Vorgang A-{stored.id})**",
        "",
        "Sehr geehrte Damen und Herren,",
        "",
        f"die Nutzerkennung {user.kennung} ({user.name}) Ihrer Behörde ist seit "
        f"{german_moment(at)} Uhr für Abrufe aus dem Melderegisterdatenspiegel vorläufig "
        f"gesperrt. Anlass ist eine Auffälligkeit bei der Kontrolle der Protokolldaten nach "
        f"§ 40 BMG: {KIND_TEXT[f.kind]} ({german_moment(f.window_start)} bis "
        f"{german_moment(f.window_end)} Uhr).",
        "",
        "Die Sperre ist eine Vorsichtsmaßnahme, kein Vorwurf. Wir prüfen den Vorgang und "
        "heben die Sperre auf, wenn er sich dienstlich erklärt. In der Nutzerliste des "
        "Verwaltungsdienstes (nutzerListe) erscheint die Nutzerkennung als durch den Betreiber "
        "gesperrt; aufheben kann die Sperre nur der Betreiber.",
        "",
        f"Bitte wenden Sie sich unter Angabe des Vorgangs A-{stored.id} an uns, wenn Sie den "
        "Anlass kennen (§ 39 BMG, § 26 NMeldVO: Pflichten der abrufenden Stelle).",
        "",
        "Mit freundlichen Grüßen",
        "",
        sender,
    ]
    return "\n".join(lines) + "\n"


class AutoBlock:
    """Blocks the user of a finding that became critical (see the module docstring)."""

    def __init__(
        self,
        access: AccessStore,
        findings: FindingStore,
        *,
        notices: Path,
        sender: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._access = access
        self._findings = findings
        self._notices = notices
        self._sender = sender
        self._clock = clock

    def __call__(self, upserted: Iterable[Upserted]) -> list[int]:
        """Block for each finding that just became critical; return the findings' ids."""
        blocked = []
        for item in upserted:
            stored = item.stored
            if (
                stored.finding.severity is Severity.CRITICAL
                and item.severity_before is not Severity.CRITICAL
                and stored.status is not FindingStatus.DISMISSED
                and stored.finding.subject.user_id is not None
            ):
                try:
                    if self.block(stored):
                        blocked.append(stored.id)
                except AccessError as exc:  # the finding stays; the operator decides
                    log.warning("finding %d: automatic block failed: %s", stored.id, exc)
        return blocked

    def block(self, stored: StoredFinding) -> bool:
        """Block the finding's user unless already blocked (or blocked for it before)."""
        user_id = stored.finding.subject.user_id
        assert user_id is not None
        if any(e.action is FindingAction.BLOCKED for e in self._findings.history(stored.id)):
            return False
        user = self._access.user(user_id)
        if user is None or user.gesperrt:
            return False
        authority = self._access.authority(user.authority_id)
        assert authority is not None
        reason = block_reason(stored)
        self._access.block_user(user_id, grund=reason, actor=BLOCK_ACTOR)
        at = self._clock()
        notice = self._write_notice(stored, authority, user, at)
        self._findings.add_event(
            stored.id,
            actor=SYSTEM_ACTOR,
            action=FindingAction.BLOCKED,
            note=(
                f"user {user.kennung} (id {user.id}) of {authority.kennung} blocked: {reason}; "
                "nutzerListe shows the administrator the block by the operator"
                + (f"; notice to the administrator: {notice}" if notice else "")
            ),
            at=at,
        )
        log.warning(
            "anomaly finding %d (%s, critical): user id %d of %s blocked automatically; "
            "lift with 'datenspiegel anomalies resolve %d --status dismissed --unblock'",
            stored.id,
            stored.finding.kind.value,
            user.id,
            authority.kennung,
            stored.id,
        )
        return True

    def _write_notice(
        self, stored: StoredFinding, authority: Authority, user: User, at: datetime
    ) -> Path | None:
        path = self._notices / f"block-A-{stored.id}.md"
        try:
            self._notices.mkdir(parents=True, exist_ok=True)
            path.write_text(
                notice_markdown(stored, authority, user, at=at, sender=self._sender),
                encoding="utf-8",
            )
        except OSError as exc:  # the block stands; the registry shows it to the administrator
            log.warning("finding %d: the notice could not be written: %s", stored.id, exc)
            return None
        return path


def lift_block(
    access: AccessStore,
    findings: FindingStore,
    stored: StoredFinding,
    *,
    operator: str,
    note: str,
    at: datetime,
) -> User:
    """Lift the block this finding made (see the module docstring); raise
    :class:`InvalidTransition` saying why when there is none to lift."""
    user_id = stored.finding.subject.user_id
    made = any(e.action is FindingAction.BLOCKED for e in findings.history(stored.id))
    if user_id is None or not made:
        raise InvalidTransition(f"finding {stored.id} blocked nobody: nothing to lift")
    user = access.user(user_id)
    if user is None:
        raise InvalidTransition(f"user {user_id} of finding {stored.id} no longer exists")
    if not user.gesperrt:
        raise InvalidTransition(f"user {user.kennung} is not blocked (lifted already)")
    if user.gesperrt_grund != block_reason(stored):
        raise InvalidTransition(
            f"user {user.kennung} is blocked for another reason now ({user.gesperrt_grund}); "
            "that block is lifted with 'datenspiegel user unblock'"
        )
    lifted = access.unblock_user(
        user_id,
        grund=f"anomaly finding {stored.id}: {note}",
        actor=Actor.operator(operator),
    )
    findings.add_event(
        stored.id,
        actor=operator,
        action=FindingAction.UNBLOCKED,
        note=f"block of user {user.kennung} (id {user.id}) lifted: {note}",
        at=at,
    )
    return lifted
