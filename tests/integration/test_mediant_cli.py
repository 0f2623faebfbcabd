# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_cli against a simulated device: only missing lines are sent, a second run changes
nothing, check mode sends nothing, diffs show the touched blocks, refused commands are named and
leave the device as it was, backups land on the controller, save_when saves."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.integration.device_helpers import config_state, device_file, guard_uploads, guard_still_pending

CLI = "audiocodes.mediant.mediant_cli"
ITSP_GROUP = {"parents": ["configure voip", "ip-group 1"], "lines": ['name "ITSP"', "srd-name DefaultSRD"]}


INCREMENTAL = "files/cliScript/incremental"


def running_cli(device, tmp_path):
    """The running configuration as the device prints it (GET files/cliScript)."""
    return device_file(device, tmp_path, "files/cliScript")


def test_missing_lines_are_sent_once_then_nothing(device, run_play, tmp_path):
    rename = {"parents": ITSP_GROUP["parents"], "lines": ['name "ITSP-2"', "srd-name DefaultSRD"]}
    play = run_play([{"name": "first", CLI: ITSP_GROUP}, {"name": "second", CLI: ITSP_GROUP}, {"name": "rename", CLI: rename}], device)
    first, second, renamed = play.task("first"), play.task("second"), play.task("rename")
    assert first["status"] == "changed", first
    assert [line.strip() for line in first["result"]["commands"]] == [
        "configure voip", "ip-group 1", 'name "ITSP"', "srd-name DefaultSRD", "activate", "exit", "exit"]
    assert first["result"]["updates"] == ["ip-group 1", 'name "ITSP"', "srd-name DefaultSRD"]
    assert second["status"] == "ok" and second["result"]["commands"] == [] and second["result"]["updates"] == []
    # only the line that differs is sent
    assert renamed["status"] == "changed" and renamed["result"]["updates"] == ['name "ITSP-2"']
    assert [line.strip() for line in renamed["result"]["commands"]] == ["configure voip", "ip-group 1", 'name "ITSP-2"', "activate", "exit", "exit"]
    assert ' ip-group 1\n  name "ITSP-2"\n  srd-name "DefaultSRD"\n  activate\n exit\n' in running_cli(device, tmp_path)


def voip_block(text):
    """The `configure voip` block of a running configuration."""
    return "configure voip\n" + text.split("configure voip\n", 1)[1].split("\nexit\n", 1)[0] + "\nexit\n"


def test_check_mode_sends_nothing_and_predicts_the_diff(device, run_play, tmp_path):
    before = config_state(device)
    running = running_cli(device, tmp_path)
    guard_uploads(device, INCREMENTAL)
    play = run_play([{"name": "check", CLI: ITSP_GROUP}], device, check=True, diff=True)
    task = play.task("check")
    assert task["status"] == "changed", task
    assert "ip-group 1" in [line.strip() for line in task["result"]["commands"]]
    diff = task["result"]["diff"]
    assert diff["before"] == voip_block(running)  # the factory rows the block already holds
    assert diff["after"] == diff["before"][:-len("exit\n")] + ' ip-group 1\n  name "ITSP"\n  srd-name DefaultSRD\n  activate\n exit\nexit\n'
    assert guard_still_pending(device, INCREMENTAL)
    assert config_state(device) == before


def test_diff_shows_the_touched_block_before_and_after(device, run_play, tmp_path):
    syslog = {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog on"]}
    play = run_play([{"name": "group", CLI: ITSP_GROUP},
                     {"name": "syslog", CLI: syslog},
                     {"name": "rename", CLI: {"parents": ITSP_GROUP["parents"], "lines": ['name "Carrier"']}}],
                    device, diff=True)
    diff = play.task("rename")["result"]["diff"]
    assert diff["before"].endswith(' ip-group 1\n  name "ITSP"\n  srd-name "DefaultSRD"\n  activate\n exit\nexit\n')
    assert diff["after"] == diff["before"].replace('name "ITSP"', 'name "Carrier"')
    assert diff["after"] == voip_block(running_cli(device, tmp_path))
    assert "syslog" not in diff["before"] + diff["after"]  # only the block the change is in


# As a user copies it from a device (7.2+): the proxy-ip row inside its proxy set, `activate` before it.
COPIED_FROM_DEVICE = """configure voip
 proxy-set 1
  proxy-name "ITSP"
  proxy-enable-keep-alive using-options
  srd-name "DefaultSRD"
  activate
  proxy-ip 0
   proxy-address "sip.itsp.example.com:5061"
   transport-type tls
   activate
  exit
  proxy-ip 1
   proxy-address "sip2.itsp.example.com:5061"
   transport-type tls
   activate
  exit
 exit
exit
"""


def test_nested_rows_copied_from_a_device_are_idempotent(device, run_play, tmp_path):
    proxy_set = {"parents": ["configure voip", "proxy-set 1"],
                 "lines": ['proxy-name "ITSP"', "proxy-enable-keep-alive using-options", 'srd-name "DefaultSRD"']}
    address = {"parents": ["configure voip", "proxy-set 1", "proxy-ip 1"], "lines": ['proxy-address "sip2.itsp.example.com:5061"']}
    play = run_play([{"name": "content", CLI: {"content": COPIED_FROM_DEVICE}},
                     {"name": "again", CLI: {"content": COPIED_FROM_DEVICE, "match": "exact"}},
                     {"name": "set lines", CLI: dict(proxy_set, match="exact")},
                     {"name": "address lines", CLI: dict(address, match="strict")}], device)
    first = play.task("content")
    assert first["status"] == "changed", first
    assert [line.strip() for line in first["result"]["commands"][:6]] == [
        "configure voip", "proxy-set 1", 'proxy-name "ITSP"', "proxy-enable-keep-alive using-options", 'srd-name "DefaultSRD"', "activate"]
    assert [play.task(name)["status"] for name in ("again", "set lines", "address lines")] == ["ok", "ok", "ok"]
    assert COPIED_FROM_DEVICE[len("configure voip\n"):-len("exit\n")] in running_cli(device, tmp_path)  # printed as it was given


def test_flat_proxy_ip_rows_are_still_accepted_and_idempotent(device, run_play, tmp_path):
    flat = {"parents": ["configure voip", "proxy-ip 7"],
            "lines": ['proxy-set-id "0"', "proxy-ip-index 2", 'proxy-address "10.1.1.1"', "transport-type tcp"]}
    play = run_play([{"name": "flat", CLI: flat}, {"name": "again", CLI: flat}], device)
    assert play.task("flat")["status"] == "changed", play.task("flat")
    assert play.task("again")["status"] == "ok", play.task("again")
    assert ' proxy-set 0\n  proxy-name "ProxySet_0"\n  srd-name "DefaultSRD"\n  activate\n  proxy-ip 2\n   proxy-address "10.1.1.1"\n' \
        in running_cli(device, tmp_path)


def test_invalid_command_fails_naming_it_and_leaves_the_device_unchanged(device, run_play):
    play = run_play([{"name": "group", CLI: ITSP_GROUP}], device)
    assert play.task("group")["status"] == "changed"
    before = config_state(device)
    bad = {"parents": ["configure voip", "ip-group 2"], "lines": ['name "Other"', "namex broken"]}
    play = run_play([{"name": "bad", CLI: bad}], device)
    task = play.task("bad")
    assert task["status"] == "failed"
    msg = task["result"]["msg"]
    assert "'namex broken'" in msg and "Invalid command" in msg and "unchanged" in msg, msg
    assert task["result"]["changed"] is False
    assert config_state(device) == before


def test_monitor_user_is_refused_with_the_privilege_it_needs(device, run_play):
    before = config_state(device)
    play = run_play([{"name": "monitor", CLI: ITSP_GROUP}], device, user="Monitor")
    task = play.task("monitor")
    assert task["status"] == "failed"
    # (the user name is masked in the message: its password is the same word)
    assert "HTTP 403" in task["result"]["msg"] and "files/cliScript" in task["result"]["msg"]
    assert "needs the Security Administrator privilege" in task["result"]["msg"]
    assert config_state(device) == before


def test_src_script_is_compared_as_a_tree(device, run_play, tmp_path):
    script = tmp_path / "sbc.cli"
    script.write_text("# wanted state\n"
                      "configure voip\n ip-group 1\n  name \"ITSP\"\n  activate\n exit\nexit\n"
                      "configure troubleshoot\n syslog\n  syslog on\n  syslog-ip 10.1.1.20\n  activate\n exit\nexit\n")
    text = script.read_text()
    play = run_play([{"name": "file", CLI: {"src": str(script)}},
                     {"name": "text", CLI: {"content": text}},
                     {"name": "part", CLI: {"content": "configure troubleshoot\n syslog\n  syslog-ip 10.1.1.21\n exit\nexit\n"}}], device)
    first = play.task("file")
    assert first["status"] == "changed"
    assert first["result"]["updates"] == ["ip-group 1", 'name "ITSP"', "syslog", "syslog on", "syslog-ip 10.1.1.20"]
    assert play.task("text")["status"] == "ok"
    part = play.task("part")
    assert part["status"] == "changed" and part["result"]["updates"] == ["syslog-ip 10.1.1.21"]
    # `syslog` is a mode the device activates: the script says so
    assert [line.strip() for line in part["result"]["commands"]] == [
        "configure troubleshoot", "syslog", "syslog-ip 10.1.1.21", "activate", "exit", "exit"]


def test_bad_options_are_refused(device, run_play):
    play = run_play([{"name": "missing", CLI: {"src": "no-such-file.cli"}, "ignore_errors": True},
                     {"name": "both", CLI: {"lines": ["syslog on"], "src": "x.cli"}, "ignore_errors": True},
                     {"name": "unindented", CLI: {"content": "configure voip\nip-group 1\nname x\nexit\nexit\n"}, "ignore_errors": True}],
                    device)
    assert "no such file 'no-such-file.cli'" in play.task("missing")["result"]["msg"]
    assert "mutually exclusive" in play.task("both")["result"]["msg"]
    assert play.task("unindented")["result"]["msg"] == (
        "content: line 4: 'exit' closes no mode; indent the lines of each mode under the line that opens it")


def test_match_and_replace(device, run_play):
    reordered = {"parents": ITSP_GROUP["parents"], "lines": ["srd-name DefaultSRD", 'name "ITSP"']}
    play = run_play([
        {"name": "create", CLI: ITSP_GROUP},
        {"name": "line", CLI: reordered},
        {"name": "strict", CLI: dict(reordered, match="strict")},
        {"name": "exact subset", CLI: {"parents": ITSP_GROUP["parents"], "lines": ['name "ITSP"'], "match": "exact"}},
        {"name": "none", CLI: dict(ITSP_GROUP, match="none")},
        {"name": "block", CLI: {"parents": ITSP_GROUP["parents"], "lines": ['name "ITSP"', "srd-name Other"], "replace": "block"}},
    ], device)
    assert play.task("line")["status"] == "ok"
    assert play.task("strict")["result"]["updates"] == ["srd-name DefaultSRD", 'name "ITSP"']
    assert play.task("exact subset")["result"]["updates"] == ['name "ITSP"']
    assert play.task("none")["status"] == "changed"
    assert play.task("none")["result"]["updates"] == ['name "ITSP"', "srd-name DefaultSRD"]
    block = play.task("block")
    assert block["status"] == "failed"  # the realm "Other" does not exist: the device refuses the reference
    assert "'srd-name Other'" in block["result"]["msg"]
    assert [line.strip() for line in block["result"]["commands"]][2:4] == ['name "ITSP"', "srd-name Other"]


def test_removing_a_row_is_idempotent(device, run_play, tmp_path):
    remove = {"parents": ["configure voip"], "lines": ["no ip-group 1"]}
    play = run_play([{"name": "create", CLI: ITSP_GROUP}, {"name": "remove", CLI: remove}, {"name": "again", CLI: remove}], device)
    assert play.task("remove")["status"] == "changed"
    assert play.task("again")["status"] == "ok"
    assert "ip-group 1" not in running_cli(device, tmp_path)


def test_default_value_is_sent_with_a_warning(device, run_play):
    default_port = {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog-port-number 514"]}
    play = run_play([{"name": "default", CLI: default_port}], device)
    task = play.task("default")
    assert task["status"] == "changed"
    warnings = task["result"].get("warnings", [])
    assert len(warnings) == 1 and "'configure troubleshoot > syslog > syslog-port-number 514'" in warnings[0], warnings


def test_before_after_only_when_something_is_sent(device, run_play):
    task = {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog on"],
            "before": ["show system uptime"], "after": ["show high-availability status"]}
    play = run_play([{"name": "first", CLI: task}, {"name": "second", CLI: task}], device)
    first = play.task("first")["result"]
    assert first["commands"][0] == "show system uptime" and first["commands"][-1] == "show high-availability status"
    assert "HA Status" in first["output"]
    assert play.task("second")["result"]["commands"] == []


def test_backup_and_save_when_changed(device, run_play, tmp_path):
    backups = tmp_path / "backups"
    original = running_cli(device, tmp_path)
    play = run_play([{"name": "change", CLI: dict(ITSP_GROUP, backup=True, save_when="changed",
                                                  backup_options={"dir_path": str(backups), "filename": "sbc1.cli"})},
                     {"name": "again", CLI: dict(ITSP_GROUP, save_when="changed")}], device)
    change, again = play.task("change")["result"], play.task("again")["result"]
    assert change["backup_path"] == str(backups / "sbc1.cli")
    assert Path(change["backup_path"]).read_text() == original
    assert "__backup__" not in change
    assert change["saved"] is True and again["saved"] is False and play.task("again")["status"] == "ok"
    state = config_state(device)
    assert state["save_needed"] is False and state["saved_config"] == state["running_config"]


def test_save_when_always_saves_without_changes(device, run_play):
    play = run_play([{"name": "group", CLI: ITSP_GROUP}], device)
    assert config_state(device)["save_needed"] is True
    play = run_play([{"name": "save", CLI: dict(ITSP_GROUP, save_when="always")}], device)
    task = play.task("save")
    assert task["result"]["saved"] is True and task["result"]["commands"] == []
    assert config_state(device)["save_needed"] is False


def test_examples_run_as_written(device, run_play):
    source = (Path(__file__).resolve().parents[2] / "plugins" / "modules" / "mediant_cli.py").read_text()
    examples = yaml.safe_load(source.split('EXAMPLES = r"""', 1)[1].split('"""', 1)[0])
    play = run_play(examples, device)
    assert play.rc == 0, play.stdout + play.stderr
    assert [task["status"] for task in play.tasks] == ["changed", "changed", "ok", "changed", "changed", "changed"]


def test_example_playbook_runs_and_is_idempotent(device, run_play):
    playbook = yaml.safe_load((Path(__file__).resolve().parents[2] / "playbooks" / "cli.yml").read_text())
    tasks = playbook[0]["tasks"]
    first = run_play(tasks, device)
    assert first.rc == 0, first.stdout + first.stderr
    assert [task["status"] for task in first.tasks] == ["changed", "changed", "ok"]
    again = run_play(tasks, device)
    assert [task["status"] for task in again.tasks] == ["ok", "ok", "ok"]


def test_v1_api_device(device_v1, run_play):
    play = run_play([{"name": "first", CLI: ITSP_GROUP}, {"name": "second", CLI: ITSP_GROUP}], device_v1)
    assert play.task("first")["status"] == "changed", play.task("first")
    assert play.task("second")["status"] == "ok"
