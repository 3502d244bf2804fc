"""Revocation on by default: a trust anchor without its CRL stops ``serve`` unless
``signing.require_crl = false`` is configured, which is logged at WARNING."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from datenspiegel.service.config import CONFIG_NAME, SigningConfig, load_config
from datenspiegel.service.errors import ConfigError
from datenspiegel.service.revocation import check_revocation_coverage
from datenspiegel.signing import DevelopmentPki, create_development_pki, load_pem_certificates
from datenspiegel.signing.pki import CertificateProfile, issue_certificate, write_certificates
from tests.serving import session, start_serve


def _pki(directory: Path) -> DevelopmentPki:
    return create_development_pki(directory, users=[])


def _signing(
    pki: DevelopmentPki,
    *,
    anchors: tuple[Path, ...],
    crls: tuple[Path, ...],
    require_crl: bool = True,
) -> SigningConfig:
    return SigningConfig(
        key=pki.broker_key,
        certificate=pki.broker_cert,
        trust_anchors=anchors,
        crls=crls,
        require_crl=require_crl,
    )


def test_an_anchor_with_its_crl_passes_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pki = _pki(tmp_path / "pki")
    with caplog.at_level(logging.WARNING):
        check_revocation_coverage(_signing(pki, anchors=(pki.ca_cert,), crls=(pki.crl,)))
    assert not caplog.records


def test_an_anchor_without_a_crl_is_a_start_up_error_naming_it_and_the_waiver(
    tmp_path: Path,
) -> None:
    pki = _pki(tmp_path / "pki")
    with pytest.raises(ConfigError) as caught:
        check_revocation_coverage(_signing(pki, anchors=(pki.ca_cert,), crls=()))
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert "no CRL in signing.crls for trust anchor 'CN=datenspiegel Entwicklungs-CA" in message
    assert str(pki.ca_cert) in message
    assert "signing.require_crl = false (DATENSPIEGEL_SIGNING_REQUIRE_CRL)" in message


def test_each_anchor_needs_a_crl_of_its_own(tmp_path: Path) -> None:
    """Two anchors in one file, one CRL: the other anchor is named. A CRL of another CA with
    the same name (every development CA has the same one) covers nothing."""
    pki = _pki(tmp_path / "pki")
    other = issue_certificate("Andere Test-CA", profile=CertificateProfile.CA)
    both = write_certificates(
        tmp_path / "anchors.pem", *load_pem_certificates(pki.ca_cert), other.certificate
    )
    with pytest.raises(ConfigError, match="trust anchor 'CN=Andere Test-CA") as caught:
        check_revocation_coverage(_signing(pki, anchors=(both,), crls=(pki.crl,)))
    assert "Entwicklungs-CA" not in str(caught.value)

    twin = _pki(tmp_path / "twin")  # same subject as pki's CA, another key
    with pytest.raises(ConfigError, match=rf"in {twin.ca_cert}"):
        check_revocation_coverage(
            _signing(pki, anchors=(pki.ca_cert, twin.ca_cert), crls=(pki.crl,))
        )
    check_revocation_coverage(
        _signing(pki, anchors=(pki.ca_cert, twin.ca_cert), crls=(pki.crl, twin.crl))
    )


def test_the_explicit_waiver_is_logged_at_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pki = _pki(tmp_path / "pki")
    with caplog.at_level(logging.WARNING, logger="datenspiegel.service.revocation"):
        check_revocation_coverage(_signing(pki, anchors=(pki.ca_cert,), crls=(), require_crl=False))
        check_revocation_coverage(
            _signing(pki, anchors=(pki.ca_cert,), crls=(pki.crl,), require_crl=False)
        )
    first, second = caplog.records
    assert first.levelno == second.levelno == logging.WARNING
    assert "signing.require_crl = false" in first.getMessage()
    assert "NOT checked for revocation" in first.getMessage()
    assert "Entwicklungs-CA" in first.getMessage()
    assert "every configured anchor has one now" in second.getMessage()


def test_inits_configuration_lists_its_crl(tmp_path: Path) -> None:
    """So that ``make run`` starts with revocation checks on."""
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=1, progress=False, env={})
    config = load_config(data_dir / CONFIG_NAME, env={})
    assert config.signing.require_crl is True
    assert config.signing.crls == (data_dir.resolve() / "pki" / "ca-crl.pem",)
    check_revocation_coverage(config.signing)


def test_serve_refuses_an_anchor_without_crl_and_starts_with_the_waiver_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=5, progress=False, env={})
    config = data_dir / CONFIG_NAME
    config.write_text(config.read_text().replace('crls = ["pki/ca-crl.pem"]', "crls = []"))

    assert main(["serve", "--data-dir", str(data_dir), "--listen", "127.0.0.1:0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no CRL in signing.crls for trust anchor")
    assert len(err.strip().splitlines()) == 1

    serving = start_serve(data_dir, env={"DATENSPIEGEL_SIGNING_REQUIRE_CRL": "false"})
    try:
        warnings = [line for line in serving.log().splitlines() if " WARNING " in line]
        assert any("signing.require_crl = false" in line for line in warnings), serving.log()
        health = session(data_dir / "pki" / "ca-cert.pem").get(
            f"https://{serving.host}:{serving.port}/health", timeout=10
        )
        assert health.status_code == 200
    finally:
        serving.stop()
