"""Top-level folder, navigation tree, status, authentication, unknown paths and Accept handling."""

from __future__ import annotations

import re
import ssl
import socket

import pytest
import requests


def test_api_root_lists_v1(api):
    reply = api.get("/api")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"versions": [{"id": "v1", "status": "stable", "url": "/api/v1"}]}


def test_versions_row_of_table_2_2_is_served(api):
    assert api.get("versions").json()["versions"][0]["url"] == "/api/v1"


def test_navigation_tree_v74_has_kpi(api):
    items = {item["id"]: item["url"] for item in api.get("/api/v1").json()["items"]}
    assert items == {key: f"/api/v1/{key}" for key in ("actions", "alarms", "files", "license", "status", "kpi")}


def test_navigation_tree_v10_has_performance_monitoring(api_v1):
    ids = [item["id"] for item in api_v1.get("/api/v1").json()["items"]]
    assert "performanceMonitoring" in ids and "kpi" not in ids


def test_status_v74_fields(api):
    body = api.get("status").json()
    assert body["versionID"] == "7.40A.500.010"
    assert body["productType"] == "Mediant VE SBC"
    assert body["highAvailability"] == "Not Operational"
    assert body["operationalState"] == "UNLOCKED"
    assert body["protocolType"] == "SIP"
    assert body["serialNumber"] == api.device.serial
    assert re.fullmatch(r"[0-9a-f]{12}", body["macAddress"])
    assert isinstance(body["systemUpTime"], int)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["localTimeStamp"])
    assert body["ipAddress"] == api.device.address
    assert body["saveNeeded"] is False and body["resetNeeded"] is False
    # beyond the guide's example: what 7.40A virtual editions add
    assert body["osType"] == "Linux" and body["acceleratedNetworking"] is False


@pytest.mark.parametrize("spec", [{"product": "Mediant 800"}, {"firmware": "7.20A.200.014"}, {"firmware": "7.00A.100.001"}])
def test_platform_fields_only_on_7_40a_virtual_editions(make_device, spec):
    body = make_device(**spec).get("status").json()
    assert "osType" not in body and "acceleratedNetworking" not in body


def test_status_v10_is_stand_alone(api_v1):
    body = api_v1.get("status").json()
    assert body["versionID"] == "7.00A.100.001"
    assert body["highAvailability"] == "Stand Alone"


def test_every_user_may_read_status(api):
    for user in (("Admin", "Admin"), ("Operator", "Operator"), ("Monitor", "Monitor")):
        assert api.as_user(*user).get("status").status_code == 200


@pytest.mark.parametrize("user", [("Admin", "wrong"), ("Nobody", "Admin"), ("", "")])
def test_bad_credentials_get_401_with_challenge(api, user):
    reply = api.as_user(*user).get("status")
    assert reply.status_code == 401
    assert reply.headers["WWW-Authenticate"].startswith("Basic")
    assert "description" in reply.json()


def test_no_credentials_get_401(api_https):
    reply = requests.get(api_https.url("status"), verify=str(api_https.ca_file), timeout=5)
    assert reply.status_code == 401


def test_unknown_path_is_404(api):
    reply = api.get("nothing/here")
    assert reply.status_code == 404
    assert "nothing/here" in reply.json()["description"]
    assert api.get("/not-api").status_code == 404


def test_v74_only_resources_are_404_on_v10(api_v1):
    for path in ("kpi", "files/tls", "actions/authToken", "mc_status", "files/configurationPackage.tar.gz"):
        method = "POST" if path == "actions/authToken" else "GET"
        assert api_v1.request(method, path).status_code == 404, path
    assert api_v1.get("performanceMonitoring").status_code == 200


def test_accept_the_device_cannot_serve_is_406(api):
    reply = api.get("status", headers={"Accept": "text/html"})
    assert reply.status_code == 406
    assert "application/json" in reply.json()["description"]
    assert api.get("status", headers={"Accept": "application/json"}).status_code == 200
    assert api.get("status", headers={"Accept": "text/html, */*;q=0.1"}).status_code == 200
    assert api.get("status", headers={"Accept": "application/json;q=0, text/html"}).status_code == 406


def test_https_serves_the_devices_own_certificate(api_https):
    api = api_https
    host, port = api.device.address, api.device.port
    with socket.create_connection((host, port)) as raw:
        context = ssl.create_default_context(cafile=str(api.ca_file))
        with context.wrap_socket(raw, server_hostname=host) as tls:
            served = ssl.DER_cert_to_PEM_cert(tls.getpeercert(binary_form=True))
    assert served.strip() == api.device.certificate_pem().strip()


def test_plain_http_when_asked(make_device):
    client = make_device(protocol="http")
    assert client.device.url.startswith("http://")
    assert client.get("status").status_code == 200


def test_https_by_default_in_the_fleet_api(fleet):
    device = fleet.add_device({"name": "default-protocol", "reset_seconds": 0.3})
    try:
        assert device.url.startswith("https://")
        assert "BEGIN CERTIFICATE" in device.certificate_pem()
    finally:
        fleet.remove_device(device.name)


def test_devices_on_distinct_loopback_addresses(make_device):
    first = make_device(address="127.0.0.2")
    second = make_device(address="127.0.0.3")
    assert first.get("status").json()["ipAddress"] == "127.0.0.2"
    assert second.get("status").json()["ipAddress"] == "127.0.0.3"
    assert first.get("status").json()["serialNumber"] != second.get("status").json()["serialNumber"]


def test_keep_alive_connection_serves_many_requests(api):
    for _attempt in range(5):
        assert api.get("status").status_code == 200
    # one pooled connection was reused
    pool = api.session.get_adapter(api.device.url).poolmanager
    assert len(pool.pools) == 1


def test_mc_status(api):
    body = api.get("mc_status").json()
    assert body["mediaComponents"] == [] and body["serialNumber"] == api.device.serial
