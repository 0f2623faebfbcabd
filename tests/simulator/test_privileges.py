"""Table 2-2 of the v7.4 guide, row by row: every method and user level; Table 2-1 for unlisted files;
the v1.0 rule (Security Administrator everywhere)."""

from __future__ import annotations

import pytest

M, A, S, X = "monitor", "admin", "security_admin", None   # X: 405 Method Not Allowed
RANK = {M: 1, A: 2, S: 3}

# Transcribed from the guide (GET, PUT, POST, DELETE), independent of the simulator's own copy.
TABLE_2_2 = [
    ("/api/v1/versions", (M, X, X, X)),
    ("actions/reset", (X, X, A, X)),
    ("actions/saveConfiguration", (X, X, A, X)),
    ("actions/authToken", (X, X, S, X)),
    ("actions", (A, X, X, X)),
    ("status", (M, X, X, X)),
    ("license", (A, S, X, X)),
    ("alarms/active", (M, X, X, X)),
    ("alarms/history", (M, X, X, X)),
    ("alarms", (M, X, X, X)),
    ("kpi", (M, X, X, X)),
    ("mc_status", (M, X, X, X)),
    ("files/ini", (S, S, X, X)),
    ("files/ini/incremental", (X, S, X, X)),
    ("files/cliScript/incremental", (X, S, X, X)),
    ("files/cliScript", (S, S, X, X)),
    ("files/software", (X, A, X, X)),
    ("files/software/hitless", (X, A, X, X)),
    ("files/cpt", (X, A, X, X)),
    ("files/prt", (X, A, X, X)),
    ("files/dialplan", (X, A, X, X)),
    ("files/casTable", (X, A, X, X)),
    ("files/amd", (X, A, X, X)),
    ("files/usersInfo", (X, A, X, X)),
    ("files/configurationPackage.tar.gz", (S, S, X, X)),
    ("files/sbcWizard", (X, A, X, X)),
    ("files/fixs", (X, A, X, X)),
    ("files/fixo", (X, A, X, X)),
    ("files", (A, X, X, X)),
    ("files/tls", (S, S, S, X)),
]
METHODS = ("GET", "PUT", "POST", "DELETE")
USERS = {M: ("Monitor", "Monitor"), A: ("Operator", "Operator"), S: ("Admin", "Admin")}

# The row's resource is a directory for some methods: the request goes to a member of it.
TARGETS = {
    ("/api/v1/versions", "GET"): "/api/v1/versions",
    ("files/tls", "PUT"): "files/tls/0/certificate",
    ("files/tls", "POST"): "files/tls/0/certificate/generate",
}
# Requests that pass the privilege check but change nothing: malformed bodies get 400.
HARMLESS = {
    "POST": {"json": {"saveConfiguration": "not a boolean", "bogusAttribute": 1}},
    "PUT": {"data": b"not multipart", "headers": {"Content-Type": "application/octet-stream"}},
}
CASES = [(row, method, levels[index]) for row, levels in TABLE_2_2 for index, method in enumerate(METHODS)]


@pytest.fixture
def device(module_api):
    return module_api


@pytest.mark.parametrize("row,method,minimum", CASES, ids=[f"{row}-{method}" for row, method, _minimum in CASES])
def test_table_2_2(device, row, method, minimum):
    path = TARGETS.get((row, method), row)
    for level, credentials in USERS.items():
        reply = device.as_user(*credentials).request(method, path, **HARMLESS.get(method, {}))
        if minimum is None:
            assert reply.status_code == 405, (level, reply.text)
            assert "Allow" in reply.headers
        elif RANK[level] < RANK[minimum]:
            assert reply.status_code == 403, (level, reply.text)
            assert credentials[0] in reply.json()["description"]
        else:
            assert reply.status_code not in (401, 403, 404, 405), (level, reply.status_code, reply.text)
    assert device.device.reset_pending is False


@pytest.mark.parametrize("path", ["files/castable", "files/codertable", "files/voiceprompts"])
def test_unlisted_files_follow_table_2_1_directory_minimum(device, path):
    assert device.as_user("Monitor", "Monitor").put(path, **HARMLESS["PUT"]).status_code == 403
    assert device.as_user("Operator", "Operator").put(path, **HARMLESS["PUT"]).status_code == 400


def test_unlisted_alarm_and_kpi_resources_are_open_to_monitors(device):
    monitor = device.as_user("Monitor", "Monitor")
    assert monitor.get("kpi/current/sbc/callStats/global").status_code == 200
    assert monitor.get("alarms/history").status_code in (200, 204)
    assert monitor.get("kpi/interval").status_code in (200, 204)


def test_403_names_the_privilege_needed(device):
    reply = device.as_user("Operator", "Operator").get("files/ini")
    assert reply.status_code == 403
    assert "Security Administrator" in reply.json()["description"]


@pytest.mark.parametrize("path", ["status", "alarms/active", "files", "license", "performanceMonitoring", "/api/v1"])
def test_v10_requires_security_administrator_everywhere(make_device, path):
    client = make_device(firmware="7.00A.100.001")
    assert client.as_user("Monitor", "Monitor").get(path).status_code == 403
    assert client.as_user("Operator", "Operator").get(path).status_code == 403
    assert client.get(path).status_code in (200, 204)
