"""/kpi (v7.4): current and history performance values, intervals; /performanceMonitoring (v1.0)."""

from __future__ import annotations

from simulator import kpi_catalogue as catalogue
from simulator.errors import ApiError, bad_request
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


class _Place:
    """Where a KPI path points: application, group, entity, entity index, KPI (each None when not given)."""

    def __init__(self, device, rest: list, request_path: str):
        self.app = self.group = self.entity = self.index = self.kpi = None
        self.depth = len(rest)
        if rest:
            self.app = _named(catalogue.APPLICATIONS, rest[0], "application", "")
        if len(rest) > 1:
            self.group = _named(self.app.groups, rest[1], "group", f" in {self.app.id}")
        if len(rest) > 2:
            self.entity = _named(self.group.entities, rest[2], "entity", f" in {self.app.id}/{self.group.id}")
        remaining = rest[3:]
        if self.entity is not None and self.entity.indexes and remaining:
            rows = {str(row["id"]): row for row in device.kpi.entity_rows(self.entity.indexes)}
            if remaining[0] not in rows:
                raise bad_request(f"Invalid path: {self.entity.id} {remaining[0]} does not exist")
            self.index = rows[remaining[0]]
            remaining = remaining[1:]
        if len(remaining) > 1:
            raise ApiError(404, f"Unknown URL {request_path}")
        if remaining:
            self.kpi = catalogue.find(self.group.kpis, remaining[0])
            if self.kpi is None:
                raise ApiError(404, f"No performance monitoring parameter {remaining[0]!r} in {self.entity_path}")

    @property
    def lists_indexes(self) -> bool:
        return self.entity is not None and bool(self.entity.indexes) and self.index is None

    @property
    def entity_path(self) -> str:
        """``sbc/callStats/ipGroup/0``: what the entity's values are seeded by (and its URL below the mode)."""
        path = f"{self.app.id}/{self.group.id}/{self.entity.id}"
        return path if self.index is None else f"{path}/{self.index['id']}"


def _named(items, name: str, what: str, where: str):
    found = catalogue.find(items, name)
    if found is None:
        raise bad_request(f"Invalid path: no {what} {name!r}{where} (known: {', '.join(item.id for item in items)})")
    return found


def _value(device, place, kpi, intervals):
    if intervals is None:
        return device.kpi.current(kpi, place.entity_path, place.index)
    return device.kpi.interval_value(kpi, place.entity_path, intervals[0], place.index) if intervals else None


def _kpi_item(device, place, kpi, base, intervals, detailed):
    item = {"id": kpi.id}
    if detailed:
        item.update({"name": kpi.name, "description": kpi.description, "url": f"{base}/{place.entity_path}/{kpi.id}"})
    item["value"] = device.kpi.wire(_value(device, place, kpi, intervals))
    return item


@route("GET kpi/{mode}", profiles=(V74,))
@route("GET kpi/{mode}/{*rest}", profiles=(V74,))
def kpi_tree(device, request):  # pylint: disable=too-many-return-statements
    mode = request.params["mode"]
    rest = [part for part in request.params.get("rest", []) if part]
    if mode not in ("current", "history"):
        raise ApiError(404, f"Unknown URL {request.path}")
    base = f"/api/v1/kpi/{mode}"
    place = _Place(device, rest, request.path)
    query = request.query
    detailed = _check(query, VALUE_PARAMS if place.kpi is not None else LISTING_PARAMS)
    intervals = _interval_choice(device, query)
    if mode == "history" and intervals is None:
        intervals = [item["id"] for item in device.kpi.intervals()][-1:]
        if not intervals:
            return Response(status=204)
    if place.app is None:
        return _paged([{"id": app.id, "description": app.description, "url": f"{base}/{app.id}",
                        "groups": [group.id for group in app.groups]} for app in catalogue.APPLICATIONS], query)
    if place.group is None:
        return _paged([{"id": group.id, "description": group.description, "url": f"{base}/{place.app.id}/{group.id}"}
                       for group in place.app.groups], query)
    group_url = f"{base}/{place.app.id}/{place.group.id}"
    if place.entity is None:
        return _paged([{"id": entity.id, "description": entity.description, "url": f"{group_url}/{entity.id}"}
                       for entity in place.group.entities], query)
    if place.lists_indexes:
        rows = device.kpi.entity_rows(place.entity.indexes)
        if "id" in query:
            rows = [row for row in rows if str(row["id"]) == query["id"]]
            if not rows:
                return Response(status=204)
        items = [{"id": str(row["id"]), **({"name": row["name"], "description": row["description"]} if detailed else {}),
                  "url": f"{group_url}/{place.entity.id}/{row['id']}"} for row in rows]
        return _paged(items, query, numeric=True)
    if place.kpi is None:
        wanted = query.get("kpi")
        selected = [kpi for kpi in place.group.kpis if wanted is None or kpi.id.lower() == wanted.lower()]
        if not selected:
            raise bad_request(f"Unknown kpi {wanted!r} in {place.entity_path}")
        return _paged([_kpi_item(device, place, kpi, base, intervals, detailed) for kpi in selected], query)
    kpi = place.kpi
    if query.get("interval") == "all":
        if not intervals:
            return Response(status=204)
        return Response(body={"items": [
            {"interval": str(number), "value": device.kpi.wire(device.kpi.interval_value(kpi, place.entity_path, number, place.index))}
            for number in intervals]})
    if intervals is not None and not intervals:
        return Response(status=204)
    body = {"id": kpi.id, "value": device.kpi.wire(_value(device, place, kpi, intervals))}
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
    return [row["id"] for row in device.kpi.entity_rows("port" if source == "ports" else "ipGroup")]


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
    kpi = catalogue.kpi_at(path_template.replace("/{index}", ""))
    entity_path = path.strip("/").rsplit("/", 1)[0]
    elapsed = device.kpi.elapsed()
    # Interval 0 is the running value; 1 and 2 the last and previous 15-minute windows (scaled to kpi_interval_seconds).
    end = elapsed - (interval - 1) * device.kpi_interval_seconds if interval else elapsed
    end = max(0.0, end)
    samples = [device.kpi.value_at(kpi, entity_path, max(0.0, end - step * device.kpi_interval_seconds / 4)) for step in range(5)]
    value = samples[0]
    return Response(body={"index": index, "interval": interval, "value": value, "min": min(samples), "max": max(samples),
                          "average": sum(samples) // len(samples)})
