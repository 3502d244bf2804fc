"""Configuration: one TOML file, every key overridable by an environment variable.

Each key is declared once, below, as a field of its section with type, default, bounds and
meaning (:mod:`datenspiegel.service.settings` derives reading, overrides, validation and the
documentation table from it). ``DATENSPIEGEL_<SECTION>_<KEY>`` overrides ``[section] key``
(e.g. ``DATENSPIEGEL_STORES_BROKER_URL=postgresql+psycopg://…``); any other
``DATENSPIEGEL_*`` variable is refused. Relative paths are taken relative to the configuration
file's directory. Defaults are the safe ones: loopback listener, TLS only, 1 MiB body limit,
every trust anchor with its CRL.

``python -m datenspiegel.service.config`` prints the reference table;
``… --write docs/operations.md`` puts it into the operations guide.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Final

from datenspiegel.access.networks import IPNetwork, parse_netze
from datenspiegel.protocol.reads import Reader, parse_readers
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.logs import LOG_FORMATS
from datenspiegel.service.settings import (
    BOOLEAN,
    INTEGER,
    PATH,
    PATHS,
    SECONDS,
    SQLALCHEMY_URL,
    TEXT,
    Explained,
    Kind,
    Section,
    Setting,
    check_environment,
    check_tables,
    environment_name,
    markdown_table,
    read_section,
    setting,
    validate_section,
)

__all__ = [
    "CONFIG_NAME",
    "ENV_PREFIX",
    "SECTIONS",
    "AnomaliesConfig",
    "BrokerConfig",
    "ConfigError",
    "LoggingConfig",
    "ProtocolConfig",
    "ServerConfig",
    "ServiceConfig",
    "SigningConfig",
    "StoresConfig",
    "configuration_table",
    "environment_variable",
    "load_config",
    "load_stores",
    "parse_config",
    "parse_listen",
    "update_docs",
]

CONFIG_NAME: Final = "datenspiegel.toml"
ENV_PREFIX: Final = "DATENSPIEGEL_"


def parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(
            f"listen address must be HOST:PORT (port 0: any free port), got {value!r}"
        )
    return host.strip("[]") or "127.0.0.1", int(port)


def _listen(value: object, _base: Path) -> tuple[str, int]:
    if not isinstance(value, str):
        raise ValueError("not text")
    return parse_listen(value)


_LISTEN_KIND: Final = Kind(
    "`HOST:PORT` address (port 0: any free port)",
    _listen,
    lambda v: f"{v[0]}:{v[1]}",  # type: ignore[index]
)

_LISTEN: Final = Setting(
    _LISTEN_KIND,
    "The TLS listener; `0.0.0.0:8443` for all IPv4 addresses, port `0` picks a free port "
    "(tests). `serve --listen` overrides it.",
    default=("127.0.0.1", 8443),
    key="listen",
)


def _networks(value: object, _base: Path) -> tuple[IPNetwork, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list | tuple):
        raise ValueError("not a list of networks")
    if not value:
        return ()
    try:
        return parse_netze(str(item) for item in value)
    except ValueError as exc:
        raise Explained(str(exc)) from None


NETWORKS: Final = Kind(
    "list of networks in CIDR notation (`,`-separated in the environment)",
    _networks,
    lambda v: ", ".join(map(str, v)) if v else "any",  # type: ignore[call-overload]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    SECTION: ClassVar[str] = "server"

    host: str = _LISTEN.field(0)
    port: int = _LISTEN.field(1)
    tls_certificate: Path = setting(
        PATH,
        doc="PEM file of the TLS server certificate, optionally followed by its intermediate "
        "CA certificates (all are sent to clients).",
    )
    tls_key: Path = setting(PATH, doc="PEM file of the TLS server key (no passphrase).")
    client_ca: Path | None = setting(
        PATH,
        default=None,
        shown_default="none (no client certificates)",
        doc="CA certificates (PEM) for TLS client certificates: when set, every connection "
        "(also `/health`, `/metrics`) needs a client certificate issued by one of them. "
        "Client certificates do not identify the user — the message signature does.",
    )
    allowed_networks: tuple[IPNetwork, ...] = setting(
        NETWORKS,
        default=(),
        shown_default="any (no restriction)",
        doc="Source networks (CIDR) the listener accepts connections from, e.g. the state "
        "network's ranges; a connection from elsewhere is closed before the TLS handshake "
        "(counted as `refused_network` in `/metrics`). Each authority's own networks are "
        "checked per request on top (`datenspiegel authority set-networks`).",
    )
    client_crls: tuple[Path, ...] = setting(
        PATHS,
        default=(),
        shown_default="none",
        doc="CRLs (PEM or DER) of the `server.client_ca` CAs, one per CA: a revoked client "
        "certificate fails the TLS handshake. Replaced files (like the certificate, key and "
        "client CA) take effect within 10 s for new connections, without a restart.",
    )
    max_body_bytes: int = setting(
        INTEGER,
        default=1_048_576,
        positive=True,
        shown_default="`1048576` (1 MiB)",
        doc="Larger request bodies are refused before they are buffered (HTTP 413, and the "
        "connection is closed at once); also the XML parser's size limit.",
    )
    request_timeout: float = setting(
        SECONDS,
        default=10.0,
        positive=True,
        doc="Seconds from the opening of a connection (or the end of the previous answer on a "
        "kept-alive one) until the request is **completely** received — TLS handshake, headers "
        "and body. Bytes do not extend it (a client sending one byte a second is cut off after "
        "10 s); idle kept-alive connections close after it too.",
    )
    max_connections: int = setting(
        INTEGER,
        default=512,
        positive=True,
        doc="Concurrent connections per worker process. When it is reached, the connection "
        "that has been reading its request the longest is dropped to make room, so a flood of "
        "slow clients cannot lock out a new one.",
    )
    max_connections_per_source: int = setting(
        INTEGER,
        default=64,
        positive=True,
        doc="Concurrent connections per worker process from one client address (at most "
        "`server.max_connections`); more are refused before the TLS handshake. Raise it for a "
        "NAT gateway or load balancer that presents many clients under one address.",
    )
    neutral_answer_floor: float = setting(
        SECONDS,
        default=0.1,
        minimum=0.0,
        maximum=5.0,
        doc="Seconds after a request arrived before a neutral answer (status 03) may leave: a "
        "blocked person's 03 costs more work than a real no-hit, and the timing must not "
        "tell them apart (§ 34a Abs. 5 BMG). Set it above the slowest 03 at peak load; 0 "
        "switches the floor off.",
    )
    shutdown_grace: float = setting(
        SECONDS,
        default=20.0,
        positive=True,
        doc="Seconds SIGTERM waits for the requests in flight; what is still running then is "
        "cut off (exit status 1).",
    )
    worker_restart_limit: int = setting(
        INTEGER,
        default=5,
        positive=True,
        doc="With `serve --workers N`: worker restarts allowed within 60 s; one more and the "
        "service stops with exit status 1.",
    )
    public_url: str | None = setting(
        TEXT,
        default=None,
        shown_default="the URL of the request",
        doc="The service address written into the served WSDL (`soap:address`); set it when "
        "clients reach the broker under another name or port (load balancer).",
    )

    def __post_init__(self) -> None:
        validate_section(self)
        if self.max_connections_per_source > self.max_connections:
            raise ConfigError(
                f"server.max_connections_per_source ({self.max_connections_per_source}) "
                f"exceeds server.max_connections ({self.max_connections})"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class StoresConfig:
    SECTION: ClassVar[str] = "stores"

    register_url: str = setting(
        SQLALCHEMY_URL,
        default_in=lambda base: f"sqlite:///{base / 'register.sqlite'}",
        shown_default="`sqlite:///DIR/register.sqlite`",
        doc="The register database (SQLite or `postgresql+psycopg://…`).",
    )
    broker_url: str = setting(
        SQLALCHEMY_URL,
        default_in=lambda base: f"sqlite:///{base / 'broker.sqlite'}",
        shown_default="`sqlite:///DIR/broker.sqlite`",
        doc="The broker-state database: access registry, protocol, Identifikationsmerkmale.",
    )
    write_timeout: float = setting(
        SECONDS,
        default=2.0,
        positive=True,
        doc="Seconds a write to the broker-state database waits for a lock held by someone "
        "else (SQLite busy timeout, PostgreSQL `lock_timeout`). When the database cannot take "
        "the protocol record in that time the transaction fails closed (0910 S999, no data) "
        "instead of holding a thread.",
    )

    def __post_init__(self) -> None:
        validate_section(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class SigningConfig:
    SECTION: ClassVar[str] = "signing"

    key: Path = setting(PATH, doc="PEM private key the broker signs its answers with.")
    certificate: Path = setting(
        PATH,
        doc="PEM certificate of that key, optionally followed by intermediates (sent in "
        "`KeyInfo`).",
    )
    protocol_key: Path | None = setting(
        PATH,
        default=None,
        shown_default="`pki/protocol-tag.key` beside the configuration",
        doc="Secret (32 random bytes) the service tags every § 40 record with, so that a row "
        "written into the database by anyone else is recognised (`datenspiegel protocol "
        "verify`). Created on first start if missing (mode 0600); keep it like the signing "
        "key, and never change it while records tagged with it are kept.",
    )
    trust_anchors: tuple[Path, ...] = setting(
        PATHS,
        doc="PEM files of the CA certificates that issue the authorities' user signing "
        "certificates; every certificate in them is trusted as it is.",
    )
    crls: tuple[Path, ...] = setting(
        PATHS,
        default=(),
        doc="CRLs (PEM or DER) of those CAs, each signed by a configured CA. The newest CRL of "
        "a CA is used and must be current: after its `nextUpdate` every certificate of that CA "
        "is refused (0910 T002). Anchors and CRLs are reloaded within a minute when replaced.",
    )
    require_crl: bool = setting(
        BOOLEAN,
        default=True,
        doc="Every trust anchor needs a CRL in `signing.crls` (one whose issuer is the "
        "anchor's subject), else `serve` does not start. `false` accepts anchors without a "
        "CRL, whose certificates are then never checked for revocation; `serve` logs a "
        "warning at start. Not for production.",
    )

    def __post_init__(self) -> None:
        validate_section(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class BrokerConfig:
    SECTION: ClassVar[str] = "broker"

    name: str = setting(
        TEXT,
        default="Melderegisterdatenspiegel Niedersachsen",
        doc="The broker's name as author of 0910 technical rejections.",
    )
    kennung: str = setting(
        TEXT,
        default="dbs:mrds-niedersachsen",
        doc="The broker's Behördenkennung as author of 0910 technical rejections.",
    )
    case_alert_after: float = setting(
        SECONDS,
        default=86_400.0,
        positive=True,
        shown_default="`86400` (24 hours)",
        doc="Seconds after which a hand-over case (1322) or notice that its recipient has "
        "not fetched is overdue: `datenspiegel cases list --overdue` lists it and logs a "
        "WARNING (exit status 1 with `--check`); the service reports them in `/metrics` "
        "(`datenspiegel_cases_overdue`) and logs a WARNING every `broker.case_check_interval`.",
    )
    message_max_age: float = setting(
        SECONDS,
        default=900.0,
        positive=True,
        shown_default="`900` (15 minutes)",
        doc="Oldest `erstellungszeitpunkt` of a request that is still executed; an older "
        "message is refused (0910 S999, 'too old') — a brake on replays of captured messages. "
        "Duplicates within it get the original answer again (docs/integration.md).",
    )
    clock_skew: float = setting(
        SECONDS,
        default=300.0,
        positive=True,
        shown_default="`300` (5 minutes)",
        doc="How far a request's `erstellungszeitpunkt` may lie in the future (the sender's "
        "clock ahead of ours); later is refused with 0910 S000.",
    )
    quota_user_per_minute: int = setting(
        INTEGER,
        default=120,
        minimum=0,
        doc="Requests one user may send per minute, counted by all workers and hosts together; "
        "beyond it 0910 T070 'quota exceeded' (a brake on bulk extraction). 0: no quota.",
    )
    quota_authority_per_minute: int = setting(
        INTEGER,
        default=1200,
        minimum=0,
        doc="Requests all users of one authority may send per minute together; beyond it "
        "0910 T070 'quota exceeded'. 0: no quota.",
    )
    instruction_valid_days: int = setting(
        INTEGER,
        default=365,
        positive=True,
        doc="How long a user's instruction on purpose limitation (§ 41 BMG, `belehrt_am`) "
        "holds; after it the administrator sees it as due (administration service, "
        "`authority report`).",
    )
    instruction_grace_days: int = setting(
        INTEGER,
        default=30,
        minimum=0,
        doc="Days after `broker.instruction_valid_days` before a user whose instruction was "
        "not renewed is suspended (T070 for every request, until the administrator records "
        "a new date).",
    )
    protocol_retention_months: int = setting(
        INTEGER,
        default=24,
        minimum=12,
        maximum=24,
        doc="Months a § 40 record is kept before `datenspiegel protocol purge` deletes it "
        "(at least 12); whatever the value, every record of the calendar year before last is "
        "deleted (§ 40 BMG: at the latest at the end of the following year). 24: at the "
        "year boundary.",
    )
    checkpoint_interval: float = setting(
        SECONDS,
        default=300.0,
        positive=True,
        shown_default="`300` (5 minutes)",
        doc="Seconds between signed checkpoints of the protocol's Merkle log (each worker "
        "logs new records every few seconds; a checkpoint is signed only when the log grew). "
        "The shorter, the closer `datenspiegel protocol verify` localises a change.",
    )
    case_check_interval: float = setting(
        SECONDS,
        default=3_600.0,
        positive=True,
        shown_default="`3600` (1 hour)",
        doc="Seconds between the running service's checks for overdue hand-over cases; each "
        "check that finds any logs a WARNING with their count and the oldest one's age.",
    )

    def __post_init__(self) -> None:
        validate_section(self)


def _readers(value: object, _base: Path) -> tuple[Reader, ...]:
    if isinstance(value, str):
        value = [part for part in value.split(";") if part.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of readers")
    try:
        return parse_readers(value)
    except ValueError as exc:
        raise Explained(str(exc)) from None


READERS: Final = Kind(
    "list of readers `Name=role,role` (`;`-separated in the environment)",
    _readers,
    lambda v: "; ".join(map(str, v)) if v else "none",  # type: ignore[call-overload]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolConfig:
    """Who of the operator may read the § 40 protocol, and for which purposes (§ 40 BMG)."""

    SECTION: ClassVar[str] = "protocol"

    readers: tuple[Reader, ...] = setting(
        READERS,
        default=(),
        shown_default="none (nobody may read the protocol)",
        doc="The operator's staff who may read the § 40 protocol (`datenspiegel protocol "
        "search | show | export | subject-report`), each with the purposes they may read for: "
        "`datenschutzkontrolle`, `strafverfolgung`, `betrieb`, `auskunft_betroffene` — e.g. "
        '`["Dana Schutz=datenschutzkontrolle,strafverfolgung", "Betrieb Schulz=betrieb"]`. '
        "Every read names its reader (`--reader`) and purpose (`--purpose`) and is logged; a "
        "purpose outside the reader's roles is refused before anything is read, and the "
        "refused attempt is logged too (docs/protocol.md).",
    )

    def __post_init__(self) -> None:
        validate_section(self)


def _person_ids(value: object, _base: Path) -> frozenset[int]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list | tuple):
        raise ValueError("not a list of person ids")
    ids = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | str) or not str(item).isdigit():
            raise ValueError("not a list of person ids")
        ids.add(int(item))
    return frozenset(ids)


PERSON_IDS: Final = Kind(
    "list of register person ids (`,`-separated in the environment)",
    _person_ids,
    lambda v: ", ".join(map(str, sorted(v))) if v else "none",  # type: ignore[call-overload]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnomaliesConfig:
    """The running service's continuous anomaly detection (§ 40 BMG, DOMAIN.md §§ 6–7;
    docs/anomalies.md)."""

    SECTION: ClassVar[str] = "anomalies"

    enabled: bool = setting(
        BOOLEAN,
        default=True,
        doc="Evaluate new § 40 records continuously while the service runs: one worker process "
        "of all workers and hosts evaluates at a time and stores the findings "
        "(`datenspiegel anomalies list`); every record it reads is a logged read of the "
        "protocol (reader `datenspiegel anomaly detection`, purpose datenschutzkontrolle).",
    )
    interval: float = setting(
        SECONDS,
        default=10.0,
        positive=True,
        maximum=60.0,
        doc="Seconds between two evaluations; a finding is stored at most `anomalies.interval` "
        "+ `anomalies.settle` seconds (plus the evaluation's own time) after its records.",
    )
    settle: float = setting(
        SECONDS,
        default=5.0,
        minimum=0.0,
        maximum=60.0,
        doc="Seconds an evaluation stays behind the present: a record is stamped when its "
        "request arrives but committed with its answer, so the newest seconds are not complete "
        "yet. A record committed later still is found by a count of the last 5 minutes and "
        "evaluated then (logged as a WARNING).",
    )
    lease: float = setting(
        SECONDS,
        default=30.0,
        positive=True,
        doc="SQLite: seconds the evaluating worker's lease lasts unless renewed (each "
        "evaluation renews it); a worker that died is replaced as evaluator after it. "
        "PostgreSQL uses an advisory lock instead, released when the worker's connection ends.",
    )
    decoy_persons: frozenset[int] = setting(
        PERSON_IDS,
        default=frozenset(),
        shown_default="none",
        doc="Register person ids of decoys (honeytokens: persons no task leads to): any "
        "retrieval that hits one is a critical finding. Keep them with the operator only.",
    )
    block_on_critical: bool = setting(
        BOOLEAN,
        default=False,
        doc="Block a user automatically when a finding about that user becomes critical "
        "(a decoy hit, say): recorded in the finding's history and the administrative event "
        "log (the reason names the finding), shown to the authority's administrator as a "
        "block by the operator (`nutzerListe`), with a notice to the administrator in "
        "`anomalies.notices` for the operator to send; lifted by `datenspiegel anomalies "
        "resolve ID --status dismissed --unblock`.",
    )
    notices: Path | None = setting(
        PATH,
        default=None,
        shown_default="`notices` beside the configuration",
        doc="Directory for the notices to an authority's administrator about automatic blocks "
        "(one Markdown file per block, for the operator to send).",
    )

    def __post_init__(self) -> None:
        validate_section(self)
        if self.lease < 2 * self.interval:
            raise ConfigError(
                f"anomalies.lease ({self.lease:g} s) must be at least twice anomalies.interval "
                f"({self.interval:g} s): the evaluating worker renews its lease at each run"
            )


def _log_format(value: object, _base: Path) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    text = value.strip().lower()
    if text not in LOG_FORMATS:
        raise Explained(f"one of {', '.join(LOG_FORMATS)}")
    return text


LOG_FORMAT: Final = Kind("choice of `text` or `json`", _log_format)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggingConfig:
    """The log lines of ``serve`` (service/logs.py, service/observation.py;
    docs/operations.md "Logs and metrics")."""

    SECTION: ClassVar[str] = "logging"

    format: str = setting(
        LOG_FORMAT,
        default="text",
        doc="`text`: lines for people (`time level logger: message`); `json`: every log line "
        "of `serve` one JSON object (`time` in UTC, `level`, `logger`, `message` and the "
        "line's fields) for a log collector.",
    )
    transactions: bool = setting(
        BOOLEAN,
        default=True,
        doc="One line per transaction (logger `datenspiegel.transaction`, INFO) once its record "
        "is committed: record id, service, outcome and codes, authority, the user as the record "
        "keeps it (a pseudonym for security authorities), sizes, milliseconds per stage — never "
        "names, Aktenzeichen, search data or hits. `false`: none (the protocol has them all).",
    )
    client_address: bool = setting(
        BOOLEAN,
        default=False,
        doc="Put the client's IP address into the transaction line. Off: an IP address is "
        "personal data (GDPR), and the protocol, whose every read is logged, records it "
        "already; turn it on only for a purpose the data-protection officer agreed.",
    )

    def __post_init__(self) -> None:
        validate_section(self)


#: The sections in file and documentation order; each is a field of :class:`ServiceConfig`.
SECTIONS: Final[tuple[type[Section], ...]] = (
    ServerConfig,
    StoresConfig,
    SigningConfig,
    BrokerConfig,
    ProtocolConfig,
    AnomaliesConfig,
    LoggingConfig,
)


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    path: Path
    server: ServerConfig
    stores: StoresConfig
    signing: SigningConfig
    broker: BrokerConfig
    # a default, so that a configuration built in code (tests) needs no readers
    protocol: ProtocolConfig = field(default_factory=ProtocolConfig)
    anomalies: AnomaliesConfig = field(default_factory=AnomaliesConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)


def environment_variable(section: str, key: str) -> str:
    """The variable that overrides ``[section] key``."""
    return environment_name(ENV_PREFIX, section, key)


def _environment(env: Mapping[str, str] | None) -> Mapping[str, str]:
    env = os.environ if env is None else env
    check_environment(env, prefix=ENV_PREFIX, sections=SECTIONS)
    return env


def parse_config(text: str, *, path: Path, env: Mapping[str, str] | None = None) -> ServiceConfig:
    """The configuration in ``text`` (the TOML of ``path``) with the overrides in ``env``
    (default: the process environment); raise :class:`ConfigError` naming the faulty key."""
    env = _environment(env)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    check_tables(raw, sections=SECTIONS, origin=path)
    base = path.parent.resolve()
    sections = {
        section.SECTION: read_section(
            section, raw.get(section.SECTION, {}), env, prefix=ENV_PREFIX, base=base, origin=path
        )
        for section in SECTIONS
    }
    return ServiceConfig(path=path, **sections)  # type: ignore[arg-type]


def load_config(path: Path, *, env: Mapping[str, str] | None = None) -> ServiceConfig:
    """Read ``path`` (TOML) with environment overrides; raise :class:`ConfigError` on faults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no configuration at {path}; run 'datenspiegel init --data-dir {path.parent}' first"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    return parse_config(text, path=path, env=env)


def load_stores(data_dir: Path, *, env: Mapping[str, str] | None = None) -> StoresConfig:
    """The databases of the service in ``data_dir``, exactly as ``serve`` would open them: from
    ``DIR/datenspiegel.toml`` with the overrides; without that file, the defaults (SQLite files
    in ``DIR``) with the overrides."""
    path = Path(data_dir) / CONFIG_NAME
    if path.is_file():
        return load_config(path, env=env).stores
    return read_section(
        StoresConfig,
        {},
        _environment(env),
        prefix=ENV_PREFIX,
        base=Path(data_dir).resolve(),
        origin=path,
    )


# -- documentation --------------------------------------------------------------------------

_DOCS_BEGIN: Final = (
    "<!-- configuration table: generated from service/config.py by "
    "`python -m datenspiegel.service.config --write docs/operations.md`; do not edit -->"
)
_DOCS_END: Final = "<!-- end of configuration table -->"


def configuration_table() -> str:
    """The Markdown reference of every key (docs/operations.md)."""
    return markdown_table(SECTIONS, prefix=ENV_PREFIX)


def update_docs(path: Path) -> bool:
    """Put :func:`configuration_table` between the markers in ``path``; True if it changed."""
    text = path.read_text(encoding="utf-8")
    head, begin, rest = text.partition(_DOCS_BEGIN)
    _, end, tail = rest.partition(_DOCS_END)
    if not begin or not end:
        raise ConfigError(f"{path} lacks the markers {_DOCS_BEGIN!r} … {_DOCS_END!r}")
    updated = f"{head}{_DOCS_BEGIN}\n{configuration_table()}{_DOCS_END}{tail}"
    if updated == text:
        return False
    path.write_text(updated, encoding="utf-8")
    return True


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datenspiegel.service.config",
        description="Print the configuration reference table, or write it into a document.",
    )
    parser.add_argument("--write", type=Path, metavar="FILE", help="e.g. docs/operations.md")
    args = parser.parse_args(argv)
    if args.write is None:
        sys.stdout.write(configuration_table())
        return 0
    print(f"{args.write}: {'updated' if update_docs(args.write) else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
