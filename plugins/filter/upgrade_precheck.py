# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: upgrade_precheck
short_description: Decide whether and how to upgrade a device's software, from its facts
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - The pre-checks of the role C(audiocodes.mediant.software_upgrade), run before anything is sent
    to the device, from what M(audiocodes.mediant.mediant_facts) returned.
  - "Returns C(action): V(upgrade), V(current) (the device already runs the target version),
    V(resume) (an earlier run's upgrade of this load is in flight: follow it, do not upload again)
    or V(refused); C(method) (V(hitless) or V(standard)); C(checks), a list of C({name, passed,
    detail}) (C(passed) V(null) when a check does not apply); C(message), the refusal naming every
    failed check; C(warnings); C(calls) (active calls) and C(calls_ok); C(snapshot), what the report
    keeps of the device now."
  - "Checks: reachable with the privilege the upgrade needs (Administrator, Security Administrator for
    the configuration backup), the load file exists, the version path (already on target,
    downgrade only when allowed), the method fits the device, the HA mode the inventory expects,
    an HA pair is operational and synchronized, no active alarm above the allowed severity, and
    active calls below the limit."
positional: options, inflight
options:
  _input:
    description: C(ansible_facts.mediant) of M(audiocodes.mediant.mediant_facts), with the subsets C(status), C(alarms),
      C(kpi), C(files) (and C(config) for a backup).
    type: dict
    required: true
  options:
    description:
      - "C(version) (the target), C(method) (V(auto), V(hitless), V(standard)), C(allow_downgrade),
        C(expected_ha) (V(any), V(pair), V(stand_alone)), C(require_ha_operational),
        C(max_alarm_severity) (V(none), V(indeterminate), V(warning), V(minor), V(major), V(critical)),
        C(max_active_calls) (V(null) for no limit), C(backup), C(src), C(src_exists), C(rollback_src),
        C(rollback_src_exists), C(rollback_version)."
    type: dict
    required: true
  inflight:
    description: The in-flight record an earlier run of the role left for this device, or V(null).
    type: dict
"""

EXAMPLES = r"""
- name: Decide
  ansible.builtin.set_fact:
    plan: "{{ facts.ansible_facts.mediant | audiocodes.mediant.upgrade_precheck({'version': '7.40A.600.001', 'method': 'auto'}) }}"
"""

RETURN = r"""
_value:
  description: The decision (action, method, checks, message, warnings, calls, calls_ok, snapshot).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.upgrade_plan import PlanError, precheck


def upgrade_precheck(facts, options, inflight=None):
    try:
        return precheck(facts, options, inflight)
    except PlanError as err:
        raise AnsibleFilterError("upgrade_precheck: {0}".format(err)) from None


class FilterModule:
    def filters(self):
        return {"upgrade_precheck": upgrade_precheck}
