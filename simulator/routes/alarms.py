"""/alarms, /alarms/active, /alarms/history and single alarms."""

from __future__ import annotations

from simulator.errors import ApiError, bad_request
from simulator.routes import Response, route
from simulator.routes.paging import page

DEFAULT_LIMIT = 20


@route("GET alarms")
def alarm_tables(_device, _request):
    return Response(body={"alarms": [
        {"id": "active", "description": "Active alarms", "url": "/api/v1/alarms/active"},
        {"id": "history", "description": "History alarms", "url": "/api/v1/alarms/history"},
    ]})


def _check_query(request, allowed):
    unknown = set(request.query) - set(allowed)
    if unknown:
        raise bad_request(f"Unknown query parameter(s): {', '.join(sorted(unknown))}")


def _listing(request, alarms, table):
    _check_query(request, ("limit", "after", "before"))
    by_id = {str(alarm.id): alarm for alarm in alarms}
    keys, cursor = page(list(by_id), request.query, DEFAULT_LIMIT, numeric=True)
    if not keys:
        return Response(status=204)
    return Response(body={"alarms": [by_id[key].summary(table) for key in keys], "cursor": cursor})


def _single(request, alarms, table, alarm_id):
    _check_query(request, ("oid",))
    oid = request.query.get("oid", "0")
    if oid not in ("0", "1"):
        raise bad_request(f"oid must be 0 or 1, got {oid!r}")
    for alarm in alarms:
        if str(alarm.id) == alarm_id:
            return Response(body=alarm.detail(table, oid == "1"))
    raise ApiError(404, f"No {table} alarm with id {alarm_id}")


@route("GET alarms/active")
def active(device, request):
    device.evaluate_conditions()  # a certificate may have come within 30 days of expiry since the last change
    return _listing(request, device.alarms.active_list(), "active")


@route("GET alarms/history")
def history(device, request):
    return _listing(request, device.alarms.history_list(), "history")


@route("GET alarms/active/lastChange")
def last_change(device, _request):
    changed = device.alarms.last_change
    if changed is None:
        raise ApiError(404, "No active alarm was raised or cleared since the device started")
    return Response(body={"lastChange": changed.strftime("%Y-%m-%d %H:%M:%S+00:00")})


@route("GET alarms/active/{alarm_id}")
def one_active(device, request):
    return _single(request, device.alarms.active_list(), "active", request.params["alarm_id"])


@route("GET alarms/history/{alarm_id}")
def one_history(device, request):
    return _single(request, device.alarms.history_list(), "history", request.params["alarm_id"])
