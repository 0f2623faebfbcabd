"""/files: configuration files (INI, CLI), software loads, auxiliary files, the configuration package."""

from __future__ import annotations

import hashlib
import os

from simulator.config import CliError, ConfigError, Configuration
from simulator.errors import ApiError, bad_request, conflict
from simulator.routes import OCTET, TEXT_FILE, V10, V74, Response, route
from simulator.software import CmpError, CmpVerifier, can_run
from simulator.uploads import open_upload

# Auxiliary files: id → description. v1.0 lists the first seven (its guide spells castable in lower case).
AUX_V10 = {
    "amd": "Answering machine detection",
    "castable": "CAS table",
    "codertable": "External coders table",
    "cpt": "Call progress tones",
    "dialplan": "Dialing plan",
    "prt": "Pre-recorded tones",
    "voiceprompts": "Voice prompts",
}
AUX_V74 = {
    **AUX_V10,
    "casTable": "CAS table",
    "usersInfo": "Users information file",
    "sbcWizard": "SBC wizard template package",
    "fixs": "Fix (patch) file, signed",
    "fixo": "Fix (patch) file",
}


def upload_of(device, request):
    return open_upload(request.body, request.content_type, multipart_api=device.profile != V10)


def text_of(upload) -> str:
    raw = upload.read_all()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _listing(ids):
    return Response(body={"files": [{"id": file_id, "description": text, "url": f"/api/v1/files/{file_id}"} for file_id, text in ids]})


@route("GET files", profiles=(V74,))
def files_v74(_device, _request):
    ids = [("ini", "INI configuration file"), ("software", "Software load"), ("cliScript", "CLI configuration script"),
           ("tls", "TLS context files"), ("configurationPackage.tar.gz", "Configuration package")]
    return _listing(ids + [(key, text) for key, text in AUX_V74.items() if key != "castable"])


@route("GET files", profiles=(V10,))
def files_v10(_device, _request):
    ids = [("ini", "INI configuration file"), ("software", "Software load"), ("cliScript", "CLI configuration script")]
    return _listing(ids + list(AUX_V10.items()))


# ------------------------------------------------------------------ configuration files: INI and CLI
# Both formats load the same way. A full load becomes the startup configuration and resets the device;
# an incremental load changes a copy of the running configuration, all-or-nothing.


def _refused(err: ConfigError | CliError) -> ApiError:
    """The 400 for a refused file; a refused CLI script also shows what it printed up to the failing line."""
    if isinstance(err, CliError):
        return ApiError(400, err.description, extra={"output": err.output})
    return bad_request(err.description)


def _load_full(device, request, parse, reason: str) -> Response:
    """``parse(text, product)`` builds the new startup configuration from the uploaded file."""
    text = text_of(upload_of(device, request))
    try:
        config = parse(text, device.product)
    except (ConfigError, CliError) as err:
        raise _refused(err) from err
    start = device.replace_configuration(config, reason)
    return Response(body={"description": "Device will reset now to activate new configuration"}, after=start, close=True)


def _load_incremental(device, request, apply):
    """``apply(candidate, text)`` changes a copy of the running configuration; returns what it returned."""
    text = text_of(upload_of(device, request))
    with device.lock:
        before = device.running
        candidate = before.copy()
        try:
            result = apply(candidate, text)
        except (ConfigError, CliError) as err:
            raise _refused(err) from err
        if candidate != before:
            device.config_changed(candidate, candidate.changed_names(before))
    return result


@route("GET files/ini", produces={"GET": TEXT_FILE})
def get_ini(device, _request):
    return Response(body=device.running.render_ini(device.ini_header()), content_type=OCTET)


@route("PUT files/ini")
def put_ini(device, request):
    return _load_full(device, request, Configuration.from_ini, "new INI file loaded")


@route("PUT files/ini/incremental")
def put_ini_incremental(device, request):
    changed = _load_incremental(device, request, lambda candidate, text: candidate.apply_ini_incremental(text))
    return Response(body={"description": "Incremental INI file was loaded", "changed": changed,
                          "resetNeeded": device.reset_needed})


@route("GET files/cliScript", produces={"GET": TEXT_FILE})
def get_cli(device, _request):
    return Response(body=device.running.render_cli(), content_type=OCTET)


@route("PUT files/cliScript")
def put_cli(device, request):
    return _load_full(device, request, Configuration.from_cli, "new CLI script loaded")


@route("PUT files/cliScript/incremental")
def put_cli_incremental(device, request):
    output = _load_incremental(device, request, lambda candidate, text: candidate.run_cli_incremental(text, device.show_context()))
    description = "Incremental CLI script file was loaded" if device.profile == V10 else "Incremental CLI Script file was loaded."
    return Response(body={"description": description, "output": output})


# ------------------------------------------------------------------ software


def _receive_software(device, request):
    """Stream the load to a temporary file while checking it; returns the version it carries."""
    upload = upload_of(device, request)
    verifier = CmpVerifier()
    with device.flash.temp_file("software") as tmp:
        path = tmp.name
        try:
            for data in upload.chunks():
                verifier.feed(data)
                tmp.write(data)
            version = verifier.finish()
        except CmpError as err:
            raise bad_request(f"Software load is incorrect: {err}") from err
        finally:
            tmp.close()
            os.unlink(path)
    if not can_run(version):
        raise bad_request(f"Software load {version} cannot run on {device.product}")
    return version


@route("PUT files/software")
def put_software(device, request):
    version = _receive_software(device, request)
    start = device.install_software(version, f"software load {version} installed")
    return Response(body={"description": "Device will reset now to activate new software load"}, after=start, close=True)


@route("PUT files/software/hitless")
def put_software_hitless(device, request):
    if not device.ha_partner:
        # Refused before the upload is read: a stand-alone device has no peer to switch over to.
        raise conflict("Hitless software upgrade requires an HA system; this device is stand-alone (use /files/software)")
    version = _receive_software(device, request)
    start = device.install_software(version, f"hitless upgrade to {version}")
    return Response(body={"description": "Device will perform switchover to activate new software load"}, after=start, close=True)


# ------------------------------------------------------------------ auxiliary files


def _aux_handler(file_id):
    def put_aux(device, request):
        upload = upload_of(device, request)
        digest = hashlib.sha256()
        size = 0
        with device.flash.temp_file(file_id) as tmp:
            try:
                for data in upload.chunks():
                    digest.update(data)
                    size += len(data)
                    tmp.write(data)
            except ApiError:
                tmp.close()
                os.unlink(tmp.name)
                raise
        if size == 0:
            os.unlink(tmp.name)
            raise bad_request(f"Uploaded {file_id} file is empty")
        device.record_file(file_id, tmp.name, size, digest.hexdigest(), upload.filename)
        return Response(body={"description": f"File {file_id} was successfully loaded"})
    return put_aux


for _file_id in AUX_V74:
    route(f"PUT files/{_file_id}", profiles=(V74,) if _file_id not in AUX_V10 else (V74, V10))(_aux_handler(_file_id))


# Registered last: the package module needs the helpers above.
from simulator.routes import package  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
