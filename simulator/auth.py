"""Users, privilege levels and the access tables of the REST API guides (v7.4 Tables 2-1 and 2-2)."""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass

MONITOR = 1
ADMIN = 2
SECURITY_ADMIN = 3

LEVELS = {"monitor": MONITOR, "admin": ADMIN, "security_admin": SECURITY_ADMIN}
LEVEL_TITLES = {MONITOR: "Monitor", ADMIN: "Administrator", SECURITY_ADMIN: "Security Administrator"}

NOT_ALLOWED = None  # "405 Method Not Allowed" in Table 2-2
METHODS = ("GET", "PUT", "POST", "DELETE")

# Table 2-2 of the v7.4 guide, one row per resource: minimum level for GET, PUT, POST, DELETE.
# "/api/v1/versions" is the guide's name for the version discovery (/api, /api/v1, /api/v1/versions).
PRIVILEGE_TABLE: dict[str, tuple] = {
    "/api/v1/versions": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "actions/reset": (NOT_ALLOWED, NOT_ALLOWED, ADMIN, NOT_ALLOWED),
    "actions/saveConfiguration": (NOT_ALLOWED, NOT_ALLOWED, ADMIN, NOT_ALLOWED),
    "actions/authToken": (NOT_ALLOWED, NOT_ALLOWED, SECURITY_ADMIN, NOT_ALLOWED),
    "actions": (ADMIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "status": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "license": (ADMIN, SECURITY_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "alarms/active": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "alarms/history": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "alarms": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "kpi": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "mc_status": (MONITOR, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "files/ini": (SECURITY_ADMIN, SECURITY_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/ini/incremental": (NOT_ALLOWED, SECURITY_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/cliScript/incremental": (NOT_ALLOWED, SECURITY_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/cliScript": (SECURITY_ADMIN, SECURITY_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/software": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/software/hitless": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/cpt": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/prt": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/dialplan": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/casTable": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/amd": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/usersInfo": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/configurationPackage.tar.gz": (SECURITY_ADMIN, SECURITY_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/sbcWizard": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/fixs": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files/fixo": (NOT_ALLOWED, ADMIN, NOT_ALLOWED, NOT_ALLOWED),
    "files": (ADMIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "files/tls": (SECURITY_ADMIN, SECURITY_ADMIN, SECURITY_ADMIN, NOT_ALLOWED),
}

# Table 2-1: minimum level per top directory, for resources Table 2-2 does not list.
DIRECTORY_MINIMUM = {
    "alarms": MONITOR,
    "kpi": MONITOR,
    "status": MONITOR,
    "actions": ADMIN,
    "files": ADMIN,
    "license": ADMIN,
}


@dataclass(frozen=True)
class User:
    username: str
    password: str
    level: int

    @property
    def title(self) -> str:
        return LEVEL_TITLES[self.level]


DEFAULT_USERS = [
    {"username": "Admin", "password": "Admin", "level": "security_admin"},
    {"username": "Operator", "password": "Operator", "level": "admin"},
    {"username": "Monitor", "password": "Monitor", "level": "monitor"},
]


def users_from_spec(specs) -> dict[str, User]:
    users = {}
    for spec in specs if specs is not None else DEFAULT_USERS:
        level = spec.get("level", "monitor")
        if level not in LEVELS:
            raise ValueError(f"user {spec.get('username')!r}: level must be one of {sorted(LEVELS)}, got {level!r}")
        users[spec["username"]] = User(spec["username"], spec["password"], LEVELS[level])
    return users


def authenticate(users: dict[str, User], authorization: str | None) -> User | None:
    """The user named by a Basic ``Authorization`` header value, or None if it does not log in."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    user = users.get(username)
    if not sep or user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
        return None
    return user


def table_row_for(resource: str) -> str | None:
    """The Table 2-2 row that governs ``resource`` (path below /api/v1): the longest matching prefix."""
    segments = resource.strip("/").split("/") if resource.strip("/") else []
    for length in range(len(segments), 0, -1):
        candidate = "/".join(segments[:length])
        if candidate in PRIVILEGE_TABLE:
            return candidate
    return None


def required_level(resource: str, method: str, row: str | None = None) -> int:
    """Minimum level for ``method`` on ``resource`` (v7.4 rules); the route decides whether the method exists."""
    row = row or table_row_for(resource)
    if row is not None:
        level = PRIVILEGE_TABLE[row][METHODS.index(method)] if method in METHODS else None
        if level is not None:
            return level
        # Table says 405 but the route serves the method (a sub-resource): the row's strictest level.
        return max(level for level in PRIVILEGE_TABLE[row] if level is not None)
    top = resource.strip("/").split("/")[0]
    return DIRECTORY_MINIMUM.get(top, MONITOR)
