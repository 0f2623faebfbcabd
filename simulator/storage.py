"""The device's flash: JSON files under ``state_dir/<name>/``, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class Flash:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.files_dir = self.directory / "files"
        self.files_dir.mkdir(exist_ok=True)

    def read(self, name: str):
        path = self.directory / name
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def write(self, name: str, value) -> None:
        self.write_text(name, json.dumps(value, indent=2, sort_keys=True))

    def write_text(self, name: str, text: str, private: bool = False) -> Path:
        path = self.directory / name
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            if private:
                os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return path

    def temp_file(self, prefix: str):
        """A named temporary file in the flash directory (same file system for os.replace)."""
        return tempfile.NamedTemporaryFile(dir=self.directory, prefix=f".{prefix}.", delete=False)
