#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_certificate_request
short_description: Make a new private key and a certificate signing request for a TLS context of an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Gives a TLS context of the device (REST API v7.x, C(files/tls/<id>)) a new private key and
    returns a certificate signing request (CSR) for it, to be signed by a CA.
  - "O(key_source=device): the device generates the key (C(privateKey/generate)) and makes the
    CSR (C(certificate/request)) with SHA-256 or SHA-512; the key never leaves the device. The
    device's CSR cannot carry subjectAltNames."
  - "O(key_source=controller): the key and the CSR are made on the host that runs the module,
    with O(subject_alt_names). The key is then uploaded to the context, or, with
    O(private_key_dest), written there encrypted with O(private_key_passphrase) and not
    uploaded (for a context in service, which must get key and certificate together). The key
    is never written unencrypted and never returned."
  - A new key does not match the context's certificate until the signed certificate is
    uploaded (M(audiocodes.mediant.mediant_certificate)). Such a I(pending) key is kept on a
    second run, so the task is idempotent until the certificate is in place, see O(regenerate).
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.busy
attributes:
  check_mode:
    support: full
    details:
      - Nothing is generated, uploaded or written; RV(csr) is returned when a pending key would be kept.
  diff_mode:
    support: none
  idempotent:
    support: full
    details:
      - A pending key (see O(regenerate)) and its CSR are reused; a new key is made only when
        there is none.
options:
  context:
    description:
      - The TLS context, by index or by name.
    type: str
    required: true
  key_source:
    description:
      - Where the private key is made, see the description.
    type: str
    choices: [device, controller]
    default: device
  key_size:
    description:
      - Size of the RSA key in bits. A pending key smaller than this is replaced.
    type: int
    choices: [2048, 4096]
    default: 2048
  subject:
    description:
      - Subject of the request (at least O(subject.common_name)).
    type: dict
    required: true
    suboptions:
      common_name:
        description: Common name (CN), for example the device's FQDN.
        type: str
      organizational_unit:
        description: Organizational unit (OU).
        type: str
      organization:
        description: Organization, the company name (O).
        type: str
      locality:
        description: Locality or city (L).
        type: str
      state:
        description: State or province (ST).
        type: str
      country:
        description: Two-letter country code (C).
        type: str
  subject_alt_names:
    description:
      - subjectAltNames of the request, each V(DNS:<name>) or V(IP:<address>) (a bare value is an
        IP address when it is one, else a DNS name).
      - Only with O(key_source=controller), since the device's CSR has no subjectAltName field.
    type: list
    elements: str
  signature_algorithm:
    description:
      - Hash of the request's signature (the device's own default, SHA-1, is not offered).
    type: str
    choices: [sha256, sha512]
    default: sha256
  private_key_dest:
    description:
      - With O(key_source=controller), write the new key to this path on the host that runs the
        module, encrypted (PKCS#8) with O(private_key_passphrase), mode 0600, instead of uploading it.
      - A key already there that opens with the passphrase and is large enough is kept (a pending key).
    type: path
  private_key_passphrase:
    description:
      - Passphrase that encrypts O(private_key_dest).
    type: str
  csr_path:
    description:
      - Write the CSR to this path on the host that runs the module (its directory must exist).
        Written only when its content differs. Not secret.
      - With O(key_source=controller) and no O(private_key_dest), the CSR written here is how a
        second run recognizes the key it uploaded (the device never returns the key), so give it.
    type: path
  regenerate:
    description:
      - Make a new key even when the context holds a pending key (a key that does not match the
        context's certificate, made by an earlier run that did not get its certificate in yet).
      - Without it a pending key is kept when it is at least O(key_size) bits and, for a
        controller key, the CSR of O(csr_path) belongs to it and has the wanted subject and names.
    type: bool
    default: false
notes:
  - Needs the Security Administrator level and the v7.x REST API (firmware 7.20 and later).
  - A key pending in a context that is in service breaks nothing on a device that keeps serving
    its last matching pair, but that is not documented; for such contexts make the key on the
    controller with O(private_key_dest) and upload key and certificate together, or generate
    it in a spare context. The role M(audiocodes.mediant.certificate_renewal) does that.
seealso:
  - module: audiocodes.mediant.mediant_certificate
  - module: audiocodes.mediant.mediant_certificate_sign
"""

EXAMPLES = r"""
- name: A new 2048-bit key on the device and a CSR for it
  audiocodes.mediant.mediant_certificate_request:
    context: SIP-TLS
    subject:
      common_name: sbc1.example.com
      organization: Example Corp
    csr_path: requests/sbc1-sip-tls.csr
  register: request

- name: A key made on the controller, with subjectAltNames, uploaded to context 2
  audiocodes.mediant.mediant_certificate_request:
    context: 2
    key_source: controller
    subject:
      common_name: sbc1.example.com
    subject_alt_names:
      - DNS:sbc1.example.com
      - DNS:sip.example.com
      - IP:192.0.2.10
    csr_path: requests/sbc1-ctx2.csr

- name: A key for the HTTPS context, kept encrypted on the controller until its certificate is signed
  audiocodes.mediant.mediant_certificate_request:
    context: 0
    key_source: controller
    subject:
      common_name: sbc1.example.com
    subject_alt_names: [DNS:sbc1.example.com]
    private_key_dest: requests/sbc1-ctx0.key.pem
    private_key_passphrase: "{{ vault_key_passphrase }}"
    csr_path: requests/sbc1-ctx0.csr
"""

RETURN = r"""
context:
  description: The TLS context.
  returned: always
  type: dict
  sample: {"id": "1", "name": "SIP-TLS"}
key_source:
  description: Where the key was made.
  returned: always
  type: str
  sample: device
key_generated:
  description: Whether a new key was made (false when a pending key was kept).
  returned: always
  type: bool
key_size:
  description: Size of the key in bits.
  returned: always
  type: int
  sample: 2048
csr:
  description: The certificate signing request, PEM.
  returned: success, except in check mode when a new key would be made
  type: str
public_key_fingerprint:
  description: SHA-256 of the key's public half (DER SubjectPublicKeyInfo), to match the signed certificate against.
  returned: when RV(csr) is returned
  type: str
subject:
  description: Subject of the request (RFC 4514 text).
  returned: always
  type: str
  sample: CN=sbc1.example.com,O=Example Corp
subject_alt_names:
  description: subjectAltNames of the request.
  returned: always
  type: list
  elements: str
  sample: ["DNS:sbc1.example.com", "IP:192.0.2.10"]
csr_written:
  description: Whether O(csr_path) was (re)written.
  returned: when O(csr_path) is given
  type: bool
"""

import os

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_issuing as issuing
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificate_plan import WantedRequest, pending_key_kept
from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule, busy_argument_spec, subject_argument_spec
from ansible_collections.audiocodes.mediant.plugins.module_utils.local_files import write_file, write_if_changed
from ansible_collections.audiocodes.mediant.plugins.module_utils.tls_context import open_context

SUBJECT_SPEC = subject_argument_spec()
ARGUMENT_SPEC = dict(
    context=dict(type="str", required=True),
    key_source=dict(type="str", choices=["device", "controller"], default="device"),
    key_size=dict(type="int", choices=[2048, 4096], default=2048, no_log=False),
    subject=dict(type="dict", required=True, options=SUBJECT_SPEC),
    subject_alt_names=dict(type="list", elements="str"),
    signature_algorithm=dict(type="str", choices=["sha256", "sha512"], default="sha256"),
    private_key_dest=dict(type="path", no_log=False),
    private_key_passphrase=dict(type="str", no_log=True),
    csr_path=dict(type="path"),
    regenerate=dict(type="bool", default=False),
    **busy_argument_spec()
)
MAX_PEM_FILE_BYTES = 1024 * 1024


def read_csr(path):
    """The CSR an earlier run wrote to ``path``; None when there is none (or it is not one)."""
    if not path or not os.path.isfile(path) or os.path.getsize(path) > MAX_PEM_FILE_BYTES:
        return None
    with open(path, "rb") as handle:
        try:
            return certs.load_csr(handle.read(), f"csr_path {path}")
        except certs.CertificateError:
            return None


def write_csr(module, csr_pem):
    return write_if_changed("csr_path", module.params["csr_path"], csr_pem, check_mode=module.check_mode)


def device_key(module, tls, wanted):
    """Keep a pending device key or generate one; the device makes the CSR."""
    params = module.params
    status = tls.key_status()
    generate = not pending_key_kept(status, params["key_size"], params["regenerate"])
    if generate and module.check_mode:
        return {"key_generated": True, "key_size": params["key_size"]}
    if generate:
        tls.post("privateKey/generate", {"size": params["key_size"]})
        status = tls.key_status()
    csr = tls.certificate_request(wanted.device_body(params["signature_algorithm"]))
    return {"key_generated": generate, "key_size": status["size"], "csr_object": csr}


def controller_key_uploaded(module, tls, wanted):
    """Keep the pending key this module uploaded earlier (recognized by the CSR at csr_path) or
    make a new key and CSR here and upload the key to the context."""
    params = module.params
    previous = read_csr(params["csr_path"])
    if previous is not None and not params["regenerate"]:
        status = tls.key_status()
        if pending_key_kept(status, params["key_size"], False) and wanted.request_matches(previous) \
                and certs.same_public_key(previous, tls.current_public_key(status, None)):
            return {"key_generated": False, "key_size": status["size"], "csr_object": previous}
    if module.check_mode:
        return {"key_generated": True, "key_size": params["key_size"]}
    key = issuing.generate_key(params["key_size"])
    csr = issuing.build_csr(key, wanted.subject, wanted.alt_names, params["signature_algorithm"])
    tls.put_file("privateKey", certs.private_key_pem(key), "key.pem")
    return {"key_generated": True, "key_size": key.key_size, "csr_object": csr}


def controller_key_kept(module, wanted):
    """Keep the encrypted key at private_key_dest when it opens and is large enough, else make
    and write a new one; the CSR is made here. The device is not touched."""
    params = module.params
    path, passphrase = params["private_key_dest"], params["private_key_passphrase"]
    key = None
    if os.path.isfile(path) and not params["regenerate"]:
        with open(path, "rb") as handle:
            text = handle.read(MAX_PEM_FILE_BYTES)
        try:
            key = certs.load_private_key(text, passphrase, f"private_key_dest {path}")
        except certs.CertificateError as err:
            module.warn(f"{err}; a new key replaces it")
        if key is not None and (certs.key_size(key) or 0) < params["key_size"]:
            key = None
    generated = key is None
    if generated and module.check_mode:
        return {"key_generated": True, "key_size": params["key_size"]}
    if generated:
        key = issuing.generate_key(params["key_size"])
        write_file("private_key_dest", path, issuing.encrypted_key_pem(key, passphrase), 0o600)
    previous = read_csr(params["csr_path"])
    if previous is not None and certs.same_public_key(previous, key) and wanted.request_matches(previous):
        csr = previous
    else:
        csr = issuing.build_csr(key, wanted.subject, wanted.alt_names, params["signature_algorithm"])
    return {"key_generated": generated, "key_size": key.key_size, "csr_object": csr}


def make_request(module):
    params = module.params
    wanted = WantedRequest(params)
    context, tls = open_context(module.client(), params["context"], params["busy_timeout"])
    if params["key_source"] == "device":
        outcome = device_key(module, tls, wanted)
    elif params["private_key_dest"]:
        outcome = controller_key_kept(module, wanted)
    else:
        outcome = controller_key_uploaded(module, tls, wanted)

    csr = outcome.pop("csr_object", None)
    result = {"changed": outcome["key_generated"], "context": context, "key_source": params["key_source"],
              "subject": wanted.subject_text, "subject_alt_names": wanted.alt_names, **outcome}
    if csr is not None:
        pem = certs.csr_pem(csr)
        result.update(csr=pem, public_key_fingerprint=certs.public_key_fingerprint(csr))
        if params["csr_path"]:
            result["csr_written"] = write_csr(module, pem)
            result["changed"] = result["changed"] or result["csr_written"]
    elif params["csr_path"]:
        result["csr_written"] = False
    return result


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                           required_by={"private_key_passphrase": "private_key_dest"})
    if not certs.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=certs.MISSING_CRYPTOGRAPHY_MSG, exception=certs.CRYPTOGRAPHY_IMPORT_ERROR)
    module.run(make_request)


if __name__ == "__main__":
    main()
