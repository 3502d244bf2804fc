"""The development PKI: files, key modes, profiles, CRLs, and real TLS use of its certificates."""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import PolicyBuilder, Store

from datenspiegel.signing import (
    DevelopmentPki,
    MessageSigner,
    MessageVerifier,
    create_development_pki,
    load_development_pki,
    load_pem_certificates,
    revoke,
)
from tests.test_signing_support import sample_document


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DevelopmentPki:
    return create_development_pki(
        tmp_path_factory.mktemp("pki"), users=["anna.schmidt", "ben@pd-goe"]
    )


def _cert(path: Path) -> x509.Certificate:
    return load_pem_certificates(path)[0]


def _key_usage(cert: x509.Certificate) -> x509.KeyUsage:
    return cert.extensions.get_extension_for_class(x509.KeyUsage).value


def _eku(cert: x509.Certificate) -> list[x509.ObjectIdentifier]:
    return list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def test_files_exist_and_keys_are_private(pki: DevelopmentPki) -> None:
    keys = [pki.ca_key, pki.tls_key, pki.broker_key, *(f.key for f in pki.users.values())]
    public = [pki.ca_cert, pki.crl, pki.tls_cert, pki.broker_cert]
    public += [f.cert for f in pki.users.values()]
    for path in keys:
        assert path.stat().st_mode & 0o777 == 0o600, path
    for path in public:
        assert path.is_file() and path.read_bytes().startswith(b"-----BEGIN")
    cert, key = pki.users["ben@pd-goe"]
    assert cert.name == "ben@pd-goe-cert.pem" and key.name == "ben@pd-goe-key.pem"


def test_ca_is_p384_five_years(pki: DevelopmentPki) -> None:
    ca = _cert(pki.ca_cert)
    key = ca.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp384r1"
    lifetime = ca.not_valid_after_utc - ca.not_valid_before_utc
    assert timedelta(days=5 * 365) <= lifetime <= timedelta(days=5 * 365 + 2)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert _key_usage(ca).key_cert_sign and _key_usage(ca).crl_sign
    assert ca.issuer == ca.subject


def test_leaf_profiles(pki: DevelopmentPki) -> None:
    ca = _cert(pki.ca_cert)
    tls, broker = _cert(pki.tls_cert), _cert(pki.broker_cert)
    users = [_cert(files.cert) for files in pki.users.values()]
    for cert in (tls, broker, *users):
        key = cert.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
        assert cert.issuer == ca.subject
        assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert _key_usage(cert).digital_signature
        assert cert.not_valid_after_utc <= ca.not_valid_after_utc
    san = tls.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert _eku(tls) == [ExtendedKeyUsageOID.SERVER_AUTH]
    for name, files in pki.users.items():
        cert = _cert(files.cert)
        assert _eku(cert) == [ExtendedKeyUsageOID.CLIENT_AUTH]
        user_san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert user_san.get_values_for_type(x509.UniformResourceIdentifier) == [
            f"urn:datenspiegel:user:{name}"
        ]
    assert not broker.extensions.get_extension_for_class(x509.KeyUsage).value.key_encipherment


def test_crl_is_empty_signed_and_accepted(pki: DevelopmentPki) -> None:
    crl = x509.load_pem_x509_crl(pki.crl.read_bytes())
    ca = _cert(pki.ca_cert)
    assert len(crl) == 0
    assert crl.is_signature_valid(ca.public_key())  # type: ignore[arg-type]
    assert crl.next_update_utc is not None and crl.next_update_utc >= ca.not_valid_after_utc
    trust = pki.trust_store()
    now = datetime.now(UTC)
    for files in pki.users.values():
        trust.check(_cert(files.cert), at=now)
    trust.check(_cert(pki.broker_cert), at=now)


def test_broker_and_user_identities_sign_verifiable_messages(pki: DevelopmentPki) -> None:
    verifier = MessageVerifier(pki.trust_store())
    for identity in (pki.broker_identity(), pki.user_identity("anna.schmidt")):
        signed = MessageSigner(identity).sign_bytes(sample_document())
        assert verifier.verify(signed).certificate == identity.certificate


def test_revoke_adds_to_the_crl_and_counts_up(pki: DevelopmentPki, tmp_path: Path) -> None:
    crl_path = tmp_path / "crl.pem"
    crl_path.write_bytes(pki.crl.read_bytes())
    ca = pki.load_ca()
    ben = _cert(pki.users["ben@pd-goe"].cert)
    anna = _cert(pki.users["anna.schmidt"].cert)
    revoke(crl_path, ca=ca, serial_numbers=[ben.serial_number])
    revoke(crl_path, ca=ca, serial_numbers=[anna.serial_number, ben.serial_number])
    crl = x509.load_pem_x509_crl(crl_path.read_bytes())
    assert {entry.serial_number for entry in crl} == {ben.serial_number, anna.serial_number}
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 3


def test_existing_pki_is_not_replaced_silently(pki: DevelopmentPki) -> None:
    with pytest.raises(FileExistsError, match="load_development_pki"):
        create_development_pki(pki.directory, users=["x"])
    loaded = load_development_pki(pki.directory)
    assert loaded == pki


def test_overwrite_and_argument_checks(tmp_path: Path) -> None:
    first = create_development_pki(tmp_path, users=[])
    old_ca = first.ca_cert.read_bytes()
    second = create_development_pki(tmp_path, users=["neu"], overwrite=True)
    assert second.ca_cert.read_bytes() != old_ca
    assert list(second.users) == ["neu"]
    with pytest.raises(ValueError, match="file name"):
        create_development_pki(tmp_path / "a", users=["../evil"])
    with pytest.raises(ValueError, match="unique"):
        create_development_pki(tmp_path / "b", users=["x", "x"])
    with pytest.raises(FileNotFoundError):
        load_development_pki(tmp_path / "nothing")


# -- the certificates work for TLS -------------------------------------------------------------


def test_tls_and_user_certificates_pass_webpki_verification(pki: DevelopmentPki) -> None:
    store = Store([_cert(pki.ca_cert)])
    builder = PolicyBuilder().store(store).time(datetime.now(UTC))
    server = builder.build_server_verifier(x509.DNSName("localhost"))
    server.verify(_cert(pki.tls_cert), [])
    ip_server = builder.build_server_verifier(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    ip_server.verify(_cert(pki.tls_cert), [])
    client = builder.build_client_verifier()
    client.verify(_cert(pki.users["anna.schmidt"].cert), [])


def _handshake(server: ssl.SSLContext, client: ssl.SSLContext, host: str) -> ssl.SSLObject:
    """A TLS handshake in memory (no sockets): returns the server side."""
    s_in, s_out, c_in, c_out = (ssl.MemoryBIO() for _ in range(4))
    server_side = server.wrap_bio(s_in, s_out, server_side=True)
    client_side = client.wrap_bio(c_in, c_out, server_hostname=host)
    done = {"server": False, "client": False}
    for _ in range(10):
        for name, side in (("client", client_side), ("server", server_side)):
            if not done[name]:
                try:
                    side.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if all(done.values()):
            break
    # TLS 1.3: the server judges the client certificate after the client finished
    client_side.write(b"ping")
    s_in.write(c_out.read())
    assert server_side.read(4) == b"ping"
    return server_side


def test_tls_handshake_with_client_certificate(pki: DevelopmentPki) -> None:
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(pki.tls_cert, pki.tls_key)
    server.load_verify_locations(pki.ca_cert)
    server.verify_mode = ssl.CERT_REQUIRED
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(pki.ca_cert)
    user = pki.users["anna.schmidt"]
    client.load_cert_chain(user.cert, user.key)

    for host in ("localhost", "127.0.0.1"):
        session = _handshake(server, client, host)
        peer = session.getpeercert()
        assert peer is not None
        assert ((("commonName", "anna.schmidt"),)) in peer["subject"]

    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(server, client, "example.org")
