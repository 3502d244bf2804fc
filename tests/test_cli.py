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


def test_init_rsa_3072_profile_serves_a_signed_personensuche(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``init --key-type rsa-3072``: the broker and the demo users sign with RSA-3072 keys as
    RSASSA-PSS-SHA256 (BSI TR-02102-1; DOMAIN § 8), and the whole Personensuche works with them
    — the user's signed request verifies, the answer is signed by the broker's RSA key."""
    import json
    import uuid
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from datenspiegel.fixtures.testpersons import TEST_CASES
    from datenspiegel.service.app import build_broker, open_stores
    from datenspiegel.service.broker import ReplyKind
    from datenspiegel.service.config import CONFIG_NAME, load_config
    from datenspiegel.service.demo import DEMO_USERS
    from datenspiegel.signing import (
        MessageSigner,
        MessageVerifier,
        SignatureAlgorithm,
        SigningIdentity,
        TrustStore,
        load_pem_certificates,
    )
    from datenspiegel.transformers import Behoerde
    from datenspiegel.transformers.request_builder import build_personensuche
    from datenspiegel.xsd import serialize

    data_dir = tmp_path / "var"
    argv = ["init", "--data-dir", str(data_dir), "--persons", "5", "--key-type", "rsa-3072"]
    assert main([*argv, "--quiet"]) == 0
    assert "signing keys:  rsa-3072" in capsys.readouterr().out
    demo = json.loads((data_dir / "demo.json").read_text(encoding="utf-8"))
    pki = data_dir / "pki"
    broker_key = load_pem_certificates(pki / "broker-cert.pem")[0].public_key()
    assert isinstance(broker_key, rsa.RSAPublicKey) and broker_key.key_size == 3072
    for entry in demo["users"].values():
        user_key = load_pem_certificates(Path(entry["certificate"]))[0].public_key()
        assert isinstance(user_key, rsa.RSAPublicKey) and user_key.key_size == 3072
    # The TLS server key is not a signature key: it stays P-256.
    assert isinstance(
        load_pem_certificates(pki / "tls-cert.pem")[0].public_key(), ec.EllipticCurvePublicKey
    )

    case = next(c for c in TEST_CASES if c.status == "01" and not c.query.phonetisch)
    profile = next(u for u in DEMO_USERS if u.key == "ordnungsamt")
    entry = demo["users"]["ordnungsamt"]
    signer = MessageSigner(
        SigningIdentity.from_pem_files(Path(entry["key"]), Path(entry["certificate"]))
    )
    assert signer.algorithm is SignatureAlgorithm.RSA_PSS_SHA256
    request = serialize(
        signer.sign(
            build_personensuche(
                leser=Behoerde(kennung=f"ags:{case.query.ags}", name="Gemeinde"),
                autor=Behoerde(kennung=profile.authority_kennung, name=profile.authority_name),
                stelle=profile.stelle,
                elemente=[1, 7, 13],
                query=case.query,
                erstellt=datetime.now(UTC),
                nachrichten_uuid=str(uuid.uuid4()),
            )
        )
    )
    config = load_config(data_dir / CONFIG_NAME, env={})
    stores = open_stores(config)
    try:
        reply = build_broker(config, stores).submit(request, client_address="127.0.0.1")
    finally:
        stores.close()
    assert reply.kind is ReplyKind.ANSWER and reply.code == case.status, reply.message
    trust = TrustStore.from_pem_files([pki / "ca-cert.pem"], crl_files=[pki / "ca-crl.pem"])
    answer = MessageVerifier(trust).verify(reply.document)
    assert answer.signature_algorithm is SignatureAlgorithm.RSA_PSS_SHA256
    assert answer.certificate.public_key() == broker_key
    assert answer.root.findtext("ergebnis/ergebnisstatus/code") == "01"


def test_init_offers_only_the_two_signature_profiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["init", "--data-dir", str(tmp_path / "var"), "--key-type", "rsa-2048"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'rsa-2048'" in capsys.readouterr().err
    assert not (tmp_path / "var").exists()
