# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_ini against a simulated device: only the difference is sent, as one incremental INI;
a second run changes nothing; check mode sends nothing; diffs show the touched lines; refusals
name the reason and leave the device as it was; backups, save_when, table rows and replace."""
from __future__ import annotations

import ast

import yaml

from tests.integration.device_helpers import REPO, config_state, device_file, guard_uploads, guard_still_pending

INI = "audiocodes.mediant.mediant_ini"
SYSLOG = {"parameters": {"EnableSyslog": 1, "SyslogServerIP": "10.1.1.20", "ntpserverip": "pool.ntp.org"}}
ITSP = {"tables": {"ProxySet": [{"ProxyName": "ITSP", "SRDName": "DefaultSRD", "ProxyKeepAliveTime": 60}],
                   "IPGroup": [{"Name": "ITSP", "ProxySetName": "ITSP", "SRDName": "DefaultSRD"}]}}


def device_ini(device, tmp_path):
    """The device's INI file as it serves it (GET files/ini)."""
    return device_file(device, tmp_path, "files/ini")


def read_exactly(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


INCREMENTAL = "files/ini/incremental"


def ini_state(device):
    return config_state(device, "boot_count")


def test_parameters_are_sent_once_then_nothing(device, run_play, tmp_path):
    play = run_play([{"name": "first", INI: SYSLOG}, {"name": "second", INI: SYSLOG}], device)
    first, second = play.task("first"), play.task("second")
    assert first["status"] == "changed", first
    # a parameter the device does not write yet goes as spelled; the device knows it in any case
    assert first["result"]["commands"] == ["EnableSyslog = 1", "SyslogServerIP = 10.1.1.20", "ntpserverip = 'pool.ntp.org'"]
    assert first["result"]["changes"]["parameters"] == [
        {"name": "EnableSyslog", "before": None, "after": "1"},
        {"name": "SyslogServerIP", "before": None, "after": "10.1.1.20"},
        {"name": "ntpserverip", "before": None, "after": "pool.ntp.org"}]
    assert first["result"]["saved"] is False
    assert second["status"] == "ok" and second["result"]["ini"] == "" and second["result"]["commands"] == []
    text = device_ini(device, tmp_path)
    assert "EnableSyslog = 1\r\n" in text and "SyslogServerIP = 10.1.1.20\r\n" in text and "NTPServerIP = 'pool.ntp.org'" in text


def test_values_compare_as_the_device_reads_them(device, run_play):
    same = {"parameters": {"ENABLESYSLOG": "1", "syslogserverip": "'10.1.1.20'", "NTPServerIP": "'pool.ntp.org'"}}
    play = run_play([{"name": "set", INI: SYSLOG}, {"name": "other spelling", INI: same}], device)
    assert play.task("other spelling")["status"] == "ok", play.task("other spelling")


def test_check_mode_sends_nothing_and_predicts_the_diff(device, run_play):
    before = ini_state(device)
    guard_uploads(device, INCREMENTAL)
    play = run_play([{"name": "check", INI: SYSLOG}], device, check=True, diff=True)
    task = play.task("check")
    assert task["status"] == "changed", task
    assert task["result"]["diff"]["before"] == ""
    assert task["result"]["diff"]["after"] == "EnableSyslog = 1\nSyslogServerIP = 10.1.1.20\nntpserverip = 'pool.ntp.org'\n"
    assert guard_still_pending(device, INCREMENTAL)
    assert ini_state(device) == before


def test_diff_shows_only_the_affected_lines(device, run_play):
    play = run_play([{"name": "create", INI: ITSP},
                     {"name": "change", INI: {"parameters": {"EnableSyslog": 1},
                                              "tables": {"ProxySet": [{"ProxyName": "ITSP", "ProxyKeepAliveTime": 30}]}}}],
                    device, diff=True)
    change = play.task("change")["result"]
    assert change["diff"]["before"].startswith("[ ProxySet ]\n\nFORMAT Index = ProxyName, ")
    # the factory row 0 is there; rows given by key go to the first free index
    assert '\nProxySet 1 = "ITSP", ' in change["diff"]["before"] and "IPGroup" not in change["diff"]["before"]
    assert change["diff"]["after"].startswith("EnableSyslog = 1\n\n[ ProxySet ]\n")
    before_row = [line for line in change["diff"]["before"].splitlines() if line.startswith("ProxySet 1")][0]
    after_row = [line for line in change["diff"]["after"].splitlines() if line.startswith("ProxySet 1")][0]
    assert after_row == before_row.replace(", 60, ", ", 30, ")
    assert change["changes"]["rows_updated"] == [{"table": "ProxySet", "index": 1, "action": "update",
                                                  "before": {"ProxyKeepAliveTime": "60"}, "after": {"ProxyKeepAliveTime": "30"}}]


def test_table_rows_added_updated_removed(device, run_play, tmp_path):
    rename = {"tables": {"IPGroup": [{"Index": 1, "ContactUser": "itsp-user"}]}}
    remove = {"tables": {"IPGroup": [{"Name": "ITSP", "state": "absent"}],
                         "ProxySet": [{"ProxyName": "ITSP", "state": "absent"}]}}
    play = run_play([{"name": "add", INI: ITSP}, {"name": "add again", INI: ITSP},
                     {"name": "update", INI: rename}, {"name": "update again", INI: rename},
                     {"name": "remove", INI: remove}, {"name": "remove again", INI: remove}], device)
    add = play.task("add")["result"]
    assert play.task("add")["status"] == "changed", add
    # after the factory rows (ProxySet_0, Default_IPG at index 0)
    assert [(r["table"], r["index"]) for r in add["changes"]["rows_added"]] == [("ProxySet", 1), ("IPGroup", 1)]
    assert 'ProxySet 1 = "ITSP", "DefaultSRD", 60;' in add["commands"]
    assert play.task("add again")["status"] == "ok"
    update = play.task("update")["result"]
    assert update["changes"]["rows_updated"] == [{"table": "IPGroup", "index": 1, "action": "update",
                                                  "before": {"ContactUser": ""}, "after": {"ContactUser": "itsp-user"}}]
    assert play.task("update again")["status"] == "ok"
    removed = play.task("remove")["result"]
    assert [(r["table"], r["index"]) for r in removed["changes"]["rows_removed"]] == [("IPGroup", 1), ("ProxySet", 1)]
    assert "IPGroup 1 = $$DELETE$$;" in removed["commands"]
    assert play.task("remove again")["status"] == "ok"
    text = device_ini(device, tmp_path)
    assert '"ITSP"' not in text and 'IPGroup 0 = 0, "Default_IPG", "ProxySet_0",' in text


def test_content_in_ini_form_is_merged(device, run_play):
    content = ("[SYSTEM Params]\nSyslogServerPort = 5514\n[ ConditionTable ]\nFORMAT Index = Name, Condition;\n"
               "ConditionTable 0 = \"From Teams\", \"header.contact.url.host contains 'pstnhub.microsoft.com'\";\n"
               "[ \\ConditionTable ]\n")
    play = run_play([{"name": "first", INI: {"content": content}}, {"name": "second", INI: {"content": content}}], device)
    assert play.task("first")["status"] == "changed", play.task("first")
    assert play.task("second")["status"] == "ok", play.task("second")
    rows = device.snapshot()["running_config"]
    assert "From Teams" in str(rows) and "pstnhub.microsoft.com" in str(rows)


def test_a_malformed_line_fails_before_anything_is_sent(device, run_play):
    before = ini_state(device)
    guard_uploads(device, INCREMENTAL)
    play = run_play([{"name": "bad", INI: {"content": "EnableSyslog = 1\nthis line is wrong\n"}}], device)
    task = play.task("bad")
    assert task["status"] == "failed"
    assert "content: INI line 2: expected 'Name = value'" in task["result"]["msg"]
    assert "this line is wrong" in task["result"]["msg"] and "Nothing was sent" in task["result"]["msg"]
    assert guard_still_pending(device, INCREMENTAL) and ini_state(device) == before


def test_unknown_parameter_fails_with_the_device_reason_and_changes_nothing(device, run_play):
    before = ini_state(device)
    play = run_play([{"name": "unknown", INI: {"parameters": {"EnableSyslog": 1, "NoSuchParam": 5}}}], device)
    task = play.task("unknown")
    assert task["status"] == "failed"
    msg = task["result"]["msg"]
    assert "rejected the INI file (HTTP 400)" in msg and "NoSuchParam" in msg and "unknown parameter" in msg
    assert "(line 2 of the INI sent: NoSuchParam = 5)" in msg
    assert "configuration is unchanged" in msg and task["result"]["changed"] is False
    assert ini_state(device) == before


def test_invalid_value_fails_with_the_device_reason_and_changes_nothing(device, run_play):
    before = ini_state(device)
    play = run_play([{"name": "invalid", INI: {"parameters": {"EnableSyslog": 1, "SyslogServerPort": 70000}}}], device)
    task = play.task("invalid")
    assert task["status"] == "failed"
    assert "SyslogServerPort" in task["result"]["msg"] and "70000 is out of range" in task["result"]["msg"]
    assert ini_state(device) == before


def test_monitor_user_is_refused_with_the_privilege_it_needs(device, run_play):
    before = ini_state(device)
    play = run_play([{"name": "monitor", INI: SYSLOG}], device, user="Monitor")
    task = play.task("monitor")
    assert task["status"] == "failed"
    # (the user name is masked in the output: it is also the user's password)
    assert "Access denied (HTTP 403) to GET /api/v1/files/ini" in task["result"]["msg"]
    assert "Security Administrator" in task["result"]["msg"]
    assert ini_state(device) == before


def test_ambiguous_and_bad_rows_are_refused(device, run_play):
    routes = {"tables": {"IP2IPRouting": [{"Index": 0, "RouteName": "to ITSP"}, {"Index": 1, "RouteName": "to ITSP"}]}}
    play = run_play([{"name": "state", INI: {"tables": {"ProxySet": [{"ProxyName": "x", "state": "gone"}]}}, "ignore_errors": True},
                     {"name": "index", INI: {"tables": {"ProxySet": [{"Index": "first", "ProxyName": "x"}]}}, "ignore_errors": True},
                     {"name": "two routes", INI: routes},
                     {"name": "ambiguous", INI: {"tables": {"IP2IPRouting": [{"RouteName": "to ITSP", "DestHost": "h"}]}},
                      "ignore_errors": True},
                     {"name": "no key", INI: {"tables": {"IP2IPRouting": [{"DestHost": "h"}]}}, "ignore_errors": True}], device)
    assert "tables.ProxySet[1]: state must be present or absent, got 'gone'" in play.task("state")["result"]["msg"]
    assert "tables.ProxySet[1]: Index must be a number 0 or more, got 'first'" in play.task("index")["result"]["msg"]
    assert play.task("two routes")["status"] == "changed", play.task("two routes")
    assert ("table IP2IPRouting: 2 rows have RouteName = 'to ITSP' (indexes [0, 1]); give Index to say which"
            in play.task("ambiguous")["result"]["msg"])
    assert ("table IP2IPRouting: a row without Index must give Index or its key column RouteName"
            in play.task("no key")["result"]["msg"])


def test_backup_and_save_when_changed(device, run_play, tmp_path):
    backups = tmp_path / "backups"
    original = device_ini(device, tmp_path)
    play = run_play([{"name": "change", INI: dict(SYSLOG, backup=True, save_when="changed",
                                                  backup_options={"dir_path": str(backups), "filename": "sbc1.ini"})},
                     {"name": "again", INI: dict(SYSLOG, save_when="changed")}], device)
    change, again = play.task("change")["result"], play.task("again")["result"]
    assert change["backup_path"] == str(backups / "sbc1.ini")
    assert read_exactly(change["backup_path"]) == original
    assert "__backup__" not in change and "__backup_ext__" not in change
    assert change["saved"] is True and again["saved"] is False and play.task("again")["status"] == "ok"
    state = ini_state(device)
    assert state["save_needed"] is False and state["saved_config"] == state["running_config"]


def test_save_when_never_and_always(device, run_play):
    play = run_play([{"name": "never", INI: SYSLOG}], device)
    assert play.task("never")["result"]["saved"] is False and ini_state(device)["save_needed"] is True
    play = run_play([{"name": "always", INI: dict(SYSLOG, save_when="always")}], device)
    task = play.task("always")
    assert task["status"] == "changed" and task["result"]["saved"] is True and task["result"]["commands"] == []
    assert ini_state(device)["save_needed"] is False


def test_replace_resets_the_device_and_is_idempotent(device, run_play, tmp_path):
    backups = tmp_path / "backups"
    backup = dict(SYSLOG, backup=True, backup_options={"dir_path": str(backups), "filename": "before.ini"})
    run_play([{"name": "backup", INI: backup}, {"name": "more", INI: ITSP}], device)
    saved_file = backups / "before.ini"
    boots = device.snapshot()["boot_count"]
    # The backup holds the device as it was before both tasks: loading it as a whole undoes them.
    restore = {"src": str(saved_file), "mode": "replace", "wait_timeout": 60}
    play = run_play([{"name": "replace", INI: restore}, {"name": "replace again", INI: restore}], device)
    replace = play.task("replace")
    assert replace["status"] == "changed", replace
    changes = replace["result"]["changes"]
    assert sorted(p["name"] for p in changes["parameters"]) == ["EnableSyslog", "NTPServerIP", "SyslogServerIP"]
    assert all(p["after"] is None for p in changes["parameters"])
    assert replace["result"]["ini"] == read_exactly(saved_file)
    assert play.task("replace again")["status"] == "ok", play.task("replace again")
    assert device.snapshot()["boot_count"] == boots + 1
    text = device_ini(device, tmp_path)
    assert "EnableSyslog" not in text and '"ITSP"' not in text and 'ProxySet 0 = "ProxySet_0",' in text


def test_replace_needs_a_whole_file(device, run_play):
    play = run_play([{"name": "replace", INI: dict(SYSLOG, mode="replace")}], device)
    assert "mode=replace uploads a whole INI file: give it in src or content" in play.task("replace")["result"]["msg"]


def test_documented_examples_run_as_written(device, run_play):
    """EXAMPLES of the module, as written, against the simulator: every task does what it says."""
    source = (REPO / "plugins" / "modules" / "mediant_ini.py").read_text()
    examples = yaml.safe_load(ast.literal_eval(source.split("EXAMPLES = ", 1)[1].split('\n"""', 1)[0] + '\n"""'))
    play = run_play(examples, device)
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["changed", "ok", "changed", "changed", "changed", "changed", "changed"]
    assert play.task("Restore a backed-up INI file (resets the device when it differs)")["result"]["changes"]["parameters"]


def test_example_playbook_runs_and_is_idempotent(device, run_play):
    playbook = yaml.safe_load((REPO / "playbooks" / "ini.yml").read_text())
    tasks = playbook[0]["tasks"]
    play = run_play(tasks, device, extra_vars=playbook[0]["vars"])
    assert play.rc == 0, play.stdout + play.stderr
    again = run_play(tasks, device, extra_vars=playbook[0]["vars"])
    assert [task["status"] for task in again.tasks] == ["ok", "ok", "ok"]


def test_v1_api_device(device_v1, run_play, tmp_path):
    play = run_play([{"name": "first", INI: dict(SYSLOG, **ITSP)}, {"name": "second", INI: dict(SYSLOG, **ITSP)}], device_v1)
    assert play.task("first")["status"] == "changed", play.task("first")
    assert play.task("second")["status"] == "ok", play.task("second")
    assert "SyslogServerIP = 10.1.1.20" in device_ini(device_v1, tmp_path)


def test_fails_when_the_device_does_not_hold_what_it_accepted(device, run_play):
    run_play([{"name": "set", INI: SYSLOG}], device)
    # The device answers 200 to the next upload but applies nothing: the read-back must catch it.
    device.inject_fault(path="files/ini/incremental", method="PUT", status=200, count=1)
    change = {"parameters": {"SyslogServerIP": "10.1.1.30"}, "tables": ITSP["tables"]}
    play = run_play([{"name": "lost", INI: change}], device)
    task = play.task("lost")
    assert task["status"] == "failed"
    assert task["result"]["msg"] == (
        "The device accepted the INI file but does not hold these values afterwards: parameter SyslogServerIP = "
        "'10.1.1.30' (device: '10.1.1.20'); ProxySet row 1 (add); IPGroup row 1 (add)")


def test_a_default_value_is_sent_with_a_warning(device, run_play):
    play = run_play([{"name": "default", INI: {"parameters": {"SyslogServerPort": 514}}}], device)
    task = play.task("default")
    assert task["status"] == "changed"
    assert "does not write them in its INI file (a default value is not written)" in str(task["result"]["warnings"])
    assert "SyslogServerPort" in str(task["result"]["warnings"])
