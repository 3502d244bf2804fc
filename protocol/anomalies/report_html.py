"""The anomaly report as one self-contained, printable HTML page (issue 10, point 4).

One file: its style inline, its charts inline SVG (:mod:`report_svg`), no script, nothing
loaded from anywhere — its Content-Security-Policy forbids every fetch, so the page shows the
same on an operator's air-gapped desk as in the test suite's headless Chromium. Every text that
comes from the protocol or a finding is escaped. Printed on A4, each authority's charts stay on
one page, tables repeat their header, and colours are printed as they are (the charts do not
depend on the browser's "background graphics" setting: they are SVG fills).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from datenspiegel.protocol.anomalies.report_model import (
    AuthorityReport,
    ReportData,
    ReportFinding,
    UserReport,
)
from datenspiegel.protocol.anomalies.report_svg import BAR, daily_svg, heat_map_svg

__all__ = ["render_html"]

#: Record ids shown per finding (the JSON form has more: ReportOptions.evidence).
_IDS_SHOWN = 3

_STATUS_TEXT = {
    "unreviewed": "not yet reviewed",
    "open": "open",
    "in_review": "in review",
    "authority_asked": "authority asked",
    "confirmed": "confirmed",
    "dismissed": "dismissed",
}

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --soft: #f3f3f3; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'Liberation Sans', 'DejaVu Sans', Arial, Helvetica, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px 28px 40px;
  font-size: 14px; line-height: 1.45; background: #fff; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 18px; margin: 30px 0 8px; padding-bottom: 3px;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 0 0 2px; }
p { margin: 4px 0 8px; }
.sub { color: var(--muted); margin: 0 0 14px; font-size: 15px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 14px; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 6px; }
.tile { border: 1px solid var(--rule); border-top: 4px solid var(--ink); padding: 6px 12px 8px;
  min-width: 130px; }
.tile b { display: block; font-size: 22px; }
.tile span { color: var(--muted); font-size: 12px; }
.how { border: 1px solid var(--rule); padding: 8px 14px; margin: 8px 0; }
.how h2 { border: 0; margin: 4px 0; font-size: 16px; }
.how ul { margin: 4px 0; padding-left: 20px; }
.how li { margin: 3px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 12.5px; }
caption { text-align: left; font-weight: bold; padding: 2px 0 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-size: 12px; }
tbody th { font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.when { white-space: nowrap; }
.sev { font-weight: bold; text-transform: uppercase; font-size: 11px; letter-spacing: .03em;
  border-left: 5px solid; padding-left: 5px; white-space: nowrap; }
.sev-low { border-color: #969696; color: #444; }
.sev-medium { border-color: #fd8d3c; color: #8c3a00; }
.sev-high { border-color: #e31a1c; color: #a50f15; }
.sev-critical { border-color: #67000d; color: #67000d; background: #fee0d2; }
.kind { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 11.5px; }
.ids { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 10.5px;
  color: var(--muted); word-break: break-all; }
.badge { display: inline-block; border: 1px solid var(--ink); border-radius: 3px;
  font-size: 11px; padding: 0 5px; margin-left: 6px; vertical-align: 2px; font-weight: normal; }
.charts { display: grid; grid-template-columns: 354fr 440fr; gap: 8px 22px; align-items: start;
  margin-top: 6px; }
.charts figure { margin: 0; }
.charts figcaption { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
svg.chart { width: 100%; height: auto; display: block; }
article.authority { border-top: 1px solid var(--rule); padding: 12px 0 8px; }
.meta { color: var(--muted); font-size: 12.5px; margin: 0 0 4px; }
.none { color: var(--muted); font-style: italic; }
.barcell { width: 140px; }
td.authority { white-space: nowrap; }
table.findings { table-layout: fixed; }
col.c-sev { width: 132px; } col.c-subject { width: 17%; } col.c-when { width: 128px; }
col.c-num { width: 62px; } col.c-status { width: 96px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { margin-top: 30px; border-top: 1px solid var(--rule); padding-top: 6px;
  color: var(--muted); font-size: 11.5px; }
@media screen and (max-width: 760px) { .charts { grid-template-columns: 1fr; } }
@page { size: A4; margin: 13mm 11mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  section.part { break-before: page; }
  article.authority, .how, figure, tr { break-inside: avoid; }
  .tiles { break-inside: avoid; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def _window(f: ReportFinding, zone: ZoneInfo) -> str:
    """The finding's window in local time, as HTML (escaped)."""
    start, end = _local(f.window_start, zone), _local(f.window_end, zone)
    if start.date() == end.date():
        if start.strftime("%H:%M") == end.strftime("%H:%M"):
            return f"{_e(f'{start:%Y-%m-%d}')}<br>{_e(f'{start:%H:%M}')}"
        return f"{_e(f'{start:%Y-%m-%d}')}<br>{_e(f'{start:%H:%M}–{end:%H:%M}')}"
    return f"{_e(f'{start:%Y-%m-%d %H:%M}')} –<br>{_e(f'{end:%Y-%m-%d %H:%M}')}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "—"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _tile(value: object, label: str) -> str:
    return f'<div class="tile"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def render_html(report: ReportData) -> str:
    """The report (see the module docstring) as the text of one HTML file."""
    zone = ZoneInfo(report.period.timezone)
    period = report.period
    span = f"{period.first_day.isoformat()} – {period.last_day.isoformat()}"
    body = [
        _header(report, zone, span),
        _how_to_read(report),
        _overview(report),
        _authorities(report),
        _users(report),
        _findings(report, zone),
        _footer(report),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Anomaly report {_e(span)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _header(r: ReportData, zone: ZoneInfo, span: str) -> str:
    c = r.counts
    generated = _local(r.generated_at, zone)
    severities: dict[str, int] = {}
    for f in r.findings:
        severities[f.severity] = severities.get(f.severity, 0) + 1
    by_severity = ", ".join(
        f"{severities[s]} {s}" for s in ("critical", "high", "medium", "low") if s in severities
    )
    closed = [s for s in r.statuses if s.status not in {f.status for f in r.findings}]
    facts = [
        (
            "Period",
            f"{span} ({r.period.days} days, local time {r.period.timezone}; "
            f"{r.period.since:%Y-%m-%d %H:%M} – {r.period.until:%Y-%m-%d %H:%M} UTC)",
        ),
        ("Generated", f"{generated:%Y-%m-%d %H:%M} local time"),
        (
            "Reader, purpose",
            f"{r.reader}, {r.purpose} (§ 40 BMG) — this read of the protocol is logged",
        ),
        (
            "Records",
            f"{_number(c.in_period)} in the period ({_number(c.security)} of security "
            f"authorities, {_number(c.metadata_only)} metadata only, {_number(c.duplicates)} "
            f"repeated answers, {_number(c.unattributed)} without a verified sender); "
            f"{_number(c.read)} read including the {r.baseline_days} days before for the bands",
        ),
        ("Findings", r.findings_source),
    ]
    if closed:
        facts.append(
            (
                "Closed findings",
                ", ".join(f"{s.findings} {_STATUS_TEXT.get(s.status, s.status)}" for s in closed),
            )
        )
    tiles = [
        _tile(_number(c.in_period), "records in the period"),
        _tile(c.authorities, "authorities"),
        _tile(c.users, "users"),
        _tile(len(r.findings), "open findings" + (f": {by_severity}" if by_severity else "")),
    ]
    return (
        "<header>\n<h1>Protocol review — anomaly report</h1>\n"
        f'<p class="sub">§ 40 BMG protocol of the residents\' register mirror, {_e(span)}</p>\n'
        '<dl class="facts">'
        + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
        + '</dl>\n<div class="tiles">'
        + "".join(tiles)
        + "</div>\n</header>"
    )


def _how_to_read(r: ReportData) -> str:
    office = f"{r.night_end_hour:02d}:00–{r.night_start_hour:02d}:00"
    items = [
        "<b>Hour × weekday.</b> One row per weekday (Monday on top), one column per hour of "
        "local time; the darker a cell, the more records in that hour over the whole period, "
        "white is none. Each map has its own classes (its legend), growing roughly "
        "geometrically, so that a few records at night show as clearly as the busy hours. "
        f"The dashed frame is office time, Monday to Friday {office}: whatever lies outside "
        "is nights and weekends (public holidays count on their weekday here).",
        "<b>Daily volume and band.</b> A bar per day. The grey band is the usual volume of "
        f"such a day, learnt from the {r.baseline_days} days before it — a working day from "
        "the working days, a weekend day or public holiday from those — as the median (black "
        f"line) ± {r.band_k:g} × 1.4826 × MAD of the days with records: a spread a few unusual "
        "days do not widen. An orange bar with a triangle and its count lies above the band. "
        "Weekends and holidays are shaded, their dates in italics; where there is too little "
        "history of that kind of day, no band is drawn.",
        "<b>Users.</b> The busiest users of the period. For security authorities the user "
        "is shown as recorded, a pseudonym where the authority logs its own retrievals.",
        "<b>Findings.</b> Each names its subject, its time window and explains itself with "
        "the measured value and the threshold (docs/anomalies.md). Record ids can be opened "
        "with <code>datenspiegel protocol show</code> (a logged read).",
        "<b>Metadata only.</b> The report counts; it shows nothing that was asked or found. "
        "Security authorities' retrievals are judged by metadata only (§ 40 Abs. 3 BMG).",
    ]
    return (
        '<section class="how" aria-labelledby="how">\n<h2 id="how">How to read this report</h2>\n'
        "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>\n"
        "<p>It names users of authorities (Kennungen, pseudonyms): keep it with the files of "
        "the data-protection control.</p>\n</section>"
    )


def _findings(r: ReportData, zone: ZoneInfo) -> str:
    head = (
        '<section class="part findings" aria-labelledby="findings">\n'
        '<h2 id="findings">Open findings</h2>\n'
    )
    if not r.findings:
        return head + f'<p class="none">No open findings. {_e(r.findings_source)}</p>\n</section>'
    rows = []
    for f in r.findings:
        shown = f.record_ids[:_IDS_SHOWN]
        ids = ", ".join(shown)
        more = f.record_count - len(shown)
        if more > 0:
            ids += f" and {more} more"
        ident = f'<br><span class="ids">{_e(f.id)}</span>' if f.id else ""
        rows.append(
            "<tr>"
            f'<td><span class="sev sev-{_e(f.severity)}">{_e(f.severity)}</span><br>'
            f'<span class="kind">{_e(f.kind)}</span></td>'
            f"<td>{_e(f.subject)}</td>"
            f'<td class="when">{_window(f, zone)}</td>'
            f'<td>{_e(f.explanation)}<br><span class="ids">{_e(ids)}</span></td>'
            f'<td class="num">{f.record_count}</td>'
            f"<td>{_e(_STATUS_TEXT.get(f.status, f.status))}{ident}</td>"
            "</tr>"
        )
    return (
        head
        + f"<p>{len(r.findings)} finding(s) not yet closed, the most severe first. "
        + f"{_e(r.findings_source)}</p>\n"
        + '<table class="findings"><caption>Open findings of the period</caption>'
        + '<colgroup><col class="c-sev"><col class="c-subject"><col class="c-when">'
        + '<col><col class="c-num"><col class="c-status"></colgroup><thead><tr>'
        + '<th scope="col">severity, detector</th><th scope="col">subject</th>'
        + '<th scope="col">when (local)</th><th scope="col">explanation, first records</th>'
        + '<th scope="col" class="num">records</th><th scope="col">status</th>'
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n</section>"
    )


def _charts(
    r: ReportData, heat_title: str, daily_title: str, ident: str, a: AuthorityReport | None
) -> str:
    heat = a.heat_map if a is not None else r.overall
    days = a.days if a is not None else r.overall_days
    return (
        '<div class="charts">'
        f"<figure><figcaption>{_e(heat_title)}</figcaption>"
        + heat_map_svg(
            heat,
            title=heat_title,
            ident=f"{ident}-heat",
            night_start_hour=r.night_start_hour,
            night_end_hour=r.night_end_hour,
        )
        + f"</figure><figure><figcaption>{_e(daily_title)}</figcaption>"
        + daily_svg(
            days,
            title=daily_title,
            ident=f"{ident}-daily",
            band_k=r.band_k,
            baseline_days=r.baseline_days,
        )
        + "</figure></div>"
    )


def _overview(r: ReportData) -> str:
    return (
        '<section class="overview" aria-labelledby="overview">\n'
        '<h2 id="overview">All authorities together</h2>\n'
        "<p>Every record of the period that is an authority's own work (repeated answers "
        "excluded), verified senders or not.</p>\n"
        + _charts(
            r,
            "Records by weekday and hour, all authorities",
            "Records a day, all authorities, against the band",
            "all",
            None,
        )
        + "\n</section>"
    )


def _klass(a: AuthorityReport) -> str:
    if a.sicherheitsbehoerde:
        return "security authority" + (", metadata only" if a.metadata_only else "")
    return "public body"


def _authority_row(a: AuthorityReport) -> str:
    above = sum(1 for p in a.days if p.above_band)
    severity = (
        f' <span class="sev sev-{_e(a.top_severity)}">{_e(a.top_severity)}</span>'
        if a.top_severity
        else ""
    )
    return (
        "<tr>"
        f'<th scope="row">{_e(a.label)}</th><td>{_e(a.name or "—")}</td><td>{_e(_klass(a))}</td>'
        f'<td class="num">{_number(a.records)}</td><td class="num">{a.users}</td>'
        f'<td class="num">{_pct(a.off_hours, a.records)}</td><td class="num">{above}</td>'
        f'<td class="num">{a.open_findings}{severity}</td>'
        "</tr>"
    )


def _authority_article(r: ReportData, a: AuthorityReport, index: int) -> str:
    badges = ""
    if a.sicherheitsbehoerde:
        badges += '<span class="badge">security authority</span>'
    if a.metadata_only:
        badges += '<span class="badge">metadata only</span>'
    above = [p for p in a.days if p.above_band]
    meta = (
        f"{_number(a.records)} records, {a.users} user(s), {_pct(a.off_hours, a.records)} "
        f"off-hours, {len(above)} day(s) above the band, {a.open_findings} open finding(s)"
    )
    name = f" — {a.name}" if a.name else ""
    return (
        f'<article class="authority" aria-labelledby="a{index}">'
        f'<h3 id="a{index}">{_e(a.label)}{_e(name)}{badges}</h3>'
        f'<p class="meta">{_e(meta)}</p>'
        + _charts(
            r,
            f"{a.label}: records by weekday and hour",
            f"{a.label}: records a day against the band",
            f"a{index}",
            a,
        )
        + "</article>"
    )


def _authorities(r: ReportData) -> str:
    head = (
        '<section class="part" aria-labelledby="authorities">\n'
        '<h2 id="authorities">Authorities</h2>\n'
    )
    if not r.authorities:
        return head + '<p class="none">No authority retrieved in this period.</p>\n</section>'
    table = (
        "<table><caption>Every authority of the period, those with open findings first"
        "</caption><thead><tr>"
        '<th scope="col">Kennung</th><th scope="col">name</th><th scope="col">class</th>'
        '<th scope="col" class="num">records</th><th scope="col" class="num">users</th>'
        '<th scope="col" class="num">off-hours</th><th scope="col" class="num">days above band</th>'
        '<th scope="col" class="num">open findings</th></tr></thead><tbody>'
        + "".join(_authority_row(a) for a in r.authorities)
        + "</tbody></table>\n"
    )
    rest = len(r.authorities) - r.charted
    note = (
        f"<p>Charts for the first {r.charted}; {rest} further authorit"
        f"{'y' if rest == 1 else 'ies'} with fewer records and no open finding are in the "
        "table above (and in the JSON form).</p>\n"
        if rest > 0
        else ""
    )
    articles = "\n".join(
        _authority_article(r, a, i) for i, a in enumerate(r.authorities[: r.charted], 1)
    )
    return head + table + note + articles + "\n</section>"


def _bar(value: int, peak: int) -> str:
    width = 0 if peak <= 0 else max(1.0, 130 * value / peak)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="132" height="12" viewBox="0 0 132 12" '
        f'aria-hidden="true"><rect x="0" y="1" width="{width:.1f}" height="10" fill="{BAR}"/></svg>'
    )


def _user_rows(users: Sequence[UserReport]) -> str:
    peak = max((u.records for u in users), default=0)
    rows = []
    for rank, u in enumerate(users, 1):
        rows.append(
            "<tr>"
            f'<td class="num">{rank}</td>'
            f'<th scope="row">{_e(u.kennung or u.key)}</th>'
            f'<td class="authority">{_e(u.authority_kennung or "—")}'
            + (
                ' <span class="badge" title="security authority">security</span>'
                if u.sicherheitsbehoerde
                else ""
            )
            + "</td>"
            f'<td class="num">{_number(u.records)}</td>'
            f'<td class="barcell">{_bar(u.records, peak)}</td>'
            f'<td class="num">{u.active_days}</td>'
            f'<td class="num">{u.busiest_day_records} on {u.busiest_day.isoformat()}</td>'
            f'<td class="num">{_pct(u.off_hours, u.records)}</td>'
            f'<td class="num">{u.open_findings}</td>'
            "</tr>"
        )
    return "".join(rows)


def _users(r: ReportData) -> str:
    head = '<section class="part" aria-labelledby="users">\n<h2 id="users">Top users</h2>\n'
    if not r.top_users:
        return head + '<p class="none">No user retrieved in this period.</p>\n</section>'
    return (
        head
        + f"<p>The {len(r.top_users)} busiest of {r.counts.users} users in the period.</p>\n"
        + "<table><caption>Users by records in the period</caption><thead><tr>"
        + '<th scope="col" class="num">#</th><th scope="col">user</th>'
        + '<th scope="col">authority</th><th scope="col" class="num">records</th>'
        + '<th scope="col"><span class="sr">share</span></th>'
        + '<th scope="col" class="num">active days</th><th scope="col" class="num">busiest day</th>'
        + '<th scope="col" class="num">off-hours</th><th scope="col" class="num">open findings</th>'
        + "</tr></thead><tbody>"
        + _user_rows(r.top_users)
        + "</tbody></table>\n</section>"
    )


def _footer(r: ReportData) -> str:
    return (
        f"<footer>datenspiegel anomaly report ({_e(r.format)}); generated "
        f"{r.generated_at:%Y-%m-%d %H:%M} UTC for {_e(r.reader)}. The same data: "
        "<code>datenspiegel anomalies report --format json</code>.</footer>"
    )
