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
    """Duties that follow a retrieval of blocked persons (§ 34a Abs. 5, § 51 Abs. 3 BMG).

    Written into the outbox in the protocol record's own commit, so none can be lost:
    - a manual case (1322 hand-over) for the competent municipality, unless the requester
      waived follow-up (``verzichtAufMitteilung``, § 38 Abs. 5);
    - for a block instigated by a security authority (code 11): a notice to that authority —
      also when follow-up was waived — and to the person concerned, unless the requester is
      itself a security authority.
    """
    effects: list[SideEffect] = []
    stelle = request.anfragende_stelle
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
            effects.append(SideEffect("aussteuerung_1322", base))
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
            if not requester.sicherheitsbehoerde:
                effects.append(SideEffect("mitteilung_betroffene_person", base))
    return effects
