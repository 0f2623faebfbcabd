"""Errors raised by the configuration model; ``description`` is the text a device would answer."""

from __future__ import annotations


class ConfigError(Exception):
    """An INI file (or a JSON state) the device refuses; nothing of it was applied."""

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


class CliError(Exception):
    """A CLI script the device refuses; ``output`` holds what it printed up to the failing line."""

    def __init__(self, description: str, output: str = ""):
        super().__init__(description)
        self.description = description
        self.output = output
