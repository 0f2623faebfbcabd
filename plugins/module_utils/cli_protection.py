# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CLI changes that could cut the managing play off the device, found before anything is sent.

Pure library: standard library only, no Ansible imports. The CLI counterpart of
ini_protection.py, with the same categories (the ``protect`` option of mediant_ini and
mediant_cli):

* ``management`` - every ``configure network`` > ``interface network-if <n>`` row whose
  ``application-type`` carries OAMP: removing it (``no interface network-if <n>``) or changing
  any of its lines but the DNS servers; and ``configure system`` > ``web`` lines the REST API
  is reached by (``http-port``, ``https-port``, ``secured-web-connection``).
* ``ha`` - every line in, or mode named, ``high-availability ...`` or ``ha ...``.
* ``login_user`` - ``configure system`` > ``user <name>`` of the user the module logs in as:
  removing it or changing any of its lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import tokenize

if TYPE_CHECKING:
    from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import ConfigNode

__all__ = ["protected_cli_changes"]

NETWORK = "configure network"
SYSTEM = "configure system"
MANAGEMENT_FREE_SETTINGS = {"primary-dns", "secondary-dns"}
WEB_SETTINGS = {"http-port", "https-port", "secured-web-connection"}
HA_WORDS = ("high-availability", "ha")


def _words(text: str) -> list[str]:
    """The words of a line without a leading ``no`` (a removal touches what it names)."""
    words = [word.casefold() for word in tokenize(text)]
    return words[1:] if words[:1] == ["no"] else words


def _is_removal(text: str) -> bool:
    return tokenize(text)[:1] == ["no"]


def _setting_name(text: str) -> str:
    words = _words(text)
    return words[0] if words else ""


def _oamp_row(running: ConfigNode | None, row_line: str) -> bool:
    """Does the running configuration's ``interface network-if <n>`` row carry OAMP?"""
    row = running.get([NETWORK, " ".join(_words(row_line))]) if running is not None else None
    if row is None:
        return False
    for child in row.children:
        words = _words(child.text)
        if words[:1] == ["application-type"] and len(words) > 1:
            return "oamp" in words[1]
    return False


def _mode_line(path: list[str], depth: int) -> str:
    return " ".join(_words(path[depth])) if len(path) > depth else ""


def _describe(path: list[str]) -> str:
    return " > ".join(path)


def protected_cli_changes(paths: Iterable[list[str]], running: ConfigNode | None, protect: Iterable[str] | None,
                          username: str | None = None) -> dict[str, list[str]]:
    """The changes that touch protected configuration, as ``{category: [reasons]}``.

    ``paths`` are the lines to send, each as the list of its modes (outermost first) and
    itself (cli_config.ConfigNode.path); ``running`` the device's running configuration tree;
    ``protect`` the categories to look for; ``username`` the user the module logs in as.
    """
    protect = set(protect or ())
    found: dict[str, list[str]] = {}

    def refuse(category: str, reason: str) -> None:
        if reason not in found.setdefault(category, []):
            found[category].append(reason)

    for path in paths:
        top = " ".join(_words(path[0])) if path else ""
        second = _mode_line(path, 1)
        if "management" in protect and top == NETWORK and second.startswith("interface network-if ") \
                and _oamp_row(running, path[1]):
            if _is_removal(path[1]):
                refuse("management", f"{_describe(path[:2])} would be removed: it is a management (OAMP) interface")
            elif len(path) > 2 and _setting_name(path[2]) not in MANAGEMENT_FREE_SETTINGS:
                refuse("management", f"{_describe(path)} would change a management (OAMP) interface")
        if "management" in protect and top == SYSTEM and second == "web" and len(path) > 2 \
                and _setting_name(path[2]) in WEB_SETTINGS:
            refuse("management", f"{_describe(path)} would change the web server the REST API listens on")
        if "ha" in protect and any(_setting_name(line) in HA_WORDS or _setting_name(line).startswith("ha-")
                                   for line in path[1:]):
            refuse("ha", f"{_describe(path)} would change the high-availability settings")
        if "login_user" in protect and username and top == SYSTEM and second.split(" ", 1)[0] == "user":
            named = tokenize(path[1])[-1] if len(tokenize(path[1])) > 1 else ""
            if named.casefold() == username.casefold() and (_is_removal(path[1]) or len(path) > 2):
                verb = "would be removed" if _is_removal(path[1]) else "would change"
                refuse("login_user", f"{_describe(path[:2])} {verb}: it is the user {username!r} this task logs in as")
    return found
