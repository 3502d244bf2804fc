"""``datenspiegel validate`` as a pipeline sees it: output lines, exit codes, the JUnit report."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.service.cli_validate import add_validate_command

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "fixtures" / "messages"
INVALID = REPO / "tests" / "data" / "invalid"


def _parser() -> argparse.ArgumentParser:
    # The lead wires the command into the real CLI the same way.
    parser = argparse.ArgumentParser(prog="datenspiegel")
    add_validate_command(parser.add_subparsers(dest="command", required=True))
    return parser


def _validate(*argv: str | Path) -> int:
    args = _parser().parse_args(["validate", *map(str, argv)])
    return int(args.func(args))


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    matches = [number for number, text in enumerate(lines, start=1) if needle in text]
    assert len(matches) == 1, f"{needle!r} should occur once in {path}"
    return matches[0]


def test_shipped_samples_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert _validate(SAMPLES) == 0
    out = capsys.readouterr().out.splitlines()
    samples = sorted(SAMPLES.glob("*.xml"))
    assert out == [f"OK {path}" for path in samples]
    assert len(samples) >= 8


def test_single_files_and_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = sorted(SAMPLES.glob("*.xml"))[:2]
    assert _validate(first, second) == 0
    assert capsys.readouterr().out.splitlines() == [f"OK {first}", f"OK {second}"]
    assert _validate("--quiet", first, second) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


@pytest.mark.parametrize(
    "name,code,needle",
    [
        ("wrong-code-value.xml", "X011", "<code>186</code>"),
        ("missing-aktenzeichen.xml", "X001", "<anlass>"),
        ("wrong-list-uri.xml", "X010", "freie.suche.anforderungselement"),
        ("not-well-formed.xml", "X000", "</kenung>"),
        ("doctype-entity.xml", "X000", "<!DOCTYPE"),
        ("name-121-chars.xml", "X001", "<familienname>"),
    ],
)
def test_broken_file_exits_1_with_real_line(
    name: str, code: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = INVALID / name
    assert _validate(path) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"INVALID {path}"
    line = _line_of(path, needle)
    assert out[1].startswith(f"  {path}:{line}: {code} "), out[1]
    assert all(entry.startswith(f"  {path}:") for entry in out[1:])


def test_mixed_run_reports_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = SAMPLES / "personensuche-1330.xml"
    bad = INVALID / "wrong-list-and-code.xml"
    assert _validate(good, bad) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"OK {good}"
    assert out[1] == f"INVALID {bad}"
    # Every error gets its line, not just the first.
    codes = [entry.split(": ", 1)[1].split(" ", 1)[0] for entry in out[2:]]
    assert codes == ["X011", "X010"]


def test_directories_are_searched_recursively(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(SAMPLES / "personensuche-1330.xml", tmp_path / "a" / "one.xml")
    shutil.copy(INVALID / "missing-aktenzeichen.xml", nested / "two.xml")
    (nested / "notes.txt").write_text("not a message", encoding="utf-8")
    assert _validate(tmp_path) == 1
    out = capsys.readouterr().out
    assert f"OK {tmp_path / 'a' / 'one.xml'}" in out
    assert f"INVALID {nested / 'two.xml'}" in out
    assert "notes.txt" not in out


def test_junit_report_counts_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "validate.xml"
    invalid = sorted(INVALID.glob("*.xml"))
    valid = sorted(SAMPLES.glob("*.xml"))
    assert _validate("--junit", report, *valid, *invalid) == 1
    capsys.readouterr()

    root = etree.fromstring(report.read_bytes())
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    assert suite.get("name") == "datenspiegel.validate"
    assert int(suite.get("tests", "-1")) == len(valid) + len(invalid)
    assert int(suite.get("failures", "-1")) == len(invalid)
    assert int(suite.get("errors", "-1")) == 0
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {str(path) for path in [*valid, *invalid]}
    for path in valid:
        assert cases[str(path)].find("failure") is None
    for path in invalid:
        failure = cases[str(path)].find("failure")
        assert failure is not None, path
        assert failure.get("type") in {"X000", "X001", "X010", "X011"}
        # One error per line, each in the command's own FILE:LINE: form.
        assert failure.text is not None
        for entry in failure.text.strip().splitlines():
            assert entry.startswith(f"{path}:")


def test_junit_for_an_all_valid_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.xml"
    assert _validate("--junit", report, SAMPLES) == 0
    root = etree.fromstring(report.read_bytes())
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "0"
    assert suite.get("tests") == str(len(list(SAMPLES.glob("*.xml"))))


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nicht-da.xml"
    assert _validate(SAMPLES / "personensuche-1330.xml", missing) == 2
    captured = capsys.readouterr()
    assert str(missing) in captured.err
    assert "no such file" in captured.err
    assert captured.out == ""  # nothing is validated when the command line is wrong


def test_empty_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _validate(tmp_path) == 2
    assert "no *.xml files" in capsys.readouterr().err


def test_unwritable_report_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "no-such-dir" / "report.xml"
    assert _validate("--junit", report, SAMPLES) == 2
    assert str(report) in capsys.readouterr().err


def test_no_files_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as no_files:
        _parser().parse_args(["validate"])
    assert no_files.value.code == 2
    with pytest.raises(SystemExit) as help_:
        _parser().parse_args(["validate", "--help"])
    assert help_.value.code == 0
    text = capsys.readouterr().out
    assert "--junit" in text
    assert "--quiet" in text
    assert "X011" in text


def test_runs_as_a_process_without_spyne(tmp_path: Path) -> None:
    """The real exit status, and the SOAP stack is never imported by the command."""
    code = (
        "import sys\n"
        "from datenspiegel.service.cli_validate import main\n"
        "rc = main(sys.argv[1:])\n"
        "assert 'spyne' not in sys.modules, 'validate must not import spyne'\n"
        "raise SystemExit(rc)\n"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    broken = INVALID / "wrong-code-value.xml"
    result = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES), str(broken)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    line = _line_of(broken, "<code>186</code>")
    assert f"  {broken}:{line}: X011 " in result.stdout
    assert "1 invalid" in result.stderr
