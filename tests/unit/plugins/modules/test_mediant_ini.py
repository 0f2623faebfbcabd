# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_ini: no-op, incremental change, check and diff modes, refusals, replace with a reset, save_when, backup."""
from __future__ import annotations

import os

import pytest
import requests

from tests.unit.framework.device_data import BUSY, api_generation, status
from tests.unit.framework.fake_http import Call
from tests.unit.framework.tasks import PASSWORD

DEVICE_INI = """\
;**************
;** Ini File **
;**************

[SYSTEM Params]
SyslogServerIP = 10.1.1.1

[SIP Params]

[ ProxySet ]
FORMAT Index = ProxyName, SRDName, ProxyKeepAliveTime;
ProxySet 0 = "ProxySet_0", "DefaultSRD", 60;
[ \\ProxySet ]
""".replace("\n", "\r\n")

CHANGED_INI = DEVICE_INI.replace("SyslogServerIP = 10.1.1.1", "EnableSyslog = 1\r\nSyslogServerIP = 10.1.1.20")
SYSLOG = {"parameters": {"EnableSyslog": 1, "SyslogServerIP": "10.1.1.20"}}
SENT = "EnableSyslog = 1\r\nSyslogServerIP = 10.1.1.20\r\n"
INCREMENTAL = "files/ini/incremental"


def test_nothing_is_sent_when_the_device_holds_the_values(device, run):
    device.expect(Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", dict(SYSLOG, tables={"ProxySet": [{"proxyname": "ProxySet_0", "PROXYKEEPALIVETIME": "60"}]}))
    assert result["changed"] is False and not result.get("failed")
    assert result["ini"] == "" and result["commands"] == []
    assert result["changes"] == {"parameters": [], "rows_added": [], "rows_updated": [], "rows_removed": []}
    assert result["saved"] is False


def test_only_the_difference_is_sent_then_read_back(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, file=SENT, filename="incremental.ini", answer={"resetNeeded": False}),
                  Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", SYSLOG)
    assert result["changed"] is True and not result.get("failed")
    assert result["ini"] == SENT and result["commands"] == ["EnableSyslog = 1", "SyslogServerIP = 10.1.1.20"]
    assert result["changes"]["parameters"] == [{"name": "EnableSyslog", "before": None, "after": "1"},
                                               {"name": "SyslogServerIP", "before": "10.1.1.1", "after": "10.1.1.20"}]
    assert result["reset_needed"] is False and result["warnings"] == []


def with_firmware(text, version):
    """The INI file with the header comments a real device writes (REST API guide v7.4, 7.1.2)."""
    header = ";Board: Mediant VE SBC\r\n;Serial Number: 101780235059663\r\n;Software Version: {0}\r\n" \
             ";DSP Software Version: SOFTDSP => 0.00\r\n".format(version)
    return text.replace("[SYSTEM Params]", header + "\r\n[SYSTEM Params]", 1)


@pytest.mark.parametrize("firmware, content_type", [("7.40A.500.010", "multipart/form-data"),
                                                    ("7.00A.049.003", "application/octet-stream")])
def test_the_ini_header_tells_the_api_generation_of_the_upload(device, run, firmware, content_type):
    """Issue 9 item 8: the firmware named in the INI file's header chooses the upload's encoding;
    the navigation tree (GET /api/v1) is not asked."""
    device.always(api_generation("1.0" if firmware.startswith("7.00") else "7.4"))
    device.expect(Call("GET", "files/ini", answer=with_firmware(DEVICE_INI, firmware)),
                  Call("PUT", INCREMENTAL, file=SENT, answer={"resetNeeded": False}),
                  Call("GET", "files/ini", answer=with_firmware(CHANGED_INI, firmware)))
    result = run("mediant_ini", SYSLOG)
    assert result["changed"] is True and not result.get("failed")
    assert device.calls(include_standing=True) == ["GET /api/v1/files/ini", "PUT /api/v1/files/ini/incremental",
                                                   "GET /api/v1/files/ini"]
    assert device.sent[1].content_type.startswith(content_type)


def test_rows_are_added_at_the_lowest_free_index_and_updated_by_key(device, run):
    device.always(api_generation("7.4"))
    after = DEVICE_INI.replace('ProxySet 0 = "ProxySet_0", "DefaultSRD", 60;',
                               'ProxySet 0 = "ProxySet_0", "DefaultSRD", 30;\r\nProxySet 1 = "ITSP", "DefaultSRD", 60;')
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, match=lambda sent: 'ProxySet 1 = $$, "ITSP", "DefaultSRD";' in sent.text
                       and 'ProxySet 0 = 30, "ProxySet_0", "DefaultSRD";' in sent.text),
                  Call("GET", "files/ini", answer=after))
    result = run("mediant_ini", {"tables": {"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD"},
                                                         {"ProxyName": "ProxySet_0", "ProxyKeepAliveTime": 30}]}})
    assert result["changed"]
    assert result["changes"]["rows_added"] == [{"table": "ProxySet", "index": 1, "action": "add",
                                                "after": {"ProxyName": "ITSP", "SRDName": "DefaultSRD"}}]
    assert result["changes"]["rows_updated"] == [{"table": "ProxySet", "index": 0, "action": "update",
                                                  "before": {"ProxyKeepAliveTime": "60"}, "after": {"ProxyKeepAliveTime": "30"}}]


def test_check_mode_reads_and_predicts_but_sends_nothing(device, run):
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI))
    result = run("mediant_ini", dict(SYSLOG, save_when="changed"), check_mode=True)
    assert result["changed"] is True and result["ini"] == SENT and result["saved"] is False
    assert "diff" not in result


def test_diff_mode_shows_the_lines_before_and_after(device, run):
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI))
    result = run("mediant_ini", SYSLOG, check_mode=True, diff=True)
    assert result["diff"]["before"] == "SyslogServerIP = 10.1.1.1\n"
    assert result["diff"]["after"] == "EnableSyslog = 1\nSyslogServerIP = 10.1.1.20\n"


def test_a_refused_file_fails_with_the_line_and_says_the_configuration_is_unchanged(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, status=400, answer={"description": "Line 2: invalid value"}),
                  Call("GET", "files/ini", answer=DEVICE_INI))
    result = run("mediant_ini", SYSLOG)
    assert result["failed"] and result["changed"] is False and result["status"] == 400
    assert result["msg"] == ("The device rejected the INI file (HTTP 400): Line 2: invalid value (line 2 of the INI sent: "
                             "SyslogServerIP = 10.1.1.20). The device's configuration is unchanged.")


def test_a_refused_file_that_changed_something_says_so(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, status=400, answer={"description": "invalid value"}),
                  Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", SYSLOG)
    assert result["failed"] and result["changed"] is True
    assert result["msg"].endswith("The device's configuration HAS changed.")


def test_a_busy_device_is_asked_again_until_it_accepts(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, file=SENT, status=409, answer=BUSY),
                  Call("PUT", INCREMENTAL, file=SENT),
                  Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", SYSLOG)
    assert result["changed"] and not result.get("failed")


def test_a_busy_device_fails_naming_the_409_with_busy_timeout_0(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI), Call("PUT", INCREMENTAL, status=409, answer=BUSY))
    result = run("mediant_ini", dict(SYSLOG, busy_timeout=0))
    assert result["failed"] and result["status"] == 409
    assert result["msg"] == ("The device is busy (HTTP 409) and refused PUT /api/v1/files/ini/incremental: Device is currently "
                             "performing HA synchronization. This is usually a temporary state such as HA synchronization: "
                             "try again later.")


def test_values_the_device_accepts_but_does_not_hold_fail_the_task(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, file=SENT),
                  Call("GET", "files/ini", answer=DEVICE_INI.replace("10.1.1.1", "10.9.9.9").replace(
                      "SyslogServerIP", "EnableSyslog = 1\r\nSyslogServerIP")))
    result = run("mediant_ini", SYSLOG)
    assert result["failed"]
    assert result["msg"] == ("The device accepted the INI file but does not hold these values afterwards: parameter "
                             "SyslogServerIP = '10.1.1.20' (device: '10.9.9.9')")


def test_a_known_parameter_at_its_default_is_no_change(device, run):
    """The device never writes a parameter at its default: absent from the INI equals the default."""
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI))
    result = run("mediant_ini", {"parameters": {"EnableSyslog": 0}})
    assert not result["changed"] and not result.get("failed")
    assert result["commands"] == []


def test_a_value_the_device_does_not_write_is_a_warning(device, run):
    """A parameter the collection does not know may be at its default: accepted but unseen is a warning."""
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, file="VendorTuningLevel = 0\r\n"),
                  Call("GET", "files/ini", answer=DEVICE_INI))  # a default value is not written
    result = run("mediant_ini", {"parameters": {"VendorTuningLevel": 0}})
    assert result["changed"] and not result.get("failed")
    assert any("does not write them in its INI file" in warning and "VendorTuningLevel" in warning for warning in result["warnings"])


def test_a_change_that_needs_a_reset_is_reported_and_warned(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("PUT", INCREMENTAL, file=SENT, answer={"resetNeeded": True}),
                  Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", SYSLOG)
    assert result["reset_needed"] is True
    assert "The device needs a reset for some of these changes to take effect (see mediant_reset)." in result["warnings"]


def test_save_when_changed_saves_after_a_change_only(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI), Call("PUT", INCREMENTAL, file=SENT),
                  Call("GET", "files/ini", answer=CHANGED_INI), Call("POST", "actions/saveConfiguration"),
                  Call("GET", "files/ini", answer=CHANGED_INI))
    assert run("mediant_ini", dict(SYSLOG, save_when="changed"))["saved"] is True
    assert run("mediant_ini", dict(SYSLOG, save_when="changed"))["saved"] is False


def test_save_when_always_saves_on_a_no_op_and_reports_a_change(device, run):
    device.expect(Call("GET", "files/ini", answer=CHANGED_INI), Call("POST", "actions/saveConfiguration"))
    result = run("mediant_ini", dict(SYSLOG, save_when="always"))
    assert result["saved"] is True and result["changed"] is True and result["ini"] == ""


def test_check_mode_never_saves(device, run):
    device.expect(Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", dict(SYSLOG, save_when="always"), check_mode=True)
    assert result["saved"] is False
    assert result["changed"] is True   # a save is a change: predicted as mediant_cli predicts it


def test_replace_uploads_the_whole_file_waits_for_the_reset_and_checks(device, run, clock):
    device.always(api_generation("7.4"))
    new_file = "[SYSTEM Params]\r\nEnableSyslog = 1\r\nSyslogServerIP = 10.1.1.20\r\n"
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI),
                  Call("GET", "status", answer=status(systemUpTime=5000)),
                  Call("PUT", "files/ini", file=new_file, filename="config.ini",
                       answer={"description": "Device will reset now"}),
                  Call("GET", "status", error=requests.exceptions.ConnectionError("refused")),  # down
                  Call("GET", "status", answer=status(systemUpTime=3)),
                  Call("GET", "status", answer=status(systemUpTime=4)),
                  Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", {"content": new_file, "mode": "replace"})
    assert result["changed"] and not result.get("failed")
    assert result["ini"] == new_file and result["description"] == "Device will reset now"
    assert clock.slept  # it polled


def test_replace_without_wait_does_not_wait_and_does_not_save(device, run):
    device.always(api_generation("7.4"))
    new_file = "[SYSTEM Params]\r\nEnableSyslog = 1\r\nSyslogServerIP = 10.1.1.20\r\n"
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI), Call("GET", "status", answer=status()),
                  Call("PUT", "files/ini", file=new_file, answer={"description": "Device will reset now"}))
    result = run("mediant_ini", {"content": new_file, "mode": "replace", "wait": False, "save_when": "changed"})
    assert result["changed"] and result["saved"] is False
    assert "Not saving: the device is resetting to load the INI file (wait=false)." in result["warnings"]


def test_replace_fails_naming_wait_timeout_when_the_device_stays_down(device, run, clock):
    device.always(api_generation("7.4"))
    new_file = "[SYSTEM Params]\r\nEnableSyslog = 1\r\n"
    device.expect(Call("GET", "files/ini", answer=DEVICE_INI), Call("GET", "status", answer=status()),
                  Call("PUT", "files/ini", file=new_file),
                  Call("GET", "status", error=requests.exceptions.ConnectionError("refused"), repeat=True))
    result = run("mediant_ini", {"content": new_file, "mode": "replace", "wait_timeout": 10})
    assert result["failed"]
    assert result["msg"].startswith("The device accepted the INI file and resets to load it, then: The device at "
                                    "sbc.example.com:443 did not come back within 10 s")
    assert "wait_timeout" in result["msg"] and PASSWORD not in str(result)
    assert 9.5 <= clock.now - 1000.0 <= 11


def test_replace_needs_a_file(device, run):
    result = run("mediant_ini", {"parameters": {"EnableSyslog": 1}, "mode": "replace"})
    assert result["failed"] and result["msg"] == "mode=replace uploads a whole INI file: give it in src or content"
    assert device.sent == []


def test_content_that_is_not_ini_fails_before_anything_is_sent(device, run):
    result = run("mediant_ini", {"content": "[ ProxySet ]\nFORMAT Index = ProxyName;\nProxySet 0 = \"a\", \"b\";\n"})
    assert result["failed"] and result["msg"].startswith("content: ") and "Nothing was sent to the device." in result["msg"]
    assert device.sent == []


def test_backup_writes_the_device_ini_on_the_controller(device, run, tmp_path):
    device.expect(Call("GET", "files/ini", answer=CHANGED_INI))
    result = run("mediant_ini", dict(SYSLOG, backup=True), playbook_dir=str(tmp_path))
    path = result["backup_path"]
    assert os.path.dirname(path) == str(tmp_path / "backup") and path.endswith(".ini")
    assert open(path, encoding="utf-8", newline="").read() == CHANGED_INI
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert not any(key.startswith("__backup") for key in result)
