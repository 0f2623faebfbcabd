# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: upgrade_fleet_report
short_description: The fleet summary of a software upgrade run
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - "Turns the results the role C(audiocodes.mediant.software_upgrade) kept for every device of a
    run into one report document: how many devices were upgraded, already current, failed, rolled
    back or not reached; the problems of every device first; then one row per device (an HA pair
    is one device), failures first."
positional: _input
options:
  _input:
    description: The role's results, one per device.
    type: list
    elements: dict
    required: true
  generated:
    description: One timestamp for the whole run (UTC, ISO 8601).
    type: str
  pending:
    description: Inventory names of the devices the run has not reached (a later batch, or the fleet stopped).
    type: list
    elements: str
    default: []
seealso:
  - plugin: audiocodes.mediant.upgrade_report
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the fleet summary
  ansible.builtin.copy:
    dest: reports/fleet.json
    mode: "0644"
    content: >-
      {{ ansible_play_hosts_all | map('extract', hostvars, 'software_upgrade_result') | select('defined') | list
         | audiocodes.mediant.upgrade_fleet_report(generated=run_started) | to_nice_json }}
"""

RETURN = r"""
_value:
  description: The report document (title, generated, description, summary, problems, sections).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.upgrade_report import fleet_report


def upgrade_fleet_report(records, generated=None, pending=None):
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise AnsibleFilterError("upgrade_fleet_report: the input must be a list of the role's results (dicts)")
    return fleet_report(records, generated, pending or [])


class FilterModule:
    def filters(self):
        return {"upgrade_fleet_report": upgrade_fleet_report}
