"""``datenspiegel anomalies scan | list | show | assign | resolve | letter | status`` end to end,
on SQLite and PostgreSQL, with simulated traffic (fixtures/misuse) in a data directory's real
protocol store (issue 10, point 3).

DOMAIN.md §§ 6–7: the operator reviews the protocol for signs of misuse and contacts an
authority on suspected unlawful retrievals; § 40 BMG: protocol data serve data-protection
control and every read is recorded; § 40 Abs. 3 BMG: of a security authority's retrievals the
operator reviews metadata only — so its letter carries nothing else.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from datenspiegel.access.admin_log import Action, Actor
from datenspiegel.access.model import Authority, User
from datenspiegel.access.store import AccessStore
from datenspiegel.fixtures.misuse import Simulation, simulate
from datenspiegel.fixtures.misuse.population import build_population
from datenspiegel.fixtures.misuse.records import Ask, RecordFactory
from datenspiegel.protocol.anomalies import DetectorKind
from datenspiegel.protocol.anomalies.store import FindingAction, FindingStatus, FindingStore
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.anomaly_block import block_reason
from datenspiegel.service.anomaly_watch import AnomalyWatch, build_anomaly_watch
from datenspiegel.service.app import open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from datenspiegel.service.config import CONFIG_NAME, load_config
from tests.anomaly_traffic import Clock, as_registry_user, load_records

READERS = "Dana Schutz=datenschutzkontrolle;Betrieb Schulz=betrieb"
T0 = datetime(2026, 4, 8, 8, tzinfo=UTC)  # a Wednesday, 10:00 in Hannover


@dataclass
class Operator:
    data_dir: Path
    protocol: ProtocolStore
    findings: FindingStore
    access: AccessStore
    capsys: pytest.CaptureFixture[str]

    def run(self, command: str, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["anomalies", command, "--data-dir", str(self.data_dir), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def demo(self, kennung: str) -> tuple[Authority, User]:
        """A demo authority and its user (not its administrator)."""
        authority = self.access.authority_by_kennung(kennung)
        assert authority is not None
        (user,) = [u for u in self.access.users(authority.id) if u.id != authority.administrator_id]
        return authority, user


@pytest.fixture
def operator(
    tmp_path: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Operator]:
    """A data directory (demo authorities in its registry) on ``database_url``."""
    data_dir = tmp_path / "var"
    env = {"DATENSPIEGEL_STORES_BROKER_URL": database_url}
    initialise(data_dir, persons=5, progress=False, env=env)
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", database_url)
    monkeypatch.setenv("DATENSPIEGEL_PROTOCOL_READERS", READERS)
    protocol = ProtocolStore(database_url)
    findings = FindingStore(database_url)
    access = AccessStore(database_url)
    yield Operator(data_dir, protocol, findings, access, capsys)
    access.close()
    findings.close()
    protocol.close()


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    return simulate(weeks=3, seed=2, users=100)


def burst(
    authority: Authority, user: User, *, at: datetime = T0, n: int = 25
) -> list[ProtocolRecord]:
    """``n`` retrievals in ``2 n`` seconds by a registered user (a burst: 20 in 5 minutes)."""
    factory = RecordFactory(random.Random(11))
    simulated = next(u for u in build_population(random.Random(11), 30) if u.authority.content)
    records = [factory.record(Ask(simulated, at + timedelta(seconds=2 * k))) for k in range(n)]
    return as_registry_user(records, authority=authority, user=user)


def test_scan_stores_the_findings_of_a_period_and_list_and_show_them(
    operator: Operator, simulation: Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan of the last days of simulated traffic (the decoys configured): findings stored
    and listed; a second scan of the same period finds the same ones (nothing new); every
    record read is logged."""
    decoys = ",".join(map(str, sorted(simulation.decoys)))
    monkeypatch.setenv("DATENSPIEGEL_ANOMALIES_DECOY_PERSONS", decoys)
    load_records(operator.protocol, simulation.records)
    until = simulation.end
    since = until - timedelta(days=4)
    window = ("--since", since.isoformat(), "--until", until.isoformat())
    code, out, err = operator.run("scan", "--reader", "Dana Schutz", *window)
    assert code == 0, err
    stored = operator.findings.list(limit=10_000)
    assert stored and f"{len(stored)} finding(s) in" in out and f"{len(stored)} new" in out
    assert {s.status for s in stored} == {FindingStatus.OPEN}
    for s in stored:
        assert f"#{s.id:<5}" in out and s.finding.explanation in out

    code, out, _ = operator.run("scan", "--reader", "Dana Schutz", *window, "--json")
    again = json.loads(out)
    assert code == 0 and {f["change"] for f in again} == {None}  # the same findings again
    assert sorted(f["key"] for f in again) == sorted(s.finding.key for s in stored)

    reads = [r for r in operator.protocol.reads(limit=1000) if r.reader == "Dana Schutz"]
    assert all(r.purpose is ReadPurpose.DATENSCHUTZKONTROLLE for r in reads)
    assert all(r.query.get("context", {}).get("command") == "datenspiegel anomalies scan"
               for r in reads)  # fmt: skip
    read_ids = {i for r in reads for i in r.record_ids}
    assert {r.record_id for r in simulation.records if since <= r.received_at < until} <= read_ids

    decoy = next(s for s in stored if s.finding.kind is DetectorKind.DECOY)
    code, out, _ = operator.run("list", "--status", "open", "--json")
    assert code == 0 and len(json.loads(out)) == len(stored)
    kennung = decoy.finding.subject.authority_kennung
    assert kennung is not None
    code, out, _ = operator.run("list", "--authority", kennung)
    assert f"#{decoy.id:<5}" in out
    code, out, _ = operator.run("show", str(decoy.id))
    assert code == 0
    assert "decoy, critical, open" in out and decoy.finding.explanation in out
    assert all(record_id in out for record_id in decoy.finding.record_ids)
    assert "anomaly detection: detected → open" in out
    code, out, _ = operator.run("show", str(decoy.id), "--json")
    shown = json.loads(out)
    assert shown["key"] == decoy.finding.key and shown["history"][0]["action"] == "detected"


def test_a_reader_without_the_role_is_refused_and_the_attempt_logged(operator: Operator) -> None:
    code, _, err = operator.run(
        "scan", "--reader", "Betrieb Schulz", "--since", "2026-04-01", "--until", "2026-04-02"
    )
    assert code == 1 and "refused" in err
    (refused,) = [r for r in operator.protocol.reads() if r.reader == "Betrieb Schulz"]
    assert refused.record_ids == () and "refused" in refused.query
    assert operator.findings.list() == []


def test_review_workflow_through_the_cli(operator: Operator) -> None:
    """open → assigned (in review) → authority asked → dismissed, each with who and why."""
    authority, user = operator.demo("dbs:ordnungsamt-hannover")
    load_records(operator.protocol, burst(authority, user))
    code, _, err = operator.run(
        "scan", "--reader", "Dana Schutz", "--since", "2026-04-08", "--until", "2026-04-08"
    )
    assert code == 0, err
    (finding,) = operator.findings.list()
    assert finding.finding.kind is DetectorKind.BURST_USER
    fid = str(finding.id)
    assert operator.run("assign", fid, "--reviewer", "Dana Schutz", "--note", "übernommen")[0] == 0
    code, out, _ = operator.run(
        "resolve", fid, "--status", "authority_asked", "--reviewer", "Dana Schutz",
        "--note", "telefonisch nachgefragt",
    )  # fmt: skip
    assert code == 0 and "authority_asked" in out
    code, out, _ = operator.run(
        "resolve", fid, "--status", "dismissed", "--reviewer", "Dana Schutz",
        "--note", "Sammelbearbeitung Bußgeldstelle, vom Amt belegt",
    )  # fmt: skip
    assert code == 0
    history = operator.findings.history(finding.id)
    assert [(e.action, e.status, e.actor) for e in history][1:] == [
        (FindingAction.ASSIGNED, FindingStatus.IN_REVIEW, "Dana Schutz"),
        (FindingAction.STATUS, FindingStatus.AUTHORITY_ASKED, "Dana Schutz"),
        (FindingAction.STATUS, FindingStatus.DISMISSED, "Dana Schutz"),
    ]
    code, out, _ = operator.run("show", fid)
    assert "Sammelbearbeitung Bußgeldstelle, vom Amt belegt" in out
    code, _, err = operator.run(
        "resolve", fid, "--status", "dismissed", "--reviewer", "A", "--note", "x"
    )
    assert code == 1 and "already dismissed" in err
    code, _, err = operator.run("show", "999")
    assert code == 1 and "no finding with id 999" in err
    code, _, err = operator.run(
        "resolve", fid, "--status", "confirmed", "--reviewer", "A", "--note", "x", "--unblock"
    )
    assert code == 1 and "blocked nobody" in err
    code, out, _ = operator.run("status", "--json")
    assert json.loads(out)["findings"] == {"dismissed": 1}


def test_letter_to_a_public_body(operator: Operator, tmp_path: Path) -> None:
    """Address and contact from the registry, what was observed in neutral words, the
    retrievals with the authority's own Aktenzeichen and Anlass, what to check by when, the
    legal bases; writing it records that the authority was asked."""
    authority, user = operator.demo("dbs:ordnungsamt-hannover")
    records = burst(authority, user)
    load_records(operator.protocol, records)
    operator.run(
        "scan", "--reader", "Dana Schutz", "--since", "2026-04-08", "--until", "2026-04-08"
    )
    (finding,) = operator.findings.list()
    draft = tmp_path / "entwurf.md"
    code, _, err = operator.run(
        "letter", str(finding.id), "--reader", "Dana Schutz", "--output", str(draft), "--draft"
    )
    assert code == 0, err
    assert operator.findings.get(finding.id).status is FindingStatus.OPEN  # type: ignore[union-attr]
    letter = draft.read_text(encoding="utf-8")
    assert letter.startswith("Melderegisterdatenspiegel Niedersachsen\n")
    assert (
        "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung\nTrammplatz 2\n30159 Hannover"
        in letter
    )
    assert "+49 511 168-0, ordnung@hannover-stadt.example" in letter
    assert f"Vorgang A-{finding.id}" in letter and "Betreff: Bitte um Prüfung" in letter
    assert "ein Vorwurf ist damit nicht verbunden" in letter
    assert "Nutzerkennung OA-32.4-0815" in letter and "25 Vorgänge" in letter
    assert "§ 40 BMG" in letter and "§ 26 NMeldVO" in letter and "§ 41 BMG" in letter
    for record in records:
        assert str(record.request_message_id) in letter
        assert f"| {record.aktenzeichen} | {record.anlass} |" in letter
    # no search data, no person of the register
    for record in records:
        for value in record.search_data.values():
            assert str(value) not in letter
    # the letter's reads are logged
    reads = [r for r in operator.protocol.reads(limit=100) if r.reader == "Dana Schutz"]
    assert {r.record_ids[0] for r in reads if len(r.record_ids) == 1} == {
        r.record_id for r in records
    }
    code, out, err = operator.run(
        "letter", str(finding.id), "--reader", "Dana Schutz", "--format", "html",
        "--respond-within", "21",
    )  # fmt: skip
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "<table>" in out
    assert "<script" not in out and "Trammplatz 2" in out
    stored = operator.findings.get(finding.id)
    assert stored is not None and stored.status is FindingStatus.AUTHORITY_ASKED
    last = operator.findings.history(finding.id)[-1]
    assert last.action is FindingAction.LETTER and last.actor == "Dana Schutz"
    assert last.note is not None and "answer asked by" in last.note


def test_letter_to_a_security_authority_carries_metadata_only(
    operator: Operator, tmp_path: Path
) -> None:
    """§ 40 Abs. 3 BMG: even where the record kept Aktenzeichen and Anlass, the letter to a
    security authority names times, message ids, service and outcome — nothing else."""
    authority, user = operator.demo("dbs:pd-hannover")
    records = burst(authority, user)
    assert all(r.sicherheitsbehoerde and r.aktenzeichen for r in records)
    load_records(operator.protocol, records)
    operator.run(
        "scan", "--reader", "Dana Schutz", "--since", "2026-04-08", "--until", "2026-04-08"
    )
    (finding,) = operator.findings.list()
    out_file = tmp_path / "brief.md"
    code, _, err = operator.run(
        "letter", str(finding.id), "--reader", "Dana Schutz", "--output", str(out_file)
    )
    assert code == 0, err
    letter = out_file.read_text(encoding="utf-8")
    assert "Polizeidirektion Hannover\nWaterloostraße 9\n30169 Hannover" in letter
    assert "§ 40 Abs. 3 BMG" in letter and "Aktenzeichen" not in letter
    for record in records:
        assert str(record.request_message_id) in letter
        assert str(record.aktenzeichen) not in letter and str(record.anlass) not in letter
        for value in record.search_data.values():
            assert str(value) not in letter


def _watch(operator: Operator, clock: Clock) -> tuple[AnomalyWatch, Any]:
    config = load_config(operator.data_dir / CONFIG_NAME)
    assert config.anomalies.block_on_critical
    stores = open_stores(config)
    return (
        build_anomaly_watch(config, access=stores.access, protocol=stores.protocol, clock=clock),
        stores,
    )


def test_automatic_block_on_a_critical_finding_is_recorded_reported_and_reversible(
    operator: Operator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DOMAIN.md § 7 (the operator may block at any time): with block_on_critical a decoy hit
    blocks its user at once — in the registry (T070 from the next request), its history and
    event log, the finding's history, a notice to the authority's administrator — and
    ``resolve --unblock`` lifts exactly that block."""
    decoy = 4711
    monkeypatch.setenv("DATENSPIEGEL_ANOMALIES_BLOCK_ON_CRITICAL", "true")
    monkeypatch.setenv("DATENSPIEGEL_ANOMALIES_DECOY_PERSONS", str(decoy))
    authority, user = operator.demo("dbs:ordnungsamt-hannover")
    factory = RecordFactory(random.Random(3))
    simulated = next(u for u in build_population(random.Random(3), 30) if u.authority.content)
    (hit,) = as_registry_user(
        [factory.record(Ask(simulated, T0, hits=(decoy,)))], authority=authority, user=user
    )
    load_records(operator.protocol, [hit])
    operator.findings.advance(T0 - timedelta(minutes=1))
    clock = Clock(T0 + timedelta(minutes=1))
    watch, stores = _watch(operator, clock)
    try:
        result = watch.check()
        (item,) = result.upserted
        stored = item.stored
        assert (
            stored.finding.kind is DetectorKind.DECOY
            and stored.finding.severity.value == "critical"
        )
        blocked = operator.access.user(user.id)
        assert blocked is not None and blocked.gesperrt
        assert blocked.gesperrt_grund == block_reason(stored)
        assert f"anomaly finding {stored.id} (decoy" in blocked.gesperrt_grund
        (event,) = [
            e for e in operator.access.admin_events(authority_kennung=authority.kennung)
            if e.action is Action.USER_BLOCK
        ]  # fmt: skip
        assert event.actor.label == "system anomaly detection" and event.target == user.kennung
        history = operator.findings.history(stored.id)
        assert [e.action for e in history] == [FindingAction.DETECTED, FindingAction.BLOCKED]
        notice = operator.data_dir / "notices" / f"block-A-{stored.id}.md"
        text = notice.read_text(encoding="utf-8")
        assert f"z. Hd. {authority.administrator} (Hauptadministration)" in text
        assert f"Nutzerkennung {user.kennung}" in text and "Trammplatz 2" in text
        assert str(decoy) not in text and "kein Vorwurf" in text
        # another run: the finding again, no second block
        clock.now += timedelta(seconds=30)
        watch.check()
        assert [e.action for e in operator.findings.history(stored.id)][-1] is (
            FindingAction.BLOCKED
        )
    finally:
        watch.close()
        stores.close()

    code, out, err = operator.run(
        "resolve", str(stored.id), "--status", "dismissed", "--reviewer", "Dana Schutz",
        "--note", "Testabruf der Fachverfahrensbetreuung, abgestimmt", "--unblock",
    )  # fmt: skip
    assert code == 0, err
    assert f"block of user {user.kennung} lifted" in out
    lifted = operator.access.user(user.id)
    assert lifted is not None and not lifted.gesperrt
    last = operator.access.status_history(authority.id, user.id)[-1]
    assert not last.gesperrt and last.actor == "operator Dana Schutz"
    assert [e.action for e in operator.findings.history(stored.id)][-2:] == [
        FindingAction.UNBLOCKED,
        FindingAction.STATUS,
    ]


def test_unblock_lifts_only_the_block_the_finding_made(
    operator: Operator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the operator has replaced the automatic block by one of its own, ``--unblock``
    refuses to lift it — and says so when there is no block left. (Only decoy hits are
    critical; a security authority's records are never read for persons, § 40 Abs. 3 BMG, so
    its users are not blocked automatically.)"""
    monkeypatch.setenv("DATENSPIEGEL_ANOMALIES_BLOCK_ON_CRITICAL", "true")
    monkeypatch.setenv("DATENSPIEGEL_ANOMALIES_DECOY_PERSONS", "4711")
    authority, user = operator.demo("dbs:ordnungsamt-hannover")
    factory = RecordFactory(random.Random(3))
    simulated = next(u for u in build_population(random.Random(3), 30) if u.authority.content)
    hits = [factory.record(Ask(simulated, T0, hits=(4711,)))]
    load_records(operator.protocol, as_registry_user(hits, authority=authority, user=user))
    operator.findings.advance(T0 - timedelta(minutes=1))
    watch, stores = _watch(operator, Clock(T0 + timedelta(minutes=1)))
    try:
        watch.check()
    finally:
        watch.close()
        stores.close()
    (stored,) = operator.findings.list()
    blocked = operator.access.user(user.id)
    assert blocked is not None and blocked.gesperrt_grund == block_reason(stored)
    ticket = Actor.operator("Betrieb Schulz")
    operator.access.unblock_user(user.id, actor=ticket)
    operator.access.block_user(user.id, grund="Ticket 4711", actor=ticket)
    unblock = ("--status", "dismissed", "--reviewer", "Dana Schutz", "--note", "x", "--unblock")
    code, _, err = operator.run("resolve", str(stored.id), *unblock)
    assert code == 1 and "blocked for another reason now (Ticket 4711)" in err
    still = operator.access.user(user.id)
    assert still is not None and still.gesperrt_grund == "Ticket 4711"
    operator.access.unblock_user(user.id, actor=ticket)
    code, _, err = operator.run("resolve", str(stored.id), *unblock)
    assert code == 1 and "is not blocked" in err
    assert operator.findings.get(stored.id).status is FindingStatus.OPEN  # type: ignore[union-attr]
