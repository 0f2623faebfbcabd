# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS contexts on the device (``files/tls``), for the device layer (device.py): the listing, and
one context's files - read, written, and the device's current public key learnt without its
private key. The one reader of TLS contexts: mediant_facts, mediant_certificate and
mediant_certificate_request all go through it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantClient, MediantError

if TYPE_CHECKING:  # pragma: no cover - types only
    from cryptography import x509
    PublicKeyHolder = Union[x509.Certificate, x509.CertificateSigningRequest]

TLS_CONTEXTS = "files/tls"
# Subject of the CSR asked for only to learn the device's current public key (a CSR changes nothing).
PROBE_SUBJECT = {"subjectName": "ansible-key-probe", "signatureAlgorithm": "sha256"}
# Answers of a context that has no such file (no certificate yet, an empty slot).
ABSENT = (400, 404)


class UnreadableFile(MediantError):
    """The device answered with a file that is not what it should be (an unreadable certificate)."""


def list_contexts(client: MediantClient) -> list[dict[str, Any]]:
    """The contexts ``GET files/tls`` lists, as the device sends them (``id``, ``name``, ...)."""
    listing = client.get_json(TLS_CONTEXTS) or {}
    return [item for item in listing.get("tls", []) if isinstance(item, dict)]


def resolve_context(client: MediantClient, wanted: Any) -> dict[str, str]:
    """{"id", "name"} of the context given by index or name (exact, else case-insensitive when
    unambiguous); MediantError naming the available contexts when there is none."""
    wanted = str(wanted).strip()
    contexts = [(str(item.get("id")), str(item.get("name", ""))) for item in list_contexts(client)]
    # By id, else by exact name, else by name ignoring case (only when that is unambiguous).
    for found in ([item for item in contexts if item[0] == wanted],
                  [item for item in contexts if item[1] == wanted],
                  [item for item in contexts if item[1].lower() == wanted.lower()]):
        if len(found) == 1:
            return {"id": found[0][0], "name": found[0][1]}
    available = ", ".join(f"{cid} ({name})" for cid, name in contexts) or "none"
    raise MediantError(f"TLS context {wanted!r} not found on the device; available contexts: {available}")


class TlsContext:
    """The files of one TLS context on the device, read and written through the REST client.
    Writes wait out a busy device (409) for ``busy_timeout`` seconds."""

    def __init__(self, client: MediantClient, context_id: Any, busy_timeout: int | None = None):
        self.client = client
        self.context_id = str(context_id)
        self.base = f"{TLS_CONTEXTS}/{context_id}"
        self.busy_timeout = busy_timeout
        self._probed_key: x509.CertificateSigningRequest | None = None

    def post(self, item: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.client.post_json(f"{self.base}/{item}", body, busy_timeout=self.busy_timeout)

    def put_file(self, item: str, content: str, filename: str) -> dict[str, Any]:
        return self.client.upload(f"{self.base}/{item}", content=content, filename=filename, busy_timeout=self.busy_timeout)

    def key_status(self, missing_ok: bool = False) -> dict[str, Any] | None:
        """{"size", "valid"} of the context's private key; with ``missing_ok``, None for a context
        without one."""
        try:
            status = self.client.get_json(self.base + "/privateKey") or {}
        except MediantError as err:
            if missing_ok and err.status in ABSENT:
                return None
            raise
        return {"size": status.get("size"), "valid": bool(status.get("valid"))}

    def certificate(self, missing_ok: bool = False) -> x509.Certificate | None:
        """The context's device certificate (the first of a chain); None when the context holds
        none (with ``missing_ok``, also when the device answers that it has none). UnreadableFile
        for what is not a certificate."""
        try:
            text = self.client.get_text(self.base + "/certificate")
        except MediantError as err:
            if missing_ok and err.status in ABSENT:
                return None
            raise
        if not text.strip():
            return None
        try:
            return certs.split_certificates(text, "the device certificate")[0]
        except certs.CertificateError as err:
            raise UnreadableFile(f"The device returned an unreadable certificate for {self.base}: {err}") from None

    def trusted_roots(self) -> list[x509.Certificate]:
        text = self.client.get_text(self.base + "/trustedRoot")
        if not text.strip():
            return []
        try:
            return certs.split_certificates(text, "the device's trusted root store")
        except certs.CertificateError as err:
            raise UnreadableFile(f"The device returned an unreadable trusted root store for {self.base}: {err}") from None

    def certificate_request(self, body: dict[str, Any]) -> x509.CertificateSigningRequest:
        response = self.client.request("POST", self.base + "/certificate/request", json_body=body, retry=True,
                                       busy_timeout=self.busy_timeout)
        try:
            return certs.load_csr(response.text, "the CSR the device returned")
        except certs.CertificateError as err:
            raise UnreadableFile(f"The device returned an unreadable CSR for {self.base}: {err}") from None

    def current_public_key(self, key_status: dict[str, Any], certificate: x509.Certificate | None) -> PublicKeyHolder:
        """The device's current key, as its certificate's key while they match, else learned
        from a CSR (the device signs it with its current key and stores nothing)."""
        if key_status["valid"] and certificate is not None:
            return certificate
        if self._probed_key is None:
            self._probed_key = self.certificate_request(PROBE_SUBJECT)
        return self._probed_key


def open_context(client: MediantClient, wanted: Any, busy_timeout: int | None = None) -> tuple[dict[str, str], TlsContext]:
    """{"id", "name"} of the context given by index or name and its :class:`TlsContext`; TaskError
    for a device whose API has no TLS context files (v1.0, firmware 7.00A or older)."""
    if client.api_version == "1.0":
        raise TaskError("TLS context files (files/tls) need the REST API v7.x; this device speaks the v1.0 API "
                        "(firmware 7.00A or older)")
    context = resolve_context(client, wanted)
    return context, TlsContext(client, context["id"], busy_timeout)
