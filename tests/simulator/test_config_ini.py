"""Configuration model, INI view: real device files, rendering, incremental and full loads."""

from __future__ import annotations

import re

import pytest

from simulator.config import ConfigError, Configuration
from tests.ini_corpus import corpus_names, corpus_text

CORPUS_FILES = corpus_names()
PRODUCT = "Mediant VE SBC"
HEADER = {"board": "Mediant VE SBC", "board_type": "73", "serial": "101780235059663", "version": "7.40A.500.010",
          "ip": "10.4.219.229", "mask": "255.255.0.0", "gateway": "10.4.0.1"}


def table_block(table: str, fmt: str, *rows: str) -> str:
    return "\n".join([f"[ {table} ]", f"FORMAT Index = {fmt};", *rows, f"[ \\{table} ]", ""])


@pytest.fixture(name="config")
def fixture_config():
    return Configuration.default(PRODUCT)


# ---- real device files -------------------------------------------------------------------------
def test_corpus_is_present():
    assert len(CORPUS_FILES) == 4


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_loads_and_round_trips(name):
    config = Configuration.from_ini(corpus_text(name), PRODUCT)
    rendered = config.render_ini(HEADER)
    again = Configuration.from_ini(rendered, PRODUCT)
    assert again == config
    assert again.render_ini(HEADER) == rendered


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_survives_json(name):
    config = Configuration.from_ini(corpus_text(name), PRODUCT)
    assert Configuration.from_json(config.to_json()) == config


def test_single_tenant_values_are_read():
    config = Configuration.from_ini(corpus_text("mediant-ve-7.20-single-tenant.ini"), PRODUCT)
    assert config.get("NTPServerIP") == "0.pool.ntp.org"
    assert config.get("enablesyslog") == 1
    assert config.get("GWDEBUGLEVEL") == 5
    assert config.get("DefaultPrimaryDnsServerIp") == "1.1.1.1"
    groups = config.table_rows("IPGroup")
    assert [(g["Index"], g["Name"], g["ProxySetName"]) for g in groups] == [
        (0, "IPG_SIP_Trunk", "PS_SIP_Trunk"), (1, "IPG_SBC01_MSFT_Teams", "PS_SBC01_MSFT_Teams")]
    assert groups[1]["ContactName"] == "sbc01.teams.contoso.com"
    routes = config.table_rows("IP2IPRouting")
    assert [r["Index"] for r in routes] == [0, 1, 4, 8]  # gaps in the indexes are kept
    proxies = {r["Index"]: r for r in config.table_rows("ProxyIp")}
    assert proxies[4]["ProxySetId"] == "0" and proxies[1]["TransportType"] == 2
    manipulation = config.table_rows("MessageManipulations")[0]
    assert manipulation["ActionValue"] == "'sbc01.teams.contoso.com'"
    # the table in the file replaced the factory SRD 0 ("DefaultSRD")
    assert [r["Name"] for r in config.table_rows("SRD")] == ["SRD_CUSTOMER"]


def test_empty_fields_take_the_column_default():
    config = Configuration.from_ini(corpus_text("mediant-ve-7.20-multi-tenant.ini"), PRODUCT)
    context = config.table_rows("TLSContexts")[0]
    assert context["ServerCipherString"] == "RC4:AES128"
    assert context["OcspServerPrimary"] == "0.0.0.0" and context["OcspServerSecondary"] == "0.0.0.0"


def test_old_format_dialect_is_read():
    config = Configuration.from_ini(corpus_text("mediant1000-7.00A.049.ini"), PRODUCT)
    groups = {g["Index"]: g for g in config.table_rows("IPGroup")}
    assert groups[3]["Name"] == "Carrier IP Group" and groups[3]["ProxySetName"] == "Carrier Proxy"
    assert groups[3]["DTLSContext"] == "default"
    assert config.table_rows("InterfaceTable")[1]["InterfaceName"] == "Carrier"
    assert config.get("SyslogServerIP") == "172.16.0.12"
    assert config.get("SNMPManagerTableIP_0") == "172.10.0.10"
    assert config.get("SNMPREADONLYCOMMUNITYSTRING_0") == "UcMad"


def test_full_load_reports_what_it_skipped():
    config = Configuration.from_ini(corpus_text("mediant1000-7.00A.049.ini"), PRODUCT)
    warnings = "\n".join(config.load_warnings)
    assert "parameter 'VoiceMenuPassword': unknown parameter (ignored)" in warnings
    assert "table 'PREFIX': unknown table (ignored)" in warnings
    assert "table 'IPGroup': unknown column 'MediaEnhancementProfile' (ignored)" in warnings
    assert warnings.count("unknown column 'MediaEnhancementProfile'") == 1
    # the device wrote references it could not resolve itself: tolerated, reported
    assert "ProxySet 3: column 'SBCIPv4SIPInterfaceName': unknown reference 'Carrier Proxy'" in warnings


# ---- rendering ---------------------------------------------------------------------------------------
def test_render_header_and_line_ends(config):
    text = config.render_ini(HEADER)
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[:3] == [";**************", ";** Ini File **", ";**************"]
    for expected in (";Board: Mediant VE SBC", ";Board Type: 73", ";Serial Number: 101780235059663",
                     ";Software Version: 7.40A.500.010", ";Board IP Address: 10.4.219.229",
                     ";Board Subnet Mask: 255.255.0.0", ";Board Default Gateway: 10.4.0.1"):
        assert expected in lines


def test_render_only_non_default_parameters_in_their_sections(config):
    config.apply_ini_incremental("SyslogServerIP = 10.1.1.1\nEnableSyslog = 1\nNTPServerIP = 'pool.ntp.org'\n"
                                 "SBCSessionExpires = 600\nHTTPSOnly = 0\n")
    text = config.render_ini(HEADER)
    system = text.split("[SYSTEM Params]")[1].split("[BSP Params]")[0]
    assert "EnableSyslog = 1\r\n" in system
    assert "SyslogServerIP = 10.1.1.1\r\n" in system
    assert "NTPServerIP = 'pool.ntp.org'\r\n" in system
    sip = text.split("[SIP Params]")[1].split("[SNMP Params]")[0]
    assert "SBCSessionExpires = 600\r\n" in sip
    assert "HTTPSOnly" not in text  # set to its default: not written
    assert "SyslogServerPort" not in text


def test_render_tables_as_devices_write_them(config):
    config.apply_ini_incremental(table_block("ProxySet", "ProxyName", 'ProxySet 2 = "ITSP";')
                                 + table_block("IPGroup", "Name, ProxySetName, ContactUser",
                                               'IPGroup 5 = "Teams", "ITSP", "a ""quoted"", text";'))
    text = config.render_ini(HEADER)
    block = text.split("[ IPGroup ]\r\n")[1].split("[ \\IPGroup ]")[0]
    format_line, factory_row, row = [line for line in block.split("\r\n") if line]
    assert factory_row.startswith('IPGroup 0 = 0, "Default_IPG", "ProxySet_0", ')
    assert format_line.startswith("FORMAT Index = Type, Name, ProxySetName, VoiceAIConnector, SIPGroupName,")
    assert format_line.endswith("SIPSourceHostName;")
    assert row.startswith('IPGroup 5 = 0, "Teams", "ITSP", "", "", "a ""quoted"", text", -1, 0, "", ')
    assert row.endswith(';')
    assert "[ \\IPGroup ]\r\n" in text
    # factory rows are written too (like devices do), tables never used are not
    assert "TLSContexts 0 = \"default\"," in text
    assert "[ Classification ]" not in text


# ---- incremental loads ---------------------------------------------------------------------------------
def test_incremental_parameters_case_quotes_and_line_ends(config):
    changed = config.apply_ini_incremental("; a comment\r\n[SYSTEM Params]\r\nsyslogserverip = 10.2.2.2\r\n"
                                           "NTPSERVERIP = 'ntp.example.com'\r\nSNMPSysName = 'it''s me'\r\n")
    assert sorted(changed) == ["NTPServerIP", "SNMPSysName", "SyslogServerIP"]
    assert config.get("SyslogServerIP") == "10.2.2.2"
    assert config.get("NTPServerIP") == "ntp.example.com"
    assert config.get("SNMPSysName") == "it's me"
    assert "SNMPSysName = 'it''s me'" in config.render_ini(HEADER)


def test_incremental_without_change_reports_nothing(config):
    assert config.apply_ini_incremental("SyslogServerIP = 0.0.0.0\n") == []
    config.apply_ini_incremental("EnableSyslog = 1\n")
    assert config.apply_ini_incremental("ENABLESYSLOG = 1\n") == []


def test_incremental_row_create_update_and_defaults(config):
    config.apply_ini_incremental(table_block("ProxySet", "ProxyName, ProxyKeepAliveTime", 'ProxySet 1 = "ITSP", 90;'))
    row = config.table_rows("ProxySet")[1]
    assert (row["Index"], row["ProxyName"], row["ProxyKeepAliveTime"], row["MinActiveServersLB"]) == (1, "ITSP", 90, 1)
    # columns not given keep their values; an empty field keeps it too; $$ takes the default
    changed = config.apply_ini_incremental(table_block("ProxySet", "ProxyName, EnableProxyKeepAlive, ProxyKeepAliveTime",
                                                       "ProxySet 1 = , 1, $$;"))
    assert changed == ["ProxySet"]
    row = config.table_rows("ProxySet")[1]
    assert (row["ProxyName"], row["EnableProxyKeepAlive"], row["ProxyKeepAliveTime"]) == ("ITSP", 1, 60)


def test_incremental_old_dialect_and_case_insensitive_table_names(config):
    config.apply_ini_incremental("[ ipgroup ]\nFORMAT IPGroup_Index = IPGroup_Name, IPGroup_Type;\n"
                                 'ipgroup 3 = "Users", 1;\n[ \\ipgroup ]\n')
    assert [(r["Index"], r["Name"], r["Type"]) for r in config.table_rows("IPGroup")] == [(0, "Default_IPG", 0), (3, "Users", 1)]


def test_incremental_delete_row(config):
    config.apply_ini_incremental(table_block("IPGroup", "Name", 'IPGroup 0 = "A";', 'IPGroup 1 = "B";'))
    changed = config.apply_ini_incremental(table_block("IPGroup", "Name", "IPGroup 0 = $$DELETE$$;"))
    assert changed == ["IPGroup"]
    assert [r["Name"] for r in config.table_rows("IPGroup")] == ["B"]  # a factory row can be deleted


def test_strings_with_commas_quotes_backslashes_semicolons(config):
    value = 'a, "b"; c\\d'
    config.apply_ini_incremental(table_block("ConditionTable", "Name, Condition",
                                             'ConditionTable 0 = "C1", "a, ""b""; c\\d";'))
    assert config.table_rows("ConditionTable")[0]["Condition"] == value
    assert Configuration.from_ini(config.render_ini(HEADER), PRODUCT) == config


def _error(config, text: str) -> str:
    before = config.copy()
    with pytest.raises(ConfigError) as caught:
        config.apply_ini_incremental(text)
    assert config == before  # all or nothing
    return caught.value.description


@pytest.mark.parametrize("text, expected", [
    ("EnableSyslog = 1\nNoSuchParam = 3\n", r"^Line 2: parameter 'NoSuchParam': unknown parameter$"),
    ("SyslogServerPort = 70000\n", r"^Line 1: parameter 'SyslogServerPort': 70000 is out of range 0\.\.65535$"),
    ("SyslogServerPort = abc\n", r"^Line 1: parameter 'SyslogServerPort': 'abc' is not a number$"),
    ("EnableSyslog = 3\n", r"^Line 1: parameter 'EnableSyslog': 3 is not one of the allowed values 0, 1$"),
    ("SyslogServerIP = 10.1.1\n", r"^Line 1: parameter 'SyslogServerIP': '10\.1\.1' is not a valid IP address$"),
    ("\n" + table_block("NoTable", "Name", 'NoTable 0 = "x";'), r"^Line 2: table 'NoTable': unknown table$"),
    (table_block("IPGroup", "Name, Colour", 'IPGroup 0 = "x", 1;'), r"^Line 3: table 'IPGroup': unknown column 'Colour'$"),
    (table_block("IPGroup", "Name, ProxySetName", 'IPGroup 0 = "x", "NoSet";'),
     r"^Line 3: IPGroup 0: column 'ProxySetName': unknown reference 'NoSet' \(no ProxySet row has ProxyName 'NoSet'\)$"),
    (table_block("ProxyIp", "ProxySetId, IpAddress", 'ProxyIp 0 = "7", "10.0.0.1";'),
     r"^Line 3: ProxyIp 0: column 'ProxySetId': unknown reference '7' \(no ProxySet row with index 7\)$"),
    (table_block("IPGroup", "Name, Type", 'IPGroup 0 = "x";'), r"^Line 3: IPGroup 0: 1 values for 2 FORMAT columns$"),
    (table_block("IPGroup", "Type", "IPGroup 0 = 7;"), r"^Line 3: IPGroup 0: column 'Type': 7 is not one of the allowed values 0, 1, 2$"),
    (table_block("IPGroup", "Name", 'IPGroup 4000 = "x";'), r"^Line 3: IPGroup 4000: index out of range 0\.\.3999$"),
    (table_block("IPGroup", "Name", 'IPGroup 0 = "x";', 'IPGroup 1 = "x";'), r"^Line 4: IPGroup 1: Name 'x' is already used by another row$"),
    (table_block("IPGroup", "Name", "IPGroup 9 = $$DELETE$$;"), r"^Line 3: IPGroup 9: cannot delete, the row does not exist$"),
    (table_block("TLSContexts", "Name", "TLSContexts 0 = $$DELETE$$;"), r"^Line 3: TLSContexts 0: this row cannot be deleted$"),
    ("[ IPGroup ]\nFORMAT Index = Name;\nIPGroup 0 = \"x\";\n", r"^Line 1: table 'IPGroup' is not closed"),
    ("IPGroup 0 = 1, 2;\n", r"^Line 1: table row outside a table block"),
    ("SNMPSysName = 'open\n", r"^Line 1: unterminated quoted string$"),
])
def test_incremental_errors_name_line_and_reason(config, text, expected):
    assert re.search(expected, _error(config, text))


def test_name_already_held_by_an_existing_row_is_refused(config):
    config.apply_ini_incremental(table_block("IPGroup", "Name", 'IPGroup 9 = "x";'))
    assert _error(config, table_block("IPGroup", "Name", 'IPGroup 5 = "x";')) == "Line 3: IPGroup 5: Name 'x' is already used by another row"


def test_incremental_is_all_or_nothing_across_tables(config):
    text = ("EnableSyslog = 1\n" + table_block("ProxySet", "ProxyName", 'ProxySet 1 = "ITSP";')
            + table_block("IPGroup", "Name, SRDName", 'IPGroup 1 = "G", "NoSRD";'))
    assert "column 'SRDName': unknown reference 'NoSRD'" in _error(config, text)
    assert config.get("EnableSyslog") == 0 and [r["ProxyName"] for r in config.table_rows("ProxySet")] == ["ProxySet_0"]


def test_references_may_point_forward_in_the_file(config):
    text = table_block("IPGroup", "Name, ProxySetName", 'IPGroup 0 = "G", "Later";') + table_block(
        "ProxySet", "ProxyName", 'ProxySet 0 = "Later";')
    assert sorted(config.apply_ini_incremental(text)) == ["IPGroup", "ProxySet"]


def test_referenced_rows_cannot_be_deleted_or_renamed(config):
    config.apply_ini_incremental(table_block("ProxySet", "ProxyName", 'ProxySet 0 = "ITSP";')
                                 + table_block("IPGroup", "Name, ProxySetName", 'IPGroup 0 = "G", "ITSP";')
                                 + table_block("ProxyIp", "ProxySetId, IpAddress", 'ProxyIp 0 = "0", "10.0.0.1";'))
    message = _error(config, table_block("ProxySet", "ProxyName", "ProxySet 0 = $$DELETE$$;"))
    assert message == "Line 3: ProxySet 0: cannot delete or rename 'ITSP', IPGroup 0 refers to it in column 'ProxySetName'"
    assert "IPGroup 0 refers to it" in _error(config, table_block("ProxySet", "ProxyName", 'ProxySet 0 = "Other";'))
    # renaming together with the referrer is fine
    config.apply_ini_incremental(table_block("ProxySet", "ProxyName", 'ProxySet 0 = "Other";')
                                 + table_block("IPGroup", "ProxySetName", 'IPGroup 0 = "Other";'))
    assert config.table_rows("IPGroup")[0]["ProxySetName"] == "Other"


def test_deleting_a_proxy_set_deletes_its_addresses(config):
    config.apply_ini_incremental(table_block("ProxySet", "ProxyName", 'ProxySet 1 = "A";', 'ProxySet 2 = "B";')
                                 + table_block("ProxyIp", "ProxySetId, IpAddress", 'ProxyIp 0 = "1", "10.0.0.1";', 'ProxyIp 1 = "2", "10.0.0.2";'))
    assert config.apply_ini_incremental(table_block("ProxySet", "ProxyName", "ProxySet 1 = $$DELETE$$;")) == ["ProxySet", "ProxyIp"]
    assert [r["ProxySetId"] for r in config.table_rows("ProxyIp")] == ["2"]


def test_special_values_are_not_references(config):
    config.apply_ini_incremental(table_block("IP2IPRouting", "RouteName, SrcIPGroupName, DestIPGroupName",
                                             'IP2IPRouting 0 = "R", "Any", "";'))
    assert config.table_rows("IP2IPRouting")[0]["RoutingPolicyName"] == "Default_SBCRoutingPolicy"


# ---- full loads -------------------------------------------------------------------------------------------
def test_full_load_starts_from_factory_defaults(config):
    config.apply_ini_incremental("EnableSyslog = 1\n" + table_block("IPGroup", "Name", 'IPGroup 0 = "G";'))
    loaded = Configuration.from_ini("SyslogServerIP = 10.9.9.9\n", PRODUCT)
    assert loaded.get("EnableSyslog") == 0 and loaded.get("SyslogServerIP") == "10.9.9.9"
    assert [r["Name"] for r in loaded.table_rows("IPGroup")] == ["Default_IPG"]  # the factory row, not "G"
    assert [r["Name"] for r in loaded.table_rows("SRD")] == ["DefaultSRD"]  # absent table: factory rows


def test_full_load_keeps_tls_context_zero():
    loaded = Configuration.from_ini(table_block("TLSContexts", "Name", 'TLSContexts 1 = "other";'), PRODUCT)
    assert [(r["Index"], r["Name"]) for r in loaded.table_rows("TLSContexts")] == [(0, "default"), (1, "other")]


def test_full_load_rejects_bad_values_and_broken_syntax():
    with pytest.raises(ConfigError, match=r"Line 2: parameter 'SyslogServerIP': 'nope' is not a valid IP address"):
        Configuration.from_ini("EnableSyslog = 1\nSyslogServerIP = nope\n", PRODUCT)
    with pytest.raises(ConfigError, match="cannot read line"):
        Configuration.from_ini("this is not an ini file\n", PRODUCT)


def test_empty_table_section_in_full_load_removes_factory_rows():
    loaded = Configuration.from_ini("[ SRD ]\nFORMAT Index = Name;\n[ \\SRD ]\n", PRODUCT)
    assert loaded.table_rows("SRD") == []
    assert "[ SRD ]" in loaded.render_ini(HEADER)  # written so that the file loads back the same
    assert Configuration.from_ini(loaded.render_ini(HEADER), PRODUCT) == loaded


def test_requires_reset(config):
    assert config.requires_reset(config.apply_ini_incremental("HTTPSOnly = 1\n"))
    assert not config.requires_reset(config.apply_ini_incremental("EnableSyslog = 1\n"))
    assert not config.requires_reset(["IPGroup", "SyslogServerIP"])
    assert config.requires_reset(["pcmlawselect"])
