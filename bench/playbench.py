# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paired timing of two ansible-playbook runs for the fleet benchmarks.

The machine is noisy (other work shares its cores), so only ratios from interleaved runs count:
A, B, A, B, ...; each pair gives one ratio A/B, and the result is the median of those ratios
(with the spread of the ratios, so a reader sees how noisy the run was).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simfleet import REPO, SimulatedFleet, environment, loopback_devices

ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


# The head of a hand-written `uri` play against the fleet's inventory (see SimulatedFleet.inventory):
# what a user would write instead of the collection. ``{name}`` is the play's name.
URI_PLAY_HEAD = """\
- name: {name}
  hosts: mediant
  gather_facts: false
  module_defaults:
    ansible.builtin.uri:
      url_username: "{{{{ mediant_username }}}}"
      url_password: "{{{{ mediant_password }}}}"
      force_basic_auth: true
      ca_path: "{{{{ mediant_ca_path }}}}"
      return_content: true
  vars:
    api: "https://{{{{ mediant_host }}}}:{{{{ mediant_port }}}}/api/v1"
  tasks:
"""


class PlaybookFailed(SystemExit):
    pass


def fleet_arguments(doc, devices, pairs, prefix):
    """The options every fleet benchmark takes: --devices, --forks, --pairs, --prefix."""
    parser = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    parser.add_argument("--devices", type=int, default=devices, help="simulated devices (default {0})".format(devices))
    parser.add_argument("--forks", type=int, default=10, help="ansible-playbook --forks (default 10)")
    parser.add_argument("--pairs", type=int, default=pairs, help="interleaved rounds (default {0})".format(pairs))
    parser.add_argument("--prefix", default=prefix,
                        help="the devices' loopback addresses: PREFIX.1, PREFIX.2, ... (default {0})".format(prefix))
    return parser.parse_args()


@contextlib.contextmanager
def simulated_fleet(args, name):
    """A work directory and the inventory of ``args.devices`` simulated devices, stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-{0}-".format(name)) as work, \
            SimulatedFleet(loopback_devices(args.devices, prefix=args.prefix), workdir=Path(work) / "sim") as fleet:
        yield Path(work), fleet.inventory(Path(work) / "inventory.yml")


def run_playbook(playbook, inventory, forks=10, expect_changed=False, extra_env=None, log=None):
    """Run a playbook; its wall time in seconds. Fails when a host failed or was unreachable,
    or (unless ``expect_changed``) when a task reported a change: a no-op run must be a no-op."""
    command = [ANSIBLE_PLAYBOOK, "-i", str(inventory), "--forks", str(forks), str(playbook)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=environment(extra_env), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if log is not None:
        Path(log).write_text(done.stdout + done.stderr)
    hosts = RECAP.findall(done.stdout)
    problems = []
    if done.returncode != 0 or not hosts:
        problems.append("exit code {0}".format(done.returncode))
    for host, _ok, changed, unreachable, failed in hosts:
        if int(unreachable) or int(failed):
            problems.append("{0}: unreachable={1} failed={2}".format(host, unreachable, failed))
        elif int(changed) and not expect_changed:
            problems.append("{0}: changed={1} on a run that should change nothing".format(host, changed))
    if problems:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        raise PlaybookFailed("{0} failed: {1}\n{2}".format(Path(playbook).name, "; ".join(problems[:5]), tail))
    return elapsed


def paired(label_a, run_a, label_b, run_b, pairs, quiet=False):
    """Interleaved runs A, B, A, B, ...; a dict with both series and the ratio statistics."""
    return against(label_b, run_b, [(label_a, run_a)], pairs, quiet)[label_a]


def against(baseline_label, run_baseline, candidates, pairs, quiet=False):
    """Interleaved runs of each candidate and the baseline (A, B, [C, ...], A, B, ...); per
    candidate, the statistics of its per-round ratios to the baseline run of the same round."""
    series = {label: [] for label, _run in candidates}
    baseline = []
    for number in range(1, pairs + 1):
        for label, run in candidates[:1]:
            series[label].append(run())
        baseline.append(run_baseline())
        for label, run in candidates[1:]:
            series[label].append(run())
        if not quiet:
            print("  round {0}/{1}: {2}".format(number, pairs, ", ".join(
                ["{0} {1:.2f} s".format(baseline_label, baseline[-1])]
                + ["{0} {1:.2f} s (ratio {2:.3f})".format(label, times[-1], times[-1] / baseline[-1])
                   for label, times in series.items()])), file=sys.stderr)
    results = {}
    for label, times in series.items():
        ratios = sorted(a / b for a, b in zip(times, baseline))
        results[label] = {
            "a": label, "b": baseline_label, "pairs": pairs,
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_min": round(ratios[0], 3), "ratio_max": round(ratios[-1], 3),
            "a_median_s": round(statistics.median(times), 2), "b_median_s": round(statistics.median(baseline), 2),
            "a_s": [round(value, 2) for value in times], "b_s": [round(value, 2) for value in baseline],
        }
    return results


def machine():
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ansible = subprocess.run([ANSIBLE_PLAYBOOK, "--version"], capture_output=True, text=True, check=False).stdout.splitlines()
    with open("/proc/loadavg", encoding="utf-8") as handle:
        load = handle.read().split()[:3]
    import os  # pylint: disable=import-outside-toplevel
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "ansible_core": ansible[0] if ansible else "unknown", "load_average_at_end": load}


def report(title, results, goal=None):
    """Print the result as JSON on stdout (the per-pair lines went to stderr)."""
    document = {"benchmark": title, "machine": machine(), "results": results}
    if goal is not None:
        document["goal"] = goal
    print(json.dumps(document, indent=2))


def write(path, text):
    Path(path).write_text(text)
    return str(path)
