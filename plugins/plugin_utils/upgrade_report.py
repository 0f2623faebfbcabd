# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report documents of the software_upgrade role: one per device and one for the fleet.

Pure library (standard library only, no Ansible imports). Input: the record the role keeps for a
device (roles/software_upgrade/README.md, "The result"); output: a report document in the
collection's format (docs/reports.md: title, generated, description, summary, problems,
sections), which is also the JSON report and what the report_markdown/report_html filters render.
"""

from __future__ import annotations

# What the role's record says happened to a device -> (words, report severity).
RESULTS = {
    "upgraded": ("upgraded", "ok"),
    "current": ("already on the target version", "ok"),
    "planned": ("planned (check mode, nothing sent)", "info"),
    "failed": ("failed", "critical"),
    "rolled_back": ("failed, rolled back", "major"),
    "in_progress": ("in progress", "warning"),
    "not_attempted": ("not attempted", "warning"),
}
DEVICE_SEVERITIES = {"critical": "critical", "major": "major", "minor": "minor", "warning": "warning",
                     "indeterminate": "info", "cleared": "ok"}
RESULT_ORDER = ("failed", "rolled_back", "in_progress", "not_attempted", "planned", "upgraded", "current")


def _text(value, default="-"):
    return default if value in (None, "") else str(value)


def result_words(record):
    return RESULTS.get(record.get("result"), (_text(record.get("result")), "warning"))


def alarm_severity(text):
    return DEVICE_SEVERITIES.get(str(text or "").lower(), "info")


def _side(record, key):
    return record.get(key) or {}


def _alarm_key(alarm):
    return (alarm.get("description"), alarm.get("source"))


def alarm_changes(record):
    """(raised, cleared): active alarms after that were not active before, and the reverse."""
    before = _side(record, "before").get("alarms") or []
    after_side = record.get("after")
    if after_side is None:
        return [], []
    after = after_side.get("alarms") or []
    before_keys, after_keys = {_alarm_key(a) for a in before}, {_alarm_key(a) for a in after}
    return ([alarm for alarm in after if _alarm_key(alarm) not in before_keys],
            [alarm for alarm in before if _alarm_key(alarm) not in after_keys])


def _alarm_rows(alarms):
    return [{"alarm_severity": _text(alarm.get("severity")), "description": _text(alarm.get("description")),
             "source": _text(alarm.get("source")), "severity": alarm_severity(alarm.get("severity"))} for alarm in alarms]


ALARM_COLUMNS = [{"key": "alarm_severity", "label": "Severity"}, {"key": "description", "label": "Alarm"},
                 {"key": "source", "label": "Source"}]


def device_problems(record):
    host = _text(record.get("host"))
    problems = []
    words, severity = result_words(record)
    if record.get("result") in ("failed", "rolled_back", "in_progress"):
        step = record.get("failed_step")
        text = "{0}{1}".format("step {0}: ".format(step) if step else "", _text(record.get("message"), words))
        problems.append({"severity": severity, "device": host, "text": text})
    rollback = record.get("rollback") or {}
    if rollback.get("result") in ("failed", "not_possible"):
        problems.append({"severity": "critical", "device": host,
                         "text": "rollback to {0}: {1}".format(_text(rollback.get("version")), _text(rollback.get("message")))})
    for warning in record.get("warnings") or []:
        problems.append({"severity": "warning", "device": host, "text": str(warning)})
    return problems


def device_report(record, generated=None):
    """The report document of one device."""
    words, severity = result_words(record)
    before, after = _side(record, "before"), _side(record, "after")
    host = _text(record.get("host"))
    description = "{0} ({1}): {2} to {3}, {4}.".format(
        host, _text(record.get("address")),
        "{0} upgrade".format(record["method"]) if record.get("method") else "upgrade",
        _text(record.get("target_version")), words)
    summary = [
        {"label": "Result", "value": words, "severity": severity},
        {"label": "Method", "value": _text(record.get("method"))},
        {"label": "Version before", "value": _text(before.get("version"))},
        {"label": "Version after", "value": _text(after.get("version"))},
        {"label": "Active unit before", "value": _text(before.get("serial"))},
        {"label": "Active unit after", "value": _text(after.get("serial"))},
        {"label": "Active calls before", "value": _number_or_dash(before.get("active_calls"))},
        {"label": "Active calls after", "value": _number_or_dash(after.get("active_calls"))},
        {"label": "Duration (s)", "value": _number_or_dash(record.get("duration"))},
    ]
    raised, cleared = alarm_changes(record)
    sections = [
        {"title": "Pre-checks", "empty": "No pre-check ran",
         "columns": [{"key": "check", "label": "Check"}, {"key": "outcome", "label": "Result"}, {"key": "detail", "label": "Detail"}],
         "rows": [_precheck_row(check) for check in record.get("prechecks") or []]},
        {"title": "Verification after the upgrade", "empty": "Not verified (the upgrade did not get that far, or nothing was to do)",
         "columns": [{"key": "check", "label": "Check"}, {"key": "outcome", "label": "Result"}, {"key": "detail", "label": "Detail"}],
         "rows": [_precheck_row(check) for check in record.get("verification") or []]},
        {"title": "Phases", "empty": "No phase was followed",
         "columns": [{"key": "phase", "label": "Phase"}, {"key": "unit", "label": "Unit (serial)"},
                     {"key": "version", "label": "Version"}, {"key": "ha_state", "label": "HA state"},
                     {"key": "at", "label": "Seen at", "type": "date"}, {"key": "elapsed", "label": "Elapsed (s)", "type": "number"},
                     {"key": "description", "label": "What happens"}],
         "rows": [_phase_row(step) for step in record.get("phases") or []]},
        {"title": "Alarms raised during the upgrade", "columns": ALARM_COLUMNS, "rows": _alarm_rows(raised),
         "empty": "No new alarm" if record.get("after") is not None else "Not read after the upgrade"},
        {"title": "Alarms cleared during the upgrade", "columns": ALARM_COLUMNS, "rows": _alarm_rows(cleared),
         "empty": "No alarm cleared" if record.get("after") is not None else "Not read after the upgrade"},
    ]
    rollback = record.get("rollback")
    if rollback:
        sections.append({"title": "Rollback", "columns": [{"key": "version", "label": "Version"}, {"key": "outcome", "label": "Result"},
                                                          {"key": "detail", "label": "Detail"}],
                         "rows": [{"version": _text(rollback.get("version")), "outcome": _text(rollback.get("result")),
                                   "detail": _text(rollback.get("message")),
                                   "severity": "ok" if rollback.get("result") == "rolled_back" else "critical"}]})
    if record.get("backup"):
        sections.append({"title": "Configuration backup", "columns": [{"key": "path", "label": "File"}],
                         "rows": [{"path": str(record["backup"])}]})
    document = {"title": "Software upgrade: {0}".format(host), "description": description, "summary": summary,
                "problems": device_problems(record), "sections": sections}
    if generated:
        document["generated"] = generated
    return document


def _number_or_dash(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else "-"


def _precheck_row(check):
    passed = check.get("passed")
    outcome = "passed" if passed is True else ("failed" if passed is False else "skipped")
    return {"check": _text(check.get("name")), "outcome": outcome, "detail": _text(check.get("detail")),
            "severity": {"passed": "ok", "failed": "critical", "skipped": "info"}[outcome]}


def _phase_row(step):
    return {"phase": _text(step.get("phase")), "unit": _text(step.get("unit"), "(no answer)"),
            "version": _text(step.get("version")), "ha_state": _text(step.get("ha_state")), "at": step.get("at"),
            "elapsed": step.get("elapsed"), "description": _text(step.get("description")),
            "severity": "critical" if step.get("phase") in ("old_version", "wrong_version", "failover") else "info"}


def fleet_report(records, generated=None, pending=()):
    """The fleet summary: every device's result, problems first; ``pending`` names hosts not reached."""
    records = list(records) + [{"host": host, "result": "not_attempted",
                                "message": "not reached in this run (the fleet stopped, or a later batch)"} for host in pending]
    counts = {key: sum(1 for record in records if record.get("result") == key) for key in RESULTS}
    summary = [{"label": "Devices", "value": len(records)},
               {"label": "Upgraded", "value": counts["upgraded"], "severity": "ok"},
               {"label": "Already on the target version", "value": counts["current"]}]
    for key, label, severity in (("planned", "Planned (check mode)", "info"), ("failed", "Failed", "critical"),
                                 ("rolled_back", "Failed and rolled back", "major"), ("in_progress", "In progress", "warning"),
                                 ("not_attempted", "Not attempted", "warning")):
        if counts[key] or key == "failed":
            summary.append({"label": label, "value": counts[key], **({"severity": severity} if counts[key] else {})})
    problems = []
    for record in records:
        problems.extend(device_problems(record))
        if record.get("result") == "not_attempted":
            problems.append({"severity": "warning", "device": _text(record.get("host")), "text": record["message"]})
    rows = []
    for record in sorted(records, key=lambda r: (RESULT_ORDER.index(r["result"]) if r.get("result") in RESULT_ORDER else 0,
                                                 str(r.get("host")))):
        words, severity = result_words(record)
        before, after = _side(record, "before"), _side(record, "after")
        rows.append({"device": _text(record.get("host")), "address": _text(record.get("address")),
                     "method": _text(record.get("method")), "result": words,
                     "version_before": _text(before.get("version")), "version_after": _text(after.get("version")),
                     "active_before": _text(before.get("serial")), "active_after": _text(after.get("serial")),
                     "duration": record.get("duration"), "detail": _text(record.get("message"), ""), "severity": severity})
    document = {
        "title": "Software upgrade: fleet summary",
        "description": "One row per managed address (an HA pair is one device). Target: {0}.".format(
            ", ".join(sorted({_text(r.get("target_version")) for r in records if r.get("target_version")})) or "-"),
        "summary": summary, "problems": problems,
        "sections": [{"title": "Devices", "empty": "No device in this run", "rows": rows, "columns": [
            {"key": "device", "label": "Device"}, {"key": "address", "label": "Address"}, {"key": "method", "label": "Method"},
            {"key": "result", "label": "Result"}, {"key": "version_before", "label": "Version before"},
            {"key": "version_after", "label": "Version after"}, {"key": "active_before", "label": "Active unit before"},
            {"key": "active_after", "label": "Active unit after"}, {"key": "duration", "label": "Duration (s)", "type": "number"},
            {"key": "detail", "label": "Detail"}]}],
    }
    if generated:
        document["generated"] = generated
    return document
