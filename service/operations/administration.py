"""The administration service: an authority's administrator manages its own users through
signed messages (9100 → 9101) on the shared transaction frame.

§ 39 BMG and Nds. NMeldVO § 26 (DOMAIN.md § 7): each authority names one main administrator,
who alone creates and removes the users of that authority on its own responsibility. So:

- only a user with the role ADMINISTRATOR may use these operations (access decision rule 4b,
  T070 otherwise), addressed to the broker (``leser``: the broker, else T080);
- every lookup is by Kennung *within the administrator's own authority*: users of other
  authorities are never found ("nutzerUnbekannt"), and the registry refuses any change outside
  the actor's authority on its own (:class:`~datenspiegel.access.errors.NotPermitted`);
- every change is made as ``Actor.administrator`` and written to the registry's event log in
  the change's transaction; the transaction itself is recorded like every other (§ 40 BMG),
  its ``search_data`` naming the action and the user concerned;
- a new user needs the date of the instruction on purpose limitation (§ 41 BMG).

A change that the registry refuses is an answer, not a fault: ``fehler`` with its reason
(nutzerUnbekannt, nutzerVorhanden, ungueltig, nichtErlaubt) — nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from cryptography import x509
from lxml import etree

from datenspiegel.access import ADMINISTRATION, certificate_fingerprint
from datenspiegel.access.admin_log import Actor
from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.access.decision import AccessRequest
from datenspiegel.access.errors import (
    AccessError,
    AccessStoreUnavailable,
    CertificateAlreadyBound,
    DuplicateKennung,
    NotPermitted,
    UnknownUser,
)
from datenspiegel.access.model import Kontakt, User, UserRole
from datenspiegel.access.store import UNCHANGED, AccessStore
from datenspiegel.register.stichtag import stichtag
from datenspiegel.service.operations import (
    Handler,
    Operation,
    broker_access_request,
    check_leser,
    keine_rueckweisung,
)
from datenspiegel.service.stages import Authorised, Handled, Read, Received, Request
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.administration import (
    Aktion,
    Fehlergrund,
    NutzerAenderung,
    NutzerAnfrage,
    NutzerStand,
    ZertifikatStand,
    build_administration_antwort,
    read_administration,
)
from datenspiegel.xsd.codelists import Ergebnisstatus

__all__ = ["OPERATION_NAMEN", "AdministrationHandler", "administration_handlers"]

#: The WSDL operations of the administration service, in the order the WSDL lists them.
OPERATION_NAMEN = tuple(aktion.value for aktion in Aktion)

# Message role names ↔ registry roles; message operation names ↔ registry service names.
_ROLLEN = {
    "sachbearbeitung": UserRole.SACHBEARBEITUNG,
    "behoerdenleitungOderBesondersErmaechtigt": (
        UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT
    ),
    "administrator": UserRole.ADMINISTRATOR,
    "protokolleinsicht": UserRole.PROTOKOLLEINSICHT,
}
_ROLLEN_NAMEN = {role: name for name, role in _ROLLEN.items()}
_OPERATIONEN = {"personensuche": "personensuche", "freieSuche": "freie_suche", "faelle": "faelle"}
_OPERATIONEN_NAMEN = {service: name for name, service in _OPERATIONEN.items()}
# The record needs one Ergebnisstatus for an answered transaction; the administration answer
# has none of its own, so it is recorded as a list (04) and ``detail`` says what happened.
_STATUS = Ergebnisstatus.ERGEBNISLISTE


_ANDERER_NUTZER = "the certificate is already bound to another user"


class _Refused(Exception):
    """A change the registry refuses: answered with ``fehler`` (nothing changed)."""

    def __init__(self, grund: Fehlergrund, text: str) -> None:
        super().__init__(text)
        self.grund = grund


def _certificate(der: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise _Refused(Fehlergrund.UNGUELTIG, f"a certificate is not DER X.509: {exc}") from None


def _operationen(names: Sequence[str] | None) -> frozenset[str] | None:
    """An empty list means no restriction (every operation), like an absent one."""
    return frozenset(_OPERATIONEN[n] for n in names) if names else None


def _elemente(codes: Sequence[int] | None) -> frozenset[int] | None:
    return frozenset(codes) if codes else None


class AdministrationHandler:
    """One operation of the administration service (see the module docstring)."""

    rueckweisung = staticmethod(keine_rueckweisung)

    def __init__(
        self,
        aktion: Aktion,
        *,
        access: AccessStore,
        broker: Behoerde,
        clock: Callable[[], datetime],
        belehrung: Belehrungsfrist,
    ) -> None:
        self.aktion = aktion
        self._belehrung = belehrung
        self.operation = Operation(
            name=aktion.value, request_element=f"administration.{aktion.value}.9100"
        )
        self._access = access
        self._broker = broker
        self._clock = clock

    def read(self, root: etree._Element) -> NutzerAnfrage:
        return read_administration(root)

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        return broker_access_request(ADMINISTRATION, read, received)

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        assert isinstance(request, NutzerAnfrage)
        broker = check_leser(request, self._broker, what="the administration service is used")
        principal = authorised.principal
        actor = Actor.administrator(
            user_id=principal.user.id,
            kennung=principal.user.kennung,
            authority_kennung=principal.authority.kennung,
        )
        fehler: tuple[Fehlergrund, str] | None = None
        users: list[User] = []
        try:
            users = self._execute(request, principal.authority.id, actor)
        except AccessStoreUnavailable:
            raise  # the broker database is down: S999, nothing answered as if refused
        except _Refused as refused:
            fehler = (refused.grund, str(refused))
        except DuplicateKennung as exc:
            fehler = (Fehlergrund.NUTZER_VORHANDEN, str(exc))
        except CertificateAlreadyBound:
            # the registry's text names the other user's id, perhaps of another authority
            fehler = (Fehlergrund.NUTZER_VORHANDEN, _ANDERER_NUTZER)
        except NotPermitted as exc:
            fehler = (Fehlergrund.NICHT_ERLAUBT, str(exc))
        except UnknownUser as exc:
            fehler = (Fehlergrund.NUTZER_UNBEKANNT, str(exc))
        except (AccessError, ValueError) as exc:  # invalid data of every kind
            fehler = (Fehlergrund.UNGUELTIG, str(exc))
        document = build_administration_antwort(
            nutzer=[self.stand(user) for user in users],
            fehler=fehler,
            erstellt=self._clock(),
            leser=request.kopf.autor,
            autor=broker,
            ursprung=request.kopf.nachrichten_uuid,
        )
        detail = (
            f"{self.aktion.value}: ausgefuehrt"
            if fehler is None
            else f"{self.aktion.value}: abgelehnt ({fehler[0].value}: {fehler[1]})"
        )
        return Handled(document=document, status=_STATUS, detail=detail)

    # -- the operations -------------------------------------------------------------------

    def _own(self, authority_id: int, kennung: str | None) -> User:
        """The user ``kennung`` of the administrator's own authority — never another's."""
        user = self._access.user_by_kennung(authority_id, kennung or "")
        if user is None:
            raise _Refused(
                Fehlergrund.NUTZER_UNBEKANNT,
                f"your authority has no user with Kennung {kennung!r}",
            )
        return user

    def _execute(self, request: NutzerAnfrage, authority_id: int, actor: Actor) -> list[User]:
        access = self._access
        aktion = self.aktion
        if aktion is Aktion.LISTE:
            return access.users(authority_id)
        if aktion is Aktion.ANLEGEN:
            neu = request.neu
            assert neu is not None
            kontakt = Kontakt(neu.telefon, neu.email) if neu.telefon or neu.email else None
            return [
                access.add_user(
                    authority_id=authority_id,
                    kennung=neu.kennung,
                    name=neu.name,
                    roles=frozenset(_ROLLEN[r] for r in neu.rollen),
                    erlaubte_elemente=_elemente(neu.erlaubte_elemente),
                    erlaubte_operationen=_operationen(neu.erlaubte_operationen),
                    belehrt_am=neu.belehrt_am,
                    kontakt=kontakt,
                    certificate=_certificate(neu.zertifikate[0]) if neu.zertifikate else None,
                    actor=actor,
                )
            ]
        user = self._own(authority_id, request.kennung)
        if aktion is Aktion.SPERREN:
            return [access.block_user(user.id, grund=request.grund or "", actor=actor)]
        if aktion is Aktion.ENTSPERREN:
            return [access.unblock_user(user.id, actor=actor)]
        if aktion is Aktion.LOESCHEN:
            access.delete_user(user.id, actor=actor)
            return []
        return [self._change(user, request, actor)]

    def _change(self, user: User, request: NutzerAnfrage, actor: Actor) -> User:
        aenderung = request.aenderung
        assert aenderung is not None
        access = self._access
        own = {c.fingerprint for c in access.certificates(user.id)}
        unknown = [f for f in aenderung.zertifikate_weg if f not in own]
        if unknown:
            raise _Refused(
                Fehlergrund.UNGUELTIG,
                f"user {user.kennung} has no certificate {unknown[0]}",
            )
        certificates = [_certificate(der) for der in aenderung.zertifikate_hinzu]
        self._check_bindable(user, certificates)
        with access.atomically():  # data and certificates: all or nothing
            return self._apply(user, aenderung, certificates, actor)

    def _apply(
        self,
        user: User,
        aenderung: NutzerAenderung,
        certificates: list[x509.Certificate],
        actor: Actor,
    ) -> User:
        access = self._access
        changed = access.change_user(
            user.id,
            name=UNCHANGED if aenderung.name is None else aenderung.name,
            roles=UNCHANGED
            if aenderung.rollen is None
            else frozenset(_ROLLEN[r] for r in aenderung.rollen),
            erlaubte_operationen=UNCHANGED
            if aenderung.erlaubte_operationen is None
            else _operationen(aenderung.erlaubte_operationen),
            erlaubte_elemente=UNCHANGED
            if aenderung.erlaubte_elemente is None
            else _elemente(aenderung.erlaubte_elemente),
            belehrt_am=UNCHANGED if aenderung.belehrt_am is None else aenderung.belehrt_am,
            actor=actor,
        )
        for certificate in certificates:
            access.bind_certificate(user.id, certificate, actor=actor)
        for fingerprint in aenderung.zertifikate_weg:
            access.unbind_certificate(fingerprint, actor=actor)
        return changed

    def _check_bindable(self, user: User, certificates: Sequence[x509.Certificate]) -> None:
        """Refuse before anything changes what binding would refuse after the other changes
        were made (the change, the bindings and the removals are separate transactions)."""
        now = self._clock()
        for certificate in certificates:
            if certificate.not_valid_after_utc <= now:
                raise _Refused(
                    Fehlergrund.UNGUELTIG,
                    f"the certificate {certificate.subject.rfc4514_string()!r} expired on "
                    f"{certificate.not_valid_after_utc.isoformat()}",
                )
            owner = self._access.principal_for_certificate(certificate_fingerprint(certificate))
            if owner is not None and owner.user.id != user.id:
                raise _Refused(Fehlergrund.NUTZER_VORHANDEN, _ANDERER_NUTZER)

    # -- the answer -----------------------------------------------------------------------

    def _sperrgrund(self, user: User) -> str | None:
        """The reason of a block the authority's administrator set; a block by the operator
        shows as such (its reason — e.g. a file of the data-protection authority — stays with
        the operator, as on the retrieval path)."""
        if not user.gesperrt:
            return None
        history = self._access.status_history(user.authority_id, user.id)
        if history and history[-1].by_administrator:
            return user.gesperrt_grund
        return "gesperrt durch den Betreiber des Melderegisterdatenspiegels"

    def stand(self, user: User) -> NutzerStand:
        heute = stichtag(self._clock())
        belehrung = self._belehrung
        return NutzerStand(
            belehrung_faellig=belehrung.faellig(user.belehrt_am, heute),
            belehrung_faellig_seit=belehrung.faellig_seit(user.belehrt_am),
            wegen_belehrung_gesperrt=belehrung.gesperrt(user.belehrt_am, heute),
            kennung=user.kennung,
            name=user.name,
            rollen=tuple(sorted(_ROLLEN_NAMEN[r] for r in user.roles)),
            gesperrt=user.gesperrt,
            erlaubte_operationen=None
            if user.erlaubte_operationen is None
            else tuple(sorted(_OPERATIONEN_NAMEN[o] for o in user.erlaubte_operationen)),
            erlaubte_elemente=None
            if user.erlaubte_elemente is None
            else tuple(sorted(user.erlaubte_elemente)),
            belehrt_am=user.belehrt_am,
            sperrgrund=self._sperrgrund(user),
            zertifikate=tuple(
                ZertifikatStand(c.fingerprint, c.subject, c.not_after)
                for c in self._access.certificates(user.id)
            ),
        )


def administration_handlers(
    *,
    access: AccessStore,
    broker: Behoerde,
    clock: Callable[[], datetime],
    belehrung: Belehrungsfrist,
) -> tuple[Handler, ...]:
    """One handler per operation of the administration service."""
    return tuple(
        AdministrationHandler(
            aktion, access=access, broker=broker, clock=clock, belehrung=belehrung
        )
        for aktion in Aktion
    )
