"""A data directory for the benchmarks, made by ``datenspiegel init``, and signed requests.

The benchmarks measure the product as it is deployed: the data directory comes from
:func:`~datenspiegel.service.bootstrap.initialise` (development PKI, synthetic register with the
documented test persons, demo authorities and users), the in-process broker from
:func:`~datenspiegel.service.app.build_broker`, the server from ``datenspiegel serve``.

Every request is signed before any timing starts and carries a message id of its own, so no
measurement pays for the client's signature and a future replay check sees no duplicates.
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from tqdm import tqdm

from datenspiegel.fixtures.testpersons import TEST_CASES, TestCase
from datenspiegel.service.app import Stores, build_broker, open_stores
from datenspiegel.service.bootstrap import DEMO_FILE, KEY_TYPES, initialise
from datenspiegel.service.broker import Broker
from datenspiegel.service.cli_client import DEFAULT_ELEMENTE, parse_elemente
from datenspiegel.service.config import CONFIG_NAME, ServiceConfig, load_config
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.signing import MessageSigner, SigningIdentity
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd import serialize

__all__ = [
    "ELEMENTE",
    "KEY_TYPES",
    "UNIQUE_CASE",
    "BenchWorld",
    "RequestFactory",
    "add_key_type_argument",
    "create_world",
    "key_type_of",
    "load_world",
    "open_broker",
]

#: The documented unique test person (status 01), searched exactly: the common transaction.
UNIQUE_CASE: TestCase = next(c for c in TEST_CASES if c.status == "01" and not c.query.phonetisch)
#: What the reference client asks for by default: names, birth, sex, nationality, address.
ELEMENTE: tuple[int, ...] = tuple(parse_elemente(DEFAULT_ELEMENTE))


@dataclass(frozen=True, slots=True)
class BenchWorld:
    data_dir: Path
    config: ServiceConfig
    demo: dict[str, Any]

    @property
    def backend(self) -> str:
        return "sqlite" if self.config.stores.broker_url.startswith("sqlite") else "postgresql"

    @property
    def key_type(self) -> str:
        """The signature profile of the broker's key, as ``init --key-type`` names it."""
        identity = SigningIdentity.from_pem_files(
            self.config.signing.key, self.config.signing.certificate
        )
        return key_type_of(identity)

    def user_files(self, user: str) -> tuple[Path, Path]:
        entry = self.demo["users"][user]
        return Path(entry["key"]), Path(entry["certificate"])


def key_type_of(identity: SigningIdentity) -> str:
    """``ec-p256``, ``rsa-3072`` … : the key's kind as ``init --key-type`` names it."""
    key = identity.private_key
    if isinstance(key, rsa.RSAPrivateKey):
        return f"rsa-{key.key_size}"
    return "ec-p256" if key.curve.name == "secp256r1" else f"ec-{key.curve.name}"


def add_key_type_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key-type",
        choices=tuple(KEY_TYPES),
        default="ec-p256",
        help="signature profile of the broker's and the users' keys in a fresh data directory "
        "(datenspiegel init --key-type; default %(default)s; a --data-dir keeps its own)",
    )


def create_world(
    data_dir: Path,
    *,
    persons: int,
    seed: int = 1,
    database_url: str | None = None,
    progress: bool = True,
    key_type: str = "ec-p256",
) -> BenchWorld:
    """``datenspiegel init`` into ``data_dir`` (register and broker state in ``database_url``
    when given, else SQLite files in the directory); ``key_type`` is the signature profile of
    the broker's and the users' keys (``init --key-type``: ``ec-p256`` or ``rsa-3072``)."""
    initialise(
        data_dir,
        persons=persons,
        seed=seed,
        register_url=database_url,
        broker_url=database_url,
        progress=progress,
        key_type=KEY_TYPES[key_type],
    )
    return load_world(data_dir)


#: Configuration overrides of every benchmark: quotas out of reach (see ``load_world``).
QUOTAS_OFF = {
    "DATENSPIEGEL_BROKER_QUOTA_USER_PER_MINUTE": "1000000000",
    "DATENSPIEGEL_BROKER_QUOTA_AUTHORITY_PER_MINUTE": "1000000000",
}


def load_world(data_dir: Path) -> BenchWorld:
    data_dir = data_dir.resolve()
    # One user sends everything: the per-user and per-authority quotas are set beyond reach,
    # so their counting is measured but never refuses (a benchmark measures the work).
    config = load_config(data_dir / CONFIG_NAME, env=QUOTAS_OFF)
    demo = json.loads((data_dir / DEMO_FILE).read_text(encoding="utf-8"))
    return BenchWorld(data_dir, config, demo)


@contextmanager
def open_broker(world: BenchWorld) -> Iterator[tuple[Broker, Stores]]:
    """The broker exactly as ``datenspiegel serve`` assembles it, without the HTTP front."""
    stores = open_stores(world.config)
    try:
        yield build_broker(world.config, stores), stores
    finally:
        stores.close()


class RequestFactory:
    """Builds and signs Personensuche requests of one demo user for one test case."""

    def __init__(
        self, world: BenchWorld, *, user: str = "ordnungsamt", case: TestCase = UNIQUE_CASE
    ) -> None:
        demo = next(u for u in DEMO_USERS if u.key == user)
        key, certificate = world.user_files(user)
        self._signer = MessageSigner(SigningIdentity.from_pem_files(key, certificate))
        self._autor = Behoerde(kennung=demo.authority_kennung, name=demo.authority_name)
        self._stelle = demo.stelle
        self._leser = Behoerde(kennung=f"ags:{case.query.ags}", name=f"Gemeinde {case.query.ags}")
        self.case = case

    @property
    def signer(self) -> MessageSigner:
        return self._signer

    def unsigned(self) -> etree._Element:
        return build_personensuche(
            leser=self._leser,
            autor=self._autor,
            stelle=self._stelle,
            elemente=ELEMENTE,
            query=self.case.query,
            erstellt=datetime.now(UTC),
            nachrichten_uuid=str(uuid.uuid4()),
        )

    def signed(self) -> bytes:
        return serialize(self._signer.sign(self.unsigned()))

    def presign(self, count: int, *, progress: bool = True) -> list[bytes]:
        """``count`` signed requests, each with its own message id."""
        return [
            self.signed()
            for _ in tqdm(
                range(count),
                desc="signing requests",
                unit=" req",
                leave=False,
                disable=not progress,
            )
        ]
