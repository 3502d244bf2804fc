"""``datenspiegel init``: a complete, working data directory for development and demos.

Writes the configuration, a development PKI, a synthetic register with the documented test
persons, and the demo authorities and users (each bound to its signing certificate), then
``demo.json`` for scripts and vendors' tests.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.service.app import open_stores
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.service.demo import DEMO_USERS, register_demo_users
from datenspiegel.service.errors import ConfigError
from datenspiegel.signing import create_development_pki
from datenspiegel.wsdl import SERVICE_PATH

__all__ = ["DEMO_FILE", "InitResult", "initialise"]

DEMO_FILE = "demo.json"

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
crls = ["pki/ca-crl.pem"]

[broker]
name = "Melderegisterdatenspiegel Niedersachsen"
kennung = "dbs:mrds-niedersachsen"
"""


@dataclass(frozen=True, slots=True)
class InitResult:
    data_dir: Path
    config: Path
    demo: Path
    persons: int


def initialise(
    data_dir: Path,
    *,
    persons: int = 2000,
    seed: int = 1,
    listen: str = "127.0.0.1:8443",
    register_url: str | None = None,
    broker_url: str | None = None,
    progress: bool = True,
) -> InitResult:
    data_dir = data_dir.resolve()
    config_path = data_dir / CONFIG_NAME
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
        demo_path = _populate(
            data_dir,
            persons=persons,
            seed=seed,
            listen=listen,
            register_url=register_url,
            broker_url=broker_url,
            progress=progress,
        )
    except BaseException:
        # Leave nothing half-made behind: a second 'init' (or 'make run') must start clean.
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            for child in data_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return InitResult(data_dir, config_path, demo_path, persons)


def _populate(
    data_dir: Path,
    *,
    persons: int,
    seed: int,
    listen: str,
    register_url: str | None,
    broker_url: str | None,
    progress: bool,
) -> Path:
    config_path = data_dir / CONFIG_NAME
    pki = create_development_pki(
        data_dir / "pki",
        users=[user.key for user in DEMO_USERS],
    )
    config_path.write_text(
        _CONFIG_TEMPLATE.format(
            listen=listen,
            register_url=register_url or f"sqlite:///{data_dir / 'register.sqlite'}",
            broker_url=broker_url or f"sqlite:///{data_dir / 'broker.sqlite'}",
        ),
        encoding="utf-8",
    )
    config = load_config(config_path, env={})
    stores = open_stores(config)
    try:
        stores.register.import_persons(
            generate_persons(seed=seed, count=persons),
            source=f"synthetic generator, seed {seed}",
            kind="initialbestand",
            progress=progress,
        )
        users = register_demo_users(stores.access, pki)
    finally:
        stores.close()
    host, _, port = listen.rpartition(":")
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
    return demo_path
