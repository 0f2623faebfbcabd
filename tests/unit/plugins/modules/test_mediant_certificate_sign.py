# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_certificate_sign: signs on the controller, keeps a certificate already issued, refuses bad input.

The module talks to no device: the ``device`` fixture fails the test on any HTTP request at all.
It has no action plugin, so it runs as its module process would (run_module).
"""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tests.unit.framework import pki
from tests.unit.framework.tasks import run_module


@pytest.fixture(scope="module")
def keys():
    return {"ca": pki.new_key(), "sbc": pki.new_key()}


@pytest.fixture
def ca(keys, tmp_path):
    """Paths of a CA certificate and its key, and of a CSR for sbc1.example.com."""
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(pki.name("Unit Root CA")).issuer_name(pki.name("Unit Root CA"))
            .public_key(keys["ca"].public_key()).serial_number(11)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(keys["ca"], hashes.SHA256()))
    paths = {"ca_certificate_path": tmp_path / "ca.pem", "ca_private_key_path": tmp_path / "ca.key", "csr_path": tmp_path / "sbc1.csr"}
    paths["ca_certificate_path"].write_text(pki.pem(cert))
    paths["ca_private_key_path"].write_text(pki.pem(keys["ca"]))
    paths["csr_path"].write_text(pki.pem(pki.csr(keys["sbc"], "sbc1.example.com")))
    return {option: str(path) for option, path in paths.items()}


def sign(args, check_mode=False):
    return run_module("mediant_certificate_sign", args, check_mode=check_mode)


def test_a_csr_is_signed_written_to_dest_and_kept_on_the_next_run(device, ca, keys, tmp_path):
    dest = tmp_path / "sbc1.pem"
    args = dict(ca, dest=str(dest), subject_alt_names=["sbc1.example.com", "192.0.2.10"], valid_days=30)
    first = sign(args)
    assert first["changed"] is True and not first.get("failed")
    issued = x509.load_pem_x509_certificate(first["certificate"].encode())
    assert issued.public_key().public_numbers() == keys["sbc"].public_key().public_numbers()
    assert first["subject_alt_names"] == ["DNS:sbc1.example.com", "IP:192.0.2.10"]
    assert first["issuer"] == "CN=Unit Root CA" and first["subject"] == "CN=sbc1.example.com"
    assert dest.read_text() == first["certificate"] + first["chain"]
    second = sign(args)
    assert second["changed"] is False and second["serial"] == first["serial"]
    assert device.sent == []


def test_check_mode_signs_and_writes_nothing(device, ca, tmp_path):
    dest = tmp_path / "sbc1.pem"
    result = sign(dict(ca, dest=str(dest)), check_mode=True)
    assert result["changed"] is True and "certificate" not in result and not dest.exists()
    assert device.sent == []


def test_another_ca_reissues_instead_of_keeping(device, ca, tmp_path, keys):
    dest = tmp_path / "sbc1.pem"
    dest.write_text(pki.pem(pki.certificate(keys["sbc"], "sbc1.example.com", issuer_key=pki.new_key(), issuer_name="Unit Root CA")))
    result = sign(dict(ca, dest=str(dest)))
    assert result["changed"] is True and dest.read_text().startswith(result["certificate"])
    assert device.sent == []


@pytest.mark.parametrize("change, message", [
    ({"valid_days": 0}, "valid_days must be 1 or more, got 0"),
    ({"csr_path": None, "csr_content": "not a certificate request"}, "the CSR is not a PEM certificate signing request"),
    ({"ca_private_key_path": "/nonexistent/ca.key"},
     "ca_private_key_path: no such file '/nonexistent/ca.key' on the host that runs the module"),
    ({"csr_content": "x"}, "parameters are mutually exclusive: csr_content|csr_path"),
    ({"csr_path": None}, "one of the following is required: csr_content, csr_path"),
])
def test_bad_input_fails_naming_the_cause(device, ca, tmp_path, change, message):
    dest = tmp_path / "never.pem"
    args = {option: value for option, value in dict(ca, dest=str(dest), **change).items() if value is not None}
    result = sign(args)
    assert result["failed"] and result["msg"].startswith(message), result["msg"]
    assert not dest.exists() and device.sent == []


def test_a_ca_key_of_another_ca_is_refused(device, ca):
    with open(ca["ca_private_key_path"], "w", encoding="ascii") as handle:
        handle.write(pki.pem(pki.new_key()))
    result = sign(ca)
    assert result["failed"] and result["msg"] == ("the CA private key does not belong to the CA certificate "
                                                  "(different public keys)")
    assert "PRIVATE KEY" not in str(result) and device.sent == []
