# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device's INI configuration file (``files/ini``), for the device layer (device.py): read and
parsed, changed by an incremental file, or replaced as a whole (the device resets to load it).
A file the device refuses fails the task saying whether the configuration is still as it was."""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini import IniDocument, IniError, parse
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError

FULL_INI = "files/ini"
INCREMENTAL_INI = "files/ini/incremental"
# The comments a device writes above the first section of its INI file name its firmware
# (REST API guide v7.4, 7.1.2: ";Software Version: 7.20A.200.014"), hence the API generation.
SOFTWARE_VERSION = re.compile(r";\s*Software Version:\s*(\S+)")
HEADER_SIZE = 2048


def firmware_in_header(text: str) -> str | None:
    """The firmware version in the header comments of a device's INI file, or None."""
    for line in text[:HEADER_SIZE].splitlines():
        if line.lstrip().startswith("["):  # the header ends at the first section
            return None
        match = SOFTWARE_VERSION.match(line.strip())
        if match:
            return match.group(1)
    return None


def with_line(description: str | None, sent: str) -> str:
    """The device's description, plus the text of the line it names in the file that was sent."""
    match = re.match(r"\s*line (\d+)\b", description or "", re.IGNORECASE)
    lines = sent.splitlines()
    if match and 0 < int(match.group(1)) <= len(lines):
        return "{0} (line {1} of the INI sent: {2})".format(description, match.group(1), lines[int(match.group(1)) - 1].strip())
    return description or "no reason given"


class IniConfiguration:
    """The INI configuration file of one device."""

    def __init__(self, device: Device):
        self.device = device
        self.client = device.client

    def read(self) -> tuple[str, IniDocument]:
        """The device's INI file: its text and the parsed document."""
        text = self.client.get_text(FULL_INI)
        self.client.learn_firmware(firmware_in_header(text))  # an upload then needs no GET /api/v1
        try:
            return text, parse(text)
        except IniError as err:
            raise MediantError("The device's INI file (GET {0}) could not be read: {1}".format(FULL_INI, err)) from None

    def send_incremental(self, sent: str, before: str, **result: Any) -> bool:
        """Send the incremental INI file ``sent``; whether the device says a reset is needed. A
        refused file fails the task (see refused); ``before``: the INI text read before."""
        try:
            answer = self.client.upload(INCREMENTAL_INI, content=sent, filename="incremental.ini",
                                        busy_timeout=self.device.busy_timeout)
        except MediantError as err:
            raise self.refused(err, sent, before, result) from None
        return bool((answer or {}).get("resetNeeded"))

    def replace(self, text: str, before: str, wait: bool, wait_timeout: int, result: dict[str, Any],
                src: str | None = None) -> bool:
        """Upload ``text`` as the whole INI file (streamed from the file ``src`` when given, which
        holds that text); the device resets to load it. With ``wait``, wait until it is back;
        whether it was waited for. Sets ``result["description"]`` (the device's answer)."""
        uptime = self.device.status().get("systemUpTime")
        try:
            if src is not None:
                answer = self.client.upload(FULL_INI, src=src, filename="config.ini", busy_timeout=self.device.busy_timeout)
            else:
                answer = self.client.upload(FULL_INI, content=text, filename="config.ini",
                                            busy_timeout=self.device.busy_timeout)
        except MediantError as err:
            raise self.refused(err, text, before, result) from None
        result["description"] = (answer or {}).get("description")
        if not wait:
            return False
        self.device.wait_until_back("the INI file and resets to load it", wait_timeout, uptime, **result)
        return True

    def refused(self, err: MediantError, sent: str, before: str, result: dict[str, Any]) -> Exception:
        """A 400 refusal as the failure that names the device's reason (and the line of ``sent`` it
        names) and says whether the configuration is unchanged; any other error as it is."""
        if err.status != 400:
            return err
        return self.device.refused(
            "The device rejected the INI file (HTTP {0}): {1}. ".format(err.status, with_line(err.description, sent)),
            FULL_INI, before, "The device's configuration is unchanged.", "The device's configuration HAS changed.",
            **dict(result, **err.to_result()))
