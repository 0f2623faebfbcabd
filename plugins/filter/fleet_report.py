# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: fleet_report
short_description: The report document of a fleet of AudioCodes Mediant devices
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - Builds the report document (see P(audiocodes.mediant.report_html#filter)) of the role
    C(audiocodes.mediant.report) from one record per device - per device firmware, HA state,
    active alarms by severity, license, certificate expiry per TLS context, whether the
    configuration is saved, drift from the desired state, last backup.
  - "Problems, worst first: a device not read (critical); active alarms (their own severity);
    certificates expired (critical), expiring within O(critical_days) (major) or O(warning_days)
    (warning); configuration not saved (warning); drift (warning, a failed drift check major); no
    backup or one older than O(backup_max_age_days) (warning)."
positional: _input, generated
options:
  _input:
    description:
      - One record per device, the role's C(report_record) fact - C(host), C(failed), and either
        C(step) and C(msg) (failed) or C(facts) (C(ansible_facts.mediant) of
        M(audiocodes.mediant.mediant_facts)), C(drift) (the config role's drift document or null)
        and C(backup) (the last backup's C(backup.json) with its C(run), or null).
    type: list
    elements: dict
    required: true
  generated:
    description: The run's timestamp, ISO 8601 (UTC); backup ages are counted from it.
    type: str
    required: true
  title:
    description: The report's title.
    type: str
    default: Mediant fleet report
  warning_days:
    description: A certificate expiring within this many days is a warning.
    type: int
    default: 30
  critical_days:
    description: A certificate expiring within this many days is a major problem (expired is critical).
    type: int
    default: 7
  backup_max_age_days:
    description: A last backup older than this many days is a warning.
    type: int
    default: 7
  drift_checked:
    description: Whether drift documents were looked for (adds the drift column, section and problems).
    type: bool
    default: false
  backups_checked:
    description: Whether backups were looked for (adds the last backup column, section and problems).
    type: bool
    default: false
seealso:
  - plugin: audiocodes.mediant.report_html
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Build the fleet report document
  ansible.builtin.set_fact:
    fleet: "{{ records | audiocodes.mediant.fleet_report(now(utc=true).strftime('%Y-%m-%dT%H:%M:%SZ'), warning_days=45) }}"
  vars:
    records: "{{ ansible_play_hosts_all | map('extract', hostvars, 'report_record') | select('defined') | list }}"
  run_once: true
"""

RETURN = r"""
_value:
  description: The report document, a dict for the filters report_html and report_markdown (and the JSON report itself).
  type: dict
"""

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.fleet_report import fleet_report


class FilterModule:
    def filters(self):
        return {"fleet_report": fleet_report}
