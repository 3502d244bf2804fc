"""Development PKI: a CA, TLS, broker and user certificates, CRLs — for ``make run`` and tests.

Never for production: the CA key lies unencrypted next to the certificates. Production
certificates come from the state PKI; the broker only reads them (``SigningIdentity``,
``TrustStore``).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from datenspiegel.signing.certificates import load_pem_certificates
from datenspiegel.signing.errors import SigningConfigurationError
from datenspiegel.signing.keys import PrivateKey, SigningIdentity
from datenspiegel.signing.trust import TrustStore

__all__ = [
    "USER_URN_PREFIX",
    "CertificateFiles",
    "CertificateProfile",
    "DevelopmentPki",
    "IssuedCertificate",
    "KeyKind",
    "create_crl",
    "create_development_pki",
    "generate_private_key",
    "issue_certificate",
    "load_development_pki",
    "load_issuer",
    "revoke",
    "write_certificates",
    "write_private_key",
]

ORGANIZATION = "datenspiegel Entwicklungs-PKI (nicht produktiv)"
CA_VALIDITY = timedelta(days=5 * 365 + 1)
LEAF_VALIDITY = timedelta(days=2 * 365)
#: Certificates start slightly in the past so that a client clock a little behind still works.
_BACKDATE = timedelta(minutes=5)
#: Development user certificates name their user as URI SAN ``urn:datenspiegel:user:<name>``.
USER_URN_PREFIX = "urn:datenspiegel:user:"
_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class KeyKind(Enum):
    EC_P256 = "ec-p256"
    EC_P384 = "ec-p384"
    EC_P521 = "ec-p521"
    EC_BRAINPOOL_P256 = "ec-brainpoolP256r1"
    RSA_2048 = "rsa-2048"  # below policy: exists so tests can show it is refused
    RSA_3072 = "rsa-3072"
    RSA_4096 = "rsa-4096"


class CertificateProfile(Enum):
    CA = "ca"
    TLS_SERVER = "tls-server"
    SIGNING = "signing"  # the broker's answer signatures: digitalSignature only
    USER = "user"  # a user's request signatures, also usable as TLS client certificate
    #: a key records are sealed to (keyAgreement for EC, keyEncipherment for RSA), e.g. a
    #: security authority's protocol key (§ 40 Abs. 3 BMG, protocol/sealed.py)
    ENCRYPTION = "encryption"


class CertificateFiles(NamedTuple):
    cert: Path
    key: Path


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    certificate: x509.Certificate
    private_key: PrivateKey = field(repr=False)

    @property
    def serial_number(self) -> int:
        return self.certificate.serial_number

    def write(self, cert_path: Path, key_path: Path) -> CertificateFiles:
        write_certificates(cert_path, self.certificate)
        write_private_key(key_path, self.private_key)
        return CertificateFiles(Path(cert_path), Path(key_path))

    def signing_identity(self) -> SigningIdentity:
        return SigningIdentity(private_key=self.private_key, certificate=self.certificate)


def generate_private_key(kind: KeyKind = KeyKind.EC_P256) -> PrivateKey:
    curves: dict[KeyKind, ec.EllipticCurve] = {
        KeyKind.EC_P256: ec.SECP256R1(),
        KeyKind.EC_P384: ec.SECP384R1(),
        KeyKind.EC_P521: ec.SECP521R1(),
        KeyKind.EC_BRAINPOOL_P256: ec.BrainpoolP256R1(),
    }
    if kind in curves:
        return ec.generate_private_key(curves[kind])
    bits = int(kind.value.split("-")[1])
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _hash_for(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384 | hashes.SHA512:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
        return hashes.SHA384() if key.curve.key_size <= 384 else hashes.SHA512()
    return hashes.SHA256()


def _key_usage(profile: CertificateProfile, key: PrivateKey) -> x509.KeyUsage:
    is_ca = profile is CertificateProfile.CA
    encryption = profile is CertificateProfile.ENCRYPTION
    is_rsa = isinstance(key, rsa.RSAPrivateKey)
    return x509.KeyUsage(
        digital_signature=not is_ca and not encryption,
        content_commitment=False,
        # RSA TLS key exchange needs keyEncipherment; ECDHE with ECDSA does not.
        key_encipherment=(profile is CertificateProfile.TLS_SERVER or encryption) and is_rsa,
        data_encipherment=False,
        key_agreement=encryption and not is_rsa,
        key_cert_sign=is_ca,
        crl_sign=is_ca,
        encipher_only=False,
        decipher_only=False,
    )


def _san(hosts: Sequence[str], uris: Sequence[str]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = [x509.UniformResourceIdentifier(uri) for uri in uris]
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def issue_certificate(
    common_name: str,
    *,
    profile: CertificateProfile,
    issuer: IssuedCertificate | None = None,
    private_key: PrivateKey | None = None,
    not_before: datetime | None = None,
    validity: timedelta | None = None,
    hosts: Sequence[str] = (),
    uris: Sequence[str] = (),
    serial_number: int | None = None,
    key_usage: x509.KeyUsage | None = None,
    path_length: int | None = None,
    organization: str = ORGANIZATION,
) -> IssuedCertificate:
    """Issue one certificate; ``issuer=None`` makes it self-signed.

    Defaults: a fresh P-256 key (P-384 for a CA), valid from five minutes ago for two years
    (five for a CA). Tests pass ``private_key``, ``not_before``/``validity`` or ``key_usage``
    to make the certificates the verifier must refuse (RSA-2048, expired, wrong usage, …).
    """
    is_ca = profile is CertificateProfile.CA
    key = private_key or generate_private_key(KeyKind.EC_P384 if is_ca else KeyKind.EC_P256)
    start = not_before or (datetime.now(UTC) - _BACKDATE)
    lifetime = validity or (CA_VALIDITY if is_ca else LEAF_VALIDITY)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    signer_key = issuer.private_key if issuer is not None else key
    issuer_name = issuer.certificate.subject if issuer is not None else subject
    issuer_public = signer_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial_number or x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + lifetime)
        .add_extension(
            x509.BasicConstraints(ca=is_ca, path_length=path_length if is_ca else None),
            critical=True,
        )
        .add_extension(key_usage or _key_usage(profile, key), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
        )
    )
    if profile is CertificateProfile.TLS_SERVER:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    elif profile is CertificateProfile.USER:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    if hosts or uris:
        builder = builder.add_extension(_san(hosts, uris), critical=False)
    certificate = builder.sign(signer_key, _hash_for(signer_key))
    return IssuedCertificate(certificate=certificate, private_key=key)


def write_certificates(path: Path, *certificates: x509.Certificate) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates))
    return path


def write_private_key(path: Path, key: PrivateKey, *, password: bytes | None = None) -> Path:
    """PKCS#8 PEM, created with mode 0600 (never world-readable, not even briefly)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the file may have existed with a wider mode
        os.write(fd, data)
    finally:
        os.close(fd)
    return path


def load_issuer(cert_path: Path, key_path: Path) -> IssuedCertificate:
    """A CA (or any certificate) with its key, e.g. the development CA for ``revoke``."""
    identity_key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
    if not isinstance(identity_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningConfigurationError(f"{key_path} is neither an RSA nor an EC key")
    return IssuedCertificate(
        certificate=load_pem_certificates(Path(cert_path))[0], private_key=identity_key
    )


def create_crl(
    ca: IssuedCertificate,
    revoked: Mapping[int, datetime] | Iterable[int] = (),
    *,
    at: datetime | None = None,
    validity: timedelta = timedelta(days=365),
    crl_number: int = 1,
) -> x509.CertificateRevocationList:
    """A CRL of ``ca`` listing ``revoked`` serials (optionally with their revocation dates)."""
    now = at or datetime.now(UTC)
    dates: Mapping[int, datetime] = (
        revoked if isinstance(revoked, Mapping) else dict.fromkeys(revoked, now)
    )
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - _BACKDATE)
        .next_update(now + validity)
        .add_extension(x509.CRLNumber(crl_number), critical=False)
    )
    for serial, when in sorted(dates.items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca.private_key, _hash_for(ca.private_key))


def revoke(
    crl_path: Path,
    *,
    ca: IssuedCertificate,
    serial_numbers: Iterable[int],
    at: datetime | None = None,
    validity: timedelta = timedelta(days=365),
) -> Path:
    """Write ``crl_path`` listing ``serial_numbers`` in addition to what it already lists."""
    crl_path = Path(crl_path)
    now = at or datetime.now(UTC)
    revoked: dict[int, datetime] = {}
    number = 1
    if crl_path.exists():
        old = x509.load_pem_x509_crl(crl_path.read_bytes())
        if old.issuer == ca.certificate.subject:
            revoked = {entry.serial_number: entry.revocation_date_utc for entry in old}
            try:
                number = old.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number + 1
            except x509.ExtensionNotFound:
                number = 2
    for serial in serial_numbers:
        revoked.setdefault(serial, now)
    crl = create_crl(ca, revoked, at=now, validity=validity, crl_number=number)
    crl_path.parent.mkdir(parents=True, exist_ok=True)
    crl_path.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    return crl_path


@dataclass(frozen=True, slots=True)
class DevelopmentPki:
    """Paths of a development PKI written by ``create_development_pki``."""

    directory: Path
    ca_cert: Path
    ca_key: Path
    crl: Path
    tls_cert: Path
    tls_key: Path
    broker_cert: Path
    broker_key: Path
    users: Mapping[str, CertificateFiles]

    def load_ca(self) -> IssuedCertificate:
        return load_issuer(self.ca_cert, self.ca_key)

    def trust_store(self) -> TrustStore:
        return TrustStore.from_pem_files([self.ca_cert], crl_files=[self.crl])

    def broker_identity(self) -> SigningIdentity:
        return SigningIdentity.from_pem_files(self.broker_key, self.broker_cert)

    def user_identity(self, user: str) -> SigningIdentity:
        files = self.users[user]
        return SigningIdentity.from_pem_files(files.key, files.cert)


def _layout(directory: Path, users: Iterable[str]) -> DevelopmentPki:
    user_dir = directory / "users"
    return DevelopmentPki(
        directory=directory,
        ca_cert=directory / "ca-cert.pem",
        ca_key=directory / "ca-key.pem",
        crl=directory / "ca-crl.pem",
        tls_cert=directory / "tls-cert.pem",
        tls_key=directory / "tls-key.pem",
        broker_cert=directory / "broker-cert.pem",
        broker_key=directory / "broker-key.pem",
        users=MappingProxyType(
            {
                name: CertificateFiles(user_dir / f"{name}-cert.pem", user_dir / f"{name}-key.pem")
                for name in users
            }
        ),
    )


def create_development_pki(
    directory: Path,
    *,
    users: Sequence[str],
    tls_hosts: Sequence[str] = ("localhost", "127.0.0.1"),
    overwrite: bool = False,
    signing_key: KeyKind = KeyKind.EC_P256,
) -> DevelopmentPki:
    """Write a complete development PKI into ``directory`` and return its paths.

    CA: ECDSA P-384, 5 years. TLS server (P-256, SAN ``tls_hosts``, serverAuth), broker
    signing (digitalSignature), one signing certificate per user (digitalSignature and
    clientAuth, so it also serves as TLS client certificate), an empty CRL valid as long as
    the CA. The broker's and the users' keys are of kind ``signing_key`` (P-256 unless told,
    e.g. RSA-3072 for the RSA signature profile). Keys are written with mode 0600. An existing
    PKI is never replaced silently.
    """
    names = list(users)
    for name in names:
        if not _USER_NAME.match(name):
            raise ValueError(
                f"user name {name!r} cannot become a file name; use letters, digits and . _ @ -"
            )
    if len(set(names)) != len(names):
        raise ValueError("user names must be unique")
    if not tls_hosts:
        raise ValueError("tls_hosts needs at least one host name or address")
    directory = Path(directory)
    pki = _layout(directory, names)
    if pki.ca_cert.exists() and not overwrite:
        raise FileExistsError(
            f"{pki.ca_cert} exists; load it with load_development_pki() or pass overwrite=True"
        )
    directory.mkdir(parents=True, exist_ok=True)

    ca = issue_certificate("datenspiegel Entwicklungs-CA", profile=CertificateProfile.CA)
    ca.write(pki.ca_cert, pki.ca_key)
    tls = issue_certificate(
        tls_hosts[0], profile=CertificateProfile.TLS_SERVER, issuer=ca, hosts=tls_hosts
    )
    tls.write(pki.tls_cert, pki.tls_key)
    broker = issue_certificate(
        "datenspiegel Vermittlungsstelle",
        profile=CertificateProfile.SIGNING,
        issuer=ca,
        private_key=generate_private_key(signing_key),
    )
    broker.write(pki.broker_cert, pki.broker_key)
    for name, files in pki.users.items():
        # A SAN is required of TLS client certificates by WebPKI-style verifiers.
        issue_certificate(
            name,
            profile=CertificateProfile.USER,
            issuer=ca,
            private_key=generate_private_key(signing_key),
            uris=[f"{USER_URN_PREFIX}{name}"],
        ).write(*files)
    # The development CRL lives as long as the CA, so a demo set-up never goes stale.
    revoke(pki.crl, ca=ca, serial_numbers=(), validity=CA_VALIDITY)
    return pki


def load_development_pki(directory: Path) -> DevelopmentPki:
    """The paths of a PKI written earlier by ``create_development_pki``."""
    directory = Path(directory)
    user_dir = directory / "users"
    names = (
        sorted(p.name.removesuffix("-cert.pem") for p in user_dir.glob("*-cert.pem"))
        if user_dir.is_dir()
        else []
    )
    pki = _layout(directory, names)
    for path in (
        pki.ca_cert,
        pki.ca_key,
        pki.crl,
        pki.tls_cert,
        pki.tls_key,
        pki.broker_cert,
        pki.broker_key,
    ):
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing; create the PKI with create_development_pki({directory!s})"
            )
    return pki
