# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_certificate through ansible-playbook against a simulated device.

The tests work on TLS context 1 ("SIP-TLS"), created through the REST API, so that the device's
own HTTPS context 0 (which the connection trusts through ca_path) stays as it is.
"""
from __future__ import annotations

import datetime
import json

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

MODULE = "audiocodes.mediant.mediant_certificate"
PASSPHRASE = "correct horse battery staple"


# -- local key material (the "CA" and the operator's keys)


def new_key(size=1024):
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def subject(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def issue(public_key, common_name, ca_key, ca_name="Test CA", days=90):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder().subject_name(subject(common_name)).issuer_name(subject(ca_name))
        .public_key(public_key).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1)).not_valid_after(now + datetime.timedelta(days=days))
        .sign(ca_key, hashes.SHA256())
    )


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key, passphrase=None):
    encryption = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption).decode()


def fingerprint(cert):
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def pem_body_lines(text):
    return [line for line in text.splitlines() if line and not line.startswith("-----")]


@pytest.fixture(scope="module")
def ca_key():
    return new_key()


# -- the device side


class Rest:
    """Plain requests to the simulated device, to set up and to observe (not through the module)."""

    def __init__(self, dev, tmp_path):
        self.base = dev.url + "/api/v1/"
        self.session = requests.Session()
        self.session.auth = ("Admin", "Admin")
        ca_file = tmp_path / "listener-ca.pem"
        ca_file.write_text(dev.certificate_pem())
        # Per request: requests lets REQUESTS_CA_BUNDLE override a session's verify.
        self.verify = str(ca_file)

    def get(self, path):
        response = self.session.get(self.base + path, timeout=10, verify=self.verify)
        response.raise_for_status()
        return response

    def put_file(self, path, content):
        response = self.session.put(self.base + path, files={"file": ("f.txt", content)}, timeout=10, verify=self.verify)
        assert response.status_code == 200, response.text
        return response


@pytest.fixture
def rest(device, tmp_path):
    return Rest(device, tmp_path)


@pytest.fixture
def sip_context(device, rest, monkeypatch):
    """TLS context 1 "SIP-TLS", created with a 1024-bit key (fast) through an incremental INI."""
    monkeypatch.setenv("SIMULATOR_DEFAULT_KEY_SIZE", "1024")
    rest.put_file("files/ini/incremental", '[ TLSContexts ]\nFORMAT Index = Name;\nTLSContexts 1 = "SIP-TLS";\n[ \\TLSContexts ]\n')
    assert {"id": "1", "name": "SIP-TLS", "url": "/api/v1/files/tls/1"} in rest.get("files/tls").json()["tls"]
    return "1"


def device_state(device):
    """Everything the device holds, private keys included, plus the user-visible snapshot
    (without its clock: uptime moves on by itself)."""
    snapshot = device.snapshot()
    snapshot.pop("uptime", None)
    return {"snapshot": snapshot, "tls": device.tls.to_json()}


def device_certificate(rest, ctx="1"):
    return x509.load_pem_x509_certificate(rest.get(f"files/tls/{ctx}/certificate").content)


def key_status(rest, ctx="1"):
    return rest.get(f"files/tls/{ctx}/privateKey").json()


def task(name, **args):
    return {"name": name, MODULE: args}


def statuses(result):
    return [(t["name"], t["status"]) for t in result.tasks]


def failure(result, name):
    record = result.task(name)
    assert record["status"] == "failed", (record, result.stdout)
    return record["result"]["msg"]


# -- key generation and self-signed certificates


def test_generate_key_and_self_signed_certificate_then_nothing_to_do(device, rest, sip_context, run_play):
    args = dict(context="SIP-TLS", key_size=2048, self_signed=True,
                subject={"common_name": "sbc1.example.com", "organization": "Example Corp", "country": "US"})
    result = run_play([task("first", **args), task("again", **args)], device, diff=True)
    assert statuses(result) == [("first", "changed"), ("again", "ok")], result.stdout
    first = result.task("first")["result"]
    assert first["actions"] == [
        "generate a 2048-bit private key (the current key has 1024 bits)",
        "generate a self-signed certificate for CN=sbc1.example.com,O=Example Corp,C=US",
    ]
    cert = device_certificate(rest)
    assert key_status(rest) == {"size": 2048, "valid": True}
    assert first["key_size"] == 2048 and first["key_valid"] is True
    assert first["subject"] == first["issuer"] == "CN=sbc1.example.com,O=Example Corp,C=US"
    assert first["fingerprint"] == fingerprint(cert)
    assert first["self_signed"] is True
    assert 3000 < first["days_left"] <= 3650
    assert first["diff"]["before"]["private_key"] == {"size": 1024, "valid": True}
    assert first["diff"]["after"]["private_key"] == {"size": 2048, "valid": True}
    assert first["diff"]["after"]["certificate"]["fingerprint"] == fingerprint(cert)
    assert result.task("again")["result"]["fingerprint"] == fingerprint(cert)


def test_check_mode_reports_but_changes_nothing(device, rest, sip_context, run_play):
    before = device_state(device)
    result = run_play([task("keygen", context="1", key_size=2048, self_signed=True, subject={"common_name": "x.example"},
                            trusted_roots=[pem(issue(new_key().public_key(), "Root", new_key()))])],
                      device, check=True, diff=True)
    record = result.task("keygen")
    assert record["status"] == "changed", result.stdout
    assert len(record["result"]["actions"]) == 3
    assert record["result"]["diff"]["after"]["private_key"] == {"size": 2048, "valid": True}
    assert record["result"]["diff"]["after"]["certificate"]["subject"] == "CN=x.example"
    assert device_state(device) == before


def test_regenerate_key_always_generates(device, rest, sip_context, run_play):
    before = device.tls.to_json()["contexts"]["1"]["private_key"]
    result = run_play([task("regen", context="1", regenerate_key=True)], device)
    assert statuses(result) == [("regen", "changed")]
    assert device.tls.to_json()["contexts"]["1"]["private_key"] != before
    # The old certificate does not match the new key; the module says so.
    assert key_status(rest) == {"size": 1024, "valid": False}
    assert result.task("regen")["result"]["key_valid"] is False


# -- uploaded key and certificate


def test_upload_encrypted_key_and_certificate_then_nothing_to_do(device, rest, sip_context, run_play, ca_key):
    key = new_key()
    cert = issue(key.public_key(), "sip.example.com", ca_key)
    args = dict(context="1", private_key_content=key_pem(key, PASSPHRASE), passphrase=PASSPHRASE, certificate_content=pem(cert))

    before = device_state(device)
    checked = run_play([task("upload", **args)], device, check=True)
    assert statuses(checked) == [("upload", "changed")], checked.stdout
    assert device_state(device) == before

    result = run_play([task("upload", **args), task("again", **args)], device, diff=True)
    assert statuses(result) == [("upload", "changed"), ("again", "ok")], result.stdout
    assert device_certificate(rest) == cert
    assert key_status(rest) == {"size": 1024, "valid": True}
    stored = serialization.load_pem_private_key(device.tls.to_json()["contexts"]["1"]["private_key"].encode(), None)
    assert stored.public_key() == key.public_key()
    upload = result.task("upload")["result"]
    assert upload["issuer"] == "CN=Test CA" and upload["self_signed"] is False
    assert upload["diff"]["after"]["certificate"]["fingerprint"] == fingerprint(cert)
    assert "PRIVATE KEY" not in json.dumps(upload)


def test_ca_flow_generate_key_csr_then_upload_signed_certificate(device, rest, sip_context, run_play, ca_key, tmp_path):
    csr_path = tmp_path / "sbc.csr"
    csr_task = task("csr", context="1", key_size=2048, csr={"subject": {"common_name": "sip.example.com"}}, csr_path=str(csr_path))
    first = run_play([csr_task], device)
    record = first.task("csr")
    assert record["status"] == "changed", first.stdout
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert record["result"]["csr"] == csr_path.read_text()
    assert record["result"]["csr_written"] is True
    assert isinstance(csr.signature_hash_algorithm, hashes.SHA256)
    assert csr.subject == subject("sip.example.com")
    assert key_status(rest) == {"size": 2048, "valid": False}

    # The CA signs; the key waits on the device, so the certificate matches the device's
    # current key although not its current certificate (learned from a CSR, not refused).
    signed = issue(csr.public_key(), "sip.example.com", ca_key)
    second = run_play([task("install", context="1", certificate_content=pem(signed)),
                       task("again", context="1", certificate_content=pem(signed))], device)
    assert statuses(second) == [("install", "changed"), ("again", "ok")], second.stdout
    assert key_status(rest) == {"size": 2048, "valid": True}
    assert device_certificate(rest) == signed


def test_csr_alone_changes_nothing_and_is_stable(device, rest, sip_context, run_play, tmp_path):
    csr_path = tmp_path / "req.pem"
    before = device_state(device)
    args = dict(context="1", subject={"common_name": "a.example", "country": "DE"}, csr={"signature_algorithm": "sha1"},
                csr_path=str(csr_path))
    result = run_play([task("csr", **args), task("again", **args)], device)
    assert statuses(result) == [("csr", "ok"), ("again", "ok")], result.stdout
    assert result.task("csr")["result"]["csr_written"] is True
    assert result.task("again")["result"]["csr_written"] is False
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert isinstance(csr.signature_hash_algorithm, hashes.SHA1)
    assert csr.public_key() == device_certificate(rest).public_key()
    assert csr.subject.rfc4514_string() == "CN=a.example,C=DE"
    assert device_state(device) == before


# -- trusted roots


def test_trusted_roots_append_then_exact(device, rest, sip_context, run_play, ca_key):
    roots = [issue(new_key().public_key(), f"Root {n}", ca_key, ca_name=f"Root {n}") for n in range(3)]
    rest.put_file("files/tls/1/trustedRoot/incremental", pem(roots[0]))
    tasks = [
        task("append", context="1", trusted_roots=[pem(roots[1]) + pem(roots[2]), pem(roots[0])]),
        task("append again", context="1", trusted_roots=[pem(roots[2])], trusted_roots_mode="append"),
        task("exact", context="1", trusted_roots=[pem(roots[2])], trusted_roots_mode="exact"),
        task("exact again", context="1", trusted_roots=[pem(roots[2])], trusted_roots_mode="exact"),
    ]
    result = run_play(tasks, device)
    assert statuses(result) == [("append", "changed"), ("append again", "ok"), ("exact", "changed"), ("exact again", "ok")], result.stdout
    append = result.task("append")["result"]
    assert len(append["actions"]) == 2  # only the two missing ones
    assert [root["fingerprint"] for root in append["trusted_roots"]] == [fingerprint(c) for c in roots]
    stored = rest.get("files/tls/1/trustedRoot").text
    assert [x509.load_pem_x509_certificate(b.encode()) for b in split(stored)] == [roots[2]]

    emptied = run_play([task("empty", context="1", trusted_roots=[], trusted_roots_mode="exact")], device)
    assert statuses(emptied) == [("empty", "changed")]
    assert rest.get("files/tls/1/trustedRoot").text == ""


def split(bundle):
    return [block + "-----END CERTIFICATE-----\n" for block in bundle.split("-----END CERTIFICATE-----") if block.strip()]


# -- refusals: nothing is sent


def test_bad_input_fails_clearly_and_leaves_the_device_unchanged(device, sip_context, run_play, ca_key):
    key = new_key()
    other = new_key()
    cases = {
        "key as certificate": ({"certificate_content": key_pem(key)}, "certificate is a private key, not a certificate"),
        "certificate matching nothing": ({"certificate_content": pem(issue(other.public_key(), "x", ca_key))},
                                         "matches neither an uploaded private key nor the device's current private key"),
        "wrong passphrase": ({"private_key_content": key_pem(key, PASSPHRASE), "passphrase": "not it"}, "wrong passphrase"),
        "encrypted key without passphrase": ({"private_key_content": key_pem(key, PASSPHRASE)}, "encrypted and no passphrase"),
        "certificate not matching its key": ({"private_key_content": key_pem(key),
                                              "certificate_content": pem(issue(other.public_key(), "x", ca_key))},
                                             "does not match the private key given with it"),
        "bad trusted root": ({"trusted_roots": [pem(issue(other.public_key(), "x", ca_key)), "not a pem"]},
                             "trusted_roots[1] holds no PEM certificate"),
        "bad country": ({"self_signed": True, "subject": {"common_name": "a", "country": "USA"}}, "two-letter country code"),
    }
    tasks = [dict(task(name, context="1", **args), ignore_errors=True) for name, (args, _expected) in cases.items()]
    before = device_state(device)
    result = run_play(tasks, device)  # one play: ansible-playbook start-up is the slow part
    for name, (_args, expected) in cases.items():
        assert expected in failure(result, name), name
    assert device_state(device) == before


def test_force_uploads_a_certificate_that_matches_no_key(device, rest, sip_context, run_play, ca_key):
    foreign = issue(new_key().public_key(), "foreign.example", ca_key)
    result = run_play([task("forced", context="1", certificate_content=pem(foreign), force=True)], device)
    assert statuses(result) == [("forced", "changed")], result.stdout
    assert device_certificate(rest) == foreign
    assert result.task("forced")["result"]["key_valid"] is False


def test_context_zero_by_name_unknown_context_and_v1_device(device, device_v1, run_play):
    result = run_play([task("read", context="default"), dict(task("missing", context="nope"), ignore_errors=True)], device)
    record = result.task("read")
    assert record["status"] == "ok", result.stdout
    served = x509.load_pem_x509_certificate(device.certificate_pem().encode())
    assert record["result"]["fingerprint"] == fingerprint(served)
    assert record["result"]["context"] == {"id": "0", "name": "default"}
    assert record["result"]["key_valid"] is True
    assert "TLS context 'nope' not found on the device; available contexts: 0 (default)" in failure(result, "missing")
    old = run_play([task("old", context="0")], device_v1)
    assert "need the REST API v7.x" in failure(old, "old")


# -- secrets stay secret


def test_verbose_output_never_holds_the_key_or_passphrase(device, sip_context, run_play, ca_key):
    key = new_key()
    encrypted = key_pem(key, PASSPHRASE)
    plain = key_pem(key)
    traditional = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()).decode()
    cert = pem(issue(key.public_key(), "secret.example", ca_key))
    tasks = [
        task("upload", context="1", private_key_content=encrypted, passphrase=PASSPHRASE, certificate_content=cert),
        task("wrong passphrase", context="1", private_key_content=encrypted, passphrase=PASSPHRASE + "!"),
    ]
    tasks[1]["ignore_errors"] = True
    result = run_play(tasks, device, verbosity=3, diff=True)
    assert statuses(result) == [("upload", "changed"), ("wrong passphrase", "failed")], result.stdout
    output = result.stdout + result.stderr + json.dumps(result.tasks)
    # -vvv does print the module's arguments (so the check below looks at them), masked.
    assert "private_key_content" in result.stdout and "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in result.stdout
    assert PASSPHRASE not in output
    for secret in (encrypted, plain, traditional):
        for line in pem_body_lines(secret):
            assert line not in output
