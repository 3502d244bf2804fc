"""AccessStore on both back-ends: authorities, users, blocks, certificate binding."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import inspect

from datenspiegel.access import (
    AccessStore,
    AccessStoreUnavailable,
    Behoerdenklasse,
    CertificateAlreadyBound,
    DuplicateKennung,
    InvalidAuthority,
    InvalidCertificate,
    InvalidUser,
    UnknownAuthority,
    UnknownUser,
    UserRole,
    certificate_fingerprint,
)
from datenspiegel.access._schema import MIGRATIONS
from datenspiegel.store import schema_version

_KEY = ec.generate_private_key(ec.SECP256R1())


def make_certificate(
    common_name: str = "Sachbearbeitung 1",
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> x509.Certificate:
    """A throwaway self-signed ECDSA P-256 certificate (a fresh serial every call)."""
    now = datetime.now(UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Stadt Musterhausen"),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(_KEY.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=365))
        .sign(_KEY, hashes.SHA256())
    )


@pytest.fixture
def store(database_url: str) -> Iterator[AccessStore]:
    s = AccessStore(database_url)
    s.migrate()
    yield s
    s.dispose()


def _public(store: AccessStore, kennung: str = "ags:03241001") -> int:
    return store.add_authority(
        kennung=kennung,
        name="Landeshauptstadt Hannover, Bürgeramt",
        klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
        anschrift="Trammplatz 2, 30159 Hannover",
        administrator="Erika Mustermann",
    ).id


def _police(store: AccessStore, untertyp: int = 1) -> int:
    return store.add_authority(
        kennung=f"dbs:polizei-{untertyp}",
        name="Polizeidirektion Hannover",
        klasse=Behoerdenklasse.SICHERHEITSBEHOERDE,
        untertyp=untertyp,
        administrator="Max Mustermann",
        protokollierung_durch_betreiber=True,
    ).id


def test_migrate_creates_tables_and_is_idempotent(store: AccessStore) -> None:
    assert schema_version(store.engine, "access") == MIGRATIONS[-1].version == 4
    assert store.migrate() == 4
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "access_authority",
        "access_user",
        "access_certificate",
        "access_status",
        "access_event",
    } <= tables


def test_add_and_look_up_authorities(store: AccessStore) -> None:
    public_id = _public(store)
    police_id = _police(store, untertyp=6)
    public = store.authority(public_id)
    assert public is not None
    assert public.kennung == "ags:03241001"
    assert public.klasse is Behoerdenklasse.OEFFENTLICHE_STELLE
    assert public.untertyp is None
    assert public.anschrift == ("Trammplatz 2, 30159 Hannover",)
    assert public.administrator == "Erika Mustermann"
    assert not public.protokollierung_durch_betreiber
    assert not public.gesperrt and public.gesperrt_grund is None

    police = store.authority_by_kennung("dbs:polizei-6")
    assert police is not None and police.id == police_id
    assert police.klasse is Behoerdenklasse.SICHERHEITSBEHOERDE
    assert police.untertyp == 6
    assert police.sperrausnahme_34a_abs_6
    assert police.protokollierung_durch_betreiber
    assert [a.id for a in store.authorities()] == [public_id, police_id]
    assert store.authority(999_999) is None
    assert store.authority_by_kennung("dbs:unbekannt") is None


def test_authority_kennung_is_unique(store: AccessStore) -> None:
    _public(store)
    with pytest.raises(DuplicateKennung, match="ags:03241001"):
        _public(store)
    assert len(store.authorities()) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kennung": "03241001"}, "'ags:' followed by the 8-digit"),
        ({"kennung": "ags:0324100"}, "'ags:' followed by the 8-digit"),
        ({"name": "  "}, "authority name"),
        ({"administrator": ""}, "main administrator"),
        ({"untertyp": 3}, "public body has no sub-type"),
        ({"protokollierung_durch_betreiber": True}, "security authorities only"),
        ({"klasse": Behoerdenklasse.SICHERHEITSBEHOERDE}, "sub-type 1–13"),
        ({"klasse": Behoerdenklasse.SICHERHEITSBEHOERDE, "untertyp": 14}, "sub-type 1–13"),
    ],
)
def test_invalid_authorities_are_refused(
    store: AccessStore, changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "kennung": "ags:03241001",
        "name": "Bürgeramt",
        "klasse": Behoerdenklasse.OEFFENTLICHE_STELLE,
        "administrator": "Erika Mustermann",
    }
    values.update(changes)
    with pytest.raises(InvalidAuthority, match=message):
        store.add_authority(**cast(Any, values))
    assert store.authorities() == []


def test_block_and_unblock_authority(store: AccessStore) -> None:
    authority_id = _public(store)
    blocked = store.block_authority(authority_id, grund="Verdacht auf unzulässige Abrufe")
    assert blocked.gesperrt and blocked.gesperrt_grund == "Verdacht auf unzulässige Abrufe"
    assert store.authority(authority_id) == blocked
    with pytest.raises(InvalidAuthority, match="reason"):
        store.block_authority(authority_id, grund=" ")
    unblocked = store.unblock_authority(authority_id)
    assert not unblocked.gesperrt and unblocked.gesperrt_grund is None
    with pytest.raises(UnknownAuthority):
        store.block_authority(424242, grund="x")
    with pytest.raises(UnknownAuthority):
        store.unblock_authority(424242)


def test_add_and_list_users(store: AccessStore) -> None:
    authority_id = _public(store)
    other_id = _public(store, "ags:03101000")
    person = store.add_user(
        authority_id=authority_id, kennung="BA-4711", name="A. Sachbearbeiterin"
    )
    procedure = store.add_user(
        authority_id=authority_id,
        kennung="Fachverfahren OK.EWO",
        name="Automatisiertes Verfahren",
        roles=frozenset({UserRole.SACHBEARBEITUNG, UserRole.ADMINISTRATOR}),
        erlaubte_elemente=frozenset({1, 7, 13, 172}),
    )
    store.add_user(authority_id=other_id, kennung="BA-4711", name="Gleiche Kennung, andere Stelle")
    assert person.roles == frozenset({UserRole.SACHBEARBEITUNG})
    assert person.erlaubte_elemente is None
    assert procedure.erlaubte_elemente == frozenset({1, 7, 13, 172})
    assert procedure.roles == frozenset({UserRole.SACHBEARBEITUNG, UserRole.ADMINISTRATOR})
    assert store.users(authority_id) == [person, procedure]
    assert store.user(procedure.id) == procedure
    assert store.user(999_999) is None


def test_empty_allowance_is_kept_apart_from_no_restriction(store: AccessStore) -> None:
    authority_id = _public(store)
    nothing = store.add_user(
        authority_id=authority_id, kennung="leer", name="Nichts", erlaubte_elemente=frozenset()
    )
    stored = store.user(nothing.id)
    assert stored is not None and stored.erlaubte_elemente == frozenset()


def test_user_kennung_is_unique_within_its_authority(store: AccessStore) -> None:
    authority_id = _public(store)
    store.add_user(authority_id=authority_id, kennung="BA-4711", name="Eins")
    with pytest.raises(DuplicateKennung, match="BA-4711"):
        store.add_user(authority_id=authority_id, kennung="BA-4711", name="Zwei")


def test_user_validation(store: AccessStore) -> None:
    public_id = _public(store)
    customs_office_id = _police(store, untertyp=10)
    police_id = _police(store, untertyp=1)
    with pytest.raises(UnknownAuthority):
        store.add_user(authority_id=999_999, kennung="x", name="x")
    with pytest.raises(InvalidUser, match="not entitled to elements 163, 184"):
        store.add_user(
            authority_id=public_id,
            kennung="x",
            name="x",
            erlaubte_elemente=frozenset({1, 163, 184}),
        )
    with pytest.raises(InvalidUser, match="1–185"):
        store.add_user(
            authority_id=police_id, kennung="x", name="x", erlaubte_elemente=frozenset({0, 186})
        )
    with pytest.raises(InvalidUser, match="at least one role"):
        store.add_user(authority_id=public_id, kennung="x", name="x", roles=frozenset())
    with pytest.raises(InvalidUser, match="120 characters"):
        store.add_user(authority_id=public_id, kennung="k" * 121, name="x")
    store.add_user(authority_id=public_id, kennung="k" * 120, name="Genau 120 Zeichen")
    role = frozenset({UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT})
    for not_entitled in (public_id, customs_office_id):
        with pytest.raises(InvalidUser, match=r"§ 34a Abs\. 6"):
            store.add_user(authority_id=not_entitled, kennung="leitung", name="L", roles=role)
    head = store.add_user(authority_id=police_id, kennung="leitung", name="L", roles=role)
    assert head.roles == role
    restricted = store.add_user(
        authority_id=police_id, kennung="waffen", name="W", erlaubte_elemente=frozenset({178})
    )
    assert restricted.erlaubte_elemente == frozenset({178})


def test_block_and_unblock_user(store: AccessStore) -> None:
    user = store.add_user(authority_id=_public(store), kennung="BA-1", name="Eins")
    blocked = store.block_user(user.id, grund="ausgeschieden")
    assert blocked.gesperrt and blocked.gesperrt_grund == "ausgeschieden"
    assert store.user(user.id) == blocked
    with pytest.raises(InvalidUser, match="reason"):
        store.block_user(user.id, grund="")
    assert not store.unblock_user(user.id).gesperrt
    with pytest.raises(UnknownUser):
        store.block_user(999_999, grund="x")


def test_certificate_binding_and_principal(store: AccessStore) -> None:
    authority_id = _police(store)
    user = store.add_user(authority_id=authority_id, kennung="KHK-1", name="Kommissarin")
    certificate = make_certificate("KHK-1")
    fingerprint = store.bind_certificate(user.id, certificate)
    assert fingerprint == certificate_fingerprint(certificate)
    assert len(fingerprint) == 64 and fingerprint == fingerprint.lower()
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert fingerprint == hashlib.sha256(der).hexdigest()
    # binding again to the same user is a no-op
    assert store.bind_certificate(user.id, certificate) == fingerprint

    (bound,) = store.certificates(user.id)
    assert bound.fingerprint == fingerprint
    assert bound.user_id == user.id
    assert "CN=KHK-1" in bound.subject
    assert bound.serial == format(certificate.serial_number, "x")
    assert bound.not_after == certificate.not_valid_after_utc
    assert bound.not_after.tzinfo is not None

    principal = store.principal_for_certificate(fingerprint)
    assert principal is not None
    assert principal.user == user
    assert principal.authority == store.authority(authority_id)
    assert principal.certificate_fingerprint == fingerprint
    # openssl's colon-separated upper-case spelling finds the same principal
    colons = ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    assert store.principal_for_certificate(colons) == principal
    assert store.principal_for_certificate("0" * 64) is None
    assert store.principal_for_certificate("not a fingerprint") is None


def test_certificate_belongs_to_one_user_only(store: AccessStore) -> None:
    authority_id = _public(store)
    first = store.add_user(authority_id=authority_id, kennung="eins", name="Eins")
    second = store.add_user(authority_id=authority_id, kennung="zwei", name="Zwei")
    certificate = make_certificate()
    fingerprint = store.bind_certificate(first.id, certificate)
    with pytest.raises(CertificateAlreadyBound, match=fingerprint):
        store.bind_certificate(second.id, certificate)
    assert store.certificates(second.id) == []
    # a user may hold several certificates (rollover)
    store.bind_certificate(first.id, make_certificate())
    assert len(store.certificates(first.id)) == 2
    assert store.unbind_certificate(fingerprint)
    assert not store.unbind_certificate(fingerprint)
    assert store.principal_for_certificate(fingerprint) is None
    store.bind_certificate(second.id, certificate)
    principal = store.principal_for_certificate(fingerprint)
    assert principal is not None and principal.user.id == second.id


def test_expired_certificate_and_unknown_user_are_refused(store: AccessStore) -> None:
    user = store.add_user(authority_id=_public(store), kennung="eins", name="Eins")
    now = datetime.now(UTC)
    expired = make_certificate(not_before=now - timedelta(days=30), not_after=now - timedelta(1))
    with pytest.raises(InvalidCertificate, match="expired"):
        store.bind_certificate(user.id, expired)
    with pytest.raises(UnknownUser):
        store.bind_certificate(999_999, make_certificate())


def test_principal_of_blocked_user_is_still_found(store: AccessStore) -> None:
    """Blocks are decided by authorise(); the lookup must still say who tried."""
    authority_id = _public(store)
    user = store.add_user(authority_id=authority_id, kennung="eins", name="Eins")
    fingerprint = store.bind_certificate(user.id, make_certificate())
    store.block_authority(authority_id, grund="Prüfung")
    store.block_user(user.id, grund="Prüfung")
    principal = store.principal_for_certificate(fingerprint)
    assert principal is not None
    assert principal.authority.gesperrt and principal.user.gesperrt


def test_unreachable_database_is_access_store_unavailable() -> None:
    store = AccessStore("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(AccessStoreUnavailable):
        store.principal_for_certificate("0" * 64)
    with pytest.raises(AccessStoreUnavailable):
        store.migrate()
