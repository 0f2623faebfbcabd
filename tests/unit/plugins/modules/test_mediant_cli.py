# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_cli: no-op, incremental script, check and diff modes, refused commands, save_when, before/after, backup."""
from __future__ import annotations

import os

from tests.unit.framework.device_data import BUSY, api_generation
from tests.unit.framework.fake_http import Call

RUNNING = """\
## Current Configuration:
configure system
 ntp
  primary-server "old.ntp.org"
  activate
 exit
exit
"""
CONVERGED = RUNNING.replace('  primary-server "old.ntp.org"\n', '  primary-server "pool.ntp.org"\n  update-interval 3600\n')
NTP = {"parents": ["configure system", "ntp"], "lines": ['primary-server "pool.ntp.org"', "update-interval 3600"]}
SCRIPT = ('configure system\n  ntp\n    primary-server "pool.ntp.org"\n    update-interval 3600\n    activate\n'
          '  exit\nexit\n')
INCREMENTAL = "files/cliScript/incremental"


def test_nothing_is_sent_when_the_running_configuration_has_the_lines(device, run):
    device.expect(Call("GET", "files/cliScript", answer=CONVERGED))
    result = run("mediant_cli", NTP)
    assert result["changed"] is False and result["commands"] == [] and result["updates"] == []
    assert not result.get("failed") and result["saved"] is False


def test_the_missing_lines_are_sent_as_one_script_then_read_back(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=RUNNING),
                  Call("PUT", INCREMENTAL, file=SCRIPT, filename="cli.txt", answer={"output": "sbc1(config-system)# ...\n"}),
                  Call("GET", "files/cliScript", answer=CONVERGED))
    result = run("mediant_cli", NTP)
    assert result["changed"] is True and not result.get("failed")
    assert result["commands"] == SCRIPT.splitlines()
    assert result["updates"] == ['primary-server "pool.ntp.org"', "update-interval 3600"]
    assert result["output"] == "sbc1(config-system)# ...\n" and result["warnings"] == []


def test_before_and_after_wrap_the_script_only_when_something_is_sent(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=RUNNING),
                  Call("PUT", INCREMENTAL, file="debug on\n" + SCRIPT + "debug off\n"),
                  Call("GET", "files/cliScript", answer=CONVERGED),
                  Call("GET", "files/cliScript", answer=CONVERGED))
    task = dict(NTP, before=["debug on"], after=["debug off"])
    assert run("mediant_cli", task)["commands"][0] == "debug on"
    assert run("mediant_cli", task)["commands"] == []


def test_check_mode_and_diff_show_the_change_and_send_nothing(device, run):
    device.expect(Call("GET", "files/cliScript", answer=RUNNING))
    result = run("mediant_cli", NTP, check_mode=True, diff=True)
    assert result["changed"] is True and result["commands"] == SCRIPT.splitlines()
    assert result["diff"]["before"] == 'configure system\n ntp\n  primary-server "old.ntp.org"\n  activate\n exit\nexit\n'
    assert result["diff"]["after"] == ('configure system\n ntp\n  primary-server "pool.ntp.org"\n  update-interval 3600\n'
                                       '  activate\n exit\nexit\n')


def test_diff_after_a_change_is_read_from_the_device(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=RUNNING), Call("PUT", INCREMENTAL, file=SCRIPT),
                  Call("GET", "files/cliScript", answer=CONVERGED))
    result = run("mediant_cli", NTP, diff=True)
    assert '  update-interval 3600\n' in result["diff"]["after"] and "old.ntp.org" in result["diff"]["before"]


def test_a_refused_command_is_named_and_the_configuration_is_unchanged(device, run):
    device.always(api_generation("7.4"))
    refused = {"description": "Incremental CLI Script file was not loaded.",
               "output": "sbc1(config-system)# update-interval 3600\n% Invalid command (line 4: update-interval 3600)\n"}
    device.expect(Call("GET", "files/cliScript", answer=RUNNING),
                  Call("PUT", INCREMENTAL, file=SCRIPT, status=400, answer=refused),
                  Call("GET", "files/cliScript", answer=RUNNING))
    result = run("mediant_cli", NTP)
    assert result["failed"] and result["changed"] is False and result["status"] == 400
    assert result["msg"] == ("The device rejected the CLI script at command 'update-interval 3600': Invalid command. "
                             "The running configuration is unchanged.")
    assert result["output"] == refused["output"] and result["commands"] == SCRIPT.splitlines()


def test_an_error_in_the_output_of_an_accepted_script_fails_and_says_what_the_device_kept(device, run):
    device.always(api_generation("7.4"))
    output = "sbc1(config-system)# update-interval 3600\n% Invalid command (line 4: update-interval 3600)\n"
    kept = RUNNING.replace("old.ntp.org", "pool.ntp.org")
    device.expect(Call("GET", "files/cliScript", answer=RUNNING),
                  Call("PUT", INCREMENTAL, file=SCRIPT, answer={"output": output}),
                  Call("GET", "files/cliScript", answer=kept))
    result = run("mediant_cli", NTP)
    assert result["failed"] and result["changed"] is True
    assert result["msg"] == ("The device rejected the CLI script at command 'update-interval 3600': Invalid command. "
                             "The device kept the lines before it: the running configuration has changed.")


def test_a_busy_device_fails_naming_the_409(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=RUNNING), Call("PUT", INCREMENTAL, status=409, answer=BUSY))
    result = run("mediant_cli", dict(NTP, busy_timeout=0))
    assert result["failed"] and result["status"] == 409
    assert result["msg"].startswith("The device is busy (HTTP 409) and refused PUT /api/v1/files/cliScript/incremental")


def test_lines_the_device_accepts_but_does_not_show_are_a_warning(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=RUNNING), Call("PUT", INCREMENTAL, file=SCRIPT),
                  Call("GET", "files/cliScript", answer=RUNNING.replace("old.ntp.org", "pool.ntp.org")))
    result = run("mediant_cli", NTP)
    assert result["changed"] and not result.get("failed")
    assert any("does not show them" in warning and "update-interval 3600" in warning for warning in result["warnings"])


def test_save_when_changed_and_always(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=RUNNING), Call("PUT", INCREMENTAL, file=SCRIPT),
                  Call("GET", "files/cliScript", answer=CONVERGED), Call("POST", "actions/saveConfiguration"),
                  Call("GET", "files/cliScript", answer=CONVERGED),
                  Call("GET", "files/cliScript", answer=CONVERGED), Call("POST", "actions/saveConfiguration"))
    assert run("mediant_cli", dict(NTP, save_when="changed"))["saved"] is True
    assert run("mediant_cli", dict(NTP, save_when="changed"))["saved"] is False
    always = run("mediant_cli", dict(NTP, save_when="always"))
    assert always["saved"] is True and always["changed"] is True and always["commands"] == []


def test_check_mode_never_saves(device, run):
    device.expect(Call("GET", "files/cliScript", answer=CONVERGED))
    checked = run("mediant_cli", dict(NTP, save_when="always"), check_mode=True)
    assert checked["saved"] is False and checked["changed"] is True   # as mediant_ini predicts it


def test_a_script_in_content_is_compared_line_by_line(device, run):
    device.expect(Call("GET", "files/cliScript", answer=CONVERGED))
    content = 'configure system\n ntp\n  primary-server "pool.ntp.org"\n  activate\n exit\nexit\n'
    assert run("mediant_cli", {"content": content})["changed"] is False


def test_a_running_configuration_that_is_not_a_script_fails_clearly(device, run):
    device.expect(Call("GET", "files/cliScript", answer="configure system\nexit\nexit\n"))
    result = run("mediant_cli", NTP)
    assert result["failed"]
    assert result["msg"] == ("The device's running configuration (GET files/cliScript) could not be read as a CLI script: "
                             "line 3: 'exit' closes no mode; indent the lines of each mode under the line that opens it")


def test_backup_writes_the_running_configuration_on_the_controller(device, run, tmp_path):
    device.expect(Call("GET", "files/cliScript", answer=CONVERGED))
    result = run("mediant_cli", dict(NTP, backup=True, backup_options={"dir_path": str(tmp_path / "saved"),
                                                                       "filename": "sbc1.cli"}))
    assert result["backup_path"] == str(tmp_path / "saved" / "sbc1.cli")
    with open(result["backup_path"], encoding="utf-8") as handle:
        assert handle.read() == CONVERGED
    assert os.stat(result["backup_path"]).st_mode & 0o777 == 0o600


WEB = RUNNING.replace(" exit\nexit\n", " exit\n web\n  https-port 443\n exit\nexit\n")


def test_a_protected_line_is_refused_before_anything_is_sent_in_check_mode_too(device, run):
    https_port = {"parents": ["configure system", "web"], "lines": ["https-port 8443"]}
    for check_mode in (False, True):
        device.expect(Call("GET", "files/cliScript", answer=WEB))   # a PUT would be an unexpected call
        result = run("mediant_cli", https_port, check_mode=check_mode)
        assert result["failed"] and not result.get("changed")
        assert result["msg"] == ("Refusing a change that could cut the device off from its management: configure system > "
                                 "web > https-port 8443 would change the web server the REST API listens on. Nothing was "
                                 "sent to the device. To allow it, leave management out of protect.")


def test_a_protected_line_is_sent_when_its_category_is_left_out(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/cliScript", answer=WEB), Call("PUT", INCREMENTAL),
                  Call("GET", "files/cliScript", answer=WEB.replace("https-port 443", "https-port 8443")))
    result = run("mediant_cli", {"parents": ["configure system", "web"], "lines": ["https-port 8443"], "protect": ["ha"]})
    assert result["changed"] is True and not result.get("failed")
