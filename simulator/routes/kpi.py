"""/kpi (v7.4): current and history performance values, intervals; /performanceMonitoring (v1.0)."""

from __future__ import annotations

from simulator.errors import ApiError, bad_request
from simulator.kpi import TREE
from simulator.routes import V10, V74, Response, route
from simulator.routes.paging import page

LISTING_PARAMS = {"limit", "after", "before", "kpi", "detailed", "id", "interval"}
VALUE_PARAMS = {"interval", "detailed"}


def _check(query: dict, allowed: set):
    unknown = set(query) - allowed
    if unknown:
        raise bad_request(f"Unknown query parameter(s): {', '.join(sorted(unknown))}")
    detailed = query.get("detailed", "true")
    if detailed not in ("true", "false"):
        raise bad_request(f"detailed must be true or false, got {detailed!r}")
    return detailed == "true"


def _cursor_list(keys, selected, cursor):
    return [{"start": keys[0], "before": cursor["before"], "after": cursor["after"], "end": keys[-1]}] if keys else []


def _paged(items: list[dict], query: dict, numeric=False):
    keys = [str(item["id"]) for item in items]
    selected, cursor = page(keys, query, None, numeric=numeric)
    if not selected:
        return Response(status=204)
    by_key = {str(item["id"]): item for item in items}
    return Response(body={"items": [by_key[key] for key in selected], "cursor": _cursor_list(keys, selected, cursor)})


@route("GET kpi", profiles=(V74,))
def kpi_root(_device, _request):
    return Response(body={"items": [
        {"id": "current", "description": "Real-time KPIs", "url": "/api/v1/kpi/current"},
        {"id": "history", "description": "Historical KPIs", "url": "/api/v1/kpi/history"},
        {"id": "interval", "description": "Intervals Information", "url": "/api/v1/kpi/interval"},
    ]})


@route("GET kpi/interval", profiles=(V74,))
def intervals(device, request):
    _check(request.query, {"id", "limit", "after", "before"})
    available = device.kpi.intervals()
    if not available:
        return Response(status=204)
    wanted = request.query.get("id")
    if wanted is not None:
        if wanted == "last":
            chosen = [available[-1]]
        elif wanted.isdigit():
            chosen = [item for item in available if item["id"] == int(wanted)]
        else:
            raise bad_request(f"id must be an interval number or 'last', got {wanted!r}")
        if not chosen:
            return Response(status=204)
        return Response(body={"intervals": chosen})
    keys = [str(item["id"]) for item in available]
    query = dict(request.query)
    if "limit" in query and "after" not in query and "before" not in query:
        query["before"] = str(available[-1]["id"] + 1)  # ?limit=N: the last N intervals
    selected, cursor = page(keys, query, None, numeric=True)
    if not selected:
        return Response(status=204)
    by_key = {str(item["id"]): item for item in available}
    return Response(body={"intervals": [by_key[key] for key in selected], "cursor": _cursor_list(keys, selected, cursor)})


def _interval_choice(device, query):
    """None for the current value, else a list of interval numbers (history)."""
    raw = query.get("interval")
    available = [item["id"] for item in device.kpi.intervals()]
    if raw is None:
        return None
    if raw == "last":
        return available[-1:]
    if raw == "all":
        return list(reversed(available))
    if not raw.isdigit():
        raise bad_request(f"interval must be a number, 'last' or 'all', got {raw!r}")
    if int(raw) not in available:
        raise bad_request(f"interval {raw} is not available (see /api/v1/kpi/interval)")
    return [int(raw)]


def _kpi_item(device, kpi, base_url, path, intervals, detailed):
    if intervals is None:
        value = device.kpi.current(kpi, path)
    elif intervals:
        value = device.kpi.interval_value(kpi, path, intervals[0])
    else:
        value = None
    item = {"id": kpi.id}
    if detailed:
        item.update({"name": kpi.name, "description": kpi.description, "url": f"{base_url}/{kpi.id}"})
    item["value"] = str(value) if value is not None else None
    return item


@route("GET kpi/{mode}", profiles=(V74,))
@route("GET kpi/{mode}/{*rest}", profiles=(V74,))
def kpi_tree(device, request):  # pylint: disable=too-many-return-statements,too-many-branches,too-many-locals
    mode = request.params["mode"]
    rest = [part for part in request.params.get("rest", []) if part]
    if mode not in ("current", "history"):
        raise ApiError(404, f"Unknown URL {request.path}")
    base = f"/api/v1/kpi/{mode}"
    leaf_depth = None
    if len(rest) >= 3:
        indexed = TREE.get(rest[0], (None, {}))[1].get(rest[1], (None, {}))[1].get(rest[2], (None, False))[1]
        leaf_depth = 5 if indexed else 4
    query = request.query
    if leaf_depth is not None and len(rest) == leaf_depth:
        detailed = _check(query, VALUE_PARAMS)
    else:
        detailed = _check(query, LISTING_PARAMS)
    intervals = _interval_choice(device, query)
    if mode == "history" and intervals is None:
        intervals = [item["id"] for item in device.kpi.intervals()][-1:]
        if not intervals:
            return Response(status=204)
    if not rest:
        return _paged([{"id": app, "description": text, "url": f"{base}/{app}", "groups": list(groups)}
                       for app, (text, groups) in TREE.items()], query)
    app = TREE.get(rest[0])
    if app is None:
        raise bad_request(f"Invalid path: no application {rest[0]!r} (known: {', '.join(TREE)})")
    groups = app[1]
    if len(rest) == 1:
        return _paged([{"id": name, "description": text, "url": f"{base}/{rest[0]}/{name}"} for name, (text, _entities) in groups.items()], query)
    group = groups.get(rest[1])
    if group is None:
        raise bad_request(f"Invalid path: no group {rest[1]!r} in {rest[0]} (known: {', '.join(groups)})")
    entities = group[1]
    group_url = f"{base}/{rest[0]}/{rest[1]}"
    if len(rest) == 2:
        return _paged([{"id": name, "description": text, "url": f"{group_url}/{name}"} for name, (text, _indexed, _kpis) in entities.items()], query)
    entity = entities.get(rest[2])
    if entity is None:
        raise bad_request(f"Invalid path: no entity {rest[2]!r} in {rest[0]}/{rest[1]} (known: {', '.join(entities)})")
    indexed, kpis = entity[1], entity[2]
    entity_url = f"{group_url}/{rest[2]}"
    remaining = rest[3:]
    if indexed:
        groups_rows = device.kpi.ip_groups()
        if not remaining:
            rows = groups_rows
            if "id" in query:
                rows = [row for row in rows if str(row["id"]) == query["id"]]
                if not rows:
                    return Response(status=204)
            items = [{"id": str(row["id"]), **({"name": row["name"], "description": row["description"]} if detailed else {}),
                      "url": f"{entity_url}/{row['id']}"} for row in rows]
            return _paged(items, query, numeric=True)
        index = remaining[0]
        if index not in {str(row["id"]) for row in groups_rows}:
            raise bad_request(f"Invalid path: {rest[2]} {index} does not exist")
        entity_url = f"{entity_url}/{index}"
        remaining = remaining[1:]
    path = entity_url[len(base):]
    if not remaining:
        selected = [kpi for kpi in kpis if "kpi" not in query or kpi.id == query["kpi"]]
        if not selected:
            raise bad_request(f"Unknown kpi {query.get('kpi')!r} in {path}")
        items = [_kpi_item(device, kpi, entity_url, f"{path}/{kpi.id}", intervals, detailed) for kpi in selected]
        return _paged(items, query)
    if len(remaining) > 1:
        raise ApiError(404, f"Unknown URL {request.path}")
    kpi = next((kpi for kpi in kpis if kpi.id == remaining[0]), None)
    if kpi is None:
        raise ApiError(404, f"No performance monitoring parameter {remaining[0]!r} in {path}")
    kpi_path = f"{path}/{kpi.id}"
    raw_interval = query.get("interval")
    if raw_interval == "all":
        if not intervals:
            return Response(status=204)
        return Response(body={"items": [{"interval": str(number), "value": str(device.kpi.interval_value(kpi, kpi_path, number))}
                                        for number in intervals]})
    if intervals is None:
        value = device.kpi.current(kpi, kpi_path)
    elif intervals:
        value = device.kpi.interval_value(kpi, kpi_path, intervals[0])
    else:
        return Response(status=204)
    body = {"id": kpi.id, "value": str(value)}
    if intervals:
        body["interval"] = str(intervals[0])
    return Response(body=body)


# ------------------------------------------------------------------ v1.0 /performanceMonitoring

# v1.0 PM name → (KPI path in the v7.4 tree, indexes source, low/high thresholds)
PM_V10 = {
    "ActiveContextCount": ("/sbc/callStats/global/activeCallsIn", "single", (0, 500)),
    "NetUtilKBytes": ("/network/interfaceStats/global/rxBytesTotal", "ports", (100, 30000)),
    "NetUtilPackets": ("/network/interfaceStats/global/rxPacketsTotal", "ports", (100, 30000)),
    "IPGroupCallsIn": ("/sbc/callStats/ipGroup/{index}/activeCallsIn", "ipGroups", (0, 200)),
    "IPGroupCallsOut": ("/sbc/callStats/ipGroup/{index}/activeCallsOut", "ipGroups", (0, 200)),
}


def _pm_indexes(device, source):
    if source == "single":
        return [0]
    if source == "ports":
        return [0, 1]
    return [row["id"] for row in device.kpi.ip_groups()]


def _pm_kpi(path):
    parts = path.strip("/").split("/")
    entity = TREE[parts[0]][1][parts[1]][1][parts[2]]
    return next(kpi for kpi in entity[2] if kpi.id == parts[-1])


@route("GET performanceMonitoring", profiles=(V10,))
def pm_list(_device, _request):
    return Response(body={"items": list(PM_V10)})


@route("GET performanceMonitoring/{pm}", profiles=(V10,))
def pm_value(device, request):
    # The guide lists "NetUtilPackets" and then queries "netUtilPackets": names match case-insensitively.
    name = request.params["pm"]
    spec = next((value for key, value in PM_V10.items() if key.lower() == name.lower()), None)
    if spec is None:
        raise ApiError(404, f"No performance monitor {name!r}")
    path_template, source, (low, high) = spec
    indexes = _pm_indexes(device, source)
    unknown = set(request.query) - {"index", "interval"}
    if unknown:
        raise bad_request(f"Unknown query parameter(s): {', '.join(sorted(unknown))}")
    if "index" not in request.query and "interval" not in request.query:
        return Response(body={"indexes": indexes, "intervalsPerIndex": [0, 1, 2], "lowThreshold": low, "highThreshold": high})
    raw_index = request.query.get("index", "0")
    if not raw_index.isdigit() or int(raw_index) not in indexes:
        raise bad_request("Invalid index")
    raw_interval = request.query.get("interval", "0")
    if raw_interval not in ("0", "1", "2"):
        raise bad_request("Invalid interval")
    index, interval = int(raw_index), int(raw_interval)
    path = path_template.format(index=index)
    kpi = _pm_kpi(path)
    elapsed = device.kpi.elapsed()
    # Interval 0 is the running value; 1 and 2 the last and previous 15-minute windows (scaled to kpi_interval_seconds).
    end = elapsed - (interval - 1) * device.kpi_interval_seconds if interval else elapsed
    end = max(0.0, end)
    samples = [device.kpi.value_at(kpi, path, max(0.0, end - step * device.kpi_interval_seconds / 4)) for step in range(5)]
    value = samples[0]
    return Response(body={"index": index, "interval": interval, "value": value, "min": min(samples), "max": max(samples),
                          "average": sum(samples) // len(samples)})
