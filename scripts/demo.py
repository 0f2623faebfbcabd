"""`make demo`: start the default simulated device, run playbooks/demo.yml against it, stop it."""
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
HOST, PORT = "127.0.0.1", 8443


def wait_for_port(deadline_seconds=30):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, PORT), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the simulator did not open {HOST}:{PORT} within {deadline_seconds} s")


def main():
    BUILD.mkdir(exist_ok=True)
    # A factory-fresh device every time, so the demo shows the same run each time.
    state_dir = BUILD / "demo-state"
    shutil.rmtree(state_dir, ignore_errors=True)
    simulator = subprocess.Popen([sys.executable, "-m", "simulator", "--state-dir", str(state_dir)], cwd=REPO)
    try:
        wait_for_port()
        # Trust the device's own certificate, as a user would after fetching it once.
        ca_file = BUILD / "demo-device-ca.pem"
        ca_file.write_text(ssl.get_server_certificate((HOST, PORT)))
        env = dict(os.environ,
                   ANSIBLE_COLLECTIONS_PATH=str(BUILD / "collections"),
                   MEDIANT_USERNAME="Admin", MEDIANT_PASSWORD="Admin",
                   MEDIANT_CA_PATH=str(ca_file))
        command = [str(VENV_BIN / "ansible-playbook"), "-i", "playbooks/inventory/demo.yml", "playbooks/demo.yml"]
        return subprocess.call(command, cwd=REPO, env=env)
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
