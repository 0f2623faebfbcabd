# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup and backup_options options, handled on the controller by the action plugin."""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    DOCUMENTATION = r"""
options:
  backup:
    description:
      - Save the device's current configuration on the controller before changing it.
      - The file goes to C(backup/) next to the playbook unless O(backup_options) says otherwise;
        its path is returned as RV(backup_path).
    type: bool
    default: false
  backup_options:
    description:
      - Where and under which name to save the backup when O(backup=true).
    type: dict
    suboptions:
      dir_path:
        description:
          - Directory for the backup file, created if missing.
          - Default is C(backup) in the playbook's directory (the role's directory inside a role).
        type: path
      filename:
        description:
          - Name of the backup file.
          - Default is C(<inventory_hostname>_config.<YYYY-MM-DD@HH:MM:SS>.<ext>) where C(<ext>)
            is V(ini) or V(cli) after the configuration format.
        type: str
"""
