# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role audiocodes.mediant.software_upgrade against simulated HA pairs and stand-alone units:
the happy paths, already on target, every pre-check refusal, every injected fault (the role fails
clearly, the device keeps serving), rollback, a run interrupted and resumed, check mode.

Several devices share one run wherever the role treats them independently (no `serial`), so a
run of ansible-playbook covers many cases at once."""
from __future__ import annotations

import requests
import pytest

from tests.integration.device_helpers import stable
from tests.integration.upgrade_helpers import (
    NEW,
    OLD,
    RoleRunner,
    add_pair,
    add_stand_alone,
    loads,
    unit_boots,
    wait_for,
)


@pytest.fixture
def runner(tmp_path):
    return RoleRunner(tmp_path / "run")


@pytest.fixture
def cmp_files(tmp_path):
    return loads(tmp_path)


def serving(device):
    """(serial, version, highAvailability) the address answers with now: the device still serves."""
    body = requests.get(f"{device.url}/api/v1/status", auth=("Admin", "Admin"), verify=False, timeout=10).json()
    return body["serialNumber"], body["versionID"], body["highAvailability"]


def checks(record, name):
    return [check for check in record["prechecks"] if check["name"] == name]


def test_pair_hitless_and_stand_alone_standard_then_already_on_target(fleet, runner, cmp_files):
    # Phases of a few seconds: with two hosts in lockstep, one follow step of the role takes seconds here.
    pair, unit = add_pair(fleet, "pair1", install_seconds=4.0, sync_seconds=3.0), add_stand_alone(fleet, "sbc1")
    serial_before = pair.serial
    boots = unit_boots(pair)
    # Under the threshold (minor): allowed; the reset of the upgrade clears it, the report says so.
    unit.raise_alarm("Proxy set 3 keep-alive late", severity="Minor")
    run = runner.run({"pair1": pair, "sbc1": unit}, cmp_files[0])
    assert run.rc == 0, run.stdout[-5000:]

    record = run.record("pair1")
    assert (record["result"], record["method"], record["changed"]) == ("upgraded", "hitless", True)
    assert (record["before"]["version"], record["after"]["version"]) == (OLD, NEW)
    assert record["before"]["serial"] == serial_before and record["after"]["serial"] != serial_before
    phases = [step["phase"] for step in record["phases"]]
    # The unit before the switchover, then the other one: phases of both halves were seen, in order.
    assert phases[-1] == "completed", phases
    first_half = [phases.index(p) for p in ("redundant_upgrade", "redundant_sync", "awaiting_switchover") if p in phases]
    second_half = [phases.index(p) for p in ("peer_upgrade", "peer_sync") if p in phases]
    assert first_half and second_half and max(first_half) < min(second_half), phases
    assert [check["passed"] for check in record["verification"] if check["name"] in ("version", "switchover", "reset", "HA operational")] \
        == [True, True, True, True]
    assert unit_boots(pair) == {name: count + 1 for name, count in boots.items()}   # each unit reset once
    assert serving(pair)[1:] == (NEW, "Operational")
    # Progress in the output: which unit, which phase, elapsed.
    assert "pair1: completed after" in run.stdout and f"unit {record['after']['serial']}: unit {record['after']['serial']} runs" \
        in run.stdout, run.stdout[-4000:]
    assert any(f"pair1: {phase} after" in run.stdout for phase in ("redundant_upgrade", "redundant_sync")), run.stdout[-4000:]

    standard = run.record("sbc1")
    assert (standard["result"], standard["method"]) == ("upgraded", "standard")
    assert [step["phase"] for step in standard["phases"]][-1] == "completed"
    assert unit.snapshot()["firmware"] == NEW

    assert_reports_tell_the_upgrade(run, record, standard, serial_before)
    backup = runner.work / "backups"
    assert sorted(path.name.split("_")[0] for path in backup.iterdir()) == ["pair1", "sbc1"]
    assert "[SYSTEM Params]" in next(backup.glob("pair1_*.ini")).read_text()
    assert not list((runner.work / "reports" / "in-flight").glob("*.json"))

    again = runner.run({"pair1": pair, "sbc1": unit}, cmp_files[0])
    assert again.rc == 0, again.stdout[-3000:]
    assert [again.record(host)["result"] for host in ("pair1", "sbc1")] == ["current", "current"]
    assert "changed=0" in again.stdout.split("PLAY RECAP")[1]
    assert unit_boots(pair) == {name: count + 1 for name, count in boots.items()}


def section(document, title):
    return next(part for part in document["sections"] if part["title"] == title)


def assert_reports_tell_the_upgrade(run, record, standard, serial_before):
    """The reports (JSON documents, their Markdown and HTML renderings) say what the issue lists: versions
    and active units before/after, phases with timestamps, alarms raised/cleared, calls before/after."""
    reports = run.reports()
    run_dir = next(path for path in (run.work / "reports").iterdir() if path.is_dir() and path.name != "in-flight")
    pair_report = reports["pair1"]
    figures = {figure["label"]: figure["value"] for figure in pair_report["summary"]}
    assert figures["Result"] == "upgraded" and figures["Method"] == "hitless"
    assert (figures["Version before"], figures["Version after"]) == (OLD, NEW)
    assert (figures["Active unit before"], figures["Active unit after"]) == (serial_before, record["after"]["serial"])
    assert isinstance(figures["Active calls before"], int) and isinstance(figures["Active calls after"], int), figures
    phases = section(pair_report, "Phases")["rows"]
    assert [row["phase"] for row in phases] == [step["phase"] for step in record["phases"]] and phases[-1]["phase"] == "completed"
    assert all(row["at"] and row["at"].startswith(pair_report["generated"][:4]) and row["at"].endswith("Z") for row in phases), phases
    assert [row["at"] for row in phases] == sorted(row["at"] for row in phases)
    markdown = (run_dir / "pair1.md").read_text()
    for text in (OLD, NEW, serial_before, record["after"]["serial"], "Phases", "completed", "Active calls before"):
        assert text in markdown, (text, markdown[:3000])
    assert serial_before in (run_dir / "pair1.html").read_text()

    stand_alone = reports["sbc1"]
    cleared = section(stand_alone, "Alarms cleared during the upgrade")["rows"]
    assert [row["description"] for row in cleared] == ["Proxy set 3 keep-alive late"], cleared
    assert section(stand_alone, "Alarms raised during the upgrade")["rows"] == []
    assert "Proxy set 3 keep-alive late" in (run_dir / "sbc1.md").read_text()
    assert standard["before"]["serial"] == standard["after"]["serial"]

    fleet_report = reports["fleet"]
    assert fleet_report["summary"][:2] == [{"label": "Devices", "value": 2}, {"label": "Upgraded", "value": 2, "severity": "ok"}]
    rows = {row["device"]: row for row in section(fleet_report, "Devices")["rows"]}
    assert (rows["pair1"]["version_before"], rows["pair1"]["version_after"], rows["pair1"]["method"]) == (OLD, NEW, "hitless")
    assert (rows["pair1"]["active_before"], rows["pair1"]["active_after"]) == (serial_before, record["after"]["serial"])
    assert (rows["sbc1"]["method"], rows["sbc1"]["version_after"]) == ("standard", NEW)
    fleet_markdown = (run_dir / "fleet.md").read_text()
    assert "| pair1 |" in fleet_markdown and "| sbc1 |" in fleet_markdown and record["after"]["serial"] in fleet_markdown


def test_check_mode_prints_the_plan_and_sends_nothing(fleet, runner, cmp_files):
    pair, unit = add_pair(fleet, "pair1"), add_stand_alone(fleet, "sbc1")
    before = {name: stable(device.snapshot()) for name, device in (("pair1", pair), ("sbc1", unit))}
    for device in (pair, unit):
        device.request_log.clear()
    run = runner.run({"pair1": pair, "sbc1": unit}, cmp_files[0], check=True)
    assert run.rc == 0, run.stdout[-4000:]
    assert [run.record(host)["result"] for host in ("pair1", "sbc1")] == ["planned", "planned"]
    assert "pair1: would hitless-upgrade 7.40A.500.010 -> 7.40A.600.001" in run.stdout
    assert "sbc1: would standard-upgrade 7.40A.500.010 -> 7.40A.600.001" in run.stdout
    assert "version path: passed" in run.stdout
    after = {name: stable(device.snapshot()) for name, device in (("pair1", pair), ("sbc1", unit))}
    assert after == before
    for device in (pair, unit):   # read, and nothing else: no upload, no reset, no write
        assert device.request_log and device.requests_received() == [], device.requests_received()
        assert {method for method, _path in device.request_log} == {"GET"}
    assert not (runner.work / "reports").exists() and not (runner.work / "backups").exists()


def test_each_pre_check_refuses_before_anything_is_sent(fleet, runner, cmp_files, tmp_path):
    devices = {
        "downgrade": add_stand_alone(fleet, "downgrade", firmware="7.40A.700.000"),
        "degraded": add_pair(fleet, "degraded"),
        "alarmed": add_stand_alone(fleet, "alarmed"),
        "busy": add_stand_alone(fleet, "busy"),
        "nopair": add_stand_alone(fleet, "nopair"),
        "expected": add_stand_alone(fleet, "expected"),
        "monitor": add_stand_alone(fleet, "monitor"),
        "noload": add_stand_alone(fleet, "noload"),
    }
    devices["degraded"].kill_unit("degraded-b")
    devices["alarmed"].raise_alarm("Trunk group 1 is down", severity="Major")
    unreachable = add_stand_alone(fleet, "unreachable")
    devices["unreachable"] = unreachable
    before = {name: stable(device.snapshot()) for name, device in devices.items()}
    fleet.remove_device("unreachable")   # its address no longer answers
    host_vars = {"downgrade": {"software_upgrade_allow_downgrade": "false"},   # as an AWX survey gives it: text
                 "busy": {"software_upgrade_max_active_calls": 0}, "nopair": {"software_upgrade_method": "hitless"},
                 "expected": {"software_upgrade_expected_ha": "pair"}, "monitor": {"mediant_username": "Monitor",
                                                                                   "mediant_password": "Monitor"},
                 "noload": {"software_upgrade_src": str(tmp_path / "missing.cmp")}}
    run = runner.run(devices, cmp_files[0], host_vars=host_vars)
    assert run.rc != 0
    expected = {
        "downgrade": ("version path", "older than the running 7.40A.700.000: a downgrade"),
        "degraded": ("HA operational", "not operational: highAvailability 'Redundant Not Available'"),
        "alarmed": ("alarms", "Trunk group 1 is down (Major)"),
        "busy": ("active calls", "at most 0 allowed"),
        "nopair": ("method", "hitless needs an HA pair"),
        "expected": ("HA mode", "the inventory expects pair, the device reports a stand-alone device"),
        "monitor": ("reachable, privilege", "needs Administrator"),
        "noload": ("software load", "missing.cmp does not exist on the controller"),
    }
    for host, (check, text) in expected.items():
        record = run.record(host)
        assert (record["result"], record["failed_step"]) == ("failed", "pre-checks"), (host, record["message"])
        assert record["message"].startswith("Pre-checks refused the upgrade, nothing was sent"), (host, record["message"])
        assert text in checks(record, check)[0]["detail"], (host, record["prechecks"])
        assert stable(devices[host].snapshot()) == before[host], host
    record = run.record("unreachable")
    assert record["failed_step"] == "pre-checks" and "Cannot connect to the device" in record["message"]
    fleet_report = run.reports()["fleet"]
    assert {row["device"] for row in fleet_report["sections"][0]["rows"] if row["severity"] == "critical"} == set(devices)


def fault(device, name, phase=None):
    device.add_phase_fault(name, phase)


def test_each_injected_fault_fails_clearly_and_the_device_keeps_serving(fleet, runner, cmp_files):
    devices = {name: add_pair(fleet, name) for name in ("never", "bootfails", "noswitch", "nosync", "peerdown")}
    devices["standard"] = add_stand_alone(fleet, "standard")
    fault(devices["never"], "never_returns")
    fault(devices["bootfails"], "boot_fails")
    fault(devices["noswitch"], "no_switchover")
    fault(devices["nosync"], "sync_never_ends")
    fault(devices["peerdown"], "never_returns", "peer_reset")
    fault(devices["standard"], "boot_fails", "reset")
    serials = {name: device.serial for name, device in devices.items()}
    timeouts = {"start": 12, "install": 12, "sync": 8, "switchover": 8, "reset": 30, "upload": 60}
    run = runner.run(devices, cmp_files[0], software_upgrade_timeouts=timeouts)
    assert run.rc != 0
    expected = {
        "never": ("phase redundant_upgrade lasted longer than 12 s", (serials["never"], OLD, "Redundant Not Available")),
        # The device gives up on its own and the pair is operational again on the old version: the
        # phase seen last (accepted, when the follow step came late, or awaiting_switchover) times out.
        "bootfails": ("lasted longer than", (serials["bootfails"], OLD, "Operational")),
        "noswitch": ("lasted longer than", (serials["noswitch"], OLD, "Operational")),
        "nosync": ("phase redundant_sync lasted longer than 8 s", (serials["nosync"], OLD, "Synchronizing")),
        "standard": ("came back on 7.40a.500.010, its version before", (serials["standard"], OLD, "Not Operational")),
    }
    for host, (text, still) in expected.items():
        record = run.record(host)
        assert (record["result"], record["failed_step"]) == ("failed", "follow"), (host, record["message"])
        assert text in record["message"].lower(), (host, record["message"])
        assert serving(devices[host]) == still, host
    # The device's own words explain an abandoned upgrade.
    assert "could not boot software load 7.40A.600.001" in run.record("bootfails")["message"]
    assert "Switchover to unit" in run.record("noswitch")["message"] and "failed" in run.record("noswitch")["message"]
    peer = run.record("peerdown")
    assert "phase peer_upgrade lasted longer than 12 s" in peer["message"].lower()
    assert serving(devices["peerdown"])[1:] == (NEW, "Redundant Not Available")
    assert serving(devices["peerdown"])[0] != serials["peerdown"]
    # A phase that timed out may still run on the device: its in-flight record stays for a rerun;
    # an upgrade that ended (the old version came back) leaves none.
    in_flight = {path.stem for path in (runner.work / "reports" / "in-flight").glob("*.json")}
    assert in_flight == {"never", "bootfails", "noswitch", "nosync", "peerdown"}
    problems = run.reports()["fleet"]["problems"]
    assert {problem["device"] for problem in problems if problem["severity"] == "critical"} == set(devices)


def test_rollback_to_the_previous_load_after_a_failed_verification(fleet, runner, cmp_files):
    devices = {"pair1": add_pair(fleet, "pair1"), "sbc1": add_stand_alone(fleet, "sbc1")}
    for device in devices.values():
        device.set_load_alarm(NEW, "Feature key SBC-SIGNALING not valid for this load", "Critical")
    run = runner.run(devices, cmp_files[0], software_upgrade_rollback_src=str(cmp_files[1]), software_upgrade_rollback_version=OLD)
    assert run.rc != 0
    for host, method in (("pair1", "hitless"), ("sbc1", "standard")):
        record = run.record(host)
        assert (record["result"], record["failed_step"], record["method"]) == ("rolled_back", "verify", method), record["message"]
        assert "new alarm(s) above minor: Feature key SBC-SIGNALING not valid for this load (Critical)" in record["message"]
        assert record["rollback"]["result"] == "rolled_back"
        assert record["after"]["version"] == OLD
        # Serving again on the previous load; a pair is operational (both units on it), not left half-upgraded.
        assert serving(devices[host])[1:] == (OLD, "Operational" if method == "hitless" else "Not Operational"), host
        assert devices[host].snapshot()["firmware"] == OLD and devices[host].snapshot()["state"] == "up"
    assert "Rolled back to 7.40A.500.010" in run.stdout
    assert run.reports()["pair1"]["summary"][0] == {"label": "Result", "value": "failed, rolled back", "severity": "major"}


def test_a_run_interrupted_mid_upgrade_is_resumed_without_a_second_upload(fleet, runner, cmp_files):
    pair = add_pair(fleet, "pair1", install_seconds=3.0, sync_seconds=2.0)
    boots = unit_boots(pair)
    process = runner.start({"pair1": pair}, cmp_files[0])
    try:
        wait_for(lambda: pair.ha.phase in ("redundant_reset", "redundant_sync", "switchover"), timeout=240,
                 what="the upgrade under way")
    finally:
        runner.interrupt(process)
    assert (runner.work / "reports" / "in-flight" / "pair1.json").exists()
    run = runner.run({"pair1": pair}, cmp_files[0])
    assert run.rc == 0, run.stdout[-5000:]
    record = run.record("pair1")
    assert record["result"] == "upgraded"
    assert checks(record, "upgrade in flight")[0]["passed"] is True
    assert record["before"]["version"] in (OLD, NEW)
    assert unit_boots(pair) == {name: count + 1 for name, count in boots.items()}   # one upgrade, not two
    assert serving(pair)[1:] == (NEW, "Operational")
    assert not (runner.work / "reports" / "in-flight" / "pair1.json").exists()
