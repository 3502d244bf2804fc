"""The generated code lists (XSD and Python) are what ``codelists.txt`` says, nothing else.

``codelists.txt`` is the product's ground truth and lives beside the repository
(``../shared/design/codelists.txt``). After it changes, regenerate with
``python -m datenspiegel.xsd.codegen ../shared/design/codelists.txt`` and commit both outputs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from datenspiegel.xsd import NAMESPACE, codegen, codelists

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "design" / "codelists.txt"
CODES_XSD = REPO / "xsd" / "datenabruf-codes.xsd"
CODELISTS_PY = REPO / "xsd" / "codelists.py"
HOW_TO_FIX = "regenerate: python -m datenspiegel.xsd.codegen ../shared/design/codelists.txt"


@pytest.fixture(scope="module")
def source_text() -> str:
    if not SOURCE.is_file():
        pytest.skip(
            f"{SOURCE} is absent: the code-list source lives beside the repository "
            "(../shared/design/); CI provides it, a bare clone cannot check the generated files"
        )
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lists(source_text: str) -> list[codegen.CodeList]:
    return codegen.parse_codelists(source_text)


def test_every_list_of_the_source_is_parsed(
    source_text: str, lists: list[codegen.CodeList]
) -> None:
    headers = re.findall(r"^### (\S+) \|", source_text, flags=re.MULTILINE)
    assert headers, "codelists.txt has no list headers"
    parsed = {code_list.name: code_list for code_list in lists}
    for name in headers:
        assert name in parsed
        entries = len(re.findall(r"^\s+\S+ \| ", _section(source_text, name), re.MULTILINE))
        assert len(parsed[name].entries) == entries > 0, name


def test_codes_xsd_is_generated_output(lists: list[codegen.CodeList]) -> None:
    expected = codegen.render_xsd(lists, NAMESPACE)
    assert CODES_XSD.read_text(encoding="utf-8") == expected, HOW_TO_FIX


def test_codelists_py_is_generated_output(lists: list[codegen.CodeList]) -> None:
    # Compared as syntax trees: a code formatter may restyle the file, but not change a value.
    expected = ast.dump(ast.parse(codegen.render_python(lists)))
    actual = ast.dump(ast.parse(CODELISTS_PY.read_text(encoding="utf-8")))
    assert actual == expected, HOW_TO_FIX


def test_runtime_tables_match_the_source(lists: list[codegen.CodeList]) -> None:
    for code_list in lists:
        table = getattr(codelists, code_list.python_name)
        assert table.uri == code_list.uri
        assert table.version == code_list.version
        assert dict(table.labels) == dict(code_list.entries), code_list.name
    enums = {"Ergebnisstatus", "Grund", "Nachrichtentyp", "Ruecksendung"}
    assert set(codelists.__all__) == {"CodeListInfo", *(c.python_name for c in lists), *enums}


@pytest.mark.parametrize(
    ("enum", "table"),
    [
        (codelists.Ergebnisstatus, codelists.ERGEBNISSTATUS),
        (codelists.Grund, codelists.NICHTERSTELLUNG_GRUND),
        (codelists.Ruecksendung, codelists.RUECKSENDUNG),
        (codelists.Nachrichtentyp, codelists.NACHRICHTENTYP),
    ],
)
def test_code_enums_are_exactly_their_lists(enum: type, table: codelists.CodeListInfo) -> None:
    """The enums the code decides with hold every code of their list and nothing else."""
    assert sorted(member.value for member in enum) == sorted(table.labels)
    assert all(member.label == table.labels[member.value] for member in enum)


def _section(text: str, name: str) -> str:
    start = text.index(f"### {name} |")
    end = text.find("\n###", start + 1)
    return text[start : end if end >= 0 else len(text)]
