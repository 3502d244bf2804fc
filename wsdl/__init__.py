"""The contract-first WSDL; it imports the message schemas from ``xsd/`` by relative URL."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

__all__ = ["SERVICE_PATH", "WSDL_NAME", "wsdl_path"]

WSDL_NAME: Final = "datenspiegel.wsdl"
SERVICE_PATH: Final = "/datenabruf"


def wsdl_path() -> Path:
    return Path(str(files("datenspiegel.wsdl"))) / WSDL_NAME
