"""TLS policy of the listener (DOMAIN.md § 8, BSI TR-02102-2 / TR-03116-4).

TLS 1.2 with ECDHE + AES-GCM only, or TLS 1.3 (whose suites are all AEAD); no compression, no
renegotiation; the server's cipher order wins. Client certificates are optional: when a
``client_ca`` is configured they are required and checked against it.
"""

from __future__ import annotations

from pathlib import Path

from OpenSSL import SSL
from twisted.internet import ssl

from datenspiegel.service.errors import ConfigError

__all__ = ["TLS12_CIPHERS", "tls_context_factory"]

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
        server = ssl.PrivateCertificate.loadPEM(
            _read(certificate, "TLS certificate") + b"\n" + _read(key, "TLS key")
        )
    except Exception as exc:
        raise ConfigError(f"TLS certificate {certificate} or key {key} unusable: {exc}") from None
    ca_certs = None
    if client_ca is not None:
        ca_certs = [ssl.Certificate.loadPEM(_read(client_ca, "client CA")).original]
    options = ssl.CertificateOptions(
        privateKey=server.privateKey.original,
        certificate=server.original,
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
    return options
