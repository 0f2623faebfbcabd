# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers of a device as the REST API guides show them, for the fake HTTP conversations."""
from __future__ import annotations

from tests.unit.framework.fake_http import Call

FIRMWARE = "7.40A.500.010"
SERIAL = "101780235059663"

# GET /api/v1: the navigation tree; /kpi says v7.4, /performanceMonitoring says v1.0.
NAV_V74 = {"items": [{"id": name, "url": "/api/v1/" + name}
                     for name in ("actions", "alarms", "files", "license", "status", "kpi")]}
NAV_V10 = {"items": [{"id": name, "url": "/api/v1/" + name}
                     for name in ("actions", "alarms", "files", "license", "performanceMonitoring", "status")]}


def api_generation(version="7.4"):
    """The standing answer to the API generation probe (GET /api/v1), asked at most when needed."""
    return Call("GET", "", answer=NAV_V10 if version == "1.0" else NAV_V74)


def status(**changes):
    """GET /api/v1/status of a stand-alone v7.4 device."""
    answer = {
        "localTimeStamp": "2024-03-01T10:00:00.000Z",
        "ipAddress": "10.4.219.229",
        "subnetMask": "255.255.0.0",
        "defaultGateway": "10.4.0.1",
        "productType": "Mediant VE SBC",
        "versionID": FIRMWARE,
        "protocolType": "SIP",
        "operationalState": "UNLOCKED",
        "highAvailability": "Not Operational",
        "serialNumber": SERIAL,
        "macAddress": "fa163e6e7e1d",
        "systemUpTime": 5000,
        "saveNeeded": False,
        "resetNeeded": False,
    }
    answer.update(changes)
    return answer


BUSY = {"description": "Device is currently performing HA synchronization"}
