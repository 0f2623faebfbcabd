#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_software
short_description: Upgrade (or downgrade) the software load of an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Uploads a software load (C(.cmp) file) through C(PUT /api/v1/files/software), or
    C(/files/software/hitless) for a hitless upgrade of an HA pair, then waits until the device
    runs it.
  - Idempotent by O(version), nothing is uploaded when the device already runs that version
    (C(versionID) of C(GET /api/v1/status)).
  - The file is streamed from disk, so memory use does not grow with its size.
  - After the upload the device resets (or, hitless, switches over). By default the module waits,
    for up to O(wait_timeout) seconds, until the upgrade is complete, and fails if the device then
    runs a version other than O(version).
  - A hitless upgrade is complete when the pair is operational again on the new load, served by
    the unit that was redundant before (the device upgrades the redundant unit, switches over,
    then upgrades the former active unit). The phases seen are returned in RV(phases); to show
    progress while it runs, use O(wait=false) and M(audiocodes.mediant.mediant_upgrade_progress).
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
    details: The file is checked locally and the running version compared; nothing is uploaded.
  diff_mode:
    support: full
    details: Shows the running version before and after.
  idempotent:
    support: full
    details: Idempotent by O(version), unless O(force=true).
options:
  src:
    description:
      - Path of the software load (C(.cmp)) on the host that runs the module.
      - It must exist, be readable and not be empty; the device checks its content and refuses a
        corrupt or truncated file (C(400 Bad Request)), which the module reports with the
        device's description.
    type: path
    required: true
  version:
    description:
      - The version the file carries, as the device reports it once it runs it (C(versionID),
        for example V(7.40A.500.010)).
      - Nothing is uploaded when the device already runs this version, unless O(force=true).
    type: str
    required: true
  force:
    description:
      - Upload even when the device already runs O(version) (to reinstall it).
    type: bool
    default: false
  hitless:
    description:
      - Upgrade an HA pair without service interruption (C(PUT /api/v1/files/software/hitless)),
        the devices switch over instead of both resetting.
      - The pair must be operational (both units up and synchronized); the module fails before
        uploading otherwise.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds, for the device to come back running the new load, counted
        from the moment it accepted the upload. Installing a load can take long on real hardware;
        raise it as needed.
      - A positive number of seconds; the task fails before sending anything otherwise.
    type: int
    default: 1800
  upload_timeout:
    description:
      - How long, in seconds, the module waits for the device during the upload (each network
        operation), including the time the device needs to check the file before it answers.
      - The connection option O(timeout) applies to the other requests.
    type: int
    default: 900
notes:
  - Needs a user with at least the Administrator level.
  - The module does not read the version from the file, so it works with any load the device
    accepts; make sure O(version) is the one O(src) carries, the module fails after the upgrade
    otherwise.
seealso:
  - module: audiocodes.mediant.mediant_reset
"""

EXAMPLES = r"""
- name: Upgrade to 7.40A.500.010 (no-op when already running it)
  audiocodes.mediant.mediant_software:
    src: loads/SIP_F7.40A.500.010.cmp
    version: 7.40A.500.010
    wait_timeout: 3600

- name: Hitless upgrade of an HA pair
  audiocodes.mediant.mediant_software:
    src: loads/SIP_F7.40A.500.010.cmp
    version: 7.40A.500.010
    hitless: true
"""

RETURN = r"""
previous_version:
  description: The version the device ran before.
  returned: always
  type: str
  sample: 7.40A.250.001
version:
  description: The version the device runs now (O(version) when the module waited).
  returned: always
  type: str
  sample: 7.40A.500.010
description:
  description: The device's answer to the upload.
  returned: when the load was uploaded
  type: str
  sample: Device will reset now to activate new software load
downtime:
  description:
    - Standard upload, seconds from the accepted upload until the device answered again; hitless
      upload, seconds the address did not answer (the switchover). V(null) when not waited for.
  returned: always
  type: float
  sample: 95.4
phases:
  description: The phases of the upgrade seen while waiting, in order (see M(audiocodes.mediant.mediant_upgrade_progress)).
  returned: when the module waited
  type: list
  elements: dict
  sample:
    - {phase: redundant_upgrade, at: "2026-12-04T14:00:02Z", elapsed: 1.1, unit: "101780235059663",
       version: 7.40A.500.010, ha_state: Redundant Not Available, description: "..."}
device_status:
  description:
    - The device status (C(GET /api/v1/status)), after the upgrade when waited for.
    - With the snake_case names C(ansible_facts.mediant.status) of M(audiocodes.mediant.mediant_facts)
      uses (C(version), C(product), C(serial), C(ha_state), C(uptime), C(save_needed), ...); a key
      the device adds is converted to snake_case.
  returned: always
  type: dict
  sample:
    version: 7.40A.500.010
    product: Mediant VE SBC
    serial: "101780235059663"
    ha_state: Not Operational
    uptime: 95
"""

import os

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule, busy_argument_spec, wait_argument_spec
from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.ha import ha_summary, is_stand_alone
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import DeviceUnreachable, MediantError
from ansible_collections.audiocodes.mediant.plugins.module_utils.status import status_facts
from ansible_collections.audiocodes.mediant.plugins.module_utils.upgrade import (
    FAILOVER,
    OLD_VERSION,
    RESETTING,
    PhaseTimeout,
    UpgradeFollower,
    describe,
)

ARGUMENT_SPEC = dict(
    src=dict(type="path", required=True),
    version=dict(type="str", required=True),
    force=dict(type="bool", default=False),
    hitless=dict(type="bool", default=False),
    **wait_argument_spec(1800),
    upload_timeout=dict(type="int", default=900),
    **busy_argument_spec()
)


def check_load_file(path):
    """Refuse, before connecting, what the device would refuse anyway: no file, unreadable, empty."""
    if not os.path.exists(path):
        raise InputError(f"src {path} does not exist on the host that runs the module", option="src")
    if not os.path.isfile(path):
        raise InputError(f"src {path} is not a regular file", option="src")
    if not os.access(path, os.R_OK):
        raise InputError(f"src {path} is not readable by the user running the module", option="src")
    if os.path.getsize(path) == 0:
        raise InputError(f"src {path} is empty", option="src")


def wait_for_upgrade(module, status_before, result):
    """Follow the upgrade until it is complete (module_utils/upgrade.py); fail naming what happened otherwise."""
    params = module.params
    method = "hitless" if params["hitless"] else "standard"
    follower = UpgradeFollower(module.client(), method, status_facts(status_before), params["version"], poll_interval=0.5)
    try:
        phase = follower.follow("accepted", until="completion", timeout=params["wait_timeout"])
        timed_out = False
    except PhaseTimeout as err:
        phase, timed_out = err.phase, True
    result["phases"] = follower.transitions
    shown = follower.now or follower.last_answer or {}
    if method == "hitless":
        result["downtime"] = round(follower.unreachable_seconds, 1)
    else:
        back = [step["elapsed"] for number, step in enumerate(follower.transitions)
                if number and follower.transitions[number - 1]["phase"] == RESETTING]
        result["downtime"] = back[0] if back else None
    if timed_out:
        raise TaskError("The device accepted the software load, then the upgrade did not complete within "
                        f"{params['wait_timeout']} s (wait_timeout): {describe(phase, follower.now)}. Increase the "
                        "wait_timeout option if the device needs longer.", **result)
    if phase == OLD_VERSION:
        result["version"] = shown.get("version")
        raise TaskError(f"The device accepted the software load and reset, but came back running {shown.get('version')}, "
                        f"its version before: the load {params['version']} did not take.", **result)
    if phase == FAILOVER:
        raise TaskError(f"The device accepted the software load, then: {describe(phase, shown)}.", **result)


def upgrade_software(module):
    params = module.params
    module.check_positive("upload_timeout")
    check_load_file(params["src"])
    client = module.client()
    status = client.get_json("status") or {}
    running = status.get("versionID")
    result = dict(changed=False, previous_version=running, version=running, downtime=None, device_status=status_facts(status))
    if running == params["version"] and not params["force"]:
        return result
    if params["hitless"] and is_stand_alone(status):
        raise InputError("hitless=true needs an HA pair, but the device reports highAvailability "
                         f"'{status.get('highAvailability')}'; use hitless=false", option="hitless", **result)
    if params["hitless"] and not ha_summary(status.get("highAvailability"))["operational"]:
        raise InputError("hitless=true needs an operational HA pair (both units up and synchronized), but the "
                         f"device reports highAvailability '{status.get('highAvailability')}'; wait until it is "
                         "Operational (an upgrade may be in progress) and run again", option="hitless", **result)

    result["changed"] = True
    diff = dict(before=dict(version=running), after=dict(version=params["version"]))
    if module.check_mode:
        result["diff"] = diff
        return result

    path = "files/software/hitless" if params["hitless"] else "files/software"
    device = Device(client, params["busy_timeout"])
    try:
        answer = device.send(
            lambda: client.upload(path, src=params["src"], timeout=params["upload_timeout"], busy_timeout=params["busy_timeout"]),
            "the software load", f"It still runs {running}.",
            previous_version=running, version=running, device_status=status_facts(status)) or {}
    except DeviceUnreachable as err:
        if not err.read_timeout:
            raise
        raise TaskError(f"The device did not answer the upload within upload_timeout ({params['upload_timeout']} s). "
                        f"It may still install the load and reset: read its version (mediant_facts) before "
                        f"repeating the task, and raise upload_timeout for a slow device or network.",
                        previous_version=running, version=running, device_status=status_facts(status)) from None
    result.update(description=answer.get("description"), diff=diff)
    if not params["wait"]:
        return result

    try:
        wait_for_upgrade(module, status, result)
        status = client.get_json("status") or {}
    except MediantError as err:
        raise TaskError(f"The device accepted the software load, then: {err}", **result) from None
    result.update(version=status.get("versionID"), device_status=status_facts(status))
    if result["version"] != params["version"]:
        raise TaskError(f"The device came back running {result['version']}, not {params['version']}: "
                        "check that src carries the version given in version", **result)
    return result


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(upgrade_software)


if __name__ == "__main__":
    main()
