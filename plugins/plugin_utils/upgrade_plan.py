# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of the software_upgrade role: pre-checks before anything is sent, and verification after.

Pure library (standard library only, no Ansible imports), fed with what
``audiocodes.mediant.mediant_facts`` returned (``ansible_facts.mediant``) and the role's options.
Each check is ``{name, passed, detail}`` (``passed`` None: not applicable); the role fails with
``message`` when one failed. docs/roles/software_upgrade.md lists every check.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

# Alarm severities as the device names them, least severe first.
SEVERITY_ORDER = ("indeterminate", "warning", "minor", "major", "critical")
ALLOWED_CHOICES = ("none",) + SEVERITY_ORDER
METHODS = ("auto", "hitless", "standard")
EXPECTED_HA = ("any", "pair", "stand_alone")
VERSION_RE = re.compile(r"^(\d+)\.(\d+)([A-Za-z]*)\.(\d+)\.(\d+)$")
UPTIME_SLACK = 5


class PlanError(ValueError):
    """Options or facts the checks cannot work with; the message names the option."""


def version_key(version):
    """A sortable key for a Mediant version (7.40A.500.010); other texts sort by their numbers."""
    text = str(version or "").strip()
    match = VERSION_RE.match(text)
    if match:
        major, minor, letter, build, patch = match.groups()
        return (int(major), int(minor), letter.upper(), int(build), int(patch))
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.\-]", text))


def compare_versions(left, right):
    """-1, 0 or 1 as ``left`` is older than, the same as or newer than ``right``."""
    key_left, key_right = version_key(left), version_key(right)
    try:
        return (key_left > key_right) - (key_left < key_right)
    except TypeError:   # texts of different shapes: compare as text
        return (str(left) > str(right)) - (str(left) < str(right))


def severity_rank(severity):
    text = str(severity or "").strip().lower()
    return SEVERITY_ORDER.index(text) + 1 if text in SEVERITY_ORDER else 0


def active_calls(facts):
    """Active calls from the ``kpi`` facts subset (v7.4 call statistics or the v1.0 monitor); None when unknown."""
    kpi = (facts or {}).get("kpi") or {}
    counters = kpi.get("counters")
    if counters is None:
        counters = kpi.get("values") or {}
    try:
        if "activeCallsIn" in counters or "activeCallsOut" in counters:
            return int(counters.get("activeCallsIn") or 0) + int(counters.get("activeCallsOut") or 0)
        if "ActiveContextCount" in counters:
            return int(counters["ActiveContextCount"] or 0)
    except (TypeError, ValueError):
        return None
    return None


def snapshot(facts):
    """What the report keeps of a device's facts: the active unit, HA, calls, alarms."""
    status = (facts or {}).get("status") or {}
    ha = status.get("ha") or {}
    return {
        "version": status.get("version"), "serial": status.get("serial"), "ha_state": status.get("ha_state"),
        "ha_mode": ha.get("mode"), "ha_operational": ha.get("operational"), "uptime": status.get("uptime"),
        "local_time": status.get("local_time"), "active_calls": active_calls(facts),
        "alarms": [{"description": alarm.get("description"), "severity": alarm.get("severity"), "source": alarm.get("source")}
                   for alarm in (facts or {}).get("alarms") or []],
    }


def alarms_above(alarms, allowed):
    limit = 0 if allowed == "none" else severity_rank(allowed)
    return [alarm for alarm in alarms or [] if severity_rank(alarm.get("severity")) > limit]


def _check(name, passed, detail):
    return {"name": name, "passed": passed, "detail": detail}


def _options(options):
    opts = dict(options or {})
    for key in ("version", "method"):
        if not opts.get(key):
            raise PlanError("upgrade_precheck: option {0} is required".format(key))
    if opts["method"] not in METHODS:
        raise PlanError("method must be one of {0}, got {1!r}".format(", ".join(METHODS), opts["method"]))
    opts.setdefault("max_alarm_severity", "minor")
    if opts["max_alarm_severity"] not in ALLOWED_CHOICES:
        raise PlanError("max_alarm_severity must be one of {0}, got {1!r}".format(", ".join(ALLOWED_CHOICES), opts["max_alarm_severity"]))
    opts.setdefault("expected_ha", "any")
    if opts["expected_ha"] not in EXPECTED_HA:
        raise PlanError("expected_ha must be one of {0}, got {1!r}".format(", ".join(EXPECTED_HA), opts["expected_ha"]))
    return opts


def _alarm_text(alarms):
    return "; ".join("{0} ({1})".format(alarm.get("description"), alarm.get("severity")) for alarm in alarms)


def precheck(facts, options, inflight=None):
    """What to do with a device: ``action`` upgrade, current (already on target), resume (an earlier
    run's upgrade is in flight) or refused; the ``method``; every check; ``message`` when refused."""
    opts = _options(options)
    status = (facts or {}).get("status") or {}
    ha = status.get("ha") or {}
    skipped = (facts or {}).get("skipped_subsets") or {}
    target, running = opts["version"], status.get("version")
    pair = ha.get("mode") == "pair"
    checks, warnings = [], []

    privilege_missing = [name for name in ("files", "config") if name in skipped
                         and (name == "files" or opts.get("backup", True))]
    checks.append(_check("reachable, privilege", not privilege_missing,
                         "the device answers; user may upload software" + (" and read the configuration" if opts.get("backup", True) else "")
                         if not privilege_missing else
                         "; ".join("{0}: {1}".format(name, skipped[name]) for name in privilege_missing)
                         + " (uploading software needs Administrator, the configuration backup Security Administrator)"))

    resume = _resume(inflight, status, target)
    if resume == "resume":
        method = inflight.get("method")
        checks.append(_check("upgrade in flight", True, "an earlier run started a {0} upgrade to {1} at {2}; following it, "
                                                        "not uploading again".format(method, target, inflight.get("started"))))
        # What the report shows as "before" is the device when that run started.
        return _decision("resume", method, checks, warnings, inflight.get("before") or facts)
    if resume == "restart":
        warnings.append("an earlier run's upgrade (started {0}) did not take effect; starting again".format(inflight.get("started")))

    method = opts["method"]
    if method == "auto":
        method = "hitless" if pair else "standard"
    checks.append(_check("software load", opts.get("src_exists", True) is not False,
                         "{0} exists on the controller".format(opts.get("src")) if opts.get("src_exists", True) is not False
                         else "{0} does not exist on the controller (software_upgrade_src)".format(opts.get("src"))))
    if opts.get("rollback_version"):
        checks.append(_check("rollback load", opts.get("rollback_src_exists", True) is not False,
                             "{0} carries {1}".format(opts.get("rollback_src"), opts["rollback_version"])
                             if opts.get("rollback_src_exists", True) is not False
                             else "{0} does not exist on the controller (software_upgrade_rollback_src)".format(opts.get("rollback_src"))))

    order = compare_versions(target, running)
    if order == 0:
        checks.append(_check("version path", True, "the device already runs {0}: nothing to do".format(running)))
        return _decision("current", method, checks, warnings, facts)
    if order < 0 and not opts.get("allow_downgrade"):
        checks.append(_check("version path", False, "{0} is older than the running {1}: a downgrade; set "
                                                    "software_upgrade_allow_downgrade: true to allow it".format(target, running)))
    else:
        checks.append(_check("version path", True, "{0} -> {1}{2}".format(running, target, " (downgrade, allowed)" if order < 0 else "")))

    expected = opts["expected_ha"]
    if expected != "any" and (expected == "pair") != pair:
        checks.append(_check("HA mode", False, "the inventory expects {0}, the device reports {1} (highAvailability {2!r})".format(
            expected.replace("_", "-"), "an HA pair" if pair else "a stand-alone device", status.get("ha_state"))))
    if method == "hitless" and not pair:
        checks.append(_check("method", False, "hitless needs an HA pair; the device is stand-alone (highAvailability {0!r}); "
                                              "use software_upgrade_method: standard or auto".format(status.get("ha_state"))))
    else:
        detail = {"hitless": "hitless: the redundant unit first, then a switchover, then the other unit",
                  "standard": "standard: the device resets on the new load"}[method]
        if method == "standard" and pair:
            detail += "; both units of the pair reset at once (a service outage)"
            warnings.append("standard upgrade of an HA pair: both units reset at once, calls drop")
        checks.append(_check("method", True, detail))

    if pair and opts.get("require_ha_operational", True):
        checks.append(_check("HA operational", bool(ha.get("operational")),
                             "the pair is operational and synchronized, active unit {0}".format(status.get("serial"))
                             if ha.get("operational") else
                             "the pair is not operational: highAvailability {0!r} ({1}); wait until both units are up and "
                             "synchronized".format(status.get("ha_state"), ha.get("state"))))
    else:
        checks.append(_check("HA operational", None, "stand-alone device" if not pair else "not required"))

    too_severe = alarms_above((facts or {}).get("alarms"), opts["max_alarm_severity"])
    checks.append(_check("alarms", not too_severe,
                         "no active alarm above {0}".format(opts["max_alarm_severity"]) if not too_severe else
                         "{0} active alarm(s) above {1}: {2}".format(len(too_severe), opts["max_alarm_severity"], _alarm_text(too_severe))))

    calls, limit = active_calls(facts), opts.get("max_active_calls")
    if limit is None:
        checks.append(_check("active calls", None, "{0} active calls; no limit set".format("unknown" if calls is None else calls)))
    elif calls is None:
        checks.append(_check("active calls", False, "the device reports no call statistics, so the limit of {0} cannot be "
                                                    "checked".format(limit)))
    else:
        checks.append(_check("active calls", calls <= limit, "{0} active calls, at most {1} allowed".format(calls, limit)))

    refused = [check for check in checks if check["passed"] is False]
    return _decision("refused" if refused else "upgrade", method, checks, warnings, facts)


def _resume(inflight, status, target):
    """None (no earlier upgrade of this load), "resume" or "restart" (it did not take effect)."""
    if not inflight or inflight.get("target_version") != target:
        return None
    before = (inflight.get("before") or {}).get("status") or {}   # the facts from before that run's upload
    ha = status.get("ha") or {}
    settled = ha.get("mode") != "pair" or ha.get("operational")
    if settled and status.get("serial") == before.get("serial") and status.get("version") == before.get("version"):
        return "restart"
    return "resume"


def _decision(action, method, checks, warnings, facts):
    failed = [check for check in checks if check["passed"] is False]
    message = None
    if failed:
        message = "Pre-checks refused the upgrade, nothing was sent: " + "; ".join(
            "{0}: {1}".format(check["name"], check["detail"]) for check in failed)
    return {"action": action, "method": method, "checks": checks, "warnings": warnings, "message": message,
            "calls": active_calls(facts), "calls_ok": not any(c["name"] == "active calls" and c["passed"] is False for c in checks),
            "snapshot": snapshot(facts)}


def _device_seconds(before, after):
    try:
        then = datetime.strptime(str(before.get("local_time")), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        now = datetime.strptime(str(after.get("local_time")), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return (now - then).total_seconds()


def verify(before_facts, after_facts, options, method):
    """Checks after the upgrade: target version, reset(s) happened, pair operational, no new alarm
    above the limit, calls back. A device that answers 200 but changed nothing fails here."""
    opts = _options(dict(options or {}, method=method if method in METHODS else "auto"))
    before, after = snapshot(before_facts), snapshot(after_facts)
    target = opts["version"]
    checks, warnings = [], []
    checks.append(_check("version", after["version"] == target,
                         "the device runs {0}".format(after["version"]) if after["version"] == target else
                         "the device runs {0}, not {1}".format(after["version"], target)))
    elapsed = _device_seconds(before, after)
    if method == "hitless":
        switched = after["serial"] != before["serial"]
        checks.append(_check("switchover", switched,
                             "unit {0} is active now (unit {1} was)".format(after["serial"], before["serial"]) if switched else
                             "unit {0} is still active: the switchover did not happen".format(after["serial"])))
    if isinstance(after["uptime"], int) and elapsed is not None:
        fresh = after["uptime"] <= elapsed + UPTIME_SLACK
        checks.append(_check("reset", fresh, "the active unit booted {0} s ago, during the upgrade".format(after["uptime"]) if fresh else
                             "the active unit has been up {0} s, longer than the upgrade took ({1:.0f} s): it did not "
                             "reset".format(after["uptime"], elapsed)))
    else:
        checks.append(_check("reset", None, "the device reports no uptime (REST API v1.0)"))
    if before["ha_mode"] == "pair":
        checks.append(_check("HA operational", bool(after["ha_operational"]),
                             "the pair is operational again" if after["ha_operational"] else
                             "the pair is not operational: highAvailability {0!r}".format(after["ha_state"])))
    before_keys = {(alarm["description"], alarm["source"]) for alarm in before["alarms"]}
    new = [alarm for alarm in after["alarms"] if (alarm["description"], alarm["source"]) not in before_keys]
    too_severe = alarms_above(new, opts["max_alarm_severity"])
    checks.append(_check("new alarms", not too_severe,
                         "no new alarm above {0}{1}".format(opts["max_alarm_severity"], " ({0} new below it)".format(len(new)) if new else "")
                         if not too_severe else
                         "new alarm(s) above {0}: {1}".format(opts["max_alarm_severity"], _alarm_text(too_severe))))
    calls_before, calls_after = before["active_calls"], after["active_calls"]
    if method == "hitless" and calls_before and calls_after is not None and calls_after < calls_before / 2:
        warnings.append("active calls fell from {0} to {1} across the hitless upgrade".format(calls_before, calls_after))
    checks.append(_check("calls", None if calls_after is None else True,
                         "{0} active calls before, {1} after".format(
                             "unknown" if calls_before is None else calls_before, "unknown" if calls_after is None else calls_after)))
    failed = [check for check in checks if check["passed"] is False]
    message = None
    if failed:
        message = "Verification after the upgrade failed: " + "; ".join(
            "{0}: {1}".format(check["name"], check["detail"]) for check in failed)
    return {"checks": checks, "warnings": warnings, "message": message, "snapshot": after}
