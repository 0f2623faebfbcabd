# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device layer's shared decisions: save_when, the one busy message."""

from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device, busy_refusal, save_wanted
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError


@pytest.mark.parametrize("save_when, changed, wanted", [
    ("never", False, False), ("never", True, False),
    ("changed", False, False), ("changed", True, True),
    ("always", False, True), ("always", True, True),
])
def test_save_wanted(save_when, changed, wanted):
    assert save_wanted(save_when, changed) is wanted


class SavingClient:
    def __init__(self):
        self.posts = []

    def post_json(self, path, body=None, busy_timeout=None):
        self.posts.append((path, busy_timeout))


@pytest.mark.parametrize("check_mode", [False, True])
def test_save_when_always_is_a_change_in_check_mode_too_and_saves_only_for_real(check_mode):
    client = SavingClient()
    result = dict(changed=False, saved=False)
    Device(client, busy_timeout=7).save_when("always", False, check_mode, result)
    assert result["changed"] is True
    assert result["saved"] is (not check_mode)
    assert client.posts == ([] if check_mode else [("actions/saveConfiguration", 7)])


def test_a_save_the_device_cannot_make_is_warned_not_sent():
    client, warnings = SavingClient(), []
    result = dict(changed=True, saved=False)
    Device(client, warn=warnings.append).save_when("changed", True, False, result, impossible="resetting")
    assert warnings == ["resetting"] and client.posts == [] and result["saved"] is False


def test_busy_is_the_clients_message_and_the_modules_tail():
    err = MediantError("The device is busy (HTTP 409) and refused PUT /api/v1/license after 2 attempts: x.", status=409)
    assert busy_refusal(err, "The license was not changed.") == (
        "The device is busy (HTTP 409) and refused PUT /api/v1/license after 2 attempts: x. The license was not changed.")


def test_send_turns_busy_into_one_failure_with_changed_false():
    def busy():
        raise MediantError("The device is busy (HTTP 409) and refused X after 2 attempts: y.", status=409)
    with pytest.raises(TaskError) as caught:
        Device(SavingClient()).send(busy, "the license", "Nothing changed.", serial_number="1")
    assert str(caught.value).endswith("y. Nothing changed.")
    assert caught.value.result["changed"] is False and caught.value.result["serial_number"] == "1"
