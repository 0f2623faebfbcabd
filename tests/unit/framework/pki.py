# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small keys, certificates and CSRs for unit tests (EC P-256: generated in microseconds)."""
from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def new_key():
    return ec.generate_private_key(ec.SECP256R1())


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(key, common_name="sbc1.example.com", issuer_key=None, issuer_name=None, days=365):
    """A certificate for ``key``: self-signed, or signed by ``issuer_key`` as ``issuer_name``."""
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name(common_name))
               .issuer_name(name(issuer_name or common_name)).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days)))
    if issuer_key is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    return builder.sign(issuer_key or key, hashes.SHA256())


def csr(key, common_name="sbc1.example.com"):
    return x509.CertificateSigningRequestBuilder().subject_name(name(common_name)).sign(key, hashes.SHA256())


def pem(thing) -> str:
    """PEM text of a certificate, a CSR or a private key (unencrypted PKCS#8)."""
    if isinstance(thing, (x509.Certificate, x509.CertificateSigningRequest)):
        return thing.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return thing.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()).decode("ascii")
