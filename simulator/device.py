"""One simulated device: flash (persisted state), running state, listener, resets, alarms, faults."""

from __future__ import annotations

import os
import re
from collections import deque
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from simulator import ha as ha_model
from simulator import license as licensing
from simulator.alarms import AlarmTables
from simulator.auth import users_from_spec
from simulator.config import Configuration
from simulator.device_info import ShowContext
from simulator.errors import conflict
from simulator.faults import FaultTable
from simulator.kpi import KpiModel
from simulator.server import DeviceRequestHandler, ListenerServer
from simulator.storage import Flash
from simulator.tls import TlsStore
from simulator.tls_serving import SIP_TLS_PORT_MODES, TLS_MISMATCH_MODES, TlsServing

DEFAULT_FIRMWARE = "7.40A.500.010"
DEFAULT_PRODUCT = "Mediant VE SBC"
HA_SYNC_DESCRIPTION = ha_model.HA_SYNC_DESCRIPTION
CERT_EXPIRY_DAYS = 30
SPEC_KEYS = {"name", "address", "port", "protocol", "firmware", "product", "serial", "users", "reset_seconds",
             "ha_partner", "ha", "license_key", "config", "kpi_interval_seconds", "board_type", "mac",
             "sip_tls_ports", "tls_mismatch", "certificate_days"}


def api_profile(firmware: str) -> str:
    """7.00A.* firmware speaks the v1.0 REST API; later 7.x firmware the v7.4 one."""
    return "1.0" if firmware.startswith("7.00") else "7.4"


def is_virtual_edition(product: str) -> bool:
    """Software SBCs (Mediant VE/SE/CE, "Mediant SW") as opposed to hardware appliances."""
    words = product.replace("-", " ").split()
    return any(word in ("VE", "SE", "CE", "SW", "Virtual") for word in words)


def firmware_at_least(firmware: str, version: float) -> bool:
    """Whether a firmware version such as 7.40A.500.010 is ``version`` (7.4) or later."""
    match = re.match(r"(\d+)\.(\d+)", firmware)
    return bool(match) and (int(match.group(1)), int(match.group(2))) >= (int(version), round(version % 1 * 100))


def validate_spec(spec: dict) -> dict:
    if not isinstance(spec, dict) or not spec.get("name"):
        raise ValueError("a device needs a 'name'")
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise ValueError(f"device {spec['name']}: unknown keys {sorted(unknown)} (known: {sorted(SPEC_KEYS)})")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", spec["name"]):
        raise ValueError(f"device name {spec['name']!r} may hold only letters, digits, '_', '.', '-'")
    address = spec.get("address", "127.0.0.1")
    if not re.fullmatch(r"127\.\d{1,3}\.\d{1,3}\.\d{1,3}", address):
        raise ValueError(f"device {spec['name']}: address must be a loopback address 127.x.y.z, got {address!r}")
    if spec.get("protocol", "https") not in ("http", "https"):
        raise ValueError(f"device {spec['name']}: protocol must be http or https")
    ha_model.pair_spec(spec)
    for key, allowed in (("sip_tls_ports", SIP_TLS_PORT_MODES), ("tls_mismatch", TLS_MISMATCH_MODES)):
        if spec.get(key, allowed[0]) not in allowed:
            raise ValueError(f"device {spec['name']}: {key} must be one of {', '.join(allowed)}")
    certificate_days(spec)
    return spec


def certificate_days(spec: dict) -> dict:
    """``certificate_days``: {context id: days} the first self-signed certificate of a context is valid for."""
    days = spec.get("certificate_days") or {}
    if not isinstance(days, dict):
        raise ValueError(f"device {spec['name']}: certificate_days maps a TLS context id to a number of days")
    try:
        return {int(ctx): int(value) for ctx, value in days.items()}
    except (TypeError, ValueError):
        raise ValueError(f"device {spec['name']}: certificate_days maps a TLS context id to a number of days") from None


class Device:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    def __init__(self, spec: dict, state_root):
        spec = validate_spec(dict(spec))
        self.spec = spec
        self.name = spec["name"]
        self.address = spec.get("address", "127.0.0.1")
        self.port = int(spec.get("port", 0))
        self.protocol = spec.get("protocol", "https")
        self.product = spec.get("product", DEFAULT_PRODUCT)
        self.serial = str(spec.get("serial") or ha_model.default_serial(self.name))
        self.board_type = str(spec.get("board_type", "73"))
        self.mac = spec.get("mac") or ha_model.default_mac(self.serial)
        self.users = users_from_spec(spec.get("users"))
        self.reset_seconds = float(spec.get("reset_seconds", 1))
        self.ha: ha_model.HaPair | None = None   # the pair behind this address, None for a stand-alone device
        self.phase_faults = ha_model.PhaseFaults()
        self.load_alarms: dict[str, dict] = {}     # version → alarm a unit running it raises (control API)
        self.kpi_interval_seconds = float(spec.get("kpi_interval_seconds", 60))
        self.lock = threading.RLock()
        self.flash = Flash(Path(state_root) / self.name)
        self.alarms = AlarmTables()
        self.faults = FaultTable()
        self.kpi = KpiModel(self)
        self.auth_tokens: dict = {}
        # Every request the device's address received (method, path), newest last: tests assert
        # that a check-mode run sent nothing that writes.
        self.request_log: deque = deque(maxlen=5000)
        self.state = "down"
        self.sync_window = False
        self.reset_pending = False
        self.reset_needed = False
        self.boot_count = 0
        self.boot_monotonic = time.monotonic()
        self.boot_wall = time.time()
        self.last_reset: dict | None = None
        self._server: ListenerServer | None = None
        self._server_thread: threading.Thread | None = None
        self.tls_serving = TlsServing(self, spec.get("sip_tls_ports", SIP_TLS_PORT_MODES[0]),
                                      spec.get("tls_mismatch", TLS_MISMATCH_MODES[0]))
        self._hang_resets = False
        self._hang_released = threading.Event()
        self._hang_released.set()
        self._stopping = False
        self._boot_events: list[tuple[str, str]] = []
        self._load_flash(spec)

    # ------------------------------------------------------------------ flash

    def _load_flash(self, spec: dict) -> None:
        pair = ha_model.pair_spec(spec)
        if pair is not None:
            self.ha = ha_model.HaPair(self, pair, spec.get("firmware", DEFAULT_FIRMWARE), licensing.make_key)
            self._become(self.ha.active)
        identity = self.identity if self.ha else self.flash.read("device.json")
        if identity is None:
            identity = {"firmware": spec.get("firmware", DEFAULT_FIRMWARE),
                        "license_key": spec.get("license_key") or licensing.make_key(self.serial)}
            self.flash.write("device.json", identity)
        self.identity = identity
        saved = self.flash.read("config.json")
        if saved is None:
            initial = spec.get("config")
            config = Configuration.from_ini(initial, self.product) if initial else Configuration.default(self.product)
            self.saved = config
            self.flash.write("config.json", config.to_json())
        else:
            self.saved = Configuration.from_json(saved)
        self.running = self.saved.copy()
        tls = self.flash.read("tls.json")
        self.tls = TlsStore.from_json(tls) if tls is not None else TlsStore.create(
            self._context_ids(self.saved), self.address, validity_days=certificate_days(spec))
        self._persist_tls()
        self.files = self.flash.read("files.json") or {}
        self.firmware = identity["firmware"]
        self.license_key = identity["license_key"]

    def _persist_identity(self) -> None:
        if self.ha:
            self.ha.persist()
        else:
            self.flash.write("device.json", self.identity)

    def _persist_tls(self) -> None:
        self.flash.write("tls.json", self.tls.to_json())

    def _persist_saved(self) -> None:
        self.flash.write("config.json", self.saved.to_json())

    # ------------------------------------------------------------------ identity and views

    @property
    def profile(self) -> str:
        return api_profile(self.firmware)

    @property
    def url(self) -> str:
        return f"{self.protocol}://{self.address}:{self.port}"

    @property
    def uptime(self) -> int:
        """Seconds since the unit serving the address booted (for a pair, not since the service started)."""
        if self.ha:
            return self.ha.active.uptime
        return int(time.monotonic() - self.boot_monotonic)

    @property
    def ha_partner(self) -> str | None:
        """The other unit's name (a pair), None for a stand-alone device."""
        return self.ha.redundant.name if self.ha else None

    @property
    def kpi_identity(self) -> str:
        """What live KPI values derive from: the service, which a pair keeps across a switchover."""
        return self.ha.units[0].serial if self.ha else self.serial

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def ha_state(self) -> str:
        """``highAvailability`` of GET /status (the strings live in simulator/ha.py)."""
        if self.ha:
            return self.ha.ha_state
        return ha_model.STAND_ALONE_V10 if self.profile == "1.0" else ha_model.STAND_ALONE_V74

    def ha_kpi_state(self) -> dict:
        """What the haStats KPI group reports (the one place KPIs read HA state from).

        operational_state: 0 stand-alone, 1 active with its pair synchronized, 2 active and
        synchronizing, 3 redundant; redundant_connected and synchronizing: 0 or 1; switchovers:
        since boot. A pair's devices report their own view here."""
        if not self.ha:
            return {"operational_state": 0, "redundant_connected": 0, "switchovers": 0, "synchronizing": int(self.sync_window)}
        synchronizing = self.ha.ha_state == ha_model.PAIR_SYNCHRONIZING
        return {"operational_state": 2 if synchronizing else 1, "redundant_connected": int(self.ha.redundant.up),
                "switchovers": self.ha.switchovers, "synchronizing": int(synchronizing)}

    @property
    def save_needed(self) -> bool:
        return self.running != self.saved

    def ini_header(self) -> dict:
        return {"board": self.product, "board_type": self.board_type, "serial": self.serial, "version": self.firmware,
                "ip": self.address, "mask": "255.0.0.0", "gateway": "127.0.0.1"}

    def license_info(self) -> dict:
        try:
            return licensing.decode_key(self.license_key)
        except licensing.LicenseError:
            return {"serial": "", "features": {}}

    def license_description(self) -> str:
        return licensing.describe(self.product, self.license_info()["features"])

    def show_context(self) -> ShowContext:
        return ShowContext(product=self.product, board_type=self.board_type, serial=self.serial, version=self.firmware,
                           uptime_seconds=self.uptime, ip=self.address, mask="255.0.0.0", gateway="127.0.0.1",
                           mac=self.mac, ha_state=self.ha_state,
                           license_description=licensing.features_text(self.license_info()["features"]),
                           running_config=self.running.render_cli)

    def status_body(self) -> dict:
        now = datetime.now(timezone.utc)
        body = {
            "localTimeStamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "ipAddress": self.address,
            "subnetMask": "255.0.0.0",
            "defaultGateway": "127.0.0.1",
            "productType": self.product,
            "versionID": self.firmware,
            "protocolType": "SIP",
            "operationalState": "UNLOCKED",
            "highAvailability": self.ha_state,
        }
        if self.profile != "1.0":
            body.update({"serialNumber": self.serial, "macAddress": self.mac, "systemUpTime": self.uptime})
        body.update({"saveNeeded": self.save_needed, "resetNeeded": self.reset_needed})
        if is_virtual_edition(self.product) and firmware_at_least(self.firmware, 7.4):
            # 7.40A virtual editions add their platform (docs/simulator.md): a Linux image, no SR-IOV here.
            body.update({"osType": "Linux", "acceleratedNetworking": False})
        return body

    @staticmethod
    def _context_ids(config) -> list[int]:
        ids = {0}
        for row in config.table_rows("TLSContexts"):
            try:
                ids.add(int(row.get("Index", 0)))
            except (TypeError, ValueError):
                continue
        return sorted(ids)

    def tls_contexts(self) -> list[dict]:
        names = {0: "default"}
        for row in self.running.table_rows("TLSContexts"):
            try:
                names[int(row.get("Index", 0))] = str(row.get("Name") or names.get(int(row.get("Index", 0)), ""))
            except (TypeError, ValueError):
                continue
        names[0] = names.get(0) or "default"
        return [{"id": ctx, "name": names.get(ctx, f"context{ctx}")} for ctx in self.tls.context_ids()]

    # ------------------------------------------------------------------ request handling

    def handle(self, request):
        from simulator.routes import dispatch  # pylint: disable=import-outside-toplevel
        return dispatch(self, request)

    def requests_received(self, methods=("PUT", "POST", "PATCH", "DELETE")) -> list[tuple[str, str]]:
        """The (method, path) of the requests received with one of ``methods`` (default: those that write)."""
        return [entry for entry in list(self.request_log) if entry[0] in methods]

    def check_writable(self) -> None:
        if self.sync_window:
            raise conflict(HA_SYNC_DESCRIPTION)
        if self.reset_pending:
            raise conflict("Device is about to reset; try again when it is back")
        refusal = self.ha.write_refusal() if self.ha else None
        if refusal:
            raise conflict(refusal)

    # ------------------------------------------------------------------ configuration

    def save_configuration(self) -> None:
        with self.lock:
            self.saved = self.running.copy()
            self._persist_saved()
            self._replicate()

    def config_changed(self, candidate, changed_names) -> None:
        """Make ``candidate`` the running configuration after an incremental change."""
        with self.lock:
            self.running = candidate
            if changed_names and candidate.requires_reset(changed_names):
                self.reset_needed = True
            self.tls.ensure_contexts(self._context_ids(candidate))
            self._persist_tls()
            self.tls_serving.invalidate()
            self.tls_serving.sync_sip()
            self.evaluate_conditions()
            self._replicate()

    def replace_configuration(self, config, reason: str):
        """A full INI/CLI/package load: it becomes the startup configuration; returns the reset starter."""
        with self.lock:
            start = self.prepare_reset(reason, save=False)
            self.saved = config
            self._persist_saved()
            return start

    # ------------------------------------------------------------------ software, license, files

    def install_software(self, version: str, reason: str):
        """A standard load: every unit installs it and resets (on a pair, both at once: an outage)."""
        with self.lock:
            start = self.prepare_reset(reason, save=True)
            previous = self.identity["firmware"]
            for identity in self._identities():
                identity["firmware"] = version
            self._persist_identity()
            self._boot_events.append(("software_changed", f"Software load changed from {previous} to {version}"))
            return start

    def start_hitless_upgrade(self, version: str):
        """files/software/hitless once the load is received: the pair runs the sequence (simulator/ha.py)."""
        with self.lock:
            refusal = self.ha.hitless_refusal()
            if refusal:
                raise conflict(refusal)
            self.last_reset = {"reason": f"hitless upgrade to {version}", "save": True, "graceful_delay": 0.0,
                               "requested_at": time.time()}
            return lambda: self.ha.begin_hitless(version)

    def install_license(self, key: str, keys_by_serial: dict | None = None):
        """The active unit's key; on a pair every unit takes its own key from the file (by serial number)."""
        with self.lock:
            start = self.prepare_reset("new license key", save=True)
            self.identity["license_key"] = key
            for unit in self.ha.units if self.ha else ():
                if unit.serial in (keys_by_serial or {}):
                    unit.identity["license_key"] = keys_by_serial[unit.serial]
            self._persist_identity()
            self._boot_events.append(("license_changed", "License key was updated"))
            return start

    def _identities(self) -> list[dict]:
        return [unit.identity for unit in self.ha.units] if self.ha else [self.identity]

    def record_file(self, file_id: str, tmp_path: str, size: int, digest: str, filename: str | None) -> None:
        with self.lock:
            os.replace(tmp_path, self.flash.files_dir / file_id)
            self.files[file_id] = {"size": size, "sha256": digest, "filename": filename,
                                   "stored_at": datetime.now(timezone.utc).isoformat()}
            self.flash.write("files.json", self.files)
            self._replicate()

    # ------------------------------------------------------------------ TLS

    def tls_changed(self) -> None:
        """Persist the TLS store, refresh the listener certificate and the TLS alarms."""
        with self.lock:
            self._persist_tls()
            self.tls_serving.invalidate()
            self.evaluate_conditions()
            self._replicate()

    def certificate_pem(self) -> str:
        return self.tls.listener_pair(0)[0]

    def is_listening(self) -> bool:
        return self._server is not None

    def tls_listeners(self) -> list:
        """Every TLS listener: the HTTPS management listener (context 0) and one per SIP interface with a TLS port."""
        return self.tls_serving.listeners()

    # ------------------------------------------------------------------ alarms from conditions

    def evaluate_conditions(self) -> None:
        """Raise or clear the alarms that follow from the device's state."""
        with self.lock:
            info = self.license_info()
            if not info["serial"]:
                self.alarms.raise_alarm("license", "License key is invalid")
            elif info["serial"] != self.serial:
                self.alarms.raise_alarm("license", f"License key is for serial number {info['serial']}, not {self.serial}")
            else:
                self.alarms.clear("license")
            mismatched = set(self.tls.mismatched_contexts())
            expiring = dict(self.tls.expiring_within(CERT_EXPIRY_DAYS))
            for ctx in self.tls.context_ids():
                if ctx in mismatched:
                    self.alarms.raise_alarm("key_mismatch", f"TLS context {ctx}: private key does not match the certificate",
                                            key=f"key_mismatch:{ctx}", source=f"TLSContext#{ctx}")
                else:
                    self.alarms.clear(f"key_mismatch:{ctx}")
                if ctx in expiring:
                    not_after = expiring[ctx]
                    self.alarms.raise_alarm("cert_expiry", f"TLS context {ctx}: certificate expires on {not_after:%Y-%m-%d %H:%M} UTC",
                                            key=f"cert_expiry:{ctx}", source=f"TLSContext#{ctx}")
                else:
                    self.alarms.clear(f"cert_expiry:{ctx}")
            for key in [key for key in self.alarms.active if key.split(":")[0] in ("key_mismatch", "cert_expiry")]:
                if int(key.split(":")[1]) not in self.tls.context_ids():
                    self.alarms.clear(key)
            for version, alarm in self.load_alarms.items():
                if version == self.firmware:
                    self.alarms.raise_alarm("injected", alarm["description"], key=f"load:{version}", severity=alarm["severity"])
                else:
                    self.alarms.clear(f"load:{version}")

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self._stopping = False
        self._boot(None)

    def stop(self) -> None:
        self._stopping = True
        self._hang_released.set()
        if self.ha:
            self.ha.stop()
        self._close_listener()
        self.state = "down"

    def _open_listener(self) -> None:
        provider = self.tls_serving.https_provider() if self.protocol == "https" else None
        deadline = time.monotonic() + 5
        while True:
            try:
                server = ListenerServer((self.address, self.port), DeviceRequestHandler, self, provider)
                break
            except OSError:
                # The port of a device that just reset may still be held briefly; a real device's IP stays its own.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"device-{self.name}", daemon=True)
        self._server, self._server_thread = server, thread
        thread.start()
        self.tls_serving.sync_sip()

    def _close_listener(self) -> None:
        server, self._server = self._server, None
        self.tls_serving.close_sip()
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.cut_connections()

    def _boot(self, reason: str | None) -> None:
        with self.lock:
            if self._stopping and reason is not None:
                return
            if self.ha:
                self.ha.boot_units(reason)
                self._become(self.ha.active)
            elif reason is not None and self.identity["firmware"] != self.firmware and self.phase_faults.take("boot_fails", "reset"):
                self._boot_events.append(("software_changed", f"Software load {self.identity['firmware']} could not boot; "
                                                              f"the device runs {self.firmware} again"))
                self.identity["firmware"] = self.firmware
                self._persist_identity()
            self.firmware = self.identity["firmware"]
            self.license_key = self.identity["license_key"]
            self.running = self.saved.copy()
            self.reset_needed = False
            self.boot_count += 1
            self.boot_monotonic = time.monotonic()
            self.boot_wall = time.time()
            self.alarms.reboot()
            if reason is not None:
                self.alarms.event("restart", f"Device was reset: {reason}")
            for kind, text in self._boot_events:
                self.alarms.event(kind, text)
            self._boot_events = []
            self.tls.ensure_contexts(self._context_ids(self.running))
            self._persist_tls()
            self.tls_serving.invalidate()
            if self.sync_window:
                self.alarms.raise_alarm("ha_sync", "HA synchronization in progress")
            self.evaluate_conditions()
            self._open_listener()
            self.reset_pending = False
            self.state = "up"

    def prepare_reset(self, reason: str, save: bool, graceful_timeout: int = 0):
        """Mark a reset as pending (writes now get 409) and return the callable that starts it.

        gracefulTimeout: 0 resets at once; 1 waits for calls to end (the simulator has none);
        N > 1 waits min(N, reset_seconds) seconds, the simulator's time scale for draining calls.
        """
        with self.lock:
            if self.reset_pending:
                raise conflict("Device is about to reset; try again when it is back")
            self.reset_pending = True
            delay = min(float(graceful_timeout), self.reset_seconds) if graceful_timeout > 1 else 0.0
            self.last_reset = {"reason": reason, "save": save, "graceful_delay": delay, "requested_at": time.time()}

        def start():
            threading.Thread(target=self._run_reset, args=(reason, save, delay), name=f"reset-{self.name}", daemon=True).start()
        return start

    def _run_reset(self, reason: str, save: bool, delay: float) -> None:
        if delay:
            time.sleep(delay)
        with self.lock:
            if self._stopping:
                return
            if save:
                self.saved = self.running.copy()
                self._persist_saved()
            self.state = "resetting"
        self._close_listener()
        time.sleep(self.reset_seconds)
        if self._hang_resets:
            self.state = "hung"
        self._hang_released.wait()
        if not self._stopping:
            self._boot(reason)

    # ------------------------------------------------------------------ control API (also used by tests)

    def reset(self, save: bool = True, reason: str = "reset through the control API") -> None:
        self.prepare_reset(reason, save=save)()

    # ------------------------------------------------------------------ HA pair (sequences in simulator/ha.py)

    def _become(self, unit) -> None:
        """The address now shows ``unit``: its serial, MAC, flash (firmware, license key)."""
        self.serial = unit.serial
        self.mac = unit.mac
        self.identity = unit.identity
        self.firmware = unit.firmware
        self.license_key = unit.identity["license_key"]

    def serve_unit(self, unit, gap_seconds: float, reason: str) -> None:
        """Switchover: open connections drop, nothing answers for ``gap_seconds``, then ``unit`` serves the address."""
        with self.lock:
            if self._stopping:
                return
            self.state = "switching"
        self._close_listener()
        deadline = time.monotonic() + gap_seconds
        while time.monotonic() < deadline and not self._stopping:
            time.sleep(0.02)
        with self.lock:
            if self._stopping:
                return
            self.ha.became_active(unit)
            self._become(unit)
            self.alarms.raise_alarm("ha_switchover", f"Switchover: unit {unit.serial} is now active ({reason})",
                                    key="ha_switchover", source=unit.source)
            self.evaluate_conditions()
            self._open_listener()
            self.state = "up"

    def go_down(self) -> None:
        """No unit of the pair is up: the address stops answering until one is powered on again."""
        self.state = "down"
        self._close_listener()

    def _replicate(self) -> None:
        if self.ha:
            self.ha.replicate()

    def replicable_state(self) -> dict:
        """What synchronization copies to the redundant unit (configuration, TLS files, auxiliary files)."""
        return {"running": self.running.copy(), "saved": self.saved.copy(), "tls": self.tls.to_json(), "files": dict(self.files)}

    def restore_replicated(self, state: dict) -> None:
        """A failover to a unit that missed the last changes: it serves what it last received."""
        self.running = state["running"].copy()
        self.saved = state["saved"].copy()
        self._persist_saved()
        self.tls = TlsStore.from_json(state["tls"])
        self._persist_tls()
        self.tls_serving.invalidate()
        self.tls_serving.sync_sip()
        self.files = dict(state["files"])
        self.flash.write("files.json", self.files)

    def ha_unit(self, name: str):
        if not self.ha:
            raise KeyError(f"device {self.name} is not an HA pair")
        return self.ha.unit(name)

    def kill_unit(self, name: str) -> None:
        with self.lock:
            self.ha.kill(self.ha_unit(name))

    def revive_unit(self, name: str) -> None:
        with self.lock:
            self.ha.revive(self.ha_unit(name))

    def force_switchover(self) -> None:
        if not self.ha:
            raise KeyError(f"device {self.name} is not an HA pair")
        with self.lock:
            self.ha.switchover()

    def add_phase_fault(self, fault: str, phase: str | None = None) -> dict:
        return self.phase_faults.add(fault, phase)

    def clear_phase_faults(self) -> None:
        self.phase_faults.clear()
        if self.ha:
            self.ha.wake()

    def set_load_alarm(self, version: str, description: str, severity: str = "Major") -> None:
        with self.lock:
            self.load_alarms[version] = {"description": description, "severity": severity}
            self.evaluate_conditions()

    def clear_load_alarms(self) -> None:
        with self.lock:
            self.load_alarms.clear()
            self.evaluate_conditions()

    def hang_resets(self, enabled: bool) -> None:
        """While enabled, a reset never comes back; disabling it lets a hung device finish booting."""
        self._hang_resets = enabled
        if enabled:
            self._hang_released.clear()
        else:
            self._hang_released.set()

    def set_ha_sync(self, window_open: bool) -> None:
        with self.lock:
            self.sync_window = bool(window_open)
            if self.sync_window:
                self.alarms.raise_alarm("ha_sync", "HA synchronization in progress")
            else:
                self.alarms.clear("ha_sync")

    def inject_fault(self, **spec) -> dict:
        from dataclasses import asdict  # pylint: disable=import-outside-toplevel
        return asdict(self.faults.add(spec))

    def clear_faults(self) -> None:
        """Clear injected faults, including hung resets (a hung device finishes booting)."""
        self.faults.clear()
        self.hang_resets(False)

    def raise_alarm(self, description: str, severity: str = "Major", key: str | None = None, source: str = "Board#1") -> dict:
        key = key or f"injected-{len(self.alarms.history) + 1}-{int(time.time() * 1000)}"
        alarm = self.alarms.raise_alarm("injected", description, key=key, severity=severity, source=source)
        return {"key": key, "id": str(alarm.id)}

    def clear_alarm(self, key: str) -> bool:
        return self.alarms.clear(key)

    def wait_up(self, timeout: float = 10.0) -> bool:
        """Wait until the device is up with no reset pending (for Python callers after a reset)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.state == "up" and not self.reset_pending:
                return True
            time.sleep(0.02)
        return False

    def summary(self) -> dict:
        return {"name": self.name, "url": self.url, "state": self.state, "firmware": self.firmware,
                "api_version": self.profile, "product": self.product, "serial": self.serial}

    def snapshot(self) -> dict:
        with self.lock:
            tls = {}
            for ctx in self.tls.context_ids():
                status = self.tls.key_status(ctx)
                tls[str(ctx)] = {"key": status, "certificate": self.tls.get_certificate(ctx),
                                 "trusted_roots": self.tls.get_trusted_roots(ctx)}
            return {
                **self.summary(),
                "address": self.address, "port": self.port, "protocol": self.protocol,
                "uptime": self.uptime, "boot_count": self.boot_count, "reset_seconds": self.reset_seconds,
                "reset_pending": self.reset_pending, "last_reset": self.last_reset,
                "pending_firmware": self.identity["firmware"] if self.identity["firmware"] != self.firmware else None,
                "running_config": self.running.to_json(), "saved_config": self.saved.to_json(),
                "save_needed": self.save_needed, "reset_needed": self.reset_needed,
                "license": {"key": self.license_key, **self.license_info(),
                            "pending_key": self.identity["license_key"] if self.identity["license_key"] != self.license_key else None},
                "tls": tls,
                "files": dict(self.files),
                "alarms": self.alarms.snapshot(),
                "ha": {"pair": self.ha.snapshot() if self.ha else None, "partner": self.ha_partner, "state": self.ha_state,
                       "sync_window": self.sync_window, "phase_faults": self.phase_faults.snapshot(),
                       "load_alarms": dict(self.load_alarms)},
                "tls_listeners": self.tls_listeners(),
                "stale_tls": self.tls_serving.stale,
                "faults": self.faults.snapshot(),
                "hang_resets": self._hang_resets,
                "users": [{"username": user.username, "level": user.title} for user in self.users.values()],
            }
