# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_license against a simulated device: install by key or from a multi-device license
file, idempotency, JSON vs file upload (HA), refusals that leave the device untouched, and a key
that never shows in the output."""
from __future__ import annotations


import requests
import yaml

from simulator.license import make_key, make_license_file
from tests.integration.device_helpers import REPO, control, stable

LICENSE = "audiocodes.mediant.mediant_license"
OTHER_SERIAL = "101780299999999"


def ha_device(fleet, name="ha1"):
    return fleet.add_device({"name": name, "address": "127.0.0.1", "port": 0, "protocol": "https",
                             "firmware": "7.40A.500.010", "reset_seconds": 1, "ha_partner": "ha2"})


def test_key_is_installed_confirmed_and_then_left_alone(device, run_play):
    key = make_key(device.serial, {"SBC": 500, "FEU": 20})
    boots = device.snapshot()["boot_count"]
    play = run_play([{"name": "install", LICENSE: {"key": key, "serial_number": device.serial}},
                     {"name": "again", LICENSE: {"key": key}}], device)
    first, second = play.task("install"), play.task("again")
    assert first["status"] == "changed", play.stdout
    assert first["result"]["method"] == "json"
    assert "SBC=500" in first["result"]["key_description"]
    assert "SBC=500" not in first["result"]["previous_key_description"]
    assert first["result"]["serial_number"] == device.serial
    assert first["result"]["downtime"] >= 1.0
    assert second["status"] == "ok"
    assert second["result"]["method"] is None
    snapshot = device.snapshot()
    assert snapshot["license"]["key"] == key
    assert snapshot["boot_count"] == boots + 1  # one reset: the second run sent nothing
    assert key not in play.stdout + play.stderr
    assert all(key not in str(task["result"]) for task in play.tasks)


def test_license_file_installs_this_device_key_only_once(device, run_play, tmp_path):
    key = make_key(device.serial, {"SBC": 1000})
    license_file = tmp_path / "fleet.txt"
    license_file.write_text("# fleet licenses\n" + make_license_file({OTHER_SERIAL: make_key(OTHER_SERIAL), device.serial: key}))
    play = run_play([{"name": "install", LICENSE: {"src": str(license_file)}},
                     {"name": "again", LICENSE: {"src": str(license_file)}}], device)
    assert play.task("install")["status"] == "changed", play.stdout
    assert play.task("install")["result"]["method"] == "file"
    assert "SBC=1000" in play.task("install")["result"]["key_description"]
    assert play.task("again")["status"] == "ok"
    assert device.snapshot()["license"]["key"] == key
    assert key not in play.stdout + play.stderr


def test_license_file_without_a_key_for_the_device_fails_before_sending(device, run_play, tmp_path):
    license_file = tmp_path / "other.txt"
    license_file.write_text(make_license_file({OTHER_SERIAL: make_key(OTHER_SERIAL)}))
    before = stable(device.snapshot())
    play = run_play([{"name": "install", LICENSE: {"src": str(license_file)}}], device)
    task = play.task("install")
    assert task["status"] == "failed"
    assert device.serial in task["result"]["msg"] and OTHER_SERIAL in task["result"]["msg"]
    assert stable(device.snapshot()) == before


def test_serial_number_mismatch_fails_naming_both(device, run_play):
    before = stable(device.snapshot())
    play = run_play([{"name": "install", LICENSE: {"key": make_key(OTHER_SERIAL), "serial_number": OTHER_SERIAL}}], device)
    task = play.task("install")
    assert task["status"] == "failed"
    assert OTHER_SERIAL in task["result"]["msg"] and device.serial in task["result"]["msg"]
    assert "nothing was sent" in task["result"]["msg"]
    assert stable(device.snapshot()) == before


def test_key_for_another_device_is_refused_by_the_device(device, run_play):
    before = stable(device.snapshot())
    play = run_play([{"name": "install", LICENSE: {"key": make_key(OTHER_SERIAL)}}], device)
    task = play.task("install")
    assert task["status"] == "failed"
    assert "refused the license" in task["result"]["msg"]
    assert OTHER_SERIAL in task["result"]["msg"]  # the device's own description says why
    assert stable(device.snapshot()) == before


def test_check_mode_with_diff_changes_nothing_and_shows_no_key(device, run_play):
    key = make_key(device.serial, {"SBC": 42})
    before = stable(device.snapshot())
    play = run_play([{"name": "install", LICENSE: {"key": key}}], device, check=True, diff=True)
    task = play.task("install")
    assert task["status"] == "changed", play.stdout
    diff = task["result"]["diff"]
    assert diff["before"]["key_description"] == device.license_description()
    assert diff["after"]["key_description"] != diff["before"]["key_description"]
    assert stable(device.snapshot()) == before
    assert key not in play.stdout + play.stderr


def test_ha_device_gets_a_license_file(fleet, run_play):
    device = ha_device(fleet)
    key = make_key(device.serial, {"SBC": 64})
    play = run_play([{"name": "install", LICENSE: {"key": key}}], device)
    task = play.task("install")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["method"] == "file"
    assert device.snapshot()["license"]["key"] == key


def test_busy_ha_device_is_retried_then_reported(fleet, run_play):
    device = ha_device(fleet)
    control(fleet, device, "ha-sync", {"open": True})
    before = stable(device.snapshot())
    play = run_play([{"name": "install", LICENSE: {"key": make_key(device.serial, {"SBC": 8}), "busy_timeout": 2}}], device)
    task = play.task("install")
    assert task["status"] == "failed"
    assert "busy" in task["result"]["msg"] and "HA synchronization" in task["result"]["msg"]
    assert stable(device.snapshot()) == before


def test_verbose_output_holds_no_key_or_password(fleet, run_play):
    device = fleet.add_device({"name": "secret1", "address": "127.0.0.1", "port": 0, "protocol": "https",
                               "firmware": "7.40A.500.010", "reset_seconds": 1,
                               "users": [{"username": "secadmin", "password": "S3cret-Pa55word", "level": "security_admin"}]})
    key = make_key(device.serial, {"SBC": 77})
    play = run_play([{"name": "install", LICENSE: {"key": key}}], device, user="secadmin", password="S3cret-Pa55word",
                    verbosity=3, diff=True)
    assert play.task("install")["status"] == "changed", play.stdout
    output = play.stdout + play.stderr
    assert key not in output
    assert "S3cret-Pa55word" not in output


def test_operator_is_told_installing_needs_security_administrator(device, run_play):
    before = stable(device.snapshot())
    play = run_play([{"name": "install", LICENSE: {"key": make_key(device.serial, {"SBC": 3})}}], device, user="Operator")
    task = play.task("install")
    assert task["status"] == "failed"
    assert "Security Administrator" in task["result"]["msg"]
    assert stable(device.snapshot()) == before


def test_v1_device_takes_the_key(device_v1, run_play):
    key = make_key(device_v1.serial, {"SBC": 30})
    play = run_play([{"name": "install", LICENSE: {"key": key, "serial_number": device_v1.serial}}], device_v1)
    task = play.task("install")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["serial_number"] == device_v1.serial
    assert device_v1.snapshot()["license"]["key"] == key


def test_json_refused_with_409_falls_back_to_the_file_upload(fleet, device, run_play):
    response = requests.post(f"{fleet.control_url}/devices/{device.name}/faults", timeout=10, json={
        "path": "license", "method": "PUT", "status": 409, "count": 1,
        "description": "License key can't be applied to device in HA configuration. Use license file instead."})
    response.raise_for_status()
    key = make_key(device.serial, {"SBC": 12})
    play = run_play([{"name": "install", LICENSE: {"key": key}}], device)
    task = play.task("install")
    assert task["status"] == "changed", play.stdout
    assert task["result"]["method"] == "file"
    assert device.snapshot()["license"]["key"] == key


def test_example_playbook_runs_and_is_idempotent(device, run_play, tmp_path):
    license_file = tmp_path / "fleet.txt"
    license_file.write_text(make_license_file({OTHER_SERIAL: make_key(OTHER_SERIAL), device.serial: make_key(device.serial, {"SBC": 9})}))
    tasks = yaml.safe_load((REPO / "playbooks" / "license.yml").read_text())[0]["tasks"]
    play = run_play(tasks, device, extra_vars={"license_file": str(license_file)})
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["changed", "ok"]
    again = run_play(tasks, device, extra_vars={"license_file": str(license_file)})
    assert [task["status"] for task in again.tasks] == ["ok", "ok"]
