"""Configuration: TOML file, environment overrides, refusal of unknown keys and variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.service.config import load_config
from datenspiegel.service.errors import ConfigError

MINIMAL = """\
[server]
listen = "127.0.0.1:9443"
tls_certificate = "pki/tls.pem"
tls_key = "pki/tls.key"

[signing]
key = "pki/broker.key"
certificate = "pki/broker.pem"
trust_anchors = ["pki/ca.pem"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "datenspiegel.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_relative_paths_and_environment_overrides(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL)
    config = load_config(path, env={})
    assert (config.server.host, config.server.port) == ("127.0.0.1", 9443)
    assert config.server.tls_certificate == tmp_path.resolve() / "pki/tls.pem"
    assert config.server.max_body_bytes == 1_048_576 and config.server.client_ca is None
    assert config.stores.broker_url == f"sqlite:///{tmp_path.resolve() / 'broker.sqlite'}"
    assert config.signing.trust_anchors == (tmp_path.resolve() / "pki/ca.pem",)
    assert config.signing.crls == () and config.signing.require_crl is True
    env = {
        "DATENSPIEGEL_STORES_BROKER_URL": "postgresql+psycopg://db/broker",
        "DATENSPIEGEL_SERVER_LISTEN": "0.0.0.0:443",
        "DATENSPIEGEL_SIGNING_TRUST_ANCHORS": "/a.pem:relative/b.pem",
        "DATENSPIEGEL_SIGNING_REQUIRE_CRL": "false",
        "PG_TEST_URL": "variables outside the prefix are left alone",
    }
    config = load_config(path, env=env)
    assert config.stores.broker_url == "postgresql+psycopg://db/broker"
    assert (config.server.host, config.server.port) == ("0.0.0.0", 443)
    assert config.signing.trust_anchors == (Path("/a.pem"), tmp_path.resolve() / "relative/b.pem")
    assert config.signing.require_crl is False


def test_an_unknown_prefixed_variable_is_refused_in_one_line_naming_it_and_the_known(
    tmp_path: Path,
) -> None:
    """A mistyped override must not silently leave SQLite (or any default) in use."""
    path = _write(tmp_path, MINIMAL)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={"DATENSPIEGEL_STORES_BROKER_ULR": "postgresql+psycopg://db/b"})
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert message.startswith(
        "unknown environment variable DATENSPIEGEL_STORES_BROKER_ULR "
        "(did you mean DATENSPIEGEL_STORES_BROKER_URL?); known: "
    )
    assert "DATENSPIEGEL_SIGNING_REQUIRE_CRL" in message
    assert "DATENSPIEGEL_SERVER_MAX_CONNECTIONS_PER_SOURCE" in message
    # the old name of the test suite's PostgreSQL URL is one of them now
    with pytest.raises(ConfigError, match="unknown environment variable DATENSPIEGEL_TEST_PG"):
        load_config(path, env={"DATENSPIEGEL_TEST_PG_URL": "postgresql+psycopg://x/y"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MINIMAL.replace("tls_key", "tls_kee"), "unknown key"),
        (MINIMAL + "\n[sever]\nlisten = '1:1'\n", "unknown section"),
        (MINIMAL.replace('"127.0.0.1:9443"', '"localhost"'), "HOST:PORT"),
        (MINIMAL.replace('tls_key = "pki/tls.key"\n', ""), "server.tls_key is required"),
        (MINIMAL.replace('["pki/ca.pem"]', "[]"), "signing.trust_anchors is required"),
        (MINIMAL.replace('"127.0.0.1:9443"', "9443"), "server.listen must be a `HOST:PORT`"),
        (MINIMAL + "max_body_bytes = 1.5\n", "unknown key"),  # [signing] is the open table
        (
            MINIMAL.replace("[signing]", "max_body_bytes = 1.5\n[signing]"),
            r"server.max_body_bytes must be a positive whole number, got 1.5 "
            r"\(in .*datenspiegel\.toml\)",
        ),
        (
            MINIMAL + 'require_crl = "maybe"\n',
            "signing.require_crl must be a boolean",
        ),
        (
            MINIMAL.replace("[signing]", "public_url = 443\n[signing]"),
            "server.public_url must be a text",
        ),
        ("listen = '1:1'\n" + MINIMAL, r"key listen outside a section; put it under one of"),
        ("[server", "not valid TOML"),
    ],
)
def test_faulty_configuration_is_refused_with_the_key_named(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, text), env={})


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="datenspiegel init"):
        load_config(tmp_path / "datenspiegel.toml", env={})


def test_resilience_limits_have_safe_defaults_and_take_overrides(tmp_path: Path) -> None:
    """Issue 5: read deadline, connection caps, drain grace, restart budget, write timeout."""
    path = _write(tmp_path, MINIMAL)
    config = load_config(path, env={})
    assert config.server.request_timeout == 10.0
    assert (config.server.max_connections, config.server.max_connections_per_source) == (512, 64)
    assert config.server.shutdown_grace == 20.0 and config.server.worker_restart_limit == 5
    assert config.stores.write_timeout == 2.0
    config = load_config(
        path,
        env={
            "DATENSPIEGEL_SERVER_REQUEST_TIMEOUT": "2.5",
            "DATENSPIEGEL_SERVER_MAX_CONNECTIONS": "40",
            "DATENSPIEGEL_SERVER_MAX_CONNECTIONS_PER_SOURCE": "20",
            "DATENSPIEGEL_SERVER_SHUTDOWN_GRACE": "5",
            "DATENSPIEGEL_SERVER_WORKER_RESTART_LIMIT": "2",
            "DATENSPIEGEL_STORES_WRITE_TIMEOUT": "0.5",
        },
    )
    assert config.server.request_timeout == 2.5
    assert (config.server.max_connections, config.server.max_connections_per_source) == (40, 20)
    assert config.server.shutdown_grace == 5.0 and config.server.worker_restart_limit == 2
    assert config.stores.write_timeout == 0.5


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATENSPIEGEL_SERVER_REQUEST_TIMEOUT": "0"}, "server.request_timeout must be a positive"),
        (
            {"DATENSPIEGEL_SERVER_SHUTDOWN_GRACE": "soon"},
            "server.shutdown_grace must be a positive",
        ),
        ({"DATENSPIEGEL_STORES_WRITE_TIMEOUT": "-1"}, "stores.write_timeout must be a positive"),
        ({"DATENSPIEGEL_STORES_WRITE_TIMEOUT": "nan"}, "stores.write_timeout must be a positive"),
        (
            {"DATENSPIEGEL_SERVER_MAX_BODY_BYTES": "1MiB"},
            r"server.max_body_bytes must be a positive whole number, got '1MiB' "
            r"\(from DATENSPIEGEL_SERVER_MAX_BODY_BYTES\)",
        ),
        ({"DATENSPIEGEL_SIGNING_REQUIRE_CRL": "nein"}, "signing.require_crl must be a boolean"),
        ({"DATENSPIEGEL_STORES_BROKER_URL": "not a url"}, "stores.broker_url must be a SQLAlchemy"),
        (
            {"DATENSPIEGEL_SERVER_MAX_CONNECTIONS": "10"},
            r"max_connections_per_source \(64\) exceeds server.max_connections \(10\)",
        ),
    ],
)
def test_resilience_limits_refuse_nonsense(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, MINIMAL), env=env)


def test_allowed_networks_are_parsed_strictly(tmp_path: Path) -> None:
    """``server.allowed_networks`` (issue 8, point 3): CIDR lists from the file or the
    environment; a malformed one is refused at start with the key and what was meant."""
    from ipaddress import ip_network

    path = _write(
        tmp_path,
        MINIMAL.replace(
            'tls_key = "pki/tls.key"',
            'tls_key = "pki/tls.key"\nallowed_networks = ["10.20.0.0/16", "fd00::/8"]',
        ),
    )
    config = load_config(path, env={})
    assert config.server.allowed_networks == (ip_network("10.20.0.0/16"), ip_network("fd00::/8"))
    env = {"DATENSPIEGEL_SERVER_ALLOWED_NETWORKS": "127.0.0.0/8, 192.168.1.0/24"}
    assert load_config(path, env=env).server.allowed_networks == (
        ip_network("127.0.0.0/8"),
        ip_network("192.168.1.0/24"),
    )
    assert load_config(_write(tmp_path, MINIMAL), env={}).server.allowed_networks == ()
    bad = {"DATENSPIEGEL_SERVER_ALLOWED_NETWORKS": "10.20.30.40/16"}
    with pytest.raises(ConfigError, match=r"server.allowed_networks.*10\.20\.0\.0/16"):
        load_config(path, env=bad)
