# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the REST API tells about high availability (HA), in one place. Pure: no Ansible imports.

``GET /api/v1/status`` has one HA field, ``highAvailability``. The guides show only "Stand Alone"
(v1.0) and "Not Operational" (v7.4), both on devices without a partner; the values an HA pair
reports are the collection's choice, written in docs/ha.md. A pair is one managed address: the
active unit answers, so ``serialNumber`` names the active unit.
"""

from __future__ import annotations

from typing import Any

# highAvailability of a device without an HA partner (v7.4, v1.0 guides' examples).
STAND_ALONE_STATES = ("Not Operational", "Stand Alone", "")
# highAvailability of a pair -> the collection's name for the pair's state.
OPERATIONAL = "Operational"
SYNCHRONIZING = "Synchronizing"
REDUNDANT_NOT_AVAILABLE = "Redundant Not Available"
PAIR_STATES = {
    OPERATIONAL: "operational",                        # both units up, the redundant one synchronized
    SYNCHRONIZING: "synchronizing",                    # the redundant unit receives the active's state
    REDUNDANT_NOT_AVAILABLE: "redundant_not_available",  # the active unit runs alone
}
STAND_ALONE = "stand_alone"
PAIR = "pair"
UNKNOWN = "unknown"


def is_stand_alone(status: dict[str, Any] | None) -> bool:
    """True when a raw ``GET status`` answer shows a device without an HA partner."""
    return str((status or {}).get("highAvailability") or "") in STAND_ALONE_STATES


def ha_summary(ha_state: str | None, serial: str | None = None) -> dict[str, Any]:
    """The HA facts for a ``highAvailability`` text and the serial number that answered.

    ``mode``: stand_alone or pair. ``state``: stand_alone, operational, synchronizing,
    redundant_not_available, or unknown (a text the collection does not know: treated as a pair
    that is not operational, the safe side). ``operational``: the pair can lose a unit without
    losing service (false for a stand-alone device). ``active_serial``: the unit serving a pair.
    """
    text = str(ha_state or "")
    if text in STAND_ALONE_STATES:
        return {"mode": STAND_ALONE, "state": STAND_ALONE, "operational": False, "synchronized": False,
                "active_serial": None}
    state = PAIR_STATES.get(text, UNKNOWN)
    return {"mode": PAIR, "state": state, "operational": state == "operational",
            "synchronized": state == "operational", "active_serial": serial}
