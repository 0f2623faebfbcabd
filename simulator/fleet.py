"""A fleet of simulated devices in one process, plus the control API listener."""

from __future__ import annotations

import threading
from pathlib import Path

import yaml

from simulator.control import ControlServer
from simulator.device import Device


class Fleet:
    """``with Fleet(state_dir=...) as fleet: dev = fleet.add_device({"name": "sbc1"})``."""

    def __init__(self, state_dir, control_port: int = 0, control_address: str = "127.0.0.1"):
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.devices: dict[str, Device] = {}
        self._lock = threading.Lock()
        self._control = ControlServer(self, control_address, control_port)
        self.started = False

    @classmethod
    def from_file(cls, path, state_dir, control_port: int = 0) -> "Fleet":
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
            raise ValueError(f"{path}: a fleet file holds a 'devices:' list")
        fleet = cls(state_dir, control_port=control_port)
        for spec in data["devices"]:
            fleet.add_device(spec)
        return fleet

    @property
    def control_url(self) -> str:
        return self._control.url

    def add_device(self, spec: dict) -> Device:
        with self._lock:
            if spec.get("name") in self.devices:
                raise ValueError(f"a device named {spec.get('name')!r} already exists")
            device = Device(spec, self.state_dir)
            self.devices[device.name] = device
        if self.started:
            device.start()
        return device

    def remove_device(self, name: str) -> None:
        """Stop a device and forget it (its flash stays in the state directory)."""
        with self._lock:
            device = self.devices.pop(name)
        device.stop()

    def device(self, name: str) -> Device:
        return self.devices[name]

    def __getitem__(self, name: str) -> Device:
        return self.devices[name]

    def start(self) -> "Fleet":
        if not self.started:
            self._control.start()
            for device in list(self.devices.values()):
                device.start()
            self.started = True
        return self

    def stop(self) -> None:
        for device in list(self.devices.values()):
            device.stop()
        self._control.stop()
        self.started = False

    def __enter__(self) -> "Fleet":
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
