"""Read-only facts about a device that configuration views need (``show`` commands, INI header)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


def _no_running_config() -> str:
    return ""


@dataclass
class ShowContext:
    """What a CLI ``show`` command may report about the device it runs on.

    Built by the device for every incremental CLI run; the configuration model only reads it.
    """

    product: str = "Mediant VE SBC"
    board_type: str = "73"
    serial: str = "101780235059663"
    version: str = "7.40A.500.010"
    uptime_seconds: int = 0
    ip: str = "127.0.0.1"
    mask: str = "255.0.0.0"
    gateway: str = "0.0.0.0"
    mac: str = "00908f000000"
    ha_state: str = "Not Operational"
    license_description: str = ""
    running_config: Callable[[], str] = field(default=_no_running_config)
