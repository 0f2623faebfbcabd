# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real device INI files of ../shared/ini-corpus, for the tests.

They are kept byte for byte, CRLF line ends included, as gzip files: ansible-test's
line-endings check refuses a CR in any text file of the collection.
"""
from __future__ import annotations

import gzip
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "unit" / "fixtures" / "ini-corpus"


def corpus_names() -> list[str]:
    """File names as in shared/ini-corpus, e.g. 'mp124-6.60A.ini'."""
    return sorted(path.name[: -len(".gz")] for path in CORPUS_DIR.glob("*.ini.gz"))


def corpus_text(name: str) -> str:
    """The file's text exactly as the device wrote it (line ends untouched)."""
    with gzip.open(CORPUS_DIR / f"{name}.gz", "rb") as handle:
        return handle.read().decode("ascii")
