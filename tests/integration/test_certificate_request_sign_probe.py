# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_certificate_request, mediant_certificate_sign and mediant_tls_probe (and the
certificate module's trusted_roots_from and busy_timeout) through ansible-playbook against a
simulated device with SIP-TLS interfaces."""
from __future__ import annotations

import stat

import pytest
from tls_helpers import SIP_CONFIG, SigningCa, fingerprint, pem, served_certificate

REQUEST = "audiocodes.mediant.mediant_certificate_request"
SIGN = "audiocodes.mediant.mediant_certificate_sign"
PROBE = "audiocodes.mediant.mediant_tls_probe"
CERTIFICATE = "audiocodes.mediant.mediant_certificate"
KEY_PASSPHRASE = "pending key passphrase 91c2"


@pytest.fixture
def sbc(fleet):
    return fleet.add_device({"name": "sbc1", "address": "127.0.0.1", "port": 0, "config": SIP_CONFIG, "reset_seconds": 1})


@pytest.fixture
def ca(tmp_path):
    return SigningCa.create(tmp_path / "ca")


def _sip(dev, interface):
    return next(item for item in dev.tls_listeners() if item.get("interface") == interface)


def test_device_key_request_sign_install_and_probe(run_play, sbc, ca, tmp_path):
    csr_path = tmp_path / "sip-tls.csr"
    teams = _sip(sbc, "Teams")
    request = {REQUEST: {"context": "SIP-TLS", "subject": {"common_name": "sbc1.example.com", "organization": "ACME"},
                         "csr_path": str(csr_path)}}
    tasks = [
        {"name": "request", "register": "first", **request},
        {"name": "request again", "register": "second", **request},
        {"name": "sign", "register": "signed", "delegate_to": "localhost",
         SIGN: {"csr_content": "{{ first.csr }}", "ca_certificate_path": str(ca.cert_path),
                "ca_private_key_path": str(ca.key_path), "ca_passphrase": ca.passphrase, "valid_days": 200}},
        {"name": "install", "register": "installed",
         CERTIFICATE: {"context": "SIP-TLS", "certificate_content": "{{ signed.certificate }}",
                       "trusted_roots": ["{{ signed.chain }}"]}},
        {"name": "probe", "register": "probed",
         PROBE: {"endpoints": [{"host": teams["address"], "port": teams["port"], "name": "Teams"}]}},
    ]
    result = run_play(tasks, sbc)
    assert result.rc == 0, result.stdout + result.stderr
    first, second = result.task("request")["result"], result.task("request again")["result"]
    assert first["changed"] and first["key_generated"] and first["key_size"] == 2048
    assert not second["changed"] and not second["key_generated"], "the pending key is kept"
    assert first["public_key_fingerprint"] == second["public_key_fingerprint"]
    assert csr_path.read_text() == first["csr"] and "BEGIN CERTIFICATE REQUEST" in first["csr"]
    signed = result.task("sign")["result"]
    assert signed["issuer"] == "CN=Renewal Test Root" and signed["subject"] == "CN=sbc1.example.com,O=ACME"
    assert result.task("install")["result"]["key_valid"] is True
    probed = result.task("probe")["result"]["listeners"][0]
    assert probed["fingerprint"] == signed["fingerprint"] and probed["name"] == "Teams"
    served = served_certificate(teams["address"], teams["port"])
    assert fingerprint(served) == signed["fingerprint"]
    assert pem(ca.cert) in sbc.snapshot()["tls"]["1"]["trusted_roots"], "the chain went into the trusted roots"


def test_controller_key_with_alt_names_uploaded_then_reused(run_play, sbc, tmp_path):
    csr_path = tmp_path / "ctx1.csr"
    request = {REQUEST: {"context": "1", "key_source": "controller", "subject": {"common_name": "sbc1.example.com"},
                         "subject_alt_names": ["sbc1.example.com", "IP:192.0.2.10"], "csr_path": str(csr_path)}}
    result = run_play([{"name": "one", "register": "r1", **request}, {"name": "two", "register": "r2", **request}], sbc)
    assert result.rc == 0, result.stdout + result.stderr
    one, two = result.task("one")["result"], result.task("two")["result"]
    assert one["changed"] and not two["changed"]
    assert one["subject_alt_names"] == ["DNS:sbc1.example.com", "IP:192.0.2.10"]
    assert one["public_key_fingerprint"] == two["public_key_fingerprint"]
    assert sbc.snapshot()["tls"]["1"]["key"]["valid"] is False, "the uploaded key waits for its certificate"
    assert "PRIVATE KEY" not in result.stdout and "PRIVATE KEY" not in str(result.tasks)


def test_controller_key_kept_encrypted_on_the_controller(run_play, sbc, tmp_path):
    key_path = tmp_path / "ctx0.key.pem"
    before = sbc.snapshot()["tls"]["0"]
    request = {REQUEST: {"context": "0", "key_source": "controller", "subject": {"common_name": "127.0.0.1"},
                         "subject_alt_names": ["IP:127.0.0.1"], "private_key_dest": str(key_path),
                         "private_key_passphrase": KEY_PASSPHRASE}}
    result = run_play([{"name": "one", "register": "r1", **request}, {"name": "two", "register": "r2", **request}], sbc,
                      verbosity=3)
    assert result.rc == 0, result.stdout + result.stderr
    assert result.task("one")["result"]["changed"] and not result.task("two")["result"]["changed"]
    text = key_path.read_text()
    assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert sbc.snapshot()["tls"]["0"] == before, "the device is not touched"
    assert KEY_PASSPHRASE not in result.stdout + result.stderr
    # A key that does not open with the passphrase is replaced, with a warning.
    request[REQUEST]["private_key_passphrase"] = "another passphrase"
    again = run_play([{"name": "three", **request}], sbc)
    assert again.rc == 0 and again.task("three")["result"]["changed"]
    assert "wrong passphrase" in again.stdout + again.stderr


def test_refusals_before_anything_is_sent(run_play, sbc, ca, tmp_path):
    before = sbc.snapshot()["tls"]
    tasks = [
        {"name": "alt names on a device key", "ignore_errors": True,
         REQUEST: {"context": "1", "subject": {"common_name": "x"}, "subject_alt_names": ["x.example.com"]}},
        {"name": "bad alt name", "ignore_errors": True,
         REQUEST: {"context": "1", "key_source": "controller", "subject": {"common_name": "x"},
                   "subject_alt_names": ["x.example.com\nDNS:evil.example.com"]}},
        {"name": "unknown context", "ignore_errors": True, REQUEST: {"context": "nope", "subject": {"common_name": "x"}}},
        {"name": "wrong CA passphrase", "ignore_errors": True, "delegate_to": "localhost",
         SIGN: {"csr_content": "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                "ca_certificate_path": str(ca.cert_path), "ca_private_key_path": str(ca.key_path),
                "ca_passphrase": "wrong"}},
        {"name": "unreachable listener", PROBE: {"endpoints": [{"host": "127.0.0.1", "port": 9, "name": "closed"}]}},
    ]
    result = run_play(tasks, sbc)
    messages = {task["name"]: task["result"].get("msg", "") for task in result.tasks}
    assert "subject_alt_names need key_source: controller" in messages["alt names on a device key"]
    assert "is not a DNS name" in messages["bad alt name"]
    assert "TLS context 'nope' not found on the device; available contexts: 0 (default), 1 (SIP-TLS)" in messages["unknown context"]
    assert "not a valid certificate signing request" in messages["wrong CA passphrase"]
    assert "no TLS handshake with 127.0.0.1:9" in result.task("unreachable listener")["result"]["listeners"][0]["error"]
    assert sbc.snapshot()["tls"] == before


def test_trusted_roots_from_and_a_busy_device(run_play, fleet, sbc, ca):
    sbc.inject_fault(path="files/tls/1/trustedRoot/incremental", method="PUT", status=409, count=2,
                     description="Device is currently performing HA synchronization")
    setup = [{"name": "root on 0", CERTIFICATE: {"context": "0", "trusted_roots": [ca.cert_path.read_text()]}}]
    copy = {"name": "copy", "register": "copied", CERTIFICATE: {"context": "SIP-TLS", "trusted_roots_from": "default",
                                                                "busy_timeout": 30}}
    result = run_play(setup + [copy, dict(copy, name="copy again")], sbc)
    assert result.rc == 0, result.stdout + result.stderr
    assert result.task("copy")["result"]["changed"] and not result.task("copy again")["result"]["changed"]
    assert sbc.snapshot()["tls"]["1"]["trusted_roots"] == sbc.snapshot()["tls"]["0"]["trusted_roots"]
    assert not sbc.snapshot()["faults"], "both 409 answers were waited out"
