# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input across every module, kept as a table (issue 8, part 3).

Each row is a task a careless or hostile user could write: injection attempts, malformed files,
unknown names, wrong types, out-of-range numbers, missing privilege, wrong credentials, an
unreachable or slow device, TLS failures, conflicting options. Each must fail with exactly the
message in the table, and the device's state (the simulator's snapshot, taken by the play right
after the task) must be what it was before the task.

The rows of one module run as one play against one fresh device, a snapshot task after each row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulator import Fleet
from simulator.license import make_key, make_license_file
from tests.integration.conftest import connection_options, play_runner
from tests.integration.device_helpers import stable

USERS = [{"username": "Admin", "password": "Adm1n-pw", "level": "security_admin"},
         {"username": "Operator", "password": "0perator-pw", "level": "admin"},
         {"username": "Monitor", "password": "M0nitor-pw", "level": "monitor"}]
PASSWORDS = {user["username"]: user["password"] for user in USERS}
SENT = "Nothing was sent to the device."
OTHER_SERIAL = "101780299999999"


@dataclass
class Case:
    id: str
    module: str
    args: dict
    msg: str | tuple                           # exact, or (start, end) around a library's own words;
    #                                            {address}: the device's host:port, {serial}, {closed_port}
    keywords: dict = field(default_factory=dict)    # task keywords (check_mode, ...)
    fault: dict | None = None                  # injected through the control API just before the task


def ini(case_id, args, msg, **kwargs):
    return Case(case_id, "mediant_ini", args, msg, **kwargs)


def cli(case_id, args, msg, **kwargs):
    return Case(case_id, "mediant_cli", args, msg, **kwargs)


def command(case_id, args, msg, **kwargs):
    return Case(case_id, "mediant_command", args, msg, **kwargs)


def one_line(option, char, position, where, what="the value"):
    """The input check's message for a line break or control character (input_safety.py)."""
    names = {"\n": "'\\n' (U+000A LINE FEED)", "\r": "'\\r' (U+000D CARRIAGE RETURN)", "\x00": "'\\x00' (U+0000 NUL)",
             "\t": "'\\t' (U+0009 TAB)", "\x1b": "'\\x1b' (U+001B ESCAPE)", "\u2028": "'\\u2028' (U+2028 LINE SEPARATOR)"}
    why = (f"a line break: it would end the {where} there and start another" if char in "\n\r\u2028"
           else "a control character, which no device setting holds")
    return (f"{option}: {what} holds {names[char]} at character {position}, {why}. Give it on one line, without "
            f"control characters. {SENT}")


INI_CASES = [
    ini("parameter value with line breaks (the issue's example)",
        {"parameters": {"SyslogServerPort": "514\nSNMPSysName = x\nEnableSyslog = 0"}},
        one_line("parameters.SyslogServerPort", "\n", 4, "INI line")),
    ini("parameter value with a CR, written bare by the device",
        {"parameters": {"SyslogServerIP": "10.1.1.1\rEnableSyslog = 1"}},
        one_line("parameters.SyslogServerIP", "\r", 9, "INI line")),
    ini("parameter name with a line break",
        {"parameters": {"EnableSyslog = 1\nSNMPSysName": "x"}},
        one_line("parameters", "\n", 17, "INI line", "the parameter name 'EnableSyslog = 1\\nSNMPSysName'")),
    ini("parameter name opening a section",
        {"parameters": {"[SYSTEM Params]": 1}},
        "parameters: the parameter name '[SYSTEM Params]' starts with '[' (U+005B); a name starts with an ASCII letter "
        f"or '_'. Write the parameter name as the device's INI file spells it, for example SyslogServerIP. {SENT}"),
    ini("list item with a NUL",
        {"parameters": {"ActivityListToLog": ["pvc", "dr\x00"]}},
        one_line("parameters.ActivityListToLog[1]", "\x00", 3, "INI line")),
    ini("table cell closing its table and opening another",
        {"tables": {"IPGroup": [{"Index": 0, "Name": 'x";\n[ \\IPGroup ]\n[ SRD ]\nFORMAT Index = Name;\nSRD 5 = "evil'}]}},
        one_line("tables.IPGroup[0].Name", "\n", 4, "INI line")),
    ini("table cell with a line separator in the third row",
        {"tables": {"SRD": [{"Index": 0}, {"Index": 1, "Name": "a"}, {"Index": 2, "Name": "b\u2028c"}]}},
        one_line("tables.SRD[2].Name", "\u2028", 2, "INI line")),
    ini("table cell with a tab",
        {"tables": {"SRD": [{"Name": "Default\tSRD"}]}},
        one_line("tables.SRD[0].Name", "\t", 8, "INI line")),
    ini("table name with a bracket",
        {"tables": {"IPGroup ]": [{"Name": "x"}]}},
        "tables: the table name 'IPGroup ]' contains ' ' (U+0020); a name holds only ASCII letters, digits and '_'. "
        f"Write the table name as the device's INI file spells it, for example IPGroup. {SENT}"),
    ini("column name with a semicolon",
        {"tables": {"IPGroup": [{"Name;Type": "x"}]}},
        "tables.IPGroup[0]: the column name 'Name;Type' contains ';' (U+003B); a name holds only ASCII letters, digits "
        f"and '_'. Write the column name as the device's INI file spells it, for example Name. {SENT}"),
    ini("key column with a line break",
        {"tables": {"IP2IPRouting": [{"RouteName": "r"}]}, "keys": {"IP2IPRouting": "Route\nName"}},
        one_line("keys.IP2IPRouting", "\n", 6, "INI line", "the column name 'Route\\nName'")),
    ini("column default closing its table",
        {"tables": {"SRD": [{"Index": 0, "Name": "x"}]}, "table_states": {"SRD": "replaced"},
         "column_defaults": {"SRD": {"Name": 'd";\n[ \\SRD ]\nEnableSyslog = 0'}}},
        one_line("column_defaults.SRD.Name", "\n", 4, "INI line")),
    ini("parameter injection in check mode",
        {"parameters": {"SyslogServerPort": "514\nEnableSyslog = 0"}},
        one_line("parameters.SyslogServerPort", "\n", 4, "INI line"), keywords={"check_mode": True}),
    ini("index with a second row in it",
        {"tables": {"IPGroup": [{"Index": "1; IPGroup 2", "Name": "x"}]}},
        "tables.IPGroup[0]: Index must be a number 0 or more, got '1; IPGroup 2'. Give the row's index in the table, "
        f"or leave Index out to match the row by its key column. {SENT}"),
    ini("a dictionary where a value belongs",
        {"parameters": {"SyslogServerIP": {"address": "10.1.1.1"}}},
        "parameters.SyslogServerIP: a value is a string, a number or a boolean, or a list of those, got a dict. "
        f"Give a value or a list of values. {SENT}"),
    ini("a list in a table cell",
        {"tables": {"SRD": [{"Index": 0, "Name": ["a", "b"]}]}},
        f"tables.SRD[0].Name: a value is a string, a number or a boolean, got a list. Give one value. {SENT}"),
    ini("content with a NUL byte",
        {"content": "SyslogServerPort = 515\n\x00EnableSyslog = 1\n"},
        "content: line 2 holds '\\x00' (U+0000 NUL), a control character, which no configuration text holds. Save the "
        f"file as plain text; a binary or corrupted file is not a configuration. {SENT}"),
    ini("malformed content: a table never closed",
        {"content": "[ SRD ]\nFORMAT Index = Name;\nSRD 1 = \"x\";\n"},
        "content: INI line 2: table line outside a table (a table starts with '[ Name ]' and ends with '[ \\Name ]'): "
        f"FORMAT Index = Name;. {SENT}"),
    ini("unknown parameter", {"parameters": {"NoSuchParameter": 1}},
        "The device rejected the INI file (HTTP 400): Line 1: parameter 'NoSuchParameter': unknown parameter (line 1 of "
        "the INI sent: NoSuchParameter = 1). The device's configuration is unchanged."),
    ini("out-of-range number", {"parameters": {"SyslogServerPort": 70000}},
        "The device rejected the INI file (HTTP 400): Line 1: parameter 'SyslogServerPort': 70000 is out of range "
        "0..65535 (line 1 of the INI sent: SyslogServerPort = 70000). The device's configuration is unchanged."),
    ini("unknown table", {"tables": {"NoSuchTable": [{"Index": 0, "Name": "x"}]}},
        "The device rejected the INI file (HTTP 400): Line 1: table 'NoSuchTable': unknown table (line 1 of the INI "
        "sent: [ NoSuchTable ]). The device's configuration is unchanged."),
    ini("unknown column", {"tables": {"SRD": [{"Index": 0, "Colour": "red"}]}},
        "The device rejected the INI file (HTTP 400): Line 4: table 'SRD': unknown column 'Colour' (line 4 of the INI "
        "sent: SRD 0 = \"red\";). The device's configuration is unchanged."),
    ini("replace without a file", {"parameters": {"EnableSyslog": 1}, "mode": "replace"},
        "mode=replace uploads a whole INI file: give it in src or content"),
    ini("conflicting options", {"parameters": {"EnableSyslog": 1}, "content": "EnableSyslog = 1\n"},
        "parameters are mutually exclusive: parameters|content"),
    ini("a Monitor user", {"parameters": {"EnableSyslog": 1}, "username": "Monitor", "password": PASSWORDS["Monitor"]},
        "Access denied (HTTP 403) to GET /api/v1/files/ini for user 'Monitor': this resource needs the Security "
        "Administrator privilege level. Use a user with that level (Local Users table on the device): User Monitor "
        "(Monitor) may not GET /api/v1/files/ini: it needs Security Administrator privilege"),
    ini("wait_timeout of 0", {"content": "EnableSyslog = 1\n", "mode": "replace", "wait_timeout": 0},
        "wait_timeout must be a positive number of seconds, got 0"),
]

CLI_CASES = [
    cli("line with a line break leaving the mode",
        {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog on\nexit\nexit\nconfigure system"]},
        one_line("lines[0]", "\n", 10, "CLI command", "the line")),
    cli("parent that is exit",
        {"parents": ["configure voip", "exit"], "lines": ["configure system"]},
        "parents[1]: the line 'exit' moves between modes instead of entering one; parents are the modes to enter, "
        f"outermost first. List the modes to enter, for example [configure voip, ip-group 1]. {SENT}"),
    cli("parent with a hidden second mode",
        {"parents": ["configure voip", "ip-group 1\rexit"], "lines": ['name "x"']},
        one_line("parents[1]", "\r", 11, "CLI command", "the line")),
    cli("parent that is a comment",
        {"parents": ["configure voip", "# ip-group 1"], "lines": ['name "x"']},
        "parents[1]: the line '# ip-group 1' is a comment, not a mode. List the modes to enter, for example "
        f"[configure voip, ip-group 1]. {SENT}"),
    cli("unterminated quoted word",
        {"parents": ["configure voip", "ip-group 1"], "lines": ['name "ITSP']},
        'lines[0]: the line has an unterminated quoted string. Close the quote; inside quotes write a quote as \\" and '
        f"a backslash as \\\\. {SENT}"),
    cli("before with a line break",
        {"parents": ["configure voip", "ip-group 1"], "lines": ['name "x"'], "before": ["configure voip\nno ip-group 0"]},
        one_line("before[0]", "\n", 15, "CLI command", "the line")),
    cli("after with an escape character",
        {"parents": ["configure voip", "ip-group 1"], "lines": ['name "x"'], "after": ["exit\x1b"]},
        one_line("after[0]", "\x1b", 5, "CLI command", "the line")),
    cli("content with a form feed",
        {"content": "configure voip\n ip-group 1\n  name \"x\"\x0c\n exit\nexit\n"},
        "content: line 3 holds '\\x0c' (U+000C FORM FEED), a line break the device may not read as one (only CR and LF "
        f"end lines). Save the file as plain text; a binary or corrupted file is not a configuration. {SENT}"),
    cli("malformed content: exit closes no mode",
        {"content": "configure voip\nip-group 1\nexit\nexit\nexit\n"},
        "content: line 3: 'exit' closes no mode; indent the lines of each mode under the line that opens it. "
        f"{SENT}"),
    cli("line injection in check mode",
        {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog on\rconfigure system"]},
        one_line("lines[0]", "\r", 10, "CLI command", "the line"), keywords={"check_mode": True}),
    cli("invalid command", {"parents": ["configure voip"], "lines": ["no-such-command 1"]},
        "The device rejected the CLI script at command 'no-such-command 1': Invalid command. The running configuration "
        "is unchanged."),
    cli("out-of-range number", {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog-port-number 70000"]},
        "The device rejected the CLI script at command 'syslog-port-number 70000': Invalid value for "
        "'syslog-port-number': 70000 is out of range 0..65535. The running configuration is unchanged."),
    cli("conflicting options", {"lines": ["syslog on"], "content": "configure troubleshoot\n"},
        "parameters are mutually exclusive: lines|src|content"),
]

COMMAND_CASES = [
    command("configuration hidden behind a show", {"commands": ["show system version\nconfigure voip"]},
            one_line("commands[0]", "\n", 20, "CLI command", "the line")),
    command("configuration hidden behind a show, in check mode", {"commands": ["show system version\rconfigure voip"]},
            one_line("commands[0]", "\r", 20, "CLI command", "the line"), keywords={"check_mode": True}),
    command("a configuration command", {"commands": ["show system version", "configure voip"]},
            "commands[1]: 'configure voip' is not a show command; mediant_command runs show commands only unless "
            f"allow_changes: true. Use audiocodes.mediant.mediant_cli to change the configuration. {SENT}"),
    command("a change with wait_for", {"commands": ["configure voip"], "allow_changes": True,
                                       "wait_for": ["result[0] contains x"]},
            "wait_for runs the commands again until its conditions hold, so it cannot be combined with commands that "
            "change the device (commands[0]: 'configure voip'); run those in a task of their own. " + SENT),
    command("an unknown show command", {"commands": ["show no-such-thing"]},
            "The device refused command 'show no-such-thing': Invalid command"),
    command("retries of 0", {"commands": ["show system version"], "retries": 0}, "retries must be 1 or more, got 0"),
    command("wrong type", {"commands": ["show system version"], "interval": "soon"},
            "argument 'interval' is of type str and we were unable to convert to int: \"'soon'\" cannot be converted "
            "to an int"),
]


def test_the_table_holds_at_least_40_bad_inputs_across_the_modules():
    assert len(CASES) >= 40
    assert {case.module for case in CASES} == set(MODULES)
    shipped = {path.stem for path in (Path(__file__).resolve().parents[2] / "plugins" / "modules").glob("mediant_*.py")}
    assert set(MODULES) == shipped, "every module has rows in the table"
    assert len({(case.module, case.id) for case in CASES}) == len(CASES)


def _license_cases(files):
    return [
        Case("key with a space", "mediant_license", {"key": "abc def"},
             "key: the license key holds ' ' (U+0020 SPACE); it is one word. Give it without spaces or line breaks, "
             f"as delivered. {SENT}"),
        Case("key with a second license line", "mediant_license", {"key": "abc\nKey 101780299999999 evil"},
             "key: the license key holds '\\n' (U+000A LINE FEED); it is one word. Give it without spaces or line "
             f"breaks, as delivered. {SENT}"),
        Case("invalid key", "mediant_license", {"key": "not-a-valid-key"},
             "The device refused the license: invalid license key: it cannot be decoded. The license was not changed."),
        Case("serial number of another device", "mediant_license", {"key": "abc", "serial_number": OTHER_SERIAL},
             f"serial_number {OTHER_SERIAL} does not match the device's serial number {{serial}}; nothing was sent"),
        Case("license file without this device", "mediant_license", {"src": files["other_license"]},
             f"the license file {files['other_license']} holds no key for the device's serial number {{serial}} (it has "
             f"keys for {OTHER_SERIAL}); nothing was sent"),
        Case("license file with a NUL", "mediant_license", {"src": files["binary_license"]},
             "src: line 1 holds '\\x00' (U+0000 NUL), a control character, which no configuration text holds. Save the "
             f"file as plain text; a binary or corrupted file is not a configuration. {SENT}"),
        Case("key and file", "mediant_license", {"key": "abc", "src": files["other_license"]},
             "parameters are mutually exclusive: key|src"),
    ]


def _certificate_cases(files):
    return [
        Case("malformed PEM", "mediant_certificate", {"context": "0", "certificate_content": files["bad_pem"]},
             # the parser's own words (cryptography's) sit in between
             ("certificate is not a valid certificate: ", "; nothing was sent to the device")),
        Case("subject with a line break", "mediant_certificate",
             {"context": "0", "self_signed": True, "subject": {"common_name": "sbc1\nCN=evil"}},
             one_line("subject.common_name", "\n", 5, "line")),
        Case("unknown context", "mediant_certificate", {"context": "no-such-context"},
             "TLS context 'no-such-context' not found on the device; available contexts: 0 (default)"),
        Case("unsupported key size", "mediant_certificate", {"context": "0", "key_size": 1000},
             "value of key_size must be one of: 512, 768, 1024, 2048, 4096, got: 1000"),
        Case("an Administrator (not Security Administrator)", "mediant_certificate",
             {"context": "0", "username": "Operator", "password": PASSWORDS["Operator"]},
             "Access denied (HTTP 403) to GET /api/v1/files/tls for user 'Operator': this resource needs the Security "
             "Administrator privilege level. Use a user with that level (Local Users table on the device): User Operator "
             "(Administrator) may not GET /api/v1/files/tls: it needs Security Administrator privilege"),
    ]


def _software_cases(files):
    return [
        Case("missing load file", "mediant_software", {"src": files["missing"], "version": "7.40A.600.001"},
             f"src {files['missing']} does not exist on the host that runs the module"),
        Case("empty load file", "mediant_software", {"src": files["empty"], "version": "7.40A.600.001"},
             f"src {files['empty']} is empty"),
        Case("corrupt load", "mediant_software", {"src": files["corrupt"], "version": "7.40A.600.001"},
             "The device refused the software load: Software load is incorrect: software file is not a .cmp load (bad "
             "magic). It still runs 7.40A.500.010."),
        Case("hitless on a stand-alone device", "mediant_software",
             {"src": files["corrupt"], "version": "7.40A.600.001", "hitless": True},
             "hitless=true needs an HA pair, but the device reports highAvailability 'Not Operational'; use hitless=false"),
        Case("negative busy_timeout", "mediant_software",
             {"src": files["corrupt"], "version": "7.40A.600.001", "busy_timeout": -1},
             "busy_timeout must be 0 or more, got -1"),
    ]


def _reset_cases(files):
    del files
    return [
        Case("negative graceful_timeout", "mediant_reset", {"graceful_timeout": -5},
             "graceful_timeout must be 0 or more, got -5"),
        Case("a Monitor user", "mediant_reset", {"username": "Monitor", "password": PASSWORDS["Monitor"]},
             "Access denied (HTTP 403) to POST /api/v1/actions/reset for user 'Monitor': this resource needs the "
             "Administrator privilege level. Use a user with that level (Local Users table on the device): User Monitor "
             "(Monitor) may not POST /api/v1/actions/reset: it needs Administrator privilege"),
        Case("device busy longer than busy_timeout", "mediant_reset", {"busy_timeout": 2},
             "The device is busy (HTTP 409) and refused POST /api/v1/actions/reset after 2 attempts: Injected fault. "
             "This is usually a temporary state such as HA synchronization: try again later. Nothing was reset; raise "
             "busy_timeout to wait longer.",
             fault={"path": "actions/reset", "method": "POST", "status": 409, "count": -1}),
    ]


def _backup_cases(files):
    return [
        Case("unknown format", "mediant_backup", {"dest": files["backup_dir"], "formats": ["xml"]},
             "value of formats must be one or more of: ini, cli, package. Got no match for: xml"),
        Case("previous is dest", "mediant_backup", {"dest": files["backup_dir"], "previous": files["backup_dir"]},
             f"previous and dest are the same directory {files['backup_dir']!r}: give the directory of an earlier backup"),
        Case("a Monitor user", "mediant_backup",
             {"dest": files["backup_dir"], "username": "Monitor", "password": PASSWORDS["Monitor"]},
             "Access denied (HTTP 403) to GET /api/v1/files/ini for user 'Monitor': this resource needs the Security "
             "Administrator privilege level. Use a user with that level (Local Users table on the device): User Monitor "
             "(Monitor) may not GET /api/v1/files/ini: it needs Security Administrator privilege"),
    ]


def _facts_cases(files):
    return [
        Case("unknown subset", "mediant_facts", {"gather_subset": ["alrams"]},
             "gather_subset: unknown subset 'alrams'; choose from all, min, status, license, alarms, tls, files, kpi, "
             "config (prefix ! to exclude)"),
        Case("wrong password", "mediant_facts", {"password": "wrong-pw"},
             "Authentication failed (HTTP 401) for GET /api/v1/status at {address}: check username/password for user 'Admin' "
             "(options username/password, variables mediant_username/mediant_password or ansible_user/ansible_password, "
             "environment MEDIANT_USERNAME/MEDIANT_PASSWORD): Authentication failed: unknown user or wrong password"),
        Case("unreachable device", "mediant_facts", {"port": files["closed_port"]},
             "Cannot connect to the device at 127.0.0.1:{closed_port} over https (GET /api/v1/status): Failed to establish a new "
             "connection: [Errno 111] Connection refused. Check the host, port and protocol options (MEDIANT_HOST, "
             "MEDIANT_PORT, MEDIANT_PROTOCOL) and that the device's REST API is reachable from where the module runs."),
        Case("untrusted certificate", "mediant_facts", {"ca_path": files["other_ca"]},
             # Python's ssl module's own words (with its source line) sit in between
             ("TLS certificate verification failed for https://{address} (GET /api/v1/status): [SSL: CERTIFICATE_VERIFY_FAILED] "
              "certificate verify failed: self-signed certificate",
              ". To trust the device's certificate, set ca_path (MEDIANT_CA_PATH) to a PEM file with the CA that signed it "
              "(or the device's self-signed certificate itself); for a lab device only, set validate_certs: false "
              "(MEDIANT_VALIDATE_CERTS=false).")),
        Case("slow device past timeout", "mediant_facts", {"timeout": 1},
             "Timed out after 1 s waiting for the device at {address} (GET /api/v1/status). Increase the timeout option "
             "(MEDIANT_TIMEOUT) if the device is slow to answer, or check that {address} is reachable.",
             fault={"path": "status", "delay": 3, "count": 3}),
        Case("timeout of 0", "mediant_facts", {"timeout": 0}, "timeout must be a positive number of seconds, got 0"),
    ]


def _certificate_request_cases(files):
    controller = {"context": "0", "key_source": "controller", "csr_path": files["csr_out"]}
    name = {"common_name": "sbc1.example.com"}
    return [
        Case("subject with a line break (device key)", "mediant_certificate_request",
             {"context": "0", "subject": {"common_name": "sbc1\nCN=evil"}},
             one_line("subject.common_name", "\n", 5, "line")),
        Case("subject with an escape sequence (controller key)", "mediant_certificate_request",
             dict(controller, subject={"common_name": "sbc1.example.com", "organization": "ACME\x1b[2J"}),
             one_line("subject.organization", "\x1b", 5, "line")),
        Case("subjectAltName hiding a second name after a line break", "mediant_certificate_request",
             dict(controller, subject=name, subject_alt_names=["DNS:sbc1.example.com\nDNS:evil.example.com"]),
             "subject_alt_names[0]: 'DNS:sbc1.example.com\\nDNS:evil.example.com' is not a DNS name (letters, digits, "
             "'-', '.', an optional leading '*.'); nothing was sent to the device"),
        Case("subjectAltNames with a device key", "mediant_certificate_request",
             {"context": "0", "subject": name, "subject_alt_names": ["DNS:sbc1.example.com"]},
             "subject_alt_names need key_source: controller - the device's certificate/request has no subjectAltName "
             "field; nothing was sent to the device"),
        Case("country of three letters", "mediant_certificate_request",
             {"context": "0", "subject": dict(name, country="USA")},
             "country must be a two-letter country code (ISO 3166), got 'USA'; nothing was sent to the device"),
        Case("a key written without a passphrase", "mediant_certificate_request",
             dict(controller, subject=name, private_key_dest=files["key_out"]),
             "private_key_dest needs private_key_passphrase: a key is never written unencrypted"),
        Case("unknown context", "mediant_certificate_request", {"context": "no-such-context", "subject": name},
             "TLS context 'no-such-context' not found on the device; available contexts: 0 (default)"),
        Case("an Administrator (not Security Administrator)", "mediant_certificate_request",
             {"context": "0", "subject": name, "username": "Operator", "password": PASSWORDS["Operator"]},
             "Access denied (HTTP 403) to GET /api/v1/files/tls for user 'Operator': this resource needs the Security "
             "Administrator privilege level. Use a user with that level (Local Users table on the device): User "
             "Operator (Administrator) may not GET /api/v1/files/tls: it needs Security Administrator privilege"),
    ]


def _certificate_sign_cases(files):
    ca = {"ca_certificate_path": files["ca_cert"], "ca_private_key_path": files["ca_key"], "dest": files["cert_out"]}
    signed = dict(ca, csr_path=files["csr"])
    return [
        Case("CSR that is not one", "mediant_certificate_sign", dict(ca, csr_content="not a certificate request"),
             "the CSR is not a PEM certificate signing request"),
        Case("subjectAltName hiding a second name after a line break", "mediant_certificate_sign",
             dict(signed, subject_alt_names=["DNS:sbc1.example.com\rDNS:evil.example.com"]),
             "subject_alt_names[0]: 'DNS:sbc1.example.com\\rDNS:evil.example.com' is not a DNS name (letters, digits, "
             "'-', '.', an optional leading '*.')"),
        Case("missing CA key", "mediant_certificate_sign", dict(signed, ca_private_key_path=files["missing"]),
             f"ca_private_key_path: no such file {files['missing']!r} on the host that runs the module"),
        Case("valid_days of 0", "mediant_certificate_sign", dict(signed, valid_days=0),
             "valid_days must be 1 or more, got 0"),
        Case("CSR as content and as a file", "mediant_certificate_sign", dict(signed, csr_content="x"),
             "parameters are mutually exclusive: csr_content|csr_path"),
    ]


def _tls_probe_cases(files):
    del files
    return [
        Case("plain http without endpoints", "mediant_tls_probe", {"protocol": "http"},
             "protocol is http: the management listener has no TLS to probe; give endpoints"),
        Case("endpoint without a port", "mediant_tls_probe", {"endpoints": [{"host": "127.0.0.1"}]},
             "missing required arguments: port found in endpoints"),
        Case("endpoint port that is no number", "mediant_tls_probe", {"endpoints": [{"host": "127.0.0.1", "port": "sips"}]},
             "argument 'port' is of type str found in 'endpoints'. and we were unable to convert to int: \"'sips'\" "
             "cannot be converted to an int"),
    ]


def _upgrade_progress_cases(files):
    del files
    before = {"serial": "x", "version": "7.40A.500.010"}
    follow = {"version": "7.40A.600.001", "method": "standard", "before": before}
    return [
        Case("unknown phase", "mediant_upgrade_progress", dict(follow, phase="almost-done"),
             "phase must be one of accepted, redundant_upgrade, redundant_sync, awaiting_switchover, switchover, "
             "peer_upgrade, peer_sync, unreachable, completed, resetting, pair_sync, old_version, wrong_version, failover "
             "(the phase a previous call returned), got 'almost-done'"),
        Case("before without the version", "mediant_upgrade_progress", dict(follow, before={"serial": "x"}),
             "before must be the status from before the upload (ansible_facts.mediant.status of "
             "audiocodes.mediant.mediant_facts); it lacks version"),
        Case("timeout of 0", "mediant_upgrade_progress", dict(follow, timeout=0),
             "timeout must be a positive number of seconds, got 0"),
        Case("unknown method", "mediant_upgrade_progress", dict(follow, method="hitful"),
             "value of method must be one of: hitless, standard, got: hitful"),
    ]


CASES = INI_CASES + CLI_CASES + COMMAND_CASES + [
    case for make in (_license_cases, _certificate_cases, _software_cases, _reset_cases, _backup_cases, _facts_cases,
                      _certificate_request_cases, _certificate_sign_cases, _tls_probe_cases, _upgrade_progress_cases)
    for case in make({key: "" for key in ("other_license", "binary_license", "bad_pem", "missing", "empty", "corrupt",
                                          "closed_port", "other_ca", "backup_dir", "csr_out", "key_out", "ca_cert",
                                          "ca_key", "cert_out", "csr")})]
MODULES = ["mediant_ini", "mediant_cli", "mediant_command", "mediant_license", "mediant_certificate",
           "mediant_software", "mediant_reset", "mediant_backup", "mediant_facts", "mediant_certificate_request",
           "mediant_certificate_sign", "mediant_tls_probe", "mediant_upgrade_progress"]


@pytest.fixture(scope="module")
def matrix_fleet(tmp_path_factory):
    with Fleet(state_dir=tmp_path_factory.mktemp("matrix-state")) as fleet:
        yield fleet


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    base = tmp_path_factory.mktemp("matrix-files")
    paths = {}
    (base / "other.lic").write_text(make_license_file({OTHER_SERIAL: make_key(OTHER_SERIAL)}))
    paths["other_license"] = str(base / "other.lic")
    (base / "binary.lic").write_bytes(b"Key 1\x00 2\n")
    paths["binary_license"] = str(base / "binary.lic")
    paths["bad_pem"] = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
    paths["missing"] = str(base / "no-such-load.cmp")
    (base / "empty.cmp").write_bytes(b"")
    paths["empty"] = str(base / "empty.cmp")
    (base / "corrupt.cmp").write_bytes(b"not a software load" * 100)
    paths["corrupt"] = str(base / "corrupt.cmp")
    import socket  # pylint: disable=import-outside-toplevel
    with socket.socket() as probe:          # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        paths["closed_port"] = probe.getsockname()[1]
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    import datetime  # pylint: disable=import-outside-toplevel
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Some other CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (base / "other-ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["other_ca"] = str(base / "other-ca.pem")
    (base / "backup").mkdir()      # an earlier backup's directory
    paths["backup_dir"] = str(base / "backup")
    # mediant_certificate_request writes here only when it gets that far (it must not)
    paths["csr_out"], paths["key_out"], paths["cert_out"] = (str(base / name) for name in ("out.csr", "out.key", "out.pem"))
    # a CA and a valid CSR for mediant_certificate_sign
    from cryptography.hazmat.primitives.asymmetric import rsa  # pylint: disable=import-outside-toplevel
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Matrix Root CA")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
               .serial_number(2).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    (base / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (base / "ca.key").write_bytes(ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "sbc1.example.com")]))
           .sign(key, hashes.SHA256()))
    (base / "sbc1.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    paths.update(ca_cert=str(base / "ca.pem"), ca_key=str(base / "ca.key"), csr=str(base / "sbc1.csr"))
    return paths


def cases_of(module, files):
    makers = {"mediant_license": _license_cases, "mediant_certificate": _certificate_cases,
              "mediant_software": _software_cases, "mediant_reset": _reset_cases, "mediant_backup": _backup_cases,
              "mediant_facts": _facts_cases, "mediant_certificate_request": _certificate_request_cases,
              "mediant_certificate_sign": _certificate_sign_cases, "mediant_tls_probe": _tls_probe_cases,
              "mediant_upgrade_progress": _upgrade_progress_cases}
    if module in makers:
        return makers[module](files)
    return [case for case in CASES if case.module == module]


def snapshot_task(fleet, device, name):
    return {"name": name, "ansible.builtin.uri": {"url": f"{fleet.control_url}/devices/{device.name}", "return_content": True}}


def control_task(fleet, device, name, method, action, body=None):
    task = {"name": name, "ansible.builtin.uri": {"url": f"{fleet.control_url}/devices/{device.name}/{action}",
                                                  "method": method, "status_code": [200, 201]}}
    if body is not None:
        task["ansible.builtin.uri"].update(body_format="json", body=body)
    return task


def unchanged_part(snapshot):
    """The device's state, without what moves by itself (uptime) or with the test (its injected faults)."""
    return {key: value for key, value in stable(snapshot).items() if key != "faults"}


@pytest.mark.parametrize("module", MODULES)
def test_bad_input_fails_with_the_exact_message_and_leaves_the_device_unchanged(
        module, matrix_fleet, files, tmp_path_factory):
    device = matrix_fleet.add_device({"name": f"m-{module}", "address": "127.0.0.1", "port": 0, "protocol": "https",
                                      "reset_seconds": 1, "users": USERS})
    cases = cases_of(module, files)
    tasks = [snapshot_task(matrix_fleet, device, "snapshot before")]
    for case in cases:
        if case.fault:
            tasks.append(control_task(matrix_fleet, device, f"fault for {case.id}", "POST", "faults", case.fault))
        tasks.append({"name": case.id, f"audiocodes.mediant.{module}": case.args, "ignore_errors": True, **case.keywords})
        tasks.append(snapshot_task(matrix_fleet, device, f"snapshot after {case.id}"))
        if case.fault:
            tasks.append(control_task(matrix_fleet, device, f"clear faults after {case.id}", "DELETE", "faults"))
    run = play_runner(tmp_path_factory.mktemp(f"matrix-{module}"))
    defaults = connection_options(device, tmp_path_factory.mktemp(f"ca-{module}"), "Admin", PASSWORDS["Admin"])
    play = run(tasks, device, module_defaults=defaults)
    before = unchanged_part(play.task("snapshot before")["result"]["json"])
    values = {"address": f"{device.address}:{device.port}", "serial": device.serial, "closed_port": files["closed_port"]}
    problems = []
    for case in cases:
        result = play.task(case.id)
        msg = result["result"].get("msg") or ""
        if isinstance(case.msg, tuple):
            start, end = (part.format(**values) for part in case.msg)
            matches = msg.startswith(start) and msg.endswith(end)
            expected = f"{start} ... {end}"
        else:
            expected = case.msg.format(**values) if case.msg is not None else None
            matches = msg == expected
        if result["status"] != "failed":
            problems.append(f"{case.id}: status {result['status']}, not failed")
        if not matches:
            problems.append(f"{case.id}:\n  expected {expected!r}\n  got      {result['result'].get('msg')!r}")
        if result["result"].get("changed"):
            problems.append(f"{case.id}: reports changed")
        after = unchanged_part(play.task(f"snapshot after {case.id}")["result"]["json"])
        if after != before:
            changed_keys = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
            problems.append(f"{case.id}: the device changed: {changed_keys}")
    written = [files[name] for name in ("csr_out", "key_out", "cert_out") if Path(files[name]).exists()]
    if written:
        problems.append(f"a refused task wrote {written}")
    assert not problems, "\n".join(problems)
