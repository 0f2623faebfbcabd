# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated fleets (HA pairs and stand-alone units) and ansible-playbook runs of the
software_upgrade role or playbooks/upgrade.yml against them, for the integration tests."""
from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from simulator.software import write_cmp
from tests.integration.conftest import CALLBACKS, COLLECTIONS

OLD = "7.40A.500.010"
NEW = "7.40A.600.001"
# Phases long enough to be seen by a 0.3 s poll, short enough for CI.
PAIR_TIMINGS = {"install_seconds": 2.0, "sync_seconds": 1.5, "switchover_seconds": 0.5}
# Each device its own loopback address: a CA file holding several self-signed certificates needs
# distinct subjects (the certificate's common name is the address). Ports are ephemeral.
_ADDRESSES = (f"127.0.{30 + number // 250}.{1 + number % 250}" for number in itertools.count())
FAST_TIMEOUTS = {"start": 30, "install": 20, "sync": 20, "switchover": 15, "reset": 30, "upload": 60}


def add_pair(fleet, name, firmware=OLD, **timings):
    return fleet.add_device({"name": name, "address": next(_ADDRESSES), "port": 0, "protocol": "https", "firmware": firmware,
                             "reset_seconds": 1, "ha": {"units": [{"name": f"{name}-a"}, {"name": f"{name}-b"}],
                                                        **PAIR_TIMINGS, **timings}})


def add_stand_alone(fleet, name, firmware=OLD):
    return fleet.add_device({"name": name, "address": next(_ADDRESSES), "port": 0, "protocol": "https", "firmware": firmware,
                             "reset_seconds": 1})


def loads(directory):
    """The new load (NEW) and the previous one (OLD) as .cmp files."""
    new, old = Path(directory) / f"SIP_F{NEW}.cmp", Path(directory) / f"SIP_F{OLD}.cmp"
    write_cmp(new, NEW, 1024 * 1024)
    write_cmp(old, OLD, 1024 * 1024)
    return new, old


@dataclass
class RoleRun:
    rc: int
    stdout: str
    stderr: str
    work: Path
    tasks: list = field(default_factory=list)

    def record(self, host):
        """The role's record of ``host`` (software_upgrade_result when the run closed it)."""
        found = [task["result"]["ansible_facts"]["software_upgrade_result"] for task in self.tasks
                 if task["host"] == host and task["name"] == "Close the record"]
        if not found:
            raise AssertionError(f"no record for {host}\n{self.stdout[-4000:]}\n{self.stderr[-2000:]}")
        return found[-1]

    def reports(self):
        """{name: document} of the one run directory under reports/ (fleet.json and <host>.json)."""
        runs = [path for path in (self.work / "reports").iterdir() if path.is_dir() and path.name != "in-flight"]
        assert len(runs) == 1, runs
        return {path.stem: json.loads(path.read_text()) for path in runs[0].glob("*.json")}


class RoleRunner:
    """Writes an inventory for simulated devices and runs a playbook of the role (or a given one)."""

    def __init__(self, work: Path):
        self.work = work
        self.work.mkdir(parents=True, exist_ok=True)
        self.ca_file = work / "ca.pem"

    def inventory(self, devices, host_vars=None, group_vars=None):
        self.ca_file.write_text("".join(device.certificate_pem() for device in devices.values()))
        hosts = {}
        for host, device in devices.items():
            hosts[host] = {"mediant_host": device.address, "mediant_port": device.port, **(host_vars or {}).get(host, {})}
        # The role's arguments go to the group "all" so that a host's own variables override them.
        inventory = {"all": {"vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                                      "mediant_username": "Admin", "mediant_password": "Admin",
                                      "mediant_ca_path": str(self.ca_file), "mediant_timeout": 10, **(group_vars or {})},
                             "hosts": hosts}}
        path = self.work / "inventory.yml"
        path.write_text(yaml.safe_dump(inventory, sort_keys=False))
        return path

    def role_playbook(self):
        path = self.work / "play.yml"
        path.write_text(yaml.safe_dump([{"name": "Upgrade", "hosts": "all", "gather_facts": False,
                                         "roles": [{"role": "audiocodes.mediant.software_upgrade"}]}], sort_keys=False))
        return path

    def command(self, playbook, inventories, extra_vars=None, check=False):
        command = [str(Path(sys.executable).parent / "ansible-playbook")]
        for inventory in inventories:
            command += ["-i", str(inventory)]
        command.append(str(playbook))
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        if check:
            command.append("--check")
        return command

    def environment(self, results):
        env = {key: value for key, value in os.environ.items() if not key.startswith("MEDIANT_")}
        env.update({"ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
                    "ANSIBLE_CALLBACKS_ENABLED": "result_log", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "0",
                    "ANSIBLE_LOCAL_TEMP": str(self.work / "tmp"), "ANSIBLE_RETRY_FILES_ENABLED": "0",
                    "MEDIANT_TEST_RESULTS": str(results)})
        return env

    def role_vars(self, src, **extra):
        return {"software_upgrade_src": str(src), "software_upgrade_version": NEW, "software_upgrade_poll_interval": 0.3,
                "software_upgrade_timeouts": dict(FAST_TIMEOUTS), "software_upgrade_report_dir": str(self.work / "reports"),
                "software_upgrade_backup_dir": str(self.work / "backups"), **extra}

    def run(self, devices, src, host_vars=None, check=False, playbook=None, inventories=None, **role_vars):
        results = self.work / f"results-{time.monotonic_ns()}.jsonl"
        inventory = self.inventory(devices, host_vars, self.role_vars(src, **role_vars))
        command = self.command(playbook or self.role_playbook(), (inventories or []) + [inventory], check=check)
        proc = subprocess.run(command, cwd=self.work, env=self.environment(results), capture_output=True, text=True,
                              timeout=900, check=False)
        tasks = [json.loads(line) for line in results.read_text().splitlines() if line.strip()] if results.exists() else []
        return RoleRun(proc.returncode, proc.stdout, proc.stderr, self.work, tasks)

    def start(self, devices, src, **role_vars):
        """Start a run in the background (its own process group); returns the Popen."""
        results = self.work / "results-background.jsonl"
        command = self.command(self.role_playbook(), [self.inventory(devices, group_vars=self.role_vars(src, **role_vars))])
        return subprocess.Popen(command, cwd=self.work, env=self.environment(results), stdout=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                stderr=subprocess.DEVNULL, start_new_session=True)

    @staticmethod
    def interrupt(process):
        """What Ctrl-C on the controller (or a killed AWX job) does: the run stops where it is."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout}s")


def unit_boots(device):
    return {unit["name"]: unit["boot_count"] for unit in device.ha.snapshot()["units"]}
