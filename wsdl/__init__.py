"""The contract-first WSDL; it imports the message schemas from ``xsd/`` by relative URL."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

__all__ = ["SERVICE_PATH", "WSDL_NAME", "served_wsdl", "wsdl_path"]

WSDL_NAME: Final = "datenspiegel.wsdl"
SERVICE_PATH: Final = "/datenabruf"


def wsdl_path() -> Path:
    return Path(str(files("datenspiegel.wsdl"))) / WSDL_NAME


_ADDRESS = re.compile(rb'(<soap:address location=")[^"]*(")')
_SCHEMA_LOCATION = re.compile(rb'schemaLocation="\.\./xsd/')


@cache
def _contract() -> bytes:
    return wsdl_path().read_bytes()


def served_wsdl(endpoint: str) -> bytes:
    """The WSDL as served for ``endpoint`` (the service URL clients use).

    The packaged WSDL imports ``../xsd/`` (right beside the files); served, the schemas are at
    ``/xsd/`` of the same origin, and an absolute URL resolves the same in every toolkit
    (Java's URL resolution keeps a leading ``/../``).
    """
    location = endpoint.encode("utf-8")
    body = _ADDRESS.sub(lambda m: m.group(1) + location + m.group(2), _contract(), count=1)
    origin = urlsplit(endpoint)
    schemas = f'schemaLocation="{origin.scheme}://{origin.netloc}/xsd/'.encode()
    return _SCHEMA_LOCATION.sub(lambda _m: schemas, body)
