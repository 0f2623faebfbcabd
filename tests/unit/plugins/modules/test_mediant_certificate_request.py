# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_certificate_request: device keys (new, pending), controller keys (uploaded, kept on the controller), refusals."""
from __future__ import annotations

import os
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from tests.unit.framework import pki
from tests.unit.framework.device_data import api_generation
from tests.unit.framework.fake_http import Call

CONTEXTS = {"tls": [{"id": 0, "name": "default"}, {"id": 1, "name": "Teams"}]}
TLS = "files/tls/1"
SUBJECT = {"common_name": "sbc1.example.com", "organization": "Example"}
DEVICE_BODY = {"subjectName": "sbc1.example.com", "companyName": "Example", "signatureAlgorithm": "sha256"}
# The CSR the module asks for only to learn the device's current public key.
PROBE = {"subjectName": "ansible-key-probe", "signatureAlgorithm": "sha256"}


@pytest.fixture(scope="module")
def key():
    return pki.new_key()


@pytest.fixture
def v74(device):
    device.always(api_generation("7.4"))
    return device


def named_csr(key, common_name="sbc1.example.com", organization="Example"):
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(x509.oid.NameOID.ORGANIZATION_NAME, organization)])
    return x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())


def test_a_device_key_is_generated_and_the_device_makes_the_csr(v74, run, key):
    request = named_csr(key)
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS),
               Call("GET", TLS + "/privateKey", answer={"size": 2048, "valid": True}),
               Call("POST", TLS + "/privateKey/generate", json={"size": 2048}),
               Call("GET", TLS + "/privateKey", answer={"size": 2048, "valid": False}),
               Call("POST", TLS + "/certificate/request", json=DEVICE_BODY, answer=pki.pem(request)))
    result = run("mediant_certificate_request", {"context": "Teams", "subject": SUBJECT})
    assert result["changed"] is True and result["key_generated"] is True and not result.get("failed")
    assert result["csr"] == pki.pem(request) and result["key_size"] == 2048 and result["key_source"] == "device"
    assert result["subject"] == "CN=sbc1.example.com,O=Example" and result["context"] == {"id": "1", "name": "Teams"}


def test_a_pending_device_key_is_kept_and_its_csr_written(v74, run, key, tmp_path):
    request = named_csr(key)
    csr_path = tmp_path / "sbc1.csr"
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS),
               Call("GET", TLS + "/privateKey", answer={"size": 4096, "valid": False}),
               Call("POST", TLS + "/certificate/request", json=DEVICE_BODY, answer=pki.pem(request)))
    result = run("mediant_certificate_request", {"context": "1", "subject": SUBJECT, "csr_path": str(csr_path)})
    assert result["key_generated"] is False and result["key_size"] == 4096
    assert result["csr_written"] is True and result["changed"] is True and csr_path.read_text() == pki.pem(request)


def test_check_mode_without_a_pending_key_generates_nothing(v74, run):
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS),
               Call("GET", TLS + "/privateKey", answer={"size": 1024, "valid": False}))
    result = run("mediant_certificate_request", {"context": "1", "subject": SUBJECT, "key_size": 2048}, check_mode=True)
    assert result["changed"] is True and result["key_generated"] is True and "csr" not in result


def test_a_controller_key_is_uploaded_and_recognized_on_the_next_run(v74, run, tmp_path):
    csr_path = tmp_path / "ctx1.csr"
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS),
               Call("PUT", TLS + "/privateKey", filename="key.pem", match=lambda sent: "PRIVATE KEY" in sent.text))
    args = {"context": "1", "key_source": "controller", "subject": SUBJECT, "subject_alt_names": ["sbc1.example.com"],
            "csr_path": str(csr_path)}
    first = run("mediant_certificate_request", args)
    assert first["changed"] is True and first["key_generated"] is True and first["csr_written"] is True
    assert first["subject_alt_names"] == ["DNS:sbc1.example.com"] and "PRIVATE KEY" not in str(first)
    written = x509.load_pem_x509_csr(csr_path.read_bytes())

    v74.expect(Call("GET", "files/tls", answer=CONTEXTS),
               Call("GET", TLS + "/privateKey", answer={"size": 2048, "valid": False}),
               Call("POST", TLS + "/certificate/request", json=PROBE, answer=pki.pem(written)))
    second = run("mediant_certificate_request", args)
    assert second["changed"] is False and second["key_generated"] is False and second["csr_written"] is False
    assert second["csr"] == first["csr"]


def test_a_controller_key_kept_on_the_controller_is_encrypted_and_reused(v74, run, tmp_path):
    key_path, csr_path = tmp_path / "ctx0.key.pem", tmp_path / "ctx0.csr"
    args = {"context": "0", "key_source": "controller", "subject": SUBJECT, "private_key_dest": str(key_path),
            "private_key_passphrase": "vault-secret", "csr_path": str(csr_path)}
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS))
    first = run("mediant_certificate_request", args)
    assert first["changed"] is True and first["key_generated"] is True
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600 and b"ENCRYPTED PRIVATE KEY" in key_path.read_bytes()
    serialization.load_pem_private_key(key_path.read_bytes(), b"vault-secret")
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS))
    second = run("mediant_certificate_request", args)
    assert second["changed"] is False and second["csr"] == first["csr"]
    assert "vault-secret" not in str(first) + str(second)


@pytest.mark.parametrize("args, message", [
    ({"subject_alt_names": ["DNS:a.example.com"]},
     "subject_alt_names need key_source: controller - the device's certificate/request has no subjectAltName field; "
     "nothing was sent to the device"),
    ({"key_source": "controller", "private_key_dest": "/tmp/never-written.pem"},
     "private_key_dest needs private_key_passphrase: a key is never written unencrypted"),
    ({"subject": {"common_name": "sbc1\nCN=evil"}}, "subject.common_name: the value holds '\\n'"),
    ({"subject": {"organization": "Example"}}, "subject.common_name is required"),
])
def test_a_request_that_cannot_be_made_fails_before_any_request(device, run, args, message):
    result = run("mediant_certificate_request", dict({"context": "1", "subject": SUBJECT}, **args))
    assert result["failed"] and result["msg"].startswith(message)
    assert device.sent == []


def test_a_v10_device_has_no_tls_files(device, run):
    device.always(api_generation("1.0"))
    result = run("mediant_certificate_request", {"context": "0", "subject": SUBJECT})
    assert result["failed"] and result["msg"] == ("TLS context files (files/tls) need the REST API v7.x; this device speaks "
                                                  "the v1.0 API (firmware 7.00A or older)")
