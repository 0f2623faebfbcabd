# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Latency of one small REST request to the simulator: kept-alive connection versus a new one.

A client that keeps its connection alive (as the collection's client does) should be at least as
fast as one that connects anew for every request. A server that writes an answer's headers and
body in two small writes on a socket with Nagle's algorithm on holds the body until the client's
delayed ACK (~40 ms on Linux): then the kept-alive request is the slow one.

Starts its own simulated devices (one HTTPS, one HTTP) in a child process and prints, per
protocol, the median milliseconds of ``GET /api/v1/status`` kept-alive and on a fresh connection,
and the median of per-pair ratios (kept-alive / fresh, interleaved). Goal: ratio <= 1.

Usage:  .venv/bin/python bench/request_latency.py [--requests 40]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from simfleet import SimulatedFleet  # noqa: E402  pylint: disable=wrong-import-position


def timed_get(session, url):
    started = time.perf_counter()
    response = session.get(url, timeout=10)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def new_session(ca_path):
    session = requests.Session()
    session.trust_env = False  # a REQUESTS_CA_BUNDLE variable would override verify
    session.auth = ("Admin", "Admin")
    session.verify = ca_path
    return session


def measure(device, count, ca_path):
    url = device["url"] + "/api/v1/status"
    kept = new_session(ca_path)
    timed_get(kept, url)  # connect (and TLS handshake) before measuring
    kept_ms, fresh_ms = [], []
    for _pair in range(count):
        kept_ms.append(timed_get(kept, url))
        with new_session(ca_path) as fresh:
            fresh_ms.append(timed_get(fresh, url))
    kept.close()
    ratios = [k / f for k, f in zip(kept_ms, fresh_ms)]
    return {"kept_alive_ms": round(statistics.median(kept_ms), 2), "new_connection_ms": round(statistics.median(fresh_ms), 2),
            "ratio_kept_alive_vs_new": round(statistics.median(ratios), 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=40, help="pairs of requests per protocol (default 40)")
    args = parser.parse_args()
    devices = [{"name": "https-sbc", "address": "127.0.0.1", "port": 0, "protocol": "https"},
               {"name": "http-sbc", "address": "127.0.0.1", "port": 0, "protocol": "http"}]
    with SimulatedFleet(devices) as fleet:
        report = {name: measure(device, args.requests, fleet.ca_path) for name, device in fleet.devices.items()}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
