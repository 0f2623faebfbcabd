# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_certificate: key and certificate uploads, renewals, self-signed, trusted roots, CSR, check/diff, refusals."""
from __future__ import annotations

import pytest

from tests.unit.framework import pki
from tests.unit.framework.device_data import api_generation
from tests.unit.framework.fake_http import Call

CONTEXTS = {"tls": [{"id": 0, "name": "default"}, {"id": 1, "name": "Teams"}]}
TLS = "files/tls/1"


@pytest.fixture(scope="module")
def keys():
    return {"device": pki.new_key(), "new": pki.new_key(), "ca": pki.new_key()}


@pytest.fixture
def v74(device):
    device.always(api_generation("7.4"))
    return device


def reads(cert_pem, valid=True, size=256, roots=None):
    """What the module reads of context 1 (Teams): key status, certificate, and the trusted roots when asked."""
    calls = [Call("GET", TLS + "/privateKey", answer={"size": size, "valid": valid}),
             Call("GET", TLS + "/certificate", answer=cert_pem)]
    if roots is not None:
        calls.append(Call("GET", TLS + "/trustedRoot", answer=roots))
    return calls


def test_the_certificate_the_device_holds_is_a_no_op(v74, run, keys):
    cert = pki.certificate(keys["device"], "sbc1.example.com")
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(cert)))
    result = run("mediant_certificate", {"context": "teams", "certificate_content": pki.pem(cert)})
    assert result["changed"] is False and result["actions"] == [] and not result.get("failed")
    assert result["context"] == {"id": "1", "name": "Teams"}
    assert result["subject"] == "CN=sbc1.example.com" and result["key_valid"] is True


def test_a_renewed_certificate_for_the_device_key_is_uploaded_alone(v74, run, keys):
    old = pki.certificate(keys["device"], "sbc1.example.com", issuer_key=keys["ca"], issuer_name="Company CA", days=5)
    renewed = pki.certificate(keys["device"], "sbc1.example.com", issuer_key=keys["ca"], issuer_name="Company CA", days=365)
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(old)),
               Call("PUT", TLS + "/certificate", file=pki.pem(renewed), filename="certificate.pem"),
               *reads(pki.pem(renewed)))
    result = run("mediant_certificate", {"context": "1", "certificate_content": pki.pem(renewed)}, diff=True)
    assert result["changed"] is True and len(result["actions"]) == 1
    assert result["actions"][0].startswith("upload the certificate CN=sbc1.example.com")
    assert result["days_left"] >= 363 and result["issuer"] == "CN=Company CA"
    assert result["diff"]["before"]["certificate"]["not_after"] != result["diff"]["after"]["certificate"]["not_after"]
    assert "PRIVATE KEY" not in str(result)


def test_a_new_key_and_its_certificate_are_uploaded_key_first(v74, run, keys, tmp_path):
    current = pki.certificate(keys["device"])
    new_cert = pki.certificate(keys["new"], "sbc1.example.com")
    key_file = tmp_path / "new.key"
    key_file.write_text(pki.pem(keys["new"]))
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current)),
               Call("PUT", TLS + "/privateKey", filename="key.pem",
                    match=lambda sent: "PRIVATE KEY" in sent.text),
               Call("PUT", TLS + "/certificate", file=pki.pem(new_cert)),
               *reads(pki.pem(new_cert)))
    result = run("mediant_certificate", {"context": "Teams", "private_key_path": str(key_file),
                                         "certificate_content": pki.pem(new_cert)})
    assert result["changed"] is True
    assert [action.split(" ")[0:2] for action in result["actions"]] == [["upload", "a"], ["upload", "the"]]
    assert "PRIVATE KEY" not in str(result) and result["warnings"] == []


def test_check_mode_predicts_the_change_and_sends_nothing(v74, run, keys):
    current = pki.certificate(keys["device"])
    new_cert = pki.certificate(keys["new"], "sbc-new.example.com")
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current)))
    result = run("mediant_certificate", {"context": "1", "private_key_content": pki.pem(keys["new"]),
                                         "certificate_content": pki.pem(new_cert)}, check_mode=True, diff=True)
    assert result["changed"] is True and len(result["actions"]) == 2
    assert result["diff"]["after"]["certificate"]["subject"] == "CN=sbc-new.example.com"
    assert result["diff"]["after"]["private_key"] == {"size": 256, "valid": True}
    assert result["diff"]["before"]["certificate"]["subject"] == "CN=sbc1.example.com"


def test_a_certificate_that_does_not_match_the_key_given_with_it_sends_nothing(device, run, keys):
    result = run("mediant_certificate", {"context": "1", "private_key_content": pki.pem(keys["new"]),
                                         "certificate_content": pki.pem(pki.certificate(keys["device"]))})
    assert result["failed"]
    assert result["msg"].startswith("the certificate does not match the private key given with it")
    assert device.sent == []


def test_a_certificate_for_another_key_than_the_device_one_sends_nothing(v74, run, keys):
    current = pki.certificate(keys["device"])
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current)))
    result = run("mediant_certificate", {"context": "1", "certificate_content": pki.pem(pki.certificate(keys["new"]))})
    assert result["failed"] and "Nothing was sent to the device" in result["msg"]
    assert result["msg"].startswith("the certificate's public key matches neither an uploaded private key nor the device's")


def test_self_signed_generates_a_certificate_when_the_subject_differs(v74, run, keys):
    current = pki.certificate(keys["device"], "old.example.com")
    wanted = pki.certificate(keys["device"], "sbc1.example.com")
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current)),
               Call("POST", TLS + "/certificate/generate", json={"subjectName": "sbc1.example.com"}),
               *reads(pki.pem(wanted)))
    result = run("mediant_certificate", {"context": "1", "self_signed": True, "subject": {"common_name": "sbc1.example.com"}})
    assert result["changed"] is True
    assert result["actions"] == ["generate a self-signed certificate for CN=sbc1.example.com"]


def test_a_bigger_key_is_generated_when_the_current_one_is_too_small(v74, run, keys):
    current = pki.certificate(keys["device"])
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current), size=1024),
               Call("POST", TLS + "/privateKey/generate", json={"size": 2048}),
               *reads("", valid=False, size=2048))
    result = run("mediant_certificate", {"context": "1", "key_size": 2048})
    assert result["actions"] == ["generate a 2048-bit private key (the current key has 1024 bits)"]
    assert result["key_size"] == 2048


def test_trusted_roots_are_appended_one_by_one(v74, run, keys):
    current = pki.certificate(keys["device"])
    root_a = pki.certificate(keys["ca"], "Root A")
    root_b = pki.certificate(keys["new"], "Root B")
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current), roots=pki.pem(root_a)),
               Call("PUT", TLS + "/trustedRoot/incremental", file=pki.pem(root_b), filename="trusted-root.pem"),
               *reads(pki.pem(current), roots=pki.pem(root_a) + pki.pem(root_b)))
    result = run("mediant_certificate", {"context": "1", "trusted_roots": [pki.pem(root_a) + pki.pem(root_b)]})
    assert result["changed"] is True and len(result["actions"]) == 1
    assert [root["subject"] for root in result["trusted_roots"]] == ["CN=Root A", "CN=Root B"]


def test_trusted_roots_exact_replaces_the_store(v74, run, keys):
    current = pki.certificate(keys["device"])
    root_a = pki.certificate(keys["ca"], "Root A")
    root_b = pki.certificate(keys["new"], "Root B")
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current), roots=pki.pem(root_a) + pki.pem(root_b)),
               Call("PUT", TLS + "/trustedRoot", file=pki.pem(root_b)),
               *reads(pki.pem(current), roots=pki.pem(root_b)))
    result = run("mediant_certificate", {"context": "1", "trusted_roots": [pki.pem(root_b)], "trusted_roots_mode": "exact"})
    assert result["actions"] == ["replace the trusted root store with 1 certificate(s)"]


def test_a_csr_is_returned_and_written(v74, run, keys, tmp_path):
    current = pki.certificate(keys["device"])
    request = pki.csr(keys["device"], "sbc1.example.com")
    csr_path = tmp_path / "sbc1.csr"
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current)),
               Call("POST", TLS + "/certificate/request",
                    json={"subjectName": "sbc1.example.com", "companyName": "Example", "signatureAlgorithm": "sha256"},
                    answer=pki.pem(request)))
    result = run("mediant_certificate", {"context": "1", "csr": {"subject": {"common_name": "sbc1.example.com",
                                                                             "organization": "Example"}},
                                         "csr_path": str(csr_path)})
    assert result["changed"] is False and result["csr"] == pki.pem(request)
    assert result["csr_written"] is True and csr_path.read_text() == pki.pem(request)


def test_an_unknown_context_fails_listing_the_contexts(v74, run):
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS))
    result = run("mediant_certificate", {"context": "sip", "self_signed": True, "subject": {"common_name": "x"}})
    assert result["failed"]
    assert result["msg"] == "TLS context 'sip' not found on the device; available contexts: 0 (default), 1 (Teams)"


def test_a_v10_device_has_no_tls_files(device, run):
    device.always(api_generation("1.0"))
    result = run("mediant_certificate", {"context": "0", "self_signed": True, "subject": {"common_name": "x"}})
    assert result["failed"] and "need the REST API v7.x" in result["msg"]


def test_a_refused_upload_fails_with_the_device_reason(v74, run, keys):
    old = pki.certificate(keys["device"], "sbc1.example.com", days=5)
    renewed = pki.certificate(keys["device"], "sbc1.example.com", days=300)
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(old)),
               Call("PUT", TLS + "/certificate", status=400, answer={"description": "Certificate is not valid"}))
    result = run("mediant_certificate", {"context": "1", "certificate_content": pki.pem(renewed)})
    assert result["failed"] and result["status"] == 400
    assert result["msg"] == "The device rejected PUT /api/v1/files/tls/1/certificate (HTTP 400 Bad Request): Certificate is not valid"


def test_a_busy_device_fails_naming_the_409_with_busy_timeout_0(v74, run, keys):
    old = pki.certificate(keys["device"], "sbc1.example.com", days=5)
    renewed = pki.certificate(keys["device"], "sbc1.example.com", days=300)
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(old)),
               Call("PUT", TLS + "/certificate", status=409, answer={"description": "HA synchronization"}))
    result = run("mediant_certificate", {"context": "1", "certificate_content": pki.pem(renewed), "busy_timeout": 0})
    assert result["failed"] and result["status"] == 409
    assert result["msg"].startswith("The device is busy (HTTP 409) and refused PUT /api/v1/files/tls/1/certificate")


def test_csr_path_without_csr_is_refused_by_the_argument_spec(device, run, tmp_path):
    result = run("mediant_certificate", {"context": "1", "csr_path": str(tmp_path / "x.csr")})
    assert result["failed"] and result["msg"] == "missing parameter(s) required by 'csr_path': csr"
    assert device.sent == [] and not (tmp_path / "x.csr").exists()


def test_a_key_that_would_be_generated_under_an_uploaded_certificate_sends_nothing(v74, run, keys):
    current = pki.certificate(keys["device"])
    v74.expect(Call("GET", "files/tls", answer=CONTEXTS), *reads(pki.pem(current), size=1024))
    result = run("mediant_certificate", {"context": "1", "key_size": 2048, "certificate_content": pki.pem(current)})
    assert result["failed"] and result["msg"] == (
        "a new 2048-bit private key would be generated (the current key has 1024 bits) and no uploaded certificate can "
        "match it; nothing was sent to the device")
    assert [sent.method for sent in v74.sent if sent.path] == ["GET"] * 3
