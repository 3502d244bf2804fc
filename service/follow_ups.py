"""Duties that follow a retrieval of blocked persons, for the outbox of the protocol record."""

from __future__ import annotations

from datetime import datetime

from datenspiegel.access.model import Principal
from datenspiegel.protocol.side_effect import SideEffect
from datenspiegel.transformers import Disclosure, PersonensucheRequest, Requester

__all__ = ["follow_ups"]


def follow_ups(
    *,
    record_id: str,
    received_at: datetime,
    request: PersonensucheRequest,
    principal: Principal,
    requester: Requester,
    disclosure: Disclosure,
    now: datetime,
) -> list[SideEffect]:
    """Duties that follow a retrieval of blocked persons (§ 34a Abs. 5, § 34 Abs. 5 BMG).

    Written into the outbox in the protocol record's own commit, so none can be lost:
    - a manual case (1322 hand-over) for the competent municipality per withheld person,
      unless the requester waived follow-up (``verzichtAufMitteilung``, § 38 Abs. 5 BMG). It
      names every person the search found (``treffer``): when several matched and one is
      blocked, nobody was disclosed (§ 34a Abs. 5 BMG) and the municipality answers the whole
      request by hand;
    - for a block instigated by a security authority (code 11): a notice to that authority —
      also when follow-up was waived (§ 38 Abs. 5 Satz 2 BMG) — and to the person concerned,
      unless § 34 Abs. 5 BMG exempts the requester (sub-types 1–4, 6–9 and 11 acting as
      security authority; a sub-type 4 or 11 answered as a public body does not count).
    """
    effects: list[SideEffect] = []
    stelle = request.anfragende_stelle
    treffer = sorted(p.id for p in disclosure.matched if p.id is not None)
    for person in disclosure.withheld:
        base = {
            "record_id": record_id,
            "request_message_id": request.kopf.nachrichten_uuid,
            "person_id": person.id,
            "gemeinde_ags": person.ags,
            "authority_kennung": principal.authority.kennung,
            "authority_name": principal.authority.name,
            "aktenzeichen": stelle.aktenzeichen,
            "anlass": stelle.anlass,
            "received_at": received_at.isoformat(),
        }
        if not request.verzicht_auf_mitteilung:
            effects.append(SideEffect("aussteuerung_1322", {**base, "treffer": treffer}))
        if person.gesperrt_durch_sicherheitsbehoerde_am(now.date()):
            instigators = sorted(
                {
                    sperre.veranlassende_stelle or ""
                    for sperre in person.auskunftssperren
                    if sperre.veranlasst_durch_sicherheitsbehoerde and sperre.in_kraft(now.date())
                }
            )
            effects.append(
                SideEffect(
                    "mitteilung_veranlassende_sicherheitsbehoerde",
                    {**base, "veranlassende_stellen": instigators},
                )
            )
            if not requester.unterfaellt_34_abs_5:
                effects.append(SideEffect("mitteilung_betroffene_person", base))
    return effects
