# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A simulated fleet in a child process for the benchmarks (so the simulator's CPU is not the
measured process's), started as a user would: ``python -m simulator --fleet ... --ready-file``.

    with SimulatedFleet([{"name": "sbc1", "address": "127.0.30.1", "port": 8443}]) as fleet:
        fleet.devices["sbc1"]["url"]; fleet.ca_path; fleet.inventory(path)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 300


def loopback_devices(count, prefix="127.0.30", port=8443, firmware="7.40A.500.010", protocol="https"):
    """``count`` device specs on consecutive loopback addresses ``prefix.1``, ``prefix.2``, ..."""
    if count > 254:
        raise ValueError("at most 254 devices per /24 prefix")
    return [{"name": "sbc%03d" % number, "address": "%s.%d" % (prefix, number), "port": port, "protocol": protocol,
             "firmware": firmware} for number in range(1, count + 1)]


class SimulatedFleet:
    def __init__(self, devices, workdir=None, keep=False):
        self.specs = devices
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="mediant-bench-"))
        self.keep = keep
        self.process = None
        self.devices = {}
        self.control_url = None
        self.ca_path = str(self.workdir / "ca.pem")

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        fleet_file = self.workdir / "fleet.yml"
        fleet_file.write_text(yaml.safe_dump({"devices": self.specs}))
        ready = self.workdir / "ready.json"
        log = open(self.workdir / "simulator.log", "wb")  # pylint: disable=consider-using-with
        # The simulator's default key size (2048): clients refuse the smaller keys a test suite may ask for.
        env = {name: value for name, value in os.environ.items() if name != "SIMULATOR_DEFAULT_KEY_SIZE"}
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "simulator", "--fleet", str(fleet_file), "--state-dir", str(self.workdir / "state"),
             "--control-port", "0", "--ready-file", str(ready)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.exists():
            if self.process.poll() is not None:
                raise SystemExit("the simulator stopped while starting; see {0}".format(self.workdir / "simulator.log"))
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the simulator did not start within {0} s".format(START_TIMEOUT_S))
            time.sleep(0.2)
        info = json.loads(ready.read_text())
        self.control_url = info["control_url"]
        self.devices = info["devices"]
        with open(self.ca_path, "w", encoding="ascii") as handle:
            for name, device in self.devices.items():
                if device["protocol"] == "https":
                    with urllib.request.urlopen("{0}/devices/{1}/certificate".format(self.control_url, name), timeout=30) as answer:
                        handle.write(answer.read().decode("ascii"))
        return self

    def inventory(self, path, group="mediant"):
        """An Ansible inventory of the fleet: one host per device, mediant_host/mediant_port set."""
        hosts = {name: {"mediant_host": device["address"], "mediant_port": device["port"],
                        "mediant_protocol": device["protocol"]} for name, device in self.devices.items()}
        data = {"all": {"children": {group: {"hosts": hosts, "vars": {
            "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
            "mediant_username": "Admin", "mediant_password": "Admin", "mediant_ca_path": self.ca_path}}}}}
        Path(path).write_text(yaml.safe_dump(data))
        return str(path)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._own_workdir and not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def environment(extra=None):
    """The environment for ansible-playbook runs: quiet, this checkout's collection, no retry files."""
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".build" / "collections"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    })
    env.update(extra or {})
    return env
