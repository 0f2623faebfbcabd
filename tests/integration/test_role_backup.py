# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role audiocodes.mediant.backup against a simulated fleet, as a user runs it: check mode
writes nothing, one timestamp for the run (across serial batches), changed only when the
configuration changed, git, retention, a failing device named with its step; and the restore
entry point: the difference first, refusal of another device's backup, the restore itself."""
from __future__ import annotations

import json
import re
import subprocess

import pytest
import requests

from simulator import Fleet
from tests.integration.device_helpers import config_state, control, device_file, stable
from tests.integration.fleet_plays import host_results, run_fleet_play
from tests.integration.upgrade_helpers import wait_for

BACKUP_TASK = "Download, compare with the last earlier backup and write the files"
RUN = re.compile(r"^\d{8}T\d{6}Z$")


def _device(fleet, name, firmware="7.40A.500.010", serial=None):
    spec = {"name": name, "address": "127.0.0.1", "port": 0, "firmware": firmware, "reset_seconds": 1}
    if serial:
        spec["serial"] = serial
    return fleet.add_device(spec)


def set_parameter(device, tmp_path, name, value):
    """Change the device's configuration behind Ansible's back (incremental INI over HTTPS)."""
    ca_file = tmp_path / f"{device.name}-direct-ca.pem"
    ca_file.write_text(device.certificate_pem())
    response = requests.put(f"{device.url}/api/v1/files/ini/incremental", auth=("Admin", "Admin"), verify=str(ca_file),
                            files={"file": ("change.ini", f"[SYSTEM Params]\r\n{name} = {value}\r\n")}, timeout=10)
    response.raise_for_status()


def backup_play(root, serial=None, **role_vars):
    play = {"name": "back up the fleet", "hosts": "mediant", "gather_facts": False,
            "roles": [{"role": "audiocodes.mediant.backup", "vars": {"backup_root": str(root), **role_vars}}]}
    if serial:
        play["serial"] = serial
    return play


def runs(root):
    return sorted(path.name for path in root.iterdir() if RUN.match(path.name)) if root.exists() else []


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def fleet(tmp_path):
    with Fleet(state_dir=tmp_path / "state") as running:
        yield running


def test_backup_changed_only_on_change_git_retention_and_failures(fleet, tmp_path):
    sbc, gateway = _device(fleet, "sbc1"), _device(fleet, "gw1", firmware="7.00A.049.003")
    devices = [sbc, gateway]
    root, repo = tmp_path / "backups", tmp_path / "repo"
    play = backup_play(root, serial=1, backup_keep=2, backup_git_repo=str(repo))
    before = {device.name: stable(device.snapshot()) for device in devices}

    # Check mode: the devices are read and compared, nothing is written anywhere.
    checked = run_fleet_play(tmp_path / "check", devices, play, check=True)
    assert checked.rc == 0, checked.stdout + checked.stderr
    assert {host: task["result"]["changed"] for host, task in host_results(checked, BACKUP_TASK).items()} == {"sbc1": True, "gw1": True}
    assert not root.exists() and not repo.exists()
    assert {device.name: stable(device.snapshot()) for device in devices} == before

    # The first backup: every file, one run directory for both serial batches, a report, a commit.
    first = run_fleet_play(tmp_path / "first", devices, play)
    assert first.rc == 0, first.stdout + first.stderr
    [run1] = runs(root)
    sbc_dir, gateway_dir = root / run1 / "sbc1", root / run1 / "gw1"
    assert sorted(path.name for path in sbc_dir.iterdir()) == ["backup.json", "config.cli", "config.ini", "configuration.tar.gz"]
    assert sorted(path.name for path in gateway_dir.iterdir()) == ["backup.json", "config.cli", "config.ini"]
    assert (sbc_dir / "config.ini").read_bytes().decode() == device_file(sbc, tmp_path, "files/ini")
    metadata = json.loads((gateway_dir / "backup.json").read_text())
    assert metadata["device"]["serial"] == gateway.snapshot()["serial"]
    assert "not offered by REST API v1.0" in metadata["skipped_formats"]["package"]
    assert oct((sbc_dir / "config.ini").stat().st_mode & 0o777) == "0o600"
    assert not [path for path in (root / run1).iterdir() if ".partial" in path.name]
    report = json.loads((root / run1 / "backup-report.json").read_text())
    assert {figure["label"]: figure["value"] for figure in report["summary"]}["Changed since the last backup"] == 2
    assert (root / run1 / "backup-report.html").read_text().startswith("<!DOCTYPE html>")
    # One commit per serial batch.
    assert git(repo, "log", "--format=%s").splitlines() == [f"Backup {run1}: gw1", f"Backup {run1}: sbc1"]
    assert sorted(git(repo, "ls-files").split()) == ["gw1/config.cli", "gw1/config.ini", "sbc1/config.cli", "sbc1/config.ini"]

    # Unchanged configuration: a new run, changed=false, no commit. A device the play cannot
    # log in to fails alone, naming the step, and leaves no directory behind.
    # (No serial here: a batch whose only host fails ends a play.)
    broken = _device(fleet, "sbc9")
    second = run_fleet_play(tmp_path / "second", devices + [broken], backup_play(root, backup_keep=2, backup_git_repo=str(repo)),
                            hostvars={"sbc9": {"mediant_password": "wrong"}})
    assert second.rc == 2
    results = host_results(second, BACKUP_TASK)
    assert results["sbc1"]["result"]["changed"] is False and results["gw1"]["result"]["changed"] is False
    failure = host_results(second, "Stop on this device")["sbc9"]["result"]["msg"]
    assert failure.startswith(f"audiocodes.mediant.backup failed at '{BACKUP_TASK}' on sbc9: ")
    assert "401" in failure or "rejected" in failure
    run2 = runs(root)[-1]
    assert run2 != run1
    assert not (root / run2 / "sbc9").exists()
    assert [path.name for path in (root / run2).iterdir() if path.name.startswith(".")] == []
    report = json.loads((root / run2 / "backup-report.json").read_text())
    assert report["problems"][0]["device"] == "sbc9" and report["problems"][0]["severity"] == "critical"
    assert len(git(repo, "log", "--format=%s").splitlines()) == 2

    # A configuration change on one device: only it changes, --diff shows the line, one more
    # commit, and retention keeps the last two runs.
    set_parameter(sbc, tmp_path, "SyslogServerIP", "192.0.2.99")
    third = run_fleet_play(tmp_path / "third", devices, play, diff=True)
    assert third.rc == 0, third.stdout + third.stderr
    results = host_results(third, BACKUP_TASK)
    assert results["sbc1"]["result"]["changed"] is True
    assert sorted(results["sbc1"]["result"]["differences"]) == ["cli", "ini", "package"]
    assert results["gw1"]["result"]["changed"] is False
    assert "+SyslogServerIP = 192.0.2.99" in third.stdout
    assert runs(root) == [run2, runs(root)[-1]]
    log = git(repo, "log", "--format=%s").splitlines()
    assert log[0].endswith(": sbc1") and len(log) == 3
    assert "192.0.2.99" in git(repo, "show", "HEAD", "--", "sbc1/config.ini")


def test_restore_shows_refuses_and_restores(fleet, tmp_path):
    sbc1, sbc2 = _device(fleet, "sbc1", serial="1001"), _device(fleet, "sbc2", serial="1002")
    devices = [sbc1, sbc2]
    root = tmp_path / "backups"
    backed_up = run_fleet_play(tmp_path / "backup", devices, backup_play(root))
    assert backed_up.rc == 0, backed_up.stdout + backed_up.stderr
    [run] = runs(root)
    set_parameter(sbc1, tmp_path, "SyslogServerIP", "192.0.2.77")
    changed_state = config_state(sbc1)

    restore = {"name": "restore", "hosts": "mediant", "gather_facts": False, "tasks": [
        {"name": "Restore", "ansible.builtin.include_role": {"name": "audiocodes.mediant.backup", "tasks_from": "restore"},
         "vars": {"backup_root": str(root)}}]}

    # Check mode: the difference is shown, nothing is sent.
    planned = run_fleet_play(tmp_path / "plan", [sbc1], restore, check=True, diff=True)
    assert planned.rc == 0, planned.stdout + planned.stderr
    assert "SyslogServerIP" in planned.stdout
    assert config_state(sbc1) == changed_state

    # sbc1 from its own latest backup; sbc2 from sbc1's backup: refused, nothing sent.
    boots_before = sbc1.snapshot()["boot_count"]
    restored = run_fleet_play(tmp_path / "restore", devices, restore,
                              hostvars={"sbc2": {"backup_restore_from": str(root / run / "sbc1")}})
    assert restored.rc == 2
    refusal = host_results(restored, "Stop on this device")["sbc2"]["result"]["msg"]
    assert "failed at 'Refuse a backup of another device' on sbc2" in refusal
    assert "serial 1001" in refusal and "serial 1002" in refusal and "backup_restore_force=true" in refusal
    assert "sbc1" not in host_results(restored, "Stop on this device")
    state = sbc1.snapshot()
    assert "192.0.2.77" not in json.dumps(state["running_config"])
    assert state["boot_count"] == boots_before + 1  # it reset once to load the backup
    assert host_results(restored, "Check that the device holds the backup's configuration")["sbc1"]["status"] == "ok"


def test_restore_refuses_to_move_the_management_interface_unless_allowed(fleet, tmp_path):
    sbc1 = _device(fleet, "sbc1")
    root = tmp_path / "backups"
    assert run_fleet_play(tmp_path / "backup", [sbc1], backup_play(root)).rc == 0
    # the OAMP interface moves after the backup (an allowed, deliberate change)
    moved = run_fleet_play(tmp_path / "move", [sbc1], {"name": "move", "hosts": "mediant", "gather_facts": False,
                                                       "tasks": [{"audiocodes.mediant.mediant_ini": {
                                                           "tables": {"InterfaceTable": [{"Index": 0, "IPAddress": "192.168.0.9"}]},
                                                           "protect": []}}]})
    assert moved.rc == 0, moved.stdout + moved.stderr
    moved_state = config_state(sbc1)
    restore = {"name": "restore", "hosts": "mediant", "gather_facts": False, "tasks": [
        {"name": "Restore", "ansible.builtin.include_role": {"name": "audiocodes.mediant.backup", "tasks_from": "restore"},
         "vars": {"backup_root": str(root)}}]}

    refused = run_fleet_play(tmp_path / "refused", [sbc1], restore)
    assert refused.rc == 2
    message = host_results(refused, "Stop on this device")["sbc1"]["result"]["msg"]
    assert "failed at 'Show the difference between the backup and the device' on sbc1" in message
    assert "InterfaceTable row 0 (O+M+C) would change (IPAddress)" in message
    assert "backup_restore_allow: [management]" in message
    assert config_state(sbc1) == moved_state

    allowed = run_fleet_play(tmp_path / "allowed", [sbc1], restore, extra_vars={"backup_restore_allow": ["management"]})
    assert allowed.rc == 0, allowed.stdout + allowed.stderr
    rows = {row["Index"]: row for row in sbc1.snapshot()["running_config"]["tables"]["InterfaceTable"]}
    assert rows[0]["IPAddress"] == "192.168.0.2"


def test_restore_on_an_ha_pair_after_a_switchover(fleet, tmp_path):
    """A pair is one host; its status shows the active unit's serial, which changes at a switchover.
    The pair's own backup is restored through its sync windows; another host's backup is still refused."""
    ha = {"units": [{"name": "pair-a", "serial": "2001"}, {"name": "pair-b", "serial": "2002"}],
          "sync_seconds": 0.5, "install_seconds": 0.3, "switchover_seconds": 0.5}
    pair = fleet.add_device({"name": "pair", "address": "127.0.0.1", "port": 0, "firmware": "7.40A.500.010",
                             "reset_seconds": 1, "ha": ha})
    root = tmp_path / "backups"
    backed_up = run_fleet_play(tmp_path / "backup", [pair], backup_play(root))
    assert backed_up.rc == 0, backed_up.stdout + backed_up.stderr
    control(fleet, pair, "ha/switchover", {})
    wait_for(lambda: (pair.snapshot()["ha"]["pair"]["active_serial"], pair.snapshot()["ha"]["pair"]["state"])
             == ("2002", "Operational"), what="the switchover to unit 2002")
    set_parameter(pair, tmp_path, "SyslogServerIP", "192.0.2.78")

    restore = {"name": "restore", "hosts": "mediant", "gather_facts": False, "tasks": [
        {"name": "Restore", "ansible.builtin.include_role": {"name": "audiocodes.mediant.backup", "tasks_from": "restore"},
         "vars": {"backup_root": str(root)}}]}
    other = fleet.add_device({"name": "other", "address": "127.0.0.1", "port": 0, "firmware": "7.40A.500.010",
                              "reset_seconds": 1, "ha": dict(ha, units=[{"name": "other-a", "serial": "3001"},
                                                                        {"name": "other-b", "serial": "3002"}])})
    other_before = config_state(other)
    [run] = runs(root)
    restored = run_fleet_play(tmp_path / "restore", [pair, other], restore,
                              hostvars={"other": {"backup_restore_from": str(root / run / "pair")}})
    assert restored.rc == 2, restored.stdout + restored.stderr
    assert "192.0.2.78" not in json.dumps(pair.snapshot()["running_config"])
    assert host_results(restored, "Check that the device holds the backup's configuration")["pair"]["status"] == "ok"
    refusal = host_results(restored, "Stop on this device")["other"]["result"]["msg"]
    assert "failed at 'Refuse a backup of another device' on other" in refusal and "serial 3001" in refusal
    assert config_state(other) == other_before
