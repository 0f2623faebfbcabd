# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmarks in bench/ still run, at the smallest sizes (their figures are not checked here:
targets live in bench/README.md, measured on a quiet machine, never in a timed test)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

SMOKE = {
    "fleet_converge": ["--devices", "1", "--forks", "1", "--pairs", "1", "--prefix", "127.0.130"],
    "task_vs_ping": ["--devices", "1", "--forks", "1", "--pairs", "1", "--prefix", "127.0.131"],
    "facts_fleet": ["--devices", "1", "--forks", "1", "--pairs", "1", "--prefix", "127.0.132"],
    "upload_memory": ["--size", "2M", "--pairs", "1"],
}


@pytest.mark.parametrize("bench", sorted(SMOKE))
def test_benchmark_runs_and_prints_its_ratios(bench):
    done = subprocess.run([sys.executable, str(BENCH / (bench + ".py"))] + SMOKE[bench], capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    ratios = [value for key, value in _flatten(report) if "ratio" in key and "median" in key]
    assert ratios and all(ratio > 0 for ratio in ratios)


def _flatten(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, prefix + "." + key if prefix else key)
    else:
        yield prefix, value
