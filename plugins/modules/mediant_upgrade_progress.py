#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_upgrade_progress
short_description: Follow a software upgrade of an AudioCodes Mediant device or HA pair, phase by phase
version_added: 0.1.0
description:
  - After a software load was accepted (M(audiocodes.mediant.mediant_software) with O(audiocodes.mediant.mediant_software#module:wait=false)),
    the device runs the upgrade itself; the REST API has no job to ask about. This module watches
    what the managed address shows (C(GET /api/v1/status)) and tells which phase the upgrade is in.
  - With O(wait_for=change) it returns as soon as the phase differs from O(phase), so a playbook
    can print progress (which unit, which phase, how long) between calls; with
    O(wait_for=completion) it returns when the upgrade is complete.
  - "A hitless upgrade of an HA pair goes through: V(accepted), V(redundant_upgrade) (the redundant unit
    installs and resets while the active one serves), V(redundant_sync), V(awaiting_switchover),
    V(switchover) (the address does not answer), V(peer_upgrade) (the other unit serves the new
    load while the former active one installs), V(peer_sync) and V(completed)."
  - "A standard upgrade goes through V(accepted), V(resetting), V(pair_sync) (an HA pair only, while
    its redundant unit synchronizes after the reset) and V(completed)."
  - Dropped connections are expected (resets, switchover) and are phases, not errors.
  - The module fails when the upgrade failed (the device came back on its old version, another
    unit took over on the old version, a version that is neither) or when a phase lasts longer
    than O(timeout). The failure names the phase, the unit and the device's last alarm-history
    events, and returns the same keys as a success.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.attributes.info_module
  - audiocodes.mediant.attributes.idempotent_not_modify_state
options:
  version:
    description:
      - The version being installed (C(versionID) as the device reports it, for example V(7.40A.600.001)).
    type: str
    required: true
  method:
    description:
      - How the load was sent, V(hitless) (C(files/software/hitless), an HA pair) or V(standard)
        (C(files/software), every unit resets).
    type: str
    choices: [hitless, standard]
    required: true
  before:
    description:
      - The device status from before the upload, as M(audiocodes.mediant.mediant_facts) returns it
        in C(ansible_facts.mediant.status). The module needs its C(serial), C(version), C(uptime) and
        C(local_time) to tell which unit serves now and whether it has reset.
    type: dict
    required: true
  phase:
    description:
      - The phase the previous call returned (or V(accepted) right after the upload).
    type: str
    default: accepted
  wait_for:
    description:
      - V(change) returns when the phase differs from O(phase); V(completion) when the upgrade is complete.
      - Either way the module returns at once when the upgrade failed.
    type: str
    choices: [change, completion]
    default: change
  timeout:
    description:
      - How long to wait, in seconds, before failing because the phase did not end (with
        O(wait_for=change)) or the upgrade did not complete (with O(wait_for=completion)).
      - Installing a load takes minutes on real devices; give each phase the time it needs.
    type: int
    default: 1800
  phase_timeouts:
    description:
      - The longest each kind of phase may last, in seconds; the module fails when the current
        phase lasts longer. Kinds left out are bounded by O(timeout) only.
    type: dict
    suboptions:
      start:
        description: V(accepted), from the accepted upload until the device visibly starts.
        type: int
      install:
        description: V(redundant_upgrade) and V(peer_upgrade), one unit installing the load and resetting.
        type: int
      sync:
        description: V(redundant_sync), V(peer_sync) and V(pair_sync), a unit synchronizing.
        type: int
      switchover:
        description: V(awaiting_switchover), V(switchover) and V(unreachable).
        type: int
      reset:
        description: V(resetting), a standard upgrade's reset.
        type: int
  poll_interval:
    description:
      - Seconds between two status requests.
    type: float
    default: 2.0
notes:
  - Needs a user with at least the Monitor level.
  - The module only reads; it runs in check mode as well.
  - The phases and the C(highAvailability) values are described in the collection's docs/ha.md.
seealso:
  - module: audiocodes.mediant.mediant_software
  - module: audiocodes.mediant.mediant_facts
  - name: The audiocodes.mediant.software_upgrade role
    description: Upgrades a fleet of devices and HA pairs with pre-checks, progress, verification, rollback and a report.
    link: https://github.com/audiocodes-mediant/audiocodes.mediant/blob/main/roles/software_upgrade/README.md
"""

EXAMPLES = r"""
- name: Read the status before the upgrade
  audiocodes.mediant.mediant_facts:
    gather_subset: [status]

- name: Send the load, do not wait
  audiocodes.mediant.mediant_software:
    src: loads/SIP_F7.40A.600.001.cmp
    version: 7.40A.600.001
    hitless: true
    wait: false
  register: upload

- name: Wait until the upgrade is complete
  audiocodes.mediant.mediant_upgrade_progress:
    version: 7.40A.600.001
    method: hitless
    before: "{{ ansible_facts.mediant.status }}"
    wait_for: completion
    timeout: 3600
  register: upgrade

- name: Show how it went
  ansible.builtin.debug:
    msg: "{{ item.at }} {{ item.phase }}: {{ item.description }}"
  loop: "{{ upgrade.transitions }}"
"""

RETURN = r"""
phase:
  description: The phase the upgrade is in now (see the module's description).
  returned: always
  type: str
  sample: peer_upgrade
description:
  description: The phase in words, naming the unit and version.
  returned: always
  type: str
  sample: unit 101780235059664 is active on 7.40A.600.001; the former active unit installs the load and resets
completed:
  description: The upgrade is complete (the target version runs and, on a pair, the pair is operational).
  returned: always
  type: bool
failed_phase:
  description: The phase that failed or lasted too long; V(null) when nothing failed.
  returned: always
  type: str
  sample: awaiting_switchover
reachable:
  description: The address answered the last status request.
  returned: always
  type: bool
unit:
  description: Serial number of the unit that answered last (for a pair, the active unit).
  returned: always
  type: str
  sample: "101780235059664"
version:
  description: The version the unit that answered last runs.
  returned: always
  type: str
  sample: 7.40A.600.001
ha_state:
  description: The C(highAvailability) text the device reported last.
  returned: always
  type: str
  sample: Redundant Not Available
uptime:
  description: Uptime in seconds of the unit that answered last.
  returned: always
  type: int
  sample: 42
transitions:
  description: The phases seen during this call, in order.
  returned: always
  type: list
  elements: dict
  contains:
    phase:
      description: The phase entered.
      type: str
    at:
      description: When it was seen (UTC, ISO 8601).
      type: str
    elapsed:
      description: Seconds since the call started.
      type: float
    unit:
      description: Serial number of the unit that answered, V(null) while the address did not answer.
      type: str
    version:
      description: Its version.
      type: str
    ha_state:
      description: The C(highAvailability) text.
      type: str
    description:
      description: The phase in words.
      type: str
elapsed:
  description: Seconds this call waited.
  returned: always
  type: float
  sample: 61.2
events:
  description: The device's last alarm-history descriptions, when the upgrade failed or timed out.
  returned: on failure
  type: list
  elements: str
"""

import time

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.upgrade import (
    COMPLETED,
    FAILED_PHASES,
    PHASES,
    TIMEOUT_GROUP_NAMES,
    PhaseTimeout,
    UpgradeFollower,
    describe,
)

ARGUMENT_SPEC = dict(
    version=dict(type="str", required=True),
    method=dict(type="str", required=True, choices=["hitless", "standard"]),
    before=dict(type="dict", required=True),
    phase=dict(type="str", default="accepted"),
    wait_for=dict(type="str", default="change", choices=["change", "completion"]),
    timeout=dict(type="int", default=1800),
    phase_timeouts=dict(type="dict", options=dict((name, dict(type="int")) for name in TIMEOUT_GROUP_NAMES)),
    poll_interval=dict(type="float", default=2.0),
)
BEFORE_KEYS = ("serial", "version")


def check_options(module):
    """InputError for options the follower cannot use (``timeout`` is checked as every module's is)."""
    params = module.params
    if params["phase"] not in PHASES:
        raise InputError("phase must be one of {0} (the phase a previous call returned), got {1!r}".format(
            ", ".join(PHASES), params["phase"]), option="phase")
    missing = [key for key in BEFORE_KEYS if not params["before"].get(key)]
    if missing:
        raise InputError("before must be the status from before the upload (ansible_facts.mediant.status of "
                         "audiocodes.mediant.mediant_facts); it lacks {0}".format(", ".join(missing)), option="before")
    module.check_positive("poll_interval")


def follow_upgrade(module):
    check_options(module)
    params = module.params
    follower = UpgradeFollower(module.client(), params["method"], params["before"], params["version"],
                               poll_interval=params["poll_interval"])
    started = time.monotonic()
    timed_out = None
    try:
        phase = follower.follow(params["phase"], until=params["wait_for"], timeout=params["timeout"],
                                phase_timeouts=params["phase_timeouts"])
    except PhaseTimeout as err:
        phase, timed_out = err.phase, err
    now = follower.now
    shown = now or follower.last_answer or {}
    result = dict(changed=False, phase=phase, description=describe(phase, now or shown), completed=phase == COMPLETED,
                  failed_phase=None, reachable=now is not None, unit=shown.get("serial"), version=shown.get("version"),
                  ha_state=shown.get("ha_state"), uptime=shown.get("uptime"), transitions=follower.transitions,
                  elapsed=round(time.monotonic() - started, 1))
    if phase in FAILED_PHASES or timed_out:
        result["failed_phase"] = phase
        result["events"] = follower.recent_events() if now is not None else []
        if timed_out and timed_out.group:
            msg = "phase {0} lasted longer than {1} s (phase_timeouts.{2}): {3}.".format(
                phase, timed_out.limit, timed_out.group, result["description"])
        elif timed_out:
            waited = "the upgrade did not complete" if params["wait_for"] == "completion" else "phase {0} did not end".format(phase)
            msg = "{0} within {1} s: {2}.".format(waited, params["timeout"], result["description"])
        else:
            msg = "The upgrade to {0} failed in phase {1}: {2}.".format(params["version"], phase, result["description"])
        if now is not None:
            msg += " The address answers: unit {0} runs {1} (HA state {2}).".format(
                now.get("serial"), now.get("version"), now.get("ha_state"))
        else:
            msg += " The address does not answer."
        if result["events"]:
            msg += " The device's last events: {0}".format("; ".join(result["events"]))
        raise TaskError(msg[0].upper() + msg[1:], **result)
    return result


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(follow_upgrade)


if __name__ == "__main__":
    main()
