"""The Grafana dashboard of the service, generated: ``docs/dashboards/datenspiegel.json``.

Written from the panel list below so that its queries are reviewed as code; the test suite
checks that the file is current and that every metric a panel queries is one the service
exports (tests/test_dashboard.py). Import it in Grafana (Dashboards → New → Import, choose the
Prometheus data source for ``DS_PROMETHEUS``); docs/operations.md "Logs and metrics".

``python -m datenspiegel.service.dashboard`` prints it; ``… --write FILE`` writes it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = ["DASHBOARD_UID", "Panel", "Query", "dashboard", "dashboard_json", "queries"]

DASHBOARD_UID: Final = "datenspiegel"
_DATASOURCE: Final = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
#: every query's selector: the Prometheus job and the scraped instances chosen above
_SEL: Final = 'job=~"$job", instance=~"$instance"'
_RATE: Final = "[$__rate_interval]"


@dataclass(frozen=True, slots=True)
class Query:
    expr: str
    legend: str = ""
    #: instant query (tables, bar gauges) instead of a range
    instant: bool = False


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    description: str
    queries: tuple[Query, ...]
    unit: str = "short"
    kind: str = "timeseries"  # or "stat", "bargauge"
    width: int = 12
    height: int = 8
    #: (colour, from value) steps, first with ``None``: the panel's thresholds
    thresholds: tuple[tuple[str, float | None], ...] = (("green", None),)
    options: dict[str, Any] = field(default_factory=dict)


def _quantile(q: float) -> Query:
    return Query(
        f"histogram_quantile({q}, sum by (le, stage) (rate(datenspiegel_stage_seconds_bucket"
        f'{{{_SEL}, service=~"$service"}}{_RATE})))',
        "{{stage}}",
    )


def _stage_panel(q: float, label: str) -> Panel:
    return Panel(
        f"{label} per stage",
        f"{label} of the server time per stage of a transaction "
        "(datenspiegel_stage_seconds; parse, validate, verify, authorise, claim, handle, "
        "answer, seal, record — docs/operations.md).",
        (_quantile(q),),
        unit="s",
        width=8,
    )


_ROWS: Final[tuple[tuple[str, tuple[Panel, ...]], ...]] = (
    (
        "Traffic",
        (
            Panel(
                "Transactions/s by service and outcome",
                "Transactions per second by service, kind (answer, fault, duplicate) and code "
                "(Ergebnisstatus, rejection code or 0910 code).",
                (
                    Query(
                        "sum by (service, kind, code) (rate(datenspiegel_transactions_total"
                        f'{{{_SEL}, service=~"$service"}}{_RATE}))',
                        "{{service}} {{kind}} {{code}}",
                    ),
                ),
                unit="reqps",
            ),
            Panel(
                "Transaction time p50 / p95 / p99",
                "Server time per transaction, from the body read to the reply "
                "(datenspiegel_transaction_seconds).",
                tuple(
                    Query(
                        f"histogram_quantile({q}, sum by (le) (rate("
                        f'datenspiegel_transaction_seconds_bucket{{{_SEL}, service=~"$service"}}'
                        f"{_RATE})))",
                        f"p{round(q * 100)}",
                    )
                    for q in (0.5, 0.95, 0.99)
                ),
                unit="s",
            ),
        ),
    ),
    (
        "Stages",
        (
            _stage_panel(0.5, "Median (p50)"),
            _stage_panel(0.95, "p95"),
            _stage_panel(0.99, "p99"),
        ),
    ),
    (
        "Failures and refusals",
        (
            Panel(
                "Protocol write failures",
                "Transactions whose § 40 record could not be written: answered S999, no data "
                "left (fail closed). Page on any.",
                (
                    Query(
                        "sum(increase(datenspiegel_protocol_write_failures_total"
                        f"{{{_SEL}}}{_RATE}))",
                        "protocol write failures",
                    ),
                    Query(
                        "sum(increase(datenspiegel_transactions_total"
                        f'{{{_SEL}, code="S999"}}{_RATE}))',
                        "S999 answers",
                    ),
                ),
                width=8,
                thresholds=(("green", None), ("red", 1)),
            ),
            Panel(
                "Replay and quota refusals",
                "Requests refused by the replay and quota checks (datenspiegel_refusals_total) "
                "and duplicates answered with their original answer.",
                (
                    Query(
                        f"sum by (reason) (rate(datenspiegel_refusals_total{{{_SEL}}}{_RATE}))",
                        "{{reason}}",
                    ),
                    Query(
                        "sum(rate(datenspiegel_transactions_total"
                        f'{{{_SEL}, kind="duplicate"}}{_RATE}))',
                        "duplicate (original answer again)",
                    ),
                ),
                unit="reqps",
                width=8,
            ),
            Panel(
                "Connections refused, evicted, timed out",
                "The listener's defence at work (datenspiegel_connection_events_total).",
                (
                    Query(
                        "sum by (kind) (rate(datenspiegel_connection_events_total"
                        f"{{{_SEL}}}{_RATE}))",
                        "{{kind}}",
                    ),
                ),
                unit="ops",
                width=8,
            ),
        ),
    ),
    (
        "Duties and review",
        (
            Panel(
                "Overdue hand-over cases and audit remedies",
                "Hand-over cases nobody fetched within broker.case_alert_after, and remedies "
                "demanded in audits past their deadline. Alert above 0.",
                (
                    Query(f"max(datenspiegel_cases_overdue{{{_SEL}}})", "cases overdue"),
                    Query(
                        f"max(datenspiegel_audit_remedies_overdue{{{_SEL}}})",
                        "audit remedies overdue",
                    ),
                ),
                width=8,
                thresholds=(("green", None), ("red", 1)),
            ),
            Panel(
                "Unresolved anomaly findings",
                "Findings of the continuous anomaly detection not yet confirmed or dismissed, by "
                "status (open, in_review, authority_asked) and severity (datenspiegel anomalies "
                "list), and the new ones per hour.",
                (
                    Query(
                        "max by (status, severity) (datenspiegel_anomaly_findings"
                        f'{{{_SEL}, status!~"confirmed|dismissed"}})',
                        "{{status}} {{severity}}",
                    ),
                    Query(
                        "sum by (severity) (increase(datenspiegel_anomaly_findings_new_total"
                        f"{{{_SEL}}}[1h]))",
                        "new per hour: {{severity}}",
                    ),
                ),
                width=8,
            ),
            Panel(
                "Anomaly evaluation lag",
                "How far behind the present the evaluation of the protocol is; alert above "
                "two minutes.",
                (
                    Query(
                        f"max(datenspiegel_anomaly_evaluation_lag_seconds{{{_SEL}}})",
                        "lag",
                    ),
                ),
                unit="s",
                width=8,
                thresholds=(("green", None), ("orange", 60), ("red", 120)),
            ),
        ),
    ),
    (
        "Certificates and processes",
        (
            Panel(
                "Certificates: days left",
                "Days until the service's certificates and trust anchors expire, and until "
                "the CRLs in force must be replaced (datenspiegel_certificate_not_after_seconds)."
                " Renew below 30 days; below 7 it is urgent.",
                (
                    Query(
                        "min by (kind, subject) ((datenspiegel_certificate_not_after_seconds"
                        f"{{{_SEL}}} - time()) / 86400)",
                        "{{kind}}: {{subject}}",
                        instant=True,
                    ),
                ),
                unit="d",
                kind="bargauge",
                width=12,
                height=10,
                thresholds=(("red", None), ("orange", 7), ("yellow", 30), ("green", 60)),
                options={
                    "displayMode": "basic",
                    "orientation": "horizontal",
                    "showUnfilled": True,
                    "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                },
            ),
            Panel(
                "User certificates expiring within 30 days",
                "Signing certificates bound to registered users that expire within 30 days "
                "(datenspiegel authority report --check names them).",
                (
                    Query(
                        f"max(datenspiegel_user_certificates_expiring{{{_SEL}}})",
                        "expiring",
                    ),
                ),
                kind="stat",
                width=6,
                height=10,
                thresholds=(("green", None), ("orange", 1)),
            ),
            Panel(
                "Worker restarts",
                "Workers serve --workers N replaced since it started (a worker that died); the "
                "restart budget is server.worker_restart_limit per minute.",
                (
                    Query(
                        f"max by (instance) (datenspiegel_worker_restarts{{{_SEL}}})",
                        "{{instance}}",
                    ),
                ),
                width=6,
                height=10,
            ),
        ),
    ),
)


def _panel_json(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    steps = [{"color": colour, "value": value} for colour, value in panel.thresholds]
    targets = [
        {
            "datasource": _DATASOURCE,
            "expr": query.expr,
            "legendFormat": query.legend,
            "instant": query.instant,
            "range": not query.instant,
            "refId": chr(ord("A") + index),
        }
        for index, query in enumerate(panel.queries)
    ]
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": _DATASOURCE,
        "gridPos": {"h": panel.height, "w": panel.width, "x": x, "y": y},
        "fieldConfig": {
            "defaults": {
                "unit": panel.unit,
                "thresholds": {"mode": "absolute", "steps": steps},
                "color": {
                    "mode": "thresholds" if panel.kind != "timeseries" else "palette-classic"
                },
            },
            "overrides": [],
        },
        "options": panel.options
        or {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": targets,
    }


def _variable(name: str, label: str, query: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": _DATASOURCE,
        "query": {"query": query, "refId": f"{name}-variable"},
        "definition": query,
        "refresh": 2,
        "includeAll": True,
        "multi": True,
        "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "sort": 1,
    }


def dashboard() -> dict[str, Any]:
    """The dashboard as Grafana's JSON model (schema version 39, Grafana ≥ 10)."""
    panels: list[dict[str, Any]] = []
    y = 0
    panel_id = 1
    for title, row in _ROWS:
        panels.append(
            {
                "id": panel_id,
                "type": "row",
                "title": title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                "panels": [],
            }
        )
        panel_id += 1
        y += 1
        x = 0
        height = 0
        for panel in row:
            if x + panel.width > 24:
                x, y, height = 0, y + height, 0
            panels.append(_panel_json(panel, panel_id, x, y))
            panel_id += 1
            x += panel.width
            height = max(height, panel.height)
        y += height
    kinds = sorted({p["type"] for p in panels if p["type"] != "row"})
    return {
        "__inputs": [
            {
                "name": "DS_PROMETHEUS",
                "label": "Prometheus",
                "description": "The Prometheus that scrapes every datenspiegel process",
                "type": "datasource",
                "pluginId": "prometheus",
                "pluginName": "Prometheus",
            }
        ],
        "__requires": [
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
            *({"type": "panel", "id": kind, "name": kind, "version": ""} for kind in kinds),
        ],
        "annotations": {"list": []},
        "description": "The retrieval broker datenspiegel: traffic, stage latencies, failures, "
        "refusals, duties, anomaly review, certificates (docs/operations.md).",
        "editable": True,
        "graphTooltip": 1,
        "id": None,
        "links": [],
        "panels": panels,
        "refresh": "30s",
        "schemaVersion": 39,
        "tags": ["datenspiegel"],
        "templating": {
            "list": [
                _variable("job", "Job", "label_values(datenspiegel_transactions_total, job)"),
                _variable(
                    "instance",
                    "Instance",
                    'label_values(datenspiegel_transactions_total{job=~"$job"}, instance)',
                ),
                _variable(
                    "service",
                    "Service",
                    'label_values(datenspiegel_transactions_total{job=~"$job"}, service)',
                ),
            ]
        },
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": "datenspiegel",
        "uid": DASHBOARD_UID,
        "version": 1,
    }


def dashboard_json() -> str:
    """The file's text."""
    return json.dumps(dashboard(), ensure_ascii=False, indent=2) + "\n"


def queries(model: dict[str, Any]) -> list[str]:
    """Every PromQL expression of a dashboard model: its panels' targets and its variables."""
    found = [
        target["expr"]
        for panel in model["panels"]
        for target in panel.get("targets", ())
        if "expr" in target
    ]
    for variable in model.get("templating", {}).get("list", ()):
        query = variable.get("query")
        found.append(query["query"] if isinstance(query, dict) else str(query or ""))
    return found


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datenspiegel.service.dashboard",
        description="Print the Grafana dashboard, or write it into a file.",
    )
    parser.add_argument(
        "--write", type=Path, metavar="FILE", help="docs/dashboards/datenspiegel.json"
    )
    args = parser.parse_args(argv)
    text = dashboard_json()
    if args.write is None:
        sys.stdout.write(text)
        return 0
    current = args.write.read_text(encoding="utf-8") if args.write.is_file() else None
    if current == text:
        print(f"{args.write}: already current")
        return 0
    args.write.parent.mkdir(parents=True, exist_ok=True)
    args.write.write_text(text, encoding="utf-8")
    print(f"{args.write}: written")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
