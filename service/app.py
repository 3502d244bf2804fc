"""Assembly: configuration → stores, keys, verifier → broker → WSGI front.

Everything expensive (schema compilation, key loading, trust store) happens once here, never
per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.broker import Broker
from datenspiegel.service.config import ServiceConfig
from datenspiegel.service.merkmale import MerkmalStore
from datenspiegel.service.operations import Registry
from datenspiegel.service.operations.personensuche import PersonensucheHandler
from datenspiegel.service.revocation import check_revocation_coverage
from datenspiegel.service.web import Front
from datenspiegel.signing import MessageSigner, ReloadingVerifier, SigningIdentity
from datenspiegel.transformers import Behoerde
from datenspiegel.xsd import MessageValidator

__all__ = ["Stores", "build_broker", "build_front", "open_stores"]


@dataclass(frozen=True, slots=True)
class Stores:
    access: AccessStore
    protocol: ProtocolStore
    register: RegisterStore
    merkmale: MerkmalStore

    def migrate(self) -> None:
        self.access.migrate()
        self.protocol.migrate()
        self.merkmale.migrate()
        self.register.migrate()

    def close(self) -> None:
        self.access.dispose()
        self.protocol.dispose()
        self.merkmale.close()
        self.register.close()


def open_stores(config: ServiceConfig) -> Stores:
    broker_url, wait = config.stores.broker_url, config.stores.write_timeout
    stores = Stores(
        access=AccessStore(broker_url, lock_timeout=wait),
        protocol=ProtocolStore(broker_url, lock_timeout=wait),
        register=RegisterStore(config.stores.register_url),
        merkmale=MerkmalStore(broker_url, lock_timeout=wait),
    )
    stores.migrate()
    return stores


def build_broker(config: ServiceConfig, stores: Stores) -> Broker:
    # Revocation on by default: an anchor without its CRL is a start-up error (or waived).
    check_revocation_coverage(config.signing)
    identity = SigningIdentity.from_pem_files(config.signing.key, config.signing.certificate)
    clock = _now
    registry = Registry(
        [PersonensucheHandler(register=stores.register, merkmale=stores.merkmale, clock=clock)]
    )
    return Broker(
        registry=registry,
        clock=clock,
        validator=MessageValidator(),
        # follows replaced CRLs and anchors: a revocation needs no restart
        verifier=ReloadingVerifier(config.signing.trust_anchors, crls=config.signing.crls),
        signer=MessageSigner(identity),
        access=stores.access,
        register=stores.register,
        protocol=stores.protocol,
        merkmale=stores.merkmale,
        identity=Behoerde(kennung=config.broker.kennung, name=config.broker.name),
    )


def _now() -> datetime:
    return datetime.now(UTC)


def build_front(config: ServiceConfig, stores: Stores) -> Front:
    return Front(
        build_broker(config, stores),
        max_body_bytes=config.server.max_body_bytes,
        public_url=config.server.public_url,
    )
