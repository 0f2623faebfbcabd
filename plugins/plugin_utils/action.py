# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin every audiocodes.mediant module routes through: each module has a
``plugins/action/mediant_<name>.py`` that subclasses :class:`MediantActionModule`.

Fills unset connection options the way Ansible users give them (precedence, first wins: task
arguments and module_defaults; the variable ``mediant_<option>``; Ansible's own connection
settings - ``ansible_host``, ``ansible_user``, then ``remote_user``/``-u``, ``ansible_password``,
then ``--ask-pass``; the ``MEDIANT_*`` environment variables, read by the module; for ``host``
the inventory name last), runs the module, and writes a configuration backup the module returned
(``__backup__``) on the controller, returning ``backup_path``. docs/architecture.md explains the
precedence and why each source is read the way it is.

Where the task runs on the controller (a local connection, no become, no async, the controller's
Python), the module's ``main()`` runs in this worker process (plugin_utils/in_process.py) instead
of a module process of its own; anywhere else the module process runs as it always did.
docs/architecture.md ("Where a task runs") gives the rules and why.

The imports here and in each action file (its module, and with it the REST client and
``requests``) happen when ansible-playbook loads the action plugin in its main process, before it
forks the worker of each task: every worker starts with them already imported.
"""

from __future__ import annotations

import getpass
import importlib
import importlib.util
import os
import sys
import time

from ansible import constants as C
from ansible.release import __version__ as ansible_core_version
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.vars.clean import remove_internal_keys

from ansible_collections.audiocodes.mediant.plugins.plugin_utils import in_process

display = Display()

# Every connection option can be set per host, group or play as the variable mediant_<option>.
CONNECTION_OPTIONS = ("host", "port", "protocol", "username", "password", "validate_certs", "ca_path", "timeout")
VARIABLE_PREFIX = "mediant_"
BACKUP_KEY = "__backup__"
BACKUP_EXT_KEY = "__backup_ext__"
MODULES_PACKAGE = "ansible_collections.audiocodes.mediant.plugins.modules"
# false: always start a module process, even where the module could run in the controller.
IMPORT_MODULES_VARIABLE = "mediant_import_modules"
INTERPRETER_DISCOVERY = ("auto", "auto_silent", "auto_legacy", "auto_legacy_silent")


def collection_module(name):
    """The collection's module ``name`` (its Python module, whose ``main()`` the action plugin
    may run in the controller), or None when the controller's Python cannot import it: then the
    module process runs, and reports the problem as it always did."""
    try:
        return importlib.import_module("{0}.{1}".format(MODULES_PACKAGE, name))
    except Exception:  # pylint: disable=broad-exception-caught
        return None


class MediantActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    # The module this action runs (a subclass sets it with collection_module()), and the Python
    # libraries it needs to run in the controller's Python.
    _module = None
    _controller_libraries = ("requests",)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp  # unused since ansible-core 2.5

        task_environment = {}
        self._compute_environment_string(task_environment)
        module_args = self._module_args(task_vars, self._module_environment(task_environment))

        not_here = self._why_not_in_process(task_vars)
        if not_here is None:
            result.update(self._execute_module_in_process(module_args, task_vars, task_environment))
        else:
            display.vvv("{0}: starting a module process: {1}".format(self._task.action, not_here),
                        host=task_vars.get("inventory_hostname"))
            wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
            result.update(self._execute_module(module_name=self._task.action, module_args=module_args,
                                               task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access

        self._save_backup(result, task_vars)
        return result

    def _module_args(self, task_vars, environment):
        """The task's arguments with the unset connection options filled in (precedence: module
        docstring above)."""
        module_args = dict(self._task.args)
        ansible_values = self._ansible_connection_values(task_vars, environment)
        for option in CONNECTION_OPTIONS:
            if module_args.get(option) is not None:
                continue
            value = self._variable_value(task_vars, VARIABLE_PREFIX + option)
            if value is None:
                value = ansible_values.get(option)
            if value is not None:
                module_args[option] = value
        if module_args.get("host") is None and "MEDIANT_HOST" not in environment:
            # No address anywhere: the inventory name is the address, as for any Ansible host.
            module_args["host"] = task_vars.get("inventory_hostname")
        return module_args

    # -- where the module runs ----------------------------------------------------------------
    def _why_not_in_process(self, task_vars):
        """None when the module can run in this process; else why it needs a module process."""
        if not in_process.SUPPORTED:
            return "ansible-core {0} cannot run a module in the controller (2.19 or later can)".format(ansible_core_version)
        if self._module is None:
            return "the controller's Python cannot import the module"
        setting = self._variable_value(task_vars, IMPORT_MODULES_VARIABLE)
        if setting is not None and not boolean(setting, strict=False):
            return "{0} is false".format(IMPORT_MODULES_VARIABLE)
        if self._task.async_val:
            return "the task is async"
        if self._connection.transport != "local":
            return "the task's connection is {0}, not local".format(self._connection.transport)
        if getattr(self._play_context, "become", False):
            return "the task uses become"
        interpreter = self._python_interpreter(task_vars)
        if interpreter is not None and not _is_controller_python(interpreter):
            return "ansible_python_interpreter is {0}, not the controller's Python {1}".format(interpreter, sys.executable)
        missing = [name for name in self._controller_libraries if importlib.util.find_spec(name) is None]
        if missing:
            return "the controller's Python lacks {0}".format(", ".join(missing))
        return None

    def _python_interpreter(self, task_vars):
        """The Python the module process would run with when the user chose one (the variable
        ansible_python_interpreter or the interpreter_python setting); None for discovery."""
        variables = task_vars
        if self._task.delegate_to:
            variables = (task_vars.get("ansible_delegated_vars") or {}).get(self._task.delegate_to) or task_vars
        value = C.config.get_config_value("INTERPRETER_PYTHON", variables=variables)
        value = self._templar.template(value) if isinstance(value, str) else value
        if not value or str(value).strip() in INTERPRETER_DISCOVERY:
            return None
        return str(value).strip()

    def _execute_module_in_process(self, module_args, task_vars, task_environment):
        """What ``_execute_module`` returns, with the module's main() run in this process: the same
        arguments (``_update_module_args``), the module's output parsed by the same code."""
        self._update_module_args(self._task.action, module_args, task_vars)
        display.vvv("{0}: running {1} in the controller's Python {2} (no module process)".format(
            self._task.action, self._module.__file__, sys.executable), host=task_vars.get("inventory_hostname"))
        output = in_process.run_main(self._module.main, module_args, task_environment)
        data = self._parse_returned_data({"rc": output.rc, "stdout": output.stdout, "stderr": output.stderr},
                                         in_process.PROFILE)
        data.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(data)
        for stream in ("stdout", "stderr"):
            if stream in data and stream + "_lines" not in data:
                data[stream + "_lines"] = (data.get(stream) or "").splitlines()
        return data

    # -- backups --------------------------------------------------------------------------------
    def _save_backup(self, result, task_vars):
        """Write the configuration backup a module returned (``__backup__``), as ``backup_path``."""
        if BACKUP_KEY in result:
            backup_text = result.pop(BACKUP_KEY)
            extension = result.pop(BACKUP_EXT_KEY, None) or "cfg"
            if not result.get("failed"):
                try:
                    result["backup_path"] = self._write_backup(backup_text, extension, task_vars)
                except OSError as err:
                    result["failed"] = True
                    result["msg"] = "Could not write the configuration backup on the controller: {0}".format(
                        to_text(err))
        for key in [key for key in result if key.startswith("__backup")]:
            del result[key]

    def _variable_value(self, task_vars, variable):
        """The templated value of a variable of the task (inventory, play vars, set_fact, extra
        vars: no connection plugin sets mediant_* variables, so every source is the user's)."""
        if variable not in task_vars:
            return None
        value = self._templar.template(task_vars[variable])
        return None if value in (None, "") else value

    def _ansible_connection_values(self, task_vars, environment):
        """host, username and password from Ansible's own connection settings (None when unset).

        Ansible fills ``ansible_host`` (with the inventory name, or with delegate_to the delegated
        host's address) and ``ansible_user`` (with the controller's login for a local connection)
        into a task's variables when the user did not set them: those values count as unset.
        ``remote_user``/``-u`` (the task's remote_user) fill username after ``ansible_user``, but
        not over a MEDIANT_USERNAME the module will see unless the password also comes from
        Ansible: AWX passes ``-u root`` to job templates without a Machine credential, and must not
        override credentials injected as MEDIANT_* variables. ``ansible_password`` and the
        ``--ask-pass`` answer (the play context's password) fill password.
        """
        values = {}
        host = self._variable_value(task_vars, "ansible_host")
        injected_hosts = {task_vars.get("inventory_hostname")}
        if self._task.delegate_to:
            delegated = (task_vars.get("ansible_delegated_vars") or {}).get(self._task.delegate_to) or {}
            injected_hosts |= {self._task.delegate_to, to_text(delegated.get("ansible_host") or "")}
        if host is not None and to_text(host) not in injected_hosts:
            values["host"] = host
        password = self._variable_value(task_vars, "ansible_password")
        if password is None and self._play_context.password:
            password = self._play_context.password
        if password is not None:
            values["password"] = password
        user = self._variable_value(task_vars, "ansible_user")
        if user is not None and to_text(user) != _controller_login():
            values["username"] = user
        elif self._task.remote_user and (password is not None or "MEDIANT_USERNAME" not in environment):
            values["username"] = self._task.remote_user
        return values

    def _module_environment(self, task_environment):
        """The environment variables the module will see: the controller's (the module runs there
        with a local connection) under the task's ``environment`` keyword (``task_environment``)."""
        environment = {}
        if getattr(self._connection, "_remote_is_local", False) or self._connection.transport == "local":
            environment.update(os.environ)
        environment.update(task_environment)
        return environment

    def _write_backup(self, text, extension, task_vars):
        options = self._task.args.get("backup_options") or {}
        dir_path = options.get("dir_path")
        if not dir_path:
            dir_path = os.path.join(task_vars.get("playbook_dir") or self._loader.get_basedir(), "backup")
        dir_path = os.path.expanduser(os.path.expandvars(dir_path))
        filename = options.get("filename")
        if not filename:
            timestamp = time.strftime("%Y-%m-%d@%H:%M:%S", time.localtime())
            filename = "{0}_config.{1}.{2}".format(task_vars.get("inventory_hostname", "mediant"), timestamp, extension)
        os.makedirs(dir_path, exist_ok=True)
        dest = os.path.join(dir_path, filename)
        # Configuration files hold password hashes and keys: readable by the owner only.
        descriptor = os.open(to_bytes(dest), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(to_bytes(text, errors="surrogate_or_strict"))
        return dest


def _is_controller_python(interpreter):
    """Is ``interpreter`` the Python running this process (with its libraries)?"""
    path = os.path.normpath(os.path.expanduser(interpreter))
    if path == os.path.normpath(sys.executable):
        return True
    # Another name of the same binary (python3 for python3.11) is the same Python with the same
    # libraries outside a virtual environment, or in the same virtual environment's bin directory:
    # a venv's python links to the system's, whose libraries differ.
    try:
        same_binary = os.path.samefile(path, sys.executable)
    except OSError:
        return False
    same_directory = os.path.dirname(path) == os.path.dirname(os.path.normpath(sys.executable))
    return same_binary and (sys.prefix == sys.base_prefix or same_directory)


def _controller_login():
    """The login a local connection runs as (what Ansible fills into an unset ansible_user)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
