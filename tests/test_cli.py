"""The ``datenspiegel`` command: help everywhere, one-line errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main


@pytest.mark.parametrize(
    "argv",
    [[], ["init"], ["serve"], ["client"], ["client", "personensuche"], ["register"], ["validate"]],
)
def test_help_everywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: datenspiegel" in capsys.readouterr().out


def test_init_twice_is_refused_and_startup_faults_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=5, progress=False)
    assert main(["init", "--data-dir", str(data_dir), "--quiet"]) == 1
    assert "already initialised" in capsys.readouterr().err

    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", "postgresql+psycopg://x@127.0.0.1:1/x")
    assert main(["serve", "--data-dir", str(data_dir), "--listen", "127.0.0.1:0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    monkeypatch.delenv("DATENSPIEGEL_STORES_BROKER_URL")

    config = data_dir / "datenspiegel.toml"
    config.write_text(config.read_text().replace("broker-key.pem", "missing-key.pem"))
    assert main(["serve", "--data-dir", str(data_dir), "--listen", "127.0.0.1:0"]) == 1
    err = capsys.readouterr().err
    assert "missing-key.pem" in err and len(err.strip().splitlines()) == 1

    assert main(["serve", "--data-dir", str(tmp_path / "nowhere")]) == 1
    assert "datenspiegel init" in capsys.readouterr().err

    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config.write_text(config.read_text().replace("missing-key.pem", "broker-key.pem"))
        assert main(["serve", "--data-dir", str(data_dir), "--listen", f"127.0.0.1:{port}"]) == 1
        err = capsys.readouterr().err
        assert "cannot listen" in err and len(err.strip().splitlines()) == 1


def test_client_without_init_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["client", "personensuche", "--data-dir", str(tmp_path), "--ags", "03241001"])
    assert code == 2
    assert "datenspiegel init" in capsys.readouterr().err


def test_failed_init_leaves_nothing_behind(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    with pytest.raises(Exception, match="Connection refused"):
        initialise(
            data_dir, persons=5, progress=False, broker_url="postgresql+psycopg://x@127.0.0.1:1/x"
        )
    assert not data_dir.exists()  # so that a second 'init' / 'make run' starts clean
    result = initialise(data_dir, persons=5, progress=False)
    assert result.demo.is_file()


def test_init_refuses_a_directory_with_content(tmp_path: Path) -> None:
    (tmp_path / "something.txt").write_text("keep me")
    from datenspiegel.service.errors import ConfigError

    with pytest.raises(ConfigError, match="not empty"):
        initialise(tmp_path, persons=5, progress=False)
    assert (tmp_path / "something.txt").read_text() == "keep me"
