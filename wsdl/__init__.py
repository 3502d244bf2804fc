"""The contract-first WSDLs; they import the message schemas from ``xsd/`` by relative URL.

Two services, each with its own WSDL and path: the retrieval service (``datenspiegel.wsdl`` at
``/datenabruf``: Personensuche, freie Suche, hand-over cases) and the administration service
(``administration.wsdl`` at ``/administration``: an authority's administrator manages its users).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

__all__ = [
    "ADMINISTRATION",
    "ADMINISTRATION_PATH",
    "CONTRACTS",
    "DATENABRUF",
    "SERVICE_PATH",
    "WSDL_NAME",
    "Contract",
    "served_wsdl",
    "wsdl_path",
]

WSDL_NAME: Final = "datenspiegel.wsdl"
SERVICE_PATH: Final = "/datenabruf"
ADMINISTRATION_PATH: Final = "/administration"


@dataclass(frozen=True, slots=True)
class Contract:
    """One SOAP service: its WSDL file, the path it is served at, its operations."""

    name: str
    wsdl_name: str
    path: str
    operations: tuple[str, ...]

    def wsdl_path(self) -> Path:
        return Path(str(files("datenspiegel.wsdl"))) / self.wsdl_name


DATENABRUF: Final = Contract(
    "Datenabruf",
    WSDL_NAME,
    SERVICE_PATH,
    ("personensuche", "freieSuche", "faelleAbrufen", "faelleQuittieren", "protokollAbrufen"),
)
ADMINISTRATION: Final = Contract(
    "Administration",
    "administration.wsdl",
    ADMINISTRATION_PATH,
    (
        "nutzerAnlegen",
        "nutzerAendern",
        "nutzerSperren",
        "nutzerEntsperren",
        "nutzerLoeschen",
        "nutzerListe",
    ),
)
CONTRACTS: Final = (DATENABRUF, ADMINISTRATION)


def wsdl_path() -> Path:
    """The retrieval service's WSDL (the vendors' contract)."""
    return DATENABRUF.wsdl_path()


_ADDRESS = re.compile(rb'(<soap:address location=")[^"]*(")')
_SCHEMA_LOCATION = re.compile(rb'schemaLocation="\.\./xsd/')


@cache
def _contract(wsdl_name: str) -> bytes:
    return (Path(str(files("datenspiegel.wsdl"))) / wsdl_name).read_bytes()


def served_wsdl(endpoint: str, contract: Contract = DATENABRUF) -> bytes:
    """``contract``'s WSDL as served for ``endpoint`` (the service URL clients use).

    The packaged WSDL imports ``../xsd/`` (right beside the files); served, the schemas are at
    ``/xsd/`` of the same origin, and an absolute URL resolves the same in every toolkit
    (Java's URL resolution keeps a leading ``/../``).
    """
    location = endpoint.encode("utf-8")
    body = _ADDRESS.sub(
        lambda m: m.group(1) + location + m.group(2), _contract(contract.wsdl_name), count=1
    )
    origin = urlsplit(endpoint)
    schemas = f'schemaLocation="{origin.scheme}://{origin.netloc}/xsd/'.encode()
    return _SCHEMA_LOCATION.sub(lambda _m: schemas, body)
