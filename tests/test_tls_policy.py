"""The listener's TLS policy: versions, suites, chain, client certificates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from OpenSSL import SSL

from datenspiegel.service.errors import ConfigError
from datenspiegel.service.tls import ReloadingTLSContext, tls_context_factory
from datenspiegel.signing import CertificateProfile, issue_certificate
from datenspiegel.signing.pki import revoke, write_certificates, write_private_key


def _chain(tmp_path: Path) -> tuple[Path, Path, Path]:
    root = issue_certificate("Test Root", profile=CertificateProfile.CA)
    intermediate = issue_certificate(
        "Test Intermediate", profile=CertificateProfile.CA, issuer=root, path_length=0
    )
    server = issue_certificate(
        "localhost",
        profile=CertificateProfile.TLS_SERVER,
        issuer=intermediate,
        hosts=("localhost",),
    )
    cert = write_certificates(tmp_path / "tls.pem", server.certificate, intermediate.certificate)
    key = write_private_key(tmp_path / "tls.key", server.private_key)
    ca = write_certificates(tmp_path / "ca.pem", root.certificate, intermediate.certificate)
    return cert, key, ca


def test_chain_is_sent_and_policy_applied(tmp_path: Path) -> None:
    cert, key, ca = _chain(tmp_path)
    options = tls_context_factory(certificate=cert, key=key, client_ca=ca)
    assert len(options.extraCertChain) == 1  # the intermediate goes along
    assert len(options.caCerts) == 2  # every certificate of the client CA file is trusted
    context = options.getContext()
    current = context.set_options(0)  # returns the options in force
    assert current & SSL.OP_NO_COMPRESSION and current & SSL.OP_NO_RENEGOTIATION
    connection = SSL.Connection(context, None)
    ciphers = connection.get_cipher_list()
    assert all("GCM" in c for c in ciphers), ciphers
    assert not any("CHACHA" in c for c in ciphers)
    assert context.get_verify_mode() & SSL.VERIFY_FAIL_IF_NO_PEER_CERT


def test_unusable_key_is_a_clear_configuration_error(tmp_path: Path) -> None:
    cert, _, _ = _chain(tmp_path)
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    with pytest.raises(ConfigError, match="unusable"):
        tls_context_factory(certificate=cert, key=bad)
    with pytest.raises(ConfigError, match="cannot read"):
        tls_context_factory(certificate=cert, key=tmp_path / "missing.key")


# -- client certificates checked against their CAs' CRLs, and files reloaded (issue 8) -------


def _pki(tmp_path: Path) -> tuple[Path, Path, Path, Any, Any]:
    """A server chain and a client CA that issued one client certificate."""
    cert, key, _ = _chain(tmp_path)
    client_root = issue_certificate("Client Root", profile=CertificateProfile.CA)
    client = issue_certificate(
        "Fachverfahren Polizei", profile=CertificateProfile.USER, issuer=client_root
    )
    client_ca = write_certificates(tmp_path / "client-ca.pem", client_root.certificate)
    return cert, key, client_ca, client_root, client


def _handshake(context: SSL.Context, client: Any | None) -> tuple[bool, Any]:
    """Run a TLS handshake in memory; (succeeded, the server certificate the client saw)."""
    client_context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    client_context.set_verify(SSL.VERIFY_NONE, lambda *_: True)
    if client is not None:
        client_context.use_certificate(client.certificate)
        client_context.use_privatekey(client.private_key)
    server_side = SSL.Connection(context, None)
    server_side.set_accept_state()
    client_side = SSL.Connection(client_context, None)
    client_side.set_connect_state()
    done = {"server": False, "client": False}
    for _ in range(30):
        for name, side, other in (
            ("client", client_side, server_side),
            ("server", server_side, client_side),
        ):
            try:
                side.do_handshake()
                done[name] = True
            except SSL.WantReadError:
                pass
            except SSL.Error:
                return False, client_side.get_peer_certificate()
            try:
                other.bio_write(side.bio_read(65536))
            except SSL.WantReadError:
                pass
        if all(done.values()):
            # TLS 1.3: the server judges the client certificate after its own finish; a
            # rejection arrives as an alert at the client's first read
            try:
                server_side.send(b"x")
                client_side.bio_write(server_side.bio_read(65536))
                client_side.recv(1)
            except SSL.WantReadError:
                pass
            except SSL.Error:
                return False, client_side.get_peer_certificate()
            return True, client_side.get_peer_certificate()
    return False, None


def test_a_revoked_client_certificate_fails_the_handshake(tmp_path: Path) -> None:
    """Mutual TLS checks revocation too (issue 8 point 4; TR-03116-4: revocation checked)."""
    cert, key, client_ca, client_root, client = _pki(tmp_path)
    crl = tmp_path / "client.crl"
    revoke(crl, ca=client_root, serial_numbers=[])
    options = tls_context_factory(certificate=cert, key=key, client_ca=client_ca, client_crls=[crl])
    assert _handshake(options.getContext(), client)[0]
    assert not _handshake(options.getContext(), None)[0]  # a certificate is required
    revoke(crl, ca=client_root, serial_numbers=[client.certificate.serial_number])
    options = tls_context_factory(certificate=cert, key=key, client_ca=client_ca, client_crls=[crl])
    assert not _handshake(options.getContext(), client)[0]


def test_every_client_ca_needs_its_crl(tmp_path: Path) -> None:
    cert, key, client_ca, _, _ = _pki(tmp_path)
    other = issue_certificate("Another Root", profile=CertificateProfile.CA)
    foreign = tmp_path / "foreign.crl"
    revoke(foreign, ca=other, serial_numbers=[])
    with pytest.raises(ConfigError, match="no valid CRL for the client CA"):
        tls_context_factory(certificate=cert, key=key, client_ca=client_ca, client_crls=[foreign])
    with pytest.raises(ConfigError, match="client_ca is not"):
        tls_context_factory(certificate=cert, key=key, client_crls=[foreign])


def test_replaced_files_are_served_without_a_restart(tmp_path: Path) -> None:
    """A renewed server certificate, and a CRL that now lists a client, take effect for new
    connections within the check interval; files that do not load keep the old ones."""
    cert, key, client_ca, client_root, client = _pki(tmp_path)
    crl = tmp_path / "client.crl"
    revoke(crl, ca=client_root, serial_numbers=[])
    clock = {"now": 0.0}
    reloading = ReloadingTLSContext(
        certificate=cert,
        key=key,
        client_ca=client_ca,
        client_crls=[crl],
        interval=10,
        monotonic=lambda: clock["now"],
    )
    ok, _ = _handshake(reloading.getContext(), client)
    assert ok
    renewed = issue_certificate(
        "localhost", profile=CertificateProfile.TLS_SERVER, hosts=("localhost",)
    )
    write_certificates(cert, renewed.certificate)
    write_private_key(key, renewed.private_key)
    revoke(crl, ca=client_root, serial_numbers=[client.certificate.serial_number])
    assert _handshake(reloading.getContext(), client)[0]  # not yet: within the interval
    clock["now"] = 11
    ok, _ = _handshake(reloading.getContext(), client)
    assert not ok  # the revocation is in force
    other_client = issue_certificate(
        "Zweites Verfahren", profile=CertificateProfile.USER, issuer=client_root
    )
    ok, served = _handshake(reloading.getContext(), other_client)
    assert ok and served.to_cryptography() == renewed.certificate
    assert reloading.reloads == 1
    key.write_text("broken")
    clock["now"] = 22
    ok, served = _handshake(reloading.getContext(), other_client)
    assert ok and served.to_cryptography() == renewed.certificate
    assert reloading.reloads == 1
