"""Errors of XML-DSig signing, verification and certificate checks.

Every error a *sender* can cause carries the 0910 return-to-sender code
(``Code.Ruecksendung.einer.Nachricht``) in ``code``; the SOAP layer maps it 1:1 into the 0910
answer. Configuration errors of the broker itself carry no code: they are never a client's fault.
"""

from __future__ import annotations

from datenspiegel.xsd.coded import Coded
from datenspiegel.xsd.codelists import Ruecksendung

__all__ = [
    "CertificateExpired",
    "CertificateInvalid",
    "CertificateMissing",
    "CertificateRevoked",
    "MalformedDocument",
    "SignatureInvalid",
    "SignatureMissing",
    "SigningConfigurationError",
    "SigningError",
    "UnsignableDocument",
]


class SigningError(Coded):
    """Root of every error of ``datenspiegel.signing``."""

    #: 0910 return-to-sender code, ``None`` where the fault is not the sender's.
    code: Ruecksendung | None = None


class CertificateExpired(SigningError, ValueError):
    """A certificate of the signer's chain is past its validity period."""

    code = Ruecksendung.T000


class CertificateRevoked(SigningError, ValueError):
    """A certificate of the signer's chain is listed in its issuer's CRL."""

    code = Ruecksendung.T001


class CertificateInvalid(SigningError, ValueError):
    """Not from a trusted anchor, weak key, wrong key usage, not yet valid, unreadable."""

    code = Ruecksendung.T002


class CertificateMissing(SigningError, ValueError):
    """The signature carries no X.509 certificate in ``KeyInfo/X509Data``."""

    code = Ruecksendung.T003


class SignatureMissing(SigningError, ValueError):
    """No signature, or one below the required level (an algorithm outside the allowlist)."""

    code = Ruecksendung.T010


class SignatureInvalid(SigningError, ValueError):
    """The signature does not verify or does not cover exactly the whole document."""

    code = Ruecksendung.T011


class MalformedDocument(SigningError, ValueError):
    """The bytes are not a well-formed XML document we accept (DOCTYPE, entities, syntax)."""

    code = Ruecksendung.X000


class UnsignableDocument(SigningError, ValueError):
    """The broker was asked to sign something it must not sign (e.g. an already signed tree)."""


class SigningConfigurationError(SigningError, ValueError):
    """Key, certificate, CRL or algorithm configuration of the broker is unusable."""
