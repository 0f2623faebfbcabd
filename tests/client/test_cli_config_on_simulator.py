# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CLI library against the simulator's configuration model: the scripts devices print parse and
round-trip, and the scripts the library builds are accepted by the device and converge."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import (
    IncrementalScript, build, difference, dumps, parse,
)
from simulator.config import Configuration
from simulator.device_info import ShowContext
from tests.ini_corpus import corpus_names, corpus_text

CORPUS = corpus_names()


def corpus_cli(name):
    """What the simulator prints for GET files/cliScript once loaded with a real device's INI file."""
    return Configuration.from_ini(corpus_text(name), "Mediant VE SBC").render_cli()


@pytest.mark.parametrize("ini_file", CORPUS)
def test_device_scripts_round_trip(ini_file):
    text = corpus_cli(ini_file)
    root = parse(text)
    assert dumps(root) == text
    assert not difference(parse(text), root, match="exact")


# as docs/simulator-config.md shows it: sub-modes, rows, and a row naming another one
WANTED = """\
configure system
 ntp
  primary-server "pool.ntp.org"
  activate
 exit
exit
configure network
 tls 1
  name "teams"
  activate
 exit
exit
configure voip
 sbc settings
  sbc-session-expires 600
  activate
 exit
 proxy-set 0
  proxy-name "ITSP"
  proxy-enable-keep-alive using-options
  activate
 exit
 ip-group 0
  name "Teams"
  proxy-set-name "ITSP"
  activate
 exit
exit
configure troubleshoot
 syslog
  syslog on
  syslog-ip 10.1.1.1
  activate
 exit
exit
"""


def run_on_device(config, desired, match="line", replace="line"):
    """Build the script against the device's own rendering, run it there; return the script."""
    running = parse(config.render_cli())
    script = IncrementalScript(desired, difference(desired, running, match=match, replace=replace), running)
    if script:
        config.run_cli_incremental(script.text, ShowContext())
    return script


def test_scripts_built_here_are_accepted_by_the_device_and_converge():
    device = Configuration.default("Mediant VE SBC")
    run_on_device(device, parse(WANTED))
    assert device.render_cli() == WANTED
    assert not run_on_device(device, parse(WANTED))  # nothing left to send
    script = run_on_device(device, build(['name "Carrier"', 'proxy-set-name "ITSP"'], ["configure voip", "ip-group 0"]), replace="block")
    assert script.updates == ['name "Carrier"', 'proxy-set-name "ITSP"']
    assert ' ip-group 0\n  name "Carrier"\n  proxy-set-name "ITSP"\n  activate\n exit\n' in device.render_cli()
    run_on_device(device, build(["no ip-group 0", "no proxy-set 0"], ["configure voip"]))
    assert "ip-group 0" not in device.render_cli() and "proxy-set 0" not in device.render_cli()


def test_three_levels_deep_is_accepted_by_the_device():
    """Rows nested in rows (proxy-ip under proxy-set, as 7.2+ devices print them)."""
    desired = build(['proxy-address "10.0.0.1:5060"'], ["configure voip", "proxy-set 1", "proxy-ip 0"])
    running = parse("")
    script = IncrementalScript(desired, difference(desired, running), running)
    device = Configuration.default("Mediant VE SBC")
    device.run_cli_incremental(script.text, ShowContext())
    assert 'proxy-address "10.0.0.1:5060"' in device.render_cli()
