"""Every command reads the configuration the same way: ``init``, ``serve`` and ``register …``
honour the ``DATENSPIEGEL_STORES_*`` overrides, and a mistyped variable stops each of them.

The README's PostgreSQL path, tried as a new user would: the overrides given to ``init`` and
``serve`` (never written into the file). Before, ``init`` ignored them and filled SQLite while
``serve`` read an empty PostgreSQL register: the worked example answered T070.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from datenspiegel.service.config import CONFIG_NAME
from tests.serving import Server, ask_unique, start_serve


def _datenspiegel(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "datenspiegel.service.cli", *argv],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_readme_postgresql_path_init_then_serve_answers_the_worked_example(
    tmp_path: Path, pg_url: str
) -> None:
    env = {
        "DATENSPIEGEL_STORES_REGISTER_URL": pg_url,
        "DATENSPIEGEL_STORES_BROKER_URL": pg_url,
    }
    data_dir = tmp_path / "var"
    init = _datenspiegel("init", "--data-dir", str(data_dir), "--persons", "20", "--quiet", env=env)
    assert init.returncode == 0, init.stderr
    assert "(from DATENSPIEGEL_STORES_REGISTER_URL)" in init.stdout
    assert "(from DATENSPIEGEL_STORES_BROKER_URL)" in init.stdout
    assert not list(data_dir.glob("*.sqlite*"))  # nothing went to a stray SQLite file
    assert "sqlite:///" in (data_dir / CONFIG_NAME).read_text()  # the environment is not saved

    serving = start_serve(data_dir, env=env)
    try:
        reply = ask_unique(Server.of(data_dir, serving).client("ordnungsamt"))
        assert reply.status == "01", reply
    finally:
        serving.stop()

    protocol = ProtocolStore(pg_url)
    register = RegisterStore(pg_url)
    try:
        records = protocol.records(reader="tests", purpose=ReadPurpose.BETRIEB)
        assert [r.request_message_id for r in records] == [reply.request_id]
        assert records[0].outcome_codes == ("01",)
        assert register.stats().persons >= 20
    finally:
        protocol.dispose()
        register.close()


def test_init_and_register_commands_write_where_the_overrides_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    register_url = f"sqlite:///{elsewhere / 'register.sqlite'}"
    broker_url = f"sqlite:///{elsewhere / 'broker.sqlite'}"
    monkeypatch.setenv("DATENSPIEGEL_STORES_REGISTER_URL", register_url)
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", broker_url)
    data_dir = tmp_path / "var"
    assert main(["init", "--data-dir", str(data_dir), "--persons", "3", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"{register_url} (from DATENSPIEGEL_STORES_REGISTER_URL)" in out
    assert "give serve the same DATENSPIEGEL_STORES_* variables" in out
    assert not list(data_dir.glob("*.sqlite*"))
    assert (elsewhere / "register.sqlite").is_file() and (elsewhere / "broker.sqlite").is_file()

    with RegisterStore(register_url) as store:
        after_init = store.stats().deliveries
    assert main(["register", "stats", "--data-dir", str(data_dir), "--json"]) == 0
    assert f'"deliveries": {after_init},' in capsys.readouterr().out
    argv = ["register", "generate", "--data-dir", str(data_dir), "--persons", "2", "--no-progress"]
    assert main(argv) == 0
    capsys.readouterr()
    with RegisterStore(register_url) as store:
        assert store.stats().deliveries > after_init  # generate wrote into the same register


def test_without_overrides_init_keeps_the_stores_in_the_data_directory(tmp_path: Path) -> None:
    result = initialise(tmp_path / "var", persons=1, progress=False, env={})
    assert result.register_url == f"sqlite:///{result.data_dir / 'register.sqlite'}"
    assert result.broker_url == f"sqlite:///{result.data_dir / 'broker.sqlite'}"
    assert (result.data_dir / "register.sqlite").is_file()


@pytest.mark.parametrize(
    "argv",
    [
        ["init", "--data-dir", "{dir}/new", "--quiet"],
        ["serve", "--data-dir", "{dir}/var", "--listen", "127.0.0.1:0"],
        ["register", "stats", "--data-dir", "{dir}/var"],
        ["register", "stats", "--data-dir", "{dir}/no-configuration"],
    ],
)
def test_a_mistyped_variable_stops_every_command_that_reads_the_configuration(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    initialise(tmp_path / "var", persons=1, progress=False, env={})
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_ULR", "postgresql+psycopg://db/broker")
    assert main([arg.replace("{dir}", str(tmp_path)) for arg in argv]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(
        "error: unknown environment variable DATENSPIEGEL_STORES_BROKER_ULR "
        "(did you mean DATENSPIEGEL_STORES_BROKER_URL?); known: "
    )
    assert not (tmp_path / "new").exists()  # init refused before creating anything
