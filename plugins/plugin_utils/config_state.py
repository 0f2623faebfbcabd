# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired configuration of a device from its inventory layers, and its drift, for the role
audiocodes.mediant.config (through the filters audiocodes.mediant.config_layers and
audiocodes.mediant.config_drift).

Layers: Ansible replaces a dictionary variable set in two places (group_vars/all, a group, the
host) instead of merging it. So each place sets a variable of its own whose name starts with one
prefix (``mediant_config__``): ``mediant_config__00_all``, ``mediant_config__10_emea``,
``mediant_config__90_host``. The role merges every such variable in the order of their names;
a later layer wins. A layer is a dictionary:

    parameters:  {Name: value}            later wins per parameter (names in any case, the first
                                          spelling kept); null drops it
    tables:                               per table (names in any case)
      Name: [rows]                        or {rows: [...], state: ..., key: Column, column_defaults: {...}}
    cli:                                  named blocks of CLI lines
      block-name: {parents: [...], lines: [...]}    a later block of the same name replaces it; null drops it

Rows merge by identity - their ``Index``, else their key column (``key``, else the table's
``Name`` column or first ``...Name`` column): a later row's columns update the earlier row's,
``state: absent`` included. ``state``, ``key`` and ``column_defaults`` (per column) of a table:
later wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini import TABLE_STATES, key_column
from ansible_collections.audiocodes.mediant.plugins.module_utils.input_safety import check_cli_lines, check_cli_parents
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_schema import SCHEMA

LAYER_KEYS = ("parameters", "tables", "cli")
TABLE_KEYS = ("rows", "state", "key", "column_defaults")
BLOCK_KEYS = ("parents", "lines")


class LayerError(ValueError):
    """A layer that cannot be merged; the message names the variable and the key at fault."""


def _find(mapping: Mapping, name: str):
    """The key of ``mapping`` equal to ``name`` in any case, or None."""
    folded = str(name).casefold()
    return next((key for key in mapping if str(key).casefold() == folded), None)


def _table_key(table: str, rows: list, given: str | None) -> str | None:
    if given:
        return given
    spec = SCHEMA.table(table)
    if spec is not None:
        return key_column([column.name for column in spec.columns])
    columns = []
    for row in rows:
        columns += [column for column in row if column not in columns]
    return key_column(columns)


def _identity(where: str, table: str, row: Mapping, key: str | None):
    index = _find(row, "Index")
    if index is not None:
        return ("index", str(row[index]).strip())
    column = _find(row, key) if key else None
    if column is None:
        raise LayerError(f"{where}: a row of table {table} needs Index or its key column "
                         f"{key or '(a Name column, or key: in the table)'}: {dict(row)!r}")
    return ("key", str(row[column]).strip().strip("'\""))


def _table_spec(where: str, table: str, value) -> dict:
    if value is None:
        value = {"rows": []}
    elif isinstance(value, list):
        value = {"rows": value}
    if not isinstance(value, Mapping):
        raise LayerError(f"{where}: give a list of rows or a dictionary with rows, state, key, column_defaults")
    unknown = sorted(set(value) - set(TABLE_KEYS))
    if unknown:
        raise LayerError(f"{where}: unknown key {unknown[0]!r}; a table takes {', '.join(TABLE_KEYS)}")
    rows = value.get("rows") or []
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise LayerError(f"{where}.rows: give a list of rows (dictionaries of column: value)")
    state = value.get("state")
    if state is not None and state not in TABLE_STATES:
        raise LayerError(f"{where}.state: must be one of {', '.join(TABLE_STATES)}, got {state!r}")
    defaults = value.get("column_defaults") or {}
    if not isinstance(defaults, Mapping):
        raise LayerError(f"{where}.column_defaults: give a dictionary of column: default value")
    return {"rows": rows, "state": state, "key": value.get("key"), "column_defaults": dict(defaults)}


def _merge_rows(merged: dict, where: str, table: str, rows: list) -> None:
    key = _table_key(table, merged["rows"] + rows, merged["key"])
    positions = {}
    for position, row in enumerate(merged["rows"]):
        positions[_identity(where, table, row, key)] = position
    for row in rows:
        identity = _identity(where, table, row, key)
        if identity not in positions:
            positions[identity] = len(merged["rows"])
            merged["rows"].append(dict(row))
            continue
        current = merged["rows"][positions[identity]]
        for column, value in row.items():
            current[_find(current, column) or column] = value


def _merge_tables(tables: dict, where: str, layer_tables) -> None:
    if not isinstance(layer_tables, Mapping):
        raise LayerError(f"{where}: give a dictionary of table name: rows")
    for name, value in layer_tables.items():
        spec = _table_spec(f"{where}.{name}", name, value)
        existing = _find(tables, name)
        if existing is None:
            tables[name] = {"rows": [], "state": None, "key": None, "column_defaults": {}}
            existing = name
        merged = tables[existing]
        for option in ("state", "key"):
            if spec[option] is not None:
                merged[option] = spec[option]
        merged["column_defaults"].update(spec["column_defaults"])
        _merge_rows(merged, f"{where}.{name}", existing, spec["rows"])


def _merge_cli(blocks: dict, where: str, layer_cli) -> None:
    if not isinstance(layer_cli, Mapping):
        raise LayerError(f"{where}: give a dictionary of block name: {{parents, lines}}")
    for name, block in layer_cli.items():
        if block is None:
            blocks.pop(name, None)
            continue
        if not isinstance(block, Mapping):
            raise LayerError(f"{where}.{name}: give a dictionary with parents and lines")
        unknown = sorted(set(block) - set(BLOCK_KEYS))
        if unknown:
            raise LayerError(f"{where}.{name}: unknown key {unknown[0]!r}; a CLI block takes parents and lines")
        parents, lines = block.get("parents") or [], block.get("lines")
        for option, value in (("parents", parents), ("lines", lines)):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise LayerError(f"{where}.{name}.{option}: give a list of strings")
        if not lines:
            raise LayerError(f"{where}.{name}.lines: give at least one line")
        # The role sends its INI step before the CLI blocks: a block mediant_cli would refuse must
        # stop the run before that step changes the device (the same check as mediant_cli's).
        try:
            check_cli_parents(parents, f"{where}.{name}.parents")
            check_cli_lines(f"{where}.{name}.lines", lines)
        except InputError as err:
            raise LayerError(str(err)) from None
        blocks.pop(name, None)
        blocks[name] = {"name": name, "parents": list(parents), "lines": list(lines)}


def merge_layers(names, values) -> dict:
    """Merge the layers ``values`` (the variables ``names``) in the order of the names.

    Returns ``{parameters, tables, table_states, keys, column_defaults, cli, layers}``: the
    options of mediant_ini (``tables`` as name → rows) and the CLI blocks (a list of
    ``{name, parents, lines}``) in the order they first appear.
    """
    names, values = list(names or []), list(values or [])
    if len(names) != len(values):
        raise LayerError(f"{len(names)} layer names for {len(values)} layers")
    parameters: dict = {}
    tables: dict = {}
    blocks: dict = {}
    for name, layer in sorted(zip(names, values), key=lambda pair: str(pair[0])):
        if layer is None:
            continue
        if not isinstance(layer, Mapping):
            raise LayerError(f"{name}: a layer is a dictionary with {', '.join(LAYER_KEYS)}, got {type(layer).__name__}")
        unknown = sorted(set(layer) - set(LAYER_KEYS))
        if unknown:
            raise LayerError(f"{name}: unknown key {unknown[0]!r}; a layer takes {', '.join(LAYER_KEYS)}")
        layer_parameters = layer.get("parameters") or {}
        if not isinstance(layer_parameters, Mapping):
            raise LayerError(f"{name}.parameters: give a dictionary of parameter name: value")
        for parameter, value in layer_parameters.items():
            existing = _find(parameters, parameter)
            if value is None:
                parameters.pop(existing, None)
            else:
                parameters[existing or parameter] = value
        _merge_tables(tables, f"{name}.tables", layer.get("tables") or {})
        _merge_cli(blocks, f"{name}.cli", layer.get("cli") or {})
    return {
        "parameters": parameters,
        "tables": {name: spec["rows"] for name, spec in tables.items()},
        "table_states": {name: spec["state"] for name, spec in tables.items() if spec["state"]},
        "keys": {name: spec["key"] for name, spec in tables.items() if spec["key"]},
        "column_defaults": {name: spec["column_defaults"] for name, spec in tables.items() if spec["column_defaults"]},
        "cli": list(blocks.values()),
        "layers": sorted(str(name) for name in names),
    }


def drift(ini_result, cli_results, host, generated, mode, changed=False, layers=None, error=None) -> dict:
    """The drift document of one device (see the role's README) from the results of mediant_ini
    and of mediant_cli (one per CLI block, loop results) in check mode."""
    ini_result = ini_result or {}
    changes = ini_result.get("changes") or {}
    parameters = list(changes.get("parameters") or [])
    rows = []
    for action in ("rows_added", "rows_updated", "rows_removed"):
        rows += list(changes.get(action) or [])
    cli = []
    for result in cli_results or []:
        if not result or result.get("skipped") or not result.get("commands"):
            continue
        block = result.get("item") or {}
        cli.append({"block": block.get("name"), "parents": block.get("parents") or [],
                    "lines": list(result.get("updates") or []), "commands": list(result["commands"])})
    ini_commands = list(ini_result.get("commands") or [])
    summary = {
        "parameters": len(parameters),
        "rows_added": len(changes.get("rows_added") or []),
        "rows_updated": len(changes.get("rows_updated") or []),
        "rows_removed": len(changes.get("rows_removed") or []),
        "cli_lines": sum(len(block["lines"]) for block in cli),
    }
    summary["total"] = sum(summary.values())
    return {
        "host": host,
        "generated": generated,
        "mode": mode,
        "in_sync": error is None and summary["total"] == 0,
        "changed": bool(changed),
        "summary": summary,
        "parameters": parameters,
        "rows": rows,
        "cli": cli,
        "ini": ini_result.get("ini") or "",
        "commands": ini_commands + [command for block in cli for command in block["commands"]],
        "layers": list(layers or []),
        "error": error,
    }
