"""Where the message schemas live, and the names the contract uses."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

__all__ = [
    "DSIG_NAMESPACE",
    "MAIN_SCHEMA",
    "NAMESPACE",
    "SCHEMA_VERSION",
    "schema_directory",
    "schema_files",
    "schema_path",
]

NAMESPACE: Final = "urn:xoev-de:datenspiegel:datenabruf:1"
SCHEMA_VERSION: Final = "1.0"
DSIG_NAMESPACE: Final = "http://www.w3.org/2000/09/xmldsig#"
MAIN_SCHEMA: Final = "datenabruf.xsd"


def schema_directory() -> Path:
    return Path(str(files("datenspiegel.xsd")))


def schema_path(name: str = MAIN_SCHEMA) -> Path:
    path = schema_directory() / name
    if path.suffix != ".xsd" or not path.is_file() or path.parent != schema_directory():
        raise FileNotFoundError(f"no schema named {name!r} in {schema_directory()}")
    return path


def schema_files() -> list[Path]:
    return sorted(schema_directory().glob("*.xsd"))
