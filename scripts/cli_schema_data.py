"""Print the ENUMS data of plugins/module_utils/cli_schema.py from the simulator's model of the
device (simulator/config/catalogue.py, tables.py). When the simulator learns a parameter, table or
column, paste the output over that data; tests/integration/test_mediant_cli_values.py checks that
the two agree."""
import re

from simulator.config import catalogue, tables

ROW_INDEX = re.compile(r"\s+\d+$")


def mode_key(*lines):
    return " > ".join(ROW_INDEX.sub("", line).casefold() for line in lines)


def choices(kind):
    return " ".join(f"{value}:{name}" for value, name in kind.choices)


def enums():
    found = {}
    for param in catalogue.PARAMETERS:
        if param.type.kind == "enum":
            found.setdefault(mode_key(*param.mode), {})[param.command] = choices(param.type)
    commands = {table.name: table.command for table in tables.TABLES}
    for table in tables.TABLES:
        keys = [mode_key(*table.mode, table.command)]
        if table.parent:
            keys.append(mode_key(*table.mode, commands[table.parent[0]], table.parent[3]))
        for column in table.columns:
            if column.type.kind == "enum" and column.cli:
                for key in keys:
                    found.setdefault(key, {})[column.cli] = choices(column.type)
    return found


def main():
    print("ENUMS: dict[str, dict[str, str]] = {")
    for key, commands in sorted(enums().items()):
        print(f'    "{key}": {{')
        for command, values in sorted(commands.items()):
            line = f'        "{command}": "{values}",'
            if len(line) > 120:   # split the words over two implicitly joined strings
                words = values.split(" ")
                half = len(words) // 2
                line = (f'        "{command}": ("{" ".join(words[:half])} "\n'
                        f'{" " * (13 + len(command))}"{" ".join(words[half:])}"),')
            print(line)
        print("    },")
    print("}")


if __name__ == "__main__":
    main()
