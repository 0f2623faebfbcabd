"""A small streaming multipart/form-data parser: parts are read chunk by chunk, never held whole."""

from __future__ import annotations

import re

MAX_HEADER_BYTES = 16384


class MultipartError(Exception):
    """The body is not well-formed multipart/form-data."""


def boundary_of(content_type: str | None) -> str | None:
    """The boundary parameter of a multipart/form-data Content-Type, or None."""
    if not content_type or not content_type.lower().startswith("multipart/form-data"):
        return None
    match = re.search(r'boundary=("?)([^";]+)\1', content_type, re.IGNORECASE)
    return match.group(2) if match else None


def _disposition_params(value: str) -> dict:
    params = {}
    for match in re.finditer(r';\s*([\w*-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)', value):
        params[match.group(1).lower()] = match.group(3) if match.group(3) is not None else match.group(2).strip()
    return params


class Part:
    """Headers of one part; its content is read through the owning reader."""

    def __init__(self, headers: dict):
        self.headers = headers
        params = _disposition_params(headers.get("content-disposition", ""))
        self.name = params.get("name")
        self.filename = params.get("filename")


class MultipartReader:
    """Iterate parts with :meth:`next_part`, read the current part's content with :meth:`read`."""

    def __init__(self, stream, boundary: str, chunk_size: int = 65536):
        self._stream = stream
        self._delimiter = b"\r\n--" + boundary.encode("latin-1")
        self._chunk_size = chunk_size
        # A CRLF in front lets the first delimiter match like every later one.
        self._buffer = b"\r\n"
        self._in_part = False
        self._finished = False
        self._eof = False

    def _fill(self) -> bool:
        if self._eof:
            return False
        data = self._stream.read(self._chunk_size)
        if not data:
            self._eof = True
            return False
        self._buffer += data
        return True

    def next_part(self) -> Part | None:
        """Skip what is left of the current part; return the next part's headers, or None at the end."""
        while self._in_part:
            self.read(self._chunk_size)
        if self._finished:
            return None
        while True:
            index = self._buffer.find(self._delimiter)
            if index >= 0:
                break
            # Preamble: keep only a tail that may hold the start of the delimiter.
            self._buffer = self._buffer[-len(self._delimiter):]
            if not self._fill():
                raise MultipartError("multipart body has no boundary line")
        self._buffer = self._buffer[index + len(self._delimiter):]
        return self._after_delimiter()

    def _after_delimiter(self) -> Part | None:
        while len(self._buffer) < 2:
            if not self._fill():
                raise MultipartError("multipart body ends right after a boundary")
        if self._buffer.startswith(b"--"):
            self._finished = True
            return None
        while b"\r\n\r\n" not in self._buffer:
            if len(self._buffer) > MAX_HEADER_BYTES or not self._fill():
                raise MultipartError("multipart part headers are malformed")
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        headers = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:  # first line: transport padding after boundary
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        self._in_part = True
        return Part(headers)

    def read(self, size: int = 65536) -> bytes:
        """Up to ``size`` bytes of the current part's content; b"" at its end."""
        if not self._in_part:
            return b""
        while True:
            index = self._buffer.find(self._delimiter)
            if index >= 0:
                if index == 0:
                    self._in_part = False
                    return b""
                take = min(index, size)
            else:
                safe = len(self._buffer) - len(self._delimiter) + 1
                if safe <= 0 or (safe < size and not self._eof and len(self._buffer) < self._chunk_size):
                    if self._fill():
                        continue
                    if safe <= 0:
                        raise MultipartError("multipart body ended before the closing boundary")
                take = min(safe, size)
            data, self._buffer = self._buffer[:take], self._buffer[take:]
            return data

    def chunks(self):
        while True:
            data = self.read(self._chunk_size)
            if not data:
                return
            yield data
