"""The two validation engines agree: libxml2 on the service's hot path, xmlschema in the vendors'
``datenspiegel validate``. A file one accepts and the other refuses would let a vendor's pipeline
pass messages the broker rejects (or the reverse), so every message file in the repository is a
case here: the samples under fixtures/messages and everything below tests/data, none skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.xsd import MessageValidator, parse_message
from datenspiegel.xsd.conformance import FileVerdict, check_file, load_schema
from datenspiegel.xsd.errors import MessageError, MessageSchemaInvalid

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "fixtures" / "messages"
TEST_DATA = REPO / "tests" / "data"

# Where a file lies says what it must be; other folders below tests/data only need agreement.
EXPECTED_BY_FOLDER = {
    SAMPLES: True,
    TEST_DATA / "valid": True,
    TEST_DATA / "invalid": False,
}

# The invalid samples the contract promises vendors, with the code the broker answers.
REQUIRED_INVALID = {
    "not-well-formed.xml": "X000",
    "missing-aktenzeichen.xml": "X001",
    "wrong-code-value.xml": "X011",
    "wrong-list-uri.xml": "X010",
    "doctype-entity.xml": "X000",
    "text-longer-than-120.xml": "X001",
    "wrong-root-element.xml": "X001",
    "name-121-chars.xml": "X001",
}
REQUIRED_SAMPLES = {
    "personensuche-1330.xml",
    "personensuche-1330-anschrift.xml",
    "personensuche-1330-identifikationsmerkmal.xml",
    "personensuche-1331-status01.xml",
    "personensuche-1331-status02.xml",
    "personensuche-1331-status03.xml",
    "personensuche-1331-rueckweisung.xml",
    "ruecksendung-0910.xml",
}


def _corpus() -> list[Path]:
    return sorted([*SAMPLES.rglob("*.xml"), *TEST_DATA.rglob("*.xml")])


CORPUS = _corpus()


@pytest.fixture(scope="module")
def validator() -> MessageValidator:
    return MessageValidator()


def _service_verdict(data: bytes, validator: MessageValidator) -> tuple[bool, str | None, set[int]]:
    """What the broker does with these bytes: the hardened parser, then libxml2."""
    try:
        validator.validate(parse_message(data))
    except MessageSchemaInvalid as exc:
        return False, exc.code, {issue.line for issue in exc.issues}
    except MessageError as exc:
        return False, exc.code, set()
    return True, None, set()


def _expected(path: Path) -> bool | None:
    for folder, valid in EXPECTED_BY_FOLDER.items():
        if folder in path.parents:
            return valid
    return None


def test_corpus_holds_every_promised_file() -> None:
    names = {path.name for path in CORPUS}
    assert REQUIRED_SAMPLES <= names
    assert set(REQUIRED_INVALID) <= names
    assert len(CORPUS) >= len(REQUIRED_SAMPLES) + len(REQUIRED_INVALID)


@pytest.mark.parametrize("path", CORPUS, ids=[str(p.relative_to(REPO)) for p in CORPUS])
def test_engines_agree(path: Path, validator: MessageValidator) -> None:
    service_valid, service_code, service_lines = _service_verdict(path.read_bytes(), validator)
    verdict = check_file(path, schema=load_schema())

    assert verdict.valid is service_valid, _explain(verdict, service_code)
    assert verdict.code == service_code, _explain(verdict, service_code)
    expected = _expected(path)
    if expected is not None:
        assert verdict.valid is expected, _explain(verdict, service_code)
    if verdict.valid:
        assert verdict.errors == ()
        return
    assert verdict.errors, "an invalid file must say why"
    assert all(error.file == path and error.line >= 1 for error in verdict.errors)
    # Both engines point at the same lines, so the vendor finds what the broker complains about.
    assert service_lines <= {error.line for error in verdict.errors}


@pytest.mark.parametrize("name", sorted(REQUIRED_INVALID))
def test_promised_invalid_samples_carry_their_code(name: str) -> None:
    verdict = check_file(TEST_DATA / "invalid" / name)
    assert not verdict.valid
    assert verdict.code == REQUIRED_INVALID[name]


def _explain(verdict: FileVerdict, service_code: str | None) -> str:
    lines = "\n".join(str(error) for error in verdict.errors) or "(no errors)"
    return f"service said {service_code or 'valid'}, conformance said {verdict.code}:\n{lines}"


# Inputs on which libxml2 and xmlschema once disagreed (fixed in the contract); kept as cases.
BASE = (SAMPLES / "personensuche-1330.xml").read_text(encoding="utf-8")
_DIVERGENCES = {
    "fixed-boolean-as-1": (
        "<geburtsdatum><jahrMonatTag>1964-08-12</jahrMonatTag></geburtsdatum>",
        "<geburtsdatum><unbekannt>1</unbekannt></geburtsdatum>",
        "Datum.Teilbekannt/unbekannt is xs:boolean fixed='true': libxml2 compares the fixed value "
        "lexically and refuses '1', xmlschema compares values and accepts it",
    ),
    "private-use-character": (
        "<familienname>Musterfrau</familienname>",
        "<familienname>Muster\ue001frau</familienname>",
        "String.Latin [^\\p{C}]*: libxml2's \\p{C} lacks most of Co (private use) and all of Cn",
    ),
    "bidi-isolate-control": (
        "<familienname>Musterfrau</familienname>",
        "<familienname>Muster\u2066frau</familienname>",
        "String.Latin [^\\p{C}]*: libxml2's Unicode tables predate U+2066..2069 (Cf since 6.3)",
    ),
    "unassigned-code-point": (
        "<familienname>Musterfrau</familienname>",
        "<familienname>Muster\u0378frau</familienname>",
        "String.Latin [^\\p{C}]*: libxml2's \\p{C} does not include Cn (unassigned)",
    ),
}


@pytest.mark.parametrize(
    "old,new",
    [pytest.param(old, new, id=name) for name, (old, new, _why) in _DIVERGENCES.items()],
)
def test_engines_agree_on_known_divergences(
    old: str, new: str, tmp_path: Path, validator: MessageValidator
) -> None:
    assert old in BASE
    path = tmp_path / "message.xml"
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    service_valid, service_code, _ = _service_verdict(path.read_bytes(), validator)
    verdict = check_file(path)
    assert (verdict.valid, verdict.code) == (service_valid, service_code)
