"""Certificates in the administration service: a refused change changes nothing, and a refusal
tells nothing about another authority's users.

The 9101 promises "fehler: nothing changed" (xsd/datenabruf-administration.xsd). nutzerAendern
writes the user's data, then binds and removes certificates, each in its own transaction; a
certificate the registry would refuse (bound to another user, expired) must be refused before
the data is written. § 39 BMG (each authority manages its own users): the refusal does not name
the other user, who may belong to another authority.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from datenspiegel.access.errors import CertificateAlreadyBound
from datenspiegel.signing import CertificateProfile
from datenspiegel.signing.pki import issue_certificate
from datenspiegel.transformers.administration import Aktion, NutzerAenderung
from tests.test_administration import Admin, _admin, _answer, _nutzer, _send
from tests.world import World, build_world


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    built = build_world(tmp_path, database_url)
    yield built
    built.stores.close()


@pytest.fixture
def ordnungsamt(world: World) -> Admin:
    return _admin(world, "ordnungsamt", "ADM-OA-1")


def _police_clerks_der(world: World) -> bytes:
    """The certificate of the demo police clerk — a user of another authority."""
    return world.pki.user_identity("polizei").certificate.public_bytes(serialization.Encoding.DER)


def _expired_der(world: World) -> bytes:
    issued = issue_certificate(
        "abgelaufen",
        profile=CertificateProfile.USER,
        issuer=world.pki.load_ca(),
        not_before=datetime.now(UTC) - timedelta(days=400),
        validity=timedelta(days=365),
    )
    return issued.certificate.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("certificate", "grund"),
    [(_police_clerks_der, "nutzerVorhanden"), (_expired_der, "ungueltig")],
    ids=["bound-to-another-authoritys-user", "expired"],
)
def test_a_refused_certificate_leaves_the_whole_change_undone(
    world: World, ordnungsamt: Admin, certificate: object, grund: str
) -> None:
    _answer(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=_nutzer("OA-7", name="Vorher")))
    access = world.stores.access
    before = access.user_by_kennung(ordnungsamt.authority_id, "OA-7")
    events_before = len(access.admin_events())
    aenderung = NutzerAenderung(
        name="Nachher",
        belehrt_am=before.belehrt_am if before else None,
        zertifikate_hinzu=(certificate(world),),  # type: ignore[operator]
    )
    answer = _answer(_send(world, ordnungsamt, Aktion.AENDERN, kennung="OA-7", aenderung=aenderung))
    assert answer.findtext("fehler/grund") == grund
    assert access.user_by_kennung(ordnungsamt.authority_id, "OA-7") == before
    assert len(access.admin_events()) == events_before  # no user.change, no binding


def test_a_certificate_of_another_authority_is_refused_without_naming_its_user(
    world: World, ordnungsamt: Admin
) -> None:
    access = world.stores.access
    police = access.principal_for_certificate(world.pki.user_identity("polizei").fingerprint_sha256)
    assert police is not None and police.authority.id != ordnungsamt.authority_id
    _answer(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=_nutzer("OA-8")))
    events_before = len(access.admin_events())
    der = _police_clerks_der(world)
    for aktion, kw in (
        (Aktion.ANLEGEN, {"neu": _nutzer("OA-9", zertifikate=(der,))}),
        (
            Aktion.AENDERN,
            {"kennung": "OA-8", "aenderung": NutzerAenderung(zertifikate_hinzu=(der,))},
        ),
    ):
        answer = _answer(_send(world, ordnungsamt, aktion, **kw))
        assert answer.findtext("fehler/grund") == "nutzerVorhanden"
        assert answer.findtext("fehler/text") == "the certificate is already bound to another user"
    assert len(access.admin_events()) == events_before
    assert access.user_by_kennung(ordnungsamt.authority_id, "OA-9") is None


def test_a_change_that_fails_midway_changes_nothing(
    world: World, ordnungsamt: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data and certificates of one nutzerAendern commit together or not at all: a failure
    after the data were changed (here: a concurrent binding of the certificate) leaves the user
    as it was and writes no event (a refused change loses and half-writes nothing)."""
    _answer(_send(world, ordnungsamt, Aktion.ANLEGEN, neu=_nutzer("OA-8", name="Vorher")))
    access = world.stores.access
    before = access.user_by_kennung(ordnungsamt.authority_id, "OA-8")
    events_before = len(access.admin_events())

    def raced(*_args: object, **_kwargs: object) -> str:
        raise CertificateAlreadyBound("the certificate was bound concurrently")

    monkeypatch.setattr(access, "bind_certificate", raced)
    fresh = issue_certificate("neu", profile=CertificateProfile.USER, issuer=world.pki.load_ca())
    aenderung = NutzerAenderung(
        name="Nachher",
        zertifikate_hinzu=(fresh.certificate.public_bytes(serialization.Encoding.DER),),
    )
    answer = _answer(_send(world, ordnungsamt, Aktion.AENDERN, kennung="OA-8", aenderung=aenderung))
    assert answer.findtext("fehler/grund") == "nutzerVorhanden"
    assert access.user_by_kennung(ordnungsamt.authority_id, "OA-8") == before
    assert len(access.admin_events()) == events_before
