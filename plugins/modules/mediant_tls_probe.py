#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_tls_probe
short_description: See which certificate an AudioCodes Mediant device serves, with fresh TLS handshakes
version_added: 0.1.0
description:
  - Makes a fresh TLS handshake to each listener of O(endpoints) (by default the device's HTTPS
    management listener, O(host) and O(port)) and returns the certificate each one serves.
  - A completed handshake proves that the listener holds the private key of the certificate it
    served. With O(validate_certs=true) a second handshake checks that a client trusting
    O(ca_path) (or the system's CAs) and checking the host name accepts it (RV(listeners[].trusted)).
  - A fresh connection is what a new client gets; connections opened earlier keep what they
    negotiated. Use it after a certificate change to see that the device serves the new
    certificate (for example on its SIP-TLS interfaces).
  - Sends no REST request; needs no user name or password.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.attributes.info_module
  - audiocodes.mediant.attributes.idempotent_not_modify_state
options:
  username:
    description:
      - Accepted for the action group's defaults; not used (a TLS handshake needs no login).
    type: str
    required: false
  password:
    description:
      - Accepted for the action group's defaults; not used.
    type: str
    required: false
  endpoints:
    description:
      - The TLS listeners to probe. Default - O(host) and O(port) (the management listener).
    type: list
    elements: dict
    suboptions:
      host:
        description: Address or name to connect to (and to check the certificate's names against). Default O(host).
        type: str
      port:
        description: TCP port, for example a SIP interface's TLS port (5061).
        type: int
        required: true
      name:
        description: A label for the result, for example the SIP interface's name.
        type: str
      context:
        description: The TLS context (index or name) the listener should serve; returned as given, not checked.
        type: str
notes:
  - O(username) and O(password) are accepted (the action group's defaults carry them) but not used.
  - A listener that cannot be reached or refuses the handshake is reported in RV(listeners[].error);
    the task does not fail for it.
"""

EXAMPLES = r"""
- name: The certificate the HTTPS listener serves now
  audiocodes.mediant.mediant_tls_probe:
  register: https

- name: The certificates of two SIP-TLS interfaces
  audiocodes.mediant.mediant_tls_probe:
    endpoints:
      - {host: 192.0.2.20, port: 5061, name: Teams}
      - {host: 192.0.2.21, port: 5061, name: ITSP}
  register: sip
"""

RETURN = r"""
listeners:
  description: One entry per endpoint, in order.
  returned: always
  type: list
  elements: dict
  contains:
    host:
      description: Where it connected.
      type: str
    port:
      description: TCP port.
      type: int
    name:
      description: The endpoint's label (empty when none was given).
      type: str
    context:
      description: The endpoint's O(endpoints[].context), when given.
      type: str
    fingerprint:
      description: SHA-256 fingerprint of the certificate served (absent when the handshake failed).
      type: str
    subject:
      description: Its subject.
      type: str
    issuer:
      description: Its issuer.
      type: str
    subject_alt_names:
      description: Its subjectAltNames.
      type: list
      elements: str
    not_after:
      description: End of its validity, ISO 8601 UTC.
      type: str
    days_left:
      description: Days until it expires.
      type: int
    trusted:
      description: Whether a verifying client (O(ca_path), host name check) accepted it; null with O(validate_certs=false).
      type: bool
    trust_error:
      description: Why a verifying client refused it.
      type: str
    error:
      description: Why no certificate could be read (connection refused, handshake refused, ...).
      type: str
"""

import socket
import ssl

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule, mediant_argument_spec
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError

_CONNECTION = mediant_argument_spec()
ARGUMENT_SPEC = dict(
    # Accepted for the action group's defaults, not needed: a TLS handshake needs no login.
    username=dict(_CONNECTION["username"], required=False),
    password=dict(_CONNECTION["password"], required=False),
    endpoints=dict(type="list", elements="dict", options=dict(
        host=dict(type="str"),
        port=dict(type="int", required=True),
        name=dict(type="str"),
        context=dict(type="str"),
    )),
)


def handshake(host, port, timeout, context, server_hostname=None):
    """The DER certificate the listener serves on a fresh connection."""
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
            return tls.getpeercert(binary_form=True)


def unverified_context():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # Show whatever the device serves, small keys included; trust is judged separately.
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def verifying_context(ca_path):
    context = ssl.create_default_context(cafile=ca_path) if ca_path else ssl.create_default_context()
    return context


def reason(err):
    if isinstance(err, ssl.SSLCertVerificationError):
        return err.verify_message or str(err)
    if isinstance(err, socket.timeout):
        return "timed out"
    return getattr(err, "strerror", None) or str(err)


def probe(module, endpoint):
    params = module.params
    host = endpoint.get("host") or params["host"]
    port = endpoint["port"]
    entry = {"host": host, "port": port, "name": endpoint.get("name") or ""}
    if endpoint.get("context") is not None:
        entry["context"] = endpoint["context"]
    try:
        der = handshake(host, port, params["timeout"], unverified_context())
    except (OSError, ssl.SSLError) as err:
        entry["error"] = f"no TLS handshake with {host}:{port}: {reason(err)}"
        return entry
    cert = certs.load_certificate(ssl.DER_cert_to_PEM_cert(der), "the served certificate")
    info = certs.certificate_info(cert)
    entry.update({key: info[key] for key in ("fingerprint", "subject", "issuer", "subject_alt_names", "not_after", "days_left")})
    entry["trusted"] = None
    if params["validate_certs"]:
        try:
            handshake(host, port, params["timeout"], verifying_context(params["ca_path"]), server_hostname=host.strip("[]"))
            entry["trusted"] = True
        except ssl.SSLCertVerificationError as err:
            entry.update(trusted=False, trust_error=reason(err))
        except (OSError, ssl.SSLError) as err:
            entry.update(trusted=False, trust_error=f"verified handshake failed: {reason(err)}")
    return entry


def probe_listeners(module):
    if not certs.HAS_CRYPTOGRAPHY:
        raise TaskError(certs.MISSING_CRYPTOGRAPHY_MSG, exception=certs.CRYPTOGRAPHY_IMPORT_ERROR)
    params = module.params
    if params["protocol"] != "https" and not params["endpoints"]:
        raise InputError("protocol is http: the management listener has no TLS to probe; give endpoints", option="endpoints")
    endpoints = params["endpoints"] or [{"host": params["host"], "port": params["port"] or 443, "name": "https"}]
    return dict(changed=False, listeners=[probe(module, endpoint) for endpoint in endpoints])


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(probe_listeners)


if __name__ == "__main__":
    main()
