"""Each configuration key defined once: the declarations drive reading, overrides, validation,
refusal of unknown names and the documentation table."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from datenspiegel.service import config as config_module
from datenspiegel.service.config import (
    CONFIG_NAME,
    ENV_PREFIX,
    SECTIONS,
    BrokerConfig,
    ServerConfig,
    ServiceConfig,
    SigningConfig,
    StoresConfig,
    configuration_table,
    load_stores,
    parse_config,
    update_docs,
)
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.settings import (
    INTEGER,
    SECONDS,
    check_environment,
    read_section,
    setting,
)

OPERATIONS_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "operations.md"

MINIMAL = """\
[server]
tls_certificate = "tls.pem"
tls_key = "tls.key"

[signing]
key = "broker.key"
certificate = "broker.pem"
trust_anchors = ["ca.pem"]
"""


def _keys() -> list[str]:
    """Every key as ``section.key``, read from the rendered table (its first column)."""
    return re.findall(r"^\| `([a-z_]+\.[a-z_]+)`", configuration_table(), re.MULTILINE)


def test_the_operations_guide_shows_the_current_table(tmp_path: Path) -> None:
    copy = tmp_path / "operations.md"
    copy.write_text(OPERATIONS_GUIDE.read_text(encoding="utf-8"), encoding="utf-8")
    assert not update_docs(copy), (
        "docs/operations.md's configuration table is out of date; run "
        "'.venv/bin/python -m datenspiegel.service.config --write docs/operations.md'"
    )


def test_every_key_is_documented_once_with_its_variable_type_and_default() -> None:
    table = configuration_table()
    keys = _keys()
    assert len(keys) == len(set(keys))
    assert {
        "server.listen",
        "server.max_connections_per_source",
        "stores.broker_url",
        "signing.require_crl",
        "broker.kennung",
    } <= set(keys)
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 4 and all(cells), line
        key = cells[0].split("`")[1]
        section, name = key.split(".")
        assert f"`DATENSPIEGEL_{section.upper()}_{name.upper()}`" in cells[0]


def test_the_sections_are_the_fields_of_the_service_configuration() -> None:
    fields = [f.name for f in dataclasses.fields(ServiceConfig)]
    assert fields == ["path", *(s.SECTION for s in SECTIONS)]


def _with(text: str, section: str, line: str) -> str:
    header = f"[{section}]\n"
    if header in text:
        return text.replace(header, f"{header}{line}\n")
    return f"{text}\n{header}{line}\n"


def test_every_documented_key_is_read_from_the_file_and_has_its_variable(tmp_path: Path) -> None:
    """The table, the TOML reader and the overrides come from the same declarations."""
    path = tmp_path / CONFIG_NAME
    for key in _keys():
        section, name = key.split(".")
        # a TOML table is no valid value of any key: the reader must name the key and the file
        with pytest.raises(ConfigError) as caught:
            base = "".join(
                line
                for line in MINIMAL.splitlines(keepends=True)
                if not line.startswith(f"{name} =")
            )
            parse_config(_with(base, section, f"{name} = {{}}"), path=path, env={})
        assert re.fullmatch(
            rf"{re.escape(key)} must be .+, got {{}} \(in .+datenspiegel\.toml\)", str(caught.value)
        )
        check_environment(
            {f"DATENSPIEGEL_{section.upper()}_{name.upper()}": "x"},
            prefix=ENV_PREFIX,
            sections=SECTIONS,
        )


def test_overrides_convert_text_to_the_keys_type(tmp_path: Path) -> None:
    env = {
        "DATENSPIEGEL_SERVER_MAX_BODY_BYTES": " 2048 ",
        "DATENSPIEGEL_SERVER_SHUTDOWN_GRACE": "2.5",
        "DATENSPIEGEL_SIGNING_REQUIRE_CRL": "no",
        "DATENSPIEGEL_SIGNING_CRLS": "a.crl::/abs/b.crl",
        "DATENSPIEGEL_SERVER_PUBLIC_URL": "https://mrds.example/datenabruf",
        "DATENSPIEGEL_BROKER_NAME": "Testbroker",
    }
    config = parse_config(MINIMAL, path=tmp_path / CONFIG_NAME, env=env)
    assert config.server.max_body_bytes == 2048
    assert config.server.shutdown_grace == 2.5
    assert config.signing.require_crl is False
    assert config.signing.crls == (tmp_path.resolve() / "a.crl", Path("/abs/b.crl"))
    assert config.server.public_url == "https://mrds.example/datenabruf"
    assert config.broker.name == "Testbroker"


@pytest.mark.parametrize(
    ("text", "expected"), [("true", True), ("1", True), ("on", True), ("false", False)]
)
def test_booleans_in_the_environment(tmp_path: Path, text: str, expected: bool) -> None:
    env = {"DATENSPIEGEL_SIGNING_REQUIRE_CRL": text}
    assert parse_config(MINIMAL, path=tmp_path / "c.toml", env=env).signing.require_crl is expected


def test_an_empty_value_means_the_default(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'tls_key = "tls.key"', 'tls_key = "tls.key"\nclient_ca = "ca.pem"\nmax_body_bytes = 10'
    )
    path = tmp_path / CONFIG_NAME
    env = {
        "DATENSPIEGEL_SERVER_CLIENT_CA": "",  # documented: empty turns client certificates off
        "DATENSPIEGEL_SERVER_MAX_BODY_BYTES": "",
        "DATENSPIEGEL_STORES_REGISTER_URL": "",
    }
    config = parse_config(text, path=path, env=env)
    assert config.server.client_ca is None
    assert config.server.max_body_bytes == 1_048_576
    assert config.stores.register_url == f"sqlite:///{tmp_path.resolve() / 'register.sqlite'}"
    with pytest.raises(
        ConfigError,
        match=r"configuration key signing.key is required \(from DATENSPIEGEL_SIGNING_KEY\)",
    ):
        parse_config(MINIMAL, path=path, env={"DATENSPIEGEL_SIGNING_KEY": ""})


def test_constructors_keep_keywords_and_defaults_and_validate_bounds() -> None:
    """tests/world.py and others build the sections directly."""
    server = ServerConfig(
        host="127.0.0.1",
        port=0,
        tls_certificate=Path("t.pem"),
        tls_key=Path("t.key"),
        client_ca=None,
        max_body_bytes=1_048_576,
        public_url=None,
    )
    assert (server.request_timeout, server.max_connections, server.worker_restart_limit) == (
        10.0,
        512,
        5,
    )
    assert ServerConfig(tls_certificate=Path("t"), tls_key=Path("k")).port == 8443
    assert StoresConfig(register_url="sqlite://", broker_url="sqlite://").write_timeout == 2.0
    signing = SigningConfig(key=Path("k"), certificate=Path("c"), trust_anchors=(Path("a"),))
    assert signing.crls == () and signing.require_crl is True
    assert BrokerConfig().kennung == "dbs:mrds-niedersachsen"
    assert dataclasses.replace(server, port=9443).port == 9443
    with pytest.raises(dataclasses.FrozenInstanceError):
        server.port = 1  # type: ignore[misc]
    with pytest.raises(ConfigError, match=r"server\.max_body_bytes must be a positive whole"):
        dataclasses.replace(server, max_body_bytes=0)
    with pytest.raises(ConfigError, match=r"stores\.write_timeout must be a positive number"):
        StoresConfig(register_url="sqlite://", broker_url="sqlite://", write_timeout=-1)
    with pytest.raises(ConfigError, match=r"max_connections_per_source \(64\) exceeds"):
        dataclasses.replace(server, max_connections=10)


def test_load_stores_reads_the_stores_as_serve_would(tmp_path: Path) -> None:
    """Also in a directory without configuration (``register … --data-dir``)."""
    assert load_stores(tmp_path, env={}).register_url == (
        f"sqlite:///{tmp_path.resolve() / 'register.sqlite'}"
    )
    env = {"DATENSPIEGEL_STORES_REGISTER_URL": "postgresql+psycopg://h/register"}
    assert load_stores(tmp_path, env=env).register_url == "postgresql+psycopg://h/register"
    with pytest.raises(ConfigError, match="DATENSPIEGEL_STORES_REGISTER_ULR"):
        load_stores(tmp_path, env={"DATENSPIEGEL_STORES_REGISTER_ULR": "x"})
    (tmp_path / CONFIG_NAME).write_text(
        MINIMAL + '\n[stores]\nregister_url = "sqlite:///other.sqlite"\n', encoding="utf-8"
    )
    assert load_stores(tmp_path, env={}).register_url == "sqlite:///other.sqlite"
    assert load_stores(tmp_path, env=env).register_url == "postgresql+psycopg://h/register"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Limits:
    """A section of the tests' own, for the bounds no service key uses yet."""

    SECTION: ClassVar[str] = "limits"

    workers: int = setting(INTEGER, default=2, minimum=1, maximum=64, doc="Workers.")
    pause: float = setting(SECONDS, default=0.0, minimum=0, doc="Pause.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", r"limits.workers must be a whole number ≥ 1 ≤ 64, got '0'"),
        ("65", r"limits.workers must be a whole number ≥ 1 ≤ 64, got '65'"),
        ("true", r"limits.workers must be a whole number"),
    ],
)
def test_bounds_are_inclusive_and_named(tmp_path: Path, text: str, message: str) -> None:
    env = {"X_LIMITS_WORKERS": text}
    with pytest.raises(ConfigError, match=message):
        read_section(_Limits, {}, env, prefix="X_", base=tmp_path, origin=tmp_path / "c.toml")
    for ok in ("1", "64"):
        limits = read_section(
            _Limits,
            {"pause": 0},
            {"X_LIMITS_WORKERS": ok},
            prefix="X_",
            base=tmp_path,
            origin=tmp_path,
        )
        assert limits.workers == int(ok) and limits.pause == 0.0


def test_the_module_prints_and_writes_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config_module._main([]) == 0
    assert capsys.readouterr().out == configuration_table()
    document = tmp_path / "guide.md"
    document.write_text(
        f"intro\n{config_module._DOCS_BEGIN}\nold\n{config_module._DOCS_END}\noutro\n",
        encoding="utf-8",
    )
    assert config_module._main(["--write", str(document)]) == 0
    assert "updated" in capsys.readouterr().out
    assert configuration_table() in document.read_text(encoding="utf-8")
    assert document.read_text(encoding="utf-8").endswith("outro\n")
    assert not update_docs(document)
    document.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="lacks the markers"):
        update_docs(document)
