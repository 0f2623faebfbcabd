"""The configuration of one simulated device: global parameters and tables, one model behind
the INI and CLI views. Parameters hold only non-default values; tables hold full rows."""

from __future__ import annotations

from . import catalogue
from . import tables as table_catalogue
from .errors import ConfigError


class Configuration:
    """Parameters (non-default values by INI name) and tables (index -> full row) of a product."""

    def __init__(self, product: str):
        self.product = product
        self.params: dict = {}
        self.tables: dict = {table.name: {} for table in table_catalogue.TABLES}
        # What a full INI/CLI load skipped or tolerated (unknown names, dangling references).
        self.load_warnings: list = []

    # ---- construction and persistence ----------------------------------------------------
    @classmethod
    def default(cls, product: str) -> "Configuration":
        config = cls(product)
        for table in table_catalogue.TABLES:
            for index, values in table.default_rows.items():
                config.tables[table.name][index] = table.new_row(values)
        return config

    def copy(self) -> "Configuration":
        twin = Configuration(self.product)
        twin.params = dict(self.params)
        twin.tables = {name: {index: dict(row) for index, row in rows.items()} for name, rows in self.tables.items()}
        twin.load_warnings = list(self.load_warnings)
        return twin

    def __eq__(self, other):
        if not isinstance(other, Configuration):
            return NotImplemented
        return (self.product, self.params, self.tables) == (other.product, other.params, other.tables)

    def __hash__(self):  # mutable: not hashable, but keep pylint's eq/hash rule satisfied
        raise TypeError("Configuration is mutable and not hashable")

    def to_json(self) -> dict:
        return {
            "product": self.product,
            "params": dict(sorted(self.params.items())),
            "tables": {
                name: [dict({"Index": index}, **rows[index]) for index in sorted(rows)]
                for name, rows in self.tables.items() if rows
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> "Configuration":
        """Rebuild from ``to_json``; tables absent from ``data`` are empty (not default)."""
        try:
            config = cls(str(data["product"]))
            for name, value in data.get("params", {}).items():
                param = catalogue.find(name)
                if param is None:
                    raise ConfigError(f"unknown parameter '{name}'")
                config.set_param(param, param.type.check(value))
            for name, rows in data.get("tables", {}).items():
                table = table_catalogue.find(name)
                if table is None:
                    raise ConfigError(f"unknown table '{name}'")
                for saved in rows:
                    row = table.new_row()
                    for column in table.columns:
                        if column.name in saved:
                            row[column.name] = column.type.check(saved[column.name])
                    config.tables[table.name][int(saved["Index"])] = row
        except (KeyError, TypeError, ValueError) as err:
            raise ConfigError(f"invalid saved configuration: {err}") from err
        return config

    # ---- parameters --------------------------------------------------------------------------
    def get(self, name: str):
        """Current value of a global parameter (its default when not set)."""
        param = catalogue.find(name)
        if param is None:
            raise KeyError(name)
        return self.params.get(param.name, param.default)

    def set_param(self, param, value) -> None:
        if value == param.default:
            self.params.pop(param.name, None)
        else:
            self.params[param.name] = value

    # ---- tables ------------------------------------------------------------------------------
    def table_rows(self, table_name: str) -> list:
        """Rows of a table as dicts with ``Index`` first, in index order."""
        table = table_catalogue.find(table_name)
        if table is None:
            raise KeyError(table_name)
        rows = self.tables[table.name]
        return [dict({"Index": index}, **rows[index]) for index in sorted(rows)]

    # ---- views -------------------------------------------------------------------------------
    def render_ini(self, header: dict) -> str:
        from .ini import render_ini  # pylint: disable=import-outside-toplevel
        return render_ini(self, header)

    def apply_ini_incremental(self, text: str) -> list:
        """Apply an incremental INI file; returns the names of changed parameters and tables."""
        from .ini import load_ini  # pylint: disable=import-outside-toplevel
        result, changed = load_ini(self, text, full=False)
        self._replace(result)
        return changed

    @classmethod
    def from_ini(cls, text: str, product: str) -> "Configuration":
        from .ini import load_ini  # pylint: disable=import-outside-toplevel
        return load_ini(cls.default(product), text, full=True)[0]

    def render_cli(self) -> str:
        from .cli_render import render_cli  # pylint: disable=import-outside-toplevel
        return render_cli(self)

    def run_cli_incremental(self, text: str, show) -> str:
        """Run an incremental CLI script; all-or-nothing. Returns what the script printed."""
        from .cli import run_script  # pylint: disable=import-outside-toplevel
        result, output = run_script(self, text, show, full=False)
        self._replace(result)
        return output

    @classmethod
    def from_cli(cls, text: str, product: str) -> "Configuration":
        from .cli import run_script  # pylint: disable=import-outside-toplevel
        return run_script(cls.default(product), text, None, full=True)[0]

    def changed_names(self, before: "Configuration") -> list:
        """Names of parameters and tables that differ from ``before``."""
        changed = [param.name for param in catalogue.PARAMETERS
                   if self.params.get(param.name, param.default) != before.params.get(param.name, param.default)]
        changed += [table.name for table in table_catalogue.TABLES if self.tables[table.name] != before.tables[table.name]]
        return changed

    @staticmethod
    def requires_reset(changed_names) -> bool:
        for name in changed_names:
            param = catalogue.find(name)
            if param is not None and param.reset:
                return True
            table = table_catalogue.find(name)
            if table is not None and table.reset:
                return True
        return False

    def _replace(self, other: "Configuration") -> None:
        self.params = other.params
        self.tables = other.tables
