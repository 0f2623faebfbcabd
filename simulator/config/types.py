"""Value types of parameters and table columns: parsing and formatting for INI, CLI and JSON.

Values are held as ``int`` (int and enum types) or ``str`` (string and ip types). Parsing
raises ``ValueError`` whose text says why the value is refused; callers add line and name.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueType:
    """One type: ``kind`` is int, enum, string or ip."""

    kind: str
    minimum: int = 0
    maximum: int = 0
    choices: tuple = ()  # enum: ((value, cli-name), ...)
    max_length: int = 255

    # ---- checks on held values -------------------------------------------------------
    def check(self, value):
        """Validate a held value (JSON, internal) and return it normalised."""
        if self.kind in ("int", "enum"):
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and _is_int(value):
                    value = int(value)
                else:
                    raise ValueError(f"'{value}' is not a number")
            return self._check_int(value)
        if not isinstance(value, str):
            raise ValueError(f"'{value}' is not a string")
        if self.kind == "ip":
            return _check_ip(value)
        if len(value) > self.max_length:
            raise ValueError(f"string longer than {self.max_length} characters")
        if "\n" in value or "\r" in value:
            raise ValueError("a string cannot hold a line break")
        return value

    def _check_int(self, value: int) -> int:
        if self.kind == "enum":
            allowed = [choice[0] for choice in self.choices]
            if value not in allowed:
                raise ValueError(f"{value} is not one of the allowed values {', '.join(str(v) for v in allowed)}")
            return value
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{value} is out of range {self.minimum}..{self.maximum}")
        return value

    # ---- INI ---------------------------------------------------------------------------
    def parse_ini(self, text: str):
        """Parse an INI value already unquoted (strings) or bare (numbers, addresses)."""
        text = text.strip() if self.kind != "string" else text
        if self.kind in ("int", "enum"):
            if not _is_int(text):
                raise ValueError(f"'{text}' is not a number")
            return self._check_int(int(text))
        return self.check(text)

    def is_quoted_in_ini(self) -> bool:
        return self.kind == "string"

    # ---- CLI ---------------------------------------------------------------------------
    def parse_cli(self, text: str):
        """Parse a CLI argument (already unquoted); enums take their names or their numbers."""
        if self.kind == "enum":
            for value, name in self.choices:
                if name.lower() == text.lower():
                    return value
            if _is_int(text):
                return self._check_int(int(text))
            names = ", ".join(choice[1] for choice in self.choices)
            raise ValueError(f"'{text}' is not one of: {names}")
        if self.kind == "int":
            if not _is_int(text):
                raise ValueError(f"'{text}' is not a number")
            return self._check_int(int(text))
        return self.check(text)

    def format_cli(self, value) -> str:
        if self.kind == "enum":
            for choice, name in self.choices:
                if choice == value:
                    return name
            return str(value)
        if self.kind == "string":
            return cli_quote(value)
        return str(value)


def _is_int(text: str) -> bool:
    text = text.strip()
    if text.startswith(("-", "+")):
        text = text[1:]
    return text.isdigit()


def _check_ip(value: str) -> str:
    value = value.strip()
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a valid IP address") from None
    return value


def cli_quote(value: str) -> str:
    """CLI strings are always written double-quoted; backslash escapes quote and backslash."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- constructors used by the catalogue ----------------------------------------------------
def Int(minimum: int, maximum: int) -> ValueType:  # pylint: disable=invalid-name
    return ValueType("int", minimum=minimum, maximum=maximum)


def Enum(*names: str, values=None) -> ValueType:  # pylint: disable=invalid-name
    """``Enum("disable", "enable")`` numbers the names from 0; ``values`` gives other numbers."""
    numbers = values if values is not None else range(len(names))
    return ValueType("enum", choices=tuple(zip(numbers, names)))


def Str(max_length: int = 255) -> ValueType:  # pylint: disable=invalid-name
    return ValueType("string", max_length=max_length)


IP = ValueType("ip")
ENABLE = Enum("disable", "enable")
ON_OFF = Enum("off", "on")
BOOL = Enum("false", "true")
