"""Trust anchors, intermediates and CRLs; the certificate check behind every verification.

The checks are explicit rather than delegated to ``cryptography.x509.verification``: its
WebPKI policy cannot chain brainpool keys (which TR-03116-4 requires us to accept) and it
reports every failure as one ``VerificationError`` string, while the 0910 answer has to tell
expired (T000), revoked (T001) and invalid (T002) apart. Signatures are still verified by
``cryptography`` (``verify_directly_issued_by``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtensionOID

from datenspiegel.signing.algorithms import key_policy_violation
from datenspiegel.signing.certificates import describe_certificate, load_pem_certificates
from datenspiegel.signing.errors import (
    CertificateExpired,
    CertificateInvalid,
    CertificateRevoked,
    SigningConfigurationError,
)

__all__ = ["TrustStore"]

#: Extensions whose meaning we either check or that carry no constraint for us; any other
#: extension marked critical makes the certificate unusable (RFC 5280 § 4.2).
_UNDERSTOOD_EXTENSIONS = frozenset(
    {
        ExtensionOID.BASIC_CONSTRAINTS,
        ExtensionOID.KEY_USAGE,
        ExtensionOID.EXTENDED_KEY_USAGE,
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
        ExtensionOID.SUBJECT_KEY_IDENTIFIER,
        ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
        ExtensionOID.CRL_DISTRIBUTION_POINTS,
        ExtensionOID.CERTIFICATE_POLICIES,
        ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
    }
)
_ALLOWED_CERT_HASHES = (hashes.SHA256, hashes.SHA384, hashes.SHA512)
_MAX_INTERMEDIATES = 5
_EDGE_MEMO_SIZE = 10_000
#: Default of ``TrustStore.check(max_path_checks=…)``: a real path needs one check per link.
DEFAULT_MAX_PATH_CHECKS = 16

_Ext = TypeVar("_Ext", bound=x509.ExtensionType)


def _extension(cert: x509.Certificate, kind: type[_Ext]) -> _Ext | None:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _is_ca(cert: x509.Certificate) -> bool:
    constraints = _extension(cert, x509.BasicConstraints)
    return constraints is not None and constraints.ca


class _Known(NamedTuple):
    """A certificate with its SHA-256 fingerprint, computed once (re-encoding is the cost)."""

    cert: x509.Certificate
    fingerprint: bytes


def _known(cert: x509.Certificate) -> _Known:
    return _Known(cert, cert.fingerprint(hashes.SHA256()))


def _unhandled_critical(cert: x509.Certificate) -> str | None:
    for ext in cert.extensions:
        if ext.critical and ext.oid not in _UNDERSTOOD_EXTENSIONS:
            return ext.oid.dotted_string
    return None


def _may_have_issued(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """The cheap filter before any signature check: ``cert`` names ``issuer`` as its issuer
    and, where both carry one, its authority key identifier is the issuer's subject key
    identifier. Never a reason to accept — only to skip a costly verification."""
    if cert.issuer != issuer.subject:
        return False
    authority = _extension(cert, x509.AuthorityKeyIdentifier)
    subject = _extension(issuer, x509.SubjectKeyIdentifier)
    if authority is None or authority.key_identifier is None or subject is None:
        return True
    return authority.key_identifier == subject.digest


def _usable_intermediate(cert: x509.Certificate) -> bool:
    return (
        _is_ca(cert)
        and _unhandled_critical(cert) is None
        and key_policy_violation(cert.public_key()) is None
    )


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """The issuer's key really signed ``cert`` (names already matched)."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


class _CheckBudget:
    """Counts the issuer candidates one path search may try (each one a signature check).

    An attacker's certificates can all claim to issue one another; a search that is linear
    in the certificates (each used once) still costs a verification per candidate, so the
    number of candidates is capped too.
    """

    __slots__ = ("_left", "_limit", "_signer")

    def __init__(self, limit: int, signer: x509.Certificate) -> None:
        self._left = self._limit = limit
        self._signer = signer

    def spend(self) -> None:
        if self._left <= 0:
            raise CertificateInvalid(
                f"certificate path building exceeded its limit of {self._limit} signature "
                f"checks for signer certificate {describe_certificate(self._signer)}; send "
                "the signer certificate and its intermediates only"
            )
        self._left -= 1


class _Describe:
    """Formats a certificate for a message only when the message is built (it is costly)."""

    __slots__ = ("_cert",)

    def __init__(self, cert: x509.Certificate) -> None:
        self._cert = cert

    def __str__(self) -> str:
        return describe_certificate(self._cert)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _load_crl(path: Path) -> x509.CertificateRevocationList:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningConfigurationError(f"cannot read CRL file {path}: {exc}") from exc
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise SigningConfigurationError(
            f"{path} is not a readable CRL (PEM or DER): {exc}"
        ) from exc


@dataclass(frozen=True, slots=True)
class TrustStore:
    """Configured trust anchors, optional intermediates and CRLs.

    ``anchors`` are trusted as they are (their own signature is not checked); intermediates
    only help to build a path to an anchor. Every CRL must be signed by one of the configured
    certificates; for an issuer with a CRL the newest CRL is consulted and must be current.
    With ``require_crl`` every anchor must have its CRL (the broker's default: without one a
    stolen user key stays usable until its certificate expires).
    """

    anchors: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    require_crl: bool = False
    # Derived at construction: the newest verified CRL per configured CA; anchors and usable
    # intermediates with their fingerprints; a memo of checked (certificate, issuer)
    # signatures, failed ones included — a certificate's signature under a given issuer never
    # changes, and re-verifying P-384 signatures per request costs ~0.5 ms each. The memo is
    # keyed by SHA-256 fingerprints: a sender's certificates can be large (up to a request's
    # size), and the memo must not keep them alive.
    _crl_by_issuer: dict[x509.Certificate, x509.CertificateRevocationList] = field(
        init=False, repr=False, compare=False
    )
    _known_anchors: tuple[_Known, ...] = field(init=False, repr=False, compare=False)
    _known_intermediates: tuple[_Known, ...] = field(init=False, repr=False, compare=False)
    _checked_edges: dict[tuple[bytes, bytes], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.anchors:
            raise SigningConfigurationError("a trust store needs at least one trust anchor")
        for cert in (*self.anchors, *self.intermediates):
            if not _is_ca(cert):
                raise SigningConfigurationError(
                    f"{describe_certificate(cert)} is not a CA certificate "
                    "(basicConstraints cA=true); only CA certificates can be anchors or "
                    "intermediates"
                )
            problem = key_policy_violation(cert.public_key())
            if problem is not None:
                raise SigningConfigurationError(f"{describe_certificate(cert)}: {problem}")
        crl_by_issuer: dict[x509.Certificate, x509.CertificateRevocationList] = {}
        for crl in self.crls:
            issuer = next(
                (
                    ca
                    for ca in (*self.anchors, *self.intermediates)
                    if crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key())  # type: ignore[arg-type]
                ),
                None,
            )
            if issuer is None:
                raise SigningConfigurationError(
                    f"the CRL of {crl.issuer.rfc4514_string()!r} is not signed by any configured "
                    "CA certificate; configure its CA or drop the CRL"
                )
            known = crl_by_issuer.get(issuer)
            if known is None or crl.last_update_utc > known.last_update_utc:
                crl_by_issuer[issuer] = crl
        if self.require_crl:
            uncovered = [describe_certificate(a) for a in self.anchors if a not in crl_by_issuer]
            if uncovered:
                raise SigningConfigurationError(
                    f"no CRL for trust anchor {'; '.join(uncovered)}: revocation could not be "
                    "checked; install its CRL (or waive with signing.require_crl = false)"
                )
        object.__setattr__(self, "_crl_by_issuer", crl_by_issuer)
        known_anchors = tuple(_known(c) for c in self.anchors)
        anchor_prints = {a.fingerprint for a in known_anchors}
        known_intermediates = tuple(
            k
            for k in map(_known, self.intermediates)
            if k.fingerprint not in anchor_prints and _usable_intermediate(k.cert)
        )
        object.__setattr__(self, "_known_anchors", known_anchors)
        object.__setattr__(self, "_known_intermediates", known_intermediates)
        object.__setattr__(self, "_checked_edges", {})

    @classmethod
    def from_pem_files(
        cls,
        ca_files: Sequence[Path],
        *,
        intermediate_files: Sequence[Path] = (),
        crl_files: Sequence[Path] = (),
        require_crl: bool = False,
    ) -> TrustStore:
        """Anchors from ``ca_files`` (every certificate in them is trusted), intermediates and
        CRLs (PEM or DER) from the other files."""
        anchors = [c for path in ca_files for c in load_pem_certificates(Path(path))]
        intermediates = [
            c for path in intermediate_files for c in load_pem_certificates(Path(path))
        ]
        crls = [_load_crl(Path(path)) for path in crl_files]
        return cls(
            anchors=tuple(anchors),
            intermediates=tuple(intermediates),
            crls=tuple(crls),
            require_crl=require_crl,
        )

    def check(
        self,
        cert: x509.Certificate,
        *,
        at: datetime,
        intermediates: Iterable[x509.Certificate] = (),
        max_path_checks: int = DEFAULT_MAX_PATH_CHECKS,
    ) -> None:
        """Raise unless ``cert`` may sign messages at ``at``.

        ``intermediates`` are untrusted helpers (e.g. from the message's ``KeyInfo``).
        Checks in this order: key policy and usage of the signer certificate (T002), a path to
        an anchor with verified signatures and CA constraints (T002), validity periods of the
        whole path (T000 expired, T002 not yet valid), revocation by CRL (T001). The path
        search tries at most ``max_path_checks`` issuer candidates (T002 beyond that).
        """
        if at.tzinfo is None:
            raise ValueError("TrustStore.check needs a timezone-aware 'at'")
        self._check_signer(cert)
        path = self._build_path(
            cert, tuple(intermediates), budget=_CheckBudget(max_path_checks, cert)
        )
        for member in path[1:-1]:
            self._check_certificate_signature_hash(member)
        for index, member in enumerate(path):
            self._check_validity(member, at=at, is_signer=index == 0)
        for child, issuer in itertools.pairwise(path):
            self._check_revocation(child, issuer, at=at)

    # -- the signer certificate -------------------------------------------------------------

    def _check_signer(self, cert: x509.Certificate) -> None:
        who = _Describe(cert)
        problem = key_policy_violation(cert.public_key())
        if problem is not None:
            raise CertificateInvalid(f"signer certificate {who}: {problem}")
        self._check_certificate_signature_hash(cert)
        critical = _unhandled_critical(cert)
        if critical is not None:
            raise CertificateInvalid(
                f"signer certificate {who} has an unsupported critical extension {critical}"
            )
        if _is_ca(cert):
            raise CertificateInvalid(
                f"signer certificate {who} is a CA certificate; sign with a personal "
                "signing certificate"
            )
        usage = _extension(cert, x509.KeyUsage)
        if usage is None:
            raise CertificateInvalid(
                f"signer certificate {who} has no keyUsage extension; a signing certificate "
                "needs digitalSignature or nonRepudiation"
            )
        if not (usage.digital_signature or usage.content_commitment):
            raise CertificateInvalid(
                f"signer certificate {who} is not issued for signatures (keyUsage lacks "
                "digitalSignature and nonRepudiation); request a signing certificate"
            )

    @staticmethod
    def _check_certificate_signature_hash(cert: x509.Certificate) -> None:
        if not isinstance(cert.signature_hash_algorithm, _ALLOWED_CERT_HASHES):
            name = getattr(cert.signature_hash_algorithm, "name", "unknown")
            raise CertificateInvalid(
                f"certificate {describe_certificate(cert)} is signed with hash {name}; "
                "only SHA-256, SHA-384 or SHA-512 are accepted"
            )

    # -- path to an anchor --------------------------------------------------------------------

    def _build_path(
        self,
        cert: x509.Certificate,
        presented: tuple[x509.Certificate, ...],
        *,
        budget: _CheckBudget,
    ) -> list[x509.Certificate]:
        """Breadth first from ``cert`` towards an anchor, each intermediate used at most once.

        Breadth first reaches every certificate first by its shortest path — the one that
        satisfies the most pathLen constraints — so marking it used loses no valid path, and
        the search is linear in the certificates: a sender's CA certificates that all issue
        one another (same name, same key) no longer make it explore every ordering.
        """
        anchor_prints = {a.fingerprint for a in self._known_anchors}
        helpers = {k.fingerprint: k for k in self._known_intermediates}
        for known in map(_known, presented):
            if known.fingerprint not in anchor_prints and _usable_intermediate(known.cert):
                helpers.setdefault(known.fingerprint, known)
        used: set[bytes] = set()
        frontier = [[_known(cert)]]
        for below in range(_MAX_INTERMEDIATES + 1):
            reached: list[list[_Known]] = []
            for path in frontier:
                current = path[-1]
                for anchor in self._known_anchors:
                    if self._issues(anchor, current, below=below, budget=budget):
                        return [k.cert for k in (*path, anchor)]
                if below == _MAX_INTERMEDIATES:
                    continue
                for helper in helpers.values():
                    if helper.fingerprint not in used and self._issues(
                        helper, current, below=below, budget=budget
                    ):
                        used.add(helper.fingerprint)
                        reached.append([*path, helper])
            frontier = reached
        raise CertificateInvalid(
            f"signer certificate {describe_certificate(cert)} is not issued by a trusted CA "
            f"(issuer {cert.issuer.rfc4514_string()!r}); use a certificate of the "
            "configured PKI"
        )

    def _issues(self, ca: _Known, child: _Known, *, below: int, budget: _CheckBudget) -> bool:
        """``ca`` may issue with ``below`` intermediates under it and did sign ``child``."""
        if not (_may_have_issued(child.cert, ca.cert) and self._can_issue(ca.cert, below=below)):
            return False
        budget.spend()  # counted memo or not, so the outcome never depends on the memo
        edge = (child.fingerprint, ca.fingerprint)
        known = self._checked_edges.get(edge)
        if known is not None:
            return known
        issued = _issued_by(child.cert, ca.cert)
        if len(self._checked_edges) >= _EDGE_MEMO_SIZE:
            self._checked_edges.clear()  # crude bound; refilling costs one verify per edge
        self._checked_edges[edge] = issued
        return issued

    @staticmethod
    def _can_issue(ca: x509.Certificate, *, below: int) -> bool:
        """CA flag, keyCertSign (when keyUsage is present) and pathLen for ``below``
        intermediate CAs between this CA and the signer certificate."""
        constraints = _extension(ca, x509.BasicConstraints)
        if constraints is None or not constraints.ca:
            return False
        path_length = constraints.path_length
        if path_length is not None and below > path_length:
            return False
        usage = _extension(ca, x509.KeyUsage)
        return usage is None or usage.key_cert_sign

    # -- validity and revocation --------------------------------------------------------------

    @staticmethod
    def _check_validity(cert: x509.Certificate, *, at: datetime, is_signer: bool) -> None:
        role = "signer certificate" if is_signer else "CA certificate"
        who = _Describe(cert)
        if at < cert.not_valid_before_utc:
            raise CertificateInvalid(
                f"{role} {who} is not valid before {cert.not_valid_before_utc.isoformat()} "
                f"(checked at {at.isoformat()}); check the clock or wait"
            )
        if at > cert.not_valid_after_utc:
            raise CertificateExpired(
                f"{role} {who} expired on {cert.not_valid_after_utc.isoformat()} "
                f"(checked at {at.isoformat()}); renew the certificate"
            )

    def _crl_for(self, issuer: x509.Certificate) -> x509.CertificateRevocationList | None:
        return self._crl_by_issuer.get(issuer)

    def _check_revocation(
        self, cert: x509.Certificate, issuer: x509.Certificate, *, at: datetime
    ) -> None:
        crl = self._crl_for(issuer)
        if crl is None:
            return
        next_update = crl.next_update_utc
        if next_update is not None and at > next_update:
            # Fail closed: with a stale CRL we cannot know whether the certificate was revoked.
            raise CertificateInvalid(
                f"revocation status of {describe_certificate(cert)} is unknown: the CRL of "
                f"{issuer.subject.rfc4514_string()!r} expired on {next_update.isoformat()}; "
                "the operator must install a current CRL"
            )
        revoked = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if revoked is not None:
            raise CertificateRevoked(
                f"certificate {describe_certificate(cert)} was revoked on "
                f"{revoked.revocation_date_utc.isoformat()}; request a new certificate"
            )
