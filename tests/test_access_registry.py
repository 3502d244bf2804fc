"""The registration in full and its record, on both back-ends (issue 8, point 1).

§ 39 BMG, Nds. NMeldVO § 26 and DOMAIN.md § 7: each authority registers once with the operator,
leaving no doubt about its identity and naming one known main administrator; the operator may
block an authority or a user at any time; access only from authorised client machines (§ 39
Abs. 3 BMG); users are instructed on the purpose limitation (§ 41 BMG). Every change is
recorded — exactly one administrative event, in the change's own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from datenspiegel.access import (
    ALLE_NETZE,
    SYSTEM,
    AccessStore,
    Action,
    Actor,
    ActorKind,
    Authority,
    Behoerdenklasse,
    CertificateAlreadyBound,
    DuplicateKennung,
    Hauptadministrator,
    InvalidActor,
    InvalidAuthority,
    InvalidNetwork,
    InvalidUser,
    Kontakt,
    NotPermitted,
    UserRole,
    certificate_fingerprint,
    parse_netze,
)
from tests.test_access_store import make_certificate

OPERATOR = Actor.operator("Betrieb Schulz")
NETZE = parse_netze(["10.20.0.0/16", "2001:db8:20::/48"])
BELEHRT = date(2026, 1, 15)


@pytest.fixture
def store(database_url: str) -> Iterator[AccessStore]:
    s = AccessStore(database_url)
    s.migrate()
    yield s
    s.dispose()


def _admin(**changes: Any) -> Hauptadministrator:
    values: dict[str, Any] = {
        "kennung": "PD-H-ADM-1",
        "name": "Erika Mustermann",
        "kontakt": Kontakt(telefon="+49 511 109-1234", email="it@pd-h.polizei.example"),
        "belehrt_am": BELEHRT,
        "certificate": make_certificate("PD-H-ADM-1"),
    }
    values.update(changes)
    return Hauptadministrator(**values)


def _register(store: AccessStore, **changes: Any) -> Authority:
    values: dict[str, Any] = {
        "kennung": "dbs:pd-hannover",
        "name": "Polizeidirektion Hannover",
        "klasse": Behoerdenklasse.SICHERHEITSBEHOERDE,
        "untertyp": 1,
        "anschrift": ("Waterloostraße 9", "30169 Hannover"),
        "kontakt": Kontakt(telefon="+49 511 109-0", email="poststelle@pd-h.polizei.example"),
        "administrator": _admin(),
        "netze": NETZE,
        "protokollierung_durch_betreiber": True,
        "actor": OPERATOR,
    }
    values.update(changes)
    return store.add_authority(**values)


def _events(store: AccessStore) -> list[tuple[str, str | None, str | None]]:
    return [(e.action.value, e.authority_kennung, e.target) for e in store.admin_events()]


def test_operator_registers_an_authority_with_its_main_administrator(store: AccessStore) -> None:
    """§ 39 BMG, NMeldVO § 26: one known main administrator — a user of the authority with the
    role ADMINISTRATOR, reachable, instructed (§ 41 BMG), bound to its certificate."""
    admin = _admin()
    authority = _register(store, administrator=admin)
    assert authority.kennung == "dbs:pd-hannover"
    assert authority.anschrift == ("Waterloostraße 9", "30169 Hannover")
    assert authority.kontakt == Kontakt(
        telefon="+49 511 109-0", email="poststelle@pd-h.polizei.example"
    )
    assert authority.netze == NETZE
    assert store.authority(authority.id) == authority

    assert authority.administrator_id is not None
    user = store.user(authority.administrator_id)
    assert user is not None and user.authority_id == authority.id
    assert user.kennung == "PD-H-ADM-1" and user.name == authority.administrator
    assert user.roles == frozenset({UserRole.ADMINISTRATOR})
    assert user.belehrt_am == BELEHRT and user.kontakt == admin.kontakt
    assert admin.certificate is not None
    (bound,) = store.certificates(user.id)
    assert bound.fingerprint == certificate_fingerprint(admin.certificate)

    (status,) = store.status_history(authority.id)
    assert not status.gesperrt and status.actor == "operator Betrieb Schulz"
    assert len(store.status_history(authority.id, user.id)) == 1

    (event,) = store.admin_events()
    assert event.action is Action.AUTHORITY_ADD and event.actor == OPERATOR
    assert event.authority_kennung == "dbs:pd-hannover" and event.target is None
    assert event.details["netze"] == ["10.20.0.0/16", "2001:db8:20::/48"]
    assert event.details["administrator"]["certificate"] == bound.fingerprint
    assert event.details["administrator"]["belehrt_am"] == "2026-01-15"
    assert event.details["protokollierung_durch_betreiber"] is True
    assert len(event.event_id) == 36 and event.at.tzinfo is not None
    plain = event.as_json()
    assert plain["actor"] == {
        "kind": "operator",
        "name": "Betrieb Schulz",
        "authority": None,
        "user_id": None,
    }
    assert "PRIVATE KEY" not in str(plain)


def test_the_operator_must_name_networks_and_a_person(store: AccessStore) -> None:
    """§ 39 Abs. 3 BMG: a person registering chooses the networks (ALLE_NETZE explicitly for
    "any"); NMeldVO § 26: the main administrator as a person, not only a name."""
    with pytest.raises(InvalidNetwork, match="name the client networks"):
        _register(store, netze=None)
    with pytest.raises(InvalidNetwork, match="at least one"):
        _register(store, netze=())
    with pytest.raises(InvalidAuthority, match="as a person"):
        _register(store, administrator="Erika Mustermann")
    administrator = Actor.administrator(user_id=1, kennung="ADM", authority_kennung="dbs:x")
    with pytest.raises(NotPermitted, match="operator's act"):
        _register(store, actor=administrator)
    assert store.authorities() == [] and store.admin_events() == []

    anywhere = _register(store, netze=ALLE_NETZE)
    assert anywhere.netze == ALLE_NETZE


def test_code_without_a_person_may_register_the_old_way(store: AccessStore) -> None:
    """Demo data and tests (actor SYSTEM) name the administrator only and get any network;
    the change is still recorded."""
    authority = store.add_authority(
        kennung="dbs:demo",
        name="Demo",
        klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
        administrator="Verwaltung",
    )
    assert authority.netze == ALLE_NETZE and authority.administrator_id is None
    (event,) = store.admin_events()
    assert event.actor == SYSTEM and event.details["administrator"] == "Verwaltung"
    user = store.add_user(authority_id=authority.id, kennung="U-1", name="Nutzer")
    assert user.belehrt_am is None  # unknown, allowed only without a person acting


def test_a_failed_registration_leaves_nothing(store: AccessStore) -> None:
    """Atomic: the administrator's certificate already belongs to someone else — neither the
    authority nor its administrator nor an event remain."""
    first = _register(store)
    assert first.administrator_id is not None
    (certificate,) = store.certificates(first.administrator_id)
    taken = _admin().certificate
    assert taken is not None
    store.bind_certificate(
        store.add_user(
            authority_id=first.id, kennung="K-2", name="Zwei", belehrt_am=BELEHRT, actor=OPERATOR
        ).id,
        taken,
        actor=OPERATOR,
    )
    before = _events(store)
    with pytest.raises(CertificateAlreadyBound):
        _register(store, kennung="dbs:pd-goettingen", administrator=_admin(certificate=taken))
    with pytest.raises(DuplicateKennung, match="dbs:pd-hannover"):
        _register(store)
    assert [a.kennung for a in store.authorities()] == ["dbs:pd-hannover"]
    assert _events(store) == before
    assert certificate.fingerprint


def test_block_and_unblock_keep_their_history(store: AccessStore) -> None:
    """DOMAIN.md § 7: the operator may block at any time; when, by whom and why is kept."""
    authority = _register(store)
    blocked = store.block_authority(
        authority.id, grund="Hinweis auf unzulässige Abrufe", actor=OPERATOR
    )
    assert blocked.gesperrt and blocked.gesperrt_grund == "Hinweis auf unzulässige Abrufe"
    with pytest.raises(InvalidAuthority, match="already blocked"):
        store.block_authority(authority.id, grund="nochmal", actor=OPERATOR)
    other = Actor.operator("Betrieb Wagner")
    assert not store.unblock_authority(authority.id, grund="geklärt", actor=other).gesperrt
    with pytest.raises(InvalidAuthority, match="is not blocked"):
        store.unblock_authority(authority.id, actor=other)
    history = store.status_history(authority.id)
    assert [(h.status, h.actor, h.grund) for h in history] == [
        ("active", "operator Betrieb Schulz", None),
        ("blocked", "operator Betrieb Schulz", "Hinweis auf unzulässige Abrufe"),
        ("active", "operator Betrieb Wagner", "geklärt"),
    ]
    assert history[0].at <= history[1].at <= history[2].at
    assert [a for a, _, _ in _events(store)] == [
        "authority.add",
        "authority.block",
        "authority.unblock",
    ]
    assert store.admin_events()[1].details == {
        "authority_id": authority.id,
        "grund": "Hinweis auf unzulässige Abrufe",
    }


def test_networks_are_replaced_and_the_change_recorded(store: AccessStore) -> None:
    """§ 39 Abs. 3 BMG: the operator restricts an authority to its client machines."""
    authority = _register(store)
    narrower = parse_netze(["10.20.30.0/24"])
    assert store.set_networks(authority.id, narrower, actor=OPERATOR).netze == narrower
    assert store.set_networks(authority.id, narrower, actor=OPERATOR).netze == narrower  # no-op
    with pytest.raises(InvalidNetwork):
        store.set_networks(authority.id, (), actor=OPERATOR)
    events = store.admin_events()
    assert [e.action for e in events] == [Action.AUTHORITY_ADD, Action.AUTHORITY_SET_NETWORKS]
    assert events[1].details["from"] == ["10.20.0.0/16", "2001:db8:20::/48"]
    assert events[1].details["to"] == ["10.20.30.0/24"]


def test_naming_another_main_administrator(store: AccessStore) -> None:
    """NMeldVO § 26: the main administrator is a reachable, instructed, active user of the
    authority itself; its name stays the authority's ``administrator``."""
    authority = _register(store)
    other = _register(store, kennung="dbs:pd-goettingen", administrator=_admin(certificate=None))
    plain = store.add_user(
        authority_id=authority.id,
        kennung="K-1",
        name="Ohne Kontakt",
        belehrt_am=BELEHRT,
        actor=OPERATOR,
    )
    with pytest.raises(InvalidUser, match="no contact"):
        store.set_administrator(authority.id, plain.id, actor=OPERATOR)
    assert other.administrator_id is not None
    with pytest.raises(InvalidUser, match="not a user of dbs:pd-hannover"):
        store.set_administrator(authority.id, other.administrator_id, actor=OPERATOR)

    kontakt = Kontakt(email="neu@pd-h.polizei.example")
    store.change_user(plain.id, kontakt=kontakt, actor=OPERATOR)
    store.block_user(plain.id, grund="Urlaub", actor=OPERATOR)
    with pytest.raises(InvalidUser, match="is blocked"):
        store.set_administrator(authority.id, plain.id, actor=OPERATOR)
    store.unblock_user(plain.id, actor=OPERATOR)

    named = store.set_administrator(authority.id, plain.id, actor=OPERATOR)
    assert named.administrator_id == plain.id and named.administrator == "Ohne Kontakt"
    admin = store.user(plain.id)
    assert admin is not None and UserRole.ADMINISTRATOR in admin.roles
    event = store.admin_events()[-1]
    assert event.action is Action.AUTHORITY_SET_ADMIN and event.details["role_added"] is True
    assert event.details["from"]["user_id"] == authority.administrator_id

    renamed = store.change_user(plain.id, name="Dr. Neu", actor=OPERATOR)
    assert renamed.name == "Dr. Neu"
    current = store.authority(authority.id)
    assert current is not None and current.administrator == "Dr. Neu"
    with pytest.raises(InvalidUser, match="name another one first"):
        store.change_user(plain.id, roles=frozenset({UserRole.SACHBEARBEITUNG}), actor=OPERATOR)
    with pytest.raises(InvalidUser, match="name another one first"):
        store.delete_user(plain.id, actor=OPERATOR)


def test_changing_a_user_records_what_changed(store: AccessStore) -> None:
    """§ 39 Abs. 1 BMG: the authority restricts its users' elements; § 41 BMG: instruction."""
    authority = _register(
        store,
        kennung="ags:03241001",
        klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
        untertyp=None,
        protokollierung_durch_betreiber=False,
    )
    user = store.add_user(
        authority_id=authority.id, kennung="BA-1", name="Eins", belehrt_am=BELEHRT, actor=OPERATOR
    )
    changed = store.change_user(
        user.id,
        erlaubte_elemente=frozenset({1, 7, 13}),
        belehrt_am=date(2026, 2, 1),
        actor=OPERATOR,
    )
    assert changed.erlaubte_elemente == frozenset({1, 7, 13})
    assert changed.belehrt_am == date(2026, 2, 1) and changed.name == "Eins"
    assert store.change_user(user.id, name="Eins", actor=OPERATOR) == changed  # nothing new
    before = _events(store)
    with pytest.raises(InvalidUser, match="not entitled to elements 163"):
        store.change_user(user.id, erlaubte_elemente=frozenset({163}), actor=OPERATOR)
    with pytest.raises(InvalidUser, match="future"):
        store.change_user(user.id, belehrt_am=date.today() + timedelta(days=2), actor=OPERATOR)
    assert _events(store) == before
    event = store.admin_events()[-1]
    assert event.action is Action.USER_CHANGE and event.target == "BA-1"
    assert event.details == {
        "user_id": user.id,
        "erlaubte_elemente": {"from": None, "to": [1, 7, 13]},
        "belehrt_am": {"from": "2026-01-15", "to": "2026-02-01"},
    }
    everything = store.change_user(user.id, erlaubte_elemente=None, actor=OPERATOR)
    assert everything.erlaubte_elemente is None


def test_a_person_creating_a_user_gives_the_instruction_date(store: AccessStore) -> None:
    """§ 41 BMG: users are bound to the purpose of the data; the registry keeps the day of the
    instruction for every user a person creates."""
    authority = _register(store)
    with pytest.raises(InvalidUser, match="§ 41 BMG"):
        store.add_user(authority_id=authority.id, kennung="K-1", name="Eins", actor=OPERATOR)
    with pytest.raises(InvalidUser, match="future"):
        store.add_user(
            authority_id=authority.id,
            kennung="K-1",
            name="Eins",
            belehrt_am=date.today() + timedelta(days=2),
            actor=OPERATOR,
        )
    assert [e.action for e in store.admin_events()] == [Action.AUTHORITY_ADD]


def test_deleting_a_user_removes_its_access_and_keeps_the_record(store: AccessStore) -> None:
    """§ 39 BMG: the authority removes users no longer entitled; the id is never reused, so
    protocol records that name it keep meaning that user."""
    authority = _register(store)
    user = store.add_user(
        authority_id=authority.id, kennung="K-1", name="Eins", belehrt_am=BELEHRT, actor=OPERATOR
    )
    fingerprint = store.bind_certificate(user.id, make_certificate("K-1"), actor=OPERATOR)
    store.block_user(user.id, grund="ausgeschieden", actor=OPERATOR)
    deleted = store.delete_user(user.id, actor=OPERATOR)
    assert deleted.id == user.id and store.user(user.id) is None
    assert store.principal_for_certificate(fingerprint) is None
    assert store.status_history(authority.id, user.id) == []
    event = store.admin_events()[-1]
    assert event.action is Action.USER_DELETE and event.target == "K-1"
    assert event.details["certificates"] == [fingerprint] and event.details["gesperrt"] is True
    again = store.add_user(
        authority_id=authority.id, kennung="K-1", name="Neu", belehrt_am=BELEHRT, actor=OPERATOR
    )
    assert again.id > user.id


def test_an_administrator_manages_only_its_own_users(store: AccessStore) -> None:
    """§ 39 BMG, NMeldVO § 26: the main administrator creates and removes the users of its
    own authority; authority settings stay with the operator."""
    own = _register(store)
    foreign = _register(
        store, kennung="dbs:pd-goettingen", administrator=_admin(kennung="ADM-G", certificate=None)
    )
    assert own.administrator_id is not None
    me = Actor.administrator(
        user_id=own.administrator_id, kennung="PD-H-ADM-1", authority_kennung=own.kennung
    )
    user = store.add_user(
        authority_id=own.id, kennung="K-1", name="Eins", belehrt_am=BELEHRT, actor=me
    )
    store.block_user(user.id, grund="ausgeschieden", actor=me)
    with pytest.raises(NotPermitted, match="cannot change the users of dbs:pd-goettingen"):
        store.add_user(
            authority_id=foreign.id, kennung="K-1", name="Eins", belehrt_am=BELEHRT, actor=me
        )
    with pytest.raises(NotPermitted):
        store.block_authority(own.id, grund="x", actor=me)
    with pytest.raises(NotPermitted):
        store.set_networks(own.id, ALLE_NETZE, actor=me)
    events = store.admin_events(authority_kennung=own.kennung)
    assert [e.action for e in events] == [Action.AUTHORITY_ADD, Action.USER_ADD, Action.USER_BLOCK]
    assert events[-1].actor.kind is ActorKind.ADMINISTRATOR
    assert (
        events[-1].actor.label
        == f"administrator PD-H-ADM-1 (user {own.administrator_id}, dbs:pd-hannover)"
    )
    history = store.status_history(own.id, user.id)
    assert history[-1].actor == events[-1].actor.label


def test_actors_are_named(store: AccessStore) -> None:
    """Every change names who makes it (DOMAIN.md § 7: the operator; § 39 BMG, NMeldVO § 26:
    an authority's administrator, by user and authority)."""
    with pytest.raises(InvalidActor, match="name of who makes it"):
        Actor.operator("  ")
    with pytest.raises(InvalidActor, match="at most 120"):
        Actor.operator("x" * 121)
    with pytest.raises(InvalidActor, match="administrator acts as a user"):
        Actor(ActorKind.ADMINISTRATOR, "ADM")
    with pytest.raises(InvalidActor, match="only administrators"):
        Actor(ActorKind.OPERATOR, "Schulz", "dbs:x", 1)


# -- exactly one event per change, in the change's transaction --------------------------------

_CHANGES: dict[str, Callable[[AccessStore, Authority, int], object]] = {
    "authority.block": lambda s, a, u: s.block_authority(a.id, grund="Prüfung", actor=OPERATOR),
    "authority.set-networks": lambda s, a, u: s.set_networks(
        a.id, parse_netze(["10.0.0.0/8"]), actor=OPERATOR
    ),
    "authority.set-admin": lambda s, a, u: s.set_administrator(a.id, u, actor=OPERATOR),
    "user.add": lambda s, a, u: s.add_user(
        authority_id=a.id, kennung="K-9", name="Neun", belehrt_am=BELEHRT, actor=OPERATOR
    ),
    "user.change": lambda s, a, u: s.change_user(u, name="Umbenannt", actor=OPERATOR),
    "user.block": lambda s, a, u: s.block_user(u, grund="Verdacht", actor=OPERATOR),
    "user.delete": lambda s, a, u: s.delete_user(u, actor=OPERATOR),
    "user.bind-certificate": lambda s, a, u: s.bind_certificate(
        u, make_certificate(), actor=OPERATOR
    ),
}


def _with_user(store: AccessStore) -> tuple[Authority, int]:
    authority = _register(store)
    user = store.add_user(
        authority_id=authority.id,
        kennung="K-1",
        name="Eins",
        belehrt_am=BELEHRT,
        kontakt=Kontakt(email="k1@pd-h.polizei.example"),
        actor=OPERATOR,
    )
    return authority, user.id


@pytest.mark.parametrize("action", sorted(_CHANGES))
def test_every_change_leaves_exactly_one_event(store: AccessStore, action: str) -> None:
    """Every change of the registry is recorded (issue 8: "every change is recorded")."""
    authority, user_id = _with_user(store)
    before = store.admin_events()
    _CHANGES[action](store, authority, user_id)
    new = store.admin_events(after_seq=before[-1].seq)
    assert [e.action.value for e in new] == [action]
    assert new[0].authority_kennung == authority.kennung


@pytest.mark.parametrize("action", sorted(_CHANGES))
def test_a_change_whose_event_cannot_be_written_does_not_happen(
    store: AccessStore, action: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event is written in the change's transaction: if it fails, the change is rolled
    back — the registry never holds an unrecorded change."""
    authority, user_id = _with_user(store)
    before_events = store.admin_events()
    before = (store.authorities(), store.users(authority.id), store.certificates(user_id))
    history = store.status_history(authority.id), store.status_history(authority.id, user_id)

    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("event log full")

    monkeypatch.setattr("datenspiegel.access._base.append_event", broken)
    with pytest.raises(RuntimeError, match="event log full"):
        _CHANGES[action](store, authority, user_id)
    monkeypatch.undo()
    assert store.admin_events() == before_events
    assert (store.authorities(), store.users(authority.id), store.certificates(user_id)) == before
    assert (
        store.status_history(authority.id),
        store.status_history(authority.id, user_id),
    ) == history


def test_unbinding_a_certificate_is_recorded(store: AccessStore) -> None:
    """A certificate replaced or compromised is removed from its user (§ 39 BMG: the authority
    keeps credentials secret) — recorded once; reading the log by authority, time and order."""
    authority, user_id = _with_user(store)
    fingerprint = store.bind_certificate(user_id, make_certificate(), actor=OPERATOR)
    assert store.bind_certificate(user_id, make_certificate(), actor=OPERATOR) != fingerprint
    count = len(store.admin_events())
    colons = ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    assert store.unbind_certificate(colons, actor=OPERATOR)
    assert not store.unbind_certificate(fingerprint, actor=OPERATOR)
    events = store.admin_events()
    assert len(events) == count + 1
    assert events[-1].action is Action.USER_UNBIND_CERTIFICATE
    assert events[-1].details["fingerprint"] == fingerprint
    assert store.admin_events(authority_kennung="dbs:none") == []
    assert store.admin_events(since=datetime.now(UTC) + timedelta(hours=1)) == []
    assert [e.seq for e in store.admin_events(newest_first=True, limit=2)] == [
        events[-1].seq,
        events[-2].seq,
    ]
    assert authority.kennung
