"""``datenspiegel register …`` through its run() functions: exit codes, messages, effects."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from datenspiegel.fixtures.testpersons import TEST_PERSONS
from datenspiegel.register.jsonl import read_jsonl
from datenspiegel.register.migrations import MIGRATIONS
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.cli_register import add_register_commands, register_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="datenspiegel")
    add_register_commands(parser.add_subparsers(dest="command"))
    return parser


def run(*argv: str) -> int:
    args = _parser().parse_args(["register", *argv])
    result: int = args.func(args)
    return result


def test_generate_then_stats_in_a_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "var")
    assert run("generate", "--data-dir", data, "--persons", "150", "--no-progress") == 0
    assert "165 persons written" in capsys.readouterr().out
    assert (tmp_path / "var" / "register.sqlite").is_file()
    assert run("stats", "--data-dir", data, "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["persons"] == 150 + len(TEST_PERSONS)
    assert stats["schema_version"] == MIGRATIONS[-1].version
    assert stats["persons_per_ags"]["03241001"] > 0


def test_generate_into_a_postgresql_url(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("generate", "--register-url", pg_url, "--persons", "20", "--no-progress") == 0
    with RegisterStore(pg_url) as store:
        found = store.search_personen(PersonensucheQuery(ags="03241001", familienname="Mustermann"))
    assert [p.id for p in found] == [1]


def test_export_sample_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = tmp_path / "sample.jsonl"
    assert run("export-sample", "--output", str(sample), "--persons", "30", "--seed", "4") == 0
    persons = list(read_jsonl(sample))
    assert len(persons) == 30 + len(TEST_PERSONS)
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    assert run("import", str(sample), "--register-url", url, "--no-progress") == 0
    assert f"{len(persons)} persons imported from sample.jsonl" in capsys.readouterr().out
    with RegisterStore(url) as store:
        assert store.get_person(1) == TEST_PERSONS[0]
        log = store.import_log()
    assert {entry.kind for entry in log} == {"bestand"}
    assert {entry.source for entry in log} == {"sample.jsonl"}
    # importing the same delivery again replaces, never duplicates
    assert run("import", str(sample), "--register-url", url, "--no-progress", "--kind", "x") == 0
    assert f"({len(persons)} replaced)" in capsys.readouterr().out


def test_import_of_a_bad_line_fails_with_line_and_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ags": "03241001", "familienname": "Gut"}\n{"ags": "3"}\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    assert run("import", str(bad), "--register-url", url, "--no-progress") == 1
    err = capsys.readouterr().err
    assert "line 2" in err and "8-digit" in err and "import the file again" in err


def test_missing_file_and_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    assert run("import", str(tmp_path / "nope.jsonl"), "--register-url", url) == 1
    assert "no such file" in capsys.readouterr().err
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes('{"ags": "03241001", "familienname": "Müller"}\n'.encode("latin-1"))
    assert run("import", str(latin), "--register-url", url, "--no-progress") == 1
    assert "UTF-8" in capsys.readouterr().err


def test_no_database_given_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("stats") == 2
    assert "--register-url" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        run("generate", "--data-dir", "x", "--persons", "-5")
    assert caught.value.code == 2


def test_bad_url_is_a_failure_with_advice(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("stats", "--register-url", "nosuchdb://h/db") == 1
    assert "give a SQLAlchemy URL" in capsys.readouterr().err


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["register"],
        ["register", "generate"],
        ["register", "import"],
        ["register", "stats"],
    ):
        with pytest.raises(SystemExit) as caught:
            _parser().parse_args([*argv, "--help"])
        assert caught.value.code == 0
    assert "--register-url" in capsys.readouterr().out


def test_data_dir_convention(tmp_path: Path) -> None:
    args = argparse.Namespace(data_dir=str(tmp_path))
    assert register_url(args) == f"sqlite:///{tmp_path.resolve()}/register.sqlite"
    args = argparse.Namespace(data_dir=str(tmp_path), register_url="postgresql+psycopg://h/db")
    assert register_url(args) == "postgresql+psycopg://h/db"


def test_data_dir_with_configuration_uses_the_services_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datenspiegel.service.bootstrap import initialise

    initialise(tmp_path / "var", persons=1, progress=False)
    args = argparse.Namespace(data_dir=str(tmp_path / "var"))
    assert register_url(args) == f"sqlite:///{(tmp_path / 'var').resolve()}/register.sqlite"
    # an import must land where the service reads, also when the environment moved it
    monkeypatch.setenv("DATENSPIEGEL_STORES_REGISTER_URL", "postgresql+psycopg://h/register")
    assert register_url(args) == "postgresql+psycopg://h/register"


def test_data_dir_without_configuration_honours_the_override_as_well(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same rule as ``serve`` and ``init``: the environment wins over the default."""
    monkeypatch.setenv("DATENSPIEGEL_STORES_REGISTER_URL", "postgresql+psycopg://h/register")
    assert register_url(argparse.Namespace(data_dir=str(tmp_path))) == (
        "postgresql+psycopg://h/register"
    )


def test_main_parser_options_are_not_overwritten(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="datenspiegel")
    parser.add_argument("--data-dir")
    add_register_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--data-dir", str(tmp_path), "register", "stats"])
    assert args.data_dir == str(tmp_path)


def test_import_strassen_adds_a_street_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A municipality's street directory delivery (docs/register.md): rejection 02 is decided
    from it, not from the residents (§ 34a Abs. 5 BMG)."""
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    delivery = tmp_path / "strassen.jsonl"
    delivery.write_text(
        '{"ags": "03241001", "strasse": "Am Küchengarten"}\n'
        '{"ags": "03101000", "strasse": "Bohlweg"}\n',
        encoding="utf-8",
    )
    assert run("import-strassen", str(delivery), "--register-url", url) == 0
    assert "2 street entries read from strassen.jsonl for 2 municipalities" in (
        capsys.readouterr().out
    )
    with RegisterStore(url) as store:
        assert store.known_street("03241001", "Am Kuechengarten")
        assert [e.kind for e in store.import_log()] == ["strassenverzeichnis"] * 2
    delivery.write_text('{"ags": "03241001", "strasse": "X"}\n{"ags": "1"}\n', encoding="utf-8")
    assert run("import-strassen", str(delivery), "--register-url", url) == 1
    assert "nothing imported: line 2: ags must be an 8-digit AGS" in capsys.readouterr().err
    with RegisterStore(url) as store:
        assert not store.known_street("03241001", "X")  # one transaction: nothing half-written
    assert run("import-strassen", str(tmp_path / "missing.jsonl"), "--register-url", url) == 1
    assert "no such file" in capsys.readouterr().err


def test_full_reload_and_deliveries_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "var")
    stock = tmp_path / "stock.jsonl"
    assert run("export-sample", "--output", str(stock), "--persons", "40") == 0
    capsys.readouterr()
    assert run("import", str(stock), "--full", "--data-dir", data, "--no-progress",
               "--workers", "0") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert f"{40 + len(TEST_PERSONS)} persons loaded from stock.jsonl" in out
    assert "replaced 0 records" in out

    delivery = tmp_path / "lieferung.jsonl"
    delivery.write_text(
        '{"lieferung": "HAN-1", "ags": "03241001", "nachrichtentyp": "fortschreibung"}\n'
        '{"op": "block_set", "id": 1, "code": "1"}\n',
        encoding="utf-8",
    )
    assert run("apply-delivery", str(delivery), "--data-dir", data) == 0
    assert "delivery HAN-1 of 03241001 (fortschreibung) applied: 1 operations" in (
        capsys.readouterr().out
    )
    assert run("apply-delivery", str(delivery), "--data-dir", data) == 0
    assert "was applied already" in capsys.readouterr().out

    refused = tmp_path / "refused.jsonl"
    refused.write_text(
        '{"lieferung": "HAN-2", "ags": "03241001", "nachrichtentyp": "fortschreibung"}\n'
        '{"op": "block_lifted", "id": 1, "code": "11"}\n',
        encoding="utf-8",
    )
    assert run("apply-delivery", str(refused), "--data-dir", data) == 1
    err = capsys.readouterr().err
    assert "nothing of it applied" in err and "line 2" in err

    bad_stock = tmp_path / "bad.jsonl"
    bad_stock.write_text('{"ags": "03241001", "familienname": "X"}\n', encoding="utf-8")
    assert run("import", str(bad_stock), "--full", "--data-dir", data, "--workers", "0",
               "--no-progress") == 1  # fmt: skip
    assert "the register is unchanged" in capsys.readouterr().err
    # the workers read the file themselves: a line that is not UTF-8 is named by its number
    latin = tmp_path / "latin1.jsonl"
    latin_line = '{"id": 9, "familienname": "Müller"}\n'.encode("latin-1")
    latin.write_bytes(stock.read_bytes() + latin_line)
    assert run("import", str(latin), "--full", "--data-dir", data, "--workers", "0",
               "--no-progress") == 1  # fmt: skip
    err = capsys.readouterr().err
    assert f"line {41 + len(TEST_PERSONS)}: not UTF-8" in err and "unchanged" in err
    assert run("import", str(stock), "--data-dir", data, "--workers", "1") == 2
