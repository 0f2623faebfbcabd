# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors every part of the collection may raise and the module layer reports in one place.

Pure: standard library only, no Ansible imports.
"""

from __future__ import annotations

from typing import Any


class TaskError(Exception):
    """The task fails: ``str(err)`` is the whole message for the user; ``result`` holds the keys
    the failed result carries besides ``msg`` (for example ``changed`` when the device did change).

    ``MediantModule.run`` turns it into ``fail_json``, so the device layer and the libraries under
    the modules fail a task without holding the module.
    """

    def __init__(self, msg: str, **result: Any):
        super().__init__(msg)
        self.msg = msg
        self.result = result

    def __str__(self) -> str:
        return self.msg


class InputError(TaskError, ValueError):
    """Input a module refuses: a task option it cannot use as given.

    ``str(err)`` is the whole message for the user (the option, what is wrong, how to fix it);
    ``option`` names the option at fault (None when the problem is a combination of options).
    """

    def __init__(self, msg: str, option: str | None = None, **result: Any):
        super().__init__(msg, **result)
        self.option = option
