"""The control API (plain HTTP, no device credentials) and the faults and events it injects."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from sim_testdata import NO_RESET_PARAMETER_INI


def control(fleet, method, path, **kwargs):
    session = requests.Session()
    session.trust_env = False
    return session.request(method, f"{fleet.control_url}{path}", timeout=10, **kwargs)


def test_list_and_snapshot(fleet, api):
    devices = {item["name"]: item for item in control(fleet, "GET", "/devices").json()["devices"]}
    assert devices[api.device.name]["url"] == api.device.url
    assert devices[api.device.name]["api_version"] == "7.4"
    snapshot = control(fleet, "GET", f"/devices/{api.device.name}").json()
    assert snapshot["serial"] == api.device.serial and snapshot["state"] == "up"
    assert control(fleet, "GET", "/devices/nope").status_code == 404


def test_control_api_ignores_device_credentials(fleet, api):
    reply = control(fleet, "GET", "/devices", auth=("Admin", "wrong"))
    assert reply.status_code == 200


def test_snapshot_shows_running_versus_saved(api):
    before = api.device.snapshot()
    api.upload("files/ini/incremental", NO_RESET_PARAMETER_INI)
    after = api.device.snapshot()
    assert after["running_config"] != before["running_config"]
    assert after["saved_config"] == before["saved_config"]
    assert after["save_needed"] is True


def test_add_device_through_control_api(fleet):
    reply = control(fleet, "POST", "/devices", json={"name": "from-control", "protocol": "http", "reset_seconds": 0.3})
    try:
        assert reply.status_code == 201
        url = reply.json()["url"]
        assert requests.get(f"{url}/api/v1/status", auth=("Admin", "Admin"), timeout=5).status_code == 200
    finally:
        fleet.remove_device("from-control")


def test_injected_status_for_next_n_requests(fleet, api):
    reply = control(fleet, "POST", f"/devices/{api.device.name}/faults", json={"path": "status", "status": 503, "count": 2})
    assert reply.status_code == 201
    assert [api.get("status").status_code for _attempt in range(3)] == [503, 503, 200]


def test_injected_status_only_for_the_method(api):
    api.device.inject_fault(path="/api/v1/license", method="PUT", status=409, count=1)
    assert api.get("license").status_code == 200
    assert api.put("license", json={}).status_code == 409


def test_injected_delay(api):
    api.device.inject_fault(path="status", delay=0.5, count=1)
    started = time.monotonic()
    assert api.get("status").status_code == 200
    assert time.monotonic() - started >= 0.5


def test_fault_until_cleared(fleet, api):
    api.device.inject_fault(path="alarms/*", status=500, count=-1)
    assert api.get("alarms/active").status_code == 500
    assert api.get("alarms/history").status_code == 500
    control(fleet, "DELETE", f"/devices/{api.device.name}/faults")
    assert api.get("alarms/history").status_code == 204


def test_bad_fault_is_400(fleet, api):
    assert control(fleet, "POST", f"/devices/{api.device.name}/faults", json={"status": 500}).status_code == 400
    assert control(fleet, "POST", f"/devices/{api.device.name}/faults", json={"path": "status"}).status_code == 400
    assert control(fleet, "POST", f"/devices/{api.device.name}/faults", json={"path": "status", "colour": 1}).status_code == 400


def test_drop_connection_mid_upload(api):
    api.device.inject_fault(path="files/software", drop=True, count=1)
    with pytest.raises(requests.ConnectionError):
        api.put("files/software", files={"file": ("x.cmp", b"\0" * (2 * 1024 * 1024))})
    assert api.get("status").status_code == 200
    assert api.device.reset_pending is False


def test_drop_connection_without_body(api):
    api.device.inject_fault(path="status", drop=True)
    with pytest.raises(requests.ConnectionError):
        api.get("status")
    assert api.get("status").status_code == 200


def _refused(client) -> bool:
    try:
        with socket.create_connection((client.device.address, client.device.port), timeout=0.5):
            return False
    except OSError:
        return True


def test_reset_that_never_comes_back_until_cleared(fleet, api):
    control(fleet, "POST", f"/devices/{api.device.name}/hang-resets", json={"enabled": True})
    assert control(fleet, "POST", f"/devices/{api.device.name}/reset", json={}).status_code == 200
    time.sleep(api.device.reset_seconds + 0.5)
    assert _refused(api)
    assert control(fleet, "GET", f"/devices/{api.device.name}").json()["state"] == "hung"
    control(fleet, "POST", f"/devices/{api.device.name}/hang-resets", json={"enabled": False})
    api.wait_down_and_up()
    assert api.get("status").json()["systemUpTime"] <= 1


def test_ha_sync_window_blocks_writes_with_409(fleet, api):
    control(fleet, "POST", f"/devices/{api.device.name}/ha-sync", json={"open": True})
    expected = {"description": "Device is currently performing HA synchronization"}
    for method, path, kwargs in [
        ("POST", "actions/reset", {"json": {}}),
        ("POST", "actions/saveConfiguration", {}),
        ("PUT", "files/ini/incremental", {"files": {"file": ("x.ini", NO_RESET_PARAMETER_INI)}}),
        ("PUT", "files/software", {"files": {"file": ("x.cmp", b"x")}}),
        ("PUT", "license", {"json": {"key": "x"}}),
        ("POST", "files/tls/0/privateKey/generate", {"json": {"size": 512}}),
    ]:
        reply = api.request(method, path, **kwargs)
        assert (reply.status_code, reply.json()) == (409, expected), path
    assert api.get("status").status_code == 200
    active = [alarm["description"] for alarm in api.get("alarms/active").json()["alarms"]]
    assert any("synchronization" in text for text in active)
    control(fleet, "POST", f"/devices/{api.device.name}/ha-sync", json={"open": False})
    assert api.post("actions/saveConfiguration").status_code == 200
    assert api.get("alarms/active").status_code == 204


def test_raise_and_clear_alarm_through_control(fleet, api):
    reply = control(fleet, "POST", f"/devices/{api.device.name}/alarms", json={"description": "Trunk is down", "severity": "Critical", "key": "trunk"})
    assert reply.status_code == 201
    alarm_id = reply.json()["id"]
    assert api.get(f"alarms/active/{alarm_id}").json()["severity"] == "Critical"
    assert control(fleet, "DELETE", f"/devices/{api.device.name}/alarms/trunk").status_code == 200
    assert api.get("alarms/active").status_code == 204
    assert control(fleet, "DELETE", f"/devices/{api.device.name}/alarms/trunk").status_code == 404


def test_certificate_from_control(fleet, api_https):
    pem = control(fleet, "GET", f"/devices/{api_https.device.name}/certificate").text
    assert pem == api_https.device.certificate_pem()


def test_clearing_faults_releases_a_hung_reset(fleet, api):
    api.device.hang_resets(True)
    api.device.reset()
    time.sleep(api.device.reset_seconds + 0.3)
    assert _refused(api)
    control(fleet, "DELETE", f"/devices/{api.device.name}/faults")
    api.wait_down_and_up()


@pytest.mark.parametrize("given, stored", [
    ("/api*", "/api*"),
    ("/api/v1/status", "/api/v1/status"),
    ("/api/v1/files/*", "/api/v1/files/*"),
    ("status", "/api/v1/status"),
    ("files/ini/", "/api/v1/files/ini"),
    ("", "/api/v1"),
])
def test_fault_paths_are_absolute_when_they_start_with_a_slash(fleet, api, given, stored):
    reply = control(fleet, "POST", f"/devices/{api.device.name}/faults", json={"path": given, "status": 503, "count": 1})
    assert reply.status_code == 201 and reply.json()["path"] == stored
    control(fleet, "DELETE", f"/devices/{api.device.name}/faults")


def test_an_absolute_prefix_fault_matches_every_api_request(fleet, api):
    control(fleet, "POST", f"/devices/{api.device.name}/faults", json={"path": "/api*", "status": 503, "count": 2})
    assert [api.get("status").status_code, api.get("license").status_code, api.get("status").status_code] == [503, 503, 200]


def test_request_log_lists_what_the_address_received(fleet, make_device):
    client = make_device()
    device = client.device
    device.request_log.clear()
    client.get("status")
    client.get("nope/nothing")
    client.post("actions/saveConfiguration")
    assert list(device.request_log) == [("GET", "/api/v1/status"), ("GET", "/api/v1/nope/nothing"),
                                        ("POST", "/api/v1/actions/saveConfiguration")]
    assert device.requests_received() == [("POST", "/api/v1/actions/saveConfiguration")]
    assert control(fleet, "GET", f"/devices/{device.name}/requests").json()["requests"][-1] == ["POST", "/api/v1/actions/saveConfiguration"]
