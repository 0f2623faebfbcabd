# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/upgrade.yml as a user runs it, against the example inventory playbooks/inventory/fleet/
(simulator/fleets/example.yml: two HA pairs, two stand-alone SBCs, a gateway) limited to the SBCs:
check mode plans and sends nothing; the canary first, then the rest; the fleet stops at the first
failure and the summary says who was not reached."""
from __future__ import annotations

import json

import pytest
import yaml

from tests.integration.device_helpers import stable
from tests.integration.fleet_inventory import EXAMPLE_FLEET, EXAMPLE_INVENTORY, start_example_fleet
from tests.integration.upgrade_helpers import FAST_TIMEOUTS, NEW, OLD, loads, unit_boots

PAIRS = ("sbc-fra-ha", "sbc-dal-ha")
STAND_ALONE = ("sbc-lon-1", "sbc-nyc-1")
SBCS = PAIRS + STAND_ALONE


def fast_phases(spec):
    """The example's devices with phases short enough for CI, long enough for a 0.3 s poll to see."""
    if "ha" in spec:
        spec["ha"] = dict(spec["ha"], install_seconds=1.5, sync_seconds=1.0, switchover_seconds=0.5)
    return spec


@pytest.fixture
def example(fleet, tmp_path):
    return start_example_fleet(fleet, tmp_path, adjust=fast_phases)


def role_vars(tmp_path, src, **extra):
    return {"software_upgrade_src": str(src), "software_upgrade_version": NEW, "software_upgrade_poll_interval": 0.3,
            "software_upgrade_timeouts": dict(FAST_TIMEOUTS), "software_upgrade_report_dir": str(tmp_path / "reports"),
            "software_upgrade_backup_dir": str(tmp_path / "backups"), **extra}


def record(run, host):
    found = [task["result"]["ansible_facts"]["software_upgrade_result"] for task in run.tasks
             if task["host"] == host and task["name"] == "Close the record"]
    assert found, f"no record for {host}\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
    return found[-1]


def reports(tmp_path):
    runs = [path for path in (tmp_path / "reports").iterdir() if path.is_dir() and path.name != "in-flight"]
    assert len(runs) == 1, runs
    return runs[0], {path.stem: json.loads(path.read_text()) for path in runs[0].glob("*.json")}


def test_the_example_inventory_is_the_example_fleet_with_two_real_pairs():
    declared = {spec["name"]: spec for spec in yaml.safe_load(EXAMPLE_FLEET.read_text())["devices"]}
    hosts = yaml.safe_load((EXAMPLE_INVENTORY / "hosts.yml").read_text())["mediant"]["children"]
    assert sorted(hosts["ha_pairs"]["hosts"]) == sorted(PAIRS)
    for name in PAIRS:
        assert len(declared[name]["ha"]["units"]) == 2, name   # simulated as two units, not a named partner
    for name in STAND_ALONE:
        assert "ha" not in declared[name] and "ha_partner" not in declared[name], name
    for name, spec in declared.items():
        connection = yaml.safe_load((EXAMPLE_INVENTORY / "host_vars" / name / "connection.yml").read_text())
        assert (connection["mediant_host"], connection["mediant_port"]) == (spec["address"], spec["port"]), name
    # One example inventory for every playbook: no second, upgrade-only one.
    assert not (EXAMPLE_INVENTORY.parent / "upgrade.yml").exists()
    assert not (EXAMPLE_FLEET.parent / "upgrade.yml").exists()


def test_check_mode_prints_the_plan_and_sends_nothing(example, tmp_path):
    new, _old = loads(tmp_path)
    before = {name: stable(device.snapshot()) for name, device in example.devices.items()}
    example.devices["sbc-nyc-1"].raise_alarm("Trunk group 1 is down", severity="Major")
    run = example.run("upgrade.yml", "--check", "--limit", "sbc", extra_vars=role_vars(tmp_path, new))
    assert run.rc != 0   # sbc-nyc-1's alarm refuses it; a check run stops the fleet as a real one would
    for name in PAIRS:
        if record(run, name)["result"] == "planned":
            assert f"{name}: would hitless-upgrade {OLD} -> {NEW} (HA pair, active unit" in run.stdout
    assert record(run, "sbc-fra-ha")["result"] == "planned"   # the canary: a pair
    assert "version path: passed" in run.stdout and "HA operational: passed" in run.stdout
    # Nothing that writes reached any device, and nothing changed on them.
    for name, device in example.devices.items():
        assert device.requests_received() == [], (name, device.requests_received())
        snapshot = stable(device.snapshot())
        snapshot["alarms"], before[name]["alarms"] = None, None
        assert snapshot == before[name], name
    assert not (tmp_path / "reports").exists() and not (tmp_path / "backups").exists()


def test_check_mode_plans_every_sbc(example, tmp_path):
    new, _old = loads(tmp_path)
    run = example.run("upgrade.yml", "--check", "--limit", "sbc", extra_vars=role_vars(tmp_path, new))
    assert run.rc == 0, run.stdout[-4000:]
    for name in PAIRS:
        assert record(run, name)["method"] == "hitless"
        assert f"{name}: would hitless-upgrade {OLD} -> {NEW} (HA pair, active unit" in run.stdout
    for name in STAND_ALONE:
        assert record(run, name)["method"] == "standard"
        assert f"{name}: would standard-upgrade {OLD} -> {NEW} (stand-alone)" in run.stdout
    assert "gw-par-1" not in run.stdout
    for name, device in example.devices.items():
        assert device.requests_received() == [], (name, device.requests_received())
        assert device.snapshot()["firmware"] == (OLD if name != "gw-par-1" else "7.00A.049.003")


def test_the_fleet_is_upgraded_canary_first(example, tmp_path):
    new, _old = loads(tmp_path)
    gateway = stable(example.devices["gw-par-1"].snapshot())
    run = example.run("upgrade.yml", "--limit", "sbc", extra_vars=role_vars(tmp_path, new))
    assert run.rc == 0, run.stdout[-6000:]
    closes = [task["host"] for task in run.tasks if task["name"] == "Close the record"]
    assert closes[0] == "sbc-fra-ha" and sorted(closes[1:]) == sorted(SBCS[1:]), closes
    for host in SBCS:
        assert record(run, host)["result"] == "upgraded", (host, record(run, host)["message"])
        assert example.devices[host].snapshot()["firmware"] == NEW
    for host in PAIRS:
        assert record(run, host)["method"] == "hitless"
        assert record(run, host)["after"]["serial"] != record(run, host)["before"]["serial"]   # the other unit serves
    assert {record(run, host)["method"] for host in STAND_ALONE} == {"standard"}
    assert stable(example.devices["gw-par-1"].snapshot()) == gateway   # not in --limit: untouched
    run_dir, documents = reports(tmp_path)
    assert {"fleet", *SBCS} <= set(documents)
    assert documents["fleet"]["summary"][:2] == [{"label": "Devices", "value": 4}, {"label": "Upgraded", "value": 4, "severity": "ok"}]
    assert "| sbc-fra-ha |" in (run_dir / "fleet.md").read_text()
    assert "<html" in (run_dir / "fleet.html").read_text().lower()


def test_the_fleet_stops_at_the_canary_that_fails(example, tmp_path):
    new, _old = loads(tmp_path)
    canary = example.devices["sbc-fra-ha"]
    canary.add_phase_fault("boot_fails")
    serial = canary.serial
    others = unit_boots(example.devices["sbc-dal-ha"])
    timeouts = {"start": 10, "install": 15, "sync": 15, "switchover": 8, "reset": 30, "upload": 60}
    run = example.run("upgrade.yml", "--limit", "sbc", extra_vars=role_vars(tmp_path, new, software_upgrade_timeouts=timeouts))
    assert run.rc != 0
    assert record(run, "sbc-fra-ha")["result"] == "failed"
    assert "could not boot software load 7.40A.600.001" in record(run, "sbc-fra-ha")["message"]
    # The canary keeps serving on its old load, on the unit that was active; nobody else was touched.
    status = canary.snapshot()
    assert (status["firmware"], status["serial"], status["state"]) == (OLD, serial, "up")
    assert unit_boots(example.devices["sbc-dal-ha"]) == others
    for name in ("sbc-dal-ha", *STAND_ALONE):
        assert example.devices[name].requests_received() == [], name
        assert example.devices[name].snapshot()["firmware"] == OLD
    rows = {row["device"]: row["result"] for row in reports(tmp_path)[1]["fleet"]["sections"][0]["rows"]}
    assert rows == {"sbc-fra-ha": "failed", **{name: "not attempted" for name in ("sbc-dal-ha", *STAND_ALONE)}}
