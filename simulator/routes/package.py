"""/files/configurationPackage.tar.gz: INI plus TLS certificates and trusted roots in one tar.gz.

Layout: ``configuration.ini`` and, per TLS context N, ``tls/N/certificate.pem`` and
``tls/N/trustedRoot.pem``. Private keys never leave the device, so a package restores
certificates against the keys the device already holds.
"""

from __future__ import annotations

import io
import os
import re
import tarfile
import time

from simulator.config import ConfigError, Configuration
from simulator.errors import bad_request
from simulator.routes import BINARY_FILE, OCTET, V74, Response, route
from simulator.routes.files import upload_of
from simulator.tls import TlsError, TlsStore

INI_NAME = "configuration.ini"
MAX_MEMBER = 16 * 1024 * 1024


def _add(tar: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


@route("GET files/configurationPackage.tar.gz", profiles=(V74,), produces={"GET": BINARY_FILE})
def get_package(device, _request):
    buffer = io.BytesIO()
    with device.lock, tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        _add(tar, INI_NAME, device.running.render_ini(device.ini_header()))
        for ctx in device.tls.context_ids():
            _add(tar, f"tls/{ctx}/certificate.pem", device.tls.get_certificate(ctx))
            roots = device.tls.get_trusted_roots(ctx)
            if roots.strip():
                _add(tar, f"tls/{ctx}/trustedRoot.pem", roots)
    return Response(body=buffer.getvalue(), content_type=OCTET,
                    headers={"Content-Disposition": 'attachment; filename="configurationPackage.tar.gz"'})


def _read_members(path: str) -> dict[str, str]:
    members = {}
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                if member.size > MAX_MEMBER:
                    raise bad_request(f"configuration package member {member.name} is too large")
                handle = tar.extractfile(member)
                members[member.name.lstrip("./")] = handle.read().decode("utf-8", "replace")
    except (tarfile.TarError, OSError, EOFError) as err:
        raise bad_request(f"configuration package is not a valid tar.gz archive: {err}") from err
    return members


@route("PUT files/configurationPackage.tar.gz", profiles=(V74,))
def put_package(device, request):
    upload = upload_of(device, request)
    with device.flash.temp_file("package") as tmp:
        for data in upload.chunks():
            tmp.write(data)
    try:
        members = _read_members(tmp.name)
    finally:
        os.unlink(tmp.name)
    ini_names = [name for name in members if name.endswith(".ini")]
    if len(ini_names) != 1:
        raise bad_request(f"configuration package must hold exactly one .ini file, found {len(ini_names)}")
    try:
        config = Configuration.from_ini(members[ini_names[0]], device.product)
    except ConfigError as err:
        raise bad_request(f"{ini_names[0]}: {err.description}") from err
    # TLS files are applied to a copy first: the package is all-or-nothing.
    with device.lock:
        store = TlsStore.from_json(device.tls.to_json())
        store.ensure_contexts(device._context_ids(config))  # pylint: disable=protected-access
        for name, text in sorted(members.items()):
            match = re.fullmatch(r"tls/(\d+)/(certificate|trustedRoot)\.pem", name)
            if not match:
                continue
            ctx = int(match.group(1))
            if ctx not in store.context_ids():
                raise bad_request(f"{name}: TLS context {ctx} is not in the package's configuration")
            try:
                if match.group(2) == "certificate":
                    store.put_certificate(ctx, text.encode())
                else:
                    store.put_trusted_roots(ctx, text.encode())
            except TlsError as err:
                raise bad_request(f"{name}: {err.description}") from err
        device.tls = store
        device.tls_changed()
        start = device.replace_configuration(config, "configuration package loaded")
    return Response(body={"description": "Device will reset now to activate new configuration"}, after=start, close=True)
