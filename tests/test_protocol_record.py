"""ProtocolRecord validation, the content-free form, and the JSON form."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest

from datenspiegel.protocol import (
    RECORD_FORMAT,
    InvalidRecord,
    Outcome,
    ProtocolRecord,
    SideEffect,
    digest,
    new_record_id,
    record_from_json,
    record_to_json,
)
from datenspiegel.protocol.log import leaf_data
from datenspiegel.xsd.codelists import Ergebnisstatus

CET = timezone(timedelta(hours=1))


def full_record(**changes: Any) -> ProtocolRecord:
    """A record with every field set to a non-default value."""
    values: dict[str, Any] = {
        "record_id": new_record_id(),
        "received_at": datetime(2025, 11, 28, 14, 3, 7, 123456, tzinfo=CET),
        "answered_at": datetime(2025, 11, 28, 14, 3, 7, 187654, tzinfo=CET),
        "service": "personensuche",
        "outcome": Outcome.ANSWERED,
        "outcome_codes": ("01",),
        "request_message_id": str(uuid.uuid4()),
        "answer_message_id": str(uuid.uuid4()),
        "request_digest": digest(b"<request/>"),
        "answer_digest": digest(b"<answer/>"),
        "client_address": "10.20.30.40",
        "certificate_fingerprint": "ab" * 32,
        "authority_id": 7,
        "authority_kennung": "ags:03241001",
        "authority_name": "Bürgeramt Hannover",
        "sicherheitsbehoerde": False,
        "user_id": 70,
        "user_kennung": "BA-4711",
        "aktenzeichen": "AZ 12/2025-ß",
        "anlass": "Vollstreckung einer Geldforderung",
        "requesting_body": {
            "name": "Landeshauptstadt Hannover",
            "anschrift": "Trammplatz 2, 30159 Hannover",
            "telefon": "+49 511 0",
            "email": "buergeramt@example.invalid",
        },
        "search_data": {
            "familienname": "MÜLLER",
            "vornamen": ["Hans", "Peter"],
            "geburtsdatum": {"jahr": 1970, "monat": 3, "tag": None},
            "phonetisch": False,
        },
        "requested_elements": (1, 7, 13, 21),
        "disclosed": {123456789: (1, 7, 13)},
        "withheld": (987654321,),
        "hits": (123456789, 987654321),
        "hit_count": 2,
        "detail": "register lookup 3.2 ms",
        "content_recorded": True,
        "request_bytes": 7_431,
        "answer_bytes": 9_876,
    }
    values.update(changes)
    return ProtocolRecord(**values)


def test_escaped_looking_text_is_not_mistaken_for_nul() -> None:
    record = full_record(search_data={"strasse": "Weg \\u0000 1", "x": [{"y\x01": "z"}]})
    assert record.search_data["strasse"] == "Weg \\u0000 1"
    with pytest.raises(InvalidRecord, match="NUL"):
        full_record(search_data={"a": [{"b\x00": 1}]})


def test_times_are_normalised_to_utc() -> None:
    record = full_record()
    assert record.received_at.tzinfo == UTC
    assert record.received_at == datetime(2025, 11, 28, 13, 3, 7, 123456, tzinfo=UTC)


def test_digest_and_record_id_helpers() -> None:
    assert digest(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    rid = new_record_id()
    assert uuid.UUID(rid).version == 4 and rid == rid.lower()


def test_structured_parts_are_read_only_and_json_shaped() -> None:
    record = full_record(search_data={"range": (1, 2)})
    assert record.search_data == {"range": [1, 2]}
    with pytest.raises(TypeError):
        cast(Any, record.search_data)["x"] = 1
    with pytest.raises(AttributeError):
        cast(Any, record).hit_count = 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"record_id": "not-a-uuid"}, "not a UUID"),
        ({"record_id": str(uuid.uuid1())}, "UUIDv4"),
        ({"record_id": new_record_id().upper()}, "canonical"),
        ({"received_at": datetime(2025, 1, 1)}, "timezone-aware"),
        ({"answered_at": datetime(2025, 11, 28, 12, 0, tzinfo=UTC)}, "before received_at"),
        ({"service": ""}, "service"),
        ({"outcome": "answered"}, "Outcome"),
        ({"outcome_codes": ()}, "must not be empty"),
        ({"outcome_codes": "01"}, "sequence"),
        ({"outcome_codes": ("01", "02")}, "exactly one Ergebnisstatus"),
        ({"outcome_codes": ("12",)}, "exactly one Ergebnisstatus"),
        ({"outcome": Outcome.REJECTED, "outcome_codes": ("T070",)}, "Grund codes"),
        ({"outcome": Outcome.RETURNED, "outcome_codes": ("17",)}, "0910 codes"),
        ({"outcome": Outcome.FAILED, "outcome_codes": ("boom",)}, "16 or S999"),
        ({"request_digest": "ABC"}, "request_digest"),
        ({"request_digest": digest(b"x").upper()}, "request_digest"),
        ({"answer_digest": "00"}, "answer_digest"),
        ({"sicherheitsbehoerde": None}, "sicherheitsbehoerde must be a bool"),
        ({"request_message_id": "x" * 256}, "255"),
        ({"aktenzeichen": "a\x00b"}, "NUL"),
        ({"requesting_body": {"name": 1}}, "texts to texts"),
        ({"search_data": {"x": object()}}, "JSON data"),
        ({"search_data": {"x": float("nan")}}, "JSON data"),
        ({"search_data": {"x": "a\x00"}}, "NUL"),
        ({"requested_elements": (0,)}, "minimum 1"),
        ({"disclosed": {123456789: ("1",)}}, "integers only"),
        ({"disclosed": {123456789: (0,)}}, "minimum 1"),
        ({"disclosed": {123456789: (7, 7)}}, "twice"),
        ({"disclosed": {"123456789": (1,)}}, "person ids"),
        ({"disclosed": [(123456789, (1,))]}, "map person ids"),
        ({"withheld": (987654321, 987654321)}, "twice"),
        ({"withheld": (123456789, 987654321)}, "disclosed and as withheld"),
        ({"disclosed": {5: (1,)}}, r"\[5\] are disclosed or withheld but not among the hits"),
        ({"withheld": (6,)}, r"\[6\] are disclosed or withheld but not among the hits"),
        ({"hits": (True,)}, "integers only"),
        ({"hit_count": 1}, "smaller than the 2 hits"),
        ({"authority_id": "7"}, "authority_id"),
        ({"content_recorded": False}, "without content"),
    ],
)
def test_invalid_records_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRecord, match=message):
        full_record(**changes)


@pytest.mark.parametrize(
    ("outcome", "codes"),
    [
        (Outcome.ANSWERED, ("03",)),
        (Outcome.ANSWERED, ("04",)),
        (Outcome.REJECTED, ("07", "17")),
        (Outcome.RETURNED, ("X001",)),
        (Outcome.FAILED, ("S999",)),
        (Outcome.FAILED, ("16",)),
    ],
)
def test_valid_outcome_codes(outcome: Outcome, codes: tuple[str, ...]) -> None:
    assert full_record(outcome=outcome, outcome_codes=codes).outcome_codes == codes


def test_record_of_an_unparseable_request_needs_little() -> None:
    now = datetime.now(UTC)
    record = ProtocolRecord(
        record_id=new_record_id(),
        received_at=now,
        answered_at=now,
        service="unbekannt",
        outcome=Outcome.RETURNED,
        outcome_codes=cast(Any, ["X000"]),
        request_digest=digest(b"<<<"),
        sicherheitsbehoerde=False,
    )
    assert record.outcome_codes == ("X000",)
    assert record.requesting_body == {} and record.hits == () and record.hit_count == 0


def test_without_content_keeps_only_technical_metadata() -> None:
    record = full_record(sicherheitsbehoerde=True)
    reduced = record.without_content()
    assert not reduced.content_recorded
    for name in ("aktenzeichen", "anlass"):
        assert getattr(reduced, name) is None
    assert reduced.requesting_body == {} and reduced.search_data == {}
    assert reduced.requested_elements == reduced.withheld == reduced.hits == ()
    assert reduced.disclosed == {} and reduced.disclosed_elements == ()
    assert reduced.hit_count == 0
    for name in (
        "record_id",
        "received_at",
        "answered_at",
        "outcome_codes",
        "request_digest",
        "authority_id",
        "user_kennung",
        "certificate_fingerprint",
        "client_address",
        "sicherheitsbehoerde",
    ):
        assert getattr(reduced, name) == getattr(record, name)


@pytest.mark.parametrize("content", [True, False])
def test_json_form_round_trip(content: bool) -> None:
    record = full_record() if content else full_record().without_content()
    data = record_to_json(record)
    assert data["format"] == RECORD_FORMAT
    assert data["outcome"] == "answered"
    text = json.dumps(data, ensure_ascii=False)
    assert record_from_json(json.loads(text)) == record


def test_sizes_are_metadata_and_a_record_without_them_keeps_its_old_form() -> None:
    """§ 40 Abs. 3 BMG: a security authority's metadata record keeps the sizes; a record
    written before sizes existed keeps its format-2 JSON — and so its Merkle leaf."""
    record = full_record()
    reduced = record.without_content()
    assert (reduced.request_bytes, reduced.answer_bytes) == (7_431, 9_876)
    old = replace(record, request_bytes=None, answer_bytes=None)
    data = record_to_json(old)
    assert data["format"] == "datenspiegel.protocol.record/2"
    assert "request_bytes" not in data and "answer_bytes" not in data
    assert record_from_json(data) == old
    assert leaf_data(old) != leaf_data(record)
    with pytest.raises(InvalidRecord, match="byte count"):
        replace(record, answer_bytes=-1)


def test_json_form_is_strict() -> None:
    data = record_to_json(full_record())
    with pytest.raises(InvalidRecord, match="format"):
        record_from_json({**data, "format": "other/9"})
    with pytest.raises(InvalidRecord, match=r"unknown keys \['extra'\]"):
        record_from_json({**data, "extra": 1})
    missing = dict(data)
    del missing["hits"]
    with pytest.raises(InvalidRecord, match=r"missing keys \['hits'\]"):
        record_from_json(missing)
    with pytest.raises(InvalidRecord, match="not a valid Outcome"):
        record_from_json({**data, "outcome": "maybe"})
    with pytest.raises(InvalidRecord, match="received_at"):
        record_from_json({**data, "received_at": "2025-11-28T12:00:00"})


def test_side_effect_validation() -> None:
    effect = SideEffect(kind="manueller_fall", payload={"ags": "03241001", "ids": (1, 2)})
    assert effect.payload == {"ags": "03241001", "ids": [1, 2]}
    with pytest.raises(InvalidRecord, match="kind"):
        SideEffect(kind="Manueller Fall", payload={})
    with pytest.raises(InvalidRecord, match="JSON"):
        SideEffect(kind="x", payload={"when": datetime.now(UTC)})


def test_replace_revalidates() -> None:
    with pytest.raises(InvalidRecord):
        replace(full_record(), outcome_codes=())


def test_the_record_is_defined_once_table_and_json_follow_its_fields() -> None:
    """Issue 6: the columns were written out in four places; now the record's fields are the
    one definition — the table must hold exactly them (plus the append order ``seq``), and the
    stored and exported forms are derived from them (the row adds the append order ``seq``
    and the Merkle log's columns)."""
    from datenspiegel.protocol._schema import records
    from datenspiegel.protocol.json_form import record_to_json
    from datenspiegel.protocol.record import RECORD_FIELDS, from_plain, to_plain

    names = {name for name, _kind in RECORD_FIELDS}
    log = {"log_index", "content_digest", "tag"}  # the Merkle log's (protocol/log.py)
    assert set(records.c.keys()) - {"seq"} - log == names
    record = full_record()
    assert from_plain(to_plain(record)) == record
    assert set(record_to_json(record)) - {"format"} == names


def test_disclosed_is_per_person_sorted_and_read_only() -> None:
    """§ 40 Abs. 1 Nr. 2 BMG: the data retrieved, per person; the answer-wide view is derived."""
    record = full_record(disclosed={123456789: (13, 1, 7)}, withheld=())
    assert record.disclosed == {123456789: (1, 7, 13)}
    assert record.disclosed_elements == (1, 7, 13)
    with pytest.raises(TypeError):
        cast(Any, record.disclosed)[5] = (1,)
    named_only = full_record(disclosed={123456789: ()})  # named with the facts, no element
    assert named_only.disclosed == {123456789: ()} and named_only.disclosed_elements == ()


@pytest.mark.parametrize("key", ["01", "+1", " 1", "1_0", "x", "None"])
def test_person_ids_read_back_only_in_canonical_decimal_text(key: str) -> None:
    from datenspiegel.protocol.record import from_plain, to_plain

    plain = to_plain(full_record())
    assert plain["disclosed"] == {"123456789": [1, 7, 13]}
    with pytest.raises(InvalidRecord, match="decimal text"):
        from_plain({**plain, "disclosed": {key: [1]}})


def _format_1(record: ProtocolRecord, disclosed_elements: list[int]) -> dict[str, Any]:
    """``record`` as the export format 1 wrote it (answer-wide ``disclosed_elements``)."""
    data = record_to_json(record)
    del data["disclosed"], data["withheld"]
    return {
        **data,
        "format": "datenspiegel.protocol.record/1",
        "disclosed_elements": disclosed_elements,
    }


@pytest.mark.parametrize(
    ("codes", "hits", "old", "disclosed"),
    [
        ((Ergebnisstatus.PERSON,), (7,), [1, 13, 48], {7: (1, 13, 48)}),  # its one hit's codes
        ((Ergebnisstatus.PERSON,), (7,), [], {7: ()}),  # nothing requested: still named
        ((Ergebnisstatus.TREFFERLISTE,), (7, 8), [], {}),  # hit lists were not recorded
        ((Ergebnisstatus.NEUTRAL,), (4,), [], {}),
    ],
)
def test_exports_in_format_1_are_read_as_they_stood(
    codes: tuple[str, ...], hits: tuple[int, ...], old: list[int], disclosed: dict
) -> None:
    record = full_record(
        outcome_codes=codes,
        hits=hits,
        hit_count=len(hits),
        disclosed={},
        withheld=(),
        request_bytes=None,  # format 1 knew no sizes
        answer_bytes=None,
    )
    read = record_from_json(_format_1(record, old))
    assert read.disclosed == disclosed and read.withheld == ()
    assert read == replace(record, disclosed=disclosed)
    with pytest.raises(InvalidRecord, match=r"unknown keys \['disclosed'\]"):
        record_from_json({**_format_1(record, old), "disclosed": {}})


def test_metadata_only_records_name_the_user_by_a_pseudonym() -> None:
    """§ 40 Abs. 3 BMG (issue 9, point 4): for a security authority logging itself only
    technical metadata is kept — the requesting person as a stable pseudonym."""
    record = full_record(sicherheitsbehoerde=True, user_kennung="KOK Müller")

    def pseudonym(kennung: str) -> str:
        return "pseudonym:" + str(len(kennung))

    reduced = record.without_content(pseudonym)
    assert reduced.user_kennung == "pseudonym:10" and not reduced.content_recorded
    assert record.without_content(pseudonym).user_kennung == reduced.user_kennung
