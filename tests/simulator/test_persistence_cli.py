"""Flash survives a restart of the simulator; the command line serves one device or a fleet file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
import yaml

from simulator import Fleet
from simulator.license import make_key
from simulator.software import write_cmp
from sim_testdata import IP_GROUPS_INI, NO_RESET_PARAMETER_INI

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _session(auth=("Admin", "Admin")):
    session = requests.Session()
    session.trust_env = False
    session.auth = auth
    return session


def _wait_status(url, timeout=20.0, verify=True):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return _session().get(f"{url}/api/v1/status", timeout=1, verify=verify)
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def _wait_back(session, url):
    deadline = time.monotonic() + 10
    saw_down = False
    while time.monotonic() < deadline:
        try:
            session.get(f"{url}/api/v1/status", timeout=1)
            if saw_down:
                return
        except requests.RequestException:
            saw_down = True
        time.sleep(0.05)
    raise AssertionError("device did not reset")


def test_saved_state_survives_restart_running_state_does_not(tmp_path):
    spec = {"name": "persist", "protocol": "http", "reset_seconds": 0.3}
    with Fleet(state_dir=tmp_path) as fleet:
        device = fleet.add_device(spec)
        url, serial = device.url, device.serial
        session = _session()
        session.put(f"{url}/api/v1/files/ini/incremental", files={"file": ("a.ini", IP_GROUPS_INI)})
        session.post(f"{url}/api/v1/actions/saveConfiguration")
        session.put(f"{url}/api/v1/files/ini/incremental", files={"file": ("b.ini", NO_RESET_PARAMETER_INI)})  # saved by the software reset
        session.put(f"{url}/api/v1/files/cpt", files={"file": ("t.cpt", b"tones")})
        cmp_path = tmp_path / "l.cmp"
        write_cmp(cmp_path, "7.40A.600.100", 4096)
        session.put(f"{url}/api/v1/files/software", files={"file": ("l.cmp", cmp_path.read_bytes())})
        _wait_back(session, url)
        key = make_key(serial, {"SBC": 7})
        session.put(f"{url}/api/v1/license", json={"key": key})
        _wait_back(session, url)
        session.put(f"{url}/api/v1/files/ini/incremental", files={"file": ("c.ini", "SyslogServerPort = 2514\n")})  # never saved
        certificate = session.get(f"{url}/api/v1/files/tls/0/certificate").text
    with Fleet(state_dir=tmp_path) as fleet:
        device = fleet.add_device(spec)
        url = device.url
        session = _session()
        ini = session.get(f"{url}/api/v1/files/ini").text
        assert '"Teams"' in ini and "SyslogServerPort = 1514" in ini and "2514" not in ini
        assert session.get(f"{url}/api/v1/status").json()["versionID"] == "7.40A.600.100"
        assert session.get(f"{url}/api/v1/license").json()["key"] == key
        assert session.get(f"{url}/api/v1/files/tls/0/certificate").text == certificate
        assert device.snapshot()["files"]["cpt"]["size"] == 5


def test_initial_config_from_fleet_spec(tmp_path):
    with Fleet(state_dir=tmp_path) as fleet:
        device = fleet.add_device({"name": "preset", "protocol": "http", "config": IP_GROUPS_INI})
        assert '"Teams"' in _session().get(f"{device.url}/api/v1/files/ini").text


def test_bad_device_spec_is_refused(tmp_path):
    with Fleet(state_dir=tmp_path) as fleet:
        for spec in ({"name": "x", "address": "10.0.0.1"}, {"name": "x", "protocol": "ftp"}, {"name": "x", "colour": "red"}, {}):
            with pytest.raises(ValueError):
                fleet.add_device(spec)


def _free_port(address="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def _serve(args, tmp_path):
    env = dict(os.environ, SIMULATOR_DEFAULT_KEY_SIZE="2048")
    return subprocess.Popen([sys.executable, "-m", "simulator", "--state-dir", str(tmp_path / "state"), *args],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_cli_serves_one_https_device_with_default_users(tmp_path):
    port, control_port = _free_port(), _free_port()
    process = _serve(["--port", str(port), "--control-port", str(control_port)], tmp_path)
    try:
        control = f"http://127.0.0.1:{control_port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                certificate = _session(None).get(f"{control}/devices/sbc/certificate", timeout=1).text
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "control API did not come up"
                time.sleep(0.1)
        ca_file = tmp_path / "ca.pem"
        ca_file.write_text(certificate)
        url = f"https://127.0.0.1:{port}"
        status = _wait_status(url, verify=str(ca_file)).json()   # verified, hostname checked against the IP SAN
        assert status["versionID"] == "7.40A.500.010"
        for user, level_path in ((("Operator", "Operator"), "actions"), (("Monitor", "Monitor"), "status")):
            assert _session(user).get(f"{url}/api/v1/{level_path}", verify=str(ca_file), timeout=5).status_code == 200
        assert _session(("Operator", "Operator")).get(f"{url}/api/v1/files/ini", verify=str(ca_file), timeout=5).status_code == 403
        devices = _session(None).get(f"{control}/devices", timeout=5).json()["devices"]
        assert devices[0]["url"] == url
    finally:
        _stop(process)
    assert (tmp_path / "state" / "sbc" / "device.json").exists()


def test_cli_serves_a_fleet_file(tmp_path):
    ports = [_free_port("127.0.0.2"), _free_port("127.0.0.3")]
    fleet_file = tmp_path / "fleet.yml"
    fleet_file.write_text(yaml.safe_dump({"devices": [
        {"name": "sbc-a", "address": "127.0.0.2", "port": ports[0], "protocol": "http"},
        {"name": "gw-b", "address": "127.0.0.3", "port": ports[1], "protocol": "http", "firmware": "7.00A.100.001"},
    ]}))
    process = _serve(["--fleet", str(fleet_file), "--control-port", "0"], tmp_path)
    try:
        assert _wait_status(f"http://127.0.0.2:{ports[0]}").json()["highAvailability"] == "Not Operational"
        assert _wait_status(f"http://127.0.0.3:{ports[1]}").json()["versionID"] == "7.00A.100.001"
    finally:
        _stop(process)


def test_cli_ready_file_names_every_device_once_they_listen(tmp_path):
    """--ready-file appears only once every device answers, with the real ports of port: 0 devices."""
    fleet_file = tmp_path / "fleet.yml"
    fleet_file.write_text(yaml.safe_dump({"devices": [
        {"name": "sbc-a", "address": "127.0.0.2", "port": 0, "protocol": "http"},
        {"name": "sbc-b", "address": "127.0.0.3", "port": 0, "protocol": "http"},
    ]}))
    ready_file = tmp_path / "ready.json"
    process = _serve(["--fleet", str(fleet_file), "--control-port", "0", "--ready-file", str(ready_file)], tmp_path)
    try:
        deadline = time.monotonic() + 20
        while not ready_file.exists():
            assert time.monotonic() < deadline and process.poll() is None, "no ready file"
            time.sleep(0.05)
        ready = json.loads(ready_file.read_text())
        assert ready["pid"] == process.pid
        assert sorted(ready["devices"]) == ["sbc-a", "sbc-b"]
        for device in ready["devices"].values():
            assert device["port"] > 0 and device["url"] == f"http://{device['address']}:{device['port']}"
            assert _session().get(f"{device['url']}/api/v1/status", timeout=5).status_code == 200
        assert _session(None).get(f"{ready['control_url']}/devices", timeout=5).status_code == 200
    finally:
        _stop(process)
