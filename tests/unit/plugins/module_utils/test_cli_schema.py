# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Enumerated CLI settings are written the way the device prints them."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import build, serialize
from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_schema import canonical_line, canonicalize, mode_key


@pytest.mark.parametrize("modes, line, printed", [
    (["configure system", "web"], "secured-web-connection HTTPS", "secured-web-connection https"),
    (["configure network", "interface network-if 3"], "application-type 6", "application-type oamp-media-control"),
    (["configure network", "interface network-if 0"], "Application-Type Media", "application-type media"),
    (["configure voip", "proxy-set 1", "proxy-ip 0"], "transport-type TLS", "transport-type tls"),   # nested child row
    (["configure voip", "proxy-ip 0"], "transport-type 2", "transport-type tls"),                   # flat child row
    (["configure system", "snmp trap-destination 3"], "send-trap 1", "send-trap enable"),
])
def test_known_enumerations_become_their_printed_name(modes, line, printed):
    assert canonical_line(modes, line) == printed


@pytest.mark.parametrize("modes, line", [
    (["configure system", "ntp"], 'primary-server "POOL.ntp.org"'),   # text: the case is the user's
    (["configure system", "web"], "secured-web-connection 7"),         # no such value: the device says so
    (["configure system", "web"], "no secured-web-connection"),
    (["configure voip", "ip-group 1"], 'name "ITSP"'),
    (["configure unknown", "mode"], "syslog ON"),                      # a mode the collection does not know
])
def test_other_lines_are_left_as_written(modes, line):
    assert canonical_line(modes, line) == line


def test_mode_key_drops_row_indexes_and_case():
    assert mode_key(["Configure Voip", "proxy-set 12", "proxy-ip  0"]) == "configure voip > proxy-set > proxy-ip"


def test_canonicalize_rewrites_a_tree_in_place():
    tree = build(["syslog ON", "syslog-ip 10.1.1.20"], ["configure troubleshoot", "syslog"])
    canonicalize(tree)
    assert serialize(tree) == "configure troubleshoot\n syslog\n  syslog on\n  syslog-ip 10.1.1.20\n exit\nexit\n"
    assert tree.get(["configure troubleshoot", "syslog", "syslog on"]) is not None
