"""The listener's TLS policy: versions, suites, chain, client certificates."""

from __future__ import annotations

from pathlib import Path

import pytest
from OpenSSL import SSL

from datenspiegel.service.errors import ConfigError
from datenspiegel.service.tls import tls_context_factory
from datenspiegel.signing import CertificateProfile, issue_certificate
from datenspiegel.signing.pki import write_certificates, write_private_key


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
