"""HA pairs: one address served by the active unit; standard and hitless uploads phase by phase;
faults in every phase; kill, revive and switchover; synchronization windows; license files per
unit; state across restarts. Everything observed over HTTP as a client sees it."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from simulator.ha import PAIR_OPERATIONAL, PAIR_REDUNDANT_NOT_AVAILABLE, PAIR_SYNCHRONIZING
from simulator.license import make_key, make_license_file
from simulator.software import write_cmp
from tests.simulator.conftest import DeviceClient

OLD = "7.40A.500.010"
NEW = "7.40A.600.001"
TIMINGS = {"install_seconds": 0.3, "sync_seconds": 0.4, "switchover_seconds": 0.3}
NO_RESET_INI = "[SYSTEM Params]\nSyslogServerIP = 10.9.9.9\n"


@pytest.fixture
def pair(make_device):
    """A pair on OLD, units a (active) and b, short phases."""
    def factory(units=None, **timings):
        spec_units = units or [{"name": "a", "serial": "101000000000001"}, {"name": "b", "serial": "101000000000002"}]
        return make_device(firmware=OLD, reset_seconds=0.3, ha={"units": spec_units, **TIMINGS, **timings})
    return factory


@pytest.fixture
def load(tmp_path):
    path = tmp_path / "new.cmp"
    write_cmp(path, NEW, 64 * 1024)
    return path.read_bytes()


def status(client, timeout=1.0):
    """(highAvailability, serialNumber, versionID, systemUpTime), or None while the address does not answer."""
    try:
        reply = client.get("status", timeout=timeout)
    except requests.RequestException:
        return None
    body = reply.json()
    return body["highAvailability"], body["serialNumber"], body["versionID"], body["systemUpTime"]


class Watcher:
    """Polls status in the background and keeps every distinct observation (None = no answer)."""

    def __init__(self, client):
        self.client = DeviceClient(client.device, client.ca_file)
        self.seen: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            observed = status(self.client, timeout=0.5)
            key = observed[:3] if observed else None
            if not self.seen or self.seen[-1] != key:
                self.seen.append(key)
            time.sleep(0.03)

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        return self.seen


def wait_for(predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout}s")


def idle_and(client, ha_state):
    def check():
        observed = status(client)
        return observed if observed and observed[0] == ha_state and client.device.ha.operation is None else None
    return check


def hitless(client, data):
    return client.put("files/software/hitless", files={"file": ("new.cmp", data)})


def history(client):
    """(description, severity) of every history record, all pages."""
    records, query = [], {"limit": 100}
    while True:
        reply = client.get("alarms/history", params=query)
        if reply.status_code == 204:
            return records
        page = reply.json()
        for alarm in page["alarms"]:
            detail = client.get(f"alarms/history/{alarm['id']}").json()
            records.append((detail["description"], detail["severity"]))
        after = page.get("cursor", {}).get("after")
        if after in (None, "-1", -1):
            return records
        query["after"] = after


def active_alarms(client):
    reply = client.get("alarms/active")
    return [] if reply.status_code == 204 else [alarm["description"] for alarm in reply.json()["alarms"]]


def test_a_pair_is_one_address_served_by_the_active_unit(pair, fleet):
    client = pair()
    ha_state, serial, version, _uptime = status(client)
    assert (ha_state, serial, version) == (PAIR_OPERATIONAL, "101000000000001", OLD)
    view = requests.get(f"{fleet.control_url}/devices/{client.device.name}/ha", timeout=5).json()
    assert [(unit["name"], unit["state"], unit["firmware"]) for unit in view["units"]] == [("a", "active", OLD), ("b", "redundant", OLD)]
    assert view["state"] == PAIR_OPERATIONAL and view["active_serial"] == "101000000000001"


def test_stand_alone_devices_keep_their_guide_values(make_device, fleet):
    assert status(make_device())[0] == "Not Operational"
    v1 = make_device(firmware="7.00A.100.001")
    assert v1.get("status").json()["highAvailability"] == "Stand Alone"
    assert requests.get(f"{fleet.control_url}/devices/{v1.device.name}/ha", timeout=5).status_code == 404


def test_hitless_upgrade_runs_every_phase_and_ends_on_the_other_unit(pair, load):
    client = pair()
    calls_before = int(client.get("kpi/current/sbc/callStats/global/establishedCallsInTotal").json()["value"])
    watcher = Watcher(client)
    reply = hitless(client, load)
    assert reply.status_code == 200
    assert reply.json() == {"description": "Device will perform switchover to activate new software load"}
    # The active unit keeps serving while the redundant one installs: writes wait for the upgrade.
    busy = client.post("actions/saveConfiguration")
    assert busy.status_code == 409, busy.text
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the pair operational again")
    time.sleep(0.3)
    seen = watcher.stop()
    assert final[1:3] == ("101000000000002", NEW)
    assert final[3] < 10, "the new active unit booted during the upgrade"
    expected = [(PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000001", OLD), (PAIR_SYNCHRONIZING, "101000000000001", OLD), None,
                (PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000002", NEW), (PAIR_SYNCHRONIZING, "101000000000002", NEW),
                (PAIR_OPERATIONAL, "101000000000002", NEW)]
    positions = [seen.index(item) for item in expected]
    assert positions == sorted(positions), seen
    units = {unit["name"]: unit for unit in client.device.ha.snapshot()["units"]}
    assert (units["a"]["state"], units["a"]["firmware"]) == ("redundant", NEW)
    assert (units["b"]["state"], units["b"]["firmware"]) == ("active", NEW)
    assert [step["phase"] for step in client.device.ha.snapshot()["sequence"]] == [
        "redundant_install", "redundant_reset", "redundant_sync", "switchover", "peer_install", "peer_reset", "peer_sync"]
    # Calls survive: the service's counters go on (no restart at the switchover).
    assert int(client.get("kpi/current/sbc/callStats/global/establishedCallsInTotal").json()["value"]) >= calls_before
    ha_stats = {item["id"]: item["value"] for item in client.get("kpi/current/network/haStats/global").json()["items"]}
    assert (ha_stats["haOperationalState"], ha_stats["haRedundantConnected"], ha_stats["haSwitchoversTotal"]) == (1, 1, 1), ha_stats
    texts = [text for text, _severity in history(client)]
    assert any(text.startswith("HA system fault: redundant unit 101000000000001") for text in texts), texts
    assert any(text.startswith("Switchover: unit 101000000000002 is now active") for text in texts), texts
    assert any("Hitless software upgrade to 7.40A.600.001 completed" in text for text in texts), texts
    assert ("Switchover: unit 101000000000002 is now active (hitless software upgrade to 7.40A.600.001)", "Cleared") in history(client)
    assert active_alarms(client) == []


def test_writes_get_409_during_synchronization(pair, load):
    client = pair(sync_seconds=1.5)
    assert hitless(client, load).status_code == 200
    wait_for(lambda: (status(client) or ("",))[0] == PAIR_SYNCHRONIZING, what="synchronization")
    reply = client.put("files/ini/incremental", files={"file": ("x.ini", NO_RESET_INI)})
    assert (reply.status_code, reply.json()) == (409, {"description": "Device is currently performing HA synchronization"})
    assert any("synchronization" in text for text in active_alarms(client))
    wait_for(idle_and(client, PAIR_OPERATIONAL), what="the end of the upgrade")


def test_a_second_upload_during_the_upgrade_is_refused(pair, load):
    client = pair(install_seconds=1.0)
    assert hitless(client, load).status_code == 200
    for path in ("files/software/hitless", "files/software"):
        reply = client.put(path, files={"file": ("new.cmp", load)})
        assert reply.status_code == 409, (path, reply.text)
    wait_for(idle_and(client, PAIR_OPERATIONAL), what="the end of the upgrade")
    assert client.device.ha.snapshot()["units"][0]["boot_count"] == 2   # one upgrade, not two


def test_standard_upload_on_a_pair_resets_both_units(pair, load):
    client = pair()
    boots = [unit["boot_count"] for unit in client.device.ha.snapshot()["units"]]
    reply = client.put("files/software", files={"file": ("new.cmp", load)})
    assert reply.json()["description"] == "Device will reset now to activate new software load"
    client.wait_down_and_up()
    observed = status(client)
    assert observed[1:3] == ("101000000000001", NEW) and observed[3] <= 2
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the pair synchronized after the reset")
    assert final[2] == NEW
    units = client.device.ha.snapshot()["units"]
    assert [unit["boot_count"] for unit in units] == [boots[0] + 1, boots[1] + 1]
    assert [unit["firmware"] for unit in units] == [NEW, NEW]


def test_hitless_is_refused_when_the_pair_is_not_operational(pair, load, fleet):
    client = pair()
    requests.post(f"{fleet.control_url}/devices/{client.device.name}/ha/units/b/kill", timeout=5).raise_for_status()
    reply = hitless(client, load)
    assert reply.status_code == 409
    assert "operational HA system" in reply.json()["description"]
    assert status(client)[:3] == (PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000001", OLD)


def test_redundant_on_a_newer_version_is_brought_down_to_the_active_one(pair):
    client = pair(units=[{"name": "a", "serial": "101000000000001", "firmware": OLD},
                         {"name": "b", "serial": "101000000000002", "firmware": NEW}])
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the redundant aligned")
    assert final[1:3] == ("101000000000001", OLD)
    assert [unit["firmware"] for unit in client.device.ha.snapshot()["units"]] == [OLD, OLD]
    assert any("loading the active unit's version 7.40A.500.010, it ran 7.40A.600.001" in text for text, _severity in history(client))


# ------------------------------------------------------------------ faults


def add_fault(fleet, client, fault, phase=None):
    body = {"fault": fault, **({"phase": phase} if phase else {})}
    reply = requests.post(f"{fleet.control_url}/devices/{client.device.name}/phase-faults", json=body, timeout=5)
    assert reply.status_code == 201, reply.text
    return reply.json()


def clear_faults(fleet, client):
    requests.delete(f"{fleet.control_url}/devices/{client.device.name}/phase-faults", timeout=5).raise_for_status()


def test_redundant_that_never_comes_back_leaves_the_active_serving(pair, load, fleet):
    client = pair()
    add_fault(fleet, client, "never_returns")
    assert hitless(client, load).status_code == 200
    time.sleep(2.0)
    assert status(client)[:3] == (PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000001", OLD)
    assert client.device.ha.phase == "redundant_reset"
    assert any("HA system fault" in text for text in active_alarms(client))
    assert client.get("kpi/current/sbc/callStats/global/activeCallsIn").status_code == 200
    clear_faults(fleet, client)   # the unit finally boots: the sequence goes on
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the upgrade finished")
    assert final[1:3] == ("101000000000002", NEW)


def test_new_load_that_fails_to_boot_abandons_the_upgrade(pair, load, fleet):
    client = pair()
    add_fault(fleet, client, "boot_fails")
    assert hitless(client, load).status_code == 200
    wait_for(lambda: client.device.ha.operation is None and client.device.ha.sequence_log, what="the sequence over")
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the pair operational")
    assert final[1:3] == ("101000000000001", OLD)
    assert [unit["firmware"] for unit in client.device.ha.snapshot()["units"]] == [OLD, OLD]
    texts = [text for text, _severity in history(client)]
    assert any("could not boot software load 7.40A.600.001" in text for text in texts), texts
    assert any("Hitless upgrade to 7.40A.600.001 abandoned" in text for text in texts), texts


def test_switchover_that_does_not_happen_brings_the_redundant_back(pair, load, fleet):
    client = pair()
    add_fault(fleet, client, "no_switchover")
    watcher = Watcher(client)
    assert hitless(client, load).status_code == 200
    wait_for(lambda: client.device.ha.operation is None and len(client.device.ha.sequence_log) > 3, what="the sequence over")
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the pair operational")
    seen = watcher.stop()
    assert None not in seen, "the address never stopped answering"
    assert final[1:3] == ("101000000000001", OLD)
    assert [unit["firmware"] for unit in client.device.ha.snapshot()["units"]] == [OLD, OLD]
    assert any("Switchover to unit 101000000000002 failed" in text for text, _severity in history(client))


def test_synchronization_that_never_ends_keeps_writes_refused(pair, load, fleet):
    client = pair()
    add_fault(fleet, client, "sync_never_ends")
    assert hitless(client, load).status_code == 200
    time.sleep(2.5)
    assert status(client)[:3] == (PAIR_SYNCHRONIZING, "101000000000001", OLD)
    assert client.post("actions/saveConfiguration").status_code == 409
    clear_faults(fleet, client)
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="the upgrade finished")
    assert final[1:3] == ("101000000000002", NEW)


def test_former_active_that_never_comes_back(pair, load, fleet):
    client = pair()
    add_fault(fleet, client, "never_returns", "peer_reset")
    assert hitless(client, load).status_code == 200
    wait_for(lambda: client.device.ha.phase == "peer_reset", what="the peer reset")
    time.sleep(1.0)
    assert status(client)[:3] == (PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000002", NEW)


def test_unknown_fault_or_phase_is_400(pair, fleet):
    client = pair()
    url = f"{fleet.control_url}/devices/{client.device.name}/phase-faults"
    assert requests.post(url, json={"fault": "melts"}, timeout=5).status_code == 400
    reply = requests.post(url, json={"fault": "no_switchover", "phase": "peer_sync"}, timeout=5)
    assert reply.status_code == 400 and "switchover" in reply.json()["description"]


def test_stand_alone_load_that_fails_to_boot_comes_back_on_the_old_version(make_device, load, fleet):
    client = make_device(firmware=OLD)
    add_fault(fleet, client, "boot_fails", "reset")
    assert client.put("files/software", files={"file": ("new.cmp", load)}).status_code == 200
    client.wait_down_and_up()
    assert client.get("status").json()["versionID"] == OLD
    assert any("could not boot" in text for text, _severity in history(client))


def test_load_alarm_is_raised_while_that_version_runs(make_device, load, fleet):
    client = make_device(firmware=OLD)
    body = {"version": NEW, "description": "Feature key missing for this load", "severity": "Critical"}
    assert requests.post(f"{fleet.control_url}/devices/{client.device.name}/load-alarms", json=body, timeout=5).status_code == 201
    assert active_alarms(client) == []
    client.put("files/software", files={"file": ("new.cmp", load)})
    client.wait_down_and_up()
    assert active_alarms(client) == ["Feature key missing for this load"]
    alarm_id = client.get("alarms/active").json()["alarms"][0]["id"]
    assert client.get(f"alarms/active/{alarm_id}").json()["severity"] == "Critical"


# ------------------------------------------------------------------ kill, revive, switchover


def control_post(fleet, client, path):
    return requests.post(f"{fleet.control_url}/devices/{client.device.name}/{path}", timeout=5)


def test_killing_the_active_unit_fails_over(pair, fleet):
    client = pair()
    assert control_post(fleet, client, "ha/units/a/kill").status_code == 200
    observed = wait_for(lambda: (status(client) or (None, None))[1] == "101000000000002" and status(client), what="failover")
    assert observed[0] == PAIR_REDUNDANT_NOT_AVAILABLE
    texts = active_alarms(client)
    assert any(text.startswith("Switchover: unit 101000000000002 is now active (unit 101000000000001 failed)") for text in texts), texts
    assert control_post(fleet, client, "ha/units/a/revive").status_code == 200
    final = wait_for(idle_and(client, PAIR_OPERATIONAL), what="unit a back as redundant")
    assert final[1] == "101000000000002"
    assert active_alarms(client) == []


def test_killing_the_redundant_unit_raises_the_ha_fault(pair, fleet):
    client = pair()
    control_post(fleet, client, "ha/units/b/kill").raise_for_status()
    assert status(client)[:2] == (PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000001")
    assert any("HA system fault: redundant unit 101000000000002" in text for text in active_alarms(client))
    assert control_post(fleet, client, "ha/units/b/kill").status_code == 200   # already down: nothing happens
    assert control_post(fleet, client, "ha/units/x/kill").status_code == 404


def test_both_units_down_then_one_powered_on(pair, fleet):
    client = pair()
    control_post(fleet, client, "ha/units/b/kill").raise_for_status()
    control_post(fleet, client, "ha/units/a/kill").raise_for_status()
    wait_for(lambda: status(client) is None, what="the address silent")
    control_post(fleet, client, "ha/units/b/revive").raise_for_status()
    observed = wait_for(lambda: status(client), what="unit b serving")
    assert observed[:2] == (PAIR_REDUNDANT_NOT_AVAILABLE, "101000000000002")


def test_forced_switchover_moves_the_address(pair, fleet):
    client = pair()
    uptime_before = status(client)[3]
    assert control_post(fleet, client, "ha/switchover").status_code == 200
    final = wait_for(lambda: (status(client) or (None, ""))[1] == "101000000000002" and idle_and(client, PAIR_OPERATIONAL)(),
                     what="switchover done")
    assert final[3] <= uptime_before + 1
    control_post(fleet, client, "ha/units/a/kill").raise_for_status()
    assert control_post(fleet, client, "ha/switchover").status_code == 409


# ------------------------------------------------------------------ synchronization of changes, license, persistence


def test_configuration_change_reaches_the_redundant_after_a_sync_window(pair):
    client = pair(sync_seconds=1.0)
    assert client.put("files/ini/incremental", files={"file": ("x.ini", NO_RESET_INI)}).status_code == 200
    assert status(client)[0] == PAIR_SYNCHRONIZING
    assert client.device.ha.snapshot()["synced"] is False
    assert client.post("actions/saveConfiguration").status_code == 409
    wait_for(idle_and(client, PAIR_OPERATIONAL), what="sync window over")
    assert client.device.ha.snapshot()["synced"] is True
    assert client.post("actions/saveConfiguration").status_code == 200


def test_failover_before_the_sync_loses_the_unsynchronized_change(pair, fleet):
    client = pair(sync_seconds=30)
    before = client.get("files/ini").text
    client.put("files/ini/incremental", files={"file": ("x.ini", NO_RESET_INI)}).raise_for_status()
    control_post(fleet, client, "ha/units/a/kill").raise_for_status()
    wait_for(lambda: (status(client) or (None, None))[1] == "101000000000002", what="failover")
    assert "10.9.9.9" not in client.get("files/ini").text
    assert "10.9.9.9" not in before


def test_license_file_gives_each_unit_its_own_key(pair, fleet):
    client = pair()
    keys = {"101000000000001": make_key("101000000000001", {"SBC": 7}), "101000000000002": make_key("101000000000002", {"SBC": 9})}
    assert client.put("license", json={"key": keys["101000000000001"]}).status_code == 409
    assert client.upload("license", make_license_file(keys)).status_code == 200
    client.wait_down_and_up()
    wait_for(idle_and(client, PAIR_OPERATIONAL), what="the pair synchronized")
    assert client.get("license").json()["key"] == keys["101000000000001"]
    control_post(fleet, client, "ha/switchover").raise_for_status()
    wait_for(lambda: (status(client) or (None, ""))[1] == "101000000000002", what="switchover")
    license_now = client.get("license").json()
    assert (license_now["serialNumber"], license_now["key"]) == ("101000000000002", keys["101000000000002"])


def test_license_file_with_a_bad_key_for_the_other_unit_is_400(pair):
    client = pair()
    keys = {"101000000000001": make_key("101000000000001"), "101000000000002": make_key("999")}
    reply = client.upload("license", make_license_file(keys))
    assert reply.status_code == 400 and "101000000000002" in reply.json()["description"]


def test_pair_state_survives_a_simulator_restart(load, fleet, tmp_path):
    spec = {"name": "restarted-pair", "protocol": "http", "firmware": OLD, "reset_seconds": 0.3,
            "ha": {"units": [{"name": "a", "serial": "101000000000001"}, {"name": "b", "serial": "101000000000002"}], **TIMINGS}}
    client = DeviceClient(fleet.add_device(spec), tmp_path / "unused.pem")
    try:
        assert hitless(client, load).status_code == 200
        wait_for(idle_and(client, PAIR_OPERATIONAL), what="upgrade done")
        fleet.remove_device(spec["name"])
        again = DeviceClient(fleet.add_device(spec), tmp_path / "unused.pem")
        assert status(again)[:3] == (PAIR_OPERATIONAL, "101000000000002", NEW)
        assert [unit["firmware"] for unit in again.device.ha.snapshot()["units"]] == [NEW, NEW]
    finally:
        fleet.remove_device(spec["name"])


@pytest.mark.parametrize("ha, word", [
    ({"units": [{"name": "a"}]}, "exactly two"),
    ({"units": [{"name": "a"}, {"name": "a"}]}, "different names"),
    ({"units": [{"name": "a"}, {"name": "b", "colour": "red"}]}, "unknown keys in unit 2"),
    ({"units": [{}, {}], "sync_seconds": -1}, "sync_seconds"),
    ({"units": [{}, {}], "active": "c"}, "ha.active"),
    ({"units": [{}, {}], "speed": 3}, "unknown keys in 'ha'"),
])
def test_bad_pair_specs_are_refused(fleet, ha, word):
    with pytest.raises(ValueError, match=word):
        fleet.add_device({"name": "badpair", "ha": ha})


def test_fleet_file_declares_a_pair(tmp_path):
    from simulator import Fleet  # pylint: disable=import-outside-toplevel
    fleet_file = tmp_path / "fleet.yml"
    fleet_file.write_text(
        "devices:\n"
        "  - name: pair1\n    protocol: http\n    firmware: 7.40A.500.010\n"
        "    ha:\n      units:\n        - {name: pair1-a, serial: '101000000000011'}\n"
        "        - {name: pair1-b, serial: '101000000000012', firmware: 7.40A.500.010}\n"
        "      sync_seconds: 0.2\n")
    with Fleet.from_file(fleet_file, tmp_path / "state") as fleet:
        device = fleet["pair1"]
        body = requests.get(f"{device.url}/api/v1/status", auth=("Admin", "Admin"), timeout=5).json()
        assert (body["highAvailability"], body["serialNumber"]) == (PAIR_OPERATIONAL, "101000000000011")
