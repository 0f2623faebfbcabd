# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paired timing of two ansible-playbook runs for the fleet benchmarks.

The machine is noisy (other work shares its cores), so only ratios from interleaved runs count:
A, B, A, B, ...; each pair gives one ratio A/B, and the result is the median of those ratios
(with the spread of the ratios, so a reader sees how noisy the run was).
"""
from __future__ import annotations

import json
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from simfleet import REPO, environment

ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


class PlaybookFailed(SystemExit):
    pass


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
    a_times, b_times = [], []
    for number in range(1, pairs + 1):
        a_times.append(run_a())
        b_times.append(run_b())
        if not quiet:
            print("  pair {0}/{1}: {2} {3:.2f} s, {4} {5:.2f} s, ratio {6:.3f}".format(
                number, pairs, label_a, a_times[-1], label_b, b_times[-1], a_times[-1] / b_times[-1]), file=sys.stderr)
    ratios = sorted(a / b for a, b in zip(a_times, b_times))
    return {
        "a": label_a, "b": label_b, "pairs": pairs,
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min": round(ratios[0], 3), "ratio_max": round(ratios[-1], 3),
        "a_median_s": round(statistics.median(a_times), 2), "b_median_s": round(statistics.median(b_times), 2),
        "a_s": [round(value, 2) for value in a_times], "b_s": [round(value, 2) for value in b_times],
    }


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
