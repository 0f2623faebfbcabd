"""Performance monitoring values that live: counters grow with time since boot, gauges move.

Every value is a pure function of (device serial, KPI path, seconds since boot), so two reads a
moment apart differ and a history interval's value is the counter's growth within it.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import datetime, timezone

MAX_INTERVALS = 96


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    description: str
    kind: str = "counter"      # "counter" grows monotonically; "gauge" moves up and down
    rate: float = 1.0          # counter growth per second, or gauge amplitude


def _kpis(*rows) -> tuple:
    return tuple(Kpi(*row) for row in rows)


CALL_KPIS = _kpis(
    ("abnormalTerminatedCallsInTotal", "Abnormal Terminated Calls In Total",
     "Total number of abnormally terminated inbound calls (after connect)", "counter", 0.05),
    ("abnormalTerminatedCallsOutTotal", "Abnormal Terminated Calls Out Total",
     "Total number of abnormally terminated outbound calls (after connect)", "counter", 0.04),
    ("activeCallsIn", "Active Calls In", "Number of active inbound calls", "gauge", 20),
    ("activeCallsOut", "Active Calls Out", "Number of active outbound calls", "gauge", 15),
    ("attemptedCallsInTotal", "Attempted Calls In Total", "Total number of attempted inbound calls", "counter", 2.0),
    ("attemptedCallsOutTotal", "Attempted Calls Out Total", "Total number of attempted outbound calls", "counter", 1.5),
    ("attemptedCallsRateOut", "Attempted Calls Rate Out", "Rate of attempted outbound calls (call attempts per second)", "gauge", 4),
    ("busyCallsInTotal", "Busy Calls In Total", "Total number of inbound calls that failed because the destination was busy", "counter", 0.1),
    ("establishedCallsInTotal", "Established Calls In Total", "Total number of established inbound calls", "counter", 1.8),
    ("establishedCallsOutTotal", "Established Calls Out Total", "Total number of established outbound calls", "counter", 1.3),
    ("noAnswerCallsInTotal", "No Answer Calls In Total", "Total number of inbound calls that were not answered", "counter", 0.2),
    ("shortCallsCounterTotal", "Short Calls Counter Total", "Total number of calls shorter than the short-call threshold", "counter", 0.07),
)
OTHER_KPIS = _kpis(
    ("otherDialogsInTotal", "Other Dialogs In Total", "Total number of inbound non-call SIP dialogs", "counter", 3.0),
    ("otherDialogsOutTotal", "Other Dialogs Out Total", "Total number of outbound non-call SIP dialogs", "counter", 2.5),
    ("subscribeDialogsActive", "Active SUBSCRIBE Dialogs", "Number of active SUBSCRIBE dialogs", "gauge", 30),
)
MEDIA_KPIS = _kpis(
    ("activeMediaSessions", "Active Media Sessions", "Number of active media sessions", "gauge", 25),
    ("rtpPacketsTxTotal", "RTP Packets Tx Total", "Total number of RTP packets sent", "counter", 500.0),
    ("rtpPacketsRxTotal", "RTP Packets Rx Total", "Total number of RTP packets received", "counter", 480.0),
)
NETWORK_KPIS = _kpis(
    ("rxBytesTotal", "Rx Bytes Total", "Total number of bytes received on the network interfaces", "counter", 90000.0),
    ("txBytesTotal", "Tx Bytes Total", "Total number of bytes sent on the network interfaces", "counter", 85000.0),
    ("rxPacketsTotal", "Rx Packets Total", "Total number of packets received", "counter", 700.0),
    ("txPacketsTotal", "Tx Packets Total", "Total number of packets sent", "counter", 650.0),
)
SYSTEM_KPIS = _kpis(
    ("cpuUtilization", "CPU Utilization", "CPU utilization in percent", "gauge", 35),
    ("memoryUtilization", "Memory Utilization", "Memory utilization in percent", "gauge", 20),
    ("upTime", "Up Time", "Seconds since the last boot", "counter", 1.0),
)

# application → (description, {group → (description, {entity → (description, indexed, kpis)})})
TREE = {
    "sbc": ("SBC application statistics", {
        "callStats": ("Call statistics", {
            "global": ("Global call statistics", False, CALL_KPIS),
            "ipGroup": ("Per-IPGroup statistics", True, CALL_KPIS),
        }),
        "otherStats": ("Other Dialogs statistics", {
            "global": ("Global other dialogs statistics", False, OTHER_KPIS),
        }),
    }),
    "media": ("Media application statistics", {
        "mediaStats": ("Media statistics", {"global": ("Global media statistics", False, MEDIA_KPIS)}),
    }),
    "network": ("Network statistics", {
        "interfaceStats": ("Network interface statistics", {"global": ("All interfaces", False, NETWORK_KPIS)}),
    }),
    "system": ("System statistics", {
        "systemStats": ("System resources", {"global": ("Device-wide resources", False, SYSTEM_KPIS)}),
    }),
}


class KpiModel:
    def __init__(self, device):
        self.device = device

    # -- entities

    def ip_groups(self) -> list[dict]:
        groups = []
        for row in self.device.running.table_rows("IPGroup"):
            try:
                index = int(row.get("Index"))
            except (TypeError, ValueError):
                continue
            groups.append({"id": index, "name": str(row.get("Name", "")), "description": str(row.get("Description") or row.get("Name", ""))})
        return sorted(groups, key=lambda group: group["id"])

    # -- values

    def _seed(self, path: str) -> float:
        digest = hashlib.sha256(f"{self.device.kpi_identity}/{path}".encode()).digest()
        return 0.5 + digest[0] / 255.0   # 0.5 .. 1.5

    def value_at(self, kpi: Kpi, path: str, elapsed: float) -> int:
        seed = self._seed(path)
        if kpi.kind == "counter":
            if kpi.id == "upTime":
                return int(elapsed)
            return int(kpi.rate * seed * elapsed)
        # Gauges swing around their amplitude with a period of a couple of minutes.
        return max(0, int(round(kpi.rate * seed * (1 + 0.5 * math.sin(elapsed / (20 * seed) + seed * 7)))))

    def elapsed(self) -> float:
        return time.monotonic() - self.device.boot_monotonic

    def current(self, kpi: Kpi, path: str) -> int:
        return self.value_at(kpi, path, self.elapsed())

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

    def interval_value(self, kpi: Kpi, path: str, number: int) -> int:
        length = self.device.kpi_interval_seconds
        if kpi.kind == "counter":
            return self.value_at(kpi, path, (number + 1) * length) - self.value_at(kpi, path, number * length)
        return self.value_at(kpi, path, (number + 1) * length)


def _rfc3339(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")
