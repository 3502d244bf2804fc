"""The demo authorities and users that ``datenspiegel init`` registers (development only)."""

from __future__ import annotations

from dataclasses import dataclass

from datenspiegel.transformers import AnfragendeStelle

__all__ = ["DEMO_USERS", "DemoUser"]


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
