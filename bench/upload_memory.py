# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side memory of a software upload: a big .cmp through MediantClient.upload to the simulator.

The simulator runs in a child process, so what is measured here is the client alone:
- tracemalloc peak of Python allocations during the upload (the number that must not grow
  with the file size: the client streams the file in 64 KiB blocks);
- the process's peak RSS before and after the upload (ru_maxrss; includes the interpreter and
  libraries, so compare the growth, not the absolute value).

Usage:  .venv/bin/python bench/upload_memory.py [--size 200M] [--api 7.4|1.0] [--max-peak-mib 32]
Exits 1 when the tracemalloc peak exceeds --max-peak-mib. Not part of `make test` (it writes and
sends a file of --size bytes).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from plugins.module_utils.rest import MediantClient  # noqa: E402  pylint: disable=wrong-import-position

FIRMWARE = {"7.4": ("7.40A.500.010", "7.40A.600.001"), "1.0": ("7.00A.049.003", "7.00A.050.001")}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def wait_for(url, deadline_s=30):
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=2)
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"the simulator did not answer {url} within {deadline_s} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", default="200M", help="size of the .cmp to upload (default 200M)")
    parser.add_argument("--api", choices=sorted(FIRMWARE), default="7.4", help="7.4: multipart upload; 1.0: raw octet-stream")
    parser.add_argument("--max-peak-mib", type=float, default=32.0, help="fail when the tracemalloc peak is above this")
    args = parser.parse_args()
    running, new = FIRMWARE[args.api]

    with tempfile.TemporaryDirectory(prefix="upload-bench-") as work:
        load = Path(work) / f"SIP_F{new}.cmp"
        subprocess.run([sys.executable, "-m", "simulator", "make-cmp", "--version", new, "--size", args.size, "-o", str(load)],
                       cwd=REPO, check=True)
        device_port, control_port = free_port(), free_port()
        simulator = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "simulator", "--state-dir", str(Path(work) / "state"), "--port", str(device_port),
             "--control-port", str(control_port), "--firmware", running],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            certificate = wait_for(f"http://127.0.0.1:{control_port}/devices/sbc/certificate").text
            ca_path = Path(work) / "device.pem"
            ca_path.write_text(certificate)
            client = MediantClient("127.0.0.1", "Admin", "Admin", port=device_port, ca_path=str(ca_path), timeout=600)
            client.get_json("status")  # connection and API generation settled before measuring
            rss_before = peak_rss_mib()
            tracemalloc.start()
            started = time.monotonic()
            answer = client.upload("files/software", src=str(load))
            elapsed = time.monotonic() - started
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rss_after = peak_rss_mib()
            client.close()
        finally:
            simulator.terminate()
            simulator.wait(timeout=30)
        report = {
            "api": args.api,
            "file_mib": round(os.path.getsize(load) / 2**20, 1),
            "seconds": round(elapsed, 2),
            "throughput_mib_s": round(os.path.getsize(load) / 2**20 / elapsed, 1),
            "tracemalloc_peak_mib": round(peak / 2**20, 2),
            "peak_rss_before_mib": round(rss_before, 1),
            "peak_rss_after_mib": round(rss_after, 1),
            "peak_rss_growth_mib": round(rss_after - rss_before, 1),
            "device_answer": answer.get("description"),
        }
    print(json.dumps(report, indent=2))
    if report["tracemalloc_peak_mib"] > args.max_peak_mib:
        print(f"FAIL: tracemalloc peak {report['tracemalloc_peak_mib']} MiB > {args.max_peak_mib} MiB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
