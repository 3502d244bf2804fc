"""The demo authorities and users that ``datenspiegel init`` registers (development only).

Each demo authority is registered as the operator would (docs/authorities.md): address and
contact, a main administrator (a user with the role ADMINISTRATOR, without a certificate — the
development PKI issues none for it), and client networks. The networks are the loopback ones
(``127.0.0.0/8``, ``::1``), where ``make run`` serves and the demo client calls from; to call a
demo service from another machine, widen them (``datenspiegel authority set-networks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from datenspiegel.access.admin_log import Actor
from datenspiegel.access.model import Behoerdenklasse, Hauptadministrator, Kontakt, UserRole
from datenspiegel.access.networks import parse_netze
from datenspiegel.access.store import AccessStore
from datenspiegel.signing import DevelopmentPki, load_pem_certificates
from datenspiegel.signing.pki import CertificateFiles, CertificateProfile, issue_certificate
from datenspiegel.transformers import AnfragendeStelle

__all__ = ["DEMO_NETZE", "DEMO_USERS", "DemoUser", "register_demo_users"]

#: Where the demo clients call from: this machine (``make run`` listens on 127.0.0.1).
DEMO_NETZE = parse_netze(["127.0.0.0/8", "::1"])
_INIT = Actor.system("datenspiegel init")


@dataclass(frozen=True, slots=True)
class DemoUser:
    key: str  # name in demo.json and of the PKI files
    authority_kennung: str
    authority_name: str
    sicherheitsbehoerde: bool
    untertyp: int | None
    user_kennung: str
    user_name: str
    stelle: AnfragendeStelle


DEMO_USERS = (
    DemoUser(
        key="ordnungsamt",
        authority_kennung="dbs:ordnungsamt-hannover",
        authority_name="Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung",
        sicherheitsbehoerde=False,
        untertyp=None,
        user_kennung="OA-32.4-0815",
        user_name="Sachbearbeitung Bußgeldstelle",
        stelle=AnfragendeStelle(
            behoerdenname="Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung",
            strasse="Trammplatz",
            hausnummer="2",
            postleitzahl="30159",
            ort="Hannover",
            telefon="+49 511 168-0",
            email="ordnung@hannover-stadt.example",
            aktenzeichen="32.4-2026-0815",
            anlass="Zustellung eines Bußgeldbescheids",
            kennung_anfragende_person="OA-32.4-0815",
            verfahrensname=None,
            sicherheitsbehoerde=False,
        ),
    ),
    DemoUser(
        key="polizei",
        authority_kennung="dbs:pd-hannover",
        authority_name="Polizeidirektion Hannover",
        sicherheitsbehoerde=True,
        untertyp=1,
        user_kennung="PD-H-KOK-4711",
        user_name="Kriminaloberkommissarin Meyer",
        stelle=AnfragendeStelle(
            behoerdenname="Polizeidirektion Hannover",
            strasse="Waterloostraße",
            hausnummer="9",
            postleitzahl="30169",
            ort="Hannover",
            telefon="+49 511 109-0",
            email="poststelle@pd-h.polizei.example",
            aktenzeichen="PD-H 4711/26",
            anlass="Ermittlungsverfahren wegen Betrugs",
            kennung_anfragende_person="PD-H-KOK-4711",
            verfahrensname=None,
            sicherheitsbehoerde=True,
        ),
    ),
)


def _protocol_key(
    access: AccessStore, authority_id: int, pki: DevelopmentPki, key: str
) -> CertificateFiles:
    """The demo security authority's protocol key (§ 40 Abs. 3 BMG): its records are sealed
    to it, and ``datenspiegel protocol fetch-own`` opens them with the private key."""
    cert_path = pki.directory / "protocol" / f"{key}-cert.pem"
    key_path = pki.directory / "protocol" / f"{key}-key.pem"
    if cert_path.is_file() and key_path.is_file():
        files = CertificateFiles(cert_path, key_path)
    else:
        issued = issue_certificate(
            f"Protokollschlüssel {key}",
            profile=CertificateProfile.ENCRYPTION,
            issuer=pki.load_ca(),
        )
        files = issued.write(cert_path, key_path)
    access.set_protocol_key(authority_id, load_pem_certificates(files.cert)[0], actor=_INIT)
    return files


def register_demo_users(access: AccessStore, pki: DevelopmentPki) -> dict[str, dict[str, str]]:
    """Register the demo authorities and users, each bound to its PKI certificate.

    Returns per demo user what ``demo.json`` tells scripts: Kennungen, key and certificate.
    """
    users: dict[str, dict[str, str]] = {}
    # The instruction on purpose limitation (§ 41 BMG): the demo's people are instructed the
    # day the data directory is made.
    today = datetime.now(UTC).date()
    for demo in DEMO_USERS:
        stelle = demo.stelle
        kontakt = Kontakt(telefon=stelle.telefon, email=stelle.email)
        authority = access.authority_by_kennung(demo.authority_kennung)
        if authority is None:
            authority = access.add_authority(
                kennung=demo.authority_kennung,
                name=demo.authority_name,
                klasse=(
                    Behoerdenklasse.SICHERHEITSBEHOERDE
                    if demo.sicherheitsbehoerde
                    else Behoerdenklasse.OEFFENTLICHE_STELLE
                ),
                untertyp=demo.untertyp,
                anschrift=(
                    f"{stelle.strasse} {stelle.hausnummer}",
                    f"{stelle.postleitzahl} {stelle.ort}",
                ),
                kontakt=kontakt,
                administrator=Hauptadministrator(
                    kennung=f"ADM-{demo.key}",
                    name=f"Administration {demo.authority_name}"[:120],
                    kontakt=kontakt,
                    belehrt_am=today,
                ),
                netze=DEMO_NETZE,
                # the operator logs on behalf of the demo police authority (§ 40 Abs. 3)
                protokollierung_durch_betreiber=demo.sicherheitsbehoerde,
                actor=_INIT,
            )
        protocol_files = None
        if authority.protokollierung_durch_betreiber:
            protocol_files = _protocol_key(access, authority.id, pki, demo.key)
        user = access.add_user(
            authority_id=authority.id,
            kennung=demo.user_kennung,
            name=demo.user_name,
            belehrt_am=today,
            # the demo's security authority user also reads its own sealed protocol records
            roles=frozenset({UserRole.SACHBEARBEITUNG, UserRole.PROTOKOLLEINSICHT})
            if protocol_files is not None
            else frozenset({UserRole.SACHBEARBEITUNG}),
            actor=_INIT,
        )
        files = pki.users[demo.key]
        access.bind_certificate(user.id, load_pem_certificates(files.cert)[0], actor=_INIT)
        users[demo.key] = {
            "authority": demo.authority_kennung,
            "authority_name": demo.authority_name,
            "sicherheitsbehoerde": str(demo.sicherheitsbehoerde).lower(),
            "user": demo.user_kennung,
            "key": str(files.key),
            "certificate": str(files.cert),
            **(
                {
                    "protocol_key": str(protocol_files.key),
                    "protocol_certificate": str(protocol_files.cert),
                }
                if protocol_files is not None
                else {}
            ),
        }
    return users
