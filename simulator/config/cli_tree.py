"""The CLI command tree derived from the catalogue: top modes, sub-modes, table row commands."""

from __future__ import annotations

from . import catalogue
from . import tables as table_catalogue

TOP_WORDS = {"system": catalogue.SYS, "network": catalogue.NET, "voip": catalogue.VOIP, "troubleshoot": catalogue.TROUBLE}


def _submodes() -> dict:
    """top mode -> {sub-mode entry words -> {command -> Param}} in catalogue order."""
    tree = {top: {} for top in catalogue.TOP_MODES}
    for param in catalogue.PARAMETERS:
        top, entry = param.mode
        tree[top].setdefault(entry, {})[param.command] = param
    return tree


SUBMODES = _submodes()
TABLES_BY_TOP = {top: [table for table in table_catalogue.TABLES if table.mode[0] == top] for top in catalogue.TOP_MODES}


def tokenize(line: str) -> list:
    """Split a CLI line into (text, quoted) tokens; ``"..."`` strings take ``\\"`` and ``\\\\``."""
    tokens = []
    position = 0
    length = len(line)
    while position < length:
        char = line[position]
        if char in " \t":
            position += 1
            continue
        if char == '"':
            chars = []
            position += 1
            while True:
                if position >= length:
                    raise ValueError("unterminated quoted string")
                char = line[position]
                if char == "\\" and position + 1 < length and line[position + 1] in ('"', "\\"):
                    chars.append(line[position + 1])
                    position += 2
                    continue
                if char == '"':
                    position += 1
                    break
                chars.append(char)
                position += 1
            tokens.append(("".join(chars), True))
            continue
        start = position
        while position < length and line[position] not in " \t":
            position += 1
        tokens.append((line[start:position], False))
    return tokens


def match_table(top: str, words: list):
    """(table, index) when ``words`` is a row command of a table in ``top``, else None."""
    for table in TABLES_BY_TOP[top]:
        command = table.command.split()
        if len(words) == len(command) + 1 and [w.lower() for w in words[:-1]] == command:
            index = words[-1]
            if index.isdigit():
                return table, int(index)
    return None


def match_submode(top: str, words: list):
    entry = " ".join(word.lower() for word in words)
    return entry if entry in SUBMODES[top] else None
