# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of mediant_certificate_request: the collection's shared action plugin (plugin_utils/action.py)."""

from __future__ import annotations

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.action import MediantActionModule, collection_module


class ActionModule(MediantActionModule):
    """mediant_certificate_request runs through the shared action plugin under its own name.

    A file per module instead of a plugin_routing redirect in meta/runtime.yml: a redirect makes
    every module an alias of one action, so module_defaults for one module reach all of them and
    ansible-lint calls audiocodes.mediant.mediant the canonical name of each module.
    """

    _module = collection_module("mediant_certificate_request")
    _controller_libraries = ("requests", "cryptography")
