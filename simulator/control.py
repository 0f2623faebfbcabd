"""The control API: plain HTTP JSON on 127.0.0.1, no device credentials. Drives devices from tests and CI.

GET  /devices                          list devices
POST /devices                          add a device (body: a device spec)
GET  /devices/<name>                   snapshot of the device's state
GET  /devices/<name>/certificate       PEM the device's listener serves now
GET  /devices/<name>/requests          the requests its address received, oldest first: [[method, path], ...]
GET  /devices/<name>/tls-listeners     every TLS listener: HTTPS (context 0) and SIP-TLS per SIP interface
POST /devices/<name>/stale-tls         {"enabled": bool} listeners keep serving what they serve now
POST /devices/<name>/faults            inject a fault {"path", "method", "status", "delay", "drop", "count"}
DELETE /devices/<name>/faults          clear all faults
POST /devices/<name>/ha-sync           {"open": true|false} HA synchronization window
POST /devices/<name>/alarms            raise an alarm {"description", "severity", "key", "source"}
DELETE /devices/<name>/alarms/<key>    clear it
POST /devices/<name>/reset             {"saveConfiguration": bool} reset the device
POST /devices/<name>/hang-resets       {"enabled": bool} resets never come back while enabled
POST /devices/<name>/phase-faults      {"fault", "phase"} make a phase of an upgrade fail (docs/ha.md)
DELETE /devices/<name>/phase-faults    clear them (a held phase goes on)
POST /devices/<name>/load-alarms       {"version", "description", "severity"} a unit running that version raises it
DELETE /devices/<name>/load-alarms     clear them
GET  /devices/<name>/ha                an HA pair: both units, the phase, the last sequence
POST /devices/<name>/ha/switchover     force a switchover
POST /devices/<name>/ha/units/<unit>/kill     power a unit off (the active one fails over)
POST /devices/<name>/ha/units/<unit>/revive   power it on again (it joins as redundant)
"""

from __future__ import annotations

import json
import threading
from urllib.parse import unquote, urlsplit

from simulator.server import NoDelayHTTPServer, OneWriteHandler


class ControlError(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


class ControlHandler(OneWriteHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Mediant-Simulator-Control"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError as err:
            raise ControlError(400, f"body is not JSON: {err}") from err
        if not isinstance(value, dict):
            raise ControlError(400, "body must be a JSON object")
        return value

    def _reply(self, status: int, body, content_type: str = "application/json"):
        payload = body.encode() if isinstance(body, str) else json.dumps(body, indent=2, default=str).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers_with_body(payload)

    def _handle(self):
        try:
            status, body = self.server.control.route(self.command, unquote(urlsplit(self.path).path), self._body)
            content_type = "application/x-pem-file" if isinstance(body, str) else "application/json"
            self._reply(status, body, content_type)
        except ControlError as err:
            self._reply(err.status, {"description": err.description})
        except (ValueError, TypeError) as err:
            self._reply(400, {"description": str(err)})

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class ControlServer:
    def __init__(self, fleet, address: str = "127.0.0.1", port: int = 0):
        self.fleet = fleet
        self.address = address
        self.port = port
        self._server = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def start(self) -> None:
        server = NoDelayHTTPServer((self.address, self.port), ControlHandler)
        server.control = self
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="control", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _device(self, name: str):
        try:
            return self.fleet.devices[name]
        except KeyError:
            raise ControlError(404, f"no device named {name!r}") from None

    def route(self, method: str, path: str, read_body):  # pylint: disable=too-many-return-statements,too-many-branches
        parts = [part for part in path.split("/") if part]
        if parts == ["devices"]:
            if method == "GET":
                return 200, {"devices": [device.summary() for device in self.fleet.devices.values()]}
            if method == "POST":
                return 201, self.fleet.add_device(read_body()).summary()
        elif len(parts) >= 2 and parts[0] == "devices":
            device = self._device(parts[1])
            action = parts[2:]
            if not action and method == "GET":
                return 200, device.snapshot()
            if action == ["certificate"] and method == "GET":
                return 200, device.certificate_pem()
            if action == ["requests"] and method == "GET":
                return 200, {"requests": [list(entry) for entry in device.request_log]}
            if action == ["tls-listeners"] and method == "GET":
                return 200, {"listeners": device.tls_listeners()}
            if action == ["stale-tls"] and method == "POST":
                device.tls_serving.set_stale(bool(read_body().get("enabled", True)))
                return 200, {"stale_tls": device.tls_serving.stale}
            if action == ["faults"] and method == "POST":
                return 201, device.inject_fault(**read_body())
            if action == ["faults"] and method == "DELETE":
                device.clear_faults()
                return 200, {"faults": []}
            if action == ["ha-sync"] and method == "POST":
                device.set_ha_sync(bool(read_body().get("open", True)))
                return 200, {"sync_window": device.sync_window}
            if action == ["alarms"] and method == "POST":
                body = read_body()
                if not isinstance(body.get("description"), str):
                    raise ControlError(400, "an alarm needs a 'description'")
                return 201, device.raise_alarm(body["description"], body.get("severity", "Major"), body.get("key"), body.get("source", "Board#1"))
            if len(action) == 2 and action[0] == "alarms" and method == "DELETE":
                if not device.clear_alarm(action[1]):
                    raise ControlError(404, f"no active alarm with key {action[1]!r}")
                return 200, {"cleared": action[1]}
            if action == ["reset"] and method == "POST":
                body = read_body()
                device.reset(save=bool(body.get("saveConfiguration", True)))
                return 200, {"description": "Device will reset now"}
            if action == ["hang-resets"] and method == "POST":
                device.hang_resets(bool(read_body().get("enabled", True)))
                return 200, {"hang_resets": device.snapshot()["hang_resets"]}
            if action and action[0] in ("phase-faults", "load-alarms", "ha"):
                return _upgrade_route(device, method, action, read_body)
        raise ControlError(404, f"no control resource {method} {path}")


def _upgrade_route(device, method: str, action: list, read_body):  # pylint: disable=too-many-return-statements
    """Phase faults, load alarms and the HA pair's units (docs/ha.md)."""
    if action == ["phase-faults"] and method == "POST":
        body = read_body()
        unknown = set(body) - {"fault", "phase"}
        if unknown or not isinstance(body.get("fault"), str):
            raise ControlError(400, "a phase fault is {\"fault\": ..., \"phase\": ...} (fault required)")
        return 201, device.add_phase_fault(body["fault"], body.get("phase"))
    if action == ["phase-faults"] and method == "DELETE":
        device.clear_phase_faults()
        return 200, {"phase_faults": []}
    if action == ["load-alarms"] and method == "POST":
        body = read_body()
        if not isinstance(body.get("version"), str) or not isinstance(body.get("description"), str):
            raise ControlError(400, "a load alarm needs 'version' and 'description'")
        device.set_load_alarm(body["version"], body["description"], str(body.get("severity", "Major")))
        return 201, {"load_alarms": device.load_alarms}
    if action == ["load-alarms"] and method == "DELETE":
        device.clear_load_alarms()
        return 200, {"load_alarms": {}}
    if not device.ha:
        raise ControlError(404, f"device {device.name} is not an HA pair")
    try:
        if action == ["ha"] and method == "GET":
            return 200, device.ha.snapshot()
        if action == ["ha", "switchover"] and method == "POST":
            device.force_switchover()
            return 200, {"switchover": "started"}
        if len(action) == 4 and action[:2] == ["ha", "units"] and action[3] in ("kill", "revive") and method == "POST":
            (device.kill_unit if action[3] == "kill" else device.revive_unit)(action[2])
            return 200, device.ha.snapshot()
    except KeyError:
        raise ControlError(404, f"device {device.name} has no unit {action[2] if len(action) > 2 else ''!r}") from None
    except RuntimeError as err:
        raise ControlError(409, str(err)) from err
    raise ControlError(404, f"no control resource {method} /devices/{device.name}/{'/'.join(action)}")
