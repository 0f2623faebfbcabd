# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures that run the collection through ansible-playbook against simulated devices.

`device` / `device_v1` start a fresh simulated device; `run_play(tasks, device, ...)` runs a
playbook of those tasks against it and returns what the user would see, task by task.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from simulator import Fleet
from tests.browser import start_chromium

REPO = Path(__file__).resolve().parents[2]

# tests/conftest.py links the collection there.
COLLECTIONS = REPO / ".build" / "collections"
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
PASSWORDS = {"Admin": "Admin", "Operator": "Operator", "Monitor": "Monitor"}


@dataclass
class PlayResult:
    rc: int
    stdout: str
    stderr: str
    tasks: list = field(default_factory=list)

    def task(self, name):
        """The result record of the task called `name` (the last one if it ran several times)."""
        found = [task for task in self.tasks if task["name"] == name]
        if not found:
            raise AssertionError(f"no result for task {name!r}; tasks: {[t['name'] for t in self.tasks]}\n{self.stdout}\n{self.stderr}")
        return found[-1]

    @property
    def last(self):
        return self.tasks[-1]


@pytest.fixture
def fleet(tmp_path):
    with Fleet(state_dir=tmp_path / "state") as running:
        yield running


def _add_device(fleet_, name, firmware):
    return fleet_.add_device({"name": name, "address": "127.0.0.1", "port": 0, "protocol": "https",
                              "firmware": firmware, "reset_seconds": 1})


@pytest.fixture
def device(fleet):
    """A fresh stand-alone device speaking the v7.4 API over HTTPS."""
    return _add_device(fleet, "sbc1", "7.40A.500.010")


@pytest.fixture
def device_on(fleet):
    """Factory: a fresh stand-alone device on the given firmware (``device_on("7.20A.200.014")``)."""
    return lambda firmware: _add_device(fleet, "sbc-" + firmware.replace(".", "-"), firmware)


@pytest.fixture
def device_v1(fleet):
    """A fresh stand-alone device on 7.00A firmware, speaking the v1.0 API."""
    return _add_device(fleet, "gw1", "7.00A.049.003")


def connection_options(dev, tmp_path, user="Admin", password=None):
    """module_defaults for the device: verified HTTPS, trusting the device's own certificate."""
    ca_file = tmp_path / f"{dev.name}-ca.pem"
    ca_file.write_text(dev.certificate_pem())
    host, port = dev.address, dev.port
    return {
        "host": host,
        "port": port,
        "protocol": dev.protocol,
        "username": user,
        "password": PASSWORDS.get(user, "") if password is None else password,
        "ca_path": str(ca_file),
        "timeout": 10,
    }


@pytest.fixture
def run_play(tmp_path):
    counter = {"n": 0}

    def run(tasks, dev, user="Admin", password=None, check=False, diff=False, verbosity=0,
            extra_vars=None, module_defaults=None, env=None, hostvars=None):
        counter["n"] += 1
        work = tmp_path / f"play{counter['n']}"
        work.mkdir()
        defaults = connection_options(dev, work, user, password)
        if module_defaults is not None:
            defaults = module_defaults
        play = [{
            "name": "integration test",
            "hosts": "sbc",
            "gather_facts": False,
            "module_defaults": {"group/audiocodes.mediant.mediant": defaults},
            "tasks": tasks,
        }]
        (work / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
        host_line = f"sbc ansible_connection=local ansible_python_interpreter={sys.executable}"
        for key, value in (hostvars or {}).items():
            host_line += f" {key}={value}"
        (work / "inventory.ini").write_text(host_line + "\n")
        results = work / "results.jsonl"
        run_env = dict(os.environ)
        run_env.update({
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
            "ANSIBLE_CALLBACKS_ENABLED": "result_log",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "MEDIANT_TEST_RESULTS": str(results),
        })
        for name in list(run_env):
            if name.startswith("MEDIANT_") and name != "MEDIANT_TEST_RESULTS":
                run_env.pop(name)
        run_env.update(env or {})
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(work / "inventory.ini"), str(work / "play.yml")]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        proc = subprocess.run(command, cwd=work, env=run_env, capture_output=True, text=True, timeout=600, check=False)
        tasks_ = []
        if results.exists():
            tasks_ = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
        return PlayResult(proc.returncode, proc.stdout, proc.stderr, tasks_)

    return run


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium with a fresh profile (tests/browser.py); skipped without it, except in CI."""
    driver = start_chromium(tmp_path / "chromium-profile")
    try:
        yield driver
    finally:
        driver.quit()
