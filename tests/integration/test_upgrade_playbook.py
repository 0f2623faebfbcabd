# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/upgrade.yml with its example inventory (two HA pairs, one stand-alone SBC) against the
simulator fleet of simulator/fleets/upgrade.yml: the canary first, then the rest; the fleet stops
at the first failure and the summary says who was not reached."""
from __future__ import annotations

import itertools

import pytest
import requests
import yaml

from tests.integration.device_helpers import REPO
from tests.integration.upgrade_helpers import NEW, OLD, RoleRunner, loads, unit_boots

PLAYBOOK = REPO / "playbooks" / "upgrade.yml"
INVENTORY = REPO / "playbooks" / "inventory" / "upgrade.yml"
FLEET_FILE = REPO / "simulator" / "fleets" / "upgrade.yml"
_addresses = (f"127.0.29.{number}" for number in itertools.count(1))


@pytest.fixture
def example_fleet(fleet):
    """The example's devices, as its fleet file declares them, on free addresses and ports."""
    devices = {}
    for spec in yaml.safe_load(FLEET_FILE.read_text())["devices"]:
        spec = dict(spec, address=next(_addresses), port=0, reset_seconds=1)
        if "ha" in spec:
            spec["ha"] = dict(spec["ha"], install_seconds=1.5, sync_seconds=1.0, switchover_seconds=0.5)
        devices[spec["name"]] = fleet.add_device(spec)
    return devices


def test_example_inventory_is_two_pairs_and_one_stand_alone():
    inventory = yaml.safe_load(INVENTORY.read_text())["mediant"]["children"]
    assert len(inventory["ha_pairs"]["hosts"]) == 2 and len(inventory["stand_alone"]["hosts"]) == 1
    declared = {spec["name"]: spec for spec in yaml.safe_load(FLEET_FILE.read_text())["devices"]}
    for group in inventory.values():
        for host, variables in group["hosts"].items():
            assert (declared[host]["address"], declared[host]["port"]) == (variables["mediant_host"], variables["mediant_port"])


def test_the_fleet_is_upgraded_canary_first(example_fleet, tmp_path):
    runner = RoleRunner(tmp_path / "run")
    new, _old = loads(tmp_path)
    run = runner.run(example_fleet, new, playbook=PLAYBOOK, inventories=[INVENTORY])
    assert run.rc == 0, run.stdout[-6000:]
    closes = [task["host"] for task in run.tasks if task["name"] == "Close the record"]
    assert closes[0] == "sbc-lon-ha" and sorted(closes[1:]) == ["sbc-nyc-ha", "sbc-par-1"]
    for host in ("sbc-lon-ha", "sbc-nyc-ha", "sbc-par-1"):
        assert run.record(host)["result"] == "upgraded", (host, run.record(host)["message"])
        assert example_fleet[host].snapshot()["firmware"] == NEW
    assert run.record("sbc-lon-ha")["method"] == "hitless" and run.record("sbc-par-1")["method"] == "standard"
    reports = run.reports()
    assert {"fleet", "sbc-lon-ha", "sbc-nyc-ha", "sbc-par-1"} <= set(reports)
    assert reports["fleet"]["summary"][:2] == [{"label": "Devices", "value": 3}, {"label": "Upgraded", "value": 3, "severity": "ok"}]
    run_dir = next(path for path in (runner.work / "reports").iterdir() if path.name != "in-flight")
    assert "| sbc-lon-ha |" in (run_dir / "fleet.md").read_text()
    assert "<html" in (run_dir / "fleet.html").read_text().lower()


def test_the_fleet_stops_at_the_canary_that_fails(example_fleet, tmp_path):
    runner = RoleRunner(tmp_path / "run")
    new, _old = loads(tmp_path)
    example_fleet["sbc-lon-ha"].add_phase_fault("boot_fails")
    others = {host: unit_boots(example_fleet[host]) for host in ("sbc-nyc-ha",)}
    run = runner.run(example_fleet, new, playbook=PLAYBOOK, inventories=[INVENTORY],
                     software_upgrade_timeouts={"start": 10, "install": 15, "sync": 15, "switchover": 8, "reset": 30})
    assert run.rc != 0
    assert run.record("sbc-lon-ha")["result"] == "failed"
    assert "could not boot software load 7.40A.600.001" in run.record("sbc-lon-ha")["message"]
    assert example_fleet["sbc-lon-ha"].snapshot()["firmware"] == OLD
    status = example_fleet["sbc-lon-ha"].wait_up(30) and requests.get(f"{example_fleet['sbc-lon-ha'].url}/api/v1/status", auth=("Admin", "Admin"),
                                                                    verify=False, timeout=10).json()
    assert status and status["versionID"] == OLD, status   # the canary still serves, on its old load
    assert unit_boots(example_fleet["sbc-nyc-ha"]) == others["sbc-nyc-ha"]
    assert example_fleet["sbc-par-1"].snapshot()["firmware"] == OLD
    fleet_report = run.reports()["fleet"]
    rows = {row["device"]: row["result"] for row in fleet_report["sections"][0]["rows"]}
    assert rows == {"sbc-lon-ha": "failed", "sbc-nyc-ha": "not attempted", "sbc-par-1": "not attempted"}


def test_check_mode_prints_the_plan_and_sends_nothing(example_fleet, tmp_path):
    """--check of the playbook: the plan (method per device, pre-check results) in the output, and the
    devices saw reads only: no upload, no reset, no write of any kind, and not one unit rebooted."""
    runner = RoleRunner(tmp_path / "run")
    new, _old = loads(tmp_path)
    boots = {host: unit_boots(device) if device.ha else device.boot_count for host, device in example_fleet.items()}
    for device in example_fleet.values():
        device.request_log.clear()
    run = runner.run(example_fleet, new, playbook=PLAYBOOK, inventories=[INVENTORY], check=True)
    assert run.rc == 0, run.stdout[-6000:]
    for host, device in example_fleet.items():
        method = "hitless" if device.ha else "standard"
        assert f"{host}: would {method}-upgrade {OLD} -> {NEW}" in run.stdout, run.stdout[-6000:]
        assert run.record(host)["result"] == "planned"
        seen = device.requests_seen()
        assert seen, host   # the pre-checks did read the device
        assert {(request["method"], request["path"]) for request in seen if request["method"] != "GET"} == set(), host
        assert not [request for request in seen if "software" in request["path"] or "reset" in request["path"]], host
        assert (unit_boots(device) if device.ha else device.boot_count) == boots[host], host
        assert device.snapshot()["firmware"] == OLD
    assert "version path: passed" in run.stdout and "HA operational: passed" in run.stdout
    assert not (runner.work / "reports").exists() and not (runner.work / "backups").exists()
