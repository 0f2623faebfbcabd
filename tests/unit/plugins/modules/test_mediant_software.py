# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_software: no-op on the wanted version, upload and wait, hitless, check mode, refusals, busy."""
from __future__ import annotations

import pytest
import requests

from tests.unit.framework.device_data import BUSY, FIRMWARE, api_generation, status
from tests.unit.framework.fake_http import Call

NEW = "7.40A.600.001"
DOWN = requests.exceptions.ConnectionError("Connection refused")


@pytest.fixture
def load(tmp_path):
    path = tmp_path / "SIP_F7.40A.600.001.cmp"
    path.write_bytes(b"CMP-LOAD" + bytes(range(256)) * 64)
    return path


def test_the_running_version_is_a_no_op(device, run, load):
    device.expect(Call("GET", "status", answer=status()))
    result = run("mediant_software", {"src": str(load), "version": FIRMWARE})
    assert result["changed"] is False and result["version"] == FIRMWARE and result["previous_version"] == FIRMWARE


def test_the_load_is_uploaded_and_the_device_comes_back_running_it(device, run, load):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status(systemUpTime=5000)),
                  Call("PUT", "files/software", file=load.read_bytes(), filename=load.name,
                       answer={"description": "Device will reset now to activate new software load"}),
                  Call("GET", "status", error=DOWN),
                  Call("GET", "status", answer=status(versionID=NEW, systemUpTime=2)),
                  Call("GET", "status", answer=status(versionID=NEW, systemUpTime=3)))
    result = run("mediant_software", {"src": str(load), "version": NEW}, diff=True)
    assert result["changed"] is True and not result.get("failed")
    assert result["previous_version"] == FIRMWARE and result["version"] == NEW
    assert result["description"] == "Device will reset now to activate new software load"
    assert result["diff"] == {"before": {"version": FIRMWARE}, "after": {"version": NEW}}
    upload = [sent for sent in device.sent if sent.method == "PUT"][0]
    assert upload.timeout == 900  # upload_timeout, not the 30 s request timeout


def test_a_v10_device_takes_the_load_as_an_octet_stream(device, run, load):
    device.always(api_generation("1.0"))
    device.expect(Call("GET", "status", answer=status(versionID="7.00A.049.003")),
                  Call("PUT", "files/software", file=load.read_bytes(),
                       match=lambda sent: sent.content_type == "application/octet-stream"))
    assert run("mediant_software", {"src": str(load), "version": NEW, "wait": False})["changed"] is True


def test_check_mode_shows_the_version_change_and_sends_nothing(device, run, load):
    device.expect(Call("GET", "status", answer=status()))
    result = run("mediant_software", {"src": str(load), "version": NEW}, check_mode=True)
    assert result["changed"] is True and result["diff"]["after"] == {"version": NEW}


def test_force_reloads_the_running_version(device, run, load):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()), Call("PUT", "files/software"))
    assert run("mediant_software", {"src": str(load), "version": FIRMWARE, "force": True, "wait": False})["changed"] is True


def test_hitless_needs_an_ha_pair(device, run, load):
    device.expect(Call("GET", "status", answer=status()))
    result = run("mediant_software", {"src": str(load), "version": NEW, "hitless": True})
    assert result["failed"]
    assert result["msg"] == ("hitless=true needs an HA pair, but the device reports highAvailability 'Not Operational'; "
                             "use hitless=false")


def test_hitless_follows_the_pair_until_the_other_unit_serves_the_new_version(device, run, load, clock):
    device.always(api_generation("7.4"))
    active = status(highAvailability="Operational", serialNumber="1001")
    device.expect(Call("GET", "status", answer=active),
                  Call("PUT", "files/software/hitless", answer={"description": "Device will perform switchover"}),
                  Call("GET", "status", answer=dict(active, highAvailability="Redundant Not Available")),
                  Call("GET", "status", answer=dict(active, highAvailability="Synchronizing")),
                  Call("GET", "status", error=DOWN),   # the switchover
                  Call("GET", "status", answer=dict(active, serialNumber="1002", versionID=NEW,
                                                    highAvailability="Redundant Not Available", systemUpTime=40)),
                  Call("GET", "status", answer=dict(active, serialNumber="1002", versionID=NEW, systemUpTime=80)),
                  Call("GET", "status", answer=dict(active, serialNumber="1002", versionID=NEW, systemUpTime=81)))
    result = run("mediant_software", {"src": str(load), "version": NEW, "hitless": True})
    assert result["version"] == NEW and not result.get("failed"), result
    assert [step["phase"] for step in result["phases"]] == [
        "redundant_upgrade", "redundant_sync", "switchover", "peer_upgrade", "completed"]
    assert result["device_status"]["ha"]["active_serial"] == "1002"
    assert clock.slept


def test_a_refused_load_says_the_device_still_runs_its_version(device, run, load):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()),
                  Call("PUT", "files/software", status=400, answer={"description": "Invalid software file"}))
    result = run("mediant_software", {"src": str(load), "version": NEW})
    assert result["failed"] and result["changed"] is False and result["status"] == 400
    assert result["msg"] == "The device refused the software load: Invalid software file. It still runs {0}.".format(FIRMWARE)


def test_a_busy_device_is_asked_again_then_given_up_on(device, run, load, clock):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()), Call("PUT", "files/software", status=409, answer=BUSY, repeat=True))
    result = run("mediant_software", {"src": str(load), "version": NEW, "busy_timeout": 3})
    assert result["failed"] and result["changed"] is False
    assert result["msg"] == ("The device is busy (HTTP 409) and refused PUT /api/v1/files/software after 3 attempts: Device is "
                             "currently performing HA synchronization. This is usually a temporary state such as HA "
                             "synchronization: try again later. It still runs {0}.".format(FIRMWARE))
    assert clock.slept == [1.0, 2.0]
    assert all(sent.file == load.read_bytes() for sent in device.sent if sent.method == "PUT")  # the whole file each time


def test_a_device_back_on_its_old_version_fails_at_once(device, run, load):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()), Call("PUT", "files/software"),
                  Call("GET", "status", error=DOWN), Call("GET", "status", answer=status(systemUpTime=1)))
    result = run("mediant_software", {"src": str(load), "version": NEW})
    assert result["failed"] and result["changed"] is True
    assert result["msg"] == ("The device accepted the software load and reset, but came back running {0}, its version "
                             "before: the load {1} did not take.".format(FIRMWARE, NEW))


def test_a_device_back_on_a_third_version_fails(device, run, load):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()), Call("PUT", "files/software"),
                  Call("GET", "status", error=DOWN),
                  Call("GET", "status", answer=status(versionID="7.40A.550.000", systemUpTime=1)),
                  Call("GET", "status", answer=status(versionID="7.40A.550.000", systemUpTime=2)))
    result = run("mediant_software", {"src": str(load), "version": NEW})
    assert result["failed"] and result["changed"] is True
    assert result["version"] == "7.40A.550.000"


def test_a_missing_or_empty_load_fails_before_anything_is_sent(device, run, tmp_path):
    result = run("mediant_software", {"src": str(tmp_path / "none.cmp"), "version": NEW})
    assert result["failed"] and "does not exist" in result["msg"]
    empty = tmp_path / "empty.cmp"
    empty.write_bytes(b"")
    result = run("mediant_software", {"src": str(empty), "version": NEW})
    assert result["failed"] and "is empty" in result["msg"]
    assert device.sent == []


def test_a_directory_as_load_fails_before_anything_is_sent(device, run, tmp_path):
    result = run("mediant_software", {"src": str(tmp_path), "version": NEW})
    assert result["failed"] and result["msg"] == "src {0} is not a regular file".format(tmp_path)
    assert device.sent == []


@pytest.mark.parametrize("option", ["upload_timeout", "wait_timeout", "timeout"])
def test_seconds_of_0_are_refused_before_anything_is_sent(device, run, load, option):
    result = run("mediant_software", {"src": str(load), "version": NEW, option: 0})
    assert result["failed"] and result["msg"] == "{0} must be a positive number of seconds, got 0".format(option)
    assert device.sent == []


def test_hitless_needs_an_operational_pair(device, run, load):
    device.expect(Call("GET", "status", answer=status(highAvailability="Synchronizing")))
    result = run("mediant_software", {"src": str(load), "version": NEW, "hitless": True})
    assert result["failed"] and result["previous_version"] == FIRMWARE
    assert result["msg"] == ("hitless=true needs an operational HA pair (both units up and synchronized), but the device "
                             "reports highAvailability 'Synchronizing'; wait until it is Operational (an upgrade may be in "
                             "progress) and run again")
