# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin every audiocodes.mediant module routes through: each module has a
``plugins/action/mediant_<name>.py`` that subclasses :class:`MediantActionModule`.

Fills unset connection options from the host's variables (``mediant_<option>`` for every
connection option, then the inventory's ``ansible_host``, ``ansible_user``, ``ansible_password``),
runs the module, and writes a configuration backup the module returned
(``__backup__``) on the controller, returning ``backup_path``.
"""

from __future__ import annotations

import os
import time

from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase

# Every connection option can be set per host, group or play as the variable mediant_<option>.
CONNECTION_OPTIONS = ("host", "port", "protocol", "username", "password", "validate_certs", "ca_path", "timeout")
VARIABLE_PREFIX = "mediant_"
# Module option -> Ansible connection variable that fills it after mediant_<option>.
INVENTORY_CONNECTION_VARS = (
    ("host", "ansible_host"),
    ("username", "ansible_user"),
    ("password", "ansible_password"),
)
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
        inventory_vars = dict(INVENTORY_CONNECTION_VARS)
        for option in CONNECTION_OPTIONS:
            if module_args.get(option) is not None:
                continue
            value = self._variable_value(task_vars, VARIABLE_PREFIX + option)
            if value is None and option in inventory_vars:
                value = self._inventory_value(task_vars, inventory_vars[option])
            if value is not None:
                module_args[option] = value

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

    def _inventory_value(self, task_vars, variable):
        """The templated value of a variable the inventory sets for this host, else None.

        Read from hostvars, not from task_vars: the connection plugin puts defaults into task_vars
        (``ansible_host`` = the inventory name, ``ansible_user`` = the local user) that would
        shadow the MEDIANT_* environment variables.
        """
        host_vars = task_vars.get("hostvars", {}).get(task_vars.get("inventory_hostname"), {})
        if variable not in host_vars:
            return None
        value = self._templar.template(host_vars[variable])
        return None if value in (None, "") else value

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
