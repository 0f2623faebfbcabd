"""Configuration model, CLI view: running-config rendering, script modes, show commands, errors."""

from __future__ import annotations


import pytest

from simulator.config import CliError, Configuration
from simulator.device_info import ShowContext
from tests.ini_corpus import corpus_names, corpus_text
from config_compare import assert_same_up_to_child_indexes

PRODUCT = "Mediant VE SBC"
SHOW = ShowContext(product=PRODUCT, board_type="73", serial="101780235059663", version="7.40A.500.010",
                   uptime_seconds=93784, ip="10.4.219.229", mask="255.255.0.0", gateway="10.4.0.1",
                   mac="00908f5f9a64", ha_state="Not Operational", license_description="SBC=250")

SCRIPT = """configure troubleshoot
 syslog
  syslog on
  syslog-ip 10.1.1.1
  activate
 exit
exit
configure voip
 sbc settings
  sbc-session-expires 600
  activate
 exit
 proxy-set 1
  proxy-name "ITSP"
  proxy-enable-keep-alive using-options
  activate
 exit
 ip-group 1
  name "Teams"
  proxy-set-name "ITSP"
  activate
 exit
exit
"""
# What a factory-default device prints (its factory rows; docs/simulator-config.md).
FACTORY_VOIP = """configure voip
 realm 0
  name "DefaultRealm"
  ipv4if "O+M+C"
  is-default true
  activate
 exit
 sbc routing-policy 0
  name "Default_SBCRoutingPolicy"
  activate
 exit
 srd 0
  name "DefaultSRD"
  sbc-routing-policy-name "Default_SBCRoutingPolicy"
  activate
 exit
 message policy 0
  name "Malicious Signature DB Protection"
  use-malicious-signature-db enable
  activate
 exit
 proxy-set 0
  proxy-name "ProxySet_0"
  srd-name "DefaultSRD"
  activate
 exit
 ip-group 0
  name "Default_IPG"
  proxy-set-name "ProxySet_0"
  srd-name "DefaultSRD"
  activate
 exit
exit
"""
FACTORY_NETWORK = """configure network
 interface network-if 0
  application-type oamp-media-control
  ip-address 192.168.0.2
  gateway 192.168.0.1
  name "O+M+C"
  underlying-dev "vlan 1"
  activate
 exit
 tls 0
  name "default"
  activate
 exit
exit
"""


@pytest.fixture(name="config")
def fixture_config():
    return Configuration.default(PRODUCT)


def test_default_configuration_prints_its_factory_rows(config):
    assert config.render_cli() == FACTORY_NETWORK + FACTORY_VOIP
    assert Configuration.from_cli(config.render_cli(), PRODUCT) == config


def test_script_sets_values_and_renders_back_exactly(config):
    assert config.run_cli_incremental(SCRIPT, SHOW) == ""
    voip = FACTORY_VOIP.replace("configure voip\n", "configure voip\n sbc settings\n  sbc-session-expires 600\n  activate\n exit\n")
    voip = voip.replace(" ip-group 0\n", " proxy-set 1\n  proxy-name \"ITSP\"\n  proxy-enable-keep-alive using-options\n  activate\n exit\n"
                        " ip-group 0\n")
    voip = voip[:-len("exit\n")] + " ip-group 1\n  name \"Teams\"\n  proxy-set-name \"ITSP\"\n  activate\n exit\nexit\n"
    expected = FACTORY_NETWORK + voip + "configure troubleshoot\n syslog\n  syslog on\n  syslog-ip 10.1.1.1\n  activate\n exit\nexit\n"
    assert config.render_cli() == expected


def test_cli_changes_show_in_ini_and_ini_changes_show_in_cli(config):
    config.run_cli_incremental(SCRIPT, SHOW)
    ini = config.render_ini({})
    assert "EnableSyslog = 1\r\n" in ini and "SyslogServerIP = 10.1.1.1\r\n" in ini
    assert "SBCSessionExpires = 600\r\n" in ini
    assert 'IPGroup 1 = 0, "Teams", "ITSP",' in ini
    config.apply_ini_incremental("[ IPGroup ]\nFORMAT Index = ContactName;\nIPGroup 1 = \"teams.example.com\";\n[ \\IPGroup ]\n"
                                 "NTPServerIP = 'pool.ntp.org'\nNTPServerUTCOffset = 7200\n")
    cli = config.render_cli()
    assert 'configure system\n ntp\n  primary-server "pool.ntp.org"\n  activate\n exit\n clock\n  utc-offset 7200\n' in cli
    assert '  contact-name "teams.example.com"\n' in cli
    assert Configuration.from_cli(cli, PRODUCT) == config
    assert Configuration.from_ini(config.render_ini({}), PRODUCT) == config


def test_no_resets_parameters_and_columns_and_deletes_rows(config):
    config.run_cli_incremental(SCRIPT, SHOW)
    config.run_cli_incremental("configure troubleshoot\n syslog\n  no syslog-ip\n exit\nexit\n"
                               "configure voip\n ip-group 1\n  no proxy-set-name\n exit\n no ip-group 1\n exit\n", SHOW)
    assert config.get("SyslogServerIP") == "0.0.0.0" and config.get("EnableSyslog") == 1
    assert [row["Name"] for row in config.table_rows("IPGroup")] == ["Default_IPG"]


def test_deleting_a_referenced_row_is_refused(config):
    config.run_cli_incremental(SCRIPT, SHOW)
    with pytest.raises(CliError) as caught:
        config.run_cli_incremental("configure voip\n no proxy-set 1\nexit\n", SHOW)
    assert caught.value.description == "Line 2: 'no proxy-set 1': proxy-set 1 is used by IPGroup 1 (ProxySetName)"
    with pytest.raises(CliError, match="srd 0 is used by ProxySet 0"):  # the factory rows refer to each other
        config.run_cli_incremental("configure voip\n no srd 0\nexit\n", SHOW)


def test_renaming_a_referenced_row_is_refused(config):
    config.run_cli_incremental(SCRIPT, SHOW)
    with pytest.raises(CliError, match="proxy-set 1 is used by IPGroup 1"):
        config.run_cli_incremental("configure voip\n proxy-set 1\n  proxy-name \"Other\"\n exit\nexit\n", SHOW)


def test_duplicate_names_are_refused(config):
    config.run_cli_incremental(SCRIPT, SHOW)
    with pytest.raises(CliError, match="Name 'Teams' is already used by another row"):
        config.run_cli_incremental("configure voip\n ip-group 7\n  name \"Teams\"\n exit\nexit\n", SHOW)


def test_tls_context_zero_cannot_be_deleted(config):
    with pytest.raises(CliError, match="tls 0 cannot be deleted"):
        config.run_cli_incremental("configure network\n no tls 0\nexit\n", SHOW)


def test_modes_exit_end_and_comments(config):
    script = ("# comment\n! another\nconfigure system\n ntp\n  primary-server ntp1\n  end\n"
              "configure network\n interface network-if 0\n  ip-address 10.0.0.5\n  prefix-length 16\n  exit\n exit\n"
              "exit\nexit\n")
    config.run_cli_incremental(script, SHOW)
    assert config.get("NTPServerIP") == "ntp1"
    row = config.table_rows("InterfaceTable")[0]
    assert (row["IPAddress"], row["PrefixLength"], row["InterfaceName"]) == ("10.0.0.5", 16, "O+M+C")


def test_strings_with_spaces_quotes_and_backslashes_round_trip(config):
    config.run_cli_incremental('configure voip\n message condition 0\n  name "C 1"\n'
                               '  condition "header.from contains \\"x\\" \\\\ y"\n exit\nexit\n', SHOW)
    row = config.table_rows("ConditionTable")[0]
    assert row["Name"] == "C 1" and row["Condition"] == 'header.from contains "x" \\ y'
    assert Configuration.from_cli(config.render_cli(), PRODUCT) == config


def test_enums_take_names_or_numbers(config):
    config.run_cli_incremental("configure voip\n sip-interface 1\n  application-type sbc\n  topology-location 1\n exit\nexit\n", SHOW)
    row = config.table_rows("SIPInterface")[0]
    assert (row["ApplicationType"], row["TopologyLocation"]) == (2, 1)
    assert "  application-type sbc\n  topology-location up\n" in config.render_cli()


def test_child_rows_nested_under_their_parent_like_devices_print_them(config):
    config.run_cli_incremental('configure voip\n proxy-set 1\n  proxy-name "ITSP"\n  proxy-ip 0\n   proxy-address "10.0.0.1:5060"\n'
                               '   transport-type udp\n   activate\n  exit\n  proxy-ip 1\n   proxy-address "10.0.0.2"\n  exit\n'
                               '  activate\n exit\n coders-and-profiles audio-coders-groups 2\n  name "G"\n  audio-coders 0\n'
                               '   name 3\n  exit\n exit\nexit\n', SHOW)
    proxies = [(r["Index"], r["ProxySetId"], r["ProxyIpIndex"], r["IpAddress"], r["TransportType"]) for r in config.table_rows("ProxyIp")]
    assert proxies == [(0, "1", 0, "10.0.0.1:5060", 0), (1, "1", 1, "10.0.0.2", -1)]
    coders = config.table_rows("AudioCoders")
    assert [(r["AudioCodersGroupId"], r["AudioCodersIndex"], r["Name"]) for r in coders] == [("G", 0, 3)]
    cli = config.render_cli()  # printed as given: nested inside the parent row, after its `activate`
    assert (' proxy-set 1\n  proxy-name "ITSP"\n  activate\n  proxy-ip 0\n   proxy-address "10.0.0.1:5060"\n'
            '   transport-type udp\n   activate\n  exit\n  proxy-ip 1\n   proxy-address "10.0.0.2"\n   activate\n  exit\n exit\n') in cli
    assert ' coders-and-profiles audio-coders-groups 2\n  name "G"\n  activate\n  audio-coders 0\n   name 3\n   activate\n  exit\n exit\n' in cli
    assert "proxy-set-id" not in cli and "coders-group-name" not in cli
    # the same child again is the same row
    config.run_cli_incremental("configure voip\n proxy-set 1\n  proxy-ip 1\n   priority 5\n  exit\n  no proxy-ip 0\n exit\nexit\n", SHOW)
    assert [(r["Index"], r["ProxyIpIndex"], r["Priority"]) for r in config.table_rows("ProxyIp")] == [(1, 1, 5)]
    assert '  proxy-ip 1\n   proxy-address "10.0.0.2"\n   priority 5\n   activate\n  exit\n' in config.render_cli()
    with pytest.raises(CliError, match="proxy-ip 7 does not exist"):
        config.run_cli_incremental("configure voip\n proxy-set 1\n  no proxy-ip 7\n", SHOW)
    with pytest.raises(CliError, match="Invalid index for 'proxy-ip': 10 is out of range 0..9"):
        config.run_cli_incremental("configure voip\n proxy-set 1\n  proxy-ip 10\n", SHOW)


def test_deleting_a_parent_row_deletes_its_children(config):
    config.run_cli_incremental('configure voip\n proxy-set 1\n  proxy-name "P"\n  proxy-ip 0\n   proxy-address "10.0.0.1"\n  exit\n exit\n'
                               ' proxy-set 2\n  proxy-ip 0\n   proxy-address "10.0.0.2"\n  exit\n exit\n no proxy-set 1\nexit\n', SHOW)
    assert [r["ProxySetId"] for r in config.table_rows("ProxyIp")] == ["2"]
    assert [r["Index"] for r in config.table_rows("ProxySet")] == [0, 2]


# ---- show commands -------------------------------------------------------------------------------
def test_show_version_and_uptime(config):
    output = config.run_cli_incremental("show system version\nshow system uptime\n", SHOW)
    assert output.startswith("Version info:\n")
    for expected in (";Board: Mediant VE SBC", ";Serial Number: 101780235059663", ";Software Version: 7.40A.500.010",
                     ";Board IP Address: 10.4.219.229", "GROUP_1 - 00:90:8f:5f:9a:64"):
        assert expected in output
    assert output.endswith("Uptime: 1 days, 2 hours, 3 minutes, 4 seconds\n")


def test_show_running_config_sees_earlier_lines_of_the_same_script(config):
    output = config.run_cli_incremental("show running-config\n" + SCRIPT + "show running-config voip\ndo show running-config troubleshoot\n", SHOW)
    assert output.startswith(FACTORY_NETWORK + "configure voip\n realm 0\n")
    assert "configure voip\n sbc settings\n" in output
    assert "configure troubleshoot" not in output.split("exit\nconfigure troubleshoot")[0]
    assert output.endswith("configure troubleshoot\n syslog\n  syslog on\n  syslog-ip 10.1.1.1\n  activate\n exit\nexit\n")


def test_show_inside_a_mode_and_other_facts(config):
    output = config.run_cli_incremental("configure voip\n sbc settings\n  show high-availability status\n  exit\nexit\n"
                                        "show system feature-key\nshow network interface\n", SHOW)
    assert "HA Status: Not Operational\n" in output
    assert "SBC=250" in output
    assert "O+M+C" in output and "192.168.0.2" in output


# ---- errors ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("script, line, reason", [
    ("configure voip\n bogus\n", 2, "Invalid command"),
    ("frobnicate\n", 1, "Invalid command"),
    ("configure voip\n ip-group 0\n  colour red\n", 3, "Invalid command"),
    ("configure voip\n ip-group 0\n  proxy-set-name \"none\"\n", 3,
     "Invalid value for 'proxy-set-name': unknown reference 'none' (no ProxySet row has ProxyName 'none')"),
    ("configure troubleshoot\n syslog\n  syslog maybe\n", 3, "Invalid value for 'syslog': 'maybe' is not one of: off, on"),
    ("configure troubleshoot\n syslog\n  syslog-ip 300.1.1.1\n", 3, "Invalid value for 'syslog-ip': '300.1.1.1' is not a valid IP address"),
    ("configure voip\n sbc settings\n  sbc-session-expires 10\n", 3, "Invalid value for 'sbc-session-expires': 10 is out of range 90..86400"),
    ("configure voip\n sbc settings\n  sbc-session-expires\n", 3, "Incomplete command: 'sbc-session-expires' takes one value"),
    ("configure voip\n ip-group 4000\n", 2, "Index 4000 is out of range 0..3999"),
    ("configure voip\n no ip-group 5\n", 2, "ip-group 5 does not exist"),
    ("show system nonsense\n", 1, "Invalid command"),
    ("configure voip\n configure system\n", 2, "Invalid command"),
    ("configure voip\n ip-group 0\n  name \"open\n", 3, "unterminated quoted string"),
])
def test_errors_name_the_line_and_keep_nothing(config, script, line, reason):
    before = config.copy()
    with pytest.raises(CliError) as caught:
        config.run_cli_incremental("configure system\n ntp\n  primary-server x\n exit\nexit\n" + script, SHOW)
    failing = ("configure system\n ntp\n  primary-server x\n exit\nexit\n" + script).splitlines()[line + 4].strip()
    assert caught.value.description == f"Line {line + 5}: '{failing}': {reason}"
    assert caught.value.output.endswith(f"% {reason} (line {line + 5}: {failing})\n")
    assert config == before


def test_error_output_keeps_what_was_printed_before(config):
    with pytest.raises(CliError) as caught:
        config.run_cli_incremental("show system uptime\nnonsense\nshow system version\n", SHOW)
    assert caught.value.output == "Uptime: 1 days, 2 hours, 3 minutes, 4 seconds\n% Invalid command (line 2: nonsense)\n"


# ---- full scripts -----------------------------------------------------------------------------------------
def test_full_script_starts_from_defaults_and_refuses_show():
    config = Configuration.from_cli(SCRIPT, PRODUCT)
    assert config.get("SBCSessionExpires") == 600 and config.get("NTPServerIP") == ""
    with pytest.raises(CliError, match="show commands are not allowed"):
        Configuration.from_cli("show system version\n", PRODUCT)
    with pytest.raises(CliError, match="Line 1: 'nonsense': Invalid command"):
        Configuration.from_cli("nonsense\n", PRODUCT)


def test_deleted_factory_rows_round_trip(config):
    config.run_cli_incremental("configure voip\n no ip-group 0\n no proxy-set 0\nexit\n", SHOW)
    cli = config.render_cli()
    assert " no proxy-set 0\n" in cli and " no ip-group 0\n" in cli and "Default_IPG" not in cli
    assert Configuration.from_cli(cli, PRODUCT) == config


def test_a_full_script_defines_the_rows_it_prints():
    """A factory row printed in a full script holds what the script says, not factory values."""
    config = Configuration.from_cli('configure voip\n srd 0\n  name "Main"\n exit\n'
                                    ' proxy-set 0\n  proxy-name "PS"\n  srd-name "Main"\n exit\n'
                                    ' ip-group 0\n  name "IPG"\n  proxy-set-name "PS"\n  srd-name "Main"\n exit\nexit\n', PRODUCT)
    srd = config.table_rows("SRD")[0]
    assert (srd["Name"], srd["SBCRoutingPolicyName"]) == ("Main", "")
    assert config.load_warnings == []
    assert Configuration.from_cli(config.render_cli(), PRODUCT) == config


@pytest.mark.parametrize("name", corpus_names())
def test_corpus_configurations_round_trip_through_cli(name):
    config = Configuration.from_ini(corpus_text(name), PRODUCT)
    assert_same_up_to_child_indexes(Configuration.from_cli(config.render_cli(), PRODUCT), config)
