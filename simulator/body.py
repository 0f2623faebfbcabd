"""Request bodies read incrementally from the socket: Content-Length or chunked transfer encoding."""

from __future__ import annotations


class BodyError(Exception):
    """The request body is malformed (bad chunk framing, premature end)."""


class BodyReader:
    """File-like ``read(n)`` over a request body; never reads past the body on a keep-alive socket."""

    def __init__(self, rfile, headers):
        self._rfile = rfile
        self._chunked = "chunked" in (headers.get("Transfer-Encoding") or "").lower()
        length = headers.get("Content-Length")
        self._remaining = int(length) if (length and not self._chunked) else 0
        self._chunk_left = 0
        self._done = not self._chunked and self._remaining == 0
        self.bytes_read = 0

    @property
    def exhausted(self) -> bool:
        return self._done

    def read(self, size: int = 65536) -> bytes:
        if self._done or size <= 0:
            return b""
        data = self._read_chunked(size) if self._chunked else self._read_plain(size)
        self.bytes_read += len(data)
        return data

    def _read_plain(self, size: int) -> bytes:
        data = self._rfile.read(min(size, self._remaining))
        if not data:
            raise BodyError("request body ended before Content-Length bytes arrived")
        self._remaining -= len(data)
        if self._remaining == 0:
            self._done = True
        return data

    def _read_chunked(self, size: int) -> bytes:
        if self._chunk_left == 0:
            line = self._rfile.readline(1024)
            if not line.endswith(b"\n"):
                raise BodyError("bad chunk header")
            try:
                self._chunk_left = int(line.split(b";")[0].strip(), 16)
            except ValueError as err:
                raise BodyError("bad chunk size") from err
            if self._chunk_left == 0:
                while True:  # trailers end with an empty line
                    trailer = self._rfile.readline(8192)
                    if trailer in (b"\r\n", b"\n", b""):
                        break
                self._done = True
                return b""
        data = self._rfile.read(min(size, self._chunk_left))
        if not data:
            raise BodyError("request body ended inside a chunk")
        self._chunk_left -= len(data)
        if self._chunk_left == 0:
            self._rfile.readline(8)  # CRLF after the chunk data
        return data

    def read_all(self, limit: int) -> bytes:
        """The whole body, or BodyError if it is larger than ``limit`` bytes."""
        parts = []
        total = 0
        while True:
            data = self.read(65536)
            if not data:
                if self._done:
                    break
                continue
            total += len(data)
            if total > limit:
                raise BodyError(f"request body is larger than {limit} bytes")
            parts.append(data)
        return b"".join(parts)

    def drain(self) -> None:
        """Read and discard what is left, so the connection can carry the next request."""
        while not self._done:
            self.read(262144)
