"""Shared test data: INI snippets the configuration model accepts."""

from __future__ import annotations

IP_GROUPS_INI = """
[ IPGroup ]
FORMAT Index = Type, Name;
IPGroup 0 = 0, "Teams";
IPGroup 2 = 0, "ITSP";
[ \\IPGroup ]
"""

TLS_CONTEXT_1_INI = """
[ TLSContexts ]
FORMAT Index = Name;
TLSContexts 1 = "sip-trunk";
[ \\TLSContexts ]
"""

RESET_PARAMETER_INI = "SSHServerPort = 2222\n"
NO_RESET_PARAMETER_INI = "SyslogServerPort = 1514\n"
