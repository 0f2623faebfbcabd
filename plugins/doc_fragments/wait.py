# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait and wait_timeout options of modules whose change resets the device (argument spec:
module_utils/common.py wait_argument_spec; the waiting: module_utils/device.py Device.wait_until_back)."""

from __future__ import annotations

_OPTIONS = r"""
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
        accepted the change.{extra}
      - A positive number of seconds; the task fails before sending anything otherwise.
    type: int
    default: {default}
"""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    # A reset to apply a license, an INI file, or the reset itself.
    DOCUMENTATION = _OPTIONS.format(default=600, extra="")

    # Installing a software load (mediant_software): the device needs longer.
    SOFTWARE_LOAD = _OPTIONS.format(
        default=1800, extra=" Installing a load can take long on real hardware; raise it as needed.")
