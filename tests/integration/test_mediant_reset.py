# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_reset against a simulated device: the reset happens, is waited for and measured;
check mode sends nothing; a busy (HA sync) device is retried, then reported; a device that
never comes back fails on wait_timeout."""
from __future__ import annotations

import threading
import time

import yaml

from tests.integration.device_helpers import REPO, control, stable

RESET = "audiocodes.mediant.mediant_reset"


def test_reset_waits_until_back_and_reports_downtime(device, run_play):
    boots = device.snapshot()["boot_count"]
    play = run_play([{"name": "reset", RESET: {}}], device)
    task = play.task("reset")
    assert task["status"] == "changed", play.stdout
    result = task["result"]
    after = device.snapshot()
    assert after["boot_count"] == boots + 1
    assert after["last_reset"]["save"] is True
    assert result["downtime"] >= 1.0  # the simulated reset refuses connections for 1 s
    assert result["uptime"] is not None and result["uptime"] <= after["uptime"]
    assert result["device_status"]["version"] == "7.40A.500.010"
    # the names mediant_facts uses (GUIDE decision 2), one conversion for both
    assert result["device_status"]["uptime"] == result["uptime"]
    assert {"version", "product", "serial", "ha_state", "save_needed"} <= set(result["device_status"])
    assert all(key == key.lower() for key in result["device_status"])
    assert result["description"] == "Device will reset now"


def test_check_mode_sends_nothing(device, run_play):
    before = stable(device.snapshot())
    play = run_play([{"name": "reset", RESET: {}}], device, check=True)
    task = play.task("reset")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["downtime"] is None
    assert stable(device.snapshot()) == before


def test_no_wait_returns_once_accepted_without_saving(device, run_play):
    play = run_play([{"name": "reset", RESET: {"wait": False, "save_configuration": False, "graceful_timeout": 5}}], device)
    task = play.task("reset")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["downtime"] is None
    last = device.snapshot()["last_reset"]
    assert last["save"] is False
    assert last["graceful_delay"] > 0


def test_busy_device_is_retried_until_the_sync_window_closes(fleet, device, run_play):
    boots = device.snapshot()["boot_count"]
    control(fleet, device, "ha-sync", {"open": True})
    closer = threading.Timer(2.0, control, args=(fleet, device, "ha-sync", {"open": False}))
    closer.start()
    try:
        play = run_play([{"name": "reset", RESET: {"busy_timeout": 30}}], device)
    finally:
        closer.cancel()
    task = play.task("reset")
    assert task["status"] == "changed", play.stdout
    assert device.snapshot()["boot_count"] == boots + 1


def test_busy_device_beyond_busy_timeout_fails_clearly_and_is_not_reset(fleet, device, run_play):
    control(fleet, device, "ha-sync", {"open": True})
    before = stable(device.snapshot())
    started = time.monotonic()
    play = run_play([{"name": "reset", RESET: {"busy_timeout": 2}}], device)
    task = play.task("reset")
    assert task["status"] == "failed"
    assert time.monotonic() - started < 60
    msg = task["result"]["msg"]
    assert "busy" in msg and "HA synchronization" in msg and "busy_timeout" in msg, msg
    assert task["result"]["changed"] is False
    assert stable(device.snapshot()) == before


def test_device_that_never_comes_back_fails_on_wait_timeout(fleet, device, run_play):
    control(fleet, device, "hang-resets", {"enabled": True})
    try:
        play = run_play([{"name": "reset", RESET: {"wait_timeout": 3}}], device)
    finally:
        control(fleet, device, "hang-resets", {"enabled": False})
    task = play.task("reset")
    assert task["status"] == "failed"
    assert "did not come back within 3 s" in task["result"]["msg"]
    assert "wait_timeout" in task["result"]["msg"]


def test_monitor_user_is_told_the_privilege_needed(device, run_play):
    play = run_play([{"name": "reset", RESET: {}}], device, user="Monitor")
    task = play.task("reset")
    assert task["status"] == "failed"
    assert "Administrator" in task["result"]["msg"]
    assert device.snapshot()["boot_count"] == 1


def test_v1_device_resets_too(device_v1, run_play):
    play = run_play([{"name": "reset", RESET: {}}], device_v1)
    task = play.task("reset")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["uptime"] is None  # the v1.0 status has no systemUpTime
    assert task["result"]["downtime"] >= 1.0


def test_verbose_output_holds_no_password(fleet, run_play):
    device = fleet.add_device({"name": "secret1", "address": "127.0.0.1", "port": 0, "protocol": "https",
                               "firmware": "7.40A.500.010", "reset_seconds": 1,
                               "users": [{"username": "opsadmin", "password": "R3set-Pa55word", "level": "admin"}]})
    play = run_play([{"name": "reset", RESET: {}}], device, user="opsadmin", password="R3set-Pa55word", verbosity=3)
    assert play.task("reset")["status"] == "changed", play.stdout
    assert "R3set-Pa55word" not in play.stdout + play.stderr


def test_example_playbook_runs(device, run_play):
    playbook = yaml.safe_load((REPO / "playbooks" / "reset.yml").read_text())
    play = run_play(playbook[0]["tasks"], device)
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["changed", "ok"]
    assert device.snapshot()["boot_count"] == 2


def test_documented_examples_run_as_written(device, run_play):
    """EXAMPLES of the module as written (issue 8: examples do what their titles say)."""
    source = (REPO / "plugins" / "modules" / "mediant_reset.py").read_text()
    examples = yaml.safe_load(source.split('EXAMPLES = r"""', 1)[1].split('"""', 1)[0])
    boots = device.snapshot()["boot_count"]
    play = run_play(examples, device)
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["changed", "ok", "changed", "changed"]
    shown = play.tasks[1]["result"]["msg"]
    assert shown.startswith("Down for ") and shown.endswith(" s, now running 7.40A.500.010"), shown
    deadline = time.monotonic() + 30
    while device.snapshot()["boot_count"] < boots + 3 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert device.snapshot()["boot_count"] == boots + 3
