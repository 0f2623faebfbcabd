# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: backup_report
short_description: The report document of a configuration backup run
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - Builds the report document (see P(audiocodes.mediant.report_html#filter)) of one run of the
    role C(audiocodes.mediant.backup) from one record per device - which devices changed since
    their last backup, which failed and at which step, which files were taken.
  - Failed devices come first as critical problems; a configuration package left out for lack of
    privilege is a warning.
positional: _input, run
options:
  _input:
    description:
      - One record per device, the role's C(backup_record) fact - C(host), C(failed), and either
        C(step) and C(msg) (failed) or the result of M(audiocodes.mediant.mediant_backup) (C(dest),
        C(changed), C(differences), C(skipped_formats), C(device), C(previous), C(files)).
    type: list
    elements: dict
    required: true
  run:
    description: The run's directory name, its timestamp, for example V(20261204T140000Z).
    type: str
    required: true
  root:
    description: The directory holding the runs, shown in the description.
    type: str
    default: ""
seealso:
  - plugin: audiocodes.mediant.report_html
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the backup report of the run
  ansible.builtin.copy:
    dest: "{{ backup_root }}/{{ backup_timestamp }}/backup-report.html"
    mode: "0644"
    content: "{{ records | audiocodes.mediant.backup_report(backup_timestamp, root=backup_root) | audiocodes.mediant.report_html }}"
  vars:
    records: "{{ ansible_play_hosts_all | map('extract', hostvars, 'backup_record') | select('defined') | list }}"
"""

RETURN = r"""
_value:
  description: The report document, a dict for the filters report_html and report_markdown (and the JSON report itself).
  type: dict
"""

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.backup_report import backup_report


class FilterModule:
    def filters(self):
        return {"backup_report": backup_report}
