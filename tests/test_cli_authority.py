"""``datenspiegel authority …``: the operator's registry commands, on both back-ends.

§ 39 BMG, Nds. NMeldVO § 26 and DOMAIN.md § 7: each authority registers once with the
operator, naming its main administrator; the operator may block it at any time; access only
from its client networks (§ 39 Abs. 3 BMG). Exit codes: 0 done, 1 refused by the registry,
2 wrong command line — and a refused or wrong command changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from datenspiegel.access import Action, Actor, ActorKind
from datenspiegel.service.cli import main
from datenspiegel.signing.pki import CertificateProfile, issue_certificate
from tests.cli_registry import Registry, open_registry, pem, register


@pytest.fixture
def registry(
    tmp_path: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Registry:
    return open_registry(tmp_path, database_url, capsys, monkeypatch)


def _protocol_pem(tmp_path: Path) -> str:
    """An encryption certificate, the key the authority's records are sealed to."""
    issued = issue_certificate(
        "Protokollschlüssel PD Hannover", profile=CertificateProfile.ENCRYPTION
    )
    path = tmp_path / "protocol-cert.pem"
    path.write_bytes(issued.certificate.public_bytes(serialization.Encoding.PEM))
    return str(path)


def test_add_registers_the_authority_with_its_administrator(
    registry: Registry, tmp_path: Path
) -> None:
    """§ 39 BMG, NMeldVO § 26: identity, administrator as a person, networks; one event."""
    # § 40 Abs. 3 BMG: logged on its behalf means sealed to its key — the key is required
    code, _, err = register(registry, tmp_path, **{"--protokollierung-erforderlich": ""})
    assert code == 2 and "--protokoll-zertifikat" in err
    code, out, err = register(
        registry,
        tmp_path,
        **{"--protokollierung-erforderlich": "", "--protokoll-zertifikat": _protocol_pem(tmp_path)},
    )
    assert code == 0, err
    assert out.startswith("registered: dbs:pd-hannover (id 1) Polizeidirektion Hannover")
    assert "networks:           10.20.0.0/16" in out
    assert registry.events() == ["authority.add", "authority.set-protocol-key"]

    shown = registry.json("authority", "show", "dbs:pd-hannover")
    authority = shown["authority"]
    assert authority["anschrift"] == ["Waterloostraße 9", "30169 Hannover"]
    assert authority["netze"] == ["10.20.0.0/16"] and not authority["any_network"]
    assert authority["protokollierung_durch_betreiber"] is True
    assert authority["kontakt"] == {
        "telefon": "+49 511 109-0",
        "email": "poststelle@pd-h.polizei.example",
    }
    admin = shown["administrator"]
    assert admin["kennung"] == "PD-H-ADM-1" and admin["roles"] == ["administrator"]
    assert admin["belehrt_am"] == "2026-01-15" and len(admin["certificates"]) == 1
    assert [h["status"] for h in shown["history"]] == ["active"]
    assert shown["history"][0]["actor"] == "operator Betrieb Schulz"
    assert [e["action"] for e in shown["events"]] == ["authority.add", "authority.set-protocol-key"]
    (key,) = shown["protocol_keys"]
    assert key["replaced_at"] is None and len(key["fingerprint"]) == 64

    code, out, _ = registry.run("authority", "show", "dbs:pd-hannover")
    assert code == 0
    assert "Sicherheitsbehörde Nr. 1: Polizeibehörden" in out
    assert "Protokollierung erforderlich (§ 40 Abs. 3 BMG): yes" in out
    assert "protocol key:   " in out and "Protokollschlüssel" in out
    assert "networks:       10.20.0.0/16" in out and "30169 Hannover" in out
    assert "Erika Mustermann (user PD-H-ADM-1" in out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--network": "10.20.0.1/16"}, "did you mean 10.20.0.0/16"),
        ({"--network": "10.0.0.0/255.0.0.0"}, "prefix length as a number"),
        ({"--network": None}, "one of the arguments --network --any-network is required"),
        ({"--admin-belehrt-am": "15.01.2026"}, "YYYY-MM-DD"),
        ({"--admin-telefon": None}, "--admin-telefon or --admin-email"),
        ({"--admin-telefon": "keine"}, "telephone number"),
        ({"--admin-certificate": "/nonexistent.pem"}, "cannot read a PEM certificate"),
        ({"--operator": None}, "--operator"),
        ({"--operator": "  "}, "--operator needs the name"),
        ({"--klasse": "bund"}, "invalid choice"),
        ({"--email": "poststelle"}, "name@host.tld"),
    ],
)
def test_wrong_command_lines_exit_2_and_change_nothing(
    registry: Registry, tmp_path: Path, changes: dict[str, str | None], message: str
) -> None:
    """A wrong command line is exit 2 and registers nothing (§ 39 Abs. 3 BMG networks in
    CIDR, § 41 BMG date, NMeldVO § 26 administrator's contact and certificate)."""
    code, out, err = register(registry, tmp_path, **changes)
    assert code == 2 and out == ""
    assert message in err
    assert registry.events() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--untertyp": None}, "needs its sub-type 1–13"),
        ({"--klasse": "oeffentlich"}, "public body has no sub-type"),
        ({"--kennung": "pd-hannover"}, "'dbs:' followed by the DVDV id"),
        ({"--admin-belehrt-am": "2999-01-01"}, "lies in the future"),
    ],
)
def test_registration_rules_exit_1_and_change_nothing(
    registry: Registry, tmp_path: Path, changes: dict[str, str | None], message: str
) -> None:
    """§ 34 Abs. 4 Satz 1 BMG: the sub-type belongs to security authorities only; § 41 BMG."""
    code, out, err = register(registry, tmp_path, **changes)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and len(err.splitlines()) == 1
    assert registry.events() == []


def test_duplicate_kennung_and_expired_certificate_exit_1(
    registry: Registry, tmp_path: Path
) -> None:
    """§ 39 BMG: each authority registers once; an expired certificate could never sign."""
    assert register(registry, tmp_path)[0] == 0
    code, _, err = register(registry, tmp_path)
    assert code == 1 and "Kennung 'dbs:pd-hannover' exists" in err
    now = datetime.now(UTC)
    expired = pem(tmp_path, "old", not_before=now - timedelta(30), not_after=now - timedelta(1))
    code, _, err = register(
        registry, tmp_path, **{"--kennung": "dbs:pd-goe", "--admin-certificate": expired}
    )
    assert code == 1 and "expired" in err
    assert registry.events() == ["authority.add"]


def test_list_block_unblock_and_the_history(registry: Registry, tmp_path: Path) -> None:
    """DOMAIN.md § 7: the operator blocks at any time; when, by whom and why is kept."""
    register(registry, tmp_path, **{"--any-network": "", "--network": None})
    code, out, _ = registry.run("authority", "list")
    assert code == 0 and out.split()[:3] == ["dbs:pd-hannover", "active", "sicherheit/1"]
    assert registry.json("authority", "list")["authorities"][0]["any_network"] is True

    code, out, err = registry.run(
        "authority", "block", "dbs:pd-hannover", "--grund", "Hinweis LfD", "--operator", "Wagner"
    )
    assert code == 0, err
    assert "blocked: dbs:pd-hannover" in out and "T070" in out
    code, _, err = registry.run(
        "authority", "block", "dbs:pd-hannover", "--grund", "nochmal", "--operator", "Wagner"
    )
    assert code == 1 and "already blocked (Hinweis LfD)" in err
    assert registry.run("authority", "list", "--blocked")[1].startswith("dbs:pd-hannover")
    code, _, err = registry.run("authority", "block", "dbs:pd-hannover", "--operator", "Wagner")
    assert code == 2 and "--grund" in err

    unblocked = registry.json(
        "authority", "unblock", "dbs:pd-hannover", "--grund", "geklärt", "--operator", "Schulz"
    )
    assert unblocked["authority"]["status"] == "active"
    code, _, err = registry.run("authority", "unblock", "dbs:pd-hannover", "--operator", "Schulz")
    assert code == 1 and "is not blocked" in err
    history = registry.json("authority", "show", "dbs:pd-hannover")["history"]
    assert [(h["status"], h["actor"], h["grund"]) for h in history] == [
        ("active", "operator Betrieb Schulz", None),
        ("blocked", "operator Wagner", "Hinweis LfD"),
        ("active", "operator Schulz", "geklärt"),
    ]
    assert registry.events() == ["authority.add", "authority.block", "authority.unblock"]


def test_unknown_authority_exits_1_saying_where_to_look(registry: Registry) -> None:
    """A Kennung nobody registered (§ 39 BMG) is exit 1 with the command that lists them."""
    for argv in (
        ("authority", "show", "dbs:nie"),
        ("authority", "block", "dbs:nie", "--grund", "x", "--operator", "y"),
        ("authority", "set-networks", "dbs:nie", "--any-network", "--operator", "y"),
        ("authority", "report", "dbs:nie"),
        ("authority", "events", "--authority", "dbs:nie"),
    ):
        code, _, err = registry.run(*argv)
        assert code == 1, argv
        assert "no authority 'dbs:nie' is registered" in err and "authority list" in err


def test_set_networks(registry: Registry, tmp_path: Path) -> None:
    """§ 39 Abs. 3 BMG: the operator restricts the authority to its client machines."""
    register(registry, tmp_path)
    argv = ("authority", "set-networks", "dbs:pd-hannover", "--operator", "Schulz")
    code, out, _ = registry.run(*argv, "--network", "10.20.30.0/24", "--network", "2001:db8::/48")
    assert code == 0
    assert "networks of dbs:pd-hannover: 10.20.30.0/24, 2001:db8::/48" in out
    assert "before: 10.20.0.0/16" in out
    again = registry.json(*argv, "--network", "10.20.30.0/24", "--network", "2001:db8::/48")
    assert again["changed"] is False
    code, out, _ = registry.run(*argv, "--any-network")
    assert code == 0 and "(ANY NETWORK)" in out
    code, _, err = registry.run(*argv, "--network", "10.0.0.0/8", "--any-network")
    assert code == 2 and "not allowed with argument" in err
    assert registry.events() == ["authority.add", *["authority.set-networks"] * 2]


def test_set_admin(registry: Registry, tmp_path: Path) -> None:
    """NMeldVO § 26: the main administrator is a reachable, instructed user of the authority."""
    register(registry, tmp_path)
    code, _, err = registry.run(
        "authority", "set-admin", "dbs:pd-hannover", "--user", "K-1", "--operator", "Schulz"
    )
    assert code == 1 and "has no user 'K-1'" in err
    base = ("user", "add", "dbs:pd-hannover", "K-1", "--name", "Kommissarin Meyer")
    registry.run(*base, "--belehrt-am", "2026-02-01", "--operator", "Schulz")
    code, _, err = registry.run(
        "authority", "set-admin", "dbs:pd-hannover", "--user", "K-1", "--operator", "Schulz"
    )
    assert code == 1 and "has no contact" in err
    registry.run(
        "user", "change", "dbs:pd-hannover", "K-1", "--email", "meyer@pd-h.example",
        "--operator", "Schulz",
    )  # fmt: skip
    code, out, err = registry.run(
        "authority", "set-admin", "dbs:pd-hannover", "--user", "K-1", "--operator", "Schulz"
    )
    assert code == 0, err
    assert "main administrator of dbs:pd-hannover: Kommissarin Meyer (user K-1" in out
    shown = registry.json("authority", "show", "dbs:pd-hannover")
    assert shown["administrator"]["kennung"] == "K-1"
    assert "administrator" in shown["administrator"]["roles"]
    assert registry.events()[-1] == "authority.set-admin"


def test_report_names_what_to_look_at(registry: Registry, tmp_path: Path) -> None:
    """DOMAIN.md § 7 (the operator audits the authorities' measures): certificates expiring,
    instructions (§ 41 BMG) overdue, networks (§ 39 Abs. 3 BMG), recent status changes."""
    register(registry, tmp_path)
    code, out, _ = registry.run("authority", "report", "--check")
    assert code == 0, out  # a clean registration has no findings
    assert "1 authorities, 0 finding(s)" in out

    soon = datetime.now(UTC) + timedelta(days=10)
    base = ("user", "add", "dbs:pd-hannover")
    registry.run(
        *base, "K-1", "--name", "Eins", "--belehrt-am", "2024-01-10",
        "--certificate", pem(tmp_path, "k1", not_after=soon), "--operator", "Schulz",
    )  # fmt: skip
    registry.run("user", "block", "dbs:pd-hannover", "K-1", "--grund", "Urlaub", "--operator", "S")
    registry.run("authority", "set-networks", "dbs:pd-hannover", "--any-network", "--operator", "S")

    code, out, _ = registry.run("authority", "report", "dbs:pd-hannover", "--check")
    assert code == 1
    assert "users: 2 (1 blocked)" in out
    assert "certificate of K-1 expires" in out
    assert "instruction (§ 41 BMG) of K-1: 2024-01-10" in out
    assert "accepts requests from any network" in out
    report = registry.json("authority", "report")
    (entry,) = report["authorities"]
    assert [c["user"] for c in entry["certificates_expiring"]] == ["K-1"]
    assert entry["belehrung_overdue"] == [{"user": "K-1", "belehrt_am": "2024-01-10"}]
    assert [(s["user"], s["status"]) for s in entry["status_changes"]] == [
        (None, "active"),
        ("PD-H-ADM-1", "active"),
        ("K-1", "active"),
        ("K-1", "blocked"),
    ]
    assert report["findings"] == len(entry["findings"]) == 3
    quiet = registry.json(
        "authority", "report", "--certificate-days", "5", "--belehrung-days", "5000"
    )
    assert quiet["authorities"][0]["certificates_expiring"] == []
    assert quiet["authorities"][0]["belehrung_overdue"] == []


def test_events_lists_every_change_with_its_actor(registry: Registry, tmp_path: Path) -> None:
    """Every change is recorded with who made it (DOMAIN.md § 7: the operator's acts)."""
    register(registry, tmp_path)
    registry.run("authority", "block", "dbs:pd-hannover", "--grund", "x", "--operator", "Wagner")
    code, out, _ = registry.run("authority", "events")
    assert code == 0
    lines = out.splitlines()
    assert "authority.add" in lines[0] and "by operator Betrieb Schulz" in lines[0]
    assert "authority.block" in lines[1] and "by operator Wagner" in lines[1]
    events = registry.json("authority", "events", "--authority", "dbs:pd-hannover")["events"]
    assert [e["action"] for e in events] == ["authority.add", "authority.block"]
    assert events[1]["details"]["grund"] == "x"
    assert events[1]["actor"] == {
        "kind": "operator",
        "name": "Wagner",
        "authority": None,
        "user_id": None,
    }
    later = registry.json("authority", "events", "--since", "2999-01-01T00:00:00+00:00")
    assert later["events"] == []
    code, _, err = registry.run("authority", "events", "--since", "2026-01-01")
    assert code == 2 and "UTC offset" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["authority"],
        *[["authority", c] for c in ("add", "list", "show", "block", "unblock")],
        *[["authority", c] for c in ("set-networks", "set-admin", "report", "events")],
    ],
)
def test_help_everywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every command explains itself (DESIGN.md: ``--help`` everywhere)."""
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: datenspiegel authority" in capsys.readouterr().out


def test_actor_kind_of_the_cli_is_operator(registry: Registry, tmp_path: Path) -> None:
    """The CLI acts for the operator by name (DOMAIN.md § 7), never as the anonymous system."""
    register(registry, tmp_path)
    store = registry.store()
    try:
        (event,) = store.admin_events()
    finally:
        store.dispose()
    assert event.actor == Actor.operator("Betrieb Schulz")
    assert event.actor.kind is ActorKind.OPERATOR and event.action is Action.AUTHORITY_ADD
