# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report document of a backup run: a valid document, failures first."""
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


backup_report = _load("mediant_backup_report", "plugins/plugin_utils/backup_report.py")
report = _load("mediant_report_renderer", "plugins/plugin_utils/report.py")

RECORDS = [
    {"host": "sbc2", "failed": False, "changed": False, "differences": [], "skipped_formats": {},
     "device": {"product": "Mediant VE SBC", "serial": "2", "version": "7.40A.500.010"},
     "files": {"ini": "/b/r/sbc2/config.ini", "cli": "/b/r/sbc2/config.cli", "metadata": "/b/r/sbc2/backup.json"},
     "previous": "/b/20261203T140000Z/sbc2"},
    {"host": "gw1", "failed": False, "changed": True, "differences": ["ini"],
     "skipped_formats": {"package": "the configuration package is not offered by REST API v1.0 (firmware 7.00A and older)"},
     "device": {"product": "Mediant 1000", "serial": "9", "version": "7.00A.049.003"},
     "files": {"ini": "/b/r/gw1/config.ini"}, "previous": None},
    {"host": "sbc1", "failed": True, "step": "Download", "msg": "HTTP 401"},
    {"host": "sbc3", "failed": False, "changed": False, "differences": [],
     "skipped_formats": {"package": "user 'Operator' lacks the Security Administrator privilege level the configuration package needs"},
     "device": {}, "files": {"ini": "x"}, "previous": None},
]


def test_backup_report():
    document = backup_report.backup_report(RECORDS, "20261204T140000Z", root="/b/")
    report.validate(document)
    assert document["generated"] == "2026-12-04T14:00:00Z"
    assert document["description"] == "Backups in /b/20261204T140000Z: one directory per device."
    assert {figure["label"]: figure["value"] for figure in document["summary"]} == {
        "Devices": 4, "Changed since the last backup": 1, "Unchanged": 2, "Failed": 1}
    assert document["problems"] == [
        {"severity": "critical", "device": "sbc1", "text": "backup failed at 'Download': HTTP 401"},
        {"severity": "warning", "device": "sbc3", "text": "package not backed up: user 'Operator' lacks the "
                                                          "Security Administrator privilege level the configuration package needs"},
    ]
    rows = {row["device"]: row for row in document["sections"][0]["rows"]}
    assert rows["sbc1"]["severity"] == "critical"
    assert rows["gw1"] == {"device": "gw1", "result": "changed", "severity": "info", "differences": "ini", "product": "Mediant 1000",
                           "serial": "9", "version": "7.00A.049.003", "files": ["ini"], "previous": None}
    assert rows["sbc2"]["previous"] == "2026-12-03T14:00:00Z"
    assert rows["sbc2"]["files"] == ["cli", "ini"]
    assert "| CRITICAL | sbc1 | failed |" in report.render_markdown(document)


def test_empty_run():
    document = backup_report.backup_report([], "manual")
    report.validate(document)
    assert "generated" not in document
