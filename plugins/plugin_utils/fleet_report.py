# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report document (docs/reports.md) from one record per device.

Pure library: standard library only, no Ansible imports. The filter
``audiocodes.mediant.fleet_report`` is a thin wrapper; the role ``audiocodes.mediant.report``
builds one record per device (``report_record``)::

    {host, failed: false, facts: <ansible_facts.mediant>, drift: <config drift document> | None,
     backup: <backup.json of the last backup, plus "run"> | None}
    {host, failed: true, step, msg}

Problems (docs/report.md): a device not read (critical); active alarms (their own severity);
certificates expired (critical), within ``critical_days`` (major), within ``warning_days``
(warning); configuration not saved (warning); drift from the desired state (warning; a failed
drift check major); no backup, or one older than ``backup_max_age_days`` (warning).
"""

from __future__ import annotations

import datetime

ALARM_SEVERITIES = {"critical": "critical", "major": "major", "minor": "minor", "warning": "warning",
                    "indeterminate": "info", "cleared": "ok"}
ALARM_COLUMNS = ("critical", "major", "minor", "warning")


def _severity_of_alarm(alarm):
    return ALARM_SEVERITIES.get(str(alarm.get("severity") or "").strip().lower(), "info")


def _worst(severities):
    order = ("critical", "major", "minor", "warning", "info", "ok")
    ranked = [severity for severity in severities if severity in order]
    return min(ranked, key=order.index) if ranked else "ok"


def _parse_time(text):
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _days(count):
    return "1 day" if count == 1 else "{0} days".format(count)


def _certificate_severity(days_left, warning_days, critical_days):
    if days_left is None:
        return None
    if days_left < 0:
        return "critical"
    if days_left <= critical_days:
        return "major"
    if days_left <= warning_days:
        return "warning"
    return "ok"


def fleet_report(records, generated, title="Mediant fleet report", warning_days=30, critical_days=7,
                 backup_max_age_days=7, drift_checked=False, backups_checked=False):
    """The report document of the fleet; ``generated`` is the run's ISO 8601 timestamp."""
    now = _parse_time(generated) or datetime.datetime.now(datetime.timezone.utc)
    records = sorted((dict(record) for record in records or []), key=lambda record: str(record.get("host")))
    problems, devices, alarms, certificates, licenses, drifts, backups = [], [], [], [], [], [], []

    def problem(severity, host, text, found):
        problems.append({"severity": severity, "device": host, "text": text})
        found.append(severity)

    counts = {"alarms": 0, "expiring": 0, "unsaved": 0, "drift": 0, "stale_backups": 0, "failed": 0}
    for record in records:
        host = str(record.get("host"))
        found = []
        if record.get("failed"):
            counts["failed"] += 1
            problem("critical", host, "not read at '{0}': {1}".format(record.get("step") or "?", record.get("msg") or "failed"), found)
            devices.append({"device": host, "severity": "critical"})
            continue
        facts = record.get("facts") or {}
        status = facts.get("status") or {}
        for subset, reason in sorted((facts.get("skipped_subsets") or {}).items()):
            if "privilege" in reason:
                problem("info", host, "{0} not read: {1}".format(subset, reason), found)
        # Alarms, each a problem of its own severity.
        by_severity = dict.fromkeys(ALARM_COLUMNS, 0)
        for alarm in facts.get("alarms") or []:
            severity = _severity_of_alarm(alarm)
            if severity in by_severity:
                by_severity[severity] += 1
                counts["alarms"] += 1
            text = "alarm: {0}".format(alarm.get("description") or "?")
            if alarm.get("source"):
                text += " ({0})".format(alarm["source"])
            problem(severity, host, text, found)
            alarms.append({"device": host, "severity": severity, "alarm_severity": alarm.get("severity"),
                           "description": alarm.get("description"), "source": alarm.get("source"),
                           "date": alarm.get("date") if _parse_time(alarm.get("date")) else None})
        # Certificates per TLS context.
        for context in facts.get("tls") or []:
            certificate = context.get("certificate") or {}
            days_left = certificate.get("days_left")
            severity = _certificate_severity(days_left, warning_days, critical_days)
            label = "TLS context {0} ({1})".format(context.get("id"), context.get("name") or "unnamed")
            if severity in ("critical", "major", "warning"):
                counts["expiring"] += 1
                when = "expired {0} ago".format(_days(-days_left)) if days_left < 0 else "expires in {0}".format(_days(days_left))
                problem(severity, host, "{0} certificate {1}".format(label, when), found)
            certificates.append({"device": host, "context": context.get("id"), "name": context.get("name"),
                                 "subject": certificate.get("subject") or "no certificate", "issuer": certificate.get("issuer"),
                                 "expires": certificate.get("not_after"), "days_left": days_left,
                                 "severity": severity or "info"})
        # License.
        license_ = facts.get("license")
        if license_ is not None:
            licenses.append({"device": host, "serial": license_.get("serial"), "description": license_.get("key_description")})
        # Saved configuration.
        if status.get("save_needed"):
            counts["unsaved"] += 1
            problem("warning", host, "configuration changed but not saved to non-volatile memory", found)
        # Drift from the desired state (the config role's document).
        drift = record.get("drift")
        in_sync = None
        if drift_checked:
            if not drift:
                problem("info", host, "no drift check found (run the config role in check mode with config_drift_dir)", found)
            elif drift.get("error"):
                counts["drift"] += 1
                error = drift["error"] if isinstance(drift["error"], dict) else {"msg": drift["error"]}
                problem("major", host, "drift check failed at '{0}': {1}".format(error.get("step", "?"), error.get("msg", "")), found)
                in_sync = False
            else:
                in_sync = bool(drift.get("in_sync"))
                total = (drift.get("summary") or {}).get("total", 0)
                if not in_sync:
                    counts["drift"] += 1
                    problem("warning", host, "{0} differences from the desired configuration".format(total), found)
            if drift:
                summary = drift.get("summary") or {}
                drifts.append({"device": host, "in_sync": in_sync, "total": summary.get("total"),
                               "parameters": summary.get("parameters"),
                               "rows": sum(summary.get(key) or 0 for key in ("rows_added", "rows_updated", "rows_removed")),
                               "cli_lines": summary.get("cli_lines"), "mode": drift.get("mode"),
                               "checked": drift.get("generated") if _parse_time(drift.get("generated")) else None,
                               "severity": "ok" if in_sync else ("major" if drift.get("error") else "warning")})
        # Last backup (the backup role's backup.json).
        backup = record.get("backup")
        last_backup = None
        if backups_checked:
            taken = _parse_time((backup or {}).get("taken"))
            if not backup or taken is None:
                counts["stale_backups"] += 1
                problem("warning", host, "no configuration backup found", found)
            else:
                last_backup = backup.get("taken")
                age = (now - taken).total_seconds() / 86400
                if age > backup_max_age_days:
                    counts["stale_backups"] += 1
                    problem("warning", host, "last configuration backup is {0} old".format(_days(int(round(age)))), found)
                backups.append({"device": host, "taken": last_backup, "run": backup.get("run"),
                                "files": sorted((backup.get("files") or {}).keys()), "changed": backup.get("changed"),
                                "severity": "warning" if age > backup_max_age_days else "ok"})
        devices.append({
            "device": host, "product": status.get("product"), "firmware": status.get("version"),
            "ha_state": status.get("ha_state"), "serial": status.get("serial") or (license_ or {}).get("serial"),
            "uptime_hours": round(status["uptime"] / 3600.0, 1) if isinstance(status.get("uptime"), (int, float)) else None,
            "alarms_critical": by_severity["critical"], "alarms_major": by_severity["major"],
            "alarms_minor": by_severity["minor"], "alarms_warning": by_severity["warning"],
            "saved": (not status["save_needed"]) if "save_needed" in status else None,
            "in_sync": in_sync, "last_backup": last_backup,
            "severity": _worst(severity for severity in found if severity != "info"),
        })

    firmware = sorted({row.get("firmware") for row in devices if row.get("firmware")})
    summary = [
        {"label": "Devices", "value": len(records)},
        {"label": "Not reachable", "value": counts["failed"], "severity": "critical" if counts["failed"] else "ok"},
        {"label": "Active alarms", "value": counts["alarms"], "severity": "major" if counts["alarms"] else "ok"},
        {"label": "Certificates expiring within {0} days".format(warning_days), "value": counts["expiring"],
         "severity": "warning" if counts["expiring"] else "ok"},
        {"label": "Configuration not saved", "value": counts["unsaved"], "severity": "warning" if counts["unsaved"] else "ok"},
        {"label": "Firmware versions", "value": len(firmware)},
    ]
    if drift_checked:
        summary.append({"label": "Drift from the desired state", "value": counts["drift"],
                        "severity": "warning" if counts["drift"] else "ok"})
    if backups_checked:
        summary.append({"label": "Backups missing or older than {0} days".format(backup_max_age_days),
                        "value": counts["stale_backups"], "severity": "warning" if counts["stale_backups"] else "ok"})

    device_columns = [
        {"key": "device", "label": "Device"}, {"key": "product", "label": "Product"},
        {"key": "firmware", "label": "Firmware"}, {"key": "ha_state", "label": "HA state"},
        {"key": "serial", "label": "Serial number"}, {"key": "uptime_hours", "label": "Uptime (hours)", "type": "number"},
        {"key": "alarms_critical", "label": "Critical alarms", "type": "number"},
        {"key": "alarms_major", "label": "Major alarms", "type": "number"},
        {"key": "alarms_minor", "label": "Minor alarms", "type": "number"},
        {"key": "alarms_warning", "label": "Warning alarms", "type": "number"},
        {"key": "saved", "label": "Saved"},
    ]
    if drift_checked:
        device_columns.append({"key": "in_sync", "label": "In desired state"})
    if backups_checked:
        device_columns.append({"key": "last_backup", "label": "Last backup", "type": "date"})
    sections = [
        {"title": "Devices", "columns": device_columns, "rows": devices, "empty": "No devices"},
        {"title": "Active alarms", "rows": alarms, "empty": "No active alarms", "columns": [
            {"key": "device", "label": "Device"}, {"key": "alarm_severity", "label": "Alarm severity"},
            {"key": "description", "label": "Alarm"}, {"key": "source", "label": "Source"},
            {"key": "date", "label": "Since", "type": "date"}]},
        {"title": "Certificates", "rows": certificates, "empty": "No TLS contexts read", "columns": [
            {"key": "device", "label": "Device"}, {"key": "context", "label": "Context", "type": "number"},
            {"key": "name", "label": "Name"}, {"key": "subject", "label": "Subject"}, {"key": "issuer", "label": "Issuer"},
            {"key": "expires", "label": "Expires", "type": "date"}, {"key": "days_left", "label": "Days left", "type": "number"}]},
        {"title": "Licenses", "rows": licenses, "empty": "No licenses read", "columns": [
            {"key": "device", "label": "Device"}, {"key": "serial", "label": "Serial number"},
            {"key": "description", "label": "License"}]},
    ]
    if drift_checked:
        sections.append({"title": "Drift from the desired state", "rows": drifts, "empty": "No drift documents found", "columns": [
            {"key": "device", "label": "Device"}, {"key": "in_sync", "label": "In desired state"},
            {"key": "total", "label": "Differences", "type": "number"}, {"key": "parameters", "label": "Parameters", "type": "number"},
            {"key": "rows", "label": "Table rows", "type": "number"}, {"key": "cli_lines", "label": "CLI lines", "type": "number"},
            {"key": "mode", "label": "Mode"}, {"key": "checked", "label": "Checked", "type": "date"}]})
    if backups_checked:
        sections.append({"title": "Last backups", "rows": backups, "empty": "No backups found", "columns": [
            {"key": "device", "label": "Device"}, {"key": "taken", "label": "Taken", "type": "date"},
            {"key": "run", "label": "Run"}, {"key": "changed", "label": "Changed then"}, {"key": "files", "label": "Files"}]})
    for section in sections:  # the document's numbers in number columns: never text
        for row in section["rows"]:
            for column in section["columns"]:
                if column.get("type") == "date" and not _parse_time(row.get(column["key"])):
                    row[column["key"]] = None
    order = ("critical", "major", "minor", "warning", "info", "ok")
    problems.sort(key=lambda item: order.index(item["severity"]))  # stable: per device within a severity
    return {
        "title": title,
        "generated": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": "Firmware {0}.".format(", ".join(firmware)) if firmware else "",
        "summary": summary,
        "problems": problems,
        "sections": sections,
    }
