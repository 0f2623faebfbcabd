"""HTTP(S) plumbing: a threading server per device listener, and the request handler that dispatches to routes."""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from simulator.body import BodyError, BodyReader
from simulator.errors import ApiError, bad_request
from simulator.negotiation import JSON
from simulator.tls_serving import wrap_server_socket

LOG = logging.getLogger("simulator")
MAX_JSON_BODY = 1024 * 1024


@dataclass
class Response:
    status: int = 200
    body: object = None                 # dict/list → JSON, bytes/str → as is, None → empty
    content_type: str = JSON
    headers: dict = field(default_factory=dict)
    after: Callable[[], None] | None = None   # runs once the response is on the wire (e.g. start a reset)
    close: bool = False

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, indent=2).encode("utf-8")


class Request:
    """What a route sees: method, path below /api, query, headers, the user, and the body (streamed)."""

    def __init__(self, handler: "DeviceRequestHandler", method: str, path: str, query: dict, body: BodyReader):
        self.handler = handler
        self.method = method
        self.path = path
        self.query = query
        self.headers = handler.headers
        self.body = body
        self.user = None
        self.params: dict = {}

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").strip()

    def json(self, required: bool = False) -> dict:
        """The JSON object in the body ({} when empty and not required); 400 names what is wrong."""
        try:
            raw = self.body.read_all(MAX_JSON_BODY)
        except BodyError as err:
            raise bad_request(f"Request body is malformed: {err}") from err
        if not raw.strip():
            if required:
                raise bad_request("Request body must be a JSON object")
            return {}
        try:
            value = json.loads(raw)
        except ValueError as err:
            raise bad_request(f"Request body is not valid JSON: {err}") from err
        if not isinstance(value, dict):
            raise bad_request("Request body must be a JSON object")
        return value


class NoDelayHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server whose accepted connections send each write at once (TCP_NODELAY).

    With Nagle's algorithm on, a small write that follows another one still unacknowledged waits
    for the client's ACK, which a client delays by up to ~40 ms: every answer on a kept-alive
    connection would be held that long (the client that does the right thing pays)."""

    daemon_threads = True

    def get_request(self):
        sock, address = self.socket.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address


class OneWriteHandler(BaseHTTPRequestHandler):
    """Sends an answer's status line, headers and body in one write (fewer packets and TLS records)."""

    def end_headers_with_body(self, payload: bytes) -> None:
        """``end_headers()`` that sends ``payload`` in the same write as the headers."""
        self._headers_buffer.append(b"\r\n")
        if payload:
            self._headers_buffer.append(payload)
        self.flush_headers()


class ListenerServer(NoDelayHTTPServer):
    """One device listener. The SSL context is asked for per connection, so a new certificate
    affects new connections only; open connections are tracked so a reset can cut them."""

    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, handler_class, device, ssl_context_provider):
        self.device = device
        self._ssl_context_provider = ssl_context_provider
        self._connections: set = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler_class)

    def get_request(self):
        sock, address = super().get_request()  # TCP_NODELAY set
        if self._ssl_context_provider is not None:
            sock = wrap_server_socket(sock, self._ssl_context_provider)
        with self._connections_lock:
            self._connections.add(sock)
        return sock, address

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        LOG.debug("connection from %s ended with an error", client_address, exc_info=True)


class DeviceRequestHandler(OneWriteHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Mediant-Simulator"
    timeout = 60

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        LOG.debug("%s %s", self.address_string(), format % args)

    def _dispatch(self):
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        body = BodyReader(self.rfile, self.headers)
        request = Request(self, self.command, split.path, query, body)
        device = self.server.device
        device.request_log.append((self.command, split.path))
        try:
            response = device.handle(request)
        except ApiError as err:
            response = Response(err.status, err.body(), headers=err.headers)
        except BodyError as err:
            response = Response(400, {"description": f"Request body is malformed: {err}"}, close=True)
        except Exception:  # pylint: disable=broad-except
            LOG.exception("internal error on %s %s", self.command, self.path)
            response = Response(500, {"description": "Internal error in the simulator"})
        if response is None:  # the device dropped the connection on purpose
            self.close_connection = True
            return
        try:
            body.drain()
        except (BodyError, OSError):
            response.close = True
        try:
            self._send(response)
        finally:
            # A reset the device accepted happens even if the client went away before the answer.
            if response.after is not None:
                response.after()

    def _send(self, response: Response):
        payload = response.encoded()
        self.send_response(response.status)
        # No body, no media type: an empty answer is never labelled application/json.
        if response.status != 204 and response.body is not None:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload) if response.status != 204 else 0))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        send_body = payload and response.status != 204 and self.command != "HEAD"
        self.end_headers_with_body(payload if send_body else b"")

    def drop(self):
        """Cut the connection without an answer (fault injection)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch
