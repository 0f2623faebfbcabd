# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role audiocodes.mediant.config: config_layers and config_drift (documented in
config_layers.yml and config_drift.yml beside this file; the logic is in plugin_utils/config_state.py)."""
from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.config_state import LayerError, drift, merge_layers


def config_layers(values, names):
    try:
        return merge_layers(names, values)
    except LayerError as err:
        raise AnsibleFilterError("audiocodes.mediant.config_layers: {0}".format(err)) from None


def config_drift(ini_result, cli_results=None, host=None, generated=None, mode="check", changed=False, layers=None,
                 error=None):
    return drift(ini_result, cli_results, host, generated, mode, changed=changed, layers=layers, error=error)


class FilterModule:
    def filters(self):
        return {"config_layers": config_layers, "config_drift": config_drift}
