"""Active and history alarm tables; alarms are raised and cleared by device events."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

OID_PREFIX = "1.3.6.1.4.1.5003.9.10.1.21.2.0."

# Alarm kinds the simulator raises itself: (SNMP trap name, trap number, severity).
CATALOG = {
    "restart": ("acBoardEvResettingBoard", 5, "Major"),
    "ha_fault": ("acHASystemFaultAlarm", 33, "Critical"),
    "ha_sync": ("acHASystemConfigMismatchAlarm", 34, "Major"),
    "ha_switchover": ("acHASystemSwitchOverAlarm", 35, "Critical"),
    "license": ("acLicenseKeyAlarm", 47, "Critical"),
    "license_changed": ("acLicenseKeyUpdated", 48, "Indeterminate"),
    "cert_expiry": ("acCertificateExpiryAlarm", 128, "Minor"),
    "key_mismatch": ("acTLSKeyCertificateMismatchAlarm", 129, "Major"),
    "software_changed": ("acSWUpgradeAlarm", 70, "Indeterminate"),
    "injected": ("acInjectedAlarm", 999, "Major"),
}


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{datetime.now(timezone.utc).microsecond // 1000:03d}Z"


@dataclass
class Alarm:
    id: int
    key: str
    description: str
    severity: str
    source: str
    date: str
    oid: str
    name: str

    def summary(self, table: str) -> dict:
        return {"id": str(self.id), "description": self.description, "url": f"/api/v1/alarms/{table}/{self.id}"}

    def detail(self, table: str, with_oid: bool) -> dict:
        body = {"id": str(self.id), "description": self.description, "severity": self.severity,
                "source": self.source, "date": self.date, "url": f"/api/v1/alarms/{table}/{self.id}"}
        if with_oid:
            body["oid"] = self.oid
        return body


class AlarmTables:
    """Active alarms keyed by condition, plus the history of raises and clears since the last boot."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next_id = 1
        self.active: dict[str, Alarm] = {}
        self.history: list[Alarm] = []
        self.last_change: datetime | None = None

    def reboot(self) -> None:
        with self._lock:
            self._next_id = 1
            self.active = {}
            self.history = []
            self.last_change = None

    def _make(self, kind: str, key: str, description: str, severity: str | None, source: str) -> Alarm:
        name, number, default_severity = CATALOG.get(kind, CATALOG["injected"])
        alarm = Alarm(self._next_id, key, description, severity or default_severity, source, now_iso(), OID_PREFIX + str(number), name)
        self._next_id += 1
        return alarm

    def raise_alarm(self, kind: str, description: str, key: str | None = None, severity: str | None = None,
                    source: str = "Board#1") -> Alarm:
        """Raise (or keep) the alarm for condition ``key``; it is recorded in history when first raised."""
        key = key or kind
        with self._lock:
            existing = self.active.get(key)
            if existing is not None and existing.description == description:
                return existing
            alarm = self._make(kind, key, description, severity, source)
            self.active[key] = alarm
            self.history.append(alarm)
            self.last_change = datetime.now(timezone.utc)
            return alarm

    def clear(self, key: str) -> bool:
        """Clear the active alarm for ``key``; the clear is recorded in history with severity Cleared."""
        with self._lock:
            alarm = self.active.pop(key, None)
            if alarm is None:
                return False
            cleared = Alarm(self._next_id, key, alarm.description, "Cleared", alarm.source, now_iso(), alarm.oid, alarm.name)
            self._next_id += 1
            self.history.append(cleared)
            self.last_change = datetime.now(timezone.utc)
            return True

    def event(self, kind: str, description: str, severity: str | None = None, source: str = "Board#1") -> Alarm:
        """A one-shot event: goes to history only (e.g. "device was reset")."""
        with self._lock:
            alarm = self._make(kind, kind, description, severity, source)
            self.history.append(alarm)
            return alarm

    def active_list(self) -> list[Alarm]:
        with self._lock:
            return sorted(self.active.values(), key=lambda alarm: alarm.id)

    def history_list(self) -> list[Alarm]:
        with self._lock:
            return list(self.history)

    def snapshot(self) -> dict:
        return {"active": [asdict(alarm) for alarm in self.active_list()],
                "history": [asdict(alarm) for alarm in self.history_list()]}
