"""The simulator's .cmp software image: header (magic, version, payload length), payload, SHA-256 digest.

Layout: ``MAGIC`` (8 bytes) | version (32 bytes, ASCII, NUL padded) | payload length (8 bytes,
big-endian) | payload | SHA-256 of the payload (32 bytes). Written and checked in constant memory.
"""

from __future__ import annotations

import hashlib
import re
import struct

MAGIC = b"ACSIMCMP"
HEADER = struct.Struct(">8s32sQ")
DIGEST_SIZE = 32
VERSION_RE = re.compile(r"^(\d+)\.(\d+)([A-Z])\.(\d{3})\.(\d{3})$")
_BLOCK = 1 << 20


class CmpError(Exception):
    """The file is not a software load this device can run."""


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+)([KMG]?)B?", text.strip().upper())
    if not match:
        raise ValueError(f"size must look like 200M, 512K or 1048576, got {text!r}")
    return int(match.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[match.group(2)]


def _payload_block(version: str) -> bytes:
    seed = hashlib.sha256(version.encode()).digest()
    return (seed * (_BLOCK // len(seed) + 1))[:_BLOCK]


def write_cmp(path, version: str, size_bytes: int) -> None:
    """Write a .cmp of about ``size_bytes`` bytes (header and digest included) for ``version``."""
    if not VERSION_RE.match(version):
        raise ValueError(f"version must look like 7.40A.500.010, got {version!r}")
    payload_len = max(0, size_bytes - HEADER.size - DIGEST_SIZE)
    block = _payload_block(version)
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        out.write(HEADER.pack(MAGIC, version.encode().ljust(32, b"\0"), payload_len))
        left = payload_len
        while left:
            piece = block if left >= len(block) else block[:left]
            digest.update(piece)
            out.write(piece)
            left -= len(piece)
        out.write(digest.digest())


def can_run(version: str) -> bool:
    """Mediant VE/SE SBC firmware of the 7.x line (7.00A and later) runs on the simulated products."""
    match = VERSION_RE.match(version)
    return bool(match) and int(match.group(1)) == 7 and match.group(3) == "A"


class CmpVerifier:
    """Fed the file chunk by chunk; :meth:`finish` returns the version or raises CmpError."""

    def __init__(self):
        self._header = b""
        self._version = None
        self._payload_left = None
        self._tail = b""
        self._digest = hashlib.sha256()
        self.size = 0

    def feed(self, data: bytes) -> None:
        self.size += len(data)
        if self._payload_left is None:
            self._header += data
            if len(self._header) < HEADER.size:
                return
            data = self._header[HEADER.size:]
            self._parse_header(self._header[:HEADER.size])
        if self._payload_left:
            take = min(self._payload_left, len(data))
            self._digest.update(data[:take])
            self._payload_left -= take
            data = data[take:]
        if data:
            self._tail += data
            if len(self._tail) > DIGEST_SIZE:
                raise CmpError("software file has data after its digest")

    def _parse_header(self, header: bytes) -> None:
        magic, raw_version, payload_len = HEADER.unpack(header)
        if magic != MAGIC:
            raise CmpError("software file is not a .cmp load (bad magic)")
        version = raw_version.rstrip(b"\0").decode("ascii", "replace")
        if not VERSION_RE.match(version):
            raise CmpError(f"software file carries a malformed version {version!r}")
        self._version = version
        self._payload_left = payload_len

    def finish(self) -> str:
        if self._version is None:
            raise CmpError("software file is truncated (incomplete header)")
        if self._payload_left or len(self._tail) < DIGEST_SIZE:
            raise CmpError("software file is truncated")
        if self._tail != self._digest.digest():
            raise CmpError("software file digest does not match its content")
        return self._version
