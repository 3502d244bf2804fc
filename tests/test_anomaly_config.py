"""``[anomalies]``: the continuous evaluation's settings, each overridable by an environment
variable (issue 10, point 2; DOMAIN.md § 6: the operator reviews the § 40 BMG protocol)."""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.service.config import ConfigError, parse_config

BASE = """
[server]
tls_certificate = "pki/tls.pem"
tls_key = "pki/tls-key.pem"
[signing]
key = "pki/k.pem"
certificate = "pki/c.pem"
trust_anchors = ["pki/ca.pem"]
"""


def test_defaults_evaluate_every_ten_seconds_without_decoys_or_blocks(tmp_path: Path) -> None:
    config = parse_config(BASE, path=tmp_path / "datenspiegel.toml", env={})
    a = config.anomalies
    assert (a.enabled, a.interval, a.settle, a.lease) == (True, 10.0, 5.0, 30.0)
    assert a.decoy_persons == frozenset() and not a.block_on_critical and a.notices is None


def test_file_and_environment(tmp_path: Path) -> None:
    text = BASE + '[anomalies]\ninterval = 5\ndecoy_persons = [9999001, 9999002]\nnotices = "n"\n'
    config = parse_config(
        text,
        path=tmp_path / "datenspiegel.toml",
        env={
            "DATENSPIEGEL_ANOMALIES_DECOY_PERSONS": "17, 42",
            "DATENSPIEGEL_ANOMALIES_BLOCK_ON_CRITICAL": "true",
        },
    )
    a = config.anomalies
    assert a.interval == 5.0 and a.decoy_persons == frozenset({17, 42}) and a.block_on_critical
    assert a.notices == tmp_path.resolve() / "n"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("decoy_persons = ['Mustermann']", "anomalies.decoy_persons must be a list of register"),
        ("interval = 0", "anomalies.interval must be a positive number of seconds"),
        ("interval = 20", "anomalies.lease (30 s) must be at least twice anomalies.interval"),
    ],
)
def test_faults_name_the_key(tmp_path: Path, setting: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_config(BASE + f"[anomalies]\n{setting}\n", path=tmp_path / "x.toml", env={})
