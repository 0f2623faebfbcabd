# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_ini table states (merged, replaced, overridden, deleted), protection of what keeps the
device managed, values compared as the device holds them, and tables sent in dependency order -
against a simulated device, asserting on what the device holds."""
from __future__ import annotations

from simulator.config import tables as simulator_tables

from tests.integration.device_helpers import config_state, guard_still_pending, guard_uploads

INI = "audiocodes.mediant.mediant_ini"
INCREMENTAL = "files/ini/incremental"


def rows(device, table):
    """The rows of a table the device holds, by index."""
    return {row["Index"]: row for row in device.snapshot()["running_config"]["tables"].get(table, [])}


def by_name(device, table, key):
    return {row[key]: row for row in rows(device, table).values()}


def test_replaced_puts_unlisted_columns_back_to_their_defaults(device, run_play):
    tuned = {"tables": {"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD", "ProxyKeepAliveTime": 30,
                                      "EnableProxyKeepAlive": 1, "IsProxyHotSwap": 1}]}}
    plain = {"tables": {"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD", "IsProxyHotSwap": 1}]},
             "table_states": {"ProxySet": "replaced"}}
    play = run_play([{"name": "tuned", INI: tuned}, {"name": "merged keeps", INI: dict(plain, table_states={})},
                     {"name": "replaced", INI: plain}, {"name": "again", INI: plain}], device)
    assert play.task("merged keeps")["status"] == "ok", play.task("merged keeps")
    replaced = play.task("replaced")
    assert replaced["status"] == "changed", replaced
    assert [(row["table"], row["before"], row["after"]) for row in replaced["result"]["changes"]["rows_updated"]] == [(
        "ProxySet", {"EnableProxyKeepAlive": "1", "ProxyKeepAliveTime": "30"},
        {"EnableProxyKeepAlive": "0", "ProxyKeepAliveTime": "60"})]
    assert play.task("again")["status"] == "ok", play.task("again")
    row = by_name(device, "ProxySet", "ProxyName")["ITSP"]
    assert (row["ProxyKeepAliveTime"], row["EnableProxyKeepAlive"], row["IsProxyHotSwap"]) == (60, 0, 1)


def test_overridden_leaves_exactly_the_listed_rows(device, run_play):
    first = {"tables": {"ConditionTable": [{"Name": "A", "Condition": "header.from contains 'a'"},
                                           {"Name": "B", "Condition": "header.from contains 'b'"}]}}
    exact = {"tables": {"ConditionTable": [{"Name": "B", "Condition": "header.from contains 'b'"},
                                           {"Name": "C", "Condition": "header.from contains 'c'"}]},
             "table_states": {"ConditionTable": "overridden"}}
    play = run_play([{"name": "first", INI: first}, {"name": "override", INI: exact}, {"name": "again", INI: exact}],
                    device)
    override = play.task("override")
    assert override["status"] == "changed", override
    changes = override["result"]["changes"]
    assert [row["index"] for row in changes["rows_removed"]] == [0]
    assert [row["after"]["Name"] for row in changes["rows_added"]] == ["C"]
    assert play.task("again")["status"] == "ok", play.task("again")
    assert sorted(by_name(device, "ConditionTable", "Name")) == ["B", "C"]


def test_deleted_removes_the_listed_rows_or_every_row(device, run_play):
    three = {"tables": {"ConditionTable": [{"Name": name, "Condition": "header.to contains '1'"} for name in "XYZ"]}}
    one = {"tables": {"ConditionTable": [{"Name": "Y"}]}, "table_states": {"ConditionTable": "deleted"}}
    every = {"tables": {"ConditionTable": []}, "table_states": {"ConditionTable": "deleted"}}
    play = run_play([{"name": "three", INI: three}, {"name": "one", INI: one}, {"name": "one again", INI: one}], device)
    assert play.task("one")["status"] == "changed" and play.task("one again")["status"] == "ok"
    assert sorted(by_name(device, "ConditionTable", "Name")) == ["X", "Z"]
    play = run_play([{"name": "every", INI: every}, {"name": "every again", INI: every}], device)
    assert play.task("every")["status"] == "changed" and play.task("every again")["status"] == "ok"
    assert rows(device, "ConditionTable") == {}


def test_a_table_state_without_its_table_or_with_a_wrong_state_is_refused(device, run_play):
    before = config_state(device)
    play = run_play([{"name": "missing", INI: {"parameters": {"EnableSyslog": 1}, "table_states": {"IPGroup": "deleted"}},
                      "ignore_errors": True},
                     {"name": "wrong", INI: {"tables": {"IPGroup": []}, "table_states": {"IPGroup": "purged"}},
                      "ignore_errors": True}], device)
    assert "table_states.IPGroup: table IPGroup is not in tables" in play.task("missing")["result"]["msg"]
    assert "must be one of merged, replaced, overridden, deleted" in play.task("wrong")["result"]["msg"]
    assert config_state(device) == before


def test_protection_refuses_the_management_interface_ha_and_web_port(device, run_play):
    before = config_state(device)
    guard_uploads(device, INCREMENTAL)
    oamp = {"tables": {"InterfaceTable": [{"Index": 0, "IPAddress": "192.168.0.9"}]}}
    gone = {"tables": {"InterfaceTable": [{"Index": 1, "InterfaceName": "Media", "ApplicationTypes": 1,
                                           "IPAddress": "10.9.9.9", "UnderlyingDevice": "vlan 1"}]},
            "table_states": {"InterfaceTable": "overridden"}}
    play = run_play([
        {"name": "move oamp", INI: oamp, "ignore_errors": True},
        {"name": "override interfaces", INI: gone, "ignore_errors": True},
        {"name": "ha", INI: {"parameters": {"HAPriority": 5}}, "ignore_errors": True},
        {"name": "web port", INI: {"parameters": {"HTTPSPort": 8443}}, "ignore_errors": True},
    ], device, check=False)
    move = play.task("move oamp")["result"]["msg"]
    assert move.startswith("Refusing a change that could cut the device off from its management: InterfaceTable row 0 "
                           "(O+M+C) would change (IPAddress): it is a management (OAMP) interface. Nothing was sent")
    assert move.endswith("leave management out of protect.")
    assert "InterfaceTable row 0 (O+M+C) would be removed" in play.task("override interfaces")["result"]["msg"]
    assert "parameter HAPriority (high availability) would change" in play.task("ha")["result"]["msg"]
    assert "leave ha out of protect" in play.task("ha")["result"]["msg"]
    assert "parameter HTTPSPort (the web server the REST API listens on)" in play.task("web port")["result"]["msg"]
    assert all(task["status"] == "failed" for task in play.tasks)
    assert guard_still_pending(device, INCREMENTAL)
    assert config_state(device) == before


def test_protection_is_lifted_per_category_and_dns_is_free(device, run_play):
    dns = {"tables": {"InterfaceTable": [{"Index": 0, "PrimaryDNSServerIPAddress": "10.0.0.53"}]}}
    move = {"tables": {"InterfaceTable": [{"Index": 0, "IPAddress": "192.168.0.9"}]}, "protect": ["ha", "login_user"]}
    play = run_play([{"name": "dns", INI: dns}, {"name": "move", INI: move}], device)
    assert play.task("dns")["status"] == "changed" and play.task("move")["status"] == "changed"
    row = rows(device, "InterfaceTable")[0]
    assert (row["IPAddress"], row["PrimaryDNSServerIPAddress"]) == ("192.168.0.9", "10.0.0.53")


def test_values_the_device_normalizes_are_not_drift(device, run_play):
    first = {"parameters": {"SyslogServerPort": 5514, "SyslogServerIP": "2001:DB8:0::1"},
             "tables": {"ProxySet": [{"ProxyName": "ITSP", "ProxyKeepAliveTime": 30}]}}
    written_otherwise = {"parameters": {"SyslogServerPort": "05514", "SyslogServerIP": "2001:db8::1",
                                        # at its default: the device does not write it
                                        "SyslogFacility": 16},
                         "tables": {"proxyset": [{"proxyname": "ITSP", "ProxyKeepAliveTime": "+30"}]}}
    play = run_play([{"name": "first", INI: first}, {"name": "otherwise", INI: written_otherwise}], device)
    otherwise = play.task("otherwise")
    assert otherwise["status"] == "ok", otherwise
    assert not otherwise["result"].get("warnings")


def test_tables_go_in_dependency_order_whatever_the_order_given(device, run_play):
    backwards = {"tables": {"IPGroup": [{"Name": "ITSP", "ProxySetName": "ITSP", "SRDName": "DefaultSRD"}],
                            "ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD"}]}}
    removal = {"tables": {"ProxySet": [{"ProxyName": "ITSP"}], "IPGroup": [{"Name": "ITSP"}]},
               "table_states": {"ProxySet": "deleted", "IPGroup": "deleted"}}
    play = run_play([{"name": "add", INI: backwards}, {"name": "remove", INI: removal}], device)
    add, remove = play.task("add")["result"], play.task("remove")["result"]
    assert [line for line in add["commands"] if line.startswith("[ ") and "\\" not in line] == ["[ ProxySet ]", "[ IPGroup ]"]
    assert [line for line in remove["commands"] if line.startswith("[ ") and "\\" not in line] == ["[ IPGroup ]", "[ ProxySet ]"]
    assert play.task("remove")["status"] == "changed"
    assert "ITSP" not in by_name(device, "IPGroup", "Name") and "ITSP" not in by_name(device, "ProxySet", "ProxyName")


def test_check_mode_with_states_sends_nothing(device, run_play):
    before = config_state(device)
    guard_uploads(device, INCREMENTAL)
    task = {"tables": {"SRD": [{"Name": "Teams"}]}, "table_states": {"SRD": "overridden"}}
    play = run_play([{"name": "plan", INI: task}], device, check=True, diff=True)
    plan = play.task("plan")["result"]
    assert play.task("plan")["status"] == "changed"
    assert [row["before"]["Name"] for row in plan["changes"]["rows_removed"]] == ["DefaultSRD"]
    assert "SRD 0 = $$DELETE$$;" in plan["commands"]
    assert guard_still_pending(device, INCREMENTAL)
    assert config_state(device) == before


def test_the_module_knows_the_simulated_device_tables():
    """The module's schema and the simulator describe the same tables, columns and defaults (when the simulator
    learns more: .venv/bin/python scripts/ini_schema_data.py prints the data for ini_schema.py)."""
    from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_schema import SCHEMA
    from simulator.config import catalogue

    for position, table in enumerate(simulator_tables.TABLES):
        spec = SCHEMA.table(table.name)
        assert spec is not None and spec.rank == position, table.name
        assert [column.name for column in spec.columns] == [column.name for column in table.columns]
        for column in table.columns:
            kind = {"int": "n", "enum": "n", "ip": "ip", "string": "s"}[column.type.kind]
            assert (spec.column(column.name).kind, spec.column(column.name).default) == (kind, str(column.default))
    for parameter in catalogue.PARAMETERS:
        spec = SCHEMA.parameter(parameter.name)
        assert spec is not None and spec.name == parameter.name and spec.default == str(parameter.default)
