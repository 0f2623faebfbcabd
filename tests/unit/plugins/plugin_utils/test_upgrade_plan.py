# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pre-checks, verification and report documents of the software_upgrade role, from facts alone."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.report import validate
from ansible_collections.audiocodes.mediant.plugins.plugin_utils.upgrade_plan import (
    PlanError,
    active_calls,
    compare_versions,
    precheck,
    verify,
)
from ansible_collections.audiocodes.mediant.plugins.plugin_utils.upgrade_report import device_report, fleet_report
from ansible_collections.audiocodes.mediant.plugins.module_utils.status import status_facts

OLD, NEW = "7.40A.500.010", "7.40A.600.001"


def facts(version=OLD, ha="Operational", serial="A", uptime=5000, at="2026-01-01T10:00:00.000Z", alarms=(), calls=(10, 5),
          skipped=None):
    status = status_facts({"versionID": version, "highAvailability": ha, "serialNumber": serial, "systemUpTime": uptime,
                           "localTimeStamp": at})
    return {"status": status, "alarms": [dict(alarm) for alarm in alarms], "skipped_subsets": dict(skipped or {}),
            "kpi": {"counters": {"activeCallsIn": calls[0], "activeCallsOut": calls[1]}}}


def options(**extra):
    return {"version": NEW, "method": "auto", "src": "new.cmp", **extra}


def failed(plan):
    return {check["name"] for check in plan["checks"] if check["passed"] is False}


@pytest.mark.parametrize("left, right, order", [
    (OLD, NEW, -1), (NEW, OLD, 1), (NEW, NEW, 0), ("7.40A.600.001", "7.40A.550.999", 1), ("7.20A.258.119", "7.40A.100.001", -1),
    ("7.40B.100.001", "7.40A.900.001", 1), ("7.00A.049.003", "7.00A.050.001", -1),
])
def test_versions_compare_field_by_field(left, right, order):
    assert compare_versions(left, right) == order


def test_pair_upgrades_hitless_stand_alone_standard():
    assert precheck(facts(), options())["method"] == "hitless"
    plan = precheck(facts(ha="Not Operational"), options())
    assert (plan["action"], plan["method"], plan["message"]) == ("upgrade", "standard", None)


def test_already_on_target_is_current():
    plan = precheck(facts(version=NEW), options())
    assert plan["action"] == "current" and plan["message"] is None


@pytest.mark.parametrize("device, opts, check", [
    (facts(version="7.40A.700.000"), {}, "version path"),
    (facts(ha="Redundant Not Available"), {}, "HA operational"),
    (facts(ha="Synchronizing"), {}, "HA operational"),
    (facts(ha="Active/Standby?"), {}, "HA operational"),
    (facts(alarms=[{"description": "Trunk down", "severity": "Major", "source": "Trunk#1"}]), {}, "alarms"),
    (facts(alarms=[{"description": "x", "severity": "Warning", "source": "b"}]), {"max_alarm_severity": "none"}, "alarms"),
    (facts(calls=(40, 2)), {"max_active_calls": 30}, "active calls"),
    (facts(ha="Not Operational"), {"method": "hitless"}, "method"),
    (facts(ha="Not Operational"), {"expected_ha": "pair"}, "HA mode"),
    (facts(), {"expected_ha": "stand_alone"}, "HA mode"),
    (facts(skipped={"files": "user 'Monitor' lacks the Administrator privilege level"}), {}, "reachable, privilege"),
    (facts(), {"src_exists": False}, "software load"),
    (facts(), {"rollback_version": OLD, "rollback_src": "old.cmp", "rollback_src_exists": False}, "rollback load"),
])
def test_each_refusal_names_its_check(device, opts, check):
    plan = precheck(device, options(**opts))
    assert plan["action"] == "refused"
    assert failed(plan) == {check}
    assert plan["message"].startswith("Pre-checks refused the upgrade, nothing was sent: " + check)


def test_allowed_downgrade_and_tolerated_alarm_pass():
    device = facts(version="7.40A.700.000", alarms=[{"description": "x", "severity": "Minor", "source": "b"}])
    assert precheck(device, options(allow_downgrade=True))["action"] == "upgrade"


def test_standard_upgrade_of_a_pair_warns_of_the_outage():
    plan = precheck(facts(), options(method="standard"))
    assert plan["action"] == "upgrade" and "both units reset at once" in plan["warnings"][0]


def test_unknown_calls_fail_only_when_a_limit_is_set():
    device = facts()
    device["kpi"] = {}
    assert active_calls(device) is None
    assert precheck(device, options())["action"] == "upgrade"
    assert failed(precheck(device, options(max_active_calls=5))) == {"active calls"}


def test_in_flight_record_resumes_or_restarts():
    before = facts()
    record = {"target_version": NEW, "method": "hitless", "started": "2026-01-01T10:00:00Z", "before": before}
    mid_way = precheck(facts(ha="Synchronizing"), options(), record)
    assert (mid_way["action"], mid_way["method"]) == ("resume", "hitless")
    assert mid_way["snapshot"]["serial"] == "A" and mid_way["snapshot"]["version"] == OLD
    assert precheck(facts(version=NEW, serial="B"), options(), record)["action"] == "resume"
    unchanged = precheck(facts(), options(), record)
    assert unchanged["action"] == "upgrade" and "did not take effect" in unchanged["warnings"][0]
    other_target = dict(record, target_version="7.40A.999.001")
    assert precheck(facts(ha="Synchronizing"), options(), other_target)["action"] == "refused"


def test_bad_options_are_named():
    with pytest.raises(PlanError, match="max_alarm_severity"):
        precheck(facts(), options(max_alarm_severity="bad"))
    with pytest.raises(PlanError, match="method"):
        precheck(facts(), options(method="fast"))


def after(**changes):
    base = dict(version=NEW, serial="B", uptime=30, at="2026-01-01T10:05:00.000Z")
    base.update(changes)
    return facts(**base)


def test_verify_hitless_success():
    verdict = verify(facts(), after(), options(), "hitless")
    assert verdict["message"] is None
    assert {check["name"] for check in verdict["checks"] if check["passed"]} >= {"version", "switchover", "reset", "HA operational"}


@pytest.mark.parametrize("device, check", [
    (after(version=OLD), "version"),
    (after(serial="A"), "switchover"),
    (after(uptime=9999), "reset"),
    (after(ha="Redundant Not Available"), "HA operational"),
    (after(alarms=[{"description": "License invalid", "severity": "Critical", "source": "Board#1"}]), "new alarms"),
])
def test_verify_failures(device, check):
    verdict = verify(facts(), device, options(), "hitless")
    assert check in {c["name"] for c in verdict["checks"] if c["passed"] is False}
    assert verdict["message"].startswith("Verification after the upgrade failed")


def test_an_alarm_present_before_is_not_new():
    alarm = {"description": "Trunk down", "severity": "Major", "source": "Trunk#1"}
    assert verify(facts(alarms=[alarm]), after(alarms=[alarm]), options(), "hitless")["message"] is None


def test_calls_lost_across_a_hitless_upgrade_warn():
    verdict = verify(facts(calls=(40, 40)), after(calls=(1, 0)), options(), "hitless")
    assert verdict["message"] is None and "fell from 80 to 1" in verdict["warnings"][0]


def test_reports_are_valid_documents():
    record = {"host": "pair1", "address": "10.0.0.1", "target_version": NEW, "method": "hitless", "result": "failed",
              "failed_step": "follow", "message": "Phase redundant_sync lasted longer than 900 s | <b>",
              "before": precheck(facts(), options())["snapshot"], "after": None, "prechecks": precheck(facts(), options())["checks"],
              "phases": [{"phase": "redundant_sync", "at": "2026-01-01T10:00:01Z", "elapsed": 3.2, "unit": "A",
                          "version": OLD, "ha_state": "Synchronizing", "description": "syncing"}],
              "rollback": {"version": OLD, "result": "not_possible", "message": "the pair is not operational"}, "duration": 950.0}
    document = device_report(record, "2026-01-01T10:00:00Z")
    validate(document)
    assert [problem["severity"] for problem in document["problems"]] == ["critical", "critical"]
    fleet = fleet_report([record, dict(record, host="sbc1", result="upgraded", message=None, rollback=None)], "2026-01-01T10:00:00Z",
                         pending=["sbc2"])
    validate(fleet)
    assert [row["device"] for row in fleet["sections"][0]["rows"]] == ["pair1", "sbc2", "sbc1"]
    assert fleet["summary"][0] == {"label": "Devices", "value": 3}
