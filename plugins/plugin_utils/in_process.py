# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's ``main()`` in this process exactly as its module process would run it.

The action plugin (plugins/plugin_utils/action.py) calls :func:`run_main` instead of starting a
module process when the task runs on the controller. What the module sees is what Ansible's
module wrapper (AnsiballZ) gives it: the arguments as the same JSON, decoded by AnsibleModule
itself (argument spec, validation, ``no_log``, check/diff mode, verbosity all as usual), the
environment the module process would have, warnings and deprecations collected for the result
(not shown on the controller's display), and an unexpected exception reported the way the
wrapper reports it. What comes back is what the module process would have printed (stdout),
written to stderr and its exit code: the action plugin parses it with ansible-core's own
``_parse_returned_data``, so a result cannot differ from the module process's.

Needs ansible-core 2.19 or later (``AnsibleModule._record_module_result``, the module wrapper's
exception handler); :data:`SUPPORTED` is False on older versions, and the action plugin then
always starts a module process. docs/architecture.md ("Where a task runs") explains the choice.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from collections import namedtuple

from ansible.module_utils import _internal as module_utils_internal
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.json import Direction, get_module_encoder

try:
    from ansible.module_utils._internal._ansiballz._loader import _handle_exception
except ImportError:  # ansible-core < 2.19
    _handle_exception = None

SUPPORTED = _handle_exception is not None and hasattr(basic.AnsibleModule, "_record_module_result")

# The serialization profile of a module without METADATA (none of the collection's declares one):
# the one Ansible encodes the arguments and decodes the result with.
PROFILE = "legacy"

# rc, stdout, stderr: what the module process would have exited with and written.
ModuleOutput = namedtuple("ModuleOutput", ["rc", "stdout", "stderr"])


def run_main(main, module_args, environment=None):
    """Run ``main`` (a module's ``main()``) with ``module_args`` (a dict, the ``_ansible_*`` keys
    included, as ``ActionBase._update_module_args`` fills them) and ``environment`` (variables to
    set while it runs: those the task's ``environment`` keyword gives the module process).

    Returns a :class:`ModuleOutput`. Exceptions that are not ``Exception`` (KeyboardInterrupt)
    propagate, as they would stop a module process.
    """
    encoder = get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)
    json_params = json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder).encode()
    stdout, stderr = io.StringIO(), io.StringIO()
    temporary_dirs = []
    with _as_module_process(json_params, environment or {}, temporary_dirs), \
            contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        rc = _call(main)
    for path in temporary_dirs:  # AnsibleModule.tmpdir relies on atexit, which a worker never runs
        shutil.rmtree(path, ignore_errors=True)
    return ModuleOutput(rc, stdout.getvalue(), stderr.getvalue())


def _call(main):
    """Call ``main`` as the module wrapper does; the exit code."""
    try:
        try:
            main()
            raise RuntimeError("New-style module did not handle its own exit.")
        except Exception as ex:  # pylint: disable=broad-exception-caught
            # Not BaseException: modules exit by SystemExit. As the wrapper does: print the
            # exception as the module's failed result and exit 1.
            _handle_exception(ex, PROFILE)  # pylint: disable=not-callable
    except SystemExit as done:
        return _exit_code(done.code)
    return 1  # not reached: _handle_exception exits


def _exit_code(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("text") prints the text and exits 1
    return 1


@contextlib.contextmanager
def _as_module_process(json_params, environment, temporary_dirs):
    """The process-wide state a module process has, for the time of one run; restored after.

    - AnsibleModule reads its arguments from ``basic._ANSIBLE_ARGS`` (what the wrapper sets).
    - module_utils behave as on a target (``is_controller`` False): warnings and deprecations are
      collected into the result instead of going to the controller's display, and the result is
      encoded with the module's JSON encoder.
    - the environment variables the task's ``environment`` keyword gives the module process.
    - the working directory (AnsibleModule moves away from one it cannot read).
    """
    saved_args = (basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE,  # pylint: disable=protected-access
                  getattr(basic, "_PARSED_MODULE_ARGS", None))
    saved_is_controller = module_utils_internal.is_controller
    saved_warnings = dict(module_warnings._global_warnings)  # pylint: disable=protected-access
    saved_deprecations = dict(module_warnings._global_deprecations)  # pylint: disable=protected-access
    saved_environment = {name: os.environ.get(name) for name in environment}
    saved_cwd = os.getcwd()  # AnsibleModule may chdir when the cwd is unreadable
    record_result = basic.AnsibleModule._record_module_result  # pylint: disable=protected-access

    def record_and_note_tmpdir(module, result):
        if getattr(module, "_tmpdir", None) and not getattr(module, "_keep_remote_files", False):
            temporary_dirs.append(module._tmpdir)  # pylint: disable=protected-access
        record_result(module, result)

    basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE = json_params, PROFILE  # pylint: disable=protected-access
    module_utils_internal.is_controller = False
    module_warnings._global_warnings.clear()  # pylint: disable=protected-access
    module_warnings._global_deprecations.clear()  # pylint: disable=protected-access
    basic.AnsibleModule._record_module_result = record_and_note_tmpdir  # pylint: disable=protected-access
    os.environ.update({name: str(value) for name, value in environment.items()})
    try:
        yield
    finally:
        basic.AnsibleModule._record_module_result = record_result  # pylint: disable=protected-access
        if os.getcwd() != saved_cwd:
            os.chdir(saved_cwd)
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        module_warnings._global_warnings.clear()  # pylint: disable=protected-access
        module_warnings._global_warnings.update(saved_warnings)  # pylint: disable=protected-access
        module_warnings._global_deprecations.clear()  # pylint: disable=protected-access
        module_warnings._global_deprecations.update(saved_deprecations)  # pylint: disable=protected-access
        module_utils_internal.is_controller = saved_is_controller
        basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE = saved_args[:2]  # pylint: disable=protected-access
        if hasattr(basic, "_PARSED_MODULE_ARGS"):
            basic._PARSED_MODULE_ARGS = saved_args[2]  # pylint: disable=protected-access
