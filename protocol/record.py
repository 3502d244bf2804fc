"""The § 40 BMG protocol record of one transaction: a typed, immutable value.

Every request the broker receives, answered or not, produces exactly one record (DESIGN.md,
"The transaction"). The record is what is written; how it is stored (a table today; a Merkle
log, encrypted segments and crypto-shredding later) is the business of
:class:`~datenspiegel.protocol.store.ProtocolStore` alone.

Which field carries which item of § 40 Abs. 1 BMG: (1) requesting body → ``requesting_body``,
``authority_*``; (2) data retrieved → ``disclosed`` (per person id the element codes actually
transmitted, hit-list entries included); (3) time → ``received_at`` / ``answered_at``; (4)
``aktenzeichen``; (5) ``anlass``; (6) ``user_kennung``; (7) hits → ``hits``, ``hit_count``, of
which ``withheld`` are the persons held back because of an Auskunftssperre; freie Suche
additionally the search data → ``search_data``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any

from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund, Ruecksendung

__all__ = [
    "CONTENT_ONLY_FIELDS",
    "RECORD_FIELDS",
    "Outcome",
    "ProtocolRecord",
    "digest",
    "from_plain",
    "json_normalised",
    "legacy_disclosed",
    "new_record_id",
    "to_plain",
]

_ERGEBNISSTATUS = frozenset(c.value for c in Ergebnisstatus)
_NICHTERSTELLUNG = frozenset(c.value for c in Grund)
_RUECKSENDUNG = frozenset(c.value for c in Ruecksendung)
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# Message ids are indexed; a bound keeps a hostile id from breaking the index (the broker
# passes only ids that passed schema validation).
_MAX_MESSAGE_ID = 255
_MAX_SERVICE = 64


class Outcome(Enum):
    """How the transaction ended."""

    ANSWERED = "answered"  # an answer with Ergebnisstatus 01–04
    REJECTED = "rejected"  # a business rejection (rueckweisung) with reason codes 01–24
    RETURNED = "returned"  # a 0910 technical rejection (ReturnToSender)
    FAILED = "failed"  # an internal error; the client got a technical fault
    #: the same signed message again: the original answer was sent once more, byte for byte,
    #: without executing it again (protocol/replay.py). The codes are the original's; the
    #: original is the record with the same ``request_message_id`` and the same
    #: ``answer_digest`` that is not a duplicate.
    DUPLICATE = "duplicate"


def digest(data: bytes) -> str:
    """SHA-256 of ``data`` as lower-case hex: how request and answer bytes are referenced."""
    return hashlib.sha256(data).hexdigest()


def new_record_id() -> str:
    """A fresh record id (UUIDv4, canonical lower-case form)."""
    return str(uuid.uuid4())


def json_normalised(value: Any, what: str) -> Any:
    """``value`` as it comes back from a JSON column: tuples become lists, keys strings.

    Normalising on construction means a record read back equals the record written, and a
    value the database could not store is refused before the transaction, not during it.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidRecord(
            f"{what} must be JSON data (str, int, float, bool, None, lists, objects): {exc}"
        ) from exc
    normal = json.loads(text)
    if _contains_nul(normal):
        # PostgreSQL cannot store NUL in text or JSONB: refuse before the transaction.
        raise InvalidRecord(f"{what} must not contain NUL characters")
    return normal


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _check_text(value: object, what: str, *, required: bool = False, maximum: int = 0) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value):
        raise InvalidRecord(f"{what} must be {'a non-empty' if required else 'a'} text or None")
    if "\x00" in value:
        raise InvalidRecord(f"{what} must not contain NUL characters")
    if maximum and len(value) > maximum:
        raise InvalidRecord(f"{what} must not exceed {maximum} characters")


def _int_tuple(value: object, what: str, *, minimum: int | None) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidRecord(f"{what} must be a sequence of integers")
    items = tuple(value)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int):
            raise InvalidRecord(f"{what} must contain integers only, not {item!r}")
        if minimum is not None and item < minimum:
            raise InvalidRecord(f"{what} must not contain {item} (minimum {minimum})")
    return items


def _per_person(value: object, what: str) -> dict[int, tuple[int, ...]]:
    """Person id → element codes (sorted, each once, codes ≥ 1), from a mapping."""
    if not isinstance(value, Mapping):
        raise InvalidRecord(f"{what} must map person ids to element codes")
    result: dict[int, tuple[int, ...]] = {}
    for person, codes in value.items():
        if isinstance(person, bool) or not isinstance(person, int):
            raise InvalidRecord(f"{what} must be keyed by person ids (int), not {person!r}")
        checked = _int_tuple(codes, f"{what}[{person}]", minimum=1)
        if len(set(checked)) != len(checked):
            raise InvalidRecord(f"{what}[{person}] names an element code twice")
        result[person] = tuple(sorted(checked))
    return dict(sorted(result.items()))


def _utc(value: object, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRecord(f"{what} must be a timezone-aware datetime")
    return value.astimezone(UTC)


#: What a metadata-only record (:meth:`ProtocolRecord.without_content`) leaves empty.
CONTENT_ONLY_FIELDS = (
    "aktenzeichen",
    "anlass",
    "requesting_body",
    "search_data",
    "requested_elements",
    "disclosed",
    "withheld",
    "hits",
    "hit_count",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolRecord:
    """One transaction of the broker, as recorded under § 40 BMG (see the module docstring).

    ``sicherheitsbehoerde`` is the class the request was answered in: the registration's,
    never raised by the message's claim (only sub-types 4, 11 and 13 sending ``false`` are
    answered as a public body, § 34 Abs. 4 Satz 1 BMG). It decides what a data subject may
    learn (§ 11 Abs. 1 Nr. 3 BMG), so it has no default.

    ``disclosed`` and ``withheld`` keep apart who left and who was held back (§ 40 Abs. 1
    Nr. 2, 7 BMG): both name only persons in ``hits``, and no person in both.

    ``content_recorded`` is False for retrievals of security authorities that log their own
    retrievals (§ 40 Abs. 3 BMG): only technical metadata is kept for them, see
    :meth:`without_content`.
    """

    record_id: str
    received_at: datetime
    answered_at: datetime
    service: str
    outcome: Outcome
    outcome_codes: tuple[str, ...]
    request_digest: str
    sicherheitsbehoerde: bool
    request_message_id: str | None = None
    answer_message_id: str | None = None
    answer_digest: str | None = None
    client_address: str | None = None
    certificate_fingerprint: str | None = None
    authority_id: int | None = None
    authority_kennung: str | None = None
    authority_name: str | None = None
    user_id: int | None = None
    user_kennung: str | None = None
    aktenzeichen: str | None = None
    anlass: str | None = None
    requesting_body: Mapping[str, str] = field(default_factory=dict)
    search_data: Mapping[str, Any] = field(default_factory=dict)
    requested_elements: tuple[int, ...] = ()
    #: Per person id, the element codes the answer actually carried for that person (a person
    #: disclosed with no element code maps to ``()``: the answer still named them).
    disclosed: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    #: Persons found but held back because of an Auskunftssperre (never in ``disclosed``).
    withheld: tuple[int, ...] = ()
    hits: tuple[int, ...] = ()
    hit_count: int = 0
    detail: str | None = None
    content_recorded: bool = True
    #: Bytes of the request as received (HTTP body) and of the answer as sent: technical
    #: metadata, kept for every record — also for security authorities (§ 40 Abs. 3 BMG,
    #: "sizes"). ``None`` for records written before they were recorded.
    request_bytes: int | None = None
    answer_bytes: int | None = None

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        try:
            parsed = uuid.UUID(self.record_id)
        except (TypeError, ValueError, AttributeError) as exc:
            raise InvalidRecord(f"record_id {self.record_id!r} is not a UUID") from exc
        if parsed.version != 4 or str(parsed) != self.record_id:
            raise InvalidRecord(
                f"record_id {self.record_id!r} must be a UUIDv4 in canonical lower-case form"
            )
        put("received_at", _utc(self.received_at, "received_at"))
        put("answered_at", _utc(self.answered_at, "answered_at"))
        if self.answered_at < self.received_at:
            raise InvalidRecord("answered_at lies before received_at")
        _check_text(self.service, "service", required=True, maximum=_MAX_SERVICE)
        if not isinstance(self.outcome, Outcome):
            raise InvalidRecord(f"outcome must be an Outcome, not {self.outcome!r}")
        put("outcome_codes", self._checked_codes())
        if not isinstance(self.request_digest, str) or not _SHA256_HEX.fullmatch(
            self.request_digest
        ):
            raise InvalidRecord("request_digest must be a SHA-256 in lower-case hex (digest())")
        if self.answer_digest is not None and not (
            isinstance(self.answer_digest, str) and _SHA256_HEX.fullmatch(self.answer_digest)
        ):
            raise InvalidRecord("answer_digest must be a SHA-256 in lower-case hex or None")
        for name in ("sicherheitsbehoerde", "content_recorded"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidRecord(f"{name} must be a bool")
        for name in ("request_message_id", "answer_message_id"):
            _check_text(getattr(self, name), name, maximum=_MAX_MESSAGE_ID)
        for name in (
            "client_address",
            "certificate_fingerprint",
            "authority_kennung",
            "authority_name",
            "user_kennung",
            "aktenzeichen",
            "anlass",
            "detail",
        ):
            _check_text(getattr(self, name), name)
        for name in ("authority_id", "user_id"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise InvalidRecord(f"{name} must be an int or None")
        for name in ("request_bytes", "answer_bytes"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0
            ):
                raise InvalidRecord(f"{name} must be a byte count (int >= 0) or None")
        body = self.requesting_body
        if not isinstance(body, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in body.items()
        ):
            raise InvalidRecord("requesting_body must map texts to texts (BMeldDAV § 11 block)")
        put("requesting_body", MappingProxyType(json_normalised(dict(body), "requesting_body")))
        if not isinstance(self.search_data, Mapping):
            raise InvalidRecord("search_data must be a mapping of search criteria")
        put(
            "search_data",
            MappingProxyType(json_normalised(dict(self.search_data), "search_data")),
        )
        put(
            "requested_elements",
            _int_tuple(self.requested_elements, "requested_elements", minimum=1),
        )
        put("disclosed", MappingProxyType(_per_person(self.disclosed, "disclosed")))
        put("withheld", _int_tuple(self.withheld, "withheld", minimum=None))
        put("hits", _int_tuple(self.hits, "hits", minimum=None))
        self._check_persons()
        if isinstance(self.hit_count, bool) or not isinstance(self.hit_count, int):
            raise InvalidRecord("hit_count must be an int")
        if self.hit_count < len(self.hits):
            raise InvalidRecord(
                f"hit_count {self.hit_count} is smaller than the {len(self.hits)} hits recorded"
            )
        if not self.content_recorded:
            kept = [name for name in CONTENT_ONLY_FIELDS if getattr(self, name)]
            if kept:
                raise InvalidRecord(
                    "a record without content (security authority logging its own retrievals, "
                    f"§ 40 Abs. 3 BMG) must not carry {', '.join(kept)}; use without_content()"
                )

    @property
    def disclosed_elements(self) -> tuple[int, ...]:
        """Every element code the answer carried, whoever it was of (from ``disclosed``)."""
        return tuple(sorted({code for codes in self.disclosed.values() for code in codes}))

    def _check_persons(self) -> None:
        if len(set(self.withheld)) != len(self.withheld):
            raise InvalidRecord("withheld names a person twice")
        both = sorted(set(self.disclosed) & set(self.withheld))
        if both:
            raise InvalidRecord(
                f"persons {both} are recorded as disclosed and as withheld: nothing withheld "
                "may be recorded as disclosed (§ 40 Abs. 1 Nr. 2 BMG)"
            )
        unknown = sorted((set(self.disclosed) | set(self.withheld)) - set(self.hits))
        if unknown:
            raise InvalidRecord(
                f"persons {unknown} are disclosed or withheld but not among the hits"
            )

    def _checked_codes(self) -> tuple[str, ...]:
        codes = self.outcome_codes
        if isinstance(codes, str) or not hasattr(codes, "__iter__"):
            raise InvalidRecord("outcome_codes must be a sequence of code texts")
        codes = tuple(codes)
        if not codes:
            raise InvalidRecord("outcome_codes must not be empty: every transaction has a result")
        if not all(isinstance(c, str) for c in codes):
            raise InvalidRecord("outcome_codes must be texts")
        codes = tuple(str(c) for c in codes)  # code enums are stored as their plain values
        if self.outcome is Outcome.ANSWERED:
            if len(codes) != 1 or codes[0] not in _ERGEBNISSTATUS:
                raise InvalidRecord(
                    f"an answered transaction has exactly one Ergebnisstatus 01–04, not {codes}"
                )
        elif self.outcome is Outcome.REJECTED:
            if not all(c in _NICHTERSTELLUNG for c in codes):
                raise InvalidRecord(f"rejection codes are Grund codes 01–24, not {codes}")
        elif self.outcome is Outcome.RETURNED:
            if not all(c in _RUECKSENDUNG for c in codes):
                raise InvalidRecord(f"0910 codes are Ruecksendung codes (X001, T070…), not {codes}")
        elif self.outcome is Outcome.DUPLICATE:
            known = _ERGEBNISSTATUS | _NICHTERSTELLUNG | _RUECKSENDUNG
            if not all(c in known for c in codes):
                raise InvalidRecord(f"a duplicate repeats the original's codes, not {codes}")
        elif not all(c in _NICHTERSTELLUNG or c in _RUECKSENDUNG for c in codes):
            raise InvalidRecord(
                f"a failure is recorded with the code sent (16 or S999), not {codes}"
            )
        return codes

    def without_content(self, pseudonym: Callable[[str], str] | None = None) -> ProtocolRecord:
        """This record reduced to technical metadata (§ 40 Abs. 3 BMG, DOMAIN.md § 6).

        For a security authority that did not commission the operator to log on its behalf:
        who (authority, the user as a pseudonym, certificate, address), when, which service,
        the result codes and the digests are kept, so bursts at unusual hours stay visible;
        what was asked and found is not. ``pseudonym`` turns the requesting person's Kennung
        into a stable pseudonym (the same person, the same pseudonym: per-user anomalies stay
        visible without the operator learning who) and drops the registry's user id, which
        would name the person all the same.
        """
        kennung = self.user_kennung
        if pseudonym is not None and kennung is not None:
            kennung = pseudonym(kennung)
        return dataclasses.replace(
            self,
            user_kennung=kennung,
            # the registry's id would name the person the pseudonym hides
            user_id=None if pseudonym is not None else self.user_id,
            aktenzeichen=None,
            anlass=None,
            requesting_body={},
            search_data={},
            requested_elements=(),
            disclosed={},
            withheld=(),
            hits=(),
            hit_count=0,
            content_recorded=False,
        )


# -- the record as plain values: one definition for every storage and export form -----------

_DATETIME, _TUPLE, _PER_PERSON, _MAPPING, _OUTCOME, _BOOL, _PLAIN = (
    "datetime",
    "tuple",
    "per_person",
    "mapping",
    "outcome",
    "bool",
    "plain",
)


def _kind(annotation: object) -> str:
    text = str(annotation)
    if text == "datetime":
        return _DATETIME
    if text.startswith("tuple["):
        return _TUPLE
    if text.startswith("Mapping[int,"):
        return _PER_PERSON  # JSON keys are texts: person ids are written as decimal text
    if text.startswith("Mapping["):
        return _MAPPING
    if text == "Outcome":
        return _OUTCOME
    if text == "bool":
        return _BOOL
    return _PLAIN


#: Every field of :class:`ProtocolRecord` with how it is held as a plain value, derived from
#: the type: storage columns, the JSON export and their readers all follow this one list.
RECORD_FIELDS: tuple[tuple[str, str], ...] = tuple(
    (f.name, _kind(f.type)) for f in dataclasses.fields(ProtocolRecord)
)


def to_plain(record: ProtocolRecord, *, text_times: bool = False) -> dict[str, Any]:
    """The record's fields as plain values (lists, dicts, the outcome's value); datetimes as
    ISO 8601 text when ``text_times`` (JSON), else as they are (database columns)."""
    values: dict[str, Any] = {}
    for name, kind in RECORD_FIELDS:
        value = getattr(record, name)
        if kind == _TUPLE:
            value = list(value)
        elif kind == _PER_PERSON:
            value = {str(person): list(codes) for person, codes in value.items()}
        elif kind == _MAPPING:
            value = dict(value)
        elif kind == _OUTCOME:
            value = value.value
        elif kind == _DATETIME and text_times:
            value = value.isoformat()
        values[name] = value
    return values


def _person_keys(value: object, name: str) -> dict[int, Any]:
    """A per-person mapping read back: its keys are person ids written as decimal text."""
    if not isinstance(value, Mapping):
        raise InvalidRecord(f"{name} must be an object keyed by person ids")
    converted: dict[int, Any] = {}
    for key, codes in value.items():
        person = _decimal(key)
        if person is None:
            raise InvalidRecord(f"{name} has the key {key!r}, not a person id in decimal text")
        converted[person] = codes
    return converted


def _decimal(key: object) -> int | None:
    """``key`` as an int if it is written canonically (no plus sign, blanks or underscores)."""
    if not isinstance(key, str):
        return None
    try:
        number = int(key)
    except ValueError:
        return None
    return number if str(number) == key else None


def legacy_disclosed(
    outcome_codes: Sequence[str], hits: Sequence[int], disclosed_elements: Sequence[int]
) -> dict[int, tuple[int, ...]]:
    """``disclosed`` of a record written before it existed (schema version 2, JSON format 1).

    Those records kept one tuple ``disclosed_elements`` for the whole answer: for status 01
    the *requested* codes of its one hit, else nothing — hit-list entries were not recorded.
    So the old statement is carried over as it stood, for the one person it can only have
    meant, and nothing is invented for the others (their ``withheld`` stays empty too).
    """
    if tuple(outcome_codes) == (Ergebnisstatus.PERSON.value,) and len(hits) == 1:
        return {hits[0]: tuple(disclosed_elements)}
    return {}


def from_plain(values: Mapping[str, Any], *, text_times: bool = False) -> ProtocolRecord:
    """The record :func:`to_plain` gave ``values`` of; validated in full by the record."""
    converted: dict[str, Any] = {}
    try:
        for name, kind in RECORD_FIELDS:
            value = values[name]
            if kind == _TUPLE:
                if not isinstance(value, (list, tuple)):
                    raise InvalidRecord(f"{name} must be a list")
                value = tuple(value)
            elif kind == _PER_PERSON:
                value = _person_keys(value, name)
            elif kind == _OUTCOME:
                value = Outcome(value)
            elif kind == _BOOL and isinstance(value, int):
                value = bool(value)  # databases without a boolean type answer 0/1
            elif kind == _DATETIME and text_times:
                value = datetime.fromisoformat(value)
            converted[name] = value
    except KeyError as exc:
        raise InvalidRecord(f"the record lacks its field {exc.args[0]}") from None
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InvalidRecord):
            raise
        raise InvalidRecord(f"a field of the record cannot be read: {exc}") from exc
    return ProtocolRecord(**converted)
