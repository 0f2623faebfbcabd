# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files the certificate modules write on the host that runs the module (CSRs, keys, certificates):
written atomically with their mode from the start, each write failure an InputError naming the
option. No Ansible imports."""

from __future__ import annotations

import os
import tempfile

from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError


def write_atomically(path: str, text: str, mode: int) -> None:
    """Write ``text`` to ``path`` atomically with ``mode`` from the start (no window where a key
    file is readable by others, never a half-written file)."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", text=True)
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_file(option: str, path: str, text: str, mode: int) -> None:
    """:func:`write_atomically`; InputError naming ``option`` when ``path`` cannot be written."""
    try:
        write_atomically(path, text, mode)
    except OSError as err:
        raise InputError(f"cannot write {option} {path}: {err.strerror or err}", option=option) from None


def write_if_changed(option: str, path: str, text: str, mode: int = 0o644, check_mode: bool = False) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that (or in check mode); whether
    it was (or would be) written differently - False in check mode, as nothing was written."""
    current = None
    if os.path.isfile(path):
        with open(path, encoding="ascii", errors="replace") as handle:
            current = handle.read()
    if current == text or check_mode:
        return False
    write_file(option, path, text, mode)
    return True
