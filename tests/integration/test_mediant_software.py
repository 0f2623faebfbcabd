# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_software against a simulated device: upgrade and idempotency by version, check mode,
local validation, a truncated load refused by the device, a load carrying another version,
a busy device, hitless upgrades and the v1.0 (octet-stream) API."""
from __future__ import annotations

import os

import pytest
import yaml

from simulator.software import write_cmp
from tests.integration.device_helpers import REPO, control, stable

SOFTWARE = "audiocodes.mediant.mediant_software"
NEW_VERSION = "7.40A.600.001"


@pytest.fixture
def new_load(tmp_path):
    path = tmp_path / f"SIP_F{NEW_VERSION}.cmp"
    write_cmp(path, NEW_VERSION, 2 * 1024 * 1024)
    return path


def test_upgrade_waits_for_the_new_version_then_is_idempotent(device, run_play, new_load):
    boots = device.snapshot()["boot_count"]
    args = {"src": str(new_load), "version": NEW_VERSION}
    play = run_play([{"name": "upgrade", SOFTWARE: args}, {"name": "again", SOFTWARE: args}], device, diff=True)
    first, second = play.task("upgrade"), play.task("again")
    assert first["status"] == "changed", play.stdout
    assert first["result"]["previous_version"] == "7.40A.500.010"
    assert first["result"]["version"] == NEW_VERSION
    assert first["result"]["device_status"]["version"] == NEW_VERSION
    assert first["result"]["downtime"] >= 1.0
    assert first["result"]["diff"] == {"before": {"version": "7.40A.500.010"}, "after": {"version": NEW_VERSION}}
    assert second["status"] == "ok"
    assert "description" not in second["result"]  # nothing uploaded the second time
    snapshot = device.snapshot()
    assert snapshot["firmware"] == NEW_VERSION
    assert snapshot["boot_count"] == boots + 1


def test_check_mode_uploads_nothing(device, run_play, new_load):
    before = stable(device.snapshot())
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": NEW_VERSION}}], device, check=True)
    task = play.task("upgrade")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["version"] == "7.40A.500.010"
    assert stable(device.snapshot()) == before


def test_truncated_load_is_refused_with_the_device_description(device, run_play, new_load):
    os.truncate(new_load, os.path.getsize(new_load) - 1000)
    before = stable(device.snapshot())
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": NEW_VERSION}}], device)
    task = play.task("upgrade")
    assert task["status"] == "failed"
    msg = task["result"]["msg"]
    assert "refused the software load" in msg and "truncated" in msg, msg
    assert "still runs 7.40A.500.010" in msg
    assert task["result"]["status"] == 400
    assert stable(device.snapshot()) == before


def test_load_carrying_another_version_fails_after_the_upgrade(device, run_play, new_load):
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": "7.40A.700.000"}}], device)
    task = play.task("upgrade")
    assert task["status"] == "failed"
    assert f"came back running {NEW_VERSION}, not 7.40A.700.000" in task["result"]["msg"]
    assert task["result"]["changed"] is True
    assert device.snapshot()["firmware"] == NEW_VERSION


@pytest.mark.parametrize("problem, expected", [("missing", "does not exist"), ("empty", "is empty")])
def test_unusable_file_fails_before_connecting(device, run_play, tmp_path, problem, expected):
    path = tmp_path / "load.cmp"
    if problem == "empty":
        path.write_bytes(b"")
    before = stable(device.snapshot())
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(path), "version": NEW_VERSION}}], device)
    task = play.task("upgrade")
    assert task["status"] == "failed"
    assert expected in task["result"]["msg"]
    assert stable(device.snapshot()) == before


def test_busy_device_is_retried_then_reported(fleet, device, run_play, new_load):
    control(fleet, device, "ha-sync", {"open": True})
    before = stable(device.snapshot())
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": NEW_VERSION, "busy_timeout": 2}}], device)
    task = play.task("upgrade")
    assert task["status"] == "failed"
    msg = task["result"]["msg"]
    assert "busy (HTTP 409)" in msg and "HA synchronization" in msg, msg
    assert stable(device.snapshot()) == before


def test_hitless_on_a_stand_alone_device_fails_before_uploading(device, run_play, new_load):
    before = stable(device.snapshot())
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": NEW_VERSION, "hitless": True}}], device)
    task = play.task("upgrade")
    assert task["status"] == "failed"
    assert "needs an HA pair" in task["result"]["msg"]
    assert stable(device.snapshot()) == before


def test_hitless_upgrade_of_an_ha_device(fleet, run_play, new_load):
    device = fleet.add_device({"name": "ha1", "address": "127.0.0.1", "port": 0, "protocol": "https",
                               "firmware": "7.40A.500.010", "reset_seconds": 1, "ha_partner": "ha2"})
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": NEW_VERSION, "hitless": True}}], device)
    task = play.task("upgrade")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["version"] == NEW_VERSION
    assert device.snapshot()["last_reset"]["reason"] == f"hitless upgrade to {NEW_VERSION}"


def test_device_that_never_comes_back_fails_on_wait_timeout(fleet, device, run_play, new_load):
    control(fleet, device, "hang-resets", {"enabled": True})
    try:
        play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(new_load), "version": NEW_VERSION, "wait_timeout": 3}}], device)
    finally:
        control(fleet, device, "hang-resets", {"enabled": False})
    task = play.task("upgrade")
    assert task["status"] == "failed"
    msg = task["result"]["msg"]
    assert msg.startswith("The device accepted the software load") and "wait_timeout" in msg, msg


def test_v1_device_takes_the_load_as_octet_stream(device_v1, run_play, tmp_path):
    load = tmp_path / "v1.cmp"
    write_cmp(load, "7.00A.050.001", 1024 * 1024)
    play = run_play([{"name": "upgrade", SOFTWARE: {"src": str(load), "version": "7.00A.050.001"}}], device_v1)
    task = play.task("upgrade")
    assert task["status"] == "changed", play.stdout
    assert device_v1.snapshot()["firmware"] == "7.00A.050.001"


def test_force_reinstalls_the_running_version(device, run_play, tmp_path):
    load = tmp_path / "same.cmp"
    write_cmp(load, "7.40A.500.010", 1024 * 1024)
    boots = device.snapshot()["boot_count"]
    play = run_play([{"name": "plain", SOFTWARE: {"src": str(load), "version": "7.40A.500.010"}},
                     {"name": "forced", SOFTWARE: {"src": str(load), "version": "7.40A.500.010", "force": True}}], device)
    assert play.task("plain")["status"] == "ok", play.stdout
    assert play.task("forced")["status"] == "changed", play.stdout
    assert device.snapshot()["boot_count"] == boots + 1


def test_example_playbook_runs_and_is_idempotent(device, run_play, new_load):
    tasks = yaml.safe_load((REPO / "playbooks" / "software.yml").read_text())[0]["tasks"]
    extra_vars = {"software_file": str(new_load), "software_version": NEW_VERSION}
    play = run_play(tasks, device, extra_vars=extra_vars)
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["changed", "ok"]
    again = run_play(tasks, device, extra_vars=extra_vars)
    assert [task["status"] for task in again.tasks] == ["ok", "ok"]
