"""Issue 8, point 2 ("Must show"), end to end over real TLS against ``datenspiegel serve``.

§ 39 BMG, Nds. NMeldVO § 26 (DOMAIN.md § 7): the operator registers an authority with its
main administrator; the administrator — alone — creates the users of that authority through
the administration service; the operator may block a user at any time, and the block holds
from the next request on; every transaction is in the § 40 protocol, every change of the
registry in its event log.

Here: the operator registers an authority with ``datenspiegel authority add`` (its
administrator's certificate issued by the data directory's development CA, its network
127.0.0.0/8, § 39 Abs. 3 BMG); the administrator creates a user with zeep against the served
administration WSDL — with the example of docs/administration.md, run as written; the user
retrieves the unique test person (status 01); the operator blocks the user with
``datenspiegel user block``; the next retrieval is refused with T070 within one second; the
protocol and the event log show all of it in this order. The reference client's
``nutzer-…`` commands are run against the same server.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from datenspiegel.access import ActorKind
from datenspiegel.protocol import ReadPurpose
from datenspiegel.protocol.record import Outcome
from datenspiegel.service.app import open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.client import DatenabrufClient, Reply
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.signing.pki import CertificateProfile, issue_certificate, load_issuer
from datenspiegel.transformers import AnfragendeStelle, Behoerde
from datenspiegel.wsdl import ADMINISTRATION_PATH, SERVICE_PATH
from tests.serving import UNIQUE, Server, start_serve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "zeep_administration.py"
GUIDE = ROOT / "docs" / "administration.md"

KENNUNG = "dbs:fa-hannover-nord"
NAME = "Finanzamt Hannover-Nord"
ADMIN = "FA-HN-ADM-1"
USER = "FA-HN-VST-4.2"
OPERATOR = "M. Schulz (Betrieb)"
STELLE = AnfragendeStelle(
    behoerdenname=NAME,
    strasse="Vahrenwalder Straße",
    hausnummer="206",
    postleitzahl="30165",
    ort="Hannover",
    telefon="+49 511 6790-0",
    email="poststelle@fa-hannover-nord.example",
    aktenzeichen="Nutzerverwaltung",
    anlass="Nutzerverwaltung (§ 39 BMG)",
    kennung_anfragende_person=ADMIN,
    verfahrensname=None,
    sicherheitsbehoerde=False,
)


@dataclass
class Scene:
    server: Server
    files: Path  # the administrator's and the user's keys and certificates, the § 11 data

    @property
    def admin_endpoint(self) -> str:
        return self.server.endpoint.removesuffix(SERVICE_PATH) + ADMINISTRATION_PATH

    @property
    def broker_certificate(self) -> Path:
        return Path(str(self.server.demo["broker_certificate"]))

    def pem(self, name: str) -> Path:
        return self.files / f"{name}.pem"


def _issue(data_dir: Path, files: Path, name: str) -> None:
    """A user certificate of the data directory's development CA, as the authority's PKI."""
    ca = load_issuer(data_dir / "pki" / "ca-cert.pem", data_dir / "pki" / "ca-key.pem")
    issued = issue_certificate(name, profile=CertificateProfile.USER, issuer=ca)
    issued.write(files / f"{name}-cert.pem", files / f"{name}-key.pem")


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    base = tmp_path_factory.mktemp("administration-e2e")
    data_dir, files = base / "var", base / "files"
    initialise(data_dir, persons=5, progress=False)
    files.mkdir()
    _issue(data_dir, files, "admin")
    _issue(data_dir, files, "user")
    serving = start_serve(data_dir)
    try:
        yield Scene(Server.of(data_dir, serving), files)
    finally:
        serving.stop(timeout=30)


def _today() -> date:
    """The registry's day (UTC): an instruction date after it is refused as in the future."""
    return datetime.now(UTC).date()


def _datenspiegel(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "datenspiegel.service.cli", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _example() -> ModuleType:
    """docs/examples/zeep_administration.py, imported as the guide shows it."""
    spec = importlib.util.spec_from_file_location("zeep_administration", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _retrieve(scene: Scene) -> tuple[Reply, float]:
    """The new user's Personensuche of the unique test person, and when its answer came."""
    client = DatenabrufClient(
        endpoint=scene.server.endpoint,
        ca_file=scene.server.ca_file,
        broker_certificate=scene.broker_certificate,
        user_key=scene.pem("user-key"),
        user_certificate=scene.pem("user-cert"),
    )
    reply = client.personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=Behoerde(kennung=KENNUNG, name=NAME),
        stelle=replace(
            STELLE,
            aktenzeichen="VST 4711/26",
            anlass="Vollstreckung einer Steuerforderung",
            kennung_anfragende_person=USER,
        ),
        elemente=[1],
        query=UNIQUE.query,
    )
    return reply, time.monotonic()


def test_the_guide_shows_the_example_the_test_runs() -> None:
    """docs/administration.md includes docs/examples/zeep_administration.py verbatim."""
    assert f"```python\n{EXAMPLE.read_text(encoding='utf-8')}```" in GUIDE.read_text("utf-8")


def test_register_administer_retrieve_block_refuse_in_order(scene: Scene) -> None:
    """The issue's scene, step by step; each step is checked where it happens and again, in
    order, in the § 40 protocol and the registry's event log (DOMAIN.md § 7)."""
    server = scene.server
    data_dir = server.data_dir

    # 1. the operator registers the authority, naming its main administrator (§ 39 BMG,
    #    NMeldVO § 26) and its client network (§ 39 Abs. 3 BMG: this machine)
    added = _datenspiegel(
        "authority", "add", "--data-dir", str(data_dir),
        "--kennung", KENNUNG, "--name", NAME, "--klasse", "oeffentlich",
        "--anschrift", "Vahrenwalder Straße 206", "--anschrift", "30165 Hannover",
        "--telefon", STELLE.telefon, "--email", STELLE.email,
        "--network", "127.0.0.0/8",
        "--admin-kennung", ADMIN, "--admin-name", "Anna Beispiel",
        "--admin-email", "a.beispiel@fa-hannover-nord.example",
        "--admin-belehrt-am", _today().isoformat(),
        "--admin-certificate", str(scene.pem("admin-cert")),
        "--operator", OPERATOR,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert f"registered: {KENNUNG}" in added.stdout

    # 2. its administrator creates a user with zeep, from the served WSDL (the guide's code)
    example = _example()
    client, plugin = example.administration_client(
        f"{scene.admin_endpoint}?wsdl",
        key=scene.pem("admin-key"),
        certificate=scene.pem("admin-cert"),
        tls_ca=server.ca_file,
        signing_ca=server.ca_file,
        broker_certificate=scene.broker_certificate,
    )
    broker = load_config(data_dir / CONFIG_NAME).broker
    created = example.nutzer_anlegen(
        client,
        plugin,
        broker=(broker.kennung, broker.name),
        autor=(KENNUNG, NAME),
        stelle={
            "behoerdenname": NAME,
            "anschrift": {
                "strasse": STELLE.strasse,
                "hausnummer": STELLE.hausnummer,
                "postleitzahl": STELLE.postleitzahl,
                "ort": STELLE.ort,
            },
            "telefon": STELLE.telefon,
            "email": STELLE.email,
            "aktenzeichen": STELLE.aktenzeichen,
            "anlass": STELLE.anlass,
            "kennungAnfragendePerson": ADMIN,
            "sicherheitsbehoerde": False,
        },
        kennung=USER,
        name="Vollstreckungsstelle 4.2",
        belehrt_am=_today(),
        certificate_pem=scene.pem("user-cert"),
        operationen=("personensuche",),
        elemente=(1, 7, 13),
    )
    assert created.tag.endswith("administration.antwort.9101")
    assert created.findtext("ausgefuehrt") == "true", created.findtext("fehler/text")
    assert created.findtext("nutzer/kennung") == USER
    assert created.findtext("nutzer/gesperrt") == "false"
    assert len(created.findall("nutzer/zertifikat")) == 1

    # 3. the user retrieves the unique test person
    answered, _ = _retrieve(scene)
    assert not answered.fault and answered.status == "01", answered.root.findtext(".//text")

    # 4. the operator blocks the user; 5. the next retrieval is refused (T070) within 1 s
    blocked = _datenspiegel(
        "user", "block", KENNUNG, USER, "--data-dir", str(data_dir),
        "--grund", "Ticket 2026-1142: Schlüssel kompromittiert", "--operator", OPERATOR,
    )  # fmt: skip
    block_done = time.monotonic()
    assert blocked.returncode == 0, blocked.stderr
    refused, refused_at = _retrieve(scene)
    assert refused.fault and refused.codes == ["T070"]
    assert refused_at - block_done < 1.0
    assert b"Schl" not in refused.document  # the reason is for the protocol, not the client

    # 6. the protocol and the event log show all of it, in order
    stores = open_stores(load_config(data_dir / CONFIG_NAME))
    try:
        authority = stores.access.authority_by_kennung(KENNUNG)
        assert authority is not None
        records = stores.protocol.records(
            reader="tests",
            purpose=ReadPurpose.DATENSCHUTZKONTROLLE,
            authority_id=authority.id,
        )
        events = stores.access.admin_events(authority_kennung=KENNUNG)
    finally:
        stores.close()
    assert [(r.service, r.outcome, r.outcome_codes, r.user_kennung) for r in records] == [
        ("nutzerAnlegen", Outcome.ANSWERED, ("04",), ADMIN),
        ("personensuche", Outcome.ANSWERED, ("01",), USER),
        ("personensuche", Outcome.RETURNED, ("T070",), USER),
    ]
    assert records[0].search_data == {"aktion": "nutzerAnlegen", "nutzer": USER}
    assert records[0].detail == "nutzerAnlegen: ausgefuehrt"
    assert "user is blocked: Ticket 2026-1142" in (records[2].detail or "")
    assert [(e.action.value, e.actor.kind, e.actor.name, e.target) for e in events] == [
        ("authority.add", ActorKind.OPERATOR, OPERATOR, None),
        ("user.add", ActorKind.ADMINISTRATOR, ADMIN, USER),
        ("user.block", ActorKind.OPERATOR, OPERATOR, USER),
    ]
    timeline = sorted(  # by time only: on a tie, a record's receipt stays before its answer
        [(e.at, e.action.value) for e in events]
        + [(r.received_at, f"{r.service} received") for r in records]
        + [(r.answered_at, f"{r.service} {r.outcome_codes[0]}") for r in records],
        key=lambda entry: entry[0],
    )
    assert [label for _, label in timeline] == [
        "authority.add",
        "nutzerAnlegen received",
        "user.add",
        "nutzerAnlegen 04",
        "personensuche received",
        "personensuche 01",
        "user.block",
        "personensuche received",
        "personensuche T070",
    ]
    assert all(moment.tzinfo is not None for moment, _ in timeline)
    assert timeline[-1][0] <= datetime.now(UTC)

    # 7. the administrator's reference client against the same server
    _reference_client(scene)


def _client_command(scene: Scene, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``datenspiegel client COMMAND`` as the authority's administrator, all named explicitly
    (endpoint, key, certificate, authority and its § 11 block; CA files from the data dir)."""
    stelle = scene.files / "stelle.json"
    stelle.write_text(
        json.dumps(
            {k: v for k, v in asdict(STELLE).items() if k not in ("aktenzeichen", "anlass")}
        ),
        encoding="utf-8",
    )
    return _datenspiegel(
        "client", command, "--data-dir", str(scene.server.data_dir),
        "--endpoint", scene.admin_endpoint,
        "--key", str(scene.pem("admin-key")), "--certificate", str(scene.pem("admin-cert")),
        "--autor-kennung", KENNUNG, "--stelle", str(stelle),
        *args,
    )  # fmt: skip


def _reference_client(scene: Scene) -> None:
    """``datenspiegel client nutzer-…``: the list of the own authority's users (exit 0,
    --json), a refusal (exit 3, fehler, nothing changed), and a technical rejection (exit 1)
    for a user who is no administrator (access decision rule 4b, T070)."""
    listed = _client_command(scene, "nutzer-liste", "--json")
    assert listed.returncode == 0, listed.stderr
    answer = json.loads(listed.stdout)
    assert answer["aktion"] == "nutzerListe" and answer["ausgefuehrt"] is True
    users = {u["kennung"]: u for u in answer["nutzer"]}
    assert set(users) == {ADMIN, USER}
    assert users[ADMIN]["rollen"] == ["administrator"]
    user = users[USER]
    # blocked by the operator: the authority learns that, not the operator's reason (DOMAIN § 7)
    assert user["gesperrt"] is True and "Ticket" not in listed.stdout
    assert user["sperrgrund"] == "gesperrt durch den Betreiber des Melderegisterdatenspiegels"
    assert user["erlaubte_operationen"] == ["personensuche"]
    assert user["erlaubte_elemente"] == [1, 7, 13]
    assert user["belehrt_am"] == _today().isoformat() and len(user["zertifikate"]) == 1

    again = _client_command(
        scene, "nutzer-anlegen", "--kennung", USER, "--name", "Doppelt",
        "--belehrt-am", _today().isoformat(),
    )  # fmt: skip
    assert again.returncode == 3, again.stdout + again.stderr
    assert "nutzerAnlegen refused (nutzerVorhanden)" in again.stdout
    assert "nothing was changed" in again.stdout

    changed = _client_command(scene, "nutzer-aendern", "--kennung", USER, "--elemente", "1,7")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert changed.stdout.startswith("signature verified: answer signed by the broker")
    assert "nutzerAendern: done" in changed.stdout
    assert f"  {USER}  blocked  sachbearbeitung" in changed.stdout
    assert "operations: personensuche; elements: 1,7" in changed.stdout

    clerk = scene.server.user("ordnungsamt")  # the demo authority's clerk, on its defaults
    not_admin = _datenspiegel(
        "client", "nutzer-liste", "--data-dir", str(scene.server.data_dir),
        "--endpoint", scene.admin_endpoint,
        "--key", clerk["key"], "--certificate", clerk["certificate"],
    )  # fmt: skip
    assert not_admin.returncode == 1, not_admin.stdout + not_admin.stderr
    assert "0910 technical rejection T070" in not_admin.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nutzer-liste", "--autor-kennung", KENNUNG], "--autor-kennung needs --stelle"),
        (["nutzer-aendern", "--kennung", USER], "give what changes"),
        (
            [
                "nutzer-anlegen",
                "--kennung",
                USER,
                "--name",
                "N",
                "--belehrt-am",
                "2026-01-01",
                "--elemente",
                "1,186",
            ],
            "element codes run from 1 to 185",
        ),
        (["nutzer-liste"], "give --endpoint"),
        (["nutzer-aendern", "--kennung", USER, "--zertifikat-entfernen", "ab:cd"], "fingerprint"),
        (["nutzer-sperren", "--kennung", USER], "--grund"),
    ],
)
def test_reference_client_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A wrong command line sends nothing and says what to fix (exit 2)."""
    from datenspiegel.service.cli import main

    common = ["--data-dir", str(tmp_path), "--key", "k.pem", "--certificate", "c.pem"]
    try:
        code = main(["client", *argv, *common])
    except SystemExit as exc:  # argparse's own
        code = int(exc.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err
