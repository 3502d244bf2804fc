"""Audits of an authority's measures (issue 10, point 5), on SQLite and PostgreSQL.

DOMAIN.md § 7: "The operator may block an authority or a user at any time, contacts an
authority on suspected unlawful retrievals, and audits the authority's measures" (Nds.
NMeldVO § 26, the operator's info sheet) — the authority's duties of § 39 BMG (credentials,
disabling users no longer entitled, access from authorised machines) and § 41 BMG (users
bound to the purpose and instructed). An audit records findings and demanded remedies with
deadlines; each change is one event of the administrative event log, in its transaction; a
remedy open past its deadline is overdue and reported (``audit list --overdue`` exits 1, the
running service logs it and exports a gauge).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from datenspiegel.access import (
    AccessStore,
    Actor,
    AuditStore,
    Behoerdenklasse,
    InvalidAudit,
    NotPermitted,
    RemedyStatus,
    UnknownAudit,
)
from datenspiegel.access.audits import german_day
from datenspiegel.service.overdue_remedies import OverdueRemedies
from tests.cli_registry import Registry, open_registry, register

OPERATOR = Actor.operator("Prüferin Weber")


@pytest.fixture
def registry(
    tmp_path: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Registry:
    opened = open_registry(tmp_path, database_url, capsys, monkeypatch)
    code, _out, err = register(opened, tmp_path)
    assert code == 0, err
    return opened


class Clock:
    """A clock the test sets (the stores take ``clock=``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def audits(database_url: str, clock: Clock) -> AuditStore:
    store = AuditStore(database_url, clock=clock)
    store.migrate()
    AccessStore(engine=store.engine).add_authority(
        kennung="ags:03241001",
        name="Landeshauptstadt Hannover",
        klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
        administrator="Frau Beispiel",
    )
    return store


def _today() -> date:
    return german_day(datetime.now(UTC))


def _events(registry: Registry) -> list[tuple[str, dict[str, object]]]:
    store = registry.store()
    try:
        return [(e.action.value, dict(e.details)) for e in store.admin_events()]
    finally:
        store.dispose()


# -- the CLI, end to end -----------------------------------------------------------------------


def test_an_audit_from_opening_to_closing_each_change_one_event(registry: Registry) -> None:
    """NMeldVO § 26, DOMAIN.md § 7: open, findings, remedies with deadlines, settle, close —
    each one event of the administrative event log, by the operator who acted."""
    deadline = (_today() + timedelta(days=30)).isoformat()
    opened = registry.json(
        "audit",
        "open",
        "--authority",
        "dbs:pd-hannover",
        "--scope",
        "TOM 2026: Belehrungen (§ 41 BMG), Nutzerverwaltung (§ 39 BMG)",
        "--operator",
        "Prüferin Weber",
    )["audit"]
    assert opened["id"] == 1 and opened["status"] == "open"
    assert opened["authority"] == "dbs:pd-hannover"
    assert opened["opened_by"] == "operator Prüferin Weber"

    code, out, err = registry.run(
        "audit", "note", "1", "--text", "2 Nutzer ohne Belehrung seit 2024", "--operator", "P. W."
    )
    assert (code, out) == (0, "finding 1 written to audit 1\n"), err
    first = registry.json(
        "audit",
        "demand",
        "1",
        "--remedy",
        "Belehrung nachholen",
        "--deadline",
        deadline,
        "--operator",
        "Prüferin Weber",
    )["remedy"]
    second = registry.json(
        "audit",
        "demand",
        "1",
        "--remedy",
        "Netze einschränken",
        "--deadline",
        deadline,
        "--operator",
        "Prüferin Weber",
    )["remedy"]
    assert (first["id"], first["deadline"], first["status"]) == (1, deadline, "open")

    # open remedies: closing is refused and changes nothing
    before = _events(registry)
    code, _out, err = registry.run(
        "audit", "close", "1", "--result", "Mängel", "--operator", "Prüferin Weber"
    )
    assert code == 1 and "open remedies (1, 2)" in err
    assert _events(registry) == before

    code, out, err = registry.run(
        "audit",
        "fulfil",
        "1",
        str(first["id"]),
        "--evidence",
        "Schreiben vom 12.05. mit Belehrungsnachweisen",
        "--operator",
        "P. W.",
    )
    assert (code, out) == (0, "fulfilled: remedy 1 of audit 1\n"), err
    code, out, err = registry.run(
        "audit",
        "withdraw",
        "1",
        str(second["id"]),
        "--grund",
        "Netze bereits beim LfD geprüft",
        "--operator",
        "P. W.",
    )
    assert (code, out) == (0, "withdrawn: remedy 2 of audit 1\n"), err
    closed = registry.json(
        "audit", "close", "1", "--result", "Mängel behoben", "--operator", "Prüferin Weber"
    )
    assert closed["audit"]["status"] == "closed" and closed["open_remedies"] == 0

    shown = registry.json("audit", "show", "1")["audit"]
    assert [n["text"] for n in shown["notes"]] == ["2 Nutzer ohne Belehrung seit 2024"]
    assert [(r["status"], r["settled_by"]) for r in shown["remedies"]] == [
        ("fulfilled", "operator P. W."),
        ("withdrawn", "operator P. W."),
    ]
    assert shown["remedies"][0]["settlement"].startswith("Schreiben vom 12.05.")
    assert (shown["result"], shown["closed_by"]) == ("Mängel behoben", "operator Prüferin Weber")

    events = _events(registry)
    assert [action for action, _ in events] == [
        "authority.add",
        "audit.open",
        "audit.note",
        "audit.demand",
        "audit.demand",
        "audit.fulfil",
        "audit.withdraw",
        "audit.close",
    ]
    assert events[1][1]["scope"].startswith("TOM 2026") and events[1][1]["audit_id"] == 1
    assert events[3][1] == {
        "authority_id": 1,
        "audit_id": 1,
        "remedy_id": 1,
        "text": "Belehrung nachholen",
        "deadline": deadline,
    }
    assert events[6][1]["grund"] == "Netze bereits beim LfD geprüft"
    assert events[7][1]["open_remedies"] == []
    # the authority's event listing shows the audit with the registry's other changes
    code, out, _ = registry.run("authority", "events", "--authority", "dbs:pd-hannover")
    assert code == 0 and "audit.close" in out and "by operator Prüferin Weber" in out

    # a closed audit takes no more findings
    code, _out, err = registry.run("audit", "note", "1", "--text", "noch", "--operator", "P. W.")
    assert code == 1 and "was closed on" in err


def test_overdue_remedies_are_reported_and_stay_tracked_after_closing(registry: Registry) -> None:
    """A remedy is due on its deadline and overdue from the next (German) day: ``list
    --overdue`` exits 1 for a cron job; closing the audit with open remedies needs a reason and
    does not discharge them (the authority's duty of § 39 BMG does not end with the audit)."""
    today = _today()
    registry.json(
        "audit", "open", "--authority", "dbs:pd-hannover", "--scope", "TOM", "--operator", "P. W."
    )
    registry.json(
        "audit",
        "demand",
        "1",
        "--remedy",
        "Zertifikat tauschen",
        "--deadline",
        today.isoformat(),
        "--operator",
        "P. W.",
    )
    registry.json(
        "audit",
        "demand",
        "1",
        "--remedy",
        "Belehrung nachholen",
        "--deadline",
        (today + timedelta(days=10)).isoformat(),
        "--operator",
        "P. W.",
    )

    code, out, _ = registry.run("audit", "list", "--overdue")
    assert (code, out) == (0, f"no remedy is overdue on {today.isoformat()}\n")

    later = (today + timedelta(days=12)).isoformat()
    code, out, _ = registry.run("audit", "list", "--overdue", "--as-of", later)
    assert code == 1
    lines = out.splitlines()
    assert "remedy 1" in lines[0] and "12 day(s) overdue: Zertifikat tauschen" in lines[0]
    assert "remedy 2" in lines[1] and "2 day(s) overdue: Belehrung nachholen" in lines[1]
    assert lines[-1] == f"2 remedy(ies) overdue on {later}"
    code, out, _ = registry.run("audit", "list", "--overdue", "--as-of", later, "--json")
    overdue = json.loads(out)["overdue"]
    assert code == 1 and [(o["id"], o["days_overdue"]) for o in overdue] == [(1, 12), (2, 2)]
    assert {o["authority"] for o in overdue} == {"dbs:pd-hannover"}

    code, out, _ = registry.run("audit", "show", "1", "--as-of", later)
    assert code == 0 and "OVERDUE by 12 day(s)" in out and "! 2 remedy(ies) overdue" in out
    code, out, _ = registry.run("audit", "list", "--as-of", later)
    assert code == 0 and "2 open remedies (2 OVERDUE)" in out

    code, _out, err = registry.run(
        "audit",
        "close",
        "1",
        "--result",
        "Mängel",
        "--with-open-remedies",
        "  ",
        "--operator",
        "P. W.",
    )
    assert code == 1 and "why the audit closes with open remedies" in err
    closed = registry.json(
        "audit",
        "close",
        "1",
        "--result",
        "Mängel festgestellt",
        "--with-open-remedies",
        "Nachverfolgung in der Prüfung 2027",
        "--operator",
        "P. W.",
    )
    assert closed["open_remedies"] == 2
    assert closed["audit"]["closed_with_open_remedies"] == "Nachverfolgung in der Prüfung 2027"
    assert _events(registry)[-1][1]["open_remedies"] == [1, 2]

    code, _out, _ = registry.run("audit", "list", "--overdue", "--as-of", later)
    assert code == 1  # still tracked
    code, _out, _ = registry.run(
        "audit", "fulfil", "1", "1", "--evidence", "neues Zertifikat gebunden", "--operator", "P"
    )
    assert code == 0
    code, out, _ = registry.run("audit", "list", "--overdue", "--as-of", later, "--open")
    assert code == 0  # --open: only open audits' remedies, and audit 1 is closed
    code, out, _ = registry.run("audit", "list", "--overdue", "--as-of", later)
    assert code == 1 and "remedy 1 " not in out and out.count("overdue:") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("audit", "note", "9", "--text", "x", "--operator", "P"), "there is no audit 9"),
        (("audit", "fulfil", "1", "7", "--evidence", "x", "--operator", "P"), "no remedy 7"),
        (("audit", "show", "0"), "an audit is a number ≥ 1"),
        (
            ("audit", "open", "--authority", "dbs:nix", "--scope", "x", "--operator", "P"),
            "no authority 'dbs:nix'",
        ),
        (
            (
                "audit",
                "demand",
                "1",
                "--remedy",
                "x",
                "--deadline",
                "31.12.2030",
                "--operator",
                "P",
            ),
            "YYYY-MM-DD",
        ),
        (("audit", "open", "--authority", "dbs:pd-hannover", "--scope", "x"), "--operator"),
        (("audit", "list", "--authority", "dbs:nix"), "no authority 'dbs:nix'"),
    ],
)
def test_a_wrong_command_line_or_unknown_id_is_exit_2_and_changes_nothing(
    registry: Registry, argv: tuple[str, ...], message: str
) -> None:
    registry.json(
        "audit", "open", "--authority", "dbs:pd-hannover", "--scope", "TOM", "--operator", "P"
    )
    before = _events(registry)
    code, out, err = registry.run(*argv)
    assert code == 2 and message in err and out == ""
    assert _events(registry) == before


def test_a_remedy_is_named_within_its_audit(registry: Registry) -> None:
    for scope in ("TOM", "Anlassprüfung"):
        registry.json(
            "audit", "open", "--authority", "dbs:pd-hannover", "--scope", scope, "--operator", "P"
        )
    deadline = (_today() + timedelta(days=3)).isoformat()
    registry.json(
        "audit", "demand", "2", "--remedy", "x", "--deadline", deadline, "--operator", "P"
    )
    code, _out, err = registry.run(
        "audit", "fulfil", "1", "1", "--evidence", "x", "--operator", "P"
    )
    assert code == 2 and "audit 1 has no remedy 1" in err
    past = (_today() - timedelta(days=1)).isoformat()
    code, _out, err = registry.run(
        "audit", "demand", "2", "--remedy", "x", "--deadline", past, "--operator", "P"
    )
    assert code == 1 and "lies in the past" in err


# -- the store, with a clock the test sets -----------------------------------------------------


def test_overdue_is_judged_on_the_german_day(audits: AuditStore, clock: Clock) -> None:
    """A deadline is a German calendar day: 10 March is overdue at 00:30 on 11 March in
    Hannover (23:30 UTC on the 10th), not an hour earlier."""
    audit = audits.open_audit(1, scope="TOM", actor=OPERATOR)
    remedy = audits.demand_remedy(audit.id, text="x", deadline=date(2026, 3, 10), actor=OPERATOR)
    clock.now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Hannover
    assert audits.overdue_remedies(german_day(clock.now)) == []
    clock.now = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th
    [late] = audits.overdue_remedies(german_day(clock.now))
    assert late.remedy == remedy and late.audit.authority_kennung == "ags:03241001"
    assert audits.overdue_summary(date(2026, 3, 11)) == (1, date(2026, 3, 10))
    settled = audits.fulfil_remedy(audit.id, remedy.id, how="Nachweis", actor=OPERATOR)
    assert settled.status is RemedyStatus.FULFILLED and settled.settled_at == clock.now
    assert audits.overdue_summary(date(2026, 3, 11)) == (0, None)
    events = audits.admin_events()
    assert events[-1].details["days_overdue"] == 1  # the event says it came a day late


def test_the_rules_of_an_audit(audits: AuditStore, clock: Clock) -> None:
    audit = audits.open_audit(1, scope="TOM", actor=OPERATOR)
    with pytest.raises(InvalidAudit, match="lies in the past"):
        audits.demand_remedy(audit.id, text="x", deadline=date(2026, 3, 1), actor=OPERATOR)
    remedy = audits.demand_remedy(audit.id, text="x", deadline=date(2026, 3, 2), actor=OPERATOR)
    audits.withdraw_remedy(audit.id, remedy.id, grund="entfällt", actor=OPERATOR)
    with pytest.raises(InvalidAudit, match="already withdrawn"):
        audits.fulfil_remedy(audit.id, remedy.id, how="x", actor=OPERATOR)
    with pytest.raises(InvalidAudit, match="non-empty"):
        audits.add_note(audit.id, text="   ", actor=OPERATOR)
    with pytest.raises(UnknownAudit):
        audits.add_note(99, text="x", actor=OPERATOR)
    # § 39 BMG, NMeldVO § 26: the authority's administrator manages its users, it does not
    # audit itself
    admin = Actor.administrator(user_id=1, kennung="ADM", authority_kennung="ags:03241001")
    with pytest.raises(NotPermitted):
        audits.add_note(audit.id, text="x", actor=admin)
    before = len(audits.admin_events())
    closed = audits.close_audit(audit.id, result="ohne Befund", actor=OPERATOR)
    assert closed.closed_at == clock.now and closed.closed_with_open_remedies is None
    with pytest.raises(InvalidAudit, match="cannot be closed again"):
        audits.close_audit(audit.id, result="x", actor=OPERATOR)
    assert len(audits.admin_events()) == before + 1
    assert [a.id for a in audits.audits(open_only=True)] == []
    assert [f.audit.id for f in audits.audit_files(1)] == [audit.id]


def test_a_change_whose_event_fails_is_not_made(
    audits: AuditStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change and its event commit together or not at all (access/admin_log.py)."""

    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("event log unavailable")

    monkeypatch.setattr("datenspiegel.access._base.append_event", broken)
    with pytest.raises(RuntimeError):
        audits.open_audit(1, scope="TOM", actor=OPERATOR)
    assert audits.audits() == []


# -- the running service -----------------------------------------------------------------------


def test_the_service_reports_overdue_remedies(
    audits: AuditStore, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    audit = audits.open_audit(1, scope="TOM", actor=OPERATOR)
    audits.demand_remedy(audit.id, text="x", deadline=date(2026, 3, 5), actor=OPERATOR)
    audits.demand_remedy(audit.id, text="y", deadline=date(2026, 3, 20), actor=OPERATOR)
    watch = OverdueRemedies(audits, clock=lambda: datetime(2026, 3, 7, 11, tzinfo=UTC))
    count, oldest, passed = watch.summary()
    assert (count, oldest) == (1, date(2026, 3, 5))
    assert passed == pytest.approx(36 * 3600)  # since midnight 6 March in Hannover (CET)
    families = {f.name: f.samples[0].value for f in watch.collect()}
    assert families == {
        "datenspiegel_audit_remedies_overdue": 1,
        "datenspiegel_audit_remedies_overdue_oldest_seconds": pytest.approx(36 * 3600),
    }
    with caplog.at_level(logging.WARNING, logger="datenspiegel.service.overdue_remedies"):
        assert watch.check() == 1
    assert "1 remedy(ies) demanded in audits of authorities are past their deadline" in caplog.text
    assert "ags:03241001" not in caplog.text


def test_nothing_overdue_is_quiet_and_an_unreadable_database_fails_nothing(
    audits: AuditStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watch = OverdueRemedies(audits, clock=lambda: datetime(2026, 3, 7, tzinfo=UTC))
    with caplog.at_level(logging.WARNING):
        assert watch.check() == 0
    assert caplog.text == ""
    broken = AuditStore(f"sqlite:///{tmp_path / 'missing' / 'broker.sqlite'}")
    blind = OverdueRemedies(broken, clock=lambda: datetime(2026, 3, 7, tzinfo=UTC))
    assert list(blind.collect()) == []
    with caplog.at_level(logging.WARNING):
        assert blind.check() == -1
    assert "could not be counted" in caplog.text
