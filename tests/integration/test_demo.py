# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo` (scripts/demo.py) when its usual ports are taken, and when the simulator cannot start."""
from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_demo():
    spec = importlib.util.spec_from_file_location("mediant_demo_script", REPO / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_takes_free_ports_when_its_usual_ones_are_taken():
    demo = _load_demo()
    held = []
    for port in (demo.PORT, demo.CONTROL_PORT):
        holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            holder.bind((demo.HOST, port))
            holder.listen(1)
            held.append(holder)
        except OSError:        # already taken by something else: just as good for this test
            holder.close()
    try:
        env = {name: value for name, value in os.environ.items() if not name.startswith("MEDIANT_")}
        proc = subprocess.run([sys.executable, "scripts/demo.py"], cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
    finally:
        for holder in held:
            holder.close()
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "port 8443 (the device's REST API) is taken; using a free port instead" in output
    assert "port 8440 (the simulator's control API) is taken; using a free port instead" in output
    port = int(re.search(r"simulated device at https://127\.0\.0\.1:(\d+)", output).group(1))
    assert port != 8443
    assert "failed=0" in output and "Second run changed: False" in output


def test_demo_fails_fast_with_the_reason_when_the_simulator_cannot_start(tmp_path, monkeypatch):
    demo = _load_demo()
    monkeypatch.setattr(demo, "BUILD", tmp_path)
    not_a_directory = tmp_path / "state"
    not_a_directory.write_text("a file where the state directory should be")
    with pytest.raises(SystemExit) as stopped:
        demo.start_simulator(not_a_directory, tmp_path / "ready.json")
    assert str(stopped.value).startswith("demo: the simulator stopped before it listened (exit code ")


def test_the_fleet_demo_moves_to_a_free_port_when_8443_is_taken_on_its_addresses():
    """The fleet part of `make demo` (scripts/demo_fleet.py): its devices' usual port taken on one of
    their addresses, it picks one port free on all of them, says so, and the playbooks use it."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind(("127.0.25.3", 8443))
        holder.listen(1)
        env = {name: value for name, value in os.environ.items() if not name.startswith("MEDIANT_")}
        proc = subprocess.run([sys.executable, "scripts/demo_fleet.py"], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=900, check=False)
    finally:
        holder.close()
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    moved = re.search(r"demo: port 8443 is taken on 127\.0\.25\.3; the example fleet uses port (\d+) instead", output)
    assert moved, output[:2000]
    assert f"-e mediant_port={moved.group(1)}" in output
    assert "After the converge (read back from each device):" in output and "The fleet report:" in output


def test_the_fleet_demo_fails_fast_when_no_port_is_free_on_all_its_addresses(monkeypatch):
    spec = importlib.util.spec_from_file_location("mediant_demo_fleet_script", REPO / "scripts" / "demo_fleet.py")
    fleet_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fleet_demo)
    monkeypatch.setattr(fleet_demo, "bindable", lambda address, port: address != "127.0.25.2")
    with pytest.raises(SystemExit) as stopped:
        fleet_demo.choose_port(["127.0.25.1", "127.0.25.2"], 8443)
    assert str(stopped.value) == ("demo: port 8443 is taken on 127.0.25.2 and no port is free on all of 127.0.25.1, "
                                  "127.0.25.2; stop what listens there and run make demo again")
    assert fleet_demo.choose_port(["127.0.25.1"], 8443) == 8443
