"""TLS policy of the listener (DOMAIN.md § 8, BSI TR-02102-2 / TR-03116-4).

TLS 1.2 with ECDHE + AES-GCM only, or TLS 1.3 with its AES-GCM suites; no compression, no
renegotiation; the server's cipher order wins. The certificate file may hold the chain (server
certificate first, then intermediates); all of it is sent. Client certificates are optional: when a
``client_ca`` is configured they are required and checked against it — and against the CRLs of
those CAs (``client_crls``): a revoked client certificate fails the handshake.

:class:`ReloadingTLSContext` gives every new connection the context of the files as they are
now: a replaced certificate, key, client CA or CRL takes effect within ``interval`` seconds,
without a restart; files that do not load keep the previous context in force (logged). What
it holds now (:attr:`ReloadingTLSContext.files`) is what ``/metrics`` reports the expiry of
(service/certificate_expiry.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from OpenSSL import SSL, crypto
from twisted.internet import ssl
from twisted.internet.interfaces import IOpenSSLContextFactory
from zope.interface import implementer

from datenspiegel.service.errors import ConfigError
from datenspiegel.signing.reloading import Reloading

__all__ = [
    "TLS12_CIPHERS",
    "TLS13_CIPHERSUITES",
    "ReloadingTLSContext",
    "TLSFiles",
    "load_tls",
    "tls_context_factory",
]


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


def _signed_by(crl: x509.CertificateRevocationList, ca: x509.Certificate) -> bool:
    key: Any = ca.public_key()
    try:
        return bool(crl.is_signature_valid(key))
    except (TypeError, ValueError):
        return False


def _client_crls(
    ca_certs: Sequence[x509.Certificate], crl_files: Sequence[Path]
) -> list[x509.CertificateRevocationList]:
    """The CRLs of the client CAs; every client CA needs a valid one."""
    crls = []
    for path in crl_files:
        data = _read(path, "CRL")
        try:
            crl = (
                x509.load_pem_x509_crl(data)
                if b"-----BEGIN" in data
                else x509.load_der_x509_crl(data)
            )
        except ValueError as exc:
            raise ConfigError(f"CRL file {path} unusable: {exc}") from None
        crls.append(crl)
    missing = [
        ca.subject.rfc4514_string()
        for ca in ca_certs
        if not any(crl.issuer == ca.subject and _signed_by(crl, ca) for crl in crls)
    ]
    if missing:
        raise ConfigError(
            f"no valid CRL for the client CA(s) {', '.join(missing)} in server.client_crls: "
            "revoked client certificates could not be refused; add each CA's current CRL"
        )
    return crls


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """The listener's context and the certificates and CRLs it was made of."""

    options: ssl.CertificateOptions
    #: the server certificate, then its intermediates, as sent to clients
    chain: tuple[x509.Certificate, ...]
    client_cas: tuple[x509.Certificate, ...] = ()
    client_crls: tuple[x509.CertificateRevocationList, ...] = ()


def tls_context_factory(
    *,
    certificate: Path,
    key: Path,
    client_ca: Path | None = None,
    client_crls: Sequence[Path] = (),
) -> ssl.CertificateOptions:
    """A context factory for ``reactor.listenSSL`` with the policy above."""
    return load_tls(
        certificate=certificate, key=key, client_ca=client_ca, client_crls=client_crls
    ).options


def load_tls(
    *,
    certificate: Path,
    key: Path,
    client_ca: Path | None = None,
    client_crls: Sequence[Path] = (),
) -> TLSFiles:
    """The files read and checked, and the context made of them (the policy above)."""
    try:
        chain = x509.load_pem_x509_certificates(_read(certificate, "TLS certificate"))
        private_key = serialization.load_pem_private_key(_read(key, "TLS key"), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"TLS certificate {certificate} or key {key} unusable: {exc}") from None
    ca_certs = None
    authorities: list[x509.Certificate] = []
    crls: list[x509.CertificateRevocationList] = []
    if client_ca is not None:
        try:
            authorities = x509.load_pem_x509_certificates(_read(client_ca, "client CA"))
        except ValueError as exc:
            raise ConfigError(f"client CA file {client_ca} unusable: {exc}") from None
        # Twisted's trust store takes pyOpenSSL objects (its X509Store API requires them).
        ca_certs = [crypto.X509.from_cryptography(cert) for cert in authorities]
        if client_crls:
            crls = _client_crls(authorities, client_crls)
    elif client_crls:
        raise ConfigError("server.client_crls is set but server.client_ca is not")
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
    if crls:
        store = context.get_cert_store()
        assert store is not None  # verification is on: Twisted filled the store
        for crl in crls:
            store.add_crl(crl)
        store.set_flags(crypto.X509StoreFlags.CRL_CHECK)
    return TLSFiles(options, tuple(chain), tuple(authorities), tuple(crls))


@implementer(IOpenSSLContextFactory)
class ReloadingTLSContext:
    """The listener's context, rebuilt when its files change (checked at most every
    ``interval`` seconds, on the next new connection); thread-safe."""

    def __init__(
        self,
        *,
        certificate: Path,
        key: Path,
        client_ca: Path | None = None,
        client_crls: Sequence[Path] = (),
        interval: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._files = Reloading(
            tuple(p for p in (certificate, key, client_ca, *client_crls) if p is not None),
            lambda: load_tls(
                certificate=certificate, key=key, client_ca=client_ca, client_crls=client_crls
            ),
            what="the TLS certificate, key, client CA or CRLs",
            failures=(ConfigError,),
            interval=interval,
            monotonic=monotonic,
        )

    @property
    def reloads(self) -> int:
        return self._files.reloads

    @property
    def files(self) -> TLSFiles:
        """What the context is made of now (checked for replaced files like a connection)."""
        return self._files.current

    def getContext(self) -> SSL.Context:
        return self._files.current.options.getContext()
