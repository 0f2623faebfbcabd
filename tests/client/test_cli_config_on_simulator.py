# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CLI library against the simulator's configuration model: the scripts devices print parse and
round-trip, and the scripts the library builds are accepted by the device and converge."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils import cli_config
from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import (
    build, difference, parse, render_incremental, serialize,
)
from simulator.config import Configuration
from simulator.device_info import ShowContext
from tests.cli_samples import WANTED
from tests.ini_corpus import corpus_names, corpus_text

CORPUS = corpus_names()


def corpus_cli(name):
    """What the simulator prints for GET files/cliScript once loaded with a real device's INI file."""
    return Configuration.from_ini(corpus_text(name), "Mediant VE SBC").render_cli()


@pytest.mark.parametrize("ini_file", CORPUS)
def test_device_scripts_round_trip(ini_file):
    text = corpus_cli(ini_file)
    root = parse(text)
    assert serialize(root) == text
    assert not difference(root, parse(text), match="exact")


def run_on_device(config, desired, match="line", replace="line"):
    """Build the script against the device's own rendering, run it there; return the script."""
    running = parse(config.render_cli())
    script = render_incremental(running, desired, difference(running, desired, match=match, replace=replace))
    if script:
        config.run_cli_incremental(script.text, ShowContext())
    return script


def test_scripts_built_here_are_accepted_by_the_device_and_converge():
    device = Configuration.default("Mediant VE SBC")
    script = run_on_device(device, parse(WANTED))
    # a mode's `activate` follows its own settings and precedes the rows nested in it
    assert script.commands[script.commands.index("  proxy-set 1"):script.commands.index("  ip-group 1")] == [
        "  proxy-set 1", '    proxy-name "ITSP"', "    proxy-enable-keep-alive using-options", "    activate",
        "    proxy-ip 0", '      proxy-address "10.0.0.1:5060"', "      transport-type tcp", "      activate", "    exit", "  exit"]
    running = device.render_cli()
    assert WANTED[WANTED.index(" proxy-set 1"):WANTED.index(" ip-group 1")] in running  # printed as sent
    for match in ("line", "strict", "exact"):
        assert not run_on_device(device, parse(WANTED), match=match), match  # nothing left to send
    script = run_on_device(device, build(['name "Carrier"', 'proxy-set-name "ITSP"'], ["configure voip", "ip-group 1"]), replace="block")
    assert script.updates == ['name "Carrier"', 'proxy-set-name "ITSP"']
    assert ' ip-group 1\n  name "Carrier"\n  proxy-set-name "ITSP"\n  activate\n exit\n' in device.render_cli()
    run_on_device(device, build(["no ip-group 1", "no proxy-set 1"], ["configure voip"]))
    assert "ip-group 1" not in device.render_cli() and "proxy-set 1" not in device.render_cli()


@pytest.mark.parametrize("match", ["line", "strict", "exact"])
def test_a_parent_rows_settings_compare_without_its_nested_rows(match):
    """Lines for a proxy set (as copied from a device) are idempotent although the device prints its proxy-ip rows inside it."""
    device = Configuration.default("Mediant VE SBC")
    run_on_device(device, parse(WANTED))
    settings = build(['proxy-name "ITSP"', "proxy-enable-keep-alive using-options"], ["configure voip", "proxy-set 1"])
    assert not run_on_device(device, settings, match=match)
    nested = build(['proxy-address "10.0.0.1:5060"', "transport-type tcp"], ["configure voip", "proxy-set 1", "proxy-ip 0"])
    assert not run_on_device(device, nested, match=match)


def test_flat_child_rows_converge_on_the_device():
    device = Configuration.default("Mediant VE SBC")
    run_on_device(device, parse(WANTED))
    desired = build(['proxy-set-id "1"', "proxy-ip-index 1", 'proxy-address "10.0.0.2"'], ["configure voip", "proxy-ip 9"])
    running = parse(device.render_cli())
    script = run_on_device(device, cli_config.nest_child_rows(desired, running))
    assert script.commands == ["configure voip", "  proxy-set 1", "    proxy-ip 1", '      proxy-address "10.0.0.2"', "      activate",
                               "    exit", "  exit", "exit"]
    again = build(['proxy-set-id "1"', "proxy-ip-index 1", 'proxy-address "10.0.0.2"'], ["configure voip", "proxy-ip 9"])
    assert not run_on_device(device, cli_config.nest_child_rows(again, parse(device.render_cli())))


def test_three_levels_deep_is_accepted_by_the_device():
    """Rows nested in rows (proxy-ip under proxy-set, as 7.2+ devices print them)."""
    desired = build(['proxy-address "10.0.0.1:5060"'], ["configure voip", "proxy-set 1", "proxy-ip 0"])
    running = parse("")
    script = render_incremental(running, desired, difference(running, desired))
    device = Configuration.default("Mediant VE SBC")
    device.run_cli_incremental(script.text, ShowContext())
    assert 'proxy-address "10.0.0.1:5060"' in device.render_cli()
