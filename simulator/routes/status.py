"""/status (both profiles) and /mc_status (v7.4)."""

from __future__ import annotations

from simulator.routes import V74, Response, route


@route("GET status")
def status(device, _request):
    return Response(body=device.status_body())


@route("GET mc_status", profiles=(V74,))
def mc_status(device, _request):
    # Media Cluster status: a stand-alone VE SBC runs no media cluster (see docs/simulator.md).
    return Response(body={"clusterMode": "Disabled", "operationalState": "Not Applicable",
                          "mediaComponents": [], "serialNumber": device.serial})
