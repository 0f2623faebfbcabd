# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The busy_timeout option of modules whose change a busy device (HA synchronization) refuses with 409."""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    DOCUMENTATION = r"""
options:
  busy_timeout:
    description:
      - How long to keep retrying, in seconds, while the device refuses the change with
        C(409 Conflict) because it is busy (for example during HA synchronization).
      - Only a C(409) answer is retried, the device did nothing then; a change whose answer was
        lost is never sent twice.
      - V(0) fails on the first refusal.
    type: int
    default: 120
"""
