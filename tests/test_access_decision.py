"""authorise(): one table-driven case per rule, plus the order in which rules apply."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, cast

import pytest

from datenspiegel.access import (
    ADMINISTRATION,
    FREIE_SUCHE,
    PERSONENSUCHE,
    AccessDenied,
    AccessRequest,
    Authority,
    Behoerdenklasse,
    Decision,
    Principal,
    User,
    UserRole,
    authorise,
    entitled_elements,
)
from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.access.decision import SOWEIT_UNTERTYPEN, handelt_als_sicherheitsbehoerde
from datenspiegel.access.networks import ALLE_NETZE, parse_netze
from datenspiegel.xsd.codelists import Grund, Ruecksendung

PUBLIC = Authority(
    id=1,
    kennung="ags:03241001",
    name="Bürgeramt Hannover",
    klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
    untertyp=None,
    anschrift=None,
    administrator="Erika Mustermann",
    protokollierung_durch_betreiber=False,
)
POLICE = Authority(
    id=2,
    kennung="dbs:polizei-hannover",
    name="Polizeidirektion Hannover",
    klasse=Behoerdenklasse.SICHERHEITSBEHOERDE,
    untertyp=1,
    anschrift=None,
    administrator="Max Mustermann",
    protokollierung_durch_betreiber=True,
)


def _user(authority: Authority, erlaubte: frozenset[int] | None = None) -> User:
    return User(
        id=10 + authority.id,
        authority_id=authority.id,
        kennung="BA-4711",
        name="Sachbearbeitung",
        roles=frozenset({UserRole.SACHBEARBEITUNG}),
        erlaubte_elemente=erlaubte,
    )


def _principal(authority: Authority, erlaubte: frozenset[int] | None = None) -> Principal:
    return Principal(authority, _user(authority, erlaubte), "ab" * 32)


def _request(
    elements: set[int] | frozenset[int] = frozenset({1, 7, 13}),
    *,
    service: str = PERSONENSUCHE,
    claim: bool = False,
    aktenzeichen: str | None = "AZ 12/2025",
    anlass: str | None = "Vollstreckung",
    client_address: str | None = "10.1.2.3",
) -> AccessRequest:
    return AccessRequest(
        service=service,
        sicherheitsbehoerde_behauptet=claim,
        anforderungselemente=frozenset(elements),
        aktenzeichen=aktenzeichen,
        anlass=anlass,
        client_address=client_address,
    )


def _denied(decision: Decision, code: str) -> None:
    assert decision == Decision(
        allowed=False, code=code, reason=decision.reason, freitext=decision.freitext
    )
    assert not decision.allowed and decision.code == code and decision.reason


# -- T070: who may use the service at all ---------------------------------------------------------


def test_unregistered_certificate_is_t070() -> None:
    decision = authorise(None, _request())
    _denied(decision, "T070")
    assert decision.is_technical_rejection
    assert "not registered" in decision.reason
    assert decision.freitext is None


def test_blocked_authority_is_t070_naming_the_block_for_the_protocol() -> None:
    blocked = replace(PUBLIC, gesperrt=True, gesperrt_grund="Prüfung nach Hinweis")
    decision = authorise(_principal(blocked), _request())
    _denied(decision, "T070")
    assert "authority is blocked: Prüfung nach Hinweis" in decision.reason
    assert decision.freitext is None  # the client learns only the code


def test_blocked_user_is_t070() -> None:
    principal = _principal(POLICE)
    principal = replace(principal, user=replace(principal.user, gesperrt=True, gesperrt_grund="x"))
    decision = authorise(principal, _request())
    _denied(decision, "T070")
    assert "user is blocked" in decision.reason


def test_authority_block_is_reported_before_user_block() -> None:
    authority = replace(PUBLIC, gesperrt=True, gesperrt_grund="Stelle")
    user = replace(_user(authority), gesperrt=True, gesperrt_grund="Benutzer")
    decision = authorise(Principal(authority, user, "ab" * 32), _request())
    assert "authority is blocked: Stelle" in decision.reason


# -- T070: only from the authority's client networks (§ 39 Abs. 3 BMG, rule 3a) ----------------

LANDESNETZ = replace(PUBLIC, netze=parse_netze(["10.1.0.0/16", "2001:db8:10::/48"]))


@pytest.mark.parametrize(
    ("client_address", "allowed"),
    [
        ("10.1.2.3", True),
        ("10.1.255.255", True),
        ("10.2.0.1", False),  # next network
        ("192.0.2.7", False),
        ("2001:db8:10::1", True),
        ("[2001:db8:10:ffff::1]", True),  # bracketed, as some servers report IPv6 peers
        ("2001:db8:11::1", False),
        ("::ffff:10.1.2.3", True),  # IPv4 client on a dual-stack listener
        ("::ffff:10.9.2.3", False),
        ("::1", False),
        ("not an address", False),  # unreadable: outside every network (fail closed)
        ("", False),
        ("10.1.2.3:4711", False),  # an address with a port is not an address
    ],
)
def test_source_address_outside_the_networks_is_t070(client_address: str, allowed: bool) -> None:
    """Rule 3a, § 39 Abs. 3 BMG / DOMAIN.md § 7: retrieval only from the state network, and
    the operator restricts each authority to its authorised client machines."""
    decision = authorise(_principal(LANDESNETZ), _request(client_address=client_address))
    assert decision.allowed is allowed
    if not allowed:
        _denied(decision, "T070")
        assert decision.is_technical_rejection
        assert f"source address {client_address!r} is outside" in decision.reason
        assert "10.1.0.0/16" in decision.reason  # for the protocol and the operator
        assert decision.freitext is None and decision.public is None  # the client: code only


def test_any_network_is_explicit_and_allows_every_address() -> None:
    """§ 39 Abs. 3 BMG: ``ALLE_NETZE`` (0.0.0.0/0, ::/0) is the explicit "any network" of
    development set-ups and of registrations from before networks were recorded."""
    assert PUBLIC.netze == ALLE_NETZE
    for address in ("10.1.2.3", "192.0.2.7", "::1", "2001:db8::1"):
        assert authorise(_principal(PUBLIC), _request(client_address=address)).allowed


def test_network_rule_needs_an_address_from_the_network() -> None:
    """Rule 3a applies to requests that came over the network; ``client_address=None`` is an
    in-process caller (the TLS front always passes the peer address, § 39 Abs. 3 BMG)."""
    assert authorise(_principal(LANDESNETZ), _request(client_address=None)).allowed


def test_blocks_are_reported_before_the_network() -> None:
    """Rules 2/3 before 3a: a blocked authority outside its network reads as blocked in the
    protocol (DOMAIN.md § 7, § 39 Abs. 3 BMG)."""
    blocked = replace(LANDESNETZ, gesperrt=True, gesperrt_grund="Prüfung")
    decision = authorise(_principal(blocked), _request(client_address="192.0.2.7"))
    assert "authority is blocked" in decision.reason


def test_network_is_checked_before_the_request_content() -> None:
    """Rule 3a before 5–11: from outside its networks an authority learns nothing about its
    request (missing Aktenzeichen would be 17, BMeldDAV § 11) — only T070."""
    decision = authorise(
        _principal(LANDESNETZ), _request({163}, aktenzeichen=None, client_address="192.0.2.7")
    )
    _denied(decision, "T070")


def test_unknown_service_is_t070() -> None:
    _denied(authorise(_principal(POLICE), _request(service="melderegisterauskunft")), "T070")


# -- 17: mandatory Aktenzeichen and Anlass (BMeldDAV § 11) ---------------------------------------


@pytest.mark.parametrize(
    ("aktenzeichen", "anlass", "missing"),
    [
        (None, "Vollstreckung", "Aktenzeichen fehlt"),
        ("   ", "Vollstreckung", "Aktenzeichen fehlt"),
        ("AZ 1", None, "Anlass fehlt"),
        ("AZ 1", "", "Anlass fehlt"),
        (None, None, "Aktenzeichen und Anlass fehlen"),
    ],
)
@pytest.mark.parametrize("authority", [PUBLIC, POLICE], ids=["public", "security"])
def test_missing_aktenzeichen_or_anlass_is_17(
    authority: Authority, aktenzeichen: str | None, anlass: str | None, missing: str
) -> None:
    decision = authorise(_principal(authority), _request(aktenzeichen=aktenzeichen, anlass=anlass))
    _denied(decision, "17")
    assert not decision.is_technical_rejection
    assert decision.freitext is not None and decision.freitext.startswith(missing)


# -- 03: the class is a fact of registration ---------------------------------------------------


def test_security_claim_from_public_body_is_03() -> None:
    _denied(authorise(_principal(PUBLIC), _request(claim=True)), "03")


def test_security_authority_may_claim_or_not() -> None:
    assert authorise(_principal(POLICE), _request(claim=True)).allowed
    assert authorise(_principal(POLICE), _request({163, 184}, claim=False)).allowed


def test_claim_03_wins_over_element_entitlement() -> None:
    _denied(authorise(_principal(PUBLIC), _request({163}, claim=True)), "03")


def _security(untertyp: int) -> Authority:
    return replace(POLICE, kennung=f"dbs:untertyp-{untertyp}", untertyp=untertyp)


@pytest.mark.parametrize("untertyp", sorted(SOWEIT_UNTERTYPEN))
def test_soweit_subtypes_sending_false_are_judged_as_public_body(untertyp: int) -> None:
    """Rule 6, § 34 Abs. 4 Satz 1 Nr. 4, 11, 13 BMG: criminal courts, tax authorities in
    criminal matters and the Federal Office of Justice are security authorities only "soweit"
    they act in that task; sending ``false`` they are a public body — rule 8 applies."""
    principal = _principal(_security(untertyp))
    for elements, code in (
        ({163}, Grund.AUSWEISDATEN_NICHT_BERECHTIGT),
        ({176}, Grund.PASSTATSACHEN_NICHT_BERECHTIGT),
        ({178}, Grund.WAFFENDATEN_NICHT_BERECHTIGT),
        ({184}, Grund.WOHNUNGSGEBER_NICHT_BERECHTIGT),
    ):
        decision = authorise(principal, _request({1, *elements}, claim=False))
        _denied(decision, code)
        assert "a public body requested" in decision.reason
        assert authorise(principal, _request({1, *elements}, claim=True)).allowed
    assert authorise(principal, _request({1, 7, 13}, claim=False)).allowed


@pytest.mark.parametrize(
    "untertyp", sorted(set(range(1, 14)) - SOWEIT_UNTERTYPEN), ids=lambda n: f"untertyp-{n}"
)
def test_other_security_authorities_stay_security_authorities_sending_false(
    untertyp: int,
) -> None:
    """Rule 6: for every other sub-type the registration alone decides (§ 34 Abs. 4 Satz 1)."""
    assert authorise(_principal(_security(untertyp)), _request({163, 184}, claim=False)).allowed


@pytest.mark.parametrize("untertyp", range(1, 14))
@pytest.mark.parametrize("claim", [True, False, None])
def test_handelt_als_sicherheitsbehoerde(untertyp: int, claim: bool | None) -> None:
    """The one judgement rule 6, the answer and the record share (§ 34 Abs. 4 Satz 1 BMG)."""
    acts = handelt_als_sicherheitsbehoerde(_security(untertyp), sicherheitsbehoerde_behauptet=claim)
    assert acts == (claim is not False or untertyp not in {4, 11, 13})
    assert not handelt_als_sicherheitsbehoerde(PUBLIC, sicherheitsbehoerde_behauptet=claim)


# -- 07–10: elements only security authorities may request ----------------------------------------


@pytest.mark.parametrize(
    ("elements", "code"),
    [
        *[({c}, "07") for c in range(163, 172)],
        *[({c}, "08") for c in (176, 177)],
        *[({c}, "09") for c in range(178, 184)],
        *[({c}, "10") for c in (184, 185)],
        # first violation in the order 07, 08, 09, 10 wins
        ({1, 185, 178, 176, 163}, "07"),
        ({1, 185, 178, 176}, "08"),
        ({185, 178}, "09"),
    ],
)
def test_public_body_entitlement(elements: set[int], code: str) -> None:
    decision = authorise(_principal(PUBLIC), _request(elements))
    _denied(decision, code)
    if len(elements) == 1:
        assert f"elements {min(elements)}" in decision.reason


def test_public_body_gets_section_34_abs_1_elements() -> None:
    allowed = set(range(1, 163)) | set(range(172, 176))
    assert entitled_elements(Behoerdenklasse.OEFFENTLICHE_STELLE) == allowed
    decision = authorise(_principal(PUBLIC), _request(allowed))
    assert decision == Decision(allowed=True, code=None, reason=decision.reason)
    assert decision.code is None and not decision.is_technical_rejection
    decision.raise_if_denied()


def test_security_authority_may_request_every_element() -> None:
    every = frozenset(range(1, 186))
    assert entitled_elements(Behoerdenklasse.SICHERHEITSBEHOERDE) == every
    assert authorise(_principal(POLICE), _request(every)).allowed


# -- 17: unknown codes and the user's allowance ---------------------------------------------------


@pytest.mark.parametrize("bad", [0, 186, -1, 10_000])
@pytest.mark.parametrize("authority", [PUBLIC, POLICE], ids=["public", "security"])
def test_codes_outside_the_list_are_17(authority: Authority, bad: int) -> None:
    decision = authorise(_principal(authority), _request({1, bad}))
    _denied(decision, "17")
    assert str(bad) in decision.reason and decision.freitext is not None


def test_unknown_code_is_reported_before_entitlement() -> None:
    _denied(authorise(_principal(PUBLIC), _request({163, 999})), "17")


@pytest.mark.parametrize("authority", [PUBLIC, POLICE], ids=["public", "security"])
def test_elements_outside_the_users_allowance_are_17(authority: Authority) -> None:
    principal = _principal(authority, erlaubte=frozenset({1, 7, 13}))
    assert authorise(principal, _request({1, 7})).allowed
    decision = authorise(principal, _request({1, 7, 21, 22}))
    _denied(decision, "17")
    assert "21, 22" in decision.reason
    assert decision.freitext is not None and "21, 22" in decision.freitext


def test_entitlement_is_checked_before_the_users_allowance() -> None:
    principal = _principal(PUBLIC, erlaubte=frozenset({1}))
    _denied(authorise(principal, _request({1, 2, 184})), "10")


def test_empty_allowance_permits_no_element() -> None:
    principal = _principal(POLICE, erlaubte=frozenset())
    _denied(authorise(principal, _request({1})), "17")


# -- freie Suche --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elements", "code"),
    [({29}, "07"), ({37}, "07"), ({42}, "09"), ({44}, "09"), ({45}, "10"), ({28}, "11")],
)
def test_freie_suche_entitlement(elements: set[int], code: str) -> None:
    _denied(authorise(_principal(PUBLIC), _request(elements, service=FREIE_SUCHE)), code)
    assert authorise(_principal(POLICE), _request(elements, service=FREIE_SUCHE)).allowed


def test_freie_suche_code_list_is_1_to_46() -> None:
    _denied(authorise(_principal(POLICE), _request({47}, service=FREIE_SUCHE)), "17")
    public = set(range(1, 28)) | set(range(38, 42))
    assert authorise(_principal(PUBLIC), _request(public, service=FREIE_SUCHE)).allowed


def test_restricted_user_may_not_use_freie_suche_elements() -> None:
    """The allowance is in Personensuche codes; another list must not be read through it."""
    principal = _principal(PUBLIC, erlaubte=frozenset({1, 2, 3}))
    _denied(authorise(principal, _request({1}, service=FREIE_SUCHE)), "17")


# -- the decision value itself ------------------------------------------------------------------


def test_raise_if_denied_carries_the_code() -> None:
    decision = authorise(_principal(PUBLIC), _request({170}))
    with pytest.raises(AccessDenied) as info:
        decision.raise_if_denied()
    assert info.value.code == "07"
    assert isinstance(info.value, PermissionError)


def test_decision_is_consistent() -> None:
    with pytest.raises(ValueError, match="no code"):
        Decision(allowed=True, code="17", reason="x")
    with pytest.raises(ValueError, match="needs a 0910 or rejection code"):
        Decision(allowed=False, code=None, reason="x")
    with pytest.raises(ValueError, match="needs a 0910 or rejection code"):
        Decision(allowed=False, code="oops", reason="x")


def test_access_request_needs_int_codes() -> None:
    with pytest.raises(TypeError):
        AccessRequest(
            service=PERSONENSUCHE,
            sicherheitsbehoerde_behauptet=False,
            anforderungselemente=cast(Any, frozenset({"1"})),
            aktenzeichen="a",
            anlass="b",
        )


# -- rules 3b, 4a, 4b (issue 8) ----------------------------------------------------------------


def test_rule_3b_mutual_tls_needs_the_signing_authoritys_certificate() -> None:
    """DOMAIN.md § 7, § 39 Abs. 3 BMG: only the authority's own client machines."""
    principal = _principal(PUBLIC)
    own = replace(_request(), tls_pflicht=True, tls_authority_id=PUBLIC.id)
    assert authorise(principal, own).allowed
    for other in (POLICE.id, None):
        denied = authorise(principal, replace(own, tls_authority_id=other))
        assert (denied.allowed, denied.code) == (False, Ruecksendung.T070)
        assert "TLS client certificate" in denied.reason
    assert authorise(principal, replace(own, tls_pflicht=False, tls_authority_id=None)).allowed


def test_rule_4a_a_user_restricted_to_some_operations() -> None:
    """§ 39 Abs. 1 BMG: the authority restricts its users to what their task needs."""
    user = replace(_user(PUBLIC), erlaubte_operationen=frozenset({PERSONENSUCHE}))
    principal = Principal(PUBLIC, user, "ab" * 32)
    assert authorise(principal, _request()).allowed
    denied = authorise(principal, _request(frozenset({1}), service=FREIE_SUCHE))
    assert (denied.allowed, denied.code) == (False, Ruecksendung.T070)
    assert "allows this user only personensuche" in denied.reason
    nothing = Principal(PUBLIC, replace(user, erlaubte_operationen=frozenset()), "ab" * 32)
    assert authorise(nothing, _request()).code is Ruecksendung.T070


def test_rule_4b_administration_needs_the_administrator_role() -> None:
    """§ 39 BMG, Nds. NMeldVO § 26: the named administrator, and only an administrator,
    manages the authority's users."""
    request = _request(frozenset(), service=ADMINISTRATION)
    denied = authorise(_principal(PUBLIC), request)
    assert (denied.allowed, denied.code) == (False, Ruecksendung.T070)
    assert "needs the role administrator" in denied.reason
    admin = replace(_user(PUBLIC), roles=frozenset({UserRole.ADMINISTRATOR}))
    assert authorise(Principal(PUBLIC, admin, "ab" * 32), request).allowed


def test_rule_3c_an_overdue_instruction_suspends_the_user() -> None:
    """§ 41 BMG: users are instructed on purpose limitation; after the operator's validity
    (365 days) and grace period (30 days) without a new instruction the user is suspended —
    a user whose instruction was never recorded is reported, not suspended."""
    frist = Belehrungsfrist(gueltig_tage=365, nachfrist_tage=30)
    heute = date(2026, 11, 29)

    def decide(belehrt_am: date | None) -> Decision:
        user = replace(_user(PUBLIC), belehrt_am=belehrt_am)
        request = replace(_request(), belehrung=frist, stichtag=heute)
        return authorise(Principal(PUBLIC, user, "ab" * 32), request)

    assert decide(heute - timedelta(days=364)).allowed
    assert decide(heute - timedelta(days=394)).allowed  # due, within the grace period
    assert decide(None).allowed
    suspended = decide(heute - timedelta(days=395))
    assert (suspended.allowed, suspended.code) == (False, Ruecksendung.T070)
    assert "ask your authority's administrator" in (suspended.public or "")
    assert frist.faellig(heute - timedelta(days=365), heute)
    assert not frist.faellig(heute - timedelta(days=364), heute)
    assert frist.faellig(None, heute) and not frist.gesperrt(None, heute)
