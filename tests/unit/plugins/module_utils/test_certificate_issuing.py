# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keys, CSRs with subjectAltNames and issuing with a CA on the controller; the checks a new
certificate must pass before it goes into service."""
from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, rsa, x25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_checks as checks
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_issuing as issuing
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificates import CertificateError

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def _key(size=1024):
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def _ca(key, common_name="Test Root", issuer=None, issuer_key=None, ca=True, days=3650, start=NOW - datetime.timedelta(days=1)):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer.subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=days)))
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture(scope="module")
def root_key():
    return _key()


@pytest.fixture(scope="module")
def root(root_key):
    return _ca(root_key)


@pytest.fixture(scope="module")
def leaf_key():
    return _key()


@pytest.fixture(scope="module")
def csr(leaf_key):
    return issuing.build_csr(leaf_key, {"common_name": "sbc1.example.com", "organization": "ACME"},
                             ["sbc1.example.com", "IP:192.0.2.10", "DNS:SIP.Example.com"])


# -- subjectAltNames


@pytest.mark.parametrize("text, expected", [
    ("DNS:sbc.example.com", "DNS:sbc.example.com"),
    ("dns:SBC.Example.COM.", "DNS:sbc.example.com"),
    ("IP:192.0.2.1", "IP:192.0.2.1"),
    ("192.0.2.1", "IP:192.0.2.1"),
    ("2001:db8::1", "IP:2001:db8::1"),
    ("*.example.com", "DNS:*.example.com"),
    ("_sips._tcp.example.com", "DNS:_sips._tcp.example.com"),
])
def test_alt_names_are_parsed_and_normalized(text, expected):
    assert issuing.normalize_alt_names([text]) == [expected]


@pytest.mark.parametrize("text, cause", [
    ("", "empty"),
    ("IP:not-an-address", "not an IP address"),
    ("DNS:two words", "not a DNS name"),
    ("sbc.example.com\nDNS:evil.example.com", "not a DNS name"),
    ("a..b", "not a DNS name"),
])
def test_bad_alt_names_name_the_entry(text, cause):
    with pytest.raises(CertificateError, match=cause):
        issuing.normalize_alt_names(["ok.example.com", text])


def test_duplicates_are_dropped_order_kept():
    assert issuing.normalize_alt_names(["b.example", "IP:10.0.0.1", "DNS:B.example"]) == ["DNS:b.example", "IP:10.0.0.1"]


# -- keys and requests


def test_csr_carries_subject_alt_names_and_sha256(csr, leaf_key):
    assert certs.subject_alt_names(csr) == ["DNS:sbc1.example.com", "IP:192.0.2.10", "DNS:sip.example.com"]
    assert certs.subject_fields(csr.subject) == {"common_name": "sbc1.example.com", "organization": "ACME"}
    assert csr.signature_hash_algorithm.name == "sha256"
    assert issuing.csr_signature_valid(csr)
    assert certs.same_public_key(csr, leaf_key)


def test_generated_key_sizes_are_held_to_the_list():
    assert issuing.generate_key(2048).key_size == 2048
    with pytest.raises(CertificateError, match="key size 1024 is not one of 2048, 3072, 4096"):
        issuing.generate_key(1024)


def test_encrypted_key_round_trips_only_with_its_passphrase(leaf_key):
    text = issuing.encrypted_key_pem(leaf_key, "s3cret pass")
    assert "BEGIN ENCRYPTED PRIVATE KEY" in text
    assert certs.same_public_key(certs.load_private_key(text, "s3cret pass"), leaf_key)
    with pytest.raises(CertificateError, match="wrong passphrase"):
        certs.load_private_key(text, "other")
    with pytest.raises(CertificateError, match="passphrase is needed"):
        issuing.encrypted_key_pem(leaf_key, "")


# -- issuing


def test_issued_certificate_is_a_server_and_client_leaf_for_the_request(csr, root, root_key):
    cert = issuing.issue_certificate(csr, root, root_key, valid_days=90, now=NOW)
    assert cert.subject == csr.subject and cert.issuer == root.subject
    assert certs.subject_alt_names(cert) == certs.subject_alt_names(csr)
    assert certs.same_public_key(cert, csr)
    assert issuing.is_issued_by(cert, root)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(usages) == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}
    assert certs.not_after(cert) == NOW + datetime.timedelta(days=90)
    assert certs.not_before(cert) < NOW


def test_issued_certificate_never_outlives_its_ca(csr, root_key):
    short_ca = _ca(root_key, days=30)
    cert = issuing.issue_certificate(csr, short_ca, root_key, valid_days=365, now=NOW)
    assert certs.not_after(cert) == certs.not_after(short_ca)


def test_openssl_verifies_the_issued_chain(tmp_path, csr, root, root_key):
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    cert = issuing.issue_certificate(csr, root, root_key, valid_days=30)
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    result = subprocess.run(["openssl", "verify", "-CAfile", str(tmp_path / "root.pem"), "-purpose", "sslserver",
                             str(tmp_path / "leaf.pem")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case, cause", [
    ("not-ca", "not a CA certificate"),
    ("wrong-key", "does not belong to the CA certificate"),
    ("expired", "the CA certificate expired"),
])
def test_unusable_cas_are_refused(csr, root_key, case, cause):
    key = root_key
    if case == "not-ca":
        ca = _ca(root_key, ca=False)
    elif case == "wrong-key":
        ca, key = _ca(root_key), _key()
    else:
        ca = _ca(root_key, days=10, start=NOW - datetime.timedelta(days=20))
    with pytest.raises(CertificateError, match=cause):
        issuing.issue_certificate(csr, ca, key, valid_days=30, now=NOW)


def test_csr_with_a_broken_signature_is_refused(csr, root, root_key):
    broken = bytearray(csr.public_bytes(serialization.Encoding.DER))
    broken[-5] ^= 0xFF
    with pytest.raises(CertificateError, match="signature does not verify"):
        issuing.issue_certificate(x509.load_der_x509_csr(bytes(broken)), root, root_key, valid_days=30, now=NOW)


# -- checks


def test_a_good_certificate_has_no_problems(csr, root, root_key):
    cert = issuing.issue_certificate(csr, root, root_key, valid_days=365, now=NOW)
    assert checks.certificate_problems(cert, key_of=csr, subject={"common_name": "sbc1.example.com"},
                                       alt_names=["IP:192.0.2.10"], chain=[root], roots=[root], hostname="192.0.2.10",
                                       now=NOW + datetime.timedelta(days=1), min_days_left=30) == []


def test_certificate_for_another_key_is_named(csr, root, root_key):
    cert = issuing.issue_certificate(issuing.build_csr(_key(), {"common_name": "sbc1.example.com"}), root, root_key, 90, now=NOW)
    problems = checks.certificate_problems(cert, key_of=csr, now=NOW)
    assert len(problems) == 1 and problems[0].startswith("it certifies another key")


def test_short_certificates_and_missing_names_are_named(csr, root, root_key):
    cert = issuing.issue_certificate(issuing.build_csr(_key(), {"common_name": "other"}), root, root_key, 20, now=NOW)
    problems = checks.certificate_problems(cert, subject={"common_name": "sbc1"}, alt_names=["sbc1.example.com"],
                                           now=NOW, min_days_left=30)
    assert any("expires in 20 days, within the renewal window of 30 days" in p for p in problems)
    assert any("common_name 'other'" in p for p in problems)
    assert any("lacks the subjectAltName(s) DNS:sbc1.example.com" in p for p in problems)


def test_percentage_threshold(csr, root, root_key):
    cert = issuing.issue_certificate(csr, root, root_key, 100, now=NOW)
    later = NOW + datetime.timedelta(days=85)
    assert round(checks.lifetime_percent_left(cert, later)) == 15
    assert checks.validity_problems(cert, later, min_percent_left=10) == []
    assert "below the renewal threshold of 20%" in checks.validity_problems(cert, later, min_percent_left=20)[0]


def test_chain_through_an_intermediate(csr, root, root_key):
    inter_key = _key()
    inter = _ca(inter_key, "Issuing CA", issuer=root, issuer_key=root_key)
    cert = issuing.issue_certificate(csr, inter, inter_key, 90, now=NOW)
    assert checks.chain_problems(cert, [inter], [root], NOW) == []
    assert checks.chain_problems(cert, [inter, root], [], NOW) == [], "a chain that ends in its own root"
    assert checks.chain_problems(cert, [], [root], NOW) == [
        "no certificate of the chain or the trusted roots issued CN=sbc1.example.com,O=ACME (issuer CN=Issuing CA)"]
    other_root = _ca(_key(), "Other Root")
    assert "not a trusted root" in checks.chain_problems(cert, [inter, root], [other_root], NOW)[0]


@pytest.mark.parametrize("host, names, expected", [
    ("sbc1.example.com", ["sbc1.example.com"], True),
    ("SBC1.example.com", ["sbc1.example.com"], True),
    ("sbc1.example.com", ["*.example.com"], True),
    ("a.sbc1.example.com", ["*.example.com"], False),
    ("192.0.2.10", ["IP:192.0.2.10"], True),
    ("192.0.2.11", ["IP:192.0.2.10", "sbc1.example.com"], False),
    ("sbc2.example.com", ["sbc1.example.com"], False),
])
def test_hostname_matching(root, root_key, host, names, expected):
    cert = issuing.issue_certificate(issuing.build_csr(_key(), {"common_name": "cn-only.example.com"}, names), root, root_key, 30, now=NOW)
    assert checks.hostname_matches(cert, host) is expected


def test_common_name_counts_only_without_alt_names(root, root_key):
    cert = issuing.issue_certificate(issuing.build_csr(_key(), {"common_name": "legacy.example.com"}), root, root_key, 30, now=NOW)
    assert checks.hostname_matches(cert, "legacy.example.com")


def test_a_dsa_ca_is_recognised_as_the_issuer(root, root_key):
    """Found by mypy: DSA signatures were verified without their hash (TypeError, taken as "not
    issued by"), so a chain through a DSA CA never verified."""
    dsa_key = dsa.generate_private_key(key_size=2048)
    dsa_root = _ca(dsa_key, "DSA Root")
    leaf = _ca(_key(), "sbc1.example.com", issuer=dsa_root, issuer_key=dsa_key, ca=False)
    assert issuing.is_issued_by(leaf, dsa_root)
    assert checks.chain_problems(leaf, [], [dsa_root], NOW) == []
    assert not issuing.is_issued_by(leaf, _ca(dsa.generate_private_key(key_size=2048), "DSA Root"))


def test_a_certificate_for_a_key_that_cannot_sign_issued_nothing(root, root_key):
    """Found by mypy: a candidate issuer whose key cannot sign (X25519) raised AttributeError."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuing CA")])
    x25519_cert = (x509.CertificateBuilder().subject_name(name).issuer_name(root.subject)
                   .public_key(x25519.X25519PrivateKey.generate().public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(NOW).not_valid_after(NOW + datetime.timedelta(days=30)).sign(root_key, hashes.SHA256()))
    leaf = _ca(_key(), "sbc1.example.com", issuer=x25519_cert, issuer_key=root_key, ca=False)
    assert not issuing.is_issued_by(leaf, x25519_cert)
    assert "no certificate of the chain" in checks.chain_problems(leaf, [x25519_cert], [root], NOW)[0]


def test_a_ca_key_that_cannot_sign_is_refused_by_name():
    """Found by mypy: an X25519 key loaded as the CA key reached check_ca/issue_certificate."""
    with pytest.raises(CertificateError, match=r"^the CA private key \(X25519\) is of a kind that cannot sign certificates"):
        issuing.issuer_key(x25519.X25519PrivateKey.generate())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert issuing.issuer_key(key) is key
