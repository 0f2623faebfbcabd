# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: upgrade_report
short_description: The report document of one device's software upgrade
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - "Turns the result the role C(audiocodes.mediant.software_upgrade) keeps for a device (the fact
    C(software_upgrade_result), described in the role's README) into a report document: result,
    method, versions and active units before and after, calls, duration; problems first; then the
    pre-checks, the phases with timestamps, the alarms raised and cleared, the rollback and the
    configuration backup."
  - The document is the JSON report as written, and what P(audiocodes.mediant.report_markdown#filter)
    renders as text.
positional: _input
options:
  _input:
    description: The role's result for one device.
    type: dict
    required: true
  generated:
    description: One timestamp for the whole run (UTC, ISO 8601).
    type: str
seealso:
  - plugin: audiocodes.mediant.upgrade_fleet_report
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the device's report as JSON
  ansible.builtin.copy:
    dest: "reports/{{ inventory_hostname }}.json"
    mode: "0644"
    content: "{{ software_upgrade_result | audiocodes.mediant.upgrade_report(generated=run_started) | to_nice_json }}"
"""

RETURN = r"""
_value:
  description: The report document (title, generated, description, summary, problems, sections).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.upgrade_report import device_report


def upgrade_report(record, generated=None):
    if not isinstance(record, dict):
        raise AnsibleFilterError("upgrade_report: the input must be the role's result for one device (a dict)")
    return device_report(record, generated)


class FilterModule:
    def filters(self):
        return {"upgrade_report": upgrade_report}
