"""``show running-config`` / GET files/cliScript: the configuration as a CLI script, as 7.2+ devices print it.

Every row is printed with the columns that differ from the column defaults (factory rows too, so
a new device's script is never empty). Child rows (a proxy set's addresses, a coders group's
coders) are printed inside their parent row, after its ``activate``, numbered within the parent::

    proxy-set 0
     proxy-name "ITSP"
     activate
     proxy-ip 0
      proxy-address "10.1.1.1"
      activate
     exit
    exit

A child row that cannot be nested (its parent does not exist, or another child of the same
parent has its number) is printed flat, as its own row command with its link and number columns,
just before the parent table so that its INI index is claimed before nested rows are created.
"""

from __future__ import annotations

from . import catalogue
from . import tables as table_catalogue
from .cli_tree import SUBMODES, TABLES_BY_TOP

ACTIVATE = "activate"
EXIT = "exit"


def render_cli(config, only=None) -> str:
    """Running configuration as CLI; only non-default values. ``only`` limits it to one top mode."""
    default = type(config).default(config.product)
    out = []
    for top in catalogue.TOP_MODES:
        if only is not None and top != only:
            continue
        block = []
        for entry, commands in SUBMODES[top].items():
            lines = [f"  {param.command} {param.type.format_cli(config.params[param.name])}"
                     for param in commands.values() if param.name in config.params]
            if lines:
                block += [f" {entry}"] + lines + [f"  {ACTIVATE}", f" {EXIT}"]
        for table in TABLES_BY_TOP[top]:
            if table.parent:
                continue  # printed with its parent table
            nested, flat = child_placement(config, table)
            for child, indexes in flat:
                block += [line for index in indexes for line in _row_lines(child, index, config.tables[child.name][index], 1)]
            block += _table_lines(config, table, default.tables[table.name], nested)
        if block:
            out += [top] + block + [EXIT]
    return "\n".join(out) + "\n" if out else ""


def child_link(config, parent, index, child) -> str:
    """What a child row's link column holds for parent row ``index``: its index, or its key's value."""
    target_column = child.column(child.parent[1]).ref[1]
    return str(index) if target_column is None else config.tables[parent.name][index][target_column]


def child_placement(config, parent):
    """Where the child rows of ``parent``'s child tables print.

    Returns ({(child table name, parent index): [(number, child index)]} in number order, and
    [(child table, [child indexes printed flat])]).
    """
    nested, flat = {}, []
    for child in table_catalogue.children_of(parent.name):
        link_column, number_column = child.parent[1], child.parent[2]
        owner = {}
        for index in sorted(config.tables[parent.name]):
            link = child_link(config, parent, index, child)
            if link != "":
                owner.setdefault(link, index)  # duplicate names (a tolerated full load): the first row owns them
        taken, loose = set(), []
        for child_index, row in sorted(config.tables[child.name].items()):
            parent_index = owner.get(str(row[link_column]).strip())
            key = (parent_index, row[number_column])
            if parent_index is None or key in taken:
                loose.append(child_index)
                continue
            taken.add(key)
            nested.setdefault((child.name, parent_index), []).append((row[number_column], child_index))
        if loose:
            flat.append((child, loose))
    for entries in nested.values():
        entries.sort()
    return nested, flat


def _table_lines(config, table, default_rows, nested) -> list:
    rows = config.tables[table.name]
    lines = [f" no {table.command} {index}" for index in sorted(default_rows) if index not in rows]
    for index in sorted(rows):
        body = _row_lines(table, index, rows[index], 1)
        children = []
        for child in table_catalogue.children_of(table.name):
            for number, child_index in nested.get((child.name, index), []):
                children += _row_lines(child, number, config.tables[child.name][child_index], 2,
                                       command=child.parent[3], skip=child.parent[1:3])
        lines += body[:-1] + children + body[-1:]  # children go after the parent's `activate`
    return lines


def _row_lines(table, number, row, depth, command=None, skip=()) -> list:
    """``<command> N``, the columns that differ from their defaults, ``activate``, ``exit``."""
    indent, inner = " " * depth, " " * (depth + 1)
    lines = [f"{indent}{command or table.command} {number}"]
    lines += [f"{inner}{column.cli} {column.type.format_cli(row[column.name])}"
              for column in table.columns if column.name not in skip and row[column.name] != column.default]
    return lines + [f"{inner}{ACTIVATE}", f"{indent}{EXIT}"]
