# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Follow a software upgrade from the managed address, phase by phase. No Ansible imports.

After ``PUT files/software`` (standard) or ``files/software/hitless`` the device runs the upgrade
itself and the API has no job to ask about. What one can see is ``GET /status`` from the one
address: whether it answers, which unit answers (``serialNumber``), its version, its uptime, and the
pair's ``highAvailability``. ``classify`` turns one such observation (and the phase seen before)
into a phase; ``UpgradeFollower`` polls and reports transitions. The phases and what they mean are
listed in docs/ha.md; this module is the one place that defines them.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ansible_collections.audiocodes.mediant.plugins.module_utils.ha import ha_summary
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import DeviceUnreachable, MediantError
from ansible_collections.audiocodes.mediant.plugins.module_utils.status import status_facts

if TYPE_CHECKING:
    from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantClient

    # Status facts (status.status_facts): snake_case names -> the device's values.
    Status = dict[str, Any]

HITLESS = "hitless"
STANDARD = "standard"
METHODS = (HITLESS, STANDARD)

# Phases that lead to completion.
ACCEPTED = "accepted"
REDUNDANT_UPGRADE = "redundant_upgrade"
REDUNDANT_SYNC = "redundant_sync"
AWAITING_SWITCHOVER = "awaiting_switchover"
SWITCHOVER = "switchover"
PEER_UPGRADE = "peer_upgrade"
PEER_SYNC = "peer_sync"
RESETTING = "resetting"
PAIR_SYNC = "pair_sync"
UNREACHABLE = "unreachable"
COMPLETED = "completed"
# Phases that end the upgrade as a failure.
OLD_VERSION = "old_version"
WRONG_VERSION = "wrong_version"
FAILOVER = "failover"
FAILED_PHASES = (OLD_VERSION, WRONG_VERSION, FAILOVER)

HITLESS_PHASES = (ACCEPTED, REDUNDANT_UPGRADE, REDUNDANT_SYNC, AWAITING_SWITCHOVER, SWITCHOVER, PEER_UPGRADE, PEER_SYNC,
                  UNREACHABLE, COMPLETED)
STANDARD_PHASES = (ACCEPTED, RESETTING, PAIR_SYNC, COMPLETED)
PHASES = tuple(dict.fromkeys(HITLESS_PHASES + STANDARD_PHASES + FAILED_PHASES))
# Before the switchover the original unit serves; an address that stops answering then is the switchover.
BEFORE_SWITCHOVER = (ACCEPTED, REDUNDANT_UPGRADE, REDUNDANT_SYNC, AWAITING_SWITCHOVER, SWITCHOVER)

DESCRIPTIONS = {
    ACCEPTED: "the device accepted the load; nothing has changed yet",
    REDUNDANT_UPGRADE: "the redundant unit installs the load and resets; the active unit {serial} serves on {version}",
    REDUNDANT_SYNC: "the redundant unit runs the new load and synchronizes with the active unit {serial}",
    AWAITING_SWITCHOVER: "the pair is operational again on unit {serial} ({version}); waiting for the switchover",
    SWITCHOVER: "switchover: the address does not answer while the redundant unit takes over",
    PEER_UPGRADE: "unit {serial} is active on {version}; the former active unit installs the load and resets",
    PEER_SYNC: "the former active unit runs the new load and synchronizes with the active unit {serial}",
    UNREACHABLE: "the address does not answer",
    RESETTING: "the device resets to start the new load; the address does not answer",
    PAIR_SYNC: "unit {serial} is back on {version}; the pair's redundant unit is not synchronized yet ({ha_state})",
    COMPLETED: "unit {serial} runs {version}; the upgrade is complete",
    OLD_VERSION: "the device reset and came back on {version}, its version before the upgrade: the new load did not take",
    WRONG_VERSION: "unit {serial} runs {version}, neither the version before nor the target",
    FAILOVER: "unit {serial} took over on the old version {version}: a failover, not the upgrade",
}
# Phase -> the group of phases one timeout covers (the role's software_upgrade_timeouts keys).
TIMEOUT_GROUPS = {
    ACCEPTED: "start",
    REDUNDANT_UPGRADE: "install", PEER_UPGRADE: "install",
    REDUNDANT_SYNC: "sync", PEER_SYNC: "sync", PAIR_SYNC: "sync",
    AWAITING_SWITCHOVER: "switchover", SWITCHOVER: "switchover", UNREACHABLE: "switchover",
    RESETTING: "reset",
}
TIMEOUT_GROUP_NAMES = ("start", "install", "sync", "switchover", "reset")
# How much a device's uptime may lag its clock before we call it a reset (seconds).
UPTIME_SLACK = 3
# The same once the address was seen not answering: uptime is whole seconds, so without a reset
# it lags the clock by less than one second; a unit that booted a moment ago is then told apart.
UPTIME_SLACK_AFTER_DOWN = 1


def parse_device_time(text: Any) -> datetime | None:
    """``localTimeStamp`` (2010-01-17T17:29:15.000Z) as an aware datetime, or None."""
    for pattern in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(str(text), pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def reset_seen(before: Status, now: Status, slack: float = UPTIME_SLACK) -> bool:
    """True when ``now``'s uptime shows the unit that answers booted after ``before`` was taken."""
    uptime_before, uptime_now = before.get("uptime"), now.get("uptime")
    if not isinstance(uptime_before, int) or not isinstance(uptime_now, int):
        return False
    elapsed = 0.0
    then, current = parse_device_time(before.get("local_time")), parse_device_time(now.get("local_time"))
    if then is not None and current is not None:
        elapsed = max(0.0, (current - then).total_seconds())
    return uptime_now + slack < uptime_before + elapsed


def classify(method: str, before: Status, target: str, now: Status | None, last: str = ACCEPTED,
             went_down: bool = False) -> str:
    """The phase one observation shows.

    ``before``: status facts (snake_case) of the unit that answered before the upload; ``now``:
    status facts now, or None when the address did not answer; ``last``: the phase seen before;
    ``went_down``: the address was seen not answering since the upload.
    """
    if method == HITLESS:
        return _classify_hitless(before, target, now, last)
    return _classify_standard(before, target, now, last, went_down)


def _classify_hitless(before: Status, target: str, now: Status | None, last: str) -> str:
    if now is None:
        return SWITCHOVER if last in BEFORE_SWITCHOVER else UNREACHABLE
    state = ha_summary(now.get("ha_state"), now.get("serial"))["state"]
    same_unit = now.get("serial") == before.get("serial")
    version = now.get("version")
    if version == target and (not same_unit or version != before.get("version")):
        if state == "operational":
            return COMPLETED
        return PEER_SYNC if state == "synchronizing" else PEER_UPGRADE
    if not same_unit:
        return FAILOVER if version == before.get("version") else WRONG_VERSION
    if version != before.get("version"):
        return WRONG_VERSION
    if state == "redundant_not_available":
        return REDUNDANT_UPGRADE
    if state == "synchronizing":
        return REDUNDANT_SYNC
    # Operational on the original unit and version: not started yet, or the redundant unit is
    # ready and the switchover is due (or will never come: the phase's timeout tells).
    return ACCEPTED if last == ACCEPTED else AWAITING_SWITCHOVER


def _classify_standard(before: Status, target: str, now: Status | None, last: str, went_down: bool = False) -> str:
    if now is None:
        return RESETTING
    uptime_known = isinstance(now.get("uptime"), int) and isinstance(before.get("uptime"), int)
    if uptime_known:
        # A device that booted just before the upload (uptime below UPTIME_SLACK) reinstalling its
        # own version shows its reset only by the tighter slack once it was seen down.
        rebooted = reset_seen(before, now, UPTIME_SLACK_AFTER_DOWN if went_down else UPTIME_SLACK)
    else:
        rebooted = went_down or last in (RESETTING, PAIR_SYNC)
    version = now.get("version")
    if version == target and (version != before.get("version") or rebooted):
        summary = ha_summary(now.get("ha_state"), now.get("serial"))
        if summary["mode"] == "pair" and not summary["operational"]:
            return PAIR_SYNC
        return COMPLETED
    if rebooted:
        return OLD_VERSION if version == before.get("version") else WRONG_VERSION
    return ACCEPTED


def describe(phase: str, now: Status | None) -> str:
    now = now or {}
    return DESCRIPTIONS.get(phase, phase).format(serial=now.get("serial") or "?", version=now.get("version") or "?",
                                                 ha_state=now.get("ha_state") or "?")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PhaseTimeout(Exception):
    """The wait ended before the phase did: ``phase``; ``group`` and ``limit`` when a phase timeout fired."""

    def __init__(self, phase: str, group: str | None = None, limit: float | None = None) -> None:
        super().__init__(phase)
        self.phase = phase
        self.group = group
        self.limit = limit


class UpgradeFollower:
    """Polls the status of one address and classifies each answer into a phase."""

    def __init__(self, client: MediantClient, method: str, before: Status, target: str, poll_interval: float = 2.0,
                 probe_timeout: float = 5.0) -> None:
        if method not in METHODS:
            raise ValueError("method must be one of {0}".format(", ".join(METHODS)))
        self.client = client
        self.method = method
        self.before = before
        self.target = target
        self.poll_interval = poll_interval
        self.probe_timeout = probe_timeout
        self.now: Status | None = None            # last status facts (None while the address does not answer)
        self.last_answer: Status | None = None    # last status facts that came from an answer
        self.transitions: list[dict[str, Any]] = []
        self.unreachable_seconds = 0.0
        self.went_down = False     # the address did not answer at least once since the upload

    def observe(self) -> Status | None:
        """Status facts now, or None when the address does not answer (reset, switchover)."""
        try:
            response = self.client.request("GET", "status", retry=False, timeout=self.probe_timeout)
        except DeviceUnreachable:
            self.client.close()   # pooled keep-alive connections died with the unit that served them
            return None
        except MediantError as err:
            if (err.status or 0) >= 500:
                return None
            raise
        return status_facts(response.json() if response.content else {})

    def follow(self, phase: str = ACCEPTED, until: str = "change", timeout: float = 600.0,
               phase_timeouts: dict[str, float] | None = None) -> str:
        """Poll until the phase differs from ``phase`` (``until="change"``) or the upgrade is complete
        (``until="completion"``); a failed phase returns at once. Raises PhaseTimeout after ``timeout``
        s, or when the current phase lasted longer than ``phase_timeouts[TIMEOUT_GROUPS[phase]]``."""
        started = time.monotonic()
        deadline = started + timeout
        current = phase
        # A run that resumes from "resetting" (mediant_upgrade_progress called again) saw it down.
        self.went_down = self.went_down or phase == RESETTING
        phase_since = started
        last_poll: float | None = None
        while True:
            polled = time.monotonic()
            now = self.observe()
            if now is None and last_poll is not None and self.now is None:
                self.unreachable_seconds += polled - last_poll
            last_poll = polled
            self.now = now
            if now is None:
                self.went_down = True
            else:
                self.last_answer = now
            seen = classify(self.method, self.before, self.target, now, current, self.went_down)
            if seen != current:
                current = seen
                phase_since = time.monotonic()
                self.transitions.append({"phase": seen, "at": utc_now(), "elapsed": round(time.monotonic() - started, 1),
                                         "unit": (now or {}).get("serial"), "version": (now or {}).get("version"),
                                         "ha_state": (now or {}).get("ha_state"), "description": describe(seen, now)})
            if seen in FAILED_PHASES or seen == COMPLETED or (until == "change" and seen != phase):
                return seen
            group = TIMEOUT_GROUPS.get(seen)
            limit = (phase_timeouts or {}).get(group) if group is not None else None
            if limit is not None and time.monotonic() - phase_since >= limit:
                raise PhaseTimeout(seen, group, limit)
            if time.monotonic() >= deadline:
                raise PhaseTimeout(seen)
            time.sleep(self.poll_interval)

    def recent_events(self, count: int = 10) -> list[str]:
        """The device's last alarm-history descriptions (what it says happened), newest last."""
        try:
            events = self.client.paginate("alarms/history", "alarms")
        except MediantError:
            return []
        return [str(event.get("description")) for event in events[-count:] if event.get("description")]
