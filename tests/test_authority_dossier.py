"""``datenspiegel authority dossier``: what an audit of an authority needs (issue 10, point 5).

The operator audits the authority's measures (DOMAIN.md § 7, Nds. NMeldVO § 26): the dossier
holds the registration and its history, the main administrators, the users with their
instruction on purpose limitation (§ 41 BMG: current, due, overdue), certificates, blocks with
their reasons, retrieval statistics from the § 40 protocol (metadata only for a security
authority, § 40 Abs. 3 BMG), the audits and the findings. Reading the protocol for it is
itself controlled and recorded (§ 40 BMG, DOMAIN.md § 6): only a reader with the role
``datenschutzkontrolle``, every read logged with reader, purpose and the records returned.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import generate_latest

from datenspiegel.access import Actor, AuditStore
from datenspiegel.access.audits import german_day
from datenspiegel.protocol import Outcome, ReadPurpose
from datenspiegel.service import cli_authority_dossier
from datenspiegel.service.app import belehrungsfrist, build_front, open_stores, periodic_tasks
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.service.dossier import NO_FINDINGS_STORE, Finding
from datenspiegel.service.overdue_remedies import REMEDY_CHECK_INTERVAL, OverdueRemedies
from tests.cli_registry import Registry, add_args
from tests.protocol_reading import Protocol, make_data_dir, open_protocol
from tests.test_protocol_record import full_record

PUBLIC = "ags:03241001"
POLICE = "dbs:pd-hannover"
LFD = "Schreiben LfD vom 28.11.2026, Az. 4711"
CONTENT = ("AZ 12/2025-ß", "Vollstreckung einer Geldforderung", "MÜLLER", "123456789")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data_dir(tmp_path_factory)


@dataclass
class World:
    registry: Registry
    protocol: Protocol
    tmp_path: Path

    def ok(self, *argv: str) -> str:
        code, out, err = self.registry.run(*argv)
        assert code == 0, err
        return out

    def dossier(self, kennung: str, *argv: str, reader: str = "Dana Schutz") -> Any:
        return self.registry.run(
            "authority",
            "dossier",
            kennung,
            "--operator",
            reader,
            "--purpose",
            "Prüfung 1/2026",
            *argv,
        )

    def dossier_json(self, kennung: str, *argv: str) -> Any:
        code, out, err = self.dossier(kennung, "--format", "json", *argv)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def world(
    data_dir: Path,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    with open_protocol(data_dir, database_url, capsys, monkeypatch) as protocol:
        yield World(Registry(data_dir, database_url, capsys), protocol, tmp_path)


def _register_public(world: World, name: str = "Landeshauptstadt Hannover, Bürgeramt") -> None:
    world.ok(
        "authority",
        "add",
        *add_args(
            world.tmp_path,
            **{
                "--kennung": PUBLIC,
                "--name": name,
                "--klasse": "oeffentlich",
                "--untertyp": None,
                "--admin-kennung": "BA-ADM",
            },
        ),
    )


def _user(world: World, kennung: str, belehrt: date, *extra: str) -> None:
    world.ok(
        "user",
        "add",
        PUBLIC,
        kennung,
        "--name",
        f"Sachbearbeitung {kennung}",
        "--belehrt-am",
        belehrt.isoformat(),
        "--operator",
        "Betrieb Schulz",
        *extra,
    )


def _public(**changes: Any) -> dict[str, Any]:
    return {"authority_kennung": PUBLIC, "sicherheitsbehoerde": False, **changes}


def _nothing_found(**changes: Any) -> dict[str, Any]:
    return _public(hits=(), disclosed={}, withheld=(), hit_count=0, **changes)


def _months(document: Any, *fields: str) -> dict[str, tuple[Any, ...]]:
    return {
        month: tuple(counts[f] for f in fields)
        for month, counts in document["retrievals"]["per_month"].items()
    }


def test_the_dossier_has_every_section_with_the_registrys_and_the_protocols_facts(
    world: World,
) -> None:
    """Registration, administrators, users and their instruction (§ 41 BMG), blocks with
    reasons (DOMAIN.md § 7), monthly counts that match the records, the audit."""
    frist = belehrungsfrist(load_config(world.registry.data_dir / CONFIG_NAME))
    today = german_day(datetime.now(UTC))
    _register_public(world)
    _user(world, "BA-4711", date(2020, 1, 2))  # long past the grace period
    due = today - timedelta(days=frist.gueltig_tage + 1)  # due, within the grace period
    _user(world, "BA-0815", due, "--telefon", "+49 511 168-1")
    _user(world, "BA-ALT", today)
    world.ok(
        "user",
        "block",
        PUBLIC,
        "BA-4711",
        "--grund",
        "Ticket 1142: Schlüssel verloren",
        "--operator",
        "Betrieb Schulz",
    )
    world.ok("user", "block", PUBLIC, "BA-ALT", "--grund", "ausgeschieden", "--operator", "B")
    world.ok("user", "delete", PUBLIC, "BA-ALT", "--operator", "Betrieb Schulz")
    world.ok("authority", "block", PUBLIC, "--grund", LFD, "--operator", "M. Schulz")
    world.ok(
        "authority",
        "unblock",
        PUBLIC,
        "--grund",
        "Prüfung abgeschlossen",
        "--operator",
        "K. Wagner",
    )
    world.ok("authority", "set-admin", PUBLIC, "--user", "BA-0815", "--operator", "M. Schulz")
    world.ok("audit", "open", "--authority", PUBLIC, "--scope", "TOM 2026", "--operator", "W")
    world.ok("audit", "note", "1", "--text", "BA-4711 ohne aktuelle Belehrung", "--operator", "W")
    world.ok(
        "audit",
        "demand",
        "1",
        "--remedy",
        "Belehrung nachholen",
        "--deadline",
        (today + timedelta(days=14)).isoformat(),
        "--operator",
        "W",
    )

    append = world.protocol.append
    march = datetime(2026, 3, 14, 9, 15, tzinfo=UTC)
    read = [
        append(**_public(user_kennung="BA-4711"), at=march),
        append(**_public(user_kennung="BA-4711"), at=march + timedelta(days=1)),
        append(
            **_nothing_found(
                user_kennung="BA-0815", outcome=Outcome.REJECTED, outcome_codes=("17",)
            ),
            at=march + timedelta(days=2),
        ),
        # 1 April 00:30 in Hannover is April's, though March's in UTC
        append(
            **_nothing_found(
                user_kennung="BA-0815", outcome=Outcome.RETURNED, outcome_codes=("T070",)
            ),
            at=datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
        ),
        append(
            **_public(user_kennung="BA-0815", service="freieSuche"),
            at=datetime(2026, 4, 20, 8, tzinfo=UTC),
        ),
    ]
    # neither another authority's nor one before the period (31 Dec, 23:30 in Hannover)
    append(**_public(authority_kennung="ags:03241002"), at=march)
    append(**_public(), at=datetime(2025, 12, 31, 22, 30, tzinfo=UTC))

    d = world.dossier_json(PUBLIC, "--from", "2026-01-01", "--to", "2026-12-31")

    assert (d["created_by"], d["occasion"], d["read_purpose"]) == (
        "Dana Schutz",
        "Prüfung 1/2026",
        "datenschutzkontrolle",
    )
    assert (d["period"]["first_day"], d["period"]["last_day"]) == ("2026-01-01", "2026-12-31")
    assert d["authority"]["kennung"] == PUBLIC and d["authority"]["status"] == "active"
    assert [e["action"] for e in d["registration_history"]] == [
        "authority.add",
        "authority.block",
        "authority.unblock",
        "authority.set-admin",
    ]
    assert [(p["kennung"], p["until"] is None) for p in d["administrators"]] == [
        ("BA-ADM", False),
        ("BA-0815", True),
    ]
    assert d["administrators"][0]["until"] == d["administrators"][1]["from"]

    users = {u["kennung"]: u for u in d["users"]}
    assert set(users) == {"BA-ADM", "BA-4711", "BA-0815"}
    assert (users["BA-4711"]["belehrt_am"], users["BA-4711"]["belehrung"]["state"]) == (
        "2020-01-02",
        "overdue",
    )
    assert users["BA-0815"]["belehrung"] == {
        "state": "due",
        "due_on": (due + timedelta(days=frist.gueltig_tage)).isoformat(),
    }
    assert users["BA-ADM"]["belehrung"]["state"] == "current"
    assert users["BA-0815"]["main_administrator"] and not users["BA-ADM"]["main_administrator"]
    assert [c["valid"] for c in users["BA-ADM"]["certificates"]] == [True]
    assert "kontakt" not in users["BA-0815"]  # data minimisation: not needed for the audit
    assert users["BA-4711"]["status"] == "blocked"
    assert [(r["kennung"], r["by"]) for r in d["removed_users"]] == [
        ("BA-ALT", "operator Betrieb Schulz")
    ]

    blocks = [(b["subject"], b["status"], b["grund"], b["by"]) for b in d["blocks"]]
    assert blocks == [
        ("user BA-4711", "blocked", "Ticket 1142: Schlüssel verloren", "operator Betrieb Schulz"),
        ("user BA-ALT (removed)", "blocked", "ausgeschieden", "operator B"),
        ("authority", "blocked", LFD, "operator M. Schulz"),
        ("authority", "active", "Prüfung abgeschlossen", "operator K. Wagner"),
    ]

    retrievals = d["retrievals"]
    assert retrievals["complete"] and not retrievals["metadata_only"]
    assert retrievals["total"]["transactions"] == 5
    assert _months(d, "transactions", "outcomes", "hits") == {
        "2026-03": (3, {"answered": 2, "rejected": 1}, 4),
        "2026-04": (2, {"answered": 1, "returned": 1}, 2),
    }
    assert d["retrievals"]["per_month"]["2026-04"]["codes"] == {
        "answered 01": 1,
        "returned T070": 1,
    }
    assert d["retrievals"]["per_month"]["2026-04"]["services"] == {
        "freieSuche": 1,
        "personensuche": 1,
    }
    per_user = d["retrievals"]["per_user"]
    assert {u: c["transactions"] for u, c in per_user.items()} == {"BA-0815": 3, "BA-4711": 2}
    assert per_user["BA-0815"]["codes"] == {"answered 01": 1, "rejected 17": 1, "returned T070": 1}

    [audit] = d["audits"]
    assert audit["scope"] == "TOM 2026" and audit["status"] == "open"
    assert [n["text"] for n in audit["notes"]] == ["BA-4711 ohne aktuelle Belehrung"]
    assert [(r["text"], r["overdue"]) for r in audit["remedies"]] == [
        ("Belehrung nachholen", False)
    ]
    # the protocol review's findings store is read; it holds none on this authority
    assert d["findings"] == {"available": True, "note": None, "items": []}

    # § 40 BMG: the dossier's reads of the protocol are themselves recorded, month by month
    reads = [r for r in world.protocol.store.reads() if not r.refused]
    assert len(reads) == 12
    assert {(r.reader, r.purpose) for r in reads} == {
        ("Dana Schutz", ReadPurpose.DATENSCHUTZKONTROLLE)
    }
    assert {r.query["context"]["command"] for r in reads} == {"datenspiegel authority dossier"}
    assert {r.query["context"]["occasion"] for r in reads} == {"Prüfung 1/2026"}
    assert {r.query["authority_kennung"] for r in reads} == {PUBLIC}
    returned = {i for r in reads for i in r.record_ids}
    assert returned == {r.record_id for r in read}
    april = next(r for r in reads if r.query["context"]["month"] == "2026-04")
    assert set(april.record_ids) == {read[3].record_id, read[4].record_id}


def test_a_security_authoritys_dossier_counts_but_holds_no_content(world: World) -> None:
    """§ 40 Abs. 3 BMG: a security authority logs its own retrievals; the operator does not
    review their content — the dossier counts transactions, results and services, even of
    records that carry content (kept on the authority's behalf), and names users as the
    records do (a keyed pseudonym in metadata-only records)."""
    world.ok("authority", "add", *add_args(world.tmp_path))
    at = datetime(2026, 5, 4, 23, 50, tzinfo=UTC)  # nightly retrievals, 5 May in Hannover
    police = {"authority_kennung": POLICE, "sicherheitsbehoerde": True}
    world.protocol.append(**police, at=at)  # content kept on its behalf
    world.protocol.append(**police, at=at + timedelta(minutes=1))
    later = at + timedelta(minutes=3)
    metadata_only = full_record(**police, received_at=later, answered_at=later)
    world.protocol.store.append(metadata_only.without_content(lambda kennung: "pseudonym:4f2a"))
    d = world.dossier_json(POLICE, "--from", "2026-05-01", "--to", "2026-05-31")
    retrievals = d["retrievals"]
    assert retrievals["metadata_only"] is True
    assert retrievals["per_month"]["2026-05"] == {
        "transactions": 3,
        "outcomes": {"answered": 3},
        "codes": {"answered 01": 3},
        "services": {"personensuche": 3},
    }  # no hits
    assert set(retrievals["per_user"]) == {"BA-4711", "pseudonym:4f2a"}
    for form in ("json", "md", "html"):
        code, out, err = world.dossier(
            POLICE, "--from", "2026-05-01", "--to", "2026-05-31", "--format", form
        )
        assert code == 0, err
        assert "Sicherheitsbeh" in out or "sicherheit" in out
        leaked = [text for text in CONTENT if text in out]
        assert leaked == [], f"{form}: {leaked}"
    code, out, _ = world.dossier(POLICE, "--from", "2026-05-01", "--to", "2026-05-31")
    assert "counts only, no content (§ 40 Abs. 3 BMG)" in out


def test_a_reader_without_the_role_datenschutzkontrolle_reads_nothing_and_is_recorded(
    world: World,
) -> None:
    _register_public(world)
    world.protocol.append(**_public(), at=datetime(2026, 3, 14, tzinfo=UTC))
    output = world.tmp_path / "dossier.html"
    code, out, err = world.dossier(PUBLIC, "--output", str(output), reader="Betrieb Schulz")
    assert code == 1 and out == "" and not output.exists()
    assert "refused: Betrieb Schulz may read the protocol for betrieb only" in err
    [attempt] = world.protocol.store.reads()
    assert attempt.refused and attempt.record_ids == ()
    assert attempt.purpose is ReadPurpose.DATENSCHUTZKONTROLLE
    assert attempt.query["context"]["command"] == "datenspiegel authority dossier"
    code, _out, err = world.dossier("ags:99999999")
    assert code == 1 and "no authority 'ags:99999999'" in err
    code, _out, err = world.dossier(PUBLIC, "--from", "2026-02-01", "--to", "2026-01-31")
    assert code == 2 and "--from 2026-02-01 lies after --to 2026-01-31" in err


def test_the_html_and_markdown_forms_escape_what_the_registry_holds(world: World) -> None:
    """The page is self-contained and printable: nothing loaded from anywhere, and no text of
    the registry becomes markup."""
    _register_public(world, name="Bürgeramt <script>alert(1)</script> & Co")
    world.ok("audit", "open", "--authority", PUBLIC, "--scope", "TOM", "--operator", "W")
    world.ok(
        "audit",
        "note",
        "1",
        "--text",
        '<img src="https://x.example/t.png"> | *fett*',
        "--operator",
        "W",
    )
    output = world.tmp_path / "dossier.html"
    code, out, err = world.dossier(PUBLIC, "--format", "html", "--output", str(output))
    assert code == 0, err
    assert out.startswith(
        f"dossier of {PUBLIC} written to {output} (html): 1 user(s), 0 transaction(s)"
    )
    assert stat.S_IMODE(output.stat().st_mode) == 0o600  # personal data of users
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "Bürgeramt &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "&lt;img src=&quot;https://x.example/t.png&quot;&gt;" in page
    assert "<script" not in page and "<img" not in page
    tags = re.findall(r"<[^>]*>", page)  # escaped text has no tags: only the page's own
    assert [t for t in tags if re.search(r"\s(?:src|href)\s*=", t)] == []
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page and "@media print" in page
    for section in ("Registration", "Users", "Blocks and unblocks", "Retrievals", "Audits"):
        assert f"<h2>{section}" in page
    assert "Findings of the protocol review" in page and NO_FINDINGS_STORE not in page

    code, md, err = world.dossier(PUBLIC)
    assert code == 0, err
    assert "# Dossier: Bürgeramt \\<script\\>alert(1)\\</script\\> \\& Co" in md
    assert '\\<img src="https://x.example/t.png"\\> \\| \\*fett\\*' in md


def test_findings_are_plugged_in_through_the_findings_source(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook for the protocol review's anomaly findings (service/dossier.py)."""
    asked: list[tuple[str, datetime, datetime]] = []

    class Review:
        def findings(
            self, authority_kennung: str, *, since: datetime, until: datetime
        ) -> Sequence[Finding]:
            asked.append((authority_kennung, since, until))
            return [
                Finding(
                    at=datetime(2026, 3, 14, 2, tzinfo=UTC),
                    kind="night",
                    summary="user BA-4711 of ags:03241001: 40 retrievals at night",
                    severity="high",
                    records=40,
                    status="open",
                )
            ]

    monkeypatch.setattr(cli_authority_dossier, "findings_source", lambda stores: Review())
    _register_public(world)
    d = world.dossier_json(PUBLIC, "--from", "2026-03-01", "--to", "2026-03-31")
    assert d["findings"]["available"] is True
    assert [(f["kind"], f["severity"], f["records"]) for f in d["findings"]["items"]] == [
        ("night", "high", 40)
    ]
    [(kennung, since, until)] = asked
    assert kennung == PUBLIC and since == datetime(2026, 2, 28, 23, tzinfo=UTC)
    assert until == datetime(2026, 3, 31, 22, tzinfo=UTC)  # summer time from 29 March
    code, out, _ = world.dossier(PUBLIC, "--from", "2026-03-01", "--to", "2026-03-31")
    assert code == 0 and "40 retrievals at night" in out and NO_FINDINGS_STORE not in out


def test_the_review_findings_on_the_authority_are_in_its_dossier(world: World) -> None:
    """The anomaly findings store (protocol/anomalies/store.py) through the hook: the findings
    on this authority in the period, with severity, records behind them and review state."""
    from datenspiegel.protocol.anomalies.model import DetectorKind, Severity, Subject
    from datenspiegel.protocol.anomalies.model import Finding as AnomalyFinding
    from datenspiegel.protocol.anomalies.store import FindingStatus, FindingStore

    _register_public(world)
    start = datetime(2026, 3, 14, 1, tzinfo=UTC)

    def anomaly(authority_id: int, kennung: str, user: str) -> AnomalyFinding:
        return AnomalyFinding(
            kind=DetectorKind.UNUSUAL_HOURS,
            severity=Severity.HIGH,
            subject=Subject(
                authority_id=authority_id, authority_kennung=kennung, user_kennung=user
            ),
            bucket="2026-03-14",
            window_start=start,
            window_end=start + timedelta(hours=2),
            measured=40,
            threshold=10,
            explanation="40 retrievals at night (threshold 10)",
            record_ids=("r1", "r2"),
            record_count=40,
        )

    stores = open_stores(load_config(world.registry.data_dir / CONFIG_NAME))
    try:
        store = FindingStore(engine=stores.protocol.engine)
        mine, _other = store.upsert(
            [anomaly(1, PUBLIC, "BA-4711"), anomaly(999, "ags:99999999", "X-1")], at=start
        )
        store.resolve(
            mine.id, status=FindingStatus.CONFIRMED, reviewer="Dana Schutz", note="ok", at=start
        )
    finally:
        stores.close()
    d = world.dossier_json(PUBLIC, "--from", "2026-03-01", "--to", "2026-03-31")
    assert d["findings"]["available"] is True
    [item] = d["findings"]["items"]
    assert (item["kind"], item["severity"], item["records"], item["status"]) == (
        "unusual_hours",
        "high",
        40,
        "confirmed",
    )
    assert "40 retrievals at night" in item["summary"]
    # outside the period: not listed
    d = world.dossier_json(PUBLIC, "--from", "2026-04-01", "--to", "2026-04-30")
    assert d["findings"]["items"] == []


def test_the_running_service_exports_and_logs_overdue_remedies(
    world: World, database_url: str
) -> None:
    """service/app.py wires the overdue-remedy check into every worker: a periodic task and
    the gauge in /metrics."""
    _register_public(world)
    past = AuditStore(database_url, clock=lambda: datetime(2020, 1, 6, 9, tzinfo=UTC))
    try:
        audit = past.open_audit(1, scope="TOM", actor=Actor.operator("W"))
        past.demand_remedy(
            audit.id, text="x", deadline=date(2020, 1, 31), actor=Actor.operator("W")
        )
    finally:
        past.dispose()
    config = load_config(world.registry.data_dir / CONFIG_NAME)
    stores = open_stores(config)
    try:
        front = build_front(config, stores)
        tasks = periodic_tasks(config, front, stores)
        checks = [
            (interval, task)
            for interval, task in tasks
            if isinstance(getattr(task, "__self__", None), OverdueRemedies)
        ]
        assert [(interval, check()) for interval, check in checks] == [(REMEDY_CHECK_INTERVAL, 1)]
        metrics = generate_latest(front.registry).decode()
        assert "datenspiegel_audit_remedies_overdue 1.0" in metrics
    finally:
        stores.close()
