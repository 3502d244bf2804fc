"""freie Suche end to end over real TLS (§ 34a Abs. 3 BMG, BMeldDAV § 7): ``datenspiegel
client freie-suche`` against ``datenspiegel serve``, and zeep calling the ``freieSuche``
operation of the WSDL the server serves — both answered with a signed 1333 status 04.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.xsd import codelists
from tests.serving import UNIQUE, Server, session, start_serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("freie-suche-e2e") / "var"
    initialise(data_dir, persons=300, progress=False)
    serving = start_serve(data_dir)
    try:
        yield Server.of(data_dir, serving)
    finally:
        serving.stop(timeout=30)


def _cli(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "datenspiegel.service.cli",
        "client",
        "freie-suche",
        "--data-dir",
        str(server.data_dir),
        "--endpoint",
        server.endpoint,
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_cli_client_freie_suche_prints_the_verified_result_list(server: Server) -> None:
    query = UNIQUE.query
    done = _cli(
        server,
        "--suchbereich",
        query.ags[:5],  # the district
        "--familienname",
        (query.familienname or "")[:4] + "*",
        "--vornamen",
        query.vornamen[0],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "signature verified" in done.stdout
    assert "1333 ergebnisstatus 04" in done.stdout
    assert query.familienname in done.stdout


def test_cli_client_freie_suche_rejection_exit_3(server: Server) -> None:
    """BMeldDAV § 7 Abs. 3: a placeholder may not come first (rejection 17)."""
    done = _cli(server, "--suchbereich", "03", "--familienname", "*mann")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "1333 rejection 17" in done.stdout


def test_zeep_calls_freie_suche_from_the_served_wsdl(server: Server) -> None:
    import zeep
    from zeep.transports import Transport

    from datenspiegel.service.zeep_plugin import XmlDsigPlugin

    user = server.user("ordnungsamt")
    plugin = XmlDsigPlugin.from_pem_files(
        key=Path(user["key"]),
        certificate=Path(user["certificate"]),
        ca_file=server.ca_file,
        broker_certificate=Path(str(server.demo["broker_certificate"])),
    )
    client = zeep.Client(
        f"{server.endpoint}?wsdl",
        plugins=[plugin],
        transport=Transport(session=session(server.ca_file), operation_timeout=30, timeout=30),
    )
    demo = next(u for u in DEMO_USERS if u.key == "ordnungsamt")
    query = UNIQUE.query

    def code(value: str, info: codelists.CodeListInfo) -> dict[str, str]:
        return {"code": value, "listURI": info.uri, "listVersionID": info.version}

    def behoerde(kennung: str, name: str) -> dict[str, object]:
        return {
            "verzeichnisdienst": code("DVDV", codelists.VERZEICHNISDIENST),
            "kennung": kennung,
            "name": name,
        }

    stelle = demo.stelle
    client.service.freieSuche(
        **{
            "version": "1.0",
            "nachrichtenkopf.g2g": {
                "identifikation.nachricht": {
                    "nachrichtenUUID": str(uuid.uuid4()),
                    "nachrichtentyp": code("1332", codelists.NACHRICHTENTYP),
                    "erstellungszeitpunkt": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                "leser": behoerde(f"ags:{query.ags}", "Gemeinde"),
                "autor": behoerde(demo.authority_kennung, demo.authority_name),
            },
            "anfragendeStelle": {
                "behoerdenname": stelle.behoerdenname,
                "anschrift": {
                    "strasse": stelle.strasse,
                    "hausnummer": stelle.hausnummer,
                    "postleitzahl": stelle.postleitzahl,
                    "ort": stelle.ort,
                },
                "telefon": stelle.telefon,
                "email": stelle.email,
                "aktenzeichen": stelle.aktenzeichen,
                "anlass": stelle.anlass,
                "kennungAnfragendePerson": stelle.kennung_anfragende_person,
                "sicherheitsbehoerde": False,
            },
            "anforderungselement": [
                code(str(c), codelists.FREIESUCHE_ANFORDERUNGSELEMENT) for c in (1, 6, 11, 21)
            ],
            "auswahldaten": {
                "suchbereich": {"gemeindeschluessel": query.ags},
                "familienname": {"_value_1": query.familienname, "phonetisch": False},
            },
        }
    )
    verified = plugin.last_verified
    assert verified is not None
    assert verified.tag.endswith("datenabruf.freieSuche.antwort.1333")
    assert verified.findtext("ergebnis/ergebnisstatus/code") == "04"
    names = [p.findtext("familienname") for p in verified.iterfind("ergebnis/ergebnisliste/person")]
    assert names and set(names) == {query.familienname}
