# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_command against a simulated device: one output per command, never a change, anything
but show commands refused before sending, wait_for conditions with retries."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import requests
import yaml

from tests.integration.device_helpers import config_state

COMMAND = "audiocodes.mediant.mediant_command"


def test_each_command_gets_its_own_output(device, run_play):
    commands = ["show system version", "show high-availability status", "show running-config voip"]
    play = run_play([{"name": "show", COMMAND: {"commands": commands}}], device)
    task = play.task("show")
    assert task["status"] == "ok", task
    result = task["result"]
    assert result["changed"] is False
    version, ha_status, voip = result["stdout"]
    assert "Software Version: 7.40A.500.010" in version and "HA Status" not in version
    assert ha_status == "HA Status: Not Operational\n"
    # a fresh device prints its factory rows in `configure voip`, and only that block
    assert voip.startswith("configure voip\n realm 0\n") and ' ip-group 0\n  name "Default_IPG"\n' in voip
    assert "configure network" not in voip and voip.endswith("exit\n")
    assert result["stdout_lines"][1] == ["HA Status: Not Operational"]
    assert ";Board: Mediant VE SBC" in result["stdout_lines"][0]
    assert result["attempts"] == 1


def test_configuration_commands_are_refused_before_anything_is_sent(device, run_play):
    before = config_state(device)
    device.inject_fault(path="files/cliScript/incremental", method="PUT", status=500, count=1)
    play = run_play([{"name": "configure", COMMAND: {"commands": ["show system version", "configure voip"]}}], device)
    task = play.task("configure")
    assert task["status"] == "failed"
    assert "refused 'configure voip'" in task["result"]["msg"] and "mediant_cli" in task["result"]["msg"]
    assert task["result"]["changed"] is False
    assert any(fault["path"].endswith("cliScript/incremental") for fault in device.snapshot()["faults"])  # not sent
    assert config_state(device) == before


def test_unknown_show_command_fails_naming_it(device, run_play):
    play = run_play([{"name": "unknown", COMMAND: {"commands": ["show system version", "show no-such-thing"]}}], device)
    task = play.task("unknown")
    assert task["status"] == "failed"
    assert task["result"]["msg"] == "The device refused command 'show no-such-thing': Invalid command"


def test_never_changed_in_check_mode_either(device, run_play):
    play = run_play([{"name": "check", COMMAND: {"commands": ["show system uptime"]}}], device, check=True)
    task = play.task("check")
    assert task["status"] == "ok" and task["result"]["stdout"][0].startswith("Uptime: ")


def test_wait_for_conditions_and_operators(device, run_play):
    commands = ["show system version", "show high-availability status"]
    play = run_play([
        {"name": "all", COMMAND: {"commands": commands, "wait_for": [
            "result[0] contains 7.40A", "result[1] == 'HA Status: Not Operational'",
            "result[0] matches 'Serial Number: \\d+'", "result[1] not contains Active", "result[0] neq x"]}},
        {"name": "any", COMMAND: {"commands": commands, "match": "any",
                                  "wait_for": ["result[0] contains 7.00A", "result[1] contains Not Operational"]}},
    ], device)
    assert play.task("all")["status"] == "ok", play.task("all")
    assert play.task("all")["result"]["attempts"] == 1
    assert play.task("any")["status"] == "ok"


def test_wait_for_gives_up_after_retries(device, run_play):
    play = run_play([{"name": "never", COMMAND: {"commands": ["show system version"], "retries": 3, "interval": 1,
                                                 "wait_for": ["result[0] contains 7.00A", "result[0] contains Mediant"]}}], device)
    task = play.task("never")
    assert task["status"] == "failed"
    assert task["result"]["attempts"] == 3
    assert task["result"]["failed_conditions"] == ["result[0] contains 7.00A"]
    assert "after 3 attempts: result[0] contains 7.00A" in task["result"]["msg"]
    assert "7.40A" in task["result"]["stdout"][0]


def test_wait_for_retries_until_the_device_reports_it(device, run_play, tmp_path):
    """The condition becomes true only after the first attempt: a thread changes the configuration then."""
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(device.certificate_pem())
    # the fault (a tiny delay) is used up by the module's first request: the sign to change the device
    device.inject_fault(path="files/cliScript/incremental", method="PUT", delay=0.01, count=1)

    def change_after_first_attempt():
        deadline = time.monotonic() + 120
        while device.snapshot()["faults"] and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        script = "configure troubleshoot\n syslog\n  syslog-ip 10.9.9.9\n  activate\n exit\nexit\n"
        requests.put(f"{device.url}/api/v1/files/cliScript/incremental", files={"file": ("cli.txt", script)},
                     auth=("Admin", "Admin"), verify=str(ca_file), timeout=10).raise_for_status()

    changer = threading.Thread(target=change_after_first_attempt, daemon=True)
    changer.start()
    play = run_play([{"name": "wait", COMMAND: {"commands": ["show running-config troubleshoot"], "retries": 20, "interval": 1,
                                                "wait_for": ["result[0] contains syslog-ip 10.9.9.9"]}}], device)
    changer.join(timeout=30)
    task = play.task("wait")
    assert task["status"] == "ok", task
    assert task["result"]["attempts"] >= 2
    assert "syslog-ip 10.9.9.9" in task["result"]["stdout"][0]


def test_bad_conditions_are_refused(device, run_play):
    play = run_play([
        {"name": "syntax", COMMAND: {"commands": ["show system version"], "wait_for": ["result[0] resembles x"]}, "ignore_errors": True},
        {"name": "index", COMMAND: {"commands": ["show system version"], "wait_for": ["result[1] contains x"]}, "ignore_errors": True},
    ], device)
    assert "cannot read 'result[0] resembles x'" in play.task("syntax")["result"]["msg"]
    assert "no such command: results count from 0 and there are 1 commands" in play.task("index")["result"]["msg"]


def test_examples_run_as_written(device, run_play):
    source = (Path(__file__).resolve().parents[2] / "plugins" / "modules" / "mediant_command.py").read_text()
    examples = yaml.safe_load(source.split('EXAMPLES = r"""', 1)[1].split('"""', 1)[0])
    play = run_play(examples, device)
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["ok", "ok", "ok"]


def test_example_playbook_runs(device, run_play):
    playbook = yaml.safe_load((Path(__file__).resolve().parents[2] / "playbooks" / "command.yml").read_text())
    play = run_play(playbook[0]["tasks"], device)
    assert play.rc == 0, play.stdout + play.stderr
    assert play.tasks[-1]["result"]["msg"] == "HA Status: Not Operational"
