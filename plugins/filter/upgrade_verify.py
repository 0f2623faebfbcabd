# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: upgrade_verify
short_description: Check a device after a software upgrade, against its facts from before
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - The verification of the role C(audiocodes.mediant.software_upgrade), from what
    M(audiocodes.mediant.mediant_facts) returned before and after the upgrade.
  - "Checks: the target version runs; a hitless upgrade ended on the other unit (switchover); the
    active unit's uptime shows it booted during the upgrade; an HA pair is operational again; no
    new active alarm above the allowed severity; calls (before and after, a warning when a hitless
    upgrade lost more than half of them). An answer that changed nothing fails here."
  - Returns C(checks), C(message) (naming every failed check, V(null) when all passed), C(warnings)
    and C(snapshot) (what the report keeps of the device after).
positional: before, options, method
options:
  _input:
    description: C(ansible_facts.mediant) after the upgrade (subsets C(status), C(alarms), C(kpi)).
    type: dict
    required: true
  before:
    description: C(ansible_facts.mediant) from before the upgrade.
    type: dict
    required: true
  options:
    description: C(version) (the target) and C(max_alarm_severity), as for P(audiocodes.mediant.upgrade_precheck#filter).
    type: dict
    required: true
  method:
    description: The method used, V(hitless) or V(standard).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Verify
  ansible.builtin.set_fact:
    verdict: "{{ after.ansible_facts.mediant | audiocodes.mediant.upgrade_verify(before.ansible_facts.mediant, {'version': '7.40A.600.001'}, 'hitless') }}"
"""

RETURN = r"""
_value:
  description: The verdict (checks, message, warnings, snapshot).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.upgrade_plan import PlanError, verify


def upgrade_verify(after, before, options, method):
    try:
        return verify(before, after, options, method)
    except PlanError as err:
        raise AnsibleFilterError("upgrade_verify: {0}".format(err)) from None


class FilterModule:
    def filters(self):
        return {"upgrade_verify": upgrade_verify}
