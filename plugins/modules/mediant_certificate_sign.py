#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_certificate_sign
short_description: Sign a certificate signing request with a CA whose certificate and key you hold
version_added: 0.1.0
description:
  - Issues a certificate for a certificate signing request (CSR), for example one that
    M(audiocodes.mediant.mediant_certificate_request) made for a TLS context, with a CA whose
    certificate and (optionally encrypted) private key are files on the host that runs the module.
  - "Talks to no device. Run it where the CA files are, usually the controller
    (C(delegate_to: localhost))."
  - "The certificate carries the CSR's subject and subjectAltNames and public key, is valid for
    O(valid_days) (never beyond the CA certificate's end), and is a TLS server and client
    certificate: basicConstraints CA:false, keyUsage digitalSignature and keyEncipherment,
    extendedKeyUsage serverAuth and clientAuth, subject and authority key identifiers."
  - The CA key is read into memory only; neither it nor its passphrase appears in the result or
    in logs.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying anything.
    support: full
    details:
      - Checks the CSR and the CA but signs nothing and writes nothing.
  diff_mode:
    description: Will return details on what has changed, when in diff mode.
    support: none
  idempotent:
    description:
      - When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    support: partial
    details:
      - With O(dest), a certificate already there for the same key and names, issued by this CA and
        not expired, is kept. Without O(dest) every run issues a new certificate.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
options:
  csr_content:
    description:
      - The CSR, PEM text. Mutually exclusive with O(csr_path).
    type: str
  csr_path:
    description:
      - Path of a PEM CSR. Mutually exclusive with O(csr_content).
    type: path
  ca_certificate_path:
    description:
      - Path of the CA certificate (PEM). It must be a CA (basicConstraints CA:true) and valid now.
    type: path
    required: true
  ca_private_key_path:
    description:
      - Path of the CA's private key (PEM, optionally encrypted).
    type: path
    required: true
  ca_passphrase:
    description:
      - Passphrase of an encrypted CA key.
    type: str
  ca_chain_path:
    description:
      - Path of the certificates above the CA certificate (intermediates up to the root, PEM), returned
        in RV(chain) after the CA certificate.
    type: path
  subject_alt_names:
    description:
      - subjectAltNames to put in the certificate instead of the CSR's, each V(DNS:<name>) or
        V(IP:<address>). For CSRs that cannot carry them, such as the device's own.
    type: list
    elements: str
  valid_days:
    description:
      - How long the certificate is valid, in days (cut to the CA certificate's end).
    type: int
    default: 365
  signature_algorithm:
    description:
      - Hash of the certificate's signature.
    type: str
    choices: [sha256, sha384, sha512]
    default: sha256
  dest:
    description:
      - Also write the certificate followed by RV(chain) to this path (mode 0644). A certificate
        already there for the same key and names, issued by this CA and not expired, is kept.
    type: path
notes:
  - For an external CA (ACME, a Vault PKI, a corporate CA) the role M(audiocodes.mediant.certificate_renewal)
    takes a tasks file of yours instead of this module.
seealso:
  - module: audiocodes.mediant.mediant_certificate_request
  - module: audiocodes.mediant.mediant_certificate
"""

EXAMPLES = r"""
- name: Sign the CSR of a context with the operations CA
  audiocodes.mediant.mediant_certificate_sign:
    csr_content: "{{ request.csr }}"
    ca_certificate_path: /etc/pki/voice-ca/ca.pem
    ca_private_key_path: /etc/pki/voice-ca/ca.key
    ca_passphrase: "{{ vault_voice_ca_passphrase }}"
    valid_days: 397
  delegate_to: localhost
  register: signed

- name: Upload it to the context whose key made the CSR
  audiocodes.mediant.mediant_certificate:
    context: SIP-TLS
    certificate_content: "{{ signed.certificate }}"
    trusted_roots: ["{{ signed.chain }}"]
"""

RETURN = r"""
certificate:
  description: The certificate, PEM.
  returned: success, except in check mode
  type: str
chain:
  description: The CA certificate followed by the certificates of O(ca_chain_path), PEM.
  returned: always
  type: str
fingerprint:
  description: SHA-256 fingerprint of the certificate.
  returned: success, except in check mode
  type: str
serial:
  description: Serial number, hexadecimal.
  returned: success, except in check mode
  type: str
subject:
  description: Subject (RFC 4514 text).
  returned: always
  type: str
  sample: CN=sbc1.example.com,O=Example Corp
subject_alt_names:
  description: subjectAltNames of the certificate (O(subject_alt_names), else the CSR's).
  returned: always
  type: list
  elements: str
issuer:
  description: Issuer, the CA certificate's subject.
  returned: always
  type: str
not_before:
  description: Start of validity, ISO 8601 UTC.
  returned: success, except in check mode
  type: str
not_after:
  description: End of validity, ISO 8601 UTC.
  returned: success, except in check mode
  type: str
"""

import functools
import os

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_issuing as issuing
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificate_plan import certificate_reusable, signing_inputs
from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.local_files import write_file

ARGUMENT_SPEC = dict(
    csr_content=dict(type="str"),
    csr_path=dict(type="path"),
    ca_certificate_path=dict(type="path", required=True),
    ca_private_key_path=dict(type="path", required=True, no_log=False),
    ca_passphrase=dict(type="str", no_log=True),
    ca_chain_path=dict(type="path"),
    subject_alt_names=dict(type="list", elements="str"),
    valid_days=dict(type="int", default=365),
    signature_algorithm=dict(type="str", choices=["sha256", "sha384", "sha512"], default="sha256"),
    dest=dict(type="path"),
)
# PEM input files are small; anything bigger is not one (and is not read into memory).
MAX_PEM_FILE_BYTES = 1024 * 1024


def read_pem_file(module, option):
    return module.file_of(option, max_bytes=MAX_PEM_FILE_BYTES, what="PEM file")


def kept_certificate(module, inputs):
    """The certificate at dest when it is for this CSR (key and names), from this CA, and valid."""
    path = module.params["dest"]
    if not path or not os.path.isfile(path):
        return None
    try:
        cert = certs.split_certificates(read_pem_file(module, "dest"), "dest")[0]
    except certs.CertificateError:
        return None
    return cert if certificate_reusable(cert, inputs) else None


def sign(module):
    params = module.params
    module.check_minimum(1, "valid_days")
    inputs = signing_inputs(params, functools.partial(read_pem_file, module))
    result = {"changed": False, "chain": inputs.chain_pem, "subject": certs.name_to_text(inputs.csr.subject),
              "subject_alt_names": inputs.wanted_alt_names, "issuer": certs.name_to_text(inputs.ca_certificate.subject)}
    cert = kept_certificate(module, inputs)
    if cert is None:
        result["changed"] = True
        if module.check_mode:
            return result
        try:
            cert = issuing.issue_certificate(inputs.csr, inputs.ca_certificate, inputs.ca_key, params["valid_days"],
                                             algorithm=params["signature_algorithm"], alt_names=inputs.alt_names)
        except certs.CertificateError as err:
            raise InputError(str(err)) from None
        if params["dest"]:
            write_file("dest", params["dest"], certs.certificate_pem(cert) + inputs.chain_pem, 0o644)
    info = certs.certificate_info(cert)
    result.update(certificate=certs.certificate_pem(cert), fingerprint=info["fingerprint"], serial=info["serial"],
                  not_before=info["not_before"], not_after=info["not_after"])
    return result


def main():
    module = MediantModule(
        argument_spec=ARGUMENT_SPEC,
        connection=False,
        mutually_exclusive=[("csr_content", "csr_path")],
        required_one_of=[("csr_content", "csr_path")],
        supports_check_mode=True,
    )
    if not certs.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=certs.MISSING_CRYPTOGRAPHY_MSG, exception=certs.CRYPTOGRAPHY_IMPORT_ERROR)
    module.run(sign)


if __name__ == "__main__":
    main()
