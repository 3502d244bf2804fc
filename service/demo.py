"""The demo authorities and users that ``datenspiegel init`` registers (development only)."""

from __future__ import annotations

from dataclasses import dataclass

from datenspiegel.access.model import Behoerdenklasse
from datenspiegel.access.store import AccessStore
from datenspiegel.signing import DevelopmentPki, load_pem_certificates
from datenspiegel.transformers import AnfragendeStelle

__all__ = ["DEMO_USERS", "DemoUser", "register_demo_users"]


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


def register_demo_users(access: AccessStore, pki: DevelopmentPki) -> dict[str, dict[str, str]]:
    """Register the demo authorities and users, each bound to its PKI certificate.

    Returns per demo user what ``demo.json`` tells scripts: Kennungen, key and certificate.
    """
    users: dict[str, dict[str, str]] = {}
    for demo in DEMO_USERS:
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
                administrator=f"Administration {demo.authority_name}"[:120],
                # the operator logs on behalf of the demo police authority (§ 40 Abs. 3)
                protokollierung_durch_betreiber=demo.sicherheitsbehoerde,
            )
        user = access.add_user(
            authority_id=authority.id, kennung=demo.user_kennung, name=demo.user_name
        )
        files = pki.users[demo.key]
        access.bind_certificate(user.id, load_pem_certificates(files.cert)[0])
        users[demo.key] = {
            "authority": demo.authority_kennung,
            "authority_name": demo.authority_name,
            "sicherheitsbehoerde": str(demo.sicherheitsbehoerde).lower(),
            "user": demo.user_kennung,
            "key": str(files.key),
            "certificate": str(files.cert),
        }
    return users
