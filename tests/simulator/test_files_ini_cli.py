"""INI and CLI views of the configuration: full (reset) and incremental (no reset), both encodings."""

from __future__ import annotations

from sim_testdata import IP_GROUPS_INI, NO_RESET_PARAMETER_INI, RESET_PARAMETER_INI


def test_get_ini_is_octet_stream_with_header(api):
    reply = api.get("files/ini")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/octet-stream"
    assert f";Serial Number: {api.device.serial}" in reply.text
    assert ";Software Version: 7.40A.500.010" in reply.text


def test_incremental_ini_changes_running_config_without_reset(api):
    reply = api.upload("files/ini/incremental", NO_RESET_PARAMETER_INI, "inc.ini")
    assert reply.status_code == 200, reply.text
    assert "SyslogServerPort = 1514" in api.get("files/ini").text
    status = api.get("status").json()
    assert status["saveNeeded"] is True and status["resetNeeded"] is False
    assert api.device.state == "up" and api.device.reset_pending is False


def test_incremental_ini_that_needs_reset_sets_reset_needed(api):
    assert api.upload("files/ini/incremental", RESET_PARAMETER_INI).status_code == 200
    assert api.get("status").json()["resetNeeded"] is True


def test_incremental_ini_is_all_or_nothing(api):
    before = api.get("files/ini").text
    reply = api.upload("files/ini/incremental", NO_RESET_PARAMETER_INI + "SyslogServerPort = notanumber\n")
    assert reply.status_code == 400
    assert "SyslogServerPort" in reply.json()["description"]
    assert api.get("files/ini").text == before


def test_v74_rejects_raw_octet_stream_upload_naming_field_file(api):
    reply = api.put("files/ini/incremental", data=NO_RESET_PARAMETER_INI, headers={"Content-Type": "application/octet-stream"})
    assert reply.status_code == 400
    assert "multipart" in reply.json()["description"] and "'file'" in reply.json()["description"]


def test_v74_multipart_without_field_file_is_400(api):
    reply = api.put("files/ini/incremental", files={"upload": ("x.ini", NO_RESET_PARAMETER_INI)})
    assert reply.status_code == 400
    assert "'file'" in reply.json()["description"]


def test_v10_takes_octet_stream_and_rejects_multipart(api_v1):
    assert api_v1.upload("files/ini/incremental", NO_RESET_PARAMETER_INI).status_code == 200
    assert "SyslogServerPort = 1514" in api_v1.get("files/ini").text
    reply = api_v1.put("files/ini/incremental", files={"file": ("x.ini", NO_RESET_PARAMETER_INI)})
    assert reply.status_code == 400
    assert "octet-stream" in reply.json()["description"]


def test_full_ini_replaces_configuration_and_resets(api):
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    api.post("actions/saveConfiguration")
    reply = api.upload("files/ini", NO_RESET_PARAMETER_INI, "full.ini")
    assert reply.status_code == 200
    assert reply.json() == {"description": "Device will reset now to activate new configuration"}
    api.wait_down_and_up()
    ini = api.get("files/ini").text
    assert "SyslogServerPort = 1514" in ini
    assert '"Teams"' not in ini  # the full file replaced everything
    assert api.get("status").json()["saveNeeded"] is False


def test_full_ini_with_error_is_400_and_no_reset(api):
    reply = api.upload("files/ini", "SyslogServerPort = 99999999\n")
    assert reply.status_code == 400
    assert "SyslogServerPort" in reply.json()["description"]
    assert api.device.reset_pending is False


def test_get_cli_script(api):
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    reply = api.get("files/cliScript")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/octet-stream"
    assert 'name "Teams"' in reply.text


def test_incremental_cli_output_and_description(api):
    reply = api.upload("files/cliScript/incremental", "show system version\n", "cli.txt")
    assert reply.status_code == 200
    body = reply.json()
    assert body["description"] == "Incremental CLI Script file was loaded."
    assert api.device.serial in body["output"]


def test_incremental_cli_changes_config(api):
    script = "configure voip\n ip-group 5\n  name \"Branch\"\n  activate\n exit\nexit\n"
    assert api.upload("files/cliScript/incremental", script).status_code == 200
    assert "Branch" in api.get("files/ini").text
    assert api.get("status").json()["saveNeeded"] is True


def test_incremental_cli_error_is_400_with_output(api):
    reply = api.upload("files/cliScript/incremental", "show system version\nthis is not a command\n")
    assert reply.status_code == 400
    body = reply.json()
    assert body["description"] and "output" in body


def test_v10_incremental_cli_description(api_v1):
    reply = api_v1.upload("files/cliScript/incremental", "show system version\n")
    assert reply.json()["description"] == "Incremental CLI script file was loaded"


def test_full_cli_replaces_configuration_and_resets(api):
    script = "configure voip\n ip-group 1\n  name \"OnlyOne\"\n  activate\n exit\nexit\n"
    reply = api.upload("files/cliScript", script)
    assert reply.status_code == 200
    assert reply.json()["description"] == "Device will reset now to activate new configuration"
    api.wait_down_and_up()
    assert 'name "OnlyOne"' in api.get("files/cliScript").text


def test_full_cli_with_error_is_400(api):
    reply = api.upload("files/cliScript", "configure voip\n nonsense-command 1\n")
    assert reply.status_code == 400
    assert "output" in reply.json()


def test_v10_full_ini_and_cli_downloads(api_v1):
    assert api_v1.get("files/cliScript").headers["Content-Type"] == "application/octet-stream"
    reply = api_v1.upload("files/ini", NO_RESET_PARAMETER_INI)
    assert reply.json() == {"description": "Device will reset now to activate new configuration"}
    api_v1.wait_down_and_up()
    assert "SyslogServerPort = 1514" in api_v1.get("files/ini").text
    assert api_v1.post("actions/saveConfiguration").status_code == 200


def test_v10_sync_window_409(api_v1):
    api_v1.device.set_ha_sync(True)
    reply = api_v1.upload("files/ini/incremental", NO_RESET_PARAMETER_INI)
    assert reply.status_code == 409
    assert reply.json()["description"] == "Device is currently performing HA synchronization"
    api_v1.device.set_ha_sync(False)
    assert api_v1.upload("files/ini/incremental", NO_RESET_PARAMETER_INI).status_code == 200
