# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CLI lines that would cut the play off the device are found before anything is sent."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import build, difference, parse
from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_protection import protected_cli_changes
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_protection import PROTECT_CHOICES, refusal_message

RUNNING = parse("""configure network
 interface network-if 0
  application-type oamp-media-control
  ip-address 192.168.0.2
  name "O+M+C"
  activate
 exit
 interface network-if 1
  application-type media
  ip-address 10.0.0.2
  name "Media"
  activate
 exit
exit
configure system
 web
  https-port 443
 exit
 ntp
  primary-server "old.ntp.org"
 exit
 user "Admin"
  privilege security-admin
 exit
exit
""")


def found(lines, parents, protect=PROTECT_CHOICES, username="Admin"):
    desired = build(lines, parents)
    selected = difference(RUNNING, desired)
    return protected_cli_changes((node.path for node in selected), RUNNING, protect, username)


@pytest.mark.parametrize("lines, parents, category, words", [
    (["ip-address 192.168.0.9"], ["configure network", "interface network-if 0"], "management", "management (OAMP) interface"),
    (["no interface network-if 0"], ["configure network"], "management", "would be removed"),
    (["https-port 8443"], ["configure system", "web"], "management", "web server"),
    (["secured-web-connection http-and-https"], ["configure system", "web"], "management", "web server"),
    (["priority 5"], ["configure network", "high-availability settings"], "ha", "high-availability"),
    (["password Other"], ["configure system", 'user "Admin"'], "login_user", "user 'Admin'"),
    (["no user Admin"], ["configure system"], "login_user", "would be removed"),
])
def test_lines_that_cut_management_are_found(lines, parents, category, words):
    result = found(lines, parents)
    assert list(result) == [category], result
    assert words in result[category][0]
    assert found(lines, parents, protect=[choice for choice in PROTECT_CHOICES if choice != category]) == {}


@pytest.mark.parametrize("lines, parents", [
    (["primary-dns 8.8.8.8"], ["configure network", "interface network-if 0"]),   # DNS of the OAMP row: free
    (["ip-address 10.0.0.9"], ["configure network", "interface network-if 1"]),  # not an OAMP row
    (["https-cipher-string HIGH"], ["configure system", "web"]),
    (['primary-server "pool.ntp.org"'], ["configure system", "ntp"]),
    (["password Other"], ["configure system", "user Operator"]),                 # another user
    (["ip-address 192.168.0.2"], ["configure network", "interface network-if 0"]),  # no change: nothing sent
])
def test_other_lines_pass(lines, parents):
    assert found(lines, parents) == {}


def test_one_message_names_each_change_and_the_way_out():
    result = found(["ip-address 192.168.0.9"], ["configure network", "interface network-if 0"])
    message = refusal_message(result)
    assert message.startswith("Refusing a change that could cut the device off from its management: "
                              "configure network > interface network-if 0 > ip-address 192.168.0.9 would change")
    assert message.endswith("Nothing was sent to the device. To allow it, leave management out of protect.")
