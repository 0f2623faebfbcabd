# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a task runs: the module's main() in the worker process on the controller, a module process
anywhere else; the in-process run gives what the module process would have, and leaves no trace."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import sys

import pytest

from ansible.module_utils import _internal as module_utils_internal
from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common import warnings as module_warnings

from ansible_collections.audiocodes.mediant.plugins.plugin_utils import in_process
from tests.unit.framework.fake_http import Call, FakeHttp
from tests.unit.framework.tasks import PASSWORD, FakeClock, host_vars, run_task

INI = "[SYSTEM Params]\r\nSyslogServerIP = 10.1.1.1\r\n"
NO_OP = {"parameters": {"SyslogServerIP": "10.1.1.1"}}


@pytest.fixture
def device(monkeypatch):
    fake = FakeHttp().install(monkeypatch)
    yield fake
    fake.assert_done()


def run(module, args, **kwargs):
    kwargs.setdefault("clock", FakeClock())
    return run_task(module, args, **kwargs)


def test_a_local_task_runs_the_module_in_the_worker_with_its_secrets_hidden(device):
    device.expect(Call("GET", "files/ini", answer=INI))
    processes = []
    result = run("mediant_ini", NO_OP, module_processes=processes)
    assert processes == [], "no module process on the controller"
    assert result["changed"] is False and not result.get("failed")
    assert result["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert PASSWORD not in json.dumps(result, default=str)


@pytest.mark.parametrize("settings, variables, why", [
    ({"async_val": 30}, {}, "async"),
    ({"transport": "ssh"}, {}, "not a local connection"),
    ({"become": True}, {}, "become"),
    ({}, {"mediant_import_modules": False}, "the user asked for a module process"),
    ({}, {"ansible_python_interpreter": "/opt/other/bin/python3"}, "another Python"),
])
def test_a_module_process_runs_wherever_the_worker_is_not_the_module_process(device, settings, variables, why):
    device.expect(Call("GET", "files/ini", answer=INI))
    processes = []
    result = run("mediant_ini", NO_OP, module_processes=processes, task_vars=host_vars(**variables), **settings)
    assert len(processes) == 1, why
    assert processes[0]["wrap_async"] is bool(settings.get("async_val")), "async is wrapped as before"
    assert result["changed"] is False and not result.get("failed")


def test_the_controllers_own_python_named_as_interpreter_still_runs_in_the_worker(device):
    device.expect(Call("GET", "files/ini", answer=INI))
    processes = []
    run("mediant_ini", NO_OP, module_processes=processes, task_vars=host_vars(ansible_python_interpreter=sys.executable))
    assert processes == []


def test_check_mode_reaches_the_module_and_nothing_is_sent(device):
    device.expect(Call("GET", "files/ini", answer=INI))
    result = run("mediant_ini", {"parameters": {"SyslogServerIP": "10.1.1.20"}}, check_mode=True, diff=True)
    assert result["changed"] is True and not result.get("failed")
    assert "10.1.1.20" in result["diff"]["after"]


def test_argument_spec_errors_read_as_from_the_module_process(device):
    result = run("mediant_ini", dict(NO_OP, bogus=1))
    assert result["failed"] is True
    assert result["msg"] == "Unsupported parameters for (audiocodes.mediant.mediant_ini) module: bogus. Supported parameters include: " \
        + result["msg"].split("Supported parameters include: ")[1]
    assert device is not None  # nothing was sent: assert_done() checks no call was expected


def test_the_task_environment_reaches_the_module_and_is_restored(device, monkeypatch):
    monkeypatch.delenv("MEDIANT_PASSWORD", raising=False)
    device.expect(Call("GET", "files/ini", answer=INI))
    connection = {"host": "sbc.example.com", "username": "Admin"}
    result = run("mediant_ini", NO_OP, task_vars=host_vars(connection), environment=[{"MEDIANT_PASSWORD": PASSWORD}])
    assert not result.get("failed"), result.get("msg")
    assert "MEDIANT_PASSWORD" not in os.environ


def _module_that(action):
    def main():
        module = AnsibleModule(argument_spec={"secret": {"type": "str", "no_log": True}, "mode": {"type": "str"}},
                               supports_check_mode=True)
        action(module)
    return main


def test_run_main_prints_the_result_as_the_module_process_would_and_restores_every_global(tmp_path):
    before = (basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE, module_utils_internal.is_controller,  # pylint: disable=protected-access
              dict(module_warnings._global_warnings), os.getcwd(), dict(os.environ))  # pylint: disable=protected-access

    def succeed(module):
        module.warn("careful")
        module.deprecate("old option", version="9.0.0", collection_name="audiocodes.mediant")
        module.exit_json(changed=module.check_mode, echoed=module.params["secret"], tmp=module.tmpdir)

    output = in_process.run_main(_module_that(succeed), {"secret": "hush-hush", "_ansible_check_mode": True,
                                                         "_ansible_remote_tmp": str(tmp_path)}, {"EXTRA": "1"})
    result = json.loads(output.stdout)
    assert output.rc == 0 and result["changed"] is True
    assert "hush-hush" not in output.stdout, "no_log values are masked in everything the module returns"
    assert [warning["event"]["msg"] for warning in result["warnings"]] == ["careful"]
    assert [item["event"]["msg"] for item in result["deprecations"]] == ["old option"]
    assert not os.path.exists(result["tmp"]), "the module's tmpdir is removed (a worker runs no atexit)"
    atexit.unregister(shutil.rmtree)  # AnsibleModule's own removal at exit, which pytest would run
    after = (basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE, module_utils_internal.is_controller,  # pylint: disable=protected-access
             dict(module_warnings._global_warnings), os.getcwd(), dict(os.environ))  # pylint: disable=protected-access
    assert after == before


def test_run_main_reports_fail_json_and_an_unexpected_exception_as_failures():
    output = in_process.run_main(_module_that(lambda module: module.fail_json(msg="no such row")), {})
    assert output.rc == 1 and json.loads(output.stdout)["msg"] == "no such row"

    def crash(module):
        raise ValueError("a bug in the module")

    output = in_process.run_main(_module_that(crash), {})
    result = json.loads(output.stdout)
    assert output.rc == 1 and result["failed"] is True and "a bug in the module" in json.dumps(result)
