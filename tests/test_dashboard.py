"""The Grafana dashboard in docs/ (issue 11 point 5): importable, current, and honest — every
metric one of its panels queries is one the service exports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from datenspiegel.service.app import build_front, periodic_tasks
from datenspiegel.service.dashboard import dashboard_json, queries
from datenspiegel.service.tls import ReloadingTLSContext
from tests.world import World, build_world

DASHBOARD = Path(__file__).resolve().parent.parent / "docs" / "dashboards" / "datenspiegel.json"
_METRIC = re.compile(r"\bdatenspiegel_[a-z0-9_]+")
#: the sample names each metric type exposes besides (or instead of) its family name
_SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_count", "_sum"),
    "gauge": ("",),
    "summary": ("_count", "_sum", ""),
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build_world(tmp_path)
    yield built
    built.stores.close()


def test_the_dashboard_file_is_current_and_importable() -> None:
    text = DASHBOARD.read_text(encoding="utf-8")
    assert text == dashboard_json(), (
        "docs/dashboards/datenspiegel.json is out of date; run "
        "'.venv/bin/python -m datenspiegel.service.dashboard --write "
        "docs/dashboards/datenspiegel.json'"
    )
    model = json.loads(text)
    assert model["schemaVersion"] >= 36 and model["uid"] and model["title"]
    (source,) = model["__inputs"]
    assert source["name"] == "DS_PROMETHEUS" and source["pluginId"] == "prometheus"
    panels = [p for p in model["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in model["panels"]}) == len(model["panels"])
    for panel in panels:
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}"
        assert panel["targets"] and all(
            t["datasource"]["uid"] == "${DS_PROMETHEUS}" for t in panel["targets"]
        )
        position = panel["gridPos"]
        assert position["x"] + position["w"] <= 24
    titles = " | ".join(p["title"] for p in panels).lower()
    for wanted in (
        "transactions/s",
        "per stage",
        "protocol write failures",
        "refusals",
        "overdue",
        "anomaly",
        "days left",
        "worker restarts",
    ):
        assert wanted in titles, wanted


def test_every_metric_the_dashboard_queries_is_exported(world: World) -> None:
    assert world.config is not None
    front = build_front(world.config, world.stores)
    periodic_tasks(world.config, front, world.stores)  # registers what the workers add
    front.watch_tls(ReloadingTLSContext(certificate=world.pki.tls_cert, key=world.pki.tls_key))
    exported: set[str] = set()
    for family in front.registry.collect():
        exported |= {family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",))}
        exported |= {sample.name for sample in family.samples}
    queried = {
        name
        for expr in queries(json.loads(DASHBOARD.read_text(encoding="utf-8")))
        for name in _METRIC.findall(expr)
    }
    assert queried, "the dashboard queries no datenspiegel metric"
    assert queried <= exported, f"queried but not exported: {sorted(queried - exported)}"
    assert {
        "datenspiegel_stage_seconds_bucket",
        "datenspiegel_certificate_not_after_seconds",
        "datenspiegel_anomaly_findings",
        "datenspiegel_refusals_total",
    } <= queried
