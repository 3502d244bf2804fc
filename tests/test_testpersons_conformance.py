"""The documented test persons (docs/testpersonen.md) through the whole pipeline.

Vendors test against this table; here every case is sent as a signed 1330 by the demo public
body to a broker built from ``datenspiegel init`` and must get the documented status.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from datenspiegel.fixtures.testpersons import TEST_CASES, TestCase, find_test_person
from datenspiegel.service.app import Stores, build_broker, open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.broker import Broker, ReplyKind
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.signing import MessageSigner, MessageVerifier, SigningIdentity, TrustStore
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd import serialize


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Broker, dict, Stores]]:
    data_dir = tmp_path_factory.mktemp("conformance") / "var"
    initialise(data_dir, persons=500, progress=False)
    config = load_config(data_dir / CONFIG_NAME, env={})
    stores = open_stores(config)
    demo = json.loads((data_dir / "demo.json").read_text(encoding="utf-8"))
    try:
        yield build_broker(config, stores), demo, stores
    finally:
        stores.close()


def _send(
    initialised: tuple[Broker, dict, Stores], case: TestCase, user_key: str, elemente: list[int]
) -> Any:
    broker, demo, _ = initialised
    user = demo["users"][user_key]
    profile = next(u for u in DEMO_USERS if u.key == user_key)
    signer = MessageSigner(
        SigningIdentity.from_pem_files(Path(user["key"]), Path(user["certificate"]))
    )
    root = build_personensuche(
        leser=Behoerde(kennung=f"ags:{case.query.ags}", name="Gemeinde"),
        autor=Behoerde(kennung=profile.authority_kennung, name=profile.authority_name),
        stelle=profile.stelle,
        elemente=elemente,
        query=case.query,
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
    )
    reply = broker.submit(serialize(signer.sign(root)))
    assert reply.kind is ReplyKind.ANSWER, reply.message
    trust = TrustStore.from_pem_files([Path(demo["ca_file"])])
    return MessageVerifier(trust).verify(reply.document).root


@pytest.mark.parametrize("case", TEST_CASES, ids=lambda c: c.kennung)
def test_documented_case(initialised: tuple[Broker, dict, Stores], case: TestCase) -> None:
    answer = _send(initialised, case, "ordnungsamt", [1, 7, 13, 43, 44, 48, 49])
    assert answer.find("rueckweisung") is None, answer.findtext("rueckweisung/freitext")
    assert answer.findtext("ergebnis/ergebnisstatus/code") == case.status
    if case.status == "01":
        (person_id,) = case.treffer
        expected = find_test_person(person_id)
        assert answer.findtext("ergebnis/person/familienname") == expected.familienname
        assert [v.text for v in answer.iterfind("ergebnis/person/vorname")] == list(
            expected.vornamen
        )
    if case.status == "02":
        assert len(answer.findall("ergebnis/trefferliste/treffer")) == len(case.treffer)


TF20 = next(c for c in TEST_CASES if c.kennung == "TF20")


def test_security_authority_receives_documents_weapons_and_landlord(
    initialised: tuple[Broker, dict, Stores],
) -> None:
    person = _send(initialised, TF20, "polizei", [1, *range(163, 186)]).find("ergebnis/person")
    assert person is not None
    assert person.findtext("ausweis/seriennummer") == "T01K1MM3X"
    assert person.findtext("waffenerlaubnis/behoerde") == "Landkreis Celle"
    assert person.findtext("waffenbesitzverbot/vorhanden") == "false"
    assert person.findtext("sprengstofferlaubnis/aktenzeichen") == "SprengG-27/05"
    assert person.findtext("wohnungsgeber/name") == "Kimme, Rüdiger"


@pytest.mark.parametrize(
    ("elemente", "code"), [([163], "07"), ([176], "08"), ([178], "09"), ([184], "10")]
)
def test_public_body_may_not_receive_them(
    initialised: tuple[Broker, dict, Stores], elemente: list[int], code: str
) -> None:
    answer = _send(initialised, TF20, "ordnungsamt", [1, *elemente])
    assert answer.findtext("rueckweisung/grund/code") == code
    assert answer.find("ergebnis") is None
