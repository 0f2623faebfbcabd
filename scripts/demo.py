"""`make demo`: start the default simulated device, run playbooks/demo.yml against it, stop it.

The device listens on 127.0.0.1:8443 and the simulator's control API on 8440 when those ports
are free; when one is taken (another simulator, another service) the demo takes free ports
instead and says which. It fails fast, with the reason, when the simulator cannot start.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / ".build"
VENV_BIN = Path(sys.executable).parent
HOST, PORT, CONTROL_PORT = "127.0.0.1", 8443, 8440
START_SECONDS = 30


def free(port):
    """Whether ``port`` on HOST can be listened on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def choose(port, what):
    """``port`` when free, else 0 (the simulator then takes a free one), saying so."""
    if free(port):
        return port
    print(f"demo: port {port} ({what}) is taken; using a free port instead", flush=True)
    return 0


def start_simulator(state_dir, ready_file):
    """Start the simulator; (process, device port, control URL) once it listens, else exit with the reason."""
    ready_file.unlink(missing_ok=True)
    log = BUILD / "demo-simulator.log"
    command = [sys.executable, "-m", "simulator", "--state-dir", str(state_dir), "--ready-file", str(ready_file),
               "--port", str(choose(PORT, "the device's REST API")),
               "--control-port", str(choose(CONTROL_PORT, "the simulator's control API"))]
    with open(log, "w", encoding="utf-8") as output:
        simulator = subprocess.Popen(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_SECONDS
    while not ready_file.exists():
        if simulator.poll() is not None:
            raise SystemExit(f"demo: the simulator stopped before it listened (exit code {simulator.returncode}):\n"
                             f"{log.read_text(encoding='utf-8').strip()}")
        if time.monotonic() > deadline:
            simulator.terminate()
            raise SystemExit(f"demo: the simulator did not listen within {START_SECONDS} s; its log: {log}")
        time.sleep(0.1)
    ready = json.loads(ready_file.read_text(encoding="utf-8"))
    device = next(iter(ready["devices"].values()))
    return simulator, device["port"], ready["control_url"]


def main():
    BUILD.mkdir(exist_ok=True)
    # A factory-fresh device every time, so the demo shows the same run each time.
    state_dir = BUILD / "demo-state"
    shutil.rmtree(state_dir, ignore_errors=True)
    simulator, port, control_url = start_simulator(state_dir, BUILD / "demo-ready.json")
    try:
        print(f"demo: simulated device at https://{HOST}:{port}, control API at {control_url}", flush=True)
        # Trust the device's own certificate, as a user would after fetching it once.
        ca_file = BUILD / "demo-device-ca.pem"
        ca_file.write_text(ssl.get_server_certificate((HOST, port)))
        env = dict(os.environ,
                   ANSIBLE_COLLECTIONS_PATH=str(BUILD / "collections"),
                   MEDIANT_USERNAME="Admin", MEDIANT_PASSWORD="Admin",
                   MEDIANT_CA_PATH=str(ca_file))
        command = [str(VENV_BIN / "ansible-playbook"), "-i", "playbooks/inventory/demo.yml", "playbooks/demo.yml",
                   "-e", f"mediant_port={port}"]
        return subprocess.call(command, cwd=REPO, env=env)
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
