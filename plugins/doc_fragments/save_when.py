# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The save_when option of modules that change the running configuration (decided once, in
module_utils/device.py Device.save_when)."""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    DOCUMENTATION = r"""
options:
  save_when:
    description:
      - When to save the running configuration to the device's non-volatile memory
        (C(POST /api/v1/actions/saveConfiguration)), as C(cisco.ios.ios_config) does.
      - V(never) do not save; the change is lost at the next reset unless saved otherwise.
      - V(changed) save when this task changed the configuration.
      - V(always) save on every run; a save is a change, so the task then always reports changed.
      - In check mode nothing is saved, but the task reports the change a save would be.
    type: str
    choices: [never, changed, always]
    default: never
"""
