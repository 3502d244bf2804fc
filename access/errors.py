"""Errors of the access package (authorities, users, certificates, decisions).

One root, :class:`AccessError`; leaves also inherit the fitting built-in so that callers that
do not know this package still handle them sensibly. A "no" from :func:`authorise` is a
:class:`~datenspiegel.access.decision.Decision`, never an exception; :class:`AccessDenied` exists
for callers that prefer to raise it (``Decision.raise_if_denied``), carrying the same code.
"""

from __future__ import annotations

from datenspiegel.store.errors import StoreUnavailable
from datenspiegel.xsd.coded import Code, Coded

__all__ = [
    "AccessDenied",
    "AccessError",
    "AccessStoreUnavailable",
    "CertificateAlreadyBound",
    "DuplicateKennung",
    "InvalidActor",
    "InvalidAudit",
    "InvalidAuthority",
    "InvalidCertificate",
    "InvalidContact",
    "InvalidNetwork",
    "InvalidUser",
    "NotPermitted",
    "UnknownAudit",
    "UnknownAuthority",
    "UnknownUser",
]


class AccessError(Exception):
    """Root of every error of :mod:`datenspiegel.access`."""


class InvalidActor(AccessError, ValueError):
    """A change does not say who makes it, or names them inconsistently."""


class InvalidAuthority(AccessError, ValueError):
    """Registration data of an authority is incomplete or contradictory."""


class InvalidContact(AccessError, ValueError):
    """A telephone number or e-mail address of an authority or a person is malformed."""


class InvalidNetwork(InvalidAuthority):
    """A client network of an authority is malformed, or the allowlist is empty."""


class InvalidUser(AccessError, ValueError):
    """Data of a user is incomplete, contradictory or exceeds the authority's entitlement."""


class InvalidCertificate(AccessError, ValueError):
    """A certificate cannot be bound (e.g. it has already expired)."""


class DuplicateKennung(AccessError, ValueError):
    """An authority or user with this Kennung is already registered."""


class CertificateAlreadyBound(AccessError, ValueError):
    """The certificate is bound to another user: one certificate identifies one user only."""


class UnknownAuthority(AccessError, LookupError):
    """No authority with this id is registered."""


class UnknownUser(AccessError, LookupError):
    """No user with this id is registered."""


class InvalidAudit(AccessError, ValueError):
    """An audit change is incomplete or does not fit the audit's state (a note on a closed
    audit, a deadline in the past, closing with open remedies without saying why)."""


class UnknownAudit(AccessError, LookupError):
    """No audit (or no remedy of that audit) with this id exists."""


class NotPermitted(AccessError, PermissionError):
    """The actor may not make this change (an authority's administrator acts only on the users
    of its own authority, § 39 BMG, Nds. NMeldVO § 26; authority settings are the operator's)."""


class AccessStoreUnavailable(AccessError, StoreUnavailable):
    """The broker-state database cannot be read or written; the caller must fail closed."""


class AccessDenied(AccessError, Coded, PermissionError):
    """A request was not authorised: ``code`` (T070, T080 or a rejection code), the text the
    sender reads, and ``detail`` — the reason, for the protocol only."""

    def __init__(self, code: Code, public: str, *, detail: str | None = None) -> None:
        super().__init__(public, code=code, detail=detail)
        self.reason = detail or public
