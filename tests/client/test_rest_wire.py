# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MediantClient seen from the wire: retries, pagination, streamed uploads, API generations, errors.

Runs against ``FakeDevice``, a tiny scripted http.server defined below, over real HTTP(S):
behaviour the simulator cannot easily show (scripted pages, a server that only counts bytes).
The same client against the simulator: test_rest_on_simulator.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import ssl
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest


from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import (
    MediantClient,
    MediantError,
    MultipartFileBody,
)

PASSWORD = "pw-S3cret!never-shown"


# ---------------------------------------------------------------------------------------------
# FakeDevice: a scripted HTTP(S) server. Each (method, path) answers from a script of replies
# (the last one repeats); every request is recorded with headers, query and a digest of its
# body, which is read in chunks and never kept, so upload tests measure the client's memory.
# ---------------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int = 200
    body: object = None              # dict/list -> JSON, bytes/str -> octet-stream, None -> empty
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False               # close the connection without answering


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    body_size: int
    body_sha256: str
    body_head: bytes
    body_tail: bytes
    client_port: int


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return

    def _read_body(self):
        digest = hashlib.sha256()
        size = 0
        head = b""
        tail = b""
        remaining = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise AssertionError("the client sent a chunked body; the device wants Content-Length")
        while remaining:
            block = self.rfile.read(min(remaining, 65536))
            if not block:
                break
            remaining -= len(block)
            size += len(block)
            digest.update(block)
            if len(head) < 512:
                head += block[:512 - len(head)]
            tail = (tail + block)[-256:]
        return size, digest.hexdigest(), head, tail

    def _handle(self):
        split = urlsplit(self.path)
        size, sha, head, tail = self._read_body()
        fake = self.server.fake
        fake.seen.append(Seen(self.command, split.path, {k: v[0] for k, v in parse_qs(split.query).items()},
                              dict(self.headers), size, sha, head, tail, self.client_address[1]))
        reply = fake.next_reply(self.command, split.path, {k: v[0] for k, v in parse_qs(split.query).items()})
        if reply.delay:
            time.sleep(reply.delay)
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(reply.body, (dict, list)):
            payload, content_type = json.dumps(reply.body).encode(), "application/json"
        elif isinstance(reply.body, str):
            payload, content_type = reply.body.encode(), "application/octet-stream"
        else:
            payload, content_type = reply.body or b"", "application/octet-stream"
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = _handle


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that gave up (timeouts, rejected certificates) are part of the tests.
        return


NAV_V74 = {"items": [{"id": name, "url": "/api/v1/" + name}
                     for name in ("actions", "alarms", "files", "license", "status", "kpi")]}
NAV_V10 = {"items": [{"id": name, "url": "/api/v1/" + name}
                     for name in ("actions", "alarms", "files", "license", "performanceMonitoring", "status")]}


class FakeDevice:
    """``with FakeDevice() as fake: fake.on("GET", "status", Reply(...), ...)``."""

    def __init__(self, api="7.4", tls_files=None):
        self.seen = []
        self._scripts = {}
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.protocol = "http"
        if tls_files:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls_files)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self.protocol = "https"
        self.port = self._server.server_address[1]
        self.on("GET", "", Reply(body=NAV_V10 if api == "1.0" else NAV_V74))
        self.on("GET", "status", Reply(body={"versionID": "7.00A.049.003" if api == "1.0" else "7.40A.500.010",
                                             "systemUpTime": 100}))

    def on(self, method, path, *replies):
        with self._lock:
            self._scripts[(method, "/api/v1/" + path if path else "/api/v1")] = list(replies)

    def on_query(self, method, path, answer):
        """``answer(query_dict) -> Reply`` for paths whose reply depends on the query."""
        with self._lock:
            self._scripts[(method, "/api/v1/" + path)] = answer

    def next_reply(self, method, path, query):
        with self._lock:
            script = self._scripts.get((method, path.rstrip("/") if path != "/api/v1/" else "/api/v1"))
            if script is None:
                return Reply(404, {"description": "no such resource in the fake"})
            if callable(script):
                return script(query)
            return script.pop(0) if len(script) > 1 else script[0]

    def requests_to(self, method, path):
        full = "/api/v1/" + path if path else "/api/v1"
        return [seen for seen in self.seen if seen.method == method and seen.path == full]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()


def client_for(fake, username="Admin", password=PASSWORD, **kwargs):
    kwargs.setdefault("retries", 3)
    kwargs.setdefault("backoff", 0.01)
    kwargs.setdefault("timeout", 5)
    return MediantClient("127.0.0.1", username, password, port=fake.port, protocol=fake.protocol, **kwargs)


def assert_no_secret(err):
    for text in (str(err), repr(err), json.dumps({k: str(v) for k, v in vars(err).items()})):
        assert PASSWORD not in text


# -- retries ----------------------------------------------------------------------------------
def test_get_is_retried_on_409_until_the_device_is_free():
    busy = Reply(409, {"description": "Device is currently performing HA synchronization"})
    with FakeDevice() as fake:
        fake.on("GET", "license", busy, busy, Reply(body={"serialNumber": "123"}))
        assert client_for(fake).get_json("license") == {"serialNumber": "123"}
        assert len(fake.requests_to("GET", "license")) == 3


def test_409_that_never_ends_fails_with_the_device_description_after_bounded_retries():
    with FakeDevice() as fake:
        fake.on("GET", "license", Reply(409, {"description": "Device is currently performing HA synchronization"}))
        with pytest.raises(MediantError) as caught:
            client_for(fake, retries=2).get_json("license")
        assert len(fake.requests_to("GET", "license")) == 3
    err = caught.value
    assert err.status == 409
    assert err.description == "Device is currently performing HA synchronization"
    assert "HA synchronization" in str(err) and "try again later" in str(err) and "3 attempts" in str(err)


def test_post_is_sent_once_unless_the_caller_marks_it_repeatable():
    busy = Reply(409, {"description": "busy"})
    with FakeDevice() as fake:
        fake.on("POST", "actions/saveConfiguration", busy, Reply(body={"description": "saved"}))
        with pytest.raises(MediantError) as caught:
            client_for(fake).post_json("actions/saveConfiguration")
        assert caught.value.status == 409
        assert len(fake.requests_to("POST", "actions/saveConfiguration")) == 1

        fake.on("POST", "actions/saveConfiguration", busy, Reply(body={"description": "saved"}))
        assert client_for(fake).post_json("actions/saveConfiguration", retry=True) == {"description": "saved"}
        assert len(fake.requests_to("POST", "actions/saveConfiguration")) == 3


def test_busy_timeout_repeats_a_post_while_the_device_answers_409():
    busy = Reply(409, {"description": "Device is currently performing HA synchronization"})
    with FakeDevice() as fake:
        fake.on("POST", "actions/reset", busy, busy, Reply(body={"description": "Device will reset now"}))
        started = time.monotonic()
        answer = client_for(fake).post_json("actions/reset", {"saveConfiguration": True}, busy_timeout=10)
        assert answer == {"description": "Device will reset now"}
        assert len(fake.requests_to("POST", "actions/reset")) == 3
        assert time.monotonic() - started >= 1 + 2  # waits grow by a second each: 1 s, 2 s


def test_busy_timeout_ends_with_the_409_and_counts_the_attempts():
    with FakeDevice() as fake:
        fake.on("PUT", "license", Reply(409, {"description": "Device is currently performing HA synchronization"}))
        started = time.monotonic()
        with pytest.raises(MediantError) as caught:
            client_for(fake).put_json("license", {"key": "abc"}, busy_timeout=2)
        # 1 s wait, then a 2 s wait would pass the 2 s budget: two sends, no more.
        assert len(fake.requests_to("PUT", "license")) == 2
        assert time.monotonic() - started < 2
    err = caught.value
    assert err.status == 409 and err.attempts == 2
    assert err.description == "Device is currently performing HA synchronization"
    assert "2 attempts" in str(err)


def test_busy_timeout_zero_fails_on_the_first_409():
    with FakeDevice() as fake:
        fake.on("POST", "actions/reset", Reply(409, {"description": "busy"}), Reply(body={}))
        with pytest.raises(MediantError) as caught:
            client_for(fake).post_json("actions/reset", busy_timeout=0)
        assert caught.value.attempts == 1
        assert len(fake.requests_to("POST", "actions/reset")) == 1


def test_busy_timeout_never_repeats_a_send_after_a_dropped_connection_or_another_error():
    with FakeDevice() as fake:
        fake.on("POST", "actions/reset", Reply(drop=True), Reply(body={}))
        fake.on("PUT", "files/software", Reply(503, {"description": "starting"}), Reply(body={}))
        client = client_for(fake)
        with pytest.raises(MediantError):
            client.post_json("actions/reset", busy_timeout=30)
        with pytest.raises(MediantError) as caught:
            client.upload("files/software", content=b"load", busy_timeout=30)
        assert caught.value.status == 503
        assert len(fake.requests_to("POST", "actions/reset")) == 1
        assert len(fake.requests_to("PUT", "files/software")) == 1


@pytest.mark.parametrize("api", ["7.4", "1.0"])
def test_busy_upload_reopens_the_file_and_sends_it_whole_each_time(tmp_path, api):
    src = tmp_path / "load.cmp"
    src.write_bytes(os.urandom(300_000))
    with FakeDevice(api=api) as fake:
        fake.on("PUT", "files/software", Reply(409, {"description": "busy"}), Reply(body={"description": "Device will reset now"}))
        assert client_for(fake).upload("files/software", src=str(src), busy_timeout=10) == {"description": "Device will reset now"}
        first, second = fake.requests_to("PUT", "files/software")
    for seen in (first, second):
        assert int(seen.headers["Content-Length"]) == seen.body_size
        if api == "1.0":
            assert seen.body_sha256 == file_digest(src)
        else:
            boundary = seen.headers["Content-Type"].split("boundary=", 1)[1]
            assert seen.body_sha256 == expected_multipart_digest(boundary, "load.cmp", src)


def test_retry_waits_at_least_what_retry_after_asks():
    with FakeDevice() as fake:
        fake.on("GET", "status", Reply(409, {"description": "busy"}, headers={"Retry-After": "0.3"}), Reply(body={"ok": 1}))
        started = time.monotonic()
        assert client_for(fake).get_json("status") == {"ok": 1}
        assert time.monotonic() - started >= 0.3


def test_get_is_retried_when_the_connection_drops():
    with FakeDevice() as fake:
        fake.on("GET", "alarms/active", Reply(drop=True), Reply(204))
        assert client_for(fake).get_json("alarms/active") is None
        assert len(fake.requests_to("GET", "alarms/active")) == 2


def test_put_is_not_repeated_after_a_dropped_connection():
    with FakeDevice() as fake:
        fake.on("PUT", "license", Reply(drop=True), Reply(body={}))
        with pytest.raises(MediantError) as caught:
            client_for(fake).put_json("license", {"key": "abc"})
        assert len(fake.requests_to("PUT", "license")) == 1
        assert "127.0.0.1:{0}".format(fake.port) in str(caught.value)


# -- pagination -------------------------------------------------------------------------------
def alarm_pages(query):
    pages = {
        None: ([1, 2], {"after": "2", "before": "-1"}),
        "2": ([3, 4], {"after": "4", "before": "3"}),
        "4": ([5], {"after": "5", "before": "5"}),
    }
    if query.get("after") not in pages:
        return Reply(204)
    ids, cursor = pages[query.get("after")]
    return Reply(body={"alarms": [{"id": str(i), "description": "alarm %d" % i, "url": "/api/v1/alarms/active/%d" % i}
                                  for i in ids], "cursor": cursor})


def test_paginate_walks_every_alarm_page_until_204():
    with FakeDevice() as fake:
        fake.on_query("GET", "alarms/active", alarm_pages)
        alarms = client_for(fake).paginate("alarms/active", "alarms", params={"limit": 2})
        assert [alarm["id"] for alarm in alarms] == ["1", "2", "3", "4", "5"]
        sent = [(seen.query.get("after"), seen.query.get("limit")) for seen in fake.requests_to("GET", "alarms/active")]
        assert sent == [(None, "2"), ("2", "2"), ("4", "2"), ("5", "2")]


def test_paginate_stops_at_after_minus_one_and_reads_the_kpi_list_cursor():
    pages = {
        None: Reply(body={"items": [{"id": "a", "value": "1"}, {"id": "b", "value": "2"}],
                          "cursor": [{"start": "a", "before": "-1", "after": "b", "end": "c"}]}),
        "b": Reply(body={"items": [{"id": "c", "value": "3"}],
                         "cursor": [{"start": "a", "before": "c", "after": "-1", "end": "c"}]}),
    }
    with FakeDevice() as fake:
        fake.on_query("GET", "kpi/current/sbc/callStats/global", lambda query: pages[query.get("after")])
        items = client_for(fake).paginate("kpi/current/sbc/callStats/global", "items")
        assert [(item["id"], item["value"]) for item in items] == [("a", "1"), ("b", "2"), ("c", "3")]
        assert len(fake.requests_to("GET", "kpi/current/sbc/callStats/global")) == 2


def test_paginate_of_an_empty_listing_is_empty_and_a_repeated_cursor_ends_the_walk():
    with FakeDevice() as fake:
        fake.on("GET", "alarms/active", Reply(204))
        assert client_for(fake).paginate("alarms/active", "alarms") == []
        # A device that keeps answering the same cursor must not loop forever.
        fake.on("GET", "alarms/history", Reply(body={"alarms": [{"id": "1"}], "cursor": {"after": "1", "before": "-1"}}))
        assert len(client_for(fake).paginate("alarms/history", "alarms")) == 2
        assert len(fake.requests_to("GET", "alarms/history")) == 2


# -- uploads ----------------------------------------------------------------------------------
def sparse_file(path, size):
    with open(path, "wb") as handle:
        handle.truncate(size)
        handle.seek(size // 2)
        handle.write(b"middle-marker")
    return path


def expected_multipart_digest(boundary, filename, src):
    digest = hashlib.sha256()
    digest.update(('--{0}\r\nContent-Disposition: form-data; name="file"; filename="{1}"\r\n'
                   'Content-Type: application/octet-stream\r\n\r\n').format(boundary, filename).encode())
    with open(src, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update("\r\n--{0}--\r\n".format(boundary).encode())
    return digest.hexdigest()


def file_digest(src):
    digest = hashlib.sha256()
    with open(src, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def test_v74_upload_streams_a_big_file_as_multipart_without_holding_it_in_memory(tmp_path):
    size = 32 * 1024 * 1024
    src = sparse_file(tmp_path / "firmware.cmp", size)
    with FakeDevice() as fake:
        fake.on("PUT", "files/software", Reply(body={"description": "Device will reset now"}))
        client = client_for(fake)
        assert client.api_version == "7.4"
        tracemalloc.start()
        try:
            answer = client.upload("files/software", src=str(src))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert answer == {"description": "Device will reset now"}
        assert peak < 4 * 1024 * 1024, "upload peak memory %d bytes for a %d byte file" % (peak, size)
        (seen,) = fake.requests_to("PUT", "files/software")
    content_type = seen.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1]
    assert "Transfer-Encoding" not in seen.headers
    assert int(seen.headers["Content-Length"]) == seen.body_size > size
    assert seen.body_sha256 == expected_multipart_digest(boundary, "firmware.cmp", src)


def test_v10_upload_is_raw_octet_stream_with_the_file_bytes(tmp_path):
    src = sparse_file(tmp_path / "board.ini", 3 * 1024 * 1024)
    with FakeDevice(api="1.0") as fake:
        fake.on("PUT", "files/ini/incremental", Reply(200))
        client = client_for(fake)
        assert client.api_version == "1.0"
        assert client.upload("files/ini/incremental", src=str(src)) == {}
        (seen,) = fake.requests_to("PUT", "files/ini/incremental")
    assert seen.headers["Content-Type"] == "application/octet-stream"
    assert int(seen.headers["Content-Length"]) == seen.body_size == 3 * 1024 * 1024
    assert seen.body_sha256 == file_digest(src)


def test_upload_of_text_content_names_the_file_and_is_repeated_only_when_asked():
    with FakeDevice() as fake:
        fake.on("PUT", "files/cliScript/incremental", Reply(409, {"description": "busy"}), Reply(body={"output": "ok"}))
        client = client_for(fake)
        assert client.upload("files/cliScript/incremental", content="show system version\n", filename="cli.txt",
                             retry=True) == {"output": "ok"}
        first, second = fake.requests_to("PUT", "files/cliScript/incremental")
    for seen in (first, second):  # the body is rebuilt in full for the retry
        assert b'name="file"; filename="cli.txt"' in seen.body_head
        assert b"\r\n\r\nshow system version\n\r\n--" in seen.body_head
        assert int(seen.headers["Content-Length"]) == seen.body_size


def test_multipart_body_reads_in_any_block_size_and_reports_its_length(tmp_path):
    src = tmp_path / "data.bin"
    src.write_bytes(os.urandom(200_000))
    body = MultipartFileBody("data.bin", src=str(src))
    chunks = []
    while True:
        block = body.read(7_777)
        if not block:
            break
        assert len(block) <= 7_777
        chunks.append(block)
    assert len(b"".join(chunks)) == len(body)
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == expected_multipart_digest(body.boundary, "data.bin", src)


def test_upload_of_a_missing_file_names_it():
    with FakeDevice() as fake:
        with pytest.raises(MediantError, match="no-such.cmp"):
            client_for(fake).upload("files/software", src="/nonexistent/no-such.cmp")
        assert not fake.requests_to("PUT", "files/software")


# -- API generation ---------------------------------------------------------------------------
def test_api_generation_comes_from_the_navigation_tree_and_is_asked_once():
    with FakeDevice(api="1.0") as fake:
        client = client_for(fake)
        assert client.api_version == "1.0"
        assert client.api_version == "1.0"
        assert len(fake.requests_to("GET", "")) == 1


def test_api_generation_falls_back_to_the_firmware_version_without_a_navigation_tree():
    with FakeDevice() as fake:
        fake.on("GET", "", Reply(404, {"description": "not found"}))
        fake.on("GET", "status", Reply(body={"versionID": "7.00A.018.005"}))
        assert client_for(fake).api_version == "1.0"


@pytest.mark.parametrize("api, version_id", [("1.0", "7.00A.049.003"), ("7.4", "7.40A.500.010"), ("7.4", "7.20A.200.014")])
def test_a_status_answer_tells_the_api_generation_without_asking_the_navigation_tree(api, version_id):
    with FakeDevice(api=api) as fake:
        fake.on("GET", "status", Reply(body={"versionID": version_id}))
        client = client_for(fake)
        assert client.get_json("status") == {"versionID": version_id}
        assert client.api_version == api
        assert not fake.requests_to("GET", "")


def test_uploads_after_a_status_read_use_the_generation_it_told():
    with FakeDevice(api="1.0") as fake:
        fake.on("PUT", "files/ini/incremental", Reply(200))
        client = client_for(fake)
        client.get_json("status")
        client.upload("files/ini/incremental", content="[SYSTEM Params]\n")
        (seen,) = fake.requests_to("PUT", "files/ini/incremental")
        assert seen.headers["Content-Type"] == "application/octet-stream"
        assert [request.path for request in fake.seen] == ["/api/v1/status", "/api/v1/files/ini/incremental"]


@pytest.mark.parametrize("answer", [{"systemUpTime": 5}, {"versionID": ""}, {"versionID": "unknown"}, None])
def test_a_status_without_a_firmware_version_teaches_nothing_and_the_tree_is_asked(answer):
    with FakeDevice(api="1.0") as fake:
        fake.on("GET", "status", Reply(body=answer) if answer is not None else Reply(204))
        client = client_for(fake)
        client.get_json("status")
        assert client.api_version == "1.0"
        assert len(fake.requests_to("GET", "")) == 1


def test_the_firmware_running_now_wins_over_an_earlier_answer():
    """After a software upgrade from 7.00A, the status read while waiting names the new firmware."""
    with FakeDevice(api="1.0") as fake:
        client = client_for(fake)
        assert client.api_version == "1.0"
        fake.on("GET", "status", Reply(body={"versionID": "7.40A.500.010", "systemUpTime": 3}))
        assert client.wait_until_back(5, down_first=False, poll_interval=0.01)["versionID"] == "7.40A.500.010"
        assert client.api_version == "7.4"


def test_403_names_the_privilege_level_the_resource_needs():
    with FakeDevice() as fake:
        fake.on("PUT", "license", Reply(403, {"description": "Forbidden"}))
        with pytest.raises(MediantError) as caught:
            client_for(fake, username="Operator").put_json("license", {"key": "x"})
    err = caught.value
    assert err.status == 403
    assert "Security Administrator privilege level" in str(err) and "'Operator'" in str(err)
    assert_no_secret(err)


def test_401_names_the_user_and_never_the_password():
    with FakeDevice() as fake:
        fake.on("GET", "status", Reply(401, {"description": "Unauthorized"}))
        with pytest.raises(MediantError) as caught:
            client_for(fake, username="ops-bot").get_json("status")
        assert len(fake.requests_to("GET", "status")) == 1  # wrong credentials are not retried
    assert caught.value.status == 401
    assert "check username/password for user 'ops-bot'" in str(caught.value)
    assert_no_secret(caught.value)


def test_unreachable_host_names_address_and_port():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = MediantClient("127.0.0.1", "Admin", PASSWORD, port=port, protocol="https", retries=1, backoff=0.01)
    with pytest.raises(MediantError) as caught:
        client.get_json("status")
    assert "127.0.0.1:%d" % port in str(caught.value)
    assert "MEDIANT_HOST" in str(caught.value)
    assert_no_secret(caught.value)


def test_timeout_names_the_timeout_option():
    with FakeDevice() as fake:
        fake.on("POST", "actions/saveConfiguration", Reply(delay=2.0, body={}))
        with pytest.raises(MediantError) as caught:
            client_for(fake, timeout=1).post_json("actions/saveConfiguration")
    assert "timeout option" in str(caught.value) and "after 1 s" in str(caught.value)
    assert_no_secret(caught.value)


def test_error_bodies_that_are_not_json_still_reach_the_message():
    with FakeDevice() as fake:
        fake.on("PUT", "files/ini/incremental", Reply(400, b"Line 3: unknown parameter FOO"))
        with pytest.raises(MediantError) as caught:
            client_for(fake).upload("files/ini/incremental", content="FOO = 1\n")
    assert caught.value.status == 400
    assert "unknown parameter FOO" in str(caught.value)


def test_the_password_travels_only_in_the_authorization_header():
    with FakeDevice() as fake:
        client_for(fake).get_json("status")
        (seen,) = fake.requests_to("GET", "status")
    assert seen.headers["Authorization"].startswith("Basic ")
    assert PASSWORD not in seen.path and PASSWORD not in json.dumps(seen.query)


# -- TLS --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, like a device's factory certificate."""
    import datetime as dt  # pylint: disable=import-outside-toplevel
    import ipaddress  # pylint: disable=import-outside-toplevel

    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "device.pem", folder / "device.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_untrusted_certificate_fails_by_default_and_says_how_to_trust_it(self_signed):
    with FakeDevice(tls_files=self_signed) as fake:
        with pytest.raises(MediantError) as caught:
            client_for(fake).get_json("status")
        assert not fake.requests_to("GET", "status")
    message = str(caught.value)
    assert "TLS certificate verification failed" in message and "certificate verify failed" in message
    assert "ca_path" in message and "validate_certs: false" in message
    assert_no_secret(caught.value)


def test_ca_path_trusts_the_device_certificate_and_validate_certs_false_skips_the_check(self_signed, monkeypatch):
    # Execution environments often set REQUESTS_CA_BUNDLE; it must not override ca_path.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/bundle.pem")
    with FakeDevice(tls_files=self_signed) as fake:
        assert client_for(fake, ca_path=self_signed[0]).get_json("status")["versionID"] == "7.40A.500.010"
        assert client_for(fake, validate_certs=False).get_json("status")["versionID"] == "7.40A.500.010"


def test_json_error_answers_keep_their_body_for_the_module():
    refused = {"description": "Incremental CLI Script file was not loaded.", "output": "sbc1(config)# bogus\n Invalid command"}
    with FakeDevice() as fake:
        fake.on("PUT", "files/cliScript/incremental", Reply(400, refused))
        with pytest.raises(MediantError) as caught:
            client_for(fake).upload("files/cliScript/incremental", content="bogus\n")
    assert caught.value.body == refused
    assert caught.value.description == refused["description"]
    assert caught.value.to_result() == {"status": 400, "description": refused["description"]}


def test_without_requests_the_client_says_how_to_install_it(tmp_path):
    blocker = tmp_path / "requests"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('No module named requests (blocked by the test)')\n")
    script = ("from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantClient, MediantError\n"
              "try:\n    MediantClient('127.0.0.1', 'Admin', 'pw')\nexcept MediantError as err:\n    print(err)\n")
    import subprocess  # pylint: disable=import-outside-toplevel
    collections = Path(__file__).resolve().parents[2] / ".build" / "collections"  # linked by tests/conftest.py
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(collections)]))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.startswith("Failed to import the required Python library (requests)")
    assert "pip install requests" in out and "execution environment" in out


def test_a_redirect_is_not_followed_and_the_message_says_where_it_points():
    with FakeDevice() as fake:
        fake.on("GET", "status", Reply(301, b"", headers={"Location": "https://127.0.0.1/api/v1/status"}))
        with pytest.raises(MediantError) as caught:
            client_for(fake).get_json("status")
        assert len(fake.seen) == 1
    assert caught.value.status == 301
    assert "redirected GET /api/v1/status to https://127.0.0.1/api/v1/status" in str(caught.value)
    assert "protocol: https" in str(caught.value)


def test_a_403_on_a_monitor_resource_reveals_a_v10_device_and_names_security_administrator():
    with FakeDevice(api="1.0") as fake:
        fake.on("GET", "", Reply(403, {"description": "Forbidden"}))
        fake.on("GET", "status", Reply(403, {"description": "Forbidden"}))
        client = client_for(fake, username="Monitor")
        assert client.api_version == "1.0"
        with pytest.raises(MediantError) as caught:
            client.get_json("status")
    assert "needs the Security Administrator privilege level" in str(caught.value)
    assert "REST API v1.0" in str(caught.value)


def test_download_writes_the_file_to_disk(tmp_path):
    payload = os.urandom(300_000)
    with FakeDevice() as fake:
        fake.on("GET", "files/configurationPackage.tar.gz", Reply(body=payload))
        dest = tmp_path / "package.tar.gz"
        assert client_for(fake).download("files/configurationPackage.tar.gz", str(dest)) == len(payload)
    assert dest.read_bytes() == payload


def test_wait_until_back_counts_a_smaller_uptime_as_a_reset_already_done():
    with FakeDevice() as fake:
        # The device restarted faster than the first poll: it answers, but with a fresh uptime.
        fake.on("GET", "status", Reply(body={"systemUpTime": 3}))
        status = client_for(fake).wait_until_back(5, previous_uptime=5000, poll_interval=0.05)
        assert status == {"systemUpTime": 3}
        assert len(fake.requests_to("GET", "status")) == 3  # 1 "was reset" + 2 consecutive good answers


def test_wait_until_back_without_a_reset_names_the_option():
    with FakeDevice() as fake:
        fake.on("GET", "status", Reply(body={"systemUpTime": 6000}))
        with pytest.raises(MediantError) as caught:
            client_for(fake).wait_until_back(0.5, previous_uptime=5000, poll_interval=0.05, timeout_option="wait_timeout")
    assert "did not go down within 0.5 s" in str(caught.value) and "wait_timeout" in str(caught.value)


def test_one_keep_alive_connection_serves_a_module_run():
    with FakeDevice() as fake:
        fake.on("POST", "actions/saveConfiguration", Reply(body={}))
        client = client_for(fake)
        client.get_json("status")
        client.post_json("actions/saveConfiguration")
        client.get_json("status")
        assert len(fake.seen) == 3
        assert len({seen.client_port for seen in fake.seen}) == 1


def test_a_write_that_times_out_says_the_device_may_still_do_it_and_a_read_does_not():
    with FakeDevice() as fake:
        fake.on("POST", "actions/saveConfiguration", Reply(delay=2.0, body={}))
        fake.on("GET", "status", Reply(delay=2.0, body={}), Reply(delay=2.0, body={}))
        with pytest.raises(MediantError) as write:
            client_for(fake, timeout=1).post_json("actions/saveConfiguration")
        with pytest.raises(MediantError) as read:
            client_for(fake, timeout=1).get_json("status")
    assert "The device may still carry out the POST" in str(write.value)
    assert "may still carry out" not in str(read.value)


def test_a_write_whose_connection_drops_says_the_device_may_have_done_it():
    with FakeDevice() as fake:
        fake.on("PUT", "license", Reply(drop=True))
        with pytest.raises(MediantError) as caught:
            client_for(fake).put_json("license", {"key": "abc"})
    assert str(caught.value).startswith("The device at 127.0.0.1:{0} closed the connection during PUT /api/v1/license "
                                        "without answering: ".format(fake.port))
    assert str(caught.value).endswith("The device may still carry out the PUT: read its state (for example run the task "
                                      "in check mode) before repeating it.")
