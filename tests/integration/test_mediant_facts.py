# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_facts through ansible-playbook against simulated devices; also the action plugin's
connection handling (inventory variables, environment variables, precedence)."""
from __future__ import annotations

import os
import re
import stat

import pytest

FACTS = "audiocodes.mediant.mediant_facts"


def facts_of(task):
    assert task["status"] == "ok", task
    return task["result"]["ansible_facts"]["mediant"]


def test_min_gathers_status_and_sets_host_facts(device, run_play):
    play = run_play([
        {"name": "facts", FACTS: {}},
        {"name": "show", "ansible.builtin.debug": {"msg": "{{ ansible_facts.mediant.status.version }} {{ mediant.status.serial }}"}},
    ], device)
    assert play.rc == 0, play.stdout + play.stderr
    facts = facts_of(play.task("facts"))
    assert facts["gathered_subsets"] == ["status"]
    assert facts["api_version"] == "7.4"
    status = facts["status"]
    assert status["version"] == "7.40A.500.010"
    assert status["serial"] == device.serial
    assert status["product"] == "Mediant VE SBC"
    assert status["save_needed"] is False and status["reset_needed"] is False
    assert isinstance(status["uptime"], int)
    assert play.task("show")["result"]["msg"] == "7.40A.500.010 " + device.serial
    assert play.task("facts")["result"]["changed"] is False


def test_all_subsets_as_security_administrator(device, run_play):
    for number in range(23):  # more than one page of 20
        device.raise_alarm("test alarm %d" % number, severity="Minor", source="Board#1/EthernetPort#%d" % number)
    play = run_play([{"name": "facts", FACTS: {"gather_subset": "all", "config_formats": ["ini", "cli"]}}], device)
    facts = facts_of(play.task("facts"))
    assert sorted(facts["gathered_subsets"]) == sorted(["status", "license", "alarms", "tls", "files", "kpi", "config"])
    assert facts["skipped_subsets"] == {}
    assert not play.task("facts")["result"].get("warnings")

    assert facts["license"]["serial"] == device.serial and "key" not in facts["license"]
    assert "SBC" in facts["license"]["key_description"]

    test_alarms = [alarm for alarm in facts["alarms"] if alarm["description"].startswith("test alarm")]
    assert len(test_alarms) == 23
    assert {alarm["severity"] for alarm in test_alarms} == {"Minor"}
    assert test_alarms[5]["source"] == "Board#1/EthernetPort#5" and test_alarms[5]["date"]

    (context,) = [ctx for ctx in facts["tls"] if ctx["id"] == "0"]
    certificate = context["certificate"]
    assert certificate["days_left"] > 0 and certificate["not_after"] and certificate["subject"].startswith("CN=")
    assert "BEGIN" not in str(facts["tls"])  # parsed information, never PEM
    assert context["private_key"]["valid"] is True

    assert "ini" in [entry["id"] for entry in facts["files"]]
    assert facts["kpi"]["source"] == "kpi/current/sbc/callStats/global" and len(facts["kpi"]["counters"]) > 3
    assert ";Serial Number: %s" % device.serial in facts["config"]["ini"]
    assert "[SYSTEM Params]" in facts["config"]["ini"]
    assert ' ip-group 0\n  name "Default_IPG"\n' in facts["config"]["cli"]  # a fresh device prints its factory rows


def test_license_key_only_on_request(device, run_play):
    play = run_play([{"name": "facts", FACTS: {"gather_subset": ["license"], "include_license_key": True}}], device)
    facts = facts_of(play.task("facts"))
    assert facts["license"]["key"]
    assert sorted(facts["gathered_subsets"]) == ["license", "status"]


def test_monitor_user_gets_what_it_may_read_and_warnings_for_the_rest(device, run_play):
    play = run_play([{"name": "facts", FACTS: {"gather_subset": "all"}}], device, user="Monitor")
    task = play.task("facts")
    facts = facts_of(task)
    assert sorted(facts["gathered_subsets"]) == ["alarms", "kpi", "status"]
    assert sorted(facts["skipped_subsets"]) == ["config", "files", "license", "tls"]
    warnings = "\n".join(task["result"]["warnings"])
    assert "license" in warnings and "needs the Administrator" not in warnings  # phrased per subset below
    assert "lacks the Administrator privilege level" in facts["skipped_subsets"]["license"]
    assert "Security Administrator" in facts["skipped_subsets"]["tls"]
    assert "Security Administrator" in facts["skipped_subsets"]["config"]


def test_v1_device_reads_performance_monitoring_and_skips_tls_quietly(device_v1, run_play):
    play = run_play([
        {"name": "all", FACTS: {"gather_subset": "all"}},
        {"name": "tls named", FACTS: {"gather_subset": "tls"}},
    ], device_v1)
    facts = facts_of(play.task("all"))
    assert facts["api_version"] == "1.0" and facts["status"]["api_version"] == "1.0"
    assert facts["kpi"]["source"] == "performanceMonitoring" and facts["kpi"]["counters"]
    assert all(isinstance(value, int) for value in facts["kpi"]["counters"].values())
    assert "v1.0" in facts["skipped_subsets"]["tls"]
    assert not play.task("all")["result"].get("warnings")
    named = play.task("tls named")
    assert any("tls" in warning for warning in named["result"]["warnings"])


@pytest.mark.parametrize("subsets, expected", [
    (["!all"], ["status"]),
    (["!config", "!tls", "!kpi"], ["alarms", "files", "license", "status"]),
    (["all", "!license"], ["alarms", "config", "files", "kpi", "status", "tls"]),
    (["alarms"], ["alarms", "status"]),
])
def test_gather_subset_selection(device, run_play, subsets, expected):
    play = run_play([{"name": "facts", FACTS: {"gather_subset": subsets}}], device)
    assert sorted(facts_of(play.task("facts"))["gathered_subsets"]) == expected


def test_unknown_subset_fails_with_the_choices(device, run_play):
    play = run_play([{"name": "facts", FACTS: {"gather_subset": ["status", "alrams"]}}], device)
    task = play.task("facts")
    assert task["status"] == "failed"
    assert "unknown subset 'alrams'" in task["result"]["msg"] and "alarms" in task["result"]["msg"]


def test_connection_options_from_inventory_variables(device, run_play, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(device.certificate_pem())
    play = run_play([{"name": "facts", FACTS: {"gather_subset": "license"}}], device,
                    module_defaults={"port": device.port, "ca_path": str(ca_file)},
                    hostvars={"ansible_host": device.address, "ansible_user": "Operator", "ansible_password": "Operator"})
    facts = facts_of(play.task("facts"))
    assert facts["license"]["serial"] == device.serial
    invocation = play.task("facts")["result"]["invocation"]["module_args"]
    assert invocation["host"] == device.address
    assert invocation["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_task_arguments_win_over_inventory_variables(device, run_play, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(device.certificate_pem())
    play = run_play([{"name": "facts", FACTS: {"gather_subset": "config", "username": "Admin", "password": "Admin"}}], device,
                    module_defaults={"host": device.address, "port": device.port, "ca_path": str(ca_file)},
                    hostvars={"ansible_host": "192.0.2.1", "ansible_user": "Monitor", "ansible_password": "Monitor"})
    assert "config" in facts_of(play.task("facts"))["gathered_subsets"]


def test_every_connection_option_from_mediant_variables(device, run_play, tmp_path):
    """mediant_<option> variables from the inventory, and from extra vars, fill every option; they win
    over ansible_host/ansible_user/ansible_password and over the environment."""
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(device.certificate_pem())
    play = run_play([{"name": "facts", FACTS: {"gather_subset": "license"}}], device, module_defaults={},
                    hostvars={"mediant_host": device.address, "mediant_port": device.port, "mediant_protocol": "https",
                              "mediant_username": "Operator", "mediant_password": "Operator",
                              "mediant_validate_certs": "true", "mediant_ca_path": str(ca_file),
                              "ansible_host": "192.0.2.1", "ansible_user": "Monitor", "ansible_password": "Monitor"},
                    extra_vars={"mediant_timeout": 9},
                    env={"MEDIANT_HOST": "192.0.2.2", "MEDIANT_USERNAME": "Monitor", "MEDIANT_PASSWORD": "Monitor"})
    task = play.task("facts")
    assert facts_of(task)["license"]["serial"] == device.serial  # Operator may read the license, Monitor may not
    invocation = task["result"]["invocation"]["module_args"]
    assert (invocation["host"], invocation["port"], invocation["timeout"]) == (device.address, device.port, 9)
    assert invocation["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_connection_options_from_environment_variables(device, run_play, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(device.certificate_pem())
    env = {"MEDIANT_HOST": device.address, "MEDIANT_PORT": str(device.port), "MEDIANT_USERNAME": "Monitor",
           "MEDIANT_PASSWORD": "Monitor", "MEDIANT_CA_PATH": str(ca_file), "MEDIANT_TIMEOUT": "7",
           "MEDIANT_PROTOCOL": "https", "MEDIANT_VALIDATE_CERTS": "true"}
    play = run_play([{"name": "facts", FACTS: {}}], device, module_defaults={}, env=env)
    facts = facts_of(play.task("facts"))
    assert facts["status"]["serial"] == device.serial
    assert play.task("facts")["result"]["invocation"]["module_args"]["timeout"] == 7


def test_untrusted_certificate_fails_with_advice(device, run_play):
    play = run_play([{"name": "facts", FACTS: {}}], device,
                    module_defaults={"host": device.address, "port": device.port, "username": "Admin", "password": "Admin"})
    task = play.task("facts")
    assert task["status"] == "failed"
    assert "ca_path" in task["result"]["msg"] and "validate_certs" in task["result"]["msg"]


def test_wrong_password_names_the_user_and_never_shows_the_password(device, run_play):
    secret = "Wr0ng-Pa55word-xyz"
    play = run_play([{"name": "facts", FACTS: {}}], device, password=secret, verbosity=3)
    task = play.task("facts")
    assert task["status"] == "failed"
    assert task["result"]["status"] == 401
    assert "check username/password for user 'Admin'" in task["result"]["msg"]
    assert secret not in play.stdout and secret not in play.stderr
    assert secret not in str(task["result"])


def test_action_plugin_writes_a_backup_next_to_the_playbook_by_default(device, run_play, tmp_path):
    play = run_play([{"name": "change", "audiocodes.mediant.mediant_cli": {
        "parents": ["configure voip", "ip-group 1"], "lines": ['name "BACKUP-TEST"'], "backup": True}}], device)
    task = play.task("change")
    assert task["status"] == "changed", task
    path = task["result"]["backup_path"]
    # run_play runs each play from its own directory: <tmp_path>/play1/play.yml
    assert os.path.dirname(path) == str(tmp_path / "play1" / "backup")
    assert re.fullmatch(r"sbc_config\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d\.cli", os.path.basename(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "BACKUP-TEST" not in open(path, encoding="utf-8").read()  # the configuration from before the change
    assert not [key for key in task["result"] if key.startswith("__backup")]


def test_module_defaults_for_one_module_stay_with_that_module(device, run_play):
    """Each module has its own action plugin name: defaults for mediant_facts must not reach mediant_command."""
    facts_defaults = {"audiocodes.mediant.mediant_facts": {"config_formats": ["cli"], "gather_subset": ["config"]}}
    play = run_play([
        {"name": "command", "module_defaults": facts_defaults,
         "audiocodes.mediant.mediant_command": {"commands": ["show system version"]}},
        {"name": "facts", "module_defaults": facts_defaults, FACTS: {}},
    ], device)
    assert play.task("command")["status"] == "ok", play.task("command")
    assert sorted(facts_of(play.task("facts"))["config"]) == ["cli"]


def test_missing_requests_library_fails_with_install_advice(device, run_play, tmp_path):
    blocked = tmp_path / "no-requests"
    (blocked / "requests").mkdir(parents=True)
    (blocked / "requests" / "__init__.py").write_text("raise ImportError('No module named requests (blocked by the test)')\n")
    play = run_play([{"name": "facts", FACTS: {}}], device, env={"PYTHONPATH": str(blocked)})
    task = play.task("facts")
    assert task["status"] == "failed"
    assert task["result"]["msg"].startswith("Failed to import the required Python library (requests)")
    assert "pip install requests" in task["result"]["msg"]


def test_v1_device_with_a_monitor_user_warns_instead_of_failing(device_v1, run_play):
    play = run_play([{"name": "facts", FACTS: {"gather_subset": ["status", "alarms"]}}], device_v1, user="Monitor")
    task = play.task("facts")
    facts = facts_of(task)
    assert facts["api_version"] == "1.0"
    assert facts["gathered_subsets"] == []
    assert sorted(facts["skipped_subsets"]) == ["alarms", "status"]
    assert "Security Administrator" in facts["skipped_subsets"]["status"]
    assert len(task["result"]["warnings"]) == 2


def test_inventory_password_never_shows_in_the_output(fleet, run_play, tmp_path):
    secret = "Inv-S3cret-pw-4711"
    dev = fleet.add_device({"name": "sbc9", "address": "127.0.0.1", "port": 0, "protocol": "https", "reset_seconds": 1,
                            "users": [{"username": "ops", "password": secret, "level": "security_admin"}]})
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(dev.certificate_pem())
    play = run_play([{"name": "facts", FACTS: {"gather_subset": ["license", "config"]}}], dev, verbosity=3,
                    module_defaults={"port": dev.port, "ca_path": str(ca_file)},
                    hostvars={"ansible_host": dev.address, "ansible_user": "ops", "ansible_password": secret})
    facts = facts_of(play.task("facts"))
    assert sorted(facts["gathered_subsets"]) == ["config", "license", "status"]
    assert secret not in play.stdout and secret not in play.stderr
    assert secret not in str(play.task("facts")["result"])


@pytest.mark.parametrize("firmware", ["7.40A.500.010", "7.20A.200.014"])
def test_kpi_counters_are_numbers_whether_the_device_sends_numbers_or_strings(device_on, run_play, firmware):
    """7.40A devices send KPI values as JSON numbers, 7.20A ones as strings: the facts hold numbers,
    under `counters` (not `values`, which Jinja2 resolves to the dict method)."""
    device = device_on(firmware)
    play = run_play([
        {"name": "facts", FACTS: {"gather_subset": "kpi"}},
        {"name": "use", "ansible.builtin.debug": {
            "msg": "{{ (ansible_facts.mediant.kpi.counters.attemptedCallsInTotal - "
                   "ansible_facts.mediant.kpi.counters.establishedCallsInTotal) >= 0 }}"}},
    ], device)
    counters = facts_of(play.task("facts"))["kpi"]["counters"]
    assert "values" not in facts_of(play.task("facts"))["kpi"]
    assert len(counters) >= 20
    assert all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in counters.values()), counters
    assert counters["establishedCallsInTotal"] <= counters["attemptedCallsInTotal"]
    assert play.task("use")["result"]["msg"] is True


def test_status_passes_platform_fields_through_in_snake_case(device, run_play):
    facts = facts_of(run_play([{"name": "facts", FACTS: {}}], device).task("facts"))
    assert facts["status"]["os_type"] == "Linux" and facts["status"]["accelerated_networking"] is False


def test_example_playbook_reports_from_the_facts(device, run_play):
    from pathlib import Path  # pylint: disable=import-outside-toplevel

    import yaml  # pylint: disable=import-outside-toplevel

    playbook = yaml.safe_load((Path(__file__).resolve().parents[2] / "playbooks" / "facts.yml").read_text())
    tasks = playbook[0]["tasks"]
    for task in tasks:  # the play's vars, as tasks run without it
        if "when" in task:
            task["when"] = str(task["when"]).replace("certificate_warning_days", "30")
    play = run_play(tasks, device, hostvars={"mediant_port": device.port})  # as the example inventory gives it
    assert play.rc == 0, play.stdout + play.stderr
    summary = play.task("Summary")["result"]["msg"]
    assert summary[0].startswith("Mediant VE SBC 7.40A.500.010")
    assert re.fullmatch(r"Calls: \d+ in and \d+ out now, \d+ attempted inbound since boot", summary[3]), summary
