"""TLS contexts of the simulated device, with real keys and certificates.

Each TLS context holds an RSA private key, a device certificate and a trusted root store, the
three "files" of section 8 of the v7.4 REST API guide.  The store also remembers, per context,
the last key/certificate pair that matched: a real device keeps serving that pair on its HTTPS
listener while a freshly generated key does not match the certificate yet.

Choices a real device does not document are listed in docs/simulator-tls.md.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import math
import os
import re
import secrets
import threading

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

# Key sizes the guide lists for privateKey/generate; uploads are held to the same list.
SUPPORTED_KEY_SIZES = (512, 768, 1024, 2048, 4096)
DEFAULT_KEY_SIZE = 2048
DEFAULT_GENERATED_KEY_SIZE = 1024  # privateKey/generate without "size"
DEFAULT_KEY_SIZE_ENV = "SIMULATOR_DEFAULT_KEY_SIZE"
SELF_SIGNED_VALIDITY = datetime.timedelta(days=3650)
SIGNATURE_ALGORITHMS = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha512": hashes.SHA512}
DEFAULT_CSR_SIGNATURE_ALGORITHM = "sha1"

# Guide attribute name → X.509 name attribute, in the order they appear in the subject.
SUBJECT_FIELDS = (
    ("countryCode", NameOID.COUNTRY_NAME),
    ("state", NameOID.STATE_OR_PROVINCE_NAME),
    ("localityName", NameOID.LOCALITY_NAME),
    ("companyName", NameOID.ORGANIZATION_NAME),
    ("organizationalUnit", NameOID.ORGANIZATIONAL_UNIT_NAME),
    ("subjectName", NameOID.COMMON_NAME),
)
SUBJECT_FIELD_NAMES = tuple(name for name, _oid in SUBJECT_FIELDS)

_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.DOTALL)
# DER of AlgorithmIdentifier { sha1WithRSAEncryption, NULL }.
_SHA1_WITH_RSA_ALGORITHM_ID = bytes.fromhex("300d06092a864886f70d0101050500")


class TlsError(Exception):
    """A request the device refuses; `description` is the text of the 400 reply."""

    status = 400

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


class TlsContextNotFound(TlsError):
    """The context id does not exist (the server may answer 404 from `status`)."""

    status = 404


def default_key_size() -> int:
    """Key size for contexts the store creates; SIMULATOR_DEFAULT_KEY_SIZE overrides 2048."""
    raw = os.environ.get(DEFAULT_KEY_SIZE_ENV, "").strip()
    if not raw:
        return DEFAULT_KEY_SIZE
    if not raw.isdigit() or int(raw) not in SUPPORTED_KEY_SIZES:
        raise ValueError(f"{DEFAULT_KEY_SIZE_ENV}={raw!r} is not one of {', '.join(map(str, SUPPORTED_KEY_SIZES))}")
    return int(raw)


# ---------------------------------------------------------------------------- key material


def generate_rsa_key(size: int) -> rsa.RSAPrivateKey:
    """A fresh RSA key; sizes under 1024 bits are built from our own primes because
    `cryptography` refuses to generate them (it still loads and uses them)."""
    if size >= 1024:
        return rsa.generate_private_key(public_exponent=65537, key_size=size)
    return _small_rsa_key(size)


def _small_rsa_key(size: int) -> rsa.RSAPrivateKey:
    exponent = 65537
    while True:
        p = _random_prime(size // 2, exponent)
        q = _random_prime(size - size // 2, exponent)
        if p == q or (p * q).bit_length() != size:
            continue
        phi = (p - 1) * (q - 1)
        d = pow(exponent, -1, phi // math.gcd(p - 1, q - 1))
        numbers = rsa.RSAPrivateNumbers(
            p=p, q=q, d=d,
            dmp1=rsa.rsa_crt_dmp1(d, p), dmq1=rsa.rsa_crt_dmq1(d, q), iqmp=rsa.rsa_crt_iqmp(p, q),
            public_numbers=rsa.RSAPublicNumbers(exponent, p * q),
        )
        return numbers.private_key()


def _random_prime(bits: int, exponent: int) -> int:
    while True:
        # Top two bits set so that the product has exactly the wanted size; odd.
        candidate = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        if (candidate - 1) % exponent and _is_probable_prime(candidate):
            return candidate


def _is_probable_prime(n: int, rounds: int = 40) -> bool:
    for small in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % small == 0:
            return n == small
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _round in range(rounds):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _squaring in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def _cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _load_key(pem: str) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem.encode("ascii"), password=None)


def _key_matches(key_pem: str, cert_pem: str) -> bool:
    public = x509.load_pem_x509_certificate(cert_pem.encode("ascii")).public_key()
    return public == _load_key(key_pem).public_key()


def fingerprint(cert_pem: str) -> str:
    """SHA-256 of the DER certificate, lower-case hex."""
    der = x509.load_pem_x509_certificate(cert_pem.encode("ascii")).public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def _as_text(pem: bytes | str, what: str) -> str:
    if isinstance(pem, str):
        return pem
    try:
        return pem.decode("ascii")
    except UnicodeDecodeError:
        raise TlsError(f"{what} is not in PEM format (binary content)") from None


def _pem_blocks(text: str) -> list[tuple[str, str]]:
    """(label, block text) for every PEM block in the text, in order."""
    return [(match.group(1), match.group(0) + "\n") for match in _PEM_BLOCK.finditer(text)]


def parse_certificates(pem: bytes | str, what: str) -> list[str]:
    """Every block must be a certificate; returns normalised PEMs. Text between blocks is
    ignored, as OpenSSL does."""
    text = _as_text(pem, what)
    blocks = _pem_blocks(text)
    if not blocks:
        raise TlsError(f"{what} is not in PEM format (no PEM certificate found)")
    certs = []
    for index, (label, block) in enumerate(blocks, start=1):
        if label != "CERTIFICATE":
            raise TlsError(f"{what}: PEM block {index} is a {label.lower()}, not a certificate")
        try:
            cert = x509.load_pem_x509_certificate(block.encode("ascii"))
        except ValueError as err:
            raise TlsError(f"{what}: PEM block {index} is not a valid certificate ({err})") from None
        certs.append(_cert_pem(cert))
    return certs


def _parse_private_key(pem: bytes | str, password: str | None) -> rsa.RSAPrivateKey:
    text = _as_text(pem, "private key")
    blocks = [(label, block) for label, block in _pem_blocks(text) if label.endswith("PRIVATE KEY")]
    if not blocks:
        raise TlsError("private key is not in PEM format (no PEM private key found)")
    label, block = blocks[0]
    encrypted = label == "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED" in block
    if encrypted and not password:
        raise TlsError("private key is encrypted and no password was given")
    try:
        key = serialization.load_pem_private_key(
            block.encode("ascii"), password=password.encode("utf-8") if encrypted else None
        )
    except ValueError:
        if encrypted:
            raise TlsError("wrong password for the encrypted private key") from None
        raise TlsError("private key is corrupt or not a private key") from None
    except UnsupportedAlgorithm as err:
        raise TlsError(f"private key uses an unsupported algorithm ({err})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TlsError(f"unsupported private key type {type(key).__name__}: only RSA keys are supported")
    if key.key_size not in SUPPORTED_KEY_SIZES:
        raise TlsError(
            f"unsupported private key size {key.key_size} bits (supported: {', '.join(map(str, SUPPORTED_KEY_SIZES))})"
        )
    return key


def _subject(fields: dict) -> x509.Name:
    if not isinstance(fields, dict):
        raise TlsError("request body must be a JSON object")
    unknown = sorted(set(fields) - set(SUBJECT_FIELD_NAMES))
    if unknown:
        raise TlsError(f"unknown attribute(s): {', '.join(unknown)}")
    attributes = []
    for name, oid in SUBJECT_FIELDS:
        value = fields.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise TlsError(f"{name} must be a string")
        if name == "countryCode" and len(value) != 2:
            raise TlsError(f"countryCode must be a two-letter country code, got {value!r}")
        attributes.append(x509.NameAttribute(oid, value))
    return x509.Name(attributes)


def _subject_alternative_name(subject: x509.Name) -> x509.SubjectAlternativeName | None:
    """The common name repeated as SAN, so clients that check hostnames (they ignore the CN)
    accept a self-signed certificate they were told to trust."""
    names = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names:
        return None
    common_name = str(names[0].value)
    try:
        return x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(common_name))])
    except ValueError:
        return x509.SubjectAlternativeName([x509.DNSName(common_name)])


def _self_signed(key: rsa.RSAPrivateKey, subject: x509.Name, validity: datetime.timedelta = SELF_SIGNED_VALIDITY) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    not_after = now + validity
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A validity that ended already (negative days) still starts before it ends.
        .not_valid_before(min(now - datetime.timedelta(minutes=5), not_after - datetime.timedelta(days=1)))
        .not_valid_after(not_after)
    )
    alternative_name = _subject_alternative_name(subject)
    if alternative_name is not None:
        builder = builder.add_extension(alternative_name, critical=False)
    try:
        return builder.sign(key, hashes.SHA256())
    except ValueError as err:
        raise TlsError(f"cannot sign the certificate with the current private key ({err})") from None


def _csr(key: rsa.RSAPrivateKey, subject: x509.Name, algorithm: str) -> x509.CertificateSigningRequest:
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
    try:
        if algorithm != "sha1":
            return builder.sign(key, SIGNATURE_ALGORITHMS[algorithm]())
        # cryptography (>= 45) refuses SHA-1 in its X.509 builders but still signs raw data
        # with it, so the request is built with SHA-256 and its signature redone in SHA-1.
        info = builder.sign(key, hashes.SHA256()).tbs_certrequest_bytes
        signature = key.sign(info, padding.PKCS1v15(), hashes.SHA1())
    except ValueError as err:
        raise TlsError(f"cannot sign a {algorithm} request with a {key.key_size}-bit key ({err})") from None
    der = _der(0x30, info + _SHA1_WITH_RSA_ALGORITHM_ID + _der(0x03, b"\x00" + signature))
    return x509.load_der_x509_csr(der)


def _der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def csr_signature_is_valid(csr: x509.CertificateSigningRequest) -> bool:
    """Checks the signature of an RSA request, SHA-1 included (cryptography's own
    `is_signature_valid` answers False for SHA-1)."""
    try:
        csr.public_key().verify(csr.signature, csr.tbs_certrequest_bytes, padding.PKCS1v15(), csr.signature_hash_algorithm)
    except InvalidSignature:
        return False
    return True


# ---------------------------------------------------------------------------- the store


class _Context:
    """Files of one TLS context, all as PEM text."""

    def __init__(self, key_pem: str, cert_pem: str, trusted_roots: list[str], listener: tuple[str, str]):
        self.key_pem = key_pem
        self.cert_pem = cert_pem
        self.trusted_roots = trusted_roots
        self.listener = listener

    @classmethod
    def fresh(cls, common_name: str, key_size: int, validity: datetime.timedelta = SELF_SIGNED_VALIDITY) -> _Context:
        key = generate_rsa_key(key_size)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]) if common_name else x509.Name([])
        key_pem, cert_pem = _key_pem(key), _cert_pem(_self_signed(key, subject, validity))
        return cls(key_pem, cert_pem, [], (cert_pem, key_pem))

    def matches(self) -> bool:
        return _key_matches(self.key_pem, self.cert_pem)

    def remember_if_matching(self) -> None:
        if self.matches():
            self.listener = (self.cert_pem, self.key_pem)

    def to_json(self) -> dict:
        return {
            "private_key": self.key_pem,
            "certificate": self.cert_pem,
            "trusted_roots": list(self.trusted_roots),
            "listener": {"certificate": self.listener[0], "private_key": self.listener[1]},
        }

    @classmethod
    def from_json(cls, data: dict) -> _Context:
        listener = data.get("listener") or {}
        context = cls(
            data["private_key"],
            data["certificate"],
            list(data.get("trusted_roots", [])),
            (listener.get("certificate", data["certificate"]), listener.get("private_key", data["private_key"])),
        )
        # Parse everything now: a corrupt state file fails at load, not mid-request.
        _load_key(context.key_pem)
        for pem in [context.cert_pem, context.listener[0], *context.trusted_roots]:
            x509.load_pem_x509_certificate(pem.encode("ascii"))
        return context


class TlsStore:
    """The TLS contexts of one device. Thread-safe: every public method holds the lock."""

    def __init__(self, common_name: str, contexts: dict[int, _Context], validity_days: dict[int, int] | None = None):
        self.common_name = common_name
        self._contexts = contexts
        self._validity_days = dict(validity_days or {})
        self._lock = threading.RLock()

    @classmethod
    def create(cls, context_ids: list[int], common_name: str, validity_days: dict[int, int] | None = None) -> TlsStore:
        """``validity_days``: {context id: days} for the first self-signed certificate of those
        contexts (default 10 years); negative days make an expired one."""
        store = cls(common_name, {}, validity_days)
        store.ensure_contexts(context_ids)
        return store

    def to_json(self) -> dict:
        with self._lock:
            return {
                "common_name": self.common_name,
                "contexts": {str(ctx): context.to_json() for ctx, context in sorted(self._contexts.items())},
            }

    @classmethod
    def from_json(cls, data: dict) -> TlsStore:
        contexts = {int(ctx): _Context.from_json(value) for ctx, value in data["contexts"].items()}
        store = cls(data.get("common_name", ""), contexts)
        store.ensure_contexts(list(contexts))
        return store

    def context_ids(self) -> list[int]:
        with self._lock:
            return sorted(self._contexts)

    def ensure_contexts(self, ids) -> None:
        """Align the store on the configured contexts; context 0 always exists."""
        wanted = {int(ctx) for ctx in ids} | {0}
        with self._lock:
            for ctx in set(self._contexts) - wanted:
                del self._contexts[ctx]
            for ctx in sorted(wanted - set(self._contexts)):
                days = self._validity_days.get(ctx)
                validity = SELF_SIGNED_VALIDITY if days is None else datetime.timedelta(days=days)
                self._contexts[ctx] = _Context.fresh(self.common_name, default_key_size(), validity)

    def _context(self, ctx) -> _Context:
        try:
            return self._contexts[int(ctx)]
        except (KeyError, ValueError, TypeError):
            raise TlsContextNotFound(f"TLS context {ctx} does not exist") from None

    # -- private key

    def key_status(self, ctx) -> dict:
        with self._lock:
            context = self._context(ctx)
            return {"size": _load_key(context.key_pem).key_size, "valid": context.matches()}

    def put_private_key(self, ctx, pem: bytes, password: str | None) -> None:
        with self._lock:
            context = self._context(ctx)
            context.key_pem = _key_pem(_parse_private_key(pem, password))
            context.remember_if_matching()

    def generate_private_key(self, ctx, size=None) -> None:
        """Replaces the key; `size` None means the guide's default, 1024."""
        size = DEFAULT_GENERATED_KEY_SIZE if size is None else size
        if isinstance(size, bool) or not isinstance(size, int) or size not in SUPPORTED_KEY_SIZES:
            raise TlsError(f"invalid key size {size!r} (supported: {', '.join(map(str, SUPPORTED_KEY_SIZES))})")
        with self._lock:
            context = self._context(ctx)
        key_pem = _key_pem(generate_rsa_key(size))  # slow part outside the lock
        with self._lock:
            context = self._context(ctx)
            context.key_pem = key_pem
            context.remember_if_matching()

    # -- device certificate

    def get_certificate(self, ctx) -> str:
        with self._lock:
            return self._context(ctx).cert_pem

    def put_certificate(self, ctx, pem: bytes) -> None:
        certs = parse_certificates(pem, "certificate")
        if len(certs) != 1:
            raise TlsError(f"certificate file must hold one certificate, found {len(certs)}")
        with self._lock:
            context = self._context(ctx)
            context.cert_pem = certs[0]
            context.remember_if_matching()

    def generate_self_signed(self, ctx, fields: dict) -> None:
        subject = _subject(fields)
        with self._lock:
            context = self._context(ctx)
            context.cert_pem = _cert_pem(_self_signed(_load_key(context.key_pem), subject))
            context.remember_if_matching()

    def certificate_request(self, ctx, fields: dict, signature_algorithm: str | None = None) -> str:
        fields = dict(fields)
        algorithm = fields.pop("signatureAlgorithm", None) or signature_algorithm or DEFAULT_CSR_SIGNATURE_ALGORITHM
        if algorithm not in SIGNATURE_ALGORITHMS:
            raise TlsError(f"invalid signatureAlgorithm {algorithm!r} (supported: {', '.join(SIGNATURE_ALGORITHMS)})")
        subject = _subject(fields)
        with self._lock:
            key = _load_key(self._context(ctx).key_pem)
        return _csr(key, subject, algorithm).public_bytes(serialization.Encoding.PEM).decode("ascii")

    # -- trusted roots

    def get_trusted_roots(self, ctx) -> str:
        with self._lock:
            return "".join(self._context(ctx).trusted_roots)

    def put_trusted_roots(self, ctx, pem: bytes) -> None:
        """Replaces the store. Content with no PEM block at all (only whitespace) empties it."""
        certs = [] if not _as_text(pem, "trusted root store").strip() else parse_certificates(pem, "trusted root store")
        with self._lock:
            context = self._context(ctx)
            context.trusted_roots = _unique(certs)

    def add_trusted_root(self, ctx, pem: bytes) -> None:
        certs = parse_certificates(pem, "trusted root certificate")
        with self._lock:
            context = self._context(ctx)
            context.trusted_roots = _unique(context.trusted_roots + certs)

    # -- what the rest of the simulator asks

    def listener_pair(self, ctx=0) -> tuple[str, str]:
        """(certificate PEM, key PEM) the HTTPS listener serves: the last pair that matched."""
        with self._lock:
            return self._context(ctx).listener

    def mismatched_contexts(self) -> list[int]:
        with self._lock:
            return [ctx for ctx, context in sorted(self._contexts.items()) if not context.matches()]

    def expiring_within(self, days: int) -> list[tuple[int, datetime.datetime]]:
        """Contexts whose device certificate ends within `days` days (or already ended)."""
        limit = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
        expiring = []
        with self._lock:
            for ctx, context in sorted(self._contexts.items()):
                not_after = x509.load_pem_x509_certificate(context.cert_pem.encode("ascii")).not_valid_after_utc
                if not_after <= limit:
                    expiring.append((ctx, not_after))
        return expiring


def _unique(certs: list[str]) -> list[str]:
    seen, unique = set(), []
    for pem in certs:
        digest = fingerprint(pem)
        if digest not in seen:
            seen.add(digest)
            unique.append(pem)
    return unique
