# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the certificate_renewal role as a user would: an inventory of simulated devices (one
host each, connection from mediant_* variables), a playbook that applies the role, and what the
run produced (output, per-task results, the report files)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".build" / "collections"
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"


@dataclass
class RoleRun:
    rc: int
    stdout: str
    stderr: str
    tasks: list = field(default_factory=list)
    report_dir: Path | None = None

    @property
    def output(self):
        return self.stdout + self.stderr

    def report(self):
        return json.loads((self.report_dir / "certificates.json").read_text())

    def rows(self):
        return {(row["device"], row["context"].split(" ", 1)[0]): row for row in self.report()["sections"][0]["rows"]}

    def changed(self, host=None):
        return [task for task in self.tasks if task["status"] == "changed" and (host is None or task.get("host") == host)]


class RenewalHarness:
    """One work directory per test: a CA file the controller trusts (every device's certificate
    plus extra CAs), an inventory, a playbook; ``run()`` runs it."""

    def __init__(self, work: Path, devices: dict, trusted=()):
        self.work = work
        self.devices = devices  # inventory host -> simulated device
        self.trusted = list(trusted)
        self.count = 0
        self.work.mkdir(parents=True, exist_ok=True)
        self.ca_file = self.work / "trusted.pem"
        self.refresh_trust()

    def refresh_trust(self):
        """The controller trusts the devices' current certificates and the extra CA certificates."""
        self.ca_file.write_text("".join([dev.certificate_pem() for dev in self.devices.values()] + self.trusted))

    def inventory(self, hostvars=None):
        hosts = {}
        for name, dev in self.devices.items():
            hosts[name] = {"mediant_host": dev.address, "mediant_port": dev.port, **(hostvars or {}).get(name, {})}
        return {"mediant": {"hosts": hosts, "vars": {
            "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
            "mediant_username": "Admin", "mediant_password": "Admin", "mediant_ca_path": str(self.ca_file),
            "mediant_timeout": 20}}}

    def run(self, role_vars=None, check=False, verbosity=0, hostvars=None, limit=None, extra_play=None, pre_tasks=None):
        self.count += 1
        run_dir = self.work / f"run{self.count}"
        run_dir.mkdir()
        report_dir = self.work / "reports"
        variables = {"certificate_renewal_report_dir": str(report_dir),
                     "certificate_renewal_request_dir": str(self.work / "requests"), **(role_vars or {})}
        play = {"name": "Renew certificates", "hosts": "mediant", "gather_facts": False, "vars": variables,
                "roles": [{"role": "audiocodes.mediant.certificate_renewal"}]}
        if pre_tasks:
            play["pre_tasks"] = pre_tasks
        plays = [play] + (extra_play or [])
        (run_dir / "play.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
        (run_dir / "inventory.yml").write_text(yaml.safe_dump(self.inventory(hostvars), sort_keys=False))
        results = run_dir / "results.jsonl"
        env = dict(os.environ)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
            "ANSIBLE_CALLBACKS_ENABLED": "result_log", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(run_dir / "tmp"),
            "ANSIBLE_RETRY_FILES_ENABLED": "0", "MEDIANT_TEST_RESULTS": str(results),
        })
        for name in list(env):
            if name.startswith("MEDIANT_") and name != "MEDIANT_TEST_RESULTS":
                env.pop(name)
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(run_dir / "inventory.yml"),
                   str(run_dir / "play.yml")]
        if check:
            command.append("--check")
        if verbosity:
            command.append("-" + "v" * verbosity)
        if limit:
            command += ["--limit", limit]
        proc = subprocess.run(command, cwd=run_dir, env=env, capture_output=True, text=True, timeout=900, check=False)
        tasks = [json.loads(line) for line in results.read_text().splitlines() if line.strip()] if results.exists() else []
        return RoleRun(proc.returncode, proc.stdout, proc.stderr, tasks, report_dir)
