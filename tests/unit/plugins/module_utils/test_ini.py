# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The INI library: real device files, generated documents, the diff and the incremental INI."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tests.ini_corpus import corpus_names, corpus_text

REPO = Path(__file__).resolve().parents[4]
# The shared corpus the fixtures were copied from: in CI a copy of shared/ sits beside the clone.
SHARED_CORPUS = REPO / ".." / "shared" / "ini-corpus"


def _load_library():
    """The library on its own, by path: it must work without Ansible or the collection layout."""
    spec = importlib.util.spec_from_file_location("mediant_ini_library", REPO / "plugins" / "module_utils" / "ini.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ini = _load_library()
CORPUS_FILES = corpus_names()


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


# ---------------------------------------------------------------------------------------------
# The real device files
# ---------------------------------------------------------------------------------------------

def test_the_in_repo_corpus_is_the_shared_one():
    assert CORPUS_FILES == [
        "mediant-ve-7.20-multi-tenant.ini", "mediant-ve-7.20-single-tenant.ini",
        "mediant1000-7.00A.049.ini", "mp124-6.60A.ini"]
    if not SHARED_CORPUS.is_dir():
        pytest.skip("no shared/ beside the clone")
    for name in CORPUS_FILES:
        assert corpus_text(name) == read(SHARED_CORPUS / name), name


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_round_trips(name):
    document = ini.parse(corpus_text(name))
    text = ini.serialize(document)
    again = ini.parse(text)
    assert again == document
    assert ini.serialize(again) == text
    assert not ini.difference(document, again, prune=True)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_round_trips_in_the_other_dialect(name):
    document = ini.parse(corpus_text(name))
    other = ini.DIALECT_PLAIN if document.dialect == ini.DIALECT_PREFIXED else ini.DIALECT_PREFIXED
    again = ini.parse(ini.serialize(document, dialect=other))
    assert again.dialect == other
    assert again == document


def test_both_format_dialects_give_the_same_columns():
    old = ini.parse(corpus_text("mediant1000-7.00A.049.ini"))
    new = ini.parse(corpus_text("mediant-ve-7.20-single-tenant.ini"))
    assert old.dialect == ini.DIALECT_PREFIXED and new.dialect == ini.DIALECT_PLAIN
    assert old.tables["IPGroup"].columns[:3] == ["Type", "Name", "ProxySetName"]
    assert new.tables["IPGroup"].columns[:3] == ["Type", "Name", "ProxySetName"]
    assert old.tables["IPGroup"].row(3)["Name"] == "Carrier IP Group"


def test_corpus_values_as_the_device_wrote_them():
    document = ini.parse(corpus_text("mediant1000-7.00A.049.ini"))
    assert document.get("ActivityListToLog") == ["pvc", "dr", "spc", "ll"]
    assert document.get("activitylisttolog") == ["pvc", "dr", "spc", "ll"]
    assert document.get("NTPServerIP") == "172.16.1.10"
    assert document.parameters["ntpserverip"].fields == (ini.Field("172.16.1.10", "'"),)
    assert document.parameters["DNSPriServerIP"].fields == (ini.Field("172.16.0.10"),)
    ldap = document.tables["LdapConfiguration"].row(0)
    assert ldap["LdapConfBindDn"] == "User\\audiocodes"       # backslashes are not escapes
    rules = document.tables["CallSetupRules"].row(0)
    assert rules["AttributesToQuery"] == "'telephoneNumber=' + param.call.dst.user"
    assert sorted(document.tables["ProxyIp"].rows) == [0, 1, 2, 4, 5, 6]  # a gap at 3
    assert document.tables["DspTemplates"].columns == []                  # a hidden table
    assert "LDAPSERVERPORT" in document.hidden_parameters
    assert "LDAPSERVERPORT" not in document.parameters
    assert document.header[0].text == "**************"
    multi = ini.parse(corpus_text("mediant-ve-7.20-multi-tenant.ini"))
    tls = multi.tables["TLSContexts"].row(0)
    assert tls["OcspServerPrimary"] == "" and tls["OcspServerSecondary"] == ""   # empty fields
    mp124 = ini.parse(corpus_text("mp124-6.60A.ini"))
    assert mp124.get("RoutingTableHopsCountColumn") == ["0"] * 25


def test_crlf_and_lf_parse_alike():
    text = corpus_text("mediant-ve-7.20-single-tenant.ini")
    assert "\r\n" in text
    assert ini.parse(text.replace("\r\n", "\n")) == ini.parse(text)
    assert "\r\n" in ini.serialize(ini.parse(text))
    assert "\r" not in ini.serialize(ini.parse(text), newline="\n")


# ---------------------------------------------------------------------------------------------
# Hand-written cases
# ---------------------------------------------------------------------------------------------

def test_quotes_doubled_inside_strings_and_awkward_characters():
    text = ('[ T ]\nFORMAT Index = A, B, C;\n'
            'T 0 = "say ""hi"", then; go", \'x\', "C:\\dir\\";\n[ \\T ]\n'
            "P = 'it''s, ok'\n")
    document = ini.parse(text)
    assert document.tables["T"].row(0) == {"A": 'say "hi", then; go', "B": "x", "C": "C:\\dir\\"}
    assert document.get("P") == "it's, ok"
    assert ini.parse(ini.serialize(document)) == document


def test_parameters_without_a_section_and_hidden_values_as_comments():
    document = ini.parse("EnableSyslog = 1\n;SecretThing = 5\n[ SYSTEM Params ]\nx = ''\n")
    assert document.get("ENABLESYSLOG") == "1"
    assert document.hidden_parameters == ["SecretThing"]
    assert "SecretThing" not in document.parameters
    assert document.get("X") == ""
    assert ini.parse(ini.serialize(document)) == document


def test_set_parameter_keeps_the_spelling_and_the_place():
    document = ini.parse("[SYSTEM Params]\nNTPServerIP = 'a'\nOther = 1\n")
    document.set_parameter("ntpserverip", "b")
    document.set_parameter("NewOne", 5, section="SIP Params")
    assert ini.serialize(document, newline="\n") == (
        "[SYSTEM Params]\n\nNTPServerIP = 'b'\nOther = 1\n\n[SIP Params]\n\nNewOne = 5\n\n")


@pytest.mark.parametrize("text, line_number, reason", [
    ("A = 1\nB = 'open\n", 2, "unterminated ' string"),
    ("A = 1\nthis is not ini\n", 2, "expected 'Name = value'"),
    ("[ T ]\nFORMAT Index = A, B;\nT 0 = 1;\n[ \\T ]\n", 3, "row has 1 values but FORMAT names 2 columns"),
    ("[ T ]\nFORMAT Index = A;\nU 0 = 1;\n[ \\T ]\n", 3, "row of 'U' inside table 'T'"),
    ("[ T ]\nT 0 = 1;\n[ \\T ]\n", 2, "row before the table's FORMAT line"),
    ("[ T ]\nFORMAT Index = A;\nT 0 = 1;\nT 0 = 2;\n[ \\T ]\n", 4, "row index 0 appears twice"),
    ("[ T ]\nFORMAT Index = A;\nT 0 = 1; junk\n[ \\T ]\n", 3, "text after the ';'"),
    ("[ T ]\nFORMAT Index = A;\nT 0 = \"a\" b;\n[ \\T ]\n", 3, "expected ',' after a quoted value"),
    ("[ T ]\nFORMAT T_Index = A;\n[ \\T ]\n", 2, "lacks the T_ prefix"),
    ("[ T ]\nFORMAT Key = A;\n[ \\T ]\n", 2, "FORMAT must start with Index or T_Index"),
    ("A = 1\na = 2\n", 2, "parameter 'a' is set twice"),
    ("[ \\T ]\n", 1, "closes table 'T', which is not open"),
])
def test_errors_name_the_line_and_the_fault(text, line_number, reason):
    with pytest.raises(ini.IniError) as caught:
        ini.parse(text)
    assert caught.value.line_number == line_number
    assert caught.value.line == text.splitlines()[line_number - 1]
    assert reason in caught.value.reason
    assert f"line {line_number}" in str(caught.value) and caught.value.line in str(caught.value)


def test_a_table_without_its_closing_line_is_an_error():
    with pytest.raises(ini.IniError, match=r"line 2: table line outside a table .*FORMAT Index = A;"):
        ini.parse("[ T ]\nFORMAT Index = A;\nT 0 = 1;\n")


def test_canonical_values():
    assert ini.canonical(5) == ini.canonical("5") == ini.canonical("'5'") == ini.canonical(5.0) == ("5",)
    assert ini.canonical("05") != ini.canonical(5) and ini.canonical("+5") != ini.canonical(5)   # dial prefixes
    assert ini.canonical(True) == ("1",) and ini.canonical(False) == ("0",)
    assert ini.canonical('"abc"') == ini.canonical("abc") == ini.canonical(ini.Field("abc", "'"))
    assert ini.canonical(["a", 1]) == ("a", "1")
    assert ini.canonical("abc") != ini.canonical("ABC")


def test_case_insensitive_dict():
    mapping = ini.CaseInsensitiveDict()
    mapping["NTPServerIP"] = 1
    mapping["ntpserverip"] = 2
    assert list(mapping) == ["NTPServerIP"] and mapping["NTPSERVERIP"] == 2
    assert mapping == {"ntpServerIp": 2}
    del mapping["NtpServerIp"]
    assert not mapping


# ---------------------------------------------------------------------------------------------
# diff and the incremental INI
# ---------------------------------------------------------------------------------------------

CURRENT = """[SYSTEM Params]
NTPServerIP = 'pool.ntp.org'
EnableSyslog = 1
ActivityListToLog = 'pvc', 'dr'

[ ProxySet ]
FORMAT Index = ProxyName, ProxyKeepAliveTime, SRDName;
ProxySet 0 = "PS_A", 60, "DefaultSRD";
ProxySet 3 = "PS_B", 120, "DefaultSRD";
[ \\ProxySet ]
"""


def test_no_change_when_values_only_differ_in_form():
    current = ini.parse(CURRENT)
    desired = ini.DesiredState(
        {"ntpserverip": "pool.ntp.org", "ENABLESYSLOG": 1, "ActivityListToLog": ["pvc", "dr"]},
        {"proxyset": [ini.DesiredRow({"ProxyName": "PS_B", "proxykeepalivetime": "120"}),
                      ini.DesiredRow({"SRDName": "'DefaultSRD'"}, index=0)]})
    assert not ini.difference(current, desired)
    assert ini.render_incremental(ini.difference(current, desired)) == ""


def test_diff_reports_and_renders_each_kind_of_change():
    current = ini.parse(CURRENT)
    desired = ini.DesiredState(
        {"EnableSyslog": 0, "SyslogServerIP": "10.1.1.1", "NewText": "hello world"},
        {"ProxySet": [ini.DesiredRow({"ProxyName": "PS_B", "ProxyKeepAliveTime": 30}),
                      ini.DesiredRow({"ProxyName": "PS_New", "SRDName": "DefaultSRD"}),
                      ini.DesiredRow({}, index=0, state="absent")]})
    changes = ini.difference(current, desired)
    assert changes.as_dict() == {
        "parameters": [{"name": "EnableSyslog", "before": "1", "after": "0"},
                       {"name": "SyslogServerIP", "before": None, "after": "10.1.1.1"},
                       {"name": "NewText", "before": None, "after": "hello world"}],
        "rows_added": [{"table": "ProxySet", "index": 1, "action": "add",
                        "after": {"ProxyName": "PS_New", "SRDName": "DefaultSRD"}}],
        "rows_updated": [{"table": "ProxySet", "index": 3, "action": "update",
                          "before": {"ProxyKeepAliveTime": "120"}, "after": {"ProxyKeepAliveTime": "30"}}],
        "rows_removed": [{"table": "ProxySet", "index": 0, "action": "remove",
                          "before": {"ProxyName": "PS_A", "ProxyKeepAliveTime": "60", "SRDName": "DefaultSRD"}}],
    }
    text = ini.render_incremental(changes, newline="\n")
    assert text.startswith("EnableSyslog = 0\nSyslogServerIP = 10.1.1.1\nNewText = 'hello world'\n")
    sent = ini.parse(text)
    # a deleted row is the marker alone, whatever the FORMAT line lists (docs/simulator-config.md)
    assert "\nProxySet 0 = $$DELETE$$;\n" in text and sent.tables["ProxySet"].is_deletion(0)
    assert sent.tables["ProxySet"].columns == ["ProxyKeepAliveTime", "ProxyName", "SRDName"]
    # the updated row keeps its other columns as they are, the new row leaves them to the device
    assert sent.tables["ProxySet"].row(3) == {"ProxyKeepAliveTime": "30", "ProxyName": "PS_B", "SRDName": "DefaultSRD"}
    new_row = {"ProxyKeepAliveTime": ini.DEFAULT, "ProxyName": "PS_New", "SRDName": "DefaultSRD"}
    assert sent.tables["ProxySet"].row(1) == new_row
    assert sent.tables["ProxySet"].rows[1][1] == ini.Field("PS_New", '"')     # quoted like the column


def test_row_matched_by_key_fails_when_ambiguous_or_keyless():
    current = ini.parse('[ T ]\nFORMAT Index = RouteName, X;\nT 0 = "r", 1;\nT 1 = "r", 2;\n[ \\T ]\n')
    with pytest.raises(ValueError, match="2 rows have RouteName = 'r'"):
        ini.difference(current, ini.DesiredState({}, {"T": [ini.DesiredRow({"RouteName": "r", "X": 3})]}))
    with pytest.raises(ValueError, match="must give Index or its key column RouteName"):
        ini.difference(current, ini.DesiredState({}, {"T": [ini.DesiredRow({"X": 3})]}))
    changes = ini.difference(current, ini.DesiredState({}, {"T": [ini.DesiredRow({"X": 1}, key="X", state="absent")]}))
    assert [(r.action, r.index) for r in changes.rows] == [("remove", 0)]


def test_a_keyless_row_is_refused_even_before_its_table_has_rows():
    """Else the first run adds it and the second cannot find it again."""
    with pytest.raises(ValueError, match="table ProxyIp: a row without Index needs a key column"):
        ini.difference(ini.parse(CURRENT), ini.DesiredState({}, {"ProxyIp": [ini.DesiredRow({"IpAddress": "10.0.0.1"})]}))
    changes = ini.difference(ini.parse(CURRENT), ini.DesiredState({}, {"IPGroup": [ini.DesiredRow({"Name": "A"})]}))
    assert [(r.action, r.index) for r in changes.rows] == [("add", 0)]


def test_new_rows_fill_the_gaps_in_the_indexes():
    current = ini.parse(corpus_text("mediant1000-7.00A.049.ini"))
    desired = ini.DesiredState({}, {"ProxyIp": [ini.DesiredRow({"IpAddress": "10.0.0.1"}, key="IpAddress"),
                                                ini.DesiredRow({"IpAddress": "10.0.0.2"}, key="IpAddress")]})
    assert [r.index for r in ini.difference(current, desired).rows] == [3, 7]


def test_only_deletions_in_a_table():
    current = ini.parse(CURRENT)
    changes = ini.difference(current, ini.DesiredState({}, {"ProxySet": [ini.DesiredRow({"ProxyName": "PS_B"}, state="absent")]}))
    assert ini.render_incremental(changes, newline="\n") == (
        "[ ProxySet ]\n\nFORMAT Index = ProxyName;\nProxySet 3 = $$DELETE$$;\n\n[ \\ProxySet ]\n")


def test_a_document_as_the_desired_state():
    """Content given as INI: deletion rows remove, bare empty and $$ fields set nothing to compare."""
    current = ini.parse(CURRENT)
    desired = ini.parse('[ ProxySet ]\nFORMAT Index = ProxyName, ProxyKeepAliveTime, SRDName;\n'
                        'ProxySet 0 = $$DELETE$$;\nProxySet 3 = "PS_B", , $$;\nProxySet 5 = "PS_C", 10, ;\n[ \\ProxySet ]\n')
    changes = ini.difference(current, desired)
    assert [(r.action, r.index, r.after) for r in changes.rows] == [
        ("remove", 0, None), ("add", 5, {"ProxyName": "PS_C", "ProxyKeepAliveTime": "10"})]


def test_prune_reports_what_a_full_configuration_drops():
    current = ini.parse(CURRENT)
    desired = ini.parse("NTPServerIP = 'pool.ntp.org'\n[ ProxySet ]\nFORMAT Index = ProxyName, ProxyKeepAliveTime, SRDName;\n"
                        'ProxySet 3 = "PS_B", 120, "DefaultSRD";\n[ \\ProxySet ]\n')
    changes = ini.difference(current, desired, prune=True).as_dict()
    assert [p["name"] for p in changes["parameters"]] == ["EnableSyslog", "ActivityListToLog"]
    assert [r["index"] for r in changes["rows_removed"]] == [0]
    assert not ini.difference(current, desired)       # merging adds nothing


def test_excerpt_shows_only_what_changes():
    current = ini.parse(CURRENT)
    changes = ini.difference(current, ini.DesiredState({"EnableSyslog": 0}, {"ProxySet": [
        ini.DesiredRow({"ProxyKeepAliveTime": 30}, index=3)]}))
    before, after = ini.excerpt(current, changes)
    assert before == ("EnableSyslog = 1\n\n[ ProxySet ]\n\nFORMAT Index = ProxyName, ProxyKeepAliveTime, SRDName;\n"
                      'ProxySet 3 = "PS_B", 120, "DefaultSRD";\n\n[ \\ProxySet ]\n')
    assert after == before.replace("EnableSyslog = 1", "EnableSyslog = 0").replace("120", "30")


# ---------------------------------------------------------------------------------------------
# Generated documents
# ---------------------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
SAFE = LETTERS + "0123456789.:*+/_$@-"
# Any printable character, line breaks excepted, and the ones INI gives a meaning to, often.
AWKWARD = st.text(st.one_of(st.sampled_from("\"',;=[]\\$ \t"),
                            st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))), max_size=12)
# Text a device writes without quotes: no separators or quotes, no spaces at either end.
BARE = st.text(st.sampled_from(SAFE + " "), min_size=1, max_size=10).map(str.strip).filter(bool)
NAMES = st.builds(lambda first, rest: first + rest, st.sampled_from(LETTERS),
                  st.text(st.sampled_from(LETTERS + "0123456789_"), max_size=10))
COMMENTS = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20).map(str.rstrip)


def fields(quote):
    return st.one_of(AWKWARD.map(lambda t: ini.Field(t, quote)), BARE.map(ini.Field), st.just(ini.Field("")))


def unique_names(min_size=0, max_size=6):
    return st.lists(NAMES, min_size=min_size, max_size=max_size, unique_by=str.casefold)


@st.composite
def documents(draw):
    document = ini.IniDocument(draw(st.sampled_from([ini.DIALECT_PLAIN, ini.DIALECT_PREFIXED])))
    document.header = [ini.Comment(c) for c in draw(st.lists(COMMENTS, max_size=3))]
    section_names = draw(st.lists(NAMES.map(lambda n: n + " Params"), max_size=3, unique_by=str.casefold))
    parameter_names = iter(draw(unique_names(max_size=12)))
    for name in section_names:
        section = ini.Section(name)
        for _position in range(draw(st.integers(0, 4))):
            parameter = next(parameter_names, None)
            if parameter is None or draw(st.booleans()) and draw(st.booleans()):
                section.entries.append(ini.Comment(draw(COMMENTS)))
            else:
                quote = draw(st.sampled_from(["'", '"']))
                value = draw(st.lists(fields(quote), min_size=1, max_size=3))
                section.entries.append(ini.Parameter(parameter, tuple(value)))
        document.sections.append(section)
    taken = {n.casefold() for n in section_names}
    for name in draw(unique_names(max_size=3)):
        if name.casefold() in taken:
            continue
        columns = [c for c in draw(unique_names(min_size=1, max_size=5)) if c.casefold() != "index"] or ["Value"]
        table = document.table(name, columns)
        table.comments = [ini.Comment(c) for c in draw(st.lists(COMMENTS, max_size=2))]
        for index in draw(st.lists(st.integers(0, 500), max_size=4, unique=True)):
            table.rows[index] = tuple(draw(fields('"')) for _column in columns)
    return document


@settings(max_examples=60, deadline=None)
@given(documents())
def test_generated_documents_round_trip(document):
    text = ini.serialize(document)
    again = ini.parse(text)
    assert again == document
    assert ini.parse(text.replace("\r\n", "\n")) == document
    assert not ini.difference(document, again, prune=True)


@settings(max_examples=60, deadline=None)
@given(documents(), st.data())
def test_the_incremental_ini_carries_exactly_the_changes(current, data):
    """Change some parameters and rows of a generated document; what is sent says exactly that."""
    parameters = {}
    for parameter in current.parameters.values():
        if data.draw(st.booleans()):
            parameters[parameter.name.swapcase()] = data.draw(st.one_of(AWKWARD, st.integers(-5, 5)))
    parameters.update(data.draw(st.dictionaries(NAMES.map(lambda n: "New" + n), AWKWARD, max_size=2)))
    tables = {}
    for table in current.tables.values():
        rows = []
        for index in table.rows:
            action = data.draw(st.sampled_from(["keep", "update", "remove"]))
            if action == "update":
                column = data.draw(st.sampled_from(table.columns))
                rows.append(ini.DesiredRow({column: data.draw(AWKWARD), "Index": index}, index=index))
            elif action == "remove":
                rows.append(ini.DesiredRow({}, index=index, state="absent"))
        if data.draw(st.booleans()):
            rows.append(ini.DesiredRow({table.columns[0]: data.draw(AWKWARD)}, index=1000))
        tables[table.name] = rows
    desired = ini.DesiredState(parameters, tables)
    changes = ini.difference(current, desired)
    sent = ini.parse(ini.render_incremental(changes, current.dialect))

    expected_parameters = {name.casefold(): ini.canonical(value) for name, value in parameters.items()
                           if ini.canonical(current.parameters.get(name) or ()) != ini.canonical(value)}
    assert {n.casefold(): ini.canonical(p) for n, p in sent.parameters.items()} == expected_parameters
    for name, rows in tables.items():
        table = current.tables[name]
        written = sent.tables.get(name)
        for row in rows:
            if row.state == "absent":
                assert written.is_deletion(row.index)
                continue
            (column, value), = [(c, v) for c, v in row.values.items() if c != "Index"]
            unchanged = row.index in table.rows and ini.canonical(table.row(row.index)[column]) == ini.canonical(value)
            if unchanged:
                assert written is None or row.index not in written.rows
            else:
                assert ini.canonical(written.row(row.index)[column]) == ini.canonical(value)


# ---------------------------------------------------------------------------------------------
# Text that would leave its field (docs/input-safety.md): the library refuses it by itself
# ---------------------------------------------------------------------------------------------

BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00", "\x1b", "\x7f"]


@pytest.mark.parametrize("char", BREAKS)
@pytest.mark.parametrize("quote", ["'", '"', ""])
def test_no_value_is_written_with_a_line_break_or_control_character(char, quote):
    with pytest.raises(ini.IniError, match=r"cannot be written in an INI value"):
        ini.Field("514" + char + "SNMPSysName = x", quote).render()


def test_the_injection_of_the_issue_never_becomes_lines():
    """parameters: {SyslogServerPort: "514\\nSNMPSysName = x\\nEnableSyslog = 0"} - with the device writing the
    port bare, the value used to go out bare and become three parameters."""
    current = ini.parse("[SYSTEM Params]\r\nSyslogServerPort = 514\r\n")
    changes = ini.difference(current, ini.DesiredState({"SyslogServerPort": "514\nSNMPSysName = x\nEnableSyslog = 0"}))
    with pytest.raises(ini.IniError, match=r"value '514\\nSNMPSysName = x\\nEnableSyslog = 0' holds '\\n' \(U\+000A\)"):
        ini.render_incremental(changes)


def test_a_table_cell_cannot_open_another_table():
    current = ini.parse("[ IPGroup ]\nFORMAT Index = Type, Name;\nIPGroup 0 = 0, \"A\";\n[ \\IPGroup ]\n")
    cell = 'x";\n[ \\IPGroup ]\n[ ProxySet ]\nFORMAT Index = ProxyName;\nProxySet 9 = "evil'
    changes = ini.difference(current, ini.DesiredState({}, {"IPGroup": [ini.DesiredRow({"Name": cell}, index=0)]}))
    with pytest.raises(ini.IniError, match="line break or control character"):
        ini.render_incremental(changes)


@pytest.mark.parametrize("name, problem", [
    ("Syslog\nPort", "contains '\\n' (U+000A)"),
    ("Syslog Port", "contains ' ' (U+0020)"),
    ("Port=1", "contains '=' (U+003D)"),
    ("[SYSTEM", "starts with '[' (U+005B)"),
    ("1Port", "starts with '1' (U+0031)"),
    ("", "is empty"),
    ("Pört", "contains 'ö' (U+00F6)"),
])
def test_parameter_names_that_would_leave_their_place_are_refused(name, problem):
    with pytest.raises(ini.IniError, match=re.escape(f"parameter name {name!r} {problem}")):
        ini.Parameter(name, (ini.Field("1"),)).render()


def test_parameter_names_may_hold_dots_but_table_and_column_names_may_not():
    assert ini.Parameter("Some.Name_1", (ini.Field("1"),)).render() == "Some.Name_1 = 1"
    for table, columns in (("IP.Group", ["Name"]), ("IPGroup", ["Na;me"]), ("IP]Group", ["Name"])):
        document = ini.IniDocument()
        document.table(table, columns).rows[0] = (ini.Field("x", '"'),)
        with pytest.raises(ini.IniError, match="name"):
            ini.serialize(document)


def test_comments_hold_no_line_break():
    document = ini.IniDocument()
    document.header.append(ini.Comment(" ok\nEnableSyslog = 1"))
    with pytest.raises(ini.IniError, match="comment"):
        ini.serialize(document)


@pytest.mark.parametrize("value", ["$$DELETE$$", "$$", "a b", "x,y", "x;y", "'q'x"])
def test_a_users_text_goes_bare_only_when_it_is_one_plain_token(value):
    """A column the device writes bare (Type = 0): the user's text is quoted unless it is plainly one token,
    so "$$DELETE$$" is the text, never the row deletion marker."""
    current = ini.parse("[ IPGroup ]\nFORMAT Index = Type;\nIPGroup 0 = 0;\n[ \\IPGroup ]\n")
    changes = ini.difference(current, ini.DesiredState({}, {"IPGroup": [ini.DesiredRow({"Type": value}, index=0)]}))
    sent = ini.render_incremental(changes, newline="\n")
    row = ini.parse(sent).tables["IPGroup"].rows[0]
    assert row == (ini.Field(value, '"'),)
    assert not ini.parse(sent).tables["IPGroup"].is_deletion(0)


def test_plain_tokens_keep_the_devices_bare_style():
    current = ini.parse("[ IPGroup ]\nFORMAT Index = Type;\nIPGroup 0 = 0;\n[ \\IPGroup ]\n")
    changes = ini.difference(current, ini.DesiredState({}, {"IPGroup": [ini.DesiredRow({"Type": "7.40A-x"}, index=0)]}))
    assert "IPGroup 0 = 7.40A-x;" in ini.render_incremental(changes, newline="\n")


def test_quotes_inside_a_value_are_doubled_and_stay_in_the_field():
    current = ini.parse("NTPServerIP = 'a'\n")
    changes = ini.difference(current, ini.DesiredState({"NTPServerIP": "it's; [x] = 'y', z"}))
    sent = ini.render_incremental(changes, newline="\n")
    assert sent == "NTPServerIP = 'it''s; [x] = ''y'', z'\n"
    assert ini.parse(sent).get("NTPServerIP") == "it's; [x] = 'y', z"


def test_a_tab_inside_a_value_is_not_structure_and_round_trips():
    assert ini.parse("A = 'x\ty'\n").get("A") == "x\ty"
    assert ini.Field("x\ty", "'").render() == "'x\ty'"
