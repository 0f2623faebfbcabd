# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure certificate, private key and CSR helpers on ``cryptography`` (no Ansible imports).

Everything a module needs to validate PEM input before sending it and to compare what a
device holds with what is wanted: parsing with errors that name the cause, fingerprints,
names as text, validity dates, key sizes and key/certificate matching.
"""

from __future__ import annotations

import datetime
import re
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
    from cryptography.x509 import Certificate, CertificateSigningRequest, GeneralName, Name, ObjectIdentifier

    # What carries a public key: a key pair's either half, a certificate, a CSR.
    KeyHolder = PrivateKeyTypes | PublicKeyTypes | Certificate | CertificateSigningRequest

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa
    from cryptography.x509.oid import NameOID
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised only where cryptography is missing
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

MISSING_CRYPTOGRAPHY_MSG = (
    "Failed to import the required Python library (cryptography) on the host that runs the module. "
    "Install it in the execution environment: pip install cryptography "
    "(the collection's requirements.txt lists every Python dependency)."
)

PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.DOTALL)
CERTIFICATE_LABELS = ("CERTIFICATE", "X509 CERTIFICATE")
CSR_LABELS = ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")
# A subject field is one line of a certificate's name: no line break or other control character
# (the device shows and stores names line by line, and a CN with a line break is no host name).
SUBJECT_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# Subject fields by the names the modules use, in the order a subject is usually written.
SUBJECT_FIELDS = (
    ("common_name", "CN"),
    ("organizational_unit", "OU"),
    ("organization", "O"),
    ("locality", "L"),
    ("state", "ST"),
    ("country", "C"),
)


class CertificateError(Exception):
    """Input that is not what it claims to be; the message names the cause, never the content."""


def _oids() -> dict[str, ObjectIdentifier]:
    return {
        "common_name": NameOID.COMMON_NAME,
        "organizational_unit": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "organization": NameOID.ORGANIZATION_NAME,
        "locality": NameOID.LOCALITY_NAME,
        "state": NameOID.STATE_OR_PROVINCE_NAME,
        "country": NameOID.COUNTRY_NAME,
    }


# ---------------------------------------------------------------------------------------------
# PEM text
# ---------------------------------------------------------------------------------------------
def to_text(data: object, what: str) -> str:
    """PEM input as text; bytes that are not ASCII are not PEM."""
    if isinstance(data, bytes):
        try:
            return data.decode("ascii")
        except UnicodeDecodeError:
            raise CertificateError(f"{what} is not PEM text (it holds binary data; DER files must be converted to PEM)") from None
    if not isinstance(data, str):
        raise CertificateError(f"{what} must be PEM text, got {type(data).__name__}")
    return data


def pem_blocks(data: object, what: str = "input") -> list[tuple[str, str]]:
    """[(label, block text)] of every PEM block, in order; text between blocks is ignored."""
    text = to_text(data, what)
    return [(match.group(1), match.group(0) + "\n") for match in PEM_BLOCK.finditer(text.replace("\r\n", "\n"))]


def _describe(label: str | None) -> str:
    return "a " + label.lower() if label else "no PEM block"


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------
def split_certificates(data: object, what: str = "certificate bundle") -> list[Certificate]:
    """Every certificate of a PEM bundle as x509.Certificate; any other block is an error."""
    blocks = pem_blocks(data, what)
    if not blocks:
        raise CertificateError(f"{what} holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)")
    certs = []
    for index, (label, block) in enumerate(blocks, start=1):
        if label not in CERTIFICATE_LABELS:
            place = f" (PEM block {index})" if len(blocks) > 1 else ""
            raise CertificateError(f"{what}{place} is {_describe(label)}, not a certificate")
        try:
            certs.append(x509.load_pem_x509_certificate(block.replace(f" {label}-----", " CERTIFICATE-----").encode("ascii")))
        except ValueError as err:
            place = f" (PEM block {index})" if len(blocks) > 1 else ""
            raise CertificateError(f"{what}{place} is not a valid certificate: {err}") from None
    return certs


def load_certificate(data: object, what: str = "certificate") -> Certificate:
    """Exactly one PEM certificate."""
    certs = split_certificates(data, what)
    if len(certs) != 1:
        raise CertificateError(f"{what} must hold one certificate, it holds {len(certs)}")
    return certs[0]


def certificate_pem(cert: Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(cert: Certificate) -> str:
    """SHA-256 fingerprint as OpenSSL prints it: upper-case hex pairs separated by colons."""
    return ":".join(f"{byte:02X}" for byte in cert.fingerprint(hashes.SHA256()))


def name_to_text(name: Name) -> str:
    """RFC 4514 text of a name (most specific first, e.g. ``CN=sbc.example.com,O=ACME,C=US``)."""
    return name.rfc4514_string()


def subject_fields(name: Name) -> dict[str, str]:
    """The six subject fields by module name; absent fields are left out."""
    fields: dict[str, str] = {}
    for field, oid in _oids().items():
        values = name.get_attributes_for_oid(oid)
        if values:
            fields[field] = str(values[0].value)
    return fields


def build_name(fields: Mapping[str, Any]) -> Name:
    """An x509.Name from subject fields by module name (empty values left out)."""
    unknown = sorted(set(fields) - set(_oids()))
    if unknown:
        raise CertificateError(f"unknown subject field(s): {', '.join(unknown)} (known: {', '.join(_oids())})")
    country = fields.get("country")
    if country and len(country) != 2:
        raise CertificateError(f"country must be a two-letter country code (ISO 3166), got {country!r}")
    attributes = []
    for field, _short in reversed(SUBJECT_FIELDS):
        value = fields.get(field)
        unsafe = SUBJECT_UNSAFE.search(str(value or ""))
        if unsafe:
            raise CertificateError(f"subject field {field} holds {unsafe.group(0)!r} (U+{ord(unsafe.group(0)):04X}), a line "
                                   "break or control character; a subject field is one line of text")
        if value:
            attributes.append(x509.NameAttribute(_oids()[field], str(value)))
    return x509.Name(attributes)


def _utc(cert: Certificate, attribute: str) -> datetime.datetime:
    value = getattr(cert, attribute + "_utc", None)  # cryptography >= 42
    if value is None:
        value = getattr(cert, attribute).replace(tzinfo=datetime.timezone.utc)
    return value


def not_before(cert: Certificate) -> datetime.datetime:
    return _utc(cert, "not_valid_before")


def not_after(cert: Certificate) -> datetime.datetime:
    return _utc(cert, "not_valid_after")


def days_left(cert: Certificate, now: datetime.datetime | None = None) -> int:
    """Whole days until the certificate expires; negative once it has."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return (not_after(cert) - now).days


def is_self_signed(cert: Certificate) -> bool:
    """Issuer equals subject and the certificate's own key verifies its signature."""
    if cert.issuer != cert.subject:
        return False
    public_key = cert.public_key()
    # The ignores below: signature_hash_algorithm is None only for Ed25519/Ed448
    # signatures, whose keys take the else branch.
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                              cert.signature_hash_algorithm)  # type: ignore[arg-type]
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))  # type: ignore[arg-type]
        elif isinstance(public_key, dsa.DSAPublicKey):
            public_key.verify(cert.signature, cert.tbs_certificate_bytes, cert.signature_hash_algorithm)  # type: ignore[arg-type]
        else:
            return True  # Ed25519 and friends: the names match, good enough
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def alt_name_text(name: GeneralName) -> str:
    """A subjectAltName entry as text: ``DNS:sbc.example.com``, ``IP:192.0.2.10``."""
    if isinstance(name, x509.IPAddress):
        return f"IP:{name.value}"
    if isinstance(name, x509.DNSName):
        return f"DNS:{name.value}"
    return f"{type(name).__name__}:{name.value}"


def subject_alt_names(cert_or_csr: Certificate | CertificateSigningRequest) -> list[str]:
    """The subjectAltNames of a certificate or CSR as texts ([] without the extension)."""
    try:
        extension = cert_or_csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [alt_name_text(name) for name in extension.value]


def certificate_info(cert: Certificate, now: datetime.datetime | None = None) -> dict[str, Any]:
    """What a module returns about a certificate (no PEM)."""
    return {
        "subject": name_to_text(cert.subject),
        "subject_fields": subject_fields(cert.subject),
        "subject_alt_names": subject_alt_names(cert),
        "issuer": name_to_text(cert.issuer),
        "serial": format(cert.serial_number, "X"),
        "fingerprint": fingerprint(cert),
        "not_before": not_before(cert).isoformat(),
        "not_after": not_after(cert).isoformat(),
        "days_left": days_left(cert, now),
        "self_signed": is_self_signed(cert),
        "public_key_size": key_size(cert.public_key()),
    }


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------
def is_encrypted_key(data: object) -> bool:
    """True when the first private key block of the PEM text is passphrase protected."""
    for label, block in pem_blocks(data, "private key"):
        if label.endswith("PRIVATE KEY"):
            return label == "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED" in block
    return False


def load_private_key(data: object, passphrase: str | None = None, what: str = "private key") -> PrivateKeyTypes:
    """One PEM private key, decrypted with ``passphrase`` when it is encrypted."""
    blocks = pem_blocks(data, what)
    keys = [(label, block) for label, block in blocks if label.endswith("PRIVATE KEY")]
    if not keys:
        found = f" (it holds {_describe(blocks[0][0])})" if blocks else ""
        raise CertificateError(f"{what} is not a PEM private key{found}")
    if len(keys) > 1:
        raise CertificateError(f"{what} must hold one private key, it holds {len(keys)}")
    label, block = keys[0]
    encrypted = label == "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED" in block
    if encrypted and not passphrase:
        raise CertificateError(f"{what} is encrypted and no passphrase was given")
    password = passphrase.encode("utf-8") if encrypted and passphrase else None
    try:
        return serialization.load_pem_private_key(block.encode("ascii"), password=password)
    except (ValueError, TypeError):
        if encrypted:
            raise CertificateError(f"{what}: wrong passphrase (the key cannot be decrypted with it)") from None
        raise CertificateError(f"{what} is corrupt or not a private key") from None
    except UnsupportedAlgorithm as err:
        raise CertificateError(f"{what} uses an unsupported algorithm: {err}") from None


def private_key_pem(key: PrivateKeyTypes) -> str:
    """Unencrypted PEM (PKCS#1 for RSA, as the device guide shows it; PKCS#8 otherwise)."""
    fmt = serialization.PrivateFormat.TraditionalOpenSSL if isinstance(key, rsa.RSAPrivateKey) else serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode("ascii")


def key_size(key: object) -> int | None:
    """Size in bits of a private or public key (RSA modulus, EC curve); None when it has none."""
    return getattr(key, "key_size", None)


def public_key_der(key_or_cert: KeyHolder) -> bytes:
    """DER SubjectPublicKeyInfo of a private key, public key, certificate or CSR."""
    public: Any = key_or_cert   # duck-typed: what has public_key() gives it, a public key is one
    if hasattr(key_or_cert, "public_key"):
        public = key_or_cert.public_key()
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_fingerprint(key_or_cert: KeyHolder) -> str:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(public_key_der(key_or_cert))
    return ":".join(f"{byte:02X}" for byte in digest.finalize())


def same_public_key(first: KeyHolder, second: KeyHolder) -> bool:
    """True when two keys/certificates/CSRs carry the same public key."""
    return public_key_der(first) == public_key_der(second)


def key_matches_certificate(key: KeyHolder, cert: Certificate) -> bool:
    return same_public_key(key, cert)


# ---------------------------------------------------------------------------------------------
# Certificate signing requests
# ---------------------------------------------------------------------------------------------
def load_csr(data: object, what: str = "certificate signing request") -> CertificateSigningRequest:
    blocks = pem_blocks(data, what)
    requests_ = [(label, block) for label, block in blocks if label in CSR_LABELS]
    if not requests_:
        found = f" (it holds {_describe(blocks[0][0])})" if blocks else ""
        raise CertificateError(f"{what} is not a PEM certificate signing request{found}")
    label, block = requests_[0]
    try:
        return x509.load_pem_x509_csr(block.replace(f" {label}-----", " CERTIFICATE REQUEST-----").encode("ascii"))
    except ValueError as err:
        raise CertificateError(f"{what} is not a valid certificate signing request: {err}") from None


def csr_pem(csr: CertificateSigningRequest) -> str:
    return csr.public_bytes(serialization.Encoding.PEM).decode("ascii")
