# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait and wait_timeout options of modules whose change resets the device (argument spec:
module_utils/common.py wait_argument_spec; the waiting: module_utils/device.py Device.wait_until_back).

A module whose device needs longer documents its own ``wait_timeout`` (its description and default
replace these) and passes that default to ``wait_argument_spec``.
"""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until the device, which resets to apply the change, has gone down and answers its REST
        API again (with the module's credentials), then check the outcome; the module's description
        says what it checks.
      - With V(false) the module returns as soon as the device accepted the change, and checks nothing.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait, in seconds, for the device to come back, counted from the moment it
        accepted the change.
      - A positive number of seconds; the task fails before sending anything otherwise.
    type: int
    default: 600
"""
