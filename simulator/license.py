"""Simulator license keys: ``base64url(json)`` of ``{"serial": ..., "features": {...}}``.

A license *file* (the multipart/octet-stream upload) holds one key per line as
``Key <serial> <key>``; blank lines and lines starting with ``#`` or ``;`` are ignored.
"""

from __future__ import annotations

import base64
import json

DEFAULT_FEATURES = {"SBC": 250, "FEU": 50, "WebRTC": 10, "SIPRec": 10, "MSFT": 1}


class LicenseError(Exception):
    """A key or license file the simulator cannot decode."""


def make_key(serial: str, features: dict | None = None) -> str:
    payload = {"serial": str(serial), "features": dict(DEFAULT_FEATURES if features is None else features)}
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(key: str) -> dict:
    """``{"serial": str, "features": dict}`` from a key, or LicenseError("invalid license key")."""
    if not isinstance(key, str) or not key.strip():
        raise LicenseError("invalid license key: the key is empty")
    text = key.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise LicenseError("invalid license key: it cannot be decoded") from err
    if not isinstance(payload, dict) or not isinstance(payload.get("serial"), str) or not isinstance(payload.get("features"), dict):
        raise LicenseError("invalid license key: it does not carry a serial number and features")
    if not all(isinstance(name, str) and isinstance(count, int) for name, count in payload["features"].items()):
        raise LicenseError("invalid license key: features must map names to counts")
    return payload


def features_text(features: dict) -> str:
    """The feature part of a key description (what ``show system version`` prints after the board type)."""
    listed = " ".join(f"{name}={count}" for name, count in sorted(features.items()))
    return f";Control Protocols: {listed} ;Security: MediaEncryption StrongEncryption EncryptControlProtocol"


def describe(product: str, features: dict) -> str:
    """The ``keyDescription`` text, in the style of the device's "Key features" dump."""
    return f"Key features: Board Type: {product} {features_text(features)}"


def parse_license_file(text: str) -> dict[str, str]:
    """``{serial: key}`` from a license file; LicenseError if a line is not ``Key <serial> <key>``."""
    keys = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        fields = stripped.split()
        if len(fields) != 3 or fields[0].lower() != "key":
            raise LicenseError(f"license file line {number} is not 'Key <serial> <key>'")
        keys[fields[1]] = fields[2]
    if not keys:
        raise LicenseError("license file holds no license key")
    return keys


def make_license_file(keys: dict[str, str]) -> str:
    return "".join(f"Key {serial} {key}\n" for serial, key in keys.items())
