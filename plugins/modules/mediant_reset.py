#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_reset
short_description: Reset an AudioCodes Mediant device and wait until it is back
version_added: 0.1.0
description:
  - Resets the device through C(POST /api/v1/actions/reset), optionally saving the running
    configuration first and letting calls in progress finish.
  - By default waits until the device answers its REST API again and reports how long it was
    unreachable and its new uptime.
  - A reset is an action, so the module always reports C(changed=true). In check mode nothing is
    sent to the device and the module reports C(changed=true), the change that would be made.
  - While the device synchronizes with its redundant (HA) partner it refuses a reset with
    C(409 Conflict); the module retries for up to O(busy_timeout) seconds, then fails with the
    device's own description of why it is busy.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.busy
  - audiocodes.mediant.wait
attributes:
  check_mode:
    support: full
    details: Nothing is sent to the device; the result is C(changed=true).
  diff_mode:
    support: none
  idempotent:
    support: none
    details: A reset is an action; every run resets the device.
options:
  save_configuration:
    description:
      - Save the running configuration to non-volatile memory before the reset.
      - With V(false), configuration changes not yet saved are lost.
    type: bool
    default: true
  graceful_timeout:
    description:
      - How long the device waits for calls in progress to end before it resets, in seconds.
      - V(0) resets immediately.
      - The device gives V(1) a special meaning, it waits for all calls to end, however long that
        takes. O(wait_timeout) still bounds how long the module waits.
      - The module waits up to O(wait_timeout) plus O(graceful_timeout) for the device to come back.
    type: int
    default: 0
notes:
  - Needs a user with at least the Administrator level.
seealso:
  - module: audiocodes.mediant.mediant_software
  - module: audiocodes.mediant.mediant_license
"""

EXAMPLES = r"""
- name: Reset the SBC, saving its configuration, once calls have ended (at most 5 minutes)
  audiocodes.mediant.mediant_reset:
    graceful_timeout: 300
  register: reset

- name: Show how long the SBC was down
  ansible.builtin.debug:
    msg: "Down for {{ reset.downtime }} s, now running {{ reset.device_status.version }}"

- name: Reset without saving, do not wait for the device
  audiocodes.mediant.mediant_reset:
    save_configuration: false
    wait: false

- name: Reset an HA pair member, allowing 10 minutes for a synchronization to finish
  audiocodes.mediant.mediant_reset:
    busy_timeout: 600
    wait_timeout: 900
"""

RETURN = r"""
description:
  description: The device's answer to the reset request.
  returned: success, not in check mode
  type: str
  sample: Device will reset now
downtime:
  description:
    - Seconds between the device accepting the reset and answering its REST API again (this
      includes the O(graceful_timeout) wait, if any).
    - V(null) in check mode or with O(wait=false).
  returned: always
  type: float
  sample: 48.2
uptime:
  description:
    - The device's C(systemUpTime) (seconds) once it is back; V(null) when not waited for or when
      the device does not report it (v1.0 API).
  returned: always
  type: int
  sample: 12
device_status:
  description:
    - The device status (C(GET /api/v1/status)) after the reset when waited for, otherwise
      before it.
    - With the snake_case names C(ansible_facts.mediant.status) of M(audiocodes.mediant.mediant_facts)
      uses (C(version), C(product), C(serial), C(ha_state), C(uptime), C(operational_state),
      C(save_needed), C(reset_needed), ...); a key the device adds is converted to snake_case.
  returned: always
  type: dict
  sample:
    version: 7.40A.500.010
    product: Mediant VE SBC
    serial: "101780235059663"
    ha_state: Not Operational
    operational_state: UNLOCKED
    uptime: 12
    save_needed: false
    reset_needed: false
"""

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule, busy_argument_spec, wait_argument_spec
from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.status import status_facts

ARGUMENT_SPEC = dict(
    save_configuration=dict(type="bool", default=True),
    graceful_timeout=dict(type="int", default=0),
    **wait_argument_spec(),
    **busy_argument_spec()
)


def reset_device(module):
    params = module.params
    module.check_not_negative("graceful_timeout")
    client = module.client()
    status_before = client.get_json("status") or {}
    result = dict(changed=True, downtime=None, uptime=None, device_status=status_facts(status_before))
    if module.check_mode:
        return result

    body = {"saveConfiguration": params["save_configuration"], "gracefulTimeout": params["graceful_timeout"]}
    device = Device(client, params["busy_timeout"])
    # Only a 409 (busy) is repeated: repeating a reset after a lost answer could reset the device twice.
    answer = device.send(lambda: client.post_json("actions/reset", body, busy_timeout=params["busy_timeout"]),
                         "the reset", "Nothing was reset; raise busy_timeout to wait longer.", refused=False,
                         downtime=None, uptime=None, device_status=status_facts(status_before)) or {}
    result["description"] = answer.get("description")
    if not params["wait"]:
        return result

    status_after, downtime = device.wait_until_back(
        "the reset", params["wait_timeout"] + params["graceful_timeout"], status_before.get("systemUpTime"),
        changed=True, downtime=None, uptime=None, device_status=status_facts(status_before))
    result.update(downtime=downtime, uptime=status_after.get("systemUpTime"),
                  device_status=status_facts(status_after))
    return result


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(reset_device)


if __name__ == "__main__":
    main()
