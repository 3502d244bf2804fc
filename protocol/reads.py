"""Reads of the protocol are themselves controlled and recorded (DOMAIN.md § 6, § 40 BMG).

Protocol data may be used only for data-protection control, resulting criminal proceedings,
keeping the register running, and answering the data subject (§ 40 BMG, DOMAIN.md § 6);
records kept for a security authority on its behalf are read by that authority. Every read
names who reads and for which of these purposes, and is logged in the same transaction as the
read itself: a read that cannot be logged does not happen.

Who may read for which purpose is the operator's configuration (``[protocol] readers``): a
:class:`Reader` is a named person of the operator holding one or more *roles*, each role being
one of the operator's purposes (:data:`OPERATOR_PURPOSES`: every :class:`ReadPurpose` except
``auftraggeber``, which is the security authority's own read). :func:`authorise` refuses a read
for a purpose the reader's roles do not cover — before anything is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from datenspiegel.protocol.errors import ProtocolError

__all__ = [
    "OPERATOR_PURPOSES",
    "ProtocolRead",
    "ReadPurpose",
    "ReadRefused",
    "Reader",
    "authorise",
    "parse_reader",
    "parse_readers",
]


class ReadPurpose(Enum):
    DATENSCHUTZKONTROLLE = "datenschutzkontrolle"  # data-protection control, audits
    STRAFVERFOLGUNG = "strafverfolgung"  # criminal proceedings resulting from such control
    BETRIEB = "betrieb"  # keeping the register and the broker running
    AUSKUNFT_BETROFFENE = "auskunft_betroffene"  # answering the data subject
    AUFTRAGGEBER = "auftraggeber"  # a security authority reading records kept on its behalf


#: The purposes an operator's reader may hold as roles (in declaration order).
OPERATOR_PURPOSES: tuple[ReadPurpose, ...] = tuple(
    p for p in ReadPurpose if p is not ReadPurpose.AUFTRAGGEBER
)


@dataclass(frozen=True, slots=True)
class ProtocolRead:
    """One logged read: who, why, when, what was asked and which records were returned.

    A refused attempt (:meth:`ProtocolStore.log_refused_read
    <datenspiegel.protocol.store.ProtocolStore.log_refused_read>`) is logged the same way,
    with no records and the reason under ``query["refused"]``.
    """

    id: int
    reader: str
    purpose: ReadPurpose
    accessed_at: datetime
    query: Mapping[str, Any]
    record_ids: tuple[str, ...]

    @property
    def refused(self) -> bool:
        return "refused" in self.query


class ReadRefused(ProtocolError):
    """The reader is not configured, or its roles do not cover the purpose: nothing is read."""


@dataclass(frozen=True, slots=True)
class Reader:
    """A person of the operator who may read the protocol, for the purposes in ``roles``."""

    name: str
    roles: frozenset[ReadPurpose]

    def may(self, purpose: ReadPurpose) -> bool:
        return purpose in self.roles

    def __str__(self) -> str:
        roles = ",".join(p.value for p in OPERATOR_PURPOSES if p in self.roles)
        return f"{self.name}={roles}"


_ROLE_NAMES = {p.value: p for p in OPERATOR_PURPOSES}


def parse_reader(text: str) -> Reader:
    """``"Name=role,role"`` (blanks around the parts are ignored); ValueError names the fault."""
    if not isinstance(text, str):
        raise ValueError(f"a reader is written 'Name=role,role', not {text!r}")
    name, sep, roles = text.partition("=")
    name = " ".join(name.split())
    if not sep or not name:
        raise ValueError(f"a reader is written 'Name=role,role', not {text!r}")
    if any(ord(c) < 32 for c in name) or ";" in name:
        raise ValueError(f"the reader name {name!r} holds a control character or ';'")
    purposes: set[ReadPurpose] = set()
    for role in (r.strip() for r in roles.split(",")):
        if role == ReadPurpose.AUFTRAGGEBER.value:
            raise ValueError(
                f"{name}: 'auftraggeber' is the security authority's own read, no role of the "
                "operator's readers"
            )
        if role not in _ROLE_NAMES:
            raise ValueError(
                f"{name}: unknown role {role!r}; roles are {', '.join(_ROLE_NAMES)}"
                if role
                else f"{name}: give at least one role ({', '.join(_ROLE_NAMES)})"
            )
        purposes.add(_ROLE_NAMES[role])
    return Reader(name, frozenset(purposes))


def parse_readers(items: Iterable[str]) -> tuple[Reader, ...]:
    """Every reader of ``items``; a name given twice is an error (which entry would hold?)."""
    readers: list[Reader] = []
    seen: set[str] = set()
    for item in items:
        reader = parse_reader(item)
        if reader.name.casefold() in seen:
            raise ValueError(f"the reader {reader.name!r} is configured twice")
        seen.add(reader.name.casefold())
        readers.append(reader)
    return tuple(readers)


def authorise(readers: Iterable[Reader], name: str, purpose: ReadPurpose) -> Reader:
    """The configured reader ``name`` if one of its roles is ``purpose``; else
    :class:`ReadRefused` saying why (unknown reader, purpose not among its roles)."""
    wanted = " ".join(str(name).split())
    found = next((r for r in readers if r.name.casefold() == wanted.casefold()), None)
    if found is None:
        raise ReadRefused(
            f"{wanted!r} is not a reader of the protocol ([protocol] readers in the "
            "configuration names who may read, for which purposes)"
        )
    if purpose is ReadPurpose.AUFTRAGGEBER or not found.may(purpose):
        held = ", ".join(p.value for p in OPERATOR_PURPOSES if p in found.roles)
        raise ReadRefused(
            f"{found.name} may read the protocol for {held} only, not for {purpose.value} "
            "(§ 40 BMG: protocol data may be used only for the purposes it names)"
        )
    return found
