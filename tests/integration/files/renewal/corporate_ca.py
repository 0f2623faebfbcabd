# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for a corporate CA's command-line tool: signs a CSR and prints the certificate
followed by the CA certificate. --wrong-key certifies a key of its own instead of the CSR's
(a CA that mixed up two requests)."""
from __future__ import annotations

import argparse
import datetime
import ipaddress
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csr", required=True)
    parser.add_argument("--ca-cert", required=True)
    parser.add_argument("--ca-key", required=True)
    parser.add_argument("--passphrase-file", required=True)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--san", action="append", default=[])
    parser.add_argument("--wrong-key", action="store_true")
    args = parser.parse_args()
    with open(args.csr, "rb") as handle:
        csr = x509.load_pem_x509_csr(handle.read())
    with open(args.ca_cert, "rb") as handle:
        ca_cert = x509.load_pem_x509_certificate(handle.read())
    with open(args.passphrase_file, "rb") as handle:
        passphrase = handle.read().strip()
    with open(args.ca_key, "rb") as handle:
        ca_key = serialization.load_pem_private_key(handle.read(), password=passphrase)
    public_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key() if args.wrong_key else csr.public_key()
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(csr.subject).issuer_name(ca_cert.subject).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=args.days)))
    names = []
    for san in args.san:
        kind, _sep, value = san.partition(":")
        names.append(x509.IPAddress(ipaddress.ip_address(value)) if kind == "IP" else x509.DNSName(value))
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    sys.stdout.write(cert.public_bytes(serialization.Encoding.PEM).decode() + ca_cert.public_bytes(serialization.Encoding.PEM).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
