"""TLS policy of the listener (DOMAIN.md § 8, BSI TR-02102-2 / TR-03116-4).

TLS 1.2 with ECDHE + AES-GCM only, or TLS 1.3 with its AES-GCM suites; no compression, no
renegotiation; the server's cipher order wins. The certificate file may hold the chain (server
certificate first, then intermediates); all of it is sent. Client certificates are optional: when a
``client_ca`` is configured they are required and checked against it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from OpenSSL import SSL, crypto
from twisted.internet import ssl

from datenspiegel.service.errors import ConfigError

__all__ = ["TLS12_CIPHERS", "TLS13_CIPHERSUITES", "tls_context_factory"]

# TR-02102-2 lists the AES-GCM suites for TLS 1.3 (not ChaCha20-Poly1305).
TLS13_CIPHERSUITES = "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256"

TLS12_CIPHERS = ":".join(
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
    )
)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} {path}: {exc.strerror}") from None


def tls_context_factory(
    *, certificate: Path, key: Path, client_ca: Path | None = None
) -> ssl.CertificateOptions:
    """A context factory for ``reactor.listenSSL`` with the policy above."""
    try:
        chain = x509.load_pem_x509_certificates(_read(certificate, "TLS certificate"))
        private_key = serialization.load_pem_private_key(_read(key, "TLS key"), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"TLS certificate {certificate} or key {key} unusable: {exc}") from None
    ca_certs = None
    if client_ca is not None:
        try:
            # Twisted's trust store takes pyOpenSSL objects (its X509Store API requires them).
            ca_certs = [
                crypto.X509.from_cryptography(cert)
                for cert in x509.load_pem_x509_certificates(_read(client_ca, "client CA"))
            ]
        except ValueError as exc:
            raise ConfigError(f"client CA file {client_ca} unusable: {exc}") from None
    # Twisted's hints still name pyOpenSSL's X509/PKey, which pyOpenSSL itself deprecates in
    # favour of the cryptography objects passed here; both are accepted at run time.
    options = ssl.CertificateOptions(
        privateKey=cast(Any, private_key),
        certificate=cast(Any, chain[0]),
        extraCertChain=cast(
            Any, chain[1:]
        ),  # intermediates go to the client with the server certificate
        raiseMinimumTo=ssl.TLSVersion.TLSv1_2,
        acceptableCiphers=ssl.AcceptableCiphers.fromOpenSSLCipherString(TLS12_CIPHERS),
        verify=ca_certs is not None,
        caCerts=ca_certs,
        requireCertificate=ca_certs is not None,
        enableSessions=False,
        fixBrokenPeers=False,
    )
    context = options.getContext()
    context.set_options(SSL.OP_NO_COMPRESSION | SSL.OP_NO_RENEGOTIATION)
    context.set_tls13_ciphersuites(TLS13_CIPHERSUITES.encode())
    return options
