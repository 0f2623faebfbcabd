"""The route table of both API profiles and the dispatcher (auth → 404 → 405 → 403 → 406 → 409 → route)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from simulator import auth
from simulator.errors import ApiError
from simulator.negotiation import BINARY_FILE, OCTET, TEXT_FILE, negotiate
from simulator.server import JSON, Request, Response

V74 = "7.4"
V10 = "1.0"
BOTH = (V74, V10)
WRITE_METHODS = ("PUT", "POST", "DELETE")


@dataclass
class Route:
    pattern: tuple                       # path segments below /api/v1; "{name}" binds one, "{*name}" the rest
    handlers: dict                       # method → handler(device, request) -> Response
    profiles: tuple = BOTH
    row: str | None = None               # Table 2-2 row when the path alone does not name it
    produces: dict = field(default_factory=dict)   # method → JSON, TEXT_FILE or BINARY_FILE (JSON when absent)
    sync_exempt: tuple = ()              # write methods still allowed during HA synchronization

    def match(self, segments: list[str]) -> dict | None:
        params = {}
        for index, part in enumerate(self.pattern):
            if part.startswith("{*"):
                params[part[2:-1]] = segments[index:]
                return params
            if index >= len(segments):
                return None
            if part.startswith("{"):
                params[part[1:-1]] = segments[index]
            elif part != segments[index]:
                return None
        return params if len(segments) == len(self.pattern) else None


ROUTES: list[Route] = []


def route(pattern: str, profiles=BOTH, row=None, produces=None, sync_exempt=()):
    """Decorator: register ``handler`` for the methods named in ``pattern`` ("GET,PUT files/ini")."""
    methods, _separator, path = pattern.partition(" ")

    def register(handler: Callable):
        segments = tuple(path.split("/")) if path else ()
        for existing in ROUTES:
            if existing.pattern == segments and existing.profiles == tuple(profiles):
                for method in methods.split(","):
                    existing.handlers[method] = handler
                existing.produces.update(produces or {})
                return handler
        ROUTES.append(Route(segments, {method: handler for method in methods.split(",")}, tuple(profiles), row,
                            dict(produces or {}), tuple(sync_exempt)))
        return handler
    return register


def find_route(profile: str, segments: list[str]):
    for candidate in ROUTES:
        if profile not in candidate.profiles:
            continue
        params = candidate.match(segments)
        if params is not None:
            return candidate, params
    return None, None


def _apply_fault(device, request: Request):
    fault = device.faults.take(request.method, request.path.rstrip("/") or "/")
    if fault is None:
        return None
    if fault.delay:
        time.sleep(fault.delay)
    if fault.drop:
        length = int(request.headers.get("Content-Length") or 0)
        if length or request.body.exhausted is False:
            # Mid-upload: take part of the body, then cut the connection.
            request.body.read(max(1, min(length // 2, 65536)) if length else 65536)
        request.handler.drop()
        return "drop"
    if fault.status is not None:
        return Response(int(fault.status), {"description": fault.description}, close=True)
    return None


def dispatch(device, request: Request) -> Response | None:
    injected = _apply_fault(device, request)
    if injected == "drop":
        return None
    if injected is not None:
        return injected
    path = request.path.rstrip("/")
    if path == "/api":
        segments = ["@api"]
    elif path == "/api/v1":
        segments = ["@v1"]
    elif path.startswith("/api/v1/"):
        segments = path[len("/api/v1/"):].split("/")
    else:
        raise ApiError(404, f"Unknown URL {request.path}")
    user = auth.authenticate(device.users, request.headers.get("Authorization"))
    if user is None:
        raise ApiError(401, "Authentication failed: unknown user or wrong password",
                       headers={"WWW-Authenticate": 'Basic realm="Mediant REST API"'})
    request.user = user
    found, params = find_route(device.profile, segments)
    if found is None:
        raise ApiError(404, f"Unknown URL {request.path}")
    request.params = params
    handler = found.handlers.get(request.method)
    if handler is None:
        allowed = ", ".join(sorted(found.handlers))
        raise ApiError(405, f"Method {request.method} is not allowed on {request.path} (allowed: {allowed})",
                       headers={"Allow": allowed})
    resource = "/".join(segments) if segments[0][0] != "@" else ""
    if device.profile == V10:
        needed = auth.SECURITY_ADMIN  # the v1.0 API serves Security Administrators only
    else:
        needed = auth.required_level(resource, request.method, found.row)
    if user.level < needed:
        raise ApiError(403, f"User {user.username} ({user.title}) may not {request.method} {request.path}:"
                            f" it needs {auth.LEVEL_TITLES[needed]} privilege")
    kind = found.produces.get(request.method, JSON)
    media_type = negotiate(request.headers.get("Accept"), kind)
    if media_type is None:
        offered = JSON if kind == JSON else OCTET
        raise ApiError(406, f"{request.path} answers with {offered}; the request's Accept header excludes it")
    if request.method in WRITE_METHODS and request.method not in found.sync_exempt:
        device.check_writable()
    response = handler(device, request)
    if response is not None and response.status < 300 and response.content_type == OCTET and kind == TEXT_FILE:
        response.content_type = media_type  # a text file asked for as text/plain is labelled so
    return response


# Route modules register themselves on import.
from simulator.routes import (  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
    actions, alarms, files, kpi, license, meta, status, tls_files)


__all__ = ["dispatch", "route", "Response", "JSON", "OCTET", "TEXT_FILE", "BINARY_FILE", "V74", "V10", "BOTH"]
