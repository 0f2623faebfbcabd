# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one check of the text a task gives before any of it reaches the device's INI or CLI.

Every option whose text becomes part of an INI file or a CLI script the collection sends (INI
parameter names and values, list items, table and column names, table cells, row indexes and
key columns; CLI lines, parents, before/after commands, show commands; license keys and
certificate subjects) goes through one of these functions before the module sends anything.
Each raises :class:`InputError` naming the option (``parameters.SyslogServerPort``,
``tables.IPGroup[2].Name``, ``lines[1]``; list positions count from 0, as in Jinja), the
offending character (as ``repr`` and ``U+XXXX``) and the fix. Whole files (``src``/``content``)
are the user's on purpose and may hold many lines, but no control character a device would
misread. The rules and why: docs/input-safety.md.

Pure: the standard library and the collection's pure libraries, no Ansible imports.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ansible_collections.audiocodes.mediant.plugins.module_utils import cli_config, ini
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import NoReturn

NOTHING_SENT = "Nothing was sent to the device."

# One-line text (a name, a value, a cell, a CLI line): no control character at all. The pure
# libraries refuse what would break their syntax (line breaks, controls but TAB); here a TAB is
# refused too: no device value holds one, a pasted one is a mistake.
ONE_LINE_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A whole INI file or CLI script: TAB, CR and LF are its own. The other line breaks (VT, FF, FS,
# GS, RS, NEL, U+2028, U+2029) split lines for Python's parsers but maybe not for the device, and
# the other control characters (NUL, ESC, ...) are no part of configuration text.
FILE_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# unicodedata has no names for control characters.
CONTROL_NAMES = {
    "\x00": "NUL", "\t": "TAB", "\n": "LINE FEED", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE",
}
ROW_STATES = ("present", "absent")


def describe(char: str) -> str:
    """``'\\n' (U+000A LINE FEED)``: a character as every message of the collection names it."""
    name = CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return "{0!r} (U+{1:04X}{2})".format(char, ord(char), " " + name if name else "")


def _refuse(option: str, problem: str, fix: str) -> NoReturn:
    raise InputError("{0}: {1}. {2}. {3}".format(option, problem, fix, NOTHING_SENT), option=option)


def _why(char: str, where: str) -> str:
    if char in LINE_BREAKS:
        return "a line break: it would end the {0} there and start another".format(where)
    return "a control character, which no device setting holds"


def check_one_line(option: str, text: Any, what: str = "the value", where: str = "line") -> None:
    """Refuse a line break or any other control character in one-line text (``where`` is what
    a line break would end: "INI line", "CLI command")."""
    if not isinstance(text, str):
        return
    found = ONE_LINE_UNSAFE.search(text)
    if found:
        # The text itself is not repeated: a value may be a password.
        _refuse(option, "{0} holds {1} at character {2}, {3}".format(
            what, describe(found.group(0)), found.start() + 1, _why(found.group(0), where)),
            "Give it on one line, without control characters")


# -- INI ----------------------------------------------------------------------------------------

def _check_ini_name(option: str, name: Any, kind: str, pattern: re.Pattern[str], example: str) -> None:
    if not isinstance(name, str):
        _refuse(option, "the {0} name {1!r} is not text".format(kind, name),
                "Write the {0} name as the device's INI file spells it, for example {1}".format(kind, example))
    check_one_line(option, name, "the {0} name {1!r}".format(kind, name), "INI line")
    problem = ini.name_problem(name, pattern)
    if problem:
        _refuse(option, "the {0} name {1!r} {2}".format(kind, name, problem),
                "Write the {0} name as the device's INI file spells it, for example {1}".format(kind, example))


def _check_ini_value(option: str, value: Any, allow_list: bool) -> None:
    if value is None or isinstance(value, (bool, int, float)):
        return
    if isinstance(value, str):
        check_one_line(option, value, where="INI line")
        return
    if allow_list and isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            _check_ini_value("{0}[{1}]".format(option, position), item, allow_list=False)
        return
    kinds = "a string, a number or a boolean" + (", or a list of those" if allow_list else "")
    _refuse(option, "a value is {0}, got a {1}".format(kinds, type(value).__name__),
            "Give one value" if not allow_list else "Give a value or a list of values")


def check_ini_parameters(parameters: Mapping[str, Any] | None) -> None:
    """``parameters`` of mediant_ini: names of INI parameters, values (and list items) on one line."""
    for name, value in (parameters or {}).items():
        _check_ini_name("parameters", name, "parameter", ini.PARAMETER_NAME, "SyslogServerIP")
        _check_ini_value("parameters.{0}".format(name), value, allow_list=True)


def _check_row_index(option: str, index: Any) -> None:
    if isinstance(index, bool) or not re.fullmatch(r"\d+", str(index).strip()):
        _refuse(option, "Index must be a number 0 or more, got {0!r}".format(index),
                "Give the row's index in the table, or leave Index out to match the row by its key column")


def check_ini_tables(tables: Mapping[str, Any] | None, keys: Mapping[str, Any] | None = None) -> None:
    """``tables`` and ``keys`` of mediant_ini: table and column names, cells on one line, Index, state."""
    for table, rows in (tables or {}).items():
        _check_ini_name("tables", table, "table", ini.TABLE_NAME, "IPGroup")
        if not isinstance(rows, list):
            _refuse("tables.{0}".format(table), "give a list of rows, got a {0}".format(type(rows).__name__),
                    "Each row is a dictionary of column: value")
        for number, row in enumerate(rows):
            option = "tables.{0}[{1}]".format(table, number)
            if not isinstance(row, dict):
                _refuse(option, "a row is a dictionary of column: value, got a {0}".format(type(row).__name__),
                        "Give the row as column: value pairs")
            for column, value in row.items():
                if column == "state":
                    if value not in ROW_STATES:
                        _refuse(option, "state must be present or absent, got {0!r}".format(value),
                                "Use state: absent to remove the row")
                    continue
                _check_ini_name(option, column, "column", ini.TABLE_NAME, "Name")
                if column.lower() == "index":
                    _check_row_index(option, value)
                    continue
                _check_ini_value("{0}.{1}".format(option, column), value, allow_list=False)
    for table, column in (keys or {}).items():
        _check_ini_name("keys", table, "table", ini.TABLE_NAME, "IP2IPRouting")
        _check_ini_name("keys.{0}".format(table), column, "column", ini.TABLE_NAME, "RouteName")


def check_ini_column_defaults(column_defaults: Mapping[str, Any] | None) -> None:
    """``column_defaults`` of mediant_ini: table and column names, and each default as a table cell."""
    for table, columns in (column_defaults or {}).items():
        _check_ini_name("column_defaults", table, "table", ini.TABLE_NAME, "IPGroup")
        if not isinstance(columns, dict):
            _refuse("column_defaults.{0}".format(table), "give a dictionary of column: default value, got a {0}".format(
                type(columns).__name__), "Give the defaults as column: value pairs")
        for column, value in columns.items():
            _check_ini_name("column_defaults.{0}".format(table), column, "column", ini.TABLE_NAME, "Name")
            _check_ini_value("column_defaults.{0}.{1}".format(table, column), value, allow_list=False)


# -- CLI ----------------------------------------------------------------------------------------

def check_cli_line(option: str, line: str) -> None:
    """One CLI command line: no line break or control character, no unterminated quote."""
    check_one_line(option, line, "the line", "CLI command")
    if cli_config.line_problem(line):
        _refuse(option, "the line has an unterminated quoted string",
                'Close the quote; inside quotes write a quote as \\" and a backslash as \\\\')


def check_cli_lines(option: str, lines: Iterable[str] | None) -> None:
    """``lines``, ``before``, ``after``, ``commands``: each item one CLI command line."""
    for position, line in enumerate(lines or []):
        check_cli_line("{0}[{1}]".format(option, position), line)


def check_cli_parents(parents: Iterable[str] | None, option: str = "parents") -> None:
    """``parents``: each a line that enters a mode (not exit/end/activate, not a comment)."""
    for position, parent in enumerate(parents or []):
        where = "{0}[{1}]".format(option, position)
        check_cli_line(where, parent)
        problem = cli_config.parent_problem(parent)
        if problem:
            _refuse(where, "the line {0!r} {1}".format(parent, problem),
                    "List the modes to enter, for example [configure voip, ip-group 1]")


# -- whole files and single words ----------------------------------------------------------------

def check_file_text(option: str, text: str | None) -> None:
    """A whole INI file or CLI script (``src``/``content``): many lines, but no control character
    other than TAB, CR and LF."""
    if text is None:
        return
    found = FILE_UNSAFE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        char = found.group(0)
        kind = ("a line break the device may not read as one (only CR and LF end lines)" if char in LINE_BREAKS
                else "a control character, which no configuration text holds")
        _refuse(option, "line {0} holds {1}, {2}".format(line, describe(char), kind),
                "Save the file as plain text; a binary or corrupted file is not a configuration")


def check_word(option: str, text: Any, what: str) -> None:
    """One word (a license key): no whitespace, no control character."""
    if not isinstance(text, str):
        return
    found = re.search(r"\s|[\x00-\x1f\x7f-\x9f]", text.strip())
    if found:
        _refuse(option, "{0} holds {1}; it is one word".format(what, describe(found.group(0))),
                "Give it without spaces or line breaks, as delivered")
