"""Certificate expiry in /metrics (issue 11 point 5): the service's own certificates, its trust
anchors and CRLs as the reloading holders have them now, and a count of user certificates
about to expire."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from datenspiegel.access.store import AccessStore
from datenspiegel.service.certificate_expiry import ExpiringUserCertificates
from datenspiegel.service.tls import ReloadingTLSContext
from datenspiegel.service.web import Front
from datenspiegel.signing import load_pem_certificates
from datenspiegel.signing.pki import CertificateProfile, issue_certificate
from tests.world import World, build_world

_NAME = "datenspiegel_certificate_not_after_seconds"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build_world(tmp_path)
    yield built
    built.stores.close()


def _certificate(path: Path) -> x509.Certificate:
    return load_pem_certificates(path)[0]


def _value(front: Front, kind: str, certificate: x509.Certificate) -> float | None:
    subject = certificate.subject.rfc4514_string()
    return front.registry.get_sample_value(_NAME, {"kind": kind, "subject": subject})


def test_own_certificates_anchors_and_crls_with_their_expiry(world: World) -> None:
    front = Front(world.broker, health=world.stores.health())
    pki = world.pki
    tls, broker, ca = (_certificate(p) for p in (pki.tls_cert, pki.broker_cert, pki.ca_cert))
    assert _value(front, "tls", tls) is None  # no listener yet
    front.watch_tls(ReloadingTLSContext(certificate=pki.tls_cert, key=pki.tls_key))
    assert _value(front, "tls", tls) == tls.not_valid_after_utc.timestamp()
    assert _value(front, "signing", broker) == broker.not_valid_after_utc.timestamp()
    assert _value(front, "trust_anchor", ca) == ca.not_valid_after_utc.timestamp()
    crl = x509.load_pem_x509_crl(pki.crl.read_bytes())
    assert crl.next_update_utc is not None
    assert _value(front, "crl_next_update", ca) == crl.next_update_utc.timestamp()
    kinds = {
        s.labels["kind"]
        for family in front.registry.collect()
        if family.name == _NAME
        for s in family.samples
    }
    assert kinds == {"tls", "signing", "trust_anchor", "crl_next_update"}  # no client CA here


def test_a_replaced_tls_certificate_shows_once_the_holder_took_it(world: World) -> None:
    pki = world.pki
    front = Front(world.broker, health=world.stores.health())
    clock = [0.0]
    context = ReloadingTLSContext(
        certificate=pki.tls_cert, key=pki.tls_key, interval=10, monotonic=lambda: clock[0]
    )
    front.watch_tls(context)
    old = _certificate(pki.tls_cert)
    renewed = issue_certificate(
        "localhost",
        profile=CertificateProfile.TLS_SERVER,
        issuer=pki.load_ca(),
        validity=timedelta(days=12),
        hosts=["localhost", "127.0.0.1"],
    )
    renewed.write(pki.tls_cert, pki.tls_key)
    later = os.stat(pki.tls_cert).st_mtime + 5
    os.utime(pki.tls_cert, (later, later))
    assert _value(front, "tls", old) == old.not_valid_after_utc.timestamp()  # not yet looked
    clock[0] = 11.0  # the holder's interval passed: the next look reloads
    shown = _value(front, "tls", renewed.certificate)
    assert shown == renewed.certificate.not_valid_after_utc.timestamp()
    assert context.reloads == 1


def test_user_certificates_expiring_within_30_days_are_counted(world: World) -> None:
    access: AccessStore = world.stores.access
    demo_expiry = min(
        _certificate(world.pki.users[key].cert).not_valid_after_utc for key in world.pki.users
    )
    counted = ExpiringUserCertificates(access, clock=lambda: datetime.now(UTC))
    assert counted.refresh() == 0  # the demo certificates are valid for long
    soon = ExpiringUserCertificates(access, clock=lambda: demo_expiry - timedelta(days=10))
    assert soon.refresh() >= 1
    after = ExpiringUserCertificates(access, clock=lambda: demo_expiry + timedelta(days=400))
    assert after.refresh() == 0  # expired ones are not "expiring"
    front = Front(world.broker, health=world.stores.health(), user_certificates=soon)
    value = front.registry.get_sample_value("datenspiegel_user_certificates_expiring")
    assert value == soon.refresh()


def test_client_cas_and_their_crls_are_reported_once_per_subject(world: World) -> None:
    pki = world.pki
    front = Front(world.broker, health=world.stores.health())
    front.watch_tls(
        ReloadingTLSContext(
            certificate=pki.tls_cert, key=pki.tls_key, client_ca=pki.ca_cert, client_crls=[pki.crl]
        )
    )
    ca = _certificate(pki.ca_cert)
    assert _value(front, "client_ca", ca) == ca.not_valid_after_utc.timestamp()
    series = [
        s.labels
        for family in front.registry.collect()
        if family.name == _NAME
        for s in family.samples
        if s.labels["kind"] == "crl_next_update"
    ]
    assert len(series) == 1  # the same CA's CRL for clients and for signatures: one series
