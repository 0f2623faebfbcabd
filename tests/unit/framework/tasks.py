# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one task of the collection in-process, the way Ansible would, and return its result.

``run_task("mediant_ini", {...}, check_mode=True, diff=True)`` runs the task as Ansible would on
the controller: the module's action plugin ``run()`` with the host's variables (the connection
options as ``mediant_*`` variables, :data:`CONNECTION`); the action plugin runs the module's
``main()`` in this process as it does on a real controller (plugins/plugin_utils/in_process.py),
or, where it would start a module process, :func:`run_module` stands in for that process.
It returns the task's result as a dict, with ``warnings`` as plain text. Nothing reaches the
network: the ``device`` fixture's :class:`~fake_http.FakeHttp` answers every request.

This is the one place that knows *how* a task runs. When the REST work moves from the module
into the action plugin, the tests stay as they are: the action plugin's run() is what they call.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import time
from types import SimpleNamespace

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.utils.display import Display

MODULES = "ansible_collections.audiocodes.mediant.plugins.modules"
ACTIONS = "ansible_collections.audiocodes.mediant.plugins.action"
PASSWORD = "S3cret-never-shown"
CONNECTION = {"host": "sbc.example.com", "username": "Admin", "password": PASSWORD}


class FakeClock:
    """time.monotonic and time.sleep for code that waits: sleeping advances the clock at once."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)

    @contextlib.contextmanager
    def installed(self):
        real = time.monotonic, time.sleep
        time.monotonic, time.sleep = self.monotonic, self.sleep
        try:
            yield self
        finally:
            time.monotonic, time.sleep = real


@contextlib.contextmanager
def module_arguments(args: dict):
    """What AnsibleModule reads as its arguments (ansible-core 2.16 to 2.19)."""
    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
    except ImportError:  # ansible-core < 2.19
        previous = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()  # pylint: disable=protected-access
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous  # pylint: disable=protected-access
        return
    with patch_module_args(args):
        yield


def _clear_warnings():
    for name in ("_global_warnings", "_global_deprecations"):
        store = getattr(ansible_warnings, name, None)
        if store is not None:
            store.clear()


def _warning_text(item):
    if isinstance(item, str):
        return item
    if hasattr(item, "event"):  # 2.19: a WarningSummary, as the action plugin parses a module's result
        return item.event.msg
    if isinstance(item, dict):  # ansible-core 2.19 sends a summary of the warning event
        event = item.get("event") or item
        return event.get("msg") or str(item)
    return str(item)


def run_module(module: str, arguments: dict, check_mode: bool = False, diff: bool = False) -> dict:
    """Run the module ``audiocodes.mediant.<module>``'s ``main()`` in this process with ``arguments``
    (as AnsibleModule reads them from Ansible); the result it printed, ``failed`` set on failure."""
    arguments = dict(arguments, _ansible_check_mode=check_mode, _ansible_diff=diff)
    main = importlib.import_module("{0}.{1}".format(MODULES, module)).main
    output = io.StringIO()
    code = None
    _clear_warnings()
    with module_arguments(arguments), contextlib.redirect_stdout(output):
        try:
            main()
        except SystemExit as done:
            code = done.code
    if code is None:
        raise AssertionError("{0}.main() returned without exit_json or fail_json".format(module))
    printed = [line for line in output.getvalue().splitlines() if line.strip()]
    if not printed:
        raise AssertionError("{0} printed no result (exit code {1})".format(module, code))
    result = json.loads(printed[-1])
    if code != 0 and not result.get("failed"):
        raise AssertionError("{0} exited {1} without a failed result: {2}".format(module, code, result))
    result.pop("invocation", None)
    return result


def host_vars(connection: dict | None = None, **more) -> dict:
    """The variables of a task on one inventory host whose connection options are ``mediant_*``."""
    variables = {"mediant_" + option: value for option, value in (CONNECTION if connection is None else connection).items()}
    variables.update(more)
    return variables


def run_task(module: str, args: dict, check_mode: bool = False, diff: bool = False, clock: FakeClock | None = None,
             task_vars: dict | None = None, playbook_dir: str | None = None, module_processes: list | None = None,
             **task_settings) -> dict:
    """Run the task ``audiocodes.mediant.<module>: args`` on one host as Ansible would: through the
    module's action plugin, on the controller (``connection: local``), with ``task_vars`` (by
    default :func:`host_vars`: the connection options as ``mediant_*`` variables).

    The action plugin runs the module's main() in this process (its in-process path) or, where it
    would start a module process (``_execute_module``), :func:`run_module` stands in for that
    process; each such start is appended to ``module_processes`` (``{"wrap_async": ...}``).
    ``task_settings`` override the task's keywords (``async_val``, ``no_log``, ``transport``,
    ``become``). Returns the task's result; ``warnings`` are plain texts."""
    variables = dict(host_vars() if task_vars is None else task_vars)
    variables.setdefault("inventory_hostname", "sbc1")
    variables.setdefault("playbook_dir", playbook_dir or os.getcwd())
    variables.setdefault("hostvars", {variables["inventory_hostname"]: dict(variables)})
    transport = task_settings.pop("transport", "local")
    become = task_settings.pop("become", False)
    task = SimpleNamespace(args=dict(args), action="audiocodes.mediant." + module, async_val=0, poll=15,
                           check_mode=check_mode, diff=diff, no_log=False, delegate_to=None,
                           environment=[], remote_user=None)
    for name, value in task_settings.items():
        if not hasattr(task, name):
            raise TypeError("run_task: unknown task setting {0}".format(name))
        setattr(task, name, value)
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir=None, env_prefix=lambda **_kw: ""), has_native_async=False,
                                 transport=transport, _load_name=transport, socket_path=None,
                                 _remote_is_local=transport == "local", _options={"remote_tmp": None},
                                 get_option=lambda name: None, become=None)
    play_context = SimpleNamespace(check_mode=check_mode, diff=diff, password=None, remote_user=None,
                                   executable="/bin/sh", become=become)
    loader = DataLoader()
    if playbook_dir:
        loader.set_basedir(playbook_dir)
    action_class = importlib.import_module("{0}.{1}".format(ACTIONS, module)).ActionModule
    action = action_class(task, connection, play_context, loader, Templar(loader=loader, variables=variables), None)

    def execute_module(module_name=None, module_args=None, task_vars=None, wrap_async=False, **_kwargs):
        del task_vars
        assert module_name in (None, task.action), module_name
        if module_processes is not None:
            module_processes.append({"wrap_async": wrap_async})
        return run_module(module, module_args if module_args is not None else task.args, check_mode, diff)

    action._execute_module = execute_module  # pylint: disable=protected-access
    displayed = []
    with (clock or FakeClock()).installed(), displayed_warnings(displayed):
        result = action.run(task_vars=variables)
    result["warnings"] = [_warning_text(item) for item in result.get("warnings", [])] + displayed
    return result


@contextlib.contextmanager
def displayed_warnings(into: list):
    """Collect the warnings shown on the controller's display (where ansible-core 2.19 sends a
    module's warnings when the module runs in the controller's process)."""
    real = Display.warning

    def warning(display, msg, *args, **kwargs):
        del display, args, kwargs
        into.append(msg)

    Display.warning = warning
    try:
        yield into
    finally:
        Display.warning = real
