# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the certificate modules decide, apart from the device and the module: pure.

- mediant_certificate: the task's PEM inputs and subjects checked (:class:`Inputs`), and the
  steps that bring one TLS context to them (:class:`Plan`, a list of :class:`Action`), with the
  before/after views diff mode shows;
- mediant_certificate_request: the request wanted (:class:`WantedRequest`) and whether a pending
  key is kept (:func:`pending_key_kept`);
- mediant_certificate_sign: the signing inputs checked (:func:`signing_inputs`) and whether a
  certificate already issued is kept (:func:`certificate_reusable`).

No Ansible imports and no I/O: the module reads the device (tls_context.py) and files, hands
what it read here, and carries out the actions. Input the task cannot use raises
:class:`~errors.InputError`, which ``MediantModule.run`` reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Union

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_issuing as issuing
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.input_safety import check_one_line

if TYPE_CHECKING:  # pragma: no cover - types only
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
    PublicKeyHolder = Union[x509.Certificate, x509.CertificateSigningRequest, PrivateKeyTypes]

Params = Mapping[str, Any]
# Reads the PEM input of a (path option, content option) pair: the text, the file's bytes, or None.
PemReader = Callable[[str, str], Union[str, bytes, None]]

# Module subject field → attribute of the device's certificate/generate and certificate/request.
DEVICE_SUBJECT_ATTRIBUTES = (
    ("common_name", "subjectName"),
    ("organizational_unit", "organizationalUnit"),
    ("organization", "companyName"),
    ("locality", "localityName"),
    ("state", "state"),
    ("country", "countryCode"),
)
DEFAULT_GENERATED_KEY_SIZE = 2048
NOTHING_SENT = "nothing was sent to the device"


# ---------------------------------------------------------------------------------------------
# Subjects
# ---------------------------------------------------------------------------------------------
def clean_subject(subject: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subject's fields that are set (None and "" dropped)."""
    return {name: value for name, value in (subject or {}).items() if value not in (None, "")}


def device_subject(subject: Mapping[str, Any]) -> dict[str, Any]:
    """Module subject fields → the device's JSON attributes."""
    return {attribute: subject[name] for name, attribute in DEVICE_SUBJECT_ATTRIBUTES if name in subject}


def csr_request_body(subject: Mapping[str, Any], algorithm: str) -> dict[str, Any]:
    """Body of the device's ``certificate/request`` for ``subject``, signed with ``algorithm``."""
    body = device_subject(subject)
    body["signatureAlgorithm"] = algorithm
    return body


def check_subject_lines(option: str, subject: Mapping[str, Any] | None) -> None:
    """Each subject field is one line (it becomes a field of the certificate's name on the device)."""
    for name, value in (subject or {}).items():
        check_one_line("{0}.{1}".format(option, name), value)


def unique_certificates(certificates: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """The certificates in order, each fingerprint once."""
    seen: set[str] = set()
    unique = []
    for cert in certificates:
        fingerprint = certs.fingerprint(cert)
        if fingerprint not in seen:
            seen.add(fingerprint)
            unique.append(cert)
    return unique


# ---------------------------------------------------------------------------------------------
# mediant_certificate: inputs
# ---------------------------------------------------------------------------------------------
def check_option_combinations(params: Params) -> None:
    """InputError for combinations of mediant_certificate's options that the argument spec cannot say."""
    key_given = params["private_key_path"] is not None or params["private_key_content"] is not None
    cert_given = params["certificate_path"] is not None or params["certificate_content"] is not None
    if key_given and (params["regenerate_key"] or params["key_size"] is not None):
        raise InputError("a private key is either uploaded (private_key_path/private_key_content) or generated "
                         "(key_size/regenerate_key), not both")
    if cert_given and params["self_signed"]:
        raise InputError("a certificate is either uploaded (certificate_path/certificate_content) or generated "
                         "(self_signed), not both")
    if cert_given and params["regenerate_key"]:
        raise InputError("regenerate_key makes a new key no uploaded certificate can match; generate the key "
                         "first (with csr) and upload the signed certificate in a later task")
    if params["self_signed"] and not clean_subject(params["subject"]):
        raise InputError("self_signed needs subject (at least common_name)", option="subject")
    if params["csr"] is not None and not clean_subject(params["csr"]["subject"]) and not clean_subject(params["subject"]):
        raise InputError("csr needs a subject (csr.subject or subject)", option="csr")
    check_subject_lines("subject", params["subject"])
    check_subject_lines("csr.subject", (params["csr"] or {}).get("subject"))


@dataclass
class Inputs:
    """The task's PEM inputs and subjects, parsed and checked before any request."""

    subject: dict[str, Any]
    key: Any = None                                   # a cryptography private key
    certificate: Optional[x509.Certificate] = None
    trusted_roots: Optional[list[x509.Certificate]] = None
    csr_subject: Optional[dict[str, Any]] = None

    @classmethod
    def from_params(cls, params: Params, read_pem: PemReader) -> Inputs:
        """Parse and check every input of the task; ``read_pem(path_option, content_option)`` gives
        a PEM input's text. InputError (naming the cause, saying nothing was sent) for any flaw."""
        inputs = cls(subject=clean_subject(params["subject"]))
        try:
            key_text = read_pem("private_key_path", "private_key_content")
            if key_text is not None:
                inputs.key = certs.load_private_key(key_text, params["passphrase"])
            elif params["passphrase"]:
                raise InputError("passphrase is only used with private_key_path or private_key_content", option="passphrase")
            cert_text = read_pem("certificate_path", "certificate_content")
            if cert_text is not None:
                inputs.certificate = certs.load_certificate(cert_text)
            if inputs.key is not None and inputs.certificate is not None and not params["force"] \
                    and not certs.key_matches_certificate(inputs.key, inputs.certificate):
                raise InputError("the certificate does not match the private key given with it (different public keys); "
                                 f"{NOTHING_SENT}. Use force=true to upload them anyway")
            if params["trusted_roots"] is not None:
                inputs.trusted_roots = unique_certificates(
                    cert for index, text in enumerate(params["trusted_roots"])
                    for cert in certs.split_certificates(text, f"trusted_roots[{index}]"))
            if params["self_signed"]:
                certs.build_name(inputs.subject)
            if params["csr"] is not None:
                csr_subject = params["csr"]["subject"]
                inputs.csr_subject = clean_subject(csr_subject) if csr_subject else inputs.subject
                certs.build_name(inputs.csr_subject)
        except certs.CertificateError as err:
            raise InputError(f"{err}; {NOTHING_SENT}") from None
        return inputs

    def add_trusted_roots(self, roots: list[x509.Certificate]) -> None:
        """Put ``roots`` (another context's store, trusted_roots_from) before the task's own."""
        self.trusted_roots = unique_certificates(roots + (self.trusted_roots or []))


# ---------------------------------------------------------------------------------------------
# mediant_certificate: views (results and diff; never a key or any PEM)
# ---------------------------------------------------------------------------------------------
def key_view(status: Mapping[str, Any]) -> dict[str, Any]:
    return {"size": status["size"], "valid": status["valid"]}


def certificate_view(cert: x509.Certificate | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    info = certs.certificate_info(cert)
    return {key: info[key] for key in ("subject", "issuer", "serial", "fingerprint", "not_before", "not_after", "self_signed")}


def roots_view(roots: Iterable[x509.Certificate]) -> list[dict[str, str]]:
    return [{"subject": certs.name_to_text(cert.subject), "fingerprint": certs.fingerprint(cert),
             "not_after": certs.not_after(cert).isoformat()} for cert in roots]


def state_view(key_status: Mapping[str, Any], certificate: x509.Certificate | None,
               roots: list[x509.Certificate] | None) -> dict[str, Any]:
    """What diff mode shows of a context: key size and validity, certificate, trusted roots when managed."""
    view: dict[str, Any] = {"private_key": key_view(key_status), "certificate": certificate_view(certificate)}
    if roots is not None:
        view["trusted_roots"] = roots_view(roots)
    return view


CERTIFICATE_RESULT_KEYS = ("subject", "issuer", "serial", "fingerprint", "not_before", "not_after", "days_left", "self_signed")


def context_result(key_status: Mapping[str, Any], certificate: x509.Certificate | None,
                   roots: list[x509.Certificate] | None) -> dict[str, Any]:
    """The result keys that describe the context as it is (after the change)."""
    result: dict[str, Any] = {"key_size": key_status["size"], "key_valid": key_status["valid"]}
    if certificate is not None:
        info = certs.certificate_info(certificate)
        result.update({key: info[key] for key in CERTIFICATE_RESULT_KEYS})
    if roots is not None:
        result["trusted_roots"] = roots_view(roots)
    return result


# ---------------------------------------------------------------------------------------------
# mediant_certificate: the plan
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """One request to the TLS context: ``POST <item>`` with the JSON ``body``, or a file upload
    ``PUT <item>`` of ``content`` as ``filename`` (``body`` None). ``text`` is what the user reads."""

    text: str
    item: str
    body: Optional[dict[str, Any]] = None
    content: str = field(default="", repr=False)      # may be a private key: never shown
    filename: str = ""


class Plan:
    """What the task changes in one TLS context, decided from the device's state: ``actions``, in
    the order they must be sent (key, certificate, trusted roots).

    ``device_public_key()`` gives the device's current key (its certificate's while they match,
    else the public key of a CSR the device makes); it is called only when the plan needs it.
    """

    def __init__(self, params: Params, inputs: Inputs, key_status: Mapping[str, Any],
                 certificate: x509.Certificate | None, roots: list[x509.Certificate] | None,
                 device_public_key: Callable[[], PublicKeyHolder], context_id: str = ""):
        self.params = params
        self.inputs = inputs
        self.key_status = key_status
        self.certificate = certificate
        self.roots = roots
        self.device_public_key = device_public_key
        self.context_id = context_id
        self.actions: list[Action] = []
        self.key_changes = False
        self.expects_valid_pair = False
        self._prediction: dict[str, Any] = {}
        self._plan_key()
        self._plan_certificate()
        self._plan_trusted_roots()

    @property
    def texts(self) -> list[str]:
        return [action.text for action in self.actions]

    def predicted(self, before: Mapping[str, Any]) -> dict[str, Any]:
        """The state view after the actions (check mode's diff), from the state view ``before``."""
        after = dict(before)
        after.update(self._prediction)
        return after

    # -- private key
    def _plan_key(self) -> None:
        params, status = self.params, self.key_status
        if self.inputs.key is not None:
            if certs.same_public_key(self.inputs.key, self.device_public_key()):
                return
            size = certs.key_size(self.inputs.key)
            self.actions.append(Action(f"upload a {size}-bit private key", "privateKey",
                                       content=certs.private_key_pem(self.inputs.key), filename="key.pem"))
            self._prediction["private_key"] = {"size": size, "valid": self._will_match(self.inputs.key)}
            self.key_changes = True
            return
        size = params["key_size"]
        if params["regenerate_key"]:
            reason = "regenerate_key"
            size = size or status["size"] or DEFAULT_GENERATED_KEY_SIZE
        elif size is not None and not status["valid"]:
            reason = "the current key does not match the certificate"
        elif size is not None and (status["size"] or 0) < size:
            reason = f"the current key has {status['size']} bits"
        else:
            return
        if self.inputs.certificate is not None:
            raise InputError(f"a new {size}-bit private key would be generated ({reason}) and no uploaded certificate "
                             f"can match it; {NOTHING_SENT}")
        self.actions.append(Action(f"generate a {size}-bit private key ({reason})", "privateKey/generate", body={"size": size}))
        self._prediction["private_key"] = {"size": size, "valid": bool(params["self_signed"])}
        self.key_changes = True

    def _will_match(self, key: Any) -> bool:
        cert = self.inputs.certificate or self.certificate
        return bool(self.params["self_signed"]) or (cert is not None and certs.key_matches_certificate(key, cert))

    # -- device certificate
    def _plan_certificate(self) -> None:
        new = self.inputs.certificate
        if new is not None:
            self._plan_certificate_upload(new)
        elif self.params["self_signed"]:
            self._plan_self_signed()

    def _plan_certificate_upload(self, new: x509.Certificate) -> None:
        if self.inputs.key is None and not self.params["force"]:
            if not certs.same_public_key(new, self.device_public_key()):
                raise InputError(
                    "the certificate's public key matches neither an uploaded private key nor the device's current "
                    f"private key of context {self.context_id}; the device would have no usable key/certificate pair. "
                    "Nothing was sent to the device. Upload the matching key with it "
                    "(private_key_path/private_key_content) or use force=true",
                    certificate_subject=certs.name_to_text(new.subject))
        self.expects_valid_pair = not self.params["force"]
        if self.certificate is not None and certs.fingerprint(self.certificate) == certs.fingerprint(new):
            return
        self.actions.append(Action(f"upload the certificate {certs.name_to_text(new.subject)} ({certs.fingerprint(new)})",
                                   "certificate", content=certs.certificate_pem(new), filename="certificate.pem"))
        self._prediction["certificate"] = certificate_view(new)
        key = self.inputs.key or self.device_public_key()
        self._prediction.setdefault("private_key", key_view(self.key_status))
        self._prediction["private_key"] = dict(self._prediction["private_key"], valid=certs.same_public_key(key, new))

    def _plan_self_signed(self) -> None:
        wanted = self.inputs.subject
        self.expects_valid_pair = True
        current = self.certificate
        if (not self.key_changes and self.key_status["valid"] and current is not None and certs.is_self_signed(current)
                and certs.subject_fields(current.subject) == wanted):
            return
        text = certs.name_to_text(certs.build_name(wanted))
        self.actions.append(Action(f"generate a self-signed certificate for {text}", "certificate/generate",
                                   body=device_subject(wanted)))
        self._prediction["certificate"] = {"subject": text, "issuer": text, "serial": "(new)", "fingerprint": "(new)",
                                           "not_before": "(new)", "not_after": "(new)", "self_signed": True}
        self._prediction["private_key"] = dict(self._prediction.get("private_key") or key_view(self.key_status), valid=True)

    # -- trusted roots
    def _plan_trusted_roots(self) -> None:
        wanted = self.inputs.trusted_roots
        if wanted is None:
            return
        current = self.roots or []
        current_fingerprints = [certs.fingerprint(cert) for cert in current]
        if self.params["trusted_roots_mode"] == "append":
            missing = [cert for cert in wanted if certs.fingerprint(cert) not in current_fingerprints]
            for cert in missing:
                self.actions.append(Action(f"add the trusted root {certs.name_to_text(cert.subject)} ({certs.fingerprint(cert)})",
                                           "trustedRoot/incremental", content=certs.certificate_pem(cert),
                                           filename="trusted-root.pem"))
            self._prediction["trusted_roots"] = roots_view(current + missing)
            return
        if sorted(certs.fingerprint(cert) for cert in wanted) == sorted(current_fingerprints):
            return
        self.actions.append(Action(f"replace the trusted root store with {len(wanted)} certificate(s)", "trustedRoot",
                                   content="".join(certs.certificate_pem(cert) for cert in wanted),
                                   filename="trusted-roots.pem"))
        self._prediction["trusted_roots"] = roots_view(wanted)


# ---------------------------------------------------------------------------------------------
# mediant_certificate_request
# ---------------------------------------------------------------------------------------------
class WantedRequest:
    """The certificate signing request mediant_certificate_request's task asks for, checked before
    anything is sent or written: ``subject`` (its set fields) and ``alt_names`` (normalized)."""

    def __init__(self, params: Params):
        for name, value in params["subject"].items():
            # each field becomes one field of the certificate's name (the device's request body or the CSR)
            check_one_line("subject.{0}".format(name), value)
        self.subject = clean_subject(params["subject"])
        self.alt_names: list[str] = []
        if not self.subject.get("common_name"):
            raise InputError("subject.common_name is required", option="subject")
        if params["key_source"] == "device" and params["subject_alt_names"]:
            raise InputError("subject_alt_names need key_source: controller - the device's certificate/request has no "
                             f"subjectAltName field; {NOTHING_SENT}", option="subject_alt_names")
        if params["key_source"] == "device" and params["private_key_dest"]:
            raise InputError("private_key_dest is for key_source: controller (a device key never leaves the device)",
                             option="private_key_dest")
        if params["private_key_dest"] and not params["private_key_passphrase"]:
            raise InputError("private_key_dest needs private_key_passphrase: a key is never written unencrypted",
                             option="private_key_passphrase")
        try:
            certs.build_name(self.subject)
            self.alt_names = issuing.normalize_alt_names(params["subject_alt_names"] or [])
        except certs.CertificateError as err:
            raise InputError(f"{err}; {NOTHING_SENT}") from None

    @property
    def subject_text(self) -> str:
        return certs.name_to_text(certs.build_name(self.subject))

    def request_matches(self, csr: x509.CertificateSigningRequest) -> bool:
        """Whether ``csr`` asks for this subject and these subjectAltNames."""
        return certs.subject_fields(csr.subject) == self.subject and certs.subject_alt_names(csr) == self.alt_names

    def device_body(self, algorithm: str) -> dict[str, Any]:
        """Body of the device's ``certificate/request``."""
        return csr_request_body(self.subject, algorithm)


def pending_key_kept(key_status: Mapping[str, Any], key_size: int, regenerate: bool) -> bool:
    """Whether the context's key is kept as a pending key: one that does not match the context's
    certificate yet (an earlier run's), at least ``key_size`` bits, and no ``regenerate``."""
    return not regenerate and not key_status["valid"] and (key_status["size"] or 0) >= key_size


# ---------------------------------------------------------------------------------------------
# mediant_certificate_sign
# ---------------------------------------------------------------------------------------------
@dataclass
class SigningInputs:
    """What mediant_certificate_sign signs with: the CSR, the CA and its chain, the subjectAltNames."""

    csr: x509.CertificateSigningRequest
    ca_certificate: x509.Certificate
    ca_key: Any
    chain: list[x509.Certificate]
    alt_names: Optional[list[str]]     # the task's subject_alt_names, normalized; None: the CSR's

    @property
    def wanted_alt_names(self) -> list[str]:
        return certs.subject_alt_names(self.csr) if self.alt_names is None else self.alt_names

    @property
    def chain_pem(self) -> str:
        return "".join(certs.certificate_pem(cert) for cert in self.chain)


def signing_inputs(params: Params, read_file: Callable[[str], Optional[bytes]]) -> SigningInputs:
    """Parse and check what the task signs with; ``read_file(option)`` gives the bytes of the file
    a path option names (None when it is not set). InputError for any flaw (``valid_days`` is
    checked before, by the module: MediantModule.check_minimum)."""
    try:
        csr_text = params["csr_content"] if params["csr_content"] is not None else read_file("csr_path")
        csr = certs.load_csr(csr_text, "the CSR")
        ca_cert = certs.load_certificate(read_file("ca_certificate_path"), "ca_certificate_path")
        key = issuing.issuer_key(certs.load_private_key(read_file("ca_private_key_path"), params["ca_passphrase"],
                                                        "ca_private_key_path"))
        chain = [ca_cert]
        above = read_file("ca_chain_path")
        if above is not None:
            chain += certs.split_certificates(above, "ca_chain_path")
        issuing.check_ca(ca_cert, key)
        alt_names = None
        if params["subject_alt_names"] is not None:
            alt_names = issuing.normalize_alt_names(params["subject_alt_names"])
        if not issuing.csr_signature_valid(csr):
            raise certs.CertificateError("the CSR's signature does not verify with its own public key")
    except certs.CertificateError as err:
        raise InputError(str(err)) from None
    return SigningInputs(csr, ca_cert, key, chain, alt_names)


def certificate_reusable(cert: x509.Certificate, inputs: SigningInputs, now: datetime.datetime | None = None) -> bool:
    """Whether ``cert`` (at dest) is for the CSR (its key, subject and the wanted subjectAltNames),
    issued by the CA, and valid ``now``."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return bool(certs.same_public_key(cert, inputs.csr) and cert.subject == inputs.csr.subject
                and certs.subject_alt_names(cert) == inputs.wanted_alt_names
                and issuing.is_issued_by(cert, inputs.ca_certificate)
                and certs.not_before(cert) <= now < certs.not_after(cert))
