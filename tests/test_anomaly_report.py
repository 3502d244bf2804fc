"""The anomaly report (issue 10, point 4): its figures against counts made independently here,
from simulated traffic read back from a real protocol store on SQLite and PostgreSQL; the HTML
page self-contained, escaped and well-formed; the JSON form round-trips; the page rendered in
headless Chromium (screenshot, no console error); ``anomalies report`` as the operator runs
it, every read of the protocol logged (DOMAIN.md § 6)."""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import re
import shutil
import stat
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import lxml.html
import pytest

from datenspiegel.fixtures.misuse import Simulation, simulate
from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.anomalies import (
    AnomalyConfig,
    Context,
    Finding,
    daily_history,
    evaluate,
    read_records,
)
from datenspiegel.protocol.anomalies.report import (
    ReportBuilder,
    ReportOptions,
    build_report,
    period_of_days,
)
from datenspiegel.protocol.anomalies.report_html import render_html
from datenspiegel.protocol.anomalies.report_model import ReportData
from datenspiegel.protocol.anomalies.report_svg import classes
from datenspiegel.protocol.anomalies.store import FindingStatus, FindingStore
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore, _record_row
from datenspiegel.service.cli_access import UsageError
from datenspiegel.service.cli_anomalies_report import add_report_command, parse_period
from tests.browser import headless_chromium, png_colours, png_size
from tests.protocol_reading import make_data_dir, open_protocol

BERLIN = ZoneInfo("Europe/Berlin")
#: Two weeks with Easter (Good Friday 3 April, Easter Monday 6 April), after a week of warm-up
PERIOD = period_of_days(date(2026, 3, 30), date(2026, 4, 12))
READER = "Dana Schutz"
GENERATED = datetime(2026, 4, 13, 7, 30, tzinfo=UTC)
SOURCE = "Evaluated from the simulated records (datenspiegel.fixtures.misuse)."
#: Set to a folder to keep the browser's screenshot there (docs/images for the README). Not
#: DATENSPIEGEL_*: the service refuses unknown variables of its own prefix (tests/conftest.py).
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    return simulate(weeks=3, seed=1, users=60)


@pytest.fixture(scope="module")
def findings(simulation: Simulation) -> list[Finding]:
    context = simulation.context(since=PERIOD.since, until=PERIOD.until)
    return evaluate(simulation.records, context=context, config=simulation.config())


@pytest.fixture(scope="module")
def report(simulation: Simulation, findings: list[Finding]) -> ReportData:
    return build_report(
        simulation.records,
        period=PERIOD,
        findings=findings,
        reader=READER,
        purpose="datenschutzkontrolle",
        generated_at=GENERATED,
        findings_source=SOURCE,
    )


@pytest.fixture(scope="module")
def page(report: ReportData) -> str:
    return render_html(report)


def _fill(store: ProtocolStore, records: Sequence[ProtocolRecord]) -> None:
    """The records in the store's own row form, in bulk (as bench.anomalies does): appending
    them one durable transaction each is the broker's path, tested elsewhere, and slow."""
    for start in range(0, len(records), 5000):
        rows = [_record_row(r, store.record_key) for r in records[start : start + 5000]]
        with store.engine.begin() as conn:
            conn.execute(records_table.insert(), rows)


# -- the figures, counted independently ----------------------------------------------------


def _authority_key(record: ProtocolRecord) -> str | None:
    if record.authority_id is not None:
        return f"authority:{record.authority_id}"
    return f"authority:{record.authority_kennung}" if record.authority_kennung else None


def _counts(records: Sequence[ProtocolRecord], read_since: datetime) -> dict[str, Counter[Any]]:
    """Per authority: weekday × hour and day; per user: records — straight from the records'
    times in Hannover, repeated answers (duplicates) left out."""
    heat: Counter[Any] = Counter()
    days: Counter[Any] = Counter()
    users: Counter[Any] = Counter()
    for record in records:
        key = _authority_key(record)
        if record.outcome is Outcome.DUPLICATE or key is None:
            continue
        local = record.received_at.astimezone(BERLIN)
        if read_since <= record.received_at < PERIOD.until:
            days[(key, local.date())] += 1
        if PERIOD.since <= record.received_at < PERIOD.until:
            heat[(key, local.weekday(), local.hour)] += 1
            # a security authority's metadata-only record names its user by a pseudonym only
            user = record.user_id if record.user_id is not None else record.user_kennung
            if user is not None:
                users[f"{key}/user:{user}"] += 1
    return {"heat": heat, "days": days, "users": users}


_NI = holidays.Germany(subdiv="NI")


def _off(day: date) -> bool:
    return day.weekday() >= 5 or day in _NI


def _expected_band(days: Counter[Any], key: str, day: date) -> tuple[float, float, float] | None:
    """Median and MAD band of the days with records of the same kind (working / off) among
    the 28 before ``day``: None with fewer than 5 of them."""
    values = [
        days[(key, earlier)]
        for earlier in (day - timedelta(days=n) for n in range(1, 29))
        if days[(key, earlier)] > 0 and _off(earlier) == _off(day)
    ]
    if len(values) < 5:
        return None
    median = statistics.median(values)
    spread = 3 * 1.4826 * statistics.median(abs(v - median) for v in values)
    return median, max(0.0, median - spread), median + spread


def test_every_chart_shows_what_an_independent_count_of_the_records_gives(
    simulation: Simulation, report: ReportData
) -> None:
    read_since = ReportBuilder(PERIOD).read_since
    counted = _counts(simulation.records, read_since)
    heat, days = counted["heat"], counted["days"]
    assert {a.key for a in report.authorities} == {k for k, _d, _h in heat}
    bands = above = 0
    for authority in report.authorities:
        for weekday, row in enumerate(authority.heat_map.counts):
            assert list(row) == [heat[(authority.key, weekday, hour)] for hour in range(24)]
        assert authority.records == authority.heat_map.total
        assert [p.day for p in authority.days] == [
            PERIOD.first_day + timedelta(days=n) for n in range(PERIOD.days)
        ]
        for point in authority.days:
            assert point.records == days[(authority.key, point.day)]
            assert (point.off_day is not None) == _off(point.day)
            expected = _expected_band(days, authority.key, point.day)
            if expected is None:
                assert point.band is None
                continue
            assert point.band is not None
            assert (point.band.median, point.band.low, point.band.high) == pytest.approx(expected)
            assert point.above_band == (point.records > expected[2])
            bands += 1
            above += point.above_band
    # not vacuous: bands were drawn, and the injected bursts lie above some
    assert bands > 100 and above >= 3
    all_records = sum(a.records for a in report.authorities)
    assert report.overall.total == all_records + _unattributed_activity(simulation)
    # the busiest users, busiest first, ties by key
    ranked = sorted(counted["users"].items(), key=lambda item: (-item[1], item[0]))
    assert [(u.key, u.records) for u in report.top_users] == ranked[:20]
    assert [u.records for u in report.top_users] == sorted(
        (u.records for u in report.top_users), reverse=True
    )


def _unattributed_activity(simulation: Simulation) -> int:
    return sum(
        1
        for r in simulation.records
        if PERIOD.since <= r.received_at < PERIOD.until
        and r.outcome is not Outcome.DUPLICATE
        and _authority_key(r) is None
    )


def test_the_record_counts_of_the_header(simulation: Simulation, report: ReportData) -> None:
    in_period = [r for r in simulation.records if PERIOD.since <= r.received_at < PERIOD.until]
    counts = report.counts
    assert counts.read == len(simulation.records)  # the simulation starts within 28 days
    assert counts.in_period == len(in_period)
    assert counts.duplicates == sum(r.outcome is Outcome.DUPLICATE for r in in_period)
    assert counts.security == sum(r.sicherheitsbehoerde for r in in_period)
    assert counts.metadata_only == sum(not r.content_recorded for r in in_period)
    assert counts.unattributed == sum(_authority_key(r) is None for r in in_period)
    assert counts.duplicates and counts.security and counts.unattributed


def test_the_report_of_a_real_store_is_the_report_of_its_records_and_each_read_is_logged(
    database_url: str, simulation: Simulation, findings: list[Finding], report: ReportData
) -> None:
    store = ProtocolStore(database_url)
    store.migrate()
    try:
        _fill(store, simulation.records)
        builder = ReportBuilder(PERIOD)
        read = builder.add_all(
            read_records(store, since=builder.read_since, until=PERIOD.until, reader=READER)
        )
        assert read == len(simulation.records)
        from_store = builder.build(
            findings,
            reader=READER,
            purpose="datenschutzkontrolle",
            generated_at=GENERATED,
            findings_source=SOURCE,
        )
        assert from_store == report
        logged = [r for r in store.reads(limit=100) if r.reader == READER]
        assert logged and {r.purpose for r in logged} == {ReadPurpose.DATENSCHUTZKONTROLLE}
        assert {i for r in logged for i in r.record_ids} == {
            r.record_id for r in simulation.records
        }
    finally:
        store.close()


# -- findings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stored:
    """What the findings store hands out, as far as the report reads it."""

    id: int
    finding: Finding
    status: str


def test_every_open_finding_is_listed_with_its_explanation_the_most_severe_first(
    findings: list[Finding], report: ReportData, page: str
) -> None:
    assert len(findings) > 20
    assert [f.key for f in report.findings] == [
        f.key for f in sorted(findings, key=lambda f: (-f.severity.rank, f.window_start, f.key))
    ]
    assert {f.status for f in report.findings} == {"unreviewed"}
    for finding in findings:
        assert html.escape(finding.explanation, quote=True) in page
    by_key = {f.key: f for f in report.findings}
    for finding in findings:
        shown = by_key[finding.key]
        assert shown.explanation == finding.explanation
        assert shown.record_count == finding.record_count
        assert shown.record_ids == finding.record_ids[:10]
    per_authority = Counter(f.authority_key for f in report.findings if f.authority_key)
    assert {a.key: a.open_findings for a in report.authorities if a.open_findings} == dict(
        per_authority
    )
    # authorities with open findings first, the most severe first
    ranks = [
        {"low": 1, "medium": 2, "high": 3, "critical": 4}.get(a.top_severity or "", 0)
        for a in report.authorities
    ]
    assert ranks == sorted(ranks, reverse=True)


def test_closed_findings_are_counted_not_listed_and_review_states_are_shown(
    simulation: Simulation, findings: list[Finding]
) -> None:
    states = ["open", "in_review", "authority_asked", "confirmed", "dismissed"]
    stored = [_Stored(100 + n, f, states[n % 5]) for n, f in enumerate(findings)]
    report = build_report(
        simulation.records,
        period=PERIOD,
        findings=stored,
        reader=READER,
        purpose="datenschutzkontrolle",
        generated_at=GENERATED,
        findings_source="From the findings store.",
    )
    listed = {f.id: f.status for f in report.findings}
    assert listed == {str(s.id): s.status for s in stored if s.status not in states[3:]}
    assert {(s.status, s.findings) for s in report.statuses} == set(
        Counter(s.status for s in stored).items()
    )
    page = render_html(report)
    assert "in review" in page and "authority asked" in page
    assert re.search(r"Closed findings</dt><dd>\d+ confirmed, \d+ dismissed", page)


def test_security_authorities_appear_by_metadata_only(
    simulation: Simulation, report: ReportData, page: str
) -> None:
    text = page + json.dumps(report.as_json(), ensure_ascii=False)
    secret = [
        r
        for r in simulation.records
        if r.sicherheitsbehoerde and PERIOD.since <= r.received_at < PERIOD.until
    ]
    kept = [r for r in secret if r.content_recorded]
    assert kept and any(not r.content_recorded for r in secret)  # both kinds are there
    # persons a public body looked up too may be named by the public body's findings
    public = {p for r in simulation.records if not r.sicherheitsbehoerde for p in r.hits}
    numbers = set(re.findall(r"\d+", text))
    for record in kept:  # commissioned logging: the content exists, the report shows none
        assert record.aktenzeichen and record.aktenzeichen not in text
        for value in record.search_data.values():
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):  # birth dates
                assert str(value) not in text
        assert not {str(p) for p in record.hits if p not in public} & numbers
    security = {_authority_key(r) for r in secret}
    for finding in report.findings:
        if finding.authority_key in security:
            assert finding.kind not in {
                "repeat_person_user",
                "repeat_person_authorities",
                "broad_freie_suche",
                "decoy",
            }
    assert {a.key for a in report.authorities if a.sicherheitsbehoerde} == security
    # marked "metadata only": those that log their own retrievals, not the commissioning ones
    own = {_authority_key(r) for r in secret if not r.content_recorded}
    assert {a.key for a in report.authorities if a.metadata_only} == own
    assert own and own != security


# -- the page and the JSON form -----------------------------------------------------------


def test_the_page_is_self_contained_and_well_formed(report: ReportData, page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert re.findall(r"https?://[^\s\"'<>]*", page) == [SVG_NAMESPACE] * page.count(SVG_NAMESPACE)
    document = lxml.html.document_fromstring(page)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.split("}")[-1] not in {"script", "link", "img", "iframe", "object"}
        assert "src" not in element.attrib and "href" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
    policy = document.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert policy and policy[0].startswith("default-src 'none'")
    charts = document.xpath('//*[local-name()="svg" and contains(@class, "chart")]')
    assert len(charts) == 2 * (report.charted + 1)
    for chart in charts:
        assert chart.get("role") == "img"
        titles = chart.xpath('./*[local-name()="title"]')
        assert titles and titles[0].text_content().strip()
        assert chart.xpath('./*[local-name()="desc"]')
    assert document.xpath("//table/caption") and document.xpath("//th[@scope='col']")
    # every day is in the daily charts, every weekday × hour in the heat maps
    heat = '//*[local-name()="svg" and contains(@class, "heat")]'
    cells = document.xpath(heat + '//*[local-name()="rect"]/*[local-name()="title"]')
    assert len(cells) == 168 * (report.charted + 1)


def test_text_from_the_protocol_cannot_add_markup(simulation: Simulation) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    records = [
        replace(r, authority_name=hostile, authority_kennung=f"dbs:{hostile}")
        if r.authority_id == 1
        else r
        for r in simulation.records
    ]
    finding = next(f for f in evaluate(records) if f.subject.authority_id == 1)
    finding = replace(finding, explanation=f"measured {hostile}")
    report = build_report(
        records,
        period=PERIOD,
        findings=[finding],
        reader=f"Prüferin {hostile}",
        purpose="datenschutzkontrolle",
        generated_at=GENERATED,
        findings_source=hostile,
    )
    page = render_html(report)
    document = lxml.html.document_fromstring(page)
    assert not document.xpath("//script | //img | //*[@onerror]")
    assert hostile in document.text_content()


def test_the_json_form_round_trips(report: ReportData) -> None:
    text = json.dumps(report.as_json(), ensure_ascii=False)
    assert ReportData.from_json(json.loads(text)) == report
    data = json.loads(text)
    assert data["format"] == "datenspiegel-anomaly-report/1"
    assert data["period"]["first_day"] == "2026-03-30"
    assert len(data["authorities"][0]["heat_map"]["counts"]) == 7
    with pytest.raises(ValueError):
        ReportData.from_json({**data, "format": "something else"})


def test_the_heat_map_classes_cover_every_count_once() -> None:
    for peak in (1, 2, 5, 6, 7, 12, 60, 177, 400, 12_345):
        found = classes(peak)
        assert 1 <= len(found) <= 6
        assert found[0][0] == 1 and found[-1][1] == peak
        for (_low, high, _c), (low, _high, _c2) in itertools.pairwise(found):
            assert low == high + 1
        assert len({c for _l, _h, c in found}) == len(found)  # distinct colours
    assert classes(0) == []


def test_options_and_periods_are_checked() -> None:
    with pytest.raises(ValueError):
        ReportOptions(band_min_days=30)
    with pytest.raises(ValueError):
        period_of_days(date(2026, 4, 2), date(2026, 4, 1))
    assert parse_period("2026-11") == (date(2026, 11, 1), date(2026, 11, 30))
    assert parse_period("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    assert parse_period("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert parse_period("2026-11-05") == (date(2026, 11, 5), date(2026, 11, 5))
    assert parse_period("2026-11-01..2026-11-30") == (date(2026, 11, 1), date(2026, 11, 30))
    for wrong in ("2026-13", "November", "2026-11-30..2026-11-01", "2026-11-01..", ""):
        with pytest.raises(UsageError):
            parse_period(wrong)
    # a day of summer time: from 22:00 UTC the day before
    summer = period_of_days(date(2026, 7, 1), date(2026, 7, 1))
    assert (summer.since, summer.until) == (
        datetime(2026, 6, 30, 22, tzinfo=UTC),
        datetime(2026, 7, 1, 22, tzinfo=UTC),
    )


# -- in the browser -------------------------------------------------------------------------


def test_the_page_renders_in_headless_chromium_without_errors(
    page: str, report: ReportData, tmp_path: Path
) -> None:
    path = tmp_path / "anomaly-report.html"
    path.write_text(page, encoding="utf-8")
    shot = tmp_path / "anomaly-report.png"
    with headless_chromium(tmp_path / "profile", height=1880) as browser:
        browser.get(path.as_uri())
        assert browser.execute_script("return document.readyState") == "complete"
        assert browser.title.startswith("Anomaly report 2026-03-30")
        sizes = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg.chart'), s => {"
            " const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert len(sizes) == 2 * (report.charted + 1)
        assert all(width > 100 and height > 80 for width, height in sizes), sizes
        # nothing was fetched: no fonts, images or scripts from anywhere
        assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
        assert browser.save_screenshot(str(shot))
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        data = shot.read_bytes()
        assert png_size(data) == (1280, 1880)
        assert png_colours(browser, data) > 50  # charts in colour, not a blank page
    if SCREENSHOT_DIR:
        target = Path(SCREENSHOT_DIR)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target / shot.name)


# -- the command ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data_dir(tmp_path_factory)


def _report_command(*argv: str) -> int:
    """``datenspiegel anomalies report ARGV`` on a parser of its own (the ``anomalies`` group
    of service/cli.py adds the same command)."""
    parser = argparse.ArgumentParser(prog="datenspiegel")
    commands = parser.add_subparsers(dest="command", required=True)
    anomalies = commands.add_parser("anomalies")
    add_report_command(anomalies.add_subparsers(dest="anomalies_command", required=True))
    args = parser.parse_args(["anomalies", "report", *argv])
    return int(args.func(args))


def test_the_command_writes_the_page_and_logs_every_read(
    data_dir: Path,
    database_url: str,
    simulation: Simulation,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_protocol(data_dir, database_url, capsys, monkeypatch) as protocol:
        _fill(protocol.store, simulation.records)
        page = tmp_path / "report.html"
        argv = ["--data-dir", str(data_dir), "--period", "2026-03-30..2026-04-12"]
        assert _report_command(*argv, "--reader", READER, "--evaluate", "--output", str(page)) == 0
        assert "written to" in capsys.readouterr().out
        logged = [r for r in protocol.store.reads(limit=100) if r.reader == READER]
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    # what the command found: the default thresholds, the history of the records
    expected = evaluate(
        simulation.records,
        context=Context(
            since=PERIOD.since, until=PERIOD.until, history=daily_history(simulation.records)
        ),
        config=AnomalyConfig(),
    )
    document = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
    rows = document.xpath('//table[contains(@class, "findings")]/tbody/tr')
    assert len(rows) == len(expected) > 20
    shown = " ".join(row.text_content() for row in rows)
    for finding in expected:
        assert finding.explanation in shown
    assert shown.count("not yet reviewed") == len(expected)
    assert f"{READER}, datenschutzkontrolle" in document.text_content()
    # counted, then evaluated as `anomalies scan` does: each page a logged read for
    # data-protection control, by this command
    assert {r.purpose for r in logged} == {ReadPurpose.DATENSCHUTZKONTROLLE}
    assert {r.query["context"]["command"] for r in logged} == {"datenspiegel anomalies report"}
    assert {r.query["context"]["pass"] for r in logged} == {"count", "evaluate"}
    assert {i for r in logged for i in r.record_ids} == {r.record_id for r in simulation.records}


def test_the_command_lists_the_findings_store_with_its_review_states(
    data_dir: Path,
    simulation: Simulation,
    findings: list[Finding],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"
    with open_protocol(data_dir, url, capsys, monkeypatch) as protocol:
        _fill(protocol.store, simulation.records)
        stored = FindingStore(engine=protocol.store.engine)
        kept = stored.upsert(findings, at=GENERATED)
        dismissed = kept[0]
        stored.resolve(
            dismissed.id,
            status=FindingStatus.DISMISSED,
            reviewer="Dana Schutz",
            note="explained by the authority",
            at=GENERATED,
        )
        out = tmp_path / "report.json"
        argv = ["--data-dir", str(data_dir), "--period", "2026-03-30..2026-04-12"]
        argv += ["--reader", READER, "--format", "json", "--output", str(out)]
        assert _report_command(*argv) == 0
        report = ReportData.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert {f.id for f in report.findings} == {str(s.id) for s in kept[1:]}
    assert {f.status for f in report.findings} == {"open"}
    assert ("dismissed", 1) in {(s.status, s.findings) for s in report.statuses}
    assert "From the findings store" in report.findings_source
    assert "not been evaluated yet" in report.findings_source  # nothing moved the watermark


def test_a_reader_without_the_role_reads_nothing_and_the_attempt_is_recorded(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"
    with open_protocol(data_dir, url, capsys, monkeypatch) as protocol:
        protocol.append()
        out = tmp_path / "report.html"
        argv = ["--data-dir", str(data_dir), "--period", "2026-03", "--output", str(out)]
        assert _report_command(*argv, "--reader", "Betrieb Schulz") == 1
        assert "refused" in capsys.readouterr().err
        assert not out.exists()
        (attempt,) = protocol.store.reads(limit=10)
        assert attempt.refused and attempt.reader == "Betrieb Schulz" and not attempt.record_ids
        assert attempt.query["context"]["command"] == "datenspiegel anomalies report"
        # a wrong period is a usage error, before anything is read
        assert _report_command(*argv[:2], "--period", "2026-13", "--reader", READER) == 2
        assert _report_command(*argv[:2], "--reader", READER) == 2
        assert len(protocol.store.reads(limit=10)) == 1
