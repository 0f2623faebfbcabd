# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merging configuration layers in name order, and the drift document, without Ansible running."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.config_state import LayerError, drift, merge_layers


def merge(**layers):
    return merge_layers(list(layers), list(layers.values()))


def test_layers_merge_in_the_order_of_their_names_not_the_order_given():
    merged = merge_layers(["mediant_config__90_host", "mediant_config__00_all", "mediant_config__10_emea"], [
        {"parameters": {"SyslogServerIP": "10.0.0.90"}},
        {"parameters": {"SyslogServerIP": "10.0.0.1", "NTPServerIP": "pool.ntp.org", "EnableSyslog": 1}},
        {"parameters": {"syslogserverip": "10.0.0.10", "NTPServerIP": None}},
    ])
    assert merged["parameters"] == {"SyslogServerIP": "10.0.0.90", "EnableSyslog": 1}
    assert merged["layers"] == ["mediant_config__00_all", "mediant_config__10_emea", "mediant_config__90_host"]


def test_rows_merge_by_index_or_key_and_columns_of_later_layers_win():
    merged = merge(
        a={"tables": {"IPGroup": [{"Name": "ITSP", "ProxySetName": "ITSP", "SRDName": "DefaultSRD"},
                                  {"Index": 5, "Name": "PBX"}]}},
        b={"tables": {"ipgroup": {"rows": [{"name": "ITSP", "ContactUser": "trunk"}, {"Index": "5", "Name": "PBX2"},
                                           {"Name": "Teams", "state": "absent"}]}}},
    )
    assert merged["tables"] == {"IPGroup": [
        {"Name": "ITSP", "ProxySetName": "ITSP", "SRDName": "DefaultSRD", "ContactUser": "trunk"},
        {"Index": "5", "Name": "PBX2"},
        {"Name": "Teams", "state": "absent"}]}


def test_table_options_later_layer_wins_and_defaults_merge_per_column():
    merged = merge(
        a={"tables": {"Gadget": {"rows": [{"Serial": "1"}], "key": "Serial", "state": "replaced",
                                 "column_defaults": {"Colour": "red", "Size": 1}}}},
        b={"tables": {"Gadget": {"state": "overridden", "column_defaults": {"Colour": "blue"}}}},
    )
    assert merged["table_states"] == {"Gadget": "overridden"}
    assert merged["keys"] == {"Gadget": "Serial"}
    assert merged["column_defaults"] == {"Gadget": {"Colour": "blue", "Size": 1}}
    assert merged["tables"] == {"Gadget": [{"Serial": "1"}]}


def test_cli_blocks_are_replaced_by_name_or_dropped():
    merged = merge(
        a={"cli": {"timers": {"parents": ["configure voip", "sbc settings"], "lines": ["sbc-session-expires 600"]},
                   "syslog": {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog on"]}}},
        b={"cli": {"timers": {"parents": ["configure voip", "sbc settings"], "lines": ["sbc-session-expires 900"]},
                   "syslog": None}},
    )
    assert merged["cli"] == [{"name": "timers", "parents": ["configure voip", "sbc settings"],
                              "lines": ["sbc-session-expires 900"]}]


@pytest.mark.parametrize("layer, message", [
    ({"tabels": {}}, "x: unknown key 'tabels'; a layer takes parameters, tables, cli"),
    ("text", "x: a layer is a dictionary"),
    ({"parameters": ["a"]}, "x.parameters: give a dictionary"),
    ({"tables": {"IPGroup": {"rows": [{"Name": "a"}], "state": "purged"}}}, "x.tables.IPGroup.state: must be one of"),
    ({"tables": {"IPGroup": {"row": []}}}, "x.tables.IPGroup: unknown key 'row'"),
    ({"tables": {"ProxyIp": [{"IpAddress": "10.0.0.1"}]}}, "x.tables.ProxyIp: a row of table ProxyIp needs Index"),
    ({"cli": {"b": {"lines": "syslog on"}}}, "x.cli.b.lines: give a list of strings"),
    ({"cli": {"b": {"parents": ["configure voip"], "lines": []}}}, "x.cli.b.lines: give at least one line"),
    ({"cli": {"b": {"lines": ["a"], "match": "exact"}}}, "x.cli.b: unknown key 'match'"),
])
def test_malformed_layers_name_the_variable_and_the_key(layer, message):
    with pytest.raises(LayerError) as caught:
        merge_layers(["x"], [layer])
    assert message in str(caught.value)


def test_drift_counts_what_would_be_sent():
    ini = {"changes": {"parameters": [{"name": "A", "before": None, "after": "1"}],
                       "rows_added": [{"table": "T", "index": 0, "action": "add", "after": {"Name": "x"}}],
                       "rows_updated": [], "rows_removed": []},
           "ini": "A = 1\r\n", "commands": ["A = 1"]}
    cli = [{"item": {"name": "b", "parents": ["configure voip"]}, "updates": ["x 1"], "commands": ["configure voip", "  x 1", "exit"]},
           {"item": {"name": "c"}, "updates": [], "commands": []}, {"skipped": True}]
    document = drift(ini, cli, "sbc1", "2026-12-04T14:00:00Z", "check", layers=["l"])
    assert document["summary"] == {"parameters": 1, "rows_added": 1, "rows_updated": 0, "rows_removed": 0,
                                   "cli_lines": 1, "total": 3}
    assert not document["in_sync"] and document["commands"] == ["A = 1", "configure voip", "  x 1", "exit"]
    assert document["cli"] == [{"block": "b", "parents": ["configure voip"], "lines": ["x 1"],
                                "commands": ["configure voip", "  x 1", "exit"]}]
    assert drift({}, [], "sbc1", None, "converge")["in_sync"]
    failed = drift({}, [], "sbc1", None, "converge", error={"step": "s", "msg": "m"})
    assert not failed["in_sync"] and failed["error"] == {"step": "s", "msg": "m"}


@pytest.mark.parametrize("block, start", [
    ({"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog on\nexit"]},
     "l.cli.b.lines[0]: the line holds '\\n' (U+000A LINE FEED) at character 10"),
    ({"parents": ["configure voip", "ip-group 1\rexit"], "lines": ['name "x"']},
     "l.cli.b.parents[1]: the line holds '\\r' (U+000D CARRIAGE RETURN) at character 11"),
    ({"parents": ["configure voip", "exit"], "lines": ['name "x"']},
     "l.cli.b.parents[1]: the line 'exit' moves between modes instead of entering one"),
    ({"lines": ['name "x']}, "l.cli.b.lines[0]: the line has an unterminated quoted string"),
])
def test_a_cli_block_mediant_cli_would_refuse_is_refused_when_the_layers_merge(block, start):
    """The role's INI step runs before its CLI blocks: a bad block must stop it before anything is sent."""
    with pytest.raises(LayerError) as caught:
        merge(l={"parameters": {"SyslogServerPort": 514}, "cli": {"b": block}})
    assert str(caught.value).startswith(start) and str(caught.value).endswith("Nothing was sent to the device.")
