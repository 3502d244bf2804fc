"""Small helpers for reading and writing the XÖV documents (unqualified local elements)."""

from __future__ import annotations

from datetime import date

from lxml import etree

from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.xsd.loader import NAMESPACE

__all__ = [
    "code_element",
    "qname",
    "read_bool",
    "read_code",
    "read_partial_date",
    "read_text",
    "sub",
    "write_partial_date",
]


def qname(local: str) -> str:
    return f"{{{NAMESPACE}}}{local}"


def read_text(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    found = parent.find(path)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None


def read_bool(parent: etree._Element | None, path: str, default: bool = False) -> bool:
    text = read_text(parent, path)
    if text is None:
        return default
    return text in ("true", "1")


def read_code(parent: etree._Element | None, path: str) -> str | None:
    return read_text(parent, f"{path}/code")


def read_partial_date(parent: etree._Element | None, path: str) -> TeilbekanntesDatum | None:
    if parent is None:
        return None
    element = parent.find(path)
    if element is None:
        return None
    for child in element:
        name = etree.QName(child).localname
        text = (child.text or "").strip()
        if name == "unbekannt":
            return TeilbekanntesDatum(None)
        if name in ("jahrMonatTag", "jahrMonat", "jahr"):
            return TeilbekanntesDatum.parse(text)
    return None


def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def code_element(
    parent: etree._Element, name: str, code: str, *, list_uri: str, version: str
) -> etree._Element:
    element = etree.SubElement(parent, name, listURI=list_uri, listVersionID=version)
    sub(element, "code", code)
    return element


def write_partial_date(
    parent: etree._Element, name: str, value: TeilbekanntesDatum | date | None
) -> None:
    if value is None:
        return
    element = sub(parent, name)
    if isinstance(value, date):
        sub(element, "jahrMonatTag", value.isoformat())
        return
    if value.jahr is None:
        sub(element, "unbekannt", "true")
    elif value.monat is None:
        sub(element, "jahr", f"{value.jahr:04d}")
    elif value.tag is None:
        sub(element, "jahrMonat", f"{value.jahr:04d}-{value.monat:02d}")
    else:
        sub(element, "jahrMonatTag", f"{value.jahr:04d}-{value.monat:02d}-{value.tag:02d}")
