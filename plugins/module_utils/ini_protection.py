# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Changes that could cut the managing play off the device, found before anything is sent.

Pure library: standard library only, no Ansible imports.

Three kinds of configuration keep a device managed (the names are the choices of the modules'
``protect`` option):

* ``management`` - the management interface: every ``InterfaceTable`` row whose
  ``ApplicationTypes`` carries OAMP (0 OAMP, 3 OAMP+Media, 4 OAMP+Control, 6 OAMP+Media+Control):
  removing it, or changing any of its columns but the DNS servers; and the web server's
  parameters the REST API listens by (``HTTPSPort``, ``HTTPport``, ``HTTPSOnly``).
* ``ha`` - the high-availability settings: every parameter and every table whose name starts
  with ``HA`` (``HAPriority``, ``HARemoteAddress``, ``HaNetworkMonitor``, ...).
* ``login_user`` - the ``WebUsers`` row of the user the module logs in as: removing or changing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ansible_collections.audiocodes.mediant.plugins.module_utils.ini import IniDifference, IniDocument

__all__ = ["PROTECT_CHOICES", "protected_changes", "refusal_message"]

PROTECT_CHOICES = ("management", "ha", "login_user")

MANAGEMENT_TABLE = "InterfaceTable"
# ApplicationTypes values that carry OAMP (the device's enumeration; 5 = Media+Control).
OAMP_APPLICATION_TYPES = {"0", "3", "4", "6"}
# Columns of the management interface a change may touch without cutting the session.
MANAGEMENT_FREE_COLUMNS = {"primarydnsserveripaddress", "secondarydnsserveripaddress"}
MANAGEMENT_PARAMETERS = {"httpsport", "httpport", "httpsonly"}
USERS_TABLE = "WebUsers"


def _is_ha(name: str) -> bool:
    return name.casefold().startswith("ha")


def _row_label(table: str, index: int, row: dict | None, column: str | None) -> str:
    name = None
    if row and column:
        name = next((value for key, value in row.items() if key.casefold() == column.casefold()), None)
    return f"{table} row {index}" + (f" ({name})" if name else "")


def _value(row: dict | None, column: str) -> Any:
    for key, value in (row or {}).items():
        if key.casefold() == column.casefold():
            return value
    return None


def _current_row(current: IniDocument, table: str, index: int) -> dict | None:
    found = current.tables.get(table)
    if found is None or index not in found.rows:
        return None
    return dict(found.row(index))


def protected_changes(current: IniDocument, changes: IniDifference, protect: Iterable[str] | None,
                      username: str | None = None) -> dict[str, list[str]]:
    """The changes that touch protected configuration, as ``{category: [reasons]}``.

    ``current`` is the device's :class:`ini.IniDocument`, ``changes`` the :class:`ini.IniDifference`
    to send, ``protect`` the categories (:data:`PROTECT_CHOICES`) to look for and
    ``username`` the user the module logs in as.
    """
    protect = set(protect or ())
    found: dict[str, list[str]] = {}

    def refuse(category: str, reason: str) -> None:
        found.setdefault(category, []).append(reason)

    for change in changes.parameters:
        folded = change.name.casefold()
        if "management" in protect and folded in MANAGEMENT_PARAMETERS:
            refuse("management", f"parameter {change.name} (the web server the REST API listens on) "
                                 f"would change from {change.before!r} to {change.after!r}")
        if "ha" in protect and _is_ha(change.name):
            refuse("ha", f"parameter {change.name} (high availability) would change from "
                         f"{change.before!r} to {change.after!r}")

    for row in changes.rows:
        before = _current_row(current, row.table, row.index)
        verb = {"remove": "would be removed", "update": "would change", "add": "would be added"}[row.action]
        touched = sorted(row.fields) if row.action == "update" else []
        if "management" in protect and row.table.casefold() == MANAGEMENT_TABLE.casefold() and before is not None:
            oamp = str(_value(before, "ApplicationTypes")).strip() in OAMP_APPLICATION_TYPES
            cutting = row.action == "remove" or any(c.casefold() not in MANAGEMENT_FREE_COLUMNS for c in touched)
            if oamp and cutting:
                detail = "" if row.action == "remove" else " ({0})".format(", ".join(touched))
                refuse("management", f"{_row_label(row.table, row.index, before, 'InterfaceName')} {verb}{detail}: "
                                     "it is a management (OAMP) interface")
        if "ha" in protect and _is_ha(row.table):
            refuse("ha", f"{_row_label(row.table, row.index, before, None)} {verb} (high availability)")
        if ("login_user" in protect and username and row.table.casefold() == USERS_TABLE.casefold()
                and before is not None and str(_value(before, "Username")).casefold() == username.casefold()
                and row.action in ("remove", "update")):
            refuse("login_user", f"{_row_label(row.table, row.index, before, 'Username')} {verb}: "
                                 f"it is the user {username!r} this task logs in as")
    return found


def refusal_message(found: dict[str, list[str]]) -> str:
    """The one message for protected changes (``{category: [reasons]}``) of mediant_ini and mediant_cli."""
    reasons = [reason for category in PROTECT_CHOICES for reason in found.get(category, [])]
    return ("Refusing a change that could cut the device off from its management: {0}. Nothing was sent to "
            "the device. To allow it, leave {1} out of protect.".format(
                "; ".join(reasons), " and ".join(category for category in PROTECT_CHOICES if category in found)))
