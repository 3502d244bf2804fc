"""When the certificates the service depends on expire, in ``/metrics``.

An expired TLS certificate stops every client, an expired signing certificate makes every
answer unverifiable, an expired trust anchor or a CRL past its ``nextUpdate`` refuses every
user of that CA (0910 T000/T002) — each an outage that is known weeks before. So:

- ``datenspiegel_certificate_not_after_seconds{kind, subject}``: the expiry (Unix time) of the
  service's own certificates and of what it trusts, read from the reloading holders at each
  scrape — a replaced file shows once the holder took it (within its reload interval):
  ``tls`` (the server certificate and the intermediates sent with it), ``signing`` (the
  broker's signing certificate and its chain), ``client_ca`` (``server.client_ca``),
  ``trust_anchor`` (``signing.trust_anchors``), ``crl_next_update`` (the ``nextUpdate`` of the
  CRL in force per issuer, ``signing.crls`` and ``server.client_crls``). ``subject`` is the
  RFC 4514 subject (the issuer for a CRL); of two certificates of one kind under the same
  subject (a CA renewed under its name) the later expiry is shown;
- ``datenspiegel_user_certificates_expiring``: how many certificates bound to registered users
  expire within 30 days (not yet expired) — a count only, their subjects name persons; one
  query of the access registry, refreshed by the worker's periodic task
  (:data:`USER_CERTIFICATE_CHECK_INTERVAL`). ``datenspiegel authority report --check`` names
  them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from cryptography import x509
from prometheus_client.core import GaugeMetricFamily

from datenspiegel.access.errors import AccessError
from datenspiegel.access.store import AccessStore
from datenspiegel.signing import MessageSigner, MessageVerifier, ReloadingSigner, ReloadingVerifier

if TYPE_CHECKING:
    from datenspiegel.service.tls import ReloadingTLSContext

__all__ = [
    "CERTIFICATE_KINDS",
    "USER_CERTIFICATE_CHECK_INTERVAL",
    "CertificateExpiry",
    "ExpiringUserCertificates",
]

#: The ``kind`` label's values.
CERTIFICATE_KINDS: Final = ("tls", "signing", "client_ca", "trust_anchor", "crl_next_update")
#: Seconds between a worker's counts of user certificates about to expire: days matter here.
USER_CERTIFICATE_CHECK_INTERVAL: Final = 3600.0
#: What "expiring soon" means for user certificates.
EXPIRING_WITHIN: Final = timedelta(days=30)

_Expiry = tuple[str, str, datetime]


def _certificates(kind: str, certificates: Iterable[x509.Certificate]) -> Iterator[_Expiry]:
    for certificate in certificates:
        yield kind, certificate.subject.rfc4514_string(), certificate.not_valid_after_utc


def _crls(crls: Iterable[x509.CertificateRevocationList]) -> Iterator[_Expiry]:
    for crl in crls:
        if crl.next_update_utc is not None:
            yield "crl_next_update", crl.issuer.rfc4514_string(), crl.next_update_utc


class CertificateExpiry:
    """The expiry of the service's certificates, trust anchors and CRLs (a Prometheus
    collector; see the module docstring)."""

    def __init__(
        self,
        *,
        signer: MessageSigner | ReloadingSigner,
        verifier: MessageVerifier | ReloadingVerifier,
    ) -> None:
        self._signer = signer
        self._verifier = verifier
        self._tls: ReloadingTLSContext | None = None

    def watch_tls(self, context: ReloadingTLSContext) -> None:
        """The listener's context, once the server made it (service/server.py)."""
        self._tls = context

    def expiries(self) -> dict[tuple[str, str], datetime]:
        """(kind, subject) → not-after (CRLs: next update), the later of equal subjects."""
        found: list[_Expiry] = []
        tls = self._tls
        if tls is not None:
            files = tls.files
            found += _certificates("tls", files.chain)
            found += _certificates("client_ca", files.client_cas)
            found += _crls(files.client_crls)
        found += _certificates("signing", self._signer.identity.certificates)
        trust = self._verifier.trust
        found += _certificates("trust_anchor", trust.anchors)
        found += _crls(trust.crls)
        latest: dict[tuple[str, str], datetime] = {}
        for kind, subject, moment in found:
            key = (kind, subject)
            if key not in latest or moment > latest[key]:
                latest[key] = moment
        return latest

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "datenspiegel_certificate_not_after_seconds",
            "Expiry (Unix time) of the service's certificates and trust anchors, and the "
            "nextUpdate of the CRLs in force",
            labels=["kind", "subject"],
        )
        for (kind, subject), moment in sorted(self.expiries().items()):
            family.add_metric([kind, subject], moment.timestamp())
        yield family


class ExpiringUserCertificates:
    """How many registered user certificates expire soon (a Prometheus collector, refreshed
    by :meth:`refresh` — the worker's periodic task — and on the first scrape)."""

    def __init__(
        self,
        access: AccessStore,
        *,
        clock: Callable[[], datetime],
        within: timedelta = EXPIRING_WITHIN,
    ) -> None:
        self._access = access
        self._clock = clock
        self._within = within
        self._lock = threading.Lock()
        self._count: int | None = None

    def refresh(self) -> int:
        """Count now (raises :class:`AccessError` when the registry cannot be read)."""
        count = self._access.certificates_expiring(self._clock(), within=self._within)
        with self._lock:
            self._count = count
        return count

    def collect(self) -> Iterator[GaugeMetricFamily]:
        count = self._count
        if count is None:
            try:
                count = self.refresh()
            except AccessError:
                return  # /health reports the database; a scrape must not fail because of it
        family = GaugeMetricFamily(
            "datenspiegel_user_certificates_expiring",
            f"Signing certificates bound to registered users that expire within "
            f"{self._within.days} days (not yet expired)",
        )
        family.add_metric([], count)
        yield family
