"""The one hardened XML parser: every byte from outside goes through :func:`parse_message`.

No DTD is loaded, no entity is expanded, nothing is fetched from the network, and documents
with a DOCTYPE are refused outright (a DOCTYPE is the carrier of entity and DTD attacks and has
no place in an XÖV message): by a byte scan before libxml2 sees them, and once more after
parsing. Size and nesting depth are capped before and after parsing.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from lxml import etree

from datenspiegel.xsd.errors import MessageNotWellFormed, UnsafeMessage
from datenspiegel.xsd.markup import find_dtd_markup

__all__ = ["ParserLimits", "hardened_parser", "parse_message", "serialize"]


@dataclass(frozen=True, slots=True)
class ParserLimits:
    max_bytes: int = 1_048_576
    max_depth: int = 64
    max_elements: int = 20_000


_DEFAULT_LIMITS = ParserLimits()
_DECLARED_ENCODING = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']"""
)
_local = threading.local()


class _RefuseEverything(etree.Resolver):
    """Defence in depth: should libxml2 ever try to load anything, it gets nothing."""

    def resolve(self, system_url: str, public_id: str, context: object) -> Any:  # type: ignore[override]
        raise UnsafeMessage(f"message tried to load an external resource ({system_url})")


def hardened_parser() -> etree.XMLParser:
    """This thread's parser: no DTD, no entities, no network, nothing resolved.

    For libraries that parse on their own (signxml re-reads the document it verifies); every
    byte from outside is first read by :func:`parse_message`, which also scans and limits.
    lxml parsers are not thread-safe: one per thread, created once.
    """
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
            remove_comments=False,
            collect_ids=False,
        )
        parser.resolvers.add(_RefuseEverything())
        _local.parser = parser
    return parser


def parse_message(data: bytes, *, limits: ParserLimits = _DEFAULT_LIMITS) -> etree._Element:
    """Parse untrusted bytes into an element tree, or raise with the 0910 code X000."""
    if not isinstance(data, bytes):
        raise TypeError("parse_message takes bytes, as received")
    if len(data) > limits.max_bytes:
        raise UnsafeMessage(
            f"message is {len(data)} bytes, more than the limit of {limits.max_bytes} bytes"
        )
    if not data.strip():
        raise MessageNotWellFormed("message is empty")
    # XÖV messages are UTF-8. Refusing other encodings keeps the DOCTYPE scan below exact:
    # libxml2 never sees a DOCTYPE, so it can neither read an external subset nor expand.
    if b"\x00" in data:
        # UTF-16/32 without a BOM can be valid UTF-8 byte-wise; a NUL never occurs in UTF-8 XML.
        raise MessageNotWellFormed("message is not UTF-8 encoded (NUL byte)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MessageNotWellFormed(f"message is not UTF-8 encoded ({exc.reason})") from None
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        # Another declared encoding (UTF-7, UTF-16, Latin-1) would make libxml2 decode the
        # bytes differently from the scan below, so a DOCTYPE could pass it unseen.
        raise MessageNotWellFormed(
            f"message declares encoding {declared.group(1).decode('ascii', 'replace')!r}; "
            "messages must be UTF-8"
        )
    # Markup only: "<!DOCTYPE" as text in a CDATA section or a comment is content, not a DTD.
    markup = find_dtd_markup(data)
    if markup is not None:
        raise UnsafeMessage(markup.reason)
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise MessageNotWellFormed(f"not well-formed XML: {exc}") from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeMessage("a DOCTYPE is not allowed in a message (DTDs and entities are refused)")
    _check_shape(root, limits)
    return root


def _check_shape(root: etree._Element, limits: ParserLimits) -> None:
    count = 0
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if isinstance(element, etree._Entity):
            raise UnsafeMessage("entity references are not allowed in a message")
        count += 1
        if depth > limits.max_depth:
            raise UnsafeMessage(f"message nests deeper than {limits.max_depth} levels")
        if count > limits.max_elements:
            raise UnsafeMessage(f"message has more than {limits.max_elements} nodes")
        stack.extend((child, depth + 1) for child in element)


def serialize(root: etree._Element) -> bytes:
    """Serialise a message document as UTF-8 with an XML declaration, unchanged otherwise."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
