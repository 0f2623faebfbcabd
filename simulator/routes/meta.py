"""Discovery: /api, /api/v1 and the /api/v1/versions row of Table 2-2."""

from __future__ import annotations

from simulator.routes import V10, V74, Response, route

VERSIONS = {"versions": [{"id": "v1", "status": "stable", "url": "/api/v1"}]}

TREE_V74 = [
    ("actions", "Device actions"),
    ("alarms", "Device alarms"),
    ("files", "Upload and download of configuration files"),
    ("license", "License management"),
    ("status", "Device status"),
    ("kpi", "key indicators performance"),
]
TREE_V10 = [
    ("actions", "Device actions"),
    ("alarms", "Device alarms"),
    ("files", "Upload and download of configuration files"),
    ("license", "License management"),
    ("performanceMonitoring", "Performance monitoring"),
    ("status", "Device status"),
]


@route("GET @api", row="/api/v1/versions")
@route("GET versions", row="/api/v1/versions")
def versions(_device, _request):
    return Response(body=VERSIONS)


@route("GET @v1", profiles=(V74,), row="/api/v1/versions")
def tree_v74(_device, _request):
    # The guide's example points "alarms" at /api/v1/actions; the simulator gives the right URL.
    return Response(body={"items": [{"id": key, "description": text, "url": f"/api/v1/{key}"} for key, text in TREE_V74]})


@route("GET @v1", profiles=(V10,), row="/api/v1/versions")
def tree_v10(_device, _request):
    return Response(body={"items": [{"id": key, "description": text, "url": f"/api/v1/{key}"} for key, text in TREE_V10]})
