"""datenspiegel.access — who may ask what.

Registered authorities and their users (§ 39 BMG, Nds. NMeldVO § 26), the users' signing
certificates, blocks, and the authorisation decision for one request.
"""

from datenspiegel.access.decision import AccessRequest, Decision, authorise
from datenspiegel.access.entitlement import (
    FREIE_SUCHE,
    PERSONENSUCHE,
    SERVICES,
    ElementCatalogue,
    RestrictedGroup,
    catalogue,
    entitled_elements,
)
from datenspiegel.access.errors import (
    AccessDenied,
    AccessError,
    AccessStoreUnavailable,
    CertificateAlreadyBound,
    DuplicateKennung,
    InvalidAuthority,
    InvalidCertificate,
    InvalidUser,
    UnknownAuthority,
    UnknownUser,
)
from datenspiegel.access.model import (
    SICHERHEITSBEHOERDE_UNTERTYPEN,
    Authority,
    Behoerdenklasse,
    Principal,
    User,
    UserRole,
)
from datenspiegel.access.store import AccessStore, BoundCertificate, certificate_fingerprint

__all__ = [
    "FREIE_SUCHE",
    "PERSONENSUCHE",
    "SERVICES",
    "SICHERHEITSBEHOERDE_UNTERTYPEN",
    "AccessDenied",
    "AccessError",
    "AccessRequest",
    "AccessStore",
    "AccessStoreUnavailable",
    "Authority",
    "Behoerdenklasse",
    "BoundCertificate",
    "CertificateAlreadyBound",
    "Decision",
    "DuplicateKennung",
    "ElementCatalogue",
    "InvalidAuthority",
    "InvalidCertificate",
    "InvalidUser",
    "Principal",
    "RestrictedGroup",
    "UnknownAuthority",
    "UnknownUser",
    "User",
    "UserRole",
    "authorise",
    "catalogue",
    "certificate_fingerprint",
    "entitled_elements",
]
