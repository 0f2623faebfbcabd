# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors every part of the collection may raise and the module layer reports in one place.

Pure: standard library only, no Ansible imports.
"""

from __future__ import annotations


class InputError(ValueError):
    """Input a module refuses: a task option it cannot use as given.

    ``str(err)`` is the whole message for the user (the option, what is wrong, how to fix it);
    ``option`` names the option at fault (None when the problem is a combination of options).
    ``MediantModule.run`` turns it into ``fail_json``.
    """

    def __init__(self, msg: str, option: str | None = None):
        super().__init__(msg)
        self.msg = msg
        self.option = option

    def __str__(self) -> str:
        return self.msg
