"""Authorisation of one request: a separate, pure decision step (DESIGN.md, transaction step 7).

:func:`authorise` takes the registered principal behind the verified signing certificate and
the facts of the request that matter for access, and returns a :class:`Decision`. It never
raises for a "no" and performs no I/O, so it can be tested as a table and grow (network
allowlists, quotas, purpose rules) without touching the transport or the stores.

Rules, in the order they are checked (the first violation wins):

1. No registered principal for the certificate → 0910 ``T070`` (§ 39 BMG, Nds. NMeldVO § 26:
   only authorities registered with the operator retrieve automatically).
2. Authority blocked by the operator → ``T070``; 3. user blocked → ``T070`` (the operator may
   block an authority or a user at any time, DOMAIN.md § 7; the authority disables users who
   are no longer entitled, § 39 BMG). The reason names which, for the protocol; the client only
   sees the code.
3a. The request's source address outside the authority's client networks → ``T070`` (§ 39
   Abs. 3 BMG, DOMAIN.md § 7: retrieval only from the state network; the operator restricts
   it to the authority's authorised client machines, :mod:`datenspiegel.access.networks`).
   An address that cannot be read is outside every network (fail closed). ``client_address``
   ``None`` means the request did not come over the network (an in-process caller): the rule
   does not apply — the TLS front always passes the peer's address. Numbered "3a" so that the
   rules after it keep the numbers other modules cite.
3b. Mutual TLS on (the operator configured client CAs) and the connection's client certificate
   not registered for a user of the *signing* authority → ``T070`` (DOMAIN.md § 7: "only from
   authorised client machines"; § 39 Abs. 3 BMG): a machine certificate of one authority cannot
   carry another authority's signed messages. The broker fills ``tls_pflicht`` and
   ``tls_authority_id``; the TLS layer already refused unknown and revoked client certificates.
3c. The user's instruction on purpose limitation (§ 41 BMG) is older than the operator's
   validity plus its grace period → ``T070``, with a text that tells the user to have the
   administrator renew it (:mod:`datenspiegel.access.belehrung`).
4. Service not offered → ``T070``.
4a. The service is not among the user's ``erlaubte_operationen`` → ``T070`` (§ 39 Abs. 1 BMG: the
   authority restricts its users to what their task needs). Not for a service bound to a role
   (administration): the role governs it, rule 4b.
4b. The service needs a role the user lacks — the administration service the role ADMINISTRATOR
   (§ 39 BMG, Nds. NMeldVO § 26: the named administrator manages the users) → ``T070``.
5. Aktenzeichen or Anlass missing → rejection ``17`` (BMeldDAV § 11: mandatory in every
   request; § 40 Nr. 4 and 5 BMG: both are part of the protocol record).
6. ``sicherheitsbehoerde`` = true from a public body → ``03`` (§ 34 Abs. 4 Satz 1 BMG: the class
   is a fact of registration, never of the message). A security authority sending ``false`` is
   still judged by its registration — except sub-types 4, 11 and 13, security authorities only
   "soweit" they act in that task (§ 34 Abs. 4 Satz 1 Nr. 4, 11, 13 BMG): sending ``false``,
   they are judged, and answered, as a public body (:func:`handelt_als_sicherheitsbehoerde`),
   so rule 8 applies to them.
7. Element codes outside the service's code list → ``17``.
8. Elements reserved for security authorities requested by a public body → ``07`` / ``08`` /
   ``09`` / ``10`` (``11`` for the move-in date of a freie Suche), see
   :mod:`datenspiegel.access.entitlement` (§ 34 Abs. 1 Satz 1 vs. Abs. 4 Satz 1 BMG).
9. Elements outside the user's ``erlaubte_elemente`` → ``17`` naming the codes (§ 39 Abs. 1 BMG,
   the authority's own data minimisation).
10. The message's ``autor`` is not the authority the signing certificate belongs to → ``T070``
   (an authority signs only in its own name; § 39 Abs. 3 BMG, the registered identity).
11. The ``leser`` is not a municipality of Lower Saxony (``ags:03…``) → ``T080``: the mirror
   answers in the name of the addressed municipality (DOMAIN.md § 2); checked after the
   authorisation so that an unregistered sender learns nothing about the addressing rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.access.entitlement import catalogue
from datenspiegel.access.errors import AccessDenied
from datenspiegel.access.model import Authority, Behoerdenklasse, Principal
from datenspiegel.access.networks import adresse_in_netzen, netze_to_json
from datenspiegel.xsd.coded import Code, as_code
from datenspiegel.xsd.codelists import Grund, Ruecksendung

__all__ = [
    "SOWEIT_UNTERTYPEN",
    "AccessRequest",
    "Decision",
    "authorise",
    "handelt_als_sicherheitsbehoerde",
]

#: Sub-types that are security authorities only "soweit" they act in that task (§ 34 Abs. 4
#: Satz 1 Nr. 4, 11, 13 BMG): criminal courts, tax authorities in criminal matters, the Federal
#: Office of Justice.
SOWEIT_UNTERTYPEN = frozenset({4, 11, 13})

_T070 = Ruecksendung.T070
_SONSTIGER_FACHLICHER_FEHLER = Grund.SONSTIGER_FACHLICHER_FEHLER
_FALSCHE_SICHERHEITSBEHOERDE = Grund.KEINE_SICHERHEITSBEHOERDE


@dataclass(frozen=True, slots=True)
class AccessRequest:
    """The facts of a request the decision needs, taken from the verified message."""

    service: str
    sicherheitsbehoerde_behauptet: bool
    anforderungselemente: frozenset[int]
    aktenzeichen: str | None
    anlass: str | None
    #: The TCP peer's address as the server saw it (rule 3a); ``None``: not over the network.
    client_address: str | None = None
    #: Kennung of the message's ``autor`` (``dbs:…``/``ags:…``); ``None``: not checked.
    autor_kennung: str | None = None
    #: Whether the message's ``leser`` is a municipality this mirror answers for (a Lower
    #: Saxony AGS); ``None``: the operation is not addressed to a municipality (rule 11 off).
    leser_zustaendig: bool | None = None
    #: Mutual TLS is on: the connection's client certificate must belong to the authority
    #: (rule 3b).
    tls_pflicht: bool = False
    #: The authority the connection's TLS client certificate is registered for (``None``:
    #: no certificate, or one registered for nobody).
    tls_authority_id: int | None = None
    #: How long an instruction holds (rule 3c) and the day the request is judged on (the
    #: broker's date in Lower Saxony); ``None``: rule 3c off.
    belehrung: Belehrungsfrist | None = None
    stichtag: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.anforderungselemente, frozenset) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in self.anforderungselemente
        ):
            raise TypeError("anforderungselemente must be a frozenset of int element codes")


@dataclass(frozen=True, slots=True)
class Decision:
    """Outcome of :func:`authorise`.

    ``code`` is a 0910 code (``T070``, sent as a technical rejection) or a rejection code of
    Code.Datenabruf.Nichterstellung.Grund (sent as a business rejection). ``reason`` is for the
    protocol and the operator and may name internal facts (which block applies); ``freitext`` is
    the only explanation that may go to the client (the Präzisierung of reason 17).
    """

    allowed: bool
    code: Code | None
    reason: str
    freitext: str | None = None
    #: The message the sender reads for a 0910 (a rejection's text is ``freitext``).
    public: str | None = None

    def __post_init__(self) -> None:
        if self.allowed and self.code is not None:
            raise ValueError("an allowing decision carries no code")
        if not self.allowed:
            try:
                object.__setattr__(self, "code", as_code(str(self.code)))
            except ValueError:
                raise ValueError(
                    f"a denying decision needs a 0910 or rejection code, not {self.code!r}"
                ) from None
        if not self.reason:
            raise ValueError("a decision needs a reason")

    @property
    def is_technical_rejection(self) -> bool:
        """True when the answer is a 0910 ReturnToSender rather than a ``rueckweisung``."""
        return isinstance(self.code, Ruecksendung)

    def raise_if_denied(self) -> None:
        """Raise :class:`AccessDenied` with the code, the sender's text and, for the protocol
        only, the reason (which may name internal facts such as a block's grounds)."""
        if not self.allowed:
            assert self.code is not None
            if isinstance(self.code, Ruecksendung):
                public = self.public or "the sender is not authorised for this service"
            else:
                public = self.freitext or self.code.label
            raise AccessDenied(self.code, public, detail=self.reason)


def handelt_als_sicherheitsbehoerde(
    authority: Authority, *, sicherheitsbehoerde_behauptet: bool | None
) -> bool:
    """Whether ``authority`` is answered as a security authority in this request (rule 6).

    The registration decides (§ 34 Abs. 4 Satz 1 BMG); the message's claim
    ``sicherheitsbehoerde_behauptet`` can only lower it, and only for the sub-types in
    :data:`SOWEIT_UNTERTYPEN`: a criminal court, tax authority or Federal Office of Justice
    sending ``false`` acts outside that task and is a public body for this request. ``None``
    (no claim) leaves the registration alone.
    """
    if authority.klasse is not Behoerdenklasse.SICHERHEITSBEHOERDE:
        return False
    return not (sicherheitsbehoerde_behauptet is False and authority.untertyp in SOWEIT_UNTERTYPEN)


def _deny(
    code: Code, reason: str, freitext: str | None = None, *, public: str | None = None
) -> Decision:
    return Decision(allowed=False, code=code, reason=reason, freitext=freitext, public=public)


def _missing(value: str | None) -> bool:
    return value is None or not value.strip()


def _codes(codes: set[int] | frozenset[int]) -> str:
    return ", ".join(str(c) for c in sorted(codes))


def authorise(principal: Principal | None, request: AccessRequest) -> Decision:
    """Decide whether ``principal`` may make ``request``. See the module docstring for rules."""
    if principal is None:
        return _deny(_T070, "the signing certificate is not registered for any user")
    authority, user = principal.authority, principal.user
    who = f"authority {authority.kennung} (id {authority.id}), user {user.kennung} (id {user.id})"
    if authority.gesperrt:
        return _deny(_T070, f"{who}: the authority is blocked: {authority.gesperrt_grund}")
    if user.gesperrt:
        return _deny(_T070, f"{who}: the user is blocked: {user.gesperrt_grund}")
    if request.client_address is not None and not adresse_in_netzen(
        request.client_address, authority.netze
    ):
        return _deny(
            _T070,
            f"{who}: source address {request.client_address!r} is outside the authority's "
            f"client networks ({', '.join(netze_to_json(authority.netze))}; § 39 Abs. 3 BMG)",
        )

    if request.tls_pflicht and request.tls_authority_id != authority.id:
        return _deny(
            _T070,
            f"{who}: the connection's TLS client certificate is "
            + (
                "not registered for any user"
                if request.tls_authority_id is None
                else f"registered for authority id {request.tls_authority_id}"
            )
            + ", not for the signing authority (mutual TLS, § 39 Abs. 3 BMG)",
        )

    if (
        request.belehrung is not None
        and request.stichtag is not None
        and request.belehrung.gesperrt(user.belehrt_am, request.stichtag)
    ):
        return Decision(
            allowed=False,
            code=_T070,
            reason=f"{who}: the instruction on purpose limitation of {user.belehrt_am} is "
            f"overdue since {request.belehrung.faellig_seit(user.belehrt_am)} and the grace "
            "period is over (§ 41 BMG): suspended until it is renewed",
            public="your instruction on the purpose limitation of the data (§ 41 BMG) is "
            "overdue; ask your authority's administrator to record the new instruction",
        )

    cat = catalogue(request.service)
    if cat is None:
        return _deny(_T070, f"{who}: the service {request.service!r} is not offered")
    if (
        user.erlaubte_operationen is not None
        and cat.rolle is None  # a role-bound service (administration) is governed by its role
        and cat.service not in user.erlaubte_operationen
    ):
        return _deny(
            _T070,
            f"{who}: the authority allows this user only "
            f"{', '.join(sorted(user.erlaubte_operationen)) or 'no operation'}, not "
            f"{cat.service} (§ 39 Abs. 1 BMG)",
        )
    if cat.rolle is not None and cat.rolle not in user.roles:
        return _deny(
            _T070,
            f"{who}: the service {cat.service} needs the role {cat.rolle.value}",
        )

    fehlend = [
        name
        for name, value in (("Aktenzeichen", request.aktenzeichen), ("Anlass", request.anlass))
        if _missing(value)
    ]
    if fehlend:
        text = " und ".join(fehlend) + (" fehlt" if len(fehlend) == 1 else " fehlen")
        return _deny(
            _SONSTIGER_FACHLICHER_FEHLER,
            f"{who}: {' and '.join(fehlend)} missing (mandatory, BMeldDAV § 11)",
            f"{text} (Pflichtangabe nach § 11 BMeldDAV).",
        )

    if request.sicherheitsbehoerde_behauptet and not authority.ist_sicherheitsbehoerde:
        return _deny(
            _FALSCHE_SICHERHEITSBEHOERDE,
            f"{who}: sicherheitsbehoerde=true, but the authority is registered as a public body",
        )
    # From here on the request is judged in the class it is answered in (rule 6).
    ist_sicherheitsbehoerde = handelt_als_sicherheitsbehoerde(
        authority, sicherheitsbehoerde_behauptet=request.sicherheitsbehoerde_behauptet
    )

    requested = request.anforderungselemente
    unbekannt = {c for c in requested if c not in cat.codes}
    if unbekannt:
        return _deny(
            _SONSTIGER_FACHLICHER_FEHLER,
            f"{who}: element codes {_codes(unbekannt)} are not in the {cat.service} code list "
            f"({cat.codes.start}–{cat.codes.stop - 1})",
            f"Unbekannte Anforderungselemente: {_codes(unbekannt)}.",
        )

    if not ist_sicherheitsbehoerde:
        for group in cat.restricted:
            verboten = requested & group.codes
            if verboten:
                return _deny(
                    group.code,
                    f"{who}: a public body requested {group.description} "
                    f"(elements {_codes(verboten)}; {group.legal_source})",
                )

    if user.erlaubte_elemente is not None and requested:
        if not cat.user_restriction_applies:
            return _deny(
                _SONSTIGER_FACHLICHER_FEHLER,
                f"{who}: the user's element allowance is defined for the Personensuche only; "
                f"restricted users may not use {cat.service}",
                "Der Benutzer ist für diesen Dienst nicht freigeschaltet.",
            )
        ausserhalb = requested - user.erlaubte_elemente
        if ausserhalb:
            return _deny(
                _SONSTIGER_FACHLICHER_FEHLER,
                f"{who}: elements {_codes(ausserhalb)} are outside the user's allowance set by "
                "the authority (§ 39 Abs. 1 BMG)",
                f"Der Benutzer ist für die Anforderungselemente {_codes(ausserhalb)} nicht "
                "freigeschaltet.",
            )

    if request.autor_kennung is not None and request.autor_kennung != authority.kennung:
        return _deny(
            _T070,
            f"{who}: autor {request.autor_kennung} signed by a user of {authority.kennung}",
            public="the message's author is not the authority the signing certificate belongs to",
        )
    if request.leser_zustaendig is False:
        return _deny(
            Ruecksendung.T080,
            f"{who}: the leser is not a Lower Saxony municipality",
            public="this mirror answers only messages addressed to a Lower Saxony municipality "
            "(leser kennung ags:03…)",
        )

    return Decision(
        allowed=True,
        code=None,
        reason=f"{who}: authorised for {cat.service} as "
        f"{'security authority' if ist_sicherheitsbehoerde else 'public body'}",
    )
