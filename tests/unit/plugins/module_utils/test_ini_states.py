# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table states, the schema's comparisons and defaults, the order tables are sent in, and the
protection of what keeps a device managed - pure library functions on INI documents."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils import ini
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_protection import protected_changes
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_schema import SCHEMA, Schema

DEVICE = """\
[SYSTEM Params]
SyslogServerPort = 5514
HAPriority = 3
[ InterfaceTable ]
FORMAT Index = ApplicationTypes, InterfaceMode, IPAddress, PrefixLength, Gateway, InterfaceName, \
PrimaryDNSServerIPAddress, SecondaryDNSServerIPAddress, UnderlyingDevice;
InterfaceTable 0 = 6, 10, 192.168.0.2, 24, 192.168.0.1, "O+M+C", , , "vlan 1";
InterfaceTable 1 = 5, 10, 10.0.0.2, 24, 10.0.0.1, "Media", 0.0.0.0, 0.0.0.0, "vlan 2";
[ \\InterfaceTable ]
[ ProxySet ]
FORMAT Index = ProxyName, EnableProxyKeepAlive, ProxyKeepAliveTime, SRDName;
ProxySet 0 = "ITSP", 1, 30, "DefaultSRD";
ProxySet 1 = "Old", 0, 60, "DefaultSRD";
[ \\ProxySet ]
[ Gadget ]
FORMAT Index = Name, Colour, Size;
Gadget 0 = "g", "red", 3;
[ \\Gadget ]
[ WebUsers ]
FORMAT Index = Username, Password, Status, UserLevel;
WebUsers 0 = "Admin", "$1$xyz", 1, 200;
WebUsers 1 = "Operator", "$1$abc", 1, 100;
[ \\WebUsers ]
[ HaNetworkMonitor ]
FORMAT Index = Name, Destination;
HaNetworkMonitor 0 = "gw", 10.0.0.1;
[ \\HaNetworkMonitor ]
"""


def device():
    return ini.parse(DEVICE)


def desired(tables=None, states=None, parameters=None, defaults=None):
    wanted = {}
    for name, rows in (tables or {}).items():
        wanted[name] = []
        for row in rows:
            values = dict(row)
            wanted[name].append(ini.DesiredRow(values, index=values.pop("Index", None)))
    return ini.DesiredState(parameters or {}, wanted, states or {}, defaults or {})


def test_merged_touches_only_the_listed_columns():
    changes = ini.difference(device(), desired({"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD"}]}), schema=SCHEMA)
    assert not changes


def test_replaced_resets_unlisted_columns_from_the_schema():
    changes = ini.difference(device(), desired({"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD"}]},
                                               {"ProxySet": "replaced"}), schema=SCHEMA)
    assert [(row.action, row.index, row.after) for row in changes.rows] == [
        ("update", 0, {"EnableProxyKeepAlive": "0", "ProxyKeepAliveTime": "60"})]
    assert not changes.unknown_defaults


def test_replaced_uses_given_defaults_and_reports_unknown_columns():
    changes = ini.difference(device(), desired({"Gadget": [{"Name": "g"}]}, {"Gadget": "replaced"},
                                               defaults={"Gadget": {"colour": "blue"}}), schema=SCHEMA)
    assert [(row.index, row.after) for row in changes.rows] == [(0, {"Colour": "blue"})]
    assert changes.unknown_defaults == [("Gadget", 0, ["Size"])]


def test_overridden_removes_unlisted_rows_and_deleted_removes_listed_or_all():
    overridden = ini.difference(device(), desired({"ProxySet": [{"ProxyName": "ITSP", "EnableProxyKeepAlive": 1,
                                                                 "ProxyKeepAliveTime": 30, "SRDName": "DefaultSRD"}]},
                                                  {"ProxySet": "overridden"}), schema=SCHEMA)
    assert [(row.action, row.index) for row in overridden.rows] == [("remove", 1)]
    listed = ini.difference(device(), desired({"ProxySet": [{"ProxyName": "Old"}]}, {"ProxySet": "deleted"}))
    assert [(row.action, row.index) for row in listed.rows] == [("remove", 1)]
    every = ini.difference(device(), desired({"ProxySet": []}, {"ProxySet": "deleted"}))
    assert [(row.action, row.index) for row in every.rows] == [("remove", 0), ("remove", 1)]
    assert not ini.difference(device(), desired({"ProxySet": [{"ProxyName": "Nope"}]}, {"ProxySet": "deleted"}))


def test_an_unknown_state_is_an_error():
    with pytest.raises(ValueError, match="state must be one of merged, replaced, overridden, deleted"):
        ini.difference(device(), desired({"ProxySet": []}, {"ProxySet": "purged"}))


def test_schema_compares_numbers_addresses_and_unwritten_defaults():
    same = desired({"InterfaceTable": [{"Index": 0, "PrimaryDNSServerIPAddress": "0.0.0.0", "PrefixLength": "024"}]},
                   parameters={"SyslogServerPort": "05514", "SyslogFacility": 16, "EnableSyslog": "0"})
    assert not ini.difference(device(), same, schema=SCHEMA)
    # without the schema these are text and differ
    assert ini.difference(device(), same)
    assert SCHEMA.parameter("SyslogServerIP").canonical("2001:DB8:0::1") == "2001:db8::1"
    assert SCHEMA.column("ProxySet", "ProxyName").canonical("05") == "05"  # text stays text


def test_schema_lookups_are_case_insensitive_and_ranked():
    schema = Schema()
    assert schema.table("proxyset").name == "ProxySet"
    assert schema.rank("ProxySet") < schema.rank("IPGroup") < schema.rank("IP2IPRouting")
    assert schema.rank("Gadget") is None and schema.column("Gadget", "x") is None


def test_order_tables_adds_referred_tables_first_and_removes_them_last():
    add = ini.difference(device(), desired({"IPGroup": [{"Name": "A", "ProxySetName": "ITSP"}],
                                            "ProxySet": [{"ProxyName": "New"}], "Gadget": [{"Name": "h"}]}))
    assert [row.table for row in ini.order_tables(add, SCHEMA.rank).rows] == ["ProxySet", "IPGroup", "Gadget"]
    remove = ini.difference(ini.parse(DEVICE.replace("[ Gadget ]", "[ IPGroup ]\nFORMAT Index = Name;\nIPGroup 0 = \"A\";\n"
                                                     "[ \\IPGroup ]\n[ Gadget ]")),
                            desired({"ProxySet": [{"ProxyName": "Old"}], "IPGroup": [{"Name": "A"}]},
                                    {"ProxySet": "deleted", "IPGroup": "deleted"}))
    assert [row.table for row in ini.order_tables(remove, SCHEMA.rank).rows] == ["IPGroup", "ProxySet"]
    rendered = ini.render_incremental(ini.order_tables(remove, SCHEMA.rank))
    assert rendered.index("[ IPGroup ]") < rendered.index("[ ProxySet ]")


def categories(changes, protect=("management", "ha", "login_user"), username="Admin"):
    return protected_changes(device(), changes, protect, username)


def test_protection_finds_the_management_interface_but_not_its_dns():
    moved = ini.difference(device(), desired({"InterfaceTable": [{"Index": 0, "IPAddress": "192.168.0.9"}]}))
    assert categories(moved) == {"management": [
        "InterfaceTable row 0 (O+M+C) would change (IPAddress): it is a management (OAMP) interface"]}
    dns = ini.difference(device(), desired({"InterfaceTable": [{"Index": 0, "PrimaryDNSServerIPAddress": "10.0.0.53"}]}))
    assert categories(dns) == {}
    media = ini.difference(device(), desired({"InterfaceTable": [{"Index": 1, "IPAddress": "10.0.0.3"}]}))
    assert categories(media) == {}
    overridden = ini.difference(device(), desired({"InterfaceTable": [{"Index": 1}]}, {"InterfaceTable": "overridden"}))
    assert categories(overridden)["management"] == [
        "InterfaceTable row 0 (O+M+C) would be removed: it is a management (OAMP) interface"]
    assert categories(overridden, protect=("ha", "login_user")) == {}


def test_protection_finds_ha_settings_web_port_and_the_login_user():
    changes = ini.difference(device(), desired({"HaNetworkMonitor": [], "WebUsers": [{"Username": "Admin", "Status": 2},
                                                                                     {"Username": "Operator", "Status": 2}]},
                                               {"HaNetworkMonitor": "deleted"},
                                               parameters={"HAPriority": 4, "HTTPSPort": 8443}))
    found = categories(changes)
    assert found["ha"] == ["parameter HAPriority (high availability) would change from '3' to '4'",
                           "HaNetworkMonitor row 0 would be removed (high availability)"]
    assert found["management"] == [
        "parameter HTTPSPort (the web server the REST API listens on) would change from None to '8443'"]
    assert found["login_user"] == ["WebUsers row 0 (Admin) would change: it is the user 'Admin' this task logs in as"]
    assert "login_user" not in categories(changes, username="Monitor")
    assert categories(changes, protect=()) == {}
