"""INI file syntax as AudioCodes devices write and read it, independent of the catalogue.

Lines: ``[SYSTEM Params]`` sections, ``Name = value`` parameters (strings single-quoted),
``[ Table ]`` ... ``[ \\Table ]`` table blocks with a ``FORMAT Index = Col, ...;`` line (or the
7.0 dialect ``FORMAT Table_Index = Table_Col, ...;``) and rows ``Table N = v1, "v2", , v4;``.
Comments start with ``;``. In quoted strings a backslash is an ordinary character (devices write
``"User\\audiocodes"``) and the quote character is written twice (``'it''s'``), the
convention plugins/module_utils/ini.py shares. In a row, the unquoted field ``$$`` means "the
column's default" and a row whose only field is ``$$DELETE$$`` deletes the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DELETE_MARKER = "$$DELETE$$"
DEFAULT_MARKER = "$$"

_BRACKET = re.compile(r"^\[\s*(\\?)\s*([^\]]*?)\s*\]$")
_ROW = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+(-?\d+)\s*=(.*)$")
_FORMAT = re.compile(r"^FORMAT\s+([A-Za-z0-9_]+)\s*=(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$")


class IniSyntaxError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(f"Line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class Field:
    text: str
    quoted: bool

    @property
    def empty(self) -> bool:
        return not self.quoted and self.text == ""


@dataclass
class ParamLine:
    line: int
    name: str
    fields: list  # one Field for a plain value; several for a list value


@dataclass
class TableRow:
    line: int
    table: str
    index: int
    columns: list  # column names from the table's FORMAT line (prefix removed)
    fields: list = field(default_factory=list)  # empty list means: delete the row
    delete: bool = False


@dataclass
class TableBlock:
    line: int
    table: str
    rows: list = field(default_factory=list)


def split_fields(text: str, line: int) -> list:
    """Split ``v1, "v,2", , v4`` (optionally ended by ``;``) into Fields."""
    fields = []
    position = 0
    length = len(text)
    while True:
        while position < length and text[position] in " \t":
            position += 1
        if position < length and text[position] in "'\"":
            opener = text[position]
            value, position = _read_quoted(text, position + 1, opener, line)
            fields.append(Field(value, True))
            while position < length and text[position] in " \t":
                position += 1
        else:
            start = position
            while position < length and text[position] not in ",;":
                position += 1
            fields.append(Field(text[start:position].strip(), False))
        if position >= length:
            break
        if text[position] == ";":
            if text[position + 1:].strip():
                raise IniSyntaxError(line, f"unexpected text after ';': {text[position + 1:].strip()!r}")
            break
        if text[position] != ",":
            raise IniSyntaxError(line, f"expected ',' after a quoted value, found {text[position]!r}")
        position += 1
    return fields


def _read_quoted(text: str, position: int, opener: str, line: int):
    chars = []
    while position < len(text):
        char = text[position]
        if char == opener:
            if position + 1 < len(text) and text[position + 1] == opener:
                chars.append(opener)  # a doubled quote is one quote character
                position += 2
                continue
            return "".join(chars), position + 1
        chars.append(char)
        position += 1
    raise IniSyntaxError(line, "unterminated quoted string")


def quote(value: str, opener: str = '"') -> str:
    """Quote a string so that ``_read_quoted`` gives it back: the quote character doubled."""
    return opener + value.replace(opener, opener + opener) + opener


def _strip_prefix(name: str, table: str) -> str:
    prefix = table.lower() + "_"
    return name[len(prefix):] if name.lower().startswith(prefix) else name


def parse(text: str) -> list:
    """Parse INI text into ParamLine and TableBlock items, in file order."""
    items = []
    block = None
    columns = None
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        bracket = _BRACKET.match(line)
        if bracket:
            closing, name = bracket.group(1), bracket.group(2)
            if closing:
                if block is None or block.table.lower() != name.lower():
                    raise IniSyntaxError(number, f"'[ \\{name} ]' closes a table that is not open")
                block = None
            elif name.lower().endswith("params"):
                if block is not None:
                    raise IniSyntaxError(number, f"section [{name}] inside table '{block.table}' (missing '[ \\{block.table} ]')")
            else:
                if block is not None:
                    raise IniSyntaxError(number, f"table '{name}' opened inside table '{block.table}' (missing '[ \\{block.table} ]')")
                block = TableBlock(number, name)
                columns = None
                items.append(block)
            continue
        if block is not None:
            form = _FORMAT.match(line)
            if form:
                fields = split_fields(form.group(2), number)
                columns = [_strip_prefix(f.text, block.table) for f in fields if f.text]
                if not columns:
                    raise IniSyntaxError(number, f"FORMAT line of table '{block.table}' names no columns")
                continue
            row = _ROW.match(line)
            if not row:
                raise IniSyntaxError(number, f"cannot read line in table '{block.table}': {line!r}")
            if row.group(1).lower() != block.table.lower():
                raise IniSyntaxError(number, f"row of table '{row.group(1)}' inside table '{block.table}'")
            body = row.group(3).strip()
            if body.rstrip(";").strip() == DELETE_MARKER:
                block.rows.append(TableRow(number, block.table, int(row.group(2)), columns or [], delete=True))
                continue
            if columns is None:
                raise IniSyntaxError(number, f"row of table '{block.table}' before its FORMAT line")
            block.rows.append(TableRow(number, block.table, int(row.group(2)), columns, split_fields(body, number)))
            continue
        param = _PARAM.match(line)
        if not param:
            if _ROW.match(line):
                raise IniSyntaxError(number, f"table row outside a table block: {line!r}")
            raise IniSyntaxError(number, f"cannot read line: {line!r}")
        value = param.group(2).strip()
        if value[:1] in ("'", '"'):
            fields = split_fields(value, number)
        else:
            fields = [Field(value, False)]
        items.append(ParamLine(number, param.group(1), fields))
    if block is not None:
        raise IniSyntaxError(block.line, f"table '{block.table}' is not closed (missing '[ \\{block.table} ]')")
    return items
