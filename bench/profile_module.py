# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a module process spends its time: one task's AnsiballZ payload, profiled against ping's.

Runs one task (and ansible.builtin.ping) against one simulated device with
ANSIBLE_KEEP_REMOTE_FILES=1, keeps the AnsiballZ payloads Ansible built, and reruns them as
plain processes (as the worker would, without the rest of ansible-playbook):
- CPU and wall time per run (median of --runs), the module's versus ping's;
- ``python -X importtime``: what the imports cost (self and cumulative), grouped by package;
- the time to compile the payload's sources, which zipimport does on every run (no bytecode is
  kept): the collection's files one by one, ansible's module_utils as a whole;
- cProfile: time spent compiling source, loading CA certificates, and in HTTP requests (and how
  many requests the task sent). cProfile inflates import-heavy code: read its figures as shares.

Usage:  .venv/bin/python bench/profile_module.py [--task ini|cli|facts|facts-wide] [--runs 10]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playbench import run_playbook, write  # noqa: E402  pylint: disable=wrong-import-position
from simfleet import SimulatedFleet, loopback_devices  # noqa: E402  pylint: disable=wrong-import-position

TASKS = {
    "ini": ("mediant_ini", "audiocodes.mediant.mediant_ini:\n        parameters: {EnableSyslog: 1, SyslogServerIP: 10.1.1.20, "
                           "SyslogServerPort: 5514}"),
    "cli": ("mediant_cli", "audiocodes.mediant.mediant_cli:\n        parents: [configure system, ntp]\n"
                           "        lines: ['primary-server \"pool.ntp.org\"', update-interval 3600]"),
    "facts": ("mediant_facts", "audiocodes.mediant.mediant_facts:"),
    "facts-wide": ("mediant_facts", "audiocodes.mediant.mediant_facts:\n        gather_subset: [status, license, alarms, tls, "
                                    "files, kpi]"),
}
PLAY = """\
- name: Profile
  hosts: mediant
  gather_facts: false
  tasks:
    - name: The task
      {task}
"""
GROUPS = ("requests", "urllib3", "charset_normalizer", "idna", "certifi", "cryptography", "ssl", "http", "email", "json",
          "ansible.module_utils.basic", "ansible.module_utils", "ansible_collections.audiocodes.mediant")


def payload_of(work, module):
    found = glob.glob(os.path.join(work, "remote", "ansible-tmp-*", "AnsiballZ_{0}.py".format(module)))
    if not found:
        raise SystemExit("no AnsiballZ_{0}.py kept in {1}".format(module, work))
    return max(found, key=os.path.getmtime)


def keep_payload(fleet, work, task_text, module, inventory):
    playbook = write(Path(work) / ("{0}.yml".format(module)), PLAY.format(task=task_text))
    run_playbook(playbook, inventory, 1, expect_changed=True)  # converge first: then the task is a no-op
    run_playbook(playbook, inventory, 1, extra_env={"ANSIBLE_KEEP_REMOTE_FILES": "1",
                                                    "ANSIBLE_REMOTE_TMP": os.path.join(work, "remote")})
    return payload_of(work, module)


def timed_runs(payload, runs):
    """Median wall and CPU seconds (user + system of the process) of running the payload."""
    walls, cpus = [], []
    for _run in range(runs):
        before = os.times()
        started = before.elapsed
        done = subprocess.run([sys.executable, payload], capture_output=True, text=True, check=False)
        after = os.times()
        if '"failed": true' in done.stdout:
            raise SystemExit("the payload failed: {0}".format(done.stdout[-2000:]))
        walls.append(after.elapsed - started)
        cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
    return round(statistics.median(walls) * 1000), round(statistics.median(cpus) * 1000)


def import_times(payload):
    """Cumulative import time (ms) per package group, and the heaviest single imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", payload], capture_output=True, text=True, check=False)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if match:
            rows.append((int(match.group(1)), int(match.group(2)), len(match.group(3)), match.group(4)))
    groups = {}
    for self_us, _cumulative, _depth, name in rows:
        for group in GROUPS:
            if name == group or name.startswith(group + "."):
                groups[group] = groups.get(group, 0) + self_us
                break
    top = sorted(rows, key=lambda row: -row[1])
    top_level = [(name, round(cumulative / 1000, 1)) for _self, cumulative, depth, name in top if depth <= 2][:12]
    return {group: round(us / 1000, 1) for group, us in sorted(groups.items(), key=lambda item: -item[1])}, top_level


PROFILE_RUNNER = """\
import cProfile, runpy, sys
payload, out = sys.argv[1], sys.argv[2]
sys.argv = [payload]
profiler = cProfile.Profile()
try:
    profiler.runcall(runpy.run_path, payload, run_name="__main__")
except SystemExit:
    pass
finally:
    profiler.dump_stats(out)
"""


def profile(payload, work):
    """cProfile of one run. (Not ``python -m cProfile``: the payload drops its __main__'s directory
    from sys.path, which would be the standard library's.)"""
    out = os.path.join(work, "payload.prof")
    runner = write(Path(work) / "profile_runner.py", PROFILE_RUNNER)
    subprocess.run([sys.executable, runner, payload, out], capture_output=True, check=False)
    stats = pstats.Stats(out)
    found = {"compile_source_ms": 0.0, "load_ca_certificates_ms": 0.0, "http_requests": 0, "http_requests_ms": 0.0,
             "total_ms": round(stats.total_tt * 1000)}
    for (filename, _line, function), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():
        if function == "<built-in method builtins.compile>" or (function == "source_to_code" and "zipimport" in filename):
            found["compile_source_ms"] += cumulative * 1000
        if function in ("<method 'load_verify_locations' of '_ssl._SSLContext' objects>",
                        "<method 'set_default_verify_paths' of '_ssl._SSLContext' objects>"):
            found["load_ca_certificates_ms"] += cumulative * 1000
        if function == "request" and filename.endswith(os.path.join("requests", "sessions.py")):
            found["http_requests"] += calls
            found["http_requests_ms"] += cumulative * 1000
    return {key: round(value, 1) if isinstance(value, float) else value for key, value in found.items()}


def compile_times(payload):
    """Milliseconds to compile the payload's sources, as zipimport does on every run (it keeps no
    bytecode): the collection's files one by one, and ansible's module_utils as a whole."""
    subprocess.run([sys.executable, payload, "explode"], capture_output=True, check=True)
    root = Path(payload).parent / "debug_dir"
    ours, ansible = {}, 0.0
    for path in sorted(root.rglob("*.py")):
        source = path.read_bytes()
        started = time.perf_counter()
        for _repeat in range(5):
            compile(source, str(path), "exec", dont_inherit=True)
        elapsed = (time.perf_counter() - started) / 5 * 1000
        relative = str(path.relative_to(root))
        if relative.startswith("ansible_collections/audiocodes"):
            ours[relative.split("/plugins/", 1)[-1]] = round(elapsed, 1)
        else:
            ansible += elapsed
    return {"collection_total_ms": round(sum(ours.values()), 1), "collection_files_ms": ours,
            "ansible_module_utils_total_ms": round(ansible, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--task", choices=sorted(TASKS), default="ini")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    module, task_text = TASKS[args.task]
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as work, \
            SimulatedFleet(loopback_devices(1, prefix="127.0.33"), workdir=Path(work) / "sim") as fleet:
        inventory = fleet.inventory(Path(work) / "inventory.yml")
        payload = keep_payload(fleet, work, task_text, module, inventory)
        ping = keep_payload(fleet, work, "ansible.builtin.ping:", "ping", inventory)
        module_wall, module_cpu = timed_runs(payload, args.runs)
        ping_wall, ping_cpu = timed_runs(ping, args.runs)
        groups, heaviest = import_times(payload)
        ping_groups, _ping_heaviest = import_times(ping)
        report = {
            "task": args.task, "runs": args.runs,
            "module_process": {"wall_ms": module_wall, "cpu_ms": module_cpu},
            "ping_process": {"wall_ms": ping_wall, "cpu_ms": ping_cpu},
            "import_self_ms_by_package": groups,
            "ping_import_self_ms_by_package": ping_groups,
            "heaviest_imports_cumulative_ms": heaviest,
            "compile_each_run": compile_times(payload),
            "cprofile": profile(payload, work),
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
