# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One TLS context's files on the device (``files/tls/<id>``): read, written, and the device's
current public key learnt without its private key. Shared by the certificate modules."""

from __future__ import annotations

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError

# Subject of the CSR asked for only to learn the device's current public key (a CSR changes nothing).
PROBE_SUBJECT = {"subjectName": "ansible-key-probe", "signatureAlgorithm": "sha256"}


class TlsContext:
    """The files of one TLS context on the device, read and written through the REST client.
    Writes wait out a busy device (409) for ``busy_timeout`` seconds."""

    def __init__(self, client, context_id, busy_timeout=None):
        self.client = client
        self.base = f"files/tls/{context_id}"
        self.busy_timeout = busy_timeout
        self._probed_key = None

    def post(self, item, body):
        return self.client.post_json(f"{self.base}/{item}", body, busy_timeout=self.busy_timeout)

    def put_file(self, item, content, filename):
        return self.client.upload(f"{self.base}/{item}", content=content, filename=filename, busy_timeout=self.busy_timeout)

    def key_status(self):
        status = self.client.get_json(self.base + "/privateKey") or {}
        return {"size": status.get("size"), "valid": bool(status.get("valid"))}

    def certificate(self):
        text = self.client.get_text(self.base + "/certificate")
        if not text.strip():
            return None
        try:
            return certs.load_certificate(text, "the device certificate")
        except certs.CertificateError as err:
            raise MediantError(f"The device returned an unreadable certificate for {self.base}: {err}") from None

    def trusted_roots(self):
        text = self.client.get_text(self.base + "/trustedRoot")
        if not text.strip():
            return []
        try:
            return certs.split_certificates(text, "the device's trusted root store")
        except certs.CertificateError as err:
            raise MediantError(f"The device returned an unreadable trusted root store for {self.base}: {err}") from None

    def certificate_request(self, body):
        response = self.client.request("POST", self.base + "/certificate/request", json_body=body, retry=True,
                                       busy_timeout=self.busy_timeout)
        try:
            return certs.load_csr(response.text, "the CSR the device returned")
        except certs.CertificateError as err:
            raise MediantError(f"The device returned an unreadable CSR for {self.base}: {err}") from None

    def current_public_key(self, key_status, certificate):
        """The device's current key, as its certificate's key while they match, else learned
        from a CSR (the device signs it with its current key and stores nothing)."""
        if key_status["valid"] and certificate is not None:
            return certificate
        if self._probed_key is None:
            self._probed_key = self.certificate_request(PROBE_SUBJECT)
        return self._probed_key


def resolve_context(client, wanted):
    """{"id", "name"} of the context given by index or name (exact, else case-insensitive when
    unambiguous); MediantError naming the available contexts when there is none."""
    wanted = str(wanted).strip()
    listing = client.get_json("files/tls") or {}
    contexts = [(str(item.get("id")), str(item.get("name", ""))) for item in listing.get("tls", []) if isinstance(item, dict)]
    # By id, else by exact name, else by name ignoring case (only when that is unambiguous).
    for found in ([item for item in contexts if item[0] == wanted],
                  [item for item in contexts if item[1] == wanted],
                  [item for item in contexts if item[1].lower() == wanted.lower()]):
        if len(found) == 1:
            return {"id": found[0][0], "name": found[0][1]}
    available = ", ".join(f"{cid} ({name})" for cid, name in contexts) or "none"
    raise MediantError(f"TLS context {wanted!r} not found on the device; available contexts: {available}")
