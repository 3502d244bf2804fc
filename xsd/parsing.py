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

__all__ = [
    "ANSWER_FRAME_BYTES",
    "ANSWER_FRAME_NODES",
    "ANSWER_MAX_TREFFER",
    "TREFFER_BYTES",
    "TREFFER_NODES",
    "ParserLimits",
    "hardened_parser",
    "parse_message",
    "serialize",
]


#: A request the broker accepts: the operator's default body limit (``max_body_bytes``).
_REQUEST_BYTES = 1_048_576
#: Nesting of any message: the deepest legal document (an answer with a relative's address
#: and a partially known date, inside the SOAP envelope) has about ten levels.
_MAX_DEPTH = 64
#: A 1330 has a few dozen nodes; 20 000 is room for every requested element many times over.
_REQUEST_NODES = 20_000

#: The schema's ``maxOccurs`` of ``trefferliste/treffer``: a hit list has at most 1 000
#: entries, more is rejection 12 (DOMAIN.md § 3; no lower cap, no truncation).
ANSWER_MAX_TREFFER = 1_000
#: Nodes budgeted per hit-list entry (the fattest legal entry has 54; see ``for_answer``).
TREFFER_NODES = 64
#: Bytes budgeted per hit-list entry (the fattest legal entry: 16 623; see ``for_answer``).
TREFFER_BYTES = 20_480
#: Nodes around the list: SOAP envelope, header, ``ds:Signature`` with up to four certificates
#: (``VerificationPolicy.max_certificates``); measured: 38.
ANSWER_FRAME_NODES = 1_000
#: Bytes around the list (measured: about 4 KB with one certificate).
ANSWER_FRAME_BYTES = 65_536


@dataclass(frozen=True, slots=True)
class ParserLimits:
    """Caps on one document read by :func:`parse_message`; use a named preset per message type.

    - :meth:`for_request` — what the broker accepts from outside (the default, the tight one).
    - :meth:`for_answer` — what a client reads from the broker: the largest legal answer.

    A limit applies to the bytes and to the tree (nodes are elements, comments and processing
    instructions; text is bounded by the bytes).
    """

    max_bytes: int = _REQUEST_BYTES
    """Largest document in bytes, checked before libxml2 sees it."""

    max_depth: int = _MAX_DEPTH
    """Deepest nesting of elements (the document element is level 1)."""

    max_elements: int = _REQUEST_NODES
    """Most nodes in the tree."""

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_depth", "max_elements"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"ParserLimits.{name} must be a positive integer, not {value!r}")

    @classmethod
    def for_request(cls, *, max_bytes: int = _REQUEST_BYTES) -> ParserLimits:
        """A request the broker accepts: 1 MiB (or the operator's body limit), 20 000 nodes,
        64 levels. Everything the broker reads before a signature is checked stays this small."""
        return cls(max_bytes=max_bytes, max_depth=_MAX_DEPTH, max_elements=_REQUEST_NODES)

    @classmethod
    def for_answer(cls) -> ParserLimits:
        """An answer a client reads (1331 or 0910, with or without its SOAP envelope).

        Derived from the largest legal answer, a hit list (status 02) of
        :data:`ANSWER_MAX_TREFFER` = 1 000 entries; a status-01 person or a 0910 is far
        smaller (with all 185 elements, the richest of 3 000 generated persons: 210 nodes,
        9 KB, 9 levels). One hit-list entry, as ``transformers.personendaten.write_treffer``
        writes it, measured:

        ============================================  =====  ============
        entry                                         nodes  bytes
        ============================================  =====  ============
        19 425 generated persons (median / maximum)   20/24  759 / 943
        fattest legal entry (below)                   54     16 623
        budget per entry                              64     20 480
        ============================================  =====  ============

        The fattest legal entry: an Identifikationsmerkmal of the schema's 500 characters,
        surname, married and partnership name, birth name, 10 former surnames, 10 first names
        and 10 former first names (BMeldDAV § 6), and every address part the hit list
        carries, each text at the schema's 120 characters in three-byte letters (U+1EA0 "Ạ";
        DIN 91379 characters all lie in the BMP, so none is longer in UTF-8).
        The schema does not bound the number of first and former names; 30 of them together
        is beyond any register entry, and each further name costs one node and at most 400
        bytes. ``tests/test_client_limits.py`` checks the budget against the writer.

        So: 1 000 × 64 + 1 000 for the frame = 65 000 nodes (the old global cap of 20 000
        refused real hit lists: the 1 000 richest of 20 000 generated persons make 22 074
        nodes); 1 000 × 20 KiB + 64 KiB = 20 545 536 bytes (19.6 MiB; libxml2's non-huge
        limits, which signxml's re-parse uses, bound single text nodes, not documents).
        Depth stays 64.
        """
        return cls(
            max_bytes=ANSWER_MAX_TREFFER * TREFFER_BYTES + ANSWER_FRAME_BYTES,
            max_depth=_MAX_DEPTH,
            max_elements=ANSWER_MAX_TREFFER * TREFFER_NODES + ANSWER_FRAME_NODES,
        )


_DEFAULT_LIMITS = ParserLimits.for_request()
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
