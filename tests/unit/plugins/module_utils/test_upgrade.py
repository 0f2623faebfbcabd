# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phases of an upgrade as one address shows them (module_utils/upgrade.py), and the HA
summary of a status (module_utils/ha.py): pure functions, no device."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils import upgrade
from ansible_collections.audiocodes.mediant.plugins.module_utils.ha import ha_summary, is_stand_alone

OLD, NEW = "7.40A.500.010", "7.40A.600.001"
BEFORE = {"serial": "A", "version": OLD, "uptime": 1000, "local_time": "2026-01-01T10:00:00.000Z",
          "ha_state": "Operational"}


def seen(serial, version, ha_state="Operational", uptime=1010, at="2026-01-01T10:00:10.000Z"):
    return {"serial": serial, "version": version, "ha_state": ha_state, "uptime": uptime, "local_time": at}


def walk(method, observations, before=None, target=NEW):
    before = BEFORE if before is None else before
    phase, phases, went_down = upgrade.ACCEPTED, [], False
    for now in observations:
        went_down = went_down or now is None
        phase = upgrade.classify(method, before, target, now, phase, went_down)
        phases.append(phase)
    return phases


def test_hitless_happy_path():
    phases = walk("hitless", [
        seen("A", OLD),
        seen("A", OLD, "Redundant Not Available"),
        seen("A", OLD, "Synchronizing"),
        seen("A", OLD),
        None,
        seen("B", NEW, "Redundant Not Available", uptime=5),
        seen("B", NEW, "Synchronizing", uptime=6),
        seen("B", NEW, uptime=8),
    ])
    assert phases == ["accepted", "redundant_upgrade", "redundant_sync", "awaiting_switchover", "switchover",
                      "peer_upgrade", "peer_sync", "completed"]


def test_hitless_drop_before_anything_was_seen_is_the_switchover():
    assert walk("hitless", [None]) == ["switchover"]


def test_hitless_drop_after_the_switchover_is_just_unreachable():
    assert walk("hitless", [seen("B", NEW, "Redundant Not Available"), None]) == ["peer_upgrade", "unreachable"]


def test_hitless_that_returns_to_the_original_unit_waits_for_the_switchover():
    # The device abandoned the upgrade (new load did not boot, no switchover): only the timeout ends it.
    assert walk("hitless", [seen("A", OLD, "Redundant Not Available"), seen("A", OLD)]) == ["redundant_upgrade", "awaiting_switchover"]


@pytest.mark.parametrize("now, expected", [
    (seen("B", OLD), "failover"),
    (seen("B", "7.40A.700.000"), "wrong_version"),
    (seen("A", "7.40A.700.000"), "wrong_version"),
])
def test_hitless_failures(now, expected):
    assert upgrade.classify("hitless", BEFORE, NEW, now, "redundant_sync") == expected


def test_hitless_reinstall_of_the_same_version_completes_on_the_other_unit():
    phases = walk("hitless", [seen("A", OLD, "Synchronizing"), None, seen("B", OLD, "Synchronizing"), seen("B", OLD)], target=OLD)
    assert phases == ["redundant_sync", "switchover", "peer_sync", "completed"]


def test_standard_stand_alone():
    before = dict(BEFORE, ha_state="Not Operational")
    phases = walk("standard", [seen("A", OLD, "Not Operational"), None, seen("A", NEW, "Not Operational", uptime=2)], before)
    assert phases == ["accepted", "resetting", "completed"]


def test_standard_reinstall_on_a_device_booted_a_moment_ago_completes_after_its_reset():
    # Uptime 1 s before the upload: the reset is within UPTIME_SLACK of it, so only having seen the
    # address down tells the reset (this hung the follower until the device's clock drifted).
    before = dict(BEFORE, uptime=1, ha_state="Not Operational")
    phases = walk("standard", [None, seen("A", OLD, "Not Operational", uptime=0, at="2026-01-01T10:00:02.000Z")],
                  before, target=OLD)
    assert phases == ["resetting", "completed"]


def test_standard_address_that_blinked_without_a_reset_is_not_a_reset():
    before = dict(BEFORE, uptime=1, ha_state="Not Operational")
    phases = walk("standard", [None, seen("A", OLD, "Not Operational", uptime=3, at="2026-01-01T10:00:02.900Z")],
                  before, target=OLD)
    assert phases == ["resetting", "accepted"]


def test_standard_pair_waits_for_the_pair():
    phases = walk("standard", [None, seen("A", NEW, "Synchronizing", uptime=2), seen("A", NEW, uptime=3)])
    assert phases == ["resetting", "pair_sync", "completed"]


def test_standard_back_on_the_old_version_is_a_failure():
    before = dict(BEFORE, ha_state="Not Operational")
    assert walk("standard", [None, seen("A", OLD, "Not Operational", uptime=2)], before) == ["resetting", "old_version"]


def test_standard_reset_between_two_polls_is_seen_in_the_uptime():
    before = dict(BEFORE, ha_state="Not Operational")
    # The clock moved 10 s, the uptime is 3: the unit booted in between although no poll failed.
    assert walk("standard", [seen("A", OLD, "Not Operational", uptime=3)], before) == ["old_version"]


def test_standard_connection_glitch_without_a_reset_is_not_a_failure():
    before = dict(BEFORE, ha_state="Not Operational")
    assert walk("standard", [None, seen("A", OLD, "Not Operational", uptime=1010)], before) == ["resetting", "accepted"]


def test_standard_v1_device_without_uptime_counts_on_the_drop():
    before = {"serial": None, "version": "7.00A.049.003", "ha_state": "Stand Alone", "local_time": "2026-01-01T10:00:00.000Z"}
    v1 = {"version": "7.00A.049.003", "ha_state": "Stand Alone"}
    assert walk("standard", [v1, None, v1], before, "7.00A.050.001") == ["accepted", "resetting", "old_version"]


def test_standard_reinstall_of_the_running_version_needs_a_reset():
    before = dict(BEFORE, ha_state="Not Operational")
    phases = walk("standard", [seen("A", OLD, "Not Operational"), seen("A", OLD, "Not Operational", uptime=2)], before, OLD)
    assert phases == ["accepted", "completed"]


def test_every_phase_has_words():
    for phase in upgrade.PHASES:
        assert upgrade.describe(phase, seen("B", NEW)) != phase


@pytest.mark.parametrize("text, mode, state, operational", [
    ("Not Operational", "stand_alone", "stand_alone", False),
    ("Stand Alone", "stand_alone", "stand_alone", False),
    (None, "stand_alone", "stand_alone", False),
    ("Operational", "pair", "operational", True),
    ("Synchronizing", "pair", "synchronizing", False),
    ("Redundant Not Available", "pair", "redundant_not_available", False),
    ("Active - Standby", "pair", "unknown", False),
])
def test_ha_summary(text, mode, state, operational):
    summary = ha_summary(text, "S1")
    assert (summary["mode"], summary["state"], summary["operational"]) == (mode, state, operational)
    assert summary["active_serial"] == ("S1" if mode == "pair" else None)
    assert is_stand_alone({"highAvailability": text}) == (mode == "stand_alone")


class _StatusAnswer:
    def __init__(self, body):
        self.body, self.content = body, b"{}"

    def json(self):
        return self.body


class _OneStatusClient:
    """Answers every status read with the same body (a device up again after its reset)."""

    def __init__(self, body):
        self.body = body

    def request(self, method, path, **_kwargs):
        assert (method, path) == ("GET", "status")
        return _StatusAnswer(self.body)


def test_a_follow_resumed_from_resetting_knows_the_address_went_down():
    # mediant_upgrade_progress called again with phase "resetting": the device booted 1 s before
    # the upload and reinstalled its version - only the address having gone down tells the reset.
    before = dict(BEFORE, uptime=1, ha_state="Not Operational")
    back = {"versionID": OLD, "serialNumber": "A", "highAvailability": "Not Operational", "systemUpTime": 0,
            "localTimeStamp": "2026-01-01T10:00:02.000Z"}
    follower = upgrade.UpgradeFollower(_OneStatusClient(back), "standard", before, OLD, poll_interval=0)
    assert follower.follow(upgrade.RESETTING, until="completion", timeout=0) == upgrade.COMPLETED
