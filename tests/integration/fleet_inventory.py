# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example fleet (simulator/fleets/example.yml behind playbooks/inventory/fleet/) for tests:
the same devices on ephemeral ports, a copy of the inventory pointing at them, and a runner for
the playbooks of playbooks/ as users run them (ansible-playbook -i <inventory> <playbook>)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_FLEET = REPO / "simulator" / "fleets" / "example.yml"
EXAMPLE_INVENTORY = REPO / "playbooks" / "inventory" / "fleet"
COLLECTIONS = REPO / ".build" / "collections"
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    tasks: list = field(default_factory=list)

    def recap(self, host):
        """The PLAY RECAP counters of a host, as a dict (ok, changed, failed, ...)."""
        for line in self.stdout.splitlines():
            if line.startswith(host + " ") and "ok=" in line:
                return {key: int(value) for key, value in (item.split("=") for item in line.split(":", 1)[1].split())}
        raise AssertionError(f"no recap for {host}\n{self.stdout}\n{self.stderr}")


@dataclass
class ExampleFleet:
    devices: dict
    inventory: Path
    ca_path: Path
    work: Path

    def run(self, playbook, *args, extra_vars=None, inventory=None, env=None):
        """ansible-playbook <playbook> against the fleet, credentials from the MEDIANT_* environment."""
        work = self.work / f"run{len(list(self.work.glob('run*')))}"
        work.mkdir()
        results = work / "results.jsonl"
        run_env = {key: value for key, value in os.environ.items() if not key.startswith("MEDIANT_")}
        run_env.update({
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCAL_TEMP": str(work / "tmp"), "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "ANSIBLE_CALLBACKS_ENABLED": "result_log",
            "MEDIANT_TEST_RESULTS": str(results),
            "MEDIANT_USERNAME": "Admin", "MEDIANT_PASSWORD": "Admin", "MEDIANT_CA_PATH": str(self.ca_path),
        })
        run_env.update(env or {})
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory or self.inventory),
                   str(REPO / "playbooks" / playbook), *args]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        proc = subprocess.run(command, cwd=work, env=run_env, capture_output=True, text=True, timeout=900, check=False)
        tasks = [json.loads(line) for line in results.read_text().splitlines() if line.strip()] if results.exists() else []
        return Run(proc.returncode, proc.stdout, proc.stderr, tasks)


def connect(inventory_dir, devices):
    """Point each host of an inventory copy at its simulated device (host_vars/<host>/connection.yml)."""
    for name, device in devices.items():
        host_dir = inventory_dir / "host_vars" / name
        host_dir.mkdir(parents=True, exist_ok=True)
        (host_dir / "connection.yml").write_text(yaml.safe_dump(
            {"mediant_host": device.address, "mediant_port": device.port}, explicit_start=True))


def start_example_fleet(fleet, tmp_path, adjust=None):
    """Add the example fleet's devices (same names, firmware, products, HA pairs) to ``fleet`` on
    127.0.26.N with ephemeral ports; copy the example inventory and point it at them.
    ``adjust(spec) -> spec`` may change a device's spec first (phase durations, say).

    One address per device, as in the example: a device's self-signed certificate names its
    address, so that one CA file holds certificates of distinct subjects (OpenSSL looks a
    certificate's issuer up by subject)."""
    specs = yaml.safe_load(EXAMPLE_FLEET.read_text())["devices"]
    devices = {}
    for number, spec in enumerate(specs, start=1):
        spec = dict(spec, address=f"127.0.26.{number}", port=0, reset_seconds=1)
        devices[spec["name"]] = fleet.add_device(adjust(spec) if adjust else spec)
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, inventory)
    connect(inventory, devices)
    ca_path = tmp_path / "fleet-ca.pem"
    ca_path.write_text("".join(device.certificate_pem() for device in devices.values()))
    work = tmp_path / "runs"
    work.mkdir()
    return ExampleFleet(devices, inventory, ca_path, work)
