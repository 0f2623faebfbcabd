# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role audiocodes.mediant.config through playbooks/fleet_config.yml against simulated
devices: merge precedence of the inventory layers, check/diff that changes nothing, converge then
a no-op rerun, each table state, protection refusals, and the drift documents."""
from __future__ import annotations

import json

import yaml

from tests.integration.device_helpers import config_state
from tests.integration.fleet_inventory import connect

HOSTS = ("sbc-fra-ha", "sbc-lon-1", "sbc-nyc-1", "gw-par-1")


def states(example):
    return {name: config_state(device) for name, device in example.devices.items()}


def drift(directory, host):
    return json.loads((directory / f"{host}.json").read_text())


def params(device):
    return device.snapshot()["running_config"]["params"]


def table(device, name):
    return {row["Index"]: row for row in device.snapshot()["running_config"]["tables"].get(name, [])}


def named(device, name, key="Name"):
    return {row[key]: row for row in table(device, name).values()}


def test_check_diff_shows_each_device_its_lines_and_changes_nothing(example_fleet, tmp_path):
    before = states(example_fleet)
    drift_dir = tmp_path / "drift"
    run = example_fleet.run("fleet_config.yml", "--check", "--diff", extra_vars={"config_drift_dir": str(drift_dir)})
    assert run.rc == 0, run.stdout + run.stderr
    assert states(example_fleet) == before
    # the INI lines each device would get show in the diff and in the drift
    assert "+SyslogServerIP = 192.0.2.60" in run.stdout and "+SyslogServerIP = 198.51.100.60" in run.stdout
    documents = {host: drift(drift_dir, host) for host in HOSTS}
    assert all(doc["mode"] == "check" and not doc["in_sync"] and not doc["changed"] for doc in documents.values())
    # layer 20 (region) overrides layer 00 (all); the gateways' layer adds its own
    assert "SyslogServerIP = 192.0.2.60" in documents["sbc-lon-1"]["commands"]
    assert "NTPServerIP = 'ntp.emea.example.net'" in documents["sbc-lon-1"]["commands"]
    assert "SyslogServerIP = 198.51.100.60" in documents["sbc-nyc-1"]["commands"]
    assert "NTPServerIP = 'pool.ntp.org'" in documents["sbc-nyc-1"]["commands"]
    gateway = documents["gw-par-1"]
    assert {"SyslogServerIP = 192.0.2.50", "SyslogServerPort = 5514"} <= set(gateway["commands"])
    assert not gateway["rows"] and not gateway["cli"]
    # layer 90 (host) merges a column into the row of layer 10 and replaces its CLI block
    fra = documents["sbc-fra-ha"]
    ip_group = [(row["action"], row["after"]) for row in fra["rows"] if row["table"] == "IPGroup"]
    assert ip_group == [("add", {"Name": "ITSP", "ProxySetName": "ITSP", "SRDName": "DefaultSRD", "ContactUser": "fra-trunk"})]
    assert fra["cli"] == [{"block": "session-timer", "parents": ["configure voip", "sbc settings"],
                           # the lines the device lacks, as mediant_cli reports them (a mode it does not show yet too)
                           "lines": ["sbc settings", "sbc-session-expires 900"],
                           "commands": ["configure voip", "  sbc settings", "    sbc-session-expires 900", "    activate",
                                        "  exit", "exit"]}]
    assert fra["layers"] == ["mediant_config__00_all", "mediant_config__10_sbc", "mediant_config__20_region",
                             "mediant_config__90_host"]
    assert fra["summary"] == {"parameters": 4, "rows_added": 3, "rows_updated": 0, "rows_removed": 0, "cli_lines": 2,
                              "total": 9}
    assert len({doc["generated"] for doc in documents.values()}) == 1


def test_converge_reads_back_saves_and_a_second_run_changes_nothing(example_fleet, tmp_path):
    drift_dir = tmp_path / "drift"
    first = example_fleet.run("fleet_config.yml", extra_vars={"config_drift_dir": str(drift_dir)})
    assert first.rc == 0, first.stdout + first.stderr
    assert all(first.recap(host)["changed"] > 0 for host in HOSTS)
    assert all(drift(drift_dir, host)["in_sync"] and drift(drift_dir, host)["changed"] for host in HOSTS)
    lon, fra, gateway = (example_fleet.devices[name] for name in ("sbc-lon-1", "sbc-fra-ha", "gw-par-1"))
    assert params(lon)["SyslogServerIP"] == "192.0.2.60" and params(lon)["NTPServerIP"] == "ntp.emea.example.net"
    assert params(gateway)["SyslogServerPort"] == 5514 and params(gateway)["SyslogServerIP"] == "192.0.2.50"
    assert params(fra)["SBCSessionExpires"] == 900 and params(lon)["SBCSessionExpires"] == 600
    assert named(fra, "IPGroup")["ITSP"]["ContactUser"] == "fra-trunk"
    assert named(lon, "IPGroup")["ITSP"]["ContactUser"] == ""
    for device in example_fleet.devices.values():
        snapshot = device.snapshot()
        assert snapshot["saved_config"] == snapshot["running_config"] and not snapshot["save_needed"]

    after_first = states(example_fleet)
    second = example_fleet.run("fleet_config.yml", extra_vars={"config_drift_dir": str(drift_dir)})
    assert second.rc == 0, second.stdout + second.stderr
    assert all(second.recap(host)["changed"] == 0 for host in HOSTS), second.stdout
    assert states(example_fleet) == after_first
    assert all(drift(drift_dir, host)["in_sync"] and not drift(drift_dir, host)["changed"] for host in HOSTS)


def one_device_inventory(example_fleet, tmp_path, layers):
    """An inventory of sbc-lon-1 alone whose host_vars hold the given layers (name -> value)."""
    inventory = tmp_path / "one"
    (inventory / "host_vars").mkdir(parents=True)
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"mediant": {"hosts": {"sbc-lon-1": None}, "vars": {
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}))
    connect(inventory, {"sbc-lon-1": example_fleet.devices["sbc-lon-1"]})
    (inventory / "host_vars" / "sbc-lon-1" / "config.yml").write_text(yaml.safe_dump(layers))
    return inventory


def test_each_table_state_through_the_layers(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    start = one_device_inventory(example_fleet, tmp_path / "a", {"mediant_config__00_all": {"tables": {
        "ConditionTable": [{"Name": n, "Condition": f"header.to contains '{n}'"} for n in "ABC"],
        "ProxySet": [{"ProxyName": "ITSP", "ProxyKeepAliveTime": 30, "EnableProxyKeepAlive": 1}],
        "MessageManipulations": [{"ManipulationName": "m1", "ActionSubject": "header.x"}]}}})
    assert example_fleet.run("fleet_config.yml", inventory=start).rc == 0

    # the host layer turns the group layer's tables into replaced / overridden / deleted
    states_ = one_device_inventory(example_fleet, tmp_path / "b", {
        "mediant_config__00_all": {"tables": {"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD"}],
                                              "ConditionTable": [{"Name": "B", "Condition": "header.to contains 'B'"}]}},
        "mediant_config__90_host": {"tables": {
            "ProxySet": {"state": "replaced"},
            "ConditionTable": {"state": "overridden", "rows": [{"Name": "D", "Condition": "header.to contains 'D'"}]},
            "MessageManipulations": {"state": "deleted"}}}})
    run = example_fleet.run("fleet_config.yml", inventory=states_)
    assert run.rc == 0, run.stdout + run.stderr
    itsp = named(lon, "ProxySet", "ProxyName")["ITSP"]
    assert (itsp["SRDName"], itsp["ProxyKeepAliveTime"], itsp["EnableProxyKeepAlive"]) == ("DefaultSRD", 60, 0)
    assert sorted(row["Name"] for row in table(lon, "ConditionTable").values()) == ["B", "D"]
    assert table(lon, "MessageManipulations") == {}
    again = example_fleet.run("fleet_config.yml", inventory=states_)
    assert again.recap("sbc-lon-1")["changed"] == 0, again.stdout


def test_protection_refuses_then_config_allow_lets_it_through(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    drift_dir = tmp_path / "drift"
    inventory = one_device_inventory(example_fleet, tmp_path, {"mediant_config__90_host": {
        "parameters": {"EnableSyslog": 1},
        "tables": {"InterfaceTable": [{"Index": 0, "IPAddress": "192.168.0.9"}]}}})
    before = config_state(lon)
    refused = example_fleet.run("fleet_config.yml", inventory=inventory, extra_vars={"config_drift_dir": str(drift_dir)})
    assert refused.rc != 0 and refused.recap("sbc-lon-1")["failed"] == 1
    assert ("config failed at 'INI parameters and tables, converge' on sbc-lon-1: Refusing a change that could cut the "
            "device off from its management: InterfaceTable row 0 (O+M+C) would change (IPAddress)") in refused.stdout
    assert "config_allow: [management]" in refused.stdout
    assert config_state(lon) == before
    document = drift(drift_dir, "sbc-lon-1")
    assert not document["in_sync"] and document["error"]["step"] == "INI parameters and tables, converge"

    allowed = example_fleet.run("fleet_config.yml", inventory=inventory, extra_vars={"config_allow": ["management"]})
    assert allowed.rc == 0, allowed.stdout + allowed.stderr
    assert table(lon, "InterfaceTable")[0]["IPAddress"] == "192.168.0.9"


def test_a_malformed_layer_is_refused_before_anything_is_sent(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    inventory = one_device_inventory(example_fleet, tmp_path, {"mediant_config__50_site": {"tabels": {}}})
    before = config_state(lon)
    run = example_fleet.run("fleet_config.yml", inventory=inventory)
    assert run.rc != 0
    assert "mediant_config__50_site: unknown key 'tabels'; a layer takes parameters, tables, cli" in run.stdout
    assert config_state(lon) == before


def test_a_refused_cli_block_names_the_command_and_leaves_the_device_as_it_was(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    drift_dir = tmp_path / "drift"
    inventory = one_device_inventory(example_fleet, tmp_path, {"mediant_config__90_host": {"cli": {
        "timers": {"parents": ["configure voip", "sbc settings"], "lines": ["sbc-session-expires 5"]}}}})
    before = config_state(lon)
    run = example_fleet.run("fleet_config.yml", inventory=inventory, extra_vars={"config_drift_dir": str(drift_dir)})
    assert run.rc != 0 and run.recap("sbc-lon-1")["failed"] == 1
    error = drift(drift_dir, "sbc-lon-1")["error"]
    assert error["step"] == "CLI blocks, converge"
    assert "sbc-session-expires 5" in error["msg"] and "One or more items failed" not in error["msg"]
    assert f"config failed at 'CLI blocks, converge' on sbc-lon-1: {error['msg']}" in run.stdout
    assert config_state(lon) == before


def test_text_that_would_leave_its_field_is_refused_before_anything_is_sent(example_fleet, tmp_path):
    """A line break in a CLI block of the last layer must stop the role before the INI step (which runs
    first) changes the device: bad input never leaves a device half-changed. Every piece of user text
    reaches the device only through the modules' options, which check it (docs/input-safety.md)."""
    lon = example_fleet.devices["sbc-lon-1"]
    drift_dir = tmp_path / "drift"
    inventory = one_device_inventory(example_fleet, tmp_path, {
        "mediant_config__00_all": {"parameters": {"SyslogServerPort": 5999}},
        "mediant_config__90_host": {"cli": {"syslog": {"parents": ["configure troubleshoot", "syslog"],
                                                       "lines": ["syslog on\nexit\nexit\nconfigure system"]}}}})
    before = config_state(lon)
    run = example_fleet.run("fleet_config.yml", inventory=inventory, extra_vars={"config_drift_dir": str(drift_dir)})
    assert run.rc != 0 and run.recap("sbc-lon-1")["failed"] == 1
    assert ("mediant_config__90_host.cli.syslog.lines[0]: the line holds '\\n' (U+000A LINE FEED) at character 10, a "
            "line break: it would end the CLI command there and start another. Give it on one line, without control "
            "characters. Nothing was sent to the device.") in run.stdout
    assert config_state(lon) == before


def test_a_line_break_in_an_ini_value_of_a_layer_changes_nothing(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    inventory = one_device_inventory(example_fleet, tmp_path, {"mediant_config__00_all": {
        "parameters": {"SyslogServerPort": 5998, "SNMPSysName": "x\nEnableSyslog = 0"},
        "tables": {"SRD": [{"Name": 'x";\n[ \\SRD ]'}]}}})
    before = config_state(lon)
    run = example_fleet.run("fleet_config.yml", inventory=inventory)
    assert run.rc != 0 and run.recap("sbc-lon-1")["failed"] == 1
    assert "parameters.SNMPSysName: the value holds '\\n' (U+000A LINE FEED) at character 2" in run.stdout
    assert config_state(lon) == before


def test_a_protected_cli_block_is_refused_before_the_ini_step_sends(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    inventory = one_device_inventory(example_fleet, tmp_path, {"mediant_config__90_host": {
        "parameters": {"SyslogServerPort": 5140},
        "cli": {"oamp": {"parents": ["configure network", "interface network-if 0"], "lines": ["gateway 192.168.0.254"]}}}})
    before = config_state(lon)
    refused = example_fleet.run("fleet_config.yml", inventory=inventory)
    assert refused.rc != 0 and refused.recap("sbc-lon-1")["failed"] == 1
    assert ("config failed at 'CLI blocks, check before sending' on sbc-lon-1: Refusing a change that could cut the device "
            "off from its management: configure network > interface network-if 0 > gateway 192.168.0.254 would change a "
            "management (OAMP) interface") in refused.stdout
    assert "config_allow: [management]" in refused.stdout
    assert config_state(lon) == before   # the INI parameter was not sent either

    allowed = example_fleet.run("fleet_config.yml", inventory=inventory, extra_vars={"config_allow": ["management"]})
    assert allowed.rc == 0, allowed.stdout + allowed.stderr
    assert table(lon, "InterfaceTable")[0]["Gateway"] == "192.168.0.254"
    assert params(lon)["SyslogServerPort"] == 5140


def test_cli_values_the_device_writes_otherwise_are_no_drift(example_fleet, tmp_path):
    lon = example_fleet.devices["sbc-lon-1"]
    drift_dir = tmp_path / "drift"
    # the device prints keywords and enumeration names in lower case, and numbers plainly
    inventory = one_device_inventory(example_fleet, tmp_path, {"mediant_config__90_host": {"cli": {
        "forking": {"parents": ["Configure VoIP", "SBC Settings"],
                    "lines": ["SBC-Forking-Handling-Mode Sequential", "sbc-session-expires 0600"]}}}})
    first = example_fleet.run("fleet_config.yml", inventory=inventory, extra_vars={"config_drift_dir": str(drift_dir)})
    assert first.rc == 0, first.stdout + first.stderr
    assert params(lon)["SBCFORKINGHANDLINGMODE"] == 1 and params(lon)["SBCSessionExpires"] == 600
    assert drift(drift_dir, "sbc-lon-1")["in_sync"]
    after = config_state(lon)
    check = example_fleet.run("fleet_config.yml", "--check", "--diff", inventory=inventory,
                              extra_vars={"config_drift_dir": str(drift_dir)})
    assert check.rc == 0 and drift(drift_dir, "sbc-lon-1")["in_sync"], check.stdout
    again = example_fleet.run("fleet_config.yml", inventory=inventory)
    assert again.rc == 0 and again.recap("sbc-lon-1")["changed"] == 0, again.stdout
    assert config_state(lon) == after
