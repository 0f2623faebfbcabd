"""INI view of the configuration: render as devices write it, load full or incremental files."""

from __future__ import annotations

from . import catalogue
from . import references
from . import tables as table_catalogue
from .errors import ConfigError
from .ini_syntax import DEFAULT_MARKER, IniSyntaxError, ParamLine, parse, quote

CRLF = "\r\n"


# ---- rendering ---------------------------------------------------------------------------------
def _header_lines(header: dict) -> list:
    lines = [";**************", ";** Ini File **", ";**************", ""]
    facts = (
        ("Board", header.get("board")),
        ("Board Type", header.get("board_type")),
        ("Serial Number", header.get("serial")),
        ("Slot Number", "1"),
        ("Software Version", header.get("version")),
        ("DSP Software Version", "SOFTDSP => 0.00"),
        ("Board IP Address", header.get("ip")),
        ("Board Subnet Mask", header.get("mask")),
        ("Board Default Gateway", header.get("gateway")),
    )
    lines += [f";{label}: {value}" for label, value in facts if value is not None]
    lines += [";Profile: NONE ", ";----------------------------------------------", "", ""]
    return lines


def format_param(param, value) -> str:
    if param.type.kind == "string":
        return quote(value, "'")
    return str(value)


def format_field(column, value) -> str:
    if column.type.kind == "string":
        return quote(value, '"')
    return str(value)


def render_ini(config, header: dict) -> str:
    lines = _header_lines(header)
    for section in catalogue.SECTIONS:
        lines += [f"[{section}]", ""]
        for param in catalogue.PARAMETERS:
            if param.section == section and param.name in config.params:
                lines.append(f"{param.name} = {format_param(param, config.params[param.name])}")
        lines.append("")
    default = type(config).default(config.product)
    for table in table_catalogue.TABLES:
        rows = config.tables[table.name]
        if not rows and not default.tables[table.name]:
            continue
        lines += [f"[ {table.name} ]", ""]
        lines.append("FORMAT Index = " + ", ".join(column.name for column in table.columns) + ";")
        for index in sorted(rows):
            values = ", ".join(format_field(column, rows[index][column.name]) for column in table.columns)
            lines.append(f"{table.name} {index} = {values};")
        lines += ["", f"[ \\{table.name} ]", "", ""]
    return CRLF.join(lines)


# ---- loading -------------------------------------------------------------------------------------
class _Loader:
    """Applies parsed INI items to a working copy; strict for incremental, tolerant for full loads."""

    def __init__(self, base, full: bool):
        self.full = full
        self.before = base
        self.work = base.copy()
        self.work.load_warnings = []
        self.warnings = []
        self.given_refs = []  # (line, table, index, column) whose reference must resolve at the end
        self.row_lines = {}  # (table, index) -> line of the last row line touching it
        self.cleared = set()
        self.unknown_columns = set()

    def problem(self, line: int, text: str) -> None:
        """Unknown names: an error in an incremental file, skipped (with a warning) in a full one."""
        if self.full:
            self.warnings.append(f"Line {line}: {text} (ignored)")
        else:
            raise ConfigError(f"Line {line}: {text}")

    def apply(self, items) -> None:
        for item in items:
            if isinstance(item, ParamLine):
                self.apply_param(item)
            else:
                self.apply_block(item)
        if self.full and "TLSContexts" in self.cleared and 0 not in self.work.tables["TLSContexts"]:
            self.work.tables["TLSContexts"][0] = table_catalogue.TLS_CONTEXTS.new_row({"Name": "default"})
            self.warnings.append("TLSContexts row 0 'default' cannot be removed; it was kept")
        self.check_references()

    def apply_param(self, item: ParamLine) -> None:
        param = catalogue.find(item.name)
        if param is None:
            self.problem(item.line, f"parameter '{item.name}': unknown parameter")
            return
        if len(item.fields) != 1:
            raise ConfigError(f"Line {item.line}: parameter '{param.name}': expects one value, got a list of {len(item.fields)}")
        try:
            value = param.type.parse_ini(item.fields[0].text)
        except ValueError as err:
            raise ConfigError(f"Line {item.line}: parameter '{param.name}': {err}") from None
        self.work.set_param(param, value)

    def apply_block(self, block) -> None:
        table = table_catalogue.find(block.table)
        if table is None:
            self.problem(block.line, f"table '{block.table}': unknown table")
            return
        rows = self.work.tables[table.name]
        if self.full and table.name not in self.cleared:
            rows.clear()  # a table in a full file replaces the default rows
            self.cleared.add(table.name)
        for row in block.rows:
            where = f"Line {row.line}: {table.name} {row.index}"
            if not 0 <= row.index < table.max_rows:
                raise ConfigError(f"{where}: index out of range 0..{table.max_rows - 1}")
            if row.delete:
                self.delete_row(table, row, where)
                continue
            self.upsert_row(table, row, where)

    def delete_row(self, table, row, where) -> None:
        if (table.name, row.index) in table_catalogue.PERMANENT_ROWS:
            raise ConfigError(f"{where}: this row cannot be deleted")
        if row.index not in self.work.tables[table.name]:
            if self.full:
                return
            raise ConfigError(f"{where}: cannot delete, the row does not exist")
        references.delete_with_children(self.work, table, row.index)
        self.row_lines[(table.name, row.index)] = row.line

    def upsert_row(self, table, row, where) -> None:
        if len(row.fields) != len(row.columns):
            raise ConfigError(f"{where}: {len(row.fields)} values for {len(row.columns)} FORMAT columns")
        current = self.work.tables[table.name].get(row.index)
        values = dict(current) if current is not None else table.new_row()
        for name, field in zip(row.columns, row.fields):
            column = table.column(name)
            if column is None:
                if (table.name, name.lower()) not in self.unknown_columns:
                    self.unknown_columns.add((table.name, name.lower()))
                    self.problem(row.line, f"table '{table.name}': unknown column '{name}'")
                continue
            if field.empty:
                continue  # an empty field gives no value: the row keeps its value (or the default)
            if not field.quoted and field.text == DEFAULT_MARKER:
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.type.parse_ini(field.text)
            except ValueError as err:
                raise ConfigError(f"{where}: column '{column.name}': {err}") from None
            if column.ref:
                self.given_refs.append((row.line, table, row.index, column))
        self.work.tables[table.name][row.index] = values
        self.row_lines[(table.name, row.index)] = row.line

    def check_references(self) -> None:
        work = self.work
        for line, table, index, column in self.given_refs:
            row = work.tables[table.name].get(index)
            if row is None:
                continue
            value = row[column.name]
            if not references.target_exists(work, column, value):
                self.refusal(f"Line {line}: {table.name} {index}: column '{column.name}': {references.describe_missing(column, value)}")
        for (table_name, index), line in sorted(self.row_lines.items(), key=lambda item: -item[1]):  # name the later line
            table = table_catalogue.find(table_name)
            row = work.tables[table_name].get(index)
            if row is None or not table.key or row[table.key] == "":
                continue
            if any(other[table.key] == row[table.key] for other_index, other in work.tables[table_name].items() if other_index != index):
                self.refusal(f"Line {line}: {table_name} {index}: {table.key} '{row[table.key]}' is already used by another row")
        for table, index, row, other, other_index, column in references.dangling_after_loss(self.before, work):
            line = self.row_lines.get((table.name, index), 0)
            self.refusal(f"Line {line}: {table.name} {index}: cannot delete or rename '{row.get(table.key, index) if table.key else index}', "
                         f"{other} {other_index} refers to it in column '{column}'")

    def refusal(self, text: str) -> None:
        """Broken references: an error in an incremental file, a warning in a full one."""
        if self.full:
            self.warnings.append(text)
        else:
            raise ConfigError(text)


def load_ini(base, text: str, full: bool):
    """Apply INI ``text`` to a copy of ``base``; return (new configuration, changed names)."""
    try:
        items = parse(text)
    except IniSyntaxError as err:
        raise ConfigError(str(err)) from None
    loader = _Loader(base, full)
    loader.apply(items)
    loader.work.load_warnings = loader.warnings
    return loader.work, loader.work.changed_names(base)
