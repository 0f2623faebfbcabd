"""Faults injected through the control API: a status code, a delay or a dropped connection for the next N requests."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass


def normalize_path(path: str) -> str:
    """A fault's path: absolute when it starts with '/' (``/api/v1/status``, ``/api*`` every API
    request), else below /api/v1 (``status``, ``files/*``)."""
    path = path.strip()
    if path.startswith("/"):
        return "/" + path.strip("/")
    path = path.strip("/")
    return "/api/v1/" + path if path else "/api/v1"


@dataclass
class Fault:
    path: str
    method: str | None = None     # None: any method
    status: int | None = None     # answer with this status instead of serving
    delay: float = 0.0            # seconds to wait before serving (or before the injected status)
    drop: bool = False            # cut the connection without an answer (mid-upload for bodies)
    count: int = 1                # how many matching requests it applies to; -1 = until cleared
    description: str = "Injected fault"

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path.rstrip("/") == self.path.rstrip("/")


class FaultTable:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: dict) -> Fault:
        if "path" not in spec:
            raise ValueError("a fault needs a 'path'")
        known = set(Fault.__dataclass_fields__)
        unknown = set(spec) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        fault = Fault(**{**spec, "path": normalize_path(spec["path"])})
        if fault.status is None and not fault.delay and not fault.drop:
            raise ValueError("a fault needs 'status', 'delay' or 'drop'")
        if fault.status is not None and not 100 <= int(fault.status) <= 599:
            raise ValueError("'status' must be an HTTP status code")
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault that applies to this request, with its remaining count decremented."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.count > 0:
                        fault.count -= 1
                        if fault.count == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def snapshot(self) -> list[dict]:
        with self._lock:
            return [asdict(fault) for fault in self._faults]
