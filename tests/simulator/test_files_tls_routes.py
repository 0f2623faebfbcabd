"""/files/tls: contexts from the configuration, keys, certificates, CSRs, trusted roots, the listener and TLS alarms."""

from __future__ import annotations

import datetime
import socket
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from sim_testdata import TLS_CONTEXT_1_INI


def _key(size=1024):
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def _key_pem(key, password=None):
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, encryption)


def _cert(key, common_name="test.example", days=365):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=days)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def _served_certificate(client) -> x509.Certificate:
    with socket.create_connection((client.device.address, client.device.port), timeout=5) as raw:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with context.wrap_socket(raw) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def _active_alarm_texts(client):
    reply = client.get("alarms/active")
    return [] if reply.status_code == 204 else [alarm["description"] for alarm in reply.json()["alarms"]]


def test_tls_listing_follows_configuration(api):
    assert api.get("files/tls").json() == {"tls": [{"id": "0", "name": "default", "url": "/api/v1/files/tls/0"}]}
    assert api.upload("files/ini/incremental", TLS_CONTEXT_1_INI).status_code == 200
    listing = api.get("files/tls").json()["tls"]
    assert [item["id"] for item in listing] == ["0", "1"] and listing[1]["name"] == "sip-trunk"
    assert api.get("files/tls/1/privateKey").json()["valid"] is True


def test_context_items(api):
    items = api.get("files/tls/0").json()["items"]
    assert [item["id"] for item in items] == ["privateKey", "certificate", "trustedRoot"]
    assert items[0]["url"] == "/api/v1/files/tls/0/privateKey"


@pytest.mark.parametrize("path", ["files/tls/7", "files/tls/7/privateKey", "files/tls/x/certificate"])
def test_unknown_context_is_404(api, path):
    assert api.get(path).status_code == 404


def test_private_key_status_is_valid_json(api):
    reply = api.get("files/tls/0/privateKey")
    assert reply.headers["Content-Type"] == "application/json"
    body = reply.json()
    assert body["valid"] is True and body["size"] in (512, 1024, 2048)


def test_generate_key_mismatch_alarm_then_self_signed_clears_it(api):
    assert api.post("files/tls/0/privateKey/generate", json={"size": 512}).json() == {"description": "Private key was successfully generated"}
    assert api.get("files/tls/0/privateKey").json() == {"size": 512, "valid": False}
    assert any("does not match" in text for text in _active_alarm_texts(api))
    reply = api.post("files/tls/0/certificate/generate", json={"subjectName": "sbc.example.com", "companyName": "ACME"})
    assert reply.json() == {"description": "Self-signed certificate was successfully generated"}
    assert api.get("files/tls/0/privateKey").json()["valid"] is True
    assert not any("does not match" in text for text in _active_alarm_texts(api))
    cert = x509.load_pem_x509_certificate(api.get("files/tls/0/certificate").content)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "sbc.example.com"


@pytest.mark.parametrize("body", [{"size": 1000}, {"size": "big"}, {"bits": 1024}])
def test_generate_key_bad_size_is_400(api, body):
    reply = api.post("files/tls/0/privateKey/generate", json=body)
    assert reply.status_code == 400


def test_put_key_and_certificate(api):
    key = _key()
    assert api.upload("files/tls/0/privateKey", _key_pem(key), "key.pem").json() == {"description": "Private key was successfully changed"}
    assert api.upload("files/tls/0/certificate", _cert(key), "cert.pem").json() == {"description": "Certificate was successfully changed"}
    assert api.get("files/tls/0/privateKey").json() == {"size": 1024, "valid": True}
    reply = api.get("files/tls/0/certificate")
    assert reply.headers["Content-Type"] == "application/octet-stream"
    assert x509.load_pem_x509_certificate(reply.content).public_key().public_numbers() == key.public_key().public_numbers()


def test_put_encrypted_key_with_password(api):
    pem = _key_pem(_key(), "s3cret")
    assert api.upload("files/tls/0/privateKey", pem, params={"password": "wrong"}).status_code == 400
    assert api.upload("files/tls/0/privateKey", pem, params={"password": "s3cret"}).status_code == 200


@pytest.mark.parametrize("path", ["files/tls/0/privateKey", "files/tls/0/certificate", "files/tls/0/trustedRoot"])
def test_garbage_pem_is_400(api, path):
    reply = api.upload(path, b"this is not PEM")
    assert reply.status_code == 400
    assert reply.json()["description"]


def test_certificate_request(api):
    reply = api.post("files/tls/0/certificate/request", json={"subjectName": "lync-gw.company.com", "signatureAlgorithm": "sha256"})
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/octet-stream"
    csr = x509.load_pem_x509_csr(reply.content)
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "lync-gw.company.com"
    assert csr.is_signature_valid
    assert api.post("files/tls/0/certificate/request", json={"signatureAlgorithm": "md5"}).status_code == 400
    assert api.post("files/tls/0/certificate/request", json={"subjectName": 5}).status_code == 400


def test_trusted_roots_replace_and_add(api):
    first, second = _cert(_key(), "root-a"), _cert(_key(), "root-b")
    assert api.upload("files/tls/0/trustedRoot", first).json() == {"description": "Trusted root store was successfully changed"}
    assert api.get("files/tls/0/trustedRoot").text.count("BEGIN CERTIFICATE") == 1
    reply = api.upload("files/tls/0/trustedRoot/incremental", second)
    assert reply.json() == {"description": "Trusted root certificate was successfully added"}
    roots = api.get("files/tls/0/trustedRoot")
    assert roots.headers["Content-Type"] == "application/octet-stream"
    assert roots.text.count("BEGIN CERTIFICATE") == 2


def test_expiring_certificate_raises_alarm(api):
    api.upload("files/ini/incremental", TLS_CONTEXT_1_INI)
    key = _key()
    api.upload("files/tls/1/privateKey", _key_pem(key))
    api.upload("files/tls/1/certificate", _cert(key, days=10))
    assert any("expires" in text and "context 1" in text for text in _active_alarm_texts(api))
    api.upload("files/tls/1/certificate", _cert(key, days=400))
    assert not any("expires" in text for text in _active_alarm_texts(api))


def test_new_listener_certificate_affects_new_connections(api_https):
    old = _served_certificate(api_https)
    key = _key(2048)
    assert api_https.upload("files/tls/0/privateKey", _key_pem(key)).status_code == 200
    # key changed, certificate not yet: the listener keeps the last matching pair
    assert _served_certificate(api_https) == old
    assert api_https.upload("files/tls/0/certificate", _cert(key, "new.example")).status_code == 200
    new = _served_certificate(api_https)
    assert new != old
    assert new.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "new.example"
    assert x509.load_pem_x509_certificate(api_https.device.certificate_pem().encode()) == new


def test_tls_files_are_flash_and_survive_reset(api):
    root = _cert(_key(), "kept-root")
    api.upload("files/tls/0/trustedRoot", root)
    api.post("actions/reset", json={"saveConfiguration": False})
    api.wait_down_and_up()
    assert "BEGIN CERTIFICATE" in api.get("files/tls/0/trustedRoot").text
