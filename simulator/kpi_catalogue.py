"""The KPI tree of a 7.40A SBC as data: applications, groups, entities and typed KPIs.

One catalogue serves every view: current values, history intervals, per-entity listings. A
group's KPIs are the same for each of its entities (``global``, one IP group, one SRD), as on a
device, so a client that names its metrics after the global listing finds them per entity too.

KPI types (what the value does over time, ``simulator/kpi.py``):

- ``counter``: a total since boot; never goes down. ``rate`` is its growth per second at an
  entity's average activity.
- ``gauge``: a level that moves within ``[low, high]`` (percentages, calls in progress, MOS in
  tenths, milliseconds).
- ``state``: read from the device (``source`` names it: HA state, license, storage sizes).

Names follow the device's KPI names where public sources show them (the guide's chapter 11 and
clients written against 7.40A devices); docs/simulator.md lists what is the simulator's own.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTER, GAUGE, STATE = "counter", "gauge", "state"


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    description: str
    type: str = COUNTER
    rate: float = 0.0          # counter: growth per second
    low: float = 0             # gauge: range
    high: float = 0
    source: str = ""           # state: what the device reports (see KpiModel.state_value)
    unit: str = ""

    def __post_init__(self):
        if self.type not in (COUNTER, GAUGE, STATE):
            raise ValueError(f"KPI {self.id}: unknown type {self.type!r}")
        if self.type == GAUGE and not self.low <= self.high:
            raise ValueError(f"KPI {self.id}: gauge range {self.low}..{self.high}")
        if self.type == STATE and not self.source:
            raise ValueError(f"KPI {self.id}: a state KPI needs a source")


@dataclass(frozen=True)
class Entity:
    id: str
    description: str
    indexes: str = ""          # "" for a singular entity, else the index source (KpiModel.entity_rows)


@dataclass(frozen=True)
class Group:
    id: str
    description: str
    entities: tuple
    kpis: tuple


@dataclass(frozen=True)
class Application:
    id: str
    description: str
    groups: tuple


def counter(kpi_id, name, description, rate, unit=""):
    return Kpi(kpi_id, name, description, COUNTER, rate=rate, unit=unit)


def gauge(kpi_id, name, description, low, high, unit=""):
    return Kpi(kpi_id, name, description, GAUGE, low=low, high=high, unit=unit)


def state(kpi_id, name, description, source, unit=""):
    return Kpi(kpi_id, name, description, STATE, source=source, unit=unit)


def _sorted(*kpis):
    """KPIs in the order devices list them (by id), ids unique."""
    ids = [kpi.id for kpi in kpis]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate KPI ids in {ids}")
    return tuple(sorted(kpis, key=lambda kpi: kpi.id))


IP_GROUP = Entity("ipGroup", "Per-IPGroup statistics", "ipGroup")
SRD = Entity("srd", "Per-SRD statistics", "srd")


def _global(description):
    return Entity("global", description)


CALL_STATS = _sorted(
    counter("abnormalTerminatedCallsInTotal", "Abnormal Terminated Calls In Total",
            "Total number of abnormally terminated inbound calls (after connect)", 0.02),
    counter("abnormalTerminatedCallsOutTotal", "Abnormal Terminated Calls Out Total",
            "Total number of abnormally terminated outbound calls (after connect)", 0.015),
    gauge("activeCallsIn", "Active Calls In", "Number of active inbound calls", 0, 120),
    gauge("activeCallsOut", "Active Calls Out", "Number of active outbound calls", 0, 100),
    counter("admissionFailedCallsIn", "Admission Failed Calls In",
            "Total number of inbound calls rejected by call admission control", 0.01),
    counter("admissionFailedCallsOut", "Admission Failed Calls Out",
            "Total number of outbound calls rejected by call admission control", 0.008),
    gauge("answerSeizureRatio", "Answer Seizure Ratio", "Answered calls as a percentage of attempted calls", 45, 75, "%"),
    counter("attemptedCallsInTotal", "Attempted Calls In Total", "Total number of attempted inbound calls", 2.0),
    counter("attemptedCallsOutTotal", "Attempted Calls Out Total", "Total number of attempted outbound calls", 1.5),
    gauge("attemptedCallsRateIn", "Attempted Calls Rate In", "Rate of attempted inbound calls (call attempts per second)", 0, 8, "cps"),
    gauge("attemptedCallsRateOut", "Attempted Calls Rate Out", "Rate of attempted outbound calls (call attempts per second)", 0, 6, "cps"),
    counter("busyCallsInTotal", "Busy Calls In Total", "Total number of inbound calls that failed because the destination was busy", 0.1),
    counter("busyCallsOutTotal", "Busy Calls Out Total", "Total number of outbound calls that failed because the destination was busy", 0.08),
    counter("establishedCallsInTotal", "Established Calls In Total", "Total number of established inbound calls", 1.2),
    counter("establishedCallsOutTotal", "Established Calls Out Total", "Total number of established outbound calls", 0.9),
    gauge("failedCallsInRatio", "Failed Calls In Ratio", "Failed inbound calls as a percentage of attempted inbound calls", 0, 10, "%"),
    gauge("failedCallsOutRatio", "Failed Calls Out Ratio", "Failed outbound calls as a percentage of attempted outbound calls", 0, 10, "%"),
    counter("mediaBrokenConnectionCalls", "Media Broken Connection Calls",
            "Total number of calls released because their media stopped (broken connection)", 0.005),
    counter("mediaMismatchCallsIn", "Media Mismatch Calls In", "Total number of inbound calls that failed on a media (coder) mismatch", 0.01),
    counter("mediaMismatchCallsOut", "Media Mismatch Calls Out", "Total number of outbound calls that failed on a media (coder) mismatch", 0.01),
    gauge("networkEffectivenessRatio", "Network Effectiveness Ratio",
          "Calls answered, busy or not answered as a percentage of attempted calls", 90, 99, "%"),
    counter("noAnswerCallsInTotal", "No Answer Calls In Total", "Total number of inbound calls that were not answered", 0.2),
    counter("noAnswerCallsOutTotal", "No Answer Calls Out Total", "Total number of outbound calls that were not answered", 0.15),
    counter("noResourcesCallsIn", "No Resources Calls In", "Total number of inbound calls that failed for lack of resources", 0.004),
    counter("noResourcesCallsOut", "No Resources Calls Out", "Total number of outbound calls that failed for lack of resources", 0.003),
    counter("noRouteCallsIn", "No Route Calls In", "Total number of inbound calls that matched no routing rule", 0.02),
    gauge("postDialDelay", "Post Dial Delay", "Average time from the call attempt to its alerting (ring-back)", 800, 2500, "ms"),
    counter("shortCallsCounterTotal", "Short Calls Counter Total", "Total number of calls shorter than the short-call threshold", 0.07),
)

OTHER_STATS = _sorted(
    counter("otherDialogsInTotal", "Other Dialogs In Total", "Total number of inbound non-call SIP dialogs", 3.0),
    counter("otherDialogsOutTotal", "Other Dialogs Out Total", "Total number of outbound non-call SIP dialogs", 2.5),
    gauge("registerRateIn", "Register Rate In", "Rate of inbound REGISTER requests (per second)", 0, 20, "rps"),
    gauge("registerRateOut", "Register Rate Out", "Rate of outbound REGISTER requests (per second)", 0, 5, "rps"),
    gauge("registeredUsers", "Registered Users", "Number of registered users", 0, 400),
    gauge("sbcRegistrationSuccessRatio", "SBC Registration Success Ratio",
          "Successful registrations of the SBC towards servers as a percentage of attempts", 95, 100, "%"),
    gauge("subscribeDialogsActive", "Active SUBSCRIBE Dialogs", "Number of active SUBSCRIBE dialogs", 0, 60),
    gauge("transactionRate", "Transaction Rate", "Rate of SIP transactions (per second)", 5, 60, "tps"),
    gauge("userRegistrationSuccessRatio", "User Registration Success Ratio",
          "Successful user registrations as a percentage of attempts", 90, 100, "%"),
)

SIPREC_STATS = _sorted(
    gauge("sipRecRate", "SIPRec Rate", "Rate of new SIPRec recording sessions (per second)", 0, 3, "sps"),
    gauge("sipRecSessions", "SIPRec Sessions", "Number of active SIPRec recording sessions", 0, 20),
)

CLUSTER_STATS = _sorted(
    gauge("dspClusterUtilization", "DSP Cluster Utilization", "Utilization of the media cluster's DSP resources", 0, 60, "%"),
    gauge("mediaClusterUtilization", "Media Cluster Utilization", "Utilization of the media cluster's media sessions", 0, 70, "%"),
)

CODER_STATS = _sorted(
    gauge("amrWbSessions", "AMR-WB Sessions", "Number of active media sessions using AMR-WB", 0, 5),
    gauge("g711AlawSessions", "G.711 A-law Sessions", "Number of active media sessions using G.711 A-law", 0, 80),
    gauge("g711UlawSessions", "G.711 mu-law Sessions", "Number of active media sessions using G.711 mu-law", 0, 60),
    gauge("g722Sessions", "G.722 Sessions", "Number of active media sessions using G.722", 0, 20),
    gauge("g729Sessions", "G.729 Sessions", "Number of active media sessions using G.729", 0, 30),
    gauge("opusSessions", "Opus Sessions", "Number of active media sessions using Opus", 0, 15),
    gauge("silkSessions", "SILK Sessions", "Number of active media sessions using SILK", 0, 25),
)

DSP_STATS = _sorted(
    gauge("dspResourceCurrentPercent", "DSP Resource Current Percent", "DSP resources in use, as a percentage of the total", 0, 50, "%"),
    gauge("sbcSessionsCoderTranscoding", "SBC Sessions Coder Transcoding", "Number of SBC sessions transcoding between coders", 0, 30),
    gauge("sbcSessionsCoderTranscodingPercent", "SBC Sessions Coder Transcoding Percent",
          "SBC sessions transcoding between coders, as a percentage of the transcoding capacity", 0, 40, "%"),
)

MEDIA_STATS = _sorted(
    gauge("mediaBandwidthIn", "Media Bandwidth In", "Inbound media bandwidth", 0, 20000, "Kbps"),
    gauge("mediaBandwidthOut", "Media Bandwidth Out", "Outbound media bandwidth", 0, 20000, "Kbps"),
    gauge("mediaDelayIn", "Media Delay In", "Average inbound round-trip delay", 10, 120, "ms"),
    gauge("mediaDelayOut", "Media Delay Out", "Average outbound round-trip delay", 10, 120, "ms"),
    gauge("mediaJitterIn", "Media Jitter In", "Average inbound jitter", 0, 30, "ms"),
    gauge("mediaJitterOut", "Media Jitter Out", "Average outbound jitter", 0, 30, "ms"),
    gauge("mediaMOSIn", "Media MOS In", "Average inbound listening quality (MOS, in tenths: 42 is 4.2)", 35, 44),
    gauge("mediaMOSOut", "Media MOS Out", "Average outbound listening quality (MOS, in tenths: 42 is 4.2)", 35, 44),
    gauge("mediaPacketLossIn", "Media Packet Loss In", "Inbound media packet loss", 0, 2, "%"),
    gauge("mediaPacketLossOut", "Media Packet Loss Out", "Outbound media packet loss", 0, 2, "%"),
    gauge("mediaRtpStreams", "Media RTP Streams", "Number of active RTP streams", 0, 240),
    gauge("mediaStreams", "Media Streams", "Number of active media streams", 0, 240),
    counter("rtpPacketsRxTotal", "RTP Packets Rx Total", "Total number of RTP packets received", 480.0),
    counter("rtpPacketsTxTotal", "RTP Packets Tx Total", "Total number of RTP packets sent", 500.0),
)

DDOS_STATS = _sorted(
    gauge("blockedRemoteHosts", "Blocked Remote Hosts", "Number of remote hosts currently blocked by intrusion detection", 0, 3),
    counter("droppedPacketsTotal", "Dropped Packets Total", "Total number of packets dropped by the rate limiter", 0.5),
    counter("maliciousMessagesTotal", "Malicious Messages Total",
            "Total number of SIP messages that matched the malicious signature database", 0.02),
    counter("malformedMessagesTotal", "Malformed Messages Total", "Total number of malformed SIP messages dropped", 0.01),
)

HA_STATS = _sorted(
    state("haOperationalState", "HA Operational State",
          "High availability state: 0 stand-alone, 1 active (pair synchronized), 2 active (synchronizing), 3 redundant", "ha.operational_state"),
    state("haRedundantConnected", "HA Redundant Connected", "1 when the redundant device is connected, else 0", "ha.redundant_connected"),
    state("haSwitchoversTotal", "HA Switchovers Total", "Total number of switchovers since boot", "ha.switchovers"),
    state("haSyncInProgress", "HA Sync In Progress", "1 while the devices of the pair synchronize, else 0", "ha.synchronizing"),
)

INTERFACE_STATS = _sorted(
    counter("rxBytesTotal", "Rx Bytes Total", "Total number of bytes received on the network interfaces", 90000.0),
    counter("rxPacketsTotal", "Rx Packets Total", "Total number of packets received", 700.0),
    counter("txBytesTotal", "Tx Bytes Total", "Total number of bytes sent on the network interfaces", 85000.0),
    counter("txPacketsTotal", "Tx Packets Total", "Total number of packets sent", 650.0),
)

PORT_STATS = _sorted(
    state("portLinkStatus", "Port Link Status", "1 when the port's link is up, else 0", "port.link"),
    state("portSpeed", "Port Speed", "The port's link speed", "port.speed", "Mbps"),
    counter("rxBytes", "Rx Bytes", "Total number of bytes received on the port", 45000.0),
    counter("rxErrors", "Rx Errors", "Total number of receive errors on the port", 0.001),
    counter("rxPackets", "Rx Packets", "Total number of packets received on the port", 350.0),
    counter("txBytes", "Tx Bytes", "Total number of bytes sent on the port", 42000.0),
    counter("txErrors", "Tx Errors", "Total number of transmit errors on the port", 0.001),
    counter("txPackets", "Tx Packets", "Total number of packets sent on the port", 320.0),
)

CPU_STATS = _sorted(
    gauge("cpuUtilization", "CPU Utilization", "CPU utilization", 5, 60, "%"),
    gauge("cpuUtilizationPeak", "CPU Utilization Peak", "Highest CPU utilization of the last interval", 20, 85, "%"),
)

LICENSE_STATS = _sorted(
    state("farEndUsersLicensed", "Far End Users Licensed", "Registered users (far-end users) the license allows", "license.FEU"),
    gauge("farEndUsersUtilization", "Far End Users Utilization", "Registered users as a percentage of the licensed ones", 0, 80, "%"),
    state("sbcSessionsLicensed", "SBC Sessions Licensed", "SBC sessions the license allows", "license.SBC"),
    gauge("sbcSessionsUtilization", "SBC Sessions Utilization", "SBC sessions in use as a percentage of the licensed ones", 0, 70, "%"),
    state("sipRecSessionsLicensed", "SIPRec Sessions Licensed", "SIPRec recording sessions the license allows", "license.SIPRec"),
)

STORAGE_STATS = _sorted(
    state("storageFree", "Storage Free", "Free space of the partition", "storage.free", "MB"),
    state("storageTotal", "Storage Total", "Size of the partition", "storage.total", "MB"),
    state("storageUtilization", "Storage Utilization", "Used space as a percentage of the partition's size", "storage.utilization", "%"),
)

SYSTEM_STATS = _sorted(
    gauge("cpuUtilization", "CPU Utilization", "CPU utilization", 5, 60, "%"),
    gauge("memoryUtilization", "Memory Utilization", "Memory utilization", 15, 45, "%"),
    state("upTime", "Up Time", "Seconds since the last boot", "system.uptime", "s"),
)

APPLICATIONS = (
    Application("sbc", "SBC application statistics", (
        Group("callStats", "Call statistics", (_global("Global call statistics"), IP_GROUP, SRD), CALL_STATS),
        Group("otherStats", "Other Dialogs statistics", (_global("Global other dialogs statistics"), IP_GROUP, SRD), OTHER_STATS),
        Group("sipRecStats", "SIPRec statistics", (_global("Global SIPRec statistics"), IP_GROUP), SIPREC_STATS),
    )),
    Application("media", "Media application statistics", (
        Group("clusterStats", "Media cluster statistics", (_global("Media cluster statistics"),), CLUSTER_STATS),
        Group("coderStats", "Coder statistics", (_global("Global coder statistics"), IP_GROUP), CODER_STATS),
        Group("dspStats", "DSP statistics", (_global("DSP resource statistics"),), DSP_STATS),
        Group("mediaStats", "Media statistics", (_global("Global media statistics"), IP_GROUP), MEDIA_STATS),
    )),
    Application("network", "Network statistics", (
        Group("ddosStats", "DDoS and intrusion statistics", (_global("Global DDoS statistics"),), DDOS_STATS),
        Group("haStats", "High availability statistics", (_global("High availability of this device"),), HA_STATS),
        Group("interfaceStats", "Network interface statistics", (_global("All interfaces"),), INTERFACE_STATS),
        Group("portStats", "Ethernet port statistics", (Entity("port", "Per-port statistics", "port"),), PORT_STATS),
    )),
    Application("system", "System statistics", (
        Group("cpuStats", "CPU statistics", (_global("All CPUs"), Entity("cpu", "Per-CPU statistics", "cpu")), CPU_STATS),
        Group("licenseStats", "License utilization statistics", (_global("License utilization"),), LICENSE_STATS),
        Group("storageStats", "Storage statistics", (Entity("partition", "Per-partition statistics", "partition"),), STORAGE_STATS),
        Group("systemStats", "System resources", (_global("Device-wide resources"),), SYSTEM_STATS),
    )),
)

# Fixed entity lists of a VE SBC (the configuration holds IP groups and SRDs).
PORTS = ({"id": 0, "name": "GE_1", "description": "User Port#0"}, {"id": 1, "name": "GE_2", "description": "User Port#1"})
CPUS = ({"id": 0, "name": "CPU 0", "description": "Control and signaling CPU"}, {"id": 1, "name": "CPU 1", "description": "Media CPU"})
PARTITIONS = ({"id": 0, "name": "System", "description": "Software loads and configuration", "total": 4096},
              {"id": 1, "name": "Data", "description": "Logs, recordings and auxiliary files", "total": 16384})


def find(items, name: str):
    """The item whose id is ``name``, compared case-insensitively as devices do (``callstats``)."""
    lowered = name.lower()
    return next((item for item in items if item.id.lower() == lowered), None)


def kpi_at(path: str) -> Kpi:
    """The KPI at ``app/group/entity/kpi`` (entity indexes left out); KeyError when there is none."""
    app_id, group_id, _entity, kpi_id = path.strip("/").split("/")
    app = find(APPLICATIONS, app_id)
    group = find(app.groups, group_id) if app else None
    kpi = find(group.kpis, kpi_id) if group else None
    if kpi is None:
        raise KeyError(path)
    return kpi
