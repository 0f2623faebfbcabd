"""CLI view of the configuration: ``show running-config`` rendering and script execution."""

from __future__ import annotations

from . import references
from . import tables as table_catalogue
from .cli_render import child_link
from .cli_tree import SUBMODES, TOP_WORDS, match_submode, match_table, tokenize
from .errors import CliError
from .show import ShowError, run_show


# ---- execution -----------------------------------------------------------------------------------
class _Refused(Exception):
    """The current line is refused; the text is what the CLI prints after '% '."""


class _Session:
    """Runs a script on a working copy; the caller keeps the copy only when every line passed."""

    def __init__(self, base, show, full: bool):
        self.work = base.copy()
        self.work.load_warnings = []
        self.show = show
        self.full = full
        self.output = []
        self.top = None  # "configure voip", ...
        self.submode = None  # sub-mode entry words
        self.row = None  # (table, index) while inside a table row
        self.parent_row = None  # the parent's (table, index) while inside a nested child row
        self.defined = set()  # (table name, index) of rows entered so far (a full script defines them anew)
        self.nested = set()  # (table name, index) of child rows entered inside their parent row

    def run(self, text: str) -> None:
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith(("#", "!")):
                continue
            try:
                self.execute(line)
            except _Refused as err:
                self.output.append(f"% {err} (line {number}: {line})\n")
                raise CliError(f"Line {number}: '{line}': {err}", "".join(self.output)) from None

    # ---- dispatch ------------------------------------------------------------------------------
    def execute(self, line: str) -> None:
        try:
            tokens = tokenize(line)
        except ValueError as err:
            raise _Refused(str(err)) from None
        words = [token[0] for token in tokens]
        first = words[0].lower()
        if first == "do" and len(words) > 1 and words[1].lower() == "show":
            tokens, words, first = tokens[1:], words[1:], "show"
        if first == "show":
            self.run_show(words[1:])
        elif first == "end" and len(words) == 1:
            self.top = self.submode = self.row = self.parent_row = None
        elif first == "exit" and len(words) == 1:
            self.exit()
        elif self.top is None:
            self.root_command(words)
        elif self.row is not None:
            self.row_command(tokens)
        elif self.submode is not None:
            self.submode_command(tokens)
        else:
            self.top_command(words)

    def exit(self) -> None:
        if self.parent_row is not None:
            self.row, self.parent_row = self.parent_row, None
        elif self.row is not None or self.submode is not None:
            self.row = self.submode = None
        else:
            self.top = None

    def run_show(self, words: list) -> None:
        if self.full:
            raise _Refused("show commands are not allowed in a full configuration script")
        if self.show is None:
            raise _Refused("show commands need the device's facts (no ShowContext given)")
        try:
            self.output.append(run_show(words, self.work, self.show))
        except ShowError as err:
            raise _Refused(str(err)) from None

    def root_command(self, words: list) -> None:
        if len(words) == 2 and words[0].lower() == "configure" and words[1].lower() in TOP_WORDS:
            self.top = TOP_WORDS[words[1].lower()]
            return
        raise _Refused("Invalid command")

    def top_command(self, words: list) -> None:
        if words[0].lower() == "no":
            found = match_table(self.top, words[1:])
            if found is None:
                raise _Refused("Invalid command")
            self.delete_row(*found)
            return
        found = match_table(self.top, words)
        if found is not None:
            table, index = found
            if index >= table.max_rows:
                raise _Refused(f"Index {index} is out of range 0..{table.max_rows - 1}")
            rows = self.work.tables[table.name]
            if self.full and (table.name, index) not in self.defined:
                rows[index] = table.new_row()  # a full script defines each row it prints (factory rows too)
            rows.setdefault(index, table.new_row())
            self.defined.add((table.name, index))
            self.row = found
            return
        entry = match_submode(self.top, words)
        if entry is None:
            raise _Refused("Invalid command")
        self.submode = entry

    # ---- sub-modes of global parameters --------------------------------------------------------
    def submode_command(self, tokens: list) -> None:
        commands = SUBMODES[self.top][self.submode]
        word = tokens[0][0].lower()
        if word == "activate" and len(tokens) == 1:
            return
        if word == "no" and len(tokens) == 2 and tokens[1][0].lower() in commands:
            param = commands[tokens[1][0].lower()]
            self.work.set_param(param, param.default)
            return
        param = commands.get(word)
        if param is None:
            raise _Refused("Invalid command")
        value = self.parse_value(param.type, param.command, tokens[1:])
        self.work.set_param(param, value)

    @staticmethod
    def parse_value(vtype, command: str, arguments: list):
        if len(arguments) != 1:
            raise _Refused(f"Incomplete command: '{command}' takes one value" if not arguments
                           else f"Invalid input: '{command}' takes one value (quote values with spaces)")
        text, quoted = arguments[0]
        if quoted and vtype.kind in ("int", "enum"):
            raise _Refused(f"Invalid value for '{command}': {text!r} is not a number or keyword")
        try:
            return vtype.parse_cli(text)
        except ValueError as err:
            raise _Refused(f"Invalid value for '{command}': {err}") from None

    # ---- table rows ----------------------------------------------------------------------------
    def row_command(self, tokens: list) -> None:
        table, index = self.row
        word = tokens[0][0].lower()
        if word == "activate" and len(tokens) == 1:
            return
        child = self.match_child(table, [token[0] for token in tokens[1:]] if word == "no" else [token[0] for token in tokens])
        if child is not None:
            child_table, child_number = child
            if word == "no":
                self.delete_child(table, index, child_table, child_number)
            else:
                self.enter_child(table, index, child_table, child_number)
            return
        row = self.work.tables[table.name][index]
        if word == "no" and len(tokens) == 2:
            column = table.column_by_cli(tokens[1][0].lower())
            if column is None:
                raise _Refused("Invalid command")
            self.set_column(table, index, column, row, column.default)
            return
        column = table.column_by_cli(word)
        if column is None:
            raise _Refused("Invalid command")
        self.set_column(table, index, column, row, self.parse_value(column.type, column.cli, tokens[1:]))

    # ---- child rows nested under their parent row (7.2+ style: proxy-set 0 > proxy-ip 1) --------
    def match_child(self, table, words: list):
        if self.parent_row is not None or len(words) != 2 or not words[1].isdigit():
            return None
        for child in table_catalogue.children_of(table.name):
            if words[0].lower() == child.parent[3]:
                return child, int(words[1])
        return None

    def _find_child(self, table, index, child, number):
        link = child_link(self.work, table, index, child)
        link_column, number_column = child.parent[1], child.parent[2]
        for child_index, row in sorted(self.work.tables[child.name].items()):
            if self.full and (child.name, child_index) not in self.nested:
                continue  # in a full script a flat row (printed when it could not nest) is a row of its own
            if str(row[link_column]).strip() == link and row[number_column] == number:
                return child_index
        return None

    def enter_child(self, table, index, child, number) -> None:
        link_column, number_column, word = child.parent[1:]
        try:
            child.column(number_column).type.check(number)
        except ValueError as err:
            raise _Refused(f"Invalid index for '{word}': {err}") from None
        child_index = self._find_child(table, index, child, number)
        if child_index is None:
            rows = self.work.tables[child.name]
            child_index = next(i for i in range(child.max_rows + 1) if i not in rows)
            if child_index >= child.max_rows:
                raise _Refused(f"{child.name} is full ({child.max_rows} rows)")
            rows[child_index] = child.new_row({link_column: child_link(self.work, table, index, child), number_column: number})
        self.nested.add((child.name, child_index))
        self.parent_row, self.row = self.row, (child, child_index)

    def delete_child(self, table, index, child, number) -> None:
        child_index = self._find_child(table, index, child, number)
        if child_index is None:
            if self.full:
                return
            raise _Refused(f"{child.parent[3]} {number} does not exist")
        self.delete_row(child, child_index)

    def set_column(self, table, index, column, row, value) -> None:
        old = row[column.name]
        row[column.name] = value
        problem = None
        if column.ref and not references.target_exists(self.work, column, value):
            problem = f"Invalid value for '{column.cli}': {references.describe_missing(column, value)}"
        elif column.name == table.key and value != old:
            if value != "" and any(other[table.key] == value for other_index, other in self.work.tables[table.name].items()
                                   if other_index != index):
                problem = f"Invalid value for '{column.cli}': {table.key} '{value}' is already used by another row"
            else:
                broken = references.broken_by_loss(self.work, table, index, dict(row, **{column.name: old}))
                if broken:
                    problem = self._used_by(table, index, broken)
        if problem:
            self.tolerate(problem, lambda: row.__setitem__(column.name, old))

    def delete_row(self, table, index) -> None:
        if (table.name, index) in table_catalogue.PERMANENT_ROWS:
            raise _Refused(f"{table.command} {index} cannot be deleted")
        rows = self.work.tables[table.name]
        if index not in rows:
            if self.full:
                return
            raise _Refused(f"{table.command} {index} does not exist")
        old_row = rows[index]
        saved = self.work.copy()
        references.delete_with_children(self.work, table, index)
        broken = references.broken_by_loss(self.work, table, index, old_row)
        if broken:
            self.tolerate(self._used_by(table, index, broken), lambda: setattr(self.work, "tables", saved.tables))

    @staticmethod
    def _used_by(table, index, broken) -> str:
        other, other_index, column = broken[0]
        return f"{table.command} {index} is used by {other} {other_index} ({column})"

    def tolerate(self, text: str, undo) -> None:
        """Reference problems refuse the line in an incremental script, are kept as warnings in a full one."""
        if self.full:
            self.work.load_warnings.append(text)
            return
        undo()
        raise _Refused(text)


def run_script(base, text: str, show, full: bool):
    """Run ``text`` on a copy of ``base``; return (new configuration, output)."""
    session = _Session(base, show, full)
    session.run(text)
    return session.work, "".join(session.output)
