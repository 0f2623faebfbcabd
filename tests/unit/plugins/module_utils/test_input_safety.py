# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one input check: every option whose text reaches the device's INI or CLI, refused with
the option, the character (repr and U+XXXX) and the fix (docs/input-safety.md)."""
from __future__ import annotations

import re

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils import input_safety
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError

SENT = " Nothing was sent to the device."


def refused(call, *args):
    with pytest.raises(InputError) as caught:
        call(*args)
    assert str(caught.value).endswith(SENT), caught.value
    return str(caught.value)


def test_the_issues_parameter_injection_names_the_option_and_the_character():
    msg = refused(input_safety.check_ini_parameters, {"SyslogServerPort": "514\nSNMPSysName = x\nEnableSyslog = 0"})
    assert msg == ("parameters.SyslogServerPort: the value holds '\\n' (U+000A LINE FEED) at character 4, a line break: "
                   "it would end the INI line there and start another. Give it on one line, without control characters."
                   + SENT)


def test_a_value_is_never_repeated_in_the_message():
    msg = refused(input_safety.check_ini_tables, {"IPGroup": [{"Index": 1, "Password": "s3cret\r"}]})
    assert msg.startswith("tables.IPGroup[0].Password: the value holds '\\r' (U+000D CARRIAGE RETURN) at character 7")
    assert "s3cret" not in msg


@pytest.mark.parametrize("parameters, start", [
    ({"Syslog\nPort": 1}, "parameters: the parameter name 'Syslog\\nPort' holds '\\n' (U+000A LINE FEED) at character 7"),
    ({"Syslog Port": 1}, "parameters: the parameter name 'Syslog Port' contains ' ' (U+0020); a name holds only ASCII "
                         "letters, digits, '_' and '.'. Write the parameter name as the device's INI file spells it"),
    ({"[SYSTEM Params]": 1}, "parameters: the parameter name '[SYSTEM Params]' starts with '[' (U+005B)"),
    ({"A": ["x", "y\x00"]}, "parameters.A[1]: the value holds '\\x00' (U+0000 NUL) at character 2, a control character"),
    ({"A": "tab\there"}, "parameters.A: the value holds '\\t' (U+0009 TAB) at character 4"),
    ({"A": "x\u2028y"}, "parameters.A: the value holds '\\u2028' (U+2028 LINE SEPARATOR) at character 2, a line break"),
    ({"A": {"nested": 1}}, "parameters.A: a value is a string, a number or a boolean, or a list of those, got a dict"),
    ({"A": [["x"]]}, "parameters.A[0]: a value is a string, a number or a boolean, got a list"),
])
def test_parameters(parameters, start):
    assert refused(input_safety.check_ini_parameters, parameters).startswith(start)


@pytest.mark.parametrize("tables, keys, start", [
    ({"IPGroup": [{"Name": "x\n[ \\IPGroup ]\n[ ProxySet ]"}]}, None, "tables.IPGroup[0].Name: the value holds '\\n'"),
    ({"IPGroup": [{"Index": 0}, {"Index": 2, "Name": "ok"}, {"Index": 3, "Name": "a\rb"}]}, None,
     "tables.IPGroup[2].Name: the value holds '\\r' (U+000D CARRIAGE RETURN) at character 2"),
    ({"IP Group": [{"Name": "x"}]}, None, "tables: the table name 'IP Group' contains ' ' (U+0020)"),
    ({"IPGroup]": [{"Name": "x"}]}, None, "tables: the table name 'IPGroup]' contains ']' (U+005D)"),
    ({"IPGroup": [{"Na;me": "x"}]}, None, "tables.IPGroup[0]: the column name 'Na;me' contains ';' (U+003B)"),
    ({"IPGroup": [{"Name": ["a", "b"]}]}, None, "tables.IPGroup[0].Name: a value is a string, a number or a boolean, got a list"),
    ({"IPGroup": [{"Index": "1;"}]}, None, "tables.IPGroup[0]: Index must be a number 0 or more, got '1;'"),
    ({"IPGroup": [{"Index": True}]}, None, "tables.IPGroup[0]: Index must be a number 0 or more, got True"),
    ({"IPGroup": [{"Name": "x", "state": "gone"}]}, None, "tables.IPGroup[0]: state must be present or absent, got 'gone'"),
    ({"IPGroup": {"Name": "x"}}, None, "tables.IPGroup: give a list of rows, got a dict"),
    ({"IPGroup": ["Name=x"]}, None, "tables.IPGroup[0]: a row is a dictionary of column: value, got a str"),
    ({}, {"IP2IPRouting": "Route\nName"}, "keys.IP2IPRouting: the column name 'Route\\nName' holds '\\n'"),
])
def test_tables_and_keys(tables, keys, start):
    assert refused(input_safety.check_ini_tables, tables, keys).startswith(start)


def test_good_ini_options_pass():
    input_safety.check_ini_parameters({"SyslogServerIP": "10.1.1.1", "EnableSyslog": 1, "X.Y": True, "L": ["a", 2, None],
                                       "Q": "it's; [x] = \"y\", $$DELETE$$"})
    input_safety.check_ini_tables({"IPGroup": [{"Index": "3", "Name": "a, b; c", "state": "absent"}]}, {"IPGroup": "Name"})


@pytest.mark.parametrize("call, option, lines, start", [
    (input_safety.check_cli_lines, "lines", ['name "a"', "syslog on\nexit"],
     "lines[1]: the line holds '\\n' (U+000A LINE FEED) at character 10, a line break: it would end the CLI command"),
    (input_safety.check_cli_lines, "before", ['name "ITSP'],
     'before[0]: the line has an unterminated quoted string. Close the quote; inside quotes write a quote as \\" and a '
     "backslash as \\\\."),
    (input_safety.check_cli_lines, "commands", ["show system version\rconfigure voip"],
     "commands[0]: the line holds '\\r' (U+000D CARRIAGE RETURN) at character 20"),
])
def test_cli_lines(call, option, lines, start):
    assert refused(call, option, lines).startswith(start)


@pytest.mark.parametrize("parents, start", [
    (["configure voip", "exit"], "parents[1]: the line 'exit' moves between modes instead of entering one"),
    (["configure voip", "# x"], "parents[1]: the line '# x' is a comment, not a mode"),
    (["configure voip\nconfigure system"], "parents[0]: the line holds '\\n'"),
])
def test_parents(parents, start):
    assert refused(input_safety.check_cli_parents, parents).startswith(start)


def test_whole_files_keep_their_lines_but_no_other_control_character():
    input_safety.check_file_text("content", "configure voip\r\n\tip-group 1\n exit\nexit\n")
    msg = refused(input_safety.check_file_text, "src", "A = 1\nB = 2\x00\n")
    assert msg.startswith("src: line 2 holds '\\x00' (U+0000 NUL), a control character")
    msg = refused(input_safety.check_file_text, "content", "A = 1\x0bB = 2\n")
    assert msg.startswith("content: line 1 holds '\\x0b' (U+000B LINE TABULATION), a line break the device may not read")


@pytest.mark.parametrize("key", ["abc def", "abc\ndef", "abc\tdef"])
def test_a_license_key_is_one_word_and_never_shown(key):
    msg = refused(input_safety.check_word, "key", key, "the license key")
    assert msg.startswith("key: the license key holds ")
    assert "abc" not in msg


def test_describe_names_every_character():
    assert input_safety.describe("\n") == "'\\n' (U+000A LINE FEED)"
    assert input_safety.describe("\x01") == "'\\x01' (U+0001)"
    assert input_safety.describe(";") == "';' (U+003B SEMICOLON)"
    assert re.fullmatch(r"'\\x9f' \(U\+009F\)", input_safety.describe("\x9f"))


@pytest.mark.parametrize("column_defaults, start", [
    ({"SRD": {"Name": "x\n[ \\SRD ]"}}, "column_defaults.SRD.Name: the value holds '\\n' (U+000A LINE FEED) at character 2"),
    ({"SRD": {"Na;me": "x"}}, "column_defaults.SRD: the column name 'Na;me' contains ';' (U+003B)"),
    ({"SRD ]": {"Name": "x"}}, "column_defaults: the table name 'SRD ]' contains ' ' (U+0020)"),
    ({"SRD": ["Name"]}, "column_defaults.SRD: give a dictionary of column: default value, got a list"),
    ({"SRD": {"Name": ["a"]}}, "column_defaults.SRD.Name: a value is a string, a number or a boolean, got a list"),
])
def test_column_defaults(column_defaults, start):
    assert refused(input_safety.check_ini_column_defaults, column_defaults).startswith(start)
    input_safety.check_ini_column_defaults({"SRD": {"Name": "it's \"quoted\"; [x]", "Mode": 1}})   # text, not syntax
