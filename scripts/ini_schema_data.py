"""Print the TABLES and PARAMETERS data of plugins/module_utils/ini_schema.py from the simulator's
model of the device (simulator/config/tables.py, catalogue.py). When the simulator learns a table,
column or parameter, paste the output over that data; tests/integration/test_mediant_ini_states.py
checks that the two agree."""
import textwrap

from simulator.config import catalogue, tables

KINDS = {"int": "n", "enum": "n", "ip": "ip", "string": "s"}


def spec(items):
    return " ".join(f"{item.name}:{KINDS[item.type.kind]}={item.default}" for item in items)


def main():
    print("TABLES = (")
    for table in tables.TABLES:
        body = textwrap.fill(spec(table.columns), 112, initial_indent=" " * 8, subsequent_indent=" " * 8,
                             break_long_words=False, break_on_hyphens=False)
        print(f'    ("{table.name}", """\n{body}\n    """),')
    print(")\n")
    print('PARAMETERS = """')
    print(textwrap.fill(spec(catalogue.PARAMETERS), 112, initial_indent=" " * 4, subsequent_indent=" " * 4,
                        break_long_words=False, break_on_hyphens=False))
    print('"""')


if __name__ == "__main__":
    main()
