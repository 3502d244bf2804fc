"""``datenspiegel user …``: the operator's emergency access to an authority's users.

§ 39 BMG, Nds. NMeldVO § 26: the authority's administrator creates and removes its users; the
operator can do the same (issue 8). § 41 BMG: every user a person creates carries the day of
its instruction on purpose limitation. § 39 Abs. 1 BMG: the authority may restrict a user's
elements, never beyond its own entitlement. Every change is recorded — one event each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.access import certificate_fingerprint
from datenspiegel.service.cli import main
from datenspiegel.signing import load_pem_certificates
from tests.cli_registry import Registry, open_registry, pem, register

A = "dbs:pd-hannover"


@pytest.fixture
def registry(
    tmp_path: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Registry:
    registry = open_registry(tmp_path, database_url, capsys, monkeypatch)
    code, _, err = register(registry, tmp_path)
    assert code == 0, err
    return registry


def _add(registry: Registry, kennung: str = "K-1", *extra: str) -> tuple[int, str, str]:
    return registry.run(
        "user", "add", A, kennung, "--name", "Kommissarin Meyer", "--belehrt-am", "2026-02-01",
        "--operator", "Schulz", *extra,
    )  # fmt: skip


def test_add_with_certificate_is_one_change(registry: Registry, tmp_path: Path) -> None:
    """One command, one change, one event: the user and its certificate (§ 39 BMG)."""
    certificate = pem(tmp_path, "k1")
    code, out, err = _add(
        registry, "K-1", "--email", "meyer@pd-h.example", "--certificate", certificate,
        "--role", "sachbearbeitung", "--role", "behoerdenleitung",
        "--erlaubte-elemente", "1,7,13-15",
    )  # fmt: skip
    assert code == 0, err
    fingerprint = certificate_fingerprint(load_pem_certificates(Path(certificate))[0])
    assert out.startswith(f"created: user K-1 (id 2) of {A}") and fingerprint in out
    assert registry.events() == ["authority.add", "user.add"]
    shown = registry.json("user", "show", A, "K-1")
    user = shown["user"]
    assert user["roles"] == ["behoerdenleitung_oder_besonders_ermaechtigt", "sachbearbeitung"]
    assert user["erlaubte_elemente"] == [1, 7, 13, 14, 15]
    assert user["belehrt_am"] == "2026-02-01"
    assert user["kontakt"] == {"telefon": None, "email": "meyer@pd-h.example"}
    assert [c["fingerprint"] for c in shown["certificates"]] == [fingerprint]
    assert shown["main_administrator"] is False
    assert [h["status"] for h in shown["history"]] == ["active"]

    code, out, _ = registry.run("user", "show", A, "K-1")
    assert code == 0
    assert "elements:    1,7,13,14,15" in out and "instructed:  2026-02-01 (§ 41 BMG)" in out
    assert f"certificate: {fingerprint}" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--erlaubte-elemente", "1,x"), "numbers and ranges"),
        (("--erlaubte-elemente", "9-3"), "low to high"),
        (("--role", "chef"), "invalid choice"),
        (("--telefon", "nein"), "telephone number"),
        (("--certificate", "/nonexistent.pem"), "cannot read a PEM certificate"),
    ],
)
def test_wrong_command_lines_exit_2(
    registry: Registry, extra: tuple[str, ...], message: str
) -> None:
    """Malformed element lists (§ 39 Abs. 1 BMG), roles, contacts and certificate files are
    exit 2 and create nobody."""
    code, out, err = _add(registry, "K-1", *extra)
    assert code == 2 and out == "" and message in err
    assert registry.events() == ["authority.add"]


def test_the_instruction_date_is_required(registry: Registry) -> None:
    """§ 41 BMG: no user without the day of its instruction on purpose limitation."""
    code, _, err = registry.run("user", "add", A, "K-1", "--name", "Meyer", "--operator", "Schulz")
    assert code == 2 and "--belehrt-am" in err
    code, _, err = registry.run(
        "user", "add", A, "K-1", "--name", "Meyer", "--belehrt-am", "2999-01-01",
        "--operator", "Schulz",
    )  # fmt: skip
    assert code == 1 and "lies in the future" in err
    assert registry.events() == ["authority.add"]


def test_registry_refusals_exit_1(registry: Registry, tmp_path: Path) -> None:
    """§ 39 Abs. 1 BMG: no element beyond the authority's entitlement; Kennungen unique."""
    assert _add(registry)[0] == 0
    code, _, err = _add(registry)
    assert code == 1 and "already has a user with Kennung 'K-1'" in err
    code, _, err = registry.run(
        "user", "add", "dbs:nie", "K-1", "--name", "x", "--belehrt-am", "2026-01-01",
        "--operator", "Schulz",
    )  # fmt: skip
    assert code == 1 and "no authority 'dbs:nie'" in err
    code, _, err = registry.run("user", "show", A, "K-9")
    assert code == 1 and f"{A} has no user 'K-9'" in err and "user list" in err

    registry.run(
        "authority", "add", "--kennung", "ags:03241001", "--name", "Bürgeramt",
        "--klasse", "oeffentlich", "--anschrift", "Trammplatz 2", "--network", "10.0.0.0/8",
        "--admin-kennung", "ADM", "--admin-name", "Erika", "--admin-email", "e@h.example",
        "--admin-belehrt-am", "2026-01-01", "--admin-certificate", pem(tmp_path, "adm2"),
        "--operator", "Schulz",
    )  # fmt: skip
    code, _, err = registry.run(
        "user", "add", "ags:03241001", "BA-1", "--name", "x", "--belehrt-am", "2026-01-01",
        "--erlaubte-elemente", "1,163", "--operator", "Schulz",
    )  # fmt: skip
    assert code == 1 and "not entitled to elements 163" in err
    code, _, err = registry.run(
        "user", "add", "ags:03241001", "BA-1", "--name", "x", "--belehrt-am", "2026-01-01",
        "--role", "behoerdenleitung", "--operator", "Schulz",
    )  # fmt: skip
    assert code == 1 and "§ 34a Abs. 6 BMG" in err
    assert registry.events() == ["authority.add", "user.add", "authority.add"]


def test_list_change_block_unblock_delete(registry: Registry, tmp_path: Path) -> None:
    """§ 39 BMG: users are changed, disabled when no longer entitled and removed — each change
    recorded once with its actor (DOMAIN.md § 7: blocks at any time, with their history)."""
    _add(registry)
    code, out, _ = registry.run("user", "list", A)
    assert code == 0
    first, second = out.splitlines()
    assert first.startswith("PD-H-ADM-1") and first.endswith("(main administrator)")
    assert second.split()[:4] == ["K-1", "active", "sachbearbeitung", "belehrt"]
    listed = registry.json("user", "list", A)["users"]
    assert [(u["kennung"], u["certificates"]) for u in listed] == [("PD-H-ADM-1", 1), ("K-1", 0)]

    changed = registry.json(
        "user", "change", A, "K-1", "--name", "KOK Meyer", "--belehrt-am", "2026-03-01",
        "--erlaubte-elemente", "1,7", "--telefon", "+49 511 1", "--operator", "Schulz",
    )  # fmt: skip
    assert changed["changed"] is True and changed["user"]["name"] == "KOK Meyer"
    assert changed["user"]["kontakt"] == {"telefon": "+49 511 1", "email": None}
    again = registry.json("user", "change", A, "K-1", "--name", "KOK Meyer", "--operator", "S")
    assert again["changed"] is False
    lifted = registry.json("user", "change", A, "K-1", "--alle-elemente", "--operator", "S")
    assert lifted["user"]["erlaubte_elemente"] is None
    code, _, err = registry.run(
        "user", "change", A, "K-1", "--alle-elemente", "--erlaubte-elemente", "1",
        "--operator", "S",
    )  # fmt: skip
    assert code == 2 and "either --erlaubte-elemente or --alle-elemente" in err

    code, out, _ = registry.run("user", "block", A, "K-1", "--grund", "Schlüssel verloren",
                                "--operator", "Wagner")  # fmt: skip
    assert code == 0 and "blocked: user K-1" in out and "T070" in out
    code, _, err = registry.run("user", "block", A, "K-1", "--grund", "x", "--operator", "W")
    assert code == 1 and "already blocked (Schlüssel verloren)" in err
    assert registry.json("user", "unblock", A, "K-1", "--operator", "W")["user"]["status"] == (
        "active"
    )
    history = registry.json("user", "show", A, "K-1")["history"]
    assert [(h["status"], h["actor"]) for h in history] == [
        ("active", "operator Schulz"),
        ("blocked", "operator Wagner"),
        ("active", "operator W"),
    ]

    code, _, err = registry.run("user", "delete", A, "PD-H-ADM-1", "--operator", "Schulz")
    assert code == 1 and "main administrator" in err and "set-admin" in err
    deleted = registry.json("user", "delete", A, "K-1", "--operator", "Schulz")
    assert deleted["user"]["kennung"] == "K-1"
    assert registry.run("user", "show", A, "K-1")[0] == 1
    assert registry.events() == [
        "authority.add",
        "user.add",
        "user.change",
        "user.change",
        "user.block",
        "user.unblock",
        "user.delete",
    ]


def test_certificate_rollover(registry: Registry, tmp_path: Path) -> None:
    """A compromised or expiring key: bind the new certificate, then unbind the old."""
    _add(registry)
    old, new = pem(tmp_path, "old"), pem(tmp_path, "new")
    bound = registry.json("user", "bind-certificate", A, "K-1", old, "--operator", "Schulz")
    assert bound["changed"] is True
    again = registry.json("user", "bind-certificate", A, "K-1", old, "--operator", "Schulz")
    assert again["changed"] is False
    code, out, _ = registry.run("user", "bind-certificate", A, "K-1", new, "--operator", "Schulz")
    assert code == 0 and out.startswith("bound: certificate")
    code, _, err = registry.run(
        "user", "bind-certificate", A, "PD-H-ADM-1", old, "--operator", "Schulz"
    )
    assert code == 1 and "already bound to user" in err
    fingerprint = bound["fingerprint"]
    colons = ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    code, out, _ = registry.run(
        "user", "unbind-certificate", A, "K-1", colons, "--operator", "Schulz"
    )
    assert code == 0 and f"unbound: certificate {fingerprint}" in out
    code, _, err = registry.run(
        "user", "unbind-certificate", A, "K-1", fingerprint, "--operator", "Schulz"
    )
    assert code == 1 and "no certificate" in err and "user show" in err
    shown = registry.json("user", "show", A, "K-1")
    assert [c["fingerprint"] for c in shown["certificates"]] != [fingerprint]
    assert len(shown["certificates"]) == 1
    assert registry.events()[2:] == [
        "user.bind-certificate",
        "user.bind-certificate",
        "user.unbind-certificate",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["user"],
        *[["user", c] for c in ("add", "list", "show", "change", "block", "unblock")],
        *[["user", c] for c in ("delete", "bind-certificate", "unbind-certificate")],
    ],
)
def test_help_everywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every command explains itself (DESIGN.md: ``--help`` everywhere)."""
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: datenspiegel user" in capsys.readouterr().out


def test_operations_a_user_may_use(registry: Registry) -> None:
    """§ 39 Abs. 1 BMG: the authority restricts a user to the operations its task needs; the
    operator's CLI sets and lifts the restriction (decision rule 4a enforces it)."""
    code, _, err = _add(registry, "K-2", "--operation", "personensuche", "--operation", "faelle")
    assert code == 0, err
    assert registry.json("user", "show", A, "K-2")["user"]["erlaubte_operationen"] == [
        "faelle",
        "personensuche",
    ]
    code, out, _ = registry.run("user", "show", A, "K-2")
    assert "operations:  faelle, personensuche" in out
    code, _, err = registry.run(
        "user", "change", A, "K-2", "--alle-operationen", "--operator", "Schulz"
    )
    assert code == 0, err
    assert registry.json("user", "show", A, "K-2")["user"]["erlaubte_operationen"] is None
    code, _, err = registry.run(
        "user", "change", A, "K-2", "--alle-operationen", "--operation", "faelle",
        "--operator", "Schulz",
    )  # fmt: skip
    assert code == 2 and "either --operation or --alle-operationen" in err
    code, _, err = _add(registry, "K-3", "--operation", "nichts")
    assert code == 2
