# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What of a configuration backup is compared: the configuration, not the lines that change
without a configuration change.

Pure library: standard library only, no Ansible imports, usable on its own.

Volatile lines (docs/backup.md):

* INI file: the comment lines before the first ``[section]`` - ``;Board``, ``;Serial Number``
  (the active unit's, which changes at an HA switchover), ``;Software Version`` (changes at an
  upgrade), ``;Board IP Address`` and the like (REST API guide v7.4, section 7.2.1).
* CLI script: comment lines (``#`` or ``!``) before the first command.
* Configuration package (tar.gz): the archive's own bytes and its members' dates; the members
  are compared by name and content, the INI member as above.

Line ends (CRLF or LF), trailing spaces and blank lines are never a difference either.
"""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
from typing import Any

FILE_NAMES = {"ini": "config.ini", "cli": "config.cli", "package": "configuration.tar.gz"}
METADATA_NAME = "backup.json"
_SECTION = re.compile(r"^\s*\[")


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def stable_ini(text: str) -> str:
    """The INI text without its header comments, line ends normalized, blank lines dropped."""
    lines = _lines(text)
    start = next((number for number, line in enumerate(lines) if _SECTION.match(line)), len(lines))
    head = [line for line in lines[:start] if line.strip() and not line.lstrip().startswith(";")]
    return "\n".join(head + [line for line in lines[start:] if line.strip()]) + "\n"


def stable_cli(text: str) -> str:
    """The CLI script without its leading comment lines, line ends normalized, blank lines dropped."""
    lines = [line for line in _lines(text) if line.strip()]
    start = next((number for number, line in enumerate(lines) if not line.lstrip().startswith(("#", "!"))), len(lines))
    return "\n".join(lines[start:]) + "\n"


def package_members(data: bytes) -> dict[str, str]:
    """{member name: stable content} of a configuration package (tar.gz bytes); ValueError when
    it is not one."""
    members: dict[str, str] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                content = tar.extractfile(member).read()  # type: ignore[union-attr]  # a file member (isfile) has one
                name = member.name.lstrip("./")
                if name.endswith(".ini"):
                    members[name] = stable_ini(content.decode("utf-8", "replace"))
                else:
                    members[name] = hashlib.sha256(content).hexdigest()
    except (tarfile.TarError, OSError, EOFError) as err:
        raise ValueError("not a tar.gz configuration package: {0}".format(err)) from None
    return members


def stable_content(kind: str, data: bytes) -> str:
    """What is compared of a backup file of kind ini, cli or package (its bytes given)."""
    if kind == "package":
        members = package_members(data)
        return "".join("{0}\n{1}\n".format(name, members[name]) for name in sorted(members))
    text = data.decode("utf-8", "replace")
    return stable_ini(text) if kind == "ini" else stable_cli(text)


def fingerprint(kind: str, data: bytes) -> str:
    """sha256 of what is compared: equal fingerprints, equal configurations."""
    return hashlib.sha256(stable_content(kind, data).encode("utf-8")).hexdigest()


def ini_header(text: str) -> dict[str, Any]:
    """The header facts of a device INI file: {board, serial, version} as far as present."""
    facts: dict[str, Any] = {}
    for label, key in (("Board", "board"), ("Serial Number", "serial"), ("Software Version", "version")):
        match = re.search(r"(?m)^;{0}:\s*(.*?)\s*$".format(re.escape(label)), text)
        if match:
            facts[key] = match.group(1)
    return facts
