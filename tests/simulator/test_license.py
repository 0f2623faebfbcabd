"""License: GET, JSON PUT (serial checks, HA refusal), license files with keys for several serials."""

from __future__ import annotations

import pytest

from simulator.license import decode_key, make_key, make_license_file


def test_get_license(api):
    body = api.get("license").json()
    assert body["licenseVersion"] == 1
    assert body["serialNumber"] == api.device.serial
    assert decode_key(body["key"])["serial"] == api.device.serial
    assert body["keyDescription"].startswith("Key features:")


def test_json_license_resets_with_new_features(api):
    key = make_key(api.device.serial, {"SBC": 1000, "FEU": 5})
    reply = api.put("license", json={"licenseVersion": 1, "serialNumber": api.device.serial, "key": key})
    assert reply.status_code == 200
    assert reply.json() == {"description": "Device will reset now to activate new license"}
    api.wait_down_and_up()
    body = api.get("license").json()
    assert body["key"] == key and "SBC=1000" in body["keyDescription"]
    assert "SBC=1000" in api.upload("files/cliScript/incremental", "show system version\n").json()["output"]
    assert any("License" in alarm["description"] for alarm in api.get("alarms/history").json()["alarms"])


@pytest.mark.parametrize("body_of,word", [
    (lambda serial: {"licenseVersion": 1, "serialNumber": "999", "key": make_key(serial)}, "serialNumber"),
    (lambda serial: {"key": make_key("999")}, "serial number 999"),
    (lambda serial: {"key": "jCx6r5tovCIKaBBbhPtT53Yj"}, "invalid license key"),
    (lambda serial: {"licenseVersion": 2, "key": make_key(serial)}, "licenseVersion"),
    (lambda serial: {"serialNumber": serial}, "key"),
])
def test_bad_json_license_is_400(api, body_of, word):
    reply = api.put("license", json=body_of(api.device.serial))
    assert reply.status_code == 400
    assert word in reply.json()["description"]
    assert api.device.reset_pending is False


def test_license_file_with_several_serials(make_device):
    first, second = make_device(), make_device()
    keys = {first.device.serial: make_key(first.device.serial, {"SBC": 11}), second.device.serial: make_key(second.device.serial, {"SBC": 22})}
    text = "# fleet license\n" + make_license_file(keys)
    for client in (first, second):
        assert client.upload("license", text, "license.txt").status_code == 200
    for client, count in ((first, 11), (second, 22)):
        client.wait_down_and_up()
        assert f"SBC={count}" in client.get("license").json()["keyDescription"]


def test_license_file_without_this_serial_is_400(api):
    reply = api.upload("license", make_license_file({"123": make_key("123")}))
    assert reply.status_code == 400
    assert api.device.serial in reply.json()["description"]


def test_malformed_license_file_is_400(api):
    reply = api.upload("license", "this is not a license file\n")
    assert reply.status_code == 400 and "line 1" in reply.json()["description"]


def test_json_license_on_ha_device_is_409_file_is_fine(make_device):
    client = make_device(ha_partner="sbc-b")
    key = make_key(client.device.serial)
    reply = client.put("license", json={"key": key})
    assert reply.status_code == 409
    assert reply.json()["description"] == "License key can't be applied to device in HA configuration. Use license file instead."
    assert client.upload("license", make_license_file({client.device.serial: key})).status_code == 200
    client.wait_down_and_up()


def test_v10_license_file_is_octet_stream(api_v1):
    key = make_key(api_v1.device.serial, {"SBC": 3})
    assert api_v1.put("license", files={"file": ("l.txt", make_license_file({api_v1.device.serial: key}))}).status_code == 400
    assert api_v1.upload("license", make_license_file({api_v1.device.serial: key})).status_code == 200
    api_v1.wait_down_and_up()
    assert api_v1.get("license").json()["key"] == key


def test_initial_license_for_another_serial_raises_alarm(make_device):
    client = make_device(license_key=make_key("000000000000001"))
    texts = [alarm["description"] for alarm in client.get("alarms/active").json()["alarms"]]
    assert any("000000000000001" in text for text in texts)
