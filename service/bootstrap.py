"""``datenspiegel init``: a complete, working data directory for development and demos.

Writes the configuration, a development PKI, a synthetic register with the documented test
persons, and the demo authorities and users (each bound to its signing certificate), then
``demo.json`` for scripts and vendors' tests.

The broker's and the demo users' signing keys are ECDSA P-256 unless ``key_type`` asks for
RSA-3072 (``datenspiegel init --key-type rsa-3072``): the two signature profiles of the
state of the art (BSI TR-02102-1: ECDSA on P-256 or RSA of at least 3072 bit, signed as
ECDSA-SHA256 and RSASSA-PSS-SHA256). The TLS server key stays P-256 in both.

The configuration is read back exactly as ``serve`` reads it — with the ``DATENSPIEGEL_*``
environment overrides — so the register and the demo users land in the databases ``serve``
will use (``DATENSPIEGEL_STORES_REGISTER_URL=postgresql+psycopg://… datenspiegel init`` fills
PostgreSQL, not a stray SQLite file). The overrides are not written into the file.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.municipalities import strassenverzeichnis
from datenspiegel.service.app import open_stores
from datenspiegel.service.config import CONFIG_NAME, ServiceConfig, load_config, parse_config
from datenspiegel.service.demo import DEMO_USERS, register_demo_users
from datenspiegel.service.errors import ConfigError
from datenspiegel.signing import KeyKind, create_development_pki
from datenspiegel.wsdl import SERVICE_PATH

__all__ = ["DEMO_FILE", "KEY_TYPES", "InitResult", "initialise"]

DEMO_FILE = "demo.json"
#: The signature profiles ``init`` offers, by the name ``--key-type`` takes.
KEY_TYPES: dict[str, KeyKind] = {
    KeyKind.EC_P256.value: KeyKind.EC_P256,
    KeyKind.RSA_3072.value: KeyKind.RSA_3072,
}

_CONFIG_TEMPLATE = """\
# datenspiegel configuration. Every key can be overridden by an environment variable
# DATENSPIEGEL_<SECTION>_<KEY>, e.g. DATENSPIEGEL_STORES_BROKER_URL. Relative paths are
# relative to this file.

[server]
listen = "{listen}"
tls_certificate = "pki/tls-cert.pem"
tls_key = "pki/tls-key.pem"
# client_ca = "pki/ca-cert.pem"      # uncomment to require TLS client certificates
max_body_bytes = 1048576

[stores]
register_url = "{register_url}"
broker_url = "{broker_url}"

[signing]
key = "pki/broker-key.pem"
certificate = "pki/broker-cert.pem"
trust_anchors = ["pki/ca-cert.pem"]
# Every trust anchor needs its CRL here (require_crl = true, the default).
crls = ["pki/ca-crl.pem"]

[broker]
name = "Melderegisterdatenspiegel Niedersachsen"
kennung = "dbs:mrds-niedersachsen"

[protocol]
# Who of the operator may read the § 40 protocol, and for which purposes (roles:
# datenschutzkontrolle, strafverfolgung, betrieb, auskunft_betroffene). Every read names
# its reader and purpose and is recorded; a reader not listed here is refused.
readers = ["Betrieb Demo=betrieb,datenschutzkontrolle"]
"""


@dataclass(frozen=True, slots=True)
class InitResult:
    data_dir: Path
    config: Path
    demo: Path
    persons: int
    #: The databases written to (the configuration file's, or the environment's overrides).
    register_url: str = ""
    broker_url: str = ""


def initialise(
    data_dir: Path,
    *,
    persons: int = 2000,
    seed: int = 1,
    listen: str = "127.0.0.1:8443",
    register_url: str | None = None,
    broker_url: str | None = None,
    progress: bool = True,
    env: Mapping[str, str] | None = None,
    key_type: KeyKind = KeyKind.EC_P256,
) -> InitResult:
    """Create ``data_dir``; ``env`` (default: the process environment) overrides the
    configuration as it does for ``serve``; ``key_type`` is the kind of the broker's and the
    demo users' signing keys (one of ``KEY_TYPES``)."""
    if key_type not in KEY_TYPES.values():
        raise ConfigError(
            f"key type {key_type.value} is not offered; use one of {', '.join(KEY_TYPES)}"
        )
    data_dir = data_dir.resolve()
    config_path = data_dir / CONFIG_NAME
    text = _CONFIG_TEMPLATE.format(
        listen=listen,
        register_url=register_url or f"sqlite:///{data_dir / 'register.sqlite'}",
        broker_url=broker_url or f"sqlite:///{data_dir / 'broker.sqlite'}",
    )
    # Faults of the configuration or of the environment (a mistyped DATENSPIEGEL_* variable)
    # are reported before anything is created.
    parse_config(text, path=config_path, env=env)
    if config_path.exists():
        raise ConfigError(
            f"{data_dir} is already initialised ({config_path} exists); use another directory "
            "or remove it first"
        )
    if data_dir.exists() and any(data_dir.iterdir()):
        raise ConfigError(f"{data_dir} is not empty; initialise an empty or new directory")
    created = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        config = _populate(
            data_dir,
            text,
            persons=persons,
            seed=seed,
            env=env,
            progress=progress,
            key_type=key_type,
        )
    except BaseException:
        # Leave nothing half-made behind: a second 'init' (or 'make run') must start clean.
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            for child in data_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return InitResult(
        data_dir,
        config_path,
        data_dir / DEMO_FILE,
        persons,
        register_url=config.stores.register_url,
        broker_url=config.stores.broker_url,
    )


def _populate(
    data_dir: Path,
    text: str,
    *,
    persons: int,
    seed: int,
    env: Mapping[str, str] | None,
    progress: bool,
    key_type: KeyKind,
) -> ServiceConfig:
    config_path = data_dir / CONFIG_NAME
    pki = create_development_pki(
        data_dir / "pki",
        users=[user.key for user in DEMO_USERS],
        signing_key=key_type,
    )
    config_path.write_text(text, encoding="utf-8")
    config = load_config(config_path, env=env)  # as 'serve' will read it
    stores = open_stores(config)
    try:
        stores.register.import_persons(
            generate_persons(seed=seed, count=persons),
            source=f"synthetic generator, seed {seed}",
            kind="initialbestand",
            progress=progress,
        )
        stores.register.import_strassen(
            strassenverzeichnis(), source="synthetic street directories"
        )
        users = register_demo_users(stores.access, pki)
    finally:
        stores.close()
    host, port = config.server.host, config.server.port
    host = f"[{host}]" if ":" in host else host
    demo_path = data_dir / DEMO_FILE
    demo_path.write_text(
        json.dumps(
            {
                "endpoint": f"https://{host}:{port}{SERVICE_PATH}",
                "wsdl": f"https://{host}:{port}{SERVICE_PATH}?wsdl",
                "ca_file": str(pki.ca_cert),
                "broker_certificate": str(pki.broker_cert),
                "config": str(config_path),
                "users": users,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return config
