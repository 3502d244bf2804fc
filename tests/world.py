"""A complete in-process broker for tests: PKI, stores, a small register, demo users."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from jwcrypto import jwk
from lxml import etree

from datenspiegel.register.model import Anschrift, Auskunftssperre, Person, TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.app import Stores, build_broker, protocol_key
from datenspiegel.service.broker import Broker
from datenspiegel.service.config import (
    BrokerConfig,
    ServerConfig,
    ServiceConfig,
    SigningConfig,
    StoresConfig,
)
from datenspiegel.service.demo import DEMO_USERS, DemoUser, register_demo_users
from datenspiegel.signing import (
    DevelopmentPki,
    MessageSigner,
    SigningIdentity,
    create_development_pki,
)
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd import serialize

AGS_HANNOVER = "03241001"
LESER = Behoerde(kennung=f"ags:{AGS_HANNOVER}", name="Landeshauptstadt Hannover")


def _address(strasse: str, nummer: str, **extra: object) -> Anschrift:
    return Anschrift(
        ags=AGS_HANNOVER,
        postleitzahl="30161",
        wohnort="Hannover",
        strasse=strasse,
        hausnummer=nummer,
        wohnungsstatus="1",
        einzugsdatum=TeilbekanntesDatum(2015, 4, 1),
        **extra,  # type: ignore[arg-type]
    )


PERSONS = (
    Person(
        id=1,
        ags=AGS_HANNOVER,
        familienname="Quastenberg",
        geburtsname="Lührs",
        vornamen=("Hannelore", "Maria"),
        gebraeuchlicher_vorname="Hannelore",
        doktorgrad="Dr.",
        geburtsdatum=TeilbekanntesDatum(1961, 7, 14),
        geburtsort="Celle",
        geschlecht="w",
        staatsangehoerigkeiten=("DEU",),
        anschriften=(_address("Lister Meile", "12"),),
    ),
    Person(
        id=2,
        ags=AGS_HANNOVER,
        familienname="Wendebrink",
        vornamen=("Jens",),
        geburtsdatum=TeilbekanntesDatum(1980, 1, 2),
        geschlecht="m",
        anschriften=(_address("Podbielskistraße", "5"),),
    ),
    Person(
        id=3,
        ags=AGS_HANNOVER,
        familienname="Wendebrink",
        vornamen=("Jens", "Ole"),
        geburtsdatum=TeilbekanntesDatum(1980, 1, 2),
        geschlecht="m",
        anschriften=(_address("Podbielskistraße", "7", bedingter_sperrvermerk=True),),
    ),
    Person(
        id=4,
        ags=AGS_HANNOVER,
        familienname="Schattenfroh",
        vornamen=("Karla",),
        geburtsdatum=TeilbekanntesDatum(1990, 9, 9),
        anschriften=(_address("Lister Meile", "40"),),
        auskunftssperren=(Auskunftssperre(code="3"),),
    ),
    Person(
        id=5,
        ags=AGS_HANNOVER,
        familienname="Verborgen",
        vornamen=("Theo",),
        geburtsdatum=TeilbekanntesDatum(1975, 5, 5),
        anschriften=(_address("Lister Meile", "41"),),
        auskunftssperren=(Auskunftssperre(code="11", veranlassende_stelle="LKA Niedersachsen"),),
    ),
)


@dataclass
class World:
    broker: Broker
    stores: Stores
    pki: DevelopmentPki
    signers: dict[str, MessageSigner]
    #: per authority id, the private protocol key of a security authority whose records are
    #: sealed on its behalf (§ 40 Abs. 3 BMG; tests/sealing.py)
    protocol_keys: dict[int, jwk.JWK] = field(default_factory=dict)
    #: the configuration the broker was built from (build_front, periodic_tasks)
    config: ServiceConfig | None = None

    def request(
        self,
        user: str = "ordnungsamt",
        *,
        query: PersonensucheQuery | None = None,
        merkmal: str | None = None,
        elemente: Iterable[int] = (1, 7, 13, 44, 45, 46, 48, 49),
        leser: Behoerde = LESER,
        autor: Behoerde | None = None,
        sicherheitsbehoerde: bool | None = None,
        verzicht: bool = False,
    ) -> etree._Element:
        demo = _demo(user)
        stelle = demo.stelle
        if sicherheitsbehoerde is not None:
            from dataclasses import replace

            stelle = replace(stelle, sicherheitsbehoerde=sicherheitsbehoerde)
        if query is None and merkmal is None:
            query = PersonensucheQuery(
                ags=AGS_HANNOVER,
                familienname="Quastenberg",
                vornamen=("Hannelore",),
                geburtsdatum=TeilbekanntesDatum(1961, 7, 14),
            )
        return build_personensuche(
            leser=leser,
            autor=autor or Behoerde(kennung=demo.authority_kennung, name=demo.authority_name),
            stelle=stelle,
            elemente=elemente,
            query=query,
            identifikationsmerkmal=merkmal,
            verzicht_auf_mitteilung=verzicht,
            erstellt=datetime.now(UTC),
            nachrichten_uuid=str(uuid.uuid4()),
        )

    def signed(self, root: etree._Element, user: str = "ordnungsamt") -> bytes:
        return serialize(self.signers[user].sign(root))


def _demo(key: str) -> DemoUser:
    return next(u for u in DEMO_USERS if u.key == key)


def build_world(
    tmp_path: Path, database_url: str | None = None, *, write_timeout: float = 30.0
) -> World:
    pki = create_development_pki(tmp_path / "pki", users=[u.key for u in DEMO_USERS])
    broker_url = database_url or f"sqlite:///{tmp_path / 'broker.sqlite'}"
    register_url = database_url or f"sqlite:///{tmp_path / 'register.sqlite'}"
    stores = Stores.open(
        broker_url=broker_url, register_url=register_url, write_timeout=write_timeout
    )
    stores.migrate()
    stores.register.import_persons(PERSONS, source="tests", kind="test")
    demo = register_demo_users(stores.access, pki)
    config = ServiceConfig(
        path=tmp_path / "datenspiegel.toml",
        server=ServerConfig(
            host="127.0.0.1",
            port=0,
            tls_certificate=pki.tls_cert,
            tls_key=pki.tls_key,
            client_ca=None,
            max_body_bytes=1_048_576,
            public_url=None,
        ),
        stores=StoresConfig(register_url=register_url, broker_url=broker_url),
        signing=SigningConfig(
            key=pki.broker_key,
            certificate=pki.broker_cert,
            trust_anchors=(pki.ca_cert,),
            crls=(pki.crl,),
        ),
        # The corpora send hundreds of requests per user a minute; tests/test_quotas.py checks
        # the quotas themselves with small limits.
        broker=BrokerConfig(
            name="Melderegisterdatenspiegel Niedersachsen",
            kennung="dbs:mrds",
            quota_user_per_minute=100_000,
            quota_authority_per_minute=100_000,
        ),
    )
    # records are tagged as the service tags them (protocol/log.py)
    stores.protocol.record_key = protocol_key(pki.directory / "protocol-tag.key")
    signers = {
        u.key: MessageSigner(
            SigningIdentity.from_pem_files(pki.users[u.key].key, pki.users[u.key].cert)
        )
        for u in DEMO_USERS
    }
    protocol_keys = {}
    for entry in demo.values():
        if "protocol_key" in entry:
            authority = stores.access.authority_by_kennung(entry["authority"])
            assert authority is not None
            protocol_keys[authority.id] = jwk.JWK.from_pem(Path(entry["protocol_key"]).read_bytes())
    return World(build_broker(config, stores), stores, pki, signers, protocol_keys, config)
