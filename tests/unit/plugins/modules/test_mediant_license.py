# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_license: no-op, JSON load on a stand-alone device, file load (HA, src), check mode, refusals."""
from __future__ import annotations

import requests

from tests.unit.framework.device_data import BUSY, SERIAL, api_generation, status
from tests.unit.framework.fake_http import Call

OLD = {"serialNumber": SERIAL, "licenseVersion": 1, "keyDescription": "Old features", "key": "OLD-KEY"}
NEW = dict(OLD, keyDescription="New features", key="NEW-KEY")
DOWN = requests.exceptions.ConnectionError("Connection refused")


def comes_back():
    return [Call("GET", "status", error=DOWN), Call("GET", "status", answer=status(systemUpTime=2)),
            Call("GET", "status", answer=status(systemUpTime=3))]


def test_the_key_the_device_runs_is_a_no_op(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"key": " OLD-KEY "})
    assert result["changed"] is False and result["method"] is None
    assert result["key_description"] == "Old features" and result["serial_number"] == SERIAL
    assert "OLD-KEY" not in str(result)


def test_a_stand_alone_device_gets_the_key_as_json_and_is_checked_after_its_reset(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", json={"licenseVersion": 1, "serialNumber": SERIAL, "key": "NEW-KEY"},
                       answer={"description": "Device will reset now"}),
                  *comes_back(),
                  Call("GET", "license", answer=NEW))
    result = run("mediant_license", {"key": "NEW-KEY"})
    assert result["changed"] is True and not result.get("failed") and result["method"] == "json"
    assert result["key_description"] == "New features" and result["previous_key_description"] == "Old features"
    assert result["diff"] == {"before": {"serial_number": SERIAL, "key_description": "Old features"},
                              "after": {"serial_number": SERIAL, "key_description": "New features"}}
    assert "NEW-KEY" not in str(result)


def test_an_ha_device_gets_a_license_file(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status(highAvailability="Active")), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", file="Key {0} NEW-KEY\n".format(SERIAL), filename="license.txt"))
    result = run("mediant_license", {"key": "NEW-KEY", "wait": False})
    assert result["method"] == "file" and result["changed"] is True


def test_a_409_to_the_json_load_falls_back_to_the_file(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", json={"licenseVersion": 1, "serialNumber": SERIAL, "key": "NEW-KEY"},
                       status=409, answer={"description": "Use a license file on an HA system"}),
                  Call("PUT", "license", file="Key {0} NEW-KEY\n".format(SERIAL)))
    assert run("mediant_license", {"key": "NEW-KEY", "wait": False})["method"] == "file"


def test_src_sends_the_file_as_it_is_when_it_holds_the_device_serial(device, run, tmp_path):
    device.always(api_generation("7.4"))
    src = tmp_path / "fleet-licenses.txt"
    src.write_text("Key 1111 OTHER\nKey {0} NEW-KEY\n".format(SERIAL))
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", file=src.read_bytes(), filename="fleet-licenses.txt"))
    assert run("mediant_license", {"src": str(src), "wait": False})["changed"] is True


def test_src_without_the_device_serial_sends_nothing(device, run, tmp_path):
    src = tmp_path / "licenses.txt"
    src.write_text("Key 1111 OTHER\n")
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"src": str(src)})
    assert result["failed"]
    assert result["msg"] == ("the license file {0} holds no key for the device's serial number {1} (it has keys for 1111); "
                             "nothing was sent".format(src, SERIAL))


def test_check_mode_predicts_the_change_and_sends_nothing(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"key": "NEW-KEY"}, check_mode=True)
    assert result["changed"] is True and result["method"] is None
    assert result["diff"]["after"]["key_description"] == "(a new license key; the device describes it once applied)"


def test_a_serial_number_that_is_not_the_device_one_sends_nothing(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"key": "NEW-KEY", "serial_number": "999"})
    assert result["failed"] and result["msg"] == ("serial_number 999 does not match the device's serial number {0}; "
                                                  "nothing was sent".format(SERIAL))


def test_a_refused_key_leaves_the_license_as_it_was(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", status=400, answer={"description": "Invalid license key"}))
    result = run("mediant_license", {"key": "BAD-KEY"})
    assert result["failed"] and result["changed"] is False and result["status"] == 400
    assert result["msg"] == "The device refused the license: Invalid license key. The license was not changed."
    assert "BAD-KEY" not in str(result)


def test_a_device_busy_for_longer_than_busy_timeout_keeps_its_license(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status(highAvailability="Active")), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", status=409, answer=BUSY, repeat=True))
    result = run("mediant_license", {"key": "NEW-KEY", "busy_timeout": 2})
    assert result["failed"] and result["changed"] is False and result["status"] == 409
    assert result["msg"] == ("The device is busy (HTTP 409) and refused PUT /api/v1/license after 2 attempts: Device is currently "
                             "performing HA synchronization. This is usually a temporary state such as HA synchronization: "
                             "try again later. The license was not changed.")


def test_a_device_back_without_the_new_key_fails(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD),
                  Call("PUT", "license", json={"licenseVersion": 1, "serialNumber": SERIAL, "key": "NEW-KEY"}),
                  *comes_back(), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"key": "NEW-KEY"})
    assert result["failed"] and result["changed"] is True
    assert result["msg"] == "The device came back but does not run the new license key (it describes its key as: Old features)"


def test_an_empty_key_sends_nothing(device, run):
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"key": ""})
    assert result["failed"] and result["msg"] == "key is empty"


def test_a_license_file_without_key_lines_sends_nothing(device, run, tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text("# licenses for the lab\n\n")
    device.expect(Call("GET", "status", answer=status()), Call("GET", "license", answer=OLD))
    result = run("mediant_license", {"src": str(src)})
    assert result["failed"]
    assert result["msg"] == "the license file {0} holds no 'Key <serial number> <license key>' line; nothing was sent".format(src)


def test_key_and_src_together_are_refused_by_the_argument_spec(device, run, tmp_path):
    result = run("mediant_license", {"key": "NEW-KEY", "src": str(tmp_path / "licenses.txt")})
    assert result["failed"] and result["msg"] == "parameters are mutually exclusive: key|src"
    assert device.sent == []
