# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a play against several simulated devices, one inventory host each, the way a user runs a
role against a fleet: mediant_host/mediant_port per host, credentials and CA file per group."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.integration.conftest import CALLBACKS, COLLECTIONS, PlayResult


def fleet_inventory(devices, work, user="Admin", password="Admin", hostvars=None):
    """An inventory (dict) of the devices under the group 'mediant', each trusting its device's
    own certificate (simulated devices on one address share a subject: one CA file would not do)."""
    hosts = {}
    for device in devices:
        ca_file = work / f"{device.name}-ca.pem"
        ca_file.write_text(device.certificate_pem())
        hosts[device.name] = {"mediant_host": device.address, "mediant_port": device.port, "mediant_ca_path": str(ca_file)}
        hosts[device.name].update((hostvars or {}).get(device.name, {}))
    return {"mediant": {"hosts": hosts, "vars": {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "mediant_username": user,
        "mediant_password": password,
        "mediant_timeout": 10,
    }}}


def run_fleet_play(work, devices, play, check=False, diff=False, extra_vars=None, user="Admin", password="Admin",
                   hostvars=None, inventory=None):
    """Run the play (a dict, or a list of plays) against the devices; a PlayResult."""
    work.mkdir(parents=True, exist_ok=True)
    plays = play if isinstance(play, list) else [play]
    (work / "play.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
    (work / "inventory.yml").write_text(yaml.safe_dump(
        inventory or fleet_inventory(devices, work, user, password, hostvars), sort_keys=False))
    results = work / "results.jsonl"
    if results.exists():
        results.unlink()
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("MEDIANT_"):
            env.pop(name)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
        "ANSIBLE_CALLBACKS_ENABLED": "result_log",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "MEDIANT_TEST_RESULTS": str(results),
    })
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(work / "inventory.yml"), str(work / "play.yml")]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=900, check=False)
    tasks = [json.loads(line) for line in results.read_text().splitlines() if line.strip()] if results.exists() else []
    return PlayResult(proc.returncode, proc.stdout, proc.stderr, tasks)


def host_results(result, name):
    """{host: result} of every run of the task called name."""
    return {task["host"]: task for task in result.tasks if task["name"] == name}
