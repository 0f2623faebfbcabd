# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A big software upload (.cmp) through the collection's client versus curl, to the same simulator.

The simulator runs in a child process; each upload runs in a child process of its own, so its
peak RSS (from wait4) is its own:
- client: MediantClient.upload (what mediant_software runs), streamed from disk;
- curl:   curl -X PUT -F file=@... (v7.4 API: multipart) or curl -T ... (v1.0 API: octet-stream).
Interleaved client, curl, client, curl, ...; printed: the median of per-pair ratios of wall time
(client/curl), the throughputs, and each side's peak RSS. Then one more client upload with
tracemalloc on: the peak of Python allocations during the upload, the number that must not grow
with the file size (the client streams the file in 64 KiB blocks).

Each upload makes the simulated device install the load and reset; the time it takes to come
back is not measured.

Usage:  .venv/bin/python bench/upload_memory.py [--size 1G] [--pairs 3] [--api 7.4|1.0] [--max-peak-mib 32]
Exits 1 when the tracemalloc peak exceeds --max-peak-mib. Not part of `make test`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from simfleet import SimulatedFleet  # noqa: E402  pylint: disable=wrong-import-position

FIRMWARE = {"7.4": ("7.40A.500.010", "7.40A.600.001"), "1.0": ("7.00A.049.003", "7.00A.050.001")}


def client_upload(args):
    """Child process: one upload through MediantClient; prints seconds (and the tracemalloc peak)."""
    import tracemalloc  # pylint: disable=import-outside-toplevel
    sys.path.insert(0, str(REPO))
    from plugins.module_utils.rest import MediantClient  # pylint: disable=import-outside-toplevel

    client = MediantClient(args.host, "Admin", "Admin", port=args.port, ca_path=args.ca_path, timeout=600)
    client.get_json("status")  # connection and API generation settled before measuring
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    answer = client.upload("files/software", src=args.load)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    client.close()
    print(json.dumps({"seconds": elapsed, "tracemalloc_peak": peak, "answer": answer.get("description")}))
    return 0


def run_measured(command):
    """Run a child process; (its stdout, wall seconds, its peak RSS in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # pylint: disable=consider-using-with
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit("{0} failed ({1}): {2}".format(command[0], process.returncode, (err or out).decode()[-2000:]))
    return out.decode(), elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def wait_back(url, ca_path, timeout=120):
    """Until the device, reset by the upload, answers status twice in a row."""
    deadline = time.monotonic() + timeout
    session = requests.Session()
    session.trust_env = False
    session.auth = ("Admin", "Admin")
    session.verify = ca_path
    good = 0
    time.sleep(0.2)
    while good < 2:
        if time.monotonic() > deadline:
            raise SystemExit("the simulated device did not come back within {0} s".format(timeout))
        try:
            good = good + 1 if session.get(url + "/api/v1/status", timeout=2).ok else 0
        except requests.RequestException:
            good = 0
        time.sleep(0.1)
    session.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", default="1G", help="size of the .cmp to upload (default 1G)")
    parser.add_argument("--pairs", type=int, default=3, help="client/curl pairs (default 3)")
    parser.add_argument("--api", choices=sorted(FIRMWARE), default="7.4", help="7.4: multipart upload; 1.0: raw octet-stream")
    parser.add_argument("--max-peak-mib", type=float, default=32.0, help="fail when the tracemalloc peak is above this")
    parser.add_argument("--client-upload", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ca-path", help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client_upload:
        return client_upload(args)
    if shutil.which("curl") is None:
        raise SystemExit("curl is needed for the comparison")
    running, new = FIRMWARE[args.api]

    with tempfile.TemporaryDirectory(prefix="upload-bench-") as work:
        load = Path(work) / "SIP_F{0}.cmp".format(new)
        subprocess.run([sys.executable, "-m", "simulator", "make-cmp", "--version", new, "--size", args.size, "-o", str(load)],
                       cwd=REPO, check=True)
        size_mib = os.path.getsize(load) / 2**20
        device = {"name": "sbc", "address": "127.0.0.1", "port": 0, "protocol": "https", "firmware": running,
                  "reset_seconds": 0.5}
        with SimulatedFleet([device], workdir=Path(work) / "sim") as fleet:
            target = fleet.devices["sbc"]
            url = target["url"]
            client_command = [sys.executable, str(Path(__file__).resolve()), "--client-upload", "--host", target["address"],
                              "--port", str(target["port"]), "--ca-path", fleet.ca_path, "--load", str(load)]
            if args.api == "1.0":
                curl_command = ["curl", "-sS", "--fail", "-u", "Admin:Admin", "--cacert", fleet.ca_path, "-T", str(load),
                                "-H", "Content-Type: application/octet-stream", url + "/api/v1/files/software"]
            else:
                curl_command = ["curl", "-sS", "--fail", "-u", "Admin:Admin", "--cacert", fleet.ca_path, "-X", "PUT",
                                "-F", "file=@{0};type=application/octet-stream".format(load), url + "/api/v1/files/software"]
            runs = {"client": [], "curl": []}
            for number in range(1, args.pairs + 1):
                out, elapsed, rss = run_measured(client_command)
                runs["client"].append({"seconds": json.loads(out)["seconds"], "process_seconds": elapsed, "peak_rss_mib": rss})
                wait_back(url, fleet.ca_path)
                _out, elapsed, rss = run_measured(curl_command)
                runs["curl"].append({"seconds": elapsed, "process_seconds": elapsed, "peak_rss_mib": rss})
                wait_back(url, fleet.ca_path)
                print("  pair {0}/{1}: client {2:.2f} s, curl {3:.2f} s".format(
                    number, args.pairs, runs["client"][-1]["seconds"], runs["curl"][-1]["seconds"]), file=sys.stderr)
            out, _elapsed, _rss = run_measured(client_command + ["--tracemalloc"])
            peak = json.loads(out)["tracemalloc_peak"]

    ratios = [client["process_seconds"] / curl["process_seconds"] for client, curl in zip(runs["client"], runs["curl"])]
    report = {
        "api": args.api,
        "file_mib": round(size_mib, 1),
        "pairs": args.pairs,
        "time_ratio_client_vs_curl_median": round(statistics.median(ratios), 3),
        "time_ratios": [round(ratio, 3) for ratio in ratios],
        "client_upload_mib_s_median": round(size_mib / statistics.median(run["seconds"] for run in runs["client"]), 1),
        "client_process_mib_s_median": round(size_mib / statistics.median(run["process_seconds"] for run in runs["client"]), 1),
        "curl_mib_s_median": round(size_mib / statistics.median(run["seconds"] for run in runs["curl"]), 1),
        "client_peak_rss_mib_median": round(statistics.median(run["peak_rss_mib"] for run in runs["client"]), 1),
        "curl_peak_rss_mib_median": round(statistics.median(run["peak_rss_mib"] for run in runs["curl"]), 1),
        "client_tracemalloc_peak_mib": round(peak / 2**20, 2),
    }
    print(json.dumps(report, indent=2))
    if report["client_tracemalloc_peak_mib"] > args.max_peak_mib:
        print("FAIL: tracemalloc peak {0} MiB > {1} MiB".format(report["client_tracemalloc_peak_mib"], args.max_peak_mib),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
