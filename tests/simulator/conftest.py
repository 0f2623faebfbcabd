"""Fixtures: one fleet per test session; every test gets fresh devices on it, driven with plain requests."""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from simulator import Fleet  # noqa: E402  pylint: disable=wrong-import-position

# Keys the store creates on its own are small (fast) unless a device's listener serves them:
# an HTTPS listener gets 2048 bits so that clients with default security levels accept it.
KEY_SIZE_ENV = "SIMULATOR_DEFAULT_KEY_SIZE"
os.environ.setdefault(KEY_SIZE_ENV, "512")

USERS = {"security_admin": ("Admin", "Admin"), "admin": ("Operator", "Operator"), "monitor": ("Monitor", "Monitor")}
_names = itertools.count(1)


class DeviceClient:
    """requests against one simulated device: verifies its certificate, Basic auth, paths below /api/v1."""

    def __init__(self, device, ca_file, user=("Admin", "Admin")):
        self.device = device
        self.ca_file = ca_file
        self.session = requests.Session()
        self.session.trust_env = False     # REQUESTS_CA_BUNDLE must not override verify
        self.session.auth = user
        self.session.verify = str(ca_file) if device.protocol == "https" else True
        self.boots_seen = device.boot_count

    def url(self, path: str) -> str:
        if path.startswith("/"):
            return self.device.url + path
        return f"{self.device.url}/api/v1/{path}"

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def upload(self, path, content, filename="file.txt", **kwargs):
        """PUT a file the way the device's API generation takes it."""
        if isinstance(content, str):
            content = content.encode()
        if self.device.profile == "1.0":
            return self.put(path, data=content, headers={"Content-Type": "application/octet-stream"}, **kwargs)
        return self.put(path, files={"file": (filename, content, "application/octet-stream")}, **kwargs)

    def as_user(self, username, password) -> "DeviceClient":
        return DeviceClient(self.device, self.ca_file, (username, password))

    def wait_down_and_up(self, timeout=10.0):
        """Wait until the device has reset (listener refused connections or it booted again since
        the last wait) and /status answers again."""
        deadline = time.monotonic() + timeout
        saw_down = False
        while time.monotonic() < deadline:
            try:
                self.get("status", timeout=1)
                if saw_down or self.device.boot_count > self.boots_seen:
                    self.boots_seen = self.device.boot_count
                    return
            except requests.RequestException:  # refused, cut mid-answer, or timed out: resetting
                saw_down = True
            time.sleep(0.05)
        raise AssertionError(f"device {self.device.name} did not go down and come back within {timeout}s")


@pytest.fixture(scope="session")
def fleet(tmp_path_factory):
    with Fleet(state_dir=tmp_path_factory.mktemp("fleet-state")) as running:
        yield running


@pytest.fixture
def make_device(fleet, tmp_path):
    """Factory: a fresh started device (v7.4, plain HTTP, reset 0.3 s unless overridden) and its client."""
    created = []

    def factory(**spec):
        spec.setdefault("name", f"dev{next(_names)}")
        spec.setdefault("reset_seconds", 0.3)
        spec.setdefault("protocol", "http")
        if spec["protocol"] == "https":
            previous = os.environ.get(KEY_SIZE_ENV)
            os.environ[KEY_SIZE_ENV] = "2048"
            try:
                device = fleet.add_device(spec)
            finally:
                os.environ[KEY_SIZE_ENV] = previous
        else:
            device = fleet.add_device(spec)
        created.append(device.name)
        ca_file = tmp_path / f"{device.name}-ca.pem"
        ca_file.write_text(device.certificate_pem())
        return DeviceClient(device, ca_file)

    yield factory
    for name in created:
        fleet.remove_device(name)


@pytest.fixture
def api(make_device):
    """A v7.4 device (firmware 7.40A.500.010, plain HTTP) as Security Administrator."""
    return make_device()


@pytest.fixture
def api_https(make_device):
    """A v7.4 device served over HTTPS with its own certificate; the client verifies it."""
    return make_device(protocol="https")


@pytest.fixture
def api_v1(make_device):
    """A v1.0 device (firmware 7.00A.100.001) as Security Administrator."""
    return make_device(firmware="7.00A.100.001")


@pytest.fixture(scope="module")
def module_api(fleet, tmp_path_factory):
    """One v7.4 HTTP device shared by a module's read-only tests."""
    name = f"module{next(_names)}"
    device = fleet.add_device({"name": name, "protocol": "http", "reset_seconds": 0.3})
    yield DeviceClient(device, tmp_path_factory.mktemp(name) / "unused-ca.pem")
    fleet.remove_device(name)
