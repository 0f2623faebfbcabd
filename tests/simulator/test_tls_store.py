"""TlsStore: the simulated device's TLS contexts, checked with real crypto."""

from __future__ import annotations

import datetime
import json
import subprocess
import shutil

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from simulator import tls
from simulator.tls import TlsContextNotFound, TlsError, TlsStore


@pytest.fixture(autouse=True)
def small_default_keys(monkeypatch):
    monkeypatch.setenv(tls.DEFAULT_KEY_SIZE_ENV, "1024")


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def key_pem(key, password=None, traditional=False):
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    fmt = serialization.PrivateFormat.TraditionalOpenSSL if traditional else serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption)


def make_cert(key, common_name="example.test", days=365, issuer_key=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=days))
        .sign(issuer_key or key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def load_cert(pem):
    return x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)


def public_of(pem_cert):
    return load_cert(pem_cert).public_key()


@pytest.fixture
def store():
    return TlsStore.create([0, 2], "sbc1.example")


def test_create_gives_each_context_a_matching_key_and_self_signed_cert(store):
    assert store.context_ids() == [0, 2]
    for ctx in (0, 2):
        assert store.key_status(ctx) == {"size": 1024, "valid": True}
        cert = load_cert(store.get_certificate(ctx))
        assert cert.subject == cert.issuer
        assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "sbc1.example"
        assert store.get_trusted_roots(ctx) == ""
    assert store.get_certificate(0) != store.get_certificate(2)
    assert store.mismatched_contexts() == []


def test_default_key_size_is_2048_and_env_override_is_validated(monkeypatch):
    monkeypatch.delenv(tls.DEFAULT_KEY_SIZE_ENV)
    assert tls.default_key_size() == 2048
    monkeypatch.setenv(tls.DEFAULT_KEY_SIZE_ENV, "1000")
    with pytest.raises(ValueError, match="SIMULATOR_DEFAULT_KEY_SIZE"):
        tls.default_key_size()


def test_unknown_context_is_not_found(store):
    with pytest.raises(TlsContextNotFound) as caught:
        store.key_status(5)
    assert caught.value.status == 404
    assert "5" in caught.value.description


def test_json_round_trip_keeps_keys_certs_roots_and_listener(store, rsa_key):
    root = make_cert(rsa_key, "Root CA")
    store.add_trusted_root(2, root)
    store.generate_private_key(0, 1024)  # listener keeps the old pair
    copy = TlsStore.from_json(json.loads(json.dumps(store.to_json())))
    assert copy.context_ids() == [0, 2]
    assert copy.get_certificate(0) == store.get_certificate(0)
    assert copy.key_status(0) == {"size": 1024, "valid": False}
    assert copy.listener_pair(0) == store.listener_pair(0)
    assert load_cert(copy.get_trusted_roots(2)) == load_cert(root)


def test_ensure_contexts_adds_and_drops_but_keeps_context_zero(store):
    cert_two = store.get_certificate(2)
    store.ensure_contexts([2, 3])
    assert store.context_ids() == [0, 2, 3]
    assert store.get_certificate(2) == cert_two
    assert store.key_status(3)["valid"] is True
    store.ensure_contexts([])
    assert store.context_ids() == [0]


# -- private key


@pytest.mark.parametrize("size", [512, 768, 1024])
def test_generate_private_key_sizes_including_those_cryptography_refuses(store, size):
    store.generate_private_key(2, size)
    assert store.key_status(2) == {"size": size, "valid": False}
    store.generate_self_signed(2, {"subjectName": "new"})
    assert store.key_status(2) == {"size": size, "valid": True}
    # The certificate really carries the generated key: the listener pair matches.
    cert_pem, key_pem = store.listener_pair(2)
    key = serialization.load_pem_private_key(key_pem.encode(), None)
    assert public_of(cert_pem) == key.public_key()
    assert key.key_size == size


@pytest.mark.parametrize("size", [0, 1000, 3072, 8192, "2048", True, 2048.0])
def test_generate_private_key_rejects_other_sizes(store, size):
    before = store.to_json()
    with pytest.raises(TlsError, match="key size"):
        store.generate_private_key(2, size)
    assert store.to_json() == before


def test_generate_private_key_default_size_is_the_guides_1024(store):
    store.generate_private_key(2)
    assert store.key_status(2)["size"] == 1024


def test_put_matching_key_then_certificate(store, rsa_key):
    store.put_private_key(2, key_pem(rsa_key), None)
    assert store.key_status(2) == {"size": 1024, "valid": False}
    assert 2 in store.mismatched_contexts()
    store.put_certificate(2, make_cert(rsa_key))
    assert store.key_status(2) == {"size": 1024, "valid": True}
    assert store.mismatched_contexts() == []


def test_put_encrypted_key_with_password(store, rsa_key):
    store.put_certificate(2, make_cert(rsa_key))
    store.put_private_key(2, key_pem(rsa_key, "s3cret"), "s3cret")
    assert store.key_status(2)["valid"] is True


def test_put_traditional_encrypted_key_with_password(store, rsa_key):
    store.put_certificate(2, make_cert(rsa_key))
    pem = key_pem(rsa_key, "s3cret", traditional=True)
    assert b"Proc-Type: 4,ENCRYPTED" in pem
    store.put_private_key(2, pem, "s3cret")
    assert store.key_status(2)["valid"] is True


def test_password_given_for_plain_key_is_ignored(store, rsa_key):
    store.put_private_key(2, key_pem(rsa_key), "unused")
    assert serialization.load_pem_private_key(store.to_json()["contexts"]["2"]["private_key"].encode(), None).public_key() == rsa_key.public_key()


@pytest.mark.parametrize(
    "content, password, cause",
    [
        ("encrypted", None, "encrypted and no password"),
        ("encrypted", "wrong", "wrong password"),
        ("certificate", None, "no PEM private key"),
        ("garbage", None, "no PEM private key"),
        ("binary", None, "binary"),
        ("corrupt", None, "corrupt"),
        ("ec", None, "only RSA"),
        ("small", None, "unsupported private key size 1536"),
    ],
)
def test_put_private_key_refusals_name_the_cause_and_change_nothing(store, rsa_key, content, password, cause):
    pems = {
        "encrypted": lambda: key_pem(rsa_key, "s3cret"),
        "certificate": lambda: make_cert(rsa_key),
        "garbage": lambda: b"hello world\n",
        "binary": lambda: b"\x30\x82\xff\xfe",
        "corrupt": lambda: b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "ec": lambda: key_pem(ec.generate_private_key(ec.SECP256R1())),
        "small": lambda: key_pem(rsa.generate_private_key(public_exponent=65537, key_size=1536)),
    }
    before = store.to_json()
    with pytest.raises(TlsError) as caught:
        store.put_private_key(2, pems[content](), password)
    assert cause in caught.value.description
    assert caught.value.status == 400
    assert store.to_json() == before


# -- device certificate


def test_certificate_with_other_key_is_accepted_but_key_invalid_and_listener_kept(store, rsa_key):
    served = store.listener_pair(0)
    foreign = make_cert(rsa_key, "foreign")
    store.put_certificate(0, foreign)
    assert load_cert(store.get_certificate(0)) == load_cert(foreign)
    assert store.key_status(0)["valid"] is False
    assert store.mismatched_contexts() == [0]
    assert store.listener_pair(0) == served


def test_listener_follows_the_last_matching_pair(store, rsa_key):
    store.put_private_key(0, key_pem(rsa_key), None)
    assert store.listener_pair(0)[0] != make_cert(rsa_key).decode()  # not matching yet
    cert = make_cert(rsa_key, "new.example")
    store.put_certificate(0, cert)
    cert_pem, key = store.listener_pair(0)
    assert load_cert(cert_pem) == load_cert(cert)
    assert serialization.load_pem_private_key(key.encode(), None).public_key() == rsa_key.public_key()


@pytest.mark.parametrize(
    "pem, cause",
    [
        (b"not a pem", "no PEM certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a valid certificate"),
        ("key", "private key, not a certificate"),
        ("two", "one certificate, found 2"),
    ],
)
def test_put_certificate_refusals(store, rsa_key, pem, cause):
    if pem == "key":
        pem = key_pem(rsa_key)
    elif pem == "two":
        pem = make_cert(rsa_key, "a") + make_cert(rsa_key, "b")
    before = store.to_json()
    with pytest.raises(TlsError) as caught:
        store.put_certificate(2, pem)
    assert cause in caught.value.description
    assert store.to_json() == before


def test_generate_self_signed_uses_all_guide_fields(store):
    store.generate_private_key(2, 1024)
    store.generate_self_signed(2, {
        "subjectName": "sbc.example.com", "organizationalUnit": "Voice", "companyName": "ACME",
        "localityName": "Springfield", "state": "Oregon", "countryCode": "US",
    })
    cert = load_cert(store.get_certificate(2))
    assert cert.subject == cert.issuer
    assert cert.subject.rfc4514_string() == "CN=sbc.example.com,OU=Voice,O=ACME,L=Springfield,ST=Oregon,C=US"
    assert store.key_status(2)["valid"] is True
    assert cert.not_valid_after_utc - datetime.datetime.now(datetime.timezone.utc) > datetime.timedelta(days=3000)


@pytest.mark.parametrize(
    "fields, cause",
    [({"commonName": "x"}, "unknown attribute"), ({"countryCode": "USA"}, "two-letter"), ({"subjectName": 5}, "must be a string")],
)
def test_generate_self_signed_refusals(store, fields, cause):
    before = store.to_json()
    with pytest.raises(TlsError, match=cause):
        store.generate_self_signed(2, fields)
    assert store.to_json() == before


# -- certificate signing request


@pytest.mark.parametrize("algorithm, expected", [(None, hashes.SHA1), ("sha1", hashes.SHA1), ("sha256", hashes.SHA256), ("sha512", hashes.SHA512)])
def test_csr_is_signed_by_the_context_key_with_the_asked_algorithm(store, algorithm, expected):
    before = store.to_json()
    pem = store.certificate_request(2, {"subjectName": "csr.example", "companyName": "ACME"}, algorithm)
    csr = x509.load_pem_x509_csr(pem.encode())
    assert isinstance(csr.signature_hash_algorithm, expected)
    assert tls.csr_signature_is_valid(csr)
    assert csr.public_key() == public_of(store.get_certificate(2))
    assert csr.subject.rfc4514_string() == "CN=csr.example,O=ACME"
    assert store.to_json() == before


def test_csr_accepts_signature_algorithm_inside_the_json_body(store):
    pem = store.certificate_request(2, {"subjectName": "a", "signatureAlgorithm": "sha256"}, None)
    assert isinstance(x509.load_pem_x509_csr(pem.encode()).signature_hash_algorithm, hashes.SHA256)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command not installed")
def test_sha1_csr_verifies_with_openssl(store, tmp_path):
    path = tmp_path / "req.pem"
    path.write_text(store.certificate_request(2, {"subjectName": "a"}, "sha1"))
    result = subprocess.run(["openssl", "req", "-in", str(path), "-verify", "-noout"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "verify OK" in result.stdout + result.stderr


def test_csr_refusals(store):
    with pytest.raises(TlsError, match="signatureAlgorithm"):
        store.certificate_request(2, {}, "md5")
    store.generate_private_key(2, 512)
    with pytest.raises(TlsError, match="512-bit key"):
        store.certificate_request(2, {}, "sha512")


def test_tampered_csr_fails_signature_check(store):
    csr = x509.load_pem_x509_csr(store.certificate_request(2, {"subjectName": "a"}, "sha1").encode())
    der = bytearray(csr.public_bytes(serialization.Encoding.DER))
    der[-1] ^= 1
    assert not tls.csr_signature_is_valid(x509.load_der_x509_csr(bytes(der)))


# -- trusted roots


@pytest.fixture(scope="module")
def roots(rsa_key):
    return [make_cert(rsa_key, f"Root {index}") for index in range(3)]


def test_trusted_roots_put_replaces_and_add_appends_without_duplicates(store, roots):
    store.put_trusted_roots(2, roots[0] + b"\n" + roots[1])
    assert [load_cert(pem) for pem in split(store.get_trusted_roots(2))] == [load_cert(roots[0]), load_cert(roots[1])]
    store.add_trusted_root(2, roots[1])
    store.add_trusted_root(2, roots[2])
    assert [load_cert(pem) for pem in split(store.get_trusted_roots(2))] == [load_cert(r) for r in roots]
    store.put_trusted_roots(2, roots[2])
    assert [load_cert(pem) for pem in split(store.get_trusted_roots(2))] == [load_cert(roots[2])]
    assert store.get_trusted_roots(0) == ""


def test_trusted_roots_put_with_only_whitespace_empties_the_store(store, roots):
    store.put_trusted_roots(2, roots[0])
    store.put_trusted_roots(2, b"\n")
    assert store.get_trusted_roots(2) == ""


def test_trusted_roots_refuse_any_block_that_is_not_a_certificate(store, roots, rsa_key):
    store.put_trusted_roots(2, roots[0])
    before = store.to_json()
    with pytest.raises(TlsError, match="block 2 is a private key"):
        store.put_trusted_roots(2, roots[1] + key_pem(rsa_key))
    with pytest.raises(TlsError, match="no PEM certificate"):
        store.add_trusted_root(2, b"junk")
    with pytest.raises(TlsError, match="no PEM certificate"):
        store.add_trusted_root(2, b"")
    assert store.to_json() == before


def split(bundle):
    return [block + "-----END CERTIFICATE-----\n" for block in bundle.split("-----END CERTIFICATE-----") if block.strip()]


# -- expiry


def test_expiring_within_reports_contexts_and_dates(store, rsa_key):
    store.put_certificate(2, make_cert(rsa_key, days=10))
    not_after = load_cert(store.get_certificate(2)).not_valid_after_utc
    assert store.expiring_within(30) == [(2, not_after)]
    assert store.expiring_within(5) == []
    assert [ctx for ctx, _not_after in store.expiring_within(4000)] == [0, 2]
