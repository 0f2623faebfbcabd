"""/files/tls and /files/tls/<id>/...: private key, certificate, CSR, trusted roots (v7.4 only)."""

from __future__ import annotations

from simulator.errors import ApiError, bad_request
from simulator.routes import OCTET, TEXT_FILE, V74, Response, route
from simulator.routes.files import upload_of
from simulator.tls import TlsError, TlsStore

CERT_FIELDS = ("subjectName", "organizationalUnit", "companyName", "localityName", "state", "countryCode")
SIGNATURE_ALGORITHMS = ("sha1", "sha256", "sha512")


def _context(device, request) -> int:
    raw = request.params["ctx"]
    if not raw.isdigit() or int(raw) not in device.tls.context_ids():
        raise ApiError(404, f"TLS context {raw} does not exist")
    return int(raw)


def _tls_call(device, action):
    """Run a TlsStore change; its TlsError becomes a 400 (404 for a missing context)."""
    with device.lock:
        try:
            result = action()
        except TlsError as err:
            raise ApiError(getattr(err, "status", 400), err.description) from err
        device.tls_changed()
        return result


def _fields(body: dict, allowed) -> dict:
    unknown = set(body) - set(allowed)
    if unknown:
        raise bad_request(f"Unknown attribute(s) {', '.join(sorted(unknown))}; allowed: {', '.join(allowed)}")
    for key, value in body.items():
        if not isinstance(value, str):
            raise bad_request(f"{key} must be a string")
    return body


@route("GET files/tls", profiles=(V74,))
def list_contexts(device, _request):
    return Response(body={"tls": [{"id": str(item["id"]), "name": item["name"], "url": f"/api/v1/files/tls/{item['id']}"}
                                  for item in device.tls_contexts()]})


@route("GET files/tls/{ctx}", profiles=(V74,))
def context_items(device, request):
    ctx = _context(device, request)
    return Response(body={"items": [
        {"id": "privateKey", "description": "Private key", "url": f"/api/v1/files/tls/{ctx}/privateKey"},
        {"id": "certificate", "description": "TLS certificate", "url": f"/api/v1/files/tls/{ctx}/certificate"},
        {"id": "trustedRoot", "description": "Trusted root", "url": f"/api/v1/files/tls/{ctx}/trustedRoot"},
    ]})


@route("GET files/tls/{ctx}/privateKey", profiles=(V74,))
def key_status(device, request):
    ctx = _context(device, request)
    return Response(body=device.tls.key_status(ctx))


@route("PUT files/tls/{ctx}/privateKey", profiles=(V74,))
def put_key(device, request):
    ctx = _context(device, request)
    unknown = set(request.query) - {"password"}
    if unknown:
        raise bad_request(f"Unknown query parameter(s): {', '.join(sorted(unknown))}")
    pem = upload_of(device, request).read_all()
    _tls_call(device, lambda: device.tls.put_private_key(ctx, pem, request.query.get("password")))
    return Response(body={"description": "Private key was successfully changed"})


@route("POST files/tls/{ctx}/privateKey/generate", profiles=(V74,))
def generate_key(device, request):
    ctx = _context(device, request)
    body = request.json()
    unknown = set(body) - {"size"}
    if unknown:
        raise bad_request(f"Unknown attribute(s) {', '.join(sorted(unknown))}; allowed: size")
    _tls_call(device, lambda: device.tls.generate_private_key(ctx, body.get("size", 1024)))
    return Response(body={"description": "Private key was successfully generated"})


@route("POST files/tls/{ctx}/certificate/generate", profiles=(V74,))
def generate_certificate(device, request):
    ctx = _context(device, request)
    fields = _fields(request.json(), CERT_FIELDS)
    _tls_call(device, lambda: device.tls.generate_self_signed(ctx, fields))
    return Response(body={"description": "Self-signed certificate was successfully generated"})


@route("POST files/tls/{ctx}/certificate/request", profiles=(V74,), produces={"POST": TEXT_FILE}, sync_exempt=("POST",))
def certificate_request(device, request):
    ctx = _context(device, request)
    fields = _fields(request.json(), CERT_FIELDS + ("signatureAlgorithm",))
    algorithm = fields.pop("signatureAlgorithm", "sha1")
    if algorithm not in SIGNATURE_ALGORITHMS:
        raise bad_request(f"signatureAlgorithm must be one of {', '.join(SIGNATURE_ALGORITHMS)}")
    with device.lock:
        try:
            csr = device.tls.certificate_request(ctx, fields, algorithm)
        except TlsError as err:
            raise ApiError(getattr(err, "status", 400), err.description) from err
    return Response(body=csr, content_type=OCTET)


# The certificate and the trusted roots are PEM documents read and written whole; one pair of handlers serves them.


def _pem_reader(read):
    """A GET handler answering with ``read(store, ctx)``, the context's PEM text."""
    def get_pem(device, request):
        ctx = _context(device, request)
        return Response(body=read(device.tls, ctx), content_type=OCTET)
    return get_pem


def _pem_writer(write, done: str):
    """A PUT handler giving the uploaded PEM to ``write(store, ctx, pem)``; ``done`` is the reply's description."""
    def put_pem(device, request):
        ctx = _context(device, request)
        pem = upload_of(device, request).read_all()
        _tls_call(device, lambda: write(device.tls, ctx, pem))
        return Response(body={"description": done})
    return put_pem


route("GET files/tls/{ctx}/certificate", profiles=(V74,), produces={"GET": TEXT_FILE})(_pem_reader(TlsStore.get_certificate))
route("PUT files/tls/{ctx}/certificate", profiles=(V74,))(_pem_writer(TlsStore.put_certificate, "Certificate was successfully changed"))
route("GET files/tls/{ctx}/trustedRoot", profiles=(V74,), produces={"GET": TEXT_FILE})(_pem_reader(TlsStore.get_trusted_roots))
route("PUT files/tls/{ctx}/trustedRoot", profiles=(V74,))(_pem_writer(TlsStore.put_trusted_roots, "Trusted root store was successfully changed"))
route("PUT files/tls/{ctx}/trustedRoot/incremental", profiles=(V74,))(_pem_writer(TlsStore.add_trusted_root, "Trusted root certificate was successfully added"))
