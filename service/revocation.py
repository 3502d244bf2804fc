"""Revocation on by default: every trust anchor has its CRL, unless explicitly waived.

A trust anchor without a CRL means its certificates are never checked for revocation — a
stolen user key would stay usable until the certificate expires. ``serve`` therefore refuses to
start with such an anchor unless ``signing.require_crl = false`` is configured, and then says so
in its log at WARNING. A CRL covers an anchor when the CRL's issuer is the anchor's subject and
the anchor's key signed it (development CAs all share one name).
"""

from __future__ import annotations

import logging

from cryptography import x509

from datenspiegel.service.config import SigningConfig, environment_variable
from datenspiegel.service.errors import ConfigError
from datenspiegel.signing import TrustStore, load_pem_certificates
from datenspiegel.signing.certificates import describe_certificate

__all__ = ["check_revocation_coverage"]

log = logging.getLogger(__name__)


def _covers(crl: x509.CertificateRevocationList, anchor: x509.Certificate) -> bool:
    """The CRL is the anchor's: issued under its name and signed with its key (two CAs may
    share a name — every development CA does)."""
    return crl.issuer == anchor.subject and crl.is_signature_valid(
        anchor.public_key()  # type: ignore[arg-type]  # CA keys are RSA or EC (key policy)
    )


def check_revocation_coverage(signing: SigningConfig) -> None:
    """Raise :class:`ConfigError` if a trust anchor has no CRL and ``require_crl`` is on.

    Reads the configured anchor and CRL files (unreadable ones raise the signing package's
    ``SigningConfigurationError``); call it once at start, before serving.
    """
    crls = TrustStore.from_pem_files(signing.trust_anchors, crl_files=signing.crls).crls
    uncovered = [
        f"{describe_certificate(anchor)} in {path}"
        for path in signing.trust_anchors
        for anchor in load_pem_certificates(path)
        if not any(_covers(crl, anchor) for crl in crls)
    ]
    waiver = f"signing.require_crl = false ({environment_variable('signing', 'require_crl')})"
    if signing.require_crl:
        if uncovered:
            raise ConfigError(
                f"no CRL in signing.crls for trust anchor {'; '.join(uncovered)}: its "
                "certificates could not be checked for revocation. Add the CA's CRL to "
                f"signing.crls, or set {waiver} to run without revocation checks "
                "(not for production)"
            )
        return
    if uncovered:
        log.warning(
            "%s: certificates of trust anchor %s are NOT checked for revocation (no CRL in "
            "signing.crls); not for production",
            waiver,
            "; ".join(uncovered),
        )
    else:
        log.warning(
            "%s: a trust anchor without a CRL would be accepted (every configured anchor has "
            "one now); not for production",
            waiver,
        )
