# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one task of the collection in-process, the way Ansible would, and return its result.

``run_task("mediant_ini", {...}, check_mode=True, diff=True)`` runs the module's ``main()`` with
those arguments (plus the connection options of :data:`CONNECTION`), as AnsibleModule reads them
from Ansible, and returns the result the module printed (exit_json or fail_json) as a dict, with
``warnings`` as plain text. Nothing reaches the network: the ``device`` fixture's
:class:`~fake_http.FakeHttp` answers every request.

This is the one place that knows *how* a task runs. When the REST work moves into the action
plugin, this function changes (to run the action plugin's ``run()``) and the tests stay as they are.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import json
import time

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings

MODULES = "ansible_collections.audiocodes.mediant.plugins.modules"
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
    if isinstance(item, dict):  # ansible-core 2.19 sends a summary of the warning event
        event = item.get("event") or item
        return event.get("msg") or str(item)
    return str(item)


def run_task(module: str, args: dict, check_mode: bool = False, diff: bool = False, clock: FakeClock | None = None,
             connection: dict | None = None) -> dict:
    """Run ``audiocodes.mediant.<module>`` with ``args``; the result dict (``failed`` is set on failure)."""
    arguments = dict(CONNECTION if connection is None else connection)
    arguments.update(args)
    arguments.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
    main = importlib.import_module("{0}.{1}".format(MODULES, module)).main
    output = io.StringIO()
    _clear_warnings()
    with module_arguments(arguments), (clock or FakeClock()).installed(), contextlib.redirect_stdout(output):
        try:
            main()
        except SystemExit as done:
            code = done.code
        else:
            raise AssertionError("{0}.main() returned without exit_json or fail_json".format(module))
    printed = [line for line in output.getvalue().splitlines() if line.strip()]
    if not printed:
        raise AssertionError("{0} printed no result (exit code {1})".format(module, code))
    result = json.loads(printed[-1])
    if code != 0 and not result.get("failed"):
        raise AssertionError("{0} exited {1} without a failed result: {2}".format(module, code, result))
    result["warnings"] = [_warning_text(item) for item in result.get("warnings", [])]
    result.pop("invocation", None)
    return result
