"""/actions: reset, saveConfiguration, authToken."""

from __future__ import annotations

import secrets
import time

from simulator.errors import bad_request
from simulator.routes import V10, V74, Response, route

ACTIONS = [
    ("reset", "Reset device"),
    ("saveConfiguration", "Save device configuration to NVRAM"),
    ("authToken", "Get authentication token"),
]
PRIV_LEVELS = ("admin", "operator", "monitor")


@route("GET actions", profiles=(V74,))
def list_actions_v74(_device, _request):
    return Response(body={"actions": [{"id": key, "description": text, "url": f"/api/v1/actions/{key}"} for key, text in ACTIONS]})


@route("GET actions", profiles=(V10,))
def list_actions_v10(_device, _request):
    return Response(body={"actions": [{"id": key, "description": text, "url": f"/api/v1/actions/{key}"}
                                      for key, text in ACTIONS if key != "authToken"]})


@route("POST actions/reset")
def reset(device, request):
    body = request.json()
    unknown = set(body) - {"saveConfiguration", "gracefulTimeout"}
    if unknown:
        raise bad_request(f"Unknown attribute(s) {', '.join(sorted(unknown))}; reset takes saveConfiguration and gracefulTimeout")
    save = body.get("saveConfiguration", True)
    if not isinstance(save, bool):
        raise bad_request("saveConfiguration must be true or false")
    graceful = body.get("gracefulTimeout", 0)
    if isinstance(graceful, bool) or not isinstance(graceful, int) or graceful < 0:
        raise bad_request("gracefulTimeout must be a non-negative whole number of seconds")
    start = device.prepare_reset("reset requested through the REST API", save=save, graceful_timeout=graceful)
    return Response(body={"description": "Device will reset now"}, after=start, close=True)


@route("POST actions/saveConfiguration")
def save_configuration(device, _request):
    device.save_configuration()
    return Response(body=None)  # the guide's answer: "200 OK", no body and so no Content-Type


@route("POST actions/authToken", profiles=(V74,), sync_exempt=("POST",))
def auth_token(device, request):
    body = request.json(required=True)
    username = body.get("username")
    if not isinstance(username, str) or not username:
        raise bad_request("username is required (a non-empty string)")
    level = body.get("privLevel")
    if level not in PRIV_LEVELS:
        raise bad_request(f"privLevel must be one of {', '.join(PRIV_LEVELS)}")
    timeout = body.get("sessionTimeout", 0)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 0:
        raise bad_request("sessionTimeout must be a non-negative integer (seconds)")
    cross_host = body.get("crossHost")
    if cross_host is not None and not isinstance(cross_host, str):
        raise bad_request("crossHost must be a string (IP address or host name)")
    token = secrets.token_hex(16)
    device.auth_tokens[token] = {"username": username, "privLevel": level, "sessionTimeout": timeout,
                                 "crossHost": cross_host, "expires": time.time() + 10}
    return Response(body={"authToken": token, "description": "Authentication token successfully generated"})
