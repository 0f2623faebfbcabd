"""Foreign references between table rows: by name (key column) or by row index."""

from __future__ import annotations

from . import tables as table_catalogue


def target_exists(config, column, value) -> bool:
    """Whether ``value`` in ``column`` points at an existing row (empty and special values always do)."""
    if value == "" or value in column.special:
        return True
    target_name, target_column = column.ref
    rows = config.tables[target_name]
    if target_column is None:
        return str(value).strip().lstrip("-").isdigit() and int(value) in rows
    return any(row[target_column] == value for row in rows.values())


def describe_missing(column, value) -> str:
    target_name, target_column = column.ref
    if target_column is None:
        return f"unknown reference '{value}' (no {target_name} row with index {value})"
    return f"unknown reference '{value}' (no {target_name} row has {target_column} '{value}')"


def referrers(config, table, index, row):
    """[(table name, index, column name)] of rows that refer to ``row`` of ``table``."""
    found = []
    for other, column in table_catalogue.references_to(table.name):
        if column.ref[1] is None:
            wanted = str(index)
        else:
            wanted = row.get(column.ref[1])
            if wanted in ("", None):
                continue
        for other_index, other_row in config.tables[other.name].items():
            value = other_row[column.name]
            if value in column.special:
                continue
            if (column.ref[1] is None and str(value).strip() == wanted) or (column.ref[1] is not None and value == wanted):
                found.append((other.name, other_index, column.name))
    return found


def lost_targets(before, after, table):
    """(index, old row) of rows of ``table`` deleted or renamed between ``before`` and ``after``."""
    after_rows = after.tables[table.name]
    for index, row in before.tables[table.name].items():
        if index not in after_rows or (table.key and after_rows[index][table.key] != row[table.key]):
            yield index, row


def broken_by_loss(config, table, index, old_row):
    """[(referrer table, referrer index, column)] left dangling once ``old_row`` is gone or renamed."""
    broken = []
    for other_name, other_index, column_name in referrers(config, table, index, old_row):
        column = table_catalogue.find(other_name).column(column_name)
        if not target_exists(config, column, config.tables[other_name][other_index][column_name]):
            broken.append((other_name, other_index, column_name))
    return broken


def dangling_after_loss(before, after):
    """[(table, index, old row, referrer table, referrer index, column)] broken by deletes/renames."""
    broken = []
    for table in table_catalogue.TABLES:
        for index, row in lost_targets(before, after, table):
            for other_name, other_index, column_name in broken_by_loss(after, table, index, row):
                broken.append((table, index, row, other_name, other_index, column_name))
    return broken


def delete_with_children(config, table, index) -> None:
    """Delete a row and the rows of child tables that belong to it (a proxy set's addresses)."""
    row = config.tables[table.name].pop(index)
    for child in table_catalogue.children_of(table.name):
        link_column = child.column(child.parent[1])
        link = str(index) if link_column.ref[1] is None else row[link_column.ref[1]]
        if link == "":
            continue
        rows = config.tables[child.name]
        for child_index in [i for i, child_row in rows.items() if str(child_row[link_column.name]).strip() == link]:
            del rows[child_index]
