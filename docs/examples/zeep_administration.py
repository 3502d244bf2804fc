"""Create a user of your authority with zeep: nutzerAnlegen (9100 → 9101), signed with the
administrator's key; the answer or the 0910 is verified against the pinned broker certificate.

Import ``administration_client`` and ``nutzer_anlegen`` into your tool, or run this file
against the development broker (docs/administration.md, "Trying it on the demo").
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import requests
import zeep
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from zeep.exceptions import Fault
from zeep.transports import Transport

from datenspiegel.service.zeep_plugin import UnverifiedReply, XmlDsigPlugin

NACHRICHTENTYP = "urn:xoev-de:datenspiegel:codeliste:nachrichtentyp"
VERZEICHNISDIENST = "urn:de:xta:codeliste:verzeichnisdienst"


def code(value: str, list_uri: str) -> dict[str, str]:
    return {"code": value, "listURI": list_uri, "listVersionID": "1"}


def behoerde(kennung: str, name: str) -> dict[str, Any]:
    return {"verzeichnisdienst": code("DVDV", VERZEICHNISDIENST), "kennung": kennung, "name": name}


def administration_client(
    wsdl: str,
    *,
    key: Path,
    certificate: Path,
    tls_ca: Path,
    signing_ca: Path,
    broker_certificate: Path,
) -> tuple[zeep.Client, XmlDsigPlugin]:
    """A zeep client of the administration service that signs with the administrator's key
    and hands on only answers signed by exactly ``broker_certificate``."""
    plugin = XmlDsigPlugin.from_pem_files(
        key=key, certificate=certificate, ca_file=signing_ca, broker_certificate=broker_certificate
    )
    session = requests.Session()
    session.trust_env = False  # an environment CA bundle must not override verify
    session.verify = str(tls_ca)
    # session.cert = (str(certificate), str(key))  # if the operator requires client certificates
    transport = Transport(session=session, timeout=30, operation_timeout=30)
    return zeep.Client(wsdl, plugins=[plugin], transport=transport), plugin


def nutzer_anlegen(
    client: zeep.Client,
    plugin: XmlDsigPlugin,
    *,
    broker: tuple[str, str],
    autor: tuple[str, str],
    stelle: dict[str, Any],
    kennung: str,
    name: str,
    belehrt_am: date,
    certificate_pem: Path,
    rollen: tuple[str, ...] = ("sachbearbeitung",),
    operationen: tuple[str, ...] | None = None,
    elemente: tuple[int, ...] | None = None,
    email: str | None = None,
) -> etree._Element:
    """Create the user; return the verified 9101 (``ausgefuehrt`` or ``fehler``).

    A technical rejection raises zeep's ``Fault``; its verified 0910 is then
    ``plugin.last_verified``. A reply that does not verify raises ``UnverifiedReply``.
    """
    der = x509.load_pem_x509_certificate(certificate_pem.read_bytes()).public_bytes(Encoding.DER)
    nutzer: dict[str, Any] = {
        "kennung": kennung,
        "name": name,
        "rollen": {"rolle": list(rollen)},
        "belehrtAm": belehrt_am,  # § 41 BMG: the day of the instruction, required
        "zertifikat": der,  # zeep sends bytes as base64
    }
    if operationen is not None:
        nutzer["erlaubteOperationen"] = {"operation": list(operationen)}
    if elemente is not None:
        nutzer["erlaubteElemente"] = {"element": list(elemente)}
    if email is not None:
        nutzer["email"] = email
    client.service.nutzerAnlegen(
        **{
            "version": "1.0",
            "nachrichtenkopf.g2g": {
                "identifikation.nachricht": {
                    "nachrichtenUUID": str(uuid.uuid4()),
                    "nachrichtentyp": code("9100", NACHRICHTENTYP),
                    "erstellungszeitpunkt": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                "leser": behoerde(*broker),  # the broker itself, else T080
                "autor": behoerde(*autor),  # the authority of the administrator's certificate
            },
            "anfragendeStelle": stelle,
            "nutzer": nutzer,
        }
    )
    answer = plugin.last_verified
    assert answer is not None  # the plugin verified it before zeep returned
    return answer


def main() -> int:
    # --- what the operator gave you, and your administrator's key --------------------------
    client, plugin = administration_client(
        "https://127.0.0.1:8443/administration?wsdl",
        key=Path("admin-key.pem"),
        certificate=Path("admin-cert.pem"),
        tls_ca=Path("var/pki/ca-cert.pem"),
        signing_ca=Path("var/pki/ca-cert.pem"),
        broker_certificate=Path("var/pki/broker-cert.pem"),
    )
    broker = ("dbs:mrds-niedersachsen", "Melderegisterdatenspiegel Niedersachsen")
    autor = (
        "dbs:ordnungsamt-hannover",
        "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung",
    )
    stelle = {
        "behoerdenname": autor[1],
        "anschrift": {
            "strasse": "Trammplatz",
            "hausnummer": "2",
            "postleitzahl": "30159",
            "ort": "Hannover",
        },
        "telefon": "+49 511 168-0",
        "email": "ordnung@hannover-stadt.example",
        "aktenzeichen": "Nutzerverwaltung",
        "anlass": "Nutzerverwaltung (§ 39 BMG)",
        "kennungAnfragendePerson": "ADM-ordnungsamt",
        "sicherheitsbehoerde": False,
    }
    # ----------------------------------------------------------------------------------------
    try:
        answer = nutzer_anlegen(
            client,
            plugin,
            broker=broker,
            autor=autor,
            stelle=stelle,
            kennung="OA-32.4-0816",
            name="Sachbearbeitung Bußgeldstelle 2",
            belehrt_am=date(2026, 11, 2),
            certificate_pem=Path("user-cert.pem"),
            operationen=("personensuche",),
            elemente=(1, 7, 13, 44, 45, 46, 48, 49),
        )
    except Fault:  # technical rejection: the signed 0910 was verified before zeep raised
        ruecksendung = plugin.last_verified
        assert ruecksendung is not None
        print(
            "0910", ruecksendung.findtext("grund/code"), ruecksendung.findtext("fehlerbeschreibung")
        )
        return 1
    except UnverifiedReply as exc:  # never act on an unverified reply
        print(f"reply rejected: {exc}")
        return 1
    if answer.find("fehler") is not None:  # refused: nothing was changed
        print("refused", answer.findtext("fehler/grund"), answer.findtext("fehler/text"))
        return 3
    for nutzer in answer.iterfind("nutzer"):
        print("created", nutzer.findtext("kennung"), "gesperrt:", nutzer.findtext("gesperrt"))
        for zertifikat in nutzer.iterfind("zertifikat"):
            print("  certificate", zertifikat.findtext("fingerabdruck"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
