"""``datenspiegel.xsd.conformance``: verdicts, locations and codes of the vendors' validator."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import xmlschema

from datenspiegel.xsd import conformance
from datenspiegel.xsd.conformance import FileVerdict, Violation, check_file, check_files

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "fixtures" / "messages"
INVALID = REPO / "tests" / "data" / "invalid"


@pytest.fixture
def fresh_schema_cache() -> Iterator[None]:
    conformance.load_schema.cache_clear()
    yield
    conformance.load_schema.cache_clear()


def test_schema_is_compiled_once_for_many_files(
    monkeypatch: pytest.MonkeyPatch, fresh_schema_cache: None
) -> None:
    built: list[dict[str, Any]] = []
    real = xmlschema.XMLSchema

    def counting(*args: Any, **kwargs: Any) -> xmlschema.XMLSchema:
        built.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(conformance.xmlschema, "XMLSchema", counting)
    verdicts = check_files(sorted(SAMPLES.glob("*.xml")))
    check_file(SAMPLES / "personensuche-1330.xml")
    assert len(verdicts) >= 8
    assert all(verdict.valid for verdict in verdicts)
    assert len(built) == 1
    # Imports are read from the package directory only, never fetched over HTTP.
    assert built[0]["allow"] == "local"


def test_valid_file() -> None:
    path = SAMPLES / "personensuche-1331-status02.xml"
    assert check_file(path) == FileVerdict(path, valid=True, code=None, errors=())


def test_verdict_is_immutable() -> None:
    verdict = check_file(SAMPLES / "personensuche-1330.xml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cast(Any, verdict).valid = False


def test_wrong_code_is_located_and_named() -> None:
    path = INVALID / "wrong-code-value.xml"
    verdict = check_file(path)
    assert (verdict.valid, verdict.code) == (False, "X011")
    (error,) = verdict.errors
    assert error.path.endswith("/anforderungselement[3]/code")
    assert "'186'" in error.reason
    # The list is named instead of dumping its 185 values.
    assert "urn:xoev-de:xmeld:codeliste:personensuche.anforderungselement" in error.reason
    assert len(error.reason) < 200
    assert str(error) == f"{path}:{error.line}: X011 {error.path}: {error.reason}"


def test_missing_element_points_at_the_next_child() -> None:
    (error,) = check_file(INVALID / "missing-aktenzeichen.xml").errors
    assert error.code == "X001"
    assert error.path.endswith("/anfragendeStelle/anlass")
    assert "'aktenzeichen' expected" in error.reason


def test_all_errors_are_reported_and_list_errors_win() -> None:
    verdict = check_file(INVALID / "wrong-list-and-code.xml")
    assert [error.code for error in verdict.errors] == ["X011", "X010"]
    assert verdict.code == "X010"  # the service's precedence: a wrong list before a wrong code
    assert verdict.errors[0].line < verdict.errors[1].line


def test_long_values_are_shortened() -> None:
    (error,) = check_file(INVALID / "name-121-chars.xml").errors
    assert "greater than 120" in error.reason
    assert "(121 characters)" in error.reason
    assert "\n" not in error.reason


@pytest.mark.parametrize(
    "name,line,fragment",
    [
        ("doctype-entity.xml", 2, "DOCTYPE"),
        ("not-well-formed.xml", 17, "mismatch"),
        ("latin-1-encoded.xml", 2, "not UTF-8"),
        ("utf-16-encoded.xml", 1, "not UTF-8"),
        ("empty.xml", 1, "empty"),
    ],
)
def test_unreadable_messages_are_x000(name: str, line: int, fragment: str) -> None:
    path = INVALID / name
    verdict = check_file(path)
    assert (verdict.valid, verdict.code) == (False, "X000")
    assert verdict.errors == (Violation(path, line, "/", verdict.errors[0].reason, "X000"),)
    assert fragment in verdict.errors[0].reason
    assert "<string>" not in verdict.errors[0].reason


def test_entity_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-4711", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>\n<r>&x;</r>',
        encoding="utf-8",
    )
    verdict = check_file(path)
    assert verdict.code == "X000"
    assert "GEHEIM" not in str(verdict)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        check_file(tmp_path / "absent.xml")
