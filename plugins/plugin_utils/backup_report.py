# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report document of one backup run (docs/reports.md), from one record per device.

Pure library: standard library only, no Ansible imports. The filter
``audiocodes.mediant.backup_report`` is a thin wrapper; the role ``audiocodes.mediant.backup``
builds one record per device (``backup_record``):

    {host, failed: false, dest, changed, differences, skipped_formats, device, previous, files}
    {host, failed: true, step, msg}
"""

from __future__ import annotations

import re

RUN_NAME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def run_time(run):
    """A run directory name (20261204T140000Z) as ISO 8601 (2026-12-04T14:00:00Z); None otherwise."""
    match = RUN_NAME.match(str(run))
    if not match:
        return None
    return "{0}-{1}-{2}T{3}:{4}:{5}Z".format(*match.groups())


def _privilege_skip(reason):
    return "privilege" in reason


def backup_report(records, run, root=""):
    """The report document of the backup run ``run`` (its directory name) under ``root``."""
    records = sorted((dict(record) for record in records or []), key=lambda record: str(record.get("host")))
    failed = [record for record in records if record.get("failed")]
    done = [record for record in records if not record.get("failed")]
    changed = [record for record in done if record.get("changed")]
    problems = []
    for record in failed:
        problems.append({"severity": "critical", "device": str(record.get("host")),
                         "text": "backup failed at '{0}': {1}".format(record.get("step") or "?", record.get("msg") or "failed")})
    for record in done:
        for kind, reason in sorted((record.get("skipped_formats") or {}).items()):
            if _privilege_skip(reason):
                problems.append({"severity": "warning", "device": str(record.get("host")),
                                 "text": "{0} not backed up: {1}".format(kind, reason)})
    rows = []
    for record in records:
        device = record.get("device") or {}
        if record.get("failed"):
            rows.append({"device": record.get("host"), "result": "failed", "severity": "critical",
                         "differences": None, "product": None, "serial": None, "version": None,
                         "files": None, "previous": None})
            continue
        files = sorted(kind for kind in (record.get("files") or {}) if kind != "metadata")
        rows.append({
            "device": record.get("host"),
            "result": "changed" if record.get("changed") else "unchanged",
            "severity": "info" if record.get("changed") else "ok",
            "differences": ", ".join(record.get("differences") or []) if record.get("changed") else None,
            "product": device.get("product"),
            "serial": device.get("serial"),
            "version": device.get("version"),
            "files": files,
            "previous": run_time(_run_of(record.get("previous"))),
        })
    summary = [
        {"label": "Devices", "value": len(records)},
        {"label": "Changed since the last backup", "value": len(changed), "severity": "info" if changed else "ok"},
        {"label": "Unchanged", "value": len(done) - len(changed)},
        {"label": "Failed", "value": len(failed), "severity": "critical" if failed else "ok"},
    ]
    document = {
        "title": "Configuration backup {0}".format(run),
        "description": "Backups in {0}/{1}: one directory per device.".format(root.rstrip("/"), run) if root else
                       "One directory per device.",
        "summary": summary,
        "problems": problems,
        "sections": [{
            "title": "Devices",
            "columns": [
                {"key": "device", "label": "Device"},
                {"key": "result", "label": "Result"},
                {"key": "differences", "label": "Changed files"},
                {"key": "product", "label": "Product"},
                {"key": "serial", "label": "Serial number"},
                {"key": "version", "label": "Firmware"},
                {"key": "files", "label": "Files"},
                {"key": "previous", "label": "Compared with", "type": "date"},
            ],
            "rows": rows,
            "empty": "No device was backed up",
        }],
    }
    generated = run_time(run)
    if generated:
        document["generated"] = generated
    return document


def _run_of(previous):
    """The run directory name of a previous backup's path (<root>/<run>/<host>)."""
    if not previous:
        return None
    parts = str(previous).rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else None
