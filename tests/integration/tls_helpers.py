# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Key material, a test CA and TLS handshakes for the certificate tests (plain cryptography/ssl,
not the collection's code)."""
from __future__ import annotations

import datetime
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

# A device with two SIP interfaces on TLS: one on its own context, one on the default context,
# and a proxy set and an IP group referring to the SIP-TLS context.
SIP_CONFIG = """
[ TLSContexts ]
FORMAT Index = Name, TLSVersion, ServerCipherString;
TLSContexts 1 = "SIP-TLS", 4, "HIGH:!aNULL";
[ \\TLSContexts ]
[ SIPInterface ]
FORMAT Index = InterfaceName, NetworkInterface, ApplicationType, TLSPort, SRDName, TLSContext;
SIPInterface 0 = "Teams", "O+M+C", 2, 5061, "DefaultSRD", "SIP-TLS";
SIPInterface 1 = "ITSP", "O+M+C", 2, 5071, "DefaultSRD", "";
[ \\SIPInterface ]
[ ProxySet ]
FORMAT Index = ProxyName, SRDName, TLSContextName, SBCIPv4SIPInterfaceName;
ProxySet 1 = "Teams-Proxies", "DefaultSRD", "SIP-TLS", "Teams";
[ \\ProxySet ]
"""


def new_key(size=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def pem(obj):
    return obj.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key, passphrase=None):
    encryption = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption).decode()


def fingerprint(cert):
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def issue(public_key, common_name, ca_key, ca_cert, days=90, alt_names=(), start=None):
    start = start or datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
    builder = (x509.CertificateBuilder().subject_name(name(common_name)).issuer_name(ca_cert.subject)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=days)))
    if alt_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(alt_names)), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


@dataclass
class SigningCa:
    """A root CA with its files: certificate, key encrypted with ``passphrase``."""
    key: object
    cert: x509.Certificate
    passphrase: str
    cert_path: Path
    key_path: Path

    @classmethod
    def create(cls, directory: Path, common_name="Renewal Test Root", passphrase="ca passphrase 7f3b"):
        key = new_key()
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name(common_name)).issuer_name(name(common_name))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
        directory.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = directory / "ca.pem", directory / "ca.key"
        cert_path.write_text(pem(cert))
        key_path.write_text(key_pem(key, passphrase))
        key_path.chmod(0o600)
        return cls(key, cert, passphrase, cert_path, key_path)

    def issue(self, public_key, common_name, days=90, alt_names=()):
        return issue(public_key, common_name, self.key, self.cert, days, alt_names)


def served_certificate(address, port, timeout=5):
    """The certificate a listener serves on a fresh handshake (completing it proves the listener
    holds the key of that certificate)."""
    with socket.create_connection((address, port), timeout=timeout) as raw:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        with context.wrap_socket(raw) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


@dataclass
class HandshakeWatcher:
    """A thread doing TLS handshakes with listeners over and over while something else runs.

    Each completed handshake proves the listener held the private key of the certificate it
    served; a failed one is a client that saw no usable pair. ``seen`` holds, per listener,
    the fingerprints in the order they were first served; ``failures`` every failed handshake."""
    listeners: dict  # label -> (address, port)
    interval: float = 0.02
    seen: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    handshakes: int = 0

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for label, (address, port) in self.listeners.items():
                try:
                    cert = served_certificate(address, port, timeout=3)
                except (OSError, ssl.SSLError) as err:
                    self.failures.append((label, time.time(), repr(err)))
                    continue
                self.handshakes += 1
                prints = self.seen.setdefault(label, [])
                if not prints or prints[-1] != fingerprint(cert):
                    prints.append(fingerprint(cert))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=10)
