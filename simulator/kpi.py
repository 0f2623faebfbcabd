"""Performance monitoring values that live, for every KPI of the catalogue (simulator/kpi_catalogue.py).

Every value is a pure function of (the service: the device's serial, a pair's first unit's; entity,
KPI, seconds since boot): two reads a moment apart differ, a counter never goes down until the
device boots again (a pair's switchover is no boot: calls survive it), a gauge stays in its range,
and a history interval's value is the counter's growth within it (a gauge's level at its end).
An entity's activity (its share of the traffic) scales all its counters alike, so related counters
keep their order (established calls never exceed attempted calls).
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import datetime, timezone

from simulator import kpi_catalogue as catalogue
from simulator.kpi_catalogue import COUNTER, GAUGE

MAX_INTERVALS = 96
IP_GROUP_TYPES = {0: "Server", 1: "User", 2: "Gateway"}


class KpiModel:
    def __init__(self, device):
        self.device = device

    # -- entities

    def entity_rows(self, source: str) -> list[dict]:
        """The indexes of an indexed entity: ``{"id": int, "name": str, "description": str, ...}``."""
        if source == "ipGroup":
            return [{"id": row["Index"], "name": str(row["Name"]), "description": _ip_group_description(row)}
                    for row in self.device.running.table_rows("IPGroup")]
        if source == "srd":
            return [{"id": row["Index"], "name": str(row["Name"]), "description": _srd_description(row)}
                    for row in self.device.running.table_rows("SRD")]
        fixed = {"port": catalogue.PORTS, "cpu": catalogue.CPUS, "partition": catalogue.PARTITIONS}[source]
        return [dict(row) for row in fixed]

    def ip_groups(self) -> list[dict]:
        return self.entity_rows("ipGroup")

    # -- values

    def _fraction(self, *parts) -> float:
        digest = hashlib.sha256("/".join((self.device.kpi_identity,) + parts).encode()).digest()
        return digest[0] / 255.0

    def activity(self, entity_path: str) -> float:
        """The entity's share of traffic, 0.5 .. 1.5; the same for every KPI of the entity."""
        return 0.5 + self._fraction(entity_path)

    def value_at(self, kpi, entity_path: str, elapsed: float, entity: dict | None = None):
        """The KPI's value ``elapsed`` seconds after boot (a JSON number)."""
        if kpi.type == COUNTER:
            return int(kpi.rate * self.activity(entity_path) * elapsed)
        if kpi.type == GAUGE:
            phase = self._fraction(entity_path, kpi.id)
            period = 40 + 80 * phase  # seconds: gauges of one entity do not move in step
            level = 0.5 + 0.45 * math.sin(2 * math.pi * elapsed / period + 7 * phase)
            value = kpi.low + (kpi.high - kpi.low) * level
            return round(value, 1) if kpi.high - kpi.low <= 10 else int(round(value))
        return self.state_value(kpi.source, entity_path, elapsed, entity)

    def state_value(self, source: str, entity_path: str, elapsed: float, entity: dict | None):
        """What the device itself reports: HA state, license counts, storage, port and system facts."""
        area, key = source.split(".", 1)
        if area == "ha":
            return int(self.device.ha_kpi_state()[key])
        if area == "license":
            return int(self.device.license_info()["features"].get(key, 0))
        if area == "system":
            return int(elapsed)
        if area == "port":
            return {"link": 1, "speed": 1000}[key]
        if area == "storage":
            total = int((entity or {}).get("total", 0))
            used = int(total * (0.15 + 0.35 * self._fraction(entity_path, "used")))
            return {"total": total, "free": total - used, "utilization": round(100 * used / total) if total else 0}[key]
        raise KeyError(source)

    def elapsed(self) -> float:
        return time.monotonic() - self.device.boot_monotonic

    def current(self, kpi, entity_path: str, entity: dict | None = None):
        return self.value_at(kpi, entity_path, self.elapsed(), entity)

    def wire(self, value):
        """A value as the device's firmware writes it: 7.20A as a string (the guide's section 11.6
        examples), 7.40A and later as a JSON number (section 11.7, and 7.40A devices in the field)."""
        if value is None:
            return None
        return str(value) if self.device.firmware.startswith("7.20") else value

    # -- history intervals

    def intervals(self) -> list[dict]:
        """Completed collection intervals since boot (at most MAX_INTERVALS), oldest first."""
        length = self.device.kpi_interval_seconds
        completed = int(self.elapsed() // length)
        first = max(0, completed - MAX_INTERVALS)
        return [self.interval(number) for number in range(first, completed)]

    def interval(self, number: int) -> dict:
        length = self.device.kpi_interval_seconds
        start = self.device.boot_wall + number * length
        return {"id": number, "start": _rfc3339(start), "end": _rfc3339(start + length),
                "url": f"/api/v1/kpi/interval?id={number}"}

    def interval_value(self, kpi, entity_path: str, number: int, entity: dict | None = None):
        """A counter's growth within the interval; a gauge's or a state's value at its end."""
        length = self.device.kpi_interval_seconds
        end = self.value_at(kpi, entity_path, (number + 1) * length, entity)
        if kpi.type == COUNTER:
            return end - self.value_at(kpi, entity_path, number * length, entity)
        return end


def _ip_group_description(row: dict) -> str:
    """An IP group's own description: its type and where it points, e.g. "Server IP group, proxy set ITSP, SRD DefaultSRD"."""
    parts = [f"{IP_GROUP_TYPES.get(row.get('Type'), 'Server')} IP group"]
    if row.get("ProxySetName"):
        parts.append(f"proxy set {row['ProxySetName']}")
    if row.get("SRDName"):
        parts.append(f"SRD {row['SRDName']}")
    return ", ".join(parts)


def _srd_description(row: dict) -> str:
    sharing = "Isolated" if row.get("SharingPolicy") == 1 else "Shared"
    policy = row.get("SBCRoutingPolicyName")
    return f"{sharing} SRD" + (f", routing policy {policy}" if policy else "")


def _rfc3339(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")
