"""`make demo`, the fleet part: start the example fleet (simulator/fleets/example.yml), show its
drift from the inventory playbooks/inventory/fleet/ (check mode, nothing sent), converge it, show
that nothing is left, and write the fleet report (playbooks/report.yml) with that drift."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import yaml

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / ".build"
VENV_BIN = Path(sys.executable).parent
INVENTORY = "playbooks/inventory/fleet"
FLEET = "simulator/fleets/example.yml"
EXTRA_ARGS = []  # -e mediant_port=<free port> when the fleet had to move (extra vars win over host_vars)


def bindable(address, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def choose_port(addresses, usual):
    """``usual`` when every address can listen on it, else one free port they all can (saying so)."""
    taken = [address for address in addresses if not bindable(address, usual)]
    if not taken:
        return usual
    for _attempt in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((addresses[0], 0))
            port = probe.getsockname()[1]
        if all(bindable(address, port) for address in addresses):
            print(f"demo: port {usual} is taken on {', '.join(taken)}; the example fleet uses port {port} instead",
                  flush=True)
            return port
    raise SystemExit(f"demo: port {usual} is taken on {', '.join(taken)} and no port is free on all of "
                     f"{', '.join(addresses)}; stop what listens there and run make demo again")


def fleet_file(work):
    """The example fleet, on a free port when its usual one is taken (the playbooks then get mediant_port)."""
    fleet = yaml.safe_load((REPO / FLEET).read_text())
    usual = fleet["devices"][0]["port"]
    port = choose_port([device["address"] for device in fleet["devices"]], usual)
    if port == usual:
        return FLEET, None
    for device in fleet["devices"]:
        device["port"] = port
    path = work / "fleet.yml"
    path.write_text(yaml.safe_dump(fleet, sort_keys=False))
    return str(path), port


def start_fleet(work, fleet):
    ready = work / "ready.json"
    log = open(work / "simulator.log", "w", encoding="utf-8")  # pylint: disable=consider-using-with
    simulator = subprocess.Popen([sys.executable, "-m", "simulator", "--fleet", fleet,
                                  "--state-dir", str(work / "state"), "--control-port", "0", "--ready-file", str(ready)],
                                 cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not ready.exists():
        if simulator.poll() is not None or time.monotonic() > deadline:
            simulator.kill()
            raise SystemExit("demo: the example fleet did not start; the simulator's log:\n"
                             + (work / "simulator.log").read_text())
        time.sleep(0.2)
    return simulator, json.loads(ready.read_text())


def playbook(name, env, *args):
    command = [str(VENV_BIN / "ansible-playbook"), "-i", INVENTORY, f"playbooks/{name}", *args, *EXTRA_ARGS]
    print("\n$ " + " ".join(command[1:]), flush=True)
    return subprocess.call(command, cwd=REPO, env=env)


def summary(drift_dir, title):
    print(f"\n{title}")
    for path in sorted(drift_dir.glob("*.json")):
        document = json.loads(path.read_text())
        state = "in sync" if document["in_sync"] else f"{document['summary']['total']} differences"
        print(f"  {document['host']:<12} {state}")


def main():
    work = BUILD / "demo-fleet"
    shutil.rmtree(work, ignore_errors=True)  # factory-fresh devices every time
    work.mkdir(parents=True)
    fleet, port = fleet_file(work)
    if port is not None:
        EXTRA_ARGS.extend(["-e", f"mediant_port={port}"])
    simulator, ready = start_fleet(work, fleet)
    try:
        # One CA file that trusts every device's self-signed certificate, as a user would keep.
        ca_file = work / "fleet-ca.pem"
        ca_file.write_text("".join(urlopen(f"{ready['control_url']}/devices/{name}/certificate").read().decode()
                                   for name in ready["devices"]))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(BUILD / "collections"),
                   MEDIANT_USERNAME="Admin", MEDIANT_PASSWORD="Admin", MEDIANT_CA_PATH=str(ca_file),
                   ANSIBLE_DISPLAY_SKIPPED_HOSTS="false")
        drift_dir = work / "drift"
        if playbook("fleet_config.yml", env, "--check", "--diff", "-e", f"config_drift_dir={drift_dir}") != 0:
            return 1
        summary(drift_dir, "Drift before the converge (check mode, nothing was sent):")
        # The converge: only what changes is worth a line.
        quiet = dict(env, ANSIBLE_DISPLAY_OK_HOSTS="false")
        if playbook("fleet_config.yml", quiet, "-e", f"config_drift_dir={drift_dir}", "-e", "config_show_commands=false") != 0:
            return 1
        summary(drift_dir, "After the converge (read back from each device):")
        report_dir = work / "report"
        if playbook("report.yml", quiet, "-e", f"report_drift_dir={drift_dir}", "-e", f"report_dir={report_dir}") != 0:
            return 1
        print(f"\nThe fleet report: {report_dir / 'fleet-report.html'} (also .md and .json beside it)")
        return 0
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
