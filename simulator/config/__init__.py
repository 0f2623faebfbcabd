"""Configuration model of a simulated AudioCodes Mediant device: one model behind INI and CLI.

See docs/simulator-config.md.
"""

from __future__ import annotations

from .errors import CliError, ConfigError
from .model import Configuration

__all__ = ["Configuration", "ConfigError", "CliError"]
