# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_tls_probe: fresh handshakes with a TLS listener on the loopback address, trust checked
against ca_path, unreachable listeners reported, the options refused before any handshake; never
a REST request (the ``device`` fixture fails the test on any HTTP call)."""
from __future__ import annotations

import datetime as dt
import ipaddress
import re
import socket
import ssl
import threading
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tests.unit.framework import pki

LOOPBACK = "127.0.0.1"


def served_certificate(key, common_name="sbc1.example.com"):
    """A self-signed certificate naming the loopback address, as a device's own certificate names its address."""
    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(pki.name(common_name)).issuer_name(pki.name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), critical=False)
            .sign(key, hashes.SHA256()))


@pytest.fixture(scope="module")
def listener(tmp_path_factory):
    """A TLS listener on 127.0.0.1 that completes every handshake it is offered, as a device's does."""
    base = tmp_path_factory.mktemp("tls")
    key = pki.new_key()
    cert = served_certificate(key)
    (base / "cert.pem").write_text(pki.pem(cert))
    (base / "key.pem").write_text(pki.pem(key))
    (base / "other-ca.pem").write_text(pki.pem(pki.certificate(pki.new_key(), "Some other CA")))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(base / "cert.pem"), str(base / "key.pem"))
    server = socket.create_server((LOOPBACK, 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            connection.settimeout(5)
            try:
                with context.wrap_socket(connection, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                connection.close()   # a client that refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield SimpleNamespace(port=server.getsockname()[1], cert=cert, ca_path=str(base / "cert.pem"),
                          other_ca=str(base / "other-ca.pem"))
    stop.set()
    server.close()
    thread.join(2)


@pytest.fixture
def closed_port():
    with socket.socket() as probe:   # a port nothing listens on once the probe closes
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def probe_args(listener, **more):
    return dict({"host": LOOPBACK, "port": listener.port, "validate_certs": False}, **more)


def test_the_management_listener_shows_the_certificate_it_serves(device, run, listener):
    result = run("mediant_tls_probe", probe_args(listener))
    assert not result.get("failed") and result["changed"] is False
    [served] = result["listeners"]
    assert served["host"] == LOOPBACK and served["port"] == listener.port and served["name"] == "https"
    assert served["fingerprint"] == listener.cert.fingerprint(hashes.SHA256()).hex(":").upper()
    assert "sbc1.example.com" in served["subject"]
    assert served["subject_alt_names"] == ["IP:127.0.0.1"]
    assert served["trusted"] is None and "error" not in served
    assert 88 <= served["days_left"] <= 90
    assert device.sent == []


def test_a_client_trusting_ca_path_accepts_the_certificate(device, run, listener):
    result = run("mediant_tls_probe", probe_args(listener, validate_certs=True, ca_path=listener.ca_path))
    assert result["listeners"][0]["trusted"] is True
    assert device.sent == []


def test_a_client_trusting_another_ca_refuses_it_and_says_why(device, run, listener):
    result = run("mediant_tls_probe", probe_args(listener, validate_certs=True, ca_path=listener.other_ca))
    [served] = result["listeners"]
    assert not result.get("failed") and served["trusted"] is False
    assert re.search("self.signed certificate", served["trust_error"])   # OpenSSL's words (1.1: "self signed")
    assert served["fingerprint"]          # what is served is still shown
    assert device.sent == []


def test_endpoints_are_probed_each_with_its_label_and_an_unreachable_one_does_not_fail(device, run, listener, closed_port):
    result = run("mediant_tls_probe", probe_args(listener, endpoints=[
        {"port": listener.port, "name": "SIP-TLS", "context": "Teams"},
        {"host": LOOPBACK, "port": closed_port, "name": "closed"}]))
    assert not result.get("failed")
    sip, closed = result["listeners"]
    assert sip["name"] == "SIP-TLS" and sip["context"] == "Teams" and sip["host"] == LOOPBACK and sip["fingerprint"]
    assert closed["error"] == "no TLS handshake with {0}:{1}: Connection refused".format(LOOPBACK, closed_port)
    assert "fingerprint" not in closed
    assert device.sent == []


def test_no_user_name_or_password_is_needed(device, run, listener):
    result = run("mediant_tls_probe", probe_args(listener), task_vars={})
    assert not result.get("failed") and result["listeners"][0]["fingerprint"]
    assert "S3cret" not in repr(result)


@pytest.mark.parametrize("args, msg", [
    ({"protocol": "http"}, "protocol is http: the management listener has no TLS to probe; give endpoints"),
    ({"endpoints": [{"host": LOOPBACK}]}, "missing required arguments: port found in endpoints"),
    ({"timeout": 0}, "timeout must be a positive number of seconds, got 0"),
])
def test_options_it_cannot_use_are_refused_before_any_handshake(device, run, args, msg):
    result = run("mediant_tls_probe", dict({"host": LOOPBACK}, **args))
    assert result["failed"] and result["msg"] == msg
    assert "listeners" not in result
    assert device.sent == []
