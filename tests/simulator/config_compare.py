"""Comparing configurations that went through a CLI script, where child rows are printed nested.

A nested child row (``proxy-set 1`` > ``proxy-ip 0``) carries its parent and its number within
the parent, not its INI row index: a full load creates it at the lowest free index, as a device
renumbers such rows. Everything else must come back exactly.
"""

from __future__ import annotations

from simulator.config import tables as table_catalogue


def child_rows(config, table) -> list:
    """The rows of a child table without their INI indexes, in a stable order."""
    return sorted((sorted(row.items()) for row in config.tables[table.name].values()), key=repr)


def assert_same_up_to_child_indexes(loaded, original) -> None:
    assert (loaded.product, loaded.params) == (original.product, original.params)
    for table in table_catalogue.TABLES:
        if table.parent:
            assert child_rows(loaded, table) == child_rows(original, table), table.name
        else:
            assert loaded.tables[table.name] == original.tables[table.name], table.name
    assert loaded.render_cli() == original.render_cli()
