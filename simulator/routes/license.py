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
    if device.ha_partner:
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


def _file_key(device, request) -> str:
    try:
        keys = licensing.parse_license_file(text_of(upload_of(device, request)))
    except licensing.LicenseError as err:
        raise bad_request(str(err)) from err
    if device.serial not in keys:
        raise bad_request(f"license file holds no key for serial number {device.serial} (it has {', '.join(sorted(keys))})")
    return keys[device.serial]


@route("PUT license")
def put_license(device, request):
    if request.content_type.lower().startswith("application/json"):
        key = _json_key(device, request)
        description = "Device will reset now to activate new license"
    else:
        key = _file_key(device, request)
        description = "Device will reset now to activate new license"
    try:
        decoded = licensing.decode_key(key)
    except licensing.LicenseError as err:
        raise bad_request(str(err)) from err
    if decoded["serial"] != device.serial:
        raise bad_request(f"license key is for serial number {decoded['serial']}, not this device's {device.serial}")
    start = device.install_license(key)
    return Response(body={"description": description}, after=start, close=True)
