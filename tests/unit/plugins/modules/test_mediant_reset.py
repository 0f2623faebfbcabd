# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_reset: reset and wait, check mode, busy (409) waits, a device that stays down."""
from __future__ import annotations

import pytest
import requests

from tests.unit.framework.device_data import BUSY, status
from tests.unit.framework.fake_http import Call

DOWN = requests.exceptions.ConnectionError("Connection refused")
RESET = {"saveConfiguration": True, "gracefulTimeout": 0}


def back_up_again():
    """The device refuses connections while it restarts, then answers twice (the client wants two good answers)."""
    return [Call("GET", "status", error=DOWN), Call("GET", "status", error=DOWN),
            Call("GET", "status", answer=status(systemUpTime=2)), Call("GET", "status", answer=status(systemUpTime=3))]


def test_reset_waits_until_the_device_answers_again(device, run):
    device.expect(Call("GET", "status", answer=status(systemUpTime=5000)),
                  Call("POST", "actions/reset", json=RESET, answer={"description": "Device will reset now"}),
                  *back_up_again())
    result = run("mediant_reset", {})
    assert result["changed"] is True and not result.get("failed")
    assert result["description"] == "Device will reset now"
    assert result["uptime"] == 3 and result["downtime"] is not None and result["downtime"] >= 0
    assert result["device_status"]


def test_options_reach_the_device_as_the_guide_names_them(device, run):
    device.expect(Call("GET", "status", answer=status()),
                  Call("POST", "actions/reset", json={"saveConfiguration": False, "gracefulTimeout": 30}))
    result = run("mediant_reset", {"save_configuration": False, "graceful_timeout": 30, "wait": False})
    assert result["changed"] is True and result["downtime"] is None


def test_check_mode_reads_the_status_and_resets_nothing(device, run):
    device.expect(Call("GET", "status", answer=status()))
    result = run("mediant_reset", {}, check_mode=True)
    assert result["changed"] is True and result["downtime"] is None


def test_a_busy_device_is_asked_again_until_it_accepts(device, run, clock):
    device.expect(Call("GET", "status", answer=status()),
                  Call("POST", "actions/reset", json=RESET, status=409, answer=BUSY),
                  Call("POST", "actions/reset", json=RESET, status=409, answer=BUSY),
                  Call("POST", "actions/reset", json=RESET, answer={"description": "Device will reset now"}))
    result = run("mediant_reset", {"wait": False})
    assert result["changed"] is True and not result.get("failed")
    assert clock.slept == [1.0, 2.0]


def test_a_device_busy_for_longer_than_busy_timeout_is_not_reset(device, run):
    device.expect(Call("GET", "status", answer=status()),
                  Call("POST", "actions/reset", json=RESET, status=409, answer=BUSY, repeat=True))
    result = run("mediant_reset", {"busy_timeout": 4})
    assert result["failed"] and result["changed"] is False and result["status"] == 409
    assert result["msg"] == ("The device is busy (HTTP 409) and refused POST /api/v1/actions/reset after 3 attempts: Device is "
                             "currently performing HA synchronization. This is usually a temporary state such as HA "
                             "synchronization: try again later. Nothing was reset; raise busy_timeout to wait longer.")
    assert len(device.calls()) == 4


def test_a_device_that_stays_down_fails_naming_wait_timeout(device, run, clock):
    device.expect(Call("GET", "status", answer=status(systemUpTime=5000)),
                  Call("POST", "actions/reset", json=RESET),
                  Call("GET", "status", error=DOWN, repeat=True))
    result = run("mediant_reset", {"wait_timeout": 10})
    assert result["failed"] and result["changed"] is True
    assert result["msg"].startswith("The device accepted the reset, then: The device at sbc.example.com:443 did not come "
                                    "back within 10 s")
    assert "Increase the wait_timeout option" in result["msg"]
    assert 9 <= clock.now - 1000 <= 11


def test_a_refused_reset_fails_with_the_device_reason(device, run):
    device.expect(Call("GET", "status", answer=status()),
                  Call("POST", "actions/reset", status=403, answer={"description": "Forbidden"}))
    result = run("mediant_reset", {}, )
    assert result["failed"] and result["status"] == 403
    assert "Access denied (HTTP 403) to POST /api/v1/actions/reset" in result["msg"]
    assert "Administrator privilege level" in result["msg"]


def test_negative_seconds_are_refused_before_anything_is_sent(device, run):
    result = run("mediant_reset", {"graceful_timeout": -1})
    assert result["failed"] and "graceful_timeout" in result["msg"]
    assert device.sent == []


@pytest.mark.parametrize("module, args", [("mediant_reset", {}), ("mediant_license", {"key": "K"}),
                                          ("mediant_ini", {"content": "EnableSyslog = 1\n", "mode": "replace"})])
def test_wait_timeout_is_checked_one_way_before_anything_is_sent(device, run, module, args):
    result = run(module, dict(args, wait_timeout=0))
    assert result["failed"] and result["msg"] == "wait_timeout must be a positive number of seconds, got 0"
    assert device.calls() == []
