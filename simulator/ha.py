"""HA pairs: two units behind one managed (OAMP) address, and the sequences the device runs itself.

The one place for the simulator's HA vocabulary: the ``highAvailability`` strings of ``GET
/status``, what a unit is doing, the phases of the sequences (hitless upgrade, joining,
synchronization) and the faults that can be attached to them. The model and every choice are
written in docs/ha.md.

Threads: one worker thread per pair runs at most one sequence at a time (hitless upgrade, a unit
joining, a switchover, a synchronization window). State changes happen under the device lock;
waits happen outside it on an event that a kill, a cleared fault or a stop wakes up.
"""

from __future__ import annotations

import hashlib
import threading
import time

# ---------------------------------------------------------------------------------- status strings
STAND_ALONE_V74 = "Not Operational"          # the v7.4 guide's example (a device without HA)
STAND_ALONE_V10 = "Stand Alone"              # the v1.0 guide's example
PAIR_OPERATIONAL = "Operational"             # both units up, the redundant one synchronized
PAIR_SYNCHRONIZING = "Synchronizing"         # the redundant unit is up and receiving the active's state
PAIR_REDUNDANT_NOT_AVAILABLE = "Redundant Not Available"   # the active runs alone (redundant installing, resetting, down)

# ---------------------------------------------------------------------------------- unit states
ACTIVE = "active"
REDUNDANT = "redundant"
SYNCHRONIZING = "synchronizing"
INSTALLING = "installing"
RESETTING = "resetting"
DOWN = "down"
UP_STATES = (ACTIVE, REDUNDANT, SYNCHRONIZING)

# ---------------------------------------------------------------------------------- phases
IDLE = "idle"
# The hitless sequence (files/software/hitless), in order.
HITLESS_PHASES = ("redundant_install", "redundant_reset", "redundant_sync", "switchover",
                  "peer_install", "peer_reset", "peer_sync")
# A unit joining the pair (revived, after a full reset, or brought to the active's version).
JOIN_PHASES = ("join_reset", "align_install", "align_reset", "sync")
PHASES = (IDLE,) + HITLESS_PHASES + JOIN_PHASES + ("reset",)

# fault → the phases it may be attached to (the first is the default)
FAULTS = {
    "never_returns": ("redundant_reset", "peer_reset"),        # the unit stays down after its reset
    "boot_fails": ("redundant_reset", "reset"),                 # the new load does not boot: old version again
    "no_switchover": ("switchover",),                           # the switchover does not happen
    "sync_never_ends": ("redundant_sync", "peer_sync", "sync"),  # synchronization never finishes
}
# Faults that hold a phase until cleared (the others happen once and are used up).
HOLDING_FAULTS = ("never_returns", "sync_never_ends")

TIMING_KEYS = ("install_seconds", "sync_seconds", "switchover_seconds")
DEFAULT_TIMINGS = {"install_seconds": 0.5, "sync_seconds": 0.5, "switchover_seconds": 0.5}
UNIT_KEYS = {"name", "serial", "firmware", "license_key", "mac"}
PAIR_KEYS = {"units", "active"} | set(TIMING_KEYS)

BUSY_UPGRADE = "Device is performing a hitless software upgrade; try again when it has finished"
HA_SYNC_DESCRIPTION = "Device is currently performing HA synchronization"


def _digits(text: str, count: int) -> str:
    number = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    return str(number)[:count].rjust(count, "0")


def default_serial(name: str) -> str:
    return "10" + _digits(name, 13)


def default_mac(serial: str) -> str:
    return "00908f" + hashlib.sha256(serial.encode()).hexdigest()[:6]


class PhaseFaults:
    """Faults attached to phases (control API ``phase-faults``); stand-alone devices use phase ``reset``."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[dict] = []

    @staticmethod
    def validate(fault: str, phase: str | None) -> dict:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
        phase = phase or FAULTS[fault][0]
        if phase not in FAULTS[fault]:
            raise ValueError(f"fault {fault} applies to the phases {', '.join(FAULTS[fault])}, not {phase!r}")
        return {"fault": fault, "phase": phase}

    def add(self, fault: str, phase: str | None = None) -> dict:
        entry = self.validate(fault, phase)
        with self._lock:
            self._faults.append(entry)
        return dict(entry)

    def take(self, fault: str, phase: str) -> bool:
        """Use up a one-shot fault attached to ``phase``."""
        with self._lock:
            for entry in self._faults:
                if entry == {"fault": fault, "phase": phase}:
                    self._faults.remove(entry)
                    return True
        return False

    def holds(self, fault: str, phase: str) -> bool:
        with self._lock:
            return {"fault": fault, "phase": phase} in self._faults

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def snapshot(self) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._faults]


class Unit:
    """One of the two devices of a pair: its own serial, MAC, flash (firmware, license key), boot."""

    def __init__(self, index: int, name: str, serial: str, mac: str, installed: str, license_key: str):
        self.index = index
        self.name = name
        self.serial = serial
        self.mac = mac
        # What the unit's flash holds (the device's "identity" dict: firmware, license_key).
        self.identity = {"firmware": installed, "license_key": license_key}
        self.firmware = installed          # what it runs now
        self.state = DOWN
        self.powered_off = False        # killed through the control API: stays down until revived
        self.boot_monotonic = time.monotonic()
        self.boot_count = 0

    @property
    def source(self) -> str:
        return f"System#0/Module#{self.index}"

    @property
    def up(self) -> bool:
        return self.state in UP_STATES

    @property
    def uptime(self) -> int:
        return int(time.monotonic() - self.boot_monotonic) if self.up else 0

    def boot(self) -> None:
        self.firmware = self.identity["firmware"]
        self.boot_monotonic = time.monotonic()
        self.boot_count += 1

    def to_json(self) -> dict:
        return {"name": self.name, "serial": self.serial, "mac": self.mac, **self.identity}

    def snapshot(self) -> dict:
        return {"name": self.name, "serial": self.serial, "state": self.state, "firmware": self.firmware,
                "installed_firmware": self.identity["firmware"], "license_key": self.identity["license_key"],
                "uptime": self.uptime, "boot_count": self.boot_count}


def pair_spec(spec: dict) -> dict | None:
    """The pair part of a device spec: ``ha: {units: [...]}``, or the older ``ha_partner: <name>`` shorthand."""
    pair = spec.get("ha")
    if pair is None and spec.get("ha_partner"):
        pair = {"units": [{"name": spec["name"]}, {"name": str(spec["ha_partner"])}]}
        if spec.get("serial"):
            pair["units"][0]["serial"] = str(spec["serial"])
    if pair is None:
        return None
    if not isinstance(pair, dict):
        raise ValueError(f"device {spec['name']}: 'ha' must be a mapping with 'units'")
    unknown = set(pair) - PAIR_KEYS
    if unknown:
        raise ValueError(f"device {spec['name']}: unknown keys in 'ha': {sorted(unknown)} (known: {sorted(PAIR_KEYS)})")
    units = pair.get("units")
    if not isinstance(units, list) or len(units) != 2 or not all(isinstance(unit, dict) for unit in units):
        raise ValueError(f"device {spec['name']}: 'ha.units' must list exactly two units")
    for number, unit in enumerate(units, start=1):
        unknown = set(unit) - UNIT_KEYS
        if unknown:
            raise ValueError(f"device {spec['name']}: unknown keys in unit {number}: {sorted(unknown)} (known: {sorted(UNIT_KEYS)})")
    names = [str(unit.get("name") or f"{spec['name']}-{'ab'[number]}") for number, unit in enumerate(units)]
    if names[0] == names[1]:
        raise ValueError(f"device {spec['name']}: the two units need different names")
    if pair.get("active") is not None and pair["active"] not in names:
        raise ValueError(f"device {spec['name']}: 'ha.active' must name one of the units {names}")
    for key in TIMING_KEYS:
        value = pair.get(key, DEFAULT_TIMINGS[key])
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"device {spec['name']}: 'ha.{key}' must be a number of seconds >= 0")
    return pair


class HaPair:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """The pair behind one device (managed address). ``device`` serves the active unit's identity."""

    def __init__(self, device, pair: dict, default_firmware: str, make_license):
        self.device = device
        self.timings = {key: float(pair.get(key, DEFAULT_TIMINGS[key])) for key in TIMING_KEYS}
        stored = device.flash.read("ha.json")
        self.units: list[Unit] = []
        for index, unit_spec in enumerate(pair["units"]):
            name = str(unit_spec.get("name") or f"{device.name}-{'ab'[index]}")
            serial = str(unit_spec.get("serial") or default_serial(f"{device.name}/{name}"))
            saved = (stored or {}).get("units", {}).get(name, {})
            firmware = saved.get("firmware") or unit_spec.get("firmware") or default_firmware
            license_key = saved.get("license_key") or unit_spec.get("license_key") or make_license(serial)
            self.units.append(Unit(index + 1, name, serial, unit_spec.get("mac") or default_mac(serial), firmware, license_key))
        wanted = (stored or {}).get("active") or pair.get("active") or self.units[0].name
        self.active = next(unit for unit in self.units if unit.name == wanted)
        self.phase = IDLE
        self.operation: str | None = None      # what the worker runs: hitless, join, switchover, sync
        self.sequence_log: list[dict] = []     # phases of the last sequence, with timestamps
        self.synced = True                     # the redundant unit holds the active's current state
        self.synced_state: dict | None = None  # what the redundant unit holds (for a failover before a sync)
        self._sync_until = 0.0
        self.switchovers = 0                   # since the pair's last full boot (the haStats KPI)
        self._epoch = 0                        # bumped by kill/stop: a running sequence gives up
        self._wake = threading.Event()
        self._worker: threading.Thread | None = None
        self.persist()

    # ------------------------------------------------------------------ views

    @property
    def redundant(self) -> Unit:
        return self.units[1] if self.active is self.units[0] else self.units[0]

    def unit(self, name: str) -> Unit:
        for unit in self.units:
            if unit.name == name:
                return unit
        raise KeyError(name)

    @property
    def synchronizing(self) -> bool:
        return self.redundant.state == SYNCHRONIZING

    @property
    def ha_state(self) -> str:
        if self.device.sync_window or self.redundant.state == SYNCHRONIZING:
            return PAIR_SYNCHRONIZING
        if self.redundant.state == REDUNDANT:
            return PAIR_OPERATIONAL
        return PAIR_REDUNDANT_NOT_AVAILABLE

    @property
    def operational(self) -> bool:
        return self.ha_state == PAIR_OPERATIONAL

    def write_refusal(self) -> str | None:
        """The 409 description for a write now, or None when writes are served."""
        if self.synchronizing:
            return HA_SYNC_DESCRIPTION
        if self.operation == "hitless" or (self.operation == "join" and self.phase.startswith("align")):
            return BUSY_UPGRADE
        return None

    def persist(self) -> None:
        self.device.flash.write("ha.json", {"active": self.active.name, "units": {unit.name: unit.to_json() for unit in self.units}})

    def snapshot(self) -> dict:
        return {"state": self.ha_state, "active": self.active.name, "active_serial": self.active.serial,
                "phase": self.phase, "operation": self.operation, "synced": self.synced,
                "units": [unit.snapshot() for unit in self.units], "timings": dict(self.timings),
                "sequence": [dict(step) for step in self.sequence_log]}

    # ------------------------------------------------------------------ alarms

    def _raise_fault_alarm(self, text: str) -> None:
        self.device.alarms.raise_alarm("ha_fault", text, key="ha_fault", source=self.redundant.source)

    def _clear_fault_alarm(self) -> None:
        self.device.alarms.clear("ha_fault")

    def _sync_alarm(self, on: bool) -> None:
        if on:
            self.device.alarms.raise_alarm("ha_sync", "HA synchronization in progress", source=self.redundant.source)
        elif not self.device.sync_window:
            self.device.alarms.clear("ha_sync")

    # ------------------------------------------------------------------ boot (whole pair)

    def boot_units(self, reason: str | None) -> None:
        """A boot of the whole address (start, full reset): both units boot; called under the device lock."""
        self._epoch += 1
        self._wake.set()
        self.operation = None
        self.switchovers = 0
        pending = [unit for unit in self.units if unit.identity["firmware"] != unit.firmware]
        if reason is not None and pending and self.device.phase_faults.take("boot_fails", "reset"):
            for unit in pending:
                self._boot_failed(unit)
        if reason is None:
            for unit in self.units:
                unit.powered_off = False
        if self.active.powered_off:
            self.active = self.redundant
            self.persist()
        for unit in self.units:
            if not unit.powered_off:
                unit.boot()
        self.active.state = ACTIVE
        if self.redundant.powered_off:
            self.redundant.state = DOWN
            self._raise_fault_alarm(f"HA system fault: redundant unit {self.redundant.serial} is not available (no connection)")
        elif reason is None and self.redundant.firmware == self.active.firmware:
            # The simulator starting: the pair was running before, it comes up operational.
            self.redundant.state = REDUNDANT
            self.synced = True
            self.synced_state = self.device.replicable_state()
        else:
            self.redundant.state = SYNCHRONIZING
            self._start("join", self._join_sequence, self.redundant, False)

    def _boot_failed(self, unit: Unit) -> None:
        failed = unit.identity["firmware"]
        unit.identity["firmware"] = unit.firmware
        self.persist()
        self.device.alarms.event("software_changed", f"Unit {unit.serial} could not boot software load {failed}; "
                                                     f"it runs {unit.firmware} again", severity="Major", source=unit.source)

    # ------------------------------------------------------------------ the worker

    def _start(self, operation: str, target, *args) -> None:
        if self._worker is not None and self._worker.is_alive() and self.operation is not None:
            raise RuntimeError(f"the pair is busy ({self.operation})")
        self.operation = operation
        self.sequence_log = []
        epoch = self._epoch
        self._worker = threading.Thread(target=self._run, args=(epoch, target, args), name=f"ha-{self.device.name}", daemon=True)
        self._worker.start()

    def _run(self, epoch: int, target, args) -> None:
        try:
            target(epoch, *args)
        except _Abandoned:
            pass
        finally:
            with self.device.lock:
                if self._epoch == epoch:
                    self.operation = None
                    self.phase = IDLE
                    self._sync_alarm(False)

    def _enter(self, epoch: int, phase: str, unit: Unit, state: str | None = None) -> None:
        with self.device.lock:
            self._check(epoch)
            now = time.time()
            if self.sequence_log and self.sequence_log[-1].get("ended") is None:
                self.sequence_log[-1]["ended"] = now
            self.phase = phase
            self.sequence_log.append({"phase": phase, "unit": unit.name, "serial": unit.serial, "started": now, "ended": None})
            if state is not None:
                unit.state = state

    def _check(self, epoch: int) -> None:
        if epoch != self._epoch or self.device.stopping:
            raise _Abandoned()

    def _wait(self, epoch: int, seconds: float, hold=None) -> None:
        """Sleep ``seconds``, then as long as ``hold()`` is true; give up when the epoch moves."""
        deadline = time.monotonic() + seconds
        while True:
            self._check(epoch)
            left = deadline - time.monotonic()
            if left <= 0 and not (hold and hold()):
                return
            self._wake.wait(max(0.02, min(left, 0.2)) if left > 0 else 0.2)
            self._wake.clear()

    def _finish_log(self) -> None:
        if self.sequence_log and self.sequence_log[-1].get("ended") is None:
            self.sequence_log[-1]["ended"] = time.time()

    # ------------------------------------------------------------------ sequences

    def _reset_unit(self, epoch: int, phase: str, unit: Unit) -> bool:
        """Reset ``unit`` (phase ``phase``); False when its new load failed to boot (it runs the old one)."""
        self._enter(epoch, phase, unit, RESETTING)
        self._wait(epoch, self.device.reset_seconds, hold=lambda: self.device.phase_faults.holds("never_returns", phase))
        with self.device.lock:
            self._check(epoch)
            booted = True
            if unit.identity["firmware"] != unit.firmware and self.device.phase_faults.take("boot_fails", phase):
                self._boot_failed(unit)
                booted = False
            elif unit.identity["firmware"] != unit.firmware:
                self.device.alarms.event("software_changed", f"Unit {unit.serial} runs software load {unit.identity['firmware']} "
                                                             f"(was {unit.firmware})", source=unit.source)
            unit.boot()
            unit.state = SYNCHRONIZING if unit is not self.active else ACTIVE
            return booted

    def _sync(self, epoch: int, phase: str, unit: Unit) -> None:
        self._enter(epoch, phase, unit, SYNCHRONIZING)
        with self.device.lock:
            self._clear_fault_alarm()
            self._sync_alarm(True)
        self._wait(epoch, self.timings["sync_seconds"], hold=lambda: self.device.phase_faults.holds("sync_never_ends", phase))
        with self.device.lock:
            self._check(epoch)
            unit.state = REDUNDANT
            self.synced = True
            self.synced_state = self.device.replicable_state()
            self._sync_alarm(False)
            self.device.alarms.clear("ha_switchover")
            self._finish_log()

    def _install(self, epoch: int, phase: str, unit: Unit, version: str, why: str) -> None:
        self._enter(epoch, phase, unit, INSTALLING)
        with self.device.lock:
            unit.identity["firmware"] = version
            self.persist()
            self._raise_fault_alarm(f"HA system fault: redundant unit {unit.serial} is not available ({why})")
        self._wait(epoch, self.timings["install_seconds"])

    def _join_sequence(self, epoch: int, unit: Unit, after_reset: bool) -> None:
        """A unit comes (back) up and joins as redundant: brought to the active's version, then synchronized."""
        if after_reset:
            self._reset_unit(epoch, "join_reset", unit)
        active_version = self.active.firmware
        if unit.firmware != active_version:
            # The manuals: a redundant unit on another version than the active is loaded with the active's.
            self._install(epoch, "align_install", unit, active_version,
                          f"loading the active unit's version {active_version}, it ran {unit.firmware}")
            self._reset_unit(epoch, "align_reset", unit)
        self._sync(epoch, "sync", unit)

    def _hitless_sequence(self, epoch: int, version: str) -> None:
        first, second = self.redundant, self.active
        previous = second.firmware
        self._install(epoch, "redundant_install", first, version, f"installing software load {version}")
        if not self._reset_unit(epoch, "redundant_reset", first):
            self._sync(epoch, "redundant_sync", first)
            self.device.alarms.event("software_changed", f"Hitless upgrade to {version} abandoned: the load did not boot "
                                                         f"on unit {first.serial}; the pair runs {previous}", severity="Major")
            return
        self._sync(epoch, "redundant_sync", first)
        self._enter(epoch, "switchover", first)
        if self.device.phase_faults.take("no_switchover", "switchover"):
            self.device.alarms.event("ha_fault", f"Switchover to unit {first.serial} failed; hitless upgrade to {version} "
                                                 f"abandoned, unit {first.serial} is loaded with {previous} again",
                                     severity="Major", source=first.source)
            self._install(epoch, "align_install", first, previous, f"loading the active unit's version {previous}")
            self._reset_unit(epoch, "align_reset", first)
            self._sync(epoch, "sync", first)
            return
        self._switch(epoch, first, f"hitless software upgrade to {version}")
        self._install(epoch, "peer_install", second, version, f"installing software load {version}")
        self._reset_unit(epoch, "peer_reset", second)
        self._sync(epoch, "peer_sync", second)
        with self.device.lock:
            self.device.alarms.event("software_changed", f"Hitless software upgrade to {version} completed; "
                                                         f"unit {first.serial} is active")

    def _switch(self, epoch: int, to: Unit, reason: str) -> None:
        """The OAMP address moves to ``to``: connections drop, then the other unit answers."""
        with self.device.lock:
            self._check(epoch)
        self.device.serve_unit(to, self.timings["switchover_seconds"], reason)

    def _switchover_sequence(self, epoch: int) -> None:
        old = self.active
        self._enter(epoch, "switchover", self.redundant)
        self._switch(epoch, self.redundant, "switchover requested")
        self._sync(epoch, "sync", old)

    def _sync_window_sequence(self, epoch: int) -> None:
        unit = self.redundant
        self._enter(epoch, "sync", unit, SYNCHRONIZING)
        with self.device.lock:
            self._sync_alarm(True)
        while True:
            self._wait(epoch, max(0.0, self._sync_until - time.monotonic()),
                       hold=lambda: self.device.phase_faults.holds("sync_never_ends", "sync"))
            with self.device.lock:
                self._check(epoch)
                if time.monotonic() >= self._sync_until:
                    unit.state = REDUNDANT
                    self.synced = True
                    self.synced_state = self.device.replicable_state()
                    self._sync_alarm(False)
                    self.device.alarms.clear("ha_switchover")
                    self._finish_log()
                    return

    # ------------------------------------------------------------------ what the device and control API call

    def begin_hitless(self, version: str) -> None:
        """Called under the device lock once the load was received; the answer 200 goes out before it starts."""
        self._start("hitless", self._hitless_sequence, version)

    def hitless_refusal(self) -> str | None:
        """Why a hitless upload cannot start now (checked before the upload is read), or None."""
        if self.operation == "hitless":
            return BUSY_UPGRADE
        if self.synchronizing:
            return HA_SYNC_DESCRIPTION
        if self.redundant.state != REDUNDANT or self.operation is not None:
            return ("Hitless software upgrade requires an operational HA system; the redundant unit is "
                    f"{self.redundant.state} (HA state {self.ha_state})")
        return None

    def replicate(self) -> None:
        """A configuration, certificate or license change on the active: the redundant gets it after a sync window."""
        self.synced = False
        if self.redundant.state == REDUNDANT and self.operation is None:
            self._sync_until = time.monotonic() + self.timings["sync_seconds"]
            self._start("sync", self._sync_window_sequence)
        elif self.operation == "sync":
            self._sync_until = time.monotonic() + self.timings["sync_seconds"]

    def switchover(self) -> None:
        if self.redundant.state != REDUNDANT or self.operation is not None:
            raise RuntimeError(f"no switchover: the redundant unit is {self.redundant.state}"
                               + (f" and the pair is busy ({self.operation})" if self.operation else ""))
        self._start("switchover", self._switchover_sequence)

    def kill(self, unit: Unit) -> None:
        """Power a unit off. The active one fails over to the redundant if that one is up."""
        if unit.state == DOWN:
            return
        self._epoch += 1
        self._wake.set()
        self.operation = None
        self.phase = IDLE
        other = self.redundant if unit is self.active else self.active
        unit.state = DOWN
        unit.powered_off = True
        self._sync_alarm(False)
        if unit is not self.active:
            self._raise_fault_alarm(f"HA system fault: redundant unit {unit.serial} is not available (no connection)")
            return
        if other.up:
            if not self.synced and self.synced_state is not None:
                self.device.restore_replicated(self.synced_state)   # changes not yet synchronized are lost
            threading.Thread(target=self.device.serve_unit, args=(other, self.timings["switchover_seconds"], f"unit {unit.serial} failed"),
                             name=f"failover-{self.device.name}", daemon=True).start()
            return
        self.device.go_down()

    def revive(self, unit: Unit) -> None:
        if unit.state != DOWN:
            raise RuntimeError(f"unit {unit.name} is {unit.state}, not down")
        unit.powered_off = False
        if not self.active.up:
            self.active = unit
            self.persist()
            self.device.reset(save=False, reason=f"unit {unit.serial} powered on")
            return
        self._epoch += 1
        self._wake.set()
        self.operation = None
        unit.state = RESETTING
        self._start("join", self._join_sequence, unit, True)

    def became_active(self, unit: Unit) -> None:
        """After the device switched its address to ``unit`` (hitless, forced switchover or failover)."""
        old = self.active
        self.active = unit
        self.switchovers += 1
        unit.state = ACTIVE
        if old.state == ACTIVE:
            old.state = INSTALLING if self.operation == "hitless" else SYNCHRONIZING
        self.persist()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._epoch += 1
        self._wake.set()


class _Abandoned(Exception):
    """A sequence stops: a unit was killed, the pair reset, or the simulator stops."""
