# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_upgrade_progress: phases seen from GET status, completion, failures with the device's
events, timeouts, and the options refused before anything is sent."""
from __future__ import annotations

import pytest
import requests

from tests.unit.framework.device_data import FIRMWARE, SERIAL, api_generation, status
from tests.unit.framework.fake_http import Call

NEW = "7.40A.600.001"
PEER = "101780235059664"
DOWN = requests.exceptions.ConnectionError("Connection refused")
# The status before the upload, as mediant_facts returns it (ansible_facts.mediant.status).
BEFORE = {"serial": SERIAL, "version": FIRMWARE, "uptime": 5000, "local_time": "2024-03-01T10:00:00.000Z",
          "ha_state": "Not Operational"}
STANDARD = {"version": NEW, "method": "standard", "before": BEFORE, "poll_interval": 1}
EVENTS = {"alarms": [{"description": "Software upgrade started"}, {"description": "Software load rejected"}],
          "cursor": {"after": "-1", "before": "-1"}}


def later(seconds, **changes):
    """GET status ``seconds`` after BEFORE was taken, on the same unit unless ``changes`` say otherwise."""
    return status(localTimeStamp="2024-03-01T10:{0:02d}:{1:02d}.000Z".format(*divmod(seconds, 60)), **changes)


def test_a_device_that_stops_answering_is_resetting(device, run):
    device.expect(Call("GET", "status", answer=later(10, systemUpTime=5010)),
                  Call("GET", "status", error=DOWN))
    result = run("mediant_upgrade_progress", STANDARD)
    assert not result.get("failed") and result["changed"] is False
    assert result["phase"] == "resetting" and result["reachable"] is False and result["completed"] is False
    assert [step["phase"] for step in result["transitions"]] == ["resetting"]


def test_wait_for_completion_returns_once_the_device_runs_the_new_version(device, run, clock):
    device.expect(Call("GET", "status", error=DOWN), Call("GET", "status", error=DOWN),
                  Call("GET", "status", answer=later(90, versionID=NEW, systemUpTime=20)))
    result = run("mediant_upgrade_progress", dict(STANDARD, wait_for="completion"))
    assert not result.get("failed"), result
    assert result["phase"] == "completed" and result["completed"] is True and result["reachable"] is True
    assert result["version"] == NEW and result["unit"] == SERIAL and result["uptime"] == 20
    assert [step["phase"] for step in result["transitions"]] == ["resetting", "completed"]
    assert clock.slept == [1, 1]  # poll_interval between the three requests


def test_the_phase_given_is_where_the_next_call_starts(device, run):
    device.expect(Call("GET", "status", answer=later(90, versionID=NEW, systemUpTime=20)))
    result = run("mediant_upgrade_progress", dict(STANDARD, phase="resetting"))
    assert result["phase"] == "completed" and not result.get("failed")


def test_a_device_back_on_its_old_version_fails_with_its_events(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", error=DOWN),
                  Call("GET", "status", answer=later(90, systemUpTime=20)),
                  Call("GET", "alarms/history", answer=EVENTS))
    result = run("mediant_upgrade_progress", dict(STANDARD, wait_for="completion"))
    assert result["failed"] and result["failed_phase"] == "old_version" and result["phase"] == "old_version"
    assert result["events"] == ["Software upgrade started", "Software load rejected"]
    assert result["msg"] == (
        "The upgrade to {0} failed in phase old_version: the device reset and came back on {1}, its version before "
        "the upgrade: the new load did not take. The address answers: unit {2} runs {1} (HA state Not Operational). "
        "The device's last events: Software upgrade started; Software load rejected".format(NEW, FIRMWARE, SERIAL))


def test_a_phase_that_does_not_end_within_timeout_fails(device, run, clock):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=later(10, systemUpTime=5010), repeat=True),
                  Call("GET", "alarms/history", status=204))
    result = run("mediant_upgrade_progress", dict(STANDARD, timeout=5))
    assert result["failed"] and result["failed_phase"] == "accepted" and result["events"] == []
    assert result["msg"] == ("Phase accepted did not end within 5 s: the device accepted the load; nothing has changed yet. "
                             "The address answers: unit {0} runs {1} (HA state Not Operational).".format(SERIAL, FIRMWARE))
    assert 5 <= clock.now - 1000 <= 6


def test_a_phase_timeout_names_its_group(device, run):
    device.expect(Call("GET", "status", error=DOWN, repeat=True))
    result = run("mediant_upgrade_progress", dict(STANDARD, phase="resetting", phase_timeouts={"reset": 3}))
    assert result["failed"] and result["failed_phase"] == "resetting" and result["reachable"] is False
    assert result["msg"] == ("Phase resetting lasted longer than 3 s (phase_timeouts.reset): the device resets to start the "
                             "new load; the address does not answer. The address does not answer.")


def test_a_hitless_upgrade_starts_with_the_redundant_unit(device, run):
    before = dict(BEFORE, ha_state="Operational")
    device.expect(Call("GET", "status", answer=later(5, highAvailability="Operational")),
                  Call("GET", "status", answer=later(8, highAvailability="Redundant Not Available")))
    result = run("mediant_upgrade_progress", {"version": NEW, "method": "hitless", "before": before, "poll_interval": 1})
    assert not result.get("failed") and result["phase"] == "redundant_upgrade" and result["unit"] == SERIAL


def test_another_unit_serving_the_old_version_is_a_failover(device, run):
    device.always(api_generation("7.4"))
    before = dict(BEFORE, ha_state="Operational")
    device.expect(Call("GET", "status", answer=later(60, serialNumber=PEER, highAvailability="Operational")),
                  Call("GET", "alarms/history", answer={"alarms": [], "cursor": {"after": "-1"}}))
    result = run("mediant_upgrade_progress", {"version": NEW, "method": "hitless", "before": before,
                                              "phase": "redundant_sync"})
    assert result["failed"] and result["failed_phase"] == "failover" and result["unit"] == PEER
    assert result["msg"].startswith("The upgrade to {0} failed in phase failover: unit {1} took over on the old "
                                    "version {2}".format(NEW, PEER, FIRMWARE))


@pytest.mark.parametrize("args, msg", [
    ({"phase": "almost-done"},
     "phase must be one of accepted, redundant_upgrade, redundant_sync, awaiting_switchover, switchover, peer_upgrade, "
     "peer_sync, unreachable, completed, resetting, pair_sync, old_version, wrong_version, failover (the phase a "
     "previous call returned), got 'almost-done'"),
    ({"before": {"serial": SERIAL}},
     "before must be the status from before the upload (ansible_facts.mediant.status of audiocodes.mediant.mediant_facts); "
     "it lacks version"),
    ({"before": {}},
     "before must be the status from before the upload (ansible_facts.mediant.status of audiocodes.mediant.mediant_facts); "
     "it lacks serial, version"),
    ({"timeout": 0}, "timeout must be a positive number of seconds, got 0"),
    ({"poll_interval": 0}, "poll_interval must be a positive number of seconds, got 0.0"),
    ({"method": "hitful"}, "value of method must be one of: hitless, standard, got: hitful"),
])
def test_options_it_cannot_use_are_refused_before_anything_is_sent(device, run, args, msg):
    result = run("mediant_upgrade_progress", dict(STANDARD, **args))
    assert result["failed"] and result["msg"] == msg
    assert device.sent == []
