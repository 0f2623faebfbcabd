# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_command: show commands one request each, wait_for with retries, refusals."""
from __future__ import annotations

import pytest

from tests.unit.framework.device_data import api_generation
from tests.unit.framework.fake_http import Call

SCRIPT = "files/cliScript/incremental"
VERSION = "Version info:\n  Version: 7.40A.500.010\n"


def test_each_command_runs_as_its_own_script_and_changes_nothing(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, file="show system version\n", filename="cli.txt", answer={"output": VERSION}),
                  Call("PUT", SCRIPT, file="show high-availability status\n", answer={"output": "HA Status: Not Operational\n"}))
    result = run("mediant_command", {"commands": ["show system version", "  show high-availability status  "]})
    assert result["changed"] is False and not result.get("failed")
    assert result["stdout"] == [VERSION, "HA Status: Not Operational\n"]
    assert result["stdout_lines"] == [["Version info:", "  Version: 7.40A.500.010"], ["HA Status: Not Operational"]]
    assert result["attempts"] == 1


def test_commands_other_than_show_are_refused_before_anything_is_sent(device, run):
    result = run("mediant_command", {"commands": ["show system version", "configure system"]})
    assert result["failed"]
    assert result["msg"] == ("commands[1]: 'configure system' is not a show command; mediant_command runs show commands "
                             "only unless allow_changes: true. Use audiocodes.mediant.mediant_cli to change the "
                             "configuration. Nothing was sent to the device.")
    assert device.sent == []


def test_check_mode_runs_show_commands_too(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, file="show system version\n", answer={"output": VERSION}))
    result = run("mediant_command", {"commands": ["show system version"]}, check_mode=True)
    assert result["stdout"] == [VERSION] and result["changed"] is False


def test_wait_for_repeats_until_the_condition_holds(device, run, clock):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, answer={"output": "HA Status: Synchronizing\n"}),
                  Call("PUT", SCRIPT, answer={"output": "HA Status: Synchronizing\n"}),
                  Call("PUT", SCRIPT, answer={"output": "HA Status: Operational\n"}))
    result = run("mediant_command", {"commands": ["show high-availability status"], "interval": 5,
                                     "wait_for": ["result[0] contains Operational", "result[0] not contains Synchronizing"]})
    assert result["attempts"] == 3 and not result.get("failed")
    assert clock.slept == [5, 5]


def test_wait_for_fails_after_the_retries_naming_the_conditions(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, answer={"output": "Calls: 12\n"}, repeat=True))
    result = run("mediant_command", {"commands": ["show voip calls statistics"], "retries": 3,
                                     "wait_for": ["result[0] matches Calls: 0$"]})
    assert result["failed"] and result["attempts"] == 3
    assert result["msg"] == "wait_for: conditions not satisfied after 3 attempts: result[0] matches Calls: 0$"
    assert result["failed_conditions"] == ["result[0] matches Calls: 0$"]
    assert len(device.calls()) == 3


def test_match_any_is_satisfied_by_one_condition(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, answer={"output": "12\n"}))
    result = run("mediant_command", {"commands": ["show voip calls count"], "match": "any",
                                     "wait_for": ["result[0] == 0", "result[0] gt 10"]})
    assert result["attempts"] == 1 and not result.get("failed")


def test_a_condition_on_a_missing_result_fails_before_sending(device, run):
    result = run("mediant_command", {"commands": ["show system version"], "wait_for": ["result[1] contains x"]})
    assert result["failed"] and "refers to result[1], but there is no such command" in result["msg"]
    assert device.sent == []


def test_a_command_the_device_refuses_is_named(device, run):
    device.always(api_generation("7.4"))
    refused = {"description": "Incremental CLI Script file was not loaded.", "output": "% Invalid command (line 1: show nothing)\n"}
    device.expect(Call("PUT", SCRIPT, status=400, answer=refused))
    result = run("mediant_command", {"commands": ["show nothing"]})
    assert result["failed"] and result["status"] == 400
    assert result["msg"] == "The device refused command 'show nothing': Invalid command"


def test_an_error_printed_by_an_accepted_script_fails_too(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, answer={"output": "% Incomplete command (line 1: show voip)\n"}))
    result = run("mediant_command", {"commands": ["show voip"]})
    assert result["failed"] and result["msg"] == "The device refused command 'show voip': Incomplete command"


def test_a_busy_device_fails_naming_the_409(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("PUT", SCRIPT, status=409, answer={"description": "Device is currently performing HA synchronization"}))
    result = run("mediant_command", {"commands": ["show system version"]})
    assert result["failed"] and result["status"] == 409
    assert result["msg"].startswith("The device is busy (HTTP 409) and refused PUT /api/v1/files/cliScript/incremental")


@pytest.mark.parametrize("args, msg", [
    ({"commands": ["  ", ""]}, "commands: give at least one show command"),
    ({"retries": 0}, "retries must be 1 or more, got 0"),
    ({"interval": -1}, "interval must be 0 or more, got -1"),
    ({"commands": ["configure voip"], "allow_changes": True, "wait_for": ["result[0] contains x"]},
     "wait_for runs the commands again until its conditions hold, so it cannot be combined with commands that change "
     "the device (commands[0]: 'configure voip'); run those in a task of their own. Nothing was sent to the device."),
    ({"wait_for": ["result[0] has 7.40A"]},
     "wait_for: cannot read 'result[0] has 7.40A'; write result[N] <operator> <value>, for example "
     "'result[0] contains 7.40A'"),
])
def test_options_it_cannot_use_are_refused_before_anything_is_sent(device, run, args, msg):
    result = run("mediant_command", dict({"commands": ["show system version"]}, **args))
    assert result["failed"] and result["msg"] == msg
    assert device.sent == []
