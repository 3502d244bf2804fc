"""Configuration: one TOML file, every key overridable by an environment variable.

``DATENSPIEGEL_<SECTION>_<KEY>`` overrides ``[section] key`` (e.g.
``DATENSPIEGEL_STORES_BROKER_URL=postgresql+psycopg://…``). Relative paths are taken relative
to the configuration file's directory. Defaults are the safe ones: loopback listener, TLS only,
1 MiB body limit.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datenspiegel.service.errors import ConfigError

__all__ = [
    "CONFIG_NAME",
    "BrokerConfig",
    "ServerConfig",
    "ServiceConfig",
    "SigningConfig",
    "StoresConfig",
    "load_config",
    "parse_listen",
]

CONFIG_NAME = "datenspiegel.toml"
_ENV_PREFIX = "DATENSPIEGEL_"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str
    port: int
    tls_certificate: Path
    tls_key: Path
    client_ca: Path | None
    max_body_bytes: int
    public_url: str | None
    #: Seconds until a request must be completely received (handshake, headers, body).
    request_timeout: float = 10.0
    #: Concurrent connections per worker process, in all and from one source address.
    max_connections: int = 512
    max_connections_per_source: int = 64
    #: Seconds SIGTERM waits for the requests in flight before cutting them off.
    shutdown_grace: float = 20.0
    #: Worker restarts allowed within 60 s before the supervisor gives up (exit 1).
    worker_restart_limit: int = 5


@dataclass(frozen=True, slots=True)
class StoresConfig:
    register_url: str
    broker_url: str
    #: Seconds a protocol write may wait for a locked broker database before the transaction
    #: fails closed (SQLite busy timeout, PostgreSQL lock_timeout).
    write_timeout: float = 2.0


@dataclass(frozen=True, slots=True)
class SigningConfig:
    key: Path
    certificate: Path
    trust_anchors: tuple[Path, ...]
    crls: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class BrokerConfig:
    name: str
    kennung: str


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    path: Path
    server: ServerConfig
    stores: StoresConfig
    signing: SigningConfig
    broker: BrokerConfig


def parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(
            f"listen address must be HOST:PORT (port 0: any free port), got {value!r}"
        )
    return host.strip("[]") or "127.0.0.1", int(port)


_KNOWN = {
    "server": {
        "listen",
        "tls_certificate",
        "tls_key",
        "client_ca",
        "max_body_bytes",
        "public_url",
        "request_timeout",
        "max_connections",
        "max_connections_per_source",
        "shutdown_grace",
        "worker_restart_limit",
    },
    "stores": {"register_url", "broker_url", "write_timeout"},
    "signing": {"key", "certificate", "trust_anchors", "crls"},
    "broker": {"name", "kennung"},
}


def _check_known(raw: Mapping[str, Any], path: Path) -> None:
    """A mistyped key must not silently leave a safety setting at its default."""
    for section, values in raw.items():
        if section not in _KNOWN or not isinstance(values, dict):
            raise ConfigError(
                f"{path}: unknown section [{section}]; known: {', '.join(sorted(_KNOWN))}"
            )
        unknown = sorted(set(values) - _KNOWN[section])
        if unknown:
            raise ConfigError(
                f"{path}: unknown key(s) {', '.join(unknown)} in [{section}]; known: "
                f"{', '.join(sorted(_KNOWN[section]))}"
            )


def _overridden(raw: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {
        section: dict(values) for section, values in raw.items() if isinstance(values, dict)
    }
    for name, value in env.items():
        if not name.startswith(_ENV_PREFIX):
            continue
        section, _, key = name[len(_ENV_PREFIX) :].lower().partition("_")
        if section in _KNOWN and key in _KNOWN[section]:
            merged.setdefault(section, {})[key] = value
    return merged


def _number(
    section: Mapping[str, Any], key: str, default: float, *, kind: type[int] | type[float]
) -> Any:
    """A positive number from the configuration (environment overrides arrive as text)."""
    value = section.get(key.rpartition(".")[2], default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a positive number, got {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{key} must be a positive number, got {value!r}")
    return number


def _path(base: Path, value: Any, key: str) -> Path:
    if not value:
        raise ConfigError(f"configuration key {key} is required")
    path = Path(str(value))
    return path if path.is_absolute() else base / path


def _paths(base: Path, value: Any, key: str) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(os.pathsep) if v]
    return tuple(_path(base, v, key) for v in (value or []))


def load_config(path: Path, *, env: Mapping[str, str] | None = None) -> ServiceConfig:
    """Read ``path`` (TOML) with environment overrides; raise :class:`ConfigError` on faults."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"no configuration at {path}; run 'datenspiegel init --data-dir {path.parent}' first"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    _check_known(raw, path)
    base = path.parent.resolve()
    data = _overridden(raw, os.environ if env is None else env)
    server, stores = data.get("server", {}), data.get("stores", {})
    signing, broker = data.get("signing", {}), data.get("broker", {})
    host, port = parse_listen(str(server.get("listen", "127.0.0.1:8443")))
    max_body = _number(server, "server.max_body_bytes", 1_048_576, kind=int)
    max_connections = _number(server, "server.max_connections", 512, kind=int)
    per_source = _number(server, "server.max_connections_per_source", 64, kind=int)
    if per_source > max_connections:
        raise ConfigError(
            f"server.max_connections_per_source ({per_source}) exceeds server.max_connections "
            f"({max_connections})"
        )
    client_ca = server.get("client_ca")
    return ServiceConfig(
        path=path,
        server=ServerConfig(
            host=host,
            port=port,
            tls_certificate=_path(base, server.get("tls_certificate"), "server.tls_certificate"),
            tls_key=_path(base, server.get("tls_key"), "server.tls_key"),
            client_ca=_path(base, client_ca, "server.client_ca") if client_ca else None,
            max_body_bytes=max_body,
            public_url=server.get("public_url") or None,
            request_timeout=_number(server, "server.request_timeout", 10.0, kind=float),
            max_connections=max_connections,
            max_connections_per_source=per_source,
            shutdown_grace=_number(server, "server.shutdown_grace", 20.0, kind=float),
            worker_restart_limit=_number(server, "server.worker_restart_limit", 5, kind=int),
        ),
        stores=StoresConfig(
            register_url=str(stores.get("register_url") or f"sqlite:///{base / 'register.sqlite'}"),
            broker_url=str(stores.get("broker_url") or f"sqlite:///{base / 'broker.sqlite'}"),
            write_timeout=_number(stores, "stores.write_timeout", 2.0, kind=float),
        ),
        signing=SigningConfig(
            key=_path(base, signing.get("key"), "signing.key"),
            certificate=_path(base, signing.get("certificate"), "signing.certificate"),
            trust_anchors=_paths(base, signing.get("trust_anchors"), "signing.trust_anchors"),
            crls=_paths(base, signing.get("crls"), "signing.crls"),
        ),
        broker=BrokerConfig(
            name=str(broker.get("name", "Melderegisterdatenspiegel Niedersachsen")),
            kennung=str(broker.get("kennung", "dbs:mrds-niedersachsen")),
        ),
    )
