# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report document: problems by the documented rules, worst first, a valid document."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, REPO / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fleet = _load("mediant_fleet_report", "plugins/plugin_utils/fleet_report.py")
report = _load("mediant_report_renderer_2", "plugins/plugin_utils/report.py")


def facts(days_left=400, save_needed=False, alarms=(), version="7.40A.500.010"):
    return {"status": {"product": "Mediant VE SBC", "version": version, "serial": "1", "ha_state": "Stand Alone",
                       "uptime": 7200, "save_needed": save_needed},
            "license": {"serial": "1", "key_description": "SBC=250"},
            "alarms": list(alarms),
            "tls": [{"id": "0", "name": "default", "certificate": {"subject": "CN=a", "not_after": "2027-01-01T00:00:00+00:00",
                                                                   "days_left": days_left}}],
            "skipped_subsets": {}}


def build(records, **options):
    document = fleet.fleet_report(records, "2026-12-04T14:00:00Z", **options)
    report.validate(document)
    report.render_html(document)
    return document


def test_problems_by_rule_worst_first():
    records = [
        {"host": "a", "failed": False, "facts": facts(days_left=-1, save_needed=True,
                                                      alarms=[{"severity": "Minor", "description": "x"}])},
        {"host": "b", "failed": False, "facts": facts(days_left=5), "drift": {"in_sync": False, "summary": {"total": 2}},
         "backup": {"taken": "2026-11-01T00:00:00Z"}},
        {"host": "c", "failed": False, "facts": facts(days_left=20), "drift": {"error": {"step": "plan", "msg": "boom"}},
         "backup": {"taken": "2026-12-04T10:00:00Z"}},
        {"host": "d", "failed": True, "step": "Read", "msg": "HTTP 401"},
    ]
    document = build(records, drift_checked=True, backups_checked=True)
    assert [(p["severity"], p["device"]) for p in document["problems"]] == [
        ("critical", "a"), ("critical", "d"), ("major", "b"), ("major", "c"), ("minor", "a"),
        ("warning", "a"), ("warning", "a"), ("warning", "b"), ("warning", "b"), ("warning", "c"), ("info", "a")]
    texts = [p["text"] for p in document["problems"]]
    assert "TLS context 0 (default) certificate expired 1 day ago" in texts
    assert "last configuration backup is 34 days old" in texts
    assert "drift check failed at 'plan': boom" in texts
    figures = {f["label"]: f["value"] for f in document["summary"]}
    assert figures["Certificates expiring within 30 days"] == 3
    assert figures["Configuration not saved"] == 1
    assert figures["Drift from the desired state"] == 2
    assert figures["Backups missing or older than 7 days"] == 2
    rows = {row["device"]: row for row in document["sections"][0]["rows"]}
    assert rows["a"]["severity"] == "critical" and rows["a"]["uptime_hours"] == 2.0 and rows["a"]["alarms_minor"] == 1


def test_without_drift_and_backups_their_columns_are_left_out():
    document = build([{"host": "a", "failed": False, "facts": facts()}])
    assert document["problems"] == []
    assert [section["title"] for section in document["sections"]] == ["Devices", "Active alarms", "Certificates", "Licenses"]
    assert "in_sync" not in [column["key"] for column in document["sections"][0]["columns"]]
