# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse, serialize and compare AudioCodes device INI files.

Pure library: standard library only, no Ansible imports, usable on its own.

The format, as devices write it (see the real files in ``tests/unit/fixtures/ini-corpus``)::

    ;** Ini File **                       header comments
    [SYSTEM Params]                       a parameter section (sections are optional)
    NTPServerIP = 'pool.ntp.org'          a parameter; names are case-insensitive
    ActivityListToLog = 'pvc', 'dr'       a list of quoted items
    ;LDAPSERVERPORT is hidden but has non-default value    a hidden parameter: a comment
    [ IPGroup ]                           a table block ...
    FORMAT Index = Type, Name;            ... its columns (7.2+ dialect)
    FORMAT IPGroup_Index = IPGroup_Type, IPGroup_Name;     (7.0 dialect, same model)
    IPGroup 0 = 0, "Default_IPG";         a row: index, then one field per column
    [ \\IPGroup ]                          ... closed

Quoting (documented choice; the corpus fixes the first rule, the second is ours):

* A backslash is an ordinary character: devices write ``"User\\audiocodes"`` as is, so
  nothing is escaped with a backslash.
* A quote character inside a quoted string is written twice (``'it''s'``, and the same with double quotes),
  the convention of CSV; a string holding commas, semicolons or the other quote character
  needs no escaping at all.

Model: an :class:`IniDocument` holds header comments, parameter sections (parameters and
comments in order) and tables (columns plus rows by index, gaps allowed). Values are kept as
:class:`Field` (text plus the quote character it was written with) so that a file
serializes back the way the device wrote it; comparisons go through :func:`canonical`, under
which names differ only by case, ``"5"`` equals ``5`` and ``'x'`` equals ``x``.

:func:`difference` compares a current document with a desired state and :func:`render_incremental`
turns the result into the smallest INI that applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field as dataclass_field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    # Types only: the schema is optional data handed in (ini_schema.SCHEMA), never imported here.
    from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_schema import ColumnSpec, Schema

__all__ = [
    "IniError", "Field", "Comment", "Parameter", "Section", "Table", "IniDocument",
    "CaseInsensitiveDict", "DesiredRow", "DesiredState", "ParameterChange", "RowChange",
    "IniDifference", "parse", "serialize", "canonical", "to_fields", "difference", "render_incremental",
    "key_column", "excerpt", "order_tables", "TABLE_STATES", "DIALECT_PREFIXED", "DIALECT_PLAIN",
    "UNWRITABLE", "PARAMETER_NAME", "TABLE_NAME", "character_code", "unwritable_character", "name_problem",
]

# What a table of the desired state says about the device's table (network resource module
# vocabulary): ``merged`` the listed rows have the listed columns, nothing else changes;
# ``replaced`` the listed rows are exactly as given (unlisted columns back to their defaults);
# ``overridden`` the table holds exactly the listed rows, each as in ``replaced``; ``deleted``
# the listed rows (every row, when none is listed) are removed.
TABLE_STATES = ("merged", "replaced", "overridden", "deleted")

DIALECT_PLAIN = "7.2"       # FORMAT Index = Type, Name;
DIALECT_PREFIXED = "7.0"    # FORMAT IPGroup_Index = IPGroup_Type, IPGroup_Name;

# In a table row of an uploaded INI: "the column's default value".
DEFAULT = "$$"

# A table row whose only field is this (unquoted) deletes the row, whatever the FORMAT line
# lists: the simulator's syntax (docs/simulator-config.md); no public source documents a
# device's.
ROW_DELETE_MARKER = "$$DELETE$$"

_NAME = r"[A-Za-z_][\w.\-]*"
_SECTION_RE = re.compile(r"^\[\s*(\\?)\s*([^\]]*?)\s*\]$")
_PARAMETER_RE = re.compile(r"^(" + _NAME + r")\s*=\s*(.*)$")
_FORMAT_RE = re.compile(r"^FORMAT\s+(" + _NAME + r")\s*=\s*(.*)$", re.IGNORECASE)
_ROW_RE = re.compile(r"^(" + _NAME + r")\s+(-?\d+)\s*=\s*(.*)$")
_HIDDEN_RE = re.compile(r"^\s*(" + _NAME + r")\s+is hidden\b", re.IGNORECASE)
_HIDDEN_VALUE_RE = re.compile(r"^\s*(" + _NAME + r")\s*=\s*(.*)$")
_INTEGER_RE = re.compile(r"^[+-]?\d+$")
_IPV4_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_UNQUOTED_UNSAFE = re.compile(r"""[,;"']|^\s|\s$""")
# A user's text the library writes bare (without quotes) only when it is plainly one token: a
# bare "$$" or "$$DELETE$$" would mean "default" or "delete the row" (docs/input-safety.md).
_BARE_TOKEN = re.compile(r"^[A-Za-z0-9_.:+\-]+$")

# What no INI line can carry in a name, value or comment: line breaks (devices and Python end a
# line at CR, LF and the other Unicode line breaks) and the other control characters but TAB.
# INI has no escape for them, so they are refused, never encoded.
UNWRITABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# Names the library writes (docs/input-safety.md): the corpus' names all fit these.
PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")     # tables and their columns


def character_code(char: str) -> str:
    """``'\\n' (U+000A)``: a character as messages name it."""
    return f"{char!r} (U+{ord(char):04X})"


def unwritable_character(text: str) -> str | None:
    """The first character of ``text`` no INI line can carry, or None."""
    found = UNWRITABLE.search(text)
    return found.group(0) if found else None


def name_problem(name: str, pattern: re.Pattern = TABLE_NAME) -> str | None:
    """Why ``name`` cannot be written as an INI name of ``pattern``'s kind, or None when it can."""
    if not name:
        return "is empty"
    if pattern.fullmatch(name):
        return None
    if not pattern.fullmatch(name[0]):
        return f"starts with {character_code(name[0])}; a name starts with an ASCII letter or '_'"
    allowed = "ASCII letters, digits, '_' and '.'" if pattern is PARAMETER_NAME else "ASCII letters, digits and '_'"
    char = next(c for c in name if not pattern.fullmatch("a" + c))
    return f"contains {character_code(char)}; a name holds only {allowed}"


def _checked_name(name: str, kind: str, pattern: re.Pattern = TABLE_NAME) -> str:
    problem = name_problem(name, pattern)
    if problem:
        raise IniError(f"{kind} name {name!r} {problem}")
    return name


def _comment_line(comment: "Comment") -> str:
    char = unwritable_character(comment.text)
    if char:
        raise IniError(f"comment {comment.text!r} holds {character_code(char)}, which no INI line can carry")
    return ";" + comment.text


class IniError(ValueError):
    """A malformed INI file (or a value that cannot be written as INI).

    ``line_number`` (1-based) and ``line`` (its text) say where; ``reason`` says what is wrong.
    """

    def __init__(self, reason: str, line_number: int | None = None, line: str | None = None):
        self.reason = reason
        self.line_number = line_number
        self.line = line
        if line_number is None:
            message = reason
        else:
            message = f"INI line {line_number}: {reason}: {(line or '').strip()}"
        super().__init__(message)


class CaseInsensitiveDict(MutableMapping):
    """An ordered mapping whose string keys match in any case and keep their first spelling."""

    def __init__(self, items: Mapping | None = None):
        self._items: dict[str, tuple[str, Any]] = {}
        if items:
            self.update(items)

    def __setitem__(self, key: str, value: Any) -> None:
        folded = key.casefold()
        spelling = self._items[folded][0] if folded in self._items else key
        self._items[folded] = (spelling, value)

    def __getitem__(self, key: str) -> Any:
        return self._items[key.casefold()][1]

    def __delitem__(self, key: str) -> None:
        del self._items[key.casefold()]

    def __iter__(self) -> Iterator[str]:
        return (spelling for spelling, _value in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        other_folded = {str(key).casefold(): value for key, value in other.items()}
        return {k: v for k, (_s, v) in self._items.items()} == other_folded

    def __repr__(self) -> str:
        return f"CaseInsensitiveDict({dict(self.items())!r})"

    def spelling(self, key: str) -> str:
        """The spelling under which ``key`` was first stored."""
        return self._items[key.casefold()][0]


@dataclass(frozen=True)
class Field:
    """One value as written: its text and the quote character around it ('' when bare)."""

    text: str
    quote: str = ""

    def render(self) -> str:
        char = unwritable_character(self.text)
        if char:
            raise IniError(f"value {self.text!r} holds {character_code(char)}: a line break or control character "
                           "cannot be written in an INI value")
        if self.quote:
            return self.quote + self.text.replace(self.quote, self.quote * 2) + self.quote
        if _UNQUOTED_UNSAFE.search(self.text):
            raise IniError(f"value {self.text!r} cannot be written without quotes")
        return self.text


_DELETION = (Field(ROW_DELETE_MARKER),)


@dataclass(frozen=True)
class Comment:
    """A comment line (text after the ';'). ``hidden`` names the hidden parameter it reports."""

    text: str

    @property
    def hidden(self) -> str | None:
        match = _HIDDEN_RE.match(self.text) or _HIDDEN_VALUE_RE.match(self.text)
        return match.group(1) if match else None


@dataclass
class Parameter:
    name: str
    fields: tuple[Field, ...]

    @property
    def value(self) -> str | list[str]:
        """The text of a one-value parameter; a list of texts for a list parameter."""
        if len(self.fields) == 1:
            return self.fields[0].text
        return [item.text for item in self.fields]

    def render(self) -> str:
        name = _checked_name(self.name, "parameter", PARAMETER_NAME)
        return f"{name} = " + ", ".join(item.render() for item in self.fields)


@dataclass
class Section:
    """A ``[XXX Params]`` section (name None before any section): parameters and comments."""

    name: str | None
    entries: list = dataclass_field(default_factory=list)


@dataclass
class Table:
    """A table: columns (without the ``Table_`` prefix of the 7.0 dialect) and rows by index.

    A row is one field per column, or (in an incremental file) the one-field deletion marker.
    """

    name: str
    columns: list[str] = dataclass_field(default_factory=list)
    rows: dict[int, tuple[Field, ...]] = dataclass_field(default_factory=dict)
    comments: list[Comment] = dataclass_field(default_factory=list)

    def column_position(self, column: str) -> int | None:
        folded = column.casefold()
        for position, name in enumerate(self.columns):
            if name.casefold() == folded:
                return position
        return None

    def is_deletion(self, index: int) -> bool:
        return self.rows[index] == _DELETION

    def row(self, index: int) -> CaseInsensitiveDict:
        """The row as column → text."""
        return CaseInsensitiveDict({col: item.text for col, item in zip(self.columns, self.rows[index])})

    def row_fields(self, index: int) -> CaseInsensitiveDict:
        return CaseInsensitiveDict(dict(zip(self.columns, self.rows[index])))

    def set_row(self, index: int, values: Mapping[str, Any]) -> None:
        """Add or replace a row from column → value (unknown columns are added to the table)."""
        for column in values:
            if self.column_position(column) is None:
                self.columns.append(column)
                self.rows = {i: fields + (Field(""),) for i, fields in self.rows.items()}
        given = CaseInsensitiveDict(values)
        row = []
        for column in self.columns:
            value = given.get(column, "")
            row.append(value if isinstance(value, Field) else _one_field(value, '"'))
        self.rows[index] = tuple(row)


class IniDocument:
    """A parsed INI file: header comments, parameter sections and tables."""

    def __init__(self, dialect: str = DIALECT_PLAIN):
        self.header: list[Comment] = []
        self.sections: list[Section] = []
        self.tables: CaseInsensitiveDict = CaseInsensitiveDict()
        self.dialect = dialect

    # -- parameters -----------------------------------------------------------------------
    @property
    def parameters(self) -> CaseInsensitiveDict:
        """Parameter name → :class:`Parameter`, in file order (a fresh view; edit via set/remove)."""
        found = CaseInsensitiveDict()
        for section in self.sections:
            for entry in section.entries:
                if isinstance(entry, Parameter):
                    found[entry.name] = entry
        return found

    @property
    def hidden_parameters(self) -> list[str]:
        """Names of the parameters the device reported as hidden (comments, not values)."""
        return [entry.hidden for section in self.sections for entry in section.entries
                if isinstance(entry, Comment) and entry.hidden]

    def get(self, name: str, default: Any = None) -> Any:
        parameter = self.parameters.get(name)
        return default if parameter is None else parameter.value

    def set_parameter(self, name: str, value: Any, section: str | None = None) -> Parameter:
        """Set a parameter (kept in place if present, else appended to ``section``)."""
        fields = value if isinstance(value, tuple) and all(isinstance(v, Field) for v in value) else to_fields(value, "'")
        existing = self.parameters.get(name)
        if existing is not None:
            existing.fields = fields
            return existing
        parameter = Parameter(name, fields)
        self._section(section).entries.append(parameter)
        return parameter

    def remove_parameter(self, name: str) -> None:
        for section in self.sections:
            section.entries = [e for e in section.entries
                               if not (isinstance(e, Parameter) and e.name.casefold() == name.casefold())]

    def _section(self, name: str | None) -> Section:
        for section in self.sections:
            if (section.name or "").casefold() == (name or "").casefold():
                return section
        section = Section(name)
        self.sections.append(section)
        return section

    # -- tables ---------------------------------------------------------------------------
    def table(self, name: str, columns: list[str] | None = None) -> Table:
        """The table called ``name``, created (with ``columns``) if absent."""
        if name not in self.tables:
            self.tables[name] = Table(name, list(columns or []))
        return self.tables[name]

    # -- comparison -----------------------------------------------------------------------
    def model(self) -> dict:
        """Everything the file says, as plain data (what round-trip equality compares)."""
        return {
            "header": [c.text for c in self.header],
            "sections": [(s.name, [(e.name, e.fields) if isinstance(e, Parameter) else e.text for e in s.entries])
                         for s in self.sections],
            "tables": [(t.name, list(t.columns), sorted(t.rows.items()), [c.text for c in t.comments])
                       for t in self.tables.values()],
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IniDocument):
            return NotImplemented
        return self.model() == other.model()

    def __repr__(self) -> str:
        return f"IniDocument({len(self.parameters)} parameters, {len(self.tables)} tables)"


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

def _split_fields(text: str, line_number: int, line: str, row: bool) -> tuple[Field, ...]:
    """Split ``a, 'b', "c,d"`` into fields. For a row, a ';' outside quotes ends it."""
    fields: list[Field] = []
    position, length = 0, len(text)
    while True:
        while position < length and text[position] in " \t":
            position += 1
        if position < length and text[position] in "'\"":
            quote = text[position]
            position += 1
            chunks = []
            while True:
                end = text.find(quote, position)
                if end < 0:
                    raise IniError(f"unterminated {quote} string", line_number, line)
                chunks.append(text[position:end])
                if text.startswith(quote * 2, end):
                    chunks.append(quote)
                    position = end + 2
                    continue
                position = end + 1
                break
            fields.append(Field("".join(chunks), quote))
            while position < length and text[position] in " \t":
                position += 1
        else:
            stops = ",;" if row else ","
            end = position
            while end < length and text[end] not in stops:
                if text[end] in "'\"":
                    raise IniError(f"unexpected {text[end]} inside an unquoted value", line_number, line)
                end += 1
            fields.append(Field(text[position:end].strip()))
            position = end
        if position >= length:
            return tuple(fields)
        if text[position] == ",":
            position += 1
            continue
        if row and text[position] == ";":
            if text[position + 1:].strip():
                raise IniError("text after the ';' that ends the row", line_number, line)
            return tuple(fields)
        raise IniError(f"expected ',' after a quoted value, found {text[position]!r}", line_number, line)


def _strip_prefix(name: str, table: str, line_number: int, line: str) -> str:
    prefix = table.casefold() + "_"
    if not name.casefold().startswith(prefix):
        raise IniError(f"column {name!r} lacks the {table}_ prefix its FORMAT line uses", line_number, line)
    return name[len(prefix):]


def _parse_format(table: Table, text: str, line_number: int, line: str, document: IniDocument) -> None:
    match = _FORMAT_RE.match(text)
    if not match:
        raise IniError("malformed FORMAT line", line_number, line)
    index_name, rest = match.group(1), match.group(2).strip()
    if rest.endswith(";"):
        rest = rest[:-1]
    columns = [c.strip() for c in rest.split(",")]
    if not all(re.fullmatch(_NAME, c) for c in columns):
        raise IniError("FORMAT columns must be names separated by commas", line_number, line)
    if index_name.casefold() == "index":
        table.columns = columns
    elif index_name.casefold() == table.name.casefold() + "_index":
        table.columns = [_strip_prefix(c, table.name, line_number, line) for c in columns]
        document.dialect = DIALECT_PREFIXED
    else:
        raise IniError(f"FORMAT must start with Index or {table.name}_Index", line_number, line)
    if len({c.casefold() for c in table.columns}) != len(table.columns):
        raise IniError("a column is named twice", line_number, line)


def parse(text: str) -> IniDocument:
    """Parse INI text (CRLF or LF). Raises :class:`IniError` naming the line at fault."""
    if text.startswith("\ufeff"):
        text = text[1:]
    table_names = {m.group(1).strip().casefold()
                   for m in re.finditer(r"^\[\s*\\\s*([^\]]*?)\s*\]\s*$", text, re.MULTILINE)}
    document = IniDocument()
    section: Section | None = None
    table: Table | None = None
    seen_parameters: set[str] = set()
    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(";"):
            comment = Comment(raw.rstrip()[raw.index(";") + 1:])
            if table is not None:
                table.comments.append(comment)
            elif section is not None:
                section.entries.append(comment)
            else:
                document.header.append(comment)
            continue
        bracket = _SECTION_RE.match(line)
        if bracket:
            closing, name = bracket.group(1), bracket.group(2)
            if not name:
                raise IniError("empty section name", line_number, raw)
            if closing:
                if table is None or table.name.casefold() != name.casefold():
                    raise IniError(f"closes table {name!r}, which is not open", line_number, raw)
                table = None
                continue
            if table is not None:
                raise IniError(f"table {table.name!r} is not closed before this line", line_number, raw)
            if name.casefold() in table_names:
                if name in document.tables:
                    raise IniError(f"table {name!r} appears twice", line_number, raw)
                table = document.table(name)
            else:
                section = document._section(name)  # pylint: disable=protected-access
            continue
        if table is not None:
            if line.upper().startswith("FORMAT"):
                if table.columns:
                    raise IniError("a second FORMAT line in one table", line_number, raw)
                _parse_format(table, line, line_number, raw, document)
                continue
            row = _ROW_RE.match(line)
            if not row:
                raise IniError(f"expected a row of table {table.name!r} ('{table.name} <index> = ...;')", line_number, raw)
            if row.group(1).casefold() != table.name.casefold():
                raise IniError(f"row of {row.group(1)!r} inside table {table.name!r}", line_number, raw)
            if not table.columns:
                raise IniError("row before the table's FORMAT line", line_number, raw)
            index = int(row.group(2))
            if index in table.rows:
                raise IniError(f"row index {index} appears twice", line_number, raw)
            fields = _split_fields(row.group(3), line_number, raw, row=True)
            if len(fields) != len(table.columns) and fields != _DELETION:
                raise IniError(f"row has {len(fields)} values but FORMAT names {len(table.columns)} columns",
                               line_number, raw)
            table.rows[index] = fields
            continue
        if _FORMAT_RE.match(line) or _ROW_RE.match(line):
            raise IniError("table line outside a table (a table starts with '[ Name ]' and ends with '[ \\Name ]')",
                           line_number, raw)
        parameter = _PARAMETER_RE.match(line)
        if not parameter:
            raise IniError("expected 'Name = value', a comment (';'), a [section] or a table row", line_number, raw)
        name = parameter.group(1)
        if name.casefold() in seen_parameters:
            raise IniError(f"parameter {name!r} is set twice", line_number, raw)
        seen_parameters.add(name.casefold())
        if section is None:
            section = document._section(None)  # pylint: disable=protected-access
        section.entries.append(Parameter(name, _split_fields(parameter.group(2), line_number, raw, row=False)))
    if table is not None:
        raise IniError(f"table {table.name!r} is never closed ('[ \\{table.name} ]')")
    return document


# ---------------------------------------------------------------------------------------------
# Serializing
# ---------------------------------------------------------------------------------------------

def _format_line(table: Table, dialect: str) -> str:
    if dialect == DIALECT_PREFIXED:
        return f"FORMAT {table.name}_Index = " + ", ".join(f"{table.name}_{c}" for c in table.columns) + ";"
    return "FORMAT Index = " + ", ".join(table.columns) + ";"


def _table_lines(table: Table, dialect: str, rows: Mapping[int, tuple[Field, ...]] | None = None) -> list[str]:
    lines = [f"[ {table.name} ]", ""]
    _checked_name(table.name, "table")
    for column in table.columns:
        _checked_name(column, f"table {table.name}: column")
    lines += [_comment_line(c) for c in table.comments]
    if table.columns:
        lines.append(_format_line(table, dialect))
    for index, fields in sorted((table.rows if rows is None else rows).items()):
        lines.append(f"{table.name} {index} = " + ", ".join(f.render() for f in fields) + ";")
    lines += ["", f"[ \\{table.name} ]", "", ""]
    return lines


def serialize(document: IniDocument, dialect: str | None = None, newline: str = "\r\n", header: bool = True) -> str:
    """Write a document the way devices do (``dialect`` defaults to the document's own)."""
    dialect = dialect or document.dialect
    lines: list[str] = []
    if header:
        lines += [_comment_line(c) for c in document.header]
        if document.header:
            lines.append("")
    for section in document.sections:
        if section.name is not None:
            lines += [f"[{section.name}]", ""]
        for entry in section.entries:
            lines.append(entry.render() if isinstance(entry, Parameter) else _comment_line(entry))
        lines.append("")
    for table in document.tables.values():
        lines += _table_lines(table, dialect)
    return newline.join(lines) + newline


# ---------------------------------------------------------------------------------------------
# Values and comparison
# ---------------------------------------------------------------------------------------------

def _unwrap(text: str) -> tuple[str, str]:
    """A user-supplied ``'x'`` or ``"x"`` is the string x, quoted."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1], text[0]
    return text, ""


def _one_field(value: Any, quote: str) -> Field:
    """A Python value as a field; strings are quoted with ``quote`` unless numbers or IPv4."""
    if isinstance(value, Field):
        return value
    if isinstance(value, bool):
        return Field("1" if value else "0")
    if isinstance(value, int):
        return Field(str(value))
    if isinstance(value, float) and value.is_integer():
        return Field(str(int(value)))
    if value is None:
        return Field("", quote)
    text, given_quote = _unwrap(str(value))
    if given_quote:
        return Field(text, given_quote)
    if _INTEGER_RE.match(text) or _IPV4_RE.match(text):
        return Field(text)
    return Field(text, quote)


def to_fields(value: Any, quote: str = "'", like: tuple[Field, ...] | None = None) -> tuple[Field, ...]:
    """A Python value (scalar or list) as fields; ``like`` gives the quoting to copy, if known."""
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    fields = tuple(_one_field(item, quote) for item in items)
    if like:
        fields = tuple(_quote_like(item, like[min(i, len(like) - 1)]) for i, item in enumerate(fields))
    return fields


def _quote_like(item: Field, model: Field) -> Field:
    """Quote a new value the way the device wrote the old one (a quoted column stays quoted)."""
    if model.quote and not item.quote:
        return Field(item.text, model.quote)
    if not model.quote and item.quote and _BARE_TOKEN.match(item.text):
        return Field(item.text)
    return item


def _canonical_text(value: Any) -> str:
    if isinstance(value, Field):
        return value.text
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    if isinstance(value, str):
        return _unwrap(value)[0]
    return str(value)


def canonical(value: Any) -> tuple[str, ...]:
    """The form values are compared in: quotes dropped, Python numbers as text, always a tuple.

    ``5``, ``"5"`` and ``"'5'"`` are all ``("5",)``; ``True`` is ``("1",)``; a list gives one
    item per element; a :class:`Parameter` gives its fields. Text is compared as it is:
    ``"05"`` and ``"+5"`` are not ``"5"`` (dial prefixes differ by such characters).
    """
    if isinstance(value, Parameter):
        value = value.fields
    if isinstance(value, (list, tuple)):
        return tuple(_canonical_text(item) for item in value)
    return (_canonical_text(value),)


# ---------------------------------------------------------------------------------------------
# Desired state and diff
# ---------------------------------------------------------------------------------------------

@dataclass
class DesiredRow:
    """A row the user wants: matched by ``index`` if given, else by the ``key`` column."""

    values: Mapping[str, Any]
    index: int | None = None
    key: str | None = None
    state: str = "present"


@dataclass
class DesiredState:
    """Parameters (name → value) and per-table rows wanted, for :func:`difference`.

    ``states`` gives a table's state (:data:`TABLE_STATES`, ``merged`` when absent);
    ``defaults`` gives, per table, column defaults that ``replaced`` needs beyond the schema's.
    """

    parameters: dict = dataclass_field(default_factory=dict)
    tables: dict = dataclass_field(default_factory=dict)
    states: dict = dataclass_field(default_factory=dict)
    defaults: dict = dataclass_field(default_factory=dict)

    @classmethod
    def from_document(cls, document: IniDocument) -> "DesiredState":
        """Everything a document sets; its rows match by index, as the device matches them."""
        state = cls({p.name: p.fields for p in document.parameters.values()})
        for table in document.tables.values():
            rows = state.tables[table.name] = []
            for index in sorted(table.rows):
                if table.is_deletion(index):
                    rows.append(DesiredRow({}, index=index, state="absent"))
                    continue
                # A bare empty field or $$ sets nothing we can compare: "keep" or "default".
                given = {c: f for c, f in table.row_fields(index).items() if f.quote or f.text not in ("", DEFAULT)}
                rows.append(DesiredRow(given, index=index))
        return state


@dataclass
class ParameterChange:
    name: str
    before: Any
    after: Any
    fields: tuple[Field, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "before": self.before, "after": self.after}


@dataclass
class RowChange:
    """A row to add, update (only ``after``'s columns change) or remove."""

    table: str
    index: int
    action: str
    before: dict | None = None
    after: dict | None = None
    fields: dict = dataclass_field(default_factory=dict)
    current: dict = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict:
        result = {"table": self.table, "index": self.index, "action": self.action}
        if self.before is not None:
            result["before"] = self.before
        if self.after is not None:
            result["after"] = self.after
        return result


@dataclass
class IniDifference:
    parameters: list[ParameterChange] = dataclass_field(default_factory=list)
    rows: list[RowChange] = dataclass_field(default_factory=list)
    # (table, index, [columns]): columns a ``replaced`` row does not list and whose default is
    # not known, so they were left as the device holds them.
    unknown_defaults: list = dataclass_field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.parameters or self.rows)

    def as_dict(self) -> dict:
        """The changes as plain data (what a module returns as ``changes``)."""
        return {
            "parameters": [p.as_dict() for p in self.parameters],
            "rows_added": [r.as_dict() for r in self.rows if r.action == "add"],
            "rows_updated": [r.as_dict() for r in self.rows if r.action == "update"],
            "rows_removed": [r.as_dict() for r in self.rows if r.action == "remove"],
        }


def key_column(columns: list[str], requested: str | None = None) -> str | None:
    """The column rows are matched by without an index: ``requested``, else ``Name``, else the
    first column whose name ends in ``Name`` (``ProxyName``, ``InterfaceName``, ...)."""
    if requested:
        return requested
    for column in columns:
        if column.casefold() == "name":
            return column
    for column in columns:
        if column.casefold().endswith("name"):
            return column
    return None


def _plain(value: Any) -> Any:
    """A value for reports: texts, lists of texts."""
    if isinstance(value, tuple) and value and isinstance(value[0], Field):
        return value[0].text if len(value) == 1 else [f.text for f in value]
    if isinstance(value, Field):
        return value.text
    return value


def _same(current: Any, desired: Any, spec: ColumnSpec | None = None) -> bool:
    """Whether two values are the same to the device; ``spec`` (a schema column or parameter,
    see ini_schema) compares numbers as numbers and addresses as addresses."""
    left, right = canonical(current), canonical(desired)
    if spec is not None and len(left) == len(right):
        return [spec.canonical(item) for item in left] == [spec.canonical(item) for item in right]
    return left == right


def _diff_parameters(current: IniDocument, desired: Mapping, result: IniDifference, schema: Schema | None = None) -> None:
    present = current.parameters
    for name, value in desired.items():
        existing = present.get(name)
        spec = schema.parameter(name) if schema is not None else None
        if existing is not None and _same(existing, value, spec):
            continue
        # Devices write only parameters that differ from their defaults: an unwritten one holds it.
        if existing is None and spec is not None and _same(spec.default, value, spec):
            continue
        fields = to_fields(value, "'", like=existing.fields if existing is not None else None)
        spelling = existing.name if existing is not None else name
        result.parameters.append(ParameterChange(spelling, None if existing is None else existing.value,
                                                 _plain(fields), fields))


def _find_row(table: Table | None, row: DesiredRow, table_name: str) -> int | None:
    """The index of the current row ``row`` designates, or None when it has none yet."""
    if row.index is not None:
        return row.index if table is not None and row.index in table.rows else None
    values = CaseInsensitiveDict(row.values)
    # Without the table's columns (it has no rows yet), the row's own columns name the key.
    column = key_column(table.columns if table is not None else list(values), row.key)
    if column is None:
        raise ValueError(f"table {table_name}: a row without Index needs a key column to match it by "
                         "(a column Name or ...Name, or the one keys names)")
    if column not in values:
        raise ValueError(f"table {table_name}: a row without Index must give Index or its key column {column}")
    if table is None:
        return None
    position = table.column_position(column)
    if position is None:
        raise ValueError(f"table {table_name}: no column {column} to match rows by")
    wanted = canonical(values[column])
    matches = [i for i, fields in table.rows.items() if canonical(fields[position]) == wanted]
    if len(matches) > 1:
        raise ValueError(f"table {table_name}: {len(matches)} rows have {column} = {values[column]!r} "
                         f"(indexes {sorted(matches)}); give Index to say which")
    return matches[0] if matches else None


def _row_fields(table: Table | None, values: Mapping) -> dict:
    """Desired values as fields, quoted like the table's existing rows quote each column."""
    result = {}
    for column, value in values.items():
        like = None
        position = table.column_position(column) if table is not None else None
        if table is not None and position is not None and table.rows:
            like = (table.rows[min(table.rows)][position],)
        spelling = table.columns[position] if table is not None and position is not None else column
        result[spelling] = to_fields(value, '"', like=like)[0] if not isinstance(value, Field) else value
    return result


def _column_spec(schema: Schema | None, table: str, column: str) -> ColumnSpec | None:
    return schema.column(table, column) if schema is not None else None


def _with_defaults(table: Table, index: int, values: CaseInsensitiveDict, defaults: Mapping, schema: Schema | None,
                   result: IniDifference) -> CaseInsensitiveDict:
    """``values`` plus every other column of the current row at its default (table state replaced)."""
    complete = CaseInsensitiveDict(values)
    unknown = []
    for column in table.columns:
        if column in complete:
            continue
        spec = _column_spec(schema, table.name, column)
        if column in defaults:
            complete[column] = defaults[column]
        elif spec is not None:
            complete[column] = spec.default
        else:
            unknown.append(column)
    if unknown:
        result.unknown_defaults.append((table.name, index, unknown))
    return complete


def _diff_table(current: IniDocument, table_name: str, rows: list[DesiredRow], prune: bool, result: IniDifference,
                state: str = "merged", defaults: Mapping | None = None, schema: Schema | None = None) -> None:
    table = current.tables.get(table_name)
    name = table.name if table is not None else table_name
    if state == "deleted":
        if not rows:
            if table is not None:
                for index in sorted(table.rows):
                    result.rows.append(RowChange(name, index, "remove", before=dict(table.row(index))))
            return
        rows = [DesiredRow(row.values, row.index, row.key, "absent") for row in rows]
    defaults = CaseInsensitiveDict(defaults or {})
    taken = set(table.rows) if table is not None else set()
    taken |= {r.index for r in rows if r.index is not None}
    claimed: set[int] = set()
    additions: list[tuple[DesiredRow, dict]] = []
    for row in rows:
        values = CaseInsensitiveDict({k: v for k, v in row.values.items() if k.casefold() != "index"})
        index = _find_row(table, DesiredRow(values, row.index, row.key, row.state), name)
        if index is not None:
            if index in claimed:
                raise ValueError(f"table {name}: two desired rows designate row {index}")
            claimed.add(index)
        if row.state == "absent":
            if table is not None and index is not None:
                result.rows.append(RowChange(name, index, "remove", before=dict(table.row(index))))
            continue
        if table is not None and index is not None and state in ("replaced", "overridden"):
            values = _with_defaults(table, index, values, defaults, schema, result)
        fields = _row_fields(table, values)
        if table is None or index is None:   # a new row (_find_row finds rows only in a current table)
            if row.index is not None:
                result.rows.append(RowChange(name, row.index, "add", after={c: f.text for c, f in fields.items()},
                                             fields=fields))
            else:
                additions.append((row, fields))
            continue
        existing = table.row_fields(index)
        changed = {c: f for c, f in fields.items()
                   if c not in existing or not _same(existing[c], f, _column_spec(schema, name, c))}
        if changed:
            result.rows.append(RowChange(name, index, "update",
                                         before={c: existing[c].text if c in existing else None for c in changed},
                                         after={c: f.text for c, f in changed.items()}, fields=changed,
                                         current=dict(existing)))
    free = (i for i in range(0, 1 << 31) if i not in taken)
    for _row, fields in additions:
        index = next(free)
        result.rows.append(RowChange(name, index, "add", after={c: f.text for c, f in fields.items()}, fields=fields))
    if (prune or state == "overridden") and table is not None:
        for index in sorted(set(table.rows) - claimed):
            result.rows.append(RowChange(name, index, "remove", before=dict(table.row(index))))


def difference(current: IniDocument, desired: IniDocument | DesiredState, prune: bool = False,
               schema: Schema | None = None) -> IniDifference:
    """What must change in ``current`` to reach ``desired``.

    Parameters compare by :func:`canonical` value; rows match by index or by their key column
    (:func:`key_column`), then compare the columns the desired row gives. With ``prune`` (a
    full configuration replacing the current one), current parameters ``desired`` lacks are
    reported as changes to ``None`` (back to their defaults: devices write only parameters
    that differ from their defaults), and current rows ``desired`` lacks, in the tables it
    holds, as removals. Tables ``desired`` does not hold are not compared: a full file leaves
    them at the device's factory rows, which only the device knows.

    Each table of ``desired`` is compared according to its state (``desired.states``, see
    :data:`TABLE_STATES`). ``schema`` (``ini_schema.SCHEMA``, optional) knows the kinds and
    defaults of columns and parameters: values then compare as the device holds them, a
    parameter the device does not write equals its default, and ``replaced`` rows get their
    unlisted columns' defaults from it (or from ``desired.defaults``).
    """
    if isinstance(desired, IniDocument):
        desired = DesiredState.from_document(desired)
    result = IniDifference()
    _diff_parameters(current, desired.parameters, result, schema)
    if prune:
        wanted = {name.casefold() for name in desired.parameters}
        for parameter in current.parameters.values():
            if parameter.name.casefold() not in wanted:
                result.parameters.append(ParameterChange(parameter.name, parameter.value, None))
    wanted_tables = CaseInsensitiveDict(desired.tables)
    states = CaseInsensitiveDict(desired.states or {})
    defaults = CaseInsensitiveDict(desired.defaults or {})
    for table_name, rows in wanted_tables.items():
        state = states.get(table_name) or "merged"
        if state not in TABLE_STATES:
            raise ValueError(f"table {table_name}: state must be one of {', '.join(TABLE_STATES)}, got {state!r}")
        _diff_table(current, table_name, list(rows), prune, result, state, defaults.get(table_name), schema)
    return result


def order_tables(changes: IniDifference, rank: Callable[[str], int | None]) -> IniDifference:
    """The same changes with the tables in the order a device can apply them in one file.

    Tables with rows to add or update come first, ranked by ``rank(table)`` (the order devices
    write tables in: a referred table before the tables that refer to it); then tables whose
    rows are only removed, in the reverse order (a referring row goes before the row it refers
    to). ``rank`` returns None for a table it does not know: those keep their given order, after
    the known ones.
    """
    given: dict = {}
    removing_only: dict = {}
    for row in changes.rows:
        folded = row.table.casefold()
        given.setdefault(folded, len(given))
        removing_only[folded] = removing_only.get(folded, True) and row.action == "remove"

    def key(row: RowChange) -> tuple:
        folded = row.table.casefold()
        position = rank(row.table)
        ordinal = (0, position, 0) if position is not None else (1, 0, given[folded])
        if removing_only[folded]:
            return (1,) + tuple(-part for part in ordinal)
        return (0,) + ordinal

    return IniDifference(list(changes.parameters), sorted(changes.rows, key=key), list(changes.unknown_defaults))


# ---------------------------------------------------------------------------------------------
# Incremental INI and before/after views
# ---------------------------------------------------------------------------------------------

def _render_rows(rows: list[tuple[str, tuple[str, ...], int, tuple[Field, ...]]], dialect: str) -> list[str]:
    """Table blocks for (table, columns, index, fields) rows, one block per table and column set."""
    blocks: dict[tuple[str, tuple[str, ...]], dict[int, tuple[Field, ...]]] = {}
    order: list[tuple[str, tuple[str, ...]]] = []
    for table_name, columns, index, fields in rows:
        block = (table_name.casefold(), tuple(c.casefold() for c in columns))
        if block not in blocks:
            blocks[block] = {}
            order.append((table_name, columns))
        blocks[block][index] = fields
    lines: list[str] = []
    for table_name, columns in order:
        block_rows = blocks[(table_name.casefold(), tuple(c.casefold() for c in columns))]
        lines += _table_lines(Table(table_name, list(columns)), dialect, block_rows)
    return lines


def _finish(lines: list[str], newline: str) -> str:
    while lines and not lines[-1]:
        lines.pop()
    return newline.join(lines) + newline if lines else ""


def render_incremental(changes: IniDifference, dialect: str = DIALECT_PLAIN, newline: str = "\r\n") -> str:
    """The smallest INI text that applies ``changes``: changed parameters, then one block per
    table whose FORMAT line names only the columns some row changes.

    In a row, a column that row does not change carries its current value (an update) or
    :data:`DEFAULT` (an addition: the device fills in its default). A row to remove is the
    :data:`ROW_DELETE_MARKER` alone.
    """
    lines: list[str] = [Parameter(c.name, c.fields).render() for c in changes.parameters if c.fields]
    if lines:
        lines.append("")
    tables: CaseInsensitiveDict = CaseInsensitiveDict()
    for row in changes.rows:
        tables.setdefault(row.table, []).append(row)
    rows: list[tuple[str, tuple[str, ...], int, tuple[Field, ...]]] = []
    for table_name, table_rows in tables.items():
        columns = CaseInsensitiveDict()
        for row in table_rows:
            for column in row.fields:
                columns.setdefault(column, None)
        if not columns:     # only deletions: the FORMAT line still names a column
            columns[next(iter(table_rows[0].before), "Name")] = None
        for row in table_rows:
            if row.action == "remove":
                rows.append((table_name, tuple(columns), row.index, _DELETION))
                continue
            given = CaseInsensitiveDict(row.current)
            given.update(row.fields)
            rows.append((table_name, tuple(columns), row.index,
                         tuple(given[c] if c in given else Field(DEFAULT) for c in columns)))
    return _finish(lines + _render_rows(rows, dialect), newline)


def excerpt(current: IniDocument, changes: IniDifference, dialect: str | None = None,
            newline: str = "\n") -> tuple[str, str]:
    """The INI lines ``changes`` touch, as the device shows them before and after applying it.

    Updated rows appear whole on both sides; an added row shows the columns it sets; a removed
    row appears only before.
    """
    dialect = dialect or current.dialect
    present = current.parameters
    before = [present[c.name].render() for c in changes.parameters if c.name in present]
    after = [Parameter(c.name, c.fields).render() for c in changes.parameters if c.fields]
    before_rows, after_rows = [], []
    for row in changes.rows:
        table = current.tables.get(row.table)
        if table is not None and row.index in table.rows:
            old = table.rows[row.index]
            before_rows.append((table.name, tuple(table.columns), row.index, old))
            if row.action == "update":
                merged = table.row_fields(row.index)
                merged.update(row.fields)
                after_rows.append((table.name, tuple(merged), row.index, tuple(merged.values())))
        if row.action == "add":
            after_rows.append((row.table, tuple(row.fields), row.index, tuple(row.fields.values())))
    before += [""] * bool(before) + _render_rows(before_rows, dialect)
    after += [""] * bool(after) + _render_rows(after_rows, dialect)
    return _finish(before, newline), _finish(after, newline)
