"""The hardened XML parser the signing package uses for every untrusted byte string.

Before libxml2 reads a document, the same markup scan as the message parser of ``xsd`` refuses
any DOCTYPE or other markup declaration (comments and CDATA sections may mention one: that is
text). The check of libxml2's view after parsing stays, as defence in depth and for encodings
the byte scan cannot read (UTF-16/32).
"""

from __future__ import annotations

import threading

from lxml import etree

from datenspiegel.dtd_scan import find_dtd_markup
from datenspiegel.signing.errors import MalformedDocument

__all__ = ["hardened_parser", "parse_document"]

_local = threading.local()


def hardened_parser() -> etree.XMLParser:
    """This thread's parser: no entities, no DTD, no network, libxml2's default size limits.

    One per thread because an lxml parser object must not be used by two threads at once.
    """
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
        )
        _local.parser = parser
    return parser


def parse_document(document: bytes) -> etree._Element:
    """Parse ``document``; refuse anything with a DOCTYPE (entity expansion, external DTDs)."""
    if not isinstance(document, bytes | bytearray):
        raise TypeError(f"expected the document as bytes, got {type(document).__name__}")
    data = bytes(document)
    markup = find_dtd_markup(data)
    if markup is not None:
        raise MalformedDocument(f"the message is refused: {markup.reason}")
    try:
        root = etree.fromstring(data, parser=hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedDocument(f"the message is not well-formed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.system_url:
        raise MalformedDocument(
            "the message contains a DOCTYPE declaration; DTDs and entities are not accepted"
        )
    for _entity in root.iter(etree.Entity):
        raise MalformedDocument("the message contains entity references; they are not accepted")
    return root
