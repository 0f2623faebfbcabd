# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the integration tests read from and do to a simulated device besides running plays."""
from __future__ import annotations

from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
# Fields of the snapshot that change with the clock alone.
VOLATILE = ("uptime",)


def stable(snapshot):
    """The snapshot without what moves by itself (uptimes, an HA pair's units' too), for before/after comparisons."""
    kept = {key: value for key, value in snapshot.items() if key not in VOLATILE}
    pair = (kept.get("ha") or {}).get("pair")
    if pair:
        units = [{key: value for key, value in unit.items() if key not in VOLATILE} for unit in pair["units"]]
        kept["ha"] = {**kept["ha"], "pair": {**pair, "units": units}}
    return kept


def config_state(device, *extra):
    """The configuration part of the device's state (running, saved, whether a save is due)."""
    snapshot = device.snapshot()
    return {key: snapshot[key] for key in ("running_config", "saved_config", "save_needed", *extra)}


def control(fleet, device, action, body):
    """POST to the simulator's control API for this device (faults, sync windows, hung resets)."""
    response = requests.post(f"{fleet.control_url}/devices/{device.name}/{action}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def device_file(device, tmp_path, path):
    """A file as the device serves it to a Security Administrator (GET /api/v1/<path>), over verified HTTPS."""
    ca_file = tmp_path / "device-ca.pem"
    ca_file.write_text(device.certificate_pem())
    response = requests.get(f"{device.url}/api/v1/{path}", auth=("Admin", "Admin"), verify=str(ca_file), timeout=10)
    response.raise_for_status()
    return response.text


def guard_uploads(device, path):
    """A fault on an upload resource: still pending after the play means nothing was sent there."""
    device.inject_fault(path=path, method="PUT", status=500, count=1)


def guard_still_pending(device, path):
    return any(fault["path"].endswith(path) for fault in device.snapshot()["faults"])
