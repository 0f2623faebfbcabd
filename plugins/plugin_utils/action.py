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
"""

from __future__ import annotations

import getpass
import os
import time

from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase

# Every connection option can be set per host, group or play as the variable mediant_<option>.
CONNECTION_OPTIONS = ("host", "port", "protocol", "username", "password", "validate_certs", "ca_path", "timeout")
VARIABLE_PREFIX = "mediant_"
BACKUP_KEY = "__backup__"
BACKUP_EXT_KEY = "__backup_ext__"


class MediantActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp  # unused since ansible-core 2.5

        module_args = dict(self._task.args)
        environment = self._module_environment()
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

        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        result.update(self._execute_module(module_name=self._task.action, module_args=module_args,
                                           task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access

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
        return result

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

    def _module_environment(self):
        """The environment variables the module will see: the controller's (the module runs there
        with a local connection) under the task's ``environment`` keyword."""
        environment = {}
        if getattr(self._connection, "_remote_is_local", False) or self._connection.transport == "local":
            environment.update(os.environ)
        task_environment = {}
        self._compute_environment_string(task_environment)
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


def _controller_login():
    """The login a local connection runs as (what Ansible fills into an unset ansible_user)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
