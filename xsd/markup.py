"""The byte scan that keeps every DOCTYPE away from libxml2, shared by ``xsd`` and ``signing``.

A DOCTYPE carries every entity and DTD attack, and an XÖV message never needs one, so both
hardened parsers refuse it *before* libxml2 reads a byte. A plain substring search for
``<!DOCTYPE`` also refuses legal text inside a CDATA section or a comment; this scan reads the
document the way an XML tokenizer does instead, skipping comments, CDATA sections and
processing instructions, whose ends are fixed by the XML grammar (the first ``-->``, ``]]>`` or
``?>`` after the opener, as libxml2 ends them).

Outside those three constructs a ``<`` byte is always markup in a well-formed document (it may
not appear in attribute values or text), so only ``<!`` and ``<?`` need looking at: ``<!`` that
opens neither a comment nor a CDATA section is a markup declaration (``DOCTYPE``, ``ENTITY``,
``ELEMENT``, a conditional section, or a misspelling of one) and is refused, whatever its case
or spacing. Where the scan cannot be sure — an opener without its end — it refuses too. Each
byte is looked at a bounded number of times: the scan is linear in the document's length.

The scan is exact for UTF-8 (and any ASCII-compatible encoding): multi-byte sequences never
contain ASCII bytes. It is blind to UTF-16/32, where ``<`` is two or four bytes: callers must
refuse those encodings beforehand or keep libxml2's own DOCTYPE check after parsing.

This module is a leaf in the root package because ``signing`` must not import ``xsd`` (see the
dependency direction in DESIGN.md) and both need the same scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DtdMarkup", "find_dtd_markup"]

_MARKUP = re.compile(rb"<[!?]")
_DECLARATION = re.compile(rb"<!\s*([A-Za-z\[]{0,16})")
# (opener, closer, name); the closer is searched after the opener, as the XML grammar reads it:
# "<!-->" does not close the comment it opens, and neither does libxml2 let it.
_SKIPPED: tuple[tuple[bytes, bytes, str], ...] = (
    (b"<!--", b"-->", "comment"),
    (b"<![CDATA[", b"]]>", "CDATA section"),
    (b"<?", b"?>", "processing instruction"),
)


@dataclass(frozen=True, slots=True)
class DtdMarkup:
    """Why a document is refused: ``offset`` is the byte where the offending markup starts."""

    offset: int
    reason: str

    def __str__(self) -> str:
        return self.reason


def find_dtd_markup(data: bytes) -> DtdMarkup | None:
    """Return the first markup declaration in ``data``, or ``None`` when it has certainly none.

    Text inside comments, CDATA sections and processing instructions is content, not markup,
    and is skipped; an opener without its closer is reported, since the scan then cannot know
    where libxml2 would resume reading markup.
    """
    position = 0
    while (found := _MARKUP.search(data, position)) is not None:
        start = found.start()
        for opener, closer, name in _SKIPPED:
            if data.startswith(opener, start):
                end = data.find(closer, start + len(opener))
                if end < 0:
                    return DtdMarkup(
                        start,
                        f"an unterminated {name} starts at byte {start}: the message cannot be "
                        "checked for a DOCTYPE and is refused",
                    )
                position = end + len(closer)
                break
        else:
            return DtdMarkup(start, _describe_declaration(data, start))
    return None


def _describe_declaration(data: bytes, start: int) -> str:
    declaration = _DECLARATION.match(data, start)
    word = declaration.group(1).decode("ascii").upper() if declaration else ""
    if word == "DOCTYPE":
        return "a DOCTYPE is not allowed in a message (DTDs and entities are refused)"
    return (
        f"the markup declaration '<!{word}' is not allowed in a message (DTDs and entities are "
        "refused; only comments and CDATA sections may begin with '<!')"
    )
