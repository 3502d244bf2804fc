"""datenspiegel.access — who may ask what.

Registered authorities and their users (§ 39 BMG, Nds. NMeldVO § 26), the users' signing
certificates, client networks, blocks and their history, the log of administrative changes,
and the authorisation decision for one request.
"""

from datenspiegel.access.admin_log import SYSTEM, Action, Actor, ActorKind, AdminEvent
from datenspiegel.access.decision import AccessRequest, Decision, authorise
from datenspiegel.access.entitlement import (
    ADMINISTRATION,
    FAELLE,
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
    InvalidActor,
    InvalidAuthority,
    InvalidCertificate,
    InvalidContact,
    InvalidNetwork,
    InvalidUser,
    NotPermitted,
    UnknownAuthority,
    UnknownUser,
)
from datenspiegel.access.model import (
    SICHERHEITSBEHOERDE_UNTERTYPEN,
    Authority,
    Behoerdenklasse,
    Hauptadministrator,
    Kontakt,
    Principal,
    User,
    UserRole,
)
from datenspiegel.access.networks import (
    ALLE_NETZE,
    IPNetwork,
    adresse_in_netzen,
    parse_netz,
    parse_netze,
)
from datenspiegel.access.status import StatusChange
from datenspiegel.access.store import (
    UNCHANGED,
    AccessStore,
    BoundCertificate,
    Unchanged,
    certificate_fingerprint,
)

__all__ = [
    "ADMINISTRATION",
    "ALLE_NETZE",
    "FAELLE",
    "FREIE_SUCHE",
    "PERSONENSUCHE",
    "SERVICES",
    "SICHERHEITSBEHOERDE_UNTERTYPEN",
    "SYSTEM",
    "UNCHANGED",
    "AccessDenied",
    "AccessError",
    "AccessRequest",
    "AccessStore",
    "AccessStoreUnavailable",
    "Action",
    "Actor",
    "ActorKind",
    "AdminEvent",
    "Authority",
    "Behoerdenklasse",
    "BoundCertificate",
    "CertificateAlreadyBound",
    "Decision",
    "DuplicateKennung",
    "ElementCatalogue",
    "Hauptadministrator",
    "IPNetwork",
    "InvalidActor",
    "InvalidAuthority",
    "InvalidCertificate",
    "InvalidContact",
    "InvalidNetwork",
    "InvalidUser",
    "Kontakt",
    "NotPermitted",
    "Principal",
    "RestrictedGroup",
    "StatusChange",
    "Unchanged",
    "UnknownAuthority",
    "UnknownUser",
    "User",
    "UserRole",
    "adresse_in_netzen",
    "authorise",
    "catalogue",
    "certificate_fingerprint",
    "entitled_elements",
    "parse_netz",
    "parse_netze",
]
