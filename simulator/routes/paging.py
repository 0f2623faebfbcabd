"""Cursor pagination shared by alarms and KPI discovery: ``limit``, ``after``, ``before``."""

from __future__ import annotations

from simulator.errors import bad_request


def parse_limit(query: dict, default: int | None) -> int | None:
    raw = query.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise bad_request(f"limit must be a positive number, got {raw!r}")
    return int(raw)


def page(keys: list[str], query: dict, default_limit: int | None, numeric: bool = False):
    """(page_keys, cursor) for the ordered ``keys``. ``after=X`` gives the keys after X,
    ``before=X`` the keys just before X; cursor values name the edge keys or "-1" when nothing is left."""
    limit = parse_limit(query, default_limit)
    after, before = query.get("after"), query.get("before")
    if after is not None and before is not None:
        raise bad_request("use either after or before, not both")
    position = {key: index for index, key in enumerate(keys)}
    start, end = 0, len(keys)
    for name, value in (("after", after), ("before", before)):
        if value is None:
            continue
        if numeric and not value.lstrip("-").isdigit():
            raise bad_request(f"{name} must be a number, got {value!r}")
        if value not in position:
            index = _insertion_point(keys, value, numeric)
        else:
            index = position[value] + (1 if name == "after" else 0)
        if name == "after":
            start = index
        else:
            end = index
    if limit is not None:
        if before is not None:
            start = max(start, end - limit)
        else:
            end = min(end, start + limit)
    selected = keys[start:end]
    cursor = {"after": selected[-1] if selected and end < len(keys) else "-1",
              "before": selected[0] if selected and start > 0 else "-1"}
    return selected, cursor


def _insertion_point(keys: list[str], value: str, numeric: bool) -> int:
    """Where a cursor that names a vanished item falls (numeric keys only; names must exist)."""
    if not numeric:
        raise bad_request(f"cursor value {value!r} names no item here")
    target = int(value)
    for index, key in enumerate(keys):
        if int(key) > target:
            return index
    return len(keys)
