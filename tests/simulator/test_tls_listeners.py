"""What the device serves over TLS: SIP-TLS listeners per SIP interface, from the context each
names; context changes and key/certificate changes seen by fresh handshakes; mismatch modes;
stale listeners; initial certificate validity. Driven with plain requests and ssl sockets."""

from __future__ import annotations

import datetime
import socket
import ssl

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SIP_INI = """
[ TLSContexts ]
FORMAT Index = Name;
TLSContexts 1 = "SIP-TLS";
TLSContexts 2 = "SIP-TLS~2";
[ \\TLSContexts ]
[ SIPInterface ]
FORMAT Index = InterfaceName, NetworkInterface, ApplicationType, TLSPort, SRDName, TLSContext;
SIPInterface 0 = "Teams", "O+M+C", 2, 5061, "DefaultSRD", "SIP-TLS";
SIPInterface 1 = "ITSP", "O+M+C", 2, 5071, "DefaultSRD", "";
SIPInterface 2 = "UDP only", "O+M+C", 2, 0, "DefaultSRD", "SIP-TLS";
[ \\SIPInterface ]
"""


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def _pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _pem_cert(key, common_name, days=90):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=days)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def _handshake(address, port) -> x509.Certificate:
    """A fresh handshake (no verification); success proves the server holds the served certificate's key."""
    with socket.create_connection((address, port), timeout=5) as raw:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        with context.wrap_socket(raw) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def _listeners(fleet, api):
    reply = requests.get(f"{fleet.control_url}/devices/{api.device.name}/tls-listeners", timeout=10)
    reply.raise_for_status()
    return reply.json()["listeners"]


def _sip(fleet, api, interface):
    return next(item for item in _listeners(fleet, api) if item["kind"] == "sip" and item["interface"] == interface)


def _served_cn(listener):
    cert = _handshake(listener["address"], listener["port"])
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _device_cn(api, ctx):
    cert = x509.load_pem_x509_certificate(api.get(f"files/tls/{ctx}/certificate").content)
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _install(api, ctx, common_name):
    key = _key()
    assert api.upload(f"files/tls/{ctx}/privateKey", _pem_key(key), "key.pem").status_code == 200
    assert api.upload(f"files/tls/{ctx}/certificate", _pem_cert(key, common_name), "cert.pem").status_code == 200


@pytest.fixture(autouse=True)
def handshake_sized_keys(monkeypatch):
    """Contexts the devices create get 1024-bit keys: 512 bits cannot sign a TLS 1.3 handshake (RSA-PSS)."""
    monkeypatch.setenv("SIMULATOR_DEFAULT_KEY_SIZE", "1024")


@pytest.fixture
def sip_api(make_device):
    return make_device(config=SIP_INI)


def test_one_listener_per_sip_interface_with_a_tls_port(fleet, sip_api):
    listeners = _listeners(fleet, sip_api)
    assert [item["kind"] for item in listeners] == ["sip", "sip"], "a plain-HTTP device has no HTTPS listener"
    sip = {item["interface"]: item for item in listeners if item["kind"] == "sip"}
    assert set(sip) == {"Teams", "ITSP"}, "an interface without a TLS port has no listener"
    assert (sip["Teams"]["context"], sip["Teams"]["context_name"], sip["Teams"]["tls_port"]) == (1, "SIP-TLS", 5061)
    assert (sip["ITSP"]["context"], sip["ITSP"]["context_name"]) == (0, "default"), "empty TLSContext: the default context"
    assert sip["Teams"]["address"] == sip_api.device.address and sip["Teams"]["port"] > 0


def test_listener_serves_the_certificate_of_its_context(fleet, sip_api):
    _install(sip_api, 1, "teams.example.com")
    assert _served_cn(_sip(fleet, sip_api, "Teams")) == "teams.example.com"
    assert _served_cn(_sip(fleet, sip_api, "ITSP")) == _device_cn(sip_api, 0)


def test_pointing_an_interface_at_another_context_changes_new_handshakes(fleet, sip_api):
    _install(sip_api, 1, "old.example.com")
    _install(sip_api, 2, "new.example.com")
    before = _sip(fleet, sip_api, "Teams")
    held = socket.create_connection((before["address"], before["port"]), timeout=5)
    reply = sip_api.upload("files/ini/incremental",
                           "[ SIPInterface ]\nFORMAT Index = TLSContext;\nSIPInterface 0 = \"SIP-TLS~2\";\n[ \\SIPInterface ]\n",
                           "switch.ini")
    assert reply.status_code == 200, reply.text
    after = _sip(fleet, sip_api, "Teams")
    assert after["port"] == before["port"], "the listener is not restarted"
    assert (after["context"], after["context_name"]) == (2, "SIP-TLS~2")
    assert _served_cn(after) == "new.example.com"
    held.close()


def test_changing_the_tls_port_moves_the_listener_and_deleting_the_interface_closes_it(fleet, sip_api):
    sip_api.upload("files/ini/incremental",
                   "[ SIPInterface ]\nFORMAT Index = TLSPort;\nSIPInterface 1 = 5081;\n[ \\SIPInterface ]\n", "port.ini")
    assert _sip(fleet, sip_api, "ITSP")["tls_port"] == 5081
    old_port = _sip(fleet, sip_api, "Teams")["port"]
    reply = sip_api.upload("files/ini/incremental", "[ SIPInterface ]\nSIPInterface 0 = $$DELETE$$;\n[ \\SIPInterface ]\n", "del.ini")
    assert reply.status_code == 200, reply.text
    assert "Teams" not in [item.get("interface") for item in _listeners(fleet, sip_api)]
    with pytest.raises(OSError):
        _handshake(sip_api.device.address, old_port)


def test_keep_previous_serves_the_last_matching_pair_while_the_key_waits(fleet, sip_api):
    _install(sip_api, 1, "current.example.com")
    listener = _sip(fleet, sip_api, "Teams")
    new_key = _key()
    sip_api.upload("files/tls/1/privateKey", _pem_key(new_key), "key.pem")
    assert sip_api.get("files/tls/1/privateKey").json()["valid"] is False
    assert _served_cn(listener) == "current.example.com"
    sip_api.upload("files/tls/1/certificate", _pem_cert(new_key, "next.example.com"), "cert.pem")
    assert _served_cn(listener) == "next.example.com"


def test_refuse_mode_fails_handshakes_while_key_and_certificate_disagree(fleet, make_device):
    api = make_device(config=SIP_INI, tls_mismatch="refuse")
    listener = _sip(fleet, api, "Teams")
    new_key = _key()
    api.upload("files/tls/1/privateKey", _pem_key(new_key), "key.pem")
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
        _handshake(listener["address"], listener["port"])
    assert _served_cn(_sip(fleet, api, "ITSP")) == _device_cn(api, 0), "other contexts keep serving"
    api.upload("files/tls/1/certificate", _pem_cert(new_key, "next.example.com"), "cert.pem")
    assert _served_cn(listener) == "next.example.com"


def test_stale_listeners_keep_serving_what_they_served(fleet, sip_api):
    _install(sip_api, 1, "before.example.com")
    _install(sip_api, 2, "other.example.com")
    control = f"{fleet.control_url}/devices/{sip_api.device.name}/stale-tls"
    assert requests.post(control, json={"enabled": True}, timeout=10).json() == {"stale_tls": True}
    _install(sip_api, 1, "after.example.com")
    sip_api.upload("files/ini/incremental",
                   "[ SIPInterface ]\nFORMAT Index = TLSContext;\nSIPInterface 1 = \"SIP-TLS~2\";\n[ \\SIPInterface ]\n", "s.ini")
    assert _served_cn(_sip(fleet, sip_api, "Teams")) == "before.example.com"
    assert _served_cn(_sip(fleet, sip_api, "ITSP")) == _device_cn(sip_api, 0)
    assert requests.post(control, json={"enabled": False}, timeout=10).json() == {"stale_tls": False}
    assert _served_cn(_sip(fleet, sip_api, "Teams")) == "after.example.com"
    assert _served_cn(_sip(fleet, sip_api, "ITSP")) == "other.example.com"


def test_stale_https_listener_keeps_its_certificate(fleet, make_device):
    api = make_device(protocol="https")
    served_before = _handshake(api.device.address, api.device.port)
    requests.post(f"{fleet.control_url}/devices/{api.device.name}/stale-tls", json={"enabled": True}, timeout=10)
    _install(api, 0, "renewed.example.com")
    assert _handshake(api.device.address, api.device.port) == served_before
    assert _device_cn(api, 0) == "renewed.example.com", "the device holds the new files all the same"


def test_listeners_come_back_after_a_reset(fleet, sip_api):
    _install(sip_api, 1, "persisted.example.com")
    sip_api.post("actions/reset", json={"saveConfiguration": True})
    sip_api.wait_down_and_up()
    assert _served_cn(_sip(fleet, sip_api, "Teams")) == "persisted.example.com"


def test_certificate_days_sets_the_first_certificates_validity(make_device):
    api = make_device(config=SIP_INI, certificate_days={"1": 12, "2": -3})
    now = datetime.datetime.now(datetime.timezone.utc)
    one = x509.load_pem_x509_certificate(api.get("files/tls/1/certificate").content)
    two = x509.load_pem_x509_certificate(api.get("files/tls/2/certificate").content)
    zero = x509.load_pem_x509_certificate(api.get("files/tls/0/certificate").content)
    assert (one.not_valid_after_utc - now).days == 11
    assert two.not_valid_after_utc < now < two.not_valid_after_utc + datetime.timedelta(days=4), "negative: already expired"
    assert two.not_valid_before_utc < two.not_valid_after_utc
    assert (zero.not_valid_after_utc - now).days > 3000


@pytest.mark.parametrize("spec, message", [
    ({"sip_tls_ports": "fixed"}, "sip_tls_ports must be one of ephemeral, configured"),
    ({"tls_mismatch": "drop"}, "tls_mismatch must be one of keep-previous, refuse"),
    ({"certificate_days": {"1": "soon"}}, "certificate_days maps a TLS context id to a number of days"),
])
def test_bad_tls_specs_are_refused(fleet, spec, message):
    reply = requests.post(f"{fleet.control_url}/devices", json={"name": "badtls", **spec}, timeout=10)
    assert reply.status_code == 400 and message in reply.json()["description"]
