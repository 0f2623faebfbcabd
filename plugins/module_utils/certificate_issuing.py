# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers to make keys and certificate signing requests on the controller and to issue
certificates with a CA the user holds, on ``cryptography`` (no Ansible imports).

The device's own CSR (``certificate/request``) cannot carry subjectAltNames; a request made
here can. Private keys leave this module only as encrypted PEM (``encrypted_key_pem``) or as
the unencrypted PEM the device upload needs (``certificates.private_key_pem``), never on disk.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from typing import TYPE_CHECKING, Any

from ansible_collections.audiocodes.mediant.plugins.module_utils.certificates import (
    HAS_CRYPTOGRAPHY,
    CertificateError,
    alt_name_text,
    build_name,
    not_after,
)

if HAS_CRYPTOGRAPHY:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from cryptography.hazmat.primitives.asymmetric.types import (
        CertificateIssuerPrivateKeyTypes,
        PrivateKeyTypes,
        PublicKeyTypes,
    )
    from cryptography.x509 import Certificate, CertificateSigningRequest, GeneralName

KEY_SIZES = (2048, 3072, 4096)
SIGNATURE_ALGORITHMS = ("sha256", "sha384", "sha512")
# A DNS name as certificates carry it: labels of letters, digits, '-', '_' (service names), an
# optional leading '*.' wildcard label; no spaces, no control characters.
_DNS_NAME = re.compile(r"^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$")
# Clock skew between the controller, the CA and the peers: a new certificate starts a little early.
BACKDATE = datetime.timedelta(minutes=5)


def _hash(name: str) -> hashes.SHA256 | hashes.SHA384 | hashes.SHA512:
    algorithms: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
        "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
    return algorithms[name]()


# ---------------------------------------------------------------------------------------------
# subjectAltNames
# ---------------------------------------------------------------------------------------------
def parse_alt_name(text: object, what: str = "subject_alt_names") -> GeneralName:
    """``DNS:sbc.example.com`` or ``IP:192.0.2.10`` (a bare value is an IP address when it parses
    as one, else a DNS name) as an x509 GeneralName."""
    if not isinstance(text, str) or not text.strip():
        raise CertificateError(f"{what}: an entry is empty; give DNS:<name> or IP:<address>")
    value = text.strip()
    kind = None
    if ":" in value and value.split(":", 1)[0].upper() in ("DNS", "IP"):
        kind, value = value.split(":", 1)
        kind, value = kind.upper(), value.strip()
    if kind in (None, "IP"):
        try:
            return x509.IPAddress(ipaddress.ip_address(value))
        except ValueError:
            if kind == "IP":
                raise CertificateError(f"{what}: {text!r} is not an IP address") from None
    if not _DNS_NAME.match(value) or len(value) > 253:
        raise CertificateError(f"{what}: {text!r} is not a DNS name (letters, digits, '-', '.', an optional leading '*.')")
    return x509.DNSName(value.lower().rstrip("."))


def parse_alt_names(names: Iterable[object] | None, what: str = "subject_alt_names") -> list[GeneralName]:
    """Every entry parsed, duplicates dropped, order kept."""
    parsed: list[GeneralName] = []
    for index, text in enumerate(names or []):
        name = parse_alt_name(text, f"{what}[{index}]")
        if name not in parsed:
            parsed.append(name)
    return parsed


def normalize_alt_names(names: Iterable[object] | None) -> list[str]:
    """Texts in the one spelling certificates are compared by (``DNS:lower``, ``IP:canonical``)."""
    return [alt_name_text(name) for name in parse_alt_names(names)]


# ---------------------------------------------------------------------------------------------
# Keys and requests
# ---------------------------------------------------------------------------------------------
def generate_key(size: int = 2048) -> rsa.RSAPrivateKey:
    if size not in KEY_SIZES:
        raise CertificateError(f"key size {size} is not one of {', '.join(map(str, KEY_SIZES))}")
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def encrypted_key_pem(key: CertificateIssuerPrivateKeyTypes, passphrase: str) -> str:
    """PKCS#8 PEM encrypted with the passphrase (the best encryption cryptography offers)."""
    if not passphrase:
        raise CertificateError("a passphrase is needed to write a private key")
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(passphrase.encode("utf-8"))).decode("ascii")


def build_csr(key: CertificateIssuerPrivateKeyTypes, subject_fields: Mapping[str, Any], alt_names: Iterable[object] | None = (),
              algorithm: str = "sha256") -> CertificateSigningRequest:
    """A CSR for ``subject_fields`` (module names: common_name, organization, ...) with the
    subjectAltNames given (texts), signed with ``key``."""
    if algorithm not in SIGNATURE_ALGORITHMS:
        raise CertificateError(f"signature algorithm {algorithm!r} is not one of {', '.join(SIGNATURE_ALGORITHMS)}")
    builder = x509.CertificateSigningRequestBuilder().subject_name(build_name(subject_fields))
    names = parse_alt_names(alt_names)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(key, _hash(algorithm))


# ---------------------------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------------------------
def signature_valid(public_key: PublicKeyTypes, signature: bytes, data: bytes,
                    hash_algorithm: hashes.HashAlgorithm | None) -> bool:
    """Whether ``signature`` over ``data`` verifies with ``public_key`` (RSA PKCS#1 v1.5, ECDSA, DSA,
    EdDSA); False for a key that cannot sign (DH, X25519, ...)."""
    # The ignores: hash_algorithm is None only for EdDSA signatures, which the others refuse (TypeError).
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)  # type: ignore[arg-type]
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hash_algorithm))  # type: ignore[arg-type]
        elif isinstance(public_key, dsa.DSAPublicKey):
            public_key.verify(signature, data, hash_algorithm)  # type: ignore[arg-type]
        else:
            # EdDSA and ML-DSA verify without a hash; keys that cannot sign have no verify (AttributeError).
            public_key.verify(signature, data)  # type: ignore[union-attr]
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError, AttributeError):
        return False
    return True


def is_issued_by(cert: Certificate, issuer: Certificate) -> bool:
    """The certificate names ``issuer``'s subject as its issuer and ``issuer``'s key signed it."""
    if cert.issuer != issuer.subject:
        return False
    return signature_valid(issuer.public_key(), cert.signature, cert.tbs_certificate_bytes, cert.signature_hash_algorithm)


def csr_signature_valid(csr: CertificateSigningRequest) -> bool:
    return signature_valid(csr.public_key(), csr.signature, csr.tbs_certrequest_bytes, csr.signature_hash_algorithm)


# ---------------------------------------------------------------------------------------------
# Issuing with a CA the user holds
# ---------------------------------------------------------------------------------------------
def _is_ca(cert: Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return cert.issuer == cert.subject  # an old self-signed root without the extension


def issuer_key(key: PrivateKeyTypes, what: str = "the CA private key") -> CertificateIssuerPrivateKeyTypes:
    """``key`` when it is of a kind that can sign certificates; CertificateError otherwise (an
    X25519/X448 or Diffie-Hellman key is a valid private key that signs nothing)."""
    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, dsa.DSAPrivateKey,
                        ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return key
    raise CertificateError(f"{what} ({type(key).__name__.replace('PrivateKey', '')}) is of a kind that cannot sign "
                           "certificates: give an RSA, EC, DSA, Ed25519 or Ed448 key")


def check_ca(ca_cert: Certificate, ca_key: CertificateIssuerPrivateKeyTypes, now: datetime.datetime | None = None) -> None:
    """The CA certificate may sign (CA:true), its key is the CA's, and it is valid now."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if not _is_ca(ca_cert):
        raise CertificateError("the CA certificate is not a CA certificate (basicConstraints CA:false)")
    ca_public = ca_cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_public = ca_key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if ca_public != key_public:
        raise CertificateError("the CA private key does not belong to the CA certificate (different public keys)")
    if not_after(ca_cert) <= now:
        raise CertificateError(f"the CA certificate expired on {not_after(ca_cert).isoformat()}")


def issue_certificate(csr: CertificateSigningRequest, ca_cert: Certificate, ca_key: CertificateIssuerPrivateKeyTypes,
                      valid_days: int, now: datetime.datetime | None = None, algorithm: str = "sha256",
                      alt_names: Iterable[object] | None = None) -> Certificate:
    """A server/client certificate for the CSR's key, subject and subjectAltNames (``alt_names``,
    texts, instead when given), signed by the CA. It never outlives the CA certificate
    (``not_after`` is cut to the CA's)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if not csr_signature_valid(csr):
        raise CertificateError("the CSR's signature does not verify with its own public key (a corrupt or forged request)")
    if valid_days < 1:
        raise CertificateError(f"valid_days must be 1 or more, got {valid_days}")
    check_ca(ca_cert, ca_key, now)
    end = min(now + datetime.timedelta(days=valid_days), not_after(ca_cert))
    public_key = csr.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=isinstance(public_key, rsa.RSAPublicKey),
                                     content_commitment=False, data_encipherment=False, key_agreement=False,
                                     key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
                       critical=True)
        # SIP-TLS peers authenticate each other: the device is server and client.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if alt_names is not None:
        names = parse_alt_names(alt_names)
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    else:
        try:
            builder = builder.add_extension(csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value,
                                            critical=False)
        except x509.ExtensionNotFound:
            pass
    signing_hash = None if not isinstance(ca_key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) else _hash(algorithm)
    return builder.sign(ca_key, signing_hash)
