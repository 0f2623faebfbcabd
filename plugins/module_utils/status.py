# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device status (``GET /api/v1/status``) as every module returns it: snake_case names.

One conversion for ``mediant_facts`` (``ansible_facts.mediant.status``) and the
``device_status`` of ``mediant_reset`` and ``mediant_software``. Pure: no Ansible imports.
"""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.audiocodes.mediant.plugins.module_utils.ha import ha_summary

# Status keys as the REST API guide names them -> the collection's names; any other key the
# device sends is converted to snake_case (snake_case()), so nothing it reports is lost.
STATUS_KEYS = {
    "versionID": "version",
    "productType": "product",
    "serialNumber": "serial",
    "highAvailability": "ha_state",
    "systemUpTime": "uptime",
    "operationalState": "operational_state",
    "ipAddress": "ip_address",
    "subnetMask": "subnet_mask",
    "defaultGateway": "default_gateway",
    "macAddress": "mac_address",
    "protocolType": "protocol_type",
    "localTimeStamp": "local_time",
    "saveNeeded": "save_needed",
    "resetNeeded": "reset_needed",
}


def snake_case(name: str) -> str:
    """``someKeyName`` -> ``some_key_name``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def status_facts(status: dict[str, Any] | None) -> dict[str, Any]:
    """A ``GET status`` answer with the collection's snake_case names, plus ``ha`` (see ha.ha_summary)."""
    facts = {STATUS_KEYS.get(key, snake_case(key)): value for key, value in (status or {}).items()}
    facts["ha"] = ha_summary(facts.get("ha_state"), facts.get("serial"))
    return facts
