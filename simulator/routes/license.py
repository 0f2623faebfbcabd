"""/license: GET the active key; PUT a key as JSON (not on HA devices) or a license file upload."""

from __future__ import annotations

from simulator import license as licensing
from simulator.errors import bad_request, conflict
from simulator.routes import Response, route
from simulator.routes.files import text_of, upload_of


@route("GET license")
def get_license(device, _request):
    return Response(body={"licenseVersion": 1, "serialNumber": device.serial, "key": device.license_key,
                          "keyDescription": device.license_description()})


def _json_key(device, request) -> str:
    if device.ha:
        raise conflict("License key can't be applied to device in HA configuration. Use license file instead.")
    body = request.json(required=True)
    unknown = set(body) - {"licenseVersion", "serialNumber", "key"}
    if unknown:
        raise bad_request(f"Unknown attribute(s) {', '.join(sorted(unknown))}; allowed: licenseVersion, serialNumber, key")
    version = body.get("licenseVersion", 1)
    if version != 1 or isinstance(version, bool):
        raise bad_request(f"licenseVersion must be 1, got {version!r}")
    serial = body.get("serialNumber")
    if serial is not None and str(serial) != device.serial:
        raise bad_request(f"serialNumber {serial} does not match the device's serial number {device.serial}")
    key = body.get("key")
    if not isinstance(key, str):
        raise bad_request("key is required (a string)")
    return key


def _file_keys(device, request) -> dict:
    """{serial: key} of the file; it must hold the active unit's key (a pair's other unit takes its own if present)."""
    try:
        keys = licensing.parse_license_file(text_of(upload_of(device, request)))
    except licensing.LicenseError as err:
        raise bad_request(str(err)) from err
    if device.serial not in keys:
        raise bad_request(f"license file holds no key for serial number {device.serial} (it has {', '.join(sorted(keys))})")
    return keys


@route("PUT license")
def put_license(device, request):
    keys = None
    if request.content_type.lower().startswith("application/json"):
        key = _json_key(device, request)
    else:
        keys = _file_keys(device, request)
        key = keys[device.serial]
    description = "Device will reset now to activate new license"
    try:
        decoded = licensing.decode_key(key)
    except licensing.LicenseError as err:
        raise bad_request(str(err)) from err
    if decoded["serial"] != device.serial:
        raise bad_request(f"license key is for serial number {decoded['serial']}, not this device's {device.serial}")
    for serial, other in (keys or {}).items():
        if serial != device.serial and device.ha and serial in {unit.serial for unit in device.ha.units}:
            try:
                if licensing.decode_key(other)["serial"] != serial:
                    raise licensing.LicenseError(f"license key for {serial} is for serial number {licensing.decode_key(other)['serial']}")
            except licensing.LicenseError as err:
                raise bad_request(f"license file: {err}") from err
    start = device.install_license(key, keys)
    return Response(body={"description": description}, after=start, close=True)
