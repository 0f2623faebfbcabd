# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Attributes of audiocodes.mediant modules (check mode, diff mode, action group, ...)."""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    # Every module: the standard attributes and the action group.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying the device.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
  idempotent:
    description:
      - When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
      - This assumes that the device has not changed in a relevant way in between.
  action_group:
    description: Use C(group/audiocodes.mediant.mediant) in C(module_defaults) to set defaults (for example the connection options) for this module.
    support: full
    membership:
      - audiocodes.mediant.mediant
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: AudioCodes Mediant SBC, media gateway and MSBR (REST API v7.4 or v1.0)
"""

    # For modules that return ansible_facts; use with DOCUMENTATION.
    FACTS = r"""
options: {}
attributes:
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
"""

    # For modules that only read; use with DOCUMENTATION.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
"""

    # For modules that only read; use with DOCUMENTATION.
    IDEMPOTENT_NOT_MODIFY_STATE = r"""
options: {}
attributes:
  idempotent:
    support: full
    details:
      - This action does not modify state.
"""
