"""How answers leave the simulator: no Nagle hold-up on kept-alive connections.

An answer written in two small writes (headers, then body) on a socket with Nagle's algorithm
on waits for the client's delayed ACK (~40 ms) before its second part leaves. The simulator
sends each answer in one write and sets TCP_NODELAY on every accepted connection; these tests
check both directly (no timing), for the device listeners (HTTP and HTTPS) and the control API.
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import ssl
import threading
from urllib.parse import urlsplit

import pytest


@pytest.fixture
def wire(monkeypatch):
    """Records every accepted connection (its port and TCP_NODELAY as the handler gets it) and every
    write the handlers make to a connection."""
    seen = {"connections": [], "writes": []}
    lock = threading.Lock()
    process_request = socketserver.ThreadingMixIn.process_request
    write = socketserver._SocketWriter.write  # pylint: disable=protected-access

    def recording_process_request(server, request, client_address):
        with lock:
            seen["connections"].append((request.getsockname()[1],
                                        bool(request.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))))
        return process_request(server, request, client_address)

    def recording_write(writer, data):
        with lock:
            seen["writes"].append(bytes(data))
        return write(writer, data)

    monkeypatch.setattr(socketserver.ThreadingMixIn, "process_request", recording_process_request)
    monkeypatch.setattr(socketserver._SocketWriter, "write", recording_write)  # pylint: disable=protected-access
    return seen


def connection_to(url, ca_file=None):
    split = urlsplit(url)
    if split.scheme == "https":
        context = ssl.create_default_context(cafile=str(ca_file))
        return http.client.HTTPSConnection(split.hostname, split.port, context=context, timeout=10)
    return http.client.HTTPConnection(split.hostname, split.port, timeout=10)


def exchange(connection, path, headers=None):
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, body
    return body


def answers_on_one_kept_alive_connection(wire, url, path, headers=None, ca_file=None):
    """Three requests on one connection; returns (the writes of each answer, whether the
    server-side connection has TCP_NODELAY)."""
    connection = connection_to(url, ca_file)
    writes_per_answer = []
    try:
        for _request in range(3):
            before = len(wire["writes"])
            body = exchange(connection, path, headers)
            answer_writes = wire["writes"][before:]
            assert b"".join(answer_writes).endswith(body)
            writes_per_answer.append(len(answer_writes))
    finally:
        connection.close()
    accepted = [no_delay for port, no_delay in wire["connections"] if port == urlsplit(url).port]
    assert len(accepted) == 1, "the three requests should share one kept-alive connection"
    return writes_per_answer, accepted[0]


AUTH = {"Authorization": "Basic QWRtaW46QWRtaW4="}  # Admin:Admin


@pytest.mark.parametrize("protocol", ["http", "https"])
def test_device_answers_leave_in_one_write_on_a_no_delay_connection(wire, make_device, protocol):
    api = make_device(protocol=protocol)
    writes, no_delay = answers_on_one_kept_alive_connection(wire, api.device.url, "/api/v1/status", AUTH, api.ca_file)
    assert writes == [1, 1, 1]
    assert no_delay


def test_error_and_empty_answers_leave_in_one_write_too(wire, api):
    connection = connection_to(api.device.url)
    try:
        for path, status in (("/api/v1/nothing-here", 404), ("/api/v1/alarms/active", 204)):
            before = len(wire["writes"])
            connection.request("GET", path, headers=AUTH)
            response = connection.getresponse()
            response.read()
            assert response.status == status
            assert len(wire["writes"]) - before == 1, path
    finally:
        connection.close()


def test_control_api_answers_leave_in_one_write_on_a_no_delay_connection(wire, fleet):
    writes, no_delay = answers_on_one_kept_alive_connection(wire, fleet.control_url, "/devices")
    assert writes == [1, 1, 1]
    assert no_delay
