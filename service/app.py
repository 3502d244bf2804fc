"""Assembly: configuration → stores, keys, verifier → broker → WSGI front.

Everything expensive (schema compilation, key loading, trust store) happens once here, never
per request.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from datenspiegel.access.audit_store import AuditStore
from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.cases import CaseStore
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.payloads import PayloadStore
from datenspiegel.protocol.replay import ReplayStore
from datenspiegel.protocol.shared_key import key_problem, keyed
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.anomaly_watch import build_anomaly_watch
from datenspiegel.service.broker import Broker
from datenspiegel.service.certificate_expiry import (
    USER_CERTIFICATE_CHECK_INTERVAL,
    ExpiringUserCertificates,
)
from datenspiegel.service.config import ServiceConfig
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.health import HealthMonitor
from datenspiegel.service.idempotency import (
    ABANDON_AFTER,
    REPLAY_PURGE_INTERVAL,
    MessageWindow,
    ReplayGuard,
)
from datenspiegel.service.merkmale import MerkmalStore
from datenspiegel.service.operations import Registry
from datenspiegel.service.operations.administration import administration_handlers
from datenspiegel.service.operations.faelle import case_handlers
from datenspiegel.service.operations.freie_suche import FreieSucheHandler
from datenspiegel.service.operations.personensuche import PersonensucheHandler
from datenspiegel.service.operations.protokoll import protokoll_handlers
from datenspiegel.service.overdue import OverdueCases
from datenspiegel.service.overdue_remedies import REMEDY_CHECK_INTERVAL, OverdueRemedies
from datenspiegel.service.quotas import QuotaGuard, Quotas
from datenspiegel.service.revocation import check_revocation_coverage
from datenspiegel.service.web import Front
from datenspiegel.signing import ReloadingSigner, ReloadingVerifier
from datenspiegel.store import BROKER, REGISTER, create_store_engine, ensure_current
from datenspiegel.store.windows import WindowCounters
from datenspiegel.transformers import Behoerde
from datenspiegel.xsd import MessageValidator

__all__ = ["Stores", "build_broker", "build_front", "open_stores"]


@dataclass(frozen=True, slots=True)
class Stores:
    """The databases of one process: the register, and the broker database's stores on one
    engine (one connection pool), so that a transaction's record, its Identifikationsmerkmale
    and its outbox entries commit together."""

    access: AccessStore
    protocol: ProtocolStore
    register: RegisterStore
    merkmale: MerkmalStore
    replay: ReplayStore
    windows: WindowCounters
    payloads: PayloadStore

    @classmethod
    def open(cls, *, broker_url: str, register_url: str, write_timeout: float = 30.0) -> Stores:
        broker = create_store_engine(broker_url, durable=True, lock_timeout=write_timeout)
        # Replay claims and quota counters are visible to every worker at commit, but need not
        # survive a power cut: their commits do not wait for the disk (the stored answer of a
        # claim is written in the record's durable commit).
        volatile = create_store_engine(
            broker_url, durable=False, volatile=True, lock_timeout=write_timeout
        )
        return cls(
            access=AccessStore(engine=broker),
            protocol=ProtocolStore(engine=broker),
            register=RegisterStore(register_url),
            merkmale=MerkmalStore(engine=broker),
            replay=ReplayStore(engine=volatile),
            windows=WindowCounters(volatile),
            payloads=PayloadStore(engine=broker),
        )

    def migrate(self) -> None:
        """Create or upgrade both databases to their histories' heads (tools and tests; the
        service itself only creates: :meth:`ensure_current`)."""
        self.protocol.migrate()  # the whole broker-state database, on its durable engine
        self.register.migrate()

    def ensure_current(self) -> None:
        """Create new databases; refuse one behind its history's head (``SchemaOutdated``:
        the operator runs ``datenspiegel db upgrade``) or ahead of it."""
        ensure_current(self.protocol.engine, BROKER)
        ensure_current(self.register.engine, REGISTER)

    def close(self) -> None:
        self.protocol.close()  # the broker database's engine, shared by access and Merkmale
        self.replay.close()  # the volatile engine, shared with the quota counters
        self.register.close()

    def health(self, *, probe_timeout: float = 1.0) -> HealthMonitor:
        """Probes of what a transaction needs: a protocol write, a register read."""

        def register() -> None:
            with self.register.engine.connect() as conn:
                conn.execute(text("select 1"))

        return HealthMonitor(
            {
                "broker_db": lambda: self.protocol.probe_writable(timeout=probe_timeout),
                "register_db": register,
            }
        )


def open_stores(config: ServiceConfig, *, upgrade: bool = False) -> Stores:
    """The stores of ``config``. New databases are created; an existing one behind this
    release's schema is upgraded only with ``upgrade`` — otherwise refused, naming
    ``datenspiegel db upgrade`` (docs/schema-upgrades.md: the operator reviews and runs it)."""
    stores = Stores.open(
        broker_url=config.stores.broker_url,
        register_url=config.stores.register_url,
        write_timeout=config.stores.write_timeout,
    )
    try:
        if upgrade:
            stores.migrate()
        else:
            stores.ensure_current()
        key = config.signing.protocol_key or config.path.parent / "pki" / "protocol-tag.key"
        stores.protocol.record_key = protocol_key(key, engine=stores.protocol.engine)
    except BaseException:
        stores.close()
        raise
    return stores


def protocol_key(path: Path, *, engine: Engine | None = None) -> bytes:
    """The records' tag key (protocol/log.py): read, or created once (0600) when missing.

    With the broker database's ``engine``: refused when it is not the key the database's
    records and kept answers were written with, and never created for a database that holds
    them — every host on one database needs the same key file (protocol/shared_key.py)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if engine is not None and keyed(engine):
            raise ConfigError(
                f"the protocol key {path} is missing, but the broker database holds records "
                "written with a protocol key: copy that file from a host already serving this "
                "database (every host needs the same key; docs/operations.md, 'Several hosts')"
            ) from None
        path.parent.mkdir(parents=True, exist_ok=True)
        data = secrets.token_bytes(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it at the same moment
            data = path.read_bytes()
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
    except OSError as exc:
        raise ConfigError(f"cannot read the protocol key {path}: {exc.strerror}") from None
    if len(data) != 32:
        raise ConfigError(f"the protocol key {path} must hold exactly 32 bytes, not {len(data)}")
    problem = key_problem(engine, data) if engine is not None else None
    if problem is not None:
        raise ConfigError(
            f"the protocol key {path} is not the key of this broker database: {problem}; copy "
            "the key file of a host already serving this database (every host needs the same "
            "key; docs/operations.md, 'Several hosts')"
        )
    return data


def build_broker(config: ServiceConfig, stores: Stores) -> Broker:
    # Revocation on by default: an anchor without its CRL is a start-up error (or waived).
    check_revocation_coverage(config.signing)
    clock = _now
    registry = Registry(
        [
            PersonensucheHandler(register=stores.register, merkmale=stores.merkmale, clock=clock),
            FreieSucheHandler(register=stores.register, clock=clock),
            *case_handlers(engine=stores.protocol.engine, broker=_identity(config), clock=clock),
            *protokoll_handlers(
                engine=stores.protocol.engine, broker=_identity(config), clock=clock
            ),
            *administration_handlers(
                access=stores.access,
                broker=_identity(config),
                clock=clock,
                belehrung=belehrungsfrist(config),
            ),
        ]
    )
    return Broker(
        registry=registry,
        clock=clock,
        validator=MessageValidator(),
        # follows replaced CRLs and anchors: a revocation needs no restart
        verifier=ReloadingVerifier(
            config.signing.trust_anchors,
            crls=config.signing.crls,
            require_crl=config.signing.require_crl,
        ),
        # a renewed broker key or certificate signs the next answers, without a restart
        signer=ReloadingSigner(config.signing.key, config.signing.certificate),
        access=stores.access,
        protocol=stores.protocol,
        merkmale=stores.merkmale,
        identity=Behoerde(kennung=config.broker.kennung, name=config.broker.name),
        replay=ReplayGuard(
            stores.replay,
            stores.protocol,
            MessageWindow(
                max_age=config.broker.message_max_age, clock_skew=config.broker.clock_skew
            ),
            abandon_after=ABANDON_AFTER,
        ),
        # client CAs configured: mutual TLS, each connection's certificate must belong to the
        # authority that signs its messages (access decision rule 3b)
        mutual_tls=config.server.client_ca is not None,
        belehrung=belehrungsfrist(config),
        quotas=QuotaGuard(
            stores.windows,
            Quotas(
                user_per_minute=config.broker.quota_user_per_minute,
                authority_per_minute=config.broker.quota_authority_per_minute,
            ),
        ),
    )


def _identity(config: ServiceConfig) -> Behoerde:
    return Behoerde(kennung=config.broker.kennung, name=config.broker.name)


def _now() -> datetime:
    return datetime.now(UTC)


def build_front(config: ServiceConfig, stores: Stores) -> Front:
    return Front(
        build_broker(config, stores),
        health=stores.health(),
        max_body_bytes=config.server.max_body_bytes,
        neutral_floor=config.server.neutral_answer_floor,
        public_url=config.server.public_url,
        overdue=build_overdue(config, stores),
        log=ProtocolLog(stores.protocol.engine, record_key=stores.protocol.record_key),
        log_client_address=config.logging.client_address,
        user_certificates=ExpiringUserCertificates(stores.access, clock=_now),
    )


#: Seconds between a worker's runs of the protocol log's sequencer (protocol/log.py).
SEQUENCE_INTERVAL = 5.0


def belehrungsfrist(config: ServiceConfig) -> Belehrungsfrist:
    """How long a user's instruction on purpose limitation holds (§ 41 BMG)."""
    return Belehrungsfrist(
        gueltig_tage=config.broker.instruction_valid_days,
        nachfrist_tage=config.broker.instruction_grace_days,
    )


def periodic_tasks(
    config: ServiceConfig, front: Front, stores: Stores | None = None
) -> tuple[tuple[float, Callable[[], object]], ...]:
    """What each worker repeats while serving (``Worker.periodic``): the overdue-case check,
    with ``stores`` the overdue audit remedies (also in ``/metrics``), and the purge of
    replay claims whose messages can no longer arrive."""
    tasks: list[tuple[float, Callable[[], object]]] = []
    if front.overdue is not None:
        tasks.append((config.broker.case_check_interval, front.overdue.check))
    if front.user_certificates is not None:
        tasks.append((USER_CERTIFICATE_CHECK_INTERVAL, front.user_certificates.refresh))
    if stores is not None:
        remedies = OverdueRemedies(AuditStore(engine=stores.access.engine), clock=_now)
        front.registry.register(remedies)
        tasks.append((REMEDY_CHECK_INTERVAL, remedies.check))
    if stores is not None and config.anomalies.enabled:
        # the continuous anomaly detection: one worker of all evaluates (also in /metrics)
        anomalies = build_anomaly_watch(
            config, access=stores.access, protocol=stores.protocol, clock=_now
        )
        front.registry.register(anomalies)
        tasks.append((config.anomalies.interval, anomalies.check))
    replay = front.broker.replay
    if replay is not None:
        tasks.append((REPLAY_PURGE_INTERVAL, lambda: replay.purge(_now())))
    quotas = front.broker.quotas
    if quotas is not None:
        tasks.append((REPLAY_PURGE_INTERVAL, quotas.purge))
    log = front.log
    if log is not None:
        signer = front.broker.signer
        tasks.append((SEQUENCE_INTERVAL, log.sequence_all))
        tasks.append(
            (
                config.broker.checkpoint_interval,
                lambda: log.checkpoint(signer.identity.private_key),
            )
        )
    return tuple(tasks)


def build_overdue(config: ServiceConfig, stores: Stores) -> OverdueCases:
    """The running service's check for unfetched hand-over cases (service/overdue.py)."""
    return OverdueCases(
        CaseStore(engine=stores.protocol.engine),
        after_seconds=config.broker.case_alert_after,
        clock=_now,
    )
