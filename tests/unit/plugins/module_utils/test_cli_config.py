# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CLI configuration tree: parsing device scripts, ios_config-like comparison, scripts to send."""
from __future__ import annotations


import pytest
from hypothesis import given, settings, strategies as st

from tests.cli_samples import WANTED
from tests.ini_corpus import corpus_names

CORPUS = corpus_names()

from ansible_collections.audiocodes.mediant.plugins.module_utils import cli_config
from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import (
    CliConfigError, build, difference, normalize_line, parse, predict, render_incremental, serialize,
)

RUNNING = """\
## Current Configuration:
## Mediant VE SBC, Version 7.40A.500.010

configure system
 cli-settings
  password-obscurity on
 exit
 hostname "sbc1"
exit
configure network
 network-dev 0
  vlan-id 1
  underlying-if "GROUP_1"
  name "vlan 1"
  activate
 exit
exit
configure voip
  ip-group 0
    name "Default_IPG"
    media-realm-name "DefaultRealm"
    activate
   exit
  sbc settings
  exit
  sip-definition settings
    session-expires-time 180
    activate
  exit
exit
"""


def script_for(desired, running_text=RUNNING, match="line", replace="line"):
    running = parse(running_text)
    selected = difference(running, desired, match=match, replace=replace)
    return render_incremental(running, desired, selected)


def stripped(commands):
    return [line.strip() for line in commands]


# ---------------------------------------------------------------------------------- parsing


def test_parse_nests_by_indentation_and_keeps_structure_out_of_the_lines():
    root = parse(RUNNING)
    assert [node.text for node in root.children] == ["configure system", "configure network", "configure voip"]
    row = root.get(["configure voip", "ip-group 0"])
    assert [node.text for node in row.children] == ['name "Default_IPG"', 'media-realm-name "DefaultRealm"']
    assert row.activate is True
    assert root.get(["configure system", "cli-settings"]).activate is False
    # `exit` at an odd indentation (3 spaces) still closes the row, so `sbc settings` is its sibling
    assert root.get(["configure voip", "sbc settings"]) is not None
    assert root.get(["configure system", "hostname sbc1"]) is not None
    assert not any(node.key in ("exit", "activate") or node.key.startswith("#") for node in root.walk())


def test_empty_mode_closed_by_its_aligned_exit_is_a_mode():
    root = parse(RUNNING)
    settings_mode = root.get(["configure voip", "sbc settings"])
    assert settings_mode.children == [] and settings_mode.opens_mode
    assert root.get(["configure voip", "sip-definition settings", "session-expires-time 180"]) is not None


def test_serialize_renders_activate_and_exit_back():
    text = serialize(parse(RUNNING))
    assert text.splitlines()[:6] == ["configure system", " cli-settings", "  password-obscurity on", " exit", ' hostname "sbc1"', "exit"]
    assert " ip-group 0\n  name \"Default_IPG\"\n  media-realm-name \"DefaultRealm\"\n  activate\n exit\n" in text
    assert serialize(parse(text)) == text


def test_unindented_script_is_refused_with_the_line_number():
    with pytest.raises(CliConfigError, match="line 4: 'exit' closes no mode"):
        parse("configure voip\nip-group 0\nname x\nexit\nexit\n")


def test_activate_outside_a_mode_is_refused():
    with pytest.raises(CliConfigError, match="line 1"):
        parse("activate\n")


def test_duplicate_blocks_merge():
    root = parse("configure voip\n ip-group 0\n  name a\n exit\nexit\nconfigure voip\n ip-group 0\n  tag x\n exit\nexit\n")
    assert len(root.children) == 1
    assert [node.text for node in root.get(["configure voip", "ip-group 0"]).children] == ["name a", "tag x"]


@pytest.mark.parametrize("one, other", [
    ('name "Default_IPG"', "name Default_IPG"),
    ("name   x", "name x"),
    ('name "vlan 1"', 'name  "vlan 1"'),
    ("  ip-group 0 ", "ip-group 0"),
])
def test_normalize_treats_equivalent_spellings_alike(one, other):
    assert normalize_line(one) == normalize_line(other)


def test_escaped_quotes_and_backslashes_inside_quotes():
    assert cli_config.tokenize(r'name "say \"hi\" \\o/"') == ["name", 'say "hi" \\o/']
    assert normalize_line(r'name "a\"b"') == r'name "a\"b"'
    assert normalize_line(r'name "a\\b"') == normalize_line('name "a\\\\b"') != normalize_line("name ab")


def test_end_returns_to_the_top():
    root = parse("configure voip\n ip-group 1\n  name x\nend\nconfigure system\n ntp\n  primary-server a\n exit\nexit\n")
    assert [node.text for node in root.children] == ["configure voip", "configure system"]
    assert root.get(["configure voip", "ip-group 1", "name x"]) is not None
    assert not build(["end"], ["configure voip"]).get(["configure voip"]).children


def test_normalize_keeps_spaces_inside_quotes_and_case():
    assert normalize_line('name "vlan  1"') != normalize_line('name "vlan 1"')
    assert normalize_line("name A") != normalize_line("name a")
    assert normalize_line('description ""') == 'description ""'


# ---------------------------------------------------------------------------------- lines/parents


def test_build_puts_lines_under_parents_and_activate_on_the_innermost():
    root = build(["name x", "activate", "exit"], ["configure voip", "ip-group 3"])
    row = root.get(["configure voip", "ip-group 3"])
    assert [node.text for node in row.children] == ["name x"] and row.activate


def test_activate_without_parents_is_refused():
    with pytest.raises(CliConfigError):
        build(["activate"])


def test_present_lines_need_nothing():
    desired = build(["name Default_IPG"], ["configure voip", "ip-group 0"])
    script = script_for(desired)
    assert not script and script.commands == [] and script.text == ""


def test_changed_setting_in_a_row_is_sent_with_activate_and_exits_to_the_top():
    desired = build(['name "ITSP"', 'media-realm-name "DefaultRealm"'], ["configure voip", "ip-group 0"])
    script = script_for(desired)
    assert script.commands == ["configure voip", "  ip-group 0", '    name "ITSP"', "    activate", "  exit", "exit"]
    assert script.updates == ['name "ITSP"']


def test_new_row_is_created_with_its_header_and_activate():
    desired = build(["name ITSP"], ["configure voip", "ip-group 1"])
    script = script_for(desired)
    assert stripped(script.commands) == ["configure voip", "ip-group 1", "name ITSP", "activate", "exit", "exit"]
    assert script.updates == ["ip-group 1", "name ITSP"]


def test_entering_a_configure_block_the_device_does_not_print_is_no_update():
    script = script_for(build(["syslog on"], ["configure troubleshoot", "syslog"]), running_text="")
    assert script.updates == ["syslog", "syslog on"]
    assert stripped(script.commands) == ["configure troubleshoot", "syslog", "syslog on", "activate", "exit", "exit"]
    assert not script_for(build([], ["configure troubleshoot"]), running_text="")


def test_mode_without_activate_on_the_device_gets_none():
    desired = build(["password-obscurity off"], ["configure system", "cli-settings"])
    assert stripped(script_for(desired).commands) == ["configure system", "cli-settings", "password-obscurity off", "exit", "exit"]


def test_mode_the_device_activates_gets_activate_even_when_not_a_row():
    desired = build(["session-expires-time 300"], ["configure voip", "sip-definition settings"])
    assert stripped(script_for(desired).commands)[-3:] == ["activate", "exit", "exit"]


def test_line_directly_under_a_configure_block_gets_no_activate():
    desired = build(["hostname sbc2"], ["configure system"])
    assert stripped(script_for(desired).commands) == ["configure system", "hostname sbc2", "exit"]


def test_no_line_is_satisfied_when_the_thing_is_absent_and_sent_when_present():
    absent = build(["no ip-group 7"], ["configure voip"])
    assert not script_for(absent)
    assert not script_for(absent, running_text="")
    present = build(["no ip-group 0"], ["configure voip"])
    assert stripped(script_for(present).commands) == ["configure voip", "no ip-group 0", "exit"]


def test_empty_mode_known_to_the_device_is_entered_and_left():
    desired = build(["sbc settings"], ["configure voip"])
    script = script_for(desired, match="none")
    assert stripped(script.commands) == ["configure voip", "sbc settings", "exit", "exit"]


def test_new_row_with_only_activate():
    desired = build(["activate"], ["configure voip", "ip-group 9"])
    script = script_for(desired)
    assert stripped(script.commands) == ["configure voip", "ip-group 9", "activate", "exit", "exit"]
    assert not script_for(build(["activate"], ["configure voip", "ip-group 0"]))


# ---------------------------------------------------------------------------------- match / replace


ROW = ["configure voip", "ip-group 0"]


def test_match_line_ignores_order():
    desired = build(['media-realm-name "DefaultRealm"', 'name "Default_IPG"'], ROW)
    assert not script_for(desired, match="line")


def test_match_strict_sends_lines_out_of_position():
    desired = build(['media-realm-name "DefaultRealm"', 'name "Default_IPG"'], ROW)
    script = script_for(desired, match="strict")
    assert script.updates == ['media-realm-name "DefaultRealm"', 'name "Default_IPG"']
    in_order = build(['name "Default_IPG"'], ROW)
    assert not script_for(in_order, match="strict")


def test_match_exact_sends_the_whole_block_when_the_device_has_more():
    subset = build(['name "Default_IPG"'], ROW)
    assert script_for(subset, match="exact").updates == ['name "Default_IPG"']
    same = build(['name "Default_IPG"', 'media-realm-name "DefaultRealm"'], ROW)
    assert not script_for(same, match="exact")


def test_match_none_sends_every_line_but_not_parents_as_updates():
    desired = build(['name "Default_IPG"'], ROW)
    script = script_for(desired, match="none")
    assert script.updates == ['name "Default_IPG"']
    assert stripped(script.commands) == ["configure voip", "ip-group 0", 'name "Default_IPG"', "activate", "exit", "exit"]


def test_replace_block_sends_every_line_of_the_block_when_one_differs():
    desired = build(['name "Default_IPG"', "media-realm-name Other"], ROW)
    assert script_for(desired, replace="line").updates == ["media-realm-name Other"]
    assert script_for(desired, replace="block").updates == ['name "Default_IPG"', "media-realm-name Other"]
    unchanged = build(['name "Default_IPG"'], ROW)
    assert not script_for(unchanged, replace="block")


def test_invalid_match_or_replace_is_refused():
    with pytest.raises(ValueError):
        difference(parse(""), build(["x"]), match="fuzzy")
    with pytest.raises(ValueError):
        difference(parse(""), build(["x"]), replace="all")


# ---------------------------------------------------------------------------------- src trees


SRC = """\
configure voip
 ip-group 0
  name "Default_IPG"
  activate
 exit
 ip-group 1
  name "ITSP"
  activate
 exit
exit
configure network
 network-dev 0
  name "vlan 1"
  activate
 exit
exit
"""


def test_src_tree_sends_only_the_missing_block():
    script = script_for(parse(SRC))
    assert stripped(script.commands) == ["configure voip", "ip-group 1", 'name "ITSP"', "activate", "exit", "exit"]


def test_src_strict_compares_each_mode():
    src = "configure voip\n ip-group 0\n  media-realm-name DefaultRealm\n exit\nexit\n"
    assert script_for(parse(src), match="strict").updates == ["media-realm-name DefaultRealm"]
    assert not script_for(parse(src), match="line")


def test_running_config_against_itself_needs_nothing_for_every_match():
    running = parse(RUNNING)
    for match in ("line", "strict", "exact"):
        assert not difference(running, parse(RUNNING), match=match), match


def test_apply_predicts_replacements_and_removals():
    running = parse(RUNNING)
    desired = build(["name ITSP", "no media-realm-name"], ROW)
    after = predict(running, desired, difference(running, desired))
    row = after.get(ROW)
    assert [node.text for node in row.children] == ["name ITSP"] and row.activate
    assert running.get(ROW + ['name "Default_IPG"']) is not None  # the running tree is untouched


def test_apply_shows_activate_where_the_script_sends_it():
    running = parse("")
    desired = build(["name ITSP"], ["configure voip", "ip-group 1"])
    selected = difference(running, desired)
    script = render_incremental(running, desired, selected)
    assert serialize(predict(running, desired, selected, script.activated)) == "configure voip\n ip-group 1\n  name ITSP\n  activate\n exit\nexit\n"


def test_serialize_prints_activate_where_devices_do():
    text = ('configure voip\n proxy-set 1\n  proxy-name "ITSP"\n  activate\n  proxy-ip 0\n   proxy-address "10.0.0.1"\n'
            '   activate\n  exit\n exit\nexit\n')
    assert serialize(parse(text)) == text


def test_corpus_is_there():
    assert len(CORPUS) >= 4


# ---------------------------------------------------------------------------------- properties


WORD = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
# A table row's name is never a word the CLI reads as structure or negation ("no 1" removes "1").
TABLE = WORD.filter(lambda word: word not in ("no", "exit", "end", "activate", "configure", "do", "show"))
SETTING = st.builds(lambda name, value: "%s %s" % (name, value), WORD, st.one_of(WORD, st.integers(0, 999).map(str)))


@st.composite
def config_trees(draw):
    """Random scripts: configure blocks holding settings and table rows with activate."""
    lines = []
    for mode in draw(st.lists(st.sampled_from(["system", "network", "voip", "troubleshoot"]), min_size=1, max_size=3, unique=True)):
        lines.append("configure %s" % mode)
        for index, table in enumerate(draw(st.lists(TABLE, max_size=3, unique=True))):
            lines.append(" %s %d" % (table, index))
            lines.extend("  " + setting for setting in draw(st.lists(SETTING, max_size=4, unique_by=lambda s: s.split()[0])))
            if draw(st.booleans()):
                lines.append("  activate")
            lines.append(" exit")
        lines.append("exit")
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None)
@given(config_trees())
def test_serialize_parse_round_trip(text):
    assert serialize(parse(text)) == serialize(parse(serialize(parse(text))))


@settings(max_examples=25, deadline=None)
@given(config_trees(), config_trees())
def test_after_applying_the_difference_nothing_is_missing(running_text, desired_text):
    running, desired = parse(running_text), parse(desired_text)
    selected = difference(running, desired)
    after = predict(running, desired, selected)
    assert not difference(after, desired)
    # every line the script sends is either a desired line or structure the device needs
    script = render_incremental(running, desired, selected)
    desired_texts = {node.text for node in desired.walk()}
    assert set(stripped(script.commands)) <= desired_texts | {"activate", "exit"}
    # it enters each top-level mode and exits back to the top, and is itself a well-formed script
    top_level = [line for line in script.commands if not line.startswith(" ")]
    assert top_level[0::2] == [line for line in top_level if line.startswith("configure ")]
    assert top_level[1::2] == ["exit"] * (len(top_level) // 2)
    sent = parse(script.text)
    assert not difference(cli_config.predict(running, sent, difference(running, sent)), desired)


# ---------------------------------------------------------------------------------- device output


def test_refused_line_is_found_in_the_output():
    failure = cli_config.find_script_error("Uptime: 1\n% Invalid command (line 3: namex ITSP)\n", ["a", "b", "  namex ITSP"])
    assert (failure.command, failure.reason, failure.number) == ("namex ITSP", "Invalid command", 3)


def test_refused_line_number_alone_is_resolved_from_the_script():
    failure = cli_config.find_script_error("% Incomplete command\n", ["configure voip"], description="Line 1: 'configure voip': Incomplete command")
    assert (failure.command, failure.reason) == ("configure voip", "Incomplete command")
    failure = cli_config.find_script_error("% Incomplete command\n", ["configure voip"])
    assert (failure.command, failure.number) == (None, None)
    failure = cli_config.find_script_error("", ["configure voip", " ip-group 1"], description="Line 2: ' ip-group 1': Index out of range")
    assert (failure.command, failure.reason, failure.number) == ("ip-group 1", "Index out of range", 2)


def test_clean_output_has_no_error():
    assert cli_config.find_script_error("HA Status: Not Operational\nVersion info:\n", ["show x"]) is None
    assert cli_config.find_script_error("", ["show x"], description="Incremental CLI Script file was loaded.") is None


def test_three_levels_deep_exits_every_mode_it_enters():
    """Rows nested in rows (proxy-ip under proxy-set, as 7.2+ devices print them)."""
    desired = build(['proxy-address "10.0.0.1:5060"'], ["configure voip", "proxy-set 1", "proxy-ip 0"])
    script = script_for(desired, running_text="")
    assert script.commands == ["configure voip", "  proxy-set 1", "    proxy-ip 0", '      proxy-address "10.0.0.1:5060"',
                               "      activate", "    exit", "  exit", "exit"]


# ---------------------------------------------------------------------------------- flat child rows


FLAT_PROXY_IP = build(['proxy-set-id "1"', "proxy-ip-index 0", 'proxy-address "10.0.0.1:5060"', "transport-type tcp"],
                      ["configure voip", "proxy-ip 3"])


def test_flat_child_rows_are_nested_under_an_existing_parent():
    running = parse(WANTED)
    desired = cli_config.nest_child_rows(cli_config.copy_tree(FLAT_PROXY_IP), running)
    assert serialize(desired) == ('configure voip\n proxy-set 1\n  proxy-ip 0\n   proxy-address "10.0.0.1:5060"\n'
                                  '   transport-type tcp\n  exit\n exit\nexit\n')
    assert not difference(running, desired)  # what the device prints: nothing to send


def test_flat_child_rows_named_by_their_group_find_it_by_name():
    running = parse('configure voip\n coders-and-profiles audio-coders-groups 2\n  name "G"\n  activate\n exit\nexit\n')
    desired = build(['coders-group-name "G"', "coder-index 1", "name 3"], ["configure voip", "coders-and-profiles audio-coders 7"])
    cli_config.nest_child_rows(desired, running)
    assert desired.get(["configure voip", "coders-and-profiles audio-coders-groups 2", "audio-coders 1", "name 3"]) is not None


@pytest.mark.parametrize("lines", [
    ['proxy-set-id "9"', "proxy-ip-index 0", 'proxy-address "x"'],   # no proxy set 9: the device decides
    ['proxy-address "x"'],                                            # no parent named: the INI row as given
    ['proxy-set-id "1"', "proxy-ip-index x"],
])
def test_flat_child_rows_without_a_known_parent_and_number_stay_flat(lines):
    desired = build(lines, ["configure voip", "proxy-ip 3"])
    before = serialize(desired)
    assert serialize(cli_config.nest_child_rows(desired, parse(WANTED))) == before


# --------------------------------------------------------------------------------------------
# Lines that would not stay one command (docs/input-safety.md): the library refuses them itself


@pytest.mark.parametrize("char", ["\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\x00", "\x1b"])
def test_a_line_with_a_line_break_or_control_character_is_never_built(char):
    with pytest.raises(CliConfigError, match=r"U\+%04X" % ord(char)):
        build(['name "a"' + char + "exit"], ["configure voip", "ip-group 1"])


def test_a_parent_cannot_hide_a_second_mode():
    with pytest.raises(CliConfigError, match=r"parent 'ip-group 1\\nexit' holds '\\n' \(U\+000A\)"):
        build(['name "a"'], ["configure voip", "ip-group 1\nexit"])


@pytest.mark.parametrize("parent", ["exit", " END ", "activate", "# a comment", "! a comment"])
def test_a_parent_must_enter_a_mode(parent):
    with pytest.raises(CliConfigError, match="parent"):
        build(['name "a"'], ["configure voip", parent])


@pytest.mark.parametrize("line, problem", [
    ('name "ITSP', "unterminated quoted string"),
    ('name "a\\"', "unterminated quoted string"),
    ('name "a"b"', "unterminated quoted string"),
])
def test_an_unterminated_quote_is_refused(line, problem):
    assert problem in cli_config.line_problem(line)
    with pytest.raises(CliConfigError, match=problem):
        build([line])


@pytest.mark.parametrize("line", ['name "a \\"b\\" c"', 'name "a\\\\"', "name plain", 'name ""', "name a\tb"])
def test_lines_that_stay_one_command_pass(line):
    assert cli_config.line_problem(line) is None
    assert build([line]).children[0].text == line.strip()


def test_a_parsed_script_with_a_control_character_is_not_emitted():
    desired = parse("configure voip\n ip-group 1\n  name \"a\x00b\"\n exit\nexit\n")
    selected = difference(parse(""), desired)
    with pytest.raises(CliConfigError, match=r"U\+0000"):
        render_incremental(parse(""), desired, selected)


NORMALIZED = """\
configure system
 ntp
  primary-server "10.0.0.1"
  activate
 exit
 hostname "sbc1"
exit
configure network
 interface network-if 1
  ip-address 2001:db8::5
  prefix-length 64
  activate
 exit
exit
configure voip
 sbc settings
  sbc-forking-handling-mode sequential
  activate
 exit
exit
"""


@pytest.mark.parametrize("parents, line", [
    (["configure voip", "sbc settings"], "sbc-forking-handling-mode Sequential"),  # enumeration name in any case
    (["Configure VoIP", "SBC Settings"], "SBC-Forking-Handling-Mode sequential"),  # keywords in any case
    (["configure network", "interface network-if 1"], "ip-address 2001:DB8:0:0::5"),  # an address written otherwise
    (["configure network", "interface network-if 01"], "prefix-length 064"),  # a number written otherwise
    (["configure system"], 'hostname sbc1'),  # quotes the device adds
])
def test_what_the_device_normalizes_is_no_difference(parents, line):
    assert not script_for(build([line], parents=parents), NORMALIZED)


@pytest.mark.parametrize("parents, line", [
    (["configure system"], "hostname SBC1"),  # a string the device shows quoted: its case counts
    (["configure system", "ntp"], "primary-server 10.0.0.01"),
    (["configure voip", "sbc settings"], "sbc-forking-handling-mode latch-on-first"),
    (["configure network", "interface network-if 1"], "ip-address 2001:db8::6"),
])
def test_a_value_that_differs_is_still_a_difference(parents, line):
    assert script_for(build([line], parents=parents), NORMALIZED)
