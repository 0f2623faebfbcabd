# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificate/key/CSR helpers: parsing with causes named, fingerprints, names, dates, matching."""
from __future__ import annotations

import datetime
import subprocess
import shutil

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificates import CertificateError

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


@pytest.fixture(scope="module")
def other_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def name(**fields):
    oids = {"CN": NameOID.COMMON_NAME, "O": NameOID.ORGANIZATION_NAME, "C": NameOID.COUNTRY_NAME}
    return x509.Name([x509.NameAttribute(oids[short], value) for short, value in fields.items()])


def make_cert(subject_key, subject, issuer=None, issuer_key=None, serial=0x1234AB, days=100, start=NOW):
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer or subject)
        .public_key(subject_key.public_key()).serial_number(serial)
        .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=days))
        .sign(issuer_key or subject_key, hashes.SHA256())
    )


def pem(obj):
    return obj.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(private_key, passphrase=None, traditional=False):
    encryption = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    fmt = serialization.PrivateFormat.TraditionalOpenSSL if traditional else serialization.PrivateFormat.PKCS8
    return private_key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()


# -- certificates


def test_certificate_info_reports_parsed_fields(key):
    cert = make_cert(key, name(C="US", O="ACME", CN="sbc.example.com"))
    info = certs.certificate_info(certs.load_certificate(pem(cert)), now=NOW + datetime.timedelta(days=40))
    assert info == {
        "subject": "CN=sbc.example.com,O=ACME,C=US",
        "subject_fields": {"common_name": "sbc.example.com", "organization": "ACME", "country": "US"},
        "subject_alt_names": [],
        "issuer": "CN=sbc.example.com,O=ACME,C=US",
        "serial": "1234AB",
        "fingerprint": ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256())),
        "not_before": "2026-01-01T00:00:00+00:00",
        "not_after": "2026-04-11T00:00:00+00:00",
        "days_left": 60,
        "self_signed": True,
        "public_key_size": 1024,
    }


def test_fingerprint_matches_openssl_format(key):
    cert = make_cert(key, name(CN="a"))
    fingerprint = certs.fingerprint(cert)
    assert len(fingerprint) == 32 * 3 - 1
    assert fingerprint == fingerprint.upper()
    if shutil.which("openssl"):
        out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], input=pem(cert),
                             capture_output=True, text=True, check=True).stdout
        assert out.strip().split("=", 1)[1] == fingerprint


def test_days_left_is_negative_once_expired(key):
    cert = make_cert(key, name(CN="old"), days=10)
    assert certs.days_left(cert, now=NOW + datetime.timedelta(days=15)) == -5


def test_self_signed_needs_matching_names_and_own_signature(key, other_key):
    subject = name(CN="same")
    assert certs.is_self_signed(make_cert(key, subject))
    # Same names but signed by another key: not self-signed.
    assert not certs.is_self_signed(make_cert(key, subject, issuer_key=other_key))
    assert not certs.is_self_signed(make_cert(key, subject, issuer=name(CN="CA"), issuer_key=other_key))


def test_self_signed_ec_certificate(key):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    cert = make_cert(ec_key, name(CN="ec"))
    assert certs.is_self_signed(cert)
    assert certs.certificate_info(cert)["public_key_size"] == 256


def test_split_bundle_keeps_order_and_ignores_text_between_blocks(key, other_key):
    first, second = make_cert(key, name(CN="one")), make_cert(other_key, name(CN="two"))
    bundle = "subject=CN=one\n" + pem(first) + "\n# comment\n" + pem(second).replace("\n", "\r\n")
    assert certs.split_certificates(bundle) == [first, second]
    assert certs.split_certificates(bundle.encode()) == [first, second]


@pytest.mark.parametrize(
    "content, cause",
    [
        ("", "holds no PEM certificate"),
        ("just text", "holds no PEM certificate"),
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a valid certificate"),
        (b"\x30\x82\x01\x0a\xff", "binary data"),
        ("KEY", "is a private key, not a certificate"),
        ("CERT+KEY", "(PEM block 2) is a private key, not a certificate"),
    ],
)
def test_split_certificates_names_the_cause(key, content, cause):
    if content == "KEY":
        content = key_pem(key)
    elif content == "CERT+KEY":
        content = pem(make_cert(key, name(CN="a"))) + key_pem(key)
    with pytest.raises(CertificateError) as caught:
        certs.split_certificates(content, "trusted root")
    assert cause in str(caught.value)
    assert str(caught.value).startswith("trusted root")
    assert "MII" not in str(caught.value)  # never echoes PEM content


def test_load_certificate_wants_exactly_one(key):
    cert = pem(make_cert(key, name(CN="a")))
    with pytest.raises(CertificateError, match="must hold one certificate, it holds 2"):
        certs.load_certificate(cert + cert)


def test_load_certificate_refuses_other_types():
    with pytest.raises(CertificateError, match="must be PEM text, got int"):
        certs.load_certificate(5)


def test_certificate_pem_round_trip(key):
    cert = make_cert(key, name(CN="a"))
    assert certs.load_certificate(certs.certificate_pem(cert)) == cert


# -- subject fields


def test_build_name_and_subject_fields_round_trip():
    fields = {"common_name": "sbc.example.com", "organizational_unit": "Voice", "organization": "ACME",
              "locality": "Springfield", "state": "Oregon", "country": "US"}
    built = certs.build_name(fields)
    assert certs.name_to_text(built) == "CN=sbc.example.com,OU=Voice,O=ACME,L=Springfield,ST=Oregon,C=US"
    assert certs.subject_fields(built) == fields


def test_build_name_leaves_out_empty_fields_and_checks_country():
    assert certs.subject_fields(certs.build_name({"common_name": "a", "organization": "", "country": None})) == {"common_name": "a"}
    with pytest.raises(CertificateError, match="two-letter"):
        certs.build_name({"country": "USA"})
    with pytest.raises(CertificateError, match="unknown subject field"):
        certs.build_name({"email": "x@example.com"})


# -- private keys


@pytest.mark.parametrize("traditional", [False, True])
def test_load_private_key_plain_and_encrypted(key, traditional):
    plain = certs.load_private_key(key_pem(key, traditional=traditional))
    assert certs.same_public_key(plain, key)
    encrypted_pem = key_pem(key, "pass phrase", traditional=traditional)
    assert certs.is_encrypted_key(encrypted_pem)
    assert not certs.is_encrypted_key(key_pem(key, traditional=traditional))
    assert certs.same_public_key(certs.load_private_key(encrypted_pem, "pass phrase"), key)


def test_passphrase_for_a_plain_key_is_ignored(key):
    assert certs.same_public_key(certs.load_private_key(key_pem(key), "unneeded"), key)


@pytest.mark.parametrize(
    "content, passphrase, cause",
    [
        ("ENCRYPTED", None, "encrypted and no passphrase was given"),
        ("ENCRYPTED", "", "encrypted and no passphrase was given"),
        ("ENCRYPTED", "wrong", "wrong passphrase"),
        ("TRADITIONAL", "wrong", "wrong passphrase"),
        ("CERT", None, "not a PEM private key (it holds a certificate)"),
        ("text", None, "not a PEM private key"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", None, "corrupt or not a private key"),
        ("TWO", None, "must hold one private key, it holds 2"),
    ],
)
def test_load_private_key_names_the_cause(key, content, passphrase, cause):
    content = {
        "ENCRYPTED": lambda: key_pem(key, "right"),
        "TRADITIONAL": lambda: key_pem(key, "right", traditional=True),
        "CERT": lambda: pem(make_cert(key, name(CN="a"))),
        "TWO": lambda: key_pem(key) + key_pem(key),
    }.get(content, lambda: content)()
    with pytest.raises(CertificateError) as caught:
        certs.load_private_key(content, passphrase)
    assert cause in str(caught.value)
    assert "right" not in str(caught.value) and "MII" not in str(caught.value)


def test_private_key_pem_is_unencrypted_pkcs1_for_rsa(key):
    text = certs.private_key_pem(certs.load_private_key(key_pem(key, "right"), "right"))
    assert text.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert certs.same_public_key(serialization.load_pem_private_key(text.encode(), None), key)


def test_key_size_and_matching(key, other_key):
    cert = make_cert(key, name(CN="a"))
    assert certs.key_size(key) == 1024
    assert certs.key_size(cert.public_key()) == 1024
    assert certs.key_matches_certificate(key, cert)
    assert not certs.key_matches_certificate(other_key, cert)
    assert certs.public_key_fingerprint(key) == certs.public_key_fingerprint(cert)
    assert certs.public_key_fingerprint(other_key) != certs.public_key_fingerprint(cert)


# -- CSRs


def test_load_csr_and_compare_its_key(key, other_key):
    csr = x509.CertificateSigningRequestBuilder().subject_name(name(CN="req")).sign(key, hashes.SHA256())
    loaded = certs.load_csr(certs.csr_pem(csr))
    assert certs.name_to_text(loaded.subject) == "CN=req"
    assert certs.same_public_key(loaded, key)
    assert not certs.same_public_key(loaded, other_key)


def test_load_csr_names_the_cause(key):
    with pytest.raises(CertificateError, match="not a PEM certificate signing request .it holds a certificate"):
        certs.load_csr(pem(make_cert(key, name(CN="a"))))
    with pytest.raises(CertificateError, match="not a valid certificate signing request"):
        certs.load_csr("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")


@pytest.mark.parametrize("char", ["\n", "\r", "\x00", "\t", "\x1b", "\x85", "\u2028"])
@pytest.mark.parametrize("field", ["common_name", "organization", "organizational_unit", "locality", "state"])
def test_build_name_refuses_a_line_break_or_control_character_in_any_field(field, char):
    """The library refuses by itself, whoever calls it: a subject field is one line of text."""
    with pytest.raises(CertificateError) as refused:
        certs.build_name({"common_name": "sbc.example.com", field: "a" + char + "CN=evil"})
    assert str(refused.value) == (f"subject field {field} holds {char!r} (U+{ord(char):04X}), a line break or control "
                                  "character; a subject field is one line of text")


def test_build_name_keeps_punctuation_a_name_may_hold():
    fields = {"common_name": "sbc-1.example.com", "organization": 'ACME, Inc. "Voice" + Co; [lab]', "country": "US"}
    built = certs.build_name(fields)
    assert certs.subject_fields(built) == fields
