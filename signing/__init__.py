"""XML-DSig signing and verification, certificate checks and the development PKI.

``MessageSigner`` signs the broker's answers, ``MessageVerifier`` verifies requests against a
``TrustStore``; both are built once at start-up and shared between threads. A
``VerificationPolicy`` bounds the work an unauthenticated sender can cause before the signature
is checked (certificates in ``KeyInfo``, path-building attempts). Every error is a
``SigningError`` whose ``code`` is the 0910 return-to-sender code (T000–T011, X000).
"""

import logging

from datenspiegel.signing.algorithms import (
    C14N_EXCLUSIVE,
    DigestAlgorithm,
    SignatureAlgorithm,
    key_policy_violation,
)
from datenspiegel.signing.certificates import certificate_fingerprint, load_pem_certificates
from datenspiegel.signing.errors import (
    CertificateExpired,
    CertificateInvalid,
    CertificateMissing,
    CertificateRevoked,
    MalformedDocument,
    SignatureInvalid,
    SignatureMissing,
    SigningConfigurationError,
    SigningError,
    UnsignableDocument,
)
from datenspiegel.signing.keys import PrivateKey, SigningIdentity
from datenspiegel.signing.pki import (
    CertificateFiles,
    CertificateProfile,
    DevelopmentPki,
    IssuedCertificate,
    KeyKind,
    create_development_pki,
    issue_certificate,
    load_development_pki,
    revoke,
)
from datenspiegel.signing.reloading import Reloading, ReloadingSigner, ReloadingVerifier
from datenspiegel.signing.signer import MessageSigner
from datenspiegel.signing.trust import TrustStore
from datenspiegel.signing.verifier import (
    MessageVerifier,
    VerificationPolicy,
    VerifiedMessage,
    now_utc,
)

# signxml logs every canonicalised document — whole messages with personal data — at DEBUG.
# A broker started with debug logging must not write them: its loggers stop at WARNING.
logging.getLogger("signxml").setLevel(logging.WARNING)

__all__ = [
    "C14N_EXCLUSIVE",
    "CertificateExpired",
    "CertificateFiles",
    "CertificateInvalid",
    "CertificateMissing",
    "CertificateProfile",
    "CertificateRevoked",
    "DevelopmentPki",
    "DigestAlgorithm",
    "IssuedCertificate",
    "KeyKind",
    "MalformedDocument",
    "MessageSigner",
    "MessageVerifier",
    "PrivateKey",
    "Reloading",
    "ReloadingSigner",
    "ReloadingVerifier",
    "SignatureAlgorithm",
    "SignatureInvalid",
    "SignatureMissing",
    "SigningConfigurationError",
    "SigningError",
    "SigningIdentity",
    "TrustStore",
    "UnsignableDocument",
    "VerificationPolicy",
    "VerifiedMessage",
    "certificate_fingerprint",
    "create_development_pki",
    "issue_certificate",
    "key_policy_violation",
    "load_development_pki",
    "load_pem_certificates",
    "now_utc",
    "revoke",
]
